"""The checks in Korean: every message has a Korean text, and a Korean run shows only Korean.

The catalog ``checks`` must hold exactly what the extraction lists (every
``say``/``tr`` template in the code and every text kept as data), each one
translated; a battery of wrong answers run with ``GBG_LANG=ko`` must never
ask for a text the catalog lacks, must keep the misconception tags as they
are (the instructor's summary counts them in both languages) and must
explain each misconception in Korean.
"""
from __future__ import annotations

import re

import numpy as np
import pytest
from babel.messages.pofile import read_po

import gbg_i18n
from lstm_grade.checks import MISCONCEPTIONS, CheckFailed, check
from lstm_grade.checks import _text
from lstm_grade.checks._catalog import catalog_messages, non_literal_calls
from lstm_grade.checks.quiz import QUESTIONS, check_answer, judge

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CATALOG = gbg_i18n.catalog_path("checks", "ko")
# The glossary's terms that must never appear (docs: the brief's term table).
AVOID = ("그래디언트", "숨겨진 상태", "히든 스테이트", "세포 상태", "포겟 게이트", "관문", "당혹감",
         "혼잡도", "재귀 신경망", "오해")


def _catalog():
    with CATALOG.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def test_every_check_message_has_a_korean_text():
    assert gbg_i18n.problems(CATALOG) == []
    listed = {text for text, _ in catalog_messages()}
    assert set(_catalog()) == listed, (
        "the checks catalog is out of date: run `python -m lstm_grade.authoring i18n` "
        f"(missing {sorted(listed - set(_catalog()))[:3]}, stale {sorted(set(_catalog()) - listed)[:3]})")
    assert non_literal_calls() == [], "say() needs a literal template, or the extraction cannot list it"


def test_the_catalog_uses_the_glossary_terms():
    texts = "\n".join(_catalog().values())
    assert [t for t in AVOID if t in texts] == []
    assert "오개념" in _catalog()["misconception: {explanation}"]


def test_every_misconception_and_quiz_explanation_is_translated():
    cat = _catalog()
    for mid, text in MISCONCEPTIONS.items():
        assert HANGUL.search(cat[text]), mid
    for q in QUESTIONS.values():
        for w in q.wrong:
            assert HANGUL.search(cat[w.says]), (q.qid, w.value)


# -- a battery of wrong answers, in Korean -------------------------------------------------------

def _concat_order(prev_h, x, W_f, b_f):
    z = np.concatenate([x, prev_h], axis=1) @ W_f.T + b_f
    return 1 / (1 + np.exp(-z))


def _no_bias_rnn(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def _returns_none(prev_h, x, W_f, b_f):
    return None


def _transposed(prev_h, x, W_f, b_f):
    return (np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f).T


def _float64_always(prev_h, x, W_f, b_f):
    z = (np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f).astype(np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _in_place(prev_c, f, i, c_tilde):
    prev_c *= f
    return prev_c + i * c_tilde


def _raises(prev_h, x, W_f, b_f):
    return prev_h @ W_f  # wrong shapes: a matmul error


def _not_written(prev_h, x, W_f, b_f):
    raise NotImplementedError()


def _argmax(logits, temperature, rng):
    return int(np.argmax(logits))


BATTERY = [
    ("forget_gate", _concat_order, "concat-order", False),
    ("rnn_step_forward", _no_bias_rnn, "missing-bias", False),
    ("forget_gate", _returns_none, "missing-return", False),
    ("forget_gate", _transposed, "wrong-shape", False),
    ("forget_gate", _float64_always, "dtype-changed", True),
    ("update_cell", _in_place, "input-modified", False),
    ("forget_gate", _raises, None, False),
    ("forget_gate", _not_written, None, False),
    ("sample_next", _argmax, "argmax-not-sample", False),
]


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setenv("GBG_LANG", "ko")
    _text.UNTRANSLATED.clear()
    yield
    assert _text.UNTRANSLATED == set(), f"texts without Korean: {sorted(_text.UNTRANSLATED)}"


@pytest.mark.parametrize("name, fn, mid, hidden", BATTERY, ids=[f"{b[0]}-{b[1].__name__}" for b in BATTERY])
def test_a_wrong_answer_is_told_in_korean(name, fn, mid, hidden, korean, capfd):
    with pytest.raises(CheckFailed) as info:
        check(name, fn, hidden=hidden)
    text = str(info.value)
    assert HANGUL.search(text), text
    if mid is not None:
        assert f"[misconception: {mid}]" in text
        explanation = gbg_i18n.gettext("checks", MISCONCEPTIONS[mid], "ko")
        assert f"오개념: {explanation}" in text
    assert "  실행: " in text or name == "sample_next"
    assert capfd.readouterr().err == ""


def test_a_right_answer_is_told_in_korean(korean, capsys):
    import lstm_ref
    check("forget_gate", lstm_ref.forget_gate)
    assert "✔ forget_gate: 경우 6개 통과" in capsys.readouterr().out


def test_every_quiz_verdict_is_korean(korean):
    for qid, q in QUESTIONS.items():
        wrongs = [w.value for w in q.wrong] or ([-1e6] if q.what == "a number" else [[0.0, 0.0, 0.0, 0.0]])
        for value in [*wrongs, None, object(), q.model_answer]:
            verdict = judge(qid, value)
            assert HANGUL.search(verdict.says), (qid, value, verdict.says)
    with pytest.raises(CheckFailed, match=r"\[misconception: forget-means-erase\]\n  오개념: "):
        check_answer("q_forget_fraction", "a")


def test_english_stays_english(monkeypatch):
    monkeypatch.delenv("GBG_LANG", raising=False)
    with pytest.raises(CheckFailed) as info:
        check("forget_gate", _concat_order)
    assert not HANGUL.search(str(info.value))
    assert str(info.value).split("\n")[0].endswith("[misconception: concat-order]")
