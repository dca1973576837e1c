"""myst-parser's throwaway documents made cheaply (book/_ext/gbg_myst_settings.py): no build needed."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))

import gbg_myst_settings  # noqa: E402
import myst_parser.mdit_to_docutils.base as myst_base  # noqa: E402
from docutils.parsers.rst import Parser as RSTParser  # noqa: E402


def _plain(settings) -> dict:
    return {k: list(v.list) if k == "record_dependencies" else v for k, v in vars(settings).items()}


def test_a_document_gets_the_default_settings_of_its_parser_class_in_a_copy_of_its_own():
    original = myst_base.make_document
    if original is gbg_myst_settings.make_document:
        pytest.skip("replaced already in this process")
    ours, theirs = gbg_myst_settings.make_document("page.md"), original("page.md")
    assert _plain(ours.settings) == _plain(theirs.settings)
    assert ours["source"] == theirs["source"] == "page.md"
    again = gbg_myst_settings.make_document()
    assert again.settings is not ours.settings, "a document changing its settings changes only its own"
    assert again.settings.record_dependencies is not ours.settings.record_dependencies
    assert _plain(again.settings) == _plain(ours.settings)
    assert gbg_myst_settings._default_settings(RSTParser) is gbg_myst_settings._default_settings(RSTParser)


def test_the_extension_replaces_the_function_the_renderer_calls():
    class App:
        pass

    original = myst_base.make_document
    try:
        gbg_myst_settings.setup(App())
        assert myst_base.make_document is gbg_myst_settings.make_document
        gbg_myst_settings.setup(App())   # a second build in the same process
    finally:
        myst_base.make_document = original
    # setup_render reads the module's global: the replacement is what it calls.
    assert "make_document()" in Path(myst_base.__file__).read_text(encoding="utf-8")
