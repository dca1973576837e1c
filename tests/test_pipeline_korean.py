"""``make grade`` on a class that mixes English and Korean submissions (real pipeline, real nbgrader).

Five students hand in chapter 4, some in English (``ch04_forget_gate.ipynb``),
some in Korean (``ch04_forget_gate.ko.ipynb``), one with both notebooks in
the folder (the released English one untouched, the Korean one worked).
One run of ``python -m lstm_grade grade`` must give one ``grades.csv`` with
one row per student, the maximum counted once, the same scores for the same
work in either language, the misconception counted across both languages,
and feedback in the language of the notebook handed in. The same run grades
the ch06 class of tests/test_pipeline_class.py (``pipeline_shared``): only
this assignment's rows are read here.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import pipeline_shared as shared
from lstm_grade.pipeline.scoring import grade_cells

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = shared.A4
KO = shared.KO
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CELLS = grade_cells(ROOT / "solutions" / A / f"{A}.ipynb")
MAX = sum(c.points for c in CELLS)
WRITTEN = sum(c.points for c in CELLS if c.manual)
GATE = next(c.points for c in CELLS if c.grade_id == "test_forget_gate")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    out = shared.graded_class(tmp_path_factory)
    return shared.class_rows(out, A, shared.KOREAN), out


def test_one_csv_row_per_student_whichever_language(graded):
    rows, _ = graded
    by_student = {r["student"]: r for r in rows}
    assert len(rows) == 5 and sorted(by_student) == ["en_ok", "en_wrong", "ko_both", "ko_ok", "ko_wrong"]
    expected = {"en_ok": MAX - WRITTEN, "ko_ok": MAX - WRITTEN, "ko_both": MAX - WRITTEN,
                "en_wrong": MAX - WRITTEN - GATE, "ko_wrong": MAX - WRITTEN - GATE}
    for student, row in by_student.items():
        assert row["assignment"] == A
        assert row["max_score"] == f"{MAX:g}", row          # counted once, not once per language
        assert row["score"] == f"{expected[student]:g}", row
        assert row["status"] == "needs_manual", row          # the written answer waits for a person


def test_the_misconception_is_counted_across_both_languages(graded):
    rows, out = graded
    for r in rows:
        assert ("concat-order" in r["misconceptions"].split()) == r["student"].endswith("wrong"), r
    summary = json.loads((out / "summary.json").read_text())
    counts = {m["id"]: m["submissions"] for m in summary["misconceptions"]}
    assert counts["concat-order"] == 2
    assert re.search(r"^\s+2\s+concat-order\b", (out / "summary.txt").read_text(), re.M)


def test_feedback_is_in_the_language_of_the_notebook(graded):
    _, out = graded
    ko_html = (out / "feedback" / "ko_wrong" / A / f"{A}.ko.html").read_text()
    assert "[misconception: concat-order]" in ko_html
    assert "오개념: " in ko_html and "  실행: N=" in ko_html
    ok_html = (out / "feedback" / "ko_ok" / A / f"{A}.ko.html").read_text()
    assert re.search(r"✔ forget_gate: 채점 경우 \d+개 통과\(노트북 밖에서 판정함\)", ok_html)
    en_html = (out / "feedback" / "en_wrong" / A / f"{A}.html").read_text()
    assert "[misconception: concat-order]" in en_html and not HANGUL.search(en_html)
    assert sorted(p.name for p in (out / "feedback" / "ko_both" / A).glob("*.html")) == [f"{A}.ko.html"]


def test_report_links_the_korean_notebooks(graded):
    _, out = graded
    page = (out / "report.html").read_text()
    assert f'href="submitted/ko_wrong/{A}/{KO}"' in page
    assert f'href="feedback/ko_wrong/{A}/{A}.ko.html"' in page
    assert "ko_both" in (out / "summary.txt").read_text()  # both notebooks handed in: said which was graded


def test_an_lms_file_name_may_end_ko_ipynb():
    from lstm_grade.pipeline.lms import default_regex
    pattern = re.compile(default_regex([A, "ch01_rnn"]))
    m = pattern.match(f"smithjane_LATE_12345_67890_{A}.ko-1.ipynb")
    assert m and (m["student_id"], m["assignment"], m["language"]) == ("smithjane", A, ".ko")
    m = pattern.match("smithjane_12345_67890_ch01_rnn.ipynb")
    assert m and m["assignment"] == "ch01_rnn" and m["language"] is None


def test_which_notebook_of_a_folder_is_graded(tmp_path):
    import os
    from lstm_grade.pipeline import language
    release, folder = tmp_path / "release", tmp_path / "sub"
    for where in (release, folder):
        where.mkdir()
        for name in (f"{A}.ipynb", KO):
            nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), where / name)
    assert language.handed_in(folder, A) == [folder / f"{A}.ipynb", folder / KO]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 2")]), folder / KO)
    assert language.choose(language.handed_in(folder, A), release)[0] == folder / KO
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 3")]), folder / f"{A}.ipynb")
    os.utime(folder / KO, (1, 1))  # both changed: the one saved last
    chosen, why = language.choose(language.handed_in(folder, A), release)
    assert chosen == folder / f"{A}.ipynb" and "saved last" in why
    assert language.notebook_language(folder / KO, A) == "ko"
    with pytest.raises(ValueError, match="not a notebook of"):
        language.notebook_language(folder / "other.ipynb", A)
