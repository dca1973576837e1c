"""One grading job: one student's one assignment, graded in a folder of its own.

This is the interface between the orchestration (a local pool of worker
processes, or Dask workers) and what happens inside a job (sandbox, limits,
running the notebook, trusted scoring, tags, feedback):

    from lstm_grade.pipeline.job import Job, grade_job
    result = grade_job(Job(out_dir="/path/to/run", student="alice",
                           assignment="ch04_forget_gate", salt="..."))

``grade_job``

* never raises for a bad submission: a kernel that died, a notebook that
  timed out or could not be read is a ``JobResult`` whose ``status`` (one of
  the constants of ``status``) and ``reason`` say what happened;
* is idempotent: everything it writes lives under ``<out>/jobs/<assignment>/
  <student>`` (its own gradebook, copied from the run's template) and
  ``<out>/{autograded,feedback}/<student>/<assignment>``, all of it removed
  first, and the grading cases come from ``Job.salt``, so a retried job (Dask
  re-running it on another worker) gives the same result and counts once;
* works in any process that has the course installed (``lstm_grade`` and
  nbgrader importable, ``<out>`` set up by ``course.setup_course``).

Both records are NamedTuples of plain values, so they pickle (Dask) and
cross a pipe as JSON (``to_dict`` / ``from_dict``).
"""
from __future__ import annotations

from typing import NamedTuple

from . import status


class Job(NamedTuple):
    """What one grading job needs. Paths are absolute strings."""
    out_dir: str                  # the run's folder (an nbgrader course root)
    student: str
    assignment: str
    salt: str = ""                # drawn once per run, recorded with it: the grading cases
    cell_timeout: int = 60        # seconds per cell
    timeout: float = 600.0        # wall-clock seconds for the whole notebook
    sandbox: bool = True          # False: ``--no-sandbox`` (the same limits, no bubblewrap)
    hidden: tuple = ()            # unused: the sandbox shows an allow-list (kept for callers that set it)
    memory_bytes: int = 4 << 30   # kernel + its children + its tmpfs together
    file_bytes: int = 100 << 20   # everything the notebook writes, in total
    pids: int = 256               # processes and threads of the kernel and its children
    output_bytes: int = 64 << 10  # output kept per cell (first and last part)

    @classmethod
    def from_dict(cls, data: dict) -> "Job":
        """A ``Job`` from ``to_dict()``'s output (unknown keys are an error)."""
        data = dict(data)
        data["hidden"] = tuple(data.get("hidden", ()))
        return cls(**data)

    def to_dict(self) -> dict:
        return self._asdict()


class CellScore(NamedTuple):
    """One graded cell's scores in the job's gradebook (after trusted scoring)."""
    notebook: str
    cell: str
    auto_score: float | None
    manual_score: float | None
    max_score: float
    needs_manual: bool


class JobResult(NamedTuple):
    """What one job produced.

    ``status`` is ``status.GRADED`` when the notebook ran to the end (the
    rows' ``needs_manual`` is decided from ``cells``), else ``FAILED``,
    ``TIMEOUT`` or ``CORRUPT`` with ``reason`` saying what happened and what
    to do. ``misconceptions`` and ``integrity`` are the tag ids for the CSV,
    taken from the trusted judgement (never from text the notebook printed);
    ``notes`` are per-cell remarks for the CSV's detail column; ``limits``
    says how the job's resource limits were enforced (for the run summary).
    ``phases`` are (phase, wall seconds) pairs of the job in order
    (``worker.PHASES``), ``kernel_cpu`` the CPU seconds of the kernel and
    everything it started (the job's cgroup; 0 where it has none): a
    sandboxed kernel's CPU is not seen by ``getrusage`` in the processes above it.
    """
    student: str
    assignment: str
    status: str
    reason: str = ""
    cells: tuple = ()             # CellScore per graded cell
    misconceptions: tuple = ()
    integrity: tuple = ()
    notes: tuple = ()
    feedback: bool = False        # feedback HTML written
    seconds: float = 0.0
    limits: str = ""
    phases: tuple = ()            # (phase, wall seconds) pairs
    kernel_cpu: float = 0.0

    @property
    def ok(self) -> bool:
        """The notebook ran to the end and its cells have scores."""
        return self.status == status.GRADED

    def to_dict(self) -> dict:
        data = self._asdict()
        data["cells"] = [c._asdict() for c in self.cells]
        for key in ("misconceptions", "integrity", "notes"):
            data[key] = list(data[key])
        data["phases"] = dict(self.phases)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "JobResult":
        data = dict(data)
        data["cells"] = tuple(CellScore(**c) for c in data.get("cells", ()))
        for key in ("misconceptions", "integrity", "notes"):
            data[key] = tuple(data.get(key, ()))
        data["phases"] = tuple(dict(data.get("phases", {})).items())
        return cls(**data)


def failed(job: Job, state: str, reason: str, seconds: float = 0.0, integrity=()) -> JobResult:
    """The result of a job that produced no score (``state`` not in ``status.SCORED``)."""
    if state in status.SCORED:
        raise ValueError(f"status: {state!r} results carry scores; use JobResult directly")
    return JobResult(job.student, job.assignment, state, reason, integrity=tuple(integrity),
                     seconds=round(seconds, 3))


def grade_job(job: Job) -> JobResult:
    """Grade one student's one assignment (see the module's docstring)."""
    from .worker import grade
    return grade(job)
