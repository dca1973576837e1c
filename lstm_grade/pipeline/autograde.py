"""Grading processes: the long-lived processes every job runs in.

A *grading process* (``python -m lstm_grade.pipeline.autograde``) imports
nbgrader once (its start-up is most of what a plain ``nbgrader autograde``
costs per process) and then grades one job at a time with
``job.grade_job``: its parent writes a ``Job`` as one JSON line on its stdin
and reads the ``JobResult`` back as one JSON line (or, once, before any job,
``{"generate": [out_dir, assignments]}``: the run's course set-up, answered
``{"generated": true}`` or ``{"error": ...}``). Everything else the
process or its children print goes to a log file.

The wall-clock limit of a notebook is the job's own (a timer in
``worker.grade`` that stops the kernel, classifies and cleans up). The
parent (``GradingProcess.run``, called by a Dask task in ``cluster``) is the
backstop: a job that has not answered ``KILL_MARGIN`` seconds after its own
limit has its grading process killed, with the sandboxed kernel, which dies
with it, and is reported as ``status.TIMEOUT``; a process that crashes gives
``status.FAILED``. Either way the next job gets a fresh process.

A grading process also watches its parent: if the parent dies (a Dask worker
killed mid-run), it kills its own children and exits at once, so that no
orphan goes on writing the files of a job that Dask is running again on
another worker.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import status
from .course import repo_root, tool_env
from .job import Job, JobResult, failed

STARTUP_LIMIT = 300.0   # seconds for a grading process to import nbgrader on a busy machine
PARENT_POLL = 0.2       # seconds between a grading process's looks at its parent
KILL_MARGIN = 60.0      # seconds past ``Job.timeout`` before the parent kills a job that has not answered
NO_REPLY = object()     # ``_receive``: nothing arrived in time


class GradingProcess:
    """One ``python -m lstm_grade.pipeline.autograde`` child and its replies."""

    def __init__(self, cwd: Path, log_path: Path):
        env = tool_env()
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(repo_root()), env.get("PYTHONPATH", "")) if p)
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        self.log_path = Path(log_path)
        self.log = open(log_path, "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lstm_grade.pipeline.autograde"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, cwd=cwd, env=env, start_new_session=True)
        self.replies: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        ready = self._receive(STARTUP_LIMIT)
        if not isinstance(ready, dict) or not ready.get("ready"):
            self.kill()
            raise RuntimeError(f"a grading process did not start; see {log_path}")

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.replies.put(line)
        self.replies.put(None)  # end of file: the process exited

    def _receive(self, timeout: float):
        """The next reply as a dict; ``NO_REPLY`` in time; ``None`` if the process died."""
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            return NO_REPLY
        if line is None:
            return None
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            return None

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, job: Job) -> JobResult:
        """Grade ``job``; never raises for what the submission does. After a
        ``TIMEOUT`` or a crash this process is dead (``alive`` is False)."""
        start = time.perf_counter()
        try:
            self.proc.stdin.write(json.dumps(job.to_dict()) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            reply = None
        else:
            reply = self._receive(job.timeout + KILL_MARGIN)
        elapsed = time.perf_counter() - start
        if isinstance(reply, dict):
            return JobResult.from_dict(reply)
        self.kill()
        _discard_outputs(job)
        if reply is NO_REPLY:
            return failed(job, status.TIMEOUT,
                          f"stopped after {job.timeout:g} s (wall-clock limit per notebook); the job did not "
                          f"stop itself within {KILL_MARGIN:g} s more, so its grading process was killed",
                          elapsed)
        return failed(job, status.FAILED, f"the grading process crashed; see {self.log_path}", elapsed)

    def generate(self, out_dir: Path, assignments: list[str]) -> None:
        """``course.generate`` in this process (nbgrader is imported already);
        ``RuntimeError`` with nbgrader's error if it fails."""
        try:
            self.proc.stdin.write(json.dumps({"generate": [str(out_dir), list(assignments)]}) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            reply = None
        else:
            reply = self._receive(STARTUP_LIMIT)
        if not isinstance(reply, dict):
            self.kill()
            raise RuntimeError(f"nbgrader generate_assignment failed in {out_dir}: the grading process "
                               f"{'did not answer' if reply is NO_REPLY else 'died'}; see {self.log_path}")
        if reply.get("error"):
            raise RuntimeError(f"nbgrader generate_assignment failed in {out_dir}:\n{reply['error'][-4000:]}")

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
            self.kill()
            return
        self.log.close()


def _discard_outputs(job: Job) -> None:
    """Remove what a killed job left half-written (it has no result)."""
    out = Path(job.out_dir)
    for stage in ("autograded", "feedback"):
        shutil.rmtree(out / stage / job.student / job.assignment, ignore_errors=True)
    shutil.rmtree(out / "jobs" / job.assignment / job.student / "scratch", ignore_errors=True)


def _kill_children_and_exit() -> None:
    try:
        import psutil
        children = psutil.Process().children(recursive=True)
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass
    finally:
        os._exit(1)


def _watch_parent() -> None:
    """Exit (and take the kernel along) as soon as the parent process is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        _kill_children_and_exit()

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def serve() -> None:
    """The grading process: grade jobs from stdin until it closes."""
    # A private copy of stdout carries the results; everything else printed in
    # this process or its children goes to stderr (the log).
    results = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _watch_parent()
    from .reuse import set_up_process
    set_up_process()
    from .job import grade_job
    import nbgrader.converters  # noqa: F401  (warm the import before the first job)
    results.write(json.dumps({"ready": True}) + "\n")
    results.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        if "generate" in message:   # the run's course set-up (``GradingProcess.generate``)
            from .course import generate
            out_dir, assignments = message["generate"]
            try:
                generate(Path(out_dir), assignments)
                reply = {"generated": True}
            except Exception as err:  # nbgrader's own failure, said to the parent
                reply = {"error": f"{type(err).__name__}: {err}"}
        else:
            reply = grade_job(Job.from_dict(message)).to_dict()
        results.write(json.dumps(reply) + "\n")
        results.flush()


if __name__ == "__main__":
    serve()
