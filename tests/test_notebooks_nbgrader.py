"""Real nbgrader on the real notebooks, in a temporary copy of the course.

One ``generate_assignment`` run (which must reproduce ``exercises/`` byte for
byte) and one ``autograde`` run over every submission at once, because
nbgrader's start-up is most of its cost. Each notebook graded costs a kernel
and nbgrader's bookkeeping (several CPU seconds, whatever the answers), so a
student hands in each assignment once and one submission proves what it can:
every break of an assignment is in the one ``wrong`` notebook, and the tricks
against the test cells are played on those same notebooks:

| student | submits | expected |
| --- | --- | --- |
| ``solved`` | the solution notebooks | full marks (after the written answers get their manual grade) |
| ``untouched`` | the exercises as released | zero everywhere, and the run does not crash |
| ``wrong`` | solutions with the answers of ``BREAKS`` broken (a scaffold's blank, a quiz answer; one to three per notebook, made by code below); in ch04, ch06 and ch07 also a deleted test cell, an emptied one, replaced comparison functions; the animation cells deleted | partial credit; each broken cell scores 0 and its output names the misconception, every other cell scores; the test cells are restored from the gradebook and still fail the wrong answers |
| ``solved_ko``, ``wrong_ko``, ``untouched_ko`` | Korean notebooks (``<name>.ko.ipynb``): ch04 and ch09 solved, ch04 broken with its setup cell edited and its animation deleted, ch09 as released | full marks; the misconception named in Korean; the locked setup restored in Korean; the first blank named in Korean |

The animation cells (ch04 to ch07, ``lstm_viz.widgets``) are graded by no one
and restored by no one, so a student may delete them, and students ``wrong``
and ``wrong_ko`` did: each costs a kernel about 1.6 CPU seconds (matplotlib
and a first drawing), and no assertion reads what it draws. They still run
under nbgrader for ``solved`` and ``solved_ko`` (drawn with the student's
functions) and for ``untouched`` (the message naming the blank function).

Every submission holds one language's notebook; nbgrader scores the other one 0,
so a notebook's own score is what a student earned (the pipeline reads only
the notebook handed in, ``lstm_grade.pipeline.language``).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lstm_grade.authoring.assignments import ASSIGNMENTS
from lstm_grade.pipeline.course import tool_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NAMES = [a.name for a in ASSIGNMENTS]
# nbgrader's command line, in a process set up as the pipeline's grading process is
# (``lstm_grade.pipeline.reuse.nbgrader_main``: one SQLAlchemy engine per gradebook instead
# of one per opening, the metadata schema checked once, the alembic head read in the process,
# the server extensions imported only if served). The same nbgrader apps, configuration and
# results, fewer CPU seconds (measured side by side: generate 15.7 -> 10.9, autograde
# 98 -> 91; the whole module 149 -> 134).
NBGRADER = [sys.executable, "-c", "import sys; from lstm_grade.pipeline.reuse import nbgrader_main; "
            "sys.exit(nbgrader_main())"]

# (assignment, answer cell, text in the solution, its wrong replacement, misconception id,
#  the tests cell that must fail). Student ``wrong`` hands in each assignment with all of its
#  breaks at once; the breaks of one notebook are independent (no broken answer feeds another's
#  test), so each broken test fails for its own reason, which its output names.
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
    # blanks of the scaffolds
    ("ch02_vanishing", "rnn_backward",
     "rnn_step_backward(dh[:, t, :] + dprev_h, step_cache)", "rnn_step_backward(dh[:, t, :], step_cache)",
     "missing-recurrent-grad", "test_rnn_backward"),
    ("ch09_lstm_backward", "lstm_step_backward",
     "dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)", "dc = dnext_c + dnext_h * o",
     "missing-tanh-grad-on-cell", "test_lstm_step_backward"),
    ("ch10_variants", "gru_step_forward",
     "next_h = (1 - z) * n + z * prev_h", "next_h = z * n + (1 - z) * prev_h",
     "one-minus-on-wrong-term", "test_gru_step_forward"),
    # quiz answers and the reasoning exercises
    ("ch06_cell_update", "q_predict_c", "q_predict_c = 1.1", "q_predict_c = 1.6",
     "missing-forget-gate", "test_q_predict_c"),
    ("ch06_cell_update", "update_cell", "f * prev_c + i * c_tilde", "np.tanh(f * prev_c + i * c_tilde)",
     "tanh-on-cell-update", "test_update_cell"),
    ("ch11_training", "q_temperature", 'q_temperature = "a"', 'q_temperature = "c"',
     "temperature-after-softmax", "test_q_temperature"),
    ("ch04_forget_gate", "q_forget_bias", "q_forget_bias = 6.0", "q_forget_bias = 3.0",
     "decay-not-compounded", "test_q_forget_bias"),
    ("ch05_input_gate", "q_input_noise", "q_input_noise = [0.0, 20.0, 0.0, -10.0]",
     "q_input_noise = [20.0, 0.0, 0.0, -10.0]", "concat-order", "test_q_input_noise"),
    ("ch08_lstm_forward", "q_lstm_parameters", "q_lstm_parameters = 2480", "q_lstm_parameters = 2400",
     "missing-bias", "test_q_lstm_parameters"),
    ("ch09_lstm_backward", "q_central_difference", "q_central_difference = 3.01",
     "q_central_difference = 3.31", "forward-difference", "test_q_central_difference"),
    ("ch11_training", "val_perplexity", "val_perplexity = float(np.exp(lm.loss(val_x, val_y)[0]))",
     "val_perplexity = float(lm.loss(val_x, val_y)[0])", "perplexity-is-loss", "test_val_perplexity"),
    ("ch12_practice", "truncated_bptt", "lstm_forward(x, h, c, Wx, Wh, b)", "lstm_forward(x, h0, c0, Wx, Wh, b)",
     "state-reset-each-window", "test_truncated_bptt"),
    ("ch12_practice", "embedding_backward", "np.add.at(dW, np.asarray(x).ravel(), dout.reshape(-1, D))",
     "dW[np.asarray(x).ravel()] += dout.reshape(-1, D)", "repeated-ids-overwritten",
     "test_embedding_backward"),
    ("ch13_attention", "attention_forward", "scores = np.where(mask, scores, -np.inf)", "scores = scores",
     "mask-ignored", "test_attention_forward"),
]


# Test cells that run a broken answer through another graded function fail with it.
DEPENDENTS = {"test_lstm_step_backward": {"test_lstm_backward", "test_numerical_gradients"}}


def _broken_tests(name: str) -> set[str]:
    """The test cells of ``name`` that student ``wrong``'s breaks make fail, dependents included."""
    tests = {b[5] for b in BREAKS if b[0] == name}
    return tests.union(*(DEPENDENTS.get(t, ()) for t in tests))


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                          env=tool_env())
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


