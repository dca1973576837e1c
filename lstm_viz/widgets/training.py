"""Animation 6: loss and perplexity while a character LSTM trains, with samples.

The training loop is ``lstm_ref.train``; this module only passes it a
callback. Static mode trains now (at book build time) and pre-renders one
frame per report; live mode trains when the Train button is pressed and
redraws at every report.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

import lstm_ref

from ..draw.training import draw_training
from ..trace.char_demo import CHAR_DEMO, CharDemo
from ._player import build_widget
from ..words import tr
from ._scene import Scene, control

__all__ = ["training_widget", "make_run"]


def make_run(demo: CharDemo = CHAR_DEMO):
    """A function ``run(callbacks) -> history`` training a fresh ``CharLSTM`` as ``demo`` says.

    The same run as chapter 11's training cell: the corpus, the training
    split, the model, the batches and the samples all follow ``demo``.
    """
    corpus = lstm_ref.char_corpus(demo.n_chars, seed=demo.seed)
    train_ids = corpus.ids[:int(demo.train_fraction * len(corpus.ids))]

    def run(callbacks=()):
        rng = np.random.default_rng(demo.seed)
        model = lstm_ref.CharLSTM(corpus.vocab, demo.H, seed=demo.seed)
        return lstm_ref.train(
            model, lambda: lstm_ref.random_windows(train_ids, demo.batch, demo.seq_len, rng),
            lstm_ref.Adam(demo.lr), demo.steps, clip=demo.clip, callbacks=callbacks, every=demo.every,
            sample=lambda m: m.sample(demo.prompt, demo.sample_len, temperature=demo.temperature,
                                      rng=demo.sample_seed))
    return run


def training_widget(mode: str = "static", history=None, dpi: int = 72, demo: CharDemo = CHAR_DEMO,
                    **settings):
    """Loss (nats per character) and perplexity exp(loss) against step, samples listed below.

    ``history``: ``TrainRecord``s of a run already made (static mode then
    trains nothing). Otherwise the run of ``demo`` (``lstm_viz.trace.CHAR_DEMO``,
    the settings chapter 11 trains with; keyword ``settings`` replace some of
    them, e.g. ``steps=4, H=8``): a ``CharLSTM`` trains on the course's shipped prose with
    Adam, reporting every ``demo.every`` steps with a sample of generated text.
    """
    unknown = sorted(set(settings) - set(CharDemo._fields))
    if unknown:
        raise ValueError(f"settings: unknown {unknown}; expected some of {list(CharDemo._fields)}")
    demo = demo._replace(**settings)
    steps, every = demo.steps, demo.every
    run = make_run(demo)
    if history is not None:
        records = list(history)
    elif mode == "static":
        records = run()
    else:
        records = []
    n_reports = len(records) if records else -(-steps // every)
    last_step = max([r.step for r in records], default=steps)

    def build(fig):
        ax = fig.add_axes([0.02, 0.02, 0.96, 0.96])
        return draw_training(ax, records, upto=1, steps=last_step)

    def show(arts, upto):
        arts.update(records, upto, last_step)

    scene = Scene("training", [control("upto", tr("reports shown"), range(1, n_reports + 1), play=True)],
                  (6.4, 3.6), dpi, build, show, interval=800)
    button = widgets.Button(description=tr("Train"), icon="play", tooltip=tr("train a fresh model"))
    button.add_class("gbg-train")
    box = build_widget(scene, mode, extra=[button] if mode == "live" else [])
    box.history = records

    def on_report(record):
        records.append(record)
        slider = box.controls["upto"]
        k = min(len(records), n_reports) - 1
        if slider.index == k:
            box.redraw()
        else:
            slider.index = k

    def train_now(_=None):
        records.clear()
        button.disabled = True
        try:
            run([on_report])
        finally:
            button.disabled = False

    box.train = train_now
    button.on_click(train_now)
    return box
