"""The live explainers' interface strings: one source (gbg_explainer_strings + the
``explainers`` catalog), a committed browser copy in sync with it, and, in Chromium,
a Korean page whose explainers show Korean and no English interface string."""
from __future__ import annotations

import functools
import http.server
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import gbg_i18n

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))

import gbg_explainer_strings as strings  # noqa: E402
from test_book_site import browser_context  # noqa: E402,F401  (the suite's one Chromium)
from test_explainers_directive import build  # noqa: E402

CATALOG = gbg_i18n.catalog_path("explainers", "ko")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KINDS = ("rnn-sequence", "gradient-flow", "gate", "forget-gate", "input-gate", "update-cell",
         "output-gate", "lstm-sequence")


def test_every_explainer_string_has_a_korean_translation():
    from babel.messages.pofile import read_po

    assert gbg_i18n.problems(CATALOG) == []
    with CATALOG.open("rb") as fh:
        ids = {m.id for m in read_po(fh) if m.id}
    assert ids == {text for text, _ in strings.messages()}, "run python book/_ext/gbg_explainer_strings.py"
    ko = strings.table("ko")
    worded = [k for k, v in strings.STRINGS.items() if re.search(r"[A-Za-z]{3,}", re.sub(r"LSTM|RNN|JavaScript", "", v))]
    assert len(worded) > 40 and [k for k in worded if not HANGUL.search(ko[k])] == []


def test_the_browser_copy_is_the_catalog_exported():
    committed = strings.EXPORT.read_text(encoding="utf-8")
    assert committed == strings.exported(), "run python book/_ext/gbg_explainer_strings.py"


def test_the_strings_module_has_every_key_the_browser_code_asks_for():
    asked = {f"stepName{k}" for k in range(1, 5)}  # cell.js asks for t(`stepName${k}`)
    for js in strings.EXPORT.parent.glob("*.js"):
        asked |= set(re.findall(r"\bt[r]?\('(\w+)'", js.read_text(encoding="utf-8")))
    assert len(asked) > 30 and asked <= set(strings.STRINGS), sorted(asked - set(strings.STRINGS))


def test_node_string_tests_pass():
    run = subprocess.run(["node", "--test", str(REPO / "explainers" / "test" / "strings.test.mjs")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The same page with every explainer, built by Sphinx in English and in Korean, served."""
    page = "# Explainers\n\n" + "".join(f"```{{explainer}} {k}\n```\n\n" for k in KINDS)
    urls, servers = {}, []
    for lang in ("en", "ko"):
        out = tmp_path_factory.mktemp(f"explainers-{lang}")
        run = build(out, {"all": page}, conf=f'language = "{lang}"\n')
        assert run.returncode == 0, run.stderr
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out / "_build")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[lang] = f"http://127.0.0.1:{server.server_address[1]}/all.html"
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


#: What an explainer shows or says (run on its root element ``el``): its text, labels,
#: titles, hints, aria labels and the texts of its drawings.
INTERFACE_TEXTS_JS = """[el.innerText, ...[...el.querySelectorAll('*')].flatMap(e =>
    ['aria-label', 'title', 'placeholder'].map(a => e.getAttribute(a)).filter(Boolean)),
    ...[...el.querySelectorAll('svg text')].map(e => e.textContent)]"""


def english_left(shown: str) -> list[str]:
    """The English interface strings (their text before any field) found in ``shown``."""
    english = [v for k, v in strings.table("en").items() if k != "noscript"
               and re.search(r"[A-Za-z]{3,}", re.sub(r"LSTM|RNN|JavaScript", "", v))]
    fixed = [re.sub(r"\{\w+\}.*", "", v).strip() for v in english]
    return [v for v in fixed if v and re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", shown)]


def _shown(context, url) -> tuple[str, list[str]]:
    """Every text the explainers show or say (labels, buttons, captions, hints, aria labels)."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gbg-explainer')].every(e => e.dataset.ready === 'true')",
        timeout=60_000)
    # Step explainers name their step in the cell diagram; the RNN says which step is shown.
    texts = page.evaluate(f"() => [...document.querySelectorAll('.gbg-explainer')].flatMap(el => "
                          f"{INTERFACE_TEXTS_JS})")
    lang = page.evaluate("() => document.documentElement.lang")
    page.close()
    assert errors == []
    return lang, texts


@pytest.mark.browser
@pytest.mark.slow
def test_a_korean_page_shows_its_explainers_in_korean(sites, browser_context):  # noqa: F811
    lang, ko = _shown(browser_context, sites["ko"])
    assert lang == "ko"
    shown = "\n".join(ko)
    assert english_left(shown) == [], "English interface strings on the Korean page"
    for key in ("reset", "inputs", "outputs", "resetHint", "sequence", "gain", "prevStep"):
        assert strings.table("ko")[key] in shown, key
    assert re.search(r"스텝 t = \d+ / \d+", shown)           # the RNN's step caption
    assert re.search(r"[1-4]단계: (망각|입력|갱신|출력)", shown)  # a step explainer's cell title
    # The control: the English page shows the English strings the Korean one replaced.
    _, en = _shown(browser_context, sites["en"])
    shown_en = "\n".join(en)
    assert "Reset" in shown_en and re.search(r"step t = \d+ / \d+", shown_en) and not HANGUL.search(shown_en)
    assert len(english_left(shown_en)) > 20  # the check above finds English where there is some
