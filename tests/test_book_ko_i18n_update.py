"""`make i18n-update` (scripts/i18n_update.py) on a scratch book: a changed English
sentence turns its Korean translation fuzzy, the others stay as they were, and the
location comments name the page relative to the book.

Runs the real script (Jupyter Book's gettext extraction, then sphinx-intl) on a
one-page book in a temporary folder, with the repository's locale settings.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
import gbg_i18n
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
LOCALE_SETTINGS = ("locale_dirs", "gettext_compact", "gettext_uuid")
PAGE = """# The forget gate

The forget gate decides what to keep.

The input gate decides what to write.
"""
TRANSLATED = {"The forget gate": "망각 게이트",
              "The forget gate decides what to keep.": "망각 게이트는 무엇을 남길지 정합니다.",
              "The input gate decides what to write.": "입력 게이트는 무엇을 쓸지 정합니다."}


@pytest.fixture
def scratch_book(tmp_path: Path) -> tuple[Path, Path]:
    sphinx = yaml.safe_load((REPO / "_config.yml").read_text())["sphinx"]["config"]
    config = {"title": "Scratch", "only_build_toc_files": True, "execute": {"execute_notebooks": "off"},
              "sphinx": {"config": {k: sphinx[k] for k in LOCALE_SETTINGS}}}
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/page\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(PAGE)
    catalog_path = tmp_path / sphinx["locale_dirs"][0] / "ko" / "LC_MESSAGES" / "book" / "page.po"
    catalog_path.parent.mkdir(parents=True)
    catalog = Catalog(locale="ko")
    for line, (english, korean) in zip((1, 3, 5), TRANSLATED.items()):
        # Paths as an extraction from another folder writes them: the update cleans them.
        catalog.add(english, korean, locations=[("../../../../book/page.md", line)])
    with catalog_path.open("wb") as fh:
        write_po(fh, catalog)
    return tmp_path, catalog_path


def _entries(path: Path) -> dict:
    with path.open("rb") as fh:
        return {m.id: m for m in read_po(fh) if m.id}


@pytest.mark.slow
def test_a_changed_english_sentence_turns_its_translation_fuzzy(scratch_book):
    root, catalog_path = scratch_book
    assert gbg_i18n.problems(catalog_path) == []
    page = root / "book" / "page.md"
    page.write_text(page.read_text().replace("decides what to keep.", "decides what the cell keeps."))
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "i18n_update.py"), "--root", str(root)],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    entries = _entries(catalog_path)
    changed = entries["The forget gate decides what the cell keeps."]
    assert changed.fuzzy, "the changed sentence's translation is not marked fuzzy"
    assert changed.string == TRANSLATED["The forget gate decides what to keep."], "the old translation was lost"
    assert "The forget gate decides what to keep." not in entries
    for english in ("The forget gate", "The input gate decides what to write."):
        assert not entries[english].fuzzy and entries[english].string == TRANSLATED[english]
    assert [loc for m in entries.values() for loc in m.locations] == [
        ("book/page.md", 1), ("book/page.md", 3), ("book/page.md", 5)]
    problems = gbg_i18n.problems(catalog_path)
    assert len(problems) == 1 and "fuzzy" in problems[0], problems
    assert "1 entries to translate or check" in run.stdout
