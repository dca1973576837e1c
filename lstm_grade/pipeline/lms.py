"""LMS download zips of flat files, handed to nbgrader's ``zip_collect``.

An LMS names each uploaded file after the student; Canvas, for instance,
writes ``<student>_<user id>_<file id>_<original name>``, so
``smithjane_12345_67890_ch01_rnn.ipynb`` (``_LATE_`` may follow the student;
a re-upload may end ``-1.ipynb``). ``DEFAULT_REGEX`` reads the student from
the first ``_``-separated word and the assignment from the name's end;
``--lms-regex`` replaces it and must have the groups ``student_id`` and
``assignment``. ``LmsCollector`` is the ``zip_collect`` plugin. The pipeline
hands nbgrader the files it already extracted safely (``collect.safe_extract``),
never the raw zip, and reports every file no pattern matched.

The identifiers the LMS wrote into the names are kept (``read_ids``), so the
exports in ``export`` match each student in the LMS: Canvas's user id (the
number after the name) and Moodle's participant id. Moodle's download names a
folder or file ``<Full Name>_<participant id>_assignsubmission_file_<file>``;
``normalise_moodle`` renames those files to the Canvas-like pattern above,
with the student id ``<full-name>-<participant id>`` (nbgrader's student ids
allow no spaces), before ``zip_collect`` runs.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

from nbgrader.plugins import FileNameCollectorPlugin

from .collect import Issue
from .course import new_config

DEFAULT_REGEX = r"^(?P<student_id>[A-Za-z0-9-]+)_(?:.*_)?(?P<assignment>{names})(?P<language>\.ko)?(?:-\d+)?\.ipynb$"
CANVAS_NAME = re.compile(r"^(?P<student>[A-Za-z0-9-]+)_(?:LATE_)?(?P<user_id>\d+)_(?P<file_id>\d+)_.+$")
MOODLE_NAME = re.compile(r"^(?P<name>[^/_]+)_(?P<participant>\d+)_assignsubmission_file_(?P<rest>.*)$")
IDS_FILE = "lms_ids.json"


class LmsId(NamedTuple):
    """How the LMS knows one student: ``lms`` is ``canvas`` or ``moodle``,
    ``user_id`` Canvas's user id or Moodle's participant id, ``name`` the
    name as the LMS wrote it."""
    lms: str
    user_id: str
    name: str


class LmsCollector(FileNameCollectorPlugin):
    """Collect ``<student>_..._<assignment>.ipynb`` files for the current assignment."""

    def collect(self, submitted_file):
        name = os.path.basename(submitted_file)
        m = re.match(self.named_regexp, name)
        if not m or m.group("assignment") != self.parent.coursedir.assignment_id:
            return None
        # The Korean notebook keeps its own name (nbgrader grades it as <assignment>.ko).
        lang = m.groupdict().get("language") or ""
        return {"student_id": m.group("student_id"), "file_id": f"{m.group('assignment')}{lang}.ipynb"}


def default_regex(assignments: list[str]) -> str:
    """``DEFAULT_REGEX`` with the assignment names filled in."""
    return DEFAULT_REGEX.format(names="|".join(re.escape(a) for a in assignments))


def check_regex(regex: str) -> re.Pattern:
    """Compile ``regex``; ``ValueError`` unless it has both named groups."""
    try:
        pattern = re.compile(regex)
    except re.error as err:
        raise ValueError(f"lms-regex: not a regular expression ({err}): {regex!r}") from err
    missing = {"student_id", "assignment"} - set(pattern.groupindex)
    if missing:
        raise ValueError(f"lms-regex: expected the named groups student_id and assignment, "
                         f"missing {', '.join(sorted(missing))}: {regex!r}")
    return pattern


def assignments_in_zip_names(names: list[str], known: list[str]) -> list[str]:
    """Known assignments whose name appears in some file name of the zip."""
    return [a for a in known if any(a in os.path.basename(n) for n in names)]


def unmatched(files: list[Path], root: Path, regex: str, assignments: list[str]) -> list[Issue]:
    """An ``unexpected`` issue for each file under ``root`` that ``regex`` does
    not read as a submission of one of ``assignments``."""
    pattern = check_regex(regex)
    issues = []
    for path in files:
        m = pattern.match(path.name)
        if m is None:
            detail = "file name matches no <student>_..._<assignment>.ipynb pattern; ignored"
        elif m.group("assignment") not in assignments:
            detail = f"names assignment {m.group('assignment')!r}, which is not being graded; ignored"
        else:
            continue
        issues.append(Issue(str(path.relative_to(root)), "", "unexpected", detail))
    return issues


def _zip_collect_one(course_root: Path, assignment: str, regex: str) -> None:
    """nbgrader's ``zip_collect ASSIGNMENT --force`` with ``LmsCollector``, in this process
    (``nbgrader zip_collect`` as a command started Python and imported nbgrader again, about
    3 CPU seconds per assignment); ``RuntimeError`` with nbgrader's log if it fails."""
    from nbgrader.apps import ZipCollectApp
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    c = new_config(course_root, assignment_id=assignment)
    c.ZipCollectApp.force = True
    c.ZipCollectApp.collector_plugin = LmsCollector
    c.LmsCollector.named_regexp = regex
    # Its log goes into the error below, not to the terminal (as the command's captured output did).
    c.ZipCollectApp.logging_config = {"handlers": {"console": {"level": "CRITICAL"}}}
    app = ZipCollectApp(config=c)
    app.coursedir = CourseDirectory(config=c)
    done = capture_log(app)   # nbgrader's failures (its ``fail`` exits) are caught and logged
    if not done["success"]:
        raise RuntimeError(f"nbgrader zip_collect {assignment} failed:\n"
                           f"{(done.get('log', '') + done['error'])[-3000:]}")


