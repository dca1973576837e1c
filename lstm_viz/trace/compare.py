"""Cell-by-cell comparison of a run against the reference."""
from __future__ import annotations

import numpy as np

__all__ = ["differing"]


def differing(got: np.ndarray, want: np.ndarray, atol: float = 1e-6, rtol: float = 1e-5) -> np.ndarray:
    """Boolean mask, True where ``|got - want| > atol + rtol |want|`` or either is NaN.

    ``got`` and ``want`` have the same shape (for example (T, H)); so has the mask.
    A NaN or inf the reference does not have always counts as differing.
    """
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        raise ValueError(f"got: expected shape {want.shape} like the reference, got {got.shape}")
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(got - want) <= atol + rtol * np.abs(want)
    return ~close
