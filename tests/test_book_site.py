"""The course website in a real browser (Debian's Chromium driven by Playwright).

Serves the built site (`_build/html`) on 127.0.0.1 and visits every page of
`_toc.yml`, in both editions (English at the root, Korean under `ko/`, when the
book has Korean catalogs), so a new chapter is tested as soon as it is listed. Checks: each
page answers 200 and logs no unexpected console error; no request leaves
127.0.0.1; math is typeset (at build time: book/_ext/gbg_math.py) and no page loads
MathJax; images load; widgets render and their Play
control advances the frames; internal links resolve; search finds "forget".

If the site is not built, the session builds it with `make build`.
`GBG_BOOK_ROOT` points the tests at another book (its `_toc.yml` and
`_build/html`); by default the repository root.
"""
from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NamedTuple

from book_toc import toc_files
from browser_tab import Tab
from chromium import CHROMIUM, LOCAL_ONLY_ARGS, MISSING
import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
BOOK_ROOT = Path(os.environ.get("GBG_BOOK_ROOT", REPO)).resolve()
SITE = BOOK_ROOT / "_build" / "html"
# Console errors known to be harmless, matched exactly (see
# /work/shared/notes/jupyter-book.md): sphinx-thebe declares its constant twice.
# (ipywidgets' call of the MathJax 2 API, once per widget with a description, failed
# while the pages loaded MathJax 3; with no MathJax on the page it is not made.)
HARMLESS_CONSOLE = [
    re.compile(r"^Uncaught SyntaxError: Identifier 'THEBE_JS_URL' has already been declared$"),
    re.compile(r"^SyntaxError: Identifier 'THEBE_JS_URL' has already been declared$"),
]
SETTLE_MS = 400


def toc_pages(toc_path: Path = BOOK_ROOT / "_toc.yml") -> list[str]:
    """Every document of the table of contents, as a site path like 'book/ch01_rnn.html'."""
    return [re.sub(r"\.(md|ipynb)$", "", f) + ".html" for f in toc_files(toc_path)]


PAGES = toc_pages()
# The Korean edition (scripts/build_book.py) has the same pages under ko/.
KOREAN = "ko/"
EDITIONS = ["", KOREAN] if (BOOK_ROOT / "book" / "locale" / "ko").is_dir() else [""]
SITE_PAGES = [edition + page for edition in EDITIONS for page in PAGES]


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not all((SITE / page).is_file() for page in SITE_PAGES[::len(PAGES)]):
        if BOOK_ROOT != REPO:
            pytest.fail(f"no built site at {SITE}; build it with `jupyter-book build {BOOK_ROOT}`")
        run = subprocess.run(["make", "build"], cwd=REPO, capture_output=True, text=True, timeout=1800)
        if run.returncode != 0 or not (SITE / "index.html").is_file():
            pytest.fail("the site was not built and `make build` failed:\n"
                        + (run.stdout + run.stderr)[-4000:])
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test output stays readable
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory, playwright):
    if not shutil.which(CHROMIUM):
        pytest.skip(MISSING)
    # A persistent context on a fresh directory: a clean profile every session.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=CHROMIUM, args=LOCAL_ONLY_ARGS, headless=True,
        viewport={"width": 1280, "height": 900},
    )
    yield context
    context.close()


class PageVisit(NamedTuple):
    """What one page did in the browser."""
    status: int | None
    console_errors: list[str]
    outside_requests: list[str]
    math_sources: int        # math elements Sphinx wrote into the HTML
    math_typeset: int        # mjx-container elements (typeset when the site was built)
    math_untypeset: int      # Sphinx's math elements holding no mjx-container
    math_errors: int         # mjx-merror elements
    raw_tex: list[str]       # text outside code still holding TeX delimiters
    math_fonts: dict         # MathJax's font families its shown characters name -> their status
    math_font_errors: list[str]  # MathJax's font families that failed to load
    mathjax_requests: list[str]  # what the page fetched of MathJax's scripts
    broken_images: list[str]
    widget_views: int        # widget views saved in the page
    widgets_rendered: int    # rendered widget roots
    links: list[str]
    script_timeout: str      # what the widget manager failed to finish ("" if it did)
    # Done in the same visit, after the record above was taken (one page load serves all):
    played: list[dict] | str     # each widget's Play clicked (_play_every_widget), or what failed
    quiz: dict | str | None      # the page's quiz answered (_answer_quiz), what failed, None: no quiz


