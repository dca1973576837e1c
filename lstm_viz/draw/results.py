"""Figures of measured results (chapters 12 and 13): a metric against length, per-variant bars, attention maps.

Each function takes numbers already measured (several seeds each) and an
axes; nothing here trains or runs a model. Seeds are shown, not hidden: a
line or bar is the mean, and the band or dots show every seed.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._style import GATE_CMAP, INK, STEP_COLOURS
from ..words import N_, tr, translate

__all__ = ["draw_by_length", "draw_seed_bars", "draw_attention_map", "ByLengthArtists",
           "SeedBarArtists"]

_PALETTE = [STEP_COLOURS[4], STEP_COLOURS[1], STEP_COLOURS[2], STEP_COLOURS[3]]


def _seeds_by(name: str, values, k: int) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != k:
        raise ValueError(f"{name}: expected an array (seeds, {k}) or ({k},), got shape {arr.shape}")
    return arr


class ByLengthArtists(NamedTuple):
    """``lines``: label -> Line2D of the means; ``bands``: label -> the min-max band; ``baselines``."""
    lines: dict
    bands: dict
    baselines: list


def draw_by_length(ax, lengths, runs: dict, ylabel: str, title: str = "",
                   baselines: dict | None = None, xlabel: str = N_("sequence length")) -> ByLengthArtists:
    """One line per entry of ``runs`` (label -> (seeds, len(lengths)) values): the mean over
    seeds, with a shaded band from the lowest to the highest seed; ``baselines``: label -> y
    drawn as dotted horizontal lines."""
    lengths = np.asarray(lengths)
    lines, bands, base = {}, {}, []
    for (label, values), colour in zip(runs.items(), _PALETTE * 4):
        arr = _seeds_by(f"runs[{label!r}]", values, len(lengths))
        mean = arr.mean(axis=0)
        (lines[label],) = ax.plot(lengths, mean, "o-", color=colour, lw=1.8, ms=4,
                                  label=label if arr.shape[0] == 1 else tr("{label} (mean of {n} seeds)",
                                                                label=translate(label), n=arr.shape[0]))
        bands[label] = ax.fill_between(lengths, arr.min(axis=0), arr.max(axis=0), color=colour,
                                       alpha=0.18, lw=0)
    for label, y in (baselines or {}).items():
        base.append(ax.axhline(y, color="grey", ls=":", lw=1))
        ax.text(lengths.min(), y, f" {label}", va="bottom", fontsize=8, color="grey")
    ax.set_xlabel(tr(xlabel))
    ax.set_ylabel(ylabel)
    ax.set_xticks(lengths)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8)
    return ByLengthArtists(lines, bands, base)


class SeedBarArtists(NamedTuple):
    """``bars``: the mean bars; ``dots``: one scatter per bar (every seed); ``reference`` line or None."""
    bars: object
    dots: list
    reference: object


def draw_seed_bars(ax, names, values, ylabel: str, title: str = "",
                   reference: float | None = None, highlight=()) -> SeedBarArtists:
    """Bars of the mean of ``values`` (seeds, len(names)) with every seed as a dot;
    ``reference``: a dashed line (for example the vanilla mean); ``highlight``: names drawn
    in the accent colour."""
    names = list(names)
    arr = _seeds_by("values", values, len(names))
    x = np.arange(len(names))
    colours = [STEP_COLOURS[1] if n in highlight else STEP_COLOURS[4] for n in names]
    bars = ax.bar(x, arr.mean(axis=0), color=colours, alpha=0.55, width=0.6)
    dots = [ax.scatter(np.full(arr.shape[0], k), arr[:, k], s=12, color=INK, zorder=3)
            for k in range(len(names))]
    ref = ax.axhline(reference, color=INK, ls="--", lw=1) if reference is not None else None
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3, axis="y")
    return SeedBarArtists(bars, dots, ref)


def draw_attention_map(ax, weights, src_labels, out_labels, title: str = ""):
    """The attention weights (T_out, S) as an image: row t is where output t looked.
    Returns the ``AxesImage``."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape != (len(out_labels), len(src_labels)):
        raise ValueError(f"weights: expected shape (T_out, S) = ({len(out_labels)}, {len(src_labels)}), "
                         f"got {w.shape}")
    im = ax.imshow(w, cmap=GATE_CMAP, vmin=0.0, vmax=1.0, aspect="equal")
    ax.set_xticks(range(len(src_labels)))
    ax.set_xticklabels(src_labels)
    ax.set_yticks(range(len(out_labels)))
    ax.set_yticklabels(out_labels)
    ax.set_xlabel(tr("input (source) position"))
    ax.set_ylabel(tr("output step"))
    if title:
        ax.set_title(title)
    return im
