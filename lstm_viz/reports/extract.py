"""Every text of the ``pages`` catalog: the ``tr("...")``/``N_("...")`` calls of
``lstm_viz.reports`` and of the book's code cells (``book/*.md``).

``python -m lstm_viz.reports.extract`` brings ``gbg_i18n/locale/ko/LC_MESSAGES/pages.po``
up to date (new texts untranslated, changed ones fuzzy, unused ones dropped).
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import gbg_i18n

from . import DOMAIN

__all__ = ["ROOT", "code_cells", "messages", "main"]

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parent
BOOK = ROOT / "book"
MARKERS = {"tr", "N_"}
_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
# IPython magics and cell options (":tags: [...]") are no Python: blanked, lines kept.
_NOT_PYTHON = re.compile(r"^(?:\s*[%!].*|:[\w-]+:.*)$", re.M)


def code_cells(page: Path) -> list[tuple[int, ast.Module]]:
    """The code cells of a MyST page: (line of the cell's first line, its parsed code)."""
    text = page.read_text(encoding="utf-8")
    cells = []
    for cell in _CELL.finditer(text):
        line = text.count("\n", 0, cell.start(1)) + 1
        cells.append((line, _parse(cell.group(1), page.name, line)))
    return cells


def _parse(source: str, where: str, first_line: int = 1) -> ast.Module:
    try:
        return ast.parse(_NOT_PYTHON.sub("", source))
    except SyntaxError as exc:
        raise SyntaxError(f"{where}:{first_line + (exc.lineno or 1) - 1}: cannot read this code "
                          f"for its texts: {exc.msg}") from None


def _calls(tree: ast.Module, where: str, first_line: int = 1) -> list[tuple[str, str]]:
    out = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            out.append((node.args[0].value, f"{where}:{first_line + node.lineno - 1}"))
    return sorted(out, key=lambda m: int(m[1].rsplit(":", 1)[1]))


def messages(root: Path = ROOT) -> list[tuple[str, str]]:
    """(English text, where) of every page text, package first, then the book's pages."""
    out = []
    for path in sorted((root / "lstm_viz" / "reports").glob("*.py")):
        where = path.relative_to(root).as_posix()
        out += _calls(_parse(path.read_text(encoding="utf-8"), where), where)
    for page in sorted((root / "book").glob("*.md")):
        for line, tree in code_cells(page):
            out += _calls(tree, page.relative_to(root).as_posix(), line)
    return out


def main(argv: list[str] | None = None) -> int:
    gbg_i18n.refresh(DOMAIN, messages())
    return 0


if __name__ == "__main__":
    sys.exit(main())
