"""Animation 1: an unrolled RNN stepping through a sequence."""
from __future__ import annotations

from ..draw.unrolled import draw_unrolled_rnn
from ..trace import random_inputs, random_rnn_params, trace_rnn
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["unrolled_rnn_widget"]


def unrolled_rnn_widget(mode: str = "static", T: int = 5, H: int = 3, D: int = 2, seed=0,
                        x=None, params=None, step=None, dpi: int = 72):
    """The loop and its unrolled chain, with h_t = tanh(x_t Wx + h_{t-1} Wh + b) filled in step by step.

    ``x`` (T, D) and ``params`` ``(Wx (D, H), Wh (H, H), b (H,))`` default to
    seeded random ones of the given sizes; ``step``: a student's
    ``rnn_step_forward`` to run instead of ``lstm_ref``'s.
    ``mode``: "static" (frames pre-rendered, play in the browser) or "live".
    """
    if x is None:
        x = random_inputs(T, D, seed)
    if params is None:
        params = random_rnn_params(x.shape[-1], H, scale=1.0, seed=seed)
    trace = trace_rnn(x, *params, step=step)

    def build(fig):
        ax = fig.add_axes([0.01, 0.02, 0.98, 0.96])
        return draw_unrolled_rnn(ax, trace=trace, t=0)

    def show(arts, t):
        arts.update(trace, t)

    scene = Scene("unrolled-rnn", [control("t", tr("time step t"), range(trace.T), fmt=lambda t: str(t + 1), play=True)],
                  (6.4, 2.7), dpi, build, show, interval=900)
    box = build_widget(scene, mode)
    box.trace = trace
    return box
