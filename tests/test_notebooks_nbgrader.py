"""Real nbgrader on the real notebooks, in a temporary copy of the course.

One ``generate_assignment`` run (which must reproduce ``exercises/`` byte for
byte) and one ``autograde`` run over every submission at once, because
nbgrader's start-up is most of its cost:

| student | submits | expected |
| --- | --- | --- |
| ``solved`` | the solution notebooks | full marks (after the written answers get their manual grade) |
| ``untouched`` | the exercises as released | zero everywhere, and the run does not crash |
| ``wrong`` | solutions with one answer broken per notebook (made by code below) | partial credit; the broken cell scores 0 and its output names the misconception |
| ``tamper`` | deleted or emptied test cells, a replaced comparison function | the test cells are restored from the gradebook and still fail the wrong answer |
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lstm_grade.authoring.assignments import ASSIGNMENTS
from lstm_grade.authoring.build import nbgrader_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NAMES = [a.name for a in ASSIGNMENTS]
NBGRADER = [sys.executable, "-m", "nbgrader"]

# (assignment, answer cell, text in the solution, its wrong replacement, misconception id,
#  the tests cell that must fail). Each break leaves the notebook's other answers right.
BREAKS = [
    ("ch01_rnn", "rnn_forward",
     "rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)", "rnn_step_forward(x[:, t, :], h0, Wx, Wh, b)",
     "state-not-carried", "test_rnn_forward"),
    ("ch03_gates", "gate",
     "np.concatenate([prev_h, x], axis=1)", "np.concatenate([x, prev_h], axis=1)",
     "concat-order", "test_gate"),
    ("ch04_forget_gate", "forget_gate",
     "np.concatenate([prev_h, x], axis=1)", "np.concatenate([x, prev_h], axis=1)",
     "concat-order", "test_forget_gate"),
    ("ch05_input_gate", "candidate",
     "np.tanh(hx @ W_c.T + b_c)", "np.exp(-np.logaddexp(0, -(hx @ W_c.T + b_c)))",
     "sigmoid-for-tanh", "test_candidate"),
    ("ch07_output_gate", "hidden_state",
     "o * np.tanh(c)", "o * c",
     "missing-tanh-on-cell", "test_hidden_state"),
    ("ch08_lstm_forward", "lstm_forward",
     "if c0 is None:\n        c0 = np.zeros_like(h0)", "c0 = np.zeros_like(h0)",
     "c0-ignored", "test_lstm_forward"),
]


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                          env=nbgrader_env())
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done


def _cell(nb, grade_id):
    found = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(found) == 1, f"no cell {grade_id!r}"
    return found[0]


def _replace(nb, grade_id, old, new):
    cell = _cell(nb, grade_id)
    assert old in cell.source, f"{grade_id}: {old!r} not in the solution; update BREAKS"
    cell.source = cell.source.replace(old, new)


def _submit(course: Path, student: str, name: str, nb) -> None:
    path = course / "submitted" / student / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _tampered(course: Path) -> None:
    """Student ``tamper``: three ways of getting rid of a failing test."""
    # Deleted test cell, wrong answer: add_missing_cells must bring the test back.
    nb = _read(course / "source" / "ch04_forget_gate" / "ch04_forget_gate.ipynb")
    _replace(nb, "forget_gate", "np.concatenate([prev_h, x], axis=1)", "np.concatenate([x, prev_h], axis=1)")
    nb.cells.remove(_cell(nb, "test_forget_gate"))
    _submit(course, "tamper", "ch04_forget_gate", nb)
    # Emptied test cell, wrong answer: the locked cell's source is restored.
    nb = _read(course / "source" / "ch06_cell_update" / "ch06_cell_update.ipynb")
    _replace(nb, "update_cell", "f * prev_c + i * c_tilde", "np.tanh(f * prev_c + i * c_tilde)")
    _cell(nb, "test_update_cell").source = "pass"
    _submit(course, "tamper", "ch06_cell_update", nb)
    # Comparison functions replaced, wrong answer: the checks must not trust them.
    nb = _read(course / "source" / "ch07_output_gate" / "ch07_output_gate.ipynb")
    _replace(nb, "hidden_state", "o * np.tanh(c)",
             "o * c\n\nnp.allclose = lambda *a, **k: True\n"
             "np.testing.assert_allclose = lambda *a, **k: None")
    _submit(course, "tamper", "ch07_output_gate", nb)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded copy of the course: exercises generated, every submission autograded."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    _nbgrader(course, "generate_assignment", "--force", "*")
    # A pristine copy of the sources to break, independent of nbgrader's folders.
    shutil.copytree(course / "solutions", course / "source")
    for name in NAMES:
        _submit(course, "solved", name, _read(course / "source" / name / f"{name}.ipynb"))
        _submit(course, "untouched", name, _read(course / "exercises" / name / f"{name}.ipynb"))
    for name, answer_id, old, new, _, _ in BREAKS:
        nb = _read(course / "source" / name / f"{name}.ipynb")
        _replace(nb, answer_id, old, new)
        _submit(course, "wrong", name, nb)
    _tampered(course)
    shutil.rmtree(course / "source")
    _nbgrader(course, "autograde", "*")
    return course


@pytest.fixture(scope="module")
def gradebook(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        yield gb


def _output_text(course: Path, student: str, name: str, grade_id: str) -> str:
    nb = _read(course / "autograded" / student / name / f"{name}.ipynb")
    parts = []
    for out in _cell(nb, grade_id).get("outputs", []):
        parts.append(out.get("text", "") if out.output_type == "stream"
                     else "\n".join([out.get("evalue", "")] + out.get("traceback", [])))
    return "\n".join(parts)


def test_exercises_are_in_sync_with_solutions(course):
    for name in NAMES:
        fresh = (course / "exercises" / name / f"{name}.ipynb").read_bytes()
        committed = ROOT / "exercises" / name / f"{name}.ipynb"
        assert committed.is_file(), f"missing {committed}: run `make exercises`"
        assert committed.read_bytes() == fresh, (
            f"exercises/{name} is not what nbgrader makes of solutions/{name}: run `make exercises`")


@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_marks(gradebook, name):
    sub = gradebook.find_submission(name, "solved")
    notebook = gradebook.find_submission_notebook(name, name, "solved")
    # Written answers wait for a person: grade them as the formgrader would.
    for grade in notebook.grades:
        if grade.cell.cell_type == "markdown":
            assert grade.needs_manual_grade
            grade.manual_score = grade.max_score
    gradebook.db.commit()
    failed = {g.name: (g.score, g.max_score) for g in notebook.grades if g.score != g.max_score}
    assert not failed, f"{name}: cells below full marks: {failed}"
    assert sub.max_score > 0
    assert sub.score == sub.max_score


@pytest.mark.parametrize("name", NAMES)
def test_untouched_exercise_scores_zero(course, gradebook, name):
    sub = gradebook.find_submission(name, "untouched")
    assert sub.max_score > 0
    assert sub.score == 0
    # Graded, not crashed: the autograded notebook exists and the test cells ran.
    assert "NotImplementedError" in _output_text(course, "untouched", name,
                                                 next(c.grade_id for c in ASSIGNMENTS[NAMES.index(name)].cells
                                                      if c.nbgrader and c.nbgrader["grade"] and c.kind == "code"))


@pytest.mark.parametrize("name, answer_id, misconception, test_id",
                         [(b[0], b[1], b[4], b[5]) for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_wrong_submission_gets_partial_credit_and_named_misconception(
        course, gradebook, name, answer_id, misconception, test_id):
    notebook = gradebook.find_submission_notebook(name, name, "wrong")
    scores = {g.name: g.score for g in notebook.grades if g.cell.cell_type == "code"}
    assert scores[test_id] == 0
    assert all(score > 0 for gid, score in scores.items() if gid != test_id), scores
    text = _output_text(course, "wrong", name, test_id)
    assert f"[misconception: {misconception}]" in text, text


def test_feedback_names_the_misconception(course):
    _nbgrader(course, "generate_feedback", "--student=wrong", "ch04_forget_gate")
    html = (course / "feedback" / "wrong" / "ch04_forget_gate" / "ch04_forget_gate.html").read_text()
    assert "[misconception: concat-order]" in html


def test_deleted_test_cell_is_restored(course, gradebook):
    grade = gradebook.find_grade("test_forget_gate", "ch04_forget_gate", "ch04_forget_gate", "tamper")
    assert grade.score == 0 and grade.max_score == 3
    assert "concat-order" in _output_text(course, "tamper", "ch04_forget_gate", "test_forget_gate")


def test_emptied_test_cell_is_restored(course, gradebook):
    grade = gradebook.find_grade("test_update_cell", "ch06_cell_update", "ch06_cell_update", "tamper")
    assert grade.score == 0
    assert "CheckFailed" in _output_text(course, "tamper", "ch06_cell_update", "test_update_cell")


def test_replaced_comparison_functions_do_not_pass_a_wrong_answer(course, gradebook):
    grade = gradebook.find_grade("test_hidden_state", "ch07_output_gate", "ch07_output_gate", "tamper")
    assert grade.score == 0
    right = gradebook.find_grade("test_output_gate", "ch07_output_gate", "ch07_output_gate", "tamper")
    assert right.score == right.max_score


def test_validate_button_passes_a_completed_exercise_and_fails_an_untouched_one(tmp_path):
    """What the student's Validate button runs (nbgrader's Validator) on ch06."""
    from nbgrader.validator import Validator
    name = "ch06_cell_update"
    exercise = _read(ROOT / "exercises" / name / f"{name}.ipynb")
    solution = _read(ROOT / "solutions" / name / f"{name}.ipynb")
    untouched = tmp_path / "untouched" / f"{name}.ipynb"
    untouched.parent.mkdir()
    nbformat.write(exercise, untouched)
    # A student's finished notebook: the released one with the answer typed in.
    _cell(exercise, "update_cell").source = _cell(solution, "update_cell").source
    completed = tmp_path / "completed" / f"{name}.ipynb"
    completed.parent.mkdir()
    nbformat.write(exercise, completed)
    validator = Validator()
    assert not validator.validate(str(completed)).get("failed")
    failed = validator.validate(str(untouched))["failed"]
    assert failed and "NotImplementedError" in failed[0]["error"]
