"""The Korean notebooks grade exactly what the English ones grade.

Fast checks, no nbgrader run (``test_notebooks_nbgrader.py`` proves that
``exercises/`` is what nbgrader makes of ``solutions/``, in both languages;
``test_pipeline_korean.py`` grades Korean submissions for real):

* for every assignment, the Korean solution and exercise have the same cells,
  ids, nbgrader metadata and points as the English ones, the same test cells
  byte for byte, the same solution code, and code that differs only in
  comments and docstrings; the setup cell differs by one line, which selects
  Korean feedback;
* a translation (here a made-up catalog that translates every text) changes
  only the text: scaffold hints keep their shape, so the checks still find
  the blanks.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

import gbg_i18n
from lstm_grade.authoring import notebook_for
from lstm_grade.authoring.assignments import ASSIGNMENTS
from lstm_grade.authoring.cells import BEGIN_SOLUTION, END_SOLUTION
from lstm_grade.authoring.i18n import code_without_text, domain, language_line, messages, translated
from lstm_grade.checks._errors import HINT

ROOT = Path(__file__).resolve().parents[1]


def _solutions(source: str) -> list[str]:
    lines, inside, out = source.splitlines(), False, []
    for line in lines:
        if line.strip() == BEGIN_SOLUTION:
            inside = True
        elif line.strip() == END_SOLUTION:
            inside = False
        elif inside:
            out.append(line)
    return out


def _meta(cell) -> dict:
    """The cell's metadata without nbgrader's checksum of its source (which differs with the text)."""
    meta = {k: v for k, v in cell.metadata.items()}
    if "nbgrader" in meta:
        meta["nbgrader"] = {k: v for k, v in meta["nbgrader"].items() if k != "checksum"}
    return meta


def assert_same_grading(en, ko):
    """``ko`` (a notebook) grades what ``en`` grades: the rule of the Korean edition."""
    assert len(en.cells) == len(ko.cells)
    assert ko.metadata["gate_by_gate"]["language"] == "ko"
    for k, (e, c) in enumerate(zip(en.cells, ko.cells)):
        assert (e.cell_type, e.get("id"), _meta(e)) == (c.cell_type, c.get("id"), _meta(c)), k
        meta = e.metadata.get("nbgrader", {})
        if e.cell_type != "code":
            continue
        if k == 0:
            assert c.source == f"{language_line('ko')}\n{e.source}"
        elif meta.get("grade") or meta.get("locked"):
            assert c.source == e.source, f"cell {k} ({meta.get('grade_id')}) differs"
        else:
            assert code_without_text(c.source) == code_without_text(e.source), k
            assert _solutions(c.source) == _solutions(e.source), k


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_the_korean_notebook_grades_what_the_english_one_grades(assignment, folder):
    base = ROOT / folder / assignment.name
    en = nbformat.read(base / f"{assignment.name}.ipynb", as_version=4)
    ko = nbformat.read(base / f"{assignment.name}.ko.ipynb", as_version=4)
    assert_same_grading(en, ko)


@pytest.fixture(scope="module")
def translated_locale(tmp_path_factory):
    """A locale folder whose catalogs translate every text of every notebook, written once
    (listing every notebook's texts is most of this module's time)."""
    locale = tmp_path_factory.mktemp("locale")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gbg_i18n, "LOCALE", locale)
        for a in ASSIGNMENTS:
            cat = Catalog(locale="ko", domain=domain(a.name))
            for text, _ in messages(a):
                cat.add(text, f"번역된 글: {text}")
            path = gbg_i18n.catalog_path(domain(a.name), "ko")
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                write_po(fh, cat)
    gbg_i18n._translations.cache_clear()
    return locale


@pytest.fixture
def everything_translated(translated_locale, tmp_path, monkeypatch):
    """A fresh copy of ``translated_locale`` (a test may edit it) as the locale folder."""
    shutil.copytree(translated_locale, tmp_path / "locale")
    monkeypatch.setattr(gbg_i18n, "LOCALE", tmp_path / "locale")
    gbg_i18n._translations.cache_clear()
    yield
    gbg_i18n._translations.cache_clear()


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_a_full_translation_changes_only_text(assignment, everything_translated):
    en, ko = notebook_for(assignment), notebook_for(assignment, "ko")
    assert_same_grading(en, ko)
    for e, c in zip(en.cells, ko.cells):
        if e.cell_type == "markdown" and not e.metadata.get("nbgrader"):
            assert "번역된 글" in c.source
        hints_en = [HINT.match(line) for line in e.source.splitlines()]
        hints_ko = [HINT.match(line) for line in c.source.splitlines()]
        assert [h.group(1) for h in hints_en if h] == [h.group(1) for h in hints_ko if h]
        assert all(h.group(2).startswith("번역된 글") for h in hints_ko if h)
        assert all("줄)" in line for line in c.source.splitlines() if HINT.match(line))


def test_the_catalog_of_a_notebook_lists_its_texts():
    a = ASSIGNMENTS[3]
    texts = [t for t, _ in messages(a)]
    assert "Write `forget_gate`. Use `np.exp` in a way that cannot overflow (or write your own " \
           "stable sigmoid first, in the same cell)." in texts
    assert any(t.startswith("f_t = σ(W_f · [h_{t-1}, x_t] + b_f).") for t in texts)  # the docstring
    assert not any("np.concatenate" in t for t in texts)  # solution code is never text
    path = gbg_i18n.catalog_path(domain(a.name), "ko")
    with path.open("rb") as fh:
        from babel.messages.pofile import read_po
        assert {m.id for m in read_po(fh) if m.id} == set(texts), \
            "run `python -m lstm_grade.authoring i18n`: the catalog is not the spec's"


def test_an_untranslated_text_stays_english():
    a = translated(ASSIGNMENTS[0], "ko")
    assert a.cells[0].source.startswith('import os; os.environ["GBG_LANG"] = "ko"')


def test_a_translation_that_would_break_the_code_is_refused(everything_translated):
    a = ASSIGNMENTS[3]
    path = gbg_i18n.catalog_path(domain(a.name), "ko")
    from babel.messages.pofile import read_po
    with path.open("rb") as fh:
        cat = read_po(fh)
    doc = next(t for t, _ in messages(a) if t.startswith("f_t = σ("))
    cat[doc].string = 'f_t 계산 """ 끝'   # closes the docstring early
    with path.open("wb") as fh:
        write_po(fh, cat)
    gbg_i18n._translations.cache_clear()
    with pytest.raises(ValueError, match="ch04_forget_gate.ipynb#forget_gate: the ko translation"):
        notebook_for(a, "ko")