_JS_SNAPSHOT = r"""async () => {
  const imgs = Array.from(document.querySelectorAll('img'));
  // TeX delimiters in any text MathJax would have read (hidden quiz feedback too), not code.
  const skip = 'pre, code, script, style, textarea, mjx-container, .mathjax_ignore, .tex2jax_ignore';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const rawTex = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const m = /\\\(|\\\[|\$\$|\\begin\{/.exec(n.data);
    if (m && !n.parentElement.closest(skip)) rawTex.push(n.data.slice(Math.max(0, m.index - 30), m.index + 50));
  }
  // MathJax's fonts: the status of each one a shown character names, and those that failed.
  await document.fonts.ready;
  const status = {};
  document.fonts.forEach(f => { if (f.family.startsWith('MJX')) status[f.family] = f.status; });
  const mathFonts = {};
  for (const c of document.querySelectorAll('mjx-container mjx-c')) {
    if (!c.checkVisibility()) continue;
    for (const name of getComputedStyle(c).fontFamily.split(',')) {
      const family = name.trim().replace(/^"|"$/g, '');
      if (family.startsWith('MJX')) mathFonts[family] = status[family] || 'not declared';
    }
  }
  const mathFontErrors = Object.keys(status).filter(f => status[f] === 'error');
  return {
    mathSources: document.querySelectorAll('.math').length,
    mathTypeset: document.querySelectorAll('mjx-container').length,
    mathUntypeset: Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    rawTex, mathFonts, mathFontErrors,
    mathjaxGlobal: typeof window.MathJax !== 'undefined',
    brokenImages: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                      .map(i => (i.currentSrc || i.src || '').slice(0, 80)),
    widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgetsRendered: document.querySelectorAll('.widget-subarea > .jupyter-widgets').length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  };
}"""


def _wait_for_page_scripts(page) -> str:
    """Waits until the widget manager has rendered (the math came typeset in the HTML).

    Returns "" when it finished, else what timed out (the page is still
    inspected, so every test reports its own failure once).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        _wait_or_raise(page)
    except PlaywrightTimeout as err:
        return str(err).splitlines()[0]
    return ""


def _wait_or_raise(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => {
          const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
          return document.querySelectorAll('.widget-subarea > .jupyter-widgets').length >= views;
        }""", timeout=30_000)
    page.wait_for_timeout(SETTLE_MS)


@pytest.fixture(scope="session")
def visits(base_url, browser_context):
    """Visits each page once, all in one tab, as a reader following links would (the tab's
    renderer process stays: about a third less CPU per page than a new tab each, measured;
    its requests watched, not intercepted, so the HTTP cache works: tests/browser_tab.py);
    the tests below read the record."""
    cache: dict[str, PageVisit] = {}
    tabs: list[Tab] = []

    def visit(path: str) -> PageVisit:
        if path in cache:
            return cache[path]
        if not tabs or tabs[-1].page.is_closed():
            tabs.append(Tab(browser_context))
        tab = tabs[-1]
        page = tab.page
        # This page's own lists (what the page shown before logs from now on is not its record).
        tab.errors, tab.outside, tab.requests = console_errors, outside, fetched = [], [], []
        try:
            response = tab.open(base_url + path)
            script_timeout = _wait_for_page_scripts(page)
            snap = page.evaluate(_JS_SNAPSHOT)
            played = _attempt(_play_every_widget, page) if snap["widgetViews"] else []
            quiz = _attempt(_answer_quiz, page, path) if _has_quiz(path) else None
        except BaseException:
            tab.close()  # a tab in an unknown state is not reused
            raise
        cache[path] = PageVisit(
            status=response.status if response else None,
            console_errors=console_errors, outside_requests=outside,
            math_sources=snap["mathSources"], math_typeset=snap["mathTypeset"],
            math_untypeset=snap["mathUntypeset"], math_errors=snap["mathErrors"],
            raw_tex=snap["rawTex"], math_fonts=snap["mathFonts"], math_font_errors=snap["mathFontErrors"],
            mathjax_requests=[u for u in fetched if _is_mathjax_script(u)]
            + (["window.MathJax is defined"] if snap["mathjaxGlobal"] else []),
            broken_images=snap["brokenImages"],
            widget_views=snap["widgetViews"], widgets_rendered=snap["widgetsRendered"],
            links=snap["links"], script_timeout=script_timeout, played=played, quiz=quiz,
        )
        return cache[path]

    yield visit
    for tab in tabs:
        tab.close()


