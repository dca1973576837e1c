"""The kinds of cell an assignment is made of, with their nbgrader roles.

Each constructor returns a :class:`Cell` whose ``nbgrader`` dict is exactly the
cell metadata nbgrader 0.9.6 expects (schema version 3), so no notebook is ever
marked up by hand in the "Create Assignment" toolbar.

| constructor | nbgrader role | in the exercise |
| --- | --- | --- |
| :func:`prose` | none (plain markdown) | unchanged |
| :func:`setup` | read-only code ("locked") | unchanged, cannot be edited |
| :func:`answer` | autograded answer | each solution region (a blank) becomes ``raise NotImplementedError()`` |
| :func:`tests` | autograder tests (locked, with points) | the hidden block is removed |
| :func:`written` | manually graded answer (markdown) | ``YOUR ANSWER HERE`` |
| :func:`scratch` | none (plain code the student may run or change) | unchanged |
"""
from __future__ import annotations

import ast
import re
import textwrap
from typing import NamedTuple

from ..checks._errors import HINT

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"

# nbformat's rule for cell ids; the grade id doubles as the cell id.
_GRADE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class Cell(NamedTuple):
    """One notebook cell as the authoring specs describe it.

    ``kind`` is ``"markdown"`` or ``"code"``; ``source`` is the text without a
    trailing newline; ``nbgrader`` is the nbgrader cell metadata, or ``None``
    for a cell nbgrader does not track; ``grade_id`` is also used as the cell
    id (``None`` for ungraded cells, which get a positional id).
    """

    kind: str
    source: str
    nbgrader: dict | None
    grade_id: str | None


def _clean(name: str, text: str) -> str:
    if not isinstance(text, str):
        raise ValueError(f"{name}: expected the cell's text as a str, got {type(text).__name__}")
    cleaned = textwrap.dedent(text).strip("\n")
    if not cleaned.strip():
        raise ValueError(f"{name}: the cell's text is empty")
    return cleaned


def _check_grade_id(grade_id: str) -> None:
    if not isinstance(grade_id, str) or not _GRADE_ID.match(grade_id):
        raise ValueError(
            f"grade_id: expected lower-case letters, digits, '_' or '-' (1-64 characters), "
            f"got {grade_id!r}"
        )


def _check_points(grade_id: str, points) -> None:
    if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
        raise ValueError(f"{grade_id}: points must be a positive number, got {points!r}")


def _quiet(code: str) -> str:
    """``code`` with a semicolon after its last line if that line is an expression."""
    try:
        body = ast.parse(code).body
    except SyntaxError as exc:
        raise ValueError(f"test code is not valid Python ({exc.msg}, line {exc.lineno}):\n{code}") from None
    if body and isinstance(body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        return code.rstrip() + ";"
    return code


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def prose(text: str) -> Cell:
    """A markdown cell nbgrader leaves alone (explanations, links, hints)."""
    return Cell("markdown", _clean("prose", text), None, None)


def scratch(code: str) -> Cell:
    """A plain code cell the student may run and edit (demos, the training run)."""
    return Cell("code", _clean("scratch", code), None, None)


def setup(code: str, grade_id: str = "setup") -> Cell:
    """The locked code cell that imports what the notebook needs.

    Locked so that a student cannot swap the ``check`` import for something
    that always passes; nbgrader restores its source before grading.
    """
    _check_grade_id(grade_id)
    return Cell("code", _clean(grade_id, code),
                _meta(grade_id, grade=False, solution=False, locked=True), grade_id)


def answer(grade_id: str, code: str) -> Cell:
    """An autograded-answer code cell.

    ``code`` must hold one ``### BEGIN SOLUTION`` / ``### END SOLUTION`` pair
    (or several, one per blank); nbgrader replaces each region by
    ``raise NotImplementedError()`` in the exercise. A scaffold (several
    blanks inside a function whose other lines are given) opens each blank
    with a hint line, ``# (≈ 2 lines) the gradient through tanh(c_t)``: a
    check that meets a blank left untouched names it by that hint.
    """
    _check_grade_id(grade_id)
    code = _clean(grade_id, code)
    begins, ends = code.count(BEGIN_SOLUTION), code.count(END_SOLUTION)
    if begins == 0 or begins != ends:
        raise ValueError(
            f"{grade_id}: an answer cell needs matching '{BEGIN_SOLUTION}' / '{END_SOLUTION}' "
            f"lines, found {begins} and {ends}"
        )
    if begins > 1:
        _check_hints(grade_id, code)
    return Cell("code", code, _meta(grade_id, grade=False, solution=True, locked=False), grade_id)


def _check_hints(grade_id: str, code: str) -> None:
    """Every blank of a scaffold opens with its hint: ``# (≈ 2 lines) what the lines compute``.

    The hint is what the student reads in place of the solution, and what a
    check quotes when that blank is left untouched.
    """
    lines = code.splitlines()
    for k, line in enumerate(lines):
        if line.strip() == BEGIN_SOLUTION and (k == 0 or not HINT.match(lines[k - 1])):
            raise ValueError(
                f"{grade_id}: blank at line {k + 1} has no hint line above it; write "
                "'# (≈ N lines) what these lines compute' just before its "
                f"'{BEGIN_SOLUTION}'")


def tests(grade_id: str, points: float, visible: str, hidden: str) -> Cell:
    """A locked autograder-tests cell worth ``points``.

    ``visible`` runs for the student too (``check("name", fn)``); ``hidden``
    only runs when grading (``check("name", fn, hidden=True)``) and is
    removed from the exercise.
    """
    _check_grade_id(grade_id)
    _check_points(grade_id, points)
    visible = _clean(f"{grade_id} (visible)", visible)
    hidden = _clean(f"{grade_id} (hidden)", hidden)
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
        if marker in visible or marker in hidden:
            raise ValueError(f"{grade_id}: test code must not contain the marker {marker!r}")
    # nbgrader takes a number displayed by a test cell as its partial-credit score
    # (and refuses one above the cell's points). The closing semicolon makes
    # IPython display nothing, whatever the last call returns.
    source = f"{_quiet(visible)}\n{BEGIN_HIDDEN}\n{_quiet(hidden)}\n{END_HIDDEN}"
    return Cell("code", source,
                _meta(grade_id, grade=True, solution=False, locked=True, points=points), grade_id)


def written(grade_id: str, points: float, model_answer: str) -> Cell:
    """A manually graded markdown answer worth ``points``.

    The solution notebook holds the model answer (the grader's reference);
    the exercise shows ``YOUR ANSWER HERE`` in its place.
    """
    _check_grade_id(grade_id)
    _check_points(grade_id, points)
    return Cell("markdown", _clean(grade_id, model_answer),
                _meta(grade_id, grade=True, solution=True, locked=False, points=points), grade_id)
