"""LMS download zips of flat files, handed to nbgrader's ``zip_collect``.

An LMS names each uploaded file after the student, e.g. Canvas's
``smithjane_12345_67890_ch01_rnn.ipynb``. ``LmsCollector`` is the
``zip_collect`` plugin: its ``named_regexp`` must have the groups
``student_id`` and ``assignment``; files of other assignments are skipped.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin

from .course import tool_env

DEFAULT_REGEX = r"^(?P<student_id>[A-Za-z0-9-]+)_(?:.*_)?(?P<assignment>{names})(?:-\d+)?\.ipynb$"


class LmsCollector(FileNameCollectorPlugin):
    """Collect ``<student>_..._<assignment>.ipynb`` files for the current assignment."""

    def collect(self, submitted_file):
        name = os.path.basename(submitted_file)
        m = re.match(self.named_regexp, name)
        if not m or m.group("assignment") != self.parent.coursedir.assignment_id:
            return None
        return {"student_id": m.group("student_id"), "file_id": f"{m.group('assignment')}.ipynb"}


def default_regex(assignments: list[str]) -> str:
    """``DEFAULT_REGEX`` with the assignment names filled in."""
    return DEFAULT_REGEX.format(names="|".join(re.escape(a) for a in assignments))


def assignments_in_zip_names(names: list[str], known: list[str]) -> list[str]:
    """Known assignments whose name appears in some file name of the zip."""
    return [a for a in known if any(a in os.path.basename(n) for n in names)]


def zip_collect(zip_path: Path, course_root: Path, assignments: list[str], regex: str,
                dest: Path) -> Path:
    """Run ``nbgrader zip_collect`` for each assignment and move what it
    collected to ``dest`` (laid out ``<student>/<assignment>/``)."""
    course_root = Path(course_root)
    for assignment in assignments:
        archive = course_root / "downloaded" / assignment / "archive"
        archive.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(zip_path, archive / Path(zip_path).name)
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", "zip_collect", assignment, "--force",
             "--ZipCollectApp.collector_plugin=lstm_grade.pipeline.lms.LmsCollector",
             f"--LmsCollector.named_regexp={regex}"],
            cwd=course_root, capture_output=True, text=True, env=tool_env())
        if proc.returncode != 0:
            raise RuntimeError(f"nbgrader zip_collect {assignment} failed:\n{proc.stderr[-3000:]}")
    submitted = course_root / "submitted"
    if Path(dest).exists():
        shutil.rmtree(dest)
    if submitted.exists():
        shutil.move(str(submitted), str(dest))
    else:
        Path(dest).mkdir(parents=True)
    return Path(dest)
