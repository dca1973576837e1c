"""The book's build configuration: the settings the website relies on.

No browser and no build needed, except the last tests, which read the built
HTML when `_build/html` exists (they are skipped otherwise; the browser tests
build it).
"""
from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path

from book_toc import toc_files
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
SPHINX = CONFIG["sphinx"]["config"]
TOC = yaml.safe_load((REPO / "_toc.yml").read_text())
SITE = REPO / "_build" / "html"
ASSIGNMENTS = ["ch01_rnn", "ch02_vanishing", "ch03_gates", "ch04_forget_gate", "ch05_input_gate",
               "ch06_cell_update", "ch07_output_gate", "ch08_lstm_forward", "ch09_lstm_backward",
               "ch10_variants", "ch11_training", "ch12_practice", "ch13_attention"]


def _toc_files() -> list[str]:
    return toc_files(REPO / "_toc.yml")


CHAPTERS = [f for f in _toc_files() if re.match(r"book/ch\d\d_", f)]


def _is_remote(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip()))


# --------------------------------------------------------------------------- config

def test_execution_uses_the_cache_and_fails_on_errors():
    execute = CONFIG["execute"]
    assert execute["execute_notebooks"] == "cache"
    assert execute.get("allow_errors", False) is False
    assert execute["timeout"] >= 60


def test_only_the_book_is_built():
    assert CONFIG["only_build_toc_files"] is True
    excluded = set(CONFIG["exclude_patterns"])
    for folder in (".venv", "node_modules", "_vendor", "_build", ".jupyter_cache", "exercises",
                   "solutions", "tests", "docs", "README.md"):
        assert folder in excluded, f"{folder} must be in exclude_patterns"


def test_every_script_the_pages_load_is_served_by_the_site():
    assert not _is_remote(SPHINX["mathjax_path"])
    assert SPHINX["nb_ipywidgets_js"], "nb_ipywidgets_js must replace the CDN defaults"
    for path in SPHINX["nb_ipywidgets_js"]:
        assert not _is_remote(path), f"widget script from a CDN: {path}"
    for path in SPHINX.get("html_js_files", []) + SPHINX.get("html_css_files", []):
        assert not _is_remote(path)


def test_vendored_assets_avoid_a_folder_named_static():
    # Jupyter Book injects every .js under a `_static` folder into every page.
    for folder in SPHINX["html_static_path"]:
        assert Path(folder).name != "_static"


# Pages' stylesheets copied from npm into _vendor/ (checked against _vendor/ below).
VENDORED_CSS = {"noto-sans-kr/400.css", "noto-sans-kr/700.css"}


def test_own_assets_exist():
    static_dirs = [REPO / d for d in SPHINX["html_static_path"]]
    own = [d for d in static_dirs if d.name != "_vendor"]
    for name in SPHINX["html_js_files"] + SPHINX["html_css_files"]:
        if name in VENDORED_CSS:
            continue
        assert any((d / name).is_file() for d in own), f"{name} is in no static folder"
    assert (REPO / CONFIG["html"]["favicon"]).is_file()


def test_korean_font_loads_before_the_site_css_that_uses_it():
    css = SPHINX["html_css_files"]
    assert VENDORED_CSS <= set(css), f"html_css_files lacks the Korean font: {css}"
    assert max(css.index(name) for name in VENDORED_CSS) < css.index("gbg-site.css")
    site_css = (REPO / "book/site-assets/gbg-site.css").read_text()
    stack = re.search(r"--pst-font-family-base:\s*([^;]+);", site_css)
    assert stack, "gbg-site.css does not set the theme's base font stack"
    families = [f.strip().strip('"') for f in stack.group(1).split(",")]
    # system-ui first: English keeps the theme's font, Hangul falls through to Noto Sans KR.
    assert families[0] == "system-ui" and "Noto Sans KR" in families


def test_vendored_assets_match_the_config():
    vendor = REPO / "_vendor"
    if not (vendor / ".gbg-lock.sha256").is_file():
        pytest.skip("_vendor/ not filled yet (make vendor)")
    # The math is typeset at build time (book/_ext/gbg_math.py): the site serves MathJax's
    # fonts, where its output names them (next to the script: [mathjax]/output/chtml/...),
    # and none of its scripts.
    mathjax = vendor / Path(SPHINX["mathjax_path"]).parent
    assert not (vendor / SPHINX["mathjax_path"]).exists()
    assert not [p.name for p in (vendor / "mathjax").rglob("*.js")], "MathJax scripts in _vendor/"
    for path in SPHINX["nb_ipywidgets_js"]:
        assert (vendor / path).is_file(), f"{path} missing from _vendor/"
    assert list((mathjax / "output/chtml/fonts/woff-v2").glob("MathJax_*.woff"))
    # The widget manager loads its icon fonts from next to itself.
    assert list((vendor / "jupyter-widgets").glob("*.woff2"))
    # The Korean font: every woff2 file its stylesheets name is served.
    for name in sorted(VENDORED_CSS):
        sheet = (vendor / name).read_text()
        fonts = re.findall(r"url\(\./(files/[^)]+\.woff2)\)", sheet)
        assert fonts, f"{name} names no woff2 file"
        missing = [f for f in fonts if not (vendor / name).parent.joinpath(f).is_file()]
        assert not missing, f"{name}: {len(missing)} woff2 files missing, e.g. {missing[:3]}"


