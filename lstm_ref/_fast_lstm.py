"""``lstm_forward``/``lstm_backward``: the whole sequence, written for speed.

Same equations as ``lstm_step_forward`` applied for t = 0 .. T-1, with these
changes, each measured to matter (docs/performance.md):

* ``x Wx + b`` does not depend on h, so it is one GEMM over all N·T rows; the
  loop only adds ``h_{t-1} Wh``. The weight gradients are likewise two GEMMs
  after the backward loop: dWx = Xᵀ dA, dWh = H_prevᵀ dA.
* Internally the gate columns are ordered o, i, f, g, so the three sigmoid
  gates are adjacent (one call for all three) and so are the three gates
  that the cell gradient dc multiplies (i, f, g).
* σ(a) = (1 + tanh(a / 2)) / 2. The sigmoid columns of the weights are
  halved once (exact in binary floating point), so one ``tanh`` call covers
  all four gates and nothing can overflow.
* Every buffer is allocated once; the loops write into prepared views with
  ``out=`` to keep the number of NumPy calls per step small.
* The backward loop's local factors (σ', tanh', the products that do not
  depend on the recursion) are computed for chunks of time steps that fit in
  the L2 cache, just before the loop reaches them.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ._validate import as_float, check_shape, float_dtype

__all__: list[str] = []

# Chunk of backward work whose local factors stay in cache between being
# computed and being used (bytes, about half of a 1 MB L2).
_CHUNK_BYTES = 1 << 19


@lru_cache(maxsize=64)
def _to_internal(H: int) -> np.ndarray:
    """Column permutation from the public order i, f, g, o to the internal o, i, f, g."""
    perm = np.concatenate([np.arange(k * H, (k + 1) * H) for k in (3, 0, 1, 2)])
    perm.flags.writeable = False  # shared by every call through the cache
    return perm


@lru_cache(maxsize=64)
def _to_public(H: int) -> np.ndarray:
    back = np.argsort(_to_internal(H))
    back.flags.writeable = False
    return back


@lru_cache(maxsize=64)
def _halves(H: int, dtype: np.dtype) -> np.ndarray:
    """(4H,) scale of the internal columns: 0.5 for o, i, f (σ(a) = (1 + tanh(a/2)) / 2), 1 for g."""
    half = np.ones(4 * H, dtype)
    half[:3 * H] = 0.5
    half.flags.writeable = False
    return half


class LSTMCache(NamedTuple):
    """What ``lstm_forward`` records, for ``lstm_backward`` and for reading.

    Inputs as used (after dtype promotion): ``x`` (N, T, D), ``h0`` (N, H),
    ``c0`` (N, H) (zeros if ``None`` was given), ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,).
    Over time, each (N, T, H): the gates ``i``, ``f``, ``g``, ``o``, the cell
    states ``c``, ``tanh_c`` = tanh(c) and the hidden states ``h``.
    ``c_final`` (N, H) is the last cell state c_{T-1} (``h_final`` likewise).
    ``packed`` (N, T, 4H) holds the gate activations in the internal order
    o, i, f, g; ``c_all``/``h_all`` (N, T + 1, H) hold c0/h0 followed by every
    state. The named gate and state fields are views into these buffers.
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    b: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    c_final: np.ndarray
    h_final: np.ndarray
    packed: np.ndarray
    c_all: np.ndarray
    h_all: np.ndarray


