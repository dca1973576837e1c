"""The grading pipeline on a class of 30 students (real nbgrader, real notebooks).

One run of ``python -m lstm_grade grade`` over a class built by code from
``solutions/ch06_cell_update``: correct, wrong (a known misconception),
untouched, corrupt, missing and crashing submissions. The CSV, the summary and
the feedback are checked against what each student handed in.
"""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main
from lstm_grade.pipeline.feedback import hidden_test_lines

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"
WRONG_BODY = "return i * prev_c + f * c_tilde"   # the two gates swapped
PLAN = (["correct"] * 14 + ["wrong"] * 6 + ["untouched"] * 4 + ["invalid-json", "not-a-notebook"]
        + ["no-folder", "misnamed"] + ["os-exit"] * 2)


def _wrong_tag() -> str:
    """The misconception the checks name for WRONG_BODY, asked of the checks themselves."""
    from lstm_grade.checks import check, CheckFailed
    scope = {}
    exec("def update_cell(prev_c, f, i, c_tilde):\n    " + WRONG_BODY, scope)
    with pytest.raises(CheckFailed) as info:
        check("update_cell", scope["update_cell"])
    found = re.findall(r"\[misconception: ([\w.-]+)\]", str(info.value))
    return found[0] if found else ""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    subs = tmp_path_factory.mktemp("class")
    kinds = {}
    for k, kind in enumerate(PLAN):
        student = f"s{k:02d}"
        kinds[student] = kind
        if kind == "correct":
            syn.write_submission(subs, student, A, syn.answered_copy(source))
        elif kind == "wrong":
            syn.write_submission(subs, student, A, syn.with_answer(source, "update_cell", WRONG_BODY))
        elif kind == "untouched":
            syn.write_submission(subs, student, A, syn.release_copy(source))
        elif kind == "invalid-json":
            syn.write_submission(subs, student, A, b'{"cells": [')
        elif kind == "not-a-notebook":
            syn.write_submission(subs, student, A, b'{"hello": "world"}')
        elif kind == "no-folder":
            (subs / student).mkdir()
        elif kind == "misnamed":
            syn.write_submission(subs, student, A, syn.answered_copy(source), name="my_work.ipynb")
        elif kind == "os-exit":
            syn.write_submission(subs, student, A,
                                 syn.with_answer(source, "update_cell", "import os\nos._exit(0)"))
    out = tmp_path_factory.mktemp("grading") / "run"
    code = main(["grade", str(subs), "--out", str(out), "--jobs", "2",
                 "--cell-timeout", "30", "--timeout", "240"])
    assert code == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return kinds, rows, out, source


def test_one_row_per_student_with_honest_status(graded):
    kinds, rows, _, _ = graded
    assert sorted(rows) == sorted(kinds)
    expected_status = {"correct": "graded", "wrong": "graded", "untouched": "graded",
                       "invalid-json": "corrupt", "not-a-notebook": "corrupt",
                       "no-folder": "missing", "misnamed": "missing", "os-exit": "failed"}
    for student, kind in kinds.items():
        row = rows[student]
        assert row["assignment"] == A
        assert row["status"] == expected_status[kind], (student, kind, row)
        assert row["max_score"] == "3"
        if row["status"] in ("corrupt", "missing", "failed"):
            assert row["score"] == "", row   # never a zero that looks like a grade
            assert row["detail"]


def test_scores_match_the_work(graded):
    kinds, rows, _, _ = graded
    for student, kind in kinds.items():
        if kind == "correct":
            assert rows[student]["score"] == "3", rows[student]
        elif kind in ("wrong", "untouched"):
            assert rows[student]["score"] == "0", rows[student]


def test_misconceptions_counted_and_plotted(graded):
    kinds, rows, out, _ = graded
    tag = _wrong_tag()
    assert tag, "the checks should name a misconception for the wrong answer"
    for student, kind in kinds.items():
        if kind == "wrong":
            assert tag in rows[student]["misconceptions"].split()
    text = (out / "summary.txt").read_text()
    assert re.search(rf"^\s+6\s+{re.escape(tag)}\b", text, re.M), text
    assert "test_update_cell" in text
    png = (out / "misconceptions.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_question_distribution(graded):
    import json
    _, _, out, _ = graded
    q = json.loads((out / "summary.json").read_text())["questions"]
    assert len(q) == 1 and q[0]["question"] == "test_update_cell"
    # 24 ran to the end: 14 full marks, 10 zeros.
    assert (q[0]["n"], q[0]["full"], q[0]["zero"]) == (24, 14, 10)
    assert q[0]["mean"] == pytest.approx(14 * 3 / 24)


def test_feedback_has_no_hidden_test_source(graded):
    kinds, _, out, source = graded
    hidden = hidden_test_lines(source)
    assert hidden, "the source notebook should have hidden tests"
    files = sorted((out / "feedback").rglob("*.html"))
    ran = [s for s, k in kinds.items() if k in ("correct", "wrong", "untouched")]
    assert sorted(p.parent.parent.name for p in files) == sorted(ran)
    for path in files:
        html = path.read_text()
        for line in hidden:
            assert line not in html and line.replace('"', "&quot;") not in html, (path, line)
    wrong = next(s for s, k in kinds.items() if k == "wrong")
    html = (out / "feedback" / wrong / A / f"{A}.html").read_text()
    assert "[misconception: " in html   # the failure message stays visible


def test_master_gradebook_has_every_graded_submission(graded):
    from nbgrader.api import Gradebook
    kinds, _, out, _ = graded
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        scores = {s.student.id: s.score for s in gb.assignment_submissions(A)}
    for student, kind in kinds.items():
        if kind == "correct":
            assert scores[student] == 3
        elif kind in ("wrong", "untouched"):
            assert scores[student] == 0


def test_report_lists_the_submissions_that_need_a_look(graded):
    """report.html (opened in Chromium by test_pipeline_statuses) names every
    failed, corrupt and missing submission, and draws the question's scores."""
    kinds, _, out, _ = graded
    page = (out / "report.html").read_text()
    table = page.split('id="needs-a-look"', 1)[1]
    for student, kind in kinds.items():
        listed = f"<td>{student}</td>" in table
        assert listed == (kind in ("invalid-json", "not-a-notebook", "no-folder", "misnamed", "os-exit")), \
            (student, kind)
    crashed = next(s for s, k in kinds.items() if k == "os-exit")
    assert f'href="submitted/{crashed}/{A}/{A}.ipynb"' in table
    assert page.count('<figure class="score-plot"><svg') == 1
    assert re.findall(r'(?:src|href)\s*=\s*"(?!submitted/|feedback/|jobs/|#)([^"]*)"', page) == []