# --------------------------------------------------------------------------- per page

@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_answers_200_without_unexpected_console_errors(visits, path):
    visit = visits(path)
    assert visit.status == 200, f"{path} answered {visit.status}"
    unexpected = [e for e in visit.console_errors
                  if not any(p.match(e) for p in HARMLESS_CONSOLE)]
    assert not unexpected, f"{path} logged console errors: {unexpected}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_no_request_leaves_localhost(visits, path):
    outside = visits(path).outside_requests
    assert outside == [], f"{path} requested outside 127.0.0.1: {outside}"


def _is_mathjax_script(url: str) -> bool:
    path = urllib.parse.urlsplit(url).path
    return "/mathjax/" in path and path.endswith(".js")


@pytest.mark.parametrize("path", SITE_PAGES)
def test_math_is_typeset(visits, path):
    """Every formula of the page came typeset (CHTML, by the build), no TeX is left in its text,
    and the page loads no MathJax."""
    visit = visits(path)
    assert visit.math_errors == 0, f"{path}: {visit.math_errors} formulas failed to typeset"
    assert visit.math_untypeset == 0, (
        f"{path}: {visit.math_untypeset} of its {visit.math_sources} math elements hold no typeset math")
    assert visit.math_typeset >= visit.math_sources
    assert visit.raw_tex == [], f"{path}: TeX left untypeset in the page's text: {visit.raw_tex[:3]}"
    assert visit.mathjax_requests == [], f"{path} loads MathJax: {visit.mathjax_requests}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_math_fonts_load_from_the_site(visits, path):
    """MathJax's web fonts, which CHTML draws every glyph with (a font missing shows boxes or
    another font's letters), come from this site (no request leaves it): each one a shown
    character names is declared by the page, the browser loaded those it drew with (it loads
    a family of the list only when the ones before lack the glyph), and none failed."""
    visit = visits(path)
    assert visit.math_font_errors == [], f"{path}: MathJax fonts failed to load: {visit.math_font_errors}"
    undeclared = [family for family, status in visit.math_fonts.items() if status == "not declared"]
    assert not undeclared, f"{path}: its math names MathJax fonts the page does not declare: {undeclared}"
    if visit.math_typeset:
        loaded = {family for family, status in visit.math_fonts.items() if status == "loaded"}
        assert {"MJXTEX", "MJXTEX-I"} & loaded, f"{path}: no MathJax glyph font loaded: {visit.math_fonts}"
        assert "loading" not in visit.math_fonts.values(), f"{path}: fonts still loading: {visit.math_fonts}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_image_loads(visits, path):
    assert visits(path).broken_images == [], f"{path}: images that did not load"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_widget_renders(visits, path):
    visit = visits(path)
    assert not (visit.widget_views and visit.script_timeout), (
        f"{path}: the widget manager did not finish: {visit.script_timeout}")
    assert visit.widgets_rendered >= visit.widget_views, (
        f"{path}: {visit.widget_views} widgets saved, {visit.widgets_rendered} rendered")


