"""Running a student's function safely: no stderr, no long tracebacks.

NumPy's floating-point warnings are recorded instead of printed (anything on
stderr zeroes an nbgrader cell) and judged by the check; text the answer
writes to stderr is passed on to stdout; an exception is kept as a short
``Type: message`` line.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
import warnings
from typing import NamedTuple

__all__ = ["Outcome", "run_answer"]


class Outcome(NamedTuple):
    """What a call did: ``value`` returned, or ``error`` (``"Type: message"`` and a line),
    plus the numeric ``warnings`` it raised (their messages)."""
    value: object
    error: str | None
    warnings: tuple


def _short_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    frames = traceback.extract_tb(exc.__traceback__)
    # The last frame in the student's own code is the useful one.
    own = [f for f in frames if "lstm_grade" not in f.filename
           and not f.filename.startswith((sys.prefix, sys.base_prefix + os.sep + "lib"))]
    if own:
        f = own[-1]
        where = f"line {f.lineno} of {f.name}" + (f": {f.line.strip()}" if f.line else "")
        text += f"\n  raised at {where}"
    return text


def run_answer(call, *args) -> Outcome:
    """``call(*args)`` with warnings recorded and stderr redirected to stdout."""
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stderr(err):
                value = call(*args)
        except Exception as exc:  # noqa: BLE001 - the student's error is the report
            value, error = None, _short_error(exc)
        else:
            error = None
    if err.getvalue():
        sys.stdout.write(err.getvalue())
    numeric = tuple(str(w.message) for w in caught
                    if issubclass(w.category, RuntimeWarning))
    return Outcome(value, error, numeric)
