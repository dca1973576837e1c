"""Record the hidden states of a plain RNN run over one sequence.

    h_t = tanh(x_t Wx + h_{t-1} Wh + b)

computed by ``lstm_ref.rnn_step_forward`` (or a caller's own step function).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

import lstm_ref
from lstm_ref.validate import as_float, check_shape

__all__ = ["RNNTrace", "trace_rnn"]


class RNNTrace(NamedTuple):
    """One plain-RNN run: ``x`` (T, D), ``h_prev`` (T, H) = h_{t-1}, ``h`` (T, H) = h_t."""

    x: np.ndarray
    h_prev: np.ndarray
    h: np.ndarray

    @property
    def T(self) -> int:
        return self.x.shape[0]


def trace_rnn(x, Wx, Wh, b, h0=None, step=None) -> RNNTrace:
    """Run a plain RNN over one sequence, recording h_{t-1} and h_t at every step.

    ``x`` (T, D), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,), ``h0`` (H,) or None for zeros.
    ``step``: a function with the signature of ``lstm_ref.rnn_step_forward``
    ``(x (N, D), prev_h (N, H), Wx, Wh, b) -> (next_h (N, H), cache)``; default the reference.
    """
    x, Wx, Wh, b = (as_float(n, a) for n, a in (("x", x), ("Wx", Wx), ("Wh", Wh), ("b", b)))
    dims: dict = {}
    check_shape("x", x, ("T", "D"), dims)
    check_shape("Wx", Wx, ("D", "H"), dims)
    check_shape("Wh", Wh, ("H", "H"), dims)
    check_shape("b", b, ("H",), dims)
    H = dims["H"]
    h = np.zeros(H) if h0 is None else as_float("h0", h0).reshape(-1)
    check_shape("h0", h, ("H",), dims)
    step = step or lstm_ref.rnn_step_forward
    hs = np.empty((x.shape[0], H))
    prev = np.empty((x.shape[0], H))
    for t in range(x.shape[0]):
        prev[t] = h
        h = np.asarray(step(x[t][None], h[None], Wx, Wh, b)[0], dtype=np.float64).reshape(H)
        hs[t] = h
    return RNNTrace(x=np.asarray(x, dtype=np.float64), h_prev=prev, h=hs)
