"""Argument checks shared by the data generators."""
from __future__ import annotations

import numpy as np


def check_rng(rng) -> np.random.Generator:
    """Refuse anything but a ``np.random.Generator`` (explicit randomness, reproducible runs)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator "
                         f"(np.random.default_rng(seed)), got {type(rng).__name__}")
    return rng


def check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` if it is not an integer >= minimum."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)
