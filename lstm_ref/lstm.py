"""The LSTM in the stacked form: one step, and a whole sequence.

Stacked weights: ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), column blocks in
gate order i, f, g, o (PyTorch's). The input sequence is x_1 … x_T, the
initial states h_0, c_0 (the ``h0``, ``c0`` arguments); step t computes

    a   = x_t Wx + h_{t-1} Wh + b                (N, 4H)
    i   = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
    c_t = f ⊙ c_{t-1} + i ⊙ g
    h_t = o ⊙ tanh(c_t)

Arrays are 0-based: ``x[:, t-1]`` holds x_t and ``h[:, t-1]`` holds h_t.

Read this file from top to bottom: the step functions follow the equations
line by line, and ``lstm_forward``/``lstm_backward`` are plain loops of them.
By default those two hand the same computation to ``_fast_lstm.py``, which
gets the same numbers (to rounding) several times faster; ``plain=True`` runs
the loops written here. ``tests/test_ref_lstm.py`` holds the two equal.

Carrying the state across batches (truncated backpropagation through time):
pass ``cache.h_final`` and ``cache.c_final`` of one batch as the next batch's
``h0`` and ``c0``. No gradient flows across that boundary: ``lstm_backward``
returns ``dh0``/``dc0``, and the caller simply does not pass them on.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._fast_lstm import backward as _fast_backward
from ._fast_lstm import forward as _fast_forward
from .activations import sigmoid, tanh
from .validate import check_cache, prepare, upstream

__all__ = [
    "LSTMStepCache",
    "LSTMCache",
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class LSTMStepCache(NamedTuple):
    """What ``lstm_step_forward`` remembers for ``lstm_step_backward``.

    ``x`` (N, D), ``prev_h`` (N, H), ``prev_c`` (N, H), ``Wx`` (D, 4H), ``Wh`` (H, 4H);
    the gate activations ``i``, ``f``, ``g``, ``o`` (N, H); ``next_c`` (N, H) and
    ``tanh_next_c`` = tanh(next_c) (N, H).
    """

    x: np.ndarray
    prev_h: np.ndarray
    prev_c: np.ndarray
    Wx: np.ndarray
    Wh: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    next_c: np.ndarray
    tanh_next_c: np.ndarray


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step in the stacked form: from x_t, h_{t-1}, c_{t-1} to h_t, c_t.

    Inputs: ``x`` (N, D) = x_t, ``prev_h`` (N, H) = h_{t-1}, ``prev_c`` (N, H) = c_{t-1}, ``Wx`` (D, 4H),
    ``Wh`` (H, 4H), ``b`` (4H,).

        a = x Wx + prev_h Wh + b;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
        next_c = f ⊙ prev_c + i ⊙ g;  next_h = o ⊙ tanh(next_c)

    Returns ``(next_h, next_c, cache)``: ``next_h`` = h_t, ``next_c`` = c_t (N, H)
    and an ``LSTMStepCache``.
    """
    dims: dict = {}
    # The weights define the model, so they fix H and D; the data must match them.
    dtype, (Wh, Wx, b, x, prev_h, prev_c) = prepare(
        dims, ("Wh", Wh, ("H", "4H")), ("Wx", Wx, ("D", "4H")), ("b", b, ("4H",)),
        ("x", x, ("N", "D")), ("prev_h", prev_h, ("N", "H")), ("prev_c", prev_c, ("N", "H")))
    H = dims["H"]

    a = (x @ Wx + prev_h @ Wh + b).astype(dtype, copy=False)  # (N, 4H)
    i = sigmoid(a[:, 0 * H:1 * H])
    f = sigmoid(a[:, 1 * H:2 * H])
    g = tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:4 * H])
    next_c = (f * prev_c + i * g).astype(dtype, copy=False)
    tanh_next_c = tanh(next_c)
    next_h = o * tanh_next_c
    cache = LSTMStepCache(x, prev_h, prev_c, Wx, Wh, i, f, g, o, next_c, tanh_next_c)
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache: LSTMStepCache):
    """Backward pass of one LSTM step.

    Inputs: ``dnext_h``, ``dnext_c`` (N, H), upstream gradients of the loss with
    respect to next_h = h_t and next_c = c_t; ``cache`` from ``lstm_step_forward``.

        do = dnext_h ⊙ tanh(c);  dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²(c))
        di = dc ⊙ g;  df = dc ⊙ prev_c;  dg = dc ⊙ i;  dprev_c = dc ⊙ f
        da = [di ⊙ i(1−i), df ⊙ f(1−f), dg ⊙ (1−g²), do ⊙ o(1−o)]     (N, 4H)
        dx = da Wxᵀ;  dprev_h = da Whᵀ;  dWx = xᵀ da;  dWh = prev_hᵀ da;  db = Σ_n da

    Returns ``(dx, dprev_h, dprev_c, dWx, dWh, db)`` with shapes (N, D), (N, H),
    (N, H), (D, 4H), (H, 4H), (4H,).
    """
    check_cache(cache, LSTMStepCache, "lstm_step_forward")
    dnext_h = upstream("dnext_h", dnext_h, cache.next_c.shape, ("N", "H"))
    dnext_c = upstream("dnext_c", dnext_c, cache.next_c.shape, ("N", "H"))
    x, prev_h, prev_c, Wx, Wh, i, f, g, o, next_c, tanh_c = cache

    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c ** 2)
    di = dc * g
    df = dc * prev_c
    dg = dc * i
    dprev_c = dc * f
    da = np.concatenate([di * i * (1.0 - i),
                         df * f * (1.0 - f),
                         dg * (1.0 - g ** 2),
                         do * o * (1.0 - o)], axis=1)  # (N, 4H)
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db


