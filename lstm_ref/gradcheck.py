"""Numerical gradients by central differences, and the relative error used to compare them."""
from __future__ import annotations

import numpy as np

__all__ = ["grad_check", "rel_error"]


def grad_check(f, x, df, h=1e-5):
    """Numerical gradient of the scalar L(x) = Σ f(x) ⊙ df with respect to ``x``.

    ``f``: a function of no arguments that reads ``x`` (typically a closure over
    it) and returns an array shaped like ``df``; ``x``: a float ndarray, any
    shape, changed in place one element at a time and restored; ``df``: the
    upstream gradient, shaped like ``f()``'s output. Central differences:

        ∂L/∂x_k ≈ (L(x + h e_k) − L(x − h e_k)) / (2h)

    Returns an array shaped like ``x`` (float64). Use float64 inputs: in
    float32 the rounding error of ``h`` = 1e-5 swamps the difference.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError("x: expected a floating ndarray that f reads (it is changed in place)")
    df = np.asarray(df)
    if not callable(f):
        raise ValueError("f: expected a function of no arguments returning an array like df")
    grad = np.zeros(x.shape, dtype=np.float64)
    for k in np.ndindex(x.shape):
        old = x[k]
        try:
            x[k] = old + h
            plus = np.asarray(f())
            x[k] = old - h
            minus = np.asarray(f())
        finally:
            x[k] = old
        if plus.shape != df.shape:
            raise ValueError(f"df: expected the shape of f()'s output {plus.shape}, got {df.shape}")
        grad[k] = np.sum((plus - minus) * df) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest elementwise relative error: rel_error = max_k |a_k − b_k| / max(1e-8, |a_k| + |b_k|).

    ``a``, ``b``: arrays of the same shape (broadcastable). Returns a float;
    0 means identical, about 1e-7 or less is what a correct float64 backward
    pass gives against ``grad_check``.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"b: expected the shape of a {a.shape}, got {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
