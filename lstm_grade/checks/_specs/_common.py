"""Helpers shared by the chapter specs: random inputs, calling, picking outputs."""
from __future__ import annotations

import numpy as np

from .._cases import Case
from .._text import say
from ._types import Inputs

__all__ = ["normal", "uniform", "weight", "call_positional", "take_array", "take_first",
           "take_all", "extreme_factor"]

EXTREME = 1000.0


def extreme_factor(case: Case) -> float:
    """1 for normal cases; large for extreme ones (pre-activations of order ±1000)."""
    return EXTREME if case.scale == "extreme" else 1.0


def normal(rng, shape, case: Case, scale=1.0) -> np.ndarray:
    """N(0, scale²) values in the case's dtype."""
    return (rng.standard_normal(shape) * scale).astype(case.dtype)


def uniform(rng, shape, case: Case, low=-1.0, high=1.0) -> np.ndarray:
    """U(low, high) values in the case's dtype."""
    return rng.uniform(low, high, shape).astype(case.dtype)


def weight(rng, shape, fan_in: int, case: Case) -> np.ndarray:
    """A weight scaled so pre-activations are of order 1 (or ±1000 in extreme cases)."""
    return normal(rng, shape, case, extreme_factor(case) / np.sqrt(fan_in))


def call_positional(fn, inputs: Inputs, forward=None):
    """fn(*inputs in order)."""
    return fn(*inputs.values())


def _as_tuple(ret, what: str, n: int):
    if not isinstance(ret, (tuple, list)):
        got = "None" if ret is None else type(ret).__name__
        raise ValueError(say("your function should return {what} ({n} values), got {got}.",
                             what=what, n=n, got=got))
    if len(ret) != n:
        raise ValueError(say("your function should return {what} ({n} values), got {count} values.",
                             what=what, n=n, count=len(ret)))
    return tuple(ret)


def take_array(name: str):
    """The answer returns one array, compared as ``name``."""
    def take(ret, given):
        if ret is None:
            raise ValueError(say("your function returned None instead of {name}: add `return {name}`.",
                                 name=name))
        if isinstance(ret, (tuple, list)) and len(ret) and hasattr(ret[0], "shape"):
            raise ValueError(say("your function should return one array {name}, got a "
                                 "{type} of {count} values.", name=name, type=type(ret).__name__,
                                 count=len(ret)))
        return (ret,)
    return take


def take_first(names: tuple, total: tuple):
    """The answer returns ``total`` (e.g. ("next_h", "cache")); the first len(names) are compared."""
    what = "(" + ", ".join(total) + ")"

    def take(ret, given):
        return _as_tuple(ret, what, len(total))[: len(names)]
    return take


def take_all(names: tuple):
    """The answer returns exactly the parts ``names``, all compared."""
    return take_first(names, names)
