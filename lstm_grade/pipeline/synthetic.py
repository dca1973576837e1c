"""Build students' submissions from an assignment's source notebook, by code.

Used by the tests and the benchmark (and handy for an instructor trying the
pipeline): ``release_copy`` is what a student who did nothing hands in,
``answered_copy`` is a full, correct submission, ``with_answer`` puts a
chosen body into one answer cell, and ``write_submission`` lays a notebook
(or raw bytes) out as ``<root>/<student>/<assignment>/<assignment>.ipynb``.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .feedback import split_hidden

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def find_cell(nb, grade_id: str):
    """The cell whose nbgrader ``grade_id`` is ``grade_id`` (``ValueError`` if none)."""
    for cell in nb.cells:
        if _meta(cell).get("grade_id") == grade_id:
            return cell
    raise ValueError(f"grade_id: no cell {grade_id!r} in the notebook")


def _replace_solution(source: str, body: list[str]) -> str:
    out, inside = [], False
    for line in source.split("\n"):
        if BEGIN_SOLUTION in line:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + b if b else b for b in body]
        elif END_SOLUTION in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def answered_copy(source_nb):
    """A correct submission: the solutions kept, hidden tests removed (as in the release)."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        cell.source = split_hidden(cell.source)[0]
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def release_copy(source_nb):
    """An untouched release notebook: every answer is ``raise NotImplementedError()``."""
    nb = answered_copy(source_nb)
    for cell in nb.cells:
        if not _meta(cell).get("solution"):
            continue
        if cell.cell_type == "code":
            cell.source = _replace_solution(cell.source, ["# YOUR CODE HERE", "raise NotImplementedError()"])
        else:
            cell.source = "YOUR ANSWER HERE"
    return nb


def with_answer(nb, grade_id: str, body: str):
    """A copy of ``nb`` whose answer cell ``grade_id`` has ``body`` as its solution."""
    nb = copy.deepcopy(nb)
    cell = find_cell(nb, grade_id)
    if BEGIN_SOLUTION in cell.source:
        cell.source = _replace_solution(cell.source, body.split("\n"))
    else:  # a release copy: the solution markers are gone, replace the stub
        cell.source = cell.source.replace("# YOUR CODE HERE\n", "").replace(
            "raise NotImplementedError()", body.replace("\n", "\n    "))
    return nb


def write_submission(root: Path, student: str, assignment: str, content, name: str | None = None) -> Path:
    """Write a notebook (or raw ``bytes``/``str``) as a student's submission."""
    folder = Path(root) / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{assignment}.ipynb")
    if isinstance(content, (bytes, str)):
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    else:
        nbformat.write(content, path)
    return path
