"""Run the grading jobs on Dask distributed.

By default a local cluster sized by ``--jobs`` (one Dask worker thread per
notebook graded at once, in this process); with ``--cluster tcp://HOST:PORT``
an existing Dask cluster. Either way each Dask worker thread hands its jobs
to a grading process of its own (``autograde.GradingProcess``), started on its
first job and kept for the next ones, so nbgrader is imported once per worker,
not once per notebook. For a local cluster those processes are started ahead
(``prestart``, while the submissions are read), and one of them sets up the
course (``generator``: nbgrader's ``generate_assignment``) before it grades.

An existing cluster's workers must have the course installed at the same
path as the machine that runs ``grade`` (the same ``lstm_grade`` and nbgrader,
``make install``, and bubblewrap: the run's kernelspec names that Python) and
see the output folder at the same path: a job reads the submission and the
run's template gradebook from ``<out>`` and writes its gradebook, autograded
notebook and feedback there (a shared file system such as NFS; nothing is
shipped to the workers). ``check_workers`` asks every worker before the first
job and names any that cannot.

Lost work: when a worker dies mid-job (killed, out of memory, its machine
gone), the scheduler runs the job again on another worker (up to
``distributed.scheduler.allowed-failures`` times; beyond that the row is
``failed``, saying so). Every task has a key made of the run and the
(student, assignment), results are kept in a dict under that pair, and a job
is idempotent (``job.grade_job``), so a job run twice still gives one row and
one set of grades in the merged gradebook.

Quiet servers: a Dask server checks its event loop every 20 ms and a worker
samples its threads' stacks every 10 ms (its profiler), for dashboards a
grading run never shows. The local cluster's workers live in the process
that runs ``grade`` and only wait on their grading processes, yet those
timers alone took 0.08 CPU seconds a second with two workers (0.12 with
three), through the whole grading; ``QUIET`` (the profiler off, a 1 s tick,
a 5 s system monitor) leaves 0.015. The same settings, as environment
variables (``quiet_environment``), quiet the scheduler and workers of an
existing cluster when they are started with them.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable

from . import status
from .autograde import GradingProcess
from .job import Job, JobResult, failed

#: Dask settings of the local cluster (see the module docstring).
QUIET = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "1s",
         "distributed.admin.system-monitor.interval": "5s"}


def quiet_environment() -> dict:
    """``QUIET`` as the ``DASK_*`` environment variables of a ``dask scheduler`` or ``dask worker``."""
    return {"DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value) for key, value in QUIET.items()}


_PROCESSES: dict[int, GradingProcess] = {}   # per worker thread of this process
_SPARES: list = []                           # started ahead (``prestart``), not yet a thread's
_LOCK = threading.Lock()


class _Starting:
    """A grading process being started in a thread of its own."""

    def __init__(self, out_dir: str, name: str):
        self.out_dir, self.proc, self.error = out_dir, None, None
        self.thread = threading.Thread(target=self._start, args=(name,), daemon=True)
        self.thread.start()

    def _start(self, name: str) -> None:
        try:
            self.proc = GradingProcess(Path(self.out_dir), Path(self.out_dir) / "logs" / name)
        except (RuntimeError, OSError) as err:
            self.error = err

    def get(self) -> GradingProcess:
        self.thread.join()
        if self.proc is None:
            raise self.error or RuntimeError("a grading process did not start")
        return self.proc


def prestart(out_dir, n: int) -> None:
    """Start ``n`` grading processes for the run in ``out_dir`` now, in the
    background, so that importing nbgrader in them overlaps collecting the
    submissions and setting up the course (a local cluster's worker threads
    take them on their first job; see ``grade_task``)."""
    host = socket.gethostname()
    with _LOCK:
        for k in range(n):
            _SPARES.append(_Starting(str(out_dir), f"grading-{host}-{os.getpid()}-ahead{k}.log"))


def generator(out_dir):
    """A ``course.setup_course`` generator that runs ``generate`` in a grading
    process started ahead for ``out_dir`` (which then grades as usual); if
    none was started (a run on an existing cluster), in this process: the
    grading command imports nbgrader here for the merge anyway, and a new
    process for it took about 4 CPU seconds, most of them importing nbgrader."""
    with _LOCK:
        mine = next((s for s in _SPARES if s.out_dir == str(out_dir)), None)
    if mine is None:
        from .course import generate as generate_here
        return generate_here

    def generate(out, assignments) -> None:
        mine.get().generate(Path(out), assignments)
    return generate


def _spare(out_dir: str) -> GradingProcess | None:
    with _LOCK:
        mine = next((s for s in _SPARES if s.out_dir == out_dir), None)
        if mine is not None:
            _SPARES.remove(mine)
    if mine is None:
        return None
    try:
        return mine.get()
    except (RuntimeError, OSError):
        return None


def _log_path(out_dir: str) -> Path:
    return Path(out_dir) / "logs" / f"grading-{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}.log"


def grade_task(job: Job) -> JobResult:
    """The Dask task: grade ``job`` in this worker thread's grading process."""
    me = threading.get_ident()
    with _LOCK:
        proc = _PROCESSES.get(me)
    if proc is None or not proc.alive:
        proc = _spare(job.out_dir)
        if proc is not None and not proc.alive:
            proc.kill()
            proc = None
        if proc is None:
            try:
                proc = GradingProcess(Path(job.out_dir), _log_path(job.out_dir))
            except (RuntimeError, OSError) as err:
                return failed(job, status.FAILED, f"{err} (on {socket.gethostname()})")
        with _LOCK:
            _PROCESSES[me] = proc
    return proc.run(job)


