"""Every Korean catalog is complete: the book's pages (`book/locale/ko`) and the text code
writes (`gbg_i18n/locale/ko`), and every page of `_toc.yml` has a catalog.

Complete means `gbg_i18n.problems()` finds nothing (no entry untranslated, fuzzy, or
dropping a `{placeholder}`), and no English was left standing as its own translation:
a translation may equal its English only when that English has no words, e.g. a
paragraph of pure math or code.
"""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from book_toc import toc_files
import gbg_i18n
import pytest

REPO = Path(__file__).resolve().parents[1]
BOOK_LOCALE = REPO / "book" / "locale" / "ko" / "LC_MESSAGES"
CATALOGS = sorted(BOOK_LOCALE.rglob("*.po")) + sorted((REPO / "gbg_i18n" / "locale" / "ko").rglob("*.po"))

# What may stand verbatim in Korean text: math, code, MyST roles and their targets,
# link targets, URLs, LaTeX commands and their arguments, labels.
_NOT_WORDS = [
    re.compile(r"\$\$.*?\$\$", re.DOTALL), re.compile(r"\$[^$]*\$"),
    re.compile(r"`[^`]*`"), re.compile(r"\{[A-Za-z:-]+\}"), re.compile(r"<[^<>\s]+>"),
    # A LaTeX command's argument too (\text{step 1: forget gate}): a display-math block
    # must stay exactly as in English (Sphinx 7 cannot render a changed one).
    re.compile(r"https?://\S+"), re.compile(r"\\[A-Za-z]+\*?\{[^{}]*\}"), re.compile(r"\\[A-Za-z]+"),
    re.compile(r"\([\w-]+\)="),
]
_ENGLISH_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def english_words(text: str) -> list[str]:
    """The English words of `text` outside math, code, roles, link targets and URLs."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    return _ENGLISH_WORD.findall(text)


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_english_words_ignores_math_code_and_roles():
    assert english_words(r"$f_t \odot c_{t-1}$ and `forget_gate`") == ["and"]
    assert english_words(r"$$\sigma\left(W_f x\right)$$") == []
    assert english_words("\\begin{aligned}\nf_t &= \\sigma(z_f) && \\text{step 1: forget gate}\n\\end{aligned}") == []
    assert english_words("{ref}`ch04-gate` {math}`h_t`") == []
    assert english_words("See [the code](https://example.org/x)") == ["See", "the", "code"]


def test_there_are_korean_catalogs():
    assert any(p.parent.name == "book" for p in CATALOGS), "no page catalog under book/locale/ko"


@pytest.mark.parametrize("page", toc_files())
def test_every_page_has_a_korean_catalog(page):
    catalog = BOOK_LOCALE / f"{page}.po"
    assert catalog.is_file(), (f"{page} has no Korean catalog ({_rel(catalog)}): run `make i18n-update`")


@pytest.mark.parametrize("catalog", CATALOGS, ids=_rel)
def test_catalog_is_complete(catalog):
    problems = gbg_i18n.problems(catalog)
    assert not problems, (f"{_rel(catalog)}: {len(problems)} entries to translate or check "
                          "(a translator removes `#, fuzzy` after checking an entry):\n"
                          + "\n".join(problems[:20]))


@pytest.mark.parametrize("catalog", CATALOGS, ids=_rel)
def test_no_english_left_as_its_own_translation(catalog):
    """English words copied as their own translation are an omission, unless a translator
    comment says why they stay (``# kept in English: a name``, the glossary's English
    column, authors' names, a formula in code)."""
    with catalog.open("rb") as fh:
        messages = [m for m in read_po(fh) if m.id]
    copied = []
    for m in messages:
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        msgstr = m.string if isinstance(m.string, str) else (m.string or [""])[0]
        kept = any(c.startswith("kept in English") for c in m.user_comments)
        if msgstr and msgstr == msgid and english_words(msgid) and not kept:
            copied.append(f"{catalog.name}:{m.lineno}: {msgid[:70]!r}")
    assert not copied, (f"{_rel(catalog)}: English copied as its own translation:\n" + "\n".join(copied[:20]))
