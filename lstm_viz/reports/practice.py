"""Chapter 12's result tables and what each run shows (parameter counts, Greff's ablations,
the forget-gate bias, the adding problem by length)."""
from __future__ import annotations

import numpy as np

from . import shows, spread, table, tr

__all__ = ["parameter_table", "ablation_table", "ablation_verdict", "forget_bias_report",
           "adding_report"]

_PERCENT, _LOSS, _MSE = "{:.0f} %", "{:.3f}", "{:.3f}"


def parameter_table(configs, count, lang: str | None = None) -> str:
    """Parameters of each ``(D, H, layers, bidirectional)`` in ``configs``, PyTorch's two
    biases against ``lstm_ref``'s one; ``count`` is ``lstm_ref.lstm_parameter_count``."""
    header = ["D", "H", tr("layers", lang), tr("bidirectional", lang),
              tr("PyTorch, 4H(D + H + 2) per layer and direction", lang), tr("lstm_ref, one bias", lang)]
    rows = [[D, H, L, tr("yes", lang) if bi else tr("no", lang),
             f"{count(D, H, L, bi):,}", f"{count(D, H, L, bi, biases=1):,}"]
            for D, H, L, bi in configs]
    return table(header, rows)


def _score_loss_header(first: str, lang) -> list[str]:
    return [first, tr("penultimate symbol correct", lang), tr("test loss per symbol (nats)", lang)]


def ablation_table(names, acc: dict, nll: dict, lang: str | None = None) -> str:
    """Each variant's accuracy (%) and test loss over its seeds: mean (min–max)."""
    rows = [[v, spread(100 * np.asarray(acc[v]), _PERCENT), spread(nll[v], _LOSS)] for v in names]
    return table(_score_loss_header(tr("variant", lang), lang), rows)


def ablation_verdict(worse, better, lang: str | None = None) -> str:
    """Which variants are worse (every seed above every vanilla seed) or better than vanilla."""
    def listing(vs):
        return ", ".join(vs) if vs else tr("none", lang)
    return tr("**What this run shows.** Variants whose every seed has a higher test loss than every "
              "vanilla seed: **{worse}**. Variants whose every seed beats every vanilla seed: "
              "**{better}**. All the others overlap the vanilla LSTM's spread, so at three seeds "
              "they are not distinguishable from it here.", lang,
              worse=listing(worse), better=listing(better))


def forget_bias_report(bias0, bias1, lang: str | None = None) -> str:
    """The runs started at b_f = 0 against b_f = 1 (each a list of runs with ``score`` and
    ``loss``): their table, then which start ends lower, if every seed agrees."""
    rows = [[label, spread([100 * r.score for r in rs], _PERCENT), spread([r.loss for r in rs], _LOSS)]
            for label, rs in (("$b_f = 0$", bias0), ("$b_f = 1$", bias1))]
    l0, l1 = np.array([r.loss for r in bias0]), np.array([r.loss for r in bias1])
    if l1.max() < l0.min():
        reading = tr("every seed started at $b_f = 1$ ends with a lower test loss than every seed "
                     "started at 0.", lang)
    elif l0.max() < l1.min():
        reading = tr("every seed started at $b_f = 0$ ends with a lower test loss than every seed "
                     "started at 1.", lang)
    else:
        reading = tr("the two ranges of seeds overlap: at this size and training budget the starting "
                     "bias makes no difference that three seeds can show.", lang)
    return table(_score_loss_header(tr("initial forget bias", lang), lang), rows) + "\n\n" + shows(reading, lang)


def adding_report(lengths, mse: dict, hit: dict, lang: str | None = None) -> str:
    """The adding problem by length: test MSE and answers within 0.04 of the RNN and the LSTM
    (``mse``/``hit``: ``{"RNN": seeds × lengths, "LSTM": ...}``), then the lengths at which
    every seed beats the 1/12 of keeping only the nearer number."""
    header = ["T"] + [tr("{cell}: test MSE", lang, cell=c) for c in ("RNN", "LSTM")] \
        + [tr("{cell}: within 0.04", lang, cell=c) for c in ("RNN", "LSTM")]
    rows = [[T, spread(mse["RNN"][:, k], _MSE), spread(mse["LSTM"][:, k], _MSE),
             spread(hit["RNN"][:, k], _PERCENT), spread(hit["LSTM"][:, k], _PERCENT)]
            for k, T in enumerate(lengths)]

    def learned(cell):
        ts = [T for k, T in enumerate(lengths) if mse[cell][:, k].max() < 1 / 12]
        return ", ".join(f"T = {t}" for t in ts) if ts else tr("no length tried", lang)
    reading = tr("every seed beats the 1/12 level (it carries the earlier number) for the RNN at "
                 "{rnn}, and for the LSTM at {lstm}.", lang, rnn=learned("RNN"), lstm=learned("LSTM"))
    return table(header, rows) + "\n\n" + shows(reading, lang)
