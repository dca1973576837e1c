"""A gate as a valve: the numbers behind the picture of chapter 3.

    gate = σ(z),    out = gate ⊙ v
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

import lstm_ref
from lstm_ref.validate import as_float

__all__ = ["GateTrace", "trace_gate", "GATE_EXAMPLE_V", "example_gate_trace"]

# The vector arriving at the gate in chapter 3's picture and widget (K = 5).
GATE_EXAMPLE_V = (0.9, -0.6, 0.4, 1.0, -0.3)


class GateTrace(NamedTuple):
    """``z`` (K,) pre-activations, ``gate`` (K,) = σ(z), ``v`` (K,) the vector
    arriving at the gate, ``out`` (K,) = gate ⊙ v; ``curve_z``, ``curve_gate``
    (M,) the activation sampled for plotting its graph."""

    z: np.ndarray
    gate: np.ndarray
    v: np.ndarray
    out: np.ndarray
    curve_z: np.ndarray
    curve_gate: np.ndarray


def trace_gate(z, v, activation=None, z_range=(-8.0, 8.0), samples: int = 161) -> GateTrace:
    """Evaluate a gate σ(z) and what it lets through of ``v``.

    ``z``: a scalar (one gate value for every element) or (K,); ``v`` (K,).
    ``activation``: the squashing function, default ``lstm_ref.sigmoid``
    (a student's own sigmoid may be passed).
    """
    v = np.atleast_1d(as_float("v", v)).astype(np.float64)
    z = np.atleast_1d(as_float("z", z)).astype(np.float64)
    if v.ndim != 1:
        raise ValueError(f"v: expected shape (K,), got {v.shape}")
    if z.shape == (1,):
        z = np.full(v.shape, z[0])
    if z.shape != v.shape:
        raise ValueError(f"z: expected a scalar or shape (K,) = {v.shape} like v, got {z.shape}")
    act = activation or lstm_ref.sigmoid
    gate = np.asarray(act(z), dtype=np.float64)
    curve_z = np.linspace(*z_range, samples)
    return GateTrace(z, gate, v, gate * v, curve_z, np.asarray(act(curve_z), dtype=np.float64))


def example_gate_trace(z=1.0) -> GateTrace:
    """The example of chapter 3: one gate value σ(z) on ``GATE_EXAMPLE_V`` (K = 5)."""
    return trace_gate(z, GATE_EXAMPLE_V)
