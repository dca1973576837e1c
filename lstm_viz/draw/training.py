"""Training progress: loss and perplexity against steps, and samples so far.

Takes the ``TrainRecord``s that ``lstm_ref.train`` hands its callbacks
(``step``, ``loss``, ``perplexity``, ``samples``); computes nothing.
"""
from __future__ import annotations

import numpy as np

from ._style import INK, STEP_COLOURS
from ..words import tr

__all__ = ["draw_training", "TrainingArtists"]

LOSS, PPL = STEP_COLOURS[4], STEP_COLOURS[1]


def _field(record, name):
    return record[name] if isinstance(record, dict) else getattr(record, name)


class TrainingArtists:
    """Handles: ``loss_line``, ``ppl_line`` (Line2D), ``samples`` (Text), ``ppl_ax`` (twin axes)."""

    def __init__(self, ax, ppl_ax, loss_line, ppl_line, samples, max_samples):
        self.ax, self.ppl_ax = ax, ppl_ax
        self.loss_line, self.ppl_line, self.samples = loss_line, ppl_line, samples
        self.max_samples = max_samples

    def update(self, history, upto=None, steps=None) -> None:
        """Show records ``history[:upto]`` (all when None); ``steps`` fixes the x range."""
        shown = list(history)[: None if upto is None else int(upto)]
        step = np.array([_field(r, "step") for r in shown], dtype=float)
        loss = np.array([_field(r, "loss") for r in shown], dtype=float)
        ppl = np.array([_field(r, "perplexity") for r in shown], dtype=float)
        self.loss_line.set_data(step, loss)
        self.ppl_line.set_data(step, ppl)
        last = steps or (max(step.max(), 1.0) if step.size else 1.0)
        self.ax.set_xlim(0, last)
        if loss.size:
            self.ax.set_ylim(0, max(np.nanmax(loss) * 1.1, 1e-3))
        if np.isfinite(ppl).any():
            self.ppl_ax.set_ylim(1, max(np.nanmax(ppl) * 1.1, 2))
        lines = [tr("step {step}: {sample}", step=f"{int(_field(r, 'step')):>5}",
                    sample=repr(str(_field(r, 'samples'))))
                 for r in shown if _field(r, "samples") is not None]
        self.samples.set_text("\n".join(lines[-self.max_samples:]) or tr("(samples appear here)"))


def draw_training(ax, history=(), upto=None, steps=None, max_samples: int = 5) -> TrainingArtists:
    """Plot mean loss (left axis) and perplexity exp(loss) (right axis) against step,
    a marker at each record, so a single record already shows as a point.

    ``history``: records with ``step``, ``loss``, ``perplexity``, ``samples``
    (``lstm_ref.TrainRecord`` or dicts); ``upto``: show only the first
    ``upto`` records (an animation's frame); ``steps``: the x-axis end.
    The latest ``max_samples`` samples are listed under the plot.
    The given axes keeps the plot's upper part; returns ``TrainingArtists``.
    """
    ax.set_axis_off()
    plot = ax.inset_axes([0.08, 0.42, 0.84, 0.52])
    ppl_ax = plot.twinx()
    # The twin of an inset axes is a figure-level axes drawn after it: its
    # background must be transparent or it hides the loss curve.
    ppl_ax.patch.set_visible(False)
    # Markers, so the first report (one point, no segment yet) is visible. Both
    # y ranges end at 1.1 x their maximum, so the first two points coincide:
    # the perplexity square is hollow and larger, framing the loss dot.
    loss_line, = plot.plot([], [], color=LOSS, lw=1.6, marker="o", ms=4, label=tr("loss"))
    ppl_line, = ppl_ax.plot([], [], color=PPL, lw=1.2, ls="--", marker="s", ms=7, mfc="none", mew=1.2,
                            label=tr("perplexity"))
    plot.set_xlabel(tr("step"), fontsize=8)
    plot.set_ylabel(tr("loss (nats/char)"), fontsize=8, color=LOSS)
    ppl_ax.set_ylabel(tr("perplexity"), fontsize=8, color=PPL)
    for a in (plot, ppl_ax):
        a.tick_params(labelsize=7)
    plot.legend(handles=[loss_line, ppl_line], fontsize=7, loc="upper right", frameon=False)
    samples = ax.text(0.0, 0.28, "", transform=ax.transAxes, fontsize=7, family="monospace",
                      va="top", color=INK)
    arts = TrainingArtists(plot, ppl_ax, loss_line, ppl_line, samples, max_samples)
    arts.update(history, upto, steps)
    return arts
