"""The LSTM with one part switched off: the eight variants of Greff et al. (2017).

Greff, Srivastava, Koutník, Steunebrink and Schmidhuber, "LSTM: A Search
Space Odyssey" (IEEE TNNLS 2017) compared the "vanilla" LSTM, which has
peepholes, with seven variants that each remove or change one part. With
peephole weights ``P`` (3, H) (rows for i, f, o) and the stacked
pre-activations a = x Wx + h_{t-1} Wh + b (N, 4H), gate order i, f, g, o:

    i   = σ(a_i + P[0] ⊙ c_{t-1})        NIG:  i = 1
    f   = σ(a_f + P[1] ⊙ c_{t-1})        NFG:  f = 1        CIFG: f = 1 − i
    g   = tanh(a_g)                      NIAF: g = a_g
    c_t = f ⊙ c_{t-1} + i ⊙ g
    o   = σ(a_o + P[2] ⊙ c_t)            NOG:  o = 1
    h_t = o ⊙ tanh(c_t)                  NOAF: h_t = o ⊙ c_t
                                         NP:   P = 0 (no peepholes)

"vanilla" is the peephole LSTM of ``lstm_ref.variants.peephole``; "NP" is the
LSTM of ``lstm_ref.lstm``. The paper's eighth variant, FGR (full gate
recurrence: every gate also reads every gate of the previous step), is not
here. Every variant keeps the same parameter shapes; the parts a variant
does not use (the f columns in NFG and CIFG, the i columns in NIG, the o
columns in NOG, ``P`` in NP) get zero gradient.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import sigmoid
from .validate import check_cache, prepare, upstream
from .variants._common import batch_major, shifted, time_major, zeros_if_none

__all__ = ["ABLATIONS", "AblationCache", "ablation_forward", "ablation_backward"]

ABLATIONS = ("vanilla", "NIG", "NFG", "NOG", "NIAF", "NOAF", "CIFG", "NP")


class AblationCache(NamedTuple):
    """A sequence's values, time-major (T, N, H) unless noted: the ``variant``;
    ``x`` (T, N, D); ``h0``, ``c0`` (N, H); gates ``i``, ``f``, ``g``, ``o``;
    cells ``c``; ``s`` = tanh(c) (or c in NOAF); hidden ``h``; the weights
    ``Wx``, ``Wh``, ``P`` (P is zero in NP)."""
    variant: str
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    s: np.ndarray
    h: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    P: np.ndarray


def _check_variant(variant: str) -> str:
    if variant not in ABLATIONS:
        raise ValueError(f"variant: expected one of {ABLATIONS}, got {variant!r}")
    return variant


def ablation_forward(x, h0, c0, Wx, Wh, b, P, variant: str = "vanilla"):
    """Run one of Greff et al.'s LSTM variants over a sequence.

    Inputs: ``x`` (N, T, D); ``h0``, ``c0`` (N, H) or ``None`` (zeros);
    ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,) (gate order i, f, g, o);
    ``P`` (3, H) peephole weights for i, f, o (ignored by "NP");
    ``variant``: one of ``ABLATIONS`` (equations in the module docstring).

    Returns ``(h, cache)``: ``h`` (N, T, H) and an ``AblationCache``; the last
    states are ``cache.h[-1]``, ``cache.c[-1]`` (N, H).
    """
    variant = _check_variant(variant)
    dims: dict = {}
    dtype, (Wh, Wx, b, P, x, h0, c0) = prepare(
        dims, ("Wh", Wh, ("H", "4H")), ("Wx", Wx, ("D", "4H")), ("b", b, ("4H",)),
        ("P", P, (3, "H")), ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")),
        ("c0", c0, ("N", "H")))
    N, T, D = x.shape
    H = dims["H"]
    if variant == "NP":
        P = np.zeros_like(P)
    h0, c0 = zeros_if_none(h0, (N, H), dtype), zeros_if_none(c0, (N, H), dtype)
    x_tm = np.ascontiguousarray(time_major(x))
    a_all = (x_tm.reshape(T * N, D) @ Wx + b).reshape(T, N, 4 * H)
    i, f, g, o, c, s, h = (np.empty((T, N, H), dtype) for _ in range(7))
    ones = np.ones((N, H), dtype)
    prev_h, prev_c = h0, c0
    for t in range(T):
        a = a_all[t] + prev_h @ Wh
        i[t] = ones if variant == "NIG" else sigmoid(a[:, :H] + P[0] * prev_c)
        if variant == "NFG":
            f[t] = ones
        elif variant == "CIFG":
            f[t] = 1.0 - i[t]
        else:
            f[t] = sigmoid(a[:, H:2 * H] + P[1] * prev_c)
        g[t] = a[:, 2 * H:3 * H] if variant == "NIAF" else np.tanh(a[:, 2 * H:3 * H])
        c[t] = f[t] * prev_c + i[t] * g[t]
        o[t] = ones if variant == "NOG" else sigmoid(a[:, 3 * H:] + P[2] * c[t])
        s[t] = c[t] if variant == "NOAF" else np.tanh(c[t])
        h[t] = o[t] * s[t]
        prev_h, prev_c = h[t], c[t]
    cache = AblationCache(variant, x_tm, h0, c0, i, f, g, o, c, s, h, Wx, Wh, P)
    return np.ascontiguousarray(batch_major(h)), cache


def ablation_backward(dh, cache: AblationCache):
    """Backward pass of ``ablation_forward`` through time.

    Inputs: ``dh`` (N, T, H), the gradient at every hidden state; ``cache``
    from ``ablation_forward``. Per step (t = T−1 .. 0), with dh_t including
    the gradient from step t + 1 and s = tanh(c) (c in NOAF):

        da_o = dh_t ⊙ s ⊙ o(1 − o)      (0 in NOG)
        dc   = dc_{t+1}-carry + dh_t ⊙ o ⊙ s'(c) + P[2] ⊙ da_o
        di = dc ⊙ g − [CIFG] dc ⊙ c_{t-1};  da_i = di ⊙ i(1 − i)   (0 in NIG)
        da_f = dc ⊙ c_{t-1} ⊙ f(1 − f)  (0 in NFG and CIFG)
        da_g = dc ⊙ i ⊙ (1 − g²)        (dc ⊙ i in NIAF)
        dc_{t-1}-carry = dc ⊙ f + P[0] ⊙ da_i + P[1] ⊙ da_f;   dh_{t-1} += da Whᵀ

    Returns ``(dx, dh0, dc0, dWx, dWh, db, dP)``: (N, T, D), (N, H), (N, H),
    (D, 4H), (H, 4H), (4H,), (3, H) (dP = 0 in NP).
    """
    check_cache(cache, AblationCache, "ablation_forward")
    T, N, H = cache.h.shape
    D = cache.x.shape[2]
    v, P = cache.variant, cache.P
    dh = time_major(upstream("dh", dh, (N, T, H), ("N", "T", "H")))
    i, f, g, o, c, s = cache.i, cache.f, cache.g, cache.o, cache.c, cache.s
    prev_c = shifted(cache.c0, c)
    dtype = np.result_type(dh, c)
    da_all = np.zeros((T, N, 4 * H), dtype)
    WhT = np.ascontiguousarray(cache.Wh.T)
    dnext_h = np.zeros((N, H), dtype)
    dnext_c = np.zeros((N, H), dtype)
    for t in reversed(range(T)):
        dh_t = dh[t] + dnext_h
        da = da_all[t]
        if v != "NOG":
            da[:, 3 * H:] = dh_t * s[t] * o[t] * (1 - o[t])
        ds = dh_t * o[t]
        dc = dnext_c + (ds if v == "NOAF" else ds * (1 - s[t] ** 2)) + P[2] * da[:, 3 * H:]
        di = dc * g[t]
        if v == "CIFG":
            di = di - dc * prev_c[t]
        elif v != "NFG":
            da[:, H:2 * H] = dc * prev_c[t] * f[t] * (1 - f[t])
        if v != "NIG":
            da[:, :H] = di * i[t] * (1 - i[t])
        da[:, 2 * H:3 * H] = dc * i[t] if v == "NIAF" else dc * i[t] * (1 - g[t] ** 2)
        dnext_c = dc * f[t] + P[0] * da[:, :H] + P[1] * da[:, H:2 * H]
        dnext_h = da @ WhT
    da_flat = da_all.reshape(T * N, 4 * H)
    dWx = cache.x.reshape(T * N, D).T @ da_flat
    dWh = shifted(cache.h0, cache.h).reshape(T * N, H).T @ da_flat
    db = da_flat.sum(0)
    dP = np.zeros_like(P)
    if v != "NP":
        dP = np.stack([np.einsum("tnh,tnh->h", da_all[..., :H], prev_c),
                       np.einsum("tnh,tnh->h", da_all[..., H:2 * H], prev_c),
                       np.einsum("tnh,tnh->h", da_all[..., 3 * H:], c)])
    dx = np.ascontiguousarray(batch_major((da_flat @ cache.Wx.T).reshape(T, N, D)))
    return dx, dnext_h, dnext_c, dWx, dWh, db, dP
