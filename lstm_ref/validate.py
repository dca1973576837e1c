"""Input checking shared by every public function of ``lstm_ref`` and by ``lstm_viz``.

A wrong shape or dtype raises ``ValueError`` naming the argument, the expected
shape (in dimension letters and, where known, numbers) and the actual shape.
Integer and boolean inputs are computed in float64; float32 stays float32.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["as_float", "as_int", "check_shape", "float_dtype", "prepare", "check_cache", "upstream"]

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


def _describe(spec, dims) -> str:
    letters = ", ".join(str(s) for s in spec)
    if len(spec) == 1:
        letters += ","
    known = [dims.get(s, s) if isinstance(s, str) else s for s in spec]
    if all(isinstance(k, (int, np.integer)) for k in known) and any(isinstance(s, str) for s in spec):
        nums = ", ".join(str(int(k)) for k in known)
        if len(known) == 1:
            nums += ","
        return f"({letters}) = ({nums})"
    return f"({letters})"


def check_shape(name: str, a: np.ndarray, spec: tuple, dims: dict) -> None:
    """Check ``a.shape`` against ``spec``, binding dimension letters in ``dims``.

    ``spec`` is a tuple of ints and letters, for example ``("N", "D")`` or
    ``("D", "4H")``. A letter's size is taken from ``dims`` if already bound,
    otherwise bound to what ``a`` has. A leading integer multiplier on a letter
    (``"4H"``) checks a multiple of that letter's size, binding the letter when
    the size divides evenly.
    """
    shape = np.shape(a)
    if len(shape) != len(spec):
        raise ValueError(
            f"{name}: expected a {len(spec)}-d array of shape {_describe(spec, dims)}, "
            f"got shape {tuple(shape)}"
        )
    for size, s in zip(shape, spec):
        if isinstance(s, (int, np.integer)):
            if size != s:
                break
            continue
        mult, letter = _split(s)
        if letter in dims:
            if size != mult * dims[letter]:
                break
        else:
            if size % mult:
                break
            dims[letter] = size // mult
    else:
        return
    expected = tuple(
        s if isinstance(s, (int, np.integer)) else _split(s)[0] * dims[_split(s)[1]]
        if _split(s)[1] in dims else s
        for s in spec
    )
    letters = ", ".join(str(s) for s in spec) + ("," if len(spec) == 1 else "")
    numbers = ", ".join(str(e) for e in expected) + ("," if len(spec) == 1 else "")
    raise ValueError(
        f"{name}: expected shape ({letters}) = ({numbers}), got {tuple(shape)}"
    )


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
