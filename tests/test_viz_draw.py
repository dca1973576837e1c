"""Drawings show the trace's numbers and mark a student's differing cells (artists inspected)."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref
from lstm_viz.draw import (draw_gate_valve, draw_gradient_flow, draw_lstm_cell, draw_sequence_heatmap,
                           draw_training, draw_unrolled_rnn)
from lstm_viz.draw._style import INACTIVE, STEP_COLOURS
from lstm_viz.draw.lstm_cell import TABLE_ROWS
from lstm_viz.trace import (bracket_counter_params, bracket_text, one_hot, random_inputs,
                            random_lstm_params, random_rnn_params, trace_gate, trace_lstm,
                            trace_lstm_gradients, trace_rnn, trace_rnn_gradients)
from lstm_viz.widgets._frames import new_figure, render_png
from matplotlib.colors import to_hex


@pytest.fixture
def ax():
    fig = new_figure((6, 3), 60)
    return fig.add_axes([0, 0, 1, 1])


def tanh_forget_gate(prev_h, x, W_f, b_f):
    return np.tanh(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)


def _boxes(arts, step):
    return [a for a, s, kind in arts.parts if kind == "box" and s == step]


@pytest.mark.parametrize("highlight, step", [(1, 1), ("input", 2), (3, 3), ("output", 4)])
def test_cell_highlights_the_active_step(ax, highlight, step):
    arts = draw_lstm_cell(ax, highlight=highlight)
    for k in (1, 2, 4):
        for box in _boxes(arts, k):
            want = STEP_COLOURS[k] if k == step else INACTIVE
            assert to_hex(box.get_facecolor()) == want
    assert render_png(ax.figure)[:8] == b"\x89PNG\r\n\x1a\n"


def test_cell_without_highlight_is_all_coloured(ax):
    arts = draw_lstm_cell(ax)
    assert {to_hex(b.get_facecolor()) for b in _boxes(arts, 2)} == {STEP_COLOURS[2]}
    assert arts.grid is None
    with pytest.raises(ValueError, match="highlight"):
        arts.update(highlight="remember")


def test_cell_table_holds_the_trace_values_and_hides_later_steps(ax):
    x = random_inputs(3, 2, seed=1)
    tr = trace_lstm(x, random_lstm_params(2, 4, seed=2))
    arts = draw_lstm_cell(ax, highlight=2, trace=tr, t=1)
    shown = arts.grid.image.get_array()
    rows = [name for name, _, _ in TABLE_ROWS]
    np.testing.assert_allclose(shown[rows.index("f")], tr.f[1])
    np.testing.assert_allclose(shown[rows.index("c_tilde")], tr.c_tilde[1])
    assert shown.mask[rows.index("c")].all() and shown.mask[rows.index("h")].all()  # step 3, 4 not yet
    assert shown.mask[rows.index("x"), 2:].all()  # D = 2 of 4 columns
    arts.update(4, tr, 2)
    np.testing.assert_allclose(arts.grid.image.get_array()[rows.index("h")], tr.h[2])
    with pytest.raises(ValueError, match="t"):
        arts.update(4, tr, 3)


def test_cell_marks_a_students_differing_cells(ax):
    x = random_inputs(3, 2, seed=1)
    tr = trace_lstm(x, random_lstm_params(2, 4, seed=2), funcs={"forget_gate": tanh_forget_gate})
    arts = draw_lstm_cell(ax, highlight=4, trace=tr, t=1)
    marked = arts.grid.marked()
    rows = [name for name, _, _ in TABLE_ROWS]
    for name in ("f", "c", "h", "h_prev"):
        np.testing.assert_array_equal(marked[rows.index(name)], tr.differs[name][1])
    assert marked[rows.index("f")].all()
    assert not marked[rows.index("x")].any()
    assert "forget_gate" in arts.caption.get_text()
    arts.update(1, tr, 1)
    assert not arts.grid.marked()[rows.index("h")].any()  # not computed yet at step 1


def test_unrolled_rnn_fills_columns_up_to_t(ax):
    arts = draw_unrolled_rnn(ax, T=6)
    assert arts.grid is None and len(arts.boxes) == 6
    tr = trace_rnn(random_inputs(4, 2, seed=0), *random_rnn_params(2, 3, seed=0))
    arts = draw_unrolled_rnn(ax.figure.add_axes([0, 0, 1, 1]), trace=tr, t=2)
    data = arts.grid.image.get_array()
    for k in range(3):
        np.testing.assert_allclose(data[:, 2 * k], tr.h[k])
    assert data.mask[:, 6].all() and data.mask[:, 1].all()
    assert arts.boxes[2].get_linewidth() > arts.boxes[1].get_linewidth()


def test_gate_valve_bars_are_the_gated_values(ax):
    arts = draw_gate_valve(ax)  # no trace: an example
    tr = trace_gate(-1.0, [1.0, -2.0, 0.5])
    arts = draw_gate_valve(ax.figure.add_axes([0, 0, 1, 1]), tr)
    np.testing.assert_allclose([b.get_height() for b in arts.passed], tr.out)
    np.testing.assert_allclose(arts.points.get_ydata(), lstm_ref.sigmoid(np.full(3, -1.0)))
    assert "27%" in arts.title.get_text()


def test_gradient_flow_lines_are_the_norms(ax):
    x = random_inputs(8, 2, seed=0)
    rnn = trace_rnn_gradients(x, *random_rnn_params(2, 5, seed=0))
    lstm = trace_lstm_gradients(x, *random_lstm_params(2, 5, seed=0))
    arts = draw_gradient_flow(ax, (rnn, lstm), "t")
    np.testing.assert_allclose(arts.lines["rnn"].get_ydata(), rnn.norm)
    np.testing.assert_allclose(arts.lines["lstm"].get_ydata(), lstm.norm)
    assert ax.get_yscale() == "log"


def test_heatmap_follows_the_selected_unit(ax):
    text = bracket_text(12, seed=1)
    tr = trace_lstm(one_hot(text), bracket_counter_params(H=3))
    arts = draw_sequence_heatmap(ax, tr, unit=0, text=text)
    np.testing.assert_allclose(arts.unit_image.get_array()[4], tr.c[:, 0])
    np.testing.assert_allclose(arts.unit_values()[4], tr.c[:, 0])
    arts.update(tr, t=3, unit=2)
    np.testing.assert_allclose(arts.gate_image.get_array()[1], tr.f[:, 2])
    assert arts.unit_image.get_array().mask[1].all() and arts.gate_image.get_array().mask[4].all()
    assert arts.outline.get_y() == pytest.approx(1.5)
    assert list(arts.cursor.get_xdata()) == [3, 3]
    with pytest.raises(ValueError, match="unit"):
        arts.update(tr, unit=3)
    with pytest.raises(ValueError, match="text"):
        draw_sequence_heatmap(ax, tr, text="()")


def test_training_plot_shows_records_so_far(ax):
    hist = [{"step": s, "loss": 4.0 / s, "perplexity": np.exp(4.0 / s), "samples": f"s{s}"} for s in (1, 2, 3)]
    arts = draw_training(ax, hist, upto=2)
    np.testing.assert_allclose(arts.loss_line.get_ydata(), [4.0, 2.0])
    assert "s2" in arts.samples.get_text() and "s3" not in arts.samples.get_text()


def _pixel(fig, ax, xy):
    """RGB of the rendered figure at data point ``xy`` of ``ax``."""
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    x, y = ax.transData.transform(xy)
    return rgb[int(round(rgb.shape[0] - y)), int(round(x))]


def test_heatmap_colour_scale_follows_the_data_so_depth_past_one_stays_visible(ax):
    text = "((((((()))))))"  # depth 7: unit 0's c reaches 7 x 0.25 = 1.75
    tr = trace_lstm(one_hot(text), bracket_counter_params(H=3))
    arts = draw_sequence_heatmap(ax, tr, unit=0, text=text)
    c = tr.c[:, 0]
    assert c.max() > 1.7
    lo, hi = arts.unit_image.get_clim()
    assert lo == -hi and hi == arts.signed_limit >= np.abs([tr.c, tr.h, tr.c_tilde]).max()
    assert arts.overview.get_clim() == (lo, hi)
    assert arts.gate_image.get_clim() == (0.0, 1.0)
    # Depth 4 (c = 1) and depth 7 (c = 1.75) get different colours; with limits ±1 both saturate.
    assert arts.unit_image.to_rgba(1.0) != arts.unit_image.to_rgba(c.max())
    labels = [t.get_text() for t in arts.colorbars["signed"].ax.get_yticklabels()]
    assert labels[0] == f"{lo:.3g}" and labels[-1] == f"{hi:.3g}" and "0" in labels
    assert [t.get_text() for t in arts.colorbars["gates"].ax.get_yticklabels()] == ["0", "0.25", "0.5", "0.75", "1"]
    assert arts.colorbars["signed"].ax.get_ylabel() and arts.colorbars["gates"].ax.get_ylabel()


def test_heatmap_of_a_gate_uses_zero_to_one_beside_the_overview(ax):
    tr = trace_lstm(one_hot("(()())"), bracket_counter_params(H=3))
    arts = draw_sequence_heatmap(ax, tr, field="f")
    assert arts.overview.get_clim() == (0.0, 1.0)
    assert arts.overview.get_cmap().name != arts.unit_image.get_cmap().name
    upper_y = arts.colorbars["gates"].ax.get_position().y0
    assert upper_y > arts.colorbars["signed"].ax.get_position().y0  # the overview's scale sits beside it
    fixed = draw_sequence_heatmap(ax.figure.add_axes([0, 0, 1, 1]), tr, vlim=3.0)
    assert fixed.unit_image.get_clim() == (-3.0, 3.0)
    with pytest.raises(ValueError, match="vlim"):
        draw_sequence_heatmap(ax, tr, vlim=0.0)


@pytest.mark.parametrize("v, want", [(1.4957, 1.5), (1.5, 1.5), (0.93, 1.0), (2.1, 2.5), (0.012, 0.0125),
                                     (0.0, 1.0), (np.inf, 1.0)])
def test_nice_limit_rounds_up_to_a_round_number(v, want):
    from lstm_viz.draw._colour_scale import nice_limit
    assert nice_limit(v) == pytest.approx(want)


def test_training_plot_shows_its_first_record_as_a_point(ax):
    hist = [{"step": s, "loss": 4.0 / s, "perplexity": np.exp(4.0 / s), "samples": None} for s in (10, 20)]
    arts = draw_training(ax, hist, upto=1, steps=20)
    assert len(arts.loss_line.get_xdata()) == 1
    assert arts.loss_line.get_marker() not in ("None", "", None)
    r, g, b = _pixel(ax.figure, arts.ax, (10, hist[0]["loss"]))
    assert min(r, g, b) < 200  # a drawn marker, not the white background


def test_gradient_norms_figure_draws_each_curve_as_given():
    from lstm_viz.draw import draw_gradient_norms
    fig = new_figure((4, 3), 72)
    ax = fig.add_subplot()
    curves = {"rnn": np.array([1e-6, 1e-3, 1.0]), "lstm": np.array([0.5, 0.7, 1.0])}
    lines = draw_gradient_norms(ax, curves, "title", {"lstm": "#1f618d"})
    assert [ln.get_label() for ln in lines] == ["rnn", "lstm"]
    for ln, norms in zip(lines, curves.values()):
        np.testing.assert_array_equal(ln.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(ln.get_ydata(), norms)
    assert ax.get_yscale() == "log" and ax.get_title() == "title"
    assert to_hex(lines[1].get_color()) == "#1f618d"


def _tex(text) -> str:
    return text.get_text().replace("{", "").replace("}", "")


@pytest.mark.parametrize("T", [1, 4, 7])
def test_unrolled_rnn_labels_follow_the_time_index_convention(ax, T):
    """x_1 ... x_T in, h_1 ... h_T out, starting from h_0 (BRIEF: time index)."""
    arts = draw_unrolled_rnn(ax, T=T)
    assert [_tex(t) for t in arts.x_labels] == [f"$x_{k}$" for k in range(1, T + 1)]
    assert [_tex(t) for t in arts.h_labels] == [f"$h_{k}$" for k in range(1, T + 1)]
    assert _tex(arts.h0_label) == "$h_0$"
    shown = {_tex(t) for t in ax.texts}
    assert "$h_-1$" not in shown and "$x_0$" not in shown


def test_cell_title_counts_steps_from_one(ax):
    tr = trace_lstm(random_inputs(3, 2, seed=1), random_lstm_params(2, 4, seed=2))
    arts = draw_lstm_cell(ax, highlight=1, trace=tr, t=0)
    assert arts.title.get_text().startswith("t = 1")


# --------------------------------------------------------------------------- notation and figures

from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402

from lstm_viz.draw import (draw_coupled_cell, draw_gru_cell, draw_lstm_backward_graph,  # noqa: E402
                           draw_notation_legend, draw_peephole_cell, draw_rnn_module)
from lstm_viz.draw.backward import GRAPH_EDGES  # noqa: E402
from lstm_viz.draw.notation import SYMBOLS  # noqa: E402


def _texts_of(ax, text):
    return [t for t in ax.texts if t.get_text() == text]


def _shape_under(ax, label):
    """The patch whose centre the text ``label`` sits on."""
    x, y = label.get_position()
    hits = []
    for p in ax.patches:
        if isinstance(p, Circle) and np.hypot(*(np.subtract(p.center, (x, y + 0.02)))) < 1e-6:
            hits.append(p)
        elif isinstance(p, FancyBboxPatch) and abs(p.get_x() + p.get_width() / 2 - x) < 1e-6 \
                and abs(p.get_y() + p.get_height() / 2 - y) < 1e-6:
            hits.append(p)
    assert len(hits) == 1, f"{label.get_text()!r} at {(x, y)}: {hits}"
    return hits[0]


def test_notation_legend_draws_the_five_symbols(ax):
    arts = draw_notation_legend(ax)
    assert list(arts.symbols) == [k for k, _ in SYMBOLS] == ["transfer", "concatenate", "copy",
                                                              "pointwise", "layer"]
    transfer = arts.symbols["transfer"]
    assert any(isinstance(a, FancyArrowPatch) for a in transfer), "a vector transfer ends in an arrow"
    merge_lines = [a for a in arts.symbols["concatenate"] if isinstance(a, Line2D)]
    ends = [tuple(np.round(l.get_xydata()[-1], 6)) for l in merge_lines[:2]]
    assert len(merge_lines) == 3 and ends[0] == ends[1], "two lines meet at one point and go on as one"
    assert any(isinstance(a, Line2D) and a.get_marker() == "o" for a in arts.symbols["copy"]), "a fork dot"
    assert sum(isinstance(a, FancyArrowPatch) for a in arts.symbols["copy"]) == 2, "two branches leave"
    assert all(isinstance(a, Circle) for a in arts.symbols["pointwise"] if not hasattr(a, "get_text"))
    assert all(isinstance(a, FancyBboxPatch) for a in arts.symbols["layer"] if not hasattr(a, "get_text"))
    for key, caption in SYMBOLS:
        assert arts.captions[key].get_text() == caption


def test_cell_draws_the_pointwise_tanh_unlike_the_tanh_layer(ax):
    """The candidate's tanh is a layer (a filled box), tanh(c_t) a pointwise circle, as in the legend."""
    draw_lstm_cell(ax)
    tanhs = [_shape_under(ax, t) for t in _texts_of(ax, "tanh")]
    assert sorted(type(s).__name__ for s in tanhs) == ["Circle", "FancyBboxPatch"]
    circle = next(s for s in tanhs if isinstance(s, Circle))
    assert to_hex(circle.get_facecolor()) == "#ffffff"
    legend = draw_notation_legend(ax.figure.add_axes([0, 0, 1, 1]))
    legend_circle = next(a for a in legend.symbols["pointwise"] if isinstance(a, Circle))
    assert to_hex(legend_circle.get_facecolor()) == "#ffffff"
    layers = [s for s in (_shape_under(ax, t) for t in _texts_of(ax, "σ")) if isinstance(s, FancyBboxPatch)]
    assert len(layers) == 3


