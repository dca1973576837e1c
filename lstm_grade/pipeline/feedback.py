"""Feedback without the hidden tests.

nbgrader's feedback HTML shows the autograded notebook, hidden tests included
(its issue #917). ``StripHiddenTests`` runs inside ``GenerateFeedback``, on the
in-memory copy only (the autograded notebook on disk keeps everything for the
instructor): it deletes every ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN
TESTS`` block from the source, and in those cells replaces each traceback
(IPython's tracebacks quote the failing source line) by its last line,
``CheckFailed: <message>``, which names the misconception.
"""
from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def split_hidden(source: str) -> tuple[str, list[str]]:
    """Return ``(visible_source, hidden_lines)`` of a cell's source.

    An unterminated block hides everything after its BEGIN line.
    """
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            visible.append(line)
    return "\n".join(visible), hidden


def hidden_test_lines(nb) -> list[str]:
    """Every non-blank source line inside a hidden-tests block of ``nb``."""
    lines = []
    for cell in nb.cells:
        lines += [ln.strip() for ln in split_hidden(cell.source)[1] if ln.strip()]
    return lines


def plain_error(output) -> list[str]:
    """One traceback line, ``ename: evalue``, with no source quoted."""
    return [f"{output.get('ename', 'Error')}: {ANSI.sub('', str(output.get('evalue', '')))}"]


class StripHiddenTests(Preprocessor):
    """Remove hidden tests and the source their tracebacks quote."""

    # nbconvert runs a registered preprocessor only when it is enabled, and
    # nbgrader registers them without enabling: off by default, it never ran.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if BEGIN not in cell.source:
            return cell, resources
        cell.source = split_hidden(cell.source)[0]
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = plain_error(output)
        return cell, resources
