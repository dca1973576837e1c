"""The one exception a failed check raises."""
from __future__ import annotations

__all__ = ["CheckFailed"]


class CheckFailed(AssertionError):
    """A student's function disagreed with the reference, or broke a rule.

    The message is one screen of plain English: what was run (shapes, dtype,
    seed), what went wrong, a hint, and where known a ``[misconception: id]``
    or ``[integrity: id]`` tag that the instructor pipeline counts.
    It subclasses ``AssertionError`` so nbgrader scores the cell as failed.
    """
