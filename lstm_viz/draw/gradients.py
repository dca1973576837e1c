"""Vanishing and exploding gradients: ‖∂L/∂h_t‖ against t, RNN and LSTM, log scale."""
from __future__ import annotations

import numpy as np

from ._style import INK, STEP_COLOURS
from ..words import tr

__all__ = ["draw_gradient_flow", "draw_gradient_norms", "GradientArtists"]

COLOURS = {"rnn": STEP_COLOURS[1], "lstm": STEP_COLOURS[4]}
FLOOR, CEILING = 1e-12, 1e12


class GradientArtists:
    """Handles: ``lines`` (cell name -> Line2D of the norms), ``title``."""

    def __init__(self, ax, lines, title):
        self.ax, self.lines, self.title = ax, lines, title

    def update(self, traces, title: str = "") -> None:
        T = 1
        seen = []
        for trace in traces:
            if trace.cell not in self.lines:
                raise ValueError(f"traces: no line for cell {trace.cell!r}; drawn cells are {list(self.lines)}")
            norm = np.clip(trace.norm, FLOOR, CEILING)  # log axes cannot show 0
            self.lines[trace.cell].set_data(np.arange(1, trace.T + 1), norm)  # t = 1 .. T
            T = max(T, trace.T)
            seen.extend(norm)
        self.ax.set_xlim(0.5, T + 0.5)
        lo, hi = min(seen), max(seen)
        self.ax.set_ylim(min(lo, 1e-3) / 3, max(hi, 10) * 3)
        self.title.set_text(title)


def draw_gradient_flow(ax, traces, title: str = "") -> GradientArtists:
    """Plot ‖∂L/∂h_t‖ for t = 1..T where L depends only on h_T.

    ``traces``: ``GradientTrace`` records (``cell`` "rnn" or "lstm", ``norm`` (T,)).
    Returns ``GradientArtists``; ``update(traces, title)`` redraws in place.
    """
    lines = {}
    for trace in traces:
        lines[trace.cell], = ax.plot([], [], "-o", ms=2.5, lw=1.6, color=COLOURS.get(trace.cell, INK),
                                  label=trace.cell.upper())
    ax.set_yscale("log")
    ax.set_xlabel(tr("time step t (the loss is at the last step)"), fontsize=8)
    ax.set_ylabel("‖∂L/∂h_t‖", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, which="major", color="#eeeeee")
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    title_art = ax.set_title("", fontsize=9, loc="left")
    arts = GradientArtists(ax, lines, title_art)
    arts.update(traces, title)
    return arts


def draw_gradient_norms(ax, curves, title: str = "", colours=None) -> list:
    """A static figure: ‖∂L/∂h_t‖ against t = 1..T, log scale, one labelled line a curve.

    ``curves``: label -> norms (T,), index 0 the first step (a ``GradientTrace.norm``).
    ``colours``: optional label -> colour. The book's chapters 2 and 9 use it;
    the animated version is ``draw_gradient_flow``. Returns the lines in order.
    """
    colours = colours or {}
    lines = []
    for label, norms in curves.items():
        norms = np.asarray(norms)
        line, = ax.semilogy(np.arange(1, len(norms) + 1), norms, label=label,
                            color=colours.get(label))
        lines.append(line)
    ax.set_xlabel(tr("time step t"))
    ax.set_ylabel(r"$\|\partial L / \partial h_t\|$")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return lines