def lstm_forward(x, h0, c0, Wx, Wh, b):
    """Run the LSTM over a whole sequence (stacked form).

    Inputs: ``x`` (N, T, D), ``h0`` (N, H), ``c0`` (N, H) or ``None`` (zeros),
    ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), gate order i, f, g, o.

    For t = 0 .. T-1, with h_{-1} = h0 and c_{-1} = c0:
        a_t = x_t Wx + h_{t-1} Wh + b;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
        c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)

    Returns ``(h, cache)``: ``h`` (N, T, H), every hidden state, and an
    ``LSTMCache`` (gates, cell states and inputs over time).
    """
    names = ("x", "h0", "Wx", "Wh", "b")
    x, h0, Wx, Wh, b = (as_float(n, a) for n, a in zip(names, (x, h0, Wx, Wh, b)))
    dims: dict = {}
    # The weights define the model, so they fix H and D; the data must match them.
    check_shape("Wh", Wh, ("H", "4H"), dims)
    check_shape("Wx", Wx, ("D", "4H"), dims)
    check_shape("b", b, ("4H",), dims)
    check_shape("x", x, ("N", "T", "D"), dims)
    check_shape("h0", h0, ("N", "H"), dims)
    if c0 is not None:
        c0 = as_float("c0", c0)
        check_shape("c0", c0, ("N", "H"), dims)
    N, T, D, H = dims["N"], dims["T"], dims["D"], dims["H"]
    if T < 1:
        raise ValueError(f"x: expected at least one time step, shape (N, T, D) with T >= 1, got {x.shape}")
    dtype = float_dtype(x, h0, Wx, Wh, b, *(() if c0 is None else (c0,)))
    x = np.ascontiguousarray(x, dtype=dtype)
    h0 = h0.astype(dtype, copy=False)
    c0 = np.zeros((N, H), dtype) if c0 is None else c0.astype(dtype, copy=False)
    Wx, Wh, b = (a.astype(dtype, copy=False) for a in (Wx, Wh, b))

    perm, half = _to_internal(H), _halves(H, np.dtype(dtype))
    Wx_s, Wh_s, b_s = Wx[:, perm], Wh[:, perm], b[perm]  # fresh copies: scale in place
    Wx_s *= half
    Wh_s *= half
    b_s *= half

    A = np.empty((N, T, 4 * H), dtype)  # pre-activations, then activations in place
    np.matmul(x.reshape(N * T, D), Wx_s, out=A.reshape(N * T, 4 * H))
    A += b_s
    C = np.empty((N, T + 1, H), dtype)
    Hs = np.empty((N, T + 1, H), dtype)
    TC = np.empty((N, T, H), dtype)
    C[:, 0] = c0
    Hs[:, 0] = h0
    tmp4 = np.empty((N, 4 * H), dtype)
    tmp = np.empty((N, H), dtype)
    matmul, add, multiply, tanh = np.matmul, np.add, np.multiply, np.tanh

    # Iterating over time-major views hands out each step's (N, ·) slices from
    # C; indexing them in Python costs more than the arithmetic at small sizes.
    def steps(arr):
        return arr.transpose(1, 0, 2)

    views = zip(steps(A), steps(A[:, :, :3 * H]), steps(A[:, :, :H]), steps(A[:, :, H:2 * H]),
                steps(A[:, :, 2 * H:3 * H]), steps(A[:, :, 3 * H:]),
                steps(C)[:-1], steps(C)[1:], steps(TC), steps(Hs)[:-1], steps(Hs)[1:])
    for a, s, o, i, f, g, c_prev, c, tc, h_prev, h in views:
        matmul(h_prev, Wh_s, out=tmp4)
        add(a, tmp4, out=a)
        tanh(a, out=a)
        multiply(s, 0.5, out=s)
        add(s, 0.5, out=s)
        multiply(f, c_prev, out=c)
        multiply(i, g, out=tmp)
        add(c, tmp, out=c)
        tanh(c, out=tc)
        multiply(o, tc, out=h)

    cache = LSTMCache(
        x=x, h0=h0, c0=c0, Wx=Wx, Wh=Wh, b=b,
        i=A[:, :, H:2 * H], f=A[:, :, 2 * H:3 * H], g=A[:, :, 3 * H:], o=A[:, :, :H],
        c=C[:, 1:], tanh_c=TC, h=Hs[:, 1:], c_final=C[:, T], h_final=Hs[:, T],
        packed=A, c_all=C, h_all=Hs,
    )
    # A copy, so that changing the returned h in place cannot corrupt the cache.
    return Hs[:, 1:].copy(), cache