def _pages_with_widgets(site: Path) -> list[str]:
    marker = 'application/vnd.jupyter.widget-view+json'
    return [p for p in SITE_PAGES if (site / p).is_file() and marker in (site / p).read_text()]


def _attempt(probe, *args):
    """What ``probe`` saw, or what went wrong (reported by the test that reads it)."""
    try:
        return probe(*args)
    except Exception as err:  # noqa: BLE001 (a visit records, its tests judge)
        return f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"


def _play_every_widget(page) -> list[dict]:
    """Clicks every static widget's Play button and waits for its frame readout to change:
    per widget with Play, its readouts and shown frames before and after."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    widgets = page.locator(".gbg-widget")
    played = []
    for k in range(widgets.count()):
        widget = widgets.nth(k)
        play = widget.locator(".widget-play button").first
        if play.count() == 0:
            continue
        readout = widget.locator(".widget-readout").first
        seen = {"widget": k, "readouts": readout.count()}
        played.append(seen)
        if seen["readouts"] != 1:
            continue
        widget.scroll_into_view_if_needed()
        seen["before"], seen["frame_before"] = readout.inner_text(), _visible_frame(widget)
        play.click()
        try:
            page.wait_for_function("([el, before]) => el.innerText !== before",
                                   arg=[readout.element_handle(), seen["before"]], timeout=10_000)
        except PlaywrightTimeout:
            pass  # the readout did not move: the test says so
        seen["after"], seen["frame_after"] = readout.inner_text(), _visible_frame(widget)
    return played


@pytest.mark.parametrize("path", _pages_with_widgets(SITE) or [pytest.param(None, marks=pytest.mark.skip(
    reason="no page embeds a widget (site not built yet?)"))])
def test_play_advances_frames(visits, path):
    """Every static widget's Play button, clicked (in the page's visit), changes its frame."""
    visit = visits(path)
    assert not visit.script_timeout, f"{path}: the widgets did not render: {visit.script_timeout}"
    assert isinstance(visit.played, list), f"{path}: {visit.played}"
    for seen in visit.played:
        k = seen["widget"]
        assert seen["readouts"] == 1, f"{path}: widget {k} has Play but no frame readout"
        assert seen["after"] != seen["before"], f"{path}: widget {k}: Play did not move the frame readout"
        assert seen["frame_after"] != seen["frame_before"], (
            f"{path}: widget {k}: the readout moved but the shown frame did not")
    assert visit.played, f"{path} embeds widgets but none has a Play control"


def _visible_frame(widget) -> list[str]:
    """The sources of the images the widget shows now.

    A Stack renders only its selected child, and each frame's image gets its
    own blob URL, so a new frame means new sources.
    """
    return widget.evaluate("""el => Array.from(el.querySelectorAll('img'))
        .filter(i => i.offsetParent !== null)
        .map(i => i.currentSrc || i.src)""")


# --------------------------------------------------------------------------- whole site

class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


def test_every_internal_link_resolves(visits, base_url):
    links: set[str] = set()
    for path in SITE_PAGES:
        links.update(visits(path).links)
    internal = sorted(u for u in links if u.startswith(base_url))
    assert internal, "no internal links found"
    ids: dict[str, set[str]] = {}
    broken = []
    for url in internal:
        target, _, fragment = url.partition("#")
        if target not in ids:
            try:
                with urllib.request.urlopen(target, timeout=10) as resp:
                    body = resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as err:
                broken.append(f"{url} -> {err.code}")
                ids[target] = set()
                continue
            parser = _Ids()
            parser.feed(body)
            ids[target] = parser.ids
        if fragment and target.endswith(".html") and urllib.parse.unquote(fragment) not in ids[target]:
            broken.append(f"{url} -> no element with id '{fragment}'")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_search_finds_forget(base_url, browser_context):
    page = browser_context.new_page()
    try:
        page.goto(base_url + "search.html?q=forget", wait_until="load")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=20_000)
        assert results.count() > 0
        assert "forget" in page.locator("#search-results").inner_text().lower()
    finally:
        page.close()


def test_launch_buttons_link_to_binder_and_colab(site_dir):
    """The launch buttons are plain links (they cannot be followed offline)."""
    chapter = next(p for p in PAGES if "ch01" in p) if any("ch01" in p for p in PAGES) else PAGES[-1]
    text = (site_dir / chapter).read_text()
    assert "https://mybinder.org/v2/gh/" in text
    assert "https://colab.research.google.com/github/" in text


# --------------------------------------------------------------------------- Korean web font

KOREAN_FONT = "Noto Sans KR"


HANGUL = "[\\uac00-\\ud7a3]"


def _fonts_by_element(page, session, selector: str, text_pattern: str) -> dict[str, dict[str, int]]:
    """Glyphs per font Chromium used to draw each element matching `selector` whose
    own text matches `text_pattern` (a JavaScript regular expression), keyed by that text.

    Asks the DevTools protocol (CSS.getPlatformFontsForNode), so it reports what was
    actually drawn, not what the CSS asks for.
    """
    texts = page.evaluate(
        """([selector, pattern]) => {
          const re = new RegExp(pattern);
          const texts = [];
          for (const el of document.querySelectorAll(selector)) {
            const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('');
            if (re.test(own)) { el.setAttribute('data-gbg-probe', texts.length); texts.push(el.textContent.trim()); }
          }
          return texts;
        }""", [selector, text_pattern])
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    drawn: dict[str, dict[str, int]] = {}
    for k, text in enumerate(texts):
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": f'[data-gbg-probe="{k}"]'})
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        # Fontsource's files name their family "Noto Sans KR Thin" whatever their weight.
        drawn[text] = {("web:" if f["isCustomFont"] else "") + f["familyName"]: f["glyphCount"] for f in fonts}
    page.evaluate("() => document.querySelectorAll('[data-gbg-probe]').forEach(e => e.removeAttribute('data-gbg-probe'))")
    return drawn


def test_glossary_korean_renders_in_the_served_web_font(base_url, browser_context):
    """Korean in Noto Sans KR from this site (the test machine has no Korean font), in
    every table cell, bold header and navigation link; English in the theme's font."""
    page = browser_context.new_page()
    font_responses: list[tuple[str, int]] = []
    outside: list[str] = []

    def local_only(route):
        # Routing also turns off the HTTP cache, so the font files are fetched afresh.
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.on("response", lambda r: font_responses.append((r.url, r.status))
            if "/noto-sans-kr/" in r.url and r.url.endswith(".woff2") else None)
    try:
        page.goto(base_url + "book/glossary.html", wait_until="load")
        # Without the space: it lies in a Latin slice of the font, which the page never
        # needs (the theme's font draws spaces), so check() would call it unloaded.
        loaded = page.evaluate(
            """async font => { await document.fonts.ready;
                               return document.fonts.check(`16px "${font}"`, '셀상태'); }""",
            KOREAN_FONT)
        page.wait_for_timeout(SETTLE_MS)
        session = page.context.new_cdp_session(page)
        korean = _fonts_by_element(page, session, "td p, th p, nav a", HANGUL)
        english = _fonts_by_element(page, session, "td p", "^cell state$")
    finally:
        page.close()
    assert loaded, f'document.fonts.check says "{KOREAN_FONT}" is not loaded for 셀 상태'
    assert outside == [], f"the glossary requested outside 127.0.0.1: {outside}"
    assert font_responses, "no Noto Sans KR .woff2 file was requested"
    for url, status in font_responses:
        assert urllib.parse.urlsplit(url).hostname == "127.0.0.1", url
        assert status == 200, f"{url} answered {status}"
    assert "셀 상태" in korean and "한국어" in korean, f"Korean cells not found: {sorted(korean)[:5]}"
    boxes = {}
    for text, fonts in korean.items():
        syllables = len(re.findall(r"[\uac00-\ud7a3]", text))
        from_web_font = sum(n for name, n in fonts.items() if name.startswith(f"web:{KOREAN_FONT}"))
        if from_web_font < syllables:
            boxes[text] = fonts
    assert not boxes, f"Korean drawn without the web font (empty boxes): {boxes}"
    assert english and not any(KOREAN_FONT in name for name in english["cell state"]), (
        f"'cell state' was drawn with {english}")


