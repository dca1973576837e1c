"""The live explainers on the built site, in Chromium (the set-up of tests/test_book_site.py).

For every ``{explainer}`` block of the book's chapters, on the English pages and on
their Korean twins (``_build/html/ko/``, once ``make build`` builds the Korean edition):
random states set
through ``el.gbg.set`` and what the page then holds (``el.gbg.get``) and shows
(every ``data-output`` value, and its printed text) equal lstm_ref's numbers
computed here (tests/explainer_reference.py) to 1e-9 relative; a control driven
by the keyboard, a sequence typed in; the URL restores the view in a fresh page;
reset restores the defaults and clears the link; Tab reaches every control; at
375 px nothing overflows (in the fresh page the link opened, loaded at that width, its
math typeset as every page's is, at build time); no request leaves 127.0.0.1; no console errors. On a Korean page the
interface reads Korean and shows no English interface string (on an English one,
English and no Korean).

Every page is loaded in one tab, twice a block: once at 1280 px for the tests that drive
the explainer, once from the link (the site test checks the math of every page; the link
test checks that the explainer holds none).
"""
from __future__ import annotations

import re
import urllib.parse
import zlib

import numpy as np
import pytest

from book_toc import toc_files
from explainer_reference import random_inputs, reference
from lstm_viz.draw._style import fmt
from browser_tab import Tab
from test_book_site import BOOK_ROOT, HARMLESS_CONSOLE, SITE, base_url, browser_context, site_dir  # noqa: F401

pytestmark = pytest.mark.browser

KINDS = ("rnn_sequence", "gradient_flow", "gate", "forget_gate", "input_gate", "update_cell",
         "output_gate", "lstm_sequence")
_BLOCK = re.compile(r"^```\{explainer\}\s+(\S+)\s*\n((?::\w+:.*\n)*)```", re.M)


def explainer_blocks() -> list[tuple[str, str, str]]:
    """(site page, kind, element id) of every {explainer} block in the table of contents' chapters."""
    found = []
    for doc in toc_files(BOOK_ROOT / "_toc.yml"):
        src = BOOK_ROOT / f"{doc}.md"
        if not src.is_file():
            continue
        for m in _BLOCK.finditer(src.read_text()):
            kind = m.group(1).replace("-", "_")
            ident = re.search(r"^:id:\s*(\S+)", m.group(2), re.M)
            found.append((f"{doc}.html", kind, ident.group(1) if ident else kind))
    return found


ENGLISH_BLOCKS = explainer_blocks()
KOREAN = "ko/"
#: The Korean twins, when the built site has them (make build writes _build/html/ko/).
KOREAN_BLOCKS = [(KOREAN + page, kind, ident) for page, kind, ident in ENGLISH_BLOCKS
                 if (SITE / KOREAN / page).is_file()]
BLOCKS = ENGLISH_BLOCKS + KOREAN_BLOCKS
IDS = [f"{'ko:' if page.startswith(KOREAN) else ''}{page.split('/')[-1][:-5]}:{ident}"
       for page, _, ident in BLOCKS]


def test_every_kind_of_explainer_is_in_the_book():
    assert {kind for _, kind, _ in BLOCKS} == set(KINDS)


_READY_JS = "() => [...document.querySelectorAll('.gbg-explainer')].every(e => e.dataset.ready === 'true')"


