"""The notebooks' quiz questions: a pure judge of (question id, plain value).

Every model answer is right, every named wrong answer names its
misconception, values that are not plain are refused without being touched,
and the three questions that are exercises in reasoning with a gate judge by
the rule they state (not by one memorised number).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from lstm_grade.checks import MISCONCEPTIONS, CheckFailed
from lstm_grade.checks.quiz import QUESTIONS, QUIZ_MISCONCEPTIONS, check_answer, judge

IDS = sorted(QUESTIONS)
WRONGS = [(q, w) for q in IDS for w in QUESTIONS[q].wrong]


@pytest.mark.parametrize("qid", IDS)
def test_the_model_answer_is_right(qid, capsys):
    q = QUESTIONS[qid]
    assert judge(qid, q.model_answer).ok
    check_answer(qid, q.model_answer)
    assert capsys.readouterr().out.startswith(f"✔ {qid}: ")


@pytest.mark.parametrize("qid, wrong", WRONGS, ids=[f"{q}-{w.value}" for q, w in WRONGS])
def test_each_named_wrong_answer_names_its_misconception(qid, wrong):
    verdict = judge(qid, wrong.value)
    assert not verdict.ok and verdict.misconception == wrong.mid
    assert wrong.mid in MISCONCEPTIONS or wrong.mid in QUIZ_MISCONCEPTIONS
    with pytest.raises(CheckFailed, match=rf"\[misconception: {wrong.mid}\]"):
        check_answer(qid, wrong.value)


@pytest.mark.parametrize("qid", IDS)
def test_questions_have_text_and_one_option_per_letter(qid):
    q = QUESTIONS[qid]
    assert q.prompt
    if q.kind == "choice":
        assert len(q.options) == len(q.choices) and q.answer in q.choices
        # Every wrong letter is named.
        assert {w.value for w in q.wrong} == set(q.choices) - {q.answer}


def test_choices_accept_case_and_spaces_and_refuse_the_rest():
    assert judge("q_temperature", " A ").ok
    for bad in ("ab", "z", 1, ["a"], None):
        assert not judge("q_temperature", bad).ok


class Sneaky(float):
    """A float subclass whose comparisons would claim anything."""

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Liar:
    def __float__(self):
        raise AssertionError("the judge must not call the student's object")

    def __array__(self, *a, **k):
        raise AssertionError("the judge must not call the student's object")

    def __repr__(self):
        raise AssertionError("the judge must not call the student's object")


@pytest.mark.parametrize("value", [Liar(), Sneaky(4.0), [Liar(), 1.0, 2.0, 3.0], {"a": 1}])
def test_values_that_are_not_plain_are_refused_untouched(value):
    for qid in ("q_perplexity", "q_input_noise", "q_temperature", "q_forget_bias"):
        verdict = judge(qid, value)
        assert not verdict.ok and "answer with" in verdict.says


def test_the_judge_is_a_pure_function_of_its_arguments():
    values = [4, 4.0, np.float64(4.0), np.array(4.0), 3.0, "a"]
    first = [judge("q_perplexity", v) for v in values]
    assert [judge("q_perplexity", v) for v in values] == first
    assert first[0].ok and first[2].ok and first[3].ok and not first[4].ok


def test_unknown_question_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown question 'q_nope'"):
        judge("q_nope", 1)


# -- the reasoning exercises judge by their rule ----------------------------------------------

def _sigma(z):
    return 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("b", [5.3, 6.0, 10.0, 40.0])
def test_any_forget_bias_that_keeps_90_percent_over_20_steps_passes(b):
    assert _sigma(b) ** 20 >= 0.9
    assert judge("q_forget_bias", b).ok


@pytest.mark.parametrize("b, mid", [(5.0, "decay-not-compounded"), (3.0, "decay-not-compounded"),
                                    (0.0, "decay-not-compounded"), (-4.0, "forget-means-erase")])
def test_a_forget_bias_that_loses_the_memory_is_named(b, mid):
    verdict = judge("q_forget_bias", b)
    assert not verdict.ok and verdict.misconception == mid
    assert f"{_sigma(b) ** 20:.3f}" in verdict.says or b < 0


@pytest.mark.parametrize("w", [[0, 20, 0, -10], [0.5, 12, 0, -6], [0, 30, 0.5, -15]])
def test_input_weights_that_ignore_the_noise_pass(w):
    assert judge("q_input_noise", w).ok
    assert judge("q_input_noise", np.array(w, dtype=float)).ok


@pytest.mark.parametrize("w, mid", [
    ([0, 6, 1, -3], "noise-not-ignored"),      # right but for the noise weight
    ([20, 0, 0, -10], "concat-order"),         # the signal's weight put first, as if [x, h]
    ([0, 2, 0, -1], None),                     # too weak: the gate never gets past 0.95
])
def test_input_weights_that_fail_are_explained(w, mid):
    verdict = judge("q_input_noise", w)
    assert not verdict.ok and verdict.misconception == mid
    assert "noise" in verdict.says or "[h_{t-1}, x_t]" in verdict.says or "σ(w_signal + b)" in verdict.says


def test_input_weights_of_the_wrong_size_are_refused():
    assert "4 numbers" in judge("q_input_noise", [1, 2, 3]).says


def test_the_predicted_cell_is_the_cell_update():
    c = 0.75 * 2.0 + 0.8 * -0.5
    assert judge("q_predict_c", c).ok and judge("q_predict_c", round(c, 3)).ok


def test_perplexity_is_judged_against_the_models_own_loss():
    from lstm_grade.checks.quiz import judge_perplexity
    loss = 2.5
    assert judge_perplexity(math.exp(loss), loss).ok
    assert judge_perplexity(loss, loss).misconception == "perplexity-is-loss"
    assert judge_perplexity(2 ** loss, loss).misconception == "perplexity-wrong-base"
    assert not judge_perplexity(math.exp(loss) * 1.01, loss).ok
    assert not judge_perplexity(Liar(), loss).ok
    with pytest.raises(ValueError, match="mean_nll"):
        judge_perplexity(1.0, float("nan"))
