"""The words the book's code cells write (lstm_viz.reports, catalog ``pages``): every
template has a Korean translation with the same fields, the catalog matches the code,
the chapter reports come out in Korean under GBG_LANG=ko and in English without it,
and no code cell prints or displays English words of its own.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from babel.messages.pofile import read_po

import gbg_i18n
import lstm_ref
from lstm_viz import reports
from lstm_viz.reports import attention, extract, practice, training

REPO = Path(__file__).resolve().parents[1]
CATALOG = gbg_i18n.catalog_path(reports.DOMAIN, "ko")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _catalog_ids() -> set[str]:
    with CATALOG.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_every_page_text_has_a_korean_translation_with_the_same_fields():
    assert CATALOG.is_file(), f"{CATALOG} is missing: run python -m lstm_viz.reports.extract"
    problems = gbg_i18n.problems(CATALOG)
    assert not problems, "\n".join(problems)
    texts = {m for m, _ in extract.messages()}
    assert len(texts) > 50  # the package's reports and the chapters' printed captions
    for text in texts:
        ko = gbg_i18n.gettext(reports.DOMAIN, text, "ko")
        assert HANGUL.search(ko), f"no Korean for {text!r}"
        assert gbg_i18n.placeholders(ko) == gbg_i18n.placeholders(text), text


def test_the_catalog_holds_exactly_the_texts_of_the_code():
    texts, ids = {m for m, _ in extract.messages()}, _catalog_ids()
    assert not texts - ids, (f"texts with no catalog entry (run python -m lstm_viz.reports.extract "
                             f"and translate them): {sorted(texts - ids)}")
    assert not ids - texts, f"catalog entries no code uses: {sorted(ids - texts)}"


def test_the_extraction_finds_tr_and_N__calls_in_book_cells(tmp_path):
    (tmp_path / "lstm_ref" / "reports").mkdir(parents=True)
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(
        "# A page\n\n```{code-cell} ipython3\n:tags: [remove-input]\n%config X = 1\n"
        "x = {N_('kept label'): 1}\nprint(tr('{n} steps', n=3), tr(name))\n```\n")
    assert extract.messages(tmp_path) == [("kept label", "book/page.md:6"),
                                          ("{n} steps", "book/page.md:7")]


def _runs(scores, losses):
    return [SimpleNamespace(score=s, loss=l) for s, l in zip(scores, losses)]


LENGTHS = (5, 10, 20)
MSE = {"RNN": np.array([[0.05, 0.10, 0.17]] * 3), "LSTM": np.array([[0.001, 0.002, 0.004]] * 3)}
HIT = {"RNN": np.array([[40.0, 20.0, 8.0]] * 3), "LSTM": np.array([[99.0, 97.0, 90.0]] * 3)}


def _reports(lang):
    acc = {v: np.array([0.5, 0.6, 0.7]) for v in lstm_ref.ABLATIONS}
    nll = {v: np.array([0.30, 0.31, 0.32]) for v in lstm_ref.ABLATIONS}
    return {
        "parameters": practice.parameter_table([(10, 20, 2, True)], lstm_ref.lstm_parameter_count, lang),
        "ablations": practice.ablation_table(lstm_ref.ABLATIONS, acc, nll, lang),
        "verdict": practice.ablation_verdict(["NFG"], [], lang),
        "bias": practice.forget_bias_report(_runs([0.5] * 3, [0.40, 0.41, 0.42]),
                                            _runs([0.6] * 3, [0.30, 0.31, 0.32]), lang),
        "adding": practice.adding_report(LENGTHS, MSE, HIT, lang),
        "reversal": attention.reversal_report([2, 8, 12, 16], {attention.WITHOUT: [0.95, 0.6, 0.4, 0.2],
                                                               attention.WITH: [0.95, 0.9, 0.85, 0.5]}, 12, lang),
        "rnn": training.rnn_reading(0.05, lang),
        "gap": training.gap_reading(3.10, 3.35, lang),
    }


def test_the_reports_compute_their_numbers_and_verdicts_in_english():
    r = _reports("en")
    assert "| 10 | 20 | 2 | yes | 15,040 | 14,720 |" in r["parameters"]
    assert "60 % (50 %–70 %) | 0.310 (0.300–0.320)" in r["ablations"]
    assert "**NFG**" in r["verdict"] and "**none**" in r["verdict"]
    assert "every seed started at $b_f = 1$ ends with a lower test loss" in r["bias"]
    assert "for the RNN at T = 5, and for the LSTM at T = 5, T = 10, T = 20." in r["adding"]
    assert "at length 2 the model with attention is level with the model without it" in r["reversal"]
    assert "at length 12, the longest trained, it is 45% ahead" in r["reversal"]
    assert r["rnn"].startswith("below the 1/12") and training.rnn_reading(0.09, "en").startswith("not below")
    assert r["gap"].startswith("higher on the held-out text, by 0.25")
    assert training.gap_reading(3.35, 3.10, "en").startswith("lower on the held-out text, by 0.25")


def test_the_reports_are_korean_under_gbg_lang_ko(monkeypatch):
    monkeypatch.setenv("GBG_LANG", "ko")
    english = _reports("en")
    for name, text in _reports(None).items():
        assert HANGUL.search(text), f"{name}: no Korean in {text!r}"
        # the numbers are the same; the English sentences are gone
        assert re.findall(r"\d+(?:\.\d+)?", text) == re.findall(r"\d+(?:\.\d+)?", english[name]), name
        assert not re.search(r"\b(?:every|seed|the|what|shows|length|variant)\b", text, re.I), (name, text)
    ko = _reports(None)
    assert "**이번 실행이 보여 주는 것:**" in ko["adding"] and "| 길이 | 어텐션 없음 | 어텐션 있음 |" in ko["reversal"]
    assert "0.25만큼 더 높습니다" in ko["gap"]


# --------------------------------------------------------------------------- the pages' code

_WORD = re.compile(r"\b[a-z]{3,}\b")
_SYMBOLS = {"tanh", "sigma"}  # function names that stand as math


def _own_words(node: ast.AST) -> list[str]:
    """English words in the string literals of ``node`` outside ``tr``/``N_`` calls."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in extract.MARKERS:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [w for w in _WORD.findall(node.value) if w not in _SYMBOLS]
    if isinstance(node, (ast.FormattedValue, ast.DictComp, ast.ListComp, ast.SetComp, ast.GeneratorExp,
                         ast.Subscript)):
        return []  # values and the keys they are looked up by, not text
    return [w for child in ast.iter_child_nodes(node) for w in _own_words(child)]


def test_no_code_cell_prints_or_displays_english_words_of_its_own():
    found = []
    for page in sorted((REPO / "book").glob("*.md")):
        for first, tree in extract.code_cells(page):
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in {"print", "Markdown"}):
                    words = [w for arg in node.args for w in _own_words(arg)]
                    if words:
                        found.append(f"{page.name}:{first + node.lineno - 1}: {words}")
    assert not found, "text a page writes must go through lstm_viz.reports.tr:\n" + "\n".join(found)


@pytest.mark.parametrize("chapter", ["ch11_training", "ch12_practice", "ch13_attention"])
def test_chapters_11_to_13_keep_no_result_sentence_in_their_cells(chapter):
    strings = [node.value for _, tree in extract.code_cells(REPO / "book" / f"{chapter}.md")
               for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert not [s for s in strings if "What this run shows" in s or "| --- |" in s]
