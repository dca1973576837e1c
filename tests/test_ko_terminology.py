"""One term per concept in the Korean edition, as the glossary fixes it.

The glossary (`book/glossary.md`) ends with a table, "Terms not used · 쓰지 않는
말": a word in its first column is a wrong or competing Korean term (숨겨진 상태,
당혹감, 혼잡도, 포겟 게이트, ...). No Korean text of the edition may use one:
every translation in the book's catalogs (`book/locale/ko/**/*.po`) and in the
catalogs of text code writes (`gbg_i18n/locale/ko/**/*.po`), and the Korean
README (`README.ko.md`). The only exception is the glossary page's own table of
those words, whose cells name them.

A word matches inside a longer one (Korean particles attach to it: 숨겨진 상태가)
and whatever the spacing between its parts (숨겨진상태).

Each chapter also gives the English beside a core term where it first uses it
(망각 게이트(forget gate)); headings are exempt, they may be noun phrases.
"""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "book" / "glossary.md"
AVOID_HEADING = "쓰지 않는 말"
CATALOG_ROOTS = [REPO / "book" / "locale" / "ko", REPO / "gbg_i18n" / "locale" / "ko"]
KOREAN_README = REPO / "README.ko.md"
GLOSSARY_CATALOG = REPO / "book" / "locale" / "ko" / "LC_MESSAGES" / "book" / "glossary.po"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def avoided_terms(glossary: Path = GLOSSARY) -> dict[str, str]:
    """The glossary's table of terms not used: {avoided term: the term to use instead}."""
    lines = glossary.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.startswith("#") and AVOID_HEADING in line), None)
    if start is None:
        raise ValueError(f"{glossary}: no heading with {AVOID_HEADING!r} (the table of terms not used)")
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if line.lstrip().startswith("|"):
            rows.append(_cells(line))
    body = [r for r in rows[1:] if not all(set(c) <= set("-: ") for c in r)]
    if not body:
        raise ValueError(f"{glossary}: the table under {AVOID_HEADING!r} has no rows")
    out = {}
    for row in body:
        if len(row) < 2 or not row[0] or not row[1]:
            raise ValueError(f"{glossary}: a row of the {AVOID_HEADING!r} table needs a term "
                             f"and the term to use instead: {row}")
        out[row[0]] = row[1]
    return out


def _glossary_korean() -> str:
    """The glossary's Korean column (every table above the list of avoided terms), joined."""
    above = GLOSSARY.read_text(encoding="utf-8").split(AVOID_HEADING)[0]
    return " ".join(_cells(line)[1] for line in above.splitlines()
                    if line.startswith("|") and len(_cells(line)) > 1)


def _pattern(term: str) -> re.Pattern:
    """``term`` with any spacing (none included) between its words."""
    return re.compile(r"\s*".join(re.escape(word) for word in term.split()))


def term_violations(path: Path, avoided: dict[str, str], exempt_ids: frozenset[str] = frozenset()
                    ) -> list[str]:
    """Each translation in the catalog at ``path`` that uses an avoided term, as
    ``file:line: term (use ...)``; entries whose English text is in ``exempt_ids`` are skipped."""
    with path.open("rb") as fh:
        catalog = read_po(fh)
    patterns = {term: _pattern(term) for term in avoided}
    kept = _compounds_kept(avoided)
    out = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if msgid in exempt_ids:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        text = " ".join(s for s in strings if s)
        for term, pattern in patterns.items():
            if pattern.search(_without(text, kept.get(term, ()))):
                out.append(f"{_name(path)}:{message.lineno}: {term!r} (use {avoided[term]!r})")
    return out


def _compounds_kept(avoided: dict[str, str]) -> dict[str, list[str]]:
    """For each avoided word, the glossary's own Korean terms that contain it
    (경사 in 경사 하강법): inside those it is the glossary's term, not a competitor."""
    above = GLOSSARY.read_text(encoding="utf-8").split(AVOID_HEADING)[0]
    cells = [_cells(line)[1] for line in above.splitlines()
             if line.startswith("|") and len(_cells(line)) > 1]
    terms = {t.strip() for cell in cells for t in re.split(r"[,;()/·]", cell) if t.strip()}
    return {word: sorted(t for t in terms if word in t and t != word) for word in avoided}


def _without(text: str, compounds) -> str:
    """``text`` with every occurrence of ``compounds`` (any spacing) blanked out."""
    for compound in compounds:
        text = _pattern(compound).sub(" ", text)
    return text


def _name(path: Path) -> Path:
    """``path`` relative to the repository when inside it."""
    try:
        return path.relative_to(REPO)
    except ValueError:
        return path


