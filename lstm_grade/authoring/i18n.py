"""The exercise notebooks in other languages: one gettext catalog per notebook, one walk of its text.

Every text a notebook shows is cut into units: each paragraph, heading or
list of a markdown cell (a block of only ``$$`` math is left as it is), the
docstrings of the code cells, and their comments outside the solution
regions (a run of full-line comments is one unit; a scaffold's hint
``# (≈ 2 lines) what these lines compute`` gives only its purpose, the size
is written in the notebook's language). Test cells, the solution regions
and every line of code stay byte for byte the English ones, so the two
languages cannot disagree on what is graded.

:func:`messages` lists the units of an assignment (what the catalog
``assignments/<name>`` holds), :func:`update_catalogs` brings the catalogs in
line with the specs (``python -m lstm_grade.authoring i18n``), and
:func:`translated` gives the assignment with every unit looked up in its
catalog, and a setup cell that selects the language's feedback.
"""
from __future__ import annotations

import ast
import inspect
import io
import re
import tokenize
from pathlib import Path
from typing import Callable

import gbg_i18n

from ..checks._errors import HINT
from .cells import BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION, Cell
from .spec import Assignment

__all__ = ["messages", "translated", "update_catalogs", "domain", "LINES", "language_line"]

#: The size of a scaffold's blank, in each language (the check reads it back with ``HINT``).
LINES = {"en": lambda n: f"{n} line{'s' if n != 1 else ''}", "ko": lambda n: f"{n}줄"}
_LANG_NOTE = {"ko": "검사 메시지와 힌트를 한국어로 보여 줍니다"}
_MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
_HEADING = re.compile(r"^(#{1,6} )(.+)$")
_LETTER = re.compile(r"[^\W\d_]")

Translate = Callable[[str, str], str]  # (English text, where) -> the text to write


def domain(name: str) -> str:
    """The gettext domain of an assignment's catalog: ``assignments/<name>``."""
    return f"assignments/{name}"


def language_line(lang: str) -> str:
    """The setup cell's line that makes a notebook's checks speak ``lang`` (none for English)."""
    return "" if lang == "en" else f'import os; os.environ["GBG_LANG"] = "{lang}"  # {_LANG_NOTE[lang]}'


# -- markdown -------------------------------------------------------------------------------------

def _is_math(block: str) -> bool:
    """A block with nothing to translate: ``$$ ... $$`` display math, or no letter at all."""
    text = block.strip()
    return (text.startswith("$$") and text.endswith("$$")) or not _LETTER.search(text)


def _paragraph(block: str, where: str, tr: Translate) -> str:
    """A paragraph's text as one line (hard wraps are spaces in Markdown); lists and tables keep theirs."""
    lines = block.split("\n")
    if any(line.lstrip().startswith(("- ", "* ", "|", "1. ")) for line in lines) or len(lines) == 1:
        return tr(block, where)
    return tr(" ".join(line.strip() for line in lines), where)


def _markdown(text: str, where: str, tr: Translate) -> str:
    out = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        head = _HEADING.match(lines[0])
        if head:
            parts = [head.group(1) + tr(head.group(2), where)]
            rest = "\n".join(lines[1:])
            if rest.strip():
                parts.append(rest if _is_math(rest) else _paragraph(rest, where, tr))
            out.append("\n".join(parts))
        elif _is_math(block):
            out.append(block)
        else:
            out.append(_paragraph(block, where, tr))
    return "\n\n".join(out)


# -- code -----------------------------------------------------------------------------------------

def _solution_lines(lines: list[str]) -> set[int]:
    """1-based numbers of the lines inside (and of) the solution and hidden-test regions."""
    inside, out = False, set()
    for k, line in enumerate(lines, 1):
        mark = line.strip()
        if mark in (BEGIN_SOLUTION, BEGIN_HIDDEN):
            inside = True
        if inside:
            out.add(k)
        if mark in (END_SOLUTION, END_HIDDEN):
            inside = False
    return out


def _docstrings(source: str) -> dict[int, ast.Constant]:
    """The docstring nodes of the module, functions and classes, by their first line."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str):
            found[node.body[0].value.lineno] = node.body[0].value
    return found


def _docstring_text(lines: list[str], node: ast.Constant, where: str, tr: Translate) -> list[str]:
    """The lines of a docstring node rewritten with its text translated (same quotes, same indent)."""
    first = lines[node.lineno - 1]
    indent = first[:node.col_offset]
    raw = "\n".join(lines[node.lineno - 1:node.end_lineno])[node.col_offset:]
    quote = raw[:3] if raw[:3] in ('"""', "'''") else raw[0]
    text = inspect.cleandoc(node.value)
    new = tr(text, where)
    if new == text:
        return lines[node.lineno - 1:node.end_lineno]
    body = new.split("\n")
    closing_own_line = "\n" in node.value and node.value.rstrip(" ").endswith("\n")
    out = [f"{indent}{quote}{body[0]}"] + [f"{indent}{b}" if b else "" for b in body[1:]]
    if closing_own_line:
        out.append(f"{indent}{quote}")
    else:
        out[-1] += quote
    return out


