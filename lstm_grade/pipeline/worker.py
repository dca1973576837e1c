"""One grading job, start to end (``job.grade_job``).

``grade(job)``:

1. prepares the job's own folder (``<out>/jobs/<assignment>/<student>``: a
   copy of the run's gradebook template, the kernel's socket folder) and
   removes anything an earlier run of the same job left;
2. plans the trusted grading (``trusted``) from the source notebook and the
   run's salt, builds the assignment's student view (``student_view``) and
   the job's cgroup (``limits``);
3. runs nbgrader's autograde with ``execute.GradingExecute`` (every cell of
   the notebook in the sandboxed kernel, then the value export) and
   ``execute.TrustedGrades`` (the verdicts judged here, outside the kernel,
   become the test cells' outputs, which nbgrader scores);
4. classifies a failure from what the run recorded (the exception type
   ``GradingExecute`` saw, the wall-clock timer, the cgroup's OOM count),
   never from log text;
5. writes the feedback, removes the cgroup and the kernel's scratch.

Each result carries the job's ``phases`` (wall seconds of each step of
``PHASES``, the kernel's from ``GradingExecute``'s ``times``) and the
kernel's CPU seconds (``limits.JobCgroup.cpu_seconds``), so a benchmark
can say where a job waits.

The grading processes that run the jobs are ``autograde``'s.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import threading
import time
import traceback
from pathlib import Path

import nbformat

from . import course, integrity, language, limits, sandbox, status, student_view, trusted
from .job import CellScore, Job, JobResult, failed

TIMED_OUT = "timed out (per-cell limit)"
#: A job's steps: (name, the mark that ends it). ``launch``, ``ready``, ``cells_done`` and ``stopped``
#: are ``GradingExecute``'s times; the others are marks of ``_grade``.
PHASES = (("prepare", "prepared"), ("nbgrader before the kernel", "launch"), ("kernel start", "ready"),
          ("cells", "cells_done"), ("kernel stop", "stopped"), ("nbgrader after the kernel", "autograded"),
          ("scores, flags, feedback", "finished"), ("clean up", "cleaned"))


def _ipc_dir(base: Path) -> Path:
    """The kernel's socket folder: on the host's /dev/shm where there is one (what the
    kernel writes there is memory charged to its cgroup, never disk), else in the job."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"gbg-{hashlib.sha256(str(base.resolve()).encode()).hexdigest()[:16]}"
    return base / "ipc"


def job_paths(out_dir: Path, student: str, assignment: str) -> dict:
    """Where one job keeps its private state under ``out_dir/jobs``."""
    base = Path(out_dir) / "jobs" / assignment / student
    return {"base": base, "db": base / "gradebook.db", "log": base / "nbgrader.log",
            "scratch": base / "scratch", "ipc": _ipc_dir(base), "spec": base / "sandbox.json",
            "kernel_log": base / "kernel.log", "state": base / "execution.json",
            "verdicts": base / "verdicts.json"}


def _config(job: Job, paths: dict, plan=None, nonce: str = ""):
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, IgnorePattern, SaveAutoGrades

    from .execute import GradingExecute, TrustedGrades
    c = course.new_config(job.out_dir, db_url=f"sqlite:///{paths['db']}", assignment_id=job.assignment,
                          student_id=job.student, cell_timeout=job.cell_timeout)
    # Fixed here, so a kernelspec named in the student's notebook is ignored.
    c.Execute.kernel_name = sandbox.KERNEL_NAME
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = str(paths["ipc"] / "kernel")
    c.KernelManager.connection_file = str(paths["ipc"] / "connection.json")
    c.AsyncKernelManager.client_factory = "lstm_grade.pipeline.execute.GradingClient"
    if plan is not None:
        c.Autograde.autograde_preprocessors = [GradingExecute, IgnorePattern, ClearMetadataPreprocessor,
                                               TrustedGrades, SaveAutoGrades, AssignLatePenalties,
                                               CheckCellMetadata]
        c.GradingExecute.timeout = int(job.cell_timeout)
        c.GradingExecute.captures = {g: trusted.export_source(calls, nonce) for g, calls in plan.captures.items()}
        c.GradingExecute.export_nonce = nonce
        c.GradingExecute.output_bytes = int(job.output_bytes)
        c.GradingExecute.skip_sources = list(plan.skip_sources)
        c.GradingExecute.state_path = str(paths["state"])
        c.TrustedGrades.salt = job.salt
        c.TrustedGrades.tests = dict(plan.tests)
        c.TrustedGrades.verdicts_path = str(paths["verdicts"])
    return c


