"""A block of coloured value cells with numbers, updated in place.

One ``imshow`` holds every cell (masked where empty), so a redraw only swaps
its data and the texts; mismatch outlines are prebuilt and toggled.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ._style import INK, MISMATCH, VALUE_CMAP, fmt

__all__ = ["ValueGrid"]


class ValueGrid:
    """``rows`` x ``cols`` cells whose lower-left corner is (x0, y0) in data units.

    Row 0 is drawn at the top; ``cw``, ``ch``: a cell's width and height. ``update(values, mismatch)`` takes values
    (rows, cols) with NaN for empty cells and an optional bool mask (rows, cols).
    """

    def __init__(self, ax, rows: int, cols: int, x0: float, y0: float, cw: float, ch: float,
                 vlim: float = 1.0, fontsize: float = 6.5, numbers: bool = True):
        self.ax, self.rows, self.cols = ax, rows, cols
        self.cw, self.ch = cw, ch
        extent = (x0, x0 + cols * cw, y0, y0 + rows * ch)
        empty = np.ma.masked_all((rows, cols))
        self.image = ax.imshow(empty, cmap=VALUE_CMAP, vmin=-vlim, vmax=vlim, extent=extent,
                               origin="upper", interpolation="nearest", aspect="auto", zorder=2)
        self.texts = []
        self.marks = []
        for r in range(rows):
            for c in range(cols):
                cx, cy = x0 + (c + 0.5) * cw, y0 + (rows - r - 0.5) * ch
                if numbers:
                    self.texts.append(ax.text(cx, cy, "", ha="center", va="center",
                                              fontsize=fontsize, color=INK, zorder=3))
                mark = Rectangle((x0 + c * cw, y0 + (rows - r - 1) * ch), cw, ch, fill=False,
                                 edgecolor=MISMATCH, linewidth=1.8, zorder=4, visible=False)
                ax.add_patch(mark)
                self.marks.append(mark)
        self.vlim = vlim

    def update(self, values: np.ndarray, mismatch: "np.ndarray | None" = None) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (self.rows, self.cols):
            raise ValueError(f"values: expected shape ({self.rows}, {self.cols}), got {values.shape}")
        self.image.set_data(np.ma.masked_invalid(values))
        flat = values.ravel()
        for text, v in zip(self.texts, flat):
            text.set_text("" if np.isnan(v) else fmt(v))
            text.set_color("white" if abs(v) > 0.65 * self.vlim else INK)
        m = np.zeros(flat.shape, bool) if mismatch is None else np.asarray(mismatch, bool).ravel()
        for mark, on in zip(self.marks, m):
            mark.set_visible(bool(on))

    def marked(self) -> np.ndarray:
        """The mismatch marks currently shown, bool (rows, cols)."""
        return np.array([m.get_visible() for m in self.marks]).reshape(self.rows, self.cols)