KOREAN = ["ch04_forget_gate", "ch09_lstm_backward"]


def _submit(course: Path, student: str, name: str, nb, stem: str | None = None) -> None:
    path = course / "submitted" / student / name / f"{stem or name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _tamper(name: str, nb) -> None:
    """Three ways of getting rid of a failing test, played on student ``wrong``'s broken notebooks."""
    if name == "ch04_forget_gate":  # deleted test cell: add_missing_cells must bring the test back
        nb.cells.remove(_cell(nb, "test_forget_gate"))
    elif name == "ch06_cell_update":  # emptied test cell: the locked cell's source is restored
        _cell(nb, "test_update_cell").source = "pass"
    elif name == "ch07_output_gate":  # comparison functions replaced: the checks must not trust them
        cell = _cell(nb, "hidden_state")
        cell.source += ("\n\nnp.allclose = lambda *a, **k: True\n"
                        "np.testing.assert_allclose = lambda *a, **k: None")


def _delete_animations(nb) -> None:
    """The student deleted the animation cells (see the module docstring)."""
    nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and "lstm_viz.widgets" in c.source)]


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
        nb = _read(course / "source" / name / f"{name}.ipynb")
        for b in BREAKS:
            if b[0] == name:
                _replace(nb, *b[1:4])
        _tamper(name, nb)
        _delete_animations(nb)
        _submit(course, "wrong", name, nb)
    for name in KOREAN:
        ko = f"{name}.ko"
        _submit(course, "solved_ko", name, _read(course / "source" / name / f"{ko}.ipynb"), ko)
    ko = "ch09_lstm_backward.ko"
    _submit(course, "untouched_ko", "ch09_lstm_backward",
            _read(course / "exercises" / "ch09_lstm_backward" / f"{ko}.ipynb"), ko)
    nb = _read(course / "source" / "ch04_forget_gate" / "ch04_forget_gate.ko.ipynb")
    _replace(nb, "forget_gate", "np.concatenate([prev_h, x], axis=1)", "np.concatenate([x, prev_h], axis=1)")
    _cell(nb, "setup").source = _cell(nb, "setup").source.split("\n", 1)[1]  # the language line removed
    _delete_animations(nb)
    _submit(course, "wrong_ko", "ch04_forget_gate", nb, "ch04_forget_gate.ko")
    shutil.rmtree(course / "source")
    _nbgrader(course, "autograde", "*")
    return course


