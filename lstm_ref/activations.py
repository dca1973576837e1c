"""Activation functions of the gates and their derivatives.

The derivatives are taken at the pre-activation ``x`` (not at the output), so
``sigmoid_grad(x) = σ(x)(1 − σ(x))`` and ``tanh_grad(x) = 1 − tanh²(x)``.
Every function accepts any shape and keeps float32 as float32; integer input
is computed in float64.
"""
from __future__ import annotations

import numpy as np

from .validate import as_float

__all__ = ["sigmoid", "tanh", "sigmoid_grad", "tanh_grad"]


def sigmoid(x):
    """Logistic function σ(x) = 1 / (1 + exp(−x)), stable for every finite x.

    ``x``: any shape; the result has the same shape and dtype.
    Only exp(−|x|) is ever evaluated, which lies in (0, 1], so nothing
    overflows and no warning is raised even at |x| = 1000:
    σ(x) = 1 / (1 + e) for x ≥ 0 and e / (1 + e) for x < 0, with e = exp(−|x|).
    """
    x = as_float("x", x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


def tanh(x):
    """Hyperbolic tangent tanh(x) = (e^x − e^−x) / (e^x + e^−x), values in (−1, 1).

    ``x``: any shape; the result has the same shape and dtype.
    """
    return np.tanh(as_float("x", x))


def sigmoid_grad(x):
    """Derivative of the sigmoid at the pre-activation: σ'(x) = σ(x)(1 − σ(x)).

    ``x``: any shape; the result has the same shape and dtype.
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh_grad(x):
    """Derivative of tanh at the pre-activation: tanh'(x) = 1 − tanh²(x).

    ``x``: any shape; the result has the same shape and dtype.
    """
    t = tanh(x)
    return 1.0 - t * t
