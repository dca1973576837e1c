"""Grading by values: the plan, the wire, the trusted judgement and the student view,
without nbgrader (``trusted``, ``wire``, ``kernel_export``, ``checks._replay``,
``student_view``). The real runs are in tests/test_pipeline_adversarial.py."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

import lstm_ref
from lstm_grade.checks import _replay
from lstm_grade.checks._specs import SPECS
from lstm_grade.pipeline import kernel_export, student_view, trusted, wire

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())
SALT = "a-test-salt"


def _source(assignment: str):
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def _answers(ns: dict, calls: list) -> dict:
    """What the kernel would print, parsed back: through JSON, as over the wire."""
    return {c["key"]: json.loads(json.dumps(kernel_export._call(ns, json.loads(json.dumps(c))))) for c in calls}


def _solution_answers(assignment: str, plan) -> dict:
    """Every code cell of the solution notebook run as the grading kernel would (no magics
    here), the grader's calls made just before each test cell."""
    ns, answers = {"__name__": "__main__"}, {}
    for cell in _source(assignment).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in plan.captures:
            answers.update(_answers(ns, plan.captures[meta["grade_id"]]))
        if cell.cell_type != "code" or (meta.get("grade") and not meta.get("solution")) or "lstm_viz" in cell.source:
            continue
        exec(compile(cell.source, "<cell>", "exec"), ns)
    return answers


def test_plan_reads_the_real_test_cells():
    ch09 = trusted.assignment_plan(_source("ch09_lstm_backward"), SALT)
    assert ch09.tests["test_lstm_backward"] == [["check", "lstm_backward", "lstm_backward"]]
    assert ch09.tests["test_numerical_gradients"] == "cell" and ch09.in_kernel == []
    # The setup cell imports lstm_forward: it stays; the graded backward passes are hidden.
    assert "lstm_forward" not in ch09.hidden and {"lstm_backward", "lstm_step_backward"} <= set(ch09.hidden)
    ch04 = trusted.assignment_plan(_source("ch04_forget_gate"), SALT)
    assert {"forget_gate", "gate"} <= set(ch04.hidden) and "sigmoid" not in ch04.hidden
    assert ch04.skip_sources and all("lstm_viz.widgets" in s for s in ch04.skip_sources)
    assert "sigmoid" in trusted.assignment_plan(_source("ch03_gates"), SALT).hidden


@pytest.mark.parametrize("source, expected", [
    ('check("a", f);\n### BEGIN HIDDEN TESTS\ncheck("a", f, hidden=True);\n### END HIDDEN TESTS',
     [("check", "a", "f")]),
    ('check_answer("q", q);\n### BEGIN HIDDEN TESTS\nfrom lstm_grade.checks.quiz import check_answer as _check_answer\n'
     '_check_answer("q", q);\n### END HIDDEN TESTS', [("check_answer", "q", "q")]),
    ('check("a", f)\nprint(1)', None),
    ('assert x == 1', None),
    ('check(name, f)', None),
    ('check("a", f(1))', None),
    ('', None),
])
def test_check_calls(source, expected):
    assert trusted.check_calls(source) == expected


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_is_judged_right(assignment):
    """A false alarm would take points from a correct student: none allowed."""
    plan = trusted.assignment_plan(_source(assignment), SALT)
    answers = _solution_answers(assignment, plan)
    for grade_id, calls in plan.tests.items():
        if calls == "cell":
            verdicts = [_replay.CELL_JUDGES[grade_id].judge(SALT, answers)]
        else:
            verdicts = [_replay.judge(name, SALT, answers) if checker == "check"
                        else _replay.judge_quiz(name, answers) for checker, name, _ in calls]
        assert all(v.passed for v in verdicts), (grade_id, verdicts)


def test_a_wrong_answer_is_named_by_its_misconception():
    plan = _replay.plan("update_cell", "update_cell", SALT)
    wrong = {"update_cell": lambda prev_c, f, i, c_tilde: prev_c + i * c_tilde}
    verdict = _replay.judge("update_cell", SALT, _answers(wrong, plan))
    assert not verdict.passed and verdict.misconceptions == ("missing-forget-gate",), verdict