@pytest.fixture(scope="module")
def gradebook(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        yield gb


def _output_text(course: Path, student: str, name: str, grade_id: str, stem: str | None = None) -> str:
    nb = _read(course / "autograded" / student / name / f"{stem or name}.ipynb")
    parts = []
    for out in _cell(nb, grade_id).get("outputs", []):
        parts.append(out.get("text", "") if out.output_type == "stream"
                     else "\n".join([out.get("evalue", "")] + out.get("traceback", [])))
    return "\n".join(parts)


def test_exercises_are_in_sync_with_solutions(course):
    for name in NAMES:
        for stem in (name, f"{name}.ko"):
            fresh = (course / "exercises" / name / f"{stem}.ipynb").read_bytes()
            committed = ROOT / "exercises" / name / f"{stem}.ipynb"
            assert committed.is_file(), f"missing {committed}: run `make exercises`"
            assert committed.read_bytes() == fresh, (
                f"exercises/{name}/{stem}.ipynb is not what nbgrader makes of solutions/{name}: "
                "run `make exercises`")


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
    assert notebook.max_score > 0
    assert sub.score == notebook.score == notebook.max_score  # the Korean notebook, not handed in, scores 0


@pytest.mark.parametrize("name", NAMES)
def test_untouched_exercise_scores_zero(course, gradebook, name):
    sub = gradebook.find_submission(name, "untouched")
    assert sub.max_score > 0
    assert sub.score == 0
    # Graded, not crashed: the autograded notebook exists and the test cells ran.
    first_check = next(c.grade_id for c in ASSIGNMENTS[NAMES.index(name)].cells
                       if c.nbgrader and c.nbgrader["grade"] and c.kind == "code" and 'check("' in c.source)
    assert "NotImplementedError" in _output_text(course, "untouched", name, first_check)


@pytest.mark.parametrize("name, test_id, blank", [
    ("ch02_vanishing", "test_rnn_step_backward", "blank 1 of 3 in rnn_step_backward is still empty"),
    ("ch09_lstm_backward", "test_lstm_backward", "blank 1 of 3 in lstm_backward is still empty"),
    ("ch10_variants", "test_gru_step_forward", "blank 1 of 3 in gru_step_forward is still empty"),
])
def test_an_untouched_scaffold_names_its_first_blank(course, name, test_id, blank):
    text = _output_text(course, "untouched", name, test_id)
    assert blank in text and "Cell In[" in text, text
    assert "lstm_grade/" not in text, text


@pytest.mark.parametrize("name, misconception, test_id", [(b[0], b[4], b[5]) for b in BREAKS],
                         ids=[f"{b[0]}-{b[1]}" for b in BREAKS])
def test_wrong_submission_gets_partial_credit_and_named_misconception(
        course, gradebook, name, misconception, test_id):
    notebook = gradebook.find_submission_notebook(name, name, "wrong")
    scores = {g.name: g.score for g in notebook.grades if g.cell.cell_type == "code"}
    assert scores[test_id] == 0
    assert all(score > 0 for gid, score in scores.items() if gid not in _broken_tests(name)), scores
    text = _output_text(course, "wrong", name, test_id)
    assert f"[misconception: {misconception}]" in text, text
    # The student reads the check's message, not a traceback into the grading code.
    assert "lstm_grade/" not in text and "Traceback" not in text, text


@pytest.fixture(scope="module")
def feedback(course):
    """ch04's feedback for students ``wrong`` and ``wrong_ko``: one nbgrader run (a student
    glob), since nbgrader's start-up is most of its cost."""
    _nbgrader(course, "generate_feedback", "--student=wrong*", "ch04_forget_gate")
    return course / "feedback"


def test_feedback_names_the_misconception(feedback):
    html = (feedback / "wrong" / "ch04_forget_gate" / "ch04_forget_gate.html").read_text()
    assert "[misconception: concat-order]" in html


def test_deleted_test_cell_is_restored(course, gradebook):
    nb = _read(course / "submitted" / "wrong" / "ch04_forget_gate" / "ch04_forget_gate.ipynb")
    assert not [c for c in nb.cells if c.get("id") == "test_forget_gate"]  # handed in without it
    grade = gradebook.find_grade("test_forget_gate", "ch04_forget_gate", "ch04_forget_gate", "wrong")
    assert grade.score == 0 and grade.max_score == 3
    assert "concat-order" in _output_text(course, "wrong", "ch04_forget_gate", "test_forget_gate")


def test_emptied_test_cell_is_restored(course, gradebook):
    nb = _read(course / "submitted" / "wrong" / "ch06_cell_update" / "ch06_cell_update.ipynb")
    assert _cell(nb, "test_update_cell").source == "pass"  # handed in emptied
    grade = gradebook.find_grade("test_update_cell", "ch06_cell_update", "ch06_cell_update", "wrong")
    assert grade.score == 0
    assert "[misconception: tanh-on-cell-update]" in _output_text(course, "wrong", "ch06_cell_update",
                                                                 "test_update_cell")


def test_replaced_comparison_functions_do_not_pass_a_wrong_answer(course, gradebook):
    nb = _read(course / "submitted" / "wrong" / "ch07_output_gate" / "ch07_output_gate.ipynb")
    assert "np.testing.assert_allclose = lambda" in _cell(nb, "hidden_state").source
    grade = gradebook.find_grade("test_hidden_state", "ch07_output_gate", "ch07_output_gate", "wrong")
    assert grade.score == 0
    right = gradebook.find_grade("test_output_gate", "ch07_output_gate", "ch07_output_gate", "wrong")
    assert right.score == right.max_score


def test_validate_button_passes_a_completed_exercise_and_fails_an_untouched_one(tmp_path):
    """What the student's Validate button runs on ch06: nbgrader's Validator, with the
    configuration the button's server extension loads (``make lab`` serves from the course
    root, so its ``nbgrader_config.py``)."""
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader
    name = "ch06_cell_update"
    exercise = _read(ROOT / "exercises" / name / f"{name}.ipynb")
    solution = _read(ROOT / "solutions" / name / f"{name}.ipynb")
    untouched = tmp_path / "untouched" / f"{name}.ipynb"
    untouched.parent.mkdir()
    nbformat.write(exercise, untouched)
    # A student's finished notebook: the released one with every answer typed in
    # (the functions, the quiz answers and the written answer).
    for cell in solution.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            _cell(exercise, cell.metadata.nbgrader.grade_id).source = cell.source
    completed = tmp_path / "completed" / f"{name}.ipynb"
    completed.parent.mkdir()
    nbformat.write(exercise, completed)
    validator = Validator(config=PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config())
    assert not validator.validate(str(completed)).get("failed")
    failed = validator.validate(str(untouched))["failed"]
    assert failed and any("NotImplementedError" in f["error"] for f in failed)


# The server serves formgrader alone: the other extensions installed (JupyterLab and its
# helpers, nbgrader's student-side ones) serve nothing the instructor's grading page calls,
# and loading them costs the server about 2 CPU seconds.
FORMGRADER_ONLY = repr({name: name == "nbgrader.server_extensions.formgrader" for name in (
    "nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list",
    "jupyterlab", "notebook", "notebook_shim", "jupyter_lsp", "jupyter_server_terminals")})


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_manual_grade_entered_in_the_formgrader_reaches_the_gradebook_and_the_export(course):
    """The instructor's path for written answers: formgrader's HTTP API, then nbgrader export."""
    import csv
    import secrets
    import time
    import urllib.request

    from nbgrader.api import Gradebook
    # Student wrong's ch04 has a written answer (unchanged from the model answer, so it waits
    # for a person) and wrong answers, so its autograded score is neither 0 nor full.
    name, question, student = "ch04_forget_gate", "forget_gate_meaning", "wrong"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(question, name, name, student)
        grade_id, before = grade.id, gb.find_submission(name, student).score
        assert grade.needs_manual_grade and grade.manual_score is None and before > 0
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
         f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={course}", f"--ServerApp.jpserver_extensions={FORMGRADER_ONLY}"],
        cwd=course, env=tool_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"

    def call(method, path, body=None):
        req = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
    try:
        for _ in range(120):
            try:
                call("GET", "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError(f"jupyter server did not start: {server.stderr.read1().decode()}")
        entered = call("PUT", f"/formgrader/api/grade/{grade_id}", {"manual_score": 1.5})
        assert entered["manual_score"] == 1.5 and not entered["needs_manual_grade"]
        assert call("GET", f"/formgrader/api/grade/{grade_id}")["manual_score"] == 1.5
    finally:
        server.terminate()
        server.wait(timeout=30)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(name, student).score == before + 1.5
    _nbgrader(course, "export", "--to", str(course / "grades.csv"))
    with open(course / "grades.csv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["assignment"] == name and r["student_id"] == student]
    assert len(rows) == 1 and float(rows[0]["score"]) == before + 1.5, rows


# -- the Korean notebooks ------------------------------------------------------------------------

def _full_marks(gradebook, stem, name, student):
    notebook = gradebook.find_submission_notebook(stem, name, student)
    for grade in notebook.grades:
        if grade.cell.cell_type == "markdown":
            grade.manual_score = grade.max_score
    gradebook.db.commit()
    return notebook


@pytest.mark.parametrize("name", KOREAN)
def test_a_solved_korean_notebook_scores_full_marks(gradebook, name):
    korean = _full_marks(gradebook, f"{name}.ko", name, "solved_ko")
    failed = {g.name: (g.score, g.max_score) for g in korean.grades if g.score != g.max_score}
    assert not failed, f"{name}.ko: cells below full marks: {failed}"
    english = gradebook.find_submission_notebook(name, name, "solved_ko")
    assert english.score == 0  # not handed in
    assert korean.max_score == gradebook.find_submission_notebook(name, name, "solved").max_score
    assert {g.name for g in korean.grades} == {g.name for g in english.grades}


def test_a_wrong_korean_notebook_is_told_its_misconception_in_korean(course, gradebook, feedback):
    name, stem = "ch04_forget_gate", "ch04_forget_gate.ko"
    notebook = gradebook.find_submission_notebook(stem, name, "wrong_ko")
    scores = {g.name: g.score for g in notebook.grades if g.cell.cell_type == "code"}
    assert scores["test_forget_gate"] == 0 and scores["test_q_forget_bias"] > 0, scores
    text = _output_text(course, "wrong_ko", name, "test_forget_gate", stem)
    assert "[misconception: concat-order]" in text and "오개념: " in text and "연결 순서" in text, text
    # nbgrader restored the locked setup cell from the Korean source, language line included.
    setup = _cell(_read(course / "autograded" / "wrong_ko" / name / f"{stem}.ipynb"), "setup")
    assert setup.source.startswith('import os; os.environ["GBG_LANG"] = "ko"'), setup.source
    html = (feedback / "wrong_ko" / name / f"{stem}.html").read_text()
    assert "[misconception: concat-order]" in html and "오개념" in html


def test_an_untouched_korean_scaffold_names_its_first_blank_in_korean(course, gradebook):
    text = _output_text(course, "untouched_ko", "ch09_lstm_backward", "test_lstm_backward",
                        "ch09_lstm_backward.ko")
    assert "lstm_backward의 빈칸 3개 중 1번째가 아직 비어 있습니다" in text, text
    assert gradebook.find_submission("ch09_lstm_backward", "untouched_ko").score == 0
