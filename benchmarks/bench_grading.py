"""Time the grading pipeline against plain ``nbgrader autograde`` on one class.

Baseline: ``nbgrader autograde ch06_cell_update`` (one process, students one
after another, unsandboxed) in a course root of its own. Candidate:
``python -m lstm_grade grade`` (parallel workers, each kernel sandboxed, plus
the clean re-check of awarded points, feedback, CSV and summary). Prints both
wall times and their ratio.

    .venv/bin/python benchmarks/bench_grading.py [--students 30] [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from lstm_grade.pipeline import course, synthetic as syn
from lstm_grade.pipeline.cli import main as grade_main

ROOT = Path(__file__).resolve().parents[1]
A = "ch06_cell_update"


def build_class(subs: Path, n: int) -> None:
    source = nbformat.read(ROOT / "solutions" / A / f"{A}.ipynb", as_version=4)
    for k in range(n):
        nb = syn.answered_copy(source) if k % 3 else syn.release_copy(source)
        syn.write_submission(subs, f"s{k:02d}", A, nb)


def plain_nbgrader(subs: Path, work: Path) -> float:
    root = work / "plain"
    course.setup_course(root, ROOT / "solutions", [A], 60)
    shutil.copytree(subs, root / "submitted")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", A, "--force"],
                   cwd=root, env=course.tool_env(), check=True, capture_output=True)
    return time.perf_counter() - start


def pipeline(subs: Path, work: Path, jobs: int) -> float:
    start = time.perf_counter()
    code = grade_main(["grade", str(subs), "--out", str(work / "pipeline"), "--jobs", str(jobs)])
    if code:
        raise SystemExit("the pipeline failed")
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_class(work / "subs", args.students)
        base = plain_nbgrader(work / "subs", work)
        ours = pipeline(work / "subs", work, args.jobs)
    print(f"class of {args.students} on {A}, {os.cpu_count()} cores, --jobs {args.jobs}")
    print(f"baseline  plain nbgrader autograde (sequential, unsandboxed): {base:7.1f} s")
    print(f"pipeline  lstm_grade grade (parallel, sandboxed, + re-check, feedback): {ours:7.1f} s")
    print(f"ratio pipeline / baseline: {ours / base:.2f}")


if __name__ == "__main__":
    main()
