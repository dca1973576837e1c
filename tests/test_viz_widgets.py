"""Widgets: live sliders change what is drawn; static mode pre-renders linked frames."""
from __future__ import annotations

import subprocess
import sys

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.embed import embed_data

import lstm_ref
from lstm_viz.draw.lstm_cell import TABLE_ROWS
from lstm_viz.trace import CHAR_DEMO
from lstm_viz.widgets import (four_steps_widget, gate_valve_widget, gradient_flow_widget,
                              sequence_heatmap_widget, training_widget, unrolled_rnn_widget)
from lstm_viz.widgets.training import make_run

ROWS = [name for name, _, _ in TABLE_ROWS]
PNG = b"\x89PNG\r\n\x1a\n"
TINY_TRAINING = dict(steps=4, every=2, H=8, n_chars=3000, seq_len=8, batch=2, sample_len=5)


def tanh_forget_gate(prev_h, x, W_f, b_f):
    return np.tanh(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)


def _link_ends(link):
    return (link.source[0], link.source[1]), (link.target[0], link.target[1])


def test_live_four_steps_slider_changes_the_drawing():
    w = four_steps_widget(mode="live", T=2, H=3, D=2)
    first = w.image.value
    assert first[:8] == PNG
    w.controls["frame"].index = 7  # t = 1, step 4
    grid = w.state.grid.image.get_array()
    np.testing.assert_allclose(grid[ROWS.index("h")], w.trace.h[1])
    np.testing.assert_allclose(grid[ROWS.index("c_prev")], w.trace.c[0])
    assert w.state.highlight == 4
    assert w.image.value != first


def test_live_four_steps_marks_a_students_wrong_gate():
    w = four_steps_widget(mode="live", T=2, H=3, D=2, funcs={"forget_gate": tanh_forget_gate})
    w.controls["frame"].index = 4  # t = 1, step 1
    marked = w.state.grid.marked()
    np.testing.assert_array_equal(marked[ROWS.index("f")], w.trace.differs["f"][1])
    assert marked[ROWS.index("f")].all()
    assert "forget_gate" in w.state.caption.get_text()


def test_live_errors_from_student_code_are_shown_not_raised():
    calls = []

    def flaky_step(x, prev_h, Wx, Wh, b):
        return lstm_ref.rnn_step_forward(x, prev_h, Wx, Wh, b)

    w = unrolled_rnn_widget(mode="live", T=3, step=flaky_step)
    w.scene = w.scene._replace(show=lambda arts, t: calls.append(t) or 1 / 0)
    w.controls["t"].index = 2
    assert calls == [2] and "ZeroDivisionError" in w.message.value


def test_live_other_widgets_redraw_from_their_sliders():
    g = gate_valve_widget(mode="live", z_values=[-2.0, 0.0, 2.0])
    g.controls["z"].index = 2
    np.testing.assert_allclose(g.state.points.get_ydata(), lstm_ref.sigmoid(np.full(5, 2.0)))
    h = sequence_heatmap_widget(mode="live", length=10, H=3)
    h.controls["unit"].index = 2
    np.testing.assert_allclose(h.state.unit_values()[4], h.trace.c[:, 2])
    assert h.state.unit_image.get_clim() == (-h.state.signed_limit, h.state.signed_limit)
    u = unrolled_rnn_widget(mode="live", T=3)
    u.controls["t"].index = 1
    assert u.state.grid.image.get_array().mask[:, 4].all()
    assert not u.state.grid.image.get_array().mask[:, 2].any()
    f = gradient_flow_widget(mode="live", scales=(0.5, 2.0), lengths=(5, 9))
    f.controls["T"].index = 0
    assert len(f.state.lines["rnn"].get_xdata()) == 5
    f.controls["scale"].index = 1
    np.testing.assert_allclose(f.state.lines["rnn"].get_ydata(), f.traces(2.0, 5)[0].norm)


def test_live_training_fills_the_plot_as_it_trains():
    w = training_widget(mode="live", **TINY_TRAINING)
    assert len(w.state.loss_line.get_xdata()) == 0
    w.train()
    assert [r.step for r in w.history] == [2, 4]
    np.testing.assert_allclose(w.state.loss_line.get_ydata(), [r.loss for r in w.history])
    assert any(isinstance(c, widgets.Button) for c in w.children)


def test_training_widget_trains_the_one_demo_configuration():
    # The book's chapter 11 cell and the widget read lstm_viz.trace.CHAR_DEMO; a
    # keyword replaces one setting, and the run is the demo's, reproducibly.
    w = training_widget(mode="static", **TINY_TRAINING)
    again = make_run(CHAR_DEMO._replace(**TINY_TRAINING))()
    assert [r.loss for r in w.history] == [r.loss for r in again]
    assert [r.samples for r in w.history] == [r.samples for r in again]
    assert all(len(r.samples) == TINY_TRAINING["sample_len"] for r in w.history)
    with pytest.raises(ValueError, match=r"settings: unknown \['hidden'\]"):
        training_widget(mode="live", hidden=3)


