"""Time the grading pipeline against plain ``nbgrader autograde`` on one class.

Baseline: ``nbgrader autograde ch06_cell_update`` (one process, students one
after another, unsandboxed, no feedback) in a course root of its own.
Candidate: ``python -m lstm_grade grade`` (a local Dask cluster of ``--jobs``
workers, by default the pipeline's own, cores + 1, each with a long-lived
grading process started while the course is set up; every kernel sandboxed;
trusted grading; feedback, CSVs, summary and report). Both run on the same
class in one run of this script, each as a child process, and each is
measured as wall time and CPU seconds per graded notebook. CPU seconds are
those of the process and everything it started, read from a cgroup
(``cpuacct``) the command runs in: ``getrusage(RUSAGE_CHILDREN)`` misses the
sandboxed kernels, whose times bubblewrap never hands up (where no cgroup
can be made, the table says so and shows ``getrusage``'s undercount). The
ratios are the result; the absolute times depend on the machine and its load.

Then where the pipeline's time goes: its phases (``<out>/timings.json``: wall
and CPU seconds, the CPU of the pipeline's process and all it started, the
kernels' from their jobs' cgroups, so that a loaded machine, which stretches
wall time, still shows the work), the steps of one job (``<out>/jobs.json``:
the median wall seconds of each of ``worker.PHASES``, and the kernel's CPU)
and the fixed costs a process pays at start-up (importing nbgrader; a
kernel's imports), which a long-lived grading process pays once per worker
instead of once per notebook.

    .venv/bin/python benchmarks/bench_grading.py [--students 30] [--jobs N]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from lstm_grade.pipeline import course, limits, synthetic as syn
from lstm_grade.pipeline.run import default_jobs
from lstm_grade.pipeline.worker import PHASES

ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"


def build_class(subs: Path, n: int) -> None:
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    for k in range(n):
        nb = syn.answered_copy(source) if k % 3 else syn.release_copy(source)
        syn.write_submission(subs, f"s{k:02d}", A, nb)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _cpu_group(label: str) -> Path | None:
    """A fresh cpuacct cgroup to measure one command in, or ``None`` where none can be made."""
    folder = limits.ROOT / "cpuacct" / f"gbg-bench-{os.getpid()}-{label}"
    try:
        folder.mkdir()
    except OSError:
        return None
    return folder


def _remove_group(folder: Path) -> None:
    for sub in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        if sub.is_dir():
            sub.rmdir()
    folder.rmdir()


def measured(argv: list[str], cwd: Path, label: str = "cmd") -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``argv`` and everything it started."""
    group = _cpu_group(label)

    def join() -> None:   # in the child, before it starts anything
        (group / "cgroup.procs").write_text(str(os.getpid()))
    cpu0, start = _children_cpu(), time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=course.tool_env(), capture_output=True, text=True,
                          preexec_fn=join if group else None)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    if group is not None:
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        _remove_group(group)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{proc.stderr[-3000:]}")
    return wall, cpu


def plain_nbgrader(subs: Path, work: Path) -> tuple[float, float]:
    root = work / "plain"
    course.setup_course(root, ROOT / "solutions", [A], 60)
    shutil.copytree(subs, root / "submitted")
    return measured([sys.executable, "-m", "nbgrader", "autograde", A, "--force"], root, "baseline")


def pipeline(subs: Path, out: Path, jobs: int | None) -> tuple[float, float]:
    more = [] if jobs is None else ["--jobs", str(jobs)]
    return measured([sys.executable, "-m", "lstm_grade", "grade", str(subs), "--out", str(out), *more],
                    out.parent, "pipeline")


def startup_costs(work: Path) -> dict:
    """CPU seconds of the imports each kind of process pays once."""
    costs = {}
    for name, code in [("nbgrader import (plain nbgrader, per process)", "import nbgrader.converters"),
                       ("grading process imports (once per worker)",
                        "import lstm_grade.pipeline.autograde, nbgrader.converters"),
                       ("kernel imports (per notebook)",
                        "import ipykernel.kernelapp, numpy, lstm_grade.checks")]:
        costs[name] = min(measured([sys.executable, "-c", code], work)[1] for _ in range(3))
    return costs


def _cpu_group_works() -> bool:
    group = _cpu_group("probe")
    if group is None:
        return False
    group.rmdir()
    return True


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--jobs", type=int, default=None,
                   help="the pipeline's --jobs (default: its own default, cores + 1)")
    args = p.parse_args()
    n = args.students
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_class(work / "subs", n)
        base_wall, base_cpu = plain_nbgrader(work / "subs", work)
        out = work / "pipeline"
        ours_wall, ours_cpu = pipeline(work / "subs", out, args.jobs)
        timings = json.loads((out / "timings.json").read_text())
        jobs = json.loads((out / "jobs.json").read_text())
        graded = sum(1 for j in jobs if j["status"] == "graded")
        costs = startup_costs(work)
    load = os.getloadavg()
    print(f"class of {n} on {A}, {os.cpu_count()} cores, --jobs {args.jobs or default_jobs()}, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'':<52} {'wall s':>8} {'CPU s':>8} {'wall/nb':>8} {'CPU/nb':>8}")
    for label, wall, cpu in [("baseline  nbgrader autograde (sequential, unsandboxed)", base_wall, base_cpu),
                             ("pipeline  lstm_grade grade (Dask, sandboxed, trusted)", ours_wall, ours_cpu)]:
        print(f"{label:<52} {wall:8.1f} {cpu:8.1f} {wall / n:8.2f} {cpu / n:8.2f}")
    print(f"graded notebooks: pipeline {graded} of {n}")
    print("CPU measured: " + ("every process each command started (a cpuacct cgroup)"
                              if _cpu_group_works() else
                              "getrusage only (no cpuacct cgroup here): the sandboxed kernels are NOT counted"))
    print(f"wall-time speed-up (baseline / pipeline): {base_wall / ours_wall:.2f}x")
    print(f"CPU per notebook, pipeline / baseline:   {ours_cpu / base_cpu:.2f}")
    print(f"\nwhere the pipeline's time goes:{'wall s':>19} {'CPU s':>7}")
    for phase, spent in timings.items():
        print(f"  {phase:<40} {spent['wall']:7.1f} {spent['cpu']:7.1f}")
    times = [j["seconds"] for j in jobs]
    print(f"  one job (median, min, max)               {statistics.median(times):7.1f} s "
          f"{min(times):.1f} {max(times):.1f}")
    print("one job's steps (median wall s), and its kernel's CPU s:")
    for phase, _ in PHASES:
        spent = [j.get("phases", {}).get(phase, 0.0) for j in jobs]
        print(f"  {phase:<40} {statistics.median(spent):7.2f}")
    print(f"  {'kernel CPU (the job cgroup)':<40} {statistics.median(j.get('kernel_cpu', 0.0) for j in jobs):7.2f}")
    print("fixed start-up costs, CPU seconds:")
    for name, cpu in costs.items():
        print(f"  {name:<46} {cpu:7.2f}")


if __name__ == "__main__":
    main()
