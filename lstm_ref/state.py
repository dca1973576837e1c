"""Carrying the state across batches: truncated backpropagation through time.

A long stream (a book, a year of sensor readings) does not fit in one
forward pass. Truncated BPTT cuts it into consecutive windows of T steps and
trains on one window at a time:

* **forward, carried**: window k + 1 starts from the last states of window
  k, ``h0, c0 = final_state(cache_k)``, so the model's memory flows through
  the whole stream (``lstm_forward(x_{k+1}, h0, c0, Wx, Wh, b)``);
* **backward, truncated**: the gradient of window k + 1 stops at its own
  first step. ``lstm_backward`` returns ``dh0, dc0`` for window k + 1, and
  they are dropped: nothing flows back into window k, whose backward pass has
  already run. (PyTorch needs ``h.detach()`` for this; in NumPy there is no
  graph to cut, the carried states are plain arrays.)

So the forward pass sees up to the whole past, while each gradient reaches
back at most T steps: a dependency longer than T can be *used* once learned,
but is hard to *learn*. ``consecutive_windows`` deals a stream into N
parallel rows whose windows continue each other, the layout that carrying
needs (row n of batch k + 1 continues row n of batch k).

``lstm_backward_with_state`` is ``lstm_backward`` for a sequence whose last
states feed something else (the encoder of ``lstm_ref.seq2seq`` hands its
``h_T, c_T`` to the decoder): it also takes the gradients ``dh_final``,
``dc_final`` arriving at h_T and c_T.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .lstm import LSTMCache, _backward_loop, lstm_backward
from .validate import as_int, check_cache, upstream

__all__ = ["final_state", "lstm_backward_with_state", "consecutive_windows"]


def final_state(cache):
    """The last states of a forward pass, as fresh arrays to start the next window from.

    ``cache``: an ``LSTMCache`` (from ``lstm_forward``) -> ``(h_T, c_T)``, each
    (N, H); or a ``StackedLSTMCache`` (from ``stacked_lstm_forward``) ->
    ``(h_T, c_T)``, each (L, N, H). Copies, so that the next window cannot
    change the cache of this one.
    """
    if isinstance(cache, LSTMCache):
        return cache.h_final.copy(), cache.c_final.copy()
    from .stacked import StackedLSTMCache
    if isinstance(cache, StackedLSTMCache):
        return cache.h_final.copy(), cache.c_final.copy()
    raise ValueError(f"cache: expected the LSTMCache of lstm_forward or the StackedLSTMCache "
                     f"of stacked_lstm_forward, got {type(cache).__name__}")


def lstm_backward_with_state(dh, cache: LSTMCache, dh_final=None, dc_final=None):
    """``lstm_backward`` with gradients also arriving at the last states h_T and c_T.

    Inputs: ``dh`` (N, T, H), gradient at every hidden state (``None``: zeros);
    ``cache`` from ``lstm_forward``; ``dh_final`` (N, H) or ``None``, the
    gradient reaching h_T from outside the sequence (added to dh[:, T-1]);
    ``dc_final`` (N, H) or ``None``, the gradient reaching c_T, which starts
    the cell's backward recursion instead of zero:

        ∂L/∂c_T = dc_final + dh_T ⊙ o_T ⊙ (1 − tanh²(c_T)),  then as ``lstm_backward``.

    Returns ``(dx, dh0, dc0, dWx, dWh, db)``: (N, T, D), (N, H), (N, H),
    (D, 4H), (H, 4H), (4H,). Without ``dc_final`` this is the fast
    ``lstm_backward``; with it, a loop of ``lstm_step_backward``.
    """
    check_cache(cache, LSTMCache, "lstm_forward")
    N, T, D = cache.x.shape
    H = cache.h0.shape[1]
    dh = (np.zeros((N, T, H), cache.h.dtype) if dh is None
          else upstream("dh", dh, (N, T, H), ("N", "T", "H")).copy())
    if dh_final is not None:
        dh[:, -1] += upstream("dh_final", dh_final, (N, H), ("N", "H"))
    if dc_final is None:
        return lstm_backward(dh, cache)
    return _backward_loop(dh, cache, upstream("dc_final", dc_final, (N, H), ("N", "H")))


def consecutive_windows(ids, N: int, T: int) -> Iterator[tuple]:
    """Deal one stream of token ids into N parallel rows and yield consecutive windows.

    ``ids`` (S,) ints. The stream is cut into N equal rows of
    R = S // N tokens (the tail that does not fill a row is dropped);
    window k is ``x = rows[:, kT : (k+1)T]`` with targets shifted by one,
    ``y = rows[:, kT+1 : (k+1)T+1]``. Row n of window k + 1 continues row n of
    window k exactly, so the model's last states of one window are the right
    initial states of the next.

    Yields ``(x, y)`` pairs, each (N, T) int64, ⌊(R − 1) / T⌋ of them (one
    pass over the stream); raises ``ValueError`` if not even one fits.
    """
    ids = as_int("ids", ids)
    if ids.ndim != 1:
        raise ValueError(f"ids: expected a 1-d stream of shape (S,), got shape {ids.shape}")
    for name, v in (("N", N), ("T", T)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name}: expected an integer >= 1, got {v!r}")
    R = len(ids) // N
    windows = (R - 1) // T
    if windows < 1:
        raise ValueError(f"ids: a stream of {len(ids)} ids gives rows of {R} for N = {N}, "
                         f"too short for one window of T + 1 = {T + 1}")
    rows = ids[:N * R].reshape(N, R)

    def generate():
        for k in range(windows):
            s = k * T
            yield rows[:, s:s + T].copy(), rows[:, s + 1:s + T + 1].copy()

    return generate()
