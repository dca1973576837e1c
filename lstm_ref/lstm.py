"""The LSTM in the stacked form: one step, and a whole sequence.

Stacked weights: ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), column blocks in
gate order i, f, g, o (PyTorch's). One step:

    a   = x_t Wx + h_{t-1} Wh + b                (N, 4H)
    i   = σ(a_i),  f = σ(a_f),  g = tanh(a_g),  o = σ(a_o)
    c_t = f ⊙ c_{t-1} + i ⊙ g
    h_t = o ⊙ tanh(c_t)

The step functions are written to be read next to these equations. The
sequence functions ``lstm_forward``/``lstm_backward`` compute the same thing
faster (see ``_fast_lstm.py``); a test runs both against each other.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._fast_lstm import LSTMCache, lstm_backward, lstm_forward
from .validate import check_cache, prepare, upstream
from .activations import sigmoid, tanh

__all__ = [
    "LSTMStepCache",
    "LSTMCache",
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
]


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
    """One LSTM step in the stacked form.

    Inputs: ``x`` (N, D), ``prev_h`` (N, H), ``prev_c`` (N, H), ``Wx`` (D, 4H),
    ``Wh`` (H, 4H), ``b`` (4H,).

        a = x Wx + prev_h Wh + b;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
        next_c = f ⊙ prev_c + i ⊙ g;  next_h = o ⊙ tanh(next_c)

    Returns ``(next_h, next_c, cache)``: ``next_h``, ``next_c`` (N, H) and an
    ``LSTMStepCache``.
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
    respect to next_h and next_c; ``cache`` from ``lstm_step_forward``.

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
