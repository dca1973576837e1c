"""Animation 3: a gate as a valve, the sigmoid opening and closing."""
from __future__ import annotations

import numpy as np

from ..draw.gate_valve import draw_gate_valve
from ..trace import GATE_EXAMPLE_V, trace_gate
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["gate_valve_widget"]


def gate_valve_widget(mode: str = "static", v=GATE_EXAMPLE_V, z_values=None, offsets=None,
                      activation=None, dpi: int = 72):
    """g = σ(z) against z, and out = g ⊙ v, as the control slides z.

    ``v`` (K,): the vector arriving at the gate; ``z_values``: the control's
    options (default −6..6 in steps of 1); ``offsets`` (K,): per-element
    shifts so that z_k = z + offsets_k (default 0: one valve for all);
    ``activation``: a student's sigmoid instead of ``lstm_ref.sigmoid``.
    """
    z_values = np.arange(-6.0, 6.5, 1.0) if z_values is None else np.asarray(z_values, float)
    v = np.asarray(v, dtype=float)
    offsets = np.zeros_like(v) if offsets is None else np.asarray(offsets, float)

    def trace_at(z):
        return trace_gate(z + offsets, v, activation=activation)

    def build(fig):
        ax = fig.add_axes([0.08, 0.14, 0.9, 0.8])
        return draw_gate_valve(ax, trace_at(z_values[0]))

    def show(arts, z):
        arts.update(trace_at(z))

    scene = Scene("gate-valve", [control("z", tr("pre-activation z"), z_values, fmt=lambda z: f"{z:+g}",
                                         play=True, start=len(z_values) // 2)],
                  (6.4, 2.6), dpi, build, show, interval=600)
    return build_widget(scene, mode)
