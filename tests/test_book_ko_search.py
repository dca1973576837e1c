"""Korean search (book/_ext/gbg_search_ko.py): a search for 게이트 finds the pages
that write 게이트는, 게이트가, 게이트를, and the particle of a query word goes too.

Three layers: the indexer's words (Kiwi), a small Korean Sphinx site built here
and searched in Chromium (it knows which page says what), and the built Korean
edition of the course searched in Chromium.
"""
from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import io
import re
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from browser_tab import Tab
from test_book_site import KOREAN, PAGES, REPO, SITE, _QuietHandler, base_url, browser_context, site_dir  # noqa: F401

EXT = REPO / "book" / "_ext"
sys.path.insert(0, str(EXT))

import gbg_search_ko  # noqa: E402

# A small Korean site: which page writes which form of 게이트.
MINI_PAGES = {
    "neun": ("게이트는", "망각 게이트는 셀 상태에서 지울 값을 고릅니다."),
    "ga": ("게이트가", "입력 게이트가 새 정보를 셀 상태에 씁니다."),
    "reul": ("게이트를", "출력 게이트를 지나면 은닉 상태가 됩니다."),
    "english": ("괄호", "망각 게이트(forget gate)라는 이름은 그 일을 말합니다."),
    "none": ("없음", "은닉상태만 다음 타임 스텝으로 넘어갑니다."),
}


# --------------------------------------------------------------------------- the indexer

def test_the_index_gets_words_without_their_particles():
    words = gbg_search_ko.korean_words("게이트는 게이트가 게이트를 은닉상태를 망각 게이트(forget gate)로")
    assert words.count("게이트") == 4
    assert {"은닉", "상태", "은닉상태", "망각", "forget", "gate"} <= set(words)
    assert not {"는", "가", "를", "로", "게이트는", "은닉상태를"} & set(words), words


def test_latin_words_are_stemmed_as_in_english():
    lang = gbg_search_ko.SearchKorean({})
    assert [lang.stem(w) for w in lang.split("Forgetting gates 게이트를")] == ["forget", "gate", "게이트"]


# --------------------------------------------------------------------------- a small site

def _search(page, url: str) -> list[str]:
    """The result links of Sphinx's search page at `url`, once the search finished."""
    page.goto(url, wait_until="load")
    page.wait_for_function(
        """() => { const s = document.querySelector('#search-results p.search-summary');
                   return s && /\\d/.test(s.innerText); }""", timeout=30_000)
    return page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")


def _serve(directory: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    src = tmp_path_factory.mktemp("ko-search")
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(EXT)!r})\n"
        "language = 'ko'\nextensions = ['gbg_search_ko']\nhtml_theme = 'basic'\n")
    toctree = "\n".join(f"   {name}" for name in MINI_PAGES)
    (src / "index.rst").write_text(f"차례\n====\n\n.. toctree::\n   :hidden:\n\n{toctree}\n")
    for name, (title, text) in MINI_PAGES.items():
        (src / f"{name}.rst").write_text(f"{title}\n{'=' * 10}\n\n{text}\n")
    out = src / "_build"
    # Built in this process (Sphinx's command-line entry), so the build's Kiwi is the one the
    # indexer tests above loaded (gbg_search_ko caches it): a subprocess would load Kiwi's model
    # again, about 6 CPU-s, and import Sphinx again, about 2.
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = build_main(["-b", "html", "-q", "-W", str(src), str(out)])
    assert code == 0, said.getvalue()
    server = _serve(out)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tab(browser_context):  # noqa: F811
    """One tab for every search of this module (its renderer process stays)."""
    tab = Tab(browser_context)
    yield tab
    tab.close()


def _names(urls: list[str]) -> set[str]:
    return {Path(urllib.parse.urlsplit(u).path).stem for u in urls}


@pytest.mark.browser
@pytest.mark.parametrize("query", ["게이트", "게이트는", "게이트를"])
def test_a_search_finds_every_form_of_the_word(mini_site, tab, query):
    found = _names(_search(tab.page, mini_site + "search.html?q=" + urllib.parse.quote(query)))
    assert found == {"neun", "ga", "reul", "english"}, f"{query}: found {sorted(found)}"


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", [("forget", {"english"}), ("상태를", {"neun", "ga", "reul", "none"}),
                                             ("은닉상태", {"none"})])
def test_english_words_and_compounds_are_found(mini_site, tab, query, expected):
    found = _names(_search(tab.page, mini_site + "search.html?q=" + urllib.parse.quote(query)))
    assert found == expected, f"{query}: found {sorted(found)}"


# --------------------------------------------------------------------------- the course

class _Text(html.parser.HTMLParser):
    """The text of a page's article (what the search index holds), without scripts."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def _korean_pages_writing(pattern: str) -> set[str]:
    found = set()
    for path in PAGES:
        parser = _Text()
        parser.feed((SITE / KOREAN / path).read_text(encoding="utf-8"))
        if re.search(pattern, " ".join(parser.parts)):
            found.add(path)
    return found


@pytest.mark.browser
@pytest.mark.parametrize("query", ["게이트", "게이트를"])
def test_the_korean_edition_finds_gate_in_every_form(site_dir, base_url, tab, query):  # noqa: F811
    # Every page writing 게이트 in any form (게이트는, 게이트가, 망각 게이트를, ...); the
    # glossary has Korean from the start, the chapters once translated.
    expected = _korean_pages_writing(r"게이트")
    assert "book/glossary.html" in expected, "the Korean glossary does not write 게이트"
    found = {u.removeprefix(base_url + KOREAN).split("#")[0].split("?")[0]
             for u in _search(tab.page, base_url + KOREAN + "search.html?q=" + urllib.parse.quote(query))}
    assert expected <= found, (f"{query}: pages writing 게이트 (게이트는, 게이트가, ...) the search missed: "
                               f"{sorted(expected - found)}")
