"""The grading pipeline on a class of 16 students (real nbgrader, real notebooks).

One run of ``python -m lstm_grade grade`` over a class built by code from
``solutions/ch06_cell_update``: correct, wrong (a known misconception),
untouched, corrupt, missing and crashing submissions. The CSV, the summary and
the feedback are checked against what each student handed in. Each kind
comes a few times (so counts add up over several notebooks, on both workers),
not more: every notebook graded costs a sandboxed kernel and nbgrader's
bookkeeping, and further identical copies prove nothing new. The same run
grades the class of tests/test_pipeline_korean.py (chapter 4, in two
languages; ``pipeline_shared``): its rows are left to that module.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import pipeline_shared as shared
from lstm_grade.pipeline.feedback import hidden_test_lines
from lstm_grade.pipeline.scoring import grade_cells

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = shared.A6
WRONG_BODY = shared.WRONG_BODY
PLAN = shared.PLAN


CELLS = grade_cells(ROOT / "solutions" / A / f"{A}.ipynb")
MAX = sum(c.points for c in CELLS)
WRITTEN = sum(c.points for c in CELLS if c.manual)
UPDATE = next(c.points for c in CELLS if c.grade_id == "test_update_cell")
# The automatic points each kind earns: the quizzes are answered in the
# correct and the wrong copies (only update_cell is wrong there), nothing in
# the untouched release.
EARNS = {"correct": MAX - WRITTEN, "wrong": MAX - WRITTEN - UPDATE, "untouched": 0.0}
# A written answer filled in waits for a person; the release's is scored 0 by nbgrader.
STATUS = {"correct": "needs_manual" if WRITTEN else "graded", "wrong": "needs_manual" if WRITTEN else "graded",
          "untouched": "graded", "invalid-json": "corrupt", "not-a-notebook": "corrupt",
          "no-folder": "missing", "misnamed": "missing", "os-exit": "failed"}


def _pts(points: float) -> str:
    return f"{points:g}"


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
    out = shared.graded_class(tmp_path_factory)
    kinds = shared.class_kinds()
    rows = {r["student"]: r for r in shared.class_rows(out, A, kinds)}
    return kinds, rows, out, shared.source(A)


def test_one_row_per_student_with_honest_status(graded):
    kinds, rows, _, _ = graded
    assert sorted(rows) == sorted(kinds)
    for student, kind in kinds.items():
        row = rows[student]
        assert row["assignment"] == A
        assert row["status"] == STATUS[kind], (student, kind, row)
        assert row["max_score"] == _pts(MAX)
        if row["status"] in ("corrupt", "missing", "failed"):
            assert row["score"] == "", row   # never a zero that looks like a grade
            assert row["detail"]
        if kind == "os-exit":
            assert "kernel died" in row["detail"], row


def test_scores_match_the_work(graded):
    kinds, rows, _, _ = graded
    for student, kind in kinds.items():
        if kind in EARNS:
            assert rows[student]["score"] == _pts(EARNS[kind]), (kind, rows[student])
            pending = WRITTEN if STATUS[kind] == "needs_manual" else 0
            assert rows[student]["pending_manual"] == _pts(pending), (kind, rows[student])


def test_misconceptions_counted_and_plotted(graded):
    kinds, rows, out, _ = graded
    tag = _wrong_tag()
    assert tag, "the checks should name a misconception for the wrong answer"
    for student, kind in kinds.items():
        if kind == "wrong":
            assert tag in rows[student]["misconceptions"].split()
    text = (out / "summary.txt").read_text()
    assert re.search(rf"^\s+{PLAN.count('wrong')}\s+{re.escape(tag)}\b", text, re.M), text
    assert "test_update_cell" in text
    png = (out / "misconceptions.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_question_distribution(graded):
    import json
    _, _, out, _ = graded
    questions = [q for q in json.loads((out / "summary.json").read_text())["questions"] if q["assignment"] == A]
    assert [q["question"] for q in questions] == [c.grade_id for c in CELLS]
    q = next(q for q in questions if q["question"] == "test_update_cell")
    # The correct, wrong and untouched ran to the end: the correct ones full marks, the rest 0.
    full, zero = PLAN.count("correct"), PLAN.count("wrong") + PLAN.count("untouched")
    assert (q["n"], q["full"], q["zero"]) == (full + zero, full, zero)
    assert q["mean"] == pytest.approx(full * UPDATE / (full + zero))


def test_feedback_has_no_hidden_test_source(graded):
    kinds, _, out, source = graded
    hidden = hidden_test_lines(source)
    assert hidden, "the source notebook should have hidden tests"
    files = sorted((out / "feedback").glob(f"*/{A}/*.html"))
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
        if kind in EARNS:
            assert scores[student] == EARNS[kind], (student, kind)


def test_report_lists_the_submissions_that_need_a_look(graded):
    """report.html (opened in Chromium by test_pipeline_statuses) names every
    failed, corrupt and missing submission, and draws the question's scores."""
    kinds, _, out, _ = graded
    page = (out / "report.html").read_text()
    table = page.split('id="needs-a-look"', 1)[1]
    for student, kind in kinds.items():
        listed = f"<td>{student}</td><td>{A}</td>" in table
        # Everything not simply graded: failures, and written answers to grade by hand.
        assert listed == (STATUS[kind] != "graded"), (student, kind)
    crashed = next(s for s, k in kinds.items() if k == "os-exit")
    assert f'href="submitted/{crashed}/{A}/{A}.ipynb"' in table
    # One plot per question of each assignment graded: this one's and the Korean class's ch04.
    ch04 = grade_cells(out / "source" / shared.A4 / f"{shared.A4}.ipynb")
    assert page.count('<figure class="score-plot"><svg') == len(CELLS) + len(ch04)
    assert re.findall(r'(?:src|href)\s*=\s*"(?!submitted/|feedback/|jobs/|#)([^"]*)"', page) == []
