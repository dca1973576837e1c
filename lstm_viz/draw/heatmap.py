"""A sequence heatmap in the spirit of LSTMVis.

Top: one vector (default the cell state c) for every unit over the whole
input, the selected unit outlined. Bottom: the selected unit's gates, cell
state and hidden state over time, with the input characters underneath, so a
unit that counts bracket depth reads as a staircase.

Two colour scales, each with a labelled colour bar: gates on [0, 1] (a
sequential map), signed values on (−L, L) with L taken from the trace, so a
cell state past 1 still reads as a darker shade instead of saturating.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ._colour_scale import GATE_LIMITS, is_gate, label_colorbar, symmetric_limit
from ._style import GATE_CMAP, INK, MISMATCH, VALUE_CMAP
from ..words import N_, tr

__all__ = ["draw_sequence_heatmap", "HeatmapArtists", "UNIT_ROWS"]

#: Rows of the per-unit panel: (trace field, label).
UNIT_ROWS = (("i", "$i$"), ("f", "$f$"), ("c_tilde", r"$\tilde{c}$"), ("o", "$o$"), ("c", "$c$"), ("h", "$h$"))
_GATE_ROWS = np.array([is_gate(f) for f, _ in UNIT_ROWS])
_SIGNED_LABEL = r"$\tilde{c}$, $c$, $h$"
_GATE_LABEL = N_("gates $i$, $f$, $o$")


class HeatmapArtists:
    """Handles: ``overview`` (AxesImage of ``field``, units x time); ``unit_image``
    and ``gate_image`` (AxesImages of the selected unit's signed rows c̃, c, h
    and gate rows i, f, o, each masked on the other's rows); ``outline`` (the
    selected unit's rectangle); ``cursor`` (vertical line at t); ``marks``
    (differing cells of the unit panel, an AxesImage of a bool mask);
    ``colorbars``: {"signed": Colorbar, "gates": Colorbar}; ``signed_limit``: L
    of the signed colour limits (−L, L), fixed to ``fixed_limit`` when given,
    else taken from each trace ``update`` draws."""

    def __init__(self, top, bottom, overview, outline, unit_image, gate_image, marks, cursor, field,
                 colorbars, signed_label, fixed_limit=None):
        self.top, self.bottom = top, bottom
        self.overview, self.outline = overview, outline
        self.unit_image, self.gate_image = unit_image, gate_image
        self.marks, self.cursor, self.field = marks, cursor, field
        self.colorbars, self.signed_label, self.fixed_limit = colorbars, signed_label, fixed_limit
        self.unit = 0
        self.signed_limit = None

    def unit_values(self) -> np.ndarray:
        """The selected unit's rows as drawn, (len(UNIT_ROWS), T), in ``UNIT_ROWS`` order."""
        return np.where(_GATE_ROWS[:, None], self.gate_image.get_array().filled(np.nan),
                        self.unit_image.get_array().filled(np.nan))

    def set_signed_limit(self, limit: float) -> None:
        """Colour limits (−limit, limit) for every signed image, and the signed colour bar's ticks."""
        if limit == self.signed_limit:
            return
        self.signed_limit = limit
        self.unit_image.set_clim(-limit, limit)
        if not is_gate(self.field):
            self.overview.set_clim(-limit, limit)
        label_colorbar(self.colorbars["signed"], -limit, limit, self.signed_label)

    def update(self, trace, t=None, unit: int = 0) -> None:
        H = trace.h.shape[1]
        if not 0 <= unit < H:
            raise ValueError(f"unit: expected 0..{H - 1}, got {unit}")
        self.unit = unit
        field = np.asarray(getattr(trace, self.field))
        signed = [np.asarray(getattr(trace, f)) for f, _ in UNIT_ROWS if not is_gate(f)]
        self.set_signed_limit(self.fixed_limit or
                              symmetric_limit(*signed, *([] if is_gate(self.field) else [field])))
        self.overview.set_data(field.T)
        self.outline.set_y(unit - 0.5)
        rows = np.stack([np.asarray(getattr(trace, f))[:, unit] for f, _ in UNIT_ROWS])
        self.unit_image.set_data(np.ma.masked_where(np.broadcast_to(_GATE_ROWS[:, None], rows.shape), rows))
        self.gate_image.set_data(np.ma.masked_where(np.broadcast_to(~_GATE_ROWS[:, None], rows.shape), rows))
        differs = getattr(trace, "differs", {}) or {}
        mask = np.stack([differs[f][:, unit] if f in differs else np.zeros(trace.T, bool)
                         for f, _ in UNIT_ROWS])
        self.marks.set_data(np.ma.masked_where(~mask, mask.astype(float)))
        self.cursor.set_visible(t is not None)
        if t is not None:
            self.cursor.set_xdata([t, t])
        self.bottom.set_title(tr("unit {unit}", unit=unit), fontsize=9, loc="left")


def draw_sequence_heatmap(ax, trace, t=None, unit: int = 0, text: "str | None" = None,
                          field: str = "c", vlim: "float | None" = None) -> HeatmapArtists:
    """Draw ``trace``'s ``field`` for all units over time, and one unit in detail.

    ``trace``: an ``LSTMTrace`` (vectors (T, H)); ``unit``: the unit in detail;
    ``t``: a time cursor or None; ``text``: the input as T characters, written
    under the time axis; ``field``: the overview's vector ("c", "h", "f", ...).
    Colour limits: gates i, f, o on [0, 1]; signed values (c̃, c, h, and a
    signed ``field``) on (−L, L), L = ``vlim`` if given, else max |value|
    over the trace rounded up (``HeatmapArtists.signed_limit``); one labelled
    colour bar per scale. The given axes is split in two; returns ``HeatmapArtists``.
    """
    T, H = trace.T, trace.h.shape[1]
    if text is not None and len(text) != T:
        raise ValueError(f"text: expected {T} characters (one per step), got {len(text)}")
    if vlim is not None and not (np.isfinite(vlim) and vlim > 0):
        raise ValueError(f"vlim: expected a positive number or None, got {vlim!r}")
    ax.set_axis_off()
    top = ax.inset_axes([0.06, 0.52, 0.80, 0.40])
    bottom = ax.inset_axes([0.06, 0.0, 0.80, 0.40])
    kw = dict(aspect="auto", interpolation="nearest")
    signed_kw = dict(cmap=VALUE_CMAP, vmin=-1.0, vmax=1.0, **kw)
    gate_kw = dict(cmap=GATE_CMAP, vmin=GATE_LIMITS[0], vmax=GATE_LIMITS[1], **kw)
    overview = top.imshow(np.zeros((H, T)), **(gate_kw if is_gate(field) else signed_kw))
    outline = Rectangle((-0.5, -0.5), T, 1, fill=False, edgecolor=INK, lw=1.5)
    top.add_patch(outline)
    top.set_yticks(range(H), [str(k) for k in range(H)], fontsize=6)
    top.set_ylabel(tr("unit"), fontsize=8)
    top.set_xticks([])
    top.set_title(tr("{field} for every unit", field=field), fontsize=9, loc="left")
    empty = np.ma.masked_all((len(UNIT_ROWS), T))
    unit_image = bottom.imshow(empty, **signed_kw)
    gate_image = bottom.imshow(empty.copy(), **gate_kw)
    marks = bottom.imshow(np.ma.masked_all((len(UNIT_ROWS), T)), cmap=_mismatch_cmap(), vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
    bottom.set_yticks(range(len(UNIT_ROWS)), [label for _, label in UNIT_ROWS], fontsize=7)
    if text is not None:
        bottom.set_xticks(range(T), list(text), fontsize=7, fontfamily="monospace")
    else:
        bottom.tick_params(labelsize=7)
    bottom.set_xlabel(tr("time step t"), fontsize=8)
    cursor = bottom.axvline(0, color=INK, lw=1.2)
    colorbars = _colorbars(ax, field, overview, unit_image, gate_image)
    signed_label = _SIGNED_LABEL if field in ("c", "h", "c_tilde") or is_gate(field) else \
        f"{_SIGNED_LABEL}, {field}"
    arts = HeatmapArtists(top, bottom, overview, outline, unit_image, gate_image, marks, cursor, field,
                          colorbars, signed_label, None if vlim is None else float(vlim))
    arts.update(trace, t, unit)
    return arts


def _colorbars(ax, field, overview, unit_image, gate_image) -> dict:
    """The overview's scale beside the top panel, the other scale beside the bottom one."""
    fig = ax.figure
    upper = ax.inset_axes([0.875, 0.52, 0.018, 0.40])
    lower = ax.inset_axes([0.875, 0.0, 0.018, 0.40])
    signed_ax, gate_ax = (lower, upper) if is_gate(field) else (upper, lower)
    signed = fig.colorbar(overview if not is_gate(field) else unit_image, cax=signed_ax)
    gates = fig.colorbar(overview if is_gate(field) else gate_image, cax=gate_ax)
    label_colorbar(gates, *GATE_LIMITS, tr(_GATE_LABEL))
    return {"signed": signed, "gates": gates}


def _mismatch_cmap():
    from matplotlib.colors import ListedColormap
    return ListedColormap([MISMATCH])
