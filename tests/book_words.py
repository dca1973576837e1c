"""Words of prose in the book's pages: what a reader reads, not code or markup.

Counted: paragraphs, headings, list items, table cells and the text inside
colon-fenced admonitions (``:::{admonition}`` ... ``:::``). Skipped: the
front matter, every backtick-fenced block (code cells, ``{math}``,
``{explainer}`` and other directives), directive options (``:label:``),
HTML comments, inline math ``$...$``, inline code, and the targets of roles
such as ``{doc}`ch01_rnn``` (a ``{glue:text}`` number is not a word either).

    python tests/book_words.py        # a table of pages and their words
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_toc import toc_files  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: The whole book's prose floor (issue 9).
BOOK_FLOOR = 14_000

_FENCE = re.compile(r"^(`{3,}|~{3,})")
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F\uAC00-\uD7A3]+(?:['’-][A-Za-z0-9\uAC00-\uD7A3]+)*")


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def prose(text: str) -> str:
    """The prose of one MyST page, as plain text."""
    text = re.sub(r"<!--.*?-->", " ", _strip_front_matter(text), flags=re.S)
    kept, fence = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            continue
        opening = _FENCE.match(stripped)
        if opening:
            fence = opening.group(1)
            continue
        if re.match(r"^:{3,}", stripped):          # a colon fence: its title and body are prose
            kept.append(re.sub(r"^:{3,}\s*(\{[\w:-]+\})?", " ", stripped))
            continue
        if re.match(r"^:[\w-]+:", stripped):       # a directive option
            continue
        if re.match(r"^\|?\s*:?-{3,}", stripped):  # a table's separator row
            continue
        kept.append(line)
    body = "\n".join(kept)
    body = re.sub(r"\$\$.*?\$\$", " ", body, flags=re.S)
    body = re.sub(r"\$[^$\n]+\$", " ", body)
    body = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", body)   # roles: {doc}`x`, {eq}`y`, {glue:text}`z`
    body = re.sub(r"`[^`]*`", " ", body)              # inline code
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)  # a link counts by its text
    body = re.sub(r"^\(\S+\)=\s*$", " ", body, flags=re.M)  # targets: (sec-notation)=
    return body


def count_words(text: str) -> int:
    return len(_WORD.findall(prose(text)))


def page_words(repo: Path = REPO) -> dict[str, int]:
    """Prose words per page of ``_toc.yml``, in the book's order."""
    return {f: count_words((repo / f"{f}.md").read_text(encoding="utf-8"))
            for f in toc_files(repo / "_toc.yml") if (repo / f"{f}.md").is_file()}


if __name__ == "__main__":
    words = page_words()
    for page, n in words.items():
        print(f"{page:32s} {n:6d}")
    print(f"{'total':32s} {sum(words.values()):6d}   (floor {BOOK_FLOOR})")