def _catalogs() -> list[Path]:
    return sorted(p for root in CATALOG_ROOTS for p in root.rglob("*.po"))


# --------------------------------------------------------------------------- the list itself

def test_glossary_lists_the_terms_the_edition_avoids():
    avoided = avoided_terms()
    for term in ["숨겨진 상태", "히든 스테이트", "당혹감", "혼잡도", "포겟 게이트", "잊어 버린 게이트",
                 "상수 오차 회전목마", "내장 레버 문법", "쌓은 가중치", "문자 수준", "세포 상태",
                 "재귀 신경망", "그래디언트", "펄플렉서티"]:
        assert term in avoided, f"the glossary's {AVOID_HEADING!r} table lacks {term!r}"


def test_glossary_korean_column_uses_no_avoided_term():
    """The glossary's own Korean terms (every table above the list of avoided ones)
    and the terms the list says to use instead follow the rule."""
    avoided = avoided_terms()
    kept = _compounds_kept(avoided)
    text = GLOSSARY.read_text(encoding="utf-8")
    above = text.split(AVOID_HEADING)[0]
    bad = []
    for line in above.splitlines():
        if line.startswith("|"):
            cells = _cells(line)
            if len(cells) > 1:
                bad += [(cells[0], term) for term in avoided
                        if _pattern(term).search(_without(cells[1], kept[term]))]
    bad += [(term, instead) for term, instead in avoided.items()
            for other in avoided if _pattern(other).search(instead)]
    assert bad == [], f"glossary rows using an avoided term (row, term): {bad}"


def test_every_use_instead_term_is_a_glossary_term():
    avoided = avoided_terms()
    korean = _glossary_korean()
    missing = sorted({instead for instead in avoided.values() if instead not in korean})
    assert missing == [], f"'use instead' terms the glossary's Korean column does not give: {missing}"


# --------------------------------------------------------------------------- the checker

def test_checker_names_file_line_and_term(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "The hidden state"\nmsgstr "은닉 상태입니다."\n\n'
                  'msgid "The hidden state is kept"\nmsgstr "숨겨진상태가 "\n"유지됩니다."\n\n'
                  'msgid "perplexity"\nmsgstr "당혹감"\n', encoding="utf-8")
    avoided = {"숨겨진 상태": "은닉 상태", "당혹감": "퍼플렉서티(혼란도)"}
    found = term_violations(po, avoided)
    assert found == [f"{po}:8: '숨겨진 상태' (use '은닉 상태')",
                     f"{po}:12: '당혹감' (use '퍼플렉서티(혼란도)')"]
    assert term_violations(po, avoided, exempt_ids=frozenset({"perplexity"})) == found[:1]


def test_avoided_terms_refuses_a_glossary_without_the_table(tmp_path):
    page = tmp_path / "glossary.md"
    page.write_text("# Glossary\n\n| English | 한국어 |\n| --- | --- |\n| gate | 게이트 |\n",
                    encoding="utf-8")
    try:
        avoided_terms(page)
    except ValueError as err:
        assert AVOID_HEADING in str(err)
    else:
        raise AssertionError("a glossary without the table of terms not used was accepted")


# --------------------------------------------------------------------------- the edition

def test_no_korean_text_uses_an_avoided_term():
    avoided = avoided_terms()
    catalogs = _catalogs()
    assert GLOSSARY_CATALOG in catalogs, f"missing {GLOSSARY_CATALOG.relative_to(REPO)}"
    found = []
    for path in catalogs:
        # The glossary page's table of avoided terms names them in its cells.
        exempt = frozenset(avoided) if path == GLOSSARY_CATALOG else frozenset()
        found += term_violations(path, avoided, exempt)
    assert found == [], ("Korean text using a term the glossary avoids:\n  " + "\n  ".join(found))


def test_korean_readme_uses_no_avoided_term():
    avoided = avoided_terms()
    text = KOREAN_README.read_text(encoding="utf-8").splitlines()
    found = [f"README.ko.md:{n}: {term!r} (use {avoided[term]!r})"
             for n, line in enumerate(text, 1) for term in avoided if _pattern(term).search(line)]
    assert found == [], "README.ko.md uses a term the glossary avoids:\n  " + "\n  ".join(found)


# --------------------------------------------------------------------------- first use in a chapter

