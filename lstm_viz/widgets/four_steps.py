"""Animation 4: the LSTM cell's four steps, through time, with the real numbers."""
from __future__ import annotations

from ..trace import random_inputs, random_lstm_params, trace_lstm
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["four_steps_widget"]

#: Inches; at 72 dpi, 576 x 281 px: the table's cells come out about 36 x 24 px,
#: large enough for its 10.5 px numbers (7.6 x 3.3 gave 6.5 px numbers).
FIGSIZE = (8.0, 3.9)


def four_steps_widget(mode: str = "static", x=None, params=None, T: int = 3, H: int = 4, D: int = 3,
                      seed=0, funcs=None, dpi: int = 72):
    """Step 1 forget, 2 input and candidate, 3 cell update, 4 output, at t = 1..T.

    ``x`` (T, D) and ``params`` (``GateParams`` or stacked ``(Wx, Wh, b)``)
    default to seeded random ones; ``funcs``: a student's step functions by
    name (``{"forget_gate": my_forget_gate, ...}``), run instead of
    ``lstm_ref``'s; cells that differ from the reference are outlined in red
    and the caption names the function at fault.
    """
    if x is None:
        x = random_inputs(T, D, seed)
    if params is None:
        params = random_lstm_params(x.shape[-1], H, scale=1.0, seed=seed)
    try:
        trace = trace_lstm(x, params, funcs=funcs)
    except Exception as exc:  # a student's function raised: say so instead of a traceback
        if not funcs:
            raise
        return _student_error(exc, funcs)
    from ..draw.lstm_cell import STEP_TITLES, draw_lstm_cell  # matplotlib: only once there is a trace to draw

    frames = [(t, k) for t in range(trace.T) for k in (1, 2, 3, 4)]

    def build(fig):
        ax = fig.add_axes([0.0, 0.0, 1.0, 1.0])
        return draw_lstm_cell(ax, highlight=1, trace=trace, t=0)

    def show(arts, frame):
        t, k = frame
        arts.update(k, trace, t)

    scene = Scene("four-steps", [control("frame", tr("t · step"), frames,
                                         fmt=lambda f: f"t={f[0] + 1} · {tr(STEP_TITLES[f[1]])}", play=True)],
                  FIGSIZE, dpi, build, show, interval=1200)
    box = build_widget(scene, mode)
    box.trace = trace
    return box


def _student_error(exc: Exception, funcs) -> "object":
    """A small widget that names the failing function, for a live notebook."""
    import html

    import ipywidgets as widgets

    names = ", ".join(sorted(funcs))
    hint = (tr("write it, then run this cell again") if isinstance(exc, NotImplementedError)
            else tr("fix it (the check cell above says more), then run this cell again"))
    detail = type(exc).__name__ + (f": {exc}" if str(exc) else "")
    box = widgets.HTML(
        "<div style='color:#b00'>" + tr("<b>The animation could not run your code</b> "
                                        "({names} raised {detail}): {hint}.",
                                        names=html.escape(names), detail=html.escape(detail), hint=hint)
        + "</div>")
    box.add_class("gbg-widget")
    box.add_class("gbg-message")
    return box

