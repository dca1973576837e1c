"""Every solution notebook runs top to bottom in-process, with all visible and hidden checks.

A quick, nbgrader-free run of the same cells nbgrader executes, so that a
broken answer or check shows up with a plain traceback. (The real grading
run, with scores, is in test_notebooks_nbgrader.py.)
"""
from __future__ import annotations

import ast
import contextlib
import io
import warnings

import pytest

from lstm_grade.authoring import notebook_for
from lstm_grade.authoring.assignments import ASSIGNMENTS

SLOW = {"ch11_training"}  # trains a model for a few seconds


def _exec_cell(source: str, filename: str, namespace: dict):
    """Run a cell as a kernel would; return the value of a final bare expression (else None)."""
    tree = ast.parse(source, filename)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, filename, "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
    # IPython displays nothing when the cell ends with a semicolon.
    return None if source.rstrip().endswith(";") else value


def _run(assignment) -> str:
    """Execute every code cell of the solution in one fresh namespace; return stdout."""
    nb = notebook_for(assignment)
    namespace = {"__name__": "__main__"}
    out, err = io.StringIO(), io.StringIO()
    results = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning in a graded cell would score it 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    value = _exec_cell(cell.source, f"<{assignment.name}:{cell.id}>", namespace)
                    if cell.metadata.get("nbgrader", {}).get("grade"):
                        results[cell.id] = value
    assert err.getvalue() == "", f"{assignment.name} wrote to stderr:\n{err.getvalue()}"
    # nbgrader reads a number displayed by a test cell as partial credit (and refuses
    # one above the cell's points), so a test cell must display nothing.
    shown = {k: v for k, v in results.items() if v is not None}
    assert not shown, f"{assignment.name}: test cells display a value nbgrader would take as a score: {shown}"
    return out.getvalue()


@pytest.mark.parametrize("assignment", [
    pytest.param(a, id=a.name, marks=[pytest.mark.slow] if a.name in SLOW else [])
    for a in ASSIGNMENTS])
def test_solution_passes_every_check(assignment):
    out = _run(assignment)
    graded = [c.grade_id for c in assignment.cells
              if c.nbgrader and c.kind == "code" and c.nbgrader["solution"]
              and f'check("{c.grade_id}"' in "\n".join(x.source for x in assignment.cells)]
    for name in graded:
        assert f"✔ {name}" in out, f"no pass line for {name} in:\n{out}"
