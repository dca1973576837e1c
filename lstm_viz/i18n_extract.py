"""Every string a figure or widget can show, for the ``figures`` catalog.

Two sources:
- the package: each ``tr("...")`` and ``N_("...")`` of ``lstm_viz`` (the
  draw and widget code writes no other words);
- the book's figure cells (code cells that draw): the texts they hand to
  matplotlib or to ``lstm_viz.draw`` (titles, axis labels, ``label=``,
  ``ax.text``, the string arguments of ``draw_*`` and the keys of the dicts
  a cell builds for them). An f-string becomes a message with fields,
  ``f"gain {s}"`` -> ``"gain {s}"``; ``lstm_viz.words.translate`` matches
  the drawn ``"gain 0.5"`` against it.

``python -m lstm_viz.i18n_extract`` brings ``gbg_i18n/locale/ko/LC_MESSAGES/figures.po``
(and ``quizzes.po``, from ``lstm_viz.quiz.messages``) up to date (new texts untranslated, changed ones fuzzy); the tests check
that every message has its translation.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import gbg_i18n

from .words import DOMAIN

__all__ = ["ROOT", "code_messages", "book_messages", "messages", "main"]

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lstm_viz"
BOOK = ROOT / "book"
_MARKERS = {"tr", "N_"}
_TEXT_METHODS = {"set_title", "set_xlabel", "set_ylabel", "text", "suptitle", "annotate", "set_label"}
_TEXT_KEYWORDS = {"label", "title", "xlabel", "ylabel"}
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
#: Legend labels a chapter builds from data in an earlier cell (the models it compares).
DATA_LABELS = (("with attention", "book/ch13_attention.md"), ("without attention", "book/ch13_attention.md"))


def _literal(node) -> str | None:
    """The text of a string literal or f-string (its fields named after their expressions)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out, names = [], set()
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            else:
                name = re.sub(r"\W+", "_", ast.unparse(part.value)).strip("_") or "value"
                name = name if name[0].isalpha() else f"v_{name}"
                while name in names:
                    name += "_"
                names.add(name)
                out.append("{" + name + "}")
        return "".join(out)
    return None


def _wordy(text: str | None) -> bool:
    """A text with a word in it (not only math, a number or a name of one letter)."""
    if not text:
        return False
    outside_math = re.sub(r"\$[^$]*\$|\{[A-Za-z_0-9]*\}", "", text)
    return bool(re.search(r"[A-Za-z]{2,}", outside_math))


def code_messages(package: Path = PACKAGE) -> list[tuple[str, str]]:
    """(text, "file:line") of each ``tr``/``N_`` literal in the package, in file order."""
    out = []
    for path in sorted(package.rglob("*.py")):
        if "reports" in path.relative_to(package).parts:
            continue  # the page reports' words are the pages catalog's (lstm_viz.reports.extract)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in _MARKERS and node.args):
                text = _literal(node.args[0])
                if text is not None:
                    out.append((text, f"{path.relative_to(package.parent)}:{node.lineno}"))
    return sorted(out, key=lambda m: (m[1].split(":")[0], int(m[1].split(":")[1])))


def _cell_source(body: str) -> str:
    """A code cell's Python: its ``:option:`` lines, YAML header and magics blanked."""
    lines = body.split("\n")
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        lines[:end + 1] = [""] * (end + 1)
    # Blank lines in their place, so that line numbers stay those of the page.
    return "\n".join("" if line.startswith(":") or line.lstrip().startswith(("%", "!")) else line
                     for line in lines)


def _figure_texts(tree) -> list[tuple[str, int]]:
    found = []

    def add(node):
        text = _literal(node)
        if _wordy(text):
            found.append((text, node.lineno))

    def add_keys(node):
        if isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    add(key)
        elif isinstance(node, ast.DictComp):
            add(node.key)

    for node in ast.walk(tree):
        if isinstance(node, (ast.Dict, ast.DictComp)):
            add_keys(node)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _TEXT_METHODS or name.startswith("draw_"):
            for arg in node.args:
                add(arg)
        for kw in node.keywords:
            if kw.arg in _TEXT_KEYWORDS:
                add(kw.value)
    return found


def book_messages(book: Path = BOOK) -> list[tuple[str, str]]:
    """(text, "page.md:line") of the words the book's figure cells draw."""
    out = []
    for page in sorted(book.glob("*.md")):
        source = page.read_text(encoding="utf-8")
        for cell in _CELL.finditer(source):
            code = _cell_source(cell[1])
            if "plt." not in code and "draw_" not in code:
                continue
            try:
                tree = ast.parse(code)
            except SyntaxError as err:
                raise ValueError(f"{page.name}: a code cell is not Python ({err})") from None
            first = source.count("\n", 0, cell.start(1)) + 1
            out += [(text, f"book/{page.name}:{first + line - 1}") for text, line in _figure_texts(tree)]
    return out + list(DATA_LABELS)


def messages() -> list[tuple[str, str]]:
    """Every figure string: the package's first, then the book's."""
    return code_messages() + book_messages()


def main(argv=None) -> int:
    """Updates the ``figures`` and ``quizzes`` catalogs and lists what is left to translate."""
    from .quiz import DOMAIN as QUIZZES, messages as quiz_messages

    for domain, msgs in ((DOMAIN, messages()), (QUIZZES, quiz_messages())):
        gbg_i18n.refresh(domain, msgs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