# --------------------------------------------------------------------------- quizzes

QUIZ_DIR = BOOK_ROOT / "book" / "quizzes"


def _quiz_pages() -> list[str]:
    """TOC pages with a quiz file (``book/quizzes/<page>.json``): new pages join by themselves."""
    return [p for p in PAGES if (QUIZ_DIR / f"{Path(p).stem}.json").is_file()]


def _wrong_number(answers: list[dict]) -> tuple[float, list[str]]:
    """A number the question counts wrong and the feedback it must show: a listed
    wrong value and its own feedback, else a number far from every answer and the
    default feedback (none if the question has no default)."""
    for j, a in enumerate(answers):
        if a.get("type", "value") == "value" and not a["correct"]:
            return a["value"], [str(j)]
    listed = [abs(v) for a in answers for v in ([a["value"]] if a.get("type", "value") == "value"
                                                else a.get("range", []))]
    default = [str(j) for j, a in enumerate(answers) if a.get("type") == "default"]
    return max(listed) * 10 + 1000, default


def _right_number(answers: list[dict]) -> float:
    a = next(a for a in answers if a.get("correct"))
    return a["value"] if a.get("type", "value") == "value" else sum(a["range"]) / 2


# The feedback the reader can see: its data-answer, for each one shown.
_SHOWN_FEEDBACK_JS = """q => [...q.querySelectorAll('.gbg-quiz-feedback')]
    .filter(f => !f.hidden && f.offsetParent !== null && f.innerText.trim() !== '')
    .map(f => f.dataset.answer)"""

