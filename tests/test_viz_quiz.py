"""lstm_viz.quiz: reading a page's quiz file and the HTML it writes."""
from __future__ import annotations

import html
import json
import re

import pytest

from lstm_viz.quiz import QuizError, load_quiz, quiz_html

MC = {"question": "What is $\\sigma(0)$?", "type": "multiple_choice",
      "answers": [{"answer": "1/2", "correct": True, "feedback": "Right."},
                  {"answer": "0", "correct": False, "feedback": "No: <half>."}]}
NUM = {"question": "2 + 2?", "type": "numeric",
       "answers": [{"type": "value", "value": 4, "correct": True, "feedback": "Yes."},
                   {"type": "range", "range": [4.5, 6], "correct": False, "feedback": "Too big."},
                   {"type": "default", "feedback": "Add them."}]}


def write(tmp_path, name, content):
    (tmp_path / f"{name}.json").write_text(content if isinstance(content, str) else json.dumps(content))
    return tmp_path


def test_reads_a_valid_file(tmp_path):
    assert load_quiz("p", write(tmp_path, "p", [MC, NUM])) == [MC, NUM]


def test_missing_file_is_named(tmp_path):
    with pytest.raises(QuizError, match=r"quiz file missing: .*nope\.json"):
        load_quiz("nope", tmp_path)


def test_malformed_json_names_the_file(tmp_path):
    with pytest.raises(QuizError, match=r"bad\.json: not valid JSON"):
        load_quiz("bad", write(tmp_path, "bad", '[{"question": '))


@pytest.mark.parametrize("broken, problem", [
    ({}, "non-empty list"),
    ([], "non-empty list"),
    ([{**MC, "type": "essay"}], "'type' must be one of"),
    ([{**MC, "question": " "}], "no 'question' text"),
    ([{**MC, "answers": [MC["answers"][0]]}], "at least two"),
    ([{**MC, "answers": [{**a, "correct": False} for a in MC["answers"]]}], "no answer marked"),
    ([{**MC, "answers": [MC["answers"][0], {"answer": "0", "correct": False}]}], r"answer 2: every answer needs a 'feedback'"),
    ([{**MC, "answers": [MC["answers"][0], {**MC["answers"][1], "correct": "no"}]}], "'correct' must be true or false"),
    ([{**NUM, "answers": [{"type": "range", "range": [3, 1], "correct": True, "feedback": "x"}]}], "low <= high"),
    ([{**NUM, "answers": [{"type": "value", "value": "4", "correct": True, "feedback": "x"}]}], "finite number"),
    ([{**NUM, "precision": 0}], "positive integer"),
])
def test_malformed_questions_name_the_file_and_the_problem(tmp_path, broken, problem):
    with pytest.raises(QuizError, match=rf"q\.json: .*{problem}"):
        load_quiz("q", write(tmp_path, "q", broken))


def test_html_holds_every_answer_with_its_feedback_hidden_and_escaped():
    out = quiz_html([MC, NUM], "p")
    assert out.count('class="gbg-quiz-q"') == 2
    assert len(re.findall(r'class="gbg-quiz-choice" data-answer="\d" data-correct="(true|false)"', out)) == 2
    assert out.count('class="gbg-quiz-feedback"') == 5 and out.count(" hidden>") == 5
    assert r"\(\sigma(0)\)" in out, "inline $math$ becomes MathJax's \\( \\) delimiters"
    assert "No: &lt;half&gt;." in out and "<half>" not in out
    key = json.loads(html.unescape(re.search(r'data-key="([^"]+)"', out).group(1)))
    assert [a["kind"] for a in key] == ["value", "range", "default"] and key[0]["correct"] is True
    assert "<script>" in out and "http" not in out.split("<script>", 1)[1], "the script loads nothing"


def test_choice_order_is_shuffled_but_the_same_on_every_build():
    many = {**MC, "answers": [{"answer": f"a{j}", "correct": j == 0, "feedback": "f"} for j in range(6)]}
    orders = {tuple(re.findall(r'data-answer="(\d)" data-correct', quiz_html([many], page)))
              for page in ("a", "b", "c", "d")}
    assert len(orders) > 1
    assert quiz_html([many], "a") == quiz_html([many], "a")
