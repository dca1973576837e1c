"""Write ``grades.csv``: one row per student and assignment, with a status.

Columns: ``student, assignment, status, score, max_score, pending_manual,
misconceptions, integrity_flags, detail``. ``score`` is empty (never 0) when
the status is ``failed``, ``timeout``, ``corrupt`` or ``missing``; see
``status.DESCRIPTIONS``.
"""
from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["student", "assignment", "status", "score", "max_score", "pending_manual",
           "misconceptions", "integrity_flags", "detail"]


def _number(x) -> str:
    return "" if x is None else f"{x:g}"


def write_grades(rows, path: Path) -> Path:
    """Write ``rows`` (``scoring.Row``) sorted by student then assignment."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for r in sorted(rows, key=lambda r: (r.student, r.assignment)):
            writer.writerow([r.student, r.assignment, r.status, _number(r.score),
                             _number(r.max_score), _number(r.pending),
                             " ".join(r.misconceptions), " ".join(r.integrity), r.detail])
    return path
