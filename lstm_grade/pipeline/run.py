"""``grade``: the whole pipeline, from a submissions folder or zip to grades.csv."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import NamedTuple

import nbformat

from . import collect, course, integrity, lms, sandbox, scoring, status, summary, tags
from .autograde import run_jobs
from .export import write_grades
from .merge import merge_gradebooks


class Options(NamedTuple):
    """Settings of one grading run (see ``cli`` for their meaning)."""
    out_dir: Path
    source: Path
    assignments: tuple = ()
    jobs: int = os.cpu_count() or 1
    cell_timeout: int = 60
    timeout: float = 600.0
    use_sandbox: bool = True
    memory_bytes: int = 4 << 30
    lms_regex: str = ""


class Outcome(NamedTuple):
    """What ``grade`` produced."""
    rows: list
    summary: dict
    text: str
    grades_csv: Path
    seconds: float


def _collect(path: Path, opts: Options, known: list[str]):
    """Returns (collected, assignments) with the course set up."""
    out = opts.out_dir
    wanted = list(opts.assignments)
    skipped: list = []
    if opts.lms_regex:
        lms.check_regex(opts.lms_regex)
    if path.is_dir():
        root = path
    elif path.suffix.lower() == ".zip" and path.is_file():
        extracted = out / "incoming"
        shutil.rmtree(extracted, ignore_errors=True)
        skipped = collect.safe_extract(path, extracted)
        root = collect.folder_root(extracted, known)
        if root is None:  # flat LMS files: nbgrader's zip_collect
            names = [str(p) for p in extracted.rglob("*.ipynb")]
            assignments = wanted or lms.assignments_in_zip_names(names, known)
            if not assignments:
                raise ValueError(f"submissions: {path} holds no <student>/<assignment> folders "
                                 f"and no file named after an assignment ({', '.join(known)})")
            course.setup_course(out, opts.source, assignments, opts.cell_timeout)
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
    course.setup_course(out, opts.source, assignments, opts.cell_timeout)
    collected = collect.collect_folder(root, out, assignments)
    for name in unknown:
        collected.issues.append(collect.Issue("", name, "unexpected",
                                              "folder matches no assignment of the course; ignored"))
    collected.issues.extend(skipped)
    return collected, assignments


def _hidden_paths(opts: Options) -> list[str]:
    paths = {str(opts.out_dir.resolve()), str(Path(opts.source).resolve()),
             str(course.repo_root() / "solutions"), str(course.repo_root() / "grading")}
    return sorted(p for p in paths if os.path.isdir(p))


def grade(path, opts: Options, echo=print) -> Outcome:
    """Grade every submission under ``path`` (folder or zip) into ``opts.out_dir``."""
    start = time.perf_counter()
    path = Path(path)
    if not path.exists():
        raise ValueError(f"submissions: {path} does not exist")
    if opts.use_sandbox and sandbox.bwrap_path() is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed, so students' code cannot be "
                           "sandboxed. Install it (Debian: apt-get install bubblewrap) or pass "
                           "--no-sandbox to run students' code with your own permissions.")
    out = Path(opts.out_dir).resolve()
    opts = opts._replace(out_dir=out)
    if (out / "gradebook.db").exists():
        raise ValueError(f"out: {out} already holds a grading run; choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    known = course.known_assignments(opts.source)
    unknown = [a for a in opts.assignments if a not in known]
    if unknown:
        raise ValueError(f"assignment: {', '.join(unknown)} not in {opts.source} ({', '.join(known)})")
    echo(f"Collecting {path} ...")
    collected, assignments = _collect(path, opts, known)
    sandbox.write_kernelspec(out / "jupyter")
    job_common = {"out_dir": str(out), "cell_timeout": opts.cell_timeout, "sandbox": opts.use_sandbox,
                  "hidden": _hidden_paths(opts), "memory_bytes": opts.memory_bytes,
                  "file_bytes": 100 << 20, "timeout": opts.timeout}
    jobs = [dict(job_common, student=s, assignment=a) for s, a in collected.submitted]
    echo(f"Autograding {len(jobs)} notebooks of {len(collected.students)} students "
         f"on {opts.jobs} workers{'' if opts.use_sandbox else ' WITHOUT a sandbox'} ...")
    results = run_jobs(jobs, out, opts.jobs, opts.timeout) if jobs else []
    merge_gradebooks(out, results)
    cells = {a: scoring.grade_cells(out / "source" / a / f"{a}.ipynb") for a in assignments}
    rows = _rows(out, collected, results, cells)
    grades_csv = write_grades(rows, out / "grades.csv")
    info = summary.build_summary(rows, cells, collected.issues)
    text = summary.write_summary(info, out)
    echo(text)
    echo(outputs_text(out, rows))
    return Outcome(rows, info, text, grades_csv, time.perf_counter() - start)


def outputs_text(out: Path, rows) -> str:
    """Where the run's outputs are, for the instructor to read last."""
    pending = sum(1 for r in rows if r.status == status.NEEDS_MANUAL)
    lines = [f"\nOutputs in {out}/",
             f"  grades.csv          one row per student and assignment ({len(rows)} rows)",
             "  summary.txt         the summary above (also summary.json)",
             "  misconceptions.png  the misconceptions across the class",
             "  feedback/           <student>/<assignment>/<assignment>.html, hidden tests removed",
             "  gradebook.db        every grade, for nbgrader's formgrader"]
    if pending:
        lines.append(f"{pending} submissions have written answers to grade by hand: "
                     f"cd {out} && jupyter lab, then Nbgrader > Formgrader")
    return "\n".join(lines)


def _cell_timeouts(nb_path: Path) -> list[str]:
    try:
        nb = nbformat.read(str(nb_path), as_version=4)
    except Exception:
        return []
    return [c.metadata.get("nbgrader", {}).get("grade_id", f"cell {k}") for k, c in enumerate(nb.cells)
            if any(o.get("ename") == "CellTimeoutError" for o in c.get("outputs", []))]


def _rows(out: Path, collected, results: list[dict], cells: dict) -> list:
    rows = []
    for issue in collected.issues:
        if issue.status in (status.CORRUPT, status.MISSING):
            rows.append(scoring.unscored_row(issue.student, issue.assignment, cells[issue.assignment],
                                             issue.status, issue.detail))
    for r in results:
        s, a = r["student"], r["assignment"]
        source_nb = out / "source" / a / f"{a}.ipynb"
        flags = integrity.scan(out / "submitted" / s / a / f"{a}.ipynb", source_nb)
        if r["status"] == "ok":
            autograded = out / "autograded" / s / a / f"{a}.ipynb"
            found_m, found_i = tags.tags_in_file(autograded)
            notes = [f"{g} timed out (per-cell limit)" for g in _cell_timeouts(autograded)]
            checked = r.get("recheck") or {}
            notes += checked.get("notes", [])
            if r.get("error"):
                notes.append(r["error"])
            rows.append(scoring.scored_row(s, a, cells[a], r, found_m,
                                           sorted(set(found_i) | set(flags) | set(checked.get("flags", []))),
                                           notes))
        else:
            state = status.TIMEOUT if r["status"] == "timeout" else status.FAILED
            rows.append(scoring.unscored_row(s, a, cells[a], state, r["error"], flags))
    return rows
