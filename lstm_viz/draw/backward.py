"""The computational graph of one LSTM step, with its backward pass (chapter 9).

Forward edges are grey arrows from left to right: x_t and h_{t-1} into one
affine layer, its four slices through σ, σ, tanh, σ, the products and the sum
that make c_t, and h_t = o ⊙ tanh(c_t). Beside each edge a red dashed arrow
runs the other way, labelled with the gradient that flows back along it: the
equations of chapter 9 placed where they happen.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.patches import FancyArrowPatch

from ._style import INACTIVE, INK, MISMATCH
from ._symbols import fork, layer, pointwise
from ..words import N_, tr

__all__ = ["BackwardArtists", "GRAPH_NODES", "GRAPH_EDGES", "draw_lstm_backward_graph"]

BACKWARD = MISMATCH
#: name -> (x, y, kind, text); kind: "value" (a labelled end), "layer", "pointwise".
GRAPH_NODES = {
    "x": (0.5, 0.9, "value", r"$x_t$"), "h_prev": (0.5, 2.4, "value", r"$h_{t-1}$"),
    "c_prev": (0.5, 6.2, "value", r"$c_{t-1}$"),
    "affine": (2.6, 1.65, "layer", N_("affine")),
    "f": (5.0, 5.0, "pointwise", "σ"), "i": (5.0, 3.8, "pointwise", "σ"),
    "g": (5.0, 2.6, "pointwise", "tanh"), "o": (5.0, 1.0, "pointwise", "σ"),
    "fc": (7.0, 6.2, "pointwise", "×"), "ig": (7.0, 3.2, "pointwise", "×"),
    "plus": (8.6, 6.2, "pointwise", "+"), "tanh_c": (9.9, 3.9, "pointwise", "tanh"),
    "oh": (11.0, 1.0, "pointwise", "×"),
    "c": (12.8, 6.2, "value", r"$c_t$"), "h": (12.8, 1.0, "value", r"$h_t$"),
}
#: (from, to, label of the gradient flowing back along it, where the label sits).
GRAPH_EDGES = (
    ("x", "affine", r"$\delta x_t = \delta a\, W_x^\top$", (0.1, 0.25)),
    ("h_prev", "affine", r"$\delta h_{t-1} = \delta a\, W_h^\top$", (0.0, 2.95)),
    ("affine", "f", r"$\delta a_f = \delta f \odot f(1-f)$", (1.45, 4.9)),
    ("affine", "i", r"$\delta a_i = \delta i \odot i(1-i)$", (1.9, 3.95)),
    ("affine", "g", r"$\delta a_g = \delta g \odot (1-g^2)$", (5.6, 1.75)),
    ("affine", "o", r"$\delta a_o = \delta o \odot o(1-o)$", (2.9, 0.35)),
    ("c_prev", "fc", r"$\delta c_{t-1} = \delta c_t \odot f$", (1.6, 6.5)),
    ("f", "fc", r"$\delta f = \delta c_t \odot c_{t-1}$", (6.05, 5.2)),
    ("i", "ig", r"$\delta i = \delta c_t \odot g$", (5.55, 3.95)),
    ("g", "ig", r"$\delta g = \delta c_t \odot i$", (5.55, 2.35)),
    ("fc", "plus", r"$\delta c_t$", (7.55, 6.5)),
    ("ig", "plus", r"$\delta c_t$", (8.0, 4.3)),
    ("plus", "c", r"$\delta c_t = \delta c^{next} + \delta h_t \odot o \odot (1-\tanh^2 c_t)$", (8.0, 6.95)),
    ("plus", "tanh_c", r"$\delta h_t \odot o \odot (1-\tanh^2 c_t)$", (10.1, 5.0)),
    ("tanh_c", "oh", r"$\delta h_t \odot o$", (10.6, 2.7)),
    ("o", "oh", r"$\delta o = \delta h_t \odot \tanh(c_t)$", (6.6, 0.35)),
    ("oh", "h", r"$\delta h_t$", (11.7, 1.3)),
)


class BackwardArtists(NamedTuple):
    """``nodes``: name -> artist; ``forward``: (from, to) -> grey arrow;
    ``backward``: (from, to) -> (red arrow pointing back, its label)."""
    nodes: dict
    forward: dict
    backward: dict
    weights: object


def _end(name, towards):
    """Where an edge leaves or enters node ``name``, pulled back from its centre."""
    x, y, kind, _ = GRAPH_NODES[name]
    p, q = np.array([x, y]), np.array(towards)
    d = q - p
    gap = {"value": 0.35, "layer": 0.75, "pointwise": 0.42}[kind]
    return tuple(p + d / np.linalg.norm(d) * min(gap, np.linalg.norm(d) / 3))


def _arrow(ax, a, b, colour, style="-", lw=1.3):
    art = FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=9, lw=lw, color=colour,
                          linestyle=style, zorder=1, shrinkA=0, shrinkB=0)
    ax.add_patch(art)
    return art


def draw_lstm_backward_graph(ax) -> BackwardArtists:
    """Draws one LSTM step's graph, forward in grey and the backward pass in red."""
    ax.set_axis_off()
    nodes = {}
    for name, (x, y, kind, text) in GRAPH_NODES.items():
        if kind == "value":
            nodes[name] = ax.text(x, y, text, ha="center", va="center", fontsize=11, color=INK, zorder=6)
        elif kind == "layer":
            nodes[name] = layer(ax, x, y, tr(text), INK, w=1.4, fontsize=9)[0]
        else:
            nodes[name] = pointwise(ax, x, y, text, INK)[0]
    fork(ax, 9.9, 6.2, INACTIVE)
    forward, backward = {}, {}
    for src, dst, label, where in GRAPH_EDGES:
        sx, sy = GRAPH_NODES[src][:2]
        dx, dy = GRAPH_NODES[dst][:2]
        if (src, dst) == ("plus", "tanh_c"):  # c_t is copied off the belt at x = 9.9
            sx = 9.9
        a, b = _end(src, (dx, dy)), _end(dst, (sx, sy))
        if (src, dst) == ("plus", "tanh_c"):
            a = (9.9, 6.2)
        forward[(src, dst)] = _arrow(ax, a, b, INACTIVE)
        d = np.subtract(b, a)
        normal = np.array([-d[1], d[0]]) / np.linalg.norm(d) * 0.13
        back = _arrow(ax, tuple(np.add(b, normal)), tuple(np.add(a, normal)), BACKWARD, style="--", lw=1.1)
        text = ax.text(*where, label, fontsize=7.5, color=BACKWARD, zorder=7)
        backward[(src, dst)] = (back, text)
    weights = ax.text(0.0, -0.35, tr(r"weights: $\delta W_x = x_t^\top \delta a$,  "
                                     r"$\delta W_h = h_{t-1}^\top \delta a$,  $\delta b = \sum_n \delta a$,"
                                     r"  with $\delta a = [\delta a_i, \delta a_f, \delta a_g, \delta a_o]$"),
                      fontsize=8, color=BACKWARD)
    ax.text(0.0, 7.55, tr("forward (grey) and backward (red, dashed) through one LSTM step"),
            fontsize=9, color=INK)
    ax.set_xlim(-0.2, 13.3)
    ax.set_ylim(-0.7, 7.9)
    ax.set_aspect("equal")
    return BackwardArtists(nodes, forward, backward, weights)
