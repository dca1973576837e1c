"""Command line: ``python -m lstm_grade grade PATH`` and ``python -m lstm_grade generate``."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import integrity, status
from .course import repo_root
from .run import default_jobs


def _epilog() -> str:
    statuses = "\n".join(f"  {k:<13} {v}" for k, v in status.DESCRIPTIONS.items())
    flags = "\n".join(f"  {k:<19} a pattern in the student's own code (integrity.PATTERNS)"
                      for k in integrity.PATTERNS)
    return f"""\
statuses in grades.csv (the score is empty, never 0, unless graded or needs_manual):
{statuses}

integrity_flags in grades.csv (look at these by hand; they never change a score,
which only the trusted judgement of the values the answers computed decides):
  calls-reference     an answer called a graded reference function (it scores 0)
{flags}

outputs in --out:
  grades.csv, report.html (the class report, offline), summary.txt, summary.json,
  misconceptions.png, canvas_grades.csv (Canvas: Grades > Import),
  moodle_<assignment>.csv (Moodle: Upload grading worksheet; Moodle downloads only)
  feedback/<student>/<assignment>/<assignment>.html  (hidden tests removed)
  gradebook.db  to grade written answers: `jupyter lab` in --out, then Nbgrader > Formgrader
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lstm_grade",
                                description="Gate by Gate's grading commands.")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade a class: folder <student>/<assignment>/<assignment>.ipynb or a zip",
                       epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("path", help="submissions folder or LMS download zip")
    g.add_argument("--out", help="output folder (default grading/<date-time>/ in the repository)")
    g.add_argument("--source", default=str(repo_root() / "solutions"),
                   help="folder of the assignments' source notebooks (default: solutions/)")
    g.add_argument("--assignment", action="append", default=[],
                   help="grade only this assignment (repeatable; default: every one submitted)")
    g.add_argument("--jobs", type=int, default=default_jobs(),
                   help="notebooks graded at once on the local Dask cluster (default: cores + 1)")
    g.add_argument("--cluster", default="",
                   help="grade on an existing Dask cluster, tcp://HOST:PORT of its scheduler; its "
                        "workers need the course installed and --out on a shared file system")
    g.add_argument("--salt", default="",
                   help="the grading cases' salt of an earlier run (its run.json) to re-grade it "
                        "with the same cases (default: drawn for this run)")
    g.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell (default 60)")
    g.add_argument("--timeout", type=float, default=600.0,
                   help="wall-clock seconds per notebook; beyond it the status is 'timeout' (default 600)")
    g.add_argument("--memory", type=float, default=4.0, help="GiB of address space per kernel (default 4)")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run students' code unsandboxed (only if bwrap is unavailable and you trust it)")
    g.add_argument("--lms-regex", default="",
                   help="file-name pattern of a flat LMS zip, with the groups student_id and "
                        "assignment (default: <student>_..._<assignment>[-N].ipynb, as Canvas names them)")
    sub.add_parser("generate", help="regenerate exercises/ from solutions/ (nbgrader generate_assignment)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "generate":
        from lstm_grade.authoring import generate_all
        generate_all()
        return 0
    from .run import Options, grade
    out = Path(args.out) if args.out else repo_root() / "grading" / time.strftime("%Y%m%d-%H%M%S")
    opts = Options(out_dir=out, source=Path(args.source), assignments=tuple(args.assignment),
                   jobs=args.jobs, cell_timeout=args.cell_timeout, timeout=args.timeout,
                   use_sandbox=not args.no_sandbox, memory_bytes=int(args.memory * (1 << 30)),
                   lms_regex=args.lms_regex, cluster=args.cluster, salt=args.salt)
    try:
        grade(args.path, opts)
    except (ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
