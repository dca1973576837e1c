"""Figures in Korean: every figure string has its translation, a Korean kernel's figures
show no English word, and Hangul renders in NanumGothic without a missing glyph."""
from __future__ import annotations

import contextlib
import logging
import re
import subprocess
import sys
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.text import Text

import gbg_i18n
from lstm_viz import words
from lstm_viz.draw import (draw_coupled_cell, draw_gate_valve, draw_gradient_flow, draw_gradient_norms,
                           draw_gru_cell, draw_lstm_backward_graph, draw_lstm_cell, draw_notation_legend,
                           draw_peephole_cell, draw_rnn_module, draw_sequence_heatmap, draw_training,
                           draw_unrolled_rnn)
from lstm_viz.draw.results import draw_attention_map, draw_by_length, draw_seed_bars
from lstm_viz.i18n_extract import book_messages, code_messages, messages
from lstm_viz.trace import (bracket_counter_params, bracket_text, example_gate_trace, one_hot, random_inputs,
                            random_lstm_params, random_rnn_params, trace_lstm, trace_lstm_gradients, trace_rnn,
                            trace_rnn_gradients)
from lstm_viz.widgets._frames import new_figure, render_png

CATALOG = gbg_i18n.catalog_path("figures", "ko")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
#: Words a Korean figure keeps: model names, functions and the activation's name.
KEPT = {"RNN", "LSTM", "GRU", "tanh", "nat", "nan", "vanilla", "NIG"}  # and ablation ids
#: Figures drawn in symbols only (math labels stay as they are).
WORDLESS = {"unrolled", "module"}


@pytest.fixture
def korean(monkeypatch):
    with _in_korean(monkeypatch):
        yield


@contextlib.contextmanager
def _in_korean(monkeypatch):
    """Figures drawn in Korean: the language, matplotlib's settings restored afterwards, the words hook."""
    monkeypatch.setenv("GBG_LANG", "ko")
    with matplotlib.rc_context():
        words.install()
        yield


def _english_words(text: str) -> list[str]:
    """Words of three or more Latin letters outside math, quotes and identifiers."""
    text = re.sub(r"\$[^$]*\$|'[^']*'|\b\w*_\w*\b", " ", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in KEPT]


def _texts(fig) -> list[str]:
    """The visible texts of ``fig`` as its last drawing left them."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _drawn_texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels and the translation hook run at draw time
    return _texts(fig)


def _figures():
    """One figure of every draw function, each with a trace where it takes one."""
    x = random_inputs(4, 3, seed=1)
    lstm = trace_lstm(x, random_lstm_params(3, 3, seed=2))
    text = bracket_text(12, seed=0)
    heat = trace_lstm(one_hot(text), bracket_counter_params())
    rnn_params = random_rnn_params(3, 4, 1.0, 2)
    grads = (trace_rnn_gradients(x, *rnn_params), trace_lstm_gradients(x, *random_lstm_params(3, 4, 1.0, 1.0, 2)))
    history = [{"step": 10, "loss": 2.0, "perplexity": 7.4, "samples": "the gate"},
               {"step": 20, "loss": 1.5, "perplexity": 4.5, "samples": None}]
    draws = {
        "cell": lambda ax: draw_lstm_cell(ax, highlight=2, trace=lstm, t=1),
        "unrolled": lambda ax: draw_unrolled_rnn(ax, trace=trace_rnn(x, *rnn_params), t=2),
        "gate_valve": lambda ax: draw_gate_valve(ax, example_gate_trace()),
        "gradient_flow": lambda ax: draw_gradient_flow(ax, grads),
        "gradient_norms": lambda ax: draw_gradient_norms(ax, {"plain RNN, gain 1": grads[0].norm},
                                                         "Gradient reaching each step from a loss on h_100"),
        "heatmap": lambda ax: draw_sequence_heatmap(ax, heat, t=3, unit=0, text=text),
        "training": lambda ax: draw_training(ax, history),
        "training_empty": lambda ax: draw_training(ax, []),
        "notation": draw_notation_legend,
        "module": draw_rnn_module,
        "peephole": draw_peephole_cell,
        "coupled": draw_coupled_cell,
        "gru": draw_gru_cell,
        "backward": draw_lstm_backward_graph,
        "by_length": lambda ax: draw_by_length(ax, [5, 10], {"with attention": [[50, 40], [60, 30]]},
                                               "output digits correct (%)", "Reversing digit strings",
                                               baselines={"random guess (10 %)": 10}),
        "seed_bars": lambda ax: draw_seed_bars(ax, ["vanilla", "NIG"], [[1.0, 2.0], [1.2, 2.1]],
                                               "test loss per symbol (nats)", "Lower is better"),
        "attention": lambda ax: draw_attention_map(ax, np.eye(2), ["1", "2"], ["2", "1"],
                                                   "Attention weights, one string of 8"),
    }
    for name, draw in draws.items():
        fig = new_figure((9, 4), 50)
        draw(fig.add_axes([0.05, 0.1, 0.9, 0.8]))
        yield name, fig


def test_every_figure_string_has_a_korean_translation():
    assert gbg_i18n.problems(CATALOG) == []
    msgs = messages()
    assert len(code_messages()) > 40 and len(book_messages()) > 20
    missing = [m for m, _ in msgs if gbg_i18n.gettext("figures", m, "ko") == m]
    assert missing == []


def test_the_catalog_is_in_sync_with_the_code_and_the_book():
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as fh:
        ids = {m.id for m in read_po(fh) if m.id}
    assert ids == {m for m, _ in messages()}, "run python -m lstm_viz.i18n_extract"


def test_extraction_finds_a_changed_or_new_figure_string(tmp_path):
    pkg = tmp_path / "lstm_viz"
    pkg.mkdir()
    (pkg / "x.py").write_text('from .words import tr, N_\nA = N_("new words")\nB = tr("unit {unit}", unit=1)\n')
    from lstm_viz import i18n_extract

    found = [m for m, _ in i18n_extract.code_messages(pkg)]
    assert found == ["new words", "unit {unit}"]
    page = tmp_path / "book"
    page.mkdir()
    (page / "p.md").write_text('# P\n\n```{code-cell} ipython3\n:tags: [remove-input]\nfig, ax = plt.subplots()\n'
                               'ax.set_title(f"gain {g:.1f}")\nax.plot([1], label="new curve")\n```\n')
    assert [m for m, _ in i18n_extract.book_messages(page)][:2] == ["gain {g}", "new curve"]


class _Records(logging.Handler):
    """The records of a logger, kept."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def _font_problems(fig) -> list[str]:
    """The missing-glyph warnings and font-lookup messages of rendering ``fig`` as PNG."""
    logger, records = logging.getLogger("matplotlib"), _Records()
    level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            render_png(fig)
    finally:
        logger.removeHandler(records)
        logger.setLevel(level)
    return [str(w.message) for w in caught if "glyph" in str(w.message).lower()] + [
        r.getMessage() for r in records.records if "glyph" in r.getMessage().lower()
        or "findfont" in r.getMessage()]


