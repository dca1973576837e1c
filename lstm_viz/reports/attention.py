"""Chapter 13's result table: reversing digit strings with and without attention."""
from __future__ import annotations

import numpy as np

from . import N_, shows, table, tr

__all__ = ["WITHOUT", "WITH", "reversal_report"]

# The two models' labels (the page's legend and its printed lines look them up with tr).
WITHOUT, WITH = N_("without attention"), N_("with attention")


def _compare(gap: float, lang) -> str:
    if abs(gap) < 0.005:
        return tr("level with the model without it", lang)
    return tr("{gap:.0%} ahead", lang, gap=gap) if gap > 0 else tr("{gap:.0%} behind", lang, gap=-gap)


def reversal_report(lengths, accuracy: dict, trained_up_to: int, lang: str | None = None) -> str:
    """Digits correct by string length without and with attention (``accuracy[WITHOUT]``,
    ``accuracy[WITH]``: fractions), then how the two compare at the shortest and the longest
    trained length."""
    lengths = np.asarray(lengths)
    no_att, att = np.asarray(accuracy[WITHOUT]), np.asarray(accuracy[WITH])
    seen = lengths <= trained_up_to
    rows = [[n, f"{a0:.0%}", f"{a1:.0%}"] for n, a0, a1 in zip(lengths, no_att, att)]
    header = [tr("length", lang), tr(WITHOUT, lang), tr(WITH, lang)]
    reading = tr("at length {short} the model with attention is {at_short}; at length {long}, the "
                 "longest trained, it is {at_long}. Without attention the accuracy falls from "
                 "{no_first:.0%} to {no_last:.0%} over the trained lengths; with attention from "
                 "{att_first:.0%} to {att_last:.0%}.", lang,
                 short=lengths[0], long=lengths[seen][-1],
                 at_short=_compare(att[0] - no_att[0], lang),
                 at_long=_compare(att[seen][-1] - no_att[seen][-1], lang),
                 no_first=no_att[0], no_last=no_att[seen][-1], att_first=att[0], att_last=att[seen][-1])
    return table(header, rows) + "\n\n" + shows(reading, lang)
