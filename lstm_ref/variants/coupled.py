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
from ._common import backward_through_time, forward_through_time, over_time, previous, zeros_if_none

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
    """Run a coupled-gate LSTM over a whole sequence x_1 … x_T.

    x: (N, T, D) with ``x[:, t-1]`` = x_t, h0: (N, H) = h_0 or ``None``
    (zeros), c0: (N, H) = c_0 or ``None`` (zeros), Wx: (D, 3H), Wh: (H, 3H), b: (3H,).
    Applies ``coupled_step_forward`` for t = 1 .. T:
    c_t = f ⊙ c_{t-1} + (1 − f) ⊙ g, h_t = o ⊙ tanh(c_t).
    Returns h (N, T, H) with ``h[:, t-1]`` = h_t and a ``CoupledCache``
    (gates f, g, o, i = 1 − f and the cell c over time, each (N, T, H)).
    """
    dims: dict = {}
    dtype, (x, h0, c0, Wh, Wx, b) = prepare(
        dims, ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")), ("c0", c0, ("N", "H")),
        ("Wh", Wh, ("H", "3H")), ("Wx", Wx, ("D", "3H")), ("b", b, ("3H",)))
    N, H = dims["N"], dims["H"]
    h0 = zeros_if_none(h0, (N, H), dtype)
    c0 = zeros_if_none(c0, (N, H), dtype)
    h, (h_T, c_T), steps = forward_through_time(coupled_step_forward, x, (h0, c0), (Wx, Wh, b))
    cache = CoupledCache(x, h0, c0, Wx, Wh, b,
                         *(over_time(steps, k) for k in ("f", "g", "o", "next_c", "tanh_c")),
                         h=h, h_final=h_T, c_final=c_T)
    return h.copy(), cache


def coupled_backward(dh, cache):
    """Backward pass of ``coupled_forward`` through time.

    dh: (N, T, H), ``dh[:, t-1]`` the loss gradient with respect to h_t.
    Applies ``coupled_step_backward`` for t = T .. 1 and sums its weight
    gradients over time: dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t−1}ᵀ da_t, db = Σ_t Σ_n da_t.
    Returns dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    check_cache(cache, CoupledCache, "coupled_forward")
    dh = upstream("dh", dh, cache.h.shape, ("N", "T", "H"))

    def step_cache(t):
        k = t - 1
        return CoupledStepCache(cache.x[:, k], previous(cache.h0, cache.h, t),
                                previous(cache.c0, cache.c, t), cache.Wx, cache.Wh,
                                cache.f[:, k], cache.g[:, k], cache.o[:, k],
                                cache.c[:, k], cache.tanh_c[:, k])

    dx, (dh0, dc0), (dWx, dWh, db) = backward_through_time(
        coupled_step_backward, dh, step_cache, n_states=2)
    return dx, dh0, dc0, dWx, dWh, db
