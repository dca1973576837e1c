"""The Reber grammar and the embedded Reber grammar (Hochreiter & Schmidhuber, 1997).

A Reber string is a walk through a small finite automaton that starts with
B and ends with E, for example ``BTSSXXTVVE``. The *embedded* grammar wraps
one in ``B T ... T E`` or ``B P ... P E``: the penultimate symbol must
repeat the second one, across a whole inner Reber string. Predicting that
symbol needs a memory of 10-30 steps, which is why this was the first task
the LSTM paper solved and plain RNNs trained by gradient descent struggled
with.

Encoding: 7 symbols ``BTSXPVE`` with ids 0..6. Next-symbol prediction: the
input is the string without its last symbol, the target the string shifted
by one; batches of different lengths are padded at the end and masked.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..validate import check_int, check_rng
from .encoding import one_hot

__all__ = ["REBER_SYMBOLS", "ReberBatch", "reber_string", "embedded_reber_string",
           "is_reber", "is_embedded_reber", "embedded_reber", "encode_reber"]

REBER_SYMBOLS = "BTSXPVE"

# state -> ((symbol, next state), (symbol, next state)); state 6 accepts E.
_TRANSITIONS = {
    0: (("T", 1), ("P", 2)),
    1: (("S", 1), ("X", 3)),
    2: (("T", 2), ("V", 4)),
    3: (("X", 2), ("S", 5)),
    4: (("P", 3), ("V", 5)),
}


class ReberBatch(NamedTuple):
    """A padded batch of embedded Reber strings for next-symbol prediction.

    strings: list of N strings.
    x: (N, T, 7) one-hot inputs, float64; T = longest length − 1.
    y: (N, T) int64 target ids (the next symbol), 0 where padded.
    mask: (N, T) bool, True where a target is real.
    lengths: (N,) int64 string lengths.
    penultimate: (N,) int64 time index t whose target y[n, t] is the
        penultimate (long-dependency) symbol, that is ``lengths − 3``.
    """
    strings: list
    x: np.ndarray
    y: np.ndarray
    mask: np.ndarray
    lengths: np.ndarray
    penultimate: np.ndarray


def reber_string(rng: np.random.Generator) -> str:
    """One string of the Reber grammar, each branch taken with probability 1/2."""
    rng = check_rng(rng)
    out, state = ["B"], 0
    while state != 5:
        symbol, state = _TRANSITIONS[state][int(rng.integers(2))]
        out.append(symbol)
    out.append("E")
    return "".join(out)


def embedded_reber_string(rng: np.random.Generator) -> str:
    """One embedded Reber string: ``B`` + a + Reber string + a + ``E``, a ∈ {T, P}."""
    rng = check_rng(rng)
    a = "TP"[int(rng.integers(2))]
    return "B" + a + reber_string(rng) + a + "E"


def is_reber(s: str) -> bool:
    """True if ``s`` is a string of the Reber grammar (walks the automaton)."""
    if not isinstance(s, str) or len(s) < 2 or s[0] != "B" or s[-1] != "E":
        return False
    state = 0
    for symbol in s[1:-1]:
        if state == 5:
            return False
        moves = dict(_TRANSITIONS[state])
        if symbol not in moves:
            return False
        state = moves[symbol]
    return state == 5


def is_embedded_reber(s: str) -> bool:
    """True if ``s`` is ``B a <Reber string> a E`` with a ∈ {T, P}."""
    return (isinstance(s, str) and len(s) >= 4 and s[0] == "B" and s[-1] == "E"
            and s[1] in "TP" and s[-2] == s[1] and is_reber(s[2:-2]))


def encode_reber(strings) -> ReberBatch:
    """Pad and one-hot a list of N strings over ``BTSXPVE`` (see ``ReberBatch``)."""
    strings = list(strings)
    if not strings:
        raise ValueError("strings: expected at least one string, got none")
    bad = [s for s in strings if not isinstance(s, str) or len(s) < 4
           or set(s) - set(REBER_SYMBOLS)]
    if bad:
        raise ValueError(f"strings: expected strings of length >= 4 over {REBER_SYMBOLS!r}, "
                         f"got {bad[0]!r}")
    lengths = np.array([len(s) for s in strings], dtype=np.int64)
    N, T = len(strings), int(lengths.max()) - 1
    ids = np.zeros((N, T + 1), dtype=np.int64)
    for n, s in enumerate(strings):
        ids[n, :len(s)] = [REBER_SYMBOLS.index(ch) for ch in s]
    mask = np.arange(T)[None, :] < (lengths - 1)[:, None]
    x = one_hot(ids[:, :-1], len(REBER_SYMBOLS)) * mask[..., None]
    y = np.where(mask, ids[:, 1:], 0)
    return ReberBatch(strings, x, y, mask, lengths, lengths - 3)


def embedded_reber(n: int, rng: np.random.Generator) -> ReberBatch:
    """A batch of ``n`` embedded Reber strings, encoded for next-symbol prediction.

    Returns a ``ReberBatch``: x (n, T, 7) float64, y (n, T) int64,
    mask (n, T) bool, with T = longest string length − 1.
    """
    n = check_int("n", n, 1)
    rng = check_rng(rng)
    return encode_reber([embedded_reber_string(rng) for _ in range(n)])
