"""The build's math step (scripts/typeset-math.cjs, run by book/_ext/gbg_math.py) on small
pages, no browser: it typesets what MathJax typeset in the reader's browser, by the page's
own rules, once, and refuses TeX it cannot typeset. tests/test_book_site.py checks the
built site in Chromium.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "typeset-math.cjs"
LOADER = "mathjax/es5/tex-mml-chtml.js"

# What Sphinx writes into a page with math (its head), one folder below the site root.
HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>t</title>
<script>window.MathJax = {"options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area"}}</script>
<script defer="defer" src="../_static/mathjax/es5/tex-mml-chtml.js?v=cadf963e"></script>
</head><body>
"""
BODY = r"""<p>Inline <span class="math notranslate nohighlight">\(h_t = \tanh(z_t)\)</span> and
a bold <span class="math notranslate nohighlight">\(\boldsymbol{h}\)</span>.</p>
<div class="math notranslate nohighlight">\[c_t = f_t \odot c_{t-1}\]</div>
<div class="gbg-quiz mathjax_process"><div class="gbg-quiz-feedback" hidden>Right: \(x_t\) &amp; more</div></div>
<pre>print("\(kept\)")</pre>
<div class="mathjax_ignore">\(ignored\)</div>
<script type="application/json">{"tex": "\\(inside a script\\)"}</script>
</body></html>
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the build typesets its math with MathJax in Node.js "
                    "(Debian: apt-get install nodejs npm)")
    if not (REPO / "node_modules" / "mathjax").is_dir():
        pytest.skip("node_modules/mathjax not installed yet (make vendor)")
    return node


def _typeset(*pages: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_node(), str(SCRIPT), LOADER, *map(str, pages)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, Path]:
    """A small site after one run of the step: a page with math, a page without (no
    MathJax script: Sphinx found no math in it), a page with a TeX error."""
    root = tmp_path_factory.mktemp("site")
    (root / "book").mkdir()
    pages = {"math": root / "book" / "math.html", "plain": root / "book" / "plain.html",
             "broken": root / "book" / "broken.html"}
    pages["math"].write_text(HEAD + BODY, encoding="utf-8")
    pages["plain"].write_text(HEAD.replace('<script defer="defer" src="../_static/mathjax/es5/'
                                           'tex-mml-chtml.js?v=cadf963e"></script>\n', "")
                              + BODY, encoding="utf-8")
    pages["broken"].write_text(HEAD + r"<p>\(\frac{1}\)</p></body></html>", encoding="utf-8")
    originals = {name: page.read_text(encoding="utf-8") for name, page in pages.items()}
    run = _typeset(*pages.values())
    return {"pages": pages, "originals": originals, "run": run}


def _html(site, name: str) -> str:
    return site["pages"][name].read_text(encoding="utf-8")


def test_every_formula_mathjax_would_find_is_typeset(site):
    html = _html(site, "math")
    # Sphinx's three (one displayed) and the quiz's, hidden or not.
    assert html.count("<mjx-container") == 4
    assert len(re.findall(r'<mjx-container[^>]*display="true"', html)) == 1
    assert "<mjx-merror" not in html
    assert not re.search(r"\\\(|\\\[", re.sub(r"<pre>.*?</pre>|<script.*?</script>|"
                                              r'<div class="mathjax_ignore">.*?</div>', "", html, flags=re.S))


def test_what_mathjax_skips_is_left_as_it_was(site):
    html = _html(site, "math")
    assert '<pre>print("\\(kept\\)")</pre>' in html
    assert '<div class="mathjax_ignore">\\(ignored\\)</div>' in html
    assert '{"tex": "\\\\(inside a script\\\\)"}' in html
    assert "Right: " in html and "&amp; more" in html


def test_screen_readers_get_mathml(site):
    html = _html(site, "math")
    assert html.count("<mjx-assistive-mml") == 4
    assert "<msub><mi>h</mi><mi>t</mi></msub>" in html


def test_the_page_loads_no_mathjax_and_its_fonts_from_the_site(site):
    html = _html(site, "math")
    assert "tex-mml-chtml.js" not in html and "window.MathJax" not in html
    fonts = re.findall(r'src: url\("([^"]+)"\)', html)
    assert fonts and all(f.startswith("../_static/mathjax/es5/output/chtml/fonts/woff-v2/MathJax_")
                         for f in fonts)
    for font in fonts:   # every font it names is one the site vendors
        assert (REPO / "node_modules/mathjax/es5/output/chtml/fonts/woff-v2" / Path(font).name).is_file()
    # The browser matched each formula to the text's x-height; one CSS rule does it now.
    assert re.search(r'mjx-container\[jax="CHTML"\] \{\s*font-size: calc\(1ex / 0\.442\);', html)
    assert "font-size: 113.1%" not in html


def test_a_page_without_the_script_is_not_touched(site):
    assert _html(site, "plain") == site["originals"]["plain"]


def test_a_tex_error_fails_and_names_the_page(site):
    run = site["run"]
    assert run.returncode == 1
    assert "broken.html" in run.stderr and "\\frac" in run.stderr
    assert _html(site, "broken") == site["originals"]["broken"], "a page with an error is not written"


def test_a_second_run_changes_nothing(site):
    before = {name: _html(site, name) for name in ("math", "plain")}
    run = _typeset(site["pages"]["math"], site["pages"]["plain"])
    assert run.returncode == 0, run.stderr
    assert "0 formulas in 0 pages" in run.stdout
    assert {name: _html(site, name) for name in before} == before
