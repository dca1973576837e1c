"""Which language a submission is in, and which of an assignment's notebooks is graded.

Every assignment is released in two languages, as two notebooks of one
nbgrader assignment: ``<a>.ipynb`` (English) and ``<a>.ko.ipynb`` (Korean),
with the same graded cells (``lstm_grade.authoring``). A student hands in
one of them. ``collect`` keeps that one in ``submitted/`` (when a folder
holds both, the one the student worked in); nbgrader then grades it and
scores the absent one 0, and everything after (the trusted verdicts, the
row of ``grades.csv``, the feedback) reads the grades of the notebook that
was handed in, so the maximum counts once and English and Korean
submissions land in the same column of the CSV and the same misconception
counts. The worker judges in the notebook's language (``GBG_LANG``), so the
feedback is in the student's language.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

__all__ = ["LANGUAGES", "notebook_stem", "notebook_language", "handed_in", "choose", "graded_stem", "speaking"]

LANGUAGES = ("en", "ko")


def notebook_stem(assignment: str, lang: str = "en") -> str:
    """nbgrader's notebook id of ``assignment`` in ``lang``: ``ch04_forget_gate``, ``ch04_forget_gate.ko``."""
    return assignment if lang == "en" else f"{assignment}.{lang}"


def _lang_of_stem(assignment: str, stem: str) -> str | None:
    for lang in LANGUAGES:
        if stem == notebook_stem(assignment, lang):
            return lang
    return None


def handed_in(folder: Path, assignment: str) -> list[Path]:
    """The assignment's notebooks (any language) present in a submission ``folder``, English first."""
    folder = Path(folder)
    return [folder / f"{notebook_stem(assignment, lang)}.ipynb" for lang in LANGUAGES
            if (folder / f"{notebook_stem(assignment, lang)}.ipynb").is_file()]


def notebook_language(path: Path, assignment: str) -> str:
    """The language of a notebook of ``assignment``: from its file name (what nbgrader grades it as)."""
    lang = _lang_of_stem(assignment, Path(path).name.removesuffix(".ipynb"))
    if lang is None:
        raise ValueError(f"{path}: not a notebook of {assignment} ({', '.join(notebook_stem(assignment, l) + '.ipynb' for l in LANGUAGES)})")
    return lang


def _sources(path: Path) -> list[str] | None:
    try:
        return ["".join(c.get("source", "")) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def choose(found: list[Path], release: Path | None) -> tuple[Path, str]:
    """The notebook to grade among ``found`` (a folder's notebooks of one assignment) and why.

    One notebook: that one. Both: the one whose cells differ from its
    release in ``release`` (the run's ``release/<assignment>`` folder), the
    other being the untouched copy that came with it; if both or neither
    were changed, the one saved last. The reason is empty for one notebook.
    """
    if len(found) == 1:
        return found[0], ""
    worked = [p for p in found if release is None or _sources(p) != _sources(Path(release) / p.name)]
    if len(worked) == 1:
        return worked[0], f"graded {worked[0].name}; {', '.join(p.name for p in found if p != worked[0])} was left as released"
    last = max(found, key=lambda p: p.stat().st_mtime)
    return last, (f"both {' and '.join(p.name for p in found)} were handed in and changed; "
                  f"graded {last.name}, the one saved last")


def graded_stem(submitted: Path, assignment: str) -> str:
    """The notebook id the worker grades in a ``submitted/<student>/<assignment>`` folder (``collect`` left one)."""
    found = handed_in(submitted, assignment)
    return found[0].name.removesuffix(".ipynb") if found else assignment


@contextlib.contextmanager
def speaking(lang: str):
    """``GBG_LANG`` set to ``lang`` for the block (the checks' verdicts are written in it), then restored."""
    before = os.environ.get("GBG_LANG")
    os.environ["GBG_LANG"] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("GBG_LANG", None)
        else:
            os.environ["GBG_LANG"] = before
