"""Self-check quizzes at the end of the book's pages.

One JSON file per page, ``book/quizzes/<page>.json``, in jupyterquiz's
question format: a list of questions, each

    {"question": "...", "type": "multiple_choice",
     "answers": [{"answer": "...", "correct": true|false, "feedback": "..."}, ...]}

or

    {"question": "...", "type": "numeric", "precision": 3,   # optional
     "answers": [{"type": "value", "value": 0.5, "correct": true, "feedback": "..."},
                 {"type": "range", "range": [0.4, 0.6], "correct": false, "feedback": "..."},
                 {"type": "default", "feedback": "..."}]}

Text may hold inline math ``$...$`` and code ```...```. A wrong answer may
name the misconception it stands for, ``"misconception": "<id>"`` (an id of
``lstm_grade.checks._misconceptions``; the book tests check it exists).

In Korean (``GBG_LANG=ko``, or ``lang="ko"``) every question, answer and
feedback is looked up in the ``quizzes`` catalog of ``gbg_i18n`` (msgid: the
English text), and so are the renderer's own words (``UI``). What is correct
lives in the JSON alone: a translation changes text, never a key, a value or
the order, so both languages judge every answer alike. ``messages()`` lists
every string for the catalog (``python -m lstm_viz.i18n_extract`` updates it).

``show_quiz(page)`` renders the questions as plain HTML with a small inline
script (``quiz_assets/quiz.js``) that gives instant feedback in the browser:
the chosen answer's feedback is shown, and a right answer is confirmed. The
script loads nothing, so the quiz works on the static site offline and in a
live notebook alike. jupyterquiz itself is not used: on a page whose MathJax
loads deferred (every Sphinx page), its renderer reads ``MathJax.version[0]``
before MathJax has loaded (a TypeError when loading takes over 0.5 s) and
falls back on a MathJax copy from a CDN.
"""
from __future__ import annotations

import html
import importlib.resources
import json
import math
import random
import re
from pathlib import Path
from typing import Any

import gbg_i18n

__all__ = ["QUIZ_DIR", "DOMAIN", "UI", "QuizError", "load_quiz", "localize", "messages", "quiz_html",
           "show_quiz"]

DOMAIN = "quizzes"
#: The renderer's own words: key -> English (the catalog translates them).
UI = {
    "choices": "choices",
    "your_answer": "your answer",
    "check": "Check",
    "correct": "Correct.",
    "wrong": "Not quite: try again.",
    "unexpected": "Not one of the expected answers: try again.",
    "not_a_number": "Enter a number, such as 0.25.",
}
_TEXT_FIELDS = ("question", "answer", "feedback")

QUIZ_DIR = Path(__file__).resolve().parents[1] / "book" / "quizzes"
_TYPES = ("multiple_choice", "numeric")
_NUMERIC_KINDS = ("value", "range", "default")


class QuizError(ValueError):
    """A quiz file that is missing or does not follow the question format."""


def load_quiz(page: str, quiz_dir: Path | str | None = None) -> list[dict[str, Any]]:
    """The validated questions of ``<quiz_dir>/<page>.json`` (default ``book/quizzes``).

    Raises ``QuizError`` naming the file and the first problem found.
    """
    path = Path(quiz_dir or QUIZ_DIR) / f"{page}.json"
    if not path.is_file():
        raise QuizError(f"quiz file missing: {path} (one JSON file per page, see lstm_viz.quiz)")
    try:
        questions = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise QuizError(f"{path}: not valid JSON: {err}") from None
    problem = _problem(questions)
    if problem:
        raise QuizError(f"{path}: {problem}")
    return questions


def _problem(questions: Any) -> str:
    """The first way ``questions`` breaks the format, or ""."""
    if not isinstance(questions, list) or not questions:
        return "the file must hold a non-empty list of questions"
    for k, q in enumerate(questions, 1):
        where = f"question {k}"
        if not isinstance(q, dict):
            return f"{where} is not an object"
        if not isinstance(q.get("question"), str) or not q["question"].strip():
            return f"{where} has no 'question' text"
        if q.get("type") not in _TYPES:
            return f"{where}: 'type' must be one of {_TYPES}, not {q.get('type')!r}"
        answers = q.get("answers")
        if not isinstance(answers, list) or len(answers) < 2 - (q["type"] == "numeric"):
            return f"{where} needs a list of 'answers' (multiple choice: at least two)"
        for j, a in enumerate(answers, 1):
            bad = _answer_problem(q["type"], a)
            if bad:
                return f"{where}, answer {j}: {bad}"
        if not any(a.get("correct") is True for a in answers):
            return f"{where} has no answer marked \"correct\": true"
        if "precision" in q and not (isinstance(q["precision"], int) and q["precision"] > 0):
            return f"{where}: 'precision' must be a positive integer (significant digits)"
    return ""


def _answer_problem(kind: str, a: Any) -> str:
    if not isinstance(a, dict):
        return "not an object"
    if not isinstance(a.get("feedback"), str) or not a["feedback"].strip():
        return "every answer needs a 'feedback' that says why it is right or wrong"
    if kind == "multiple_choice":
        if not isinstance(a.get("answer"), str) or not a["answer"].strip():
            return "no 'answer' text"
        if not isinstance(a.get("correct"), bool):
            return "'correct' must be true or false"
        return ""
    a_kind = a.get("type", "value")
    if a_kind not in _NUMERIC_KINDS:
        return f"'type' must be one of {_NUMERIC_KINDS}"
    if a_kind == "default":
        return "" if not a.get("correct") else "a 'default' answer cannot be correct"
    if not isinstance(a.get("correct"), bool):
        return "'correct' must be true or false"
    if a_kind == "value" and not _is_number(a.get("value")):
        return "'value' must be a finite number"
    if a_kind == "range":
        r = a.get("range")
        if not (isinstance(r, list) and len(r) == 2 and all(map(_is_number, r)) and r[0] <= r[1]):
            return "'range' must be [low, high] with low <= high"
    return ""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# --------------------------------------------------------------------------- languages

