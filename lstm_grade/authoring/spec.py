"""What an assignment spec is, and the rules every spec must follow.

An assignment is one notebook: ``solutions/<name>/<name>.ipynb``, released by
nbgrader as ``exercises/<name>/<name>.ipynb``. The rules below are the ones a
broken spec would otherwise only reveal at grading time (a duplicate grade id
makes nbgrader refuse the notebook; an answer without a test is worth nothing).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .cells import Cell

_NAME = re.compile(r"^ch(\d\d)_[a-z0-9_]+$")


class Assignment(NamedTuple):
    """One graded notebook.

    ``name`` is the folder and notebook name (``ch04_forget_gate``);
    ``title`` the notebook's heading; ``cells`` the cells in order, the first
    being the locked :func:`~lstm_grade.authoring.cells.setup` cell.
    """

    name: str
    title: str
    cells: tuple[Cell, ...]

    @property
    def chapter(self) -> int:
        """The book chapter this assignment belongs to (``ch04_...`` -> 4)."""
        return int(_NAME.match(self.name).group(1))

    @property
    def points(self) -> float:
        """Total points: the autograded tests plus the written answers."""
        return sum(c.nbgrader["points"] for c in self.cells
                   if c.nbgrader is not None and c.nbgrader["grade"])


def validate(assignment: Assignment) -> Assignment:
    """Raise ``ValueError`` naming the assignment and the broken rule, else return it.

    Rules: the name is ``chNN_words``; the first cell is a locked setup cell;
    grade ids are unique; every answer cell is followed (before the next
    answer) by at least one tests cell; there is at least one graded cell.
    """
    name = assignment.name
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"assignment name: expected 'chNN_words' (e.g. 'ch04_forget_gate'), got {name!r}")
    cells = tuple(assignment.cells)
    if not cells:
        raise ValueError(f"{name}: the assignment has no cells")
    for k, cell in enumerate(cells):
        if not isinstance(cell, Cell):
            raise ValueError(f"{name}: cell {k} is a {type(cell).__name__}, expected a Cell "
                             "from lstm_grade.authoring.cells")
    first = cells[0]
    if first.kind != "code" or first.nbgrader is None or not first.nbgrader["locked"] \
            or first.nbgrader["grade"] or first.nbgrader["solution"]:
        raise ValueError(f"{name}: the first cell must be the locked setup (imports) cell")

    seen: set[str] = set()
    for cell in cells:
        if cell.grade_id is None:
            continue
        if cell.grade_id in seen:
            raise ValueError(f"{name}: duplicate grade_id {cell.grade_id!r}")
        seen.add(cell.grade_id)

    pending = None  # the answer cell still waiting for its tests
    for cell in cells:
        meta = cell.nbgrader
        if meta is None:
            continue
        is_answer = cell.kind == "code" and meta["solution"]
        is_test = cell.kind == "code" and meta["grade"]
        if is_answer:
            if pending is not None:
                raise ValueError(f"{name}: answer {pending!r} has no tests cell after it")
            pending = cell.grade_id
        elif is_test:
            pending = None
    if pending is not None:
        raise ValueError(f"{name}: answer {pending!r} has no tests cell after it")

    if assignment.points <= 0:
        raise ValueError(f"{name}: the assignment has no graded cell")
    return assignment
