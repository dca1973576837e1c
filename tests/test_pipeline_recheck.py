"""The out-of-process re-check agrees with the checks on every real solution,
and its plan reads the real test cells (``recheck``, ``recheck_kernel``)."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import recheck, sandbox
from lstm_grade.pipeline import synthetic as syn

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "solutions").iterdir()
                     if (p / f"{p.name}.ipynb").is_file())


def _source(assignment: str):
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def test_plan_reads_check_cells_only():
    ch09 = recheck.plan(_source("ch09_lstm_backward"))
    assert ch09.tests["test_lstm_backward"] == [("lstm_backward", "lstm_backward")]
    # An assert on notebook variables cannot be re-run from the answers alone.
    assert "test_numerical_gradients" not in ch09.tests
    assert any("from lstm_grade.checks import check" in s for s in ch09.setup)
    ch11 = recheck.plan(_source("ch11_training"))
    assert "test_training_accuracy" not in ch11.tests and "test_sample_next" in ch11.tests


@pytest.mark.parametrize("source, expected", [
    ('check("a", f);\n### BEGIN HIDDEN TESTS\ncheck("a", f, hidden=True);\n### END HIDDEN TESTS', [("a", "f")]),
    ('check("a", f)\nprint(1)', None),
    ('assert x == 1', None),
    ('check(name, f)', None),
    ('check("a", f(1))', None),
    ('', None),
])
def test_check_calls(source, expected):
    assert recheck._check_calls(source) == expected


def _spec(tmp_path: Path) -> sandbox.SandboxSpec:
    use = sandbox.bwrap_path() is not None
    folder = tmp_path / "recheck"
    (tmp_path / "ipc").mkdir(exist_ok=True)
    return recheck.recheck_spec(sandbox.SandboxSpec(
        sandbox=use, workdir="", scratch="", ipc_dir=str(tmp_path / "ipc"),
        hidden=(str(ROOT / "solutions"),), log_path=str(tmp_path / "kernel.log"),
        memory_bytes=4 << 30, file_bytes=100 << 20), folder)


def _scores(source) -> dict:
    return {g: 1.0 for g in recheck.plan(source).tests}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_correct_answers_keep_their_points(assignment, tmp_path):
    """A false alarm would take points from a correct student: none allowed."""
    source = _source(assignment)
    verdict = recheck.verify(source, syn.answered_copy(source), _scores(source), _spec(tmp_path),
                             120.0, str(tmp_path / "recheck.log"))
    assert verdict == recheck.Verdict([], [], []), (verdict, (tmp_path / "recheck.log").read_text())


@pytest.mark.slow
def test_wrong_or_missing_answers_lose_their_points(tmp_path):
    source = _source("ch05_input_gate")
    nb = syn.with_answer(source, "input_gate", "return np.zeros((x.shape[0], b_i.shape[0]))")
    syn.find_cell(nb, "candidate").source = "import sys\nsys.exit()"
    verdict = recheck.verify(source, nb, _scores(source), _spec(tmp_path), 120.0,
                             str(tmp_path / "recheck.log"))
    assert verdict.withdrawn == ["test_input_gate", "test_candidate"]
    assert verdict.flags == [recheck.FAILED]
    assert "SystemExit" in verdict.notes[1], verdict.notes


@pytest.mark.slow
def test_a_process_that_never_answers_is_incomplete(tmp_path):
    source = _source("ch06_cell_update")
    nb = syn.answered_copy(source)
    syn.find_cell(nb, "update_cell").source += "\nimport os\nos._exit(0)"
    verdict = recheck.verify(source, nb, _scores(source), _spec(tmp_path), 120.0,
                             str(tmp_path / "recheck.log"))
    assert verdict.withdrawn == ["test_update_cell"] and verdict.flags == [recheck.INCOMPLETE]


def test_no_points_no_process(tmp_path):
    source = _source("ch06_cell_update")
    spec = _spec(tmp_path)._replace(workdir="/nonexistent")  # would fail if a process started
    assert recheck.verify(source, syn.release_copy(source), {"test_update_cell": 0.0}, spec, 5.0,
                          str(tmp_path / "log")) == recheck.Verdict([], [], [])


def test_forged_result_lines_are_not_trusted(tmp_path, monkeypatch):
    """A line that does not carry the nonce, or two that do, give no verdict of success."""
    calls = []

    def fake(spec, command, stdin, timeout, log_path):
        import json
        nonce = json.loads(stdin)["nonce"]
        calls.append(nonce)
        ok = '{"update_cell update_cell": {"ok": true, "message": ""}}'
        return 0, {1: f"deadbeef {ok}\n", 2: f"{nonce} {ok}\n{nonce} {ok}\n"}[len(calls)]

    monkeypatch.setattr(sandbox, "run_sandboxed", fake)
    source = _source("ch06_cell_update")
    for _ in range(2):
        verdict = recheck.verify(source, syn.answered_copy(source), _scores(source),
                                 _spec(tmp_path), 5.0, str(tmp_path / "log"))
        assert verdict.flags == [recheck.INCOMPLETE]
    assert len(set(calls)) == 2  # a fresh nonce each time


@pytest.mark.slow
def test_unsandboxed_recheck_also_runs(tmp_path):
    """``--no-sandbox`` runs the same clean process without bubblewrap."""
    source = _source("ch06_cell_update")
    spec = _spec(tmp_path)._replace(sandbox=False)
    right = recheck.verify(source, syn.answered_copy(source), _scores(source), spec, 120.0,
                           str(tmp_path / "log"))
    wrong = recheck.verify(source, syn.with_answer(source, "update_cell", "return prev_c"),
                           _scores(source), spec, 120.0, str(tmp_path / "log"))
    assert right.withdrawn == [] and wrong.withdrawn == ["test_update_cell"]
