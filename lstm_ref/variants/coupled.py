"""LSTM with coupled forget and input gates: what is forgotten is replaced.

One gate decides both how much of the old cell to keep and how much of the
candidate to write, i = 1 − f (Greff et al. 2017, "LSTM: a search space
odyssey", the CIFG variant). Stacked form with gate order f, g, o::

    a   = x Wx + h_{t-1} Wh + b                 (N, 3H)
    f   = σ(a_f)
    g   = tanh(a_g)
    c_t = f ⊙ c_{t-1} + (1 − f) ⊙ g
    o   = σ(a_o)
    h_t = o ⊙ tanh(c_t)

Shapes: Wx (D, 3H), Wh (H, 3H), b (3H,).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..activations import sigmoid, tanh
from ..validate import check_cache, prepare, upstream
from ._common import batch_major, shifted, time_major, zeros_if_none

__all__ = [
    "CoupledStepCache", "CoupledCache",
    "coupled_step_forward", "coupled_step_backward",
    "coupled_forward", "coupled_backward",
]


class CoupledStepCache(NamedTuple):
    """One step's values: inputs, weights, gates f, g, o (N, H), c_t and tanh(c_t)."""
    x: np.ndarray
    prev_h: np.ndarray
    prev_c: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    next_c: np.ndarray
    tanh_c: np.ndarray

    @property
    def i(self) -> np.ndarray:
        """The implied input gate 1 − f (N, H)."""
        return 1 - self.f


class CoupledCache(NamedTuple):
    """A sequence's values; every per-step field is (N, T, H) (``x`` is (N, T, D)).

    ``i`` (= 1 − f) is a property. ``h0``, ``c0`` and the last states
    ``h_final``, ``c_final`` are (N, H).
    """
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    h_final: np.ndarray
    c_final: np.ndarray

    @property
    def i(self) -> np.ndarray:
        """The implied input gate 1 − f over time (N, T, H)."""
        return 1 - self.f


def coupled_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One coupled-gate LSTM step (equations in the module docstring).

    x: (N, D), prev_h: (N, H), prev_c: (N, H), Wx: (D, 3H), Wh: (H, 3H), b: (3H,).
    Returns next_h (N, H), next_c (N, H) and a ``CoupledStepCache``.
    """
    dims: dict = {}
    _, (x, prev_h, prev_c, Wx, Wh, b) = prepare(
        dims, ("x", x, ("N", "D")), ("prev_h", prev_h, ("N", "H")),
        ("prev_c", prev_c, ("N", "H")), ("Wx", Wx, ("D", "3H")),
        ("Wh", Wh, ("H", "3H")), ("b", b, ("3H",)))
    H = dims["H"]
    a = x @ Wx + prev_h @ Wh + b
    f = sigmoid(a[:, :H])
    g = tanh(a[:, H:2 * H])
    o = sigmoid(a[:, 2 * H:])
    next_c = f * prev_c + (1 - f) * g
    tanh_c = tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, CoupledStepCache(x, prev_h, prev_c, Wx, Wh, f, g, o, next_c, tanh_c)


def coupled_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one coupled-gate LSTM step.

    dnext_h: (N, H), dnext_c: (N, H) or ``None`` (zeros), cache from
    ``coupled_step_forward``. With dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²c_t):
    df = dc ⊙ (c_{t−1} − g) (f both keeps the old cell and shuts the candidate
    out), dg = dc ⊙ (1 − f), dprev_c = dc ⊙ f.
    Returns dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 3H),
    dWh (H, 3H), db (3H,).
    """
    check_cache(cache, CoupledStepCache, "coupled_step_forward")
    x, prev_h, prev_c, Wx, Wh, f, g, o, next_c, tanh_c = cache
    dnext_h = upstream("dnext_h", dnext_h, next_c.shape, ("N", "H"))
    dnext_c = (np.zeros_like(next_c) if dnext_c is None
               else upstream("dnext_c", dnext_c, next_c.shape, ("N", "H")))

    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    da_f = dc * (prev_c - g) * f * (1 - f)
    da_g = dc * (1 - f) * (1 - g ** 2)
    da_o = dnext_h * tanh_c * o * (1 - o)
    dprev_c = dc * f

    da = np.concatenate([da_f, da_g, da_o], axis=1)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(0)
    return dx, dprev_h, dprev_c, dWx, dWh, db


