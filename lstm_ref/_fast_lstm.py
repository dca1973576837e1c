"""The fast path of ``lstm_forward``/``lstm_backward`` (private: call those).

``lstm.py``'s public functions check their inputs and hand them to
``forward``/``backward`` here unless asked for the plain loop. Same
equations as ``lstm_step_forward`` applied for t = 1 .. T (0-based buffers:
step t sits at index t-1, the initial states at the row before it), with
these changes, each measured to matter (docs/performance.md):

* The rows [x_t, 1, h_{t-1}] are stored side by side (the 1 carries the
  bias), so each step is one product a_t = [x_t, 1, h_{t-1}] [Wx; b; Wh] and
  the weight gradients are one GEMM after the backward loop:
  [dWx; db; dWh] = Σ_t [x_t, 1, h_{t-1}]ᵀ da_t.
* Everything is stored time-major (T, N, ·): each step's slices are contiguous
  blocks. The cache's (N, T, ·) fields are transposed views of these buffers.
* Internally the gates are ordered o, i, f, g and each step's block holds
  c_{t-1} right after g: the sigmoid gates are adjacent (one call for all
  three) and [i, f] ⊙ [g, c_{t-1}] is one call. A step's block is gate-major,
  (5, N, H), so that each of those calls reads contiguous memory.
* σ(a) = (1 + tanh(a / 2)) / 2. The sigmoid columns of the weights are
  halved once (exact in binary floating point), so one ``tanh`` call covers
  all four gates and nothing can overflow.
* The backward row of a step holds [K_c, K_o, K_i, K_f, K_g, f], the local
  factors that do not depend on the recursion (computed in chunks that fit in
  L2, just before the loop reaches them), so the recursion is five NumPy calls
  a step: each multiplies a block of factors by the gradient arriving there.
* The backward's scratch buffers (the factor rows above and the time-major
  dx product, hundreds of MB at large sizes) are kept per thread and reused
  by the next call of the same shape and dtype: a fresh buffer of that size
  costs a page fault per 2 MB (often per 4 kB) on first touch, which took
  from 20 ms to nearly a second a call on a shared machine. Nothing in them
  is returned. The forward's buffers are not reused: the cache keeps views
  of them, so each call must own fresh ones.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

__all__: list[str] = []

# Chunk of backward work whose local factors stay in cache between being
# computed and being used (bytes, about half of a 1 MB L2).
_CHUNK_BYTES = 1 << 19


class _Workspace(threading.local):
    """Scratch buffers of ``backward``, one set per thread, reused across calls.

    Per thread, because two threads running ``lstm_backward`` at once must not
    write into the same buffer. Each slot keeps one buffer (the last shape and
    dtype asked for), so the memory held is that of the largest recent call:
    up to about (T N 6H + T N D) floats until the thread ends or
    ``_release_workspace`` is called.
    """

    def __init__(self) -> None:
        self.buffers: dict[str, np.ndarray] = {}


_workspace = _Workspace()


def _scratch(slot: str, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """An uninitialised buffer of ``shape`` and ``dtype`` for ``slot``, reused when they match.

    The caller must overwrite what it reads and must not let the buffer (or a
    view of it) escape: the next call of this thread gets the same memory.
    """
    buf = _workspace.buffers.get(slot)
    if buf is None or buf.shape != shape or buf.dtype != dtype:
        _workspace.buffers.pop(slot, None)  # free the old one before allocating
        buf = _workspace.buffers[slot] = np.empty(shape, dtype)
    return buf


def _release_workspace() -> None:
    """Free this thread's backward scratch buffers (they are rebuilt on demand)."""
    _workspace.buffers.clear()


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