BOOK_CATALOGS = REPO / "book" / "locale" / "ko" / "LC_MESSAGES" / "book"
#: The course's core terms (the brief's table, as the glossary gives them), each with the
#: English words that name it in the English text. The first paragraph of a chapter whose
#: English names the term, or whose Korean uses it, must give that English beside it,
#: 망각 게이트(forget gate); the Korean term followed at once by "(" also counts (the
#: glossary's own forms 순환 신경망(RNN), 시간에 따른 역전파(BPTT)).
FIRST_USE = {
    "순환 신경망": ("recurrent neural network", "recurrent network"), "은닉 상태": ("hidden state",),
    "셀 상태": ("cell state",), "망각 게이트": ("forget gate",), "입력 게이트": ("input gate",),
    "출력 게이트": ("output gate",), "장기 의존성": ("long-term depend", "long-range depend"),
    "기울기 소실": ("vanishing gradient", "vanishing-gradient"),
    "기울기 폭발": ("exploding gradient", "exploding-gradient"), "기울기 클리핑": ("gradient clipping",),
    "시간에 따른 역전파": ("backpropagation through time",), "퍼플렉서티": ("perplexity",),
    "원소별 곱": ("elementwise product", "pointwise product", "Hadamard product"),
    "교사 강요": ("teacher forcing",), "핍홀 연결": ("peephole",), "리셋 게이트": ("reset gate",),
    "업데이트 게이트": ("update gate",), "임베디드 레버": ("Reber grammar",), "말뭉치": ("corpus",),
    "단어 집합": ("vocabulary",), "원-핫 벡터": ("one-hot",), "피드포워드 신경망": ("feed-forward",),
}


def first_use_problems(po: Path, page: Path, terms: dict[str, tuple[str, ...]] = FIRST_USE) -> list[str]:
    """Each core term whose first mention in the chapter (the first paragraph, in catalog
    order, which is the page's order, whose English names it or whose Korean uses it;
    headings skipped: they may be noun phrases) has no English beside it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    with po.open("rb") as fh:
        catalog = read_po(fh)
    seen: set[str] = set()
    out = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        numbers = [n for _, n in message.locations if n]
        if numbers and 0 < numbers[0] <= len(lines) and lines[numbers[0] - 1].lstrip().startswith("#"):
            continue
        msgid = (message.id if isinstance(message.id, str) else message.id[0]).lower()
        text = message.string if isinstance(message.string, str) else " ".join(message.string)
        for term, english in terms.items():
            if term in seen or (term not in text and not any(e.lower() in msgid for e in english)):
                continue
            seen.add(term)
            if f"{term}(" not in text and not any(e.lower() in text.lower() for e in english):
                out.append(f"{_name(po)}:{message.lineno}: the chapter's first {english[0]!r} is not "
                           f"written {term}({english[0]})")
    return out


def test_first_use_terms_are_glossary_terms():
    korean = _glossary_korean()
    assert [t for t in FIRST_USE if t not in korean] == []


def test_first_use_check_reads_paragraphs_not_headings(tmp_path):
    page = tmp_path / "ch99.md"
    page.write_text("# The forget gate\n\nThe forget gate.\n\nAgain the forget gate.\n\n"
                    "The cell state.\n", encoding="utf-8")
    po = tmp_path / "ch99.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  '#: ch99.md:1\nmsgid "The forget gate"\nmsgstr "망각 게이트"\n\n'
                  '#: ch99.md:3\nmsgid "The forget gate."\nmsgstr "망각 게이트입니다."\n\n'
                  '#: ch99.md:5\nmsgid "Again the forget gate."\nmsgstr "다시 망각 게이트(forget gate)입니다."\n\n'
                  '#: ch99.md:7\nmsgid "The cell state."\nmsgstr "셀 상태(cell state)입니다."\n',
                  encoding="utf-8")
    terms = {"망각 게이트": ("forget gate",), "셀 상태": ("cell state",)}
    # the heading is skipped; the first paragraph is the first use, and it lacks the English
    assert first_use_problems(po, page, terms) == [
        f"{po}:10: the chapter's first 'forget gate' is not written 망각 게이트(forget gate)"]
    page.write_text("The forget gate\n\nThe forget gate.\n\nAgain the forget gate.\n\n"
                    "The cell state.\n", encoding="utf-8")
    # without the heading mark, line 1 is the first use
    assert [p.split(": ")[0] for p in first_use_problems(po, page, terms)] == [f"{po}:6"]
    # the Korean term used where the English does not name it is a first use too
    assert [p.split(": ")[0] for p in first_use_problems(po, page, {"망각 게이트": ("peephole",)})] \
        == [f"{po}:6"]
    # a term neither named nor used sets no requirement
    assert first_use_problems(po, page, {"출력 게이트": ("output gate",)}) == []


def test_each_chapter_gives_the_english_of_a_term_at_its_first_use():
    found = []
    for po in sorted(BOOK_CATALOGS.glob("ch*.po")):
        found += first_use_problems(po, REPO / "book" / f"{po.stem}.md")
    assert found == [], "first uses without the English term:\n  " + "\n  ".join(found)