def _cgroup_name(job: Job) -> str:
    run = hashlib.sha256(str(Path(job.out_dir).resolve()).encode()).hexdigest()[:10]
    return f"{run}-{job.assignment}-{job.student}"


def _prepare(job: Job, paths: dict):
    """The job's folder, plan, view, cgroup and sandbox spec; returns (plan, cgroup)."""
    out = Path(job.out_dir)
    shutil.rmtree(paths["base"], ignore_errors=True)
    shutil.rmtree(paths["ipc"], ignore_errors=True)
    paths["base"].mkdir(parents=True)
    paths["ipc"].mkdir(parents=True)
    shutil.copyfile(out / "gradebook.db", paths["db"])
    for stage in ("autograded", "feedback"):
        shutil.rmtree(out / stage / job.student / job.assignment, ignore_errors=True)
    source = nbformat.read(str(out / "source" / job.assignment / f"{paths['notebook']}.ipynb"), as_version=4)
    plan = trusted.assignment_plan(source, job.salt)
    view = student_view.build(out, job.assignment, plan.hidden, plan.graded)
    cgroup = limits.JobCgroup.create(_cgroup_name(job), job.memory_bytes, job.pids)
    spec = sandbox.SandboxSpec(
        sandbox=bool(job.sandbox), workdir=str(out / "autograded" / job.student / job.assignment),
        scratch=str(paths["scratch"]), ipc_dir=str(paths["ipc"]), view=str(view),
        log_path=str(paths["kernel_log"]), memory_bytes=int(job.memory_bytes),
        file_bytes=int(job.file_bytes), pids=int(job.pids), cgroup=tuple(cgroup) if cgroup else ())
    paths["spec"].write_text(json.dumps(spec._asdict()))
    os.environ[sandbox.JOB_ENV] = str(paths["spec"])
    os.environ["JUPYTER_PATH"] = str(out / "jupyter")
    return plan, cgroup


def _grades(job: Job, paths: dict) -> list[CellScore]:
    from nbgrader.api import Gradebook
    cells = []
    with Gradebook(f"sqlite:///{paths['db']}") as gb:
        submission = gb.find_submission(job.assignment, job.student)
        for notebook in submission.notebooks:
            if notebook.name != paths["notebook"]:
                continue  # the assignment's notebook in the other language, not handed in
            for grade in notebook.grades:
                cells.append(CellScore(notebook.name, grade.name, grade.auto_score, grade.manual_score,
                                       grade.max_score, bool(grade.needs_manual_grade)))
    return cells


def _review_in_kernel(job: Job, paths: dict, grade_ids: list) -> None:
    """Mark test cells judged inside the kernel for a person to review."""
    if not grade_ids:
        return
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{paths['db']}") as gb:
        for grade_id in grade_ids:
            gb.find_grade(grade_id, paths["notebook"], job.assignment, job.student).needs_manual_grade = True
        gb.db.commit()


