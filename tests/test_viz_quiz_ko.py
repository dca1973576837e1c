"""Quizzes in Korean: every quiz string has its translation, a Korean quiz shows Korean
(questions, answers, feedback, the renderer's own words) and, in Chromium, judges every
answer exactly as the English quiz does."""
from __future__ import annotations

import html
import json
import re

import pytest

import gbg_i18n
from lstm_viz.quiz import QUIZ_DIR, UI, load_quiz, localize, messages, quiz_html
from test_book_site import ANSWER_QUESTION_JS, browser_context  # noqa: F401  (the suite's one Chromium)

CATALOG = gbg_i18n.catalog_path("quizzes", "ko")
PAGES = sorted(p.stem for p in QUIZ_DIR.glob("*.json"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
_MATH_OR_CODE = re.compile(r"\$[^$]*\$|`[^`]*`")


def test_every_quiz_string_has_a_korean_translation():
    assert len(PAGES) == 13 and sum(len(load_quiz(p)) for p in PAGES) == 63
    assert gbg_i18n.problems(CATALOG) == []
    # A text with words outside its math and code must read differently in Korean
    # (an answer that is only code or math, `np.tanh(...)`, stays as it is).
    # and a citation (authors, year, title) stays in its own language.
    wordy = [m for m, _ in messages() if re.search(r"[A-Za-z]{3,}", _MATH_OR_CODE.sub("", m))
             and not re.match(r"^[A-Z]\w+ et al\. \(\d{4}\)", m)]
    untranslated = [m for m in wordy if not HANGUL.search(gbg_i18n.gettext("quizzes", m, "ko"))]
    assert len(wordy) > 350 and untranslated == []


def test_the_catalog_is_in_sync_with_the_quiz_files():
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as fh:
        ids = {m.id for m in read_po(fh) if m.id}
    assert ids == {m for m, _ in messages()}, "run python -m lstm_viz.i18n_extract"


def test_a_changed_english_question_turns_its_translation_fuzzy(tmp_path, monkeypatch):
    catalog = tmp_path / "ko" / "LC_MESSAGES" / "quizzes.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes(CATALOG.read_bytes())
    monkeypatch.setattr(gbg_i18n, "LOCALE", tmp_path)
    first = load_quiz(PAGES[0])[0]["question"]
    changed = [(m.replace(first, first + " (in one sentence)"), w) for m, w in messages()]
    gbg_i18n.update("quizzes", changed)
    problems = gbg_i18n.problems(catalog)
    assert len(problems) == 1 and "fuzzy" in problems[0]
    assert gbg_i18n.gettext("quizzes", first + " (in one sentence)", "ko") == first + " (in one sentence)"
    gbg_i18n._translations.cache_clear()


@pytest.mark.parametrize("page", PAGES)
def test_korean_quiz_keeps_the_math_code_and_every_key(page):
    english = load_quiz(page)
    korean = localize(english, "ko")
    for q_en, q_ko in zip(english, korean):
        assert HANGUL.search(q_ko["question"]), q_en["question"]
        assert {k: v for k, v in q_ko.items() if k not in ("question", "answers")} == \
            {k: v for k, v in q_en.items() if k not in ("question", "answers")}
        for a_en, a_ko in zip(q_en["answers"], q_ko["answers"]):
            assert {k for k in a_en} == {k for k in a_ko}
            for key in a_en:
                if key in ("answer", "feedback"):
                    assert sorted(_MATH_OR_CODE.findall(a_en[key])) == sorted(_MATH_OR_CODE.findall(a_ko[key]))
                else:
                    assert a_ko[key] == a_en[key], (page, key)


def test_korean_html_has_korean_interface_words_and_the_same_key():
    en = quiz_html(load_quiz("ch04_forget_gate"), "ch04_forget_gate", "en")
    ko = quiz_html(load_quiz("ch04_forget_gate"), "ch04_forget_gate", "ko")
    assert 'lang="ko"' in ko and 'data-msg-correct="정답입니다."' in ko
    assert '<button type="submit">확인</button>' in ko and 'aria-label="답"' in ko
    assert '<button type="submit">Check</button>' in en and UI["check"] == "Check"
    keys = re.compile(r'data-(?:correct|key|precision|answer)="[^"]*"')
    assert keys.findall(en) == keys.findall(ko)  # same order, same right answers, same numbers


def _page(tmp_path, lang):
    body = "".join(quiz_html(load_quiz(p), p, lang) for p in PAGES)
    path = tmp_path / f"quizzes-{lang}.html"
    path.write_text(f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><body>{body}</body></html>',
                    encoding="utf-8")
    return path.as_uri()


def _numbers(q) -> list[str]:
    """Entries to try on a numeric question: every listed value, each range's ends and middle,
    a number far from all of them, and text that is not a number."""
    out = []
    for a in q["answers"]:
        if a.get("type", "value") == "value" and "value" in a:
            out.append(repr(a["value"]))
        elif a.get("type") == "range":
            lo, hi = a["range"]
            out += [repr(lo), repr(hi), repr((lo + hi) / 2)]
    return out + ["12345", "abc"]


# Runs in the page, in one call (hundreds of Playwright round trips took a minute): each try
# through real DOM events (test_book_site's ANSWER_QUESTION_JS).
_TRY_ALL = """tries => {
  const shown = [...document.querySelectorAll('.gbg-quiz-q')];
  const answer = """ + ANSWER_QUESTION_JS + """;
  const out = [];
  tries.forEach((attempts, k) => {
    const q = shown[k];
    for (const attempt of attempts) {
      const seen = answer(q, `question ${k}`, attempt);
      out.push([seen.state,
                [...q.querySelectorAll('.gbg-quiz-feedback')].filter(f => !f.hidden).map(f => f.dataset.answer),
                seen.verdict]);
    }
  });
  return {count: shown.length, out};
}"""


def _judge_all(context, url) -> list:
    """Every answer of every question tried in the page: (state, shown feedback, verdict) each."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    questions = [q for p in PAGES for q in load_quiz(p)]
    tries = [[{"choice": j} for j in range(len(q["answers"]))] if q["type"] == "multiple_choice"
             else [{"number": n} for n in _numbers(q)] for q in questions]
    done = page.evaluate(_TRY_ALL, tries)
    page.close()
    assert done["count"] == len(questions) == 63
    attempts = [(k, a.get("choice", a.get("number"))) for k, t in enumerate(tries) for a in t]
    assert len(done["out"]) == len(attempts)
    assert errors == []
    return [(k, attempt, state, feedback, verdict)
            for (k, attempt), (state, feedback, verdict) in zip(attempts, done["out"])]


@pytest.mark.browser
def test_korean_quizzes_judge_every_answer_as_the_english_ones(tmp_path, browser_context):  # noqa: F811
    english = _judge_all(browser_context, _page(tmp_path, "en"))
    korean = _judge_all(browser_context, _page(tmp_path, "ko"))
    assert [r[:4] for r in korean] == [r[:4] for r in english]
    assert {r[2] for r in english} == {"correct", "wrong"}
    words = {"Correct.": "정답입니다.", "Not quite: try again.": "아쉽지만 틀렸습니다. 다시 해 보십시오.",
             "Not one of the expected answers: try again.": "예상한 답이 아닙니다. 다시 해 보십시오.",
             "Enter a number, such as 0.25.": "0.25처럼 숫자를 입력하십시오."}
    assert [words[r[4]] for r in english] == [r[4] for r in korean]
    assert "0.25처럼 숫자를 입력하십시오." in {r[4] for r in korean}
