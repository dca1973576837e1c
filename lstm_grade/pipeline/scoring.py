"""Turn per-job results into one row per (student, assignment)."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import nbformat

from . import status


class GradeCell(NamedTuple):
    """A graded cell of an assignment's source notebook."""
    grade_id: str
    points: float
    manual: bool      # a written answer (or task) a person grades


class Row(NamedTuple):
    """One line of ``grades.csv``. ``score`` is ``None`` unless the status is
    ``graded`` or ``needs_manual``; ``pending`` is the points still to grade
    by hand."""
    student: str
    assignment: str
    status: str
    score: float | None
    max_score: float
    pending: float
    cells: dict          # grade_id -> score (scored rows only)
    misconceptions: list
    integrity: list
    detail: str


def grade_cells(source_notebook: Path) -> list[GradeCell]:
    """The graded cells of a source notebook, in order."""
    nb = nbformat.read(str(source_notebook), as_version=4)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            manual = bool(meta.get("solution") or meta.get("task") or cell.cell_type != "code")
            cells.append(GradeCell(meta["grade_id"], float(meta.get("points", 0)), manual))
    return cells


def scored_row(student: str, assignment: str, cells: list[GradeCell], result,
               misconceptions: list, integrity: list, notes: list[str]) -> Row:
    """The row of a run that finished: scores from the job's gradebook
    (``result`` a ``job.JobResult``)."""
    by_id = {c.cell: c._asdict() for c in result.cells}
    score, pending, per_cell = 0.0, 0.0, {}
    for cell in cells:
        got = by_id.get(cell.grade_id, {})
        value = got.get("manual_score")
        if value is None:
            value = got.get("auto_score")
        # nbgrader scores an unchanged written answer 0 by itself (no
        # auto_score otherwise), so only an answer it left open is pending.
        if cell.manual and got.get("manual_score") is None and got.get("auto_score") is None:
            pending += cell.points
            continue
        if value is None:
            notes.append(f"{cell.grade_id} has no score (counted as 0)")
            value = 0.0
        per_cell[cell.grade_id] = float(value)
        score += float(value)
    state = status.NEEDS_MANUAL if pending > 0 else status.GRADED
    if pending > 0:
        notes.insert(0, f"{pending:g} points of written answers still to grade by hand")
    return Row(student, assignment, state, round(score, 6), sum(c.points for c in cells),
               pending, per_cell, misconceptions, integrity, "; ".join(notes))


def unscored_row(student: str, assignment: str, cells: list[GradeCell], state: str,
                 detail: str, integrity: list | None = None) -> Row:
    """The row of a submission with no score (failed, timeout, corrupt, missing)."""
    if state in status.SCORED:
        raise ValueError(f"status: {state!r} rows must carry a score")
    return Row(student, assignment, state, None, sum(c.points for c in cells),
               0.0, {}, [], integrity or [], detail)
