"""A grading worker: autogrades one submission at a time, in this process.

Started by ``autograde.WorkerPool`` as ``python -m lstm_grade.pipeline.worker``.
It imports nbgrader once (its start-up is most of a plain ``nbgrader
autograde`` run's cost), then reads one job per line (JSON) on stdin and
answers one result per line on stdout. Each job has its own gradebook (a copy
of the course's template), so no two jobs share an SQLite file and a student's
run cannot touch another's records. The kernel runs in the sandbox described
in ``sandbox``; this process stays outside it.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

import nbformat

from . import integrity, recheck, sandbox, status, tags
from .job import CellScore, Job, JobResult, failed

TIMED_OUT = "timed out (per-cell limit)"


def job_paths(out_dir: Path, student: str, assignment: str) -> dict:
    """Where one job keeps its private state under ``out_dir/jobs``."""
    base = Path(out_dir) / "jobs" / assignment / student
    return {"base": base, "db": base / "gradebook.db", "log": base / "nbgrader.log",
            "scratch": base / "scratch", "ipc": base / "ipc", "spec": base / "sandbox.json",
            "kernel_log": base / "kernel.log", "recheck": base / "recheck",
            "recheck_log": base / "recheck.log"}


def _config(job: dict, paths: dict):
    from traitlets.config import Config
    c = Config()
    c.CourseDirectory.root = job["out_dir"]
    c.CourseDirectory.source_directory = "source"
    c.CourseDirectory.release_directory = "release"
    c.CourseDirectory.db_url = f"sqlite:///{paths['db']}"
    c.CourseDirectory.assignment_id = job["assignment"]
    c.CourseDirectory.student_id = job["student"]
    c.Execute.timeout = int(job["cell_timeout"])
    # Fixed here, so a kernelspec named in the student's notebook is ignored.
    c.Execute.kernel_name = sandbox.KERNEL_NAME
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = str(paths["ipc"] / "kernel")
    c.KernelManager.connection_file = str(paths["ipc"] / "connection.json")
    c.OverwriteCells.add_missing_cells = True
    return c


def _prepare(job: dict, paths: dict) -> None:
    out = Path(job["out_dir"])
    shutil.rmtree(paths["base"], ignore_errors=True)
    paths["ipc"].mkdir(parents=True)
    paths["scratch"].mkdir()
    shutil.copyfile(out / "gradebook.db", paths["db"])
    for stage in ("autograded", "feedback"):
        shutil.rmtree(out / stage / job["student"] / job["assignment"], ignore_errors=True)
    workdir = out / "autograded" / job["student"] / job["assignment"]
    hidden = [p for p in job["hidden"] if os.path.isdir(p)]
    spec = sandbox.SandboxSpec(
        sandbox=bool(job["sandbox"]), workdir=str(workdir), scratch=str(paths["scratch"]),
        ipc_dir=str(paths["ipc"]), hidden=tuple(hidden), log_path=str(paths["kernel_log"]),
        memory_bytes=int(job["memory_bytes"]), file_bytes=int(job["file_bytes"]))
    paths["spec"].write_text(json.dumps(spec._asdict()))
    os.environ[sandbox.JOB_ENV] = str(paths["spec"])
    os.environ["JUPYTER_PATH"] = str(out / "jupyter")


def _grades(job: dict, paths: dict) -> list[dict]:
    from nbgrader.api import Gradebook
    cells = []
    with Gradebook(f"sqlite:///{paths['db']}") as gb:
        submission = gb.find_submission(job["assignment"], job["student"])
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                cells.append({"notebook": notebook.name, "cell": grade.name,
                              "auto_score": grade.auto_score, "manual_score": grade.manual_score,
                              "max_score": grade.max_score,
                              "needs_manual": bool(grade.needs_manual_grade)})
    return cells


def _recheck(job: dict, paths: dict, started: float) -> recheck.Verdict:
    out, s, a = Path(job["out_dir"]), job["student"], job["assignment"]
    scores = {c["cell"]: c["auto_score"] for c in _grades(job, paths)}
    spec = recheck.recheck_spec(sandbox.read_spec(str(paths["spec"])), paths["recheck"])
    # Whatever is left of the notebook's wall-clock limit, less a margin to report in.
    remaining = float(job.get("timeout", 600)) - (time.perf_counter() - started) - 2
    verdict = recheck.verify(recheck.read(out / "source" / a / f"{a}.ipynb"),
                             recheck.read(out / "autograded" / s / a / f"{a}.ipynb"),
                             scores, spec, max(remaining, 5.0), str(paths["recheck_log"]))
    recheck.withdraw(paths["db"], a, s, verdict)
    return verdict


def _feedback(job: dict, config) -> None:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades

    from .feedback import StripHiddenTests
    config.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTests, CSSHTMLHeaderPreprocessor]
    GenerateFeedback(coursedir=CourseDirectory(config=config), config=config).start()


def _tags_and_notes(job, paths: dict, verdict) -> tuple:
    """(misconceptions, integrity, notes) of a job that ran to the end."""
    out, s, a = Path(job.out_dir), job.student, job.assignment
    autograded = out / "autograded" / s / a / f"{a}.ipynb"
    found_m, found_i = tags.tags_in_file(autograded)
    flags = integrity.scan(out / "submitted" / s / a / f"{a}.ipynb", out / "source" / a / f"{a}.ipynb")
    notes = [f"{g} {TIMED_OUT}" for g in _cell_timeouts(autograded)]
    notes += verdict.notes
    return (tuple(found_m), tuple(sorted(set(found_i) | set(flags) | set(verdict.flags))), notes)


def _cell_timeouts(nb_path: Path) -> list[str]:
    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return []
    return [c.metadata.get("nbgrader", {}).get("grade_id", f"cell {k}") for k, c in enumerate(nb.cells)
            if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", []))]


def grade(job: Job) -> JobResult:
    """Autograde one (student, assignment) and write its feedback (``job.grade_job``)."""
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    start = time.perf_counter()
    legacy = dict(job._asdict())
    paths = job_paths(job.out_dir, job.student, job.assignment)
    handler = None
    try:
        _prepare(legacy, paths)
        handler = logging.FileHandler(paths["log"])
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger("traitlets").addHandler(handler)
        config = _config(legacy, paths)
        Autograde(coursedir=CourseDirectory(config=config), config=config).start()
        verdict = _recheck(legacy, paths, start)
        cells = tuple(CellScore(**c) for c in _grades(legacy, paths))
        found_m, found_i, notes = _tags_and_notes(job, paths, verdict)
        fed = True
        try:
            _feedback(legacy, _config(legacy, paths))
        except Exception:
            fed = False
            notes.append("feedback failed: " + traceback.format_exc(limit=3))
        return JobResult(job.student, job.assignment, status.GRADED, "", cells, found_m, found_i,
                         tuple(notes), fed, round(time.perf_counter() - start, 3))
    except Exception as err:
        log_text = paths["log"].read_text(errors="replace") if paths["log"].exists() else ""
        state = status.FAILED
        if "DeadKernelError" in log_text or "Kernel died" in log_text:
            reason = "the kernel died while running the notebook (os._exit, a crash or out of memory)"
        elif "Timeout waiting for execute reply" in log_text:
            state = status.TIMEOUT
            reason = ("a cell ran past the per-cell timeout and the kernel ignored the "
                      "interrupt (an endless loop that catches KeyboardInterrupt?)")
        elif "UnresponsiveKernel" in log_text or "could not interrupt" in log_text:
            reason = "the kernel stopped responding and could not be interrupted"
        else:
            reason = f"{type(err).__name__}: {err}"
        return failed(job, state, reason, time.perf_counter() - start)
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            logging.getLogger("traitlets").removeHandler(handler)
            handler.close()


def run_job(job: dict) -> dict:
    """``grade`` for the worker pool's JSON lines, in the pool's older dict form
    (``ok``, ``error``, ``cells``, ``recheck``; ``status`` only for ``timeout``).
    A pool that reads ``JobResult.to_dict()`` should call ``grade`` instead."""
    result = grade(Job.from_dict(job))
    legacy = {"student": result.student, "assignment": result.assignment, "ok": result.ok,
              "error": result.reason, "cells": [c._asdict() for c in result.cells],
              "feedback": result.feedback, "seconds": result.seconds,
              "recheck": {"flags": list(result.integrity),
                          "notes": [n for n in result.notes if not n.endswith(TIMED_OUT)]}}
    if result.status == status.TIMEOUT:
        legacy["status"] = "timeout"
    return legacy


def main() -> None:
    """Serve jobs from stdin until it closes."""
    # Keep a private copy of stdout for results; everything else printed in this
    # process or its children goes to stderr (the worker's log).
    results = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import nbgrader.converters  # noqa: F401  (warm the import before the first job)
    results.write(json.dumps({"ready": True}) + "\n")
    results.flush()
    for line in sys.stdin:
        if line.strip():
            results.write(json.dumps(run_job(json.loads(line))) + "\n")
            results.flush()


if __name__ == "__main__":
    main()
