"""Experiments from the papers, at the course's scale: the runs behind chapter 12's tables.

- ``greff_run``: Greff et al. (2017), "LSTM: A Search Space Odyssey": the
  vanilla LSTM against seven variants that each remove one part
  (``lstm_ref.ablations``), on the *continual* embedded Reber grammar of
  Gers, Schmidhuber and Cummins (2000): one endless stream of embedded Reber
  strings, no marker of where a sequence starts except the symbols
  themselves, trained by truncated BPTT with the state carried across
  batches (``lstm_ref.state``). Every string's penultimate symbol must
  repeat its second, and a cell that never forgets keeps adding the strings
  it has read.
- ``forget_bias_run``: Jozefowicz, Zaremba and Sutskever (2015): the LSTM
  with forget-gate bias 1 against 0, on the same task.
- ``adding_run``: the adding problem against its length T, the plain RNN
  against the LSTM.
- ``train_reverser``: chapter 13's encoder-decoder reversing digit strings,
  with and without the attention of Bahdanau, Cho and Bengio (2015).

Each function is seeded (weights, training stream, test stream from
separate generators), so one call always gives the same numbers; the
chapter runs each at several seeds and shows mean and spread.
"""
from __future__ import annotations

import functools
import time
from typing import NamedTuple

import numpy as np

from .ablations import ABLATIONS, ablation_backward, ablation_forward
from .data.encoding import one_hot
from .data.reber import REBER_SYMBOLS, embedded_reber_string
from .losses import log_softmax, temporal_softmax_loss
from .models import init_cell_params
from .optim import Adam
from .seq2seq import DIGITS_V, Seq2Seq, reverse_digits
from .state import consecutive_windows
from .training import long_dependency_experiment, train

__all__ = ["ReberStream", "reber_stream", "AblationLM", "RunResult", "greff_run",
           "forget_bias_run", "adding_run", "train_reverser"]


class ReberStream(NamedTuple):
    """``ids`` (S,) int64 symbol ids of consecutive embedded Reber strings;
    ``penultimate`` (S,) bool, True at every string's penultimate symbol (the
    one that must repeat the string's second symbol)."""
    ids: np.ndarray
    penultimate: np.ndarray


def reber_stream(n_strings: int, rng: np.random.Generator) -> ReberStream:
    """``n_strings`` embedded Reber strings written one after another, with no separator."""
    strings = [embedded_reber_string(rng) for _ in range(int(n_strings))]
    text = "".join(strings)
    ends = np.cumsum([len(s) for s in strings])
    penultimate = np.zeros(len(text), bool)
    penultimate[ends - 2] = True
    return ReberStream(np.array([REBER_SYMBOLS.index(ch) for ch in text], np.int64), penultimate)


