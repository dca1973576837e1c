"""Grading on a real Dask cluster on 127.0.0.1, and the progress bar.

A ``dask scheduler`` and two ``dask worker`` processes (the venv's own
commands, random free ports, stopped at the end) grade a class with
``--cluster``; one worker is killed with SIGKILL while it grades, and the run
still gives the very same rows in ``grades.csv`` as a local run of the same
notebooks: the lost job ran again on the other worker, and no grade was
lost or counted twice. The local run is the shared class of
tests/pipeline_shared.py (the grading command in a test's process, run
before the cluster starts, so that the cluster does not wait through it):
the cluster grades copies of four of its submissions (two correct, a wrong
and an untouched one). That run writes to a pseudo-terminal (the progress
bar shows counts, an estimate and the tally of statuses); the cluster run
(``python -m lstm_grade``) writes to pipes (no bar at all).
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import pipeline_shared as shared
from lstm_grade.pipeline import status
from lstm_grade.pipeline.cluster import quiet_environment
from lstm_grade.pipeline.progress import tally_text
from lstm_grade.pipeline.scoring import grade_cells

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
A = shared.A6


def _pick(kinds: dict, wanted: list) -> dict:
    """student -> kind of the shared class: the first students of each kind ``wanted`` names."""
    picked = {}
    for kind in wanted:
        picked[next(s for s, k in kinds.items() if k == kind and s not in picked)] = kind
    return dict(sorted(picked.items()))


#: The cluster's class: copies of these submissions of the shared class.
KINDS = _pick(shared.class_kinds(), ["correct", "correct", "wrong", "untouched"])
CELLS = grade_cells(ROOT / "solutions" / A / f"{A}.ipynb")
AUTO = sum(c.points for c in CELLS if not c.manual)
UPDATE = next(c.points for c in CELLS if c.grade_id == "test_update_cell")
WRITTEN = any(c.manual for c in CELLS)
# (status, score) per kind: the correct and the wrong copies keep their written
# answer (a person grades it) and their quiz answers; the release scores nothing.
EXPECTED = {"correct": (status.NEEDS_MANUAL if WRITTEN else status.GRADED, f"{AUTO:g}"),
            "wrong": (status.NEEDS_MANUAL if WRITTEN else status.GRADED, f"{AUTO - UPDATE:g}"),
            "untouched": (status.GRADED, "0")}


def _grade_args(subs: Path, out: Path, *extra: str) -> list[str]:
    return ["grade", str(subs), "--out", str(out), *shared.LIMITS, *extra]


def _start(argv: list[str], log: Path, cwd: Path) -> subprocess.Popen:
    # Quiet servers: without these timers (profiler, event-loop checks) the idle scheduler
    # and workers took 0.12 CPU seconds a second through the module.
    env = dict(os.environ, **quiet_environment())
    return subprocess.Popen(argv, stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def _stop(procs: list, seconds: float = 20) -> None:
    """SIGTERM each process and wait for it (SIGKILL after ``seconds``). The workers go
    first: a worker whose scheduler is gone tries to reconnect for a long while."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """The shared class's run (before the cluster starts, so that the cluster does not
    wait through it) and the cluster's class copied from it; none without bubblewrap."""
    if shutil.which("bwrap") is None:
        return {}
    out = shared.graded_class(tmp_path_factory)
    work = tmp_path_factory.mktemp("runs")
    subs = work / "class"
    for student in KINDS:
        shutil.copytree(shared.submissions(out) / student / A, subs / student / A)
    return {"work": work, "class": subs, "local_printed": shared.printed(out), "local": out}


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory, local):
    """A scheduler and two single-thread workers, no nanny (a killed worker stays dead)."""
    work = tmp_path_factory.mktemp("dask")
    info = work / "scheduler.json"
    procs = [_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--no-dashboard", "--scheduler-file", str(info)], work / "scheduler.log", work)]
    try:
        _wait_for(lambda: info.is_file() and info.stat().st_size > 0, 120, "the scheduler")
        address = json.loads(info.read_text())["address"]
        for k in range(2):
            procs.append(_start([str(BIN / "dask"), "worker", address, "--host", "127.0.0.1",
                                 "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                 "--memory-limit", "0", "--name", f"w{k}"],
                                work / f"worker{k}.log", work))
        from distributed import Client
        client = Client(address, timeout="60s")
        _wait_for(lambda: len(client.scheduler_info()["workers"]) == 2, 120, "two workers")
        yield address, client, procs
        client.close()
    finally:
        _stop(procs[1:] + procs[:1])


def _kill_a_busy_worker(client, out: Path, killed: list) -> None:
    """SIGKILL the first worker seen grading a notebook (after one result is in)."""
    pids = client.run(os.getpid)

    def busy():
        if not list((out / "feedback").glob(f"*/{A}/{A}.html")):
            return None   # wait until a grading process is warm and a second job runs
        for worker, keys in client.processing().items():
            if keys and worker in pids:
                return worker
        return None

    try:
        worker = _wait_for(busy, 400, "a worker grading a notebook")
        time.sleep(1.5)   # well inside the job: its kernel is running
        os.kill(pids[worker], signal.SIGKILL)
        killed.append(worker)
    except AssertionError as err:
        killed.append(err)


def _csv(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def runs(local, dask_cluster):
    if not local:
        pytest.skip("bwrap is not installed")
    address, client, _ = dask_cluster
    work, subs = local["work"], local["class"]
    out = work / "cluster"
    killed: list = []
    killer = threading.Thread(target=_kill_a_busy_worker, args=(client, out, killed))
    killer.start()
    proc = subprocess.run([sys.executable, "-m", "lstm_grade", *_grade_args(subs, out, "--cluster", address)], cwd=work,
                          capture_output=True, text=True, timeout=900)
    killer.join()
    return dict(local, cluster=proc, out=out, killed=killed, client=client)


def test_workers_that_cannot_see_the_run_are_named(dask_cluster, tmp_path):
    from lstm_grade.pipeline.cluster import check_workers
    _, client, _ = dask_cluster
    with pytest.raises(RuntimeError) as info:
        check_workers(client, str(tmp_path / "elsewhere"))
    text = str(info.value)
    assert text.count("cannot see") == 2 and "shared file system" in text, text


def test_cluster_run_matches_local_run_despite_a_killed_worker(runs):
    proc = runs["cluster"]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert runs["killed"] and isinstance(runs["killed"][0], str), runs["killed"]
    remote = _csv(runs["out"] / "grades.csv")
    local = [r for r in _csv(runs["local"] / "grades.csv") if r["assignment"] == A and r["student"] in KINDS]
    assert remote == local
    assert [r["student"] for r in remote] == list(KINDS)
    for row in remote:
        assert (row["status"], row["score"]) == EXPECTED[KINDS[row["student"]]], row
    # The killed worker is gone; the survivor finished the class.
    assert len(runs["client"].scheduler_info()["workers"]) == 1


def test_no_grade_counted_twice(runs):
    from nbgrader.api import Gradebook
    from lstm_grade.pipeline.job import JobResult
    from lstm_grade.pipeline.merge import merge_gradebooks

    out = runs["out"]

    def scores():
        with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
            return sorted((s.student.id, s.score) for s in gb.assignment_submissions(A))

    before = scores()
    assert [s for s, _ in before] == list(KINDS)
    again = [JobResult(student, A, status.GRADED) for student in KINDS]
    assert merge_gradebooks(out, again) == len(KINDS)   # merging once more changes nothing
    assert scores() == before


def test_no_process_left_on_the_killed_worker(runs):
    """The killed worker's grading process and kernel died with it."""
    import psutil
    out = str(runs["out"])
    left = []
    for p in psutil.process_iter(["pid", "cwd"]):
        cwd = p.info.get("cwd") or ""
        if cwd.startswith(out):
            left.append((p.info["pid"], cwd))
    assert left == []


def test_progress_bar_on_a_terminal(runs):
    printed = runs["local_printed"]
    n, crashed = shared.jobs(), shared.PLAN.count("os-exit")   # os._exit: the kernel died, failed
    assert "Grading on 2 workers" in printed
    assert f"{n}/{n} [" in printed                       # counts, then [elapsed<remaining, ...]
    assert re.search(r"(s/notebook|notebook/s)", printed)   # the rate
    assert "<" in printed.split(f"{n}/{n} [", 1)[1].split("]", 1)[0]   # the estimate
    tally = tally_text({status.GRADED: n - crashed, status.FAILED: crashed})
    assert tally in printed and "failed" in tally        # the live tally of statuses
    assert "\r" in printed                               # redrawn in place


def test_quiet_when_output_is_a_pipe(runs):
    proc = runs["cluster"]
    for text in (proc.stdout, proc.stderr):
        assert "\r" not in text and "notebook/s" not in text and "s/notebook" not in text
        assert "Grading on" not in text
    assert "Outputs in" in proc.stdout
