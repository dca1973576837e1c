"""Gated recurrent unit with PyTorch's equations (Cho et al. 2014; ``torch.nn.GRU``).

Gate order r (reset), z (update), n (new); input and hidden biases are kept
apart because the reset gate multiplies the hidden part of n *with* its bias::

    ax = x Wx + bx                    (N, 3H), parts ax_r, ax_z, ax_n
    ah = h_{t-1} Wh + bh              (N, 3H), parts ah_r, ah_z, ah_n
    r  = σ(ax_r + ah_r)
    z  = σ(ax_z + ah_z)
    n  = tanh(ax_n + r ⊙ ah_n)
    h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}

Shapes: Wx (D, 3H), Wh (H, 3H), bx (3H,), bh (3H,). PyTorch stores the
transposes: ``weight_ih`` (3H, D) = Wxᵀ, ``weight_hh`` (3H, H) = Whᵀ.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..activations import sigmoid, tanh
from ..layout import from_torch_gru  # re-exported: the layout module owns the conversions
from ..validate import check_cache, prepare, upstream
from ._common import backward_through_time, forward_through_time, over_time, previous, zeros_if_none

__all__ = [
    "GRUStepCache", "GRUCache",
    "gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward",
    "from_torch_gru", "to_torch_gru",
]


class GRUStepCache(NamedTuple):
    """One step's values: inputs, weights; r, z, n and ah_n = h_{t-1} W_hn + b_hn, each (N, H)."""
    x: np.ndarray
    prev_h: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    ah_n: np.ndarray


class GRUCache(NamedTuple):
    """A sequence's values; every per-step field is (N, T, H) (``x`` is (N, T, D)).

    ``h0`` and ``h_final`` are (N, H).
    """
    x: np.ndarray
    h0: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    bx: np.ndarray
    bh: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    ah_n: np.ndarray
    h: np.ndarray
    h_final: np.ndarray


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    """One GRU step (equations in the module docstring).

    x: (N, D), prev_h: (N, H), Wx: (D, 3H), Wh: (H, 3H), bx: (3H,), bh: (3H,).
    Returns next_h (N, H) and a ``GRUStepCache``.
    """
    dims: dict = {}
    _, (x, prev_h, Wx, Wh, bx, bh) = prepare(
        dims, ("x", x, ("N", "D")), ("prev_h", prev_h, ("N", "H")),
        ("Wx", Wx, ("D", "3H")), ("Wh", Wh, ("H", "3H")),
        ("bx", bx, ("3H",)), ("bh", bh, ("3H",)))
    H = dims["H"]
    ax = x @ Wx + bx
    ah = prev_h @ Wh + bh
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    ah_n = ah[:, 2 * H:]
    n = tanh(ax[:, 2 * H:] + r * ah_n)
    next_h = (1 - z) * n + z * prev_h
    return next_h, GRUStepCache(x, prev_h, Wx, Wh, r, z, n, ah_n)