def test_rnn_module_has_one_layer_and_the_lstm_four(ax):
    rnn = draw_rnn_module(ax)
    assert len(rnn.layers) == 1 and isinstance(rnn.layers[0], FancyBboxPatch)
    cell = draw_lstm_cell(ax.figure.add_axes([0, 0, 1, 1]))
    assert len([a for a, _, kind in cell.parts if kind == "box"]) == 4


def test_peephole_cell_adds_three_dashed_lines_from_the_cell_state(ax):
    arts = draw_peephole_cell(ax)
    assert set(arts.extra) == {"p_f", "p_i", "p_o"}
    for name, lines in arts.extra.items():
        line = lines[0]
        assert line.get_linestyle() == "--", name
        assert line.get_ydata()[0] == pytest.approx(6.2), f"{name} starts on the cell state"
    assert len(arts.layers) == 4


def test_coupled_cell_replaces_the_input_layer_by_one_minus_f(ax):
    arts = draw_coupled_cell(ax)
    assert len(arts.layers) == 3, "no input-gate layer: three layers"
    assert [_shape_under(ax, t) for t in _texts_of(ax, "1−")] == arts.extra["one_minus"]
    assert all(isinstance(c, Circle) for c in arts.extra["one_minus"])


def test_gru_cell_has_two_gates_a_linear_layer_and_a_tanh(ax):
    arts = draw_gru_cell(ax)
    assert [_shape_under(ax, t).get_x() for t in _texts_of(ax, "linear")]  # the h W_hn layer
    assert len(arts.layers) == 4
    assert {"reset", "keep", "one_minus", "write", "add"} <= set(arts.extra)
    # r_t multiplies the linear layer's output, not h_{t-1} (PyTorch's form, not Cho et al.'s).
    reset = arts.extra["reset"].center
    linear = next(_shape_under(ax, t) for t in _texts_of(ax, "linear"))
    assert reset[0] == pytest.approx(linear.get_x() + linear.get_width() / 2) and reset[1] < linear.get_y()


def test_backward_graph_labels_every_edge_with_its_gradient(ax):
    arts = draw_lstm_backward_graph(ax)
    assert set(arts.backward) == set(arts.forward) == {(a, b) for a, b, _, _ in GRAPH_EDGES}
    for edge, (back, label) in arts.backward.items():
        fwd = arts.forward[edge]
        (fa, fb), (ba, bb) = fwd._posA_posB, back._posA_posB
        assert np.dot(np.subtract(fb, fa), np.subtract(bb, ba)) < 0, f"{edge}: backward must point back"
        assert r"\delta" in label.get_text()
    labels = {label.get_text() for _, label in arts.backward.values()}
    for must in (r"\delta c_{t-1} = \delta c_t \odot f", r"\delta f = \delta c_t \odot c_{t-1}",
                 r"\delta i = \delta c_t \odot g", r"\delta g = \delta c_t \odot i",
                 r"\delta o = \delta h_t \odot \tanh(c_t)"):
        assert any(must in lab for lab in labels), must
    assert r"\delta W_x = x_t^\top \delta a" in arts.weights.get_text()
    assert render_png(ax.figure)[:8] == b"\x89PNG\r\n\x1a\n"
