"""Read the tags the checks print, ``[misconception: id]`` and ``[integrity: id]``,
from an autograded notebook's test-cell outputs."""
from __future__ import annotations

import re

import nbformat

MISCONCEPTION = re.compile(r"\[misconception: ([A-Za-z0-9_.-]+)\]")
INTEGRITY = re.compile(r"\[integrity: ([A-Za-z0-9_.-]+)\]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _output_text(output) -> str:
    if output.output_type == "stream":
        return output.get("text", "")
    if output.output_type == "error":
        return f"{output.get('evalue', '')}\n" + "\n".join(output.get("traceback", []))
    data = output.get("data", {})
    return str(data.get("text/plain", ""))


def tags_in_notebook(nb) -> tuple[list[str], list[str]]:
    """``(misconceptions, integrity)`` ids named in the outputs of ``nb``'s
    locked test cells (grade cells nbgrader restored), each id once, sorted."""
    found_m, found_i = set(), set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        for output in cell.get("outputs", []):
            text = ANSI.sub("", _output_text(output))
            found_m.update(MISCONCEPTION.findall(text))
            found_i.update(INTEGRITY.findall(text))
    return sorted(found_m), sorted(found_i)


def tags_in_file(path) -> tuple[list[str], list[str]]:
    """``tags_in_notebook`` of the notebook at ``path`` (empty if unreadable)."""
    try:
        return tags_in_notebook(nbformat.read(str(path), as_version=4))
    except Exception:
        return [], []
