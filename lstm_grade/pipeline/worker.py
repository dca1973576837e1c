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

from . import recheck, sandbox


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


def run_job(job: dict) -> dict:
    """Autograde one (student, assignment) and write its feedback.

    ``job``: out_dir, student, assignment, cell_timeout, sandbox, hidden,
    memory_bytes, file_bytes, timeout. Returns ``ok``, ``error``, ``cells`` (per
    grade cell scores from the job's gradebook, after the re-check), ``recheck``
    (``recheck.Verdict`` as a dict), ``seconds``, and ``status`` (``timeout``)
    when nbgrader gave up on a kernel that ignored the interrupt.
    """
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    start = time.perf_counter()
    paths = job_paths(job["out_dir"], job["student"], job["assignment"])
    result = {"student": job["student"], "assignment": job["assignment"], "ok": False,
              "error": "", "cells": [], "feedback": False, "recheck": {}}
    handler = None
    try:
        _prepare(job, paths)
        handler = logging.FileHandler(paths["log"])
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger("traitlets").addHandler(handler)
        config = _config(job, paths)
        Autograde(coursedir=CourseDirectory(config=config), config=config).start()
        result["recheck"] = _recheck(job, paths, start)._asdict()
        result["cells"] = _grades(job, paths)
        result["ok"] = True
        try:
            _feedback(job, _config(job, paths))
            result["feedback"] = True
        except Exception:
            result["error"] = "feedback failed: " + traceback.format_exc(limit=3)
    except Exception as err:
        log_text = paths["log"].read_text(errors="replace") if paths["log"].exists() else ""
        if "DeadKernelError" in log_text or "Kernel died" in log_text:
            result["error"] = "the kernel died while running the notebook (os._exit, a crash or out of memory)"
        elif "Timeout waiting for execute reply" in log_text:
            # It did not finish, like a run the wall-clock limit stops: "timeout"
            # tells the instructor more than "failed" would.
            result["status"] = "timeout"
            result["error"] = ("a cell ran past the per-cell timeout and the kernel ignored the "
                               "interrupt (an endless loop that catches KeyboardInterrupt?)")
        elif "UnresponsiveKernel" in log_text or "could not interrupt" in log_text:
            result["error"] = "the kernel stopped responding and could not be interrupted"
        else:
            result["error"] = f"{type(err).__name__}: {err}"
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            logging.getLogger("traitlets").removeHandler(handler)
            handler.close()
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


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
