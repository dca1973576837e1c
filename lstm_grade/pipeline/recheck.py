"""Defence in depth: re-check awarded points in a clean, sandboxed process.

The checks run inside the student's kernel, so code in the notebook can act
on them in-process (an IPython input transformer that blanks the test cells,
a patched exception display, ...). After nbgrader, for every test cell that
only calls ``check("name", fn, ...)`` and was awarded points, the worker runs
``recheck_kernel`` once per notebook in the same sandbox as the kernel: it
re-executes only the student's answer cells and calls ``check(name, fn,
hidden=True)`` with a ``check`` imported before any student code. Where the
re-check fails, the cell's points are withdrawn: the job's gradebook gets a
manual score of 0 with "needs manual grade" set (so nbgrader's formgrader
shows the cell for review, and the instructor can restore the points), and
the row is flagged ``recheck-failed`` (the check failed) or
``recheck-incomplete`` (the clean process died, ran past its time or gave no
valid answer).

Test cells with other code (an ``assert`` on variables, a training run) are
not re-checked. Answer cells run as plain Python: a helper defined in a cell
of the student's own, or an IPython magic, is missing there, and the detail
column says so.
"""
from __future__ import annotations

import ast
import json
import secrets
import sys
from pathlib import Path
from typing import NamedTuple

import nbformat

from . import sandbox
from .feedback import BEGIN, END
from .tags import INTEGRITY

FAILED = "recheck-failed"
INCOMPLETE = "recheck-incomplete"


class Plan(NamedTuple):
    """What the re-check of one assignment runs. ``tests`` maps a test cell's
    grade_id to its ``(check name, variable)`` pairs."""
    setup: list
    tests: dict


class Verdict(NamedTuple):
    """The re-check of one submission: test cells whose points were withdrawn,
    flags for the CSV and one note per withdrawn cell."""
    withdrawn: list
    flags: list
    notes: list


def _check_calls(source: str) -> list[tuple[str, str]] | None:
    """``[(name, variable)]`` if every statement of ``source`` is a call
    ``check("name", variable, ...)``, else ``None``."""
    source = "\n".join(ln for ln in source.split("\n") if BEGIN not in ln and END not in ln)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = []
    for stmt in tree.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "check"
                and len(call.args) >= 2 and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str) and isinstance(call.args[1], ast.Name)):
            return None
        calls.append((call.args[0].value, call.args[1].id))
    return sorted(set(calls)) or None


def plan(source_nb) -> Plan:
    """The re-check plan of an assignment's source notebook (``nbformat`` node)."""
    setup, tests = [], {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution"):
            continue
        if meta.get("grade"):
            calls = _check_calls(cell.source)
            if calls:
                tests[meta["grade_id"]] = calls
        elif meta.get("locked"):
            setup.append(cell.source)
    return Plan(setup, tests)


def answer_cells(nb) -> list[str]:
    """The sources of ``nb``'s autograded-answer code cells, in order."""
    return [c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]


def _run_clean(the_plan: Plan, answers: list[str], calls: list, spec: sandbox.SandboxSpec,
               timeout: float, log_path: str) -> dict | None:
    nonce = secrets.token_hex(16)
    job = json.dumps({"nonce": nonce, "setup": the_plan.setup, "answers": answers,
                      "checks": [list(c) for c in calls]})
    code, out = sandbox.run_sandboxed(spec, [sys.executable, "-m", "lstm_grade.pipeline.recheck_kernel"],
                                      job, timeout, log_path)
    lines = [ln for ln in out.splitlines() if ln.startswith(nonce + " ")]
    if code != 0 or len(lines) != 1:
        return None
    try:
        results = json.loads(lines[0][len(nonce) + 1:])
    except json.JSONDecodeError:
        return None
    return results if isinstance(results, dict) else None


def verify(source_nb, autograded_nb, scores: dict, spec: sandbox.SandboxSpec, timeout: float,
           log_path: str) -> Verdict:
    """Re-check the test cells of one submission that ``scores`` (grade_id ->
    nbgrader's auto_score) awarded points to. Starts no process if none did."""
    the_plan = plan(source_nb)
    awarded = [g for g, calls in the_plan.tests.items() if (scores.get(g) or 0) > 0]
    if not awarded:
        return Verdict([], [], [])
    calls = sorted({c for g in awarded for c in the_plan.tests[g]})
    results = _run_clean(the_plan, answer_cells(autograded_nb), calls, spec, timeout, log_path)
    withdrawn, flags, notes = [], set(), []
    for grade_id in awarded:
        if results is None:
            withdrawn.append(grade_id)
            flags.add(INCOMPLETE)
            notes.append(f"{grade_id}: points withdrawn, the clean re-check did not finish")
            continue
        failures = [results.get(f"{n} {v}", {"ok": False, "message": "no result"})
                    for n, v in the_plan.tests[grade_id]]
        failures = [r for r in failures if not r.get("ok")]
        if failures:
            withdrawn.append(grade_id)
            flags.add(FAILED)
            message = str(failures[0].get("message", ""))
            flags.update(INTEGRITY.findall(message))
            raised = [str(e) for e in results.get("errors", [])][:1]
            notes.append(f"{grade_id}: points withdrawn, the clean re-check failed: "
                         f"{message.splitlines()[0][:300] if message else 'no message'}"
                         + "".join(f" ({e})" for e in raised))
    return Verdict(withdrawn, sorted(flags), notes)


def withdraw(db_path: Path, assignment: str, student: str, verdict: Verdict) -> None:
    """Give each withdrawn test cell a manual score of 0 and mark it for review."""
    if not verdict.withdrawn:
        return
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{db_path}") as gb:
        for grade_id in verdict.withdrawn:
            grade = gb.find_grade(grade_id, assignment, assignment, student)
            grade.manual_score = 0.0
            grade.needs_manual_grade = True
        gb.db.commit()


def recheck_spec(kernel_spec: sandbox.SandboxSpec, folder: Path) -> sandbox.SandboxSpec:
    """The kernel's sandbox, working in an empty ``folder`` of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    return kernel_spec._replace(workdir=str(folder), scratch=str(folder))


def read(path: Path):
    """``nbformat`` read of ``path``."""
    return nbformat.read(str(path), as_version=4)
