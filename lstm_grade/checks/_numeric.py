"""The checks' own NumPy primitives, used by the wrong variants.

Kept separate from ``lstm_ref`` on purpose: the variants must not depend on
the code under comparison, and the integrity checks trip-wire these too, so
an answer cannot borrow them.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sig", "tanh", "dsig_from_out", "dtanh_from_out", "softmax", "affine_hx"]


def sig(z: np.ndarray) -> np.ndarray:
    """Stable logistic σ(z) = 1 / (1 + exp(−z)); any shape, keeps the dtype."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z), any shape."""
    return np.tanh(z)


def dsig_from_out(s: np.ndarray) -> np.ndarray:
    """σ'(z) written with the output s = σ(z): s (1 − s)."""
    return s * (1.0 - s)


def dtanh_from_out(t: np.ndarray) -> np.ndarray:
    """tanh'(z) written with the output t = tanh(z): 1 − t²."""
    return 1.0 - t * t


def softmax(z: np.ndarray) -> np.ndarray:
    """softmax over the last axis, shifted by the max so nothing overflows."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def affine_hx(first: np.ndarray, second: np.ndarray, W: np.ndarray, b) -> np.ndarray:
    """W · [first, second] + b in row form: [first, second] (N, K) @ Wᵀ (K, H) + b (H,)."""
    z = np.concatenate([first, second], axis=1) @ W.T
    return z if b is None else z + b