def test_static_four_steps_frames_and_links():
    w = four_steps_widget(mode="static", T=2, H=3, D=2)
    assert len(w.frames) == 8 and all(f[:8] == PNG for f in w.frames)
    stack = next(c for c in w.children if isinstance(c, widgets.Stack))
    assert len(stack.children) == 8 and all(isinstance(i, widgets.Image) for i in stack.children)
    assert [i.value for i in stack.children] == w.frames
    slider = w.controls["frame"]
    ends = {_link_ends(link) for link in w.links}
    assert ends == {((w.play, "value"), (slider, "index")), ((slider, "index"), (stack, "selected_index"))}
    assert all(type(link).__name__ == "Link" and link._model_name == "LinkModel" for link in w.links)
    assert {"gbg-widget", "gbg-four-steps", "gbg-static"} <= set(w._dom_classes)
    assert "gbg-play" in w.play._dom_classes
    assert w.play.max == 7


def test_static_frames_differ_and_embed_with_their_links():
    w = unrolled_rnn_widget(mode="static", T=3)
    assert len(set(w.frames)) == 3
    state = embed_data(views=[w])["manager_state"]["state"]
    models = {m["model_name"] for m in state.values()}
    assert {"LinkModel", "StackModel", "PlayModel", "ImageModel"} <= models
    links = [m["state"] for m in state.values() if m["model_name"] == "LinkModel"]
    assert any(l["target"][1] == "selected_index" for l in links)


def test_static_gradient_flow_nests_one_stack_per_control():
    w = gradient_flow_widget(mode="static", scales=(0.5, 1.0, 2.0), lengths=(4, 8))
    assert len(w.frames) == 6
    root = next(c for c in w.children if isinstance(c, widgets.Stack))
    assert len(root.children) == 3 and all(len(s.children) == 2 for s in root.children)
    T_links = [l for l in w.links if l.source[0] is w.controls["T"]]
    assert {id(l.target[0]) for l in T_links} == {id(s) for s in root.children}


@pytest.mark.parametrize("make, kwargs", [
    (unrolled_rnn_widget, {}),
    (gradient_flow_widget, {"scales": (0.5, 2.0), "lengths": (5, 10)}),
    (gate_valve_widget, {}),
    (four_steps_widget, {}),
    (sequence_heatmap_widget, {}),
    (training_widget, TINY_TRAINING),
])
def test_every_static_widget_is_small_and_findable(make, kwargs):
    w = make(mode="static", **kwargs)
    assert w.frames and w.frame_bytes < 2_000_000
    assert "gbg-widget" in w._dom_classes and w.play is not None
    played = next(c for c in w.scene.controls if c.play)
    assert w.play.max == len(played.options) - 1
    assert all(f[:8] == PNG for f in w.frames)


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        gate_valve_widget(mode="animated")


def test_importing_lstm_viz_is_light():
    code = "import sys, lstm_viz; assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_four_steps_names_a_student_function_that_raises_instead_of_crashing():
    from lstm_viz.widgets import four_steps_widget

    def unwritten(prev_h, x, W_f, b_f):
        raise NotImplementedError()

    box = four_steps_widget(mode="live", funcs={"forget_gate": unwritten})
    assert "gbg-message" in box._dom_classes
    assert "NotImplementedError" in box.value and "forget_gate" in box.value
    assert "write it" in box.value


def test_four_steps_numbers_are_readable_and_fit_their_cells():
    w = four_steps_widget(mode="live")
    grid, fig = w.state.grid, w.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    x0, y0 = w.state.ax.transData.transform((0, 0))
    x1, y1 = w.state.ax.transData.transform((grid.cw, grid.ch))
    cell_w, cell_h = x1 - x0, y1 - y0
    shown = [t for t in grid.texts if t.get_text()]
    assert shown
    for text in shown:
        assert text.get_fontsize() * fig.dpi / 72 >= 10  # pixels tall at the page's 72 dpi
        box = text.get_window_extent(renderer)
        assert box.width < cell_w and box.height < cell_h, text.get_text()


def test_static_training_first_frame_shows_the_first_report():
    from io import BytesIO

    from PIL import Image

    w = training_widget(mode="static", **TINY_TRAINING)
    w.scene.show(w.state, upto=1)  # the axes limits of frame 0
    first = w.history[0]
    x, y = w.state.ax.transData.transform((first.step, first.loss))
    rgb = np.asarray(Image.open(BytesIO(w.frames[0])).convert("RGB"))
    assert rgb[int(round(rgb.shape[0] - y)), int(round(x))].min() < 200
