"""The words the book's pages compute: result sentences, result tables, printed captions.

A page's code cell never writes English words of its own: it calls ``tr(template,
**numbers)``, which looks ``template`` up in the ``pages`` catalog of the reader's
language (``gbg_i18n.language()``, i.e. ``GBG_LANG``; the Korean edition's kernels run
with ``GBG_LANG=ko``) and fills in the numbers. The numbers are fields of the
template, never part of it, so a changed result does not change the text to
translate. ``N_(text)`` marks a constant that is looked up later with ``tr(text)``.

The longer texts (tables, "What this run shows" sentences) are built here, beside
the numbers they report: ``training`` (chapter 11), ``practice`` (chapter 12),
``attention`` (chapter 13). ``python -m lstm_viz.reports.extract`` brings the
catalog ``gbg_i18n/locale/ko/LC_MESSAGES/pages.po`` up to date with every
``tr``/``N_`` text here and in the book's code cells.
"""
from __future__ import annotations

import gbg_i18n

__all__ = ["DOMAIN", "tr", "N_", "spread"]

DOMAIN = "pages"


def N_(text: str) -> str:
    """Marks ``text`` for the ``pages`` catalog, to be looked up later with ``tr``."""
    return text


def tr(text: str, lang: str | None = None, **numbers) -> str:
    """``text`` in the reader's language with its ``{fields}`` filled from ``numbers``."""
    return gbg_i18n.translate(DOMAIN, text, lang, **numbers)


def spread(values, fmt: str) -> str:
    """``mean (min–max)`` of ``values``, each formatted with ``fmt`` (e.g. ``"{:.3f}"``)."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    return f"{fmt.format(v.mean())} ({fmt.format(v.min())}–{fmt.format(v.max())})"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table: ``header`` (already translated) and rows of cell texts."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def shows(sentence: str, lang: str | None = None) -> str:
    """A "What this run shows:" paragraph around ``sentence`` (already translated)."""
    return tr("**What this run shows:** {sentence}", lang, sentence=sentence)