def test_the_same_salt_gives_the_same_cases_and_another_salt_others():
    assert _replay.plan("lstm_forward", "f", SALT) == _replay.plan("lstm_forward", "f", SALT)
    assert _replay.plan("lstm_forward", "f", SALT) != _replay.plan("lstm_forward", "f", SALT + "!")


def test_borderline_float32_gets_the_same_verdict_every_time():
    """The cases come from the salt alone, so a judgement is a function of the answer."""
    def rough(prev_h, x, W_f, b_f):  # float32 arithmetic all the way, an honest but lossy formula
        z = (np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f).astype(np.float32)
        return (np.float32(0.5) * (np.float32(1) + np.tanh(z / np.float32(2)))).astype(x.dtype)
    plan = _replay.plan("forget_gate", "forget_gate", SALT)
    verdicts = {_replay.judge("forget_gate", SALT, _answers({"forget_gate": rough}, plan)) for _ in range(3)}
    assert len(verdicts) == 1 and verdicts.pop().passed


class _Liar:
    """Claims to be the expected array when converted (the ``__array__`` cheat)."""
    def __array__(self, *a, **k):
        raise AssertionError("the trusted side must never convert a kernel object")


def test_the_wire_carries_no_objects():
    memo: dict = {}
    sent = wire.encode([_Liar(), np.zeros(2, dtype=object), {"k": np.ones(3)}, (1, 2.5, None)], memo)
    back = wire.decode(json.loads(json.dumps(sent)))
    assert isinstance(back[0], wire.Opaque) and back[0].type_name == "_Liar"
    assert isinstance(back[1], wire.Opaque)
    assert np.array_equal(back[2]["k"], np.ones(3)) and back[3] == [1, 2.5, None]
    forged = {"array": "object", "shape": [1], "bytes": "gASVAAAAAAAAAAA="}
    assert isinstance(wire.decode(forged), wire.Opaque)
    assert isinstance(wire.decode({"array": "float64", "shape": [3], "bytes": "AAAA"}), wire.Opaque)


def test_an_answer_returning_an_object_is_wrong_not_converted():
    plan = _replay.plan("forget_gate", "forget_gate", SALT)
    verdict = _replay.judge("forget_gate", SALT, _answers({"forget_gate": lambda *a: _Liar()}, plan))
    assert not verdict.passed and "got _Liar" in verdict.message


def test_missing_answers_score_nothing_and_say_why():
    verdict = _replay.judge("forget_gate", SALT, {})
    assert not verdict.passed and "gave no answer" in verdict.message


@pytest.mark.slow
def test_every_compared_reference_is_hidden_in_the_view(tmp_path):
    """Each reference function a check compares against raises in the grading kernel
    of every assignment that grades it (and the course's helpers still work)."""
    for assignment in ASSIGNMENTS:
        plan = trusted.assignment_plan(_source(assignment), SALT)
        view = student_view.build(tmp_path, assignment, plan.hidden, plan.graded)
        in_ref = [n for n in plan.hidden if hasattr(lstm_ref, n)]
        code = ("import inspect, lstm_ref, sys\n"
                "assert lstm_ref.__file__.startswith(sys.argv[1]), lstm_ref.__file__\n"
                "bad = []\n"
                "for n in sys.argv[2:]:\n"
                "    f = getattr(lstm_ref, n)\n"
                "    k = sum(p.default is p.empty for p in inspect.signature(f).parameters.values())\n"
                "    try:\n        f(*[None] * k)\n"
                "    except Exception as e:\n"
                "        bad += [] if type(e).__name__ == 'ReferenceHidden' else [n]\n"
                "    else:\n        bad.append(n)\n"
                "assert not bad, bad\n"
                "import numpy as np\n"
                "assert lstm_ref.rel_error(np.ones(2), np.ones(2)) == 0\n"
                "from lstm_grade.checks import check\n"
                "check('x', print)\n"
                "import lstm_grade.pipeline.kernel_export\n")
        done = subprocess.run([sys.executable, "-c", code, str(view), *in_ref], capture_output=True, text=True,
                              cwd=tmp_path, env={"PYTHONPATH": str(view), "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, (assignment, done.stderr[-2000:])
        assert "graded outside the notebook" in done.stdout
        for name in plan.graded:
            if hasattr(lstm_ref, name):
                assert name in plan.hidden, (assignment, name)
