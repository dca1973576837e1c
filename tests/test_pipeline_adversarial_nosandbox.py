"""``--no-sandbox`` keeps the same limits and the same values-only grading (real nbgrader).

One small run: a reference call, two children that want more memory than
the job has, a notebook that fills its working folder, and a correct answer
with a cell that reports the limits the kernel was started with.
"""
from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import limits
from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main
from lstm_grade.pipeline.scoring import grade_cells

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"
CELLS = grade_cells(ROOT / "solutions" / A / f"{A}.ipynb")
AUTO = sum(c.points for c in CELLS if not c.manual)          # a correct copy, before its written answer is graded
UPDATE = next(c.points for c in CELLS if c.grade_id == "test_update_cell")


def _cell_above(nb, code):
    k = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "update_cell")
    nb.cells.insert(k, nbformat.v4.new_code_cell(code))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    subs = tmp_path_factory.mktemp("nosandbox")
    syn.write_submission(subs, "calls-reference", A, syn.with_answer(
        source, "update_cell", "import lstm_ref\nreturn lstm_ref.update_cell(prev_c, f, i, c_tilde)"))
    syn.write_submission(subs, "reports-limits", A, _cell_above(syn.answered_copy(source), (
        "import resource, os\n"
        "print('RLIMIT_AS', resource.getrlimit(resource.RLIMIT_AS)[0])\n"
        "print('CGROUP', open('/proc/self/cgroup').read().replace(chr(10), ' '))\n"
        "print('CWD', os.getcwd())")))
    syn.write_submission(subs, "children-memory", A, _cell_above(syn.answered_copy(source), (
        "import subprocess, sys\n"
        "code = 'b = bytearray(900 << 20)\\nb[::4096] = b\"x\" * len(b[::4096])\\nimport time; time.sleep(3); print(\"held\")'\n"
        "procs = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE) for _ in range(2)]\n"
        "print('RESULT', sum(p.communicate()[0].strip() == b'held' for p in procs))")))
    syn.write_submission(subs, "fills-folder", A, _cell_above(syn.answered_copy(source), (
        "import time\n"
        "for k in range(40):\n"
        "    with open(f'junk{k}', 'wb') as f:\n"
        "        f.write(b'x' * (10 << 20))\n"
        "    time.sleep(0.1)\n")))
    out = tmp_path_factory.mktemp("grading") / "run"
    # One grading process: a second one's start-up (importing nbgrader, about 2 CPU s)
    # costs more than it saves on four notebooks.
    assert main(["grade", str(subs), "--out", str(out), "--jobs", "1", "--no-sandbox", "--memory", "1.5",
                 "--cell-timeout", "20", "--timeout", "120"]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return rows, out


def _printed(out: Path, student: str) -> str:
    nb = nbformat.read(out / "autograded" / student / A / f"{A}.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def _cell_score(out: Path, student: str, cell: str = "test_update_cell") -> float:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        return gb.find_grade(cell, A, A, student).score


def test_values_decide_without_a_sandbox_too(graded):
    rows, out = graded
    # The correct answer (beside its cell that prints the limits): every automatic point;
    # the written answer it kept waits for a person.
    good = rows["reports-limits"]
    assert good["status"] == ("needs_manual" if any(c.manual for c in CELLS) else "graded"), good
    assert good["score"] == f"{AUTO:g}", good
    assert rows["calls-reference"]["score"] == f"{AUTO - UPDATE:g}", rows["calls-reference"]
    assert _cell_score(out, "calls-reference") == 0
    assert "calls-reference" in rows["calls-reference"]["integrity_flags"].split()


def test_the_kernel_starts_inside_its_limits(graded):
    rows, out = graded
    text = _printed(out, "reports-limits")
    assert f"RLIMIT_AS {int(1.5 * (1 << 30))}" in text, text
    if limits.unavailable_reason() is None:
        assert "gbg/" in text.split("CGROUP")[1], text
    assert "/scratch" in text.split("CWD")[1]
    assert rows["reports-limits"]["score"] == f"{AUTO:g}"


def test_memory_is_limited_for_the_kernel_and_children_together(graded):
    rows, out = graded
    if limits.unavailable_reason() is not None:
        pytest.skip(limits.unavailable_reason())
    assert rows["children-memory"]["status"] == "failed" or "RESULT 2" not in _printed(out, "children-memory")


def test_files_written_are_limited_and_the_scratch_removed(graded):
    rows, out = graded
    row = rows["fills-folder"]
    assert row["status"] == "failed" and "wrote more than" in row["detail"], row
    for student in rows:
        assert not (out / "jobs" / A / student / "scratch").exists()
