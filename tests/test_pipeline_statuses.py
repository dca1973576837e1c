"""Timeouts, an endless loop stopped by the per-cell limit, written answers
left for a person, a notebook that blanks its test cells, a folder-layout
zip with junk in it, and the class report in Chromium: one run of the real
pipeline (nbgrader, bubblewrap) on ``ch04_forget_gate`` and
``ch06_cell_update``."""
from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest

from chromium import CHROMIUM, CHROMIUM_ARGS, MISSING
from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main
from lstm_grade.pipeline.scoring import grade_cells


pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A4, A6 = "ch04_forget_gate", "ch06_cell_update"
# Seconds per notebook and per cell. A smaller wall-clock limit (15 s) made
# honest notebooks time out on a loaded 2-core machine, so the limit stays at
# 30 s; instead the two notebooks that must run into a limit are named to be
# graded first ("a-..."), one on each worker, and the other jobs' work
# overlaps their waiting instead of following it.
WALL, CELL = 30, 5
SLEEPER, STUBBORN = "a-sleeper", "a-stubborn"
# The classic endless loop: it spins, as a student's does, and so burns a core until the
# per-cell limit interrupts it (here rather than in test_pipeline_adversarial, whose limit is 20 s).
SPINNER = "spinner"


def _cells(a: str):
    return grade_cells(ROOT / "solutions" / a / f"{a}.ipynb")


def _pts(points: float) -> str:
    """Points as grades.csv writes them."""
    return f"{points:g}"


def _max(a: str) -> float:
    return sum(c.points for c in _cells(a))


def _auto(a: str) -> float:
    """What a correct submission earns before a person grades its written answers."""
    return sum(c.points for c in _cells(a) if not c.manual)


def _written(a: str) -> float:
    return sum(c.points for c in _cells(a) if c.manual)


def _points(a: str, grade_id: str) -> float:
    return next(c.points for c in _cells(a) if c.grade_id == grade_id)


def _auto_before(a: str, grade_id: str) -> float:
    """The automatic points of the graded cells that come before ``grade_id``."""
    ids = [c.grade_id for c in _cells(a)]
    return sum(c.points for c in _cells(a)[:ids.index(grade_id)] if not c.manual)


def _source(a: str):
    return nbformat.read(ROOT / "solutions" / a / f"{a}.ipynb", as_version=4)


def _sleeps_in_many_cells(source):
    """Eight cells of 4 s: each within the per-cell limit, the notebook beyond the wall clock."""
    nb = syn.answered_copy(source)
    for _ in range(8):
        nb.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(4)"))
    return nb


def _blanks_test_cells(source):
    """Wrong answer, plus an IPython input transformer that empties every later
    cell: the kernel's checks never run (in-kernel grading gave full marks)."""
    nb = syn.with_answer(source, "update_cell", "return prev_c")
    cell = syn.find_cell(nb, "update_cell")
    cell.source = "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n" + cell.source
    return nb


def _build_zip(folder: Path, path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, "class/" + str(p.relative_to(folder)))
        z.writestr("__MACOSX/class/good/._ch06_cell_update.ipynb", b"\x00junk")
        z.writestr("class/.DS_Store", b"\x00junk")
        z.writestr("class/notes.txt", "grading notes")
        z.writestr("../../evil.ipynb", "{}")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    s4, s6 = _source(A4), _source(A6)
    folder = tmp_path_factory.mktemp("class")
    syn.write_submission(folder, "good", A4, syn.answered_copy(s4))
    syn.write_submission(folder, "good", A6, syn.answered_copy(s6))
    syn.write_submission(folder, "blank", A4, syn.release_copy(s4))
    syn.write_submission(folder, "blanker", A6, _blanks_test_cells(s6))
    syn.write_submission(folder, SLEEPER, A6, _sleeps_in_many_cells(s6))
    # An endless loop that swallows the interrupt; it sleeps rather than spins, so it waits
    # out the limits without taking a core from the other jobs.
    syn.write_submission(folder, STUBBORN, A6, syn.with_answer(
        s6, "update_cell", "import time\nwhile True:\n    try:\n        while True:\n            time.sleep(0.05)\n"
                           "    except KeyboardInterrupt:\n        pass"))
    syn.write_submission(folder, SPINNER, A6, syn.with_answer(s6, "update_cell", "while True:\n    pass"))
    work = tmp_path_factory.mktemp("zipped")
    archive = work / "download.zip"
    _build_zip(folder, archive)
    out = work / "a" / "b" / "run"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["grade", str(archive), "--out", str(out), "--jobs", "2",
                     "--cell-timeout", str(CELL), "--timeout", str(WALL)]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {(r["student"], r["assignment"]): r for r in csv.DictReader(f)}
    return rows, out, printed.getvalue()


