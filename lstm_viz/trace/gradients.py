"""How much gradient reaches each earlier time step, for an RNN and an LSTM.

The loss looks only at the last hidden state, L = u · h_T with a fixed unit
vector u, so ∂L/∂h_t for t < T is exactly what backpropagation through time
carries back. The step backward functions of ``lstm_ref`` are run in a loop so
that every ∂L/∂h_t (and, for the LSTM, ∂L/∂c_t) is recorded on the way.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

import lstm_ref
from lstm_ref.validate import as_float, check_shape

__all__ = ["GradientTrace", "trace_rnn_gradients", "trace_lstm_gradients"]


class GradientTrace(NamedTuple):
    """Gradients of L = u · h_T carried back through time.

    ``cell``: "rnn" or "lstm". ``dh`` (T, H): ∂L/∂h_t. ``dc`` (T, H): ∂L/∂c_t
    (LSTM only, else None). ``norm`` (T,): ‖∂L/∂h_t‖₂, index 0 is the first step.
    """

    cell: str
    dh: np.ndarray
    dc: "np.ndarray | None"
    norm: np.ndarray

    @property
    def T(self) -> int:
        return self.dh.shape[0]


def _upstream(H: int) -> np.ndarray:
    return np.ones((1, H)) / np.sqrt(H)


def trace_rnn_gradients(x, Wx, Wh, b) -> GradientTrace:
    """∂L/∂h_t of a plain RNN for L = u · h_T, u = (1, ..., 1)/√H.

    ``x`` (T, D), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,); h_0 = 0.
    Uses ``rnn_step_forward`` / ``rnn_step_backward``:
    ∂L/∂h_{t-1} = ((1 − h_t²) ⊙ ∂L/∂h_t) Whᵀ.
    """
    x = as_float("x", x)
    dims: dict = {}
    check_shape("x", x, ("T", "D"), dims)
    check_shape("Wh", as_float("Wh", Wh), ("H", "H"), dims)
    T, H = x.shape[0], dims["H"]
    h = np.zeros((1, H))
    caches = []
    for t in range(T):
        h, cache = lstm_ref.rnn_step_forward(x[t][None], h, Wx, Wh, b)
        caches.append(cache)
    dh = np.empty((T, H))
    d = _upstream(H)
    for t in reversed(range(T)):
        dh[t] = d[0]
        d = lstm_ref.rnn_step_backward(d, caches[t])[1]
    return GradientTrace("rnn", dh, None, np.linalg.norm(dh, axis=1))


def trace_lstm_gradients(x, Wx, Wh, b) -> GradientTrace:
    """∂L/∂h_t and ∂L/∂c_t of an LSTM for L = u · h_T, u = (1, ..., 1)/√H.

    ``x`` (T, D), ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,); h_0 = c_0 = 0.
    Uses ``lstm_step_forward`` / ``lstm_step_backward``; along the cell path
    ∂L/∂c_{t-1} picks up f_t ⊙ ∂L/∂c_t, which is why the LSTM's gradient lasts.
    """
    x = as_float("x", x)
    dims: dict = {}
    check_shape("x", x, ("T", "D"), dims)
    check_shape("Wh", as_float("Wh", Wh), ("H", "4H"), dims)
    T, H = x.shape[0], dims["H"]
    h = np.zeros((1, H))
    c = np.zeros((1, H))
    caches = []
    for t in range(T):
        h, c, cache = lstm_ref.lstm_step_forward(x[t][None], h, c, Wx, Wh, b)
        caches.append(cache)
    dh = np.empty((T, H))
    dc = np.empty((T, H))
    d_h, d_c = _upstream(H), np.zeros((1, H))
    for t in reversed(range(T)):
        dh[t], dc[t] = d_h[0], d_c[0]
        _, d_h, d_c, *_ = lstm_ref.lstm_step_backward(d_h, d_c, caches[t])
    return GradientTrace("lstm", dh, dc, np.linalg.norm(dh, axis=1))
