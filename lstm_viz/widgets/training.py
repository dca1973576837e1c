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
from ._player import build_widget
from ._scene import Scene, control

__all__ = ["training_widget", "make_run"]


def make_run(steps: int, every: int, H: int, n_chars: int, seq_len: int, batch: int, lr: float,
             seed, sample_seed: str, sample_len: int):
    """A function ``run(callbacks) -> history`` training a fresh ``CharLSTM`` on stdlib source."""
    corpus = lstm_ref.char_corpus(n_chars, seed=seed)

    def run(callbacks=()):
        rng = np.random.default_rng(seed)
        model = lstm_ref.CharLSTM(corpus.vocab, H, seed=seed)
        return lstm_ref.train(
            model, lambda: lstm_ref.random_windows(corpus.ids, batch, seq_len, rng),
            lstm_ref.Adam(lr), steps, clip=5.0, callbacks=callbacks, every=every,
            sample=lambda m: m.sample(sample_seed, sample_len, temperature=0.7, rng=seed))
    return run


def training_widget(mode: str = "static", steps: int = 150, every: int = 25, H: int = 32,
                    n_chars: int = 30_000, seq_len: int = 32, batch: int = 16, lr: float = 1e-2,
                    seed: int = 0, sample_seed: str = "def ", sample_len: int = 40, history=None,
                    dpi: int = 72):
    """Loss (nats per character) and perplexity exp(loss) against step, samples listed below.

    ``history``: ``TrainRecord``s of a run already made (static mode then
    trains nothing). Otherwise a ``CharLSTM`` (hidden size ``H``) trains on
    ``n_chars`` characters of Python source with Adam(``lr``) for ``steps``
    steps, reporting every ``every`` steps with a sample of ``sample_len``
    characters after ``sample_seed``.
    """
    run = make_run(steps, every, H, n_chars, seq_len, batch, lr, seed, sample_seed, sample_len)
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

    scene = Scene("training", [control("upto", "reports shown", range(1, n_reports + 1), play=True)],
                  (6.4, 3.6), dpi, build, show, interval=800)
    button = widgets.Button(description="Train", icon="play", tooltip="train a fresh model")
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
