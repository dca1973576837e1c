"""Every chapter page of the book ends with a quiz (no browser needed).

The quiz files are `book/quizzes/<page>.json` in jupyterquiz's question
format, read by `lstm_viz.quiz`; the browser test in `tests/test_book_site.py`
clicks through them on the built site.
"""
from __future__ import annotations

import re
from pathlib import Path

from book_toc import toc_files
import pytest

from lstm_grade.checks._misconceptions import MISCONCEPTIONS
from lstm_viz.quiz import QUIZ_DIR, load_quiz

REPO = Path(__file__).resolve().parents[1]
PAGES = [Path(f).name for f in toc_files(REPO / "_toc.yml")]
# Pages that teach no step of their own, so they end without a quiz.
NO_QUIZ = {"intro", "glossary", "references"}
MIN_QUESTIONS = 3
QUIZ_PAGES = [p for p in PAGES if p not in NO_QUIZ]


@pytest.mark.parametrize("page", QUIZ_PAGES)
def test_every_chapter_has_a_quiz_of_at_least_three_questions(page):
    path = QUIZ_DIR / f"{page}.json"
    assert path.is_file(), f"{page} has no quiz: write {path.relative_to(REPO)}"
    questions = load_quiz(page)
    assert len(questions) >= MIN_QUESTIONS, f"{path}: {len(questions)} questions, at least {MIN_QUESTIONS}"


@pytest.mark.parametrize("page", QUIZ_PAGES)
def test_a_quiz_is_shown_at_the_end_of_its_page_with_its_code_hidden(page):
    if not (QUIZ_DIR / f"{page}.json").is_file():
        pytest.skip(f"{page} has no quiz file yet")
    text = (REPO / "book" / f"{page}.md").read_text()
    cells = re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, re.S)
    showing = [c for c in cells if re.search(rf"show_quiz\(\s*['\"]{page}['\"]\s*\)", c)]
    assert len(showing) == 1, f"book/{page}.md: one code cell must call show_quiz({page!r})"
    assert re.search(r":tags: \[[^\]]*remove-input", showing[0]), "the quiz cell must be tagged remove-input"
    assert showing[0] == cells[-1], f"book/{page}.md: the quiz is not the last code cell"


def _quiz_files() -> list[Path]:
    return sorted(QUIZ_DIR.glob("*.json"))


@pytest.mark.parametrize("path", _quiz_files(), ids=lambda p: p.stem)
def test_quiz_file_belongs_to_a_page_and_names_known_misconceptions(path):
    assert path.stem in PAGES, f"{path.name} matches no page of _toc.yml"
    for k, q in enumerate(load_quiz(path.stem), 1):
        wrong = [a for a in q["answers"] if a.get("correct") is False]
        assert wrong, f"{path.name} question {k} has no wrong answer to explain"
        for a in q["answers"]:
            mid = a.get("misconception")
            assert mid is None or mid in MISCONCEPTIONS, f"{path.name} question {k}: unknown misconception {mid!r}"
            assert mid is None or a.get("correct") is False, f"{path.name} question {k}: a right answer names a misconception"