def forward(x, h0, c0, Wx, Wh, b):
    """``lstm_forward``'s computation, fast: ``(h, fields)``, ``fields`` the ``LSTMCache``'s.

    Inputs already checked by ``lstm_forward`` (ndarrays of one float dtype):
    ``x`` (N, T, D), ``h0`` (N, H), ``c0`` (N, H) or ``None`` (zeros),
    ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), gate order i, f, g, o.
    Returns ``h`` (N, T, H), ``h[:, t-1]`` = h_t, and a dict of the cache's
    fields: the named ones are views of the time-major buffers; ``packed``
    (T, 4, N, H) holds the gate activations of steps 1 … T, time- and
    gate-major in the internal order o, i, f, g; ``xh`` (T, N, D + 1 + H)
    holds the rows [x_t, 1, h_{t-1}] that the weight gradients need.
    """
    N, T, D = x.shape
    H = Wh.shape[0]
    dtype = x.dtype
    K = D + 1 + H

    # Weights in the internal order with the sigmoid columns halved, stacked
    # as W = [Wx; b; Wh] (D + 1 + H, 4H) to match the rows [x_t, 1, h_{t-1}].
    W = np.concatenate((Wx, b[None], Wh))
    W = W.take(_to_internal(H), axis=1)
    W *= _halves(H, dtype)

    # XH[t-1] = [x_t, 1, h_{t-1}] (N, K), the row of step t; step t writes h_t
    # into the h slot of XH[t] (XH[0] holds h_0, XH[T] only h_T).
    # One product per step, a_t = XH[t-1] W, replaces an input GEMM over all
    # steps plus a per-step h_{t-1} Wh and an add: the same arithmetic in
    # one call fewer a step, and no pass over all T·N·4H pre-activations.
    XH = np.empty((T + 1, N, K), dtype)
    XH[:T, :, :D] = x.transpose(1, 0, 2)
    XH[:, :, D] = 1.0
    XH[0, :, D + 1:] = h0
    # S[t-1] = [o, i, f, g, c_{t-1}] (5, N, H), gate-major: the activations of
    # step t and the cell state it starts from; S[t, 4] receives c_t.
    # Gate-major, every elementwise call of the step reads one contiguous
    # block; over rows of (N, 4H) NumPy runs its inner loop once per row,
    # which took twice as long at N = 32.
    S = np.empty((T + 1, 5, N, H), dtype)
    S[0, 4] = 0.0 if c0 is None else c0
    if N == 1:
        # One row: (4, 1, H) is the row (1, 4H) in memory, and np.dot (cheaper
        # to call than np.matmul) fills it in one product.
        product, Wp, pre = np.dot, W, S[:T].reshape(T, 1, 5 * H)[:, :, :4 * H]
    else:
        # One call, four products a_t[k] = XH[t-1] W_k, one per gate block.
        product, Wp, pre = np.matmul, np.ascontiguousarray(W.reshape(K, 4, H).transpose(1, 0, 2)), S[:T, :4]
    TC = np.empty((T, N, H), dtype)
    tmp2 = np.empty((2, N, H), dtype)
    ig, fc = tmp2
    half = np.array(0.5, dtype)  # a 0-d array: a Python float costs a conversion every call
    add, multiply, tanh = np.add, np.multiply, np.tanh

    # Iterating over views hands out each step's slices; indexing them in
    # Python costs more than the arithmetic at small sizes.
    views = zip(XH[:T], pre, S[:T, :4], S[:T, :3], S[:T, 0], S[:T, 1:3], S[:T, 3:5], S[1:, 4],
                TC, XH[1:, :, D + 1:])
    for xh, a_out, a, s, o, i_f, g_c, c, tc, h in views:
        product(xh, Wp, a_out)
        tanh(a, a)
        multiply(s, half, s)
        add(s, half, s)              # o, i, f = σ
        multiply(i_f, g_c, tmp2)     # [i ⊙ g, f ⊙ c_{t-1}]
        add(ig, fc, c)
        tanh(c, tc)
        multiply(o, tc, h)

    def batch_major(a):
        return a.transpose(1, 0, 2)

    fields = dict(
        x=batch_major(XH[:T, :, :D]), h0=h0, c0=S[0, 4], Wx=Wx, Wh=Wh, b=b,
        i=batch_major(S[:T, 1]), f=batch_major(S[:T, 2]), g=batch_major(S[:T, 3]),
        o=batch_major(S[:T, 0]), c=batch_major(S[1:, 4]), tanh_c=batch_major(TC),
        h=batch_major(XH[1:, :, D + 1:]), c_final=S[T, 4], h_final=XH[T, :, D + 1:],
        packed=S[:T, :4], c_all=batch_major(S[:, 4]), h_all=batch_major(XH[:, :, D + 1:]),
        xh=XH[:T],
    )
    # A batch-major copy, so that changing the returned h in place cannot corrupt the cache.
    return np.ascontiguousarray(fields["h"]), fields


def _local_factors(A, TC, C_prev, G, H: int) -> None:
    """Fill the rows G (T', N, 6H) with the backward factors that do not depend on the recursion.

    From the activations ``A`` (T', 4, N, H, internal order o, i, f, g),
    ``TC`` = tanh(c_t) and ``C_prev`` = c_{t-1} (T', N, H), the row blocks are
        K_c = o ⊙ (1 − tanh²(c)),  K_o = tanh(c) ⊙ o(1−o),  K_i = g ⊙ i(1−i),
        K_f = c_{t-1} ⊙ f(1−f),     K_g = i ⊙ (1 − g²),     and f itself.
    """
    G6 = G.reshape(G.shape[0], G.shape[1], 6, H)
    s, ks = A[:, :3].transpose(0, 2, 1, 3), G6[:, :, 1:4]
    np.subtract(1.0, s, out=ks)
    np.multiply(ks, s, out=ks)  # σ'(a) = σ(1 − σ) for o, i, f
    o, i, f, g = A[:, 0], A[:, 1], A[:, 2], A[:, 3]
    np.multiply(G6[:, :, 1], TC, out=G6[:, :, 1])
    np.multiply(G6[:, :, 2], g, out=G6[:, :, 2])
    np.multiply(G6[:, :, 3], C_prev, out=G6[:, :, 3])
    kg = G6[:, :, 4]
    np.multiply(g, g, out=kg)
    np.subtract(1.0, kg, out=kg)
    np.multiply(kg, i, out=kg)
    kc = G6[:, :, 0]
    np.multiply(TC, TC, out=kc)
    np.subtract(1.0, kc, out=kc)
    np.multiply(kc, o, out=kc)
    np.copyto(G6[:, :, 5], f)


