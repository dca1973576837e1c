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
from ._common import batch_major, shifted, time_major, zeros_if_none

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
    """Run a GRU over a whole sequence, like ``torch.nn.GRU(batch_first=True)``.

    x: (N, T, D), h0: (N, H) or ``None`` (zeros), Wx: (D, 3H), Wh: (H, 3H),
    bx: (3H,), bh: (3H,).
    Applies ``gru_step_forward`` for t = 0 .. T−1; the input projection
    x Wx + bx of every step is one matrix product before the loop.
    Returns h (N, T, H) and a ``GRUCache`` (gates r, z, n over time, each (N, T, H)).
    """
    dims: dict = {}
    dtype, (x, h0, Wh, Wx, bx, bh) = prepare(
        dims, ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")),
        ("Wh", Wh, ("H", "3H")), ("Wx", Wx, ("D", "3H")),
        ("bx", bx, ("3H",)), ("bh", bh, ("3H",)))
    N, T, D = x.shape
    H = dims["H"]
    h0 = zeros_if_none(h0, (N, H), dtype)

    x_tm = np.ascontiguousarray(time_major(x))                       # (T, N, D)
    ax_all = (x_tm.reshape(T * N, D) @ Wx + bx).reshape(T, N, 3 * H)
    rz = np.empty((T, N, 2 * H), dtype)      # r and z side by side: one sigmoid call a step
    r, z = rz[..., :H], rz[..., H:]
    n, ah_n, h = (np.empty((T, N, H), dtype) for _ in range(3))
    prev_h = h0
    for t in range(T):
        ax = ax_all[t]
        ah = prev_h @ Wh + bh
        rz[t] = sigmoid(ax[:, :2 * H] + ah[:, :2 * H])
        ah_n[t] = ah[:, 2 * H:]
        n[t] = tanh(ax[:, 2 * H:] + r[t] * ah_n[t])
        h[t] = n[t] + z[t] * (prev_h - n[t])     # = (1 − z) ⊙ n + z ⊙ h_{t−1}
        prev_h = h[t]
    cache = GRUCache(batch_major(x_tm), h0, Wx, Wh, bx, bh,
                     *(batch_major(a) for a in (r, z, n, ah_n, h)), h_final=prev_h)
    return np.ascontiguousarray(batch_major(h)), cache


def gru_backward(dh, cache):
    """Backward pass of ``gru_forward`` through time.

    dh: (N, T, H), the loss gradient with respect to every hidden state.
    Weight gradients are summed over time after the loop:
    dWx = Σ_t x_tᵀ dax_t, dWh = Σ_t h_{t−1}ᵀ dah_t, dbx = Σ dax_t, dbh = Σ dah_t.
    Returns dx (N, T, D), dh0 (N, H), dWx (D, 3H), dWh (H, 3H), dbx (3H,), dbh (3H,).
    """
    check_cache(cache, GRUCache, "gru_forward")
    dh = upstream("dh", dh, cache.h.shape, ("N", "T", "H"))
    N, T, H = cache.h.shape
    D = cache.x.shape[2]
    dh_tm = time_major(dh)
    r, z, n, ah_n, h = (time_major(a) for a in (cache.r, cache.z, cache.n, cache.ah_n, cache.h))
    prev_h_all = shifted(cache.h0, h)
    dtype = np.result_type(dh, h)
    dax_all = np.empty((T, N, 3 * H), dtype)
    dah_all = np.empty((T, N, 3 * H), dtype)
    Wh_T = np.ascontiguousarray(cache.Wh.T)      # a contiguous copy makes the per-step GEMM faster
    dnext_h = np.zeros((N, H), dtype)
    for t in reversed(range(T)):
        dh_t = dh_tm[t] + dnext_h
        da_n = dh_t * (1 - z[t]) * (1 - n[t] ** 2)
        da_r = da_n * ah_n[t] * r[t] * (1 - r[t])
        da_z = dh_t * (prev_h_all[t] - n[t]) * z[t] * (1 - z[t])
        dax, dah = dax_all[t], dah_all[t]
        dax[:, :H] = dah[:, :H] = da_r
        dax[:, H:2 * H] = dah[:, H:2 * H] = da_z
        dax[:, 2 * H:] = da_n
        dah[:, 2 * H:] = r[t] * da_n
        dnext_h = dh_t * z[t] + dah @ Wh_T

    dax_flat = dax_all.reshape(T * N, 3 * H)
    dah_flat = dah_all.reshape(T * N, 3 * H)
    x_flat = time_major(cache.x).reshape(T * N, D)
    dWx = x_flat.T @ dax_flat
    dWh = prev_h_all.reshape(T * N, H).T @ dah_flat
    dbx = dax_flat.sum(0)
    dbh = dah_flat.sum(0)
    dx = np.ascontiguousarray(batch_major((dax_flat @ cache.Wx.T).reshape(T, N, D)))
    return dx, dnext_h, dWx, dWh, dbx, dbh


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
