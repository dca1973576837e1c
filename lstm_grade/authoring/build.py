"""Write the solution notebooks from the specs, and have nbgrader release them.

``build_solutions`` turns every :class:`~lstm_grade.authoring.spec.Assignment`
into ``solutions/<name>/<name>.ipynb`` (deterministically: same specs, same
bytes); ``generate_exercises`` runs the real ``nbgrader generate_assignment
--force`` from the course root, which writes ``exercises/``.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ..pipeline.course import repo_root, tool_env
from .assignments import ASSIGNMENTS
from .i18n import translated, update_catalogs
from .spec import Assignment, validate

#: The languages every exercise is released in; English is ``<name>.ipynb``, the others ``<name>.<lang>.ipynb``.
LANGUAGES = ("en", "ko")

_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def course_root(root: str | os.PathLike | None = None) -> Path:
    """The folder holding ``nbgrader_config.py`` (default: this checkout's root).

    Raises ``ValueError`` if there is no ``nbgrader_config.py`` there, because
    nbgrader run from anywhere else silently uses a new, empty gradebook.
    """
    path = Path(root) if root is not None else repo_root()
    if not (path / "nbgrader_config.py").is_file():
        raise ValueError(f"course root: no nbgrader_config.py in {path}")
    return path.resolve()


def notebook_for(assignment: Assignment, lang: str = "en") -> nbformat.NotebookNode:
    """The solution notebook of one assignment in ``lang``, with nbgrader metadata on its cells.

    Cell ids are the grade ids (graded cells) or ``<kind>-<position>`` (the
    rest), so that rebuilding gives the same bytes. A translation
    (:func:`~lstm_grade.authoring.i18n.translated`) changes only text; the
    notebook records its language in ``metadata["gate_by_gate"]["language"]``.
    """
    validate(assignment)
    assignment = translated(assignment, lang)
    nb = new_notebook()
    nb.metadata["kernelspec"] = dict(_KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    if lang != "en":
        nb.metadata["gate_by_gate"] = {"language": lang}
    for k, cell in enumerate(assignment.cells):
        make = new_code_cell if cell.kind == "code" else new_markdown_cell
        node = make(cell.source)
        node["id"] = cell.grade_id or f"{cell.kind}-{k:02d}"
        if cell.nbgrader is not None:
            node.metadata["nbgrader"] = dict(cell.nbgrader)
        nb.cells.append(node)
    nbformat.validate(nb)
    return nb


def notebook_name(name: str, lang: str = "en") -> str:
    """The file name of an assignment's notebook in ``lang``: ``<name>.ipynb``, ``<name>.ko.ipynb``."""
    return f"{name}.ipynb" if lang == "en" else f"{name}.{lang}.ipynb"


def solution_path(root: Path, name: str, lang: str = "en") -> Path:
    """``<root>/solutions/<name>/<name>.ipynb`` (``<name>.<lang>.ipynb`` for another language)."""
    return root / "solutions" / name / notebook_name(name, lang)


def exercise_path(root: Path, name: str, lang: str = "en") -> Path:
    """``<root>/exercises/<name>/<name>.ipynb`` (``<name>.<lang>.ipynb`` for another language)."""
    return root / "exercises" / name / notebook_name(name, lang)


def render(assignment: Assignment, lang: str = "en") -> str:
    """The exact text written to the solution notebook in ``lang`` (nbformat's JSON, newline at the end)."""
    return nbformat.writes(notebook_for(assignment, lang)) + "\n"


def build_solutions(root: str | os.PathLike | None = None,
                    assignments: tuple[Assignment, ...] = ASSIGNMENTS) -> list[Path]:
    """Write every assignment's solution notebook in every language of ``LANGUAGES``; return the paths.

    Only rewrites a file whose content changes, so timestamps stay put on a no-op.
    """
    root = course_root(root)
    written = []
    for assignment in assignments:
        for lang in LANGUAGES:
            path = solution_path(root, assignment.name, lang)
            text = render(assignment, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def _stray_folders(root: Path, names: set[str]) -> list[str]:
    folder = root / "solutions"
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name not in names
                  and not p.name.startswith("."))


def generate_exercises(root: str | os.PathLike | None = None,
                       names: tuple[str, ...] | None = None,
                       nbgrader: tuple[str, ...] = (sys.executable, "-m", "nbgrader")) -> list[Path]:
    """Run ``nbgrader generate_assignment --force`` for each assignment; return the exercises.

    Runs from the course root so nbgrader finds ``nbgrader_config.py``.
    ``--force`` because without it nbgrader skips an already released
    assignment and still exits 0. Raises ``RuntimeError`` with nbgrader's
    output if it fails or does not write the expected notebook.
    """
    root = course_root(root)
    names = tuple(a.name for a in ASSIGNMENTS) if names is None else tuple(names)
    for name in names:
        if not solution_path(root, name).is_file():
            raise ValueError(f"{name}: missing solution notebook {solution_path(root, name)}; "
                             "run build_solutions() first")
    stray = _stray_folders(root, set(names)) if names else []
    # One nbgrader process for every assignment when that is all of solutions/
    # (start-up is most of nbgrader's cost), otherwise one per assignment.
    batches = [("*",)] if names and not stray and len(names) > 1 else [(n,) for n in names]
    for (pattern,) in batches:
        cmd = [*nbgrader, "generate_assignment", "--force", pattern]
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=tool_env())
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n"
                               f"{done.stdout}{done.stderr}")
    out = [exercise_path(root, n, lang) for n in names for lang in LANGUAGES]
    missing = [str(p) for p in out if not p.is_file()]
    if missing:
        raise RuntimeError(f"nbgrader wrote no exercise for: {', '.join(missing)}")
    return out


def generate_all(root: str | os.PathLike | None = None) -> list[Path]:
    """Update the exercise catalogs, rebuild ``solutions/`` from the specs (every language),
    then regenerate ``exercises/`` with nbgrader."""
    update_catalogs()
    build_solutions(root)
    return generate_exercises(root)
