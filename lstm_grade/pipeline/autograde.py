"""Autograde many submissions at once (nbgrader has no parallel mode, #174).

``run_jobs`` keeps ``n_jobs`` worker processes busy (see ``worker``). Each job
is one (student, assignment); a job that runs longer than the wall-clock limit
has its worker killed (with its sandboxed kernel, which dies with its parent)
and is reported as timed out; the next job gets a fresh worker.
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

from .course import repo_root, tool_env

STARTUP_LIMIT = 300.0  # seconds for a worker to import nbgrader on a busy machine


class _Worker:
    """One ``python -m lstm_grade.pipeline.worker`` process and its reply queue."""

    def __init__(self, out_dir: Path, log_path: Path):
        env = tool_env()
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(repo_root()), env.get("PYTHONPATH", "")) if p)
        self.log = open(log_path, "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lstm_grade.pipeline.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, cwd=out_dir, env=env, start_new_session=True)
        self.replies: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.replies.put(line)
        self.replies.put(None)  # end of file: the worker exited

    def receive(self, timeout: float):
        """The next reply as a dict; ``"timeout"``; or ``None`` if the worker died."""
        try:
            line = self.replies.get(timeout=timeout)
        except queue.Empty:
            return "timeout"
        return None if line is None else json.loads(line)

    def send(self, job: dict) -> None:
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()

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


def _broken(job: dict, status: str, error: str, seconds: float) -> dict:
    return {"student": job["student"], "assignment": job["assignment"], "ok": False,
            "status": status, "error": error, "cells": [], "feedback": False,
            "seconds": round(seconds, 3)}


def _serve(slot: int, jobs: queue.Queue, results: list, out_dir: Path, wall_timeout: float) -> None:
    worker = None
    log_path = Path(out_dir) / "logs" / f"worker-{slot}.log"
    while True:
        try:
            job = jobs.get_nowait()
        except queue.Empty:
            break
        if worker is None:
            worker = _Worker(out_dir, log_path)
            ready = worker.receive(STARTUP_LIMIT)
            if not isinstance(ready, dict):
                worker.kill()
                raise RuntimeError(f"a grading worker did not start; see {log_path}")
        start = time.perf_counter()
        worker.send(job)
        reply = worker.receive(wall_timeout)
        elapsed = time.perf_counter() - start
        if isinstance(reply, dict):
            reply.setdefault("status", "ok" if reply["ok"] else "failed")
            results.append(reply)
            continue
        worker.kill()
        worker = None
        for stage in ("autograded", "feedback"):
            shutil.rmtree(Path(out_dir) / stage / job["student"] / job["assignment"],
                          ignore_errors=True)
        if reply == "timeout":
            results.append(_broken(job, "timeout",
                                   f"stopped after {wall_timeout:g} s (wall-clock limit per notebook)",
                                   elapsed))
        else:
            results.append(_broken(job, "failed", f"the grading worker crashed; see {log_path}",
                                   elapsed))
    if worker is not None:
        worker.close()


def run_jobs(jobs: list[dict], out_dir: Path, n_jobs: int, wall_timeout: float) -> list[dict]:
    """Run every job on ``n_jobs`` workers; one result dict per job.

    Each result has ``status``: ``ok``, ``failed`` or ``timeout``, plus what
    ``worker.run_job`` returns.
    """
    if n_jobs < 1:
        raise ValueError(f"jobs: expected at least 1 worker, got {n_jobs}")
    (Path(out_dir) / "logs").mkdir(parents=True, exist_ok=True)
    pending: queue.Queue = queue.Queue()
    for job in jobs:
        pending.put(job)
    results: list[dict] = []
    errors: list[BaseException] = []

    def serve(slot: int) -> None:
        try:
            _serve(slot, pending, results, out_dir, wall_timeout)
        except BaseException as err:  # surfaced in the main thread below
            errors.append(err)

    threads = [threading.Thread(target=serve, args=(k,)) for k in range(min(n_jobs, len(jobs)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    order = {(j["student"], j["assignment"]): k for k, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[(r["student"], r["assignment"])])
