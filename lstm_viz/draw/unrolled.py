"""A plain RNN as a loop, and the same network unrolled in time.

Left: one box with a loop arrow (h feeds back). Then "=", then T copies of
the box chained by h. The labels follow the course's time index: the chain
starts from h_0 and reads x_1 ... x_T into h_1 ... h_T (array index k holds
step k + 1). With a trace, each step's hidden state appears as a column of
coloured cells above its box, up to the current step.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ._grid import ValueGrid
from ._style import INACTIVE, INK, STEP_COLOURS

__all__ = ["draw_unrolled_rnn", "UnrolledArtists"]

ACTIVE = STEP_COLOURS[4]
_SPACING, _X0 = 2.2, 4.2


def _arrow(ax, a, b, colour=INK, style="-|>", rad=0.0):
    art = FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=10, lw=1.4, color=colour,
                          connectionstyle=f"arc3,rad={rad}", zorder=1)
    ax.add_patch(art)
    return art


def _cell(ax, x, y, label):
    box = FancyBboxPatch((x - 0.5, y - 0.4), 1.0, 0.8, boxstyle="round,pad=0.05", lw=1.4,
                         facecolor="white", edgecolor=INK, zorder=3)
    ax.add_patch(box)
    ax.text(x, y, label, ha="center", va="center", fontsize=9, zorder=4)
    return box


class UnrolledArtists:
    """Handles: ``boxes`` (T unrolled boxes), ``grid`` (H x (2T − 1) value cells or None),
    ``x_labels``, ``h_labels`` (the T input and output labels, x_1 ... x_T, h_1 ... h_T)
    and ``h0_label`` (the initial state entering the chain)."""

    def __init__(self, ax, boxes, grid, T, x_labels=(), h_labels=(), h0_label=None):
        self.ax, self.boxes, self.grid, self.T = ax, boxes, grid, T
        self.x_labels, self.h_labels, self.h0_label = list(x_labels), list(h_labels), h0_label

    def update(self, trace=None, t=None) -> None:
        for k, box in enumerate(self.boxes):
            on = t is not None and k == t
            box.set_edgecolor(ACTIVE if on else (INK if t is None or k < t else INACTIVE))
            box.set_linewidth(2.6 if on else 1.4)
            box.set_facecolor("#e8eefc" if on else "white")
        if self.grid is None or trace is None:
            return
        upto = self.T - 1 if t is None else int(t)
        if not 0 <= upto < self.T:
            raise ValueError(f"t: expected a time step in 0..{self.T - 1}, got {t}")
        vals = np.full((self.grid.rows, self.grid.cols), np.nan)
        for k in range(upto + 1):
            vals[:, 2 * k] = trace.h[k]
        self.grid.update(vals)


def draw_unrolled_rnn(ax, T: int = 4, trace=None, t=None) -> UnrolledArtists:
    """Draw h_t = tanh(x_t Wx + h_{t-1} Wh + b) as a loop and as a chain of T steps.

    ``T``: number of unrolled steps (taken from ``trace`` when one is given).
    ``trace``: an ``RNNTrace`` (``h`` (T, H), ``h[k]`` is h_{k+1}); its hidden
    states are shown for array indices 0..t.
    ``t``: the active array index, 0..T-1, drawn as step t + 1 (None: none
    highlighted, every value shown).
    Returns ``UnrolledArtists``; ``update(trace, t)`` redraws in place.
    """
    if trace is not None:
        T = trace.T
    if not 1 <= T <= 12:
        raise ValueError(f"T: expected 1..12 steps to draw, got {T}")
    ax.set_axis_off()
    # The folded network: one box whose output loops back into itself.
    _cell(ax, 1.2, 2.0, "RNN")
    _arrow(ax, (1.2, 0.6), (1.2, 1.55))
    _arrow(ax, (1.2, 2.45), (1.2, 3.4))
    _arrow(ax, (1.75, 2.15), (1.75, 1.85), rad=-2.6, style="-|>")
    ax.text(1.2, 0.35, r"$x_t$", ha="center", va="center", fontsize=10)
    ax.text(1.2, 3.65, r"$h_t$", ha="center", va="center", fontsize=10)
    ax.text(2.95, 2.0, "=", ha="center", va="center", fontsize=18)
    boxes, x_labels, h_labels = [], [], []
    for k in range(T):
        x = _X0 + _SPACING * k
        boxes.append(_cell(ax, x, 2.0, "RNN"))
        _arrow(ax, (x, 0.6), (x, 1.55))
        _arrow(ax, (x, 2.45), (x, 3.4))
        x_labels.append(ax.text(x, 0.35, rf"$x_{{{k + 1}}}$", ha="center", va="center", fontsize=10))
        h_labels.append(ax.text(x, 3.65, rf"$h_{{{k + 1}}}$", ha="center", va="center", fontsize=10))
        if k:
            _arrow(ax, (x - _SPACING + 0.6, 2.0), (x - 0.6, 2.0))
    _arrow(ax, (_X0 - 0.95, 2.0), (_X0 - 0.6, 2.0))
    h0_label = ax.text(_X0 - 1.0, 2.25, r"$h_0$", ha="right", fontsize=9)
    top = 4.0
    grid = None
    if trace is not None:
        H = trace.h.shape[1]
        ch = min(0.5, 3.0 / H)
        grid = ValueGrid(ax, H, 2 * T - 1, _X0 - _SPACING / 4, 3.95, _SPACING / 2, ch,
                         fontsize=6 if H <= 6 else 0, numbers=H <= 6)
        top = 3.95 + H * ch
    ax.set_xlim(0.0, _X0 + _SPACING * (T - 1) + 0.9)
    ax.set_ylim(0.0, top + 0.2)
    ax.set_aspect("equal")
    arts = UnrolledArtists(ax, boxes, grid, T, x_labels, h_labels, h0_label)
    arts.update(trace, t)
    return arts
