"""The copy (memory) task (Hochreiter & Schmidhuber, 1997; Arjovsky et al., 2016).

The network reads S data symbols, waits through a stretch of blanks, sees a
"go" marker, and must then write the S symbols back in order. Until the
output phase the right answer is always the blank.

Vocabulary (V = n_symbols + 2): 0 blank, 1..n_symbols data, n_symbols + 1 go.
Layout of one sequence (T = 2 S + delay):

    x:  d_1 .. d_S | 0 .. 0 (delay − 1) | go | 0 .. 0 (S)
    y:  0 .. 0 (S + delay)                   | d_1 .. d_S

A model that only outputs blanks, then guesses uniformly, has a mean
cross-entropy per token of S · log(n_symbols) / T.
"""
from __future__ import annotations

import numpy as np

from ..validate import check_int, check_rng

__all__ = ["copy_task"]


def copy_task(N: int, S: int, delay: int, rng: np.random.Generator, n_symbols: int = 8):
    """A batch of the copy task.

    Args:
        N: batch size (>= 1).
        S: number of symbols to copy (>= 1).
        delay: steps between the last data symbol and the first output (>= 1;
            the go marker is the last of them).
        rng: a ``np.random.Generator`` (successive calls continue its stream)
            or an int seed (``lstm_ref.validate.check_rng``).
        n_symbols: size of the data alphabet (>= 1).

    Returns:
        x: (N, T) int64 input ids, T = 2 S + delay.
        y: (N, T) int64 target ids.
        V = n_symbols + 2 is the vocabulary size for one-hot encoding.
    """
    N = check_int("N", N, 1)
    S = check_int("S", S, 1)
    delay = check_int("delay", delay, 1)
    n_symbols = check_int("n_symbols", n_symbols, 1)
    rng = check_rng(rng)
    T = 2 * S + delay
    data = rng.integers(1, n_symbols + 1, size=(N, S))
    x = np.zeros((N, T), dtype=np.int64)
    y = np.zeros((N, T), dtype=np.int64)
    x[:, :S] = data
    x[:, S + delay - 1] = n_symbols + 1
    y[:, S + delay:] = data
    return x, y
