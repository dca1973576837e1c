"""The LSTM cell diagram, its four steps, and a trace's numbers beside it.

Our own drawing in data units: the cell body spans x 0..12, y 0..8; the cell
state runs along the top as a conveyor belt, h_{t-1} and x_t enter at the
bottom, merge and are copied to the four layers (the three σ gates and the
tanh candidate, filled boxes) standing in a row; the pointwise operations,
the tanh of the cell state among them, are white circles (``_symbols``). With a
trace, a table to the right shows each vector at time t as coloured cells;
rows not yet computed at the highlighted step stay empty, and cells where a
student's function differs from ``lstm_ref`` are outlined in red.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyBboxPatch

from ._grid import ValueGrid
from ._style import BODY, INACTIVE, INK, MISMATCH, STEP_COLOURS, step_number
from ._symbols import LAYER_H, LAYER_W, fork, layer, pointwise, wire
from ..words import N_, tr

__all__ = ["draw_lstm_cell", "cell_diagram", "LSTMCellArtists", "TABLE_ROWS"]

BELT_Y, BOTTOM_Y, BOX_Y = 6.2, 1.6, 3.4
#: Table cell width and height (data units) and the size of its numbers and
#: labels (points). Sized so "-0.53" fits a cell at 10.5 px, readable when the
#: four-steps widget's 72-dpi frame sits at its natural size in the page.
TABLE_CELL_W, TABLE_CELL_H, TABLE_FONTSIZE, TABLE_LABEL_FONTSIZE = 1.35, 0.86, 10.5, 11

#: (trace field, label, step that computes it; 0 = known before the step).
TABLE_ROWS = (
    ("h_prev", r"$h_{t-1}$", 0), ("x", r"$x_t$", 0), ("c_prev", r"$c_{t-1}$", 0),
    ("f", r"$f_t$", 1), ("i", r"$i_t$", 2), ("c_tilde", r"$\tilde{c}_t$", 2),
    ("c", r"$c_t$", 3), ("o", r"$o_t$", 4), ("h", r"$h_t$", 4),
)
#: The title of each step (the figures catalog translates it).
STEP_TITLES = {1: N_("step 1: forget"), 2: N_("step 2: input"), 3: N_("step 3: update"),
               4: N_("step 4: output")}


def _line(ax, pts, step, arrow=False):
    return [(a, step, "line") for a in wire(ax, pts, arrow=arrow)]


def _box(ax, x, y, text, step, w=LAYER_W, h=LAYER_H):
    patch, label = layer(ax, x, y, text, w=w, h=h)
    return [(patch, step, "box"), (label, None, None)]


def _node(ax, x, y, text, step):
    circ, label = pointwise(ax, x, y, text)
    return [(circ, step, "node"), (label, step, "text")]


def _dot(ax, x, y, step):
    return [(fork(ax, x, y), step, "line")]


class LSTMCellArtists:
    """Handles of a drawn cell; ``update(highlight, trace, t)`` redraws in place.

    ``parts``: list of (artist, step, kind) for the diagram; ``grid``: the
    ``ValueGrid`` of the table (None without a trace); ``caption``, ``title``: texts.
    """

    def __init__(self, ax, parts, grid, row_labels, caption, title):
        self.ax, self.parts, self.grid = ax, parts, grid
        self.row_labels, self.caption, self.title = row_labels, caption, title
        self.highlight = None

    def update(self, highlight=None, trace=None, t=None) -> None:
        k = step_number(highlight)
        self.highlight = k
        for art, step, kind in self.parts:
            colour = INACTIVE if (k is not None and step not in (k, 0)) else STEP_COLOURS.get(step, INK)
            if step == 0:  # the inputs h_{t-1}, x_t feed every step
                colour = INK
            if kind == "box":
                art.set_facecolor(colour)
                art.set_edgecolor(colour)
            elif kind == "node":
                art.set_edgecolor(colour)
            elif kind == "text":
                art.set_color(colour)
            elif kind == "line":
                art.set_color(colour)
                if k is not None:
                    art.set_linewidth(2.6 if step == k else 1.4)
        if self.grid is not None and trace is not None:
            self._fill(trace, 0 if t is None else int(t), k)
        name = tr(STEP_TITLES[k]) if k else ""
        # t is the array index; the course counts steps from 1 (x_1 ... x_T).
        when = f"t = {t + 1}" if t is not None else ""
        self.title.set_text("  ·  ".join(s for s in (when, name) if s))

    def _fill(self, trace, t, k):
        if not 0 <= t < trace.T:
            raise ValueError(f"t: expected a time step in 0..{trace.T - 1}, got {t}")
        vals = np.full((self.grid.rows, self.grid.cols), np.nan)
        marks = np.zeros_like(vals, dtype=bool)
        for r, (field, _, step) in enumerate(TABLE_ROWS):
            if k is not None and step > k:
                continue
            row = np.asarray(getattr(trace, field))[t]
            vals[r, :row.size] = row
            if field in trace.differs:
                marks[r, :row.size] = trace.differs[field][t]
        self.grid.update(vals, marks)
        for (field, _, step), label in zip(TABLE_ROWS, self.row_labels):
            active = k is not None and step == k
            label.set_color(STEP_COLOURS.get(step, INK) if active or k is None else INK)
            label.set_fontweight("bold" if active else "normal")
        self.caption.set_text(_caption(trace, t))


def _caption(trace, t) -> str:
    """Name the student functions at fault at step t (from ``trace.blame``)."""
    blame = getattr(trace, "blame", {}) or {}
    faulty = [tr("{name} (units {units})", name=name, units=", ".join(map(str, np.flatnonzero(m[t]))))
              for name, m in blame.items() if m[t].any()]
    if faulty:
        return tr("differs from lstm_ref: {faults}", faults="; ".join(faulty))
    if getattr(trace, "differs", None) and any(m[t].any() for m in trace.differs.values()):
        return tr("values differ (carried from an earlier step)")
    return ""


def cell_diagram(ax, coupled: bool = False) -> list:
    """Draws the cell's lines, layers and pointwise operations; returns (artist, step, kind) parts.

    The four layers (σ, σ, tanh, σ) are filled boxes; the pointwise operations,
    the tanh applied to the cell state among them, are white circles.
    ``coupled``: the input gate is no layer of its own but 1 − f_t (chapter 10).
    """
    ax.add_patch(FancyBboxPatch((0.9, 0.8), 10.2, 6.3, boxstyle="round,pad=0.1", facecolor=BODY,
                                edgecolor="#cfc8b8", lw=1.2, zorder=0))
    parts = []
    # The conveyor belt: c_{t-1} -> × f -> + -> c_t.
    parts += _line(ax, [(0.0, BELT_Y), (2.6, BELT_Y)], 1)
    parts += _line(ax, [(2.6, BELT_Y), (5.2, BELT_Y)], 3)
    parts += _line(ax, [(5.2, BELT_Y), (12.0, BELT_Y)], 3, arrow=True)
    # h_{t-1} and x_t merge (concatenation) and are copied to every layer.
    parts += _line(ax, [(0.0, BOTTOM_Y), (1.5, BOTTOM_Y)], 0)
    parts += _line(ax, [(1.5, -0.2), (1.5, BOTTOM_Y)], 0)
    parts += [(a, 0, "line") for a in wire(ax, [(1.5, BOTTOM_Y), (8.2, BOTTOM_Y)], lw=2.4)]
    inputs = ((2.6, 1), (6.0, 2), (8.2, 4)) if coupled else ((2.6, 1), (4.4, 2), (6.0, 2), (8.2, 4))
    for x, step in inputs:
        parts += _line(ax, [(x, BOTTOM_Y), (x, BOX_Y)], step)
        if x != 8.2:
            parts += _dot(ax, x, BOTTOM_Y, 0)
    parts += _line(ax, [(2.6, BOX_Y), (2.6, BELT_Y)], 1)
    if coupled:  # the forget gate's output is copied: 1 − f_t writes what f_t removes
        parts += _dot(ax, 2.6, 4.8, 1)
        parts += _line(ax, [(2.6, 4.8), (3.9, 4.8)], 2) + _line(ax, [(3.9, 4.8), (5.2, 4.8)], 2)
        parts += _node(ax, 3.9, 4.8, "1−", 2)
    else:
        parts += _line(ax, [(4.4, BOX_Y), (4.4, 4.8), (5.2, 4.8)], 2)
    parts += _line(ax, [(6.0, BOX_Y), (6.0, 4.8), (5.2, 4.8)], 2)
    parts += _line(ax, [(5.2, 4.8), (5.2, BELT_Y)], 3)
    parts += _line(ax, [(9.6, BELT_Y), (9.6, BOX_Y)], 4) + _dot(ax, 9.6, BELT_Y, 4)
    parts += _line(ax, [(8.2, BOX_Y), (9.6, BOX_Y)], 4)
    parts += _line(ax, [(9.6, BOX_Y), (9.6, 2.3), (12.0, 2.3)], 4, arrow=True)
    parts += _box(ax, 2.6, BOX_Y, "σ", 1)
    if not coupled:
        parts += _box(ax, 4.4, BOX_Y, "σ", 2)
    parts += _box(ax, 6.0, BOX_Y, "tanh", 2) + _box(ax, 8.2, BOX_Y, "σ", 4)
    parts += _node(ax, 9.6, 4.8, "tanh", 4)
    parts += _node(ax, 2.6, BELT_Y, "×", 1) + _node(ax, 5.2, BELT_Y, "+", 3)
    parts += _node(ax, 5.2, 4.8, "×", 2) + _node(ax, 9.6, BOX_Y, "×", 4)
    labels = [(2.75, 4.0, r"$f_t$", 1) if coupled else (2.95, 4.55, r"$f_t$", 1),
              (6.45, 4.25, r"$\tilde{c}_t$", 2), (8.65, 4.1, r"$o_t$", 4)]
    labels.append((3.55, 5.15, r"$1 - f_t$", 2) if coupled else (3.85, 4.25, r"$i_t$", 2))
    for x, y, s, step in labels:
        parts.append((ax.text(x, y, s, fontsize=9, zorder=6), step, "text"))
    for x, y, s, ha in ((0.0, BELT_Y + 0.35, r"$c_{t-1}$", "left"), (12.0, BELT_Y + 0.35, r"$c_t$", "right"),
                        (0.0, BOTTOM_Y + 0.3, r"$h_{t-1}$", "left"), (1.75, -0.1, r"$x_t$", "left"),
                        (12.0, 2.6, r"$h_t$", "right")):
        ax.text(x, y, s, fontsize=10, ha=ha, color=INK, zorder=6)
    return parts


def draw_lstm_cell(ax, highlight=None, trace=None, t=None) -> LSTMCellArtists:
    """Draw the LSTM cell; optionally highlight one step and show a trace at time t.

    ``highlight``: None, 1-4, or "forget" / "input" / "update" / "output"
    (1: f_t = σ(W_f·[h_{t-1}, x_t] + b_f); 2: i_t and c̃_t; 3: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t;
    4: o_t and h_t = o_t ⊙ tanh(c_t)).
    ``trace``: an ``LSTMTrace`` (vectors (T, H), x (T, D)); ``t``: the time step
    shown (default 0). Without a trace only the diagram is drawn.
    Returns ``LSTMCellArtists``; call its ``update`` to redraw in place.
    """
    ax.set_axis_off()
    parts = [p for p in cell_diagram(ax) if p[2] is not None]

    grid, labels, right = None, [], 12.3
    if trace is not None:
        cols = max(trace.H, trace.x.shape[1])
        ch, cw, x0 = TABLE_CELL_H, TABLE_CELL_W, 14.6
        grid = ValueGrid(ax, len(TABLE_ROWS), cols, x0, 7.9 - len(TABLE_ROWS) * ch, cw, ch,
                         fontsize=TABLE_FONTSIZE)
        for r, (_, label, _) in enumerate(TABLE_ROWS):
            labels.append(ax.text(x0 - 0.2, 7.9 - (r + 0.5) * ch, label, ha="right", va="center",
                                  fontsize=TABLE_LABEL_FONTSIZE, color=INK))
        right = x0 + cols * cw + 0.2
    caption = ax.text(0.0, -0.9, "", fontsize=10, color=MISMATCH, ha="left", va="center")
    title = ax.text(0.0, 8.3, "", fontsize=11, color=INK, ha="left", va="center", fontweight="bold")
    ax.set_xlim(-0.3, right)
    ax.set_ylim(-1.3, 8.7)
    ax.set_aspect("equal")
    arts = LSTMCellArtists(ax, parts, grid, labels, caption, title)
    arts.update(highlight, trace, t)
    return arts