def close_processes() -> int:
    """Stop this process's grading processes, those started ahead and never
    used too (run on each worker at the end)."""
    with _LOCK:
        procs = list(_PROCESSES.values())
        _PROCESSES.clear()
        spares = list(_SPARES)
        _SPARES.clear()
    for spare in spares:
        try:
            procs.append(spare.get())
        except (RuntimeError, OSError):
            pass
    for proc in procs:
        proc.close()
    return len(procs)


def worker_problem(out_dir: str, python: str = "") -> str | None:
    """Why this worker cannot grade the run in ``out_dir`` (``None`` if it can);
    ``python``: the interpreter the run's kernelspec starts."""
    if python and not os.access(python, os.X_OK):
        return f"has no {python}: install the course at the same path on every worker"
    if not (Path(out_dir) / "gradebook.db").is_file():
        return (f"cannot see {out_dir}/gradebook.db: the workers need the output folder at the "
                f"same path (a shared file system)")
    try:
        import nbgrader  # noqa: F401
        import lstm_grade.pipeline.job  # noqa: F401
    except ImportError as err:
        return f"the course is not installed there ({err})"
    return None


def check_workers(client, out_dir: str) -> int:
    """Ask every worker of ``client``'s cluster whether it can grade; returns
    how many there are. ``RuntimeError`` naming each worker that cannot."""
    answers = client.run(worker_problem, out_dir, sys.executable)
    if not answers:
        raise RuntimeError("cluster: the Dask cluster has no workers")
    bad = {w: why for w, why in answers.items() if why}
    if bad:
        raise RuntimeError("cluster: " + "; ".join(f"worker {w} {why}" for w, why in sorted(bad.items())))
    return len(answers)


def _run_key(out_dir: str) -> str:
    return hashlib.sha1(str(out_dir).encode()).hexdigest()[:10]


def task_key(job: Job) -> str:
    """The Dask key of ``job``: one per run, student and assignment."""
    return f"grade-{_run_key(job.out_dir)}-{job.assignment}-{job.student}"


def _lost(job: Job, err: BaseException) -> JobResult:
    from distributed.scheduler import KilledWorker
    if isinstance(err, KilledWorker):
        return failed(job, status.FAILED, "every Dask worker that ran this job died while running it "
                                          "(killed, or out of memory); see the workers' logs")
    return failed(job, status.FAILED, f"the grading task raised {type(err).__name__}: {err}")


def run_jobs(jobs: Iterable[Job], n_jobs: int = 1, address: str = "",
             on_start: Callable[[int], None] | None = None,
             on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run every job; one ``JobResult`` per (student, assignment), in the
    order of ``jobs``.

    ``address``: a Dask scheduler (``tcp://HOST:PORT``); empty means a local
    cluster of ``n_jobs`` workers. ``on_start(workers)`` is called once the
    cluster is up, ``on_result`` as each result arrives (the progress bar).
    """
    import dask
    import distributed  # noqa: F401  (its defaults join dask's config before ``set`` records what to restore)

    jobs = list(jobs)
    if not address and n_jobs < 1:
        raise ValueError(f"jobs: expected at least 1 worker, got {n_jobs}")
    keys = [(j.student, j.assignment) for j in jobs]
    if len(set(keys)) != len(keys):
        raise ValueError("jobs: a (student, assignment) appears twice")
    if not jobs:
        return []
    with dask.config.set(QUIET):
        return _run_on_dask(jobs, keys, n_jobs, address, on_start, on_result)


def _run_on_dask(jobs: list[Job], keys: list, n_jobs: int, address: str, on_start, on_result) -> list[JobResult]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if address:
        client = Client(address, timeout="60s")
    else:
        # Threads suffice here: each worker thread only waits on its grading process.
        cluster = LocalCluster(n_workers=min(n_jobs, len(jobs)), threads_per_worker=1,
                               processes=False, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    results: dict[tuple, JobResult] = {}
    try:
        workers = check_workers(client, jobs[0].out_dir)
        if on_start:
            on_start(workers)
        by_key = {}
        for job in jobs:
            by_key[task_key(job)] = (client.submit(grade_task, job, key=task_key(job), pure=False), job)
        for fut in as_completed([f for f, _ in by_key.values()]):
            job = by_key[fut.key][1]
            err = fut.exception()
            result = _lost(job, err) if err is not None else fut.result()
            pair = (result.student, result.assignment)
            if pair != (job.student, job.assignment):
                result = failed(job, status.FAILED, "the grading task answered for another submission")
                pair = (job.student, job.assignment)
            if pair in results:   # never counted twice
                continue
            results[pair] = result
            if on_result:
                on_result(result)
            fut.release()
    finally:
        try:
            client.run(close_processes)
        except Exception:  # a worker that is gone has nothing left to close
            pass
        client.close()
        if cluster is not None:
            cluster.close()
    return [results[k] for k in keys]