class Session:
    """The module's one tab (tests/browser_tab.py: console errors and requests beyond 127.0.0.1
    recorded), showing one page of the book at a time."""

    def __init__(self, context):
        self.tab = Tab(context)
        self.page = self.tab.page
        self.showing = None  # what the tab shows: a key of the fixture that loaded it

    def open(self, url: str, width: int = 1280, showing=None) -> Session:
        """A fresh load of ``url`` at ``width``, every explainer ready (the page's math came
        typeset in its HTML)."""
        self.showing = None
        self.tab.open(url, width)
        self.page.wait_for_function(_READY_JS, timeout=30_000)
        self.showing = showing
        return self

    def js(self, ident: str, body: str, arg=None):
        return self.page.evaluate(f"([id, arg]) => {{ const el = document.getElementById(id); {body} }}",
                                  [ident, arg])

    def get(self, ident):
        return self.js(ident, "return el.gbg.get();")

    def reset(self, ident):
        """The explainer's own Reset button, then its view gone from the link."""
        self.page.locator(f"#{ident} .gbg-reset").click()
        self.page.wait_for_function("id => !decodeURIComponent(location.hash).includes(id + '.')", arg=ident)

    def set(self, ident, inputs):
        return self.js(ident, "el.gbg.set(arg); return el.gbg.get();", inputs)

    def model(self, ident):
        return self.js(ident, "const s = el.querySelector('script.gbg-explainer-model');"
                              "return s ? JSON.parse(s.textContent) : null;")

    def shown(self, ident) -> dict:
        """name -> ([data-value] numbers, printed texts of its cells) of every data-output element."""
        return self.js(ident, """
          const out = {};
          for (const o of el.querySelectorAll('[data-output]')) {
            const cells = [...o.querySelectorAll('[data-value]')].filter(c => c.dataset.value !== '');
            const own = o.dataset.value !== undefined ? [o] : [];
            out[o.dataset.output] = {values: [...own, ...cells].map(c => Number(c.dataset.value)),
              texts: [...o.querySelectorAll('.gbg-cell')].map(c => c.textContent)};
          }
          return out;""")

    def check_clean(self):
        """No unexpected console error, no request beyond 127.0.0.1, since the last check."""
        errors, outside = self.tab.take()
        unexpected = [e for e in errors if not any(p.match(e) for p in HARMLESS_CONSOLE)]
        assert not unexpected, f"console errors: {unexpected}"
        assert outside == [], f"requests beyond 127.0.0.1: {outside}"


@pytest.fixture(scope="module")
def tab_session(browser_context):
    """Every page of this module is loaded in this one tab (its renderer process stays)."""
    s = Session(browser_context)
    yield s
    s.tab.close()


@pytest.fixture
def session(tab_session):
    """The module's tab, for a test that loads a page of its own; checked clean afterwards."""
    tab_session.tab.take()  # what the page shown before logs after its last check is not this test's
    yield tab_session
    tab_session.check_clean()


def close(got, want, what: str, rtol: float = 1e-9) -> None:
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, lstm_ref {want.shape}"
    scale = max(float(np.max(np.abs(want))) if want.size else 0.0, 1e-300)
    err = float(np.max(np.abs(got - want))) / scale if want.size else 0.0
    assert err <= rtol, f"{what}: relative error {err:.2e} against lstm_ref"


@pytest.fixture(scope="module", params=BLOCKS, ids=IDS)
def block(request):
    """(site page, kind, element id): pytest runs a block's tests one after the other."""
    return request.param


@pytest.fixture
def shown_page(tab_session, block, base_url):
    """The block's page at 1280 px, its explainer back at the starting values (its own Reset
    button, so the link is clean too); console errors and outside requests are checked after
    each test. Loaded once for the block's tests (``at_load``: what it held and showed then)."""
    page, kind, ident = block
    s = tab_session
    if s.showing != ("plain", block):
        s.open(base_url + page, showing=("plain", block))
        s.at_load = (s.get(ident), s.shown(ident))
    s.reset(ident)
    yield s
    s.check_clean()


def check_against_lstm_ref(s: Session, ident: str, kind: str, state: dict | None = None,
                           shown: dict | None = None) -> dict:
    """get()'s outputs and every shown value equal lstm_ref's for the page's current inputs
    (or for ``state`` and ``shown``, what the page held and showed at some earlier moment)."""
    state = state or s.get(ident)
    ref = reference(kind, state["inputs"], s.model(ident))
    for name, value in state["outputs"].items():
        assert name in ref, f"{kind}: output {name!r} has no lstm_ref reference"
        close(value, ref[name], f"{kind}.get().outputs.{name}")
    shown = shown or s.shown(ident)
    compared = 0
    for name, cells in shown.items():
        if name not in ref:
            continue
        close(cells["values"], np.ravel(ref[name]), f"{kind}: shown {name}")
        if cells["texts"]:
            assert cells["texts"] == [fmt(v) for v in np.ravel(ref[name])], f"{kind}: printed {name}"
        compared += 1
    assert compared >= 1, f"{kind}: no shown output to compare ({sorted(shown)})"
    return ref


