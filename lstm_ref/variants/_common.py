"""What the three variants share: initial states, and the loops over time.

The sequence functions are loops of the step functions, written for reading
(the variants have no speed target): ``forward_through_time`` applies a step
for t = 1 .. T and ``backward_through_time`` applies its backward for
t = T .. 1, summing the weight gradients. Arrays are 0-based: ``x[:, t-1]``
holds x_t and ``h[:, t-1]`` holds h_t.
"""
from __future__ import annotations

import numpy as np


__all__: list[str] = []


def zeros_if_none(a, shape: tuple, dtype) -> np.ndarray:
    """An initial state: ``a`` itself, or zeros of ``shape`` when ``a`` is ``None``."""
    return np.zeros(shape, dtype) if a is None else a


def forward_through_time(step_forward, x, states: tuple, weights: tuple):
    """Apply ``step_forward(x_t, *states, *weights) -> (*next_states, cache)`` for t = 1 .. T.

    ``x`` (N, T, D); ``states`` the initial states (h_0 first, then c_0 if the
    cell has one), each (N, H). Returns ``(h, states, steps)``: ``h`` (N, T, H)
    with ``h[:, t-1]`` = h_t, the last states (h_T first), and the T step caches.
    """
    hs, steps = [], []
    for t in range(1, x.shape[1] + 1):
        *states, step = step_forward(x[:, t - 1], *states, *weights)
        hs.append(states[0])
        steps.append(step)
    return np.stack(hs, axis=1), tuple(states), steps


def over_time(steps: list, name: str) -> np.ndarray:
    """The field ``name`` of every step cache, stacked (N, T, ...): index t-1 holds step t's."""
    return np.stack([getattr(s, name) for s in steps], axis=1)


def previous(first: np.ndarray, seq: np.ndarray, t: int) -> np.ndarray:
    """The state step t starts from: ``first`` (the initial state) at t = 1, else ``seq[:, t-2]``."""
    return first if t == 1 else seq[:, t - 2]


def backward_through_time(step_backward, dh: np.ndarray, step_cache, n_states: int):
    """Apply ``step_backward`` for t = T .. 1 and sum the weight gradients.

    ``step_backward(dnext_h, *dnext_others, cache) -> (dx_t, *dprev_states, *dweights)``;
    ``step_cache(t)`` rebuilds step t's cache; ``n_states`` counts the states
    (1 for h, 2 for h and c). dnext_h = dh_t + the gradient step t+1 sends back
    to h_t; the other states' gradients come only from step t+1 (zero at t = T).
    Returns ``(dx, dstates0, dweights)``: dx (N, T, D), the gradients of the
    initial states (dh0 first) and the summed weight gradients, in the step's order.
    """
    N, T, H = dh.shape
    dstates = [np.zeros((N, H), dh.dtype) for _ in range(n_states)]
    dx, dweights = None, None
    for t in range(T, 0, -1):
        dx_t, *rest = step_backward(dh[:, t - 1] + dstates[0], *dstates[1:], step_cache(t))
        dstates, dw = rest[:n_states], rest[n_states:]
        if dx is None:
            dx = np.empty((N, T, dx_t.shape[1]), dx_t.dtype)
            dweights = [np.zeros_like(g) for g in dw]
        dx[:, t - 1] = dx_t
        for total, g in zip(dweights, dw):
            total += g
    return dx, tuple(dstates), tuple(dweights)


# Time-major helpers for the vectorised ablation cell (lstm_ref/ablations.py),
# which keeps per-step buffers (T, N, H) so that step t is one contiguous block.

def time_major(a: np.ndarray) -> np.ndarray:
    """(N, T, ...) -> (T, N, ...) view."""
    return a.swapaxes(0, 1)


def batch_major(a: np.ndarray) -> np.ndarray:
    """(T, N, ...) -> (N, T, ...) view."""
    return a.swapaxes(0, 1)


def shifted(first: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """The previous state at every step, time-major: [first, seq[0], ..., seq[T-2]]."""
    out = np.empty(seq.shape, dtype=np.result_type(first, seq))
    if len(seq):
        out[0] = first
        out[1:] = seq[:-1]
    return out