# Answers every question of the page as planned, wrong then right, in one call (one
# Playwright round trip per action made the quiz test a minute long): each answer a real
# click on a choice, or a number typed into the field (an `input` event) and a click on
# Check, on a control scrolled into view, visible and enabled. Returns what each question
# showed before answering and after each answer.
# One quiz question answered in the page through real DOM events: a click on the choice, or the
# number typed into the field (an `input` event) and a click on Check, each on a control the
# reader can see and use; returns what the question shows then. Also used by test_viz_quiz_ko.
ANSWER_QUESTION_JS = """(q, label, a) => {
  const usable = (el, what) => {
    if (!el) throw new Error(`${label} ${what}: missing`);
    el.scrollIntoView({block: 'center'});
    if (!el.checkVisibility() || el.disabled) throw new Error(`${label} ${what}: not visible or disabled`);
    return el;
  };
  if (a.choice !== undefined) {
    usable(q.querySelector(`.gbg-quiz-choice[data-answer="${a.choice}"]`), 'choice').click();
  } else {
    const field = usable(q.querySelector('.gbg-quiz-numeric input'), 'field');
    field.focus();
    field.value = a.number;
    field.dispatchEvent(new Event('input', {bubbles: true}));
    usable(q.querySelector('.gbg-quiz-numeric button'), 'Check').click();
  }
  return {state: q.getAttribute('data-state'), verdict: q.querySelector('.gbg-quiz-verdict').innerText.trim()};
}"""

_ANSWER_QUIZ_JS = """plan => {
  const shown = [...document.querySelectorAll('.gbg-quiz .gbg-quiz-q')];
  const feedback = """ + _SHOWN_FEEDBACK_JS + """;
  const answerOne = """ + ANSWER_QUESTION_JS + """;
  if (shown.length !== plan.length) return {count: shown.length};
  const answer = (q, k, a) => ({...answerOne(q, `question ${k + 1}`, a), feedback: feedback(q)});
  return {count: shown.length, questions: plan.map((p, k) => ({
    before: feedback(shown[k]), wrong: answer(shown[k], k, p.wrong), right: answer(shown[k], k, p.right)}))};
}"""


