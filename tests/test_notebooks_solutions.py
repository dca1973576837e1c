"""Every solution notebook runs top to bottom in-process, with all visible and hidden checks.

A quick, nbgrader-free run of the same cells nbgrader executes, so that a
broken answer or check shows up with a plain traceback. (The real grading
run, with scores, is in test_notebooks_nbgrader.py.)
"""
from __future__ import annotations

import contextlib
import io
import warnings

import pytest

from lstm_grade.authoring import notebook_for
from lstm_grade.authoring.assignments import ASSIGNMENTS

SLOW = {"ch11_training"}  # trains a model for a few seconds


def _run(assignment) -> str:
    """Execute every code cell of the solution in one fresh namespace; return stdout."""
    nb = notebook_for(assignment)
    namespace = {"__name__": "__main__"}
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning in a graded cell would score it 0
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, f"<{assignment.name}:{cell.id}>", "exec"), namespace)
    assert err.getvalue() == "", f"{assignment.name} wrote to stderr:\n{err.getvalue()}"
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
