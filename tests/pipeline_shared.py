"""One graded class that test modules only read: ``test_pipeline_class``,
``test_pipeline_korean`` and ``test_pipeline_dask``.

One run of the grading command (real nbgrader, sandboxed, in the test's
process, writing to a pseudo-terminal: ``printed`` is what it showed, the
progress bar included) over two classes in one folder: 16 students of
``ch06_cell_update`` (correct, wrong, untouched, corrupt, missing and
crashing submissions: ``PLAN``) and five of ``ch04_forget_gate`` handed in
in English, in Korean or both. The run's set-up (its grading processes, the
course, the merge, the report) is paid once instead of once per module, and
each module reads the rows of its own students (``class_rows``): in one
folder, each class's students are also rows of the other assignment,
``missing`` (no folder for it), as the pipeline reports any student who
handed in one assignment and not another. ``test_pipeline_dask`` grades
copies of a few of these submissions on a Dask cluster and compares the
rows with this run's.

The first module to ask grades the class, holding a file lock in the folder
that every pytest-xdist worker of the run shares (the parent of a worker's
base temporary folder); the others wait for the lock and read what it
wrote. A run that failed leaves no ``done`` mark, and the next module to
ask grades again.
"""
from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import pty
import shutil
import threading
from pathlib import Path
from unittest import mock

import nbformat

from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
A6, A4 = "ch06_cell_update", "ch04_forget_gate"
KO = f"{A4}.ko.ipynb"
WRONG_BODY = "return i * prev_c + f * c_tilde"   # ch06: the two gates swapped
PLAN = (["correct"] * 4 + ["wrong"] * 3 + ["untouched"] * 2 + ["invalid-json", "not-a-notebook"]
        + ["no-folder", "misnamed"] + ["os-exit"] * 2)
RIGHT_CONCAT, WRONG_CONCAT = "np.concatenate([prev_h, x], axis=1)", "np.concatenate([x, prev_h], axis=1)"
KOREAN = ("en_ok", "en_wrong", "ko_both", "ko_ok", "ko_wrong")   # the ch04 class
#: The run's limits (seconds per cell, per notebook), for a run that is to give the same rows.
LIMITS = ["--cell-timeout", "30", "--timeout", "240"]


def source(assignment: str, name: str | None = None):
    return nbformat.read(ROOT / "solutions" / assignment / (name or f"{assignment}.ipynb"), as_version=4)


def class_kinds() -> dict:
    """student -> kind of the ch06 class (``PLAN``)."""
    return {f"s{k:02d}": kind for k, kind in enumerate(PLAN)}


def _write_ch06(subs: Path) -> None:
    s6 = source(A6)
    for student, kind in class_kinds().items():
        if kind == "correct":
            syn.write_submission(subs, student, A6, syn.answered_copy(s6))
        elif kind == "wrong":
            syn.write_submission(subs, student, A6, syn.with_answer(s6, "update_cell", WRONG_BODY))
        elif kind == "untouched":
            syn.write_submission(subs, student, A6, syn.release_copy(s6))
        elif kind == "invalid-json":
            syn.write_submission(subs, student, A6, b'{"cells": [')
        elif kind == "not-a-notebook":
            syn.write_submission(subs, student, A6, b'{"hello": "world"}')
        elif kind == "no-folder":
            (subs / student).mkdir()
        elif kind == "misnamed":
            syn.write_submission(subs, student, A6, syn.answered_copy(s6), name="my_work.ipynb")
        elif kind == "os-exit":
            syn.write_submission(subs, student, A6, syn.with_answer(s6, "update_cell", "import os\nos._exit(0)"))


def broken_concat(nb):
    """A correct ch04 copy whose forget gate concatenates in the wrong order."""
    nb = syn.answered_copy(nb)
    cell = syn.find_cell(nb, "forget_gate")
    assert RIGHT_CONCAT in cell.source
    cell.source = cell.source.replace(RIGHT_CONCAT, WRONG_CONCAT)
    return nb


def _write_ch04(subs: Path) -> None:
    en, ko = source(A4), source(A4, KO)
    syn.write_submission(subs, "en_ok", A4, syn.answered_copy(en))
    syn.write_submission(subs, "en_wrong", A4, broken_concat(en))
    syn.write_submission(subs, "ko_ok", A4, syn.answered_copy(ko), name=KO)
    syn.write_submission(subs, "ko_wrong", A4, broken_concat(ko), name=KO)
    shutil.copytree(ROOT / "exercises" / A4, subs / "ko_both" / A4)  # both releases, as a student gets them
    syn.write_submission(subs, "ko_both", A4, syn.answered_copy(ko), name=KO)


def main_on_a_terminal(args: list[str]) -> tuple[int, str]:
    """``main(args)`` (the grading command) in this process with stdout and stderr on a
    pseudo-terminal; (exit code, output). In this process rather than a new one: a new
    ``python -m lstm_grade`` imported nbgrader, Dask and matplotlib again (about 5 CPU-s)."""
    master, slave = pty.openpty()
    chunks: list = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:   # EIO: the terminal was closed
                return
            if not data:
                return
            chunks.append(data)
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    terminal = open(slave, "w", encoding="utf-8", buffering=1)
    # The terminal's size, as its shell would say it: pytest-xdist's workers have COLUMNS=80,
    # where the bar cuts its tally of statuses short.
    try:
        with mock.patch.dict(os.environ, COLUMNS="120", LINES="30"), \
                contextlib.redirect_stdout(terminal), contextlib.redirect_stderr(terminal):
            code = main(args)
    finally:
        terminal.close()
        reader.join(timeout=60)
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


def _grade(folder: Path) -> None:
    subs = folder / "class"
    _write_ch06(subs)
    _write_ch04(subs)
    code, printed = main_on_a_terminal(["grade", str(subs), "--out", str(folder / "run"), "--jobs", "2", *LIMITS])
    (folder / "printed.txt").write_bytes(printed.encode("utf-8"))   # bytes: the bar's "\r" kept
    assert code == 0, printed[-3000:]


def _shared_root(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def graded_class(tmp_path_factory) -> Path:
    """The run's output folder (``<out>``), graded once per test run."""
    root = _shared_root(tmp_path_factory)
    folder = root / "shared-class"
    with open(root / "shared-class.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            _grade(folder)
            (folder / "done").touch()
    return folder / "run"


def submissions(out: Path) -> Path:
    """The folder the run graded (``<student>/<assignment>/...``)."""
    return out.parent / "class"


def printed(out: Path) -> str:
    """What the run showed on its terminal."""
    return (out.parent / "printed.txt").read_bytes().decode("utf-8")


def jobs() -> int:
    """Notebooks the run graded: the ch06 kinds with a notebook to run, and the ch04 class."""
    return sum(kind in ("correct", "wrong", "untouched", "os-exit") for kind in PLAN) + len(KOREAN)


def class_rows(out: Path, assignment: str, students) -> list[dict]:
    """The rows of ``grades.csv`` of ``assignment`` and ``students``, in order; every other row
    of that assignment must be a student of the other class, missing."""
    with open(out / "grades.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["assignment"] == assignment]
    for r in rows:
        if r["student"] not in students:
            assert r["student"] in set(KOREAN) | set(class_kinds()), r
            assert r["status"] == "missing" and r["score"] == "" and f"no folder {assignment}/" in r["detail"], r
    return [r for r in rows if r["student"] in students]
