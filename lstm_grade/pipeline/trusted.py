"""What one assignment's trusted grading runs: read from its source notebook.

``assignment_plan(source_nb, salt)`` finds the graded test cells:

* a cell whose statements are all ``check("name", variable, ...)`` is graded
  by the values of ``variable`` on the hidden cases of ``name`` (drawn from
  the run's ``salt``); ``check_answer("qid", variable)`` (a quiz question) by
  the plain value of ``variable``, judged by ``checks.quiz.judge``;
* a cell listed in ``checks._replay.CELL_JUDGES`` (the numerical gradients,
  the training accuracy) is graded by the values it names;
* the kernel answers a test cell's calls just before that cell runs, so
  the values are those the test cell would see (a later cell may reuse
  the names);
* any other graded code cell keeps nbgrader's in-kernel verdict and is
  marked for a person to review (``in_kernel``): nothing an instructor adds
  is silently trusted.

It also lists the lstm_ref functions to hide
(``checks._refs.hidden_for``, keeping what the assignment's locked setup
cells use) and the animation cells that need not run.
"""
from __future__ import annotations

import ast
import json
import re
from typing import NamedTuple

from .feedback import BEGIN, END


class AssignmentPlan(NamedTuple):
    tests: dict          # grade_id -> [[checker, name, variable], ...] or "cell"
    in_kernel: list      # graded code cells judged in the kernel (flagged for review)
    captures: dict       # grade_id -> the kernel's export calls, made just before that test cell runs
    graded: list         # graded function names
    hidden: list         # lstm_ref functions hidden in the kernel
    skip_sources: list   # sources of cells that only draw


CHECKERS = ("check", "check_answer")   # the checks' function, the quiz's (``checks.quiz``)


def check_calls(source: str) -> list[tuple[str, str, str]] | None:
    """``[(checker, name, variable)]`` if every statement of ``source`` is a call
    ``check("name", variable, ...)`` or ``check_answer("qid", variable)`` (an import
    of either may stand among them), else ``None``."""
    source = "\n".join(ln for ln in source.split("\n") if BEGIN not in ln and END not in ln)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = []
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module in ("lstm_grade.checks", "lstm_grade.checks.quiz"):
            continue
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id.lstrip("_") in CHECKERS
                and len(call.args) >= 2 and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str) and isinstance(call.args[1], ast.Name)):
            return None
        calls.append((call.func.id.lstrip("_"), call.args[0].value, call.args[1].id))
    return sorted(set(calls)) or None


def _names(source: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source))


def assignment_plan(source_nb, salt: str) -> AssignmentPlan:
    """The plan of an assignment's source notebook (``nbformat`` node) for ``salt``."""
    from lstm_grade.checks import _refs, _replay
    from lstm_grade.checks._specs import SPECS

    tests, in_kernel, captures, graded, setup_names, skip = {}, [], {}, set(), set(), []
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if not meta:
            if "lstm_viz.widgets" in cell.source:
                skip.append(cell.source)
            continue
        if meta.get("solution"):
            continue
        grade_id = meta.get("grade_id")
        if not meta.get("grade"):
            if meta.get("locked"):
                setup_names |= _names(cell.source)
            continue
        found = check_calls(cell.source)
        if found and all(name in SPECS if checker == "check" else _replay.quiz_known(name)
                         for checker, name, _ in found):
            tests[grade_id] = [list(c) for c in found]
            captures[grade_id] = [c for checker, name, variable in found
                                  for c in (_replay.plan(name, variable, salt) if checker == "check"
                                            else _replay.plan_quiz(name, variable))]
            graded.update(name for checker, name, _ in found if checker == "check")
        elif grade_id in _replay.CELL_JUDGES:
            tests[grade_id] = "cell"
            captures[grade_id] = _replay.CELL_JUDGES[grade_id].plan(salt)
        else:
            in_kernel.append(grade_id)
    hidden = sorted(_refs.hidden_for(graded, keep=setup_names))
    return AssignmentPlan(tests, in_kernel, captures, sorted(graded), hidden, skip)


def export_source(calls: list, nonce: str) -> str:
    """The grader's cell run just before a test cell (see ``kernel_export``)."""
    return ("from lstm_grade.pipeline.kernel_export import export as _gbg_export\n"
            f"_gbg_export({json.dumps(json.dumps(calls))}, {nonce!r}, globals())\n")