def _local_factors(cache: LSTMCache, K, Kc, t0: int, t1: int, H: int) -> None:
    """Fill K[:, t0:t1] (internal order o, i, f, g) and Kc[:, t0:t1] with the
    factors of the backward step that do not depend on the recursion:
        K_o = tanh(c) ⊙ o(1−o),  K_i = g ⊙ i(1−i),  K_f = c_prev ⊙ f(1−f),
        K_g = i ⊙ (1 − g²),      Kc = o ⊙ (1 − tanh²(c)).
    """
    A = cache.packed[:, t0:t1]
    k = K[:, t0:t1]
    s, ks = A[..., :3 * H], k[..., :3 * H]
    np.subtract(1.0, s, out=ks)
    np.multiply(ks, s, out=ks)  # σ'(a) = σ(1 − σ) for o, i, f
    o, i, g = A[..., :H], A[..., H:2 * H], A[..., 3 * H:]
    tc = cache.tanh_c[:, t0:t1]
    np.multiply(k[..., :H], tc, out=k[..., :H])
    np.multiply(k[..., H:2 * H], g, out=k[..., H:2 * H])
    np.multiply(k[..., 2 * H:3 * H], cache.c_all[:, t0:t1], out=k[..., 2 * H:3 * H])
    kg = k[..., 3 * H:]
    np.multiply(g, g, out=kg)
    np.subtract(1.0, kg, out=kg)
    np.multiply(kg, i, out=kg)
    kc = Kc[:, t0:t1]
    np.multiply(tc, tc, out=kc)
    np.subtract(1.0, kc, out=kc)
    np.multiply(kc, o, out=kc)


def lstm_backward(dh, cache: LSTMCache):
    """Backward pass of ``lstm_forward`` over the whole sequence.

    Inputs: ``dh`` (N, T, H), the upstream gradient of the loss with respect to
    every hidden state h_t; ``cache`` from ``lstm_forward``.

    For t = T-1 .. 0, carrying dh_next = ∂L/∂h_t from step t+1 and dc (both
    zero at t = T-1), the step gradient of ``lstm_step_backward`` with
    dnext_h = dh[:, t] + dh_next; then dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t-1}ᵀ da_t,
    db = Σ_t Σ_n da_t, dx_t = da_t Wxᵀ.

    Returns ``(dx, dh0, dc0, dWx, dWh, db)`` with shapes (N, T, D), (N, H),
    (N, H), (D, 4H), (H, 4H), (4H,).
    """
    if not isinstance(cache, LSTMCache):
        raise ValueError(f"cache: expected the LSTMCache of lstm_forward, got {type(cache).__name__}")
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    dh = as_float("dh", dh)
    check_shape("dh", dh, ("N", "T", "H"), {"N": N, "T": T, "H": H})
    dtype = np.result_type(cache.x.dtype, dh.dtype)

    dA = np.empty((N, T, 4 * H), dtype)  # local factors, then the gradients in place
    Kc = np.empty((N, T, H), dtype)
    dh_next = np.zeros((N, H), dtype)
    dc = np.zeros((N, H), dtype)
    dht = np.empty((N, H), dtype)
    tmp = np.empty((N, H), dtype)
    perm = _to_internal(H)
    WhT = np.ascontiguousarray(cache.Wh[:, perm].T, dtype=dtype)  # (4H, H)
    F = cache.packed[:, :, 2 * H:3 * H]
    matmul, add, multiply = np.matmul, np.add, np.multiply

    dA3 = dA[:, :, H:].reshape(N, T, 3, H)
    dc3 = dc[:, None, :]

    def back(arr):  # the steps of a time span, last first
        return arr.swapaxes(0, 1)[::-1]

    chunk = max(1, _CHUNK_BYTES // (N * 5 * H * dA.itemsize))
    t1 = T
    while t1 > 0:
        t0 = max(0, t1 - chunk)
        _local_factors(cache, dA, Kc, t0, t1, H)
        span = slice(t0, t1)
        views = zip(back(dA[:, span]), back(dA[:, span, :H]), back(dA3[:, span]),
                    back(dh[:, span]), back(Kc[:, span]), back(F[:, span]))
        for z, zo, z3, dh_t, kc, f in views:
            add(dh_t, dh_next, out=dht)
            multiply(zo, dht, out=zo)
            multiply(dht, kc, out=tmp)
            add(dc, tmp, out=dc)
            multiply(z3, dc3, out=z3)  # i, f, g columns at once
            multiply(dc, f, out=dc)
            matmul(z, WhT, out=dh_next)
        t1 = t0

    dA2 = dA.reshape(N * T, 4 * H)
    h_prev = cache.h_all[:, :T].reshape(N * T, H)  # a copy unless N == 1
    dWx = cache.x.reshape(N * T, D).T @ dA2
    dWh = h_prev.T @ dA2
    db = dA2.sum(axis=0)
    dx = (dA2 @ np.ascontiguousarray(cache.Wx[:, perm].T, dtype=dtype)).reshape(N, T, D)
    back = _to_public(H)
    return dx, dh_next, dc, dWx[:, back], dWh[:, back], db[back]
