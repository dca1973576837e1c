"""Write ``grades.csv`` and the files an LMS imports as they are.

``grades.csv`` columns: ``student, assignment, status, score, max_score,
pending_manual, misconceptions, integrity_flags, detail``. ``score`` is empty
(never 0) when the status is ``failed``, ``timeout``, ``corrupt`` or
``missing``; see ``status.DESCRIPTIONS``.

Beside it, for the students the LMS download named (``lms.LmsId``):

* ``canvas_grades.csv``: Canvas's gradebook import (Grades > Import). The
  columns Canvas's own export has and its import reads: ``Student``, ``ID``
  (Canvas's user id, which Canvas matches on), ``SIS User ID``, ``SIS Login
  ID``, ``Section``, then one column per assignment named after it; the
  second row is ``Points Possible``. A student without a Canvas id (a folder
  layout run) gets the folder name as ``SIS Login ID``, which Canvas also
  matches on.
* ``moodle_<assignment>.csv``: Moodle's grading worksheet for one assignment
  (Assignment > View all submissions > Upload grading worksheet). Moodle's
  download names students by their *participant* id, which only this import
  matches (the course gradebook's CSV import wants a user id, username or
  e-mail, none of which the download carries). The import requires the
  columns ``Identifier`` (``Participant <id>``), ``Grade`` and ``Last modified
  (grade)``; ``Full name``, ``Maximum Grade`` and ``Feedback comments`` are
  read or shown too.

Only a final score is exported: a row whose status is not ``graded`` (failed,
timed out, written answers still to grade) is left blank in Canvas (Canvas
keeps what it has) and left out of Moodle's worksheet, so no LMS shows a score
that is not one. ``report.html`` lists those rows.
"""
from __future__ import annotations

import csv
import time
from pathlib import Path

from . import status

COLUMNS = ["student", "assignment", "status", "score", "max_score", "pending_manual",
           "misconceptions", "integrity_flags", "detail"]
CANVAS_FILE = "canvas_grades.csv"
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS = "    Points Possible"
MOODLE_COLUMNS = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)",
                  "Feedback comments"]
MOODLE_TIME = "%A, %d %B %Y, %I:%M %p"   # as Moodle writes dates in the worksheet


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


def _final(row) -> str:
    return _number(row.score) if row.status == status.GRADED else ""


def write_canvas(rows, cells_by_assignment: dict, ids: dict, path: Path) -> Path:
    """Canvas's gradebook import: one row per student, one column per assignment."""
    assignments = list(cells_by_assignment)
    by_student: dict[str, dict] = {}
    for r in rows:
        by_student.setdefault(r.student, {})[r.assignment] = r
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CANVAS_COLUMNS + assignments)
        writer.writerow([CANVAS_POINTS, "", "", "", ""]
                        + [_number(sum(c.points for c in cells_by_assignment[a])) for a in assignments])
        for student in sorted(by_student):
            known = ids.get(student)
            canvas_id = known.user_id if known is not None and known.lms == "canvas" else ""
            name = known.name if known is not None else student
            login = "" if canvas_id else student
            mine = by_student[student]
            writer.writerow([name, canvas_id, "", login, ""]
                            + [_final(mine[a]) if a in mine else "" for a in assignments])
    return Path(path)


def _comment(row) -> str:
    """What the checks named, for the student to read beside the grade."""
    return f"misconceptions named: {', '.join(row.misconceptions)}" if row.misconceptions else ""


def write_moodle(rows, cells_by_assignment: dict, ids: dict, out_dir: Path) -> list[Path]:
    """Moodle's grading worksheet, one file per assignment, for the students
    with a Moodle participant id and a final score."""
    stamp = time.strftime(MOODLE_TIME)
    paths = []
    for assignment, cells in cells_by_assignment.items():
        mine = [r for r in rows if r.assignment == assignment
                and r.student in ids and ids[r.student].lms == "moodle"]
        if not mine:
            continue
        path = Path(out_dir) / f"moodle_{assignment}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(MOODLE_COLUMNS)
            for r in sorted(mine, key=lambda r: int(ids[r.student].user_id)):
                if r.status != status.GRADED:
                    continue
                who = ids[r.student]
                writer.writerow([f"Participant {who.user_id}", who.name, _final(r),
                                 _number(sum(c.points for c in cells)), stamp, _comment(r)])
        paths.append(path)
    return paths


def write_lms(rows, cells_by_assignment: dict, ids: dict, out_dir: Path) -> list[Path]:
    """Every LMS file for this run: Canvas's always, Moodle's where the
    download carried Moodle ids."""
    return ([write_canvas(rows, cells_by_assignment, ids, Path(out_dir) / CANVAS_FILE)]
            + write_moodle(rows, cells_by_assignment, ids, out_dir))


def lms_description(path: Path) -> str:
    """One line for the run's list of outputs."""
    if path.name == CANVAS_FILE:
        return "Canvas: Grades > Import (students matched by Canvas user id)"
    return "Moodle: the assignment's Upload grading worksheet (matched by participant id)"
