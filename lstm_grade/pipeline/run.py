"""``grade``: the whole pipeline, from a submissions folder or zip to grades.csv."""
from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

from . import cluster, collect, course, export, lms, report, sandbox, scoring, status, summary
from .job import Job, JobResult
from .merge import merge_gradebooks
from .progress import Progress


def default_jobs() -> int:
    """Notebooks graded at once on a local cluster: one more than the cores.
    A job keeps its core busy only about 60 % of its time (it waits on the
    kernel's start-up and on each cell's messages), so with one job per core
    a third of the machine sat idle (the pipeline's CPU seconds were about
    its wall seconds on 2 cores); one job more fills it. Each job's limits
    (memory, processes, files) are its own whatever runs beside it."""
    return (os.cpu_count() or 1) + 1


class Options(NamedTuple):
    """Settings of one grading run (see ``cli`` for their meaning)."""
    out_dir: Path
    source: Path
    assignments: tuple = ()
    jobs: int = default_jobs()
    cell_timeout: int = 60
    timeout: float = 600.0
    use_sandbox: bool = True
    memory_bytes: int = 4 << 30
    lms_regex: str = ""
    cluster: str = ""          # a Dask scheduler's address; empty: a local cluster of ``jobs``
    salt: str = ""             # the grading cases' salt; empty: drawn for this run


class Outcome(NamedTuple):
    """What ``grade`` produced."""
    rows: list
    summary: dict
    text: str
    grades_csv: Path
    seconds: float
    results: list              # one ``JobResult`` per notebook graded


def _collect(path: Path, opts: Options, known: list[str]):
    """Returns (collected, assignments) with the course set up."""
    out = opts.out_dir
    wanted = list(opts.assignments)
    skipped: list = []
    if path.is_dir():
        root = path
    elif path.suffix.lower() == ".zip" and path.is_file():
        extracted = out / "incoming"
        shutil.rmtree(extracted, ignore_errors=True)
        skipped = collect.safe_extract(path, extracted)
        root = collect.folder_root(extracted, known)
        if root is None:  # flat LMS files: nbgrader's zip_collect
            ids = lms.normalise_moodle(extracted)
            ids.update(lms.read_ids(extracted))
            lms.write_ids(ids, out)
            names = [str(p) for p in extracted.rglob("*.ipynb")]
            assignments = wanted or lms.assignments_in_zip_names(names, known)
            if not assignments:
                raise ValueError(f"submissions: {path} holds no <student>/<assignment> folders "
                                 f"and no file named after an assignment ({', '.join(known)})")
            course.setup_course(out, opts.source, assignments, opts.cell_timeout, cluster.generator(out))
            regex = opts.lms_regex or lms.default_regex(assignments)
            root, ignored = lms.zip_collect(extracted, out, assignments, regex, out / "incoming-lms")
            collected = collect.collect_folder(root, out, assignments)
            collected.issues.extend(skipped + ignored)
            return collected, assignments
    else:
        raise ValueError(f"submissions: expected a folder or a .zip file, got {path}")
    found, unknown = collect.find_assignments(root, known)
    assignments = wanted or found
    if not assignments:
        raise ValueError(f"submissions: no <student>/<assignment> folder under {root} names a "
                         f"known assignment ({', '.join(known)}); found {', '.join(unknown) or 'none'}")
    # The course is set up (nbgrader, in a grading process) while the submissions are read here.
    setting_up = _Background(course.setup_course, out, opts.source, assignments, opts.cell_timeout,
                             cluster.generator(out))
    try:
        collected = collect.collect_folder(root, out, assignments)
    finally:
        setting_up.join()
    setting_up.check()
    for name in unknown:
        collected.issues.append(collect.Issue("", name, "unexpected",
                                              "folder matches no assignment of the course; ignored"))
    collected.issues.extend(skipped)
    return collected, assignments


