"""Adversarial submissions get no undeserved point (real nbgrader, sandboxed).

Every case of the nbgrader notes' table, plus patching the checks and
reaching outside the working folder, in one run of the pipeline on
``solutions/ch06_cell_update``. Each answer is wrong or absent, so any point
would be undeserved.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"
WRONG = "return prev_c"


def _cases(source, outside: Path) -> dict:
    blank = syn.release_copy(source)

    def answer(body):
        return syn.with_answer(source, "update_cell", body)

    edited = answer(WRONG)
    syn.find_cell(edited, "test_update_cell").source = "print('all good')"
    stripped = answer(WRONG)
    del syn.find_cell(stripped, "test_update_cell").metadata["nbgrader"]
    stripped.cells[-1].source = "pass"
    deleted = answer(WRONG)
    deleted.cells = [c for c in deleted.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") != "test_update_cell"]
    return {
        "infinite-loop": (answer("while True:\n    pass"), "graded"),
        "catches-interrupt": (answer("while True:\n    try:\n        while True:\n            pass\n"
                                     "    except KeyboardInterrupt:\n        pass"), "timeout"),
        "edited-test": (edited, "graded"),
        "stripped-metadata": (stripped, "graded"),
        "deleted-test": (deleted, "graded"),
        "patch-allclose": (answer("import numpy\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
                                  "numpy.allclose = lambda *a, **k: True\n" + WRONG), "graded"),
        "replace-check": (answer("global check\ncheck = lambda *a, **k: print('ok')\n" + WRONG), "graded"),
        "calls-reference": (answer("from lstm_ref import update_cell as u\nreturn u(prev_c, f, i, c_tilde)"),
                            "graded"),
        "os-exit": (answer("import os\nos._exit(0)"), "failed"),
        "sys-exit": (answer("import sys\nsys.exit()"), "graded"),
        "reads-solutions": (answer(
            "import glob, json\n"
            "for p in glob.glob('../../../source/*/*.ipynb') + glob.glob('" + str(ROOT) + "/solutions/*/*.ipynb'):\n"
            "    for c in json.load(open(p))['cells']:\n"
            "        if 'def update_cell' in ''.join(c['source']):\n"
            "            exec(''.join(c['source']).replace('### ', '# '), globals())\n"
            "            return globals()['update_cell'](prev_c, f, i, c_tilde)\n" + WRONG), "graded"),
        "writes-outside": (answer(
            f"for p in ['{outside}', '../../../gradebook.db', '{ROOT}/pwned.txt']:\n"
            "    try:\n        open(p, 'w').write('pwned')\n    except OSError:\n        pass\n" + WRONG),
            "graded"),
        "untouched": (blank, "graded"),
        "corrupt": (b"\x00\x01 not json", "corrupt"),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    subs = tmp_path_factory.mktemp("adversarial")
    outside = tmp_path_factory.mktemp("outside") / "pwned.txt"
    cases = _cases(source, outside)
    for student, (content, _) in cases.items():
        syn.write_submission(subs, student, A, content)
    out = tmp_path_factory.mktemp("grading") / "run"
    assert main(["grade", str(subs), "--out", str(out), "--jobs", "2",
                 "--cell-timeout", "5", "--timeout", "40"]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return cases, rows, out, outside, None


def test_no_undeserved_points(graded):
    cases, rows, _, _, _ = graded
    assert sorted(rows) == sorted(cases)
    for student, (_, expected) in cases.items():
        row = rows[student]
        assert row["status"] == expected, (student, row)
        assert row["score"] in ("", "0"), (student, row)
        if expected != "graded":
            assert row["score"] == ""


def test_nothing_written_outside_the_sandbox(graded):
    _, _, out, outside, _ = graded
    assert not outside.exists()
    assert not (ROOT / "pwned.txt").exists()
    assert (out / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"


def test_integrity_flags_in_summary(graded):
    _, rows, out, _, _ = graded
    assert "kernel ignored the interrupt" in rows["catches-interrupt"]["detail"]
    assert "patches-comparison" in rows["patch-allclose"]["integrity_flags"]
    assert "uses-reference" in rows["calls-reference"]["integrity_flags"]
    assert "exits-kernel" in rows["os-exit"]["integrity_flags"]
    text = (out / "summary.txt").read_text()
    assert "patch-allclose/ch06_cell_update" in text
