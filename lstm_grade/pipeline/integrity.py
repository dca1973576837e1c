"""A static scan of the students' own code for things that deserve a human look.

The sandbox and the checks decide the score; this only flags. It reads the
cells a student may edit (answer cells and cells the source does not have) and
names patterns seen in attempts to game an autograder: leaving the kernel,
patching the comparison functions or the checks, importing the reference
solution, catching the interrupt that ends an endless loop, reaching outside
the working folder.
"""
from __future__ import annotations

import re

import nbformat

PATTERNS = {
    "exits-kernel": re.compile(r"\bos\._exit\b|\bsys\.exit\b|(?<![.\w])(exit|quit)\s*\("),
    "patches-comparison": re.compile(r"\b(np|numpy)\.(testing\.)?\w*(allclose|isclose|array_equal|assert\w*)\s*="),
    "replaces-check": re.compile(r"(?<![.\w])check\s*=|\bsys\.modules\b|\bbuiltins\b|__code__|\bsetattr\s*\("),
    "uses-reference": re.compile(r"\blstm_ref\b|\blstm_grade\b"),
    "catches-interrupt": re.compile(r"\bKeyboardInterrupt\b|\bsignal\.signal\b"),
    "reaches-outside": re.compile(r"\.\./|/solutions\b|\bsubprocess\b|\bsocket\b|\bctypes\b"),
}


def _editable_cells(nb, locked_ids: set[str]):
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in locked_ids:
            continue  # nbgrader overwrites locked cells with the source's
        yield cell


def scan(submitted_path, source_path) -> list[str]:
    """Flag ids found in the student-editable code of ``submitted_path``.

    ``source_path`` is the assignment's source notebook: its locked cells'
    ids are skipped because nbgrader restores them before running.
    """
    source = nbformat.read(str(source_path), as_version=4)
    locked = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
              if c.metadata.get("nbgrader", {}).get("locked")}
    try:
        nb = nbformat.read(str(submitted_path), as_version=4)
    except Exception:
        return []
    flags = set()
    for cell in _editable_cells(nb, locked):
        for name, pattern in PATTERNS.items():
            if pattern.search(cell.source):
                flags.add(name)
    return sorted(flags)


_WATCHED = ("grade", "solution", "locked", "task", "points", "grade_id")


def metadata_problems(submitted_path, source_path) -> list[str]:
    """What a student changed in the nbgrader metadata of the source's graded or
    locked cells, one line per cell: which cell (its grade_id and position) and
    what changed (``points: 3 -> 100``, ``metadata removed``, ``cell deleted``).
    nbgrader restores locked cells from the gradebook; these lines tell the
    instructor what it had to restore or, if it refused the notebook, why."""
    try:
        source = nbformat.read(str(source_path), as_version=4)
        nb = nbformat.read(str(submitted_path), as_version=4)
    except Exception:
        return []
    by_id = {}
    for k, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            by_id.setdefault(grade_id, []).append((k, cell))
    problems = []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") or meta.get("locked")):
            continue
        grade_id = meta["grade_id"]
        found = by_id.get(grade_id, [])
        if not found:
            problems.append(f"cell '{grade_id}': deleted or its nbgrader metadata removed")
            continue
        if len(found) > 1:
            problems.append(f"cell '{grade_id}': appears {len(found)} times (cells "
                            f"{', '.join(str(k + 1) for k, _ in found)})")
        k, mine = found[0]
        theirs = mine.metadata.get("nbgrader", {})
        changed = [f"{key}: {meta.get(key)!r} -> {theirs.get(key)!r}" for key in _WATCHED
                   if meta.get(key) != theirs.get(key)]
        if mine.cell_type != cell.cell_type:
            changed.append(f"cell type: {cell.cell_type} -> {mine.cell_type}")
        if changed:
            problems.append(f"cell '{grade_id}' (cell {k + 1}): nbgrader metadata edited ({', '.join(changed)})")
    return problems