class _Background(threading.Thread):
    """``fn(*args)`` in a thread; after ``join``, ``check`` raises what it raised."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.error = fn, args, None
        self.start()

    def run(self) -> None:
        try:
            self.fn(*self.args)
        except BaseException as err:  # handed to the caller by join
            self.error = err

    def check(self) -> None:
        if self.error is not None:
            raise self.error


def _hidden_paths(opts: Options) -> list[str]:
    paths = {str(opts.out_dir.resolve()), str(Path(opts.source).resolve()),
             str(course.repo_root() / "solutions"), str(course.repo_root() / "grading")}
    return sorted(p for p in paths if os.path.isdir(p))


def _jobs(opts: Options, submitted, salt: str) -> list[Job]:
    return [Job(out_dir=str(opts.out_dir), student=s, assignment=a, salt=salt,
                cell_timeout=int(opts.cell_timeout), timeout=float(opts.timeout),
                sandbox=opts.use_sandbox, hidden=tuple(_hidden_paths(opts)),
                memory_bytes=int(opts.memory_bytes)) for s, a in submitted]


def _record_run(out: Path, opts: Options, salt: str, workers: str) -> None:
    """``<out>/run.json``: what a re-grade of this run needs to give the same scores."""
    (out / "run.json").write_text(json.dumps({
        "salt": salt, "source": str(opts.source), "cell_timeout": opts.cell_timeout,
        "timeout": opts.timeout, "sandbox": opts.use_sandbox, "memory_bytes": opts.memory_bytes,
        "workers": workers, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, indent=1))


def _tree_cpu() -> float:
    """CPU seconds of this process and every process it started (live ones, and
    those that ended and were waited for); a remote cluster's are not seen."""
    import psutil
    total = 0.0
    me = psutil.Process()
    for proc in [me] + me.children(recursive=True):
        try:
            t = proc.cpu_times()
        except psutil.Error:   # ended just now
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


class _Clock:
    """Wall and CPU seconds (``_tree_cpu``, plus ``unseen``: the sandboxed kernels', which no
    process above them sees) of each phase of a run, for ``<out>/timings.json``."""

    def __init__(self):
        self.start = self.wall = time.perf_counter()
        self.cpu = _tree_cpu()
        self.phases: dict = {}

    def mark(self, phase: str, unseen: float = 0.0) -> None:
        wall, cpu = time.perf_counter(), _tree_cpu()
        self.phases[phase] = {"wall": round(wall - self.wall, 2), "cpu": round(cpu - self.cpu + unseen, 2)}
        self.wall, self.cpu = wall, cpu

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.phases, indent=1))


