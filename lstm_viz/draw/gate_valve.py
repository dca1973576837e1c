"""A gate as a valve: the sigmoid's output against its input (left), and how
much of a vector passes through (right: what arrives, faint; what passes, solid).
"""
from __future__ import annotations

import numpy as np

from ._style import INK, STEP_COLOURS
from ..words import tr

__all__ = ["draw_gate_valve", "GateValveArtists"]

GATE = STEP_COLOURS[1]
PASSED = STEP_COLOURS[4]


class GateValveArtists:
    """Handles: ``curve`` (Line2D of σ), ``points`` (markers at (z_k, σ(z_k))),
    ``arrived`` and ``passed`` (bar containers of v and σ(z) ⊙ v), ``title``."""

    def __init__(self, curve_ax, bar_ax, curve, points, arrived, passed, title):
        self.curve_ax, self.bar_ax = curve_ax, bar_ax
        self.curve, self.points, self.arrived, self.passed, self.title = curve, points, arrived, passed, title

    def update(self, trace) -> None:
        self.curve.set_data(trace.curve_z, trace.curve_gate)
        self.points.set_data(trace.z, trace.gate)
        for bar, v in zip(self.arrived, trace.v):
            bar.set_height(v)
        for bar, v in zip(self.passed, trace.out):
            bar.set_height(v)
        g = trace.gate
        if np.allclose(g, g[0]):
            self.title.set_text(tr("σ(z) = {gate}: {percent}% of each value passes", gate=f"{g[0]:.2f}",
                                   percent=f"{100 * g[0]:.0f}"))
        else:
            self.title.set_text(tr("σ(z) from {low} to {high}: each value has its own valve",
                                   low=f"{g.min():.2f}", high=f"{g.max():.2f}"))


def draw_gate_valve(ax, trace) -> GateValveArtists:
    """Draw a gate g = σ(z) and what it lets through, out = g ⊙ v.

    ``trace``: a ``GateTrace`` (``z``, ``gate``, ``v``, ``out`` (K,), the curve
    (M,)) from ``lstm_viz.trace.trace_gate`` (``example_gate_trace()`` is
    chapter 3's example); nothing is computed here.
    The given axes is split in two; returns ``GateValveArtists``.
    """
    ax.set_axis_off()
    left = ax.inset_axes([0.0, 0.0, 0.44, 0.86])
    right = ax.inset_axes([0.56, 0.0, 0.44, 0.86])
    left.axhline(0, color="#dddddd", lw=0.8)
    left.axhline(1, color="#dddddd", lw=0.8)
    curve, = left.plot(trace.curve_z, trace.curve_gate, color=GATE, lw=2)
    points, = left.plot(trace.z, trace.gate, "o", color=INK, ms=5, zorder=3)
    left.set_xlim(trace.curve_z[0], trace.curve_z[-1])
    left.set_ylim(-0.05, 1.05)
    left.set_xlabel(tr("z (pre-activation)"), fontsize=8)
    left.set_ylabel(tr("gate σ(z)"), fontsize=8)
    left.tick_params(labelsize=7)
    K = len(trace.v)
    xs = np.arange(K)
    arrived = right.bar(xs, trace.v, width=0.7, color="#cccccc", edgecolor="#999999", label=tr("arrives: v"))
    passed = right.bar(xs, trace.out, width=0.45, color=PASSED, label=tr("passes: σ(z) ⊙ v"))
    right.axhline(0, color=INK, lw=0.8)
    lim = max(1.0, float(np.max(np.abs(trace.v))) * 1.1)
    right.set_ylim(-lim, lim)
    right.set_xticks(xs, [f"v{k}" for k in range(K)], fontsize=7)
    right.tick_params(labelsize=7)
    right.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
    title = ax.text(0.0, 1.0, "", transform=ax.transAxes, fontsize=9, color=INK, va="center")
    arts = GateValveArtists(left, right, curve, points, arrived, passed, title)
    arts.update(trace)
    return arts