def test_timeouts_have_no_score(graded):
    rows, _, _ = graded
    sleeper, stubborn = rows[SLEEPER, A6], rows[STUBBORN, A6]
    for row in (sleeper, stubborn):
        assert row["status"] == "timeout", row
        assert row["score"] == "" and row["max_score"] == _pts(_max(A6)), row
    assert f"stopped after {WALL} s" in sleeper["detail"]
    assert "ignored the interrupt" in stubborn["detail"]


def test_an_endless_loop_is_interrupted_and_the_rest_graded(graded):
    """The spinning loop, called by the grader's cell, is interrupted at the per-cell limit:
    its test cell scores nothing and says why, and the notebook's other cells are graded."""
    import json
    from nbgrader.api import Gradebook
    rows, out, _ = graded
    row = rows[SPINNER, A6]
    assert row["status"] == "needs_manual", row   # it ran to the end; its written answer waits
    assert row["score"] == _pts(_auto(A6) - _points(A6, "test_update_cell")), row
    verdicts = json.loads((out / "jobs" / A6 / SPINNER / "verdicts.json").read_text())
    assert "raised KeyboardInterrupt" in verdicts["test_update_cell"]["messages"][0], verdicts
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert gb.find_grade("test_update_cell", A6, A6, SPINNER).score == 0


def test_timeouts_left_no_process_behind(graded):
    """The killed workers took their sandboxed kernels with them."""
    _, out, _ = graded
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert str(out) not in ps


def test_the_others_were_graded(graded):
    rows, _, _ = graded
    # Every automatic point; the written answer waits for a person.
    good = rows["good", A6]
    assert good["status"] == "needs_manual" and good["score"] == _pts(_auto(A6)), good
    assert good["pending_manual"] == _pts(_written(A6)), good
    assert rows["blank", A4]["status"] == "graded" and rows["blank", A4]["score"] == "0"
    # nbgrader scores an untouched written answer 0 itself: nothing pending.
    assert rows["blank", A4]["pending_manual"] == "0"


def test_written_answer_pending(graded):
    rows, _, _ = graded
    row = rows["good", A4]
    assert row["status"] == "needs_manual", row
    assert (row["score"], row["max_score"], row["pending_manual"]) == (
        _pts(_auto(A4)), _pts(_max(A4)), _pts(_written(A4)))
    assert "still to grade by hand" in row["detail"]


def test_formgrader_sees_the_pending_grade(graded):
    from nbgrader.api import Gradebook
    _, out, _ = graded
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        written = gb.find_grade("forget_gate_meaning", A4, A4, "good")
        assert written.needs_manual_grade and written.manual_score is None
        assert gb.find_grade("test_forget_gate", A4, A4, "good").auto_score == 3
        pending = {s["student"]: s["needs_manual_grade"] for s in gb.submission_dicts(A4)}
        assert pending == {"good": True, "blank": False}


def test_blanked_grader_cells_score_zero_and_the_detail_says_why(graded):
    """Grading by values: no values computed, no points, whatever the kernel
    printed, and the row's detail names the cells that handed back nothing."""
    from nbgrader.api import Gradebook
    rows, out, _ = graded
    row = rows["blanker", A6]
    # The cells before the transformer keep their points; from test_update_cell on, none.
    assert row["score"] == _pts(_auto_before(A6, "test_update_cell")), row
    silent = re.search(r"the grading kernel handed back no values for ([\w, ]+?) \(", row["detail"])
    assert silent and "test_update_cell" in silent.group(1).split(", "), row["detail"]
    ids = [c.grade_id for c in _cells(A6)]
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for cell in _cells(A6)[ids.index("test_update_cell"):]:
            if not cell.manual:
                assert gb.find_grade(cell.grade_id, A6, A6, "blanker").score == 0, cell
    # Correct work keeps its points and raises no flag.
    assert rows["good", A6]["score"] == _pts(_auto(A6)) and rows["good", A6]["integrity_flags"] == ""