def backward(dh, cache, chunk_steps: int | None = None):
    """``lstm_backward``'s computation, fast, from a cache ``forward`` made.

    ``dh`` (N, T, H), already checked by ``lstm_backward``; returns ``(dx, dh0,
    dc0, dWx, dWh, db)``, (N, T, D), (N, H), (N, H), (D, 4H), (H, 4H), (4H,).
    The local factors are computed ``chunk_steps`` steps at a time, by default
    as many as fit in ``_CHUNK_BYTES`` (at least 455 steps at the test
    suite's sizes, so tests pass a small number to cross chunk boundaries).
    """
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    dtype = np.result_type(cache.x.dtype, dh.dtype)

    def time_major(a):
        return a.transpose(1, 0, 2)

    A, TC = cache.packed, time_major(cache.tanh_c)
    C_prev = time_major(cache.c_all)[:T]
    # G[t-1] = [K_c, K_o, K_i, K_f, K_g, f] (N, 6H) of step t; the loop overwrites it in
    # place with [dc_t, da_o, da_i, da_f, da_g, dc_t ⊙ f] (da in the internal order).
    # Every element is written (by _local_factors) before it is read, and G
    # stays inside this call, so it can be the reused scratch buffer.
    G = _scratch("G", (T, N, 6 * H), dtype)
    G6 = G.reshape(T, N, 6, H)
    perm = _to_internal(H)
    WhT = np.ascontiguousarray(cache.Wh[:, perm].T, dtype=dtype)  # (4H, H)
    dh_next = np.zeros((N, H), dtype)
    dht = np.empty((N, H), dtype)
    dht3 = dht[:, None, :]
    dc_carry = np.zeros((N, 1, H), dtype)  # dc_{t+1} ⊙ f_{t+1}, the cell gradient reaching c_t
    matmul_h = np.dot if N == 1 else np.matmul  # as in lstm_forward
    add, multiply = np.add, np.multiply

    def back(arr):  # the steps of a time span, last first
        return arr[::-1]

    chunk = chunk_steps or max(1, _CHUNK_BYTES // (N * 6 * H * G.itemsize))
    t1 = T
    while t1 > 0:
        t0 = max(0, t1 - chunk)
        _local_factors(A[t0:t1], TC[t0:t1], C_prev[t0:t1], G[t0:t1], H)
        span = slice(t0, t1)
        views = zip(back(time_major(dh)[span]), back(G6[span, :, 0:2]), back(G6[span, :, 0:1]),
                    back(G6[span, :, 2:6]), back(G6[span, :, 5:6]), back(G[span, :, H:5 * H]))
        for dh_t, kc_ko, dc, rest, dc_f, da in views:
            add(dh_t, dh_next, dht)
            multiply(kc_ko, dht3, kc_ko)     # [dh ⊙ K_c, da_o]
            add(dc, dc_carry, dc)            # dc_t
            multiply(rest, dc, rest)         # [da_i, da_f, da_g, dc_t ⊙ f_t]
            matmul_h(da, WhT, dh_next)
            dc_carry = dc_f
        t1 = t0

    dA = G.reshape(T * N, 6 * H)[:, H:5 * H]
    XH = cache.xh.reshape(T * N, D + 1 + H)
    back_perm = _to_public(H)
    dW = (XH.T @ dA).take(back_perm, axis=1)  # [dWx; db; dWh], public gate order
    # dx_t = da_t Wxᵀ as one GEMM over the time-major rows, into scratch;
    # only its batch-major copy, the returned dx, is fresh memory.
    dx_rows = _scratch("dx", (T * N, D), dtype)
    np.matmul(dA, cache.Wx[:, perm].T.astype(dtype, copy=False), out=dx_rows)
    dx = dx_rows.reshape(T, N, D).transpose(1, 0, 2).copy()
    dc0 = dc_carry.reshape(N, H).copy()  # a copy: dc_carry is a view into the scratch G
    return dx, dh_next, dc0, dW[:D], dW[D + 1:], dW[D]
