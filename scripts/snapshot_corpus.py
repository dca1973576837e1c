"""Write lstm_ref/data/course_text.txt: the course's own prose, once.

The character language model of chapter 11 trains on this file, so that every
machine builds the same numbers. It is a snapshot: rerun this script only to
refresh it on purpose (every number of chapter 11 then moves), never at build
time.

    .venv/bin/python scripts/snapshot_corpus.py

The documents, in this order: book/intro.md, book/ch*.md (by file name),
README.md, docs/*.md. What is kept of each: its Markdown prose and math. Dropped: the
front matter, code cells and code blocks, directive fences and their option
lines, download links, and every character outside printable ASCII (the
corpus's vocabulary stays small and the same everywhere).
"""
from __future__ import annotations

import pathlib
import re
import string

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "lstm_ref" / "data" / "course_text.txt"
SEPARATOR = "\n\f\n"        # between documents; not part of any document
_KEEP = set(string.printable) - set("\t\r\x0b\x0c")
# Non-ASCII signs the prose uses, spelt in ASCII (anything else is dropped).
_ASCII = {"\u2212": "-", "\u2014": "--", "\u2013": "-", "\u2026": "...", "\u00d7": "x",
          "\u00b7": ".", "\u2192": "->", "\u2264": "<=", "\u00b1": "+/-", "\u00b2": "^2",
          "\u2299": "*", "\u03c3": "sigma", "\u2016": "||", "\u2019": "'", "\u201c": '"',
          "\u201d": '"'}


def chapter_prose(md: str) -> str:
    lines, out, k = md.splitlines(), [], 0
    if lines and lines[0] == "---":                      # front matter
        k = lines.index("---", 1) + 1
    in_code, fence = False, ""
    for line in lines[k:]:
        stripped = line.strip()
        if in_code:
            if stripped == fence:
                in_code = False
            continue
        m = re.match(r"^(`{3,}|~{3,})(.*)$", stripped)
        if m:
            info = m.group(2).strip()
            if info.startswith("{code-cell}") or not info.startswith("{"):
                in_code, fence = True, m.group(1)       # code: drop to the closing fence
            continue                                     # a directive fence: drop the line
        if re.match(r"^:{3,}", stripped) or re.match(r"^:[a-z_-]+:", stripped):
            continue                                     # colon fences, directive options
        if "{download}" in line:
            continue
        line = "".join(_ASCII.get(ch, ch) for ch in line)
        out.append("".join(ch for ch in line if ch in _KEEP).rstrip())
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def main() -> None:
    paths = [ROOT / "book" / "intro.md", *sorted((ROOT / "book").glob("ch*.md")),
             ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    docs = [f"{p.relative_to(ROOT).as_posix()}\n{chapter_prose(p.read_text(encoding='utf-8'))}"
            for p in paths]
    OUT.write_text(SEPARATOR.join(docs), encoding="ascii", newline="\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(docs)} documents, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
