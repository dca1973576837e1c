"""A sequence heatmap in the spirit of LSTMVis.

Top: one vector (default the cell state c) for every unit over the whole
input, the selected unit outlined. Bottom: the selected unit's gates, cell
state and hidden state over time, with the input characters underneath, so a
unit that counts bracket depth reads as a staircase.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ._style import INK, MISMATCH, VALUE_CMAP

__all__ = ["draw_sequence_heatmap", "HeatmapArtists", "UNIT_ROWS"]

#: Rows of the per-unit panel: (trace field, label).
UNIT_ROWS = (("i", "$i$"), ("f", "$f$"), ("c_tilde", r"$\tilde{c}$"), ("o", "$o$"), ("c", "$c$"), ("h", "$h$"))


class HeatmapArtists:
    """Handles: ``overview`` and ``unit_image`` (AxesImage), ``outline`` (the
    selected unit's rectangle), ``cursor`` (vertical line at t), ``marks``
    (differing cells of the unit panel, an AxesImage of a bool mask)."""

    def __init__(self, top, bottom, overview, outline, unit_image, marks, cursor, field):
        self.top, self.bottom = top, bottom
        self.overview, self.outline, self.unit_image = overview, outline, unit_image
        self.marks, self.cursor, self.field = marks, cursor, field
        self.unit = 0

    def update(self, trace, t=None, unit: int = 0) -> None:
        H = trace.h.shape[1]
        if not 0 <= unit < H:
            raise ValueError(f"unit: expected 0..{H - 1}, got {unit}")
        self.unit = unit
        self.overview.set_data(np.asarray(getattr(trace, self.field)).T)
        self.outline.set_y(unit - 0.5)
        self.unit_image.set_data(np.stack([np.asarray(getattr(trace, f))[:, unit] for f, _ in UNIT_ROWS]))
        differs = getattr(trace, "differs", {}) or {}
        mask = np.stack([differs[f][:, unit] if f in differs else np.zeros(trace.T, bool)
                         for f, _ in UNIT_ROWS])
        self.marks.set_data(np.ma.masked_where(~mask, mask.astype(float)))
        self.cursor.set_visible(t is not None)
        if t is not None:
            self.cursor.set_xdata([t, t])
        self.bottom.set_title(f"unit {unit}", fontsize=9, loc="left")


def draw_sequence_heatmap(ax, trace, t=None, unit: int = 0, text: "str | None" = None,
                          field: str = "c", vlim: float = 1.0) -> HeatmapArtists:
    """Draw ``trace``'s ``field`` for all units over time, and one unit in detail.

    ``trace``: an ``LSTMTrace`` (vectors (T, H)); ``unit``: the unit in detail;
    ``t``: a time cursor or None; ``text``: the input as T characters, written
    under the time axis; ``field``: the overview's vector ("c", "h", "f", ...).
    The given axes is split in two; returns ``HeatmapArtists``.
    """
    T, H = trace.T, trace.h.shape[1]
    if text is not None and len(text) != T:
        raise ValueError(f"text: expected {T} characters (one per step), got {len(text)}")
    ax.set_axis_off()
    top = ax.inset_axes([0.06, 0.52, 0.94, 0.40])
    bottom = ax.inset_axes([0.06, 0.0, 0.94, 0.40])
    kw = dict(cmap=VALUE_CMAP, vmin=-vlim, vmax=vlim, aspect="auto", interpolation="nearest")
    overview = top.imshow(np.zeros((H, T)), **kw)
    outline = Rectangle((-0.5, -0.5), T, 1, fill=False, edgecolor=INK, lw=1.5)
    top.add_patch(outline)
    top.set_yticks(range(H), [str(k) for k in range(H)], fontsize=6)
    top.set_ylabel("unit", fontsize=8)
    top.set_xticks([])
    top.set_title(f"{field} for every unit", fontsize=9, loc="left")
    unit_image = bottom.imshow(np.zeros((len(UNIT_ROWS), T)), **kw)
    marks = bottom.imshow(np.ma.masked_all((len(UNIT_ROWS), T)), cmap=_mismatch_cmap(), vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
    bottom.set_yticks(range(len(UNIT_ROWS)), [label for _, label in UNIT_ROWS], fontsize=7)
    if text is not None:
        bottom.set_xticks(range(T), list(text), fontsize=7, fontfamily="monospace")
    else:
        bottom.tick_params(labelsize=7)
    bottom.set_xlabel("time step t", fontsize=8)
    cursor = bottom.axvline(0, color=INK, lw=1.2)
    arts = HeatmapArtists(top, bottom, overview, outline, unit_image, marks, cursor, field)
    arts.update(trace, t, unit)
    return arts


def _mismatch_cmap():
    from matplotlib.colors import ListedColormap
    return ListedColormap([MISMATCH])
