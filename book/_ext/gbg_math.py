"""The book's math, typeset when the site is built, not in the reader's browser.

Sphinx writes each formula as TeX (``\\(..\\)``, ``\\[..\\]``) and, into every page with
math, the MathJax script that typesets it on load. After the build, this extension hands
the edition's pages to MathJax itself, in one Node process (``scripts/typeset-math.cjs``):
it typesets what the browser would (the page's own MathJax configuration, the raw HTML of
the quizzes included), adds the CommonHTML styles and the assistive MathML, and takes the
script out. A page keeps the script until it is typeset, so an incremental build typesets
exactly the pages Sphinx wrote again (the others were done before).

The search indexes do not see the output: Sphinx's and the Korean one
(gbg_search_ko) read the doctrees while the pages are written, before this step runs.
"""
from __future__ import annotations

import resource
import shutil
import subprocess
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "typeset-math.cjs"


def page_files(app: Sphinx) -> list[Path]:
    """The HTML file of every document of the build that names MathJax's script (the Node
    step decides which of them still load it)."""
    files = (Path(app.builder.get_outfilename(doc)) for doc in sorted(app.env.all_docs))
    return [f for f in files if f.is_file() and app.config.mathjax_path in f.read_text(encoding="utf-8")]


def typeset(files: list[Path], mathjax_path: str) -> str:
    """Runs the Node step over ``files``; returns its summary line, raises with its message."""
    node = shutil.which("node")
    if node is None:
        raise ExtensionError("gbg_math: node is missing; the book's math is typeset with MathJax in "
                             "Node.js at build time (Debian: apt-get install nodejs npm; then make vendor)")
    if not (REPO / "node_modules" / "mathjax").is_dir():
        raise ExtensionError("gbg_math: node_modules/mathjax is missing: run `make vendor`")
    run = subprocess.run([node, str(SCRIPT), mathjax_path, *map(str, files)], cwd=REPO,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise ExtensionError(f"gbg_math: typesetting the math failed:\n{run.stderr.strip() or run.stdout}")
    return run.stdout.strip()


def _typeset_built_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.math_renderer_name != "mathjax":
        return
    files = page_files(app)
    if not files:
        return
    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = typeset(files, app.config.mathjax_path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    logger.info(f"{summary}, {time.monotonic() - started:.1f} s ({cpu:.1f} CPU-s)")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _typeset_built_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
