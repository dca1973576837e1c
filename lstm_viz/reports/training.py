"""Chapter 11's result sentences (the adding problem, the character language model)."""
from __future__ import annotations

from . import tr

__all__ = ["rnn_reading", "gap_reading"]


def rnn_reading(rnn_mse: float, lang: str | None = None) -> str:
    """What the plain RNN's test error on the adding problem says, against the 1/12 of
    keeping only the nearer number (a clause the page's sentence goes on from)."""
    if rnn_mse < 1 / 12:
        return tr("below the 1/12 of keeping only the nearer number, so the RNN does carry "
                  "part of the first number across the gap: it does not only lean on the second", lang)
    return tr("not below the 1/12 of keeping only the nearer number, so nothing in its "
              "answers shows that the RNN kept any of the first number", lang)


def gap_reading(ppl_train: float, ppl_held_out: float, lang: str | None = None) -> str:
    """How the held-out perplexity compares with the training text's, and what that says."""
    gap = ppl_held_out - ppl_train
    if gap > 0:
        return tr("higher on the held-out text, by {gap:.2f}: the model fits the text it "
                  "trained on a little better than text it has not seen", lang, gap=gap)
    return tr("lower on the held-out text, by {gap:.2f}. That is no sign of a model that does "
              "better on what it never saw: the held-out tenth is one stretch of text, and some "
              "prose is easier to predict than other. What the two numbers do show is that after "
              "this short training the model has not begun to fit its training text more closely "
              "than unseen text", lang, gap=-gap)