def test_random_states_show_what_lstm_ref_computes(shown_page, block):
    page, kind, ident = block
    s = shown_page
    check_against_lstm_ref(s, ident, kind, *s.at_load)  # the starting view, as the page loaded
    defaults = s.js(ident, "return el.gbg.defaults();")
    rng = np.random.default_rng(zlib.crc32(f"{page}:{ident}".encode()))
    for _ in range(5):
        inputs = random_inputs(kind, defaults, rng)
        state = s.set(ident, inputs)
        for name, value in inputs.items():
            if isinstance(value, str):
                assert state["inputs"][name] == value
            else:
                close(state["inputs"][name], value, f"{kind}.inputs.{name}", rtol=0)
        check_against_lstm_ref(s, ident, kind, state)


def test_the_keyboard_drives_a_control(shown_page, block):
    page, kind, ident = block
    s = shown_page
    before = s.get(ident)["inputs"]
    control = s.page.locator(f"#{ident} [data-input]").first
    name = control.get_attribute("data-input")
    tag = control.evaluate("e => e.tagName + ':' + (e.type || '')")
    control.focus()
    if tag == "INPUT:text":
        key, text = ("(()", "(()") if kind == "lstm_sequence" else ("0.5, -1, 2", None)
        control.fill("")
        control.press_sequentially(key)
    elif tag == "INPUT:range":
        at_max = control.evaluate("e => Number(e.value) >= Number(e.max)")
        for _ in range(2):
            control.press("ArrowLeft" if at_max else "ArrowRight")
    else:
        control.press("ArrowUp")
    after = s.get(ident)
    assert after["inputs"][name] != before[name], f"{kind}: {name} did not change ({tag})"
    if tag == "INPUT:text" and kind == "rnn_sequence":
        assert after["inputs"]["x"] == [[[0.5], [-1], [2]]]
    elif tag == "INPUT:text":
        assert after["inputs"]["text"] == "(()"
    elif tag == "INPUT:number":
        index = [int(k) for k in control.get_attribute("data-index").split(",")]
        was, now = before[name], after["inputs"][name]
        for k in index:
            was, now = was[k], now[k]
        assert now == pytest.approx(was + 0.1, abs=1e-9)
    check_against_lstm_ref(s, ident, kind, after)


def test_tab_reaches_every_control(shown_page, block):
    page, kind, ident = block
    s = shown_page
    controls = s.js(ident, """
      const c = [...el.querySelectorAll('input, button, select, textarea, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled);
      c.forEach((e, k) => e.dataset.tabProbe = k);
      return c.length;""")
    assert controls >= 2
    s.page.locator(f"#{ident} .gbg-reset").focus()
    reached = set()
    for _ in range(controls + 2):
        probe = s.page.evaluate("() => document.activeElement && document.activeElement.dataset.tabProbe")
        if probe is not None:
            reached.add(int(probe))
        s.page.keyboard.press("Tab")
    assert reached == set(range(controls)), f"{kind}: Tab skipped {sorted(set(range(controls)) - reached)}"


def test_the_explainer_speaks_its_pages_language(shown_page, block):
    """Korean on a Korean page, with no English interface string left; English on an English one."""
    from test_explainers_strings import INTERFACE_TEXTS_JS, english_left, strings

    page, kind, ident = block
    s = shown_page
    lang = "ko" if page.startswith(KOREAN) else "en"
    assert s.js(ident, "return el.dataset.lang;") == lang
    shown = "\n".join(s.js(ident, f"return {INTERFACE_TEXTS_JS};"))
    assert strings.table(lang)["reset"] in shown
    if lang == "ko":
        assert re.search(r"[\uac00-\ud7a3]", shown)
        assert english_left(shown) == [], f"{page}: English interface strings on the Korean page"
    else:
        assert not re.search(r"[\uac00-\ud7a3]", shown), f"{page}: Korean on the English page"


# The tests of a block's page at 1280 px come first, those of its linked page at 375 px
# after them: each is loaded once for its tests.

PHONE = 375  # px: the width of a small phone's screen

_OVERFLOW_JS = """
  const r = el.getBoundingClientRect();
  const over = [...el.querySelectorAll('*')].filter(e => {
    const b = e.getBoundingClientRect(); return b.width && (b.right > r.right + 1 || b.left < r.left - 1);
  }).map(e => e.tagName + '.' + e.getAttribute('class'));
  return {left: r.left, right: r.right, scroll: el.scrollWidth, client: el.clientWidth,
          page: document.documentElement.scrollWidth, over: over.slice(0, 5)};"""