class AblationLM:
    """Next-symbol model with one of Greff et al.'s LSTM variants, the state carried across batches.

        h = ablation_forward(one_hot(x), h_carried, c_carried, variant)     (N, T, H)
        s_t = h_t W_out + b_out                                             (N, T, V)

    ``params``: Wx (V, 4H), Wh (H, 4H), b (4H,) (forget bias ``forget_bias``),
    P (3, H), W_out (H, V), b_out (V,). ``loss(x, y)`` (N, T) ids -> (mean
    cross-entropy, grads), carrying h, c to the next call (truncated BPTT).
    """

    loss_is_nll = True

    def __init__(self, V: int, H: int, variant: str = "vanilla", seed=0,
                 forget_bias: float = 1.0):
        if variant not in ABLATIONS:
            raise ValueError(f"variant: expected one of {ABLATIONS}, got {variant!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.V, self.H, self.variant = int(V), int(H), variant
        self.params = init_cell_params("lstm", V, H, rng, forget_bias=forget_bias)
        k = 1.0 / np.sqrt(H)
        self.params["P"] = rng.uniform(-k, k, (3, H))
        self.params["W_out"] = rng.uniform(-k, k, (H, V))
        self.params["b_out"] = np.zeros(V)
        self.state = (None, None)

    def scores(self, x_ids, carry: bool = True):
        """(N, T) ids -> (scores (N, T, V), h (N, T, H), cache), from the carried state."""
        p = self.params
        h, cache = ablation_forward(one_hot(x_ids, self.V), *self.state, p["Wx"], p["Wh"],
                                    p["b"], p["P"], self.variant)
        if carry:
            self.state = (cache.h[-1].copy(), cache.c[-1].copy())
        return h @ p["W_out"] + p["b_out"], h, cache

    def loss(self, x_ids, y_ids):
        """Mean next-symbol cross-entropy of one window and its gradients (dh0, dc0 dropped)."""
        scores, h, cache = self.scores(x_ids)
        loss, ds = temporal_softmax_loss(scores, y_ids)
        flat = ds.reshape(-1, self.V)
        grads = {"W_out": h.reshape(-1, self.H).T @ flat, "b_out": flat.sum(0)}
        dh = (flat @ self.params["W_out"].T).reshape(h.shape)
        _, _, _, grads["Wx"], grads["Wh"], grads["b"], grads["P"] = ablation_backward(dh, cache)
        return loss, grads


class RunResult(NamedTuple):
    """One seeded run: ``score`` (the number the table shows), ``loss`` (final
    test loss), ``elapsed`` wall seconds, the ``settings`` used and the trained ``model``."""
    score: float
    loss: float
    elapsed: float
    settings: dict
    model: object = None


def _streams(seed: int, n_train: int, n_test: int):
    """The seed's generator of initial weights, and its training and test streams."""
    init_seq = np.random.SeedSequence(int(seed)).spawn(3)[0]
    return (np.random.default_rng(init_seq),) + _reber_streams(int(seed), n_train, n_test)


@functools.lru_cache(maxsize=4)
def _reber_streams(seed: int, n_train: int, n_test: int):
    """The training and test streams of a seed, written once: the eight variants of a table
    row train on the same ones (writing a stream took a fifth of a run). Read-only, since
    every run of the seed shares them."""
    _, train_seq, test_seq = np.random.SeedSequence(seed).spawn(3)
    streams = reber_stream(n_train, np.random.default_rng(train_seq)), \
        reber_stream(n_test, np.random.default_rng(test_seq))
    for array in (a for stream in streams for a in stream):
        array.flags.writeable = False
    return streams


def greff_run(variant: str = "vanilla", seed: int = 0, H: int = 12, N: int = 16, T: int = 20,
              steps: int = 200, lr: float = 0.02, forget_bias: float = 1.0,
              test_strings: int = 200) -> RunResult:
    """Train one variant on the continual embedded Reber grammar and test it.

    Training: ``steps`` windows of N rows × T symbols dealt from one stream
    (``consecutive_windows``), the state carried from window to window, Adam
    with learning rate ``lr``, gradients clipped at norm 5. Test: a fresh
    stream of ``test_strings`` strings read in one pass from a zero state;
    ``score`` is the fraction of strings whose penultimate symbol (T or P, a
    copy of the second) is the model's most likely next symbol (guessing:
    50 %); ``loss`` the mean cross-entropy per symbol in nats.
    """
    start = time.perf_counter()
    n_train = steps * N * T // 10 + 10 * N   # embedded Reber strings average about 11.5 symbols
    init_rng, train_s, test_s = _streams(seed, n_train, test_strings)
    model = AblationLM(len(REBER_SYMBOLS), H, variant, seed=init_rng, forget_bias=forget_bias)
    train(model, consecutive_windows(train_s.ids, N, T), Adam(lr), steps, clip=5.0, every=steps)
    model.state = (None, None)
    scores, _, _ = model.scores(test_s.ids[None, :-1], carry=False)
    target = test_s.ids[1:]
    logp = log_softmax(scores[0])
    loss = float(-np.mean(logp[np.arange(len(target)), target]))
    at = test_s.penultimate[1:]
    accuracy = float(np.mean(scores[0, at].argmax(axis=-1) == target[at]))
    settings = dict(variant=variant, seed=seed, H=H, N=N, T=T, steps=steps, lr=lr,
                    forget_bias=forget_bias)
    return RunResult(accuracy, loss, time.perf_counter() - start, settings, model)


def forget_bias_run(forget_bias: float, seed: int = 0, **kwargs) -> RunResult:
    """Jozefowicz et al.'s comparison: the LSTM without peepholes ("NP") with
    forget-gate bias ``forget_bias`` at the start, on ``greff_run``'s task."""
    return greff_run("NP", seed=seed, forget_bias=forget_bias, **kwargs)


def adding_run(cell: str, T: int, seed: int = 0, steps: int = 500, H: int = 16,
               batch_size: int = 32, lr: float = 0.01, test_size: int = 500) -> RunResult:
    """The adding problem at length T (``long_dependency_experiment``), one cell, one seed.

    ``score``: the fraction of test sums predicted within 0.04 (predicting
    the mean: about 8 %); ``loss``: the test mean squared error (predicting
    the mean: 1/6; remembering only the later marked value: 1/12).
    """
    r = long_dependency_experiment("adding", cell, seed=seed, steps=steps, H=H, T=T,
                                   batch_size=batch_size, lr=lr, test_size=test_size)
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)).spawn(3)[2])
    from .data.adding import adding_problem
    x, y = adding_problem(test_size, T, rng)
    mse = float(np.mean((r.model.predict(x) - y) ** 2))
    return RunResult(r.accuracy, mse, r.elapsed, dict(cell=cell, T=T, seed=seed, steps=steps, H=H),
                     r.model)


def train_reverser(attention: bool, seed: int = 0, steps: int = 800, H: int = 32, E: int = 8,
                   max_train_len: int = 12):
    """Train a ``Seq2Seq`` (embeddings of E, H hidden, one layer each side) to reverse
    digit strings; returns ``(model, history)``, the ``TrainRecord``s every 50 steps.

    Each of the ``steps`` batches holds 32 strings of one length drawn from
    2 .. ``max_train_len`` (``reverse_digits``); Adam with learning rate 0.01, gradients
    clipped at norm 5. Weights and batches are seeded by ``seed``.
    """
    model = Seq2Seq(DIGITS_V, E, H, attention=attention, seed=seed)
    data = np.random.default_rng(seed)
    batches = lambda: reverse_digits(32, int(data.integers(2, max_train_len + 1)), data)  # noqa: E731
    history = train(model, batches, Adam(0.01), steps=steps, every=50)
    return model, history
