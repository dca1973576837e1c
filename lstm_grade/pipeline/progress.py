"""The progress bar while a class is graded (tqdm).

On a terminal: notebooks done of the total, the elapsed and estimated
remaining time, the rate, and a live tally of the jobs' statuses, for example

    Grading on 2 workers:  40%|████      | 12/30 [00:31<00:47, 2.6s/notebook, graded 11, failed 1]

When the output is not a terminal (a pipe, a log file, CI) it prints nothing:
the summary at the end says the same.
"""
from __future__ import annotations

import shutil
import sys
from collections import Counter

from . import status


def tally_text(tally: Counter) -> str:
    """``graded 11, failed 1``: the statuses seen so far, in ``status.ALL`` order."""
    return ", ".join(f"{s} {tally[s]}" for s in status.ALL if tally.get(s))


class Progress:
    """Counts results as they arrive; draws a bar only on a terminal."""

    def __init__(self, total: int, stream=None):
        from tqdm import tqdm

        self.stream = stream if stream is not None else sys.stderr
        self.tally: Counter = Counter()
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        # A terminal that reports no size (some pseudo-terminals) counts as 100 x 24:
        # tqdm would draw nothing in zero columns or rows.
        size = shutil.get_terminal_size((100, 24))
        self.bar = tqdm(total=total, file=self.stream, unit="notebook", desc="Grading",
                        ncols=size.columns, nrows=size.lines or 24, disable=not self.enabled,
                        smoothing=0.1)

    def start(self, workers: int) -> None:
        """The cluster is up with ``workers`` workers."""
        self.bar.set_description_str(f"Grading on {workers} worker{'s' if workers != 1 else ''}")

    def update(self, result) -> None:
        """One ``JobResult`` arrived."""
        self.tally[result.status] += 1
        self.bar.set_postfix_str(tally_text(self.tally), refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()