def gru_step_backward(dnext_h, cache):
    """Backward pass of one GRU step.

    dnext_h: (N, H), cache from ``gru_step_forward``. With
    dn = dnext_h ⊙ (1 − z), dz = dnext_h ⊙ (h_{t−1} − n) and
    da_n = dn ⊙ (1 − n²): the input side gets dax = [da_r, da_z, da_n], the
    hidden side dah = [da_r, da_z, r ⊙ da_n] (r scales ah_n, bias included),
    and dprev_h = dnext_h ⊙ z + dah Whᵀ.
    Returns dx (N, D), dprev_h (N, H), dWx (D, 3H), dWh (H, 3H), dbx (3H,), dbh (3H,).
    """
    check_cache(cache, GRUStepCache, "gru_step_forward")
    x, prev_h, Wx, Wh, r, z, n, ah_n = cache
    dnext_h = upstream("dnext_h", dnext_h, n.shape, ("N", "H"))

    da_n = dnext_h * (1 - z) * (1 - n ** 2)
    da_z = dnext_h * (prev_h - n) * z * (1 - z)
    da_r = da_n * ah_n * r * (1 - r)
    dax = np.concatenate([da_r, da_z, da_n], axis=1)
    dah = np.concatenate([da_r, da_z, r * da_n], axis=1)

    dx = dax @ Wx.T
    dprev_h = dnext_h * z + dah @ Wh.T
    dWx = x.T @ dax
    dWh = prev_h.T @ dah
    dbx = dax.sum(0)
    dbh = dah.sum(0)
    return dx, dprev_h, dWx, dWh, dbx, dbh


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """Run a GRU over a whole sequence x_1 … x_T, like ``torch.nn.GRU(batch_first=True)``.

    x: (N, T, D) with ``x[:, t-1]`` = x_t, h0: (N, H) = h_0 or ``None``
    (zeros), Wx: (D, 3H), Wh: (H, 3H), bx: (3H,), bh: (3H,).
    Applies ``gru_step_forward`` for t = 1 .. T: h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}.
    Returns h (N, T, H) with ``h[:, t-1]`` = h_t and a ``GRUCache`` (gates r,
    z, n over time, each (N, T, H)).
    """
    dims: dict = {}
    dtype, (x, h0, Wh, Wx, bx, bh) = prepare(
        dims, ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")),
        ("Wh", Wh, ("H", "3H")), ("Wx", Wx, ("D", "3H")),
        ("bx", bx, ("3H",)), ("bh", bh, ("3H",)))
    h0 = zeros_if_none(h0, (dims["N"], dims["H"]), dtype)
    h, (h_T,), steps = forward_through_time(gru_step_forward, x, (h0,), (Wx, Wh, bx, bh))
    cache = GRUCache(x, h0, Wx, Wh, bx, bh, *(over_time(steps, k) for k in ("r", "z", "n", "ah_n")),
                     h=h, h_final=h_T)
    return h.copy(), cache


def gru_backward(dh, cache):
    """Backward pass of ``gru_forward`` through time.

    dh: (N, T, H), ``dh[:, t-1]`` the loss gradient with respect to h_t.
    Applies ``gru_step_backward`` for t = T .. 1 and sums its weight gradients
    over time: dWx = Σ_t x_tᵀ dax_t, dWh = Σ_t h_{t−1}ᵀ dah_t, dbx = Σ dax_t, dbh = Σ dah_t.
    Returns dx (N, T, D), dh0 (N, H), dWx (D, 3H), dWh (H, 3H), dbx (3H,), dbh (3H,).
    """
    check_cache(cache, GRUCache, "gru_forward")
    dh = upstream("dh", dh, cache.h.shape, ("N", "T", "H"))

    def step_cache(t):
        k = t - 1
        return GRUStepCache(cache.x[:, k], previous(cache.h0, cache.h, t), cache.Wx, cache.Wh,
                            cache.r[:, k], cache.z[:, k], cache.n[:, k], cache.ah_n[:, k])

    dx, (dh0,), (dWx, dWh, dbx, dbh) = backward_through_time(gru_step_backward, dh, step_cache, n_states=1)
    return dx, dh0, dWx, dWh, dbx, dbh


def to_torch_gru(Wx, Wh, bx, bh):
    """Ours -> PyTorch's GRU layout, the inverse of ``lstm_ref.from_torch_gru``.

    Wx: (D, 3H), Wh: (H, 3H), bx: (3H,), bh: (3H,). Returns weight_ih (3H, D),
    weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,) as NumPy arrays (wrap them
    with ``torch.from_numpy`` to copy into an ``nn.GRU``).
    """
    dims: dict = {}
    _, (Wh, Wx, bx, bh) = prepare(
        dims, ("Wh", Wh, ("H", "3H")), ("Wx", Wx, ("D", "3H")),
        ("bx", bx, ("3H",)), ("bh", bh, ("3H",)))
    return (np.ascontiguousarray(Wx.T), np.ascontiguousarray(Wh.T), bx.copy(), bh.copy())