def grade(path, opts: Options, echo=print, progress_stream=None) -> Outcome:
    """Grade every submission under ``path`` (folder or zip) into ``opts.out_dir``.

    ``progress_stream`` (default ``sys.stderr``) shows the progress bar when
    it is a terminal."""
    clock = _Clock()
    path = Path(path)
    if not path.exists():
        raise ValueError(f"submissions: {path} does not exist")
    if opts.use_sandbox and sandbox.bwrap_path() is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed, so students' code cannot be "
                           "sandboxed. Install it (Debian: apt-get install bubblewrap) or pass "
                           "--no-sandbox to run students' code with your own permissions.")
    if opts.cluster and not opts.cluster.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise ValueError(f"cluster: expected a Dask scheduler address such as tcp://HOST:8786, "
                         f"got {opts.cluster!r}")
    out = Path(opts.out_dir).resolve()
    opts = opts._replace(out_dir=out)
    if (out / "gradebook.db").exists():
        raise ValueError(f"out: {out} already holds a grading run; choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    known = course.known_assignments(opts.source)
    unknown = [a for a in opts.assignments if a not in known]
    if unknown:
        raise ValueError(f"assignment: {', '.join(unknown)} not in {opts.source} ({', '.join(known)})")
    if opts.lms_regex:   # refused before any grading process is started for nothing
        lms.check_regex(opts.lms_regex)
    if not opts.cluster:   # their start-up (importing nbgrader) overlaps the collecting and set-up
        cluster.prestart(out, opts.jobs)
    try:
        return _grade(path, opts, known, clock, echo, progress_stream)
    finally:
        cluster.close_processes()   # any started ahead and never used


def _grade(path: Path, opts: Options, known: list, clock: _Clock, echo, progress_stream) -> Outcome:
    out = opts.out_dir
    echo(f"Collecting {path} ...")
    collected, assignments = _collect(path, opts, known)
    sandbox.write_kernelspec(out / "jupyter")
    salt = opts.salt or course.run_salt(out)   # drawn once, kept in <out>/grading-salt.txt
    where = opts.cluster or f"a local cluster of {opts.jobs} workers"
    _record_run(out, opts, salt, where)
    jobs = _jobs(opts, collected.submitted, salt)
    echo(f"Autograding {len(jobs)} notebooks of {len(collected.students)} students "
         f"on {where}{'' if opts.use_sandbox else ' WITHOUT a sandbox'} ...")
    clock.mark("collect and set up the course")
    bar = Progress(len(jobs), progress_stream if progress_stream is not None else sys.stderr)

    def started(workers: int) -> None:
        clock.mark("start the cluster")
        bar.start(workers)

    try:
        results = cluster.run_jobs(jobs, opts.jobs, opts.cluster, on_start=started,
                                   on_result=bar.update)
    finally:
        bar.close()
    clock.mark("grade every notebook", sum(r.kernel_cpu for r in results))
    (out / "jobs.json").write_text(json.dumps([r.to_dict() for r in results], indent=1))
    merge_gradebooks(out, results)
    cells = {a: scoring.grade_cells(out / "source" / a / f"{a}.ipynb") for a in assignments}
    rows = _rows(collected, results, cells)
    grades_csv = export.write_grades(rows, out / "grades.csv")
    lms_files = export.write_lms(rows, cells, lms.load_ids(out), out)
    info = summary.build_summary(rows, cells, collected.issues, results)
    text = summary.write_summary(info, out)
    report.write_report(info, rows, cells, out)
    clock.mark("merge, export, summary, report")
    clock.write(out / "timings.json")
    echo(text)
    echo(outputs_text(out, rows, lms_files))
    return Outcome(rows, info, text, grades_csv, time.perf_counter() - clock.start, results)


def outputs_text(out: Path, rows, lms_files=()) -> str:
    """Where the run's outputs are, for the instructor to read last."""
    pending = sum(1 for r in rows if r.status == status.NEEDS_MANUAL)
    lines = [f"\nOutputs in {out}/",
             f"  grades.csv          one row per student and assignment ({len(rows)} rows)",
             "  report.html         the class report: open it in a browser (works offline)",
             "  summary.txt         the summary above (also summary.json)",
             "  misconceptions.png  the misconceptions across the class",
             "  feedback/           <student>/<assignment>/<assignment>.html, hidden tests removed",
             "  gradebook.db        every grade, for nbgrader's formgrader"]
    for path in lms_files:
        lines.append(f"  {Path(path).name:<19} {export.lms_description(Path(path))}")
    if pending:
        lines.append(f"{pending} submissions have written answers to grade by hand: "
                     f"cd {out} && jupyter lab, then Nbgrader > Formgrader")
    return "\n".join(lines)


def _rows(collected, results: list[JobResult], cells: dict) -> list:
    rows = []
    for issue in collected.issues:
        if issue.status in (status.CORRUPT, status.MISSING):
            rows.append(scoring.unscored_row(issue.student, issue.assignment, cells[issue.assignment],
                                             issue.status, issue.detail))
    for r in results:
        if r.ok:
            rows.append(scoring.scored_row(r.student, r.assignment, cells[r.assignment], r,
                                           list(r.misconceptions), list(r.integrity), list(r.notes)))
        else:
            rows.append(scoring.unscored_row(r.student, r.assignment, cells[r.assignment], r.status,
                                             r.reason, list(r.integrity)))
    return rows