def localize(questions: list[dict[str, Any]], lang: str | None = None) -> list[dict[str, Any]]:
    """A copy of ``questions`` whose texts are in ``lang`` (default ``GBG_LANG``); keys unchanged."""
    def text(s):
        return gbg_i18n.gettext(DOMAIN, s, lang)

    return [{**q, "question": text(q["question"]),
             "answers": [{**a, **{k: text(a[k]) for k in ("answer", "feedback") if k in a}}
                         for a in q["answers"]]} for q in questions]


def messages(quiz_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """(English text, "file:question") of every quiz string and of the renderer's words."""
    out = [(s, "lstm_viz/quiz.py:UI") for s in UI.values()]
    for path in sorted(Path(quiz_dir or QUIZ_DIR).glob("*.json")):
        for k, q in enumerate(load_quiz(path.stem, path.parent), 1):
            where = f"book/quizzes/{path.name}:{k}"
            out.append((q["question"], where))
            out += [(a[f], where) for a in q["answers"] for f in ("answer", "feedback") if f in a]
    return out


# --------------------------------------------------------------------------- HTML

_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
_CODE = re.compile(r"`([^`]+)`")


def _text(s: str) -> str:
    """Escaped HTML of a question's text: ``$..$`` becomes MathJax's \\(..\\), ```..``` code."""
    out, last = [], 0
    for m in _MATH.finditer(s):
        out.append(_CODE.sub(r"<code>\1</code>", html.escape(s[last:m.start()])))
        out.append(rf"\[{html.escape(m[1])}\]" if m[1] is not None else rf"\({html.escape(m[2])}\)")
        last = m.end()
    out.append(_CODE.sub(r"<code>\1</code>", html.escape(s[last:])))
    return "".join(out)


def _asset(name: str) -> str:
    return importlib.resources.files("lstm_viz").joinpath("quiz_assets", name).read_text(encoding="utf-8")


def _feedback(j: int, a: dict) -> str:
    return (f'<div class="gbg-quiz-feedback" data-answer="{j}" hidden>'
            f'{_text(a["feedback"])}</div>')


def _question_html(k: int, q: dict, page: str, ui: dict) -> str:
    prompt = f'<p class="gbg-quiz-prompt"><span class="gbg-quiz-number">{k}.</span> {_text(q["question"])}</p>'
    feedback = "".join(_feedback(j, a) for j, a in enumerate(q["answers"]))
    if q["type"] == "multiple_choice":
        # Shuffled, so the right answer is not always where the author wrote it;
        # seeded by page and question, so every build shows the same order.
        order = list(range(len(q["answers"])))
        random.Random(f"{page}:{k}").shuffle(order)
        choices = "".join(
            f'<button type="button" class="gbg-quiz-choice" data-answer="{j}" '
            f'data-correct="{str(q["answers"][j]["correct"]).lower()}">{_text(q["answers"][j]["answer"])}</button>'
            for j in order)
        body = f'<div class="gbg-quiz-choices" role="group" aria-label="{html.escape(ui["choices"])}">{choices}</div>'
    else:
        key = [{"kind": a.get("type", "value"), "value": a.get("value"), "range": a.get("range"),
                "correct": bool(a.get("correct"))} for a in q["answers"]]
        body = (f'<form class="gbg-quiz-numeric" data-key="{html.escape(json.dumps(key))}" '
                f'data-precision="{q.get("precision", "")}">'
                '<input type="text" inputmode="decimal" autocomplete="off" '
                f'aria-label="{html.escape(ui["your_answer"])}">'
                f'<button type="submit">{html.escape(ui["check"])}</button></form>')
    return (f'<div class="gbg-quiz-q" data-type="{q["type"]}">{prompt}{body}'
            f'<p class="gbg-quiz-verdict" aria-live="polite"></p>{feedback}</div>')


def quiz_html(questions: list[dict[str, Any]], page: str = "", lang: str | None = None) -> str:
    """The quiz as one HTML fragment (markup, its style and its script; nothing loaded),
    in ``lang`` (default ``GBG_LANG``): the script's messages ride on ``data-msg-*``."""
    lang = gbg_i18n.language(lang)
    ui = {key: gbg_i18n.gettext(DOMAIN, text, lang) for key, text in UI.items()}
    body = "".join(_question_html(k, q, page, ui) for k, q in enumerate(localize(questions, lang), 1))
    msgs = "".join(f' data-msg-{key.replace("_", "-")}="{html.escape(ui[key])}"'
                   for key in ("correct", "wrong", "unexpected", "not_a_number"))
    return (f'<style>{_asset("quiz.css")}</style>'
            f'<div class="gbg-quiz mathjax_process" data-quiz="{html.escape(page)}" lang="{lang}"{msgs}>'
            f'{body}</div>'
            f'<script>{_asset("quiz.js")}</script>')


def show_quiz(page: str, quiz_dir: Path | str | None = None, lang: str | None = None) -> None:
    """Displays the quiz of ``book/quizzes/<page>.json`` in the notebook or page, in ``lang``
    (default ``GBG_LANG``)."""
    from IPython.display import HTML, display

    display(HTML(quiz_html(load_quiz(page, quiz_dir), page, lang)))