def zip_collect(extracted: Path, course_root: Path, assignments: list[str], regex: str,
                dest: Path) -> tuple[Path, list[Issue]]:
    """Run nbgrader's ``zip_collect`` for each assignment on the files under
    ``extracted`` and move what it collected to ``dest`` (laid out
    ``<student>/<assignment>/``). Returns ``(dest, issues)``: one issue per
    file that is not a submission of ``assignments``."""
    check_regex(regex)
    course_root, extracted = Path(course_root), Path(extracted)
    files = sorted(p for p in extracted.rglob("*") if p.is_file() and not p.is_symlink())
    for assignment in assignments:
        archive = course_root / "downloaded" / assignment / "archive"
        shutil.rmtree(archive, ignore_errors=True)
        shutil.copytree(extracted, archive, symlinks=True)
        _zip_collect_one(course_root, assignment, regex)
    submitted = course_root / "submitted"
    if Path(dest).exists():
        shutil.rmtree(dest)
    if submitted.exists():
        shutil.move(str(submitted), str(dest))
    else:
        Path(dest).mkdir(parents=True)
    return Path(dest), unmatched(files, extracted, regex, assignments)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "student"


def normalise_moodle(extracted: Path) -> dict[str, LmsId]:
    """Rename Moodle's ``<Full Name>_<id>_assignsubmission_file_`` files (in
    such a folder, or flat) under ``extracted`` to
    ``<full-name>-<id>_<id>_0_<file>``; returns their ids by student id."""
    ids: dict[str, LmsId] = {}
    extracted = Path(extracted)
    for path in sorted(p for p in extracted.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(extracted)
        m = MOODLE_NAME.match(rel.parts[0])
        if m is None:
            continue
        rest = m.group("rest") if len(rel.parts) == 1 else path.name
        if not rest:
            continue
        student = f"{_slug(m.group('name'))}-{m.group('participant')}"
        ids[student] = LmsId("moodle", m.group("participant"), m.group("name"))
        path.rename(extracted / f"{student}_{m.group('participant')}_0_{rest}")
    for folder in sorted((p for p in extracted.iterdir() if p.is_dir() and MOODLE_NAME.match(p.name)),
                         reverse=True):
        shutil.rmtree(folder, ignore_errors=True)
    return ids


def read_ids(extracted: Path) -> dict[str, LmsId]:
    """Canvas user ids in the names of the files under ``extracted``, by student id."""
    ids: dict[str, LmsId] = {}
    for path in sorted(Path(extracted).rglob("*.ipynb")):
        m = CANVAS_NAME.match(path.name)
        if m and m.group("file_id") != "0":   # 0: a Moodle file renamed above
            ids[m.group("student")] = LmsId("canvas", m.group("user_id"), m.group("student"))
    return ids


def write_ids(ids: dict[str, LmsId], out_dir: Path) -> Path:
    """Record the ids with the run (``<out>/lms_ids.json``)."""
    path = Path(out_dir) / IDS_FILE
    path.write_text(json.dumps({s: i._asdict() for s, i in sorted(ids.items())}, indent=1))
    return path


def load_ids(out_dir: Path) -> dict[str, LmsId]:
    """The ids ``write_ids`` recorded (empty if the run had none)."""
    path = Path(out_dir) / IDS_FILE
    if not path.is_file():
        return {}
    return {s: LmsId(**i) for s, i in json.loads(path.read_text()).items()}
