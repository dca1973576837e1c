"""How a failed check is shown: the check's message, never a traceback into the checks.

``CheckFailed`` is the one exception a failed check raises. IPython asks an
exception how to show itself (``_render_traceback_``): a ``CheckFailed``
shows its message, and, when the student's own function raised, the part of
the traceback that lies in the student's code (the lines in ``lstm_grade``,
``lstm_ref``, NumPy or the standard library are left out).

``describe_exception(exc)`` turns a student's exception into plain text
(type, message, the student's line, or which blank of a scaffold is still
empty); it reads only the exception and the cells' source, so the kernel can
send the text to a trusted grader as a plain string.
"""
from __future__ import annotations

import linecache
import os
import re
import sys
import traceback
from pathlib import Path

__all__ = ["CheckFailed", "ErrorText", "describe_exception", "explain_error", "student_frames",
           "blank_hint", "HINT"]

# The hint line that opens every blank of a scaffold:  # (≈ 2 lines) the gradient through tanh(c_t)
# (in a Korean notebook:  # (≈ 2줄) tanh(c_t)를 거치는 기울기)
HINT = re.compile(r"^\s*#\s*\(\s*[≈~]?\s*(\d+)\s*(?:lines?|줄)\s*\)\s*(.+?)\s*$")
NOT_WRITTEN = "raise NotImplementedError()"

# Code that is never the student's: the course's packages, and everything installed.
_COURSE = Path(__file__).resolve().parents[2]
_NOT_STUDENT = tuple(str(_COURSE / p) + os.sep for p in ("lstm_grade", "lstm_ref", "lstm_viz")) + \
    tuple({os.path.join(p, "lib") + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})

_RED, _BOLD, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"


class CheckFailed(AssertionError):
    """A student's function disagreed with the reference, or broke a rule.

    The message is one screen of plain English: what was run (shapes, dtype,
    seed), what went wrong, a hint, and where known a ``[misconception: id]``
    or ``[integrity: id]`` tag that the instructor pipeline counts.
    It subclasses ``AssertionError`` so nbgrader scores the cell as failed.
    ``student_error``: the exception the student's function raised, if any;
    its frames in the student's code are shown above the message.
    """

    def __init__(self, message: str = "", student_error: BaseException | None = None):
        super().__init__(message)
        self.student_error = student_error

    def _render_traceback_(self) -> list[str]:
        """What IPython (and so JupyterLab and nbgrader's feedback) shows for this failure."""
        lines = []
        exc = self.student_error
        if exc is not None and not isinstance(exc, NotImplementedError):
            frames = student_frames(exc)
            if frames:
                lines.append(f"{_BOLD}Your code raised {type(exc).__name__}:{_RESET}")
                lines.extend(_format_frames(frames))
                lines.append(f"{_RED}{type(exc).__name__}{_RESET}: {exc}")
                lines.append("")
        message = str(self)
        head, _, rest = message.partition("\n")
        lines.append(f"{_RED}{_BOLD}{head}{_RESET}")
        if rest:
            lines.extend(rest.splitlines())
        return lines


class ErrorText(str):
    """A problem text that remembers the student's exception it describes."""

    exception: BaseException | None = None

    @classmethod
    def of(cls, text: str, exception: BaseException | None) -> "ErrorText":
        made = cls(text)
        made.exception = exception
        return made


def _is_student(filename: str) -> bool:
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    return not path.startswith(_NOT_STUDENT)


def student_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    """The frames of ``exc``'s traceback that run the student's own code, outermost first."""
    return [f for f in traceback.extract_tb(exc.__traceback__) if _is_student(f.filename)]


def where(filename: str, lineno: int) -> str:
    """``Cell In[5], line 3`` for a notebook cell (as IPython names it), else ``file, line 3``."""
    try:
        shell = get_ipython()  # noqa: F821 - defined only inside IPython
        named = shell.compile.format_code_name(filename)
    except Exception:  # noqa: BLE001 - not in IPython, or an IPython without the helper
        named = None
    if named:
        return f"{named[0]} {named[1]}, line {lineno}"
    return f"{filename}, line {lineno}"


