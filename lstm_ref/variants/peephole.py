"""Peephole LSTM (Gers & Schmidhuber 2000): the gates also look at the cell.

Stacked form with gate order i, f, g, o and peephole weights ``P`` (3, H),
rows for i, f, o (diagonal connections, so an elementwise product)::

    a   = x Wx + h_{t-1} Wh + b                 (N, 4H)
    i   = σ(a_i + P[0] ⊙ c_{t-1})
    f   = σ(a_f + P[1] ⊙ c_{t-1})
    g   = tanh(a_g)
    c_t = f ⊙ c_{t-1} + i ⊙ g
    o   = σ(a_o + P[2] ⊙ c_t)                   the output gate sees the new cell
    h_t = o ⊙ tanh(c_t)

With ``P = 0`` this is exactly the plain LSTM of ``lstm_ref.lstm``.
Reference: F. A. Gers and J. Schmidhuber, "Recurrent nets that time and
count", IJCNN 2000.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..activations import sigmoid, tanh
from ..validate import check_cache, prepare, upstream
from ._common import backward_through_time, forward_through_time, over_time, previous, zeros_if_none

__all__ = [
    "PeepholeStepCache", "PeepholeCache",
    "peephole_step_forward", "peephole_step_backward",
    "peephole_forward", "peephole_backward",
]


class PeepholeStepCache(NamedTuple):
    """One step's values: inputs, weights, gates i, f, g, o (N, H), c_t and tanh(c_t) (N, H)."""
    x: np.ndarray
    prev_h: np.ndarray
    prev_c: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    P: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    next_c: np.ndarray
    tanh_c: np.ndarray


class PeepholeCache(NamedTuple):
    """A sequence's values; every per-step field is (N, T, H) (``x`` is (N, T, D)).

    ``h0``, ``c0`` and the last states ``h_final``, ``c_final`` are (N, H).
    """
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    P: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    h_final: np.ndarray
    c_final: np.ndarray


def peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, P):
    """One peephole LSTM step (equations in the module docstring).

    x: (N, D), prev_h: (N, H), prev_c: (N, H), Wx: (D, 4H), Wh: (H, 4H),
    b: (4H,), P: (3, H) with rows for i, f, o.
    Returns next_h (N, H), next_c (N, H) and a ``PeepholeStepCache``.
    """
    dims: dict = {}
    _, (x, prev_h, prev_c, Wx, Wh, b, P) = prepare(
        dims, ("x", x, ("N", "D")), ("prev_h", prev_h, ("N", "H")),
        ("prev_c", prev_c, ("N", "H")), ("Wx", Wx, ("D", "4H")),
        ("Wh", Wh, ("H", "4H")), ("b", b, ("4H",)), ("P", P, (3, "H")))
    H = dims["H"]
    a = x @ Wx + prev_h @ Wh + b
    i = sigmoid(a[:, :H] + P[0] * prev_c)
    f = sigmoid(a[:, H:2 * H] + P[1] * prev_c)
    g = tanh(a[:, 2 * H:3 * H])
    next_c = f * prev_c + i * g
    o = sigmoid(a[:, 3 * H:] + P[2] * next_c)
    tanh_c = tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, PeepholeStepCache(x, prev_h, prev_c, Wx, Wh, P,
                                             i, f, g, o, next_c, tanh_c)