def _code(source: str, where: str, tr: Translate, lang: str) -> str:
    lines = source.split("\n")
    frozen = _solution_lines(lines)
    docs = _docstrings(source)
    comments: dict[int, tuple[int, str]] = {}  # line -> (column, text after '#')
    for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
        if tok.type == tokenize.COMMENT and tok.start[0] not in frozen \
                and tok.string.strip() not in _MARKERS:
            comments[tok.start[0]] = (tok.start[1], tok.string)
    out: list[str] = []
    k = 1
    while k <= len(lines):
        line = lines[k - 1]
        if k in docs and k not in frozen:
            node = docs[k]
            out += _docstring_text(lines, node, where, tr)
            k = node.end_lineno + 1
            continue
        if k not in comments:
            out.append(line)
            k += 1
            continue
        col, text = comments[k]
        hint = HINT.match(line) if not line[:col].strip() else None
        if hint:
            out.append(f"{line[:col]}# (≈ {LINES[lang](int(hint.group(1)))}) "
                       f"{tr(hint.group(2), where)}")
            k += 1
            continue
        if line[:col].strip():  # a comment after code
            body = text[1:].strip()
            new = tr(body, where) if _LETTER.search(body) else body
            out.append(f"{line[:col]}# {new}" if new != body else line)
            k += 1
            continue
        run = [k]  # consecutive full-line comments at one column: one unit
        while run[-1] + 1 in comments and comments[run[-1] + 1][0] == col \
                and not lines[run[-1]][:col].strip() and not HINT.match(lines[run[-1]]):
            run.append(run[-1] + 1)
        body = "\n".join(comments[j][1][1:].strip() for j in run)
        new = tr(body, where) if _LETTER.search(body) else body
        if new == body:
            out += [lines[j - 1] for j in run]
        else:
            out += [f"{line[:col]}# {part}".rstrip() for part in new.split("\n")]
        k = run[-1] + 1
    return "\n".join(out)


# -- the walk -------------------------------------------------------------------------------------

def _cell(cell: Cell, where: str, tr: Translate, lang: str) -> Cell:
    meta = cell.nbgrader or {}
    if cell.kind == "markdown":
        return cell._replace(source=_markdown(cell.source, where, tr))
    if meta.get("grade") or meta.get("locked"):
        return cell  # test cells and the setup cell: the English code, byte for byte
    return cell._replace(source=_code(cell.source, where, tr, lang))


def _where(assignment: Assignment, k: int, cell: Cell) -> str:
    return f"{assignment.name}.ipynb#{cell.grade_id or f'{cell.kind}-{k:02d}'}"


def _walk(assignment: Assignment, tr: Translate, lang: str) -> Assignment:
    cells = tuple(_cell(c, _where(assignment, k, c), tr, lang) for k, c in enumerate(assignment.cells))
    return assignment._replace(cells=cells)


def messages(assignment: Assignment) -> list[tuple[str, str]]:
    """Every text of ``assignment`` that a translation gives, with where it is (in order)."""
    found: list[tuple[str, str]] = []

    def keep(text: str, where: str) -> str:
        found.append((text, where))
        return text

    _walk(assignment, keep, "en")
    return found


def translated(assignment: Assignment, lang: str) -> Assignment:
    """``assignment`` with its text in ``lang`` (from ``assignments/<name>``), its code unchanged.

    The setup cell gains :func:`language_line`, so the notebook's own checks
    answer in ``lang``. An untranslated text stays English (the catalogs'
    completeness is the tests' business, not the build's).
    """
    lang = gbg_i18n.language(lang)
    if lang == "en":
        return assignment
    dom = domain(assignment.name)
    out = _walk(assignment, lambda text, where: gbg_i18n.gettext(dom, text, lang), lang)
    setup = out.cells[0]
    setup = setup._replace(source=f"{language_line(lang)}\n{setup.source}")
    return out._replace(cells=(setup, *out.cells[1:]))


def _current(domain_: str, lang: str) -> list[tuple[str, list[str]]] | None:
    from babel.messages.pofile import read_po

    path = gbg_i18n.catalog_path(domain_, lang)
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return [(m.id, [w for w, _ in m.locations]) for m in read_po(fh) if m.id]


def _wanted(found: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    order: dict[str, list[str]] = {}
    for text, where in found:
        places = order.setdefault(text, [])
        if where not in places:
            places.append(where)
    return list(order.items())


def update_catalogs(assignments=None, lang: str = "ko") -> list[Path]:
    """Create or update ``assignments/<name>.po`` in ``lang`` for every assignment (changed English -> fuzzy).

    A catalog whose texts and places already match the spec is not rewritten
    (so a rebuild does not touch the translators' files).
    """
    if assignments is None:
        from .assignments import ASSIGNMENTS as assignments
    paths = []
    for a in assignments:
        found = messages(a)
        if _current(domain(a.name), lang) == _wanted(found):
            paths.append(gbg_i18n.catalog_path(domain(a.name), lang))
        else:
            paths.append(gbg_i18n.update(domain(a.name), found, lang))
    return paths