def _format_frames(frames) -> list[str]:
    out = []
    for f in frames:
        out.append(f"  {where(f.filename, f.lineno)}, in {f.name}")
        if f.line:
            out.append(f"    {f.line.strip()}")
    return out


def blank_hint(filename: str, lineno: int, first: int | None = None, last: int | None = None):
    """Which blank of a scaffold the line ``lineno`` of ``filename`` is in.

    Looks upwards from ``lineno`` for the nearest hint comment
    (``# (≈ 2 lines) the gradient through tanh(c_t)``) without leaving the
    function (lines ``first``..``last``). Returns ``(k, n, lines, purpose)``:
    blank ``k`` of the ``n`` blanks in the function, ``lines`` its size, or
    ``None`` if the line is not in a hinted blank.
    """
    lines = linecache.getlines(filename)
    if not lines or lineno > len(lines):
        return None
    first = max(1, first or 1)
    last = min(len(lines), last or len(lines))
    hints = [k for k in range(first, last + 1) if HINT.match(lines[k - 1])]
    above = [k for k in hints if k <= lineno]
    if not above:
        return None
    size, purpose = HINT.match(lines[above[-1] - 1]).groups()
    return len(above), len(hints), int(size), purpose


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _function_lines(exc: BaseException, frame) -> tuple[int | None, int | None]:
    """First and last line of the function that raised (read from its source: the code object
    does not cover the lines after a ``raise``, which the compiler drops)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == frame.filename and tb.tb_lineno == frame.lineno:
            first = tb.tb_frame.f_code.co_firstlineno
            lines = linecache.getlines(frame.filename)
            if not lines or first > len(lines):
                return first, None
            depth, last = _indent(lines[first - 1]), first
            for k in range(first, len(lines)):
                if lines[k].strip() and _indent(lines[k]) <= depth:
                    break
                last = k + 1
            return first, last
        tb = tb.tb_next
    return None, None


def describe_exception(exc: BaseException) -> str:
    """Plain text for an exception the student's function raised.

    ``Type: message`` and the student's line (``raised at Cell In[4], line 7
    in forget_gate: z = hx @ W_f``); for the ``raise NotImplementedError()``
    of a scaffold's blank, which blank it is.
    """
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    own = student_frames(exc)
    if not own:
        return text
    f = own[-1]
    if isinstance(exc, NotImplementedError):
        first, last = _function_lines(exc, f)
        blank = blank_hint(f.filename, f.lineno, first, last)
        if blank is not None:
            k, n, size, purpose = blank
            return (f"NotImplementedError: blank {k} of {n} in {f.name} is still empty: "
                    f"\"{purpose}\" (≈ {size} line{'s' if size != 1 else ''}, "
                    f"{where(f.filename, f.lineno)})")
    text += f"\n  raised at {where(f.filename, f.lineno)} in {f.name}"
    if f.line:
        text += f": {f.line.strip()}"
    return text


def explain_error(error: str) -> str:
    """The check's message for an answer that raised (``error`` from ``describe_exception``)."""
    if error.startswith("NotImplementedError: blank "):
        blank = error.removeprefix("NotImplementedError: ")
        return f"{blank}. Replace its `{NOT_WRITTEN}` with your code."
    if error.startswith("NotImplementedError"):
        return f"not written yet: replace `{NOT_WRITTEN}` with your code."
    text = f"your function raised {error}"
    if "matmul" in error or "shapes" in error and "not aligned" in error:
        text += ("\n  hint: check each product's shapes: [h, x] is (N, H + D) and W is "
                 "(H, H + D), so the product is [h, x] @ W.T; x (N, D) @ Wx (D, ·).")
    return text
