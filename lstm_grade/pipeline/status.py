"""The status of one (student, assignment) row in ``grades.csv``.

A failed or timed-out run is never written as a score of 0: its score is empty
and its status says what happened.
"""
from __future__ import annotations

GRADED = "graded"              # ran to the end; the score is real (may be 0)
NEEDS_MANUAL = "needs_manual"  # autograded part done; written answers still to grade
FAILED = "failed"              # the kernel died or the notebook could not be executed
TIMEOUT = "timeout"            # did not finish: wall-clock limit, or a cell ignored the interrupt
CORRUPT = "corrupt"            # not a readable notebook (invalid JSON, not nbformat)
MISSING = "missing"            # no notebook for this assignment

ALL = (GRADED, NEEDS_MANUAL, FAILED, TIMEOUT, CORRUPT, MISSING)

DESCRIPTIONS = {
    GRADED: "ran to the end; the score is real (it may be 0)",
    NEEDS_MANUAL: "autograded part scored; manually graded answers still pending",
    FAILED: "the kernel died or nbgrader could not execute the notebook; no score",
    TIMEOUT: "did not finish (wall-clock limit, or a cell ignored the interrupt); no score",
    CORRUPT: "the file is not a readable notebook; no score",
    MISSING: "no notebook for this assignment was submitted; no score",
}

#: Statuses whose score column holds a real number.
SCORED = (GRADED, NEEDS_MANUAL)
