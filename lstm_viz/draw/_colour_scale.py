"""Colour limits chosen from the data shown, and labelled colour bars.

Signed quantities (c, h, c̃, x) get limits symmetric around 0 so white
always means 0; gates get [0, 1], their whole range. A fixed ±1 would
saturate a cell state that has grown past 1, hiding exactly what a counting
unit does.
"""
from __future__ import annotations

import numpy as np

__all__ = ["GATE_FIELDS", "GATE_LIMITS", "is_gate", "nice_limit", "symmetric_limit", "label_colorbar"]

#: Trace fields that are sigmoid gates, so live in [0, 1].
GATE_FIELDS = frozenset({"i", "f", "o"})
GATE_LIMITS = (0.0, 1.0)

# Mantissas a limit is rounded up to, so colour bar ends read as round numbers.
_MANTISSAS = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def is_gate(field: str) -> bool:
    """True for a gate field ("i", "f", "o"), whose values lie in [0, 1]."""
    return field in GATE_FIELDS


def nice_limit(v: float) -> float:
    """The smallest round number m·10^k ≥ v (m in 1, 1.25, 1.5, 2, 2.5, ...); 1 for v ≤ 0 or not finite."""
    if not np.isfinite(v) or v <= 0:
        return 1.0
    scale = 10.0 ** np.floor(np.log10(v))
    # The tolerance keeps v = 1.5 at 1.5 when log10 rounding lands just above it.
    return float(scale * next(m for m in _MANTISSAS if m * scale >= v * (1 - 1e-9)))


def symmetric_limit(*arrays) -> float:
    """L = nice_limit(max |a|) over the finite entries of ``arrays``, for colour limits (−L, L)."""
    finite = [np.abs(a[np.isfinite(a)]) for a in map(np.asarray, arrays)]
    biggest = max((float(a.max()) for a in finite if a.size), default=0.0)
    return nice_limit(biggest)


def label_colorbar(cbar, lo: float, hi: float, label: str, fontsize: float = 6.5) -> None:
    """Ticks at both ends, the middle and the quarter points of (lo, hi), written as short numbers."""
    ticks = np.linspace(lo, hi, 5)
    cbar.set_ticks(ticks, labels=[f"{t:.3g}" for t in ticks])
    cbar.ax.tick_params(labelsize=fontsize, length=2, pad=1)
    cbar.set_label(label, fontsize=fontsize + 0.5, labelpad=2)
