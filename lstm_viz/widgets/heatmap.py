"""Animation 5: gates and states over a whole input, one unit at a time (LSTMVis-like)."""
from __future__ import annotations

from ..draw.heatmap import draw_sequence_heatmap
from ..trace import bracket_counter_params, bracket_text, one_hot, trace_lstm
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["sequence_heatmap_widget"]


def sequence_heatmap_widget(mode: str = "static", text=None, params=None, x=None, length: int = 32,
                            H: int = 6, seed=0, field: str = "c", funcs=None, dpi: int = 72):
    """The bracket task by default: unit 0 of a hand-set LSTM counts depth.

    ``text``: the input (default a balanced bracket string from
    ``lstm_ref.brackets``); ``x`` (T, D): its encoding (default one-hot over
    "()"); ``params``: any LSTM's weights (default ``bracket_counter_params``);
    ``field``: the vector of the overview; ``funcs``: a student's step functions.
    The control selects the unit shown in detail.
    """
    if text is None and x is None:
        text = bracket_text(length, seed)
    if x is None:
        x = one_hot(text)
    if params is None:
        params = bracket_counter_params(H, seed=seed)
    trace = trace_lstm(x, params, funcs=funcs)

    def build(fig):
        ax = fig.add_axes([0.04, 0.1, 0.94, 0.86])
        return draw_sequence_heatmap(ax, trace, unit=0, text=text, field=field)

    def show(arts, unit):
        arts.update(trace, None, unit)

    scene = Scene("sequence-heatmap", [control("unit", tr("unit"), range(trace.H), play=True)],
                  (6.4, 3.4), dpi, build, show, interval=1500)
    box = build_widget(scene, mode)
    box.trace = trace
    return box
