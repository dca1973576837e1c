"""Plain values across the sandbox's wall: JSON that cannot carry code or objects.

The grading kernel (untrusted) and the trusted grader exchange only what
``encode`` writes: numbers, short strings, ``None``, lists, string-keyed
dicts and arrays as ``{"array": dtype, "shape": [...], "bytes": base64}``
with a dtype from ``DTYPES`` (never ``object``, so never pickle). ``decode``
turns that back into ``ndarray``/``int``/``float``/``bool``/``str``/``list``/
``dict``/``None`` and nothing else; anything else the kernel had (an object
with an ``__array__`` method, a generator, a class instance) arrives as an
``Opaque`` naming its type, which no comparison accepts.

Used on both sides: the kernel imports this module from the installed
course (``lstm_grade.pipeline`` is readable in the sandbox; nothing in it is
secret), the trusted grader imports it too. Trusted-to-kernel messages (the
grading cases' inputs) use the same format plus two markers the kernel turns
into live objects: ``{"ref": k}`` (the k-th array already decoded: an array
passed twice is the same object) and ``{"rng": seed}`` (a fresh
``np.random.default_rng(seed)``), ``{"namedtuple": name, "fields": [...],
"values": [...]}`` (a cache) and ``{"recipe": name, "args": [...]}`` (one of
``RECIPES``, e.g. the function whose numerical gradient ``grad_check`` takes).
"""
from __future__ import annotations

import base64
import collections
import json
import math
from typing import NamedTuple

import numpy as np

DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                    "uint64", "float16", "float32", "float64"})
MAX_STRING = 2000
MAX_DEPTH = 8


class Opaque(NamedTuple):
    """Something the kernel returned that is not a plain value: only its type's name."""
    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"


def _tanh_affine_quadratic(x, A):
    """The function ``grad_check`` is graded on: it reads ``x``, which the answer changes."""
    def f():
        return np.tanh(x @ A) + 0.5 * x[:, :1] ** 2
    return f


#: Functions the trusted side may ask the kernel to build, by name.
RECIPES = {"tanh_affine_quadratic": _tanh_affine_quadratic}


def encode(value, memo: dict | None = None, depth: int = 0):
    """``value`` as plain JSON-able data (see the module docstring).

    ``memo`` (id -> index) makes a second occurrence of the same array a
    ``{"ref": k}``; pass one dict for a whole message. Callables with a
    ``__wire__`` attribute ``(recipe name, args)`` are sent as recipes.
    """
    memo = {} if memo is None else memo
    if depth > MAX_DEPTH:
        return {"opaque": "nesting too deep"}
    if value is None or isinstance(value, (bool, str)):
        return value[:MAX_STRING] if isinstance(value, str) else value
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        return encode(np.asarray(value), memo, depth)
    if type(value) is np.ndarray:
        if id(value) in memo:
            return {"ref": memo[id(value)]}
        if value.dtype.name not in DTYPES:
            return {"opaque": f"ndarray of dtype {value.dtype.name}"}
        memo[id(value)] = len(memo)
        data = np.ascontiguousarray(value)
        return {"array": value.dtype.name, "shape": list(value.shape),
                "bytes": base64.b64encode(data.tobytes()).decode("ascii")}
    if isinstance(value, tuple) and type(value) is not tuple and hasattr(type(value), "_fields"):
        return {"namedtuple": type(value).__name__, "module": type(value).__module__,
                "fields": list(type(value)._fields),
                "values": [encode(v, memo, depth + 1) for v in value]}
    if type(value) in (list, tuple):
        return [encode(v, memo, depth + 1) for v in value]
    if type(value) is dict and all(type(k) is str for k in value):
        return {"dict": {k: encode(v, memo, depth + 1) for k, v in value.items()}}
    wire = getattr(value, "__wire__", None) if callable(value) else None
    if wire is not None:
        name, args = wire
        return {"recipe": name, "args": [encode(a, memo, depth + 1) for a in args]}
    return {"opaque": type(value).__name__[:100]}


def decode(data, arrays: list | None = None, live: bool = False, depth: int = 0):
    """The plain value ``data`` stands for.

    ``live=False`` (the trusted side) yields only plain values; a namedtuple
    becomes a tuple, a recipe or rng an ``Opaque``. ``live=True`` (the
    kernel side) also builds namedtuples, generators and recipes.
    ``arrays`` collects decoded arrays for ``{"ref": k}``.
    """
    arrays = [] if arrays is None else arrays
    if depth > MAX_DEPTH:
        return Opaque("nesting too deep")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, arrays, live, depth + 1) for v in data]
    if not isinstance(data, dict):
        return Opaque(type(data).__name__)
    if "array" in data:
        dtype = str(data["array"])
        if dtype not in DTYPES:
            return Opaque(f"ndarray of dtype {dtype}")
        shape = tuple(int(s) for s in data["shape"])
        raw = base64.b64decode(data["bytes"])
        if len(raw) != int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize:
            return Opaque("ndarray with the wrong number of bytes")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        arrays.append(arr)
        return arr
    if "ref" in data:
        k = int(data["ref"])
        return arrays[k] if 0 <= k < len(arrays) else Opaque("dangling reference")
    if "float" in data:
        return float(data["float"]) if data["float"] in ("nan", "inf", "-inf") else Opaque("float")
    if "dict" in data and isinstance(data["dict"], dict):
        return {str(k): decode(v, arrays, live, depth + 1) for k, v in data["dict"].items()}
    if "namedtuple" in data:
        values = [decode(v, arrays, live, depth + 1) for v in data["values"]]
        if not live:
            return tuple(values)
        return _namedtuple_class(data)(*values)
    if live and "rng" in data:
        return np.random.default_rng(int(data["rng"]))
    if live and "recipe" in data and data["recipe"] in RECIPES:
        return RECIPES[data["recipe"]](*[decode(a, arrays, live, depth + 1) for a in data["args"]])
    return Opaque(str(data.get("opaque", "object"))[:100])


def _namedtuple_class(data: dict):
    """The course's own NamedTuple class (a cache of ``lstm_ref``) when the kernel
    has it, so a helper that checks the cache's type accepts it; else a new one."""
    name, fields = str(data["namedtuple"]), tuple(str(f) for f in data["fields"])
    module = str(data.get("module", ""))
    if module == "lstm_ref" or module.startswith("lstm_ref."):
        import importlib
        try:
            cls = getattr(importlib.import_module(module), name)
        except Exception:  # noqa: BLE001 - hidden or missing in this kernel: build one
            cls = None
        if isinstance(cls, type) and getattr(cls, "_fields", None) == fields:
            return cls
    return collections.namedtuple(name, fields)


def dumps(value) -> str:
    """``json.dumps(encode(value))`` (one message, one memo)."""
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str, live: bool = False):
    """``decode(json.loads(text))``."""
    return decode(json.loads(text), live=live)
