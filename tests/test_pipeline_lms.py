"""A flat LMS download zip goes through nbgrader's ``zip_collect`` and grades
(real nbgrader, sandboxed); junk, strays and a path-traversal entry are
reported and skipped. A bad ``--lms-regex`` is refused before any work, and
``grade --help`` documents every status and flag."""
from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import lms
from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    right = nbformat.writes(syn.answered_copy(source))
    wrong = nbformat.writes(syn.with_answer(source, "update_cell", "return i * prev_c + f * c_tilde"))
    work = tmp_path_factory.mktemp("lms")
    archive = work / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as z:   # as Canvas names the files
        z.writestr(f"smithjane_12345_67890_{A}.ipynb", right)
        z.writestr(f"doejohn_LATE_23456_78901_{A}-1.ipynb", wrong)
        z.writestr("readme.txt", "downloaded from the LMS")
        z.writestr(f"__MACOSX/._smithjane_12345_67890_{A}.ipynb", b"\x00junk")
        z.writestr(f"../../mallory_1_2_{A}.ipynb", right)
    out = work / "x" / "y" / "run"
    assert main(["grade", str(archive), "--out", str(out), "--jobs", "2",
                 "--cell-timeout", "30", "--timeout", "120"]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return rows, out


@pytest.mark.slow
def test_flat_lms_zip_grades(graded):
    rows, _ = graded
    assert sorted(rows) == ["doejohn", "smithjane"]
    assert rows["smithjane"]["status"] == "graded" and rows["smithjane"]["score"] == "3"
    assert rows["doejohn"]["status"] == "graded" and rows["doejohn"]["score"] == "0"
    assert rows["doejohn"]["misconceptions"]


@pytest.mark.slow
def test_flat_lms_zip_strays_reported(graded):
    _, out = graded
    assert not any(p.name.startswith("mallory") for p in out.parent.parent.rglob("*.ipynb"))
    text = (out / "summary.txt").read_text()
    assert f"../../mallory_1_2_{A}.ipynb: unexpected: zip entry skipped: its path leads outside" in text
    assert "readme.txt: unexpected: file name matches no" in text
    assert f"__MACOSX/._smithjane_12345_67890_{A}.ipynb: unexpected: zip entry skipped" in text


def test_default_regex_reads_lms_names():
    pattern = lms.check_regex(lms.default_regex([A, "ch01_rnn"]))
    for name, student, assignment in [(f"smithjane_12345_67890_{A}.ipynb", "smithjane", A),
                                      (f"doejohn_LATE_2_3_{A}-1.ipynb", "doejohn", A),
                                      ("ann-lee_9_ch01_rnn.ipynb", "ann-lee", "ch01_rnn")]:
        m = pattern.match(name)
        assert m and (m.group("student_id"), m.group("assignment")) == (student, assignment), name
    assert pattern.match(f"{A}.ipynb") is None and pattern.match("smithjane_1_2_ch99.ipynb") is None


@pytest.mark.parametrize("regex, words", [
    (r"^(?P<student_id>\w+)\.ipynb$", "missing assignment"),
    (r"(?P<student_id>", "not a regular expression"),
])
def test_bad_lms_regex_refused(tmp_path, capsys, regex, words):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"smithjane_1_2_{A}.ipynb", "{}")
    assert main(["grade", str(archive), "--out", str(tmp_path / "out"), "--lms-regex", regex,
                 "--no-sandbox"]) == 2
    err = capsys.readouterr().err
    assert "lms-regex" in err and words in err, err
    assert not (tmp_path / "out" / "gradebook.db").exists()


def test_help_documents_every_status(capsys):
    from lstm_grade.pipeline import status
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    text = capsys.readouterr().out
    for name in status.ALL + ("recheck-failed", "recheck-incomplete"):
        assert f"\n  {name} " in text, name