@pytest.fixture(scope="module")
def korean_figures():
    """Every figure drawn once in Korean, by rendering it as
    PNG: {name: (its visible texts, the font problems of the rendering)}. The two tests
    below read the same drawing, which costs a third of this module's CPU time to make."""
    with pytest.MonkeyPatch.context() as mp, _in_korean(mp):
        drawn = {}
        for name, fig in _figures():
            problems = _font_problems(fig)
            drawn[name] = (_texts(fig), problems)
    return drawn


def test_korean_figures_show_no_english_word(korean_figures):
    left = {}
    for name, (texts, _) in korean_figures.items():
        assert name in WORDLESS or any(HANGUL.search(t) for t in texts), name
        bad = [t for t in texts if _english_words(t)]
        if bad:
            left[name] = bad
    assert left == {}


def test_english_figures_are_unchanged(monkeypatch):
    monkeypatch.delenv("GBG_LANG", raising=False)
    words.install("ko")  # the hook, once installed, follows the language of the moment
    for name, fig in _figures():
        texts = _drawn_texts(fig)
        assert not any(HANGUL.search(t) for t in texts), name


def test_a_chapters_own_matplotlib_texts_are_translated_when_drawn(korean):
    fig = new_figure((6, 3), 50)
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
    ax.plot([1, 2], label="LSTM: test accuracy 97%")
    ax.plot([1, 2], label="gain 0.5")
    ax.legend()
    ax.set_xlabel("training step")
    ax.set_title("a title no catalog has")
    texts = _drawn_texts(fig)
    assert "LSTM: 테스트 정확도 97%" in texts and "이득 0.5" in texts and "학습 스텝" in texts
    assert "a title no catalog has" in texts  # untranslatable text is left alone, not garbled


def test_korean_renders_in_nanumgothic_with_no_missing_glyph(korean, korean_figures, monkeypatch):
    regular = next(f for f in words.font_files() if f.name == "NanumGothic.ttf")
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "NanumGothic"]
    assert font_manager.findfont(font_manager.FontProperties(family="NanumGothic")) == str(regular)
    nanum = font_manager.get_font(str(regular))
    for name, (texts, problems) in korean_figures.items():
        assert problems == [], name
        hangul = {c for t in texts for c in HANGUL.findall(t)}
        assert all(nanum.get_char_index(ord(c)) for c in hangul), name
    # The same Hangul without the course's font (an English kernel, no fallback): matplotlib
    # reports the missing glyphs, so the check above can fail.
    monkeypatch.setenv("GBG_LANG", "en")
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = new_figure((4, 2), 50)
        fig.text(0.1, 0.5, "망각 게이트")
        assert _font_problems(fig)


def test_widgets_labels_are_korean(korean):
    from lstm_viz.widgets import four_steps_widget, gradient_flow_widget, training_widget

    box = four_steps_widget(mode="live")
    slider = box.controls["frame"]
    assert slider.description == "t · 단계" and slider.options[0] == "t=1 · 1단계: 망각"
    assert box.play.description == "재생"
    flow = gradient_flow_widget(mode="live", scales=(1.0,), lengths=(5,))
    assert flow.state.title.get_text().startswith("배율 1, T = 5: t = 1에서 RNN은 ")
    train = training_widget(mode="live", steps=4, every=2, H=8, n_chars=3000, seq_len=8, batch=2, sample_len=5)
    button = [c for c in train.children if getattr(c, "description", "") == "학습"]
    assert button and button[0].tooltip == "새 모델을 학습합니다"


def test_a_korean_kernel_gets_the_font_and_hook_from_import_lstm_viz():
    code = ("import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt, lstm_viz; "
            "fig, ax = plt.subplots(); ax.set_xlabel('training step'); fig.canvas.draw(); "
            "print(ax.get_xlabel(), matplotlib.rcParams['font.family'][-1])")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={"GBG_LANG": "ko", "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    assert out.stdout.split() == ["학습", "스텝", "NanumGothic"]
