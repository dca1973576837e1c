"""The repeating module of a plain RNN, drawn like the LSTM cell so the two compare.

One tanh layer reads [h_{t-1}, x_t]; its output h_t is copied to the next
step and to the output. Same frame, scale and symbols as ``draw_lstm_cell``,
so ``draw_rnn_module(ax1)`` beside ``draw_lstm_cell(ax2)`` shows one layer
against four.
"""
from __future__ import annotations

from typing import NamedTuple

from matplotlib.patches import FancyBboxPatch

from ._style import BODY, INK, STEP_COLOURS
from ._symbols import fork, layer, wire
from .lstm_cell import BOTTOM_Y, BOX_Y

__all__ = ["ModuleArtists", "draw_rnn_module"]


class ModuleArtists(NamedTuple):
    """``layers``: the module's layer boxes; ``lines``: its wires."""
    layers: list
    lines: list


def draw_rnn_module(ax) -> ModuleArtists:
    """The plain RNN's module: h_t = tanh(W [h_{t-1}, x_t] + b), one layer."""
    ax.set_axis_off()
    ax.add_patch(FancyBboxPatch((0.9, 0.8), 10.2, 6.3, boxstyle="round,pad=0.1", facecolor=BODY,
                                edgecolor="#cfc8b8", lw=1.2, zorder=0))
    colour = STEP_COLOURS[4]
    lines = wire(ax, [(0.0, BOTTOM_Y), (1.5, BOTTOM_Y)]) + wire(ax, [(1.5, -0.2), (1.5, BOTTOM_Y)])
    lines += wire(ax, [(1.5, BOTTOM_Y), (6.0, BOTTOM_Y), (6.0, BOX_Y)], lw=2.4)
    lines += wire(ax, [(6.0, BOX_Y), (6.0, 4.8)], colour)
    lines += wire(ax, [(6.0, 4.8), (12.0, 4.8)], colour, arrow=True)
    lines += wire(ax, [(6.0, 4.8), (6.0, 8.2)], colour, arrow=True)
    fork(ax, 6.0, 4.8, colour)
    box, _ = layer(ax, 6.0, BOX_Y, "tanh", colour)
    for x, y, s, ha in ((0.0, BOTTOM_Y + 0.3, r"$h_{t-1}$", "left"), (1.75, -0.1, r"$x_t$", "left"),
                        (12.0, 5.1, r"$h_t$", "right"), (6.25, 7.9, r"$h_t$", "left")):
        ax.text(x, y, s, fontsize=10, ha=ha, color=INK, zorder=6)
    ax.set_xlim(-0.3, 12.3)
    ax.set_ylim(-1.3, 8.7)
    ax.set_aspect("equal")
    return ModuleArtists([box], lines)
