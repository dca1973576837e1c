"""Input checking shared by every public function of ``lstm_ref`` and by ``lstm_viz``.

The one home of these rules; every error is a ``ValueError`` that starts with
the argument's name:

* arrays: a wrong shape or dtype names the expected shape (in dimension
  letters and, where known, numbers) and the actual one. Integer and boolean
  inputs are computed in float64; float32 stays float32 (``as_float``,
  ``check_shape``, ``prepare``, ``upstream``, ``check_cache``).
* sizes and counts: ``check_int`` (an int, not a bool or a float, at least a
  minimum); rates and limits: ``check_positive`` (a finite number > 0).
* randomness: ``check_rng``. Everywhere in ``lstm_ref`` and ``lstm_viz`` an
  argument that draws random numbers (``rng`` or ``seed``) takes either an
  integer seed >= 0 (the same seed gives the same numbers: reproducible runs)
  or a ``np.random.Generator`` (used as it is, so successive calls continue
  one stream: pass a Generator to a sampler called once per batch, or every
  batch is the same); ``None`` draws fresh entropy from the system.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["as_float", "as_int", "check_int", "check_positive", "check_rng", "check_shape",
           "float_dtype", "prepare", "check_cache", "upstream"]

_FLOATS = (np.float32, np.float64)


def as_float(name: str, a) -> np.ndarray:
    """Return ``a`` as a floating ndarray, or raise ``ValueError`` naming ``name``.

    float32 and float64 arrays pass through unchanged (no copy); integer and
    bool arrays become float64; anything else (complex, object, strings,
    float16) is refused.
    """
    if a is None:
        raise ValueError(f"{name}: expected an array, got None")
    arr = np.asarray(a)
    if arr.dtype.type in _FLOATS:
        return arr
    if np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_:
        return arr.astype(np.float64)
    raise ValueError(
        f"{name}: expected a float32, float64 or integer array, got dtype {arr.dtype}"
    )


def as_int(name: str, a) -> np.ndarray:
    """Return ``a`` as an integer ndarray (class labels, token ids)."""
    arr = np.asarray(a)
    if np.issubdtype(arr.dtype, np.integer):
        return arr
    if np.issubdtype(arr.dtype, np.floating) and arr.size and np.all(arr == np.round(arr)):
        return arr.astype(np.int64)
    if arr.size == 0:
        return arr.astype(np.int64)
    raise ValueError(f"{name}: expected an integer array, got dtype {arr.dtype}")


def check_int(name: str, value, minimum: int = 0) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` if it is not an integer >= ``minimum``.

    Python and NumPy integers pass; ``bool``, floats (even 3.0) and strings do not.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


def check_positive(name: str, value, allow_zero: bool = False) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` if it is not a finite number > 0.

    With ``allow_zero`` 0 passes as well (>= 0).
    """
    bound = ">= 0" if allow_zero else "> 0"
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if isinstance(value, bool) or not np.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise ValueError(f"{name}: expected a finite number {bound}, got {value!r}")
    return v


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """The random generator an ``rng``/``seed`` argument stands for (policy in the module docstring).

    A ``np.random.Generator`` is returned as it is; an integer seed >= 0 gives
    ``np.random.default_rng(seed)``; ``None`` gives a freshly seeded one.
    Anything else raises ``ValueError`` naming ``name``.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0):
        return np.random.default_rng(rng)
    raise ValueError(f"{name}: expected an integer seed >= 0 or a numpy.random.Generator "
                     f"(np.random.default_rng(seed)), got {rng!r}")


def _spec_text(spec: tuple, sizes: tuple) -> str:
    """``(N, D)``, or with the sizes known so far ``(N, D) = (N, 3)``."""
    def tup(items):
        return "(" + ", ".join(str(k) for k in items) + ("," if len(items) == 1 else "") + ")"
    if any(isinstance(s, str) and not isinstance(k, str) for s, k in zip(spec, sizes)):
        return f"{tup(spec)} = {tup(sizes)}"
    return tup(spec)


def check_shape(name: str, a: np.ndarray, spec: tuple, dims: dict) -> None:
    """Check ``a.shape`` against ``spec``, binding dimension letters in ``dims``.

    ``spec`` is a tuple of ints and letters, for example ``("N", "D")`` or
    ``("D", "4H")``. A letter's size is taken from ``dims`` if already bound,
    otherwise bound to what ``a`` has. A leading integer multiplier on a letter
    (``"4H"``) checks a multiple of that letter's size, binding the letter when
    the size divides evenly. The error names the argument, the expected shape
    (letters and, where known, numbers) and the actual shape.
    """
    shape = tuple(np.shape(a))
    ok = len(shape) == len(spec)
    if ok:
        for size, s in zip(shape, spec):
            if isinstance(s, (int, np.integer)):
                ok = size == s
            else:
                mult, letter = _split(s)
                if letter not in dims and size % mult == 0:
                    dims[letter] = size // mult
                ok = letter in dims and size == mult * dims[letter]
            if not ok:
                break
    if ok:
        return
    sizes = tuple(s if isinstance(s, (int, np.integer))
                  else _split(s)[0] * dims[_split(s)[1]] if _split(s)[1] in dims else s
                  for s in spec)
    rank = f"a {len(spec)}-d array of shape " if len(shape) != len(spec) else "shape "
    raise ValueError(f"{name}: expected {rank}{_spec_text(spec, sizes)}, got {shape}")


@lru_cache(maxsize=256)
def _split(s: str) -> tuple[int, str]:
    i = 0
    while i < len(s) and s[i].isdigit():
        i += 1
    return (int(s[:i]) if i else 1), s[i:]


def float_dtype(*arrays: np.ndarray) -> np.dtype:
    """NumPy's promotion of the floating inputs (float32 only if all are float32)."""
    return np.result_type(*arrays)


def prepare(dims: dict, *specs):
    """Validate and cast ``(name, array, shape_spec)`` triples to one float dtype.

    Shapes are checked in order, binding letters in ``dims`` (so list ``Wh``
    (H, kH) before ``Wx`` (D, kH): H is then read off Wh's rows and a wrong
    column count is reported with numbers); ``None`` arrays
    stay ``None`` (the caller decides what they mean). The result dtype is
    NumPy's promotion of the floating inputs.
    """
    arrays = []
    for name, a, spec in specs:
        if a is None:
            arrays.append(None)
            continue
        a = as_float(name, a)
        check_shape(name, a, spec, dims)
        arrays.append(a)
    dtype = float_dtype(*[a for a in arrays if a is not None])
    return dtype, [None if a is None else a.astype(dtype, copy=False) for a in arrays]


def check_cache(cache, cls, made_by: str) -> None:
    """Refuse anything but the NamedTuple the matching forward function returns."""
    if not isinstance(cache, cls):
        raise ValueError(
            f"cache: expected the {cls.__name__} returned by {made_by}, "
            f"got {type(cache).__name__}"
        )


def upstream(name: str, a, shape: tuple, letters: tuple) -> np.ndarray:
    """Validate an upstream gradient against the shape the forward pass produced."""
    dims = dict(zip(letters, shape))
    a = as_float(name, a)
    check_shape(name, a, letters, dims)
    return a
