"""Animation 2: vanishing and exploding gradients, RNN against LSTM."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..draw.gradients import draw_gradient_flow
from ..trace import (random_inputs, random_lstm_params, random_rnn_params, trace_lstm_gradients,
                     trace_rnn_gradients)
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["gradient_flow_widget"]

SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
LENGTHS = (10, 25, 50)


def gradient_flow_widget(mode: str = "static", scales=SCALES, lengths=LENGTHS, H: int = 32,
                         D: int = 4, forget_bias: float = 1.0, seed=0, dpi: int = 72):
    """‖∂L/∂h_t‖ for every t of a sequence, L = u · h_T, for a plain RNN and an LSTM.

    Controls: the recurrent weights' scale (Wh entries ~ N(0, scale²/H), the
    gain that makes an RNN's gradient vanish below 1 and explode above) and
    the sequence length T. Weights and inputs are seeded, the same for both
    cells at each choice. ``mode``: "static" or "live".
    """
    x_all = random_inputs(max(lengths), D, seed)

    @lru_cache(maxsize=64)
    def traces(scale, T):
        x = x_all[:T]
        rnn = trace_rnn_gradients(x, *random_rnn_params(D, H, scale, seed))
        lstm = trace_lstm_gradients(x, *random_lstm_params(D, H, scale, forget_bias, seed))
        return rnn, lstm

    def build(fig):
        ax = fig.add_axes([0.12, 0.16, 0.84, 0.74])
        return draw_gradient_flow(ax, traces(scales[0], lengths[0]))

    def show(arts, scale, T):
        rnn, lstm = traces(scale, T)
        ratio = rnn.norm[0] / max(lstm.norm[0], 1e-300)
        arts.update((rnn, lstm), tr("scale {scale}, T = {T}: at t = 1 the RNN gets {rnn}, the LSTM {lstm}",
                                    scale=f"{scale:g}", T=T, rnn=f"{rnn.norm[0]:.1e}", lstm=f"{lstm.norm[0]:.1e}")
                    if np.isfinite(ratio) else tr("scale {scale}, T = {T}", scale=f"{scale:g}", T=T))

    scene = Scene("gradient-flow", [control("scale", tr("recurrent scale"), scales, fmt=lambda s: f"{s:g}",
                                            play=True, start=min(2, len(scales) - 1)),
                                    control("T", tr("sequence length T"), lengths, start=len(lengths) - 1)],
                  (6.0, 3.0), dpi, build, show, interval=1000)
    box = build_widget(scene, mode)
    box.traces = traces
    return box
