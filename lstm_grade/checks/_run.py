"""Running a student's function safely: no stderr, no long tracebacks.

NumPy's floating-point warnings are recorded instead of printed (anything on
stderr zeroes an nbgrader cell) and judged by the check; text the answer
writes to stderr is passed on to stdout; an exception is kept as a short
``Type: message`` line.
"""
from __future__ import annotations

import contextlib
import io
import sys
import warnings
from typing import NamedTuple

from ._errors import describe_exception

__all__ = ["Outcome", "run_answer"]


class Outcome(NamedTuple):
    """What a call did: ``value`` returned, or ``error`` (``"Type: message"`` and a line),
    plus the numeric ``warnings`` it raised (their messages) and the ``exception`` itself."""
    value: object
    error: str | None
    warnings: tuple
    exception: BaseException | None = None


def _short_error(exc: BaseException) -> str:
    return describe_exception(exc)


def run_answer(call, *args) -> Outcome:
    """``call(*args)`` with warnings recorded and stderr redirected to stdout."""
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stderr(err):
                value = call(*args)
        except Exception as exc:  # noqa: BLE001 - the student's error is the report
            value, error, exception = None, _short_error(exc), exc
        else:
            error = exception = None
    if err.getvalue():
        sys.stdout.write(err.getvalue())
    numeric = tuple(str(w.message) for w in caught
                    if issubclass(w.category, RuntimeWarning))
    return Outcome(value, error, numeric, exception)