def coupled_forward(x, h0, c0, Wx, Wh, b):
    """Run a coupled-gate LSTM over a whole sequence.

    x: (N, T, D), h0: (N, H) or ``None`` (zeros), c0: (N, H) or ``None``
    (zeros), Wx: (D, 3H), Wh: (H, 3H), b: (3H,).
    Applies ``coupled_step_forward`` for t = 0 .. T−1; the input projection
    x Wx + b of every step is one matrix product before the loop.
    Returns h (N, T, H) and a ``CoupledCache`` (gates f, g, o, i = 1 − f and
    the cell c over time, each (N, T, H)).
    """
    dims: dict = {}
    dtype, (x, h0, c0, Wh, Wx, b) = prepare(
        dims, ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")), ("c0", c0, ("N", "H")),
        ("Wh", Wh, ("H", "3H")), ("Wx", Wx, ("D", "3H")), ("b", b, ("3H",)))
    N, T, D = x.shape
    H = dims["H"]
    h0 = zeros_if_none(h0, (N, H), dtype)
    c0 = zeros_if_none(c0, (N, H), dtype)

    x_tm = np.ascontiguousarray(time_major(x))                       # (T, N, D)
    a_all = (x_tm.reshape(T * N, D) @ Wx + b).reshape(T, N, 3 * H)
    f, g, o, c, tanh_c, h = (np.empty((T, N, H), dtype) for _ in range(6))
    prev_h, prev_c = h0, c0
    for t in range(T):
        a = a_all[t]
        a += prev_h @ Wh
        f[t] = sigmoid(a[:, :H])
        g[t] = tanh(a[:, H:2 * H])
        o[t] = sigmoid(a[:, 2 * H:])
        c[t] = g[t] + f[t] * (prev_c - g[t])      # = f ⊙ c_{t−1} + (1 − f) ⊙ g
        tanh_c[t] = tanh(c[t])
        h[t] = o[t] * tanh_c[t]
        prev_h, prev_c = h[t], c[t]
    cache = CoupledCache(batch_major(x_tm), h0, c0, Wx, Wh, b,
                         *(batch_major(a) for a in (f, g, o, c, tanh_c, h)),
                         h_final=prev_h, c_final=prev_c)
    return np.ascontiguousarray(batch_major(h)), cache


def coupled_backward(dh, cache):
    """Backward pass of ``coupled_forward`` through time.

    dh: (N, T, H), the loss gradient with respect to every hidden state.
    Weight gradients are summed over time after the loop:
    dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t−1}ᵀ da_t, db = Σ_t Σ_n da_t.
    Returns dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    check_cache(cache, CoupledCache, "coupled_forward")
    dh = upstream("dh", dh, cache.h.shape, ("N", "T", "H"))
    N, T, H = cache.h.shape
    D = cache.x.shape[2]
    dh_tm = time_major(dh)
    f, g, o, c, tanh_c, h = (time_major(a) for a in
                             (cache.f, cache.g, cache.o, cache.c, cache.tanh_c, cache.h))
    prev_c_all = shifted(cache.c0, c)
    dtype = np.result_type(dh, c)
    da_all = np.empty((T, N, 3 * H), dtype)
    Wh_T = np.ascontiguousarray(cache.Wh.T)      # a contiguous copy makes the per-step GEMM faster
    dnext_h = np.zeros((N, H), dtype)
    dnext_c = np.zeros((N, H), dtype)
    for t in reversed(range(T)):
        dh_t = dh_tm[t] + dnext_h
        dc = dnext_c + dh_t * o[t] * (1 - tanh_c[t] ** 2)
        da = da_all[t]
        da[:, :H] = dc * (prev_c_all[t] - g[t]) * f[t] * (1 - f[t])
        da[:, H:2 * H] = dc * (1 - f[t]) * (1 - g[t] ** 2)
        da[:, 2 * H:] = dh_t * tanh_c[t] * o[t] * (1 - o[t])
        dnext_c = dc * f[t]
        dnext_h = da @ Wh_T

    da_flat = da_all.reshape(T * N, 3 * H)
    x_flat = time_major(cache.x).reshape(T * N, D)
    prev_h_flat = shifted(cache.h0, h).reshape(T * N, H)
    dWx = x_flat.T @ da_flat
    dWh = prev_h_flat.T @ da_flat
    db = da_flat.sum(0)
    dx = np.ascontiguousarray(batch_major((da_flat @ cache.Wx.T).reshape(T, N, D)))
    return dx, dnext_h, dnext_c, dWx, dWh, db