class LSTMCache(NamedTuple):
    """What ``lstm_forward`` records, for ``lstm_backward`` and for reading.

    Inputs as used (after dtype promotion): ``x`` (N, T, D), ``h0`` (N, H),
    ``c0`` (N, H) (zeros if ``None`` was given), ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,).
    Over time, each (N, T, H), index ``t-1`` holding step t: the gates ``i``,
    ``f``, ``g``, ``o``, the cell states ``c`` (c_1 … c_T), ``tanh_c`` = tanh(c)
    and the hidden states ``h`` (h_1 … h_T). ``c_final``, ``h_final`` (N, H) are
    c_T and h_T. ``c_all``/``h_all`` (N, T + 1, H) hold c_0 … c_T and h_0 … h_T,
    so ``h_all[:, t]`` is h_t.

    ``packed`` and ``xh`` are the fast path's own buffers (``_fast_lstm.py``
    says what they hold), ``None`` in a cache made with ``plain=True``; the
    fields above may be views into them (strided, not C-contiguous).
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
    packed: np.ndarray | None
    c_all: np.ndarray
    h_all: np.ndarray
    xh: np.ndarray | None


def _checked_inputs(x, h0, c0, Wx, Wh, b):
    """Validate and promote the inputs of ``lstm_forward``; ``c0`` stays ``None`` if given so.

    Inputs that already agree (ndarrays of one float dtype, matching shapes)
    take a short path (it matters at widget sizes, where a call takes tens of
    microseconds); anything else goes through the full checks, which name the
    argument and both shapes in their errors.
    """
    arrays = (x, h0, Wx, Wh, b) if c0 is None else (x, h0, c0, Wx, Wh, b)
    dt = getattr(x, "dtype", None)
    if dt in _FLOATS and all(type(a) is np.ndarray and a.dtype == dt for a in arrays):
        if x.ndim == 3 and Wh.ndim == 2:
            N, T, D = x.shape
            H = Wh.shape[0]
            if (Wh.shape[1] == 4 * H and Wx.shape == (D, 4 * H) and b.shape == (4 * H,)
                    and h0.shape == (N, H) and (c0 is None or c0.shape == (N, H)) and T >= 1):
                return x, h0, c0, Wx, Wh, b

    dims: dict = {}
    # The weights define the model, so they fix H and D; the data must match them.
    _, (Wh, Wx, b, x, h0, c0) = prepare(
        dims, ("Wh", Wh, ("H", "4H")), ("Wx", Wx, ("D", "4H")), ("b", b, ("4H",)),
        ("x", x, ("N", "T", "D")), ("h0", h0, ("N", "H")), ("c0", c0, ("N", "H")))
    if dims["T"] < 1:
        raise ValueError(f"x: expected at least one time step, shape (N, T, D) with T >= 1, got {x.shape}")
    return x, h0, c0, Wx, Wh, b


def lstm_forward(x, h0, c0, Wx, Wh, b, *, plain=False):
    """Run the LSTM over a whole sequence (stacked form).

    Inputs: ``x`` (N, T, D), ``x[:, t-1]`` = x_t; ``h0`` (N, H) = h_0; ``c0``
    (N, H) = c_0, or ``None`` (zeros); ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b``
    (4H,), gate order i, f, g, o.

    For t = 1 .. T, ``lstm_step_forward``:
        a_t = x_t Wx + h_{t-1} Wh + b;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
        c_t = f ⊙ c_{t-1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)

    Returns ``(h, cache)``: ``h`` (N, T, H) with ``h[:, t-1]`` = h_t, and an
    ``LSTMCache`` (gates, cell states and inputs over time).
    ``plain=True`` runs the loop below; by default the fast path computes the
    same (``_fast_lstm.py``).
    """
    x, h0, c0, Wx, Wh, b = _checked_inputs(x, h0, c0, Wx, Wh, b)
    if not plain:
        h, fields = _fast_forward(x, h0, c0, Wx, Wh, b)
        return h, LSTMCache(**fields)

    T = x.shape[1]
    c0 = np.zeros_like(h0) if c0 is None else c0  # all of one dtype now
    h, c, steps, hs = h0, c0, [], []
    for t in range(1, T + 1):
        h, c, step = lstm_step_forward(x[:, t - 1], h, c, Wx, Wh, b)
        steps.append(step)
        hs.append(h)

    def over_time(name):  # (N, T, H): index t-1 holds step t's value
        return np.stack([getattr(s, name) for s in steps], axis=1)

    h_seq, c_seq = np.stack(hs, axis=1), over_time("next_c")
    cache = LSTMCache(
        x=x, h0=h0, c0=c0, Wx=Wx, Wh=Wh, b=b,
        i=over_time("i"), f=over_time("f"), g=over_time("g"), o=over_time("o"),
        c=c_seq, tanh_c=over_time("tanh_next_c"), h=h_seq, c_final=c, h_final=h, packed=None,
        c_all=np.concatenate([c0[:, None], c_seq], axis=1),
        h_all=np.concatenate([h0[:, None], h_seq], axis=1), xh=None)
    return h_seq.copy(), cache


def lstm_backward(dh, cache: LSTMCache, *, plain=False):
    """Backward pass of ``lstm_forward`` over the whole sequence.

    Inputs: ``dh`` (N, T, H), ``dh[:, t-1]`` the upstream gradient of the loss
    with respect to h_t (from the layers above); ``cache`` from ``lstm_forward``.

    For t = T .. 1, ``lstm_step_backward`` with dnext_h = dh_t + ∂L/∂h_t from
    step t+1 and dnext_c = ∂L/∂c_t from step t+1 (both zero at t = T); its
    dprev_h, dprev_c go on to step t-1 and end as dh0, dc0. Then
    dWx = Σ_t x_tᵀ da_t, dWh = Σ_t h_{t-1}ᵀ da_t, db = Σ_t Σ_n da_t, dx_t = da_t Wxᵀ.

    Returns ``(dx, dh0, dc0, dWx, dWh, db)`` with shapes (N, T, D), (N, H),
    (N, H), (D, 4H), (H, 4H), (4H,).
    ``plain=True`` runs the loop below; by default the fast path computes the
    same, unless the cache was made by ``lstm_forward(..., plain=True)``.
    """
    check_cache(cache, LSTMCache, "lstm_forward")
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    if not (type(dh) is np.ndarray and dh.dtype in _FLOATS and dh.shape == (N, T, H)):
        dh = upstream("dh", dh, (N, T, H), ("N", "T", "H"))
    if not plain and cache.packed is not None:
        return _fast_backward(dh, cache)
    return _backward_loop(dh, cache)


def _backward_loop(dh, cache: LSTMCache, dc_final=None):
    """The plain loop of ``lstm_backward``, for arrays already checked.

    ``dc_final`` (N, H) or ``None``: a gradient reaching c_T from outside the
    sequence (truncated BPTT, ``lstm_ref.state``), the starting dnext_c.
    """
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    dtype = np.result_type(cache.x, dh)
    dx = np.empty((N, T, D), dtype)
    dWx, dWh, db = np.zeros(cache.Wx.shape, dtype), np.zeros(cache.Wh.shape, dtype), np.zeros(4 * H, dtype)
    dnext_h = np.zeros((N, H), dtype)
    dnext_c = np.zeros((N, H), dtype) if dc_final is None else dc_final.astype(dtype)
    for t in range(T, 0, -1):
        k = t - 1  # the 0-based index of step t
        step = LSTMStepCache(cache.x[:, k], cache.h_all[:, k], cache.c_all[:, k], cache.Wx, cache.Wh,
                             cache.i[:, k], cache.f[:, k], cache.g[:, k], cache.o[:, k],
                             cache.c[:, k], cache.tanh_c[:, k])
        dx[:, k], dnext_h, dnext_c, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, k] + dnext_h, dnext_c, step)
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dnext_h, dnext_c, dWx, dWh, db