def test_launch_buttons_point_at_binder_and_colab():
    launch = CONFIG["launch_buttons"]
    assert launch["binderhub_url"] == "https://mybinder.org"
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert CONFIG["repository"]["url"].startswith("https://github.com/")


def test_npm_versions_are_pinned_and_locked():
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert package["dependencies"], "package.json lists no dependency"
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: {version} is not an exact version"
        locked = lock["packages"].get(f"node_modules/{name}", {})
        assert locked.get("version") == version, f"{name}: lockfile has {locked.get('version')}"
        assert locked.get("integrity", "").startswith("sha512-")


# --------------------------------------------------------------------------- chapters

def test_toc_lists_thirteen_chapters_a_start_page_a_glossary_and_references():
    assert TOC["root"] == "book/intro"
    assert len(CHAPTERS) == 13
    assert [int(re.search(r"ch(\d\d)", c).group(1)) for c in CHAPTERS] == list(range(1, 14))
    assert "book/glossary" in _toc_files()
    assert "book/references" in _toc_files()
    for f in _toc_files():
        assert (REPO / f"{f}.md").is_file(), f"{f}.md listed in _toc.yml is missing"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_a_text_notebook_with_math_code_and_exercise(chapter):
    text = (REPO / f"{chapter}.md").read_text()
    assert text.startswith("---\njupytext:"), "chapters are MyST markdown notebooks"
    assert "kernelspec:" in text.split("\n---\n", 1)[0]
    assert re.search(r"```\{math\}|\$\$", text), "no displayed equation"
    assert "```{code-cell} ipython3" in text
    assert "lstm_ref" in text or "lstm_viz" in text
    downloads = re.findall(r"\{download\}`[^<`]*<\.\./exercises/([^/]+)/([^>]+)\.ipynb>`", text)
    assert len(downloads) == 1, "each chapter links exactly one exercise notebook"
    assignment, notebook = downloads[0]
    assert assignment in ASSIGNMENTS
    assert notebook == assignment


def test_each_assignment_is_linked_from_its_chapter():
    linked = set()
    for chapter in CHAPTERS:
        linked.update(re.findall(r"\.\./exercises/([^/]+)/", (REPO / f"{chapter}.md").read_text()))
    assert linked == set(ASSIGNMENTS)


def test_no_notebook_outputs_are_committed_in_book():
    assert not list((REPO / "book").rglob("*.ipynb"))


def test_glossary_gives_korean_terms():
    text = (REPO / "book/glossary.md").read_text()
    for english, korean in [("cell state", "셀 상태"), ("forget gate", "망각 게이트"),
                            ("input gate", "입력 게이트"), ("output gate", "출력 게이트"),
                            ("hidden state", "은닉 상태"), ("vanishing gradient", "기울기 소실")]:
        row = next((line for line in text.splitlines() if line.startswith(f"| {english} ")), "")
        assert korean in row, f"glossary row for {english!r} lacks {korean!r}"


# --------------------------------------------------------------------------- built site

class _Assets(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "preload", "icon", "modulepreload"}:
            self.urls.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.urls.append(a["src"])


def _built_pages() -> list[Path]:
    if not (SITE / "index.html").is_file():
        pytest.skip("site not built (make build)")
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)


def test_built_pages_load_nothing_from_a_cdn():
    remote = {}
    for page in _built_pages():
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = [u for u in parser.urls if _is_remote(u)]
        if bad:
            remote[str(page.relative_to(SITE))] = bad
    assert not remote, f"pages load scripts, styles or images from other hosts: {remote}"


def test_built_chapters_embed_the_local_widget_manager():
    pages = [SITE / f"{c}.html" for c in CHAPTERS]
    if not all(p.is_file() for p in pages):
        pytest.skip("site not built (make build)")
    with_widgets = [p for p in pages if "application/vnd.jupyter.widget-view+json" in p.read_text()]
    assert with_widgets, "no chapter embeds a widget"
    for page in with_widgets:
        assert "_static/jupyter-widgets/embed.js" in page.read_text()


# --------------------------------------------------------------------------- conventions

def test_intro_states_the_time_index_convention():
    """BRIEF: x_1 ... x_T, initial states h_0, c_0, outputs h_1 ... h_T; code h[:, t-1] holds h_t."""
    text = re.sub(r"\s+", " ", (REPO / "book/intro.md").read_text())
    notation = text[text.index("## Notation"):]
    for claim in (r"$x_1, \dots, x_T$", r"$h_0$ and $c_0$", "`h[:, t-1]`", r"$h_T$"):
        assert claim in notation, f"the intro's notation section no longer says {claim}"


def test_no_page_or_diagram_counts_time_from_zero():
    pages = [REPO / f"{f}.md" for f in _toc_files()]
    drawings = sorted((REPO / "lstm_viz" / "draw").glob("*.py"))
    zero_based = re.compile(r"h_\{-1\}|c_\{-1\}|\bx_0\b|x_\{0\}|h_\{T-1\}")
    found = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in pages + drawings
             for m in zero_based.finditer(p.read_text())]
    assert not found, f"0-based time labels (the course counts x_1 ... x_T from h_0): {found}"
