"""The Korean edition of the website (`_build/html/ko`, built by `make build`).

Every English page has its Korean twin; the language switch leads to the same page
in the other edition, both ways, from a site served under any path; the theme's
strings, the title and the footer are Korean; a page's heading is Korean once its
catalog translates it. (The checks every page gets in both editions, such as no
request leaving 127.0.0.1 and math typeset, are in test_book_site.py.)
"""
from __future__ import annotations

import functools
import gettext
import html.parser
import http.server
import re
import sys
import threading
import urllib.parse
from pathlib import Path

from babel.messages.pofile import read_po
from browser_tab import Tab
import gbg_i18n
import pytest
import sphinx
import yaml

from test_book_site import KOREAN, PAGES, REPO, SITE, _QuietHandler, browser_context, site_dir  # noqa: F401

CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
BOOK_LOCALE = REPO / "book" / "locale" / "ko" / "LC_MESSAGES"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _catalog(name: str) -> dict[str, str]:
    """msgid -> msgstr of a catalog, translated entries that are not fuzzy only."""
    path = BOOK_LOCALE / f"{name}.po"
    with path.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and m.string and not m.fuzzy}


class _Page(html.parser.HTMLParser):
    """What the tests read from a built page: <html lang>, the switch, alternates, h1, text."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.switch: list[dict] = []
        self.alternates: list[dict] = []
        self.h1 = ""
        self.h1_done = False
        self.title = ""
        self.placeholders: list[str] = []
        self._in: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and "gbg-language-switch" in (a.get("class") or "").split():
            self.switch.append(a)
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates.append(a)
        if tag == "input" and a.get("placeholder"):
            self.placeholders.append(a["placeholder"])
        if tag in ("h1", "title", "script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()
        if tag == "h1" and self.h1.strip():
            self.h1_done = True   # the first heading only (the theme repeats it in its print header)

    def handle_data(self, data):
        if "h1" in self._in and not self.h1_done:
            self.h1 += data
        elif "title" in self._in:
            self.title += data
        if not {"script", "style"} & set(self._in):
            self.text.append(data)


@functools.lru_cache(maxsize=None)
def read_page(path: str) -> _Page:
    file = SITE / path
    if not file.is_file():
        pytest.fail(f"{path} was not built (make build)")
    page = _Page()
    page.feed(file.read_text(encoding="utf-8"))
    page.h1 = " ".join(page.h1.split()).rstrip("#").strip()
    page.text_lines = {" ".join(t.split()) for t in page.text if t.strip()}
    return page


@pytest.fixture(scope="module")
def built(site_dir):  # noqa: F811 (the session fixture of test_book_site builds the site if needed)
    return site_dir


# --------------------------------------------------------------------------- twins and the switch

@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_its_korean_twin(built, path):
    korean = read_page(KOREAN + path)
    assert korean.lang == "ko", f"{KOREAN + path}: <html lang={korean.lang!r}>"
    assert read_page(path).lang in ("en", None), f"{path}: <html lang={read_page(path).lang!r}>"


def _resolve(page: str, href: str) -> str:
    return urllib.parse.urljoin("http://127.0.0.1/" + page, href).removeprefix("http://127.0.0.1/")


@pytest.mark.parametrize("path", PAGES)
def test_switch_links_each_page_to_its_twin(built, path):
    for here, there, lang in ((path, KOREAN + path, "ko"), (KOREAN + path, path, "en")):
        page = read_page(here)
        assert len(page.switch) == 1, f"{here}: {len(page.switch)} language switches"
        assert _resolve(here, page.switch[0]["href"]) == there, f"{here}: switch -> {page.switch[0]['href']}"
        assert page.switch[0]["hreflang"] == lang
        assert [(_resolve(here, a["href"]), a["hreflang"]) for a in page.alternates] == [(there, lang)]


@pytest.fixture(scope="module")
def served_under_a_path(built, tmp_path_factory):
    """The site served from a sub-folder (http://127.0.0.1:port/course/), as it may be published."""
    root = tmp_path_factory.mktemp("served")
    (root / "course").symlink_to(built.resolve(), target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/course/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_switch_works_both_ways_in_chromium(served_under_a_path, browser_context):  # noqa: F811
    base = served_under_a_path
    chapter = next((p for p in PAGES if "ch04" in p), PAGES[-1])
    # Requests watched, not intercepted (tests/browser_tab.py).
    tab = Tab(browser_context)
    page = tab.page
    # The URL and <html lang> are known once the document is parsed: waiting for "load"
    # (every image, font and widget script of a chapter) would test nothing more.
    ready = "domcontentloaded"
    try:
        # From the site's root (its index redirects to the start page), to Korean and back.
        page.goto(base, wait_until=ready)
        page.wait_for_url(base + PAGES[0], wait_until=ready)
        for target, lang in ((base + KOREAN + PAGES[0], "ko"), (base + PAGES[0], "en")):
            page.locator("a.gbg-language-switch").click()
            page.wait_for_url(target, wait_until=ready)
            assert page.evaluate("document.documentElement.lang") == lang
        page.goto(base + chapter, wait_until=ready)
        for target, lang in ((base + KOREAN + chapter, "ko"), (base + chapter, "en")):
            page.locator("a.gbg-language-switch").click()
            page.wait_for_url(target, wait_until=ready)
            assert page.evaluate("document.documentElement.lang") == lang
    finally:
        tab.close()
    assert tab.outside == [], f"requests outside 127.0.0.1: {tab.outside}"


# --------------------------------------------------------------------------- Korean text

def test_korean_pages_show_the_title_footer_and_theme_in_korean(built):
    chapter = next((p for p in PAGES if "ch04" in p), PAGES[-1])
    page = read_page(KOREAN + chapter)
    text = " ".join(" ".join(page.text).split())
    title = gbg_i18n.gettext("site", CONFIG["title"], "ko")
    footer = gbg_i18n.gettext("site", CONFIG["html"]["extra_footer"], "ko")
    assert HANGUL.search(title) and HANGUL.search(footer), "the site catalog lacks the title or the footer"
    assert title in page.title, f"<title>{page.title}</title>"
    assert footer in text
    theme = _catalog("booktheme") | _catalog("sphinx")
    assert page.placeholders and set(page.placeholders) == {theme["Search this book..."]}, page.placeholders
    sphinx_own = gettext.translation("sphinx", str(Path(sphinx.__file__).parent / "locale"), ["ko"])
    for english, korean in [("Contents", theme["Contents"])] + [
            (word, sphinx_own.gettext(word)) for word in ("previous", "next")]:
        assert HANGUL.search(korean) and korean in page.text_lines, f"{english!r} is not shown as {korean!r}"
    raw = (SITE / KOREAN / chapter).read_text(encoding="utf-8")
    for english in ("On this page", "previous page", "next page", "Link to this heading",
                    "Download this page", "Fullscreen mode"):
        assert f'"{theme[english]}"' in raw and f'"{english}"' not in raw, f"{english!r} on {KOREAN + chapter}"
    english_page = read_page(chapter)
    assert CONFIG["html"]["extra_footer"] in " ".join(" ".join(english_page.text).split())


def _heading(page: str) -> tuple[str, str] | None:
    """The page's first heading and its Korean, when the catalog translates it."""
    source = (REPO / f"{page}.md").read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", source, re.MULTILINE)
    catalog = BOOK_LOCALE / f"{page}.po"
    if not heading or not catalog.is_file():
        return None
    korean = _catalog(f"{page}").get(heading.group(1).strip())
    # As shown: without Markdown's backslash escapes ("1\\. 순환 신경망" keeps 1. from being a list).
    return (heading.group(1).strip(), re.sub(r"\\(.)", r"\1", korean)) if korean else None


@pytest.mark.parametrize("path", PAGES)
def test_a_translated_heading_shows_on_the_korean_page(built, path):
    heading = _heading(path.removesuffix(".html"))
    if heading is None:
        pytest.skip(f"{path}: its heading is not translated yet")
    english, korean = heading
    # A name may stand as it is (the course's, on the start page); anything else is Korean.
    assert HANGUL.search(korean) or korean == english, f"{path}: the heading's translation has no Korean: {korean!r}"
    assert read_page(KOREAN + path).h1 == korean, f"{KOREAN + path}: <h1> {read_page(KOREAN + path).h1!r}"
    assert read_page(path).h1 == english


# --------------------------------------------------------------------------- the same runs

class _Cells(html.parser.HTMLParser):
    """Each notebook cell of a built page: its code, its output text and the text of its output's tables."""

    def __init__(self):
        super().__init__()
        self.cells: list[dict] = []
        self._divs: list[str] = []   # the role of every open <div>: cell, cell_input, cell_output or ""
        self._tables = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._tables += 1
        if tag != "div":
            return
        classes = (dict(attrs).get("class") or "").split()
        role = next((r for r in ("cell", "cell_input", "cell_output") if r in classes), "")
        if role == "cell":
            self.cells.append({"cell_input": "", "cell_output": "", "tables": ""})
        self._divs.append(role)

    def handle_endtag(self, tag):
        if tag == "table":
            self._tables -= 1
        elif tag == "div" and self._divs:
            self._divs.pop()

    def handle_data(self, data):
        part = next((r for r in reversed(self._divs) if r in ("cell_input", "cell_output")), None)
        if part and self.cells:
            self.cells[-1][part] += data
            if self._tables and part == "cell_output":
                self.cells[-1]["tables"] += data + " "


def _experiment_numbers(path: str) -> list[str]:
    """The numbers in the outputs of the cells that run a shared experiment, and in every results table."""
    sys.path.insert(0, str(REPO / "book" / "_ext"))
    import gbg_shared_runs

    parser = _Cells()
    parser.feed((SITE / path).read_text(encoding="utf-8"))
    numbers = []
    for cell in parser.cells:
        if any(f"lstm_ref.{name}(" in cell["cell_input"] for name in gbg_shared_runs.SHARED):
            numbers.append(re.findall(r"\d+(?:\.\d+)?", cell["cell_output"]))
        numbers.append(re.findall(r"\d+(?:\.\d+)?", cell["tables"]))
    return [n for n in numbers if n]


@pytest.mark.parametrize("path", [p for p in PAGES if p.endswith(("ch11_training.html", "ch12_practice.html", "ch13_attention.html"))])
def test_both_editions_show_the_numbers_of_the_same_runs(built, path):
    """The long experiments run once for both editions (book/_ext/gbg_shared_runs.py): the same
    numbers, to the last digit and the seconds they took, in English and in Korean."""
    english, korean = _experiment_numbers(path), _experiment_numbers(KOREAN + path)
    assert english, f"{path}: no experiment output found"
    assert english == korean, f"{path}: the editions show different results"
