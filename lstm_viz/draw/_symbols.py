"""The diagrams' five symbols, drawn one way everywhere (the notation legend shows them).

- vector transfer: a line, ending in an arrow head where it enters or leaves;
- concatenation: two lines merging into one (``merge``);
- copy: one line forking into two, marked by a dot (``fork``);
- pointwise operation: a white circle with the operation inside (``pointwise``);
- neural network layer: a filled box, a layer with learned weights (``layer``).

Each function adds artists to ``ax`` (data units) and returns them, so that a
caller can recolour them; none computes anything of the model.
"""
from __future__ import annotations

from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ._style import INK

__all__ = ["LAYER_W", "LAYER_H", "POINTWISE_R", "wire", "layer", "pointwise", "fork", "merge"]

LAYER_W, LAYER_H, POINTWISE_R = 1.1, 0.8, 0.32
LINE_W = 1.6


def wire(ax, pts, colour=INK, arrow=False, lw=LINE_W, style="-"):
    """A polyline through ``pts`` (an arrow head at the end if ``arrow``): one vector moving."""
    xs, ys = zip(*pts)
    arts = [ax.plot(xs, ys, lw=lw, color=colour, zorder=1, solid_capstyle="round", linestyle=style)[0]]
    if arrow:
        head = FancyArrowPatch(pts[-2], pts[-1], arrowstyle="-|>", mutation_scale=10, lw=lw,
                               color=colour, zorder=1, shrinkA=0, shrinkB=0)
        ax.add_patch(head)
        arts.append(head)
    return arts


def layer(ax, x, y, text, colour=INK, w=LAYER_W, h=LAYER_H, fontsize=9):
    """A neural network layer: a filled box (its own weights and bias) and its activation's name."""
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", lw=1.4,
                           facecolor=colour, edgecolor=colour, zorder=5)
    ax.add_patch(patch)
    label = ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color="white",
                    zorder=6, fontweight="bold")
    return patch, label


def pointwise(ax, x, y, text, colour=INK, r=None):
    """A pointwise operation: a white circle; no weights, entry by entry."""
    r = r or (POINTWISE_R if len(text) <= 2 else 0.46)
    circ = Circle((x, y), r, lw=1.4, zorder=5, facecolor="white", edgecolor=colour)
    ax.add_patch(circ)
    label = ax.text(x, y - 0.02, text, ha="center", va="center", fontsize=10 if len(text) <= 2 else 8,
                    zorder=6, color=colour)
    return circ, label


def fork(ax, x, y, colour=INK):
    """The dot where a line forks: the same vector copied to two places."""
    return ax.plot([x], [y], marker="o", ms=4.5, color=colour, zorder=2)[0]


def merge(ax, a, b, joint, out, colour=INK):
    """Two lines from ``a`` and ``b`` meeting at ``joint`` and leaving as one to ``out``:
    the two vectors concatenated, side by side (no arithmetic)."""
    return (wire(ax, [a, joint], colour) + wire(ax, [b, joint], colour)
            + wire(ax, [joint, out], colour, lw=LINE_W * 1.6))
