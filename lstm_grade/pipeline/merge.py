"""Copy every finished job's grades into the course's gradebook.

Each job graded into its own copy of the gradebook (no SQLite contention).
This single writer merges them into ``<out>/gradebook.db`` afterwards, so
nbgrader's formgrader (JupyterLab started in the output folder) shows every submission and
the written answers can be graded by hand there.

Merging is idempotent: each (student, assignment) is created or updated, never
added, so merging a result twice (a job Dask ran twice, or a merge run again)
leaves the same gradebook.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from .worker import job_paths


def merge_gradebooks(out_dir: Path, results) -> int:
    """Merge the per-job gradebooks of the results (``job.JobResult``) that
    ran to the end; returns how many."""
    from nbgrader.api import Gradebook

    merged = 0
    # nbgrader's own update_or_create_submission makes SQLAlchemy warn about
    # autoflush ("not in session"); the records are written all the same.
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{Path(out_dir) / 'gradebook.db'}") as master:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        for result in results:
            if not result.ok:
                continue
            student, assignment = result.student, result.assignment
            db = job_paths(out_dir, student, assignment)["db"]
            with Gradebook(f"sqlite:///{db}") as job_gb:
                src = job_gb.find_submission(assignment, student)
                master.update_or_create_student(student)
                master.update_or_create_submission(assignment, student, timestamp=src.timestamp)
                for src_nb in src.notebooks:
                    for src_grade in src_nb.grades:
                        grade = master.find_grade(src_grade.name, src_nb.name, assignment, student)
                        grade.auto_score = src_grade.auto_score
                        # Set only when the out-of-process re-check withdrew the points.
                        grade.manual_score = src_grade.manual_score
                        grade.needs_manual_grade = src_grade.needs_manual_grade
                    for src_comment in src_nb.comments:
                        comment = master.find_comment(src_comment.name, src_nb.name, assignment, student)
                        comment.auto_comment = src_comment.auto_comment
                master.db.commit()
            merged += 1
    return merged
