"""The legend of the diagrams' symbols, drawn with the very functions the diagrams use.

Five panels in a row: vector transfer, concatenation, copy, pointwise
operation, neural network layer (see ``_symbols``).
"""
from __future__ import annotations

from typing import NamedTuple

from ._style import INK, STEP_COLOURS
from ._symbols import fork, layer, merge, pointwise, wire
from ..words import N_, tr

__all__ = ["NotationArtists", "SYMBOLS", "draw_notation_legend"]

#: (key, caption) of each symbol, in the order drawn.
SYMBOLS = (
    ("transfer", N_("vector transfer:\none arrow carries\na whole vector")),
    ("concatenate", N_("concatenation:\ntwo lines merge,\n[a, b] side by side")),
    ("copy", N_("copy:\na line forks, both\nbranches carry it")),
    ("pointwise", N_("pointwise operation:\nentry by entry,\nno weights")),
    ("layer", N_("neural network layer:\nlearned weights and\nbias, then σ or tanh")),
)
_WIDTH = 3.0


class NotationArtists(NamedTuple):
    """``symbols``: key -> the artists of that sample; ``captions``: key -> its caption text."""
    symbols: dict
    captions: dict


def draw_notation_legend(ax) -> NotationArtists:
    """Draws the five symbols side by side, each above its caption."""
    ax.set_axis_off()
    symbols, captions = {}, {}
    for k, (key, caption) in enumerate(SYMBOLS):
        x0 = k * _WIDTH
        cx = x0 + _WIDTH / 2 - 0.2
        if key == "transfer":
            arts = wire(ax, [(x0 + 0.4, 2.0), (x0 + 2.4, 2.0)], arrow=True)
        elif key == "concatenate":
            arts = merge(ax, (x0 + 0.4, 2.8), (x0 + 0.4, 1.2), (cx, 2.0), (x0 + 2.4, 2.0))
        elif key == "copy":
            arts = (wire(ax, [(x0 + 0.4, 2.0), (cx, 2.0)]) + wire(ax, [(cx, 2.0), (x0 + 2.4, 2.8)], arrow=True)
                    + wire(ax, [(cx, 2.0), (x0 + 2.4, 1.2)], arrow=True) + [fork(ax, cx, 2.0)])
        elif key == "pointwise":
            arts = list(pointwise(ax, cx - 0.45, 2.0, "×")) + list(pointwise(ax, cx + 0.55, 2.0, "tanh"))
        else:
            arts = list(layer(ax, cx - 0.7, 2.0, "σ", STEP_COLOURS[4])) + list(
                layer(ax, cx + 0.7, 2.0, "tanh", STEP_COLOURS[4]))
        symbols[key] = arts
        captions[key] = ax.text(cx, 0.55, tr(caption), ha="center", va="top", fontsize=8.5, color=INK,
                                linespacing=1.25)
    ax.set_xlim(-0.1, len(SYMBOLS) * _WIDTH)
    ax.set_ylim(-1.4, 3.3)
    ax.set_aspect("equal")
    return NotationArtists(symbols, captions)