def _feedback(job: Job, paths: dict) -> None:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades

    from .feedback import StripHiddenTests
    from .reuse import feedback_exporter
    config = _config(job, paths)
    config.GenerateFeedback.exporter_class = feedback_exporter()
    config.GenerateFeedback.preprocessors = [GetGrades, StripHiddenTests, CSSHTMLHeaderPreprocessor]
    GenerateFeedback(coursedir=CourseDirectory(config=config), config=config).start()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _cell_timeouts(nb_path: Path) -> list[str]:
    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return []
    return [c.metadata.get("nbgrader", {}).get("grade_id", f"cell {k + 1}") for k, c in enumerate(nb.cells)
            if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", []))]


def _classify(job: Job, paths: dict, err: BaseException, cgroup, timer_fired: bool) -> tuple[str, str]:
    """(status, reason) of a run that did not finish, from what it recorded."""
    state = _read_json(paths["state"])
    kind = state.get("error_type") or type(err).__name__
    if timer_fired:
        return status.TIMEOUT, f"stopped after {job.timeout:g} s (wall-clock limit per notebook)"
    if cgroup is not None and cgroup.out_of_memory():
        return status.FAILED, (f"the kernel ran out of memory: it, its child processes and the files they "
                               f"wrote used more than {job.memory_bytes / (1 << 30):g} GiB together")
    if kind == "DeadKernelError":
        return status.FAILED, "the kernel died while running the notebook (os._exit, a crash or out of memory)"
    if kind in ("CellTimeoutError", "TimeoutError"):
        return status.TIMEOUT, ("a cell ran past the per-cell timeout and the kernel ignored the "
                                "interrupt (an endless loop that catches KeyboardInterrupt?)")
    if kind in ("UnresponsiveKernelError", "RuntimeError") and state:
        return status.FAILED, f"the kernel stopped responding and could not be interrupted ({state.get('error')})"
    if not state:
        submitted = Path(job.out_dir) / "submitted" / job.student / job.assignment / f"{paths['notebook']}.ipynb"
        source = Path(job.out_dir) / "source" / job.assignment / f"{paths['notebook']}.ipynb"
        edits = integrity.metadata_problems(submitted, source)
        if edits:
            return status.FAILED, "nbgrader refused the notebook: " + "; ".join(edits)
        log = paths["kernel_log"].read_text(errors="replace")[-300:] if paths["kernel_log"].exists() else ""
        return status.FAILED, f"the notebook could not be run ({kind}: {str(err)[:300]}){' ' + log if log else ''}"
    return status.FAILED, f"{kind}: {state.get('error') or err}"


def _finished(job: Job, paths: dict, plan, cgroup, start: float) -> JobResult:
    out, s, a, nb = Path(job.out_dir), job.student, job.assignment, paths["notebook"]
    verdicts = _read_json(paths["verdicts"])
    state = _read_json(paths["state"])
    _review_in_kernel(job, paths, plan.in_kernel)
    cells = tuple(_grades(job, paths))
    autograded = out / "autograded" / s / a / f"{nb}.ipynb"
    misconceptions = sorted({m for v in verdicts.values() for m in v.get("misconceptions", [])})
    flags = set(integrity.scan(out / "submitted" / s / a / f"{nb}.ipynb", out / "source" / a / f"{nb}.ipynb"))
    flags |= {i for v in verdicts.values() for i in v.get("integrity", [])}
    notes = [f"{g} {TIMED_OUT}" for g in _cell_timeouts(autograded)]
    captured = state.get("captured", {})
    silent = [g for g in plan.captures if not captured.get(g)]
    if silent:
        notes.append(f"the grading kernel handed back no values for {', '.join(silent)} (did code in the "
                     f"notebook stop the grader's cell, or never reach it?); those cells scored 0")
    if state.get("cut_cells"):
        notes.append(f"output cut to {job.output_bytes} bytes in cells {', '.join(str(c + 1) for c in state['cut_cells'])}")
    notes += [f"{g} was judged inside the notebook; review it in the formgrader" for g in plan.in_kernel]
    notes += integrity.metadata_problems(out / "submitted" / s / a / f"{nb}.ipynb", out / "source" / a / f"{nb}.ipynb")
    if cgroup is None:  # the fallback is worth a line wherever the run is read (CSV, summary)
        notes.append(limits.describe(cgroup, job.memory_bytes, job.pids))
    fed = True
    try:
        _feedback(job, paths)
    except Exception:
        fed = False
        notes.append("feedback failed: " + traceback.format_exc(limit=3))
    return JobResult(s, a, status.GRADED, "", cells, tuple(misconceptions), tuple(sorted(flags)),
                     tuple(notes), fed, round(time.perf_counter() - start, 3),
                     limits.describe(cgroup, job.memory_bytes, job.pids))


class _Log:
    """nbgrader's log for one job in its own file."""

    def __init__(self, path: Path):
        self.handler = logging.FileHandler(path)
        self.handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        for name in ("", "traitlets"):
            logging.getLogger(name).addHandler(self.handler)

    def close(self) -> None:
        for name in ("", "traitlets"):
            logging.getLogger(name).removeHandler(self.handler)
        self.handler.close()


def _kill_kernel(paths: dict, cgroup) -> None:
    if cgroup is not None:
        cgroup.kill()
        return
    try:
        info = json.loads((paths["ipc"] / "launcher.json").read_text())
        os.kill(int(info["pid"]), 9)
    except (OSError, ValueError, KeyError):
        pass


def _folder_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


class _Watch(threading.Thread):
    """Stops the job when the folders the kernel can write on the host (its sockets'
    folder; without a sandbox, its scratch copy too) grow past ``limit`` bytes."""

    def __init__(self, folders: list, limit: int, stop):
        super().__init__(daemon=True)
        self.folders, self.limit, self.stop = folders, limit, stop
        self.tripped = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            if sum(_folder_bytes(f) for f in self.folders if f.exists()) > self.limit:
                self.tripped.set()
                self.stop()
                return


def _phases(marks: dict, state_path: Path) -> tuple:
    """(phase, seconds) of ``PHASES`` whose start and end were both reached."""
    marks = dict(marks, **_read_json(state_path).get("times", {}))
    out, last = [], marks["start"]
    for name, end in PHASES:
        if end in marks:
            out.append((name, round(marks[end] - last, 3)))
            last = marks[end]
    return tuple(out)


def grade(job: Job) -> JobResult:
    """Grade one (student, assignment) and write its feedback (``job.grade_job``), in the
    language of the notebook handed in (``language``: English or Korean)."""
    stem = language.graded_stem(Path(job.out_dir) / "submitted" / job.student / job.assignment, job.assignment)
    with language.speaking(language.notebook_language(f"{stem}.ipynb", job.assignment)):
        return _grade(job, stem)


def _grade(job: Job, stem: str) -> JobResult:
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    start = time.perf_counter()
    marks = {"start": time.monotonic()}
    if not job.salt:
        job = job._replace(salt=course.run_salt(job.out_dir))
    paths = job_paths(job.out_dir, job.student, job.assignment)
    paths["notebook"] = stem  # nbgrader's id of the notebook handed in: <assignment> or <assignment>.ko
    log, cgroup, timer, fired, watch = None, None, None, threading.Event(), None
    try:
        plan, cgroup = _prepare(job, paths)
        log = _Log(paths["log"])
        config = _config(job, paths, plan, secrets.token_hex(8))
        marks["prepared"] = time.monotonic()

        def stop() -> None:
            fired.set()
            _kill_kernel(paths, cgroup)
        timer = threading.Timer(job.timeout, stop)
        timer.daemon = True
        timer.start()
        watched = [paths["ipc"]] + ([] if job.sandbox else [paths["scratch"]])
        watch = _Watch(watched, job.file_bytes, lambda: _kill_kernel(paths, cgroup))
        watch.start()
        try:
            Autograde(coursedir=CourseDirectory(config=config), config=config).start()
        finally:
            timer.cancel()
            watch.done.set()
        marks["autograded"] = time.monotonic()
        if fired.is_set():
            raise TimeoutError("wall-clock limit")
        if watch.tripped.is_set():
            raise OSError("file limit")
        result = _finished(job, paths, plan, cgroup, start)
        marks["finished"] = time.monotonic()
    except Exception as err:
        if watch is not None and watch.tripped.is_set():
            state, reason = status.FAILED, (f"the notebook wrote more than {job.file_bytes} bytes to files "
                                            f"(the limit for everything it writes)")
        else:
            state, reason = _classify(job, paths, err, cgroup, fired.is_set())
        for stage in ("autograded", "feedback"):
            shutil.rmtree(Path(job.out_dir) / stage / job.student / job.assignment, ignore_errors=True)
        result = failed(job, state, reason, time.perf_counter() - start)
    finally:
        if timer is not None:
            timer.cancel()
        kernel_cpu = 0.0
        if cgroup is not None:
            cgroup.kill()
            kernel_cpu = cgroup.cpu_seconds()   # read before the cgroup goes
            cgroup.remove()
        for folder in ("scratch", "ipc"):
            shutil.rmtree(paths[folder], ignore_errors=True)
        if log is not None:
            log.close()
    marks["cleaned"] = time.monotonic()
    return result._replace(phases=_phases(marks, paths["state"]), kernel_cpu=round(kernel_cpu, 3),
                           seconds=round(time.perf_counter() - start, 3))
