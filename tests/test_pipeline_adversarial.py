"""Cheats get nothing, honest answers everything, limits hold (real nbgrader, sandboxed).

One run of the pipeline (``python -m lstm_grade grade``) on
``solutions/ch04_forget_gate``: the five cheats that fooled the in-process
checks, more of our own, the nbgrader notes' table of bad submissions, the
two honest answers the clean re-check used to refuse and others, and
notebooks that push on each limit. Every cheat's answer is wrong or absent,
so any point would be undeserved.

Graded elsewhere, each by a run that needs it anyway (a notebook here cost
about 2 CPU seconds): of the table, the endless loops, the one that spins
and the one that swallows the interrupt (tests/test_pipeline_statuses.py,
whose per-cell limit is 5 s: here, 20 s for the limits' notebooks, the
first burned a core for all of it), the untouched release and the kernel
that exits (the shared class of tests/test_pipeline_class.py); the notebook
that blanks the grader's cells (test_pipeline_statuses).
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from lstm_grade.pipeline import synthetic as syn
from lstm_grade.pipeline.cli import main
from lstm_grade.pipeline.scoring import grade_cells

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
A = "ch04_forget_gate"
TEST = "test_forget_gate"
POINTS = next(c.points for c in grade_cells(ROOT / "solutions" / A / f"{A}.ipynb") if c.grade_id == TEST)
WRONG = "return np.zeros((x.shape[0], b_f.shape[0]))"
RIGHT = ("z = np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f\n"
         "return np.exp(-np.logaddexp(0, -z)).astype(x.dtype)")
MEMORY_GIB, FILE_BYTES = 1.5, 100 << 20
OUTSIDE = Path("/tmp") / f"gbg-adversarial-{__import__('os').getpid()}.txt"


def _answer(source, body):
    return syn.with_answer(source, "forget_gate", body)


def _with_cell(nb, code: str, before: str = "forget_gate"):
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    k = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == before)
    nb.cells.insert(k, nbformat.v4.new_code_cell(code))
    return nb


CHEATS = {
    # The five: each acted on the checks from inside the student's process.
    "array-walks-stack": (
        "import sys\n"
        "class Answer:\n"
        "    def __array__(self, *a, **k):\n"
        "        f = sys._getframe(1)\n"
        "        while f is not None:\n"
        "            for v in f.f_locals.values():\n"
        "                if isinstance(v, tuple) and v and hasattr(v[0], 'shape'):\n"
        "                    return v[0]\n"
        "            f = f.f_back\n"
        "        return np.zeros(1)\n"
        "return Answer()"),
    "restores-reference-code": (
        "import lstm_ref, lstm_ref.gates as g\n"
        "saved = {n: f.__code__ for n, f in vars(g).items() if hasattr(f, '__code__')}\n"
        "for n, code in saved.items():\n"
        "    getattr(g, n).__code__ = code\n"
        "return g.forget_gate(prev_h, x, W_f, b_f)"),
    "assigns-check-code": (
        "check.__code__ = (lambda *a, **k: None).__code__\n" + WRONG),
    "forges-result-channel": (
        "import sys, json\n"
        "f = sys._getframe()\n"
        "while f is not None:\n"
        "    nonce = f.f_locals.get('nonce') or f.f_globals.get('nonce')\n"
        "    if isinstance(nonce, str):\n"
        "        print(nonce, json.dumps({'forget_gate forget_gate': {'ok': True, 'message': ''}}))\n"
        "    f = f.f_back\n" + WRONG),
    "edits-integrity-snapshot": (
        "try:\n"
        "    from lstm_grade.checks import _integrity\n"
        "    _integrity._SNAPSHOT.clear()\n"
        "except Exception:\n"
        "    pass\n" + WRONG),
    # Our own.
    "imports-check-variants": (
        "from lstm_grade.checks._specs.gates import SPECS\n"
        "return SPECS['forget_gate'].reference({'prev_h': prev_h, 'x': x, 'W_f': W_f, 'b_f': b_f})[0]"),
    "reads-reference-file": (
        "import lstm_ref.gates as g\n"
        "ns = {}\n"
        "exec(open(g.__file__).read().replace('from .', 'from lstm_ref.'), ns)\n"
        "return ns['forget_gate'](prev_h, x, W_f, b_f)"),
    "calls-equivalent-gate": "import lstm_ref\nreturn lstm_ref.gate(prev_h, x, W_f, b_f)",
    "reads-solutions": (
        "import glob, json\n"
        f"for p in glob.glob('{ROOT}/solutions/*/*.ipynb') + glob.glob('../../../source/*/*.ipynb'):\n"
        "    for c in json.load(open(p))['cells']:\n"
        "        if 'def forget_gate' in ''.join(c['source']):\n"
        "            exec(''.join(c['source']).replace('### ', '# '), globals())\n"
        "            return globals()['forget_gate'](prev_h, x, W_f, b_f)\n" + WRONG),
    "uses-test-helpers": (
        f"import sys\nsys.path.insert(0, '{ROOT}/tests')\n"
        "import ref_helpers\nreturn ref_helpers.forget_gate(prev_h, x, W_f, b_f)"),
    "patches-numpy": (
        "import numpy\nnumpy.testing.assert_allclose = lambda *a, **k: None\n"
        "numpy.allclose = lambda *a, **k: True\nnumpy.isclose = lambda *a, **k: True\n" + WRONG),
    "replaces-export": (
        "import sys, types\n"
        "fake = types.ModuleType('lstm_grade.pipeline.kernel_export')\n"
        "fake.export = lambda plan, nonce, ns: print(nonce, 'forget_gate/0', '{}')\n"
        "sys.modules['lstm_grade.pipeline.kernel_export'] = fake\n" + WRONG),
    "returns-an-input": "return prev_h",
    "raises": "raise ValueError('not sure how')",
    "sys-exit": "import sys\nsys.exit()",
}

#: The two answers the clean re-check used to refuse are the sigmoid through tanh ("prints",
#: which also prints) and through logaddexp (``RIGHT``: "magic-time", and each notebook of
#: ``LIMITS`` and "nbformat-3" that must score); a notebook of each alone proved nothing more.
HONEST = {
    "helper-cell": None,      # built in _cases: a new cell above the answer
    "magic-time": None,       # %time inside the answer cell
    "course-helper": "from lstm_ref import sigmoid\nreturn sigmoid(np.concatenate([prev_h, x], 1) @ W_f.T + b_f)",
    "prints": "print('computing the forget gate', x.shape)\n"
              "z = np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f\nreturn 0.5 * (1 + np.tanh(z / 2))",
}

LIMITS = {
    "children-memory": (
        "import subprocess, sys\n"
        "code = 'b = bytearray(900 << 20)\\nb[::4096] = b\"x\" * len(b[::4096])\\nimport time; time.sleep(3); print(\"held\")'\n"
        "procs = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE) for _ in range(2)]\n"
        "held = [p.communicate()[0].strip() == b'held' for p in procs]\n"
        "print('RESULT', sum(held))"),
    "fills-disk": (
        "import os, tempfile\n"
        "total = 0\n"
        "for i, folder in enumerate(['/tmp', '.', '/dev/shm', os.path.expanduser('~'), tempfile.gettempdir()]):\n"
        "    for k in range(40):\n"
        "        try:\n"
        "            with open(os.path.join(folder, f'junk-{i}-{k}'), 'wb') as f:\n"
        "                f.write(b'x' * (10 << 20))\n"
        "            total += 10 << 20\n"
        "        except OSError:\n"
        "            break\n"
        "print('RESULT', total)"),
    "many-processes": (
        "import subprocess\n"
        "procs = []\n"
        "try:\n"
        "    for _ in range(600):\n"
        "        procs.append(subprocess.Popen(['sleep', '20']))\n"
        "except OSError:\n"
        "    pass\n"
        "print('RESULT', len(procs))\n"
        "for p in procs:\n"
        "    p.kill()"),
    "long-line": "print('y' * (20 << 20))",
    "writes-sockets-folder": (
        "import os, ipykernel.connect\n"
        "folder = os.path.dirname(ipykernel.connect.get_connection_file())\n"
        "for k in range(30):\n"
        "    with open(os.path.join(folder, f'junk{k}'), 'wb') as f:\n"
        "        f.write(b'x' * (10 << 20))\n"
        "import time; time.sleep(5)"),
}

#: The nbgrader notes' table of bad submissions: student -> status (scores must be 0 or empty).
#: (Its endless loops, untouched release and os._exit: see the module docstring.)
BROKEN = {
    "stripped-metadata": "needs_manual",
    "deleted-test": "needs_manual",
    "writes-outside": "needs_manual",
    "corrupt": "corrupt",
}


def _cases(source) -> dict:
    cases = {name: _answer(source, body) for name, body in CHEATS.items()}
    for name, body in HONEST.items():
        if body is not None:
            cases[name] = _answer(source, body)
    helper = _answer(source, "return _stable_sigmoid(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)")
    cases["helper-cell"] = _with_cell(helper, "def _stable_sigmoid(z):\n"
                                              "    e = np.exp(-np.abs(z))\n"
                                              "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))")
    timed = _answer(source, RIGHT)
    syn.find_cell(timed, "forget_gate").source = "%time _ = sum(range(1000))\n" + \
        syn.find_cell(timed, "forget_gate").source
    cases["magic-time"] = timed
    for name, code in LIMITS.items():
        cases[name] = _with_cell(_answer(source, RIGHT), code)
    cases["nbformat-3"] = nbformat.writes(nbformat.convert(_answer(source, RIGHT), 3), version=3)
    stripped = _answer(source, WRONG)
    del syn.find_cell(stripped, TEST).metadata["nbgrader"]
    cases["stripped-metadata"] = stripped
    deleted = _answer(source, WRONG)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != TEST]
    cases["deleted-test"] = deleted
    cases["writes-outside"] = _answer(source, (
        f"for p in ['{OUTSIDE}', '../../../gradebook.db', '{ROOT}/pwned.txt', '/work/pwned.txt']:\n"
        "    try:\n        open(p, 'w').write('pwned')\n    except OSError:\n        pass\n" + WRONG))
    cases["corrupt"] = b"\x00\x01 not json"
    edited = _answer(source, WRONG)
    syn.find_cell(edited, TEST).metadata["nbgrader"]["points"] = 100
    syn.find_cell(edited, TEST).source = "print('all good')"
    cases["edited-test-cell"] = edited
    return cases


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if shutil.which("bwrap") is None:
        pytest.skip("bwrap is not installed")
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    subs = tmp_path_factory.mktemp("adversarial")
    cases = _cases(source)
    for student, content in cases.items():
        syn.write_submission(subs, student, A, content)
    out = tmp_path_factory.mktemp("grading") / "run"
    assert main(["grade", str(subs), "--out", str(out), "--jobs", "2", "--memory", str(MEMORY_GIB),
                 "--cell-timeout", "20", "--timeout", "150"]) == 0
    with open(out / "grades.csv", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    return rows, out


def _test_score(out: Path, student: str) -> float:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        return gb.find_grade(TEST, A, A, student).score


def _printed(out: Path, student: str) -> str:
    nb = nbformat.read(out / "autograded" / student / A / f"{A}.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("student", sorted(CHEATS))
def test_cheats_get_nothing(graded, student):
    rows, out = graded
    assert rows[student]["status"] == "needs_manual", rows[student]   # only the written answer is left
    assert _test_score(out, student) == 0, rows[student]


@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_answers_get_full_marks(graded, student):
    rows, out = graded
    assert rows[student]["status"] == "needs_manual", rows[student]   # the written answer waits
    assert _test_score(out, student) == POINTS, (rows[student], _printed(out, student)[-2000:])
    assert rows[student]["misconceptions"] == "" and "calls-reference" not in rows[student]["integrity_flags"]


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_broken_submissions_get_no_points(graded, student):
    rows, out = graded
    assert rows[student]["status"] == BROKEN[student], rows[student]
    if BROKEN[student] in ("graded", "needs_manual"):
        assert _test_score(out, student) == 0, rows[student]   # other cells (a quiz) may score
    else:
        assert rows[student]["score"] == "" and rows[student]["detail"], rows[student]


def test_statuses_say_what_happened(graded):
    rows, _ = graded
    assert "test_forget_gate" in rows["stripped-metadata"]["detail"]
    assert "test_forget_gate" in rows["deleted-test"]["detail"]


def test_nothing_written_outside_the_sandbox(graded):
    _, out = graded
    assert not OUTSIDE.exists() and not (ROOT / "pwned.txt").exists() and not Path("/work/pwned.txt").exists()
    assert (out / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"


def test_writing_to_the_sockets_folder_is_stopped(graded):
    rows, _ = graded
    row = rows["writes-sockets-folder"]
    assert row["status"] == "failed" and "wrote more than" in row["detail"], row


def test_reference_calls_are_named_from_the_verdict(graded):
    rows, _ = graded
    for student in ("restores-reference-code", "calls-equivalent-gate"):
        assert "calls-reference" in rows[student]["integrity_flags"].split(), rows[student]


def test_wrong_answers_that_raise_are_not_called_cheats(graded):
    rows, _ = graded
    for student in ("raises", "sys-exit"):
        assert "calls-reference" not in rows[student]["integrity_flags"], rows[student]
        assert rows[student]["misconceptions"] == "", rows[student]


def test_misconceptions_come_from_the_trusted_verdict(graded):
    rows, out = graded
    assert rows["returns-an-input"]["misconceptions"] == ""
    verdicts = json.loads((out / "jobs" / A / "array-walks-stack" / "verdicts.json").read_text())
    assert "should be a numeric array, got Answer" in verdicts[TEST]["messages"][0]


def test_memory_limit_holds_for_children_together(graded):
    rows, out = graded
    assert rows["children-memory"]["status"] in ("graded", "needs_manual", "failed"), rows["children-memory"]
    if rows["children-memory"]["status"] != "failed":
        text = _printed(out, "children-memory")
        assert "RESULT" in text and "RESULT 2" not in text, text[:500]   # not both 900 MiB at once


def test_files_written_are_limited_in_total(graded):
    _, out = graded
    text = _printed(out, "fills-disk")
    written = int(text.split("RESULT ")[1].split()[0])
    assert written <= FILE_BYTES, written
    assert _test_score(out, "fills-disk") == POINTS


def test_process_count_is_limited(graded):
    _, out = graded
    started = int(_printed(out, "many-processes").split("RESULT ")[1].split()[0])
    assert started < 300, started


def test_output_is_cut_with_a_marker(graded):
    rows, out = graded
    path = out / "autograded" / "long-line" / A / f"{A}.ipynb"
    assert path.stat().st_size < 1 << 20
    text = _printed(out, "long-line")
    assert "bytes of output cut here" in text and text.count("y") < 200_000
    feedback = out / "feedback" / "long-line" / A / f"{A}.html"
    assert feedback.stat().st_size < 2 << 20 and "bytes of output cut here" in feedback.read_text()
    assert "output cut" in rows["long-line"]["detail"]


def test_nothing_is_left_behind(graded):
    from lstm_grade.pipeline.worker import _cgroup_name, job_paths
    from lstm_grade.pipeline.job import Job
    _, out = graded
    for job in (out / "jobs" / A).iterdir():
        paths = job_paths(out, job.name, A)
        assert not paths["scratch"].exists() and not paths["ipc"].exists(), job
        name = _cgroup_name(Job(str(out), job.name, A))
        assert not Path("/sys/fs/cgroup/memory/gbg", name).exists(), name


def test_nbformat_3_is_converted(graded):
    rows, out = graded
    assert rows["nbformat-3"]["status"] == "needs_manual", rows["nbformat-3"]
    assert _test_score(out, "nbformat-3") == POINTS


def test_edited_test_cell_says_which_and_what(graded):
    rows, out = graded
    row = rows["edited-test-cell"]
    assert "test_forget_gate" in row["detail"] and "points: 3 -> 100" in row["detail"], row
    if row["status"] == "graded":
        assert _test_score(out, "edited-test-cell") == 0


def test_a_regrade_reproduces_the_cases(graded):
    """The salt is recorded with the run: the same salt plans the same cases."""
    from lstm_grade.checks import _replay
    _, out = graded
    record = out / "run.json"   # where the orchestration records the salt it drew
    salt = (json.loads(record.read_text())["salt"] if record.exists()
            else (out / "grading-salt.txt").read_text().strip())
    assert len(salt) == 32
    assert _replay.plan("forget_gate", "f", salt) == _replay.plan("forget_gate", "f", salt)
    assert _replay.plan("forget_gate", "f", salt) != _replay.plan("forget_gate", "f", salt + "x")


def test_feedback_shows_the_verdict_not_the_hidden_tests(graded):
    _, out = graded
    text = (out / "feedback" / "array-walks-stack" / A / f"{A}.html").read_text()
    assert "got Answer" in text
    assert "BEGIN HIDDEN TESTS" not in text and "hidden=True" not in text
