"""What the three variants share: initial states and time-major buffers.

The sequence functions keep their per-step buffers time-major, (T, N, H), so
that step ``t`` is one contiguous block; the caches expose them as (N, T, H)
views (``batch_major``), and the backward passes turn those views back into
the contiguous buffers (``time_major``) without a copy.
"""
from __future__ import annotations

import numpy as np


__all__: list[str] = []


def zeros_if_none(a, shape: tuple, dtype) -> np.ndarray:
    """An initial state: ``a`` itself, or zeros of ``shape`` when ``a`` is ``None``."""
    return np.zeros(shape, dtype) if a is None else a


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
