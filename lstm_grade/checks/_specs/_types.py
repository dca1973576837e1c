"""What a graded function's check is made of."""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

__all__ = ["Inputs", "Variant", "Spec", "ACTIVATIONS"]

# lstm_ref functions an answer may call outside chapter 3 (where writing the
# sigmoid is the exercise): the activations and their derivatives.
ACTIVATIONS = frozenset({"sigmoid", "tanh", "sigmoid_grad", "tanh_grad"})


class Inputs(dict):
    """Argument name -> value, in call order; ``copied()`` gives fresh copies of the arrays."""

    def copied(self) -> "Inputs":
        return Inputs({k: _copy(v) for k, v in self.items()})


def _copy(v):
    if isinstance(v, np.ndarray):
        return v.copy()
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, tuple) and hasattr(v, "_fields"):  # a cache NamedTuple
        return type(v)(*(_copy(x) for x in v))
    return v


class Variant(NamedTuple):
    """A known wrong answer: ``fn(inputs) -> parts`` and what to tell the student.

    ``says`` completes "your output equals ..." or states the mistake; the
    misconception id ``id`` adds its tag and table entry.
    """
    id: str
    fn: Callable[[Inputs], tuple]
    says: str


class Spec(NamedTuple):
    """One graded function.

    ``make(case) -> Inputs``; ``call(fn, inputs, forward) -> return value`` calls
    an answer (or the reference) with the inputs, ``forward`` being an optional
    student forward function that makes the cache of a backward pass;
    ``take(ret) -> tuple`` picks the compared parts (named ``parts``) from a
    return value or raises ``ValueError`` describing what was returned;
    ``reference(inputs) -> tuple`` gives the expected parts.
    ``mutates`` names inputs the function must change in place (compared as
    outputs ``name['key']``); every other input must stay unchanged.
    ``allowed`` names lstm_ref functions the answer may call. ``special``, if
    set, replaces the elementwise comparison (sampling is statistical):
    ``special(fn, cases, hidden, integrity)`` returns a problem text or the
    number of runs passed.
    """
    name: str
    make: Callable
    call: Callable
    take: Callable
    parts: tuple
    reference: Callable
    variants: tuple = ()
    mutates: frozenset = frozenset()
    allowed: frozenset = ACTIVATIONS
    hint: str = ""
    special: Callable | None = None
    hidden_kinds: frozenset = frozenset({"batch 1", "one time step", "H = D", "H = 1",
                                         "float32", "extreme"})