def test_zip_junk_and_traversal_reported_and_skipped(graded):
    _, out, _ = graded
    assert not (out.parent / "evil.ipynb").exists() and not (out.parent.parent / "evil.ipynb").exists()
    text = (out / "summary.txt").read_text()
    assert "../../evil.ipynb: unexpected: zip entry skipped: its path leads outside" in text
    assert "__MACOSX/class/good/._ch06_cell_update.ipynb: unexpected: zip entry skipped" in text
    assert "notes.txt: unexpected: a file at the top level" in text


def test_run_says_where_everything_is(graded):
    rows, out, printed = graded
    assert f"Outputs in {out}/" in printed
    # How the limits held (the job's cgroup, or the per-process fallback and why).
    held = re.findall(r"^Limits \((\d+) notebooks\): (cgroup: |no cgroup \()", printed, re.M)
    ran = [k for k, r in rows.items() if r["status"] in ("graded", "needs_manual")]
    assert held and sum(int(n) for n, _ in held) == len(ran), printed   # every notebook that ran to the end
    for name in ("grades.csv", "summary.txt", "misconceptions.png", "feedback/", "gradebook.db"):
        assert f"\n  {name}" in printed, name
    # Whatever ran to the end with a written answer filled in waits for a person.
    pending = sorted(k for k, r in rows.items() if r["status"] == "needs_manual")
    assert pending == [("blanker", A6), ("good", A4), ("good", A6), (SPINNER, A6)], pending
    assert f"{len(pending)} submissions have written answers to grade by hand: cd {out} && jupyter lab" in printed
    # The question table counts the written answer still to grade.
    line = next(ln for ln in printed.splitlines() if "forget_gate_meaning" in ln)
    assert line.split()[-1] == "1" and line.split()[3] == "1", line   # blank's 0, good's pending



@pytest.fixture(scope="module")
def report_page(graded, tmp_path_factory, playwright):
    """report.html opened from disk in Chromium; every request it makes is recorded."""
    if not shutil.which(CHROMIUM):
        pytest.skip(MISSING)
    _, out, _ = graded
    report = (out / "report.html").resolve()
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM,
        args=CHROMIUM_ARGS, headless=True, viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    plots = page.evaluate("""() => [...document.querySelectorAll('figure svg')].map(s => {
        const b = s.getBoundingClientRect();
        return {w: b.width, h: b.height, shapes: s.querySelectorAll('path, rect, use').length};
    })""")
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    rows = page.evaluate("""() => [...document.querySelectorAll('#needs-a-look tr')].slice(1)
        .map(tr => [...tr.cells].map(td => td.textContent))""")
    report_requests = list(requests)
    feedback = next(u for u in links if u.endswith(".html"))
    page.goto(feedback)   # nbgrader's own page; what it loads is not the report's
    feedback_title = page.title()
    context.close()
    return {"report": report, "requests": report_requests, "plots": plots, "links": links, "rows": rows,
            "feedback_title": feedback_title}


@pytest.mark.browser
def test_report_plots_render(report_page):
    plots = report_page["plots"]
    # One score distribution per graded question of both assignments, and the misconceptions.
    assert len(plots) >= 4, plots
    for plot in plots:
        assert plot["w"] > 100 and plot["h"] > 80 and plot["shapes"] > 10, plot


@pytest.mark.browser
def test_report_lists_what_needs_a_look_with_links_that_resolve(report_page):
    from urllib.parse import unquote, urlparse
    rows = {(r[0], r[1]): r for r in report_page["rows"]}
    assert rows[SLEEPER, A6][2] == "timeout" and rows[STUBBORN, A6][2] == "timeout"
    assert rows["good", A4][2] == "needs_manual"
    assert "feedback" in rows["good", A4][5]
    assert report_page["links"]
    for url in report_page["links"]:
        assert url.startswith("file://"), url
        assert Path(unquote(urlparse(url).path)).is_file(), url
    assert report_page["feedback_title"]   # the feedback page opened from the report


@pytest.mark.browser
def test_report_makes_no_request_outside_the_file(report_page):
    assert report_page["requests"] == [report_page["report"].as_uri()]