@pytest.fixture(scope="module")
def links():
    """block -> (defaults, the random state set, what the page then showed, the link's fragment)."""
    return {}


@pytest.fixture
def fresh_page(tab_session, block, links, base_url):
    """A random view set on the block's page, and the link it then shows opened in a fresh load at
    a phone's width (one fresh load serves the link test and the phone test). Keeps
    the state set, what the first page showed, and what the fresh page held and showed on loading;
    console errors and outside requests are checked after each test."""
    page, kind, ident = block
    s = tab_session
    if s.showing != ("linked", block):
        if block not in links:
            if s.showing != ("plain", block):
                s.open(base_url + page, showing=("plain", block))
            s.reset(ident)  # the link of an earlier test's view goes
            defaults = s.js(ident, "return el.gbg.defaults();")
            state = s.set(ident, random_inputs(kind, defaults, np.random.default_rng(7)))
            s.page.wait_for_function("id => decodeURIComponent(location.hash).includes(id + '.')", arg=ident)
            fragment = urllib.parse.urlsplit(s.page.url).fragment
            assert f"{ident}." in urllib.parse.unquote(fragment)
            links[block] = (defaults, state, s.shown(ident), fragment)
        defaults, state, first_shown, fragment = links[block]
        s.linked = (defaults, state, first_shown)
        s.open(base_url + page + "#" + fragment, PHONE, showing=("linked", block))
        s.at_load = (s.get(ident), s.shown(ident))
    yield s
    s.check_clean()


def test_the_link_restores_the_view_and_reset_clears_it(fresh_page, block):
    page, kind, ident = block
    fresh = fresh_page
    defaults, state, first_shown = fresh.linked
    again, shown = fresh.at_load
    assert again["inputs"] == state["inputs"]
    assert again["outputs"] == state["outputs"]
    assert shown == first_shown
    # The page's math is typeset, none of it inside the explainer (which draws its own text).
    assert fresh.page.evaluate("() => document.querySelectorAll('mjx-container').length") > 0
    assert fresh.js(ident, "return el.querySelectorAll('mjx-container, .math').length;") == 0

    fresh.page.locator(f"#{ident} .gbg-reset").click()
    assert fresh.get(ident)["inputs"] == defaults
    fresh.page.wait_for_function("id => !decodeURIComponent(location.hash).includes(id + '.')", arg=ident)
    assert f"{ident}." not in urllib.parse.unquote(urllib.parse.urlsplit(fresh.page.url).fragment)
    check_against_lstm_ref(fresh, ident, kind)


def test_nothing_overflows_a_phone_screen(fresh_page, block):
    """At 375 px (the page the link opened, loaded at that width), at the starting values."""
    page, kind, ident = block
    s = fresh_page
    s.reset(ident)
    box = s.js(ident, _OVERFLOW_JS)
    assert box["left"] >= 0 and box["right"] <= PHONE, box
    assert box["scroll"] <= box["client"], box
    assert box["over"] == [], box
    assert box["page"] <= PHONE, box


def test_a_link_to_a_heading_keeps_the_view_and_a_pasted_link_sets_it(session, base_url):
    page, kind, ident = next(b for b in BLOCKS if b[1] == "forget_gate")
    s = session.open(base_url + page)
    state = s.set(ident, {"b_f": [2.5, -1.0, 0.25]})
    s.page.evaluate("() => { location.hash = 'summary'; }")
    s.page.wait_for_timeout(300)
    assert s.get(ident)["inputs"] == state["inputs"]
    s.page.evaluate("id => { location.hash = id + '.b_f=0,0,7'; }", ident)
    s.page.wait_for_function("id => document.getElementById(id).gbg.get().inputs.b_f[2] === 7", arg=ident)
    assert s.get(ident)["inputs"]["b_f"] == [0, 0, 7]
    check_against_lstm_ref(s, ident, kind)


def test_pages_without_an_explainer_load_none_of_its_code(site_dir):
    with_blocks = {page for page, _, _ in ENGLISH_BLOCKS}
    for doc in toc_files(BOOK_ROOT / "_toc.yml"):
        html = (site_dir / f"{doc}.html").read_text()
        loads = "gbg-explainers/main.js" in html
        assert loads == (f"{doc}.html" in with_blocks), doc
        if loads:
            assert re.search(r'<script type="module" src="[^"]*gbg-explainers/main\.js', html), doc