def _quiz_plan(q: dict) -> tuple[dict, dict, list[str], list[str]]:
    """A wrong and a right answer to the question, and the feedback each must show."""
    if q["type"] == "multiple_choice":
        wrong = next(j for j, a in enumerate(q["answers"]) if not a["correct"])
        right = next(j for j, a in enumerate(q["answers"]) if a["correct"])
        return {"choice": wrong}, {"choice": right}, [str(wrong)], [str(right)]
    number, explanation = _wrong_number(q["answers"])
    right = str(next(j for j, a in enumerate(q["answers"]) if a.get("correct")))
    return {"number": repr(number)}, {"number": repr(_right_number(q["answers"]))}, explanation, [right]


def _has_quiz(path: str) -> bool:
    return path.removeprefix(KOREAN) in _quiz_pages()


def _answer_quiz(page, path: str) -> dict:
    """The page's quiz answered, each question wrong then right (_ANSWER_QUIZ_JS)."""
    from lstm_viz.quiz import load_quiz
    plans = [_quiz_plan(q) for q in load_quiz(Path(path).stem, QUIZ_DIR)]
    return page.evaluate(_ANSWER_QUIZ_JS, [{"wrong": w, "right": r} for w, r, _, _ in plans])


@pytest.mark.parametrize("path", [e + p for e in EDITIONS for p in _quiz_pages()] or [pytest.param(
    None, marks=pytest.mark.skip(reason="no TOC page has a quiz file"))])
def test_quiz_explains_a_wrong_answer_and_confirms_the_right_one(visits, path):
    """On every question, in both editions: a wrong answer shows its own explanation and
    the verdict 'wrong'; then the right answer shows its feedback and is confirmed (in
    the edition's language: the Korean quiz says so in Korean, from the quizzes catalog).
    Answered in the page's visit, whose record also says no request left 127.0.0.1 and no
    script failed meanwhile."""
    import gbg_i18n
    from lstm_viz.quiz import load_quiz
    confirmed = gbg_i18n.gettext("quizzes", "Correct.", "ko" if path.startswith(KOREAN) else "en")
    questions = load_quiz(Path(path).stem, QUIZ_DIR)
    plans = [_quiz_plan(q) for q in questions]
    visit = visits(path)
    done = visit.quiz
    assert isinstance(done, dict), f"{path}: answering the quiz failed: {done}"
    assert done["count"] == len(questions), (
        f"{path}: {len(questions)} questions in the quiz file, {done['count']} on the page "
        "(does the page end with show_quiz?)")
    for k, ((_, _, explanation, expected_right), seen) in enumerate(zip(plans, done["questions"])):
        assert not seen["before"], f"{path} question {k + 1}: feedback visible before answering"
        assert seen["wrong"]["state"] == "wrong", f"{path} question {k + 1}"
        assert seen["wrong"]["verdict"], f"{path} question {k + 1}"
        assert seen["wrong"]["feedback"] == explanation, (
            f"{path} question {k + 1}: the wrong answer's explanation is not the one shown")
        assert seen["right"]["state"] == "correct", f"{path} question {k + 1}: right answer not confirmed"
        assert seen["right"]["verdict"] == confirmed
        assert seen["right"]["feedback"] == expected_right, (
            f"{path} question {k + 1}: after the right answer, the wrong explanation is still shown")
    assert visit.outside_requests == [], f"{path}: requests outside 127.0.0.1: {visit.outside_requests}"
    errors = [e for e in visit.console_errors if not any(p.match(e) for p in HARMLESS_CONSOLE)]
    assert errors == [], f"{path}: script errors: {errors}"
