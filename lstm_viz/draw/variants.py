"""The three variants of chapter 10, drawn with the cell's symbols.

- ``draw_peephole_cell``: the standard cell plus three dashed peephole lines,
  c_{t-1} into the forget and input gates and c_t into the output gate;
- ``draw_coupled_cell``: no input-gate layer; the forget gate's output is
  copied into a pointwise 1 − f_t that scales the candidate;
- ``draw_gru_cell``: one state h along the top, a reset and an update gate,
  the candidate n_t, and h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}.

Each returns ``VariantArtists``: ``parts`` ((artist, step, kind) as in the
cell diagram), ``layers`` (the filled layer boxes, in drawing order) and
``extra`` (what the variant adds: peephole lines, the 1 − node, ...).
"""
from __future__ import annotations

from typing import NamedTuple

from matplotlib.patches import FancyBboxPatch

from ._style import BODY, INK, STEP_COLOURS
from ._symbols import fork, layer, pointwise, wire
from .lstm_cell import BELT_Y, BOX_Y, LAYER_H, LSTMCellArtists, cell_diagram
from ..words import tr

__all__ = ["VariantArtists", "draw_peephole_cell", "draw_coupled_cell", "draw_gru_cell"]

PEEPHOLE = "#7a4fb3"


class VariantArtists(NamedTuple):
    parts: list
    layers: list
    extra: dict


def _frame(ax, right=12.3):
    ax.set_axis_off()
    ax.set_xlim(-0.3, right)
    ax.set_ylim(-1.3, 8.7)
    ax.set_aspect("equal")


def _coloured_cell(ax, coupled):
    parts = [p for p in cell_diagram(ax, coupled=coupled) if p[2] is not None]
    cell = LSTMCellArtists(ax, parts, None, [], ax.text(0, 0, ""), ax.text(0, 0, ""))
    cell.update(None)
    return parts, [a for a, _, kind in parts if kind == "box"]


def draw_peephole_cell(ax) -> VariantArtists:
    """The LSTM with peepholes (Gers & Schmidhuber 2000): the gates also read the cell state."""
    parts, layers = _coloured_cell(ax, coupled=False)
    top = BOX_Y + LAYER_H / 2
    lines = {
        "p_f": wire(ax, [(1.7, BELT_Y), (2.25, top)], PEEPHOLE, style="--"),
        "p_i": wire(ax, [(1.7, BELT_Y), (4.05, top)], PEEPHOLE, style="--"),
        "p_o": wire(ax, [(8.6, BELT_Y), (8.6, top)], PEEPHOLE, style="--"),
    }
    fork(ax, 1.7, BELT_Y, PEEPHOLE)
    fork(ax, 8.6, BELT_Y, PEEPHOLE)
    for x, y, s in ((1.35, 4.6, r"$p_f$"), (3.45, 5.35, r"$p_i$"), (8.7, 5.4, r"$p_o$")):
        ax.text(x, y, s, fontsize=9, color=PEEPHOLE, zorder=6)
    ax.text(0.0, 7.6, tr("peepholes: $c_{t-1}$ into $f_t$ and $i_t$, $c_t$ into $o_t$ (dashed)"),
            fontsize=9, color=PEEPHOLE)
    _frame(ax)
    return VariantArtists(parts, layers, lines)


def draw_coupled_cell(ax) -> VariantArtists:
    """The coupled LSTM: the input gate is 1 − f_t, a pointwise operation, not a layer."""
    parts, layers = _coloured_cell(ax, coupled=True)
    one_minus = [a for a, step, kind in parts if kind == "node" and step == 2 and a.center[0] < 5.0]
    ax.text(0.0, 7.6, tr("coupled: write exactly what is forgotten, $i_t = 1 - f_t$"), fontsize=9,
            color=STEP_COLOURS[2])
    _frame(ax)
    return VariantArtists(parts, layers, {"one_minus": one_minus})


