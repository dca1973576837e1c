"""Losses for sequence models, each returning ``(loss, dscores)``.

The gradients are exact (checked against central differences in
``tests/test_ref_losses_optim.py``), so a student's backward pass can be
checked end to end with ``grad_check``.

Shapes: N batch, T time, V vocabulary (or classes), K outputs.
"""
from __future__ import annotations

import numpy as np

from .validate import as_float, as_int, check_shape

__all__ = ["softmax", "log_softmax", "temporal_softmax_loss", "perplexity", "mse_loss"]


def log_softmax(scores, axis: int = -1) -> np.ndarray:
    """log softmax(s)_k = s_k − log Σ_j exp(s_j), along ``axis``.

    The maximum is subtracted first, so scores of ±1000 neither overflow nor
    warn. ``scores`` may have any shape; the result has the same shape.
    """
    s = as_float("scores", scores)
    shifted = s - np.max(s, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(scores, axis: int = -1) -> np.ndarray:
    """softmax(s)_k = exp(s_k) / Σ_j exp(s_j), along ``axis`` (any shape, same shape out)."""
    return np.exp(log_softmax(scores, axis=axis))


def temporal_softmax_loss(scores, y, mask=None):
    """Mean cross-entropy of the true tokens over every unmasked time step.

        loss = −(1 / M) Σ_{n,t: mask[n,t]} log softmax(scores[n, t])[y[n, t]],
        M = number of unmasked tokens.

    The mean is over tokens, not sequences (our documented choice, unlike
    CS231n's sum over time divided by N): the loss is then a mean negative
    log-likelihood per token, so ``perplexity(loss)`` is the usual per-token
    perplexity and the scale does not change with T or padding.

    Args:
        scores: (N, T, V) unnormalised log-probabilities.
        y: (N, T) integer targets in [0, V). Masked positions may hold any
            integer in that range (0 is the usual padding id).
        mask: (N, T) bool, True where a token counts; ``None`` means all count.

    Returns:
        loss: float, the mean negative log-likelihood.
        dscores: (N, T, V) gradient of ``loss`` with respect to ``scores``
            (zero at masked positions), in the dtype of ``scores``.
    """
    s = as_float("scores", scores)
    dims: dict = {}
    check_shape("scores", s, ("N", "T", "V"), dims)
    y = as_int("y", y)
    check_shape("y", y, ("N", "T"), dims)
    V = dims["V"]
    if y.size and (y.min() < 0 or y.max() >= V):
        raise ValueError(f"y: expected token ids in [0, V) = [0, {V}), got values in "
                         f"[{y.min()}, {y.max()}]")
    if mask is None:
        m = np.ones(y.shape, dtype=bool)
    else:
        m = np.asarray(mask)
        if m.dtype != np.bool_:
            raise ValueError(f"mask: expected a bool array, got dtype {m.dtype}")
        check_shape("mask", m, ("N", "T"), dims)
    count = int(m.sum())
    if count == 0:
        raise ValueError("mask: selects no token, so the mean loss is undefined")

    logp = log_softmax(s, axis=-1)                                   # (N, T, V)
    nll = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]   # (N, T)
    loss = float(np.sum(nll[m]) / count)

    dscores = np.exp(logp)
    np.put_along_axis(dscores, y[..., None],
                      np.take_along_axis(dscores, y[..., None], axis=-1) - 1, axis=-1)
    dscores *= (m / count)[..., None].astype(s.dtype)
    return loss, dscores.astype(s.dtype, copy=False)


def perplexity(mean_nll) -> float:
    """perplexity = exp(mean negative log-likelihood per token).

    A model that spreads its probability evenly over k symbols has
    perplexity k, which is why the number reads as "how many choices the
    model is still hesitating between".
    """
    value = float(mean_nll)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"mean_nll: expected a finite value >= 0, got {value}")
    # Overflow past e^709 would warn; an infinite perplexity is the honest answer.
    return float(np.exp(value)) if value < 709 else float("inf")


def mse_loss(pred, target):
    """Mean squared error, for regression heads (the adding problem).

        loss = (1 / (N K)) Σ_{n,k} (pred[n, k] − target[n, k])²
        dpred = 2 (pred − target) / (N K)

    Args:
        pred: (N,) or (N, K) predictions.
        target: the same shape as ``pred``.

    Returns:
        loss: float; dpred: gradient with the shape and dtype of ``pred``.
    """
    p = as_float("pred", pred)
    t = as_float("target", target)
    if p.ndim not in (1, 2):
        raise ValueError(f"pred: expected shape (N,) or (N, K), got {p.shape}")
    if t.shape != p.shape:
        raise ValueError(f"target: expected the shape of pred {p.shape}, got {t.shape}")
    if p.size == 0:
        raise ValueError("pred: is empty, so the mean loss is undefined")
    diff = p - t.astype(p.dtype, copy=False)
    loss = float(np.mean(diff * diff))
    return loss, (2.0 / p.size) * diff
