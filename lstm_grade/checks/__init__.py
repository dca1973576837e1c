"""Student-facing checks: compare an answer with ``lstm_ref`` and name the misconception.

    from lstm_grade.checks import check
    check("forget_gate", forget_gate)               # visible: prints ✔ or raises CheckFailed
    check("forget_gate", forget_gate, hidden=True)  # hidden tests: more cases + integrity

``MISCONCEPTIONS`` maps each ``[misconception: id]`` tag to a one-line
explanation; ``GRADED`` lists the function names a check knows.
These checks are the student's feedback. Grades are decided elsewhere, by
values judged outside the student's process (``_replay``, docs/GRADING.md).
"""
from __future__ import annotations

from ._check import check
from ._errors import CheckFailed
from ._misconceptions import MISCONCEPTIONS
from ._specs import SPECS as _SPECS

__all__ = ["check", "CheckFailed", "MISCONCEPTIONS", "GRADED"]

GRADED: tuple[str, ...] = tuple(_SPECS)

