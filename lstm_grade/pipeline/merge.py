"""Copy every finished job's grades into the course's gradebook.

Each job graded into its own copy of the gradebook (no SQLite contention).
This single writer merges them into ``<out>/gradebook.db`` afterwards, so
nbgrader's formgrader (JupyterLab started in the output folder) shows every submission and
the written answers can be graded by hand there.

Merging is idempotent: each (student, assignment) is created or updated, never
added, so merging a result twice (a job Dask ran twice, or a merge run again)
leaves the same gradebook.

A job's gradebook is only read, with three plain queries over nbgrader's
tables (``_job_grades``); the course's gradebook is written through
nbgrader's API, its submission's grades and comments fetched in one query
each. Opening every job's gradebook with nbgrader's ``Gradebook`` (a new
engine, the schema checked, a query per cell) and finding each grade and
comment of the course's one by one took 0.12 CPU seconds a submission.
"""
from __future__ import annotations

import sqlite3
import warnings
from contextlib import closing
from pathlib import Path

from .worker import job_paths

_SUBMISSION = ("SELECT s.id, s.timestamp FROM submitted_assignment s JOIN assignment a ON a.id = s.assignment_id "
               "WHERE a.name = ? AND s.student_id = ?")
#: (notebook, cell, values...) of one submission; ``{table}`` is ``grade`` or ``comment``.
_CELLS = ("SELECT n.name, c.name, {columns} FROM {table} x JOIN submitted_notebook s ON s.id = x.notebook_id "
          "JOIN notebook n ON n.id = s.notebook_id JOIN base_cell c ON c.id = x.cell_id WHERE s.assignment_id = ?")
_GRADE_COLUMNS = ("auto_score", "manual_score", "needs_manual_grade")
_COMMENT_COLUMNS = ("auto_comment",)


def _job_grades(db: Path, assignment: str, student: str):
    """(timestamp, {(notebook, cell): grade values}, {(notebook, cell): comment values}) of a job's gradebook."""
    from nbgrader.api import MissingEntry
    from nbgrader.utils import parse_utc

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        found = con.execute(_SUBMISSION, (assignment, student)).fetchone()
        if found is None:
            raise MissingEntry(f"No such submission: {assignment} for {student} in {db}")

        def cells(table: str, columns: tuple) -> dict:
            query = _CELLS.format(table=table, columns=", ".join(f"x.{c}" for c in columns))
            return {(nb, cell): values for nb, cell, *values in con.execute(query, (found[0],))}
        return parse_utc(found[1]), cells("grade", _GRADE_COLUMNS), cells("comment", _COMMENT_COLUMNS)


def _course_cells(master, submission_id: str, model) -> dict:
    """{(notebook, cell): record} of ``model`` (nbgrader's ``Grade`` or ``Comment``) of one submission."""
    from nbgrader.api import BaseCell, Notebook, SubmittedNotebook
    rows = master.db.query(model, Notebook.name, BaseCell.name) \
        .join(BaseCell, BaseCell.id == model.cell_id) \
        .join(SubmittedNotebook, SubmittedNotebook.id == model.notebook_id) \
        .join(Notebook, Notebook.id == SubmittedNotebook.notebook_id) \
        .filter(SubmittedNotebook.assignment_id == submission_id)
    return {(nb, cell): record for record, nb, cell in rows}


def _copy(job_cells: dict, course_cells: dict, columns: tuple, what: str, assignment: str, student: str) -> None:
    from nbgrader.api import MissingEntry
    for key, values in job_cells.items():
        record = course_cells.get(key)
        if record is None:
            raise MissingEntry(f"No such {what}: {assignment}/{key[0]}/{key[1]} for {student}")
        for column, value in zip(columns, values):
            setattr(record, column, bool(value) if column == "needs_manual_grade" else value)


def merge_gradebooks(out_dir: Path, results) -> int:
    """Merge the per-job gradebooks of the results (``job.JobResult``) that
    ran to the end; returns how many."""
    from nbgrader.api import Comment, Gradebook, Grade

    merged = 0
    # nbgrader's own update_or_create_submission makes SQLAlchemy warn about
    # autoflush ("not in session"); the records are written all the same.
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{Path(out_dir) / 'gradebook.db'}") as master:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        for result in results:
            if not result.ok:
                continue
            student, assignment = result.student, result.assignment
            timestamp, grades, comments = _job_grades(job_paths(out_dir, student, assignment)["db"],
                                                      assignment, student)
            master.update_or_create_student(student)
            submission = master.update_or_create_submission(assignment, student, timestamp=timestamp)
            # auto_score, and manual_score: set only when the out-of-process re-check withdrew the points.
            _copy(grades, _course_cells(master, submission.id, Grade), _GRADE_COLUMNS, "grade",
                  assignment, student)
            _copy(comments, _course_cells(master, submission.id, Comment), _COMMENT_COLUMNS, "comment",
                  assignment, student)
            master.db.commit()
            merged += 1
    return merged
