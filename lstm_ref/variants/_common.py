"""What the three variants share: input preparation and time-major buffers.

The sequence functions keep their per-step buffers time-major, (T, N, H), so
that step ``t`` is one contiguous block; the caches expose them as (N, T, H)
views (``batch_major``), and the backward passes turn those views back into
the contiguous buffers (``time_major``) without a copy.
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float, check_shape, float_dtype

__all__: list[str] = []


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


def zeros_if_none(a, shape: tuple, dtype) -> np.ndarray:
    """An initial state: ``a`` itself, or zeros of ``shape`` when ``a`` is ``None``."""
    return np.zeros(shape, dtype) if a is None else a


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


def time_major(a: np.ndarray) -> np.ndarray:
    """(N, T, ...) -> (T, N, ...) view."""
    return a.swapaxes(0, 1)


def batch_major(a: np.ndarray) -> np.ndarray:
    """(T, N, ...) -> (N, T, ...) view."""
    return a.swapaxes(0, 1)


def shifted(first: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """The previous state at every step, time-major: [first, seq[0], ..., seq[T-2]]."""
    out = np.empty(seq.shape, dtype=np.result_type(first, seq))
    if len(seq):
        out[0] = first
        out[1:] = seq[:-1]
    return out
