"""One-hot encoding of integer ids."""
from __future__ import annotations

import numpy as np

from ..validate import as_int, check_int

__all__ = ["one_hot"]


def one_hot(ids, V: int, dtype=np.float64) -> np.ndarray:
    """out[..., k] = 1 if ids[...] == k else 0.

    Args:
        ids: integer array of any shape, for example (N, T), values in [0, V).
        V: vocabulary size.

    Returns:
        (*ids.shape, V) array of ``dtype``.
    """
    ids = as_int("ids", ids)
    V = check_int("V", V, 1)
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"ids: expected values in [0, V) = [0, {V}), "
                         f"got values in [{ids.min()}, {ids.max()}]")
    return (ids[..., None] == np.arange(V)).astype(dtype)
