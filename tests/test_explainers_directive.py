"""The ``{explainer}`` directive (book/_ext/gbg_explainer.py) in a real Sphinx build.

A tiny MyST project per test, built with ``sphinx -W`` as the book is:
a good block becomes the explainer's container and its page (only its page)
loads the module script; a bad name, option or duplicate id stops the build
with an error that names it.

Each build runs Sphinx's own command-line entry (``sphinx.cmd.build.build_main``,
what ``python -m sphinx`` calls) in the test process, its stderr captured: the
same build, exit status and messages as a ``python -m sphinx`` subprocess,
without a new interpreter importing Sphinx, MyST and docutils for each of the
ten builds (about 2 CPU seconds each, against 0.1 to 0.7 for the build itself).
Sphinx makes a new application per call and keeps docutils' registries in a
namespace it restores afterwards, as its own test suite relies on.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "book" / "_ext"
sys.path.insert(0, str(EXT))

import gbg_explainer  # noqa: E402

SLOW = pytest.mark.slow  # each builds a small Sphinx project

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
extensions = ["myst_parser", "gbg_explainer"]
html_static_path = [{str(REPO / 'explainers' / 'web')!r}]
exclude_patterns = ["_build"]
"""


def _write(path: Path, text: str) -> None:
    """Write ``text`` unless ``path`` holds it already: a second build of the same pages
    finds every source up to date, so only a newer dependency can make it rewrite a page."""
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def build(tmp_path: Path, pages: dict[str, str], conf: str = "") -> subprocess.CompletedProcess:
    _write(tmp_path / "conf.py", CONF + conf)
    toc = "\n".join(pages)
    _write(tmp_path / "index.md", f"# Index\n\n```{{toctree}}\n{toc}\n```\n")
    for name, text in pages.items():
        _write(tmp_path / f"{name}.md", text)
    argv = ["-W", "-q", "-b", "html", str(tmp_path), str(tmp_path / "_build")]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build_main(argv)
    return subprocess.CompletedProcess(["sphinx", *argv], code, out.getvalue(), err.getvalue())


def _container(page: str) -> dict:
    m = re.search(r'<div class="gbg-explainer" id="([^"]+)" data-explainer="([^"]+)" '
                  r'data-options="([^"]*)" data-lang="([^"]*)">', page)
    assert m, page[:2000]
    return {"id": m.group(1), "kind": m.group(2), "options": json.loads(html.unescape(m.group(3))),
            "lang": m.group(4)}


@SLOW
def test_a_block_places_the_container_and_loads_the_module_on_its_page_only(tmp_path):
    run = build(tmp_path, {
        "grad": "# Gradients\n\n```{explainer} gradient-flow\n:T: 100\n:forget_bias: 3\n```\n",
        "plain": "# Plain\n\nNo explainer here.\n",
    })
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "_build" / "grad.html").read_text()
    assert _container(page) == {"id": "gradient_flow", "kind": "gradient_flow",
                                "options": {"T": 100, "forget_bias": 3.0}, "lang": "en"}
    assert re.search(r'<script type="module" src="_static/gbg-explainers/main\.js', page)
    assert "_static/gbg-explainers/explainers.css" in page
    plain = (tmp_path / "_build" / "plain.html").read_text()
    assert "gbg-explainers" not in plain
    assert (tmp_path / "_build" / "_static" / "gbg-explainers" / "math.js").is_file()


@SLOW
def test_a_change_to_the_browser_code_rewrites_the_pages_that_use_it(tmp_path, monkeypatch):
    pages = {"grad": "# Gradients\n\n```{explainer} gate\n```\n", "plain": "# Plain\n\nText.\n"}
    assert build(tmp_path, pages).returncode == 0
    assert str(gbg_explainer.WEB / "math.js") in gbg_explainer._dependencies()
    out = tmp_path / "_build" / "grad.html"
    before = out.stat().st_mtime_ns
    # A module the page depends on looks newer than the page's read (its mtime only, an hour
    # ahead of now, put back after): the page is written again.
    math_js = gbg_explainer.WEB / "math.js"
    st = math_js.stat()
    try:
        os.utime(math_js, ns=(st.st_atime_ns, time.time_ns() + 10**9 * 3600))
        run = build(tmp_path, pages)
    finally:
        os.utime(math_js, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert run.returncode == 0, run.stderr
    assert out.stat().st_mtime_ns > before


@SLOW
def test_a_bad_name_stops_the_build_naming_it(tmp_path):
    run = build(tmp_path, {"bad": "# Bad\n\n```{explainer} forgot-gate\n```\n"})
    assert run.returncode != 0
    assert "unknown explainer 'forgot-gate'" in run.stderr
    assert "forget-gate" in run.stderr  # the known names are listed
    assert "bad.md" in run.stderr


@SLOW
@pytest.mark.parametrize("block, message", [
    ("```{explainer} gate\n:colour: red\n```\n", "Unknown option keys: ['colour']"),
    ("```{explainer} gate\n:id: 9lives\n```\n", "got '9lives'"),
    ("```{explainer} gate\n:model: bracket-depth\n```\n", "belongs to lstm-sequence"),
    ("```{explainer} gate\n```\n\n```{explainer} gate\n```\n", "a second explainer with id 'gate'"),
])
def test_bad_options_stop_the_build_naming_them(tmp_path, block, message):
    run = build(tmp_path, {"bad": f"# Bad\n\n{block}"})
    assert run.returncode != 0
    assert message in run.stderr, run.stderr


@SLOW
def test_the_sequence_explainer_embeds_a_model_trained_by_lstm_ref(tmp_path):
    run = build(tmp_path, {"seq": "# Seq\n\n```{explainer} lstm-sequence\n:text: (()())\n```\n"})
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "_build" / "seq.html").read_text()
    assert _container(page)["options"] == {"text": "(()())"}
    model = json.loads(re.search(r'<script type="application/json" class="gbg-explainer-model">(.*?)</script>',
                                 page, re.S).group(1))
    H, D = model["H"], model["D"]
    assert (len(model["Wx"]), len(model["Wx"][0]), len(model["Wh"]), len(model["b"])) == (D, 4 * H, H, 4 * H)
    # Trained: the depth regression is far better than predicting the mean depth (error ~ 1 or more).
    assert model["loss"] < 0.2


def test_kind_of_accepts_hyphens_and_underscores():
    assert gbg_explainer.kind_of("forget-gate") == gbg_explainer.kind_of("forget_gate") == "forget_gate"
    with pytest.raises(ValueError, match="unknown explainer 'lstm'"):
        gbg_explainer.kind_of("lstm")


@SLOW
def test_a_korean_build_marks_the_container_korean_and_says_noscript_in_korean(tmp_path):
    run = build(tmp_path, {"gate": "# Gate\n\n```{explainer} gate\n```\n"}, conf='language = "ko"\n')
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "_build" / "gate.html").read_text()
    assert _container(page)["lang"] == "ko"
    assert "<noscript>이 라이브 설명 도구를 쓰려면 JavaScript가 필요합니다.</noscript>" in page