def peephole_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one peephole LSTM step.

    dnext_h: (N, H), dnext_c: (N, H) or ``None`` (zeros), cache from
    ``peephole_step_forward``. With a_o' = a_o + P[2] ⊙ c_t the output gate's
    pre-activation, the cell collects dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²c_t)
    + P[2] ⊙ da_o', and dprev_c = f ⊙ dc + P[0] ⊙ da_i + P[1] ⊙ da_f.
    Returns dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 4H),
    dWh (H, 4H), db (4H,), dP (3, H).
    """
    check_cache(cache, PeepholeStepCache, "peephole_step_forward")
    x, prev_h, prev_c, Wx, Wh, P, i, f, g, o, next_c, tanh_c = cache
    dnext_h = upstream("dnext_h", dnext_h, next_c.shape, ("N", "H"))
    dnext_c = (np.zeros_like(next_c) if dnext_c is None
               else upstream("dnext_c", dnext_c, next_c.shape, ("N", "H")))

    da_o = dnext_h * tanh_c * o * (1 - o)
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2) + P[2] * da_o
    da_i = dc * g * i * (1 - i)
    da_f = dc * prev_c * f * (1 - f)
    da_g = dc * i * (1 - g ** 2)
    dprev_c = dc * f + P[0] * da_i + P[1] * da_f
    dP = np.stack([(da_i * prev_c).sum(0), (da_f * prev_c).sum(0), (da_o * next_c).sum(0)])

    da = np.concatenate([da_i, da_f, da_g, da_o], axis=1)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(0)
    return dx, dprev_h, dprev_c, dWx, dWh, db, dP


def peephole_forward(x, h0, c0, Wx, Wh, b, P):
    """Run a peephole LSTM over a whole sequence x_1 … x_T.

    x: (N, T, D) with ``x[:, t-1]`` = x_t, h0: (N, H) = h_0 or ``None``
    (zeros), c0: (N, H) = c_0 or ``None`` (zeros), Wx: (D, 4H), Wh: (H, 4H),
    b: (4H,), P: (3, H).
    Applies ``peephole_step_forward`` for t = 1 .. T:
    c_t = f ⊙ c_{t-1} + i ⊙ g, h_t = o ⊙ tanh(c_t) (module docstring).
    Returns h (N, T, H) with ``h[:, t-1]`` = h_t and a ``PeepholeCache``
    (gates i, f, g, o and the cell c over time, each (N, T, H)).
    """
    dims: dict = {}
    dtype, (x, h0, c0, Wh, Wx, b, P) = prepare(
        dims, ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")), ("c0", c0, ("N", "H")),
        ("Wh", Wh, ("H", "4H")), ("Wx", Wx, ("D", "4H")), ("b", b, ("4H",)),
        ("P", P, (3, "H")))
    N, H = dims["N"], dims["H"]
    h0 = zeros_if_none(h0, (N, H), dtype)
    c0 = zeros_if_none(c0, (N, H), dtype)
    h, (h_T, c_T), steps = forward_through_time(peephole_step_forward, x, (h0, c0), (Wx, Wh, b, P))
    cache = PeepholeCache(x, h0, c0, Wx, Wh, b, P,
                          *(over_time(steps, k) for k in ("i", "f", "g", "o", "next_c", "tanh_c")),
                          h=h, h_final=h_T, c_final=c_T)
    return h.copy(), cache


def peephole_backward(dh, cache):
    """Backward pass of ``peephole_forward`` through time.

    dh: (N, T, H), ``dh[:, t-1]`` the loss gradient with respect to h_t (the
    cell states get gradient only through the recurrence).
    Applies ``peephole_step_backward`` for t = T .. 1 and sums its weight
    gradients over time: dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t−1}ᵀ da_t,
    db = Σ_t Σ_n da_t, dP[0] = Σ da_i ⊙ c_{t−1}, dP[1] = Σ da_f ⊙ c_{t−1},
    dP[2] = Σ da_o ⊙ c_t.
    Returns dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H),
    db (4H,), dP (3, H).
    """
    check_cache(cache, PeepholeCache, "peephole_forward")
    dh = upstream("dh", dh, cache.h.shape, ("N", "T", "H"))

    def step_cache(t):
        k = t - 1
        return PeepholeStepCache(cache.x[:, k], previous(cache.h0, cache.h, t),
                                 previous(cache.c0, cache.c, t), cache.Wx, cache.Wh, cache.P,
                                 cache.i[:, k], cache.f[:, k], cache.g[:, k], cache.o[:, k],
                                 cache.c[:, k], cache.tanh_c[:, k])

    dx, (dh0, dc0), (dWx, dWh, db, dP) = backward_through_time(
        peephole_step_backward, dh, step_cache, n_states=2)
    return dx, dh0, dc0, dWx, dWh, db, dP