def draw_gru_cell(ax) -> VariantArtists:
    """The GRU (Cho et al. 2014) in PyTorch's form: one state, a reset and an update gate.

    The reset gate multiplies h_{t-1} W_hn + b_hn, the output of a linear layer,
    not h_{t-1} itself: r_t ⊙ (h_{t-1} W_hn + b_hn) enters the candidate's tanh.
    """
    ax.add_patch(FancyBboxPatch((0.9, 0.8), 10.6, 6.3, boxstyle="round,pad=0.1", facecolor=BODY,
                                edgecolor="#cfc8b8", lw=1.2, zorder=0))
    reset, update, cand = STEP_COLOURS[1], STEP_COLOURS[2], STEP_COLOURS[4]
    parts = []

    def add(arts, step):
        parts.extend((a, step, "line") for a in arts)

    # The one state h runs along the top: × z_t keeps, + writes (1 − z_t) ⊙ n_t.
    add(wire(ax, [(0.0, BELT_Y), (12.4, BELT_Y)], INK, arrow=True), 0)
    # h_{t-1} is copied down and merges with x_t: [h_{t-1}, x_t] feeds both gates.
    add(wire(ax, [(1.2, BELT_Y), (1.2, 1.6), (1.9, 1.6)], INK) + wire(ax, [(1.9, -0.2), (1.9, 1.6)], INK), 0)
    add(wire(ax, [(1.9, 1.6), (4.4, 1.6)], INK, lw=2.4), 0)
    add(wire(ax, [(1.9, 0.6), (7.6, 0.6), (7.6, BOX_Y)], INK), 0)  # x_t alone into the candidate
    for x, y in ((1.2, BELT_Y), (1.9, 0.6), (2.6, 1.6), (6.0, BELT_Y), (9.0, 5.5)):
        fork(ax, x, y)
    add(wire(ax, [(2.6, 1.6), (2.6, BOX_Y)], update) + wire(ax, [(4.4, 1.6), (4.4, BOX_Y)], reset), 0)
    # Reset: r_t ⊙ (h_{t-1} W_hn + b_hn), into the candidate layer.
    add(wire(ax, [(6.0, BELT_Y), (6.0, 4.9)], INK) + wire(ax, [(6.0, 4.9), (6.0, BOX_Y)], reset), 1)
    add(wire(ax, [(4.4, BOX_Y), (6.0, BOX_Y)], reset) + wire(ax, [(6.0, BOX_Y), (7.6, BOX_Y)], reset), 1)
    # Update: z_t keeps h_{t-1}; 1 − z_t writes the candidate n_t.
    add(wire(ax, [(2.6, BOX_Y), (2.6, 5.5), (9.0, 5.5), (9.0, BELT_Y)], update), 2)
    add(wire(ax, [(9.0, 5.5), (10.4, 5.5), (10.4, 4.6)], update), 2)
    add(wire(ax, [(7.6, BOX_Y), (7.6, 4.6), (10.4, 4.6)], cand), 4)
    add(wire(ax, [(10.4, 4.6), (11.0, 4.6), (11.0, BELT_Y)], cand), 4)
    layers = []
    for x, y, text, colour, step in ((2.6, BOX_Y, "σ", update, 2), (4.4, BOX_Y, "σ", reset, 1),
                                     (6.0, 4.9, tr("linear"), INK, 1), (7.6, BOX_Y, "tanh", cand, 4)):
        patch, _ = layer(ax, x, y, text, colour, fontsize=9 if len(text) < 5 else 7.5)
        layers.append(patch)
        parts.append((patch, step, "box"))
    nodes = {}
    for key, x, y, text, colour in (("reset", 6.0, BOX_Y, "×", reset), ("keep", 9.0, BELT_Y, "×", update),
                                     ("one_minus", 9.75, 5.5, "1−", update), ("write", 10.4, 4.6, "×", cand),
                                     ("add", 11.0, BELT_Y, "+", INK)):
        nodes[key] = pointwise(ax, x, y, text, colour)[0]
        parts.append((nodes[key], 0, "node"))
    for x, y, s, colour in ((2.75, 4.1, r"$z_t$", update), (4.55, 4.1, r"$r_t$", reset),
                            (7.75, 4.05, r"$n_t$", cand), (9.1, 4.9, r"$1 - z_t$", update)):
        ax.text(x, y, s, fontsize=9, color=colour, zorder=6)
    for x, y, s, ha in ((0.0, BELT_Y + 0.35, r"$h_{t-1}$", "left"), (12.4, BELT_Y + 0.35, r"$h_t$", "right"),
                        (2.1, -0.1, r"$x_t$", "left")):
        ax.text(x, y, s, fontsize=10, ha=ha, color=INK, zorder=6)
    ax.text(0.0, 7.6, tr("GRU: one state; reset $r_t$ scales $h_{t-1} W_{hn} + b_{hn}$, update $z_t$ keeps $h_{t-1}$"),
            fontsize=9, color=INK)
    _frame(ax, right=12.7)
    return VariantArtists(parts, layers, nodes)
