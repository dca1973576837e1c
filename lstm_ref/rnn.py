"""The plain (Elman) RNN with a tanh nonlinearity, PyTorch's ``nn.RNN``:

    h_t = tanh(x_t Wx + h_{t-1} Wh + b)

``x_t`` (N, D), ``h_t`` (N, H), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,). The
input sequence is x_1 … x_T, the initial state h_0 (the ``h0`` argument), the
outputs h_1 … h_T; arrays are 0-based: ``x[:, t-1]`` holds x_t, ``h[:, t-1]`` h_t.
``rnn_forward``/``rnn_backward`` use the same two speed-ups as the LSTM: the
input projection for all time steps is one GEMM, and the weight gradients are
GEMMs after the backward loop; a test compares them with a loop of the steps.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import check_cache, prepare, upstream

__all__ = [
    "RNNStepCache",
    "RNNCache",
    "rnn_step_forward",
    "rnn_step_backward",
    "rnn_forward",
    "rnn_backward",
]


class RNNStepCache(NamedTuple):
    """``x`` (N, D), ``prev_h`` (N, H), ``Wx`` (D, H), ``Wh`` (H, H), ``next_h`` (N, H)."""

    x: np.ndarray
    prev_h: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    next_h: np.ndarray


class RNNCache(NamedTuple):
    """``x`` (N, T, D), ``h0`` (N, H), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,),
    ``h`` (N, T, H) the hidden states h_1 … h_T; ``h_all`` (N, T + 1, H) is h_0 … h_T,
    so ``h_all[:, t]`` is h_t (``h`` is a view into it)."""

    x: np.ndarray
    h0: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    h: np.ndarray
    h_all: np.ndarray


def _weight_specs(Wx, Wh, b):
    # The weights define the model, so they fix H and D; the data must match them.
    return ("Wh", Wh, ("H", "H")), ("Wx", Wx, ("D", "H")), ("b", b, ("H",))


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One RNN step: next_h = tanh(x Wx + prev_h Wh + b), h_t from x_t and h_{t-1}.

    Inputs: ``x`` (N, D) = x_t, ``prev_h`` (N, H) = h_{t-1}, ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,).
    Returns ``(next_h, cache)``: ``next_h`` (N, H) and an ``RNNStepCache``.
    """
    dims: dict = {}
    dtype, (Wh, Wx, b, x, prev_h) = prepare(
        dims, *_weight_specs(Wx, Wh, b), ("x", x, ("N", "D")), ("prev_h", prev_h, ("N", "H")))
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b).astype(dtype, copy=False)
    return next_h, RNNStepCache(x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache: RNNStepCache):
    """Backward pass of one RNN step.

    Inputs: ``dnext_h`` (N, H), the upstream gradient; ``cache`` from ``rnn_step_forward``.

        da = dnext_h ⊙ (1 − next_h²)                 (N, H)
        dx = da Wxᵀ;  dprev_h = da Whᵀ;  dWx = xᵀ da;  dWh = prev_hᵀ da;  db = Σ_n da

    Returns ``(dx, dprev_h, dWx, dWh, db)``: (N, D), (N, H), (D, H), (H, H), (H,).
    """
    check_cache(cache, RNNStepCache, "rnn_step_forward")
    dnext_h = upstream("dnext_h", dnext_h, cache.next_h.shape, ("N", "H"))
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a sequence: h_t = tanh(x_t Wx + h_{t-1} Wh + b) for t = 1 .. T.

    Inputs: ``x`` (N, T, D) with ``x[:, t-1]`` = x_t, ``h0`` (N, H) = h_0,
    ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,).
    Returns ``(h, cache)``: ``h`` (N, T, H) with ``h[:, t-1]`` = h_t, and an ``RNNCache``.
    """
    dims: dict = {}
    dtype, (Wh, Wx, b, x, h0) = prepare(
        dims, *_weight_specs(Wx, Wh, b), ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")))
    N, T, D, H = dims["N"], dims["T"], dims["D"], dims["H"]
    if T < 1:
        raise ValueError(f"x: expected at least one time step, shape (N, T, D) with T >= 1, got {x.shape}")
    x = np.ascontiguousarray(x)

    Hs = np.empty((N, T + 1, H), dtype)
    Hs[:, 0] = h0
    # The input projection of every step in one GEMM, written where h_t will go
    # (Hs[:, t] holds h_t, Hs[:, 0] h_0).
    Hs[:, 1:] = (x.reshape(N * T, D) @ Wx).reshape(N, T, H)
    Hs[:, 1:] += b
    tmp = np.empty((N, H), dtype)
    for t in range(1, T + 1):
        h = Hs[:, t]
        np.matmul(Hs[:, t - 1], Wh, out=tmp)
        np.add(h, tmp, out=h)
        np.tanh(h, out=h)
    return Hs[:, 1:].copy(), RNNCache(x, h0, Wx, Wh, b, Hs[:, 1:], Hs)


def rnn_backward(dh, cache: RNNCache):
    """Backward pass of ``rnn_forward``.

    Inputs: ``dh`` (N, T, H), ``dh[:, t-1]`` the upstream gradient of h_t; ``cache`` from ``rnn_forward``.
    For t = T .. 1: da_t = (dh_t + dh_next) ⊙ (1 − h_t²), where dh_next (zero at t = T)
    is what step t+1 sent back to h_t; then dh_next = da_t Whᵀ (after t = 1, dh0);
    then dx_t = da_t Wxᵀ, dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t-1}ᵀ da_t, db = Σ_t Σ_n da_t.

    Returns ``(dx, dh0, dWx, dWh, db)``: (N, T, D), (N, H), (D, H), (H, H), (H,).
    """
    check_cache(cache, RNNCache, "rnn_forward")
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    dh = upstream("dh", dh, (N, T, H), ("N", "T", "H"))
    dtype = np.result_type(cache.x.dtype, dh.dtype)
    dA = np.empty((N, T, H), dtype)
    np.multiply(cache.h, cache.h, out=dA)
    np.subtract(1.0, dA, out=dA)  # tanh' = 1 − h², for every step at once
    WhT = np.ascontiguousarray(cache.Wh.T, dtype=dtype)
    dh_next = np.zeros((N, H), dtype)
    for t in range(T, 0, -1):
        da = dA[:, t - 1]
        np.add(dh[:, t - 1], dh_next, out=dh_next)
        np.multiply(da, dh_next, out=da)
        np.matmul(da, WhT, out=dh_next)
    dA2 = dA.reshape(N * T, H)
    dx = (dA2 @ cache.Wx.T).reshape(N, T, D)
    dWx = cache.x.reshape(N * T, D).T @ dA2
    dWh = cache.h_all[:, :T].reshape(N * T, H).T @ dA2
    return dx, dh_next, dWx, dWh, dA2.sum(axis=0)
