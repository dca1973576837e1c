"""The adding problem (Hochreiter & Schmidhuber, 1997; the form of Le et al., 2015).

Each input step carries two numbers: a value drawn uniformly from [0, 1) and
a marker, 1 at exactly two positions and 0 elsewhere. One marker falls in
the first half of the sequence, the other in the second half. The target is
the sum of the two marked values. Predicting the constant 1 gives a mean
squared error of 1/6 ≈ 0.167; a model must carry the first marked value
across at least T/2 steps to do better.
"""
from __future__ import annotations

import numpy as np

from ..validate import check_int, check_rng

__all__ = ["adding_problem"]


def adding_problem(N: int, T: int, rng: np.random.Generator):
    """A batch of the adding problem.

        y[n] = Σ_t x[n, t, 0] · x[n, t, 1]

    Args:
        N: batch size (>= 1).
        T: sequence length (>= 2, so that each half holds a marker).
        rng: a ``np.random.Generator`` (successive calls continue its stream)
            or an int seed (``lstm_ref.validate.check_rng``).

    Returns:
        x: (N, T, 2) float64; channel 0 the values, channel 1 the markers.
        y: (N,) float64 targets in [0, 2).
    """
    N = check_int("N", N, 1)
    T = check_int("T", T, 2)
    rng = check_rng(rng)
    half = T // 2
    values = rng.random((N, T))
    first = rng.integers(0, half, size=N)
    second = rng.integers(half, T, size=N)
    markers = np.zeros((N, T))
    rows = np.arange(N)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = values[rows, first] + values[rows, second]
    return x, y
