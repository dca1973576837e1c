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
