"""The settings of chapter 11's character-model demo, in one place.

The book's training cell (``book/ch11_training.md``) and
``lstm_viz.widgets.training_widget`` both read ``CHAR_DEMO``, so the curves
replayed on the page and a model retrained live by the Train button come from
the same run: a ``CharLSTM`` trained with ``lstm_ref.train`` on the first
``train_fraction`` of ``n_chars`` characters of the course's own shipped prose
(``lstm_ref/data/course_text.txt``, the same on every machine).
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["CharDemo", "CHAR_DEMO"]


class CharDemo(NamedTuple):
    """One run of the character-model demo (``_replace`` makes a variant, e.g. a tiny one for tests).

    Corpus: ``n_chars`` characters from ``lstm_ref.char_corpus(n_chars, seed)``;
    the first ``train_fraction`` of the ids trains, the rest is held out.
    Model: ``CharLSTM(vocab, H, seed=seed)``. Batches: ``random_windows`` of
    N = ``batch`` windows of T = ``seq_len`` characters, drawn by
    ``np.random.default_rng(seed)``. Training: ``Adam(lr)`` for ``steps``
    steps, global gradient norm clipped to ``clip``, a report every ``every``
    steps with a sample of ``sample_len`` characters after ``prompt`` at
    ``temperature``, drawn with ``rng=sample_seed``.
    """

    n_chars: int = 30_000
    train_fraction: float = 0.9
    H: int = 48
    batch: int = 16
    seq_len: int = 32
    lr: float = 1e-2
    steps: int = 300
    clip: float = 5.0
    every: int = 30
    seed: int = 0
    prompt: str = "The "
    sample_len: int = 40
    temperature: float = 0.7
    sample_seed: int = 1


CHAR_DEMO = CharDemo()
