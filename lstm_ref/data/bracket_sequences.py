"""Bracket sequences: is a string of ( and ) balanced, and how deep is each point?

Half of each batch is balanced (a random walk of opens and closes that never
goes below depth 0 and ends at 0); the other half is a balanced string with
one bracket flipped, which changes the final depth by ±2 and so can never be
balanced. Telling them apart needs a counter, the kind of thing an LSTM's
cell state can hold (Karpathy's "bracket cell").

Ids: 0 for "(", 1 for ")".
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..validate import check_int, check_rng

__all__ = ["BRACKET_SYMBOLS", "BracketsBatch", "brackets", "bracket_depth"]

BRACKET_SYMBOLS = "()"


class BracketsBatch(NamedTuple):
    """x: (N, T) int64 ids; depth: (N, T) int64 depth after each symbol;
    balanced: (N,) bool; strings: list of N strings."""
    x: np.ndarray
    depth: np.ndarray
    balanced: np.ndarray
    strings: list


def bracket_depth(x) -> np.ndarray:
    """depth[n, t] = #opens − #closes in x[n, :t + 1] (ids: 0 open, 1 close); (N, T) -> (N, T)."""
    x = np.asarray(x)
    ok = x.ndim == 2 and np.issubdtype(x.dtype, np.integer) and np.isin(x, (0, 1)).all()
    if not ok:
        raise ValueError(f"x: expected an (N, T) integer array of 0s and 1s, got shape {x.shape}, "
                         f"dtype {x.dtype}")
    return np.cumsum(1 - 2 * x, axis=1)


def _balanced_walk(T: int, rng: np.random.Generator, p_open: float) -> np.ndarray:
    out = np.empty(T, dtype=np.int64)
    depth = 0
    for t in range(T):
        remaining = T - t
        if depth == 0:
            step = 0                    # must open
        elif depth >= remaining:
            step = 1                    # must close to end at depth 0
        else:
            step = 0 if rng.random() < p_open else 1
        out[t] = step
        depth += 1 if step == 0 else -1
    return out


def brackets(N: int, T: int, rng: np.random.Generator, p_open: float = 0.5) -> BracketsBatch:
    """A batch of bracket strings, half balanced and half not, in random order.

    Args:
        N: batch size (>= 1).
        T: string length, even and >= 2.
        rng: a ``np.random.Generator`` (successive calls continue its stream)
            or an int seed (``lstm_ref.validate.check_rng``).
        p_open: probability of opening when both moves are allowed, in (0, 1);
            larger values give deeper nesting.

    Returns:
        a ``BracketsBatch``: x (N, T), depth (N, T), balanced (N,), strings.
    """
    N = check_int("N", N, 1)
    T = check_int("T", T, 2)
    if T % 2:
        raise ValueError(f"T: expected an even length (a balanced string has as many "
                         f"closes as opens), got {T}")
    if not 0.0 < float(p_open) < 1.0:
        raise ValueError(f"p_open: expected a number in (0, 1), got {p_open}")
    rng = check_rng(rng)
    x = np.stack([_balanced_walk(T, rng, float(p_open)) for _ in range(N)])
    balanced = rng.permutation(np.arange(N) < (N + 1) // 2)
    flip_at = rng.integers(0, T, size=N)
    rows = np.flatnonzero(~balanced)
    x[rows, flip_at[rows]] ^= 1
    strings = ["".join(BRACKET_SYMBOLS[i] for i in row) for row in x]
    return BracketsBatch(x, bracket_depth(x), balanced, strings)
