"""A flat LMS download zip goes through nbgrader's ``zip_collect`` and grades
(real nbgrader, sandboxed); junk, strays and a path-traversal entry are
reported and skipped. A bad ``--lms-regex`` is refused before any work, and
``grade --help`` documents every status and flag.

The exports the LMS imports as they are: Canvas's gradebook CSV (the columns
of Canvas's own gradebook export, which its Grades > Import reads: Student,
ID, SIS User ID, SIS Login ID, Section, one column per assignment, then the
"Points Possible" row) and Moodle's grading worksheet (the columns its
offline-grading importer looks for: Identifier as "Participant <id>", Grade,
Last modified (grade), with Full name, Maximum Grade and Feedback comments).
Students are matched by the ids the download carried: Canvas's user id in
``<name>_<user id>_<file id>_<file>``, Moodle's participant id in
``<Full Name>_<id>_assignsubmission_file_``. One zip holds files named both
ways, so one grading run checks both exports.
"""
from __future__ import annotations

import copy
import csv
import shutil
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import export, lms
from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main
from lstm_grade.pipeline.scoring import grade_cells

ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"
CELLS = grade_cells(ROOT / "solutions" / A / f"{A}.ipynb")
MAX = f"{sum(c.points for c in CELLS):g}"
# The right notebook earns every automatic point; the wrong one all but update_cell's.
RIGHT = f"{sum(c.points for c in CELLS if not c.manual):g}"
WRONG = f"{sum(c.points for c in CELLS if not c.manual and c.grade_id != 'test_update_cell'):g}"


def _written_answer_as_released(nb):
    """The written answers left as released: nbgrader scores them 0 itself, so
    the row is final (a filled-in one waits for a person, and the LMS exports
    only final scores)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "YOUR ANSWER HERE"
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    source = _written_answer_as_released(source)
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
        # Moodle: a folder per student (its default), and a flat file.
        z.writestr(f"Jane Smith_555_assignsubmission_file_/{A}.ipynb", right)
        z.writestr(f"Kim Min-jun_777_assignsubmission_file_{A}.ipynb", wrong)
    out = work / "x" / "y" / "run"
    # One grading process: a second one's start-up (importing nbgrader, about 2 CPU s)
    # costs more than it saves on four notebooks.
    assert main(["grade", str(archive), "--out", str(out), "--jobs", "1",
                 "--cell-timeout", "30", "--timeout", "120"]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return rows, out


@pytest.mark.slow
def test_flat_lms_zip_grades(graded):
    rows, _ = graded
    assert sorted(rows) == ["doejohn", "jane-smith-555", "kim-min-jun-777", "smithjane"]
    assert rows["jane-smith-555"]["score"] == RIGHT and rows["kim-min-jun-777"]["score"] == WRONG
    assert rows["smithjane"]["status"] == "graded" and rows["smithjane"]["score"] == RIGHT
    assert rows["doejohn"]["status"] == "graded" and rows["doejohn"]["score"] == WRONG
    assert {r["max_score"] for r in rows.values()} == {MAX}
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
    from lstm_grade.pipeline import integrity
    for name in status.ALL + ("calls-reference",) + tuple(integrity.PATTERNS):
        assert f"\n  {name} " in text, name


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.slow
def test_canvas_gradebook_csv(graded):
    _, out = graded
    table = _read_csv(out / "canvas_grades.csv")
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert table[1] == ["    Points Possible", "", "", "", "", MAX]
    body = {r[0]: r for r in table[2:]}
    # Matched by the Canvas user id the file names carried (not the file id).
    assert body["smithjane"] == ["smithjane", "12345", "", "", "", RIGHT]
    assert body["doejohn"] == ["doejohn", "23456", "", "", "", WRONG]
    # Moodle's students have no Canvas id: Canvas could only match them by login.
    assert body["Jane Smith"][1:4] == ["", "", "jane-smith-555"]


@pytest.mark.slow
def test_moodle_grading_worksheet(graded):
    _, out = graded
    table = _read_csv(out / f"moodle_{A}.csv")
    assert table[0] == ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)",
                        "Feedback comments"]
    assert [r[:4] for r in table[1:]] == [["Participant 555", "Jane Smith", RIGHT, MAX],
                                          ["Participant 777", "Kim Min-jun", WRONG, MAX]]
    for row in table[1:]:
        time.strptime(row[4], export.MOODLE_TIME)   # a date Moodle reads
    assert table[2][5].startswith("misconceptions named: ")
    assert not (out / "moodle_ch04_forget_gate.csv").exists()


def test_only_final_scores_are_exported(tmp_path):
    """Rows without a final score are blank in Canvas and absent in Moodle."""
    from lstm_grade.pipeline import scoring, status
    cells = {A: [scoring.GradeCell("test_update_cell", 3.0, False)]}
    rows = [scoring.Row("ann-1", A, status.GRADED, 3.0, 3.0, 0.0, {}, [], [], ""),
            scoring.Row("bo-2", A, status.TIMEOUT, None, 3.0, 0.0, {}, [], [], "stopped"),
            scoring.Row("cy-3", A, status.NEEDS_MANUAL, 1.0, 3.0, 2.0, {}, [], [], "")]
    ids = {"ann-1": lms.LmsId("moodle", "1", "Ann"), "bo-2": lms.LmsId("moodle", "2", "Bo"),
           "cy-3": lms.LmsId("canvas", "33", "cy")}
    paths = export.write_lms(rows, cells, ids, tmp_path)
    assert [p.name for p in paths] == ["canvas_grades.csv", f"moodle_{A}.csv"]
    canvas = {r[0]: r for r in _read_csv(tmp_path / "canvas_grades.csv")[2:]}
    assert canvas["Ann"][5] == "3" and canvas["Bo"][5] == "" and canvas["cy"] == ["cy", "33", "", "", "", ""]
    moodle = _read_csv(tmp_path / f"moodle_{A}.csv")
    assert [r[0] for r in moodle[1:]] == ["Participant 1"]


def test_moodle_names_normalised(tmp_path):
    (tmp_path / "Jane Smith_555_assignsubmission_file_").mkdir()
    (tmp_path / "Jane Smith_555_assignsubmission_file_" / f"{A}.ipynb").write_text("{}")
    (tmp_path / f"Kim Min-jun_777_assignsubmission_file_{A}.ipynb").write_text("{}")
    (tmp_path / f"smithjane_12345_67890_{A}.ipynb").write_text("{}")
    ids = lms.normalise_moodle(tmp_path)
    ids.update(lms.read_ids(tmp_path))
    assert ids == {"jane-smith-555": lms.LmsId("moodle", "555", "Jane Smith"),
                   "kim-min-jun-777": lms.LmsId("moodle", "777", "Kim Min-jun"),
                   "smithjane": lms.LmsId("canvas", "12345", "smithjane")}
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"jane-smith-555_555_0_{A}.ipynb", f"kim-min-jun-777_777_0_{A}.ipynb",
                     f"smithjane_12345_67890_{A}.ipynb"]
    pattern = lms.check_regex(lms.default_regex([A]))
    assert [pattern.match(n).group("student_id") for n in names] == [
        "jane-smith-555", "kim-min-jun-777", "smithjane"]
