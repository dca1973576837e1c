"""Small, seeded models and inputs for the animations.

Random weights are drawn with the scales the chapters discuss: the recurrent
weights ``Wh`` have entries of standard deviation ``scale / √H``, so ``scale``
is the gain that decides whether a plain RNN's gradients vanish (< 1) or
explode (> 1). The bracket counter is an LSTM whose first cell is set by hand
to count nesting depth, the pattern Karpathy and LSTMVis found in trained
models, so the heatmap has a known answer to find.
"""
from __future__ import annotations

import numpy as np

import lstm_ref
from lstm_ref.validate import check_int, check_rng

__all__ = [
    "random_inputs",
    "random_rnn_params",
    "random_lstm_params",
    "BRACKET_VOCAB",
    "bracket_text",
    "one_hot",
    "bracket_counter_params",
]

BRACKET_VOCAB = "()"  # ids 0 and 1, as in lstm_ref.brackets


def random_inputs(T: int, D: int, seed=0, scale: float = 1.0) -> np.ndarray:
    """x (T, D) with independent N(0, scale²) entries; row t-1 holds x_t.

    ``seed``: an int seed or a ``np.random.Generator`` (``lstm_ref.validate.check_rng``).
    """
    T, D = check_int("T", T, 1), check_int("D", D, 1)
    return scale * check_rng(seed, "seed").standard_normal((T, D))


def random_rnn_params(D: int, H: int, scale: float = 1.0, seed=0):
    """(Wx (D, H), Wh (H, H), b (H,)): Wx ~ N(0, 1/D), Wh ~ N(0, scale²/H), b = 0."""
    rng = check_rng(seed, "seed")
    Wx = rng.standard_normal((D, H)) / np.sqrt(D)
    Wh = scale * rng.standard_normal((H, H)) / np.sqrt(H)
    return Wx, Wh, np.zeros(H)


def random_lstm_params(D: int, H: int, scale: float = 1.0, forget_bias: float = 1.0, seed=0):
    """(Wx (D, 4H), Wh (H, 4H), b (4H,)), gate order i, f, g, o.

    Wx ~ N(0, 1/D), Wh ~ N(0, scale²/H); b is 0 except the forget block,
    which is ``forget_bias`` (1 is the usual initialisation: f starts near 0.73).
    """
    rng = check_rng(seed, "seed")
    Wx = rng.standard_normal((D, 4 * H)) / np.sqrt(D)
    Wh = scale * rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = np.zeros(4 * H)
    b[H:2 * H] = forget_bias
    return Wx, Wh, b


def bracket_text(length: int = 32, seed=0, p_open: float = 0.6) -> str:
    """One balanced string of '(' and ')' from ``lstm_ref.brackets`` (``length`` even)."""
    batch = lstm_ref.brackets(1, length, check_rng(seed, "seed"), p_open=p_open)
    return "".join(BRACKET_VOCAB[k] for k in batch.x[0])


def one_hot(text: str, vocab: str = BRACKET_VOCAB) -> np.ndarray:
    """x (T, V): row t-1 is the one-hot code of ``text[t-1]``, the t-th character, in ``vocab``."""
    bad = sorted(set(text) - set(vocab))
    if bad:
        raise ValueError(f"text: characters {bad} are not in the vocabulary {vocab!r}")
    x = np.zeros((len(text), len(vocab)))
    x[np.arange(len(text)), [vocab.index(ch) for ch in text]] = 1.0
    return x


def bracket_counter_params(H: int = 6, step: float = 0.25, seed=0) -> "lstm_ref.GateParams":
    """An LSTM over ``BRACKET_VOCAB`` whose unit 0 counts nesting depth.

    Unit 0: i ≈ f ≈ o ≈ 1 (biases +8), c̃ = tanh(±atanh(step)) = ±step for
    '(' / ')', so c_t ≈ step · depth_t. The other H − 1 units
    have random weights (N(0, 1)), standing in for what else a model learns.
    Returns ``GateParams``: ``W_*`` (H, H + 2), ``b_*`` (H,).
    """
    H = check_int("H", H, 1)
    D = len(BRACKET_VOCAB)
    Wx, Wh, b = random_lstm_params(D, H, scale=1.0, forget_bias=1.0, seed=seed)
    p = lstm_ref.split_gates(Wx, Wh, b)._asdict()
    for W in ("W_i", "W_f", "W_o"):
        p[W][0] = 0.0
    for bias in ("b_i", "b_f", "b_o"):
        p[bias][0] = 8.0
    p["W_c"][0] = 0.0
    p["W_c"][0, H + BRACKET_VOCAB.index("(")] = np.arctanh(step)
    p["W_c"][0, H + BRACKET_VOCAB.index(")")] = -np.arctanh(step)
    p["b_c"][0] = 0.0
    return lstm_ref.GateParams(**p)
