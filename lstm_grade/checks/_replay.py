"""The trusted side of grading by values: plan the grading calls, judge the answers.

``plan(name, variable, salt)`` lists the calls the grading kernel makes on
the student's function ``variable``: the hidden cases of ``name`` drawn from
``salt`` (``_cases.hidden_cases``), their inputs as plain values (``wire``).
The kernel answers each call with plain values only (``kernel_export``).
``judge(name, salt, answers)`` runs in the trusted grader: it rebuilds the
same cases from the salt, computes the expected values with ``lstm_ref``,
and judges each answer with the checks' own code (``_check.judge_case``:
shapes, dtypes, in-place changes, values, then the wrong variants to name
the misconception). Nothing the kernel sent can run here: it arrives as
arrays, numbers and strings.

Test cells that grade more than a function's values (``CELL_JUDGES``) are
planned and judged the same way: the kernel hands back the notebook's
values (the numerical gradients, the trained model's predictions on strings
drawn from the salt) and this side recomputes.
"""
from __future__ import annotations

import hashlib
import re
from typing import Callable, NamedTuple

import numpy as np

from ..pipeline import wire
from ._cases import hidden_cases
from ._check import _applies, judge_case
from ._run import Outcome
from ._specs import SPECS
from ._specs.training import _judge_sampling, softmax
from ._text import say, tr

__all__ = ["Judgement", "plan", "judge", "CELL_JUDGES", "REFERENCE_HIDDEN"]

#: The exception type the grading kernel's stand-in reference functions raise.
REFERENCE_HIDDEN = "ReferenceHidden"
MISCONCEPTION = re.compile(r"\[misconception: ([A-Za-z0-9_.-]+)\]")
INTEGRITY = re.compile(r"\[integrity: ([A-Za-z0-9_.-]+)\]")


class Judgement(NamedTuple):
    """The trusted verdict on one graded function (or test cell)."""
    passed: bool
    message: str          # ✔ or ✘ line(s), the checks' own words
    misconceptions: tuple
    integrity: tuple


def _verdict(passed: bool, message: str) -> Judgement:
    return Judgement(passed, message, tuple(sorted(set(MISCONCEPTION.findall(message)))),
                     tuple(sorted(set(INTEGRITY.findall(message)))))


def _cases(name: str, salt: str):
    spec = SPECS[name]
    return spec, [c for c in hidden_cases(name, salt=salt) if _applies(spec, c)]


class _Stop(Exception):
    pass


def _arguments(spec, inputs) -> list:
    """The positional arguments ``spec.call`` hands an answer for ``inputs``."""
    seen = []

    def recorder(*args):
        seen.extend(args)
        raise _Stop
    try:
        spec.call(recorder, inputs, None)
    except _Stop:
        pass
    return seen


def _draw_requests(name: str, salt: str) -> list:
    """(logits, temperature, seed, n) of every draw ``_judge_sampling`` may ask for."""
    _, cases = _cases(name, salt)
    requests = []

    def draw(logits, temperature, seed, n):
        requests.append((logits.copy(), temperature, seed, n))
        rng, p = np.random.default_rng(seed), softmax(logits / temperature)
        return Outcome([int(rng.choice(len(p), p=p)) for _ in range(n)], None, ())
    _judge_sampling(draw, cases, hidden=True)
    return requests


def plan(name: str, variable: str, salt: str) -> list[dict]:
    """The grading kernel's calls for graded function ``name`` (the notebook's ``variable``)."""
    spec, cases = _cases(name, salt)
    if spec.special is not None:
        return [{"key": f"{name}/draw{j}", "fn": variable, "repeat": n,
                 "args": [wire.encode(logits), temperature, {"rng": int(seed)}]}
                for j, (logits, temperature, seed, n) in enumerate(_draw_requests(name, salt))]
    return [{"key": f"{name}/{k}", "fn": variable, "args": wire.encode(_arguments(spec, spec.make(case)))}
            for k, case in enumerate(cases)]


def _apply(live, after) -> None:
    """Put the kernel's after-the-call state of an argument into ``live`` (in place)."""
    if isinstance(live, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == live.shape:
            live[...] = after.astype(live.dtype, copy=False)
        elif live.dtype.kind == "f":
            live[...] = np.nan  # replaced by something else: certainly changed
    elif isinstance(live, dict) and isinstance(after, dict):
        for key, value in live.items():
            if key in after:
                _apply(value, after[key])
    elif isinstance(live, (tuple, list)) and isinstance(after, (tuple, list)):
        for a, b in zip(live, after):
            _apply(a, b)


def _recorded(answer) -> tuple[list, object, str | None, tuple]:
    """(args after the call, value, error, warnings) of one kernel answer."""
    if not isinstance(answer, dict):
        return [], None, "no answer", ()
    arrays: list = []
    args = wire.decode(answer.get("args"), arrays)
    value = wire.decode(answer.get("value"), arrays)
    error = answer.get("error")
    warnings = tuple(str(w)[:300] for w in (answer.get("warnings") or ())[:5])
    return (args if isinstance(args, list) else []), value, (str(error) if error else None), warnings


def _hidden_reference(error: str | None, name: str) -> str | None:
    if error and error.startswith(REFERENCE_HIDDEN):
        return say("integrity: your answer called the reference code, which grading hides "
                   "({error}); write the computation yourself.", error=error.splitlines()[0]) \
            + " [integrity: calls-reference]"
    return None


NO_ANSWER = ("the grading kernel gave no answer for this case (the function ran past the cell's "
             "time limit, or code in the notebook stopped the grader's cell)")  # shown as tr(NO_ANSWER)


def judge(name: str, salt: str, answers: dict) -> Judgement:
    """Judge the kernel's ``answers`` (key -> answer dict) for graded function ``name``."""
    spec, cases = _cases(name, salt)
    if spec.special is not None:
        return _judge_draws(name, salt, answers)
    for k, case in enumerate(cases):
        where = "\n  " + say("run: {case} (grading case {k} of {n})", case=case.describe(), k=k + 1, n=len(cases))
        answer = answers.get(f"{name}/{k}")
        if answer is None:
            return _verdict(False, f"✘ {name}: {tr(NO_ANSWER)}{where}")
        after, value, error, warnings = _recorded(answer)
        hidden_ref = _hidden_reference(error, name)
        if hidden_ref:
            return _verdict(False, f"✘ {name}: {hidden_ref}{where}")
        inputs = spec.make(case)
        given = inputs.copied()

        def replay(*live):
            for a, b in zip(live, after):
                _apply(a, b)
            return value
        spec.call(replay, given, None)
        problem = judge_case(spec, inputs, given, Outcome(value, error, warnings), case)
        if problem:
            return _verdict(False, f"✘ {name}: {problem}{where}")
    return _verdict(True, f"✔ {name}: " + say("{n} grading cases passed (judged outside the notebook)",
                                              n=len(cases)))


def _judge_draws(name: str, salt: str, answers: dict) -> Judgement:
    _, cases = _cases(name, salt)
    counter = iter(range(10**6))

    def draw(logits, temperature, seed, n):
        answer = answers.get(f"{name}/draw{next(counter)}")
        if answer is None:
            return Outcome([], tr(NO_ANSWER), ())
        after, value, error, warnings = _recorded(answer)
        hidden_ref = _hidden_reference(error, name)
        if hidden_ref:
            return Outcome([], hidden_ref, ())
        if after:
            _apply(logits, after[0])
        return Outcome(value if isinstance(value, list) else [], error, warnings)
    result = _judge_sampling(draw, cases, hidden=True)
    if isinstance(result, str):
        return _verdict(False, f"✘ {name}: {result}")
    return _verdict(True, f"✔ {name}: " + say("{n} grading runs passed (judged outside the notebook)", n=result))


# ---- quiz answers -----------------------------------------------------------------------

def _quiz():
    try:
        from . import quiz
    except ImportError:  # the quiz module is not in this checkout
        return None
    return quiz


def quiz_known(qid: str) -> bool:
    """True if ``qid`` is a quiz question this grader can judge."""
    quiz = _quiz()
    return quiz is not None and qid in quiz.QUESTIONS


def plan_quiz(qid: str, variable: str) -> list[dict]:
    """The kernel hands back the plain value of the answer's variable."""
    return [{"key": f"quiz/{qid}", "read": [variable]}]


def judge_quiz(qid: str, answers: dict) -> Judgement:
    """``checks.quiz.judge`` on the value the kernel handed back."""
    answer = answers.get(f"quiz/{qid}")
    if answer is None:
        return _verdict(False, f"✘ {qid}: {tr(NO_ANSWER)}")
    _, values, error, _ = _recorded(answer)
    if error or not isinstance(values, list) or len(values) != 1:
        return _verdict(False, f"✘ {qid}: " + say("the answer could not be read ({error})", error=error))
    value = values[0]
    if isinstance(value, wire.Opaque):
        return _verdict(False, f"✘ {qid}: " + say("answer with a plain value (a letter, a number or a few numbers), "
                                                  "got a {type}", type=value.type_name))
    verdict = _quiz().judge(qid, value)
    if verdict.ok:
        return _verdict(True, f"✔ {qid}: {verdict.says}")
    return _verdict(False, f"✘ {qid}: {verdict.says}{_quiz().misconception_tag(verdict.misconception)}")


# ---- test cells graded by the notebook's values --------------------------------------

def _salted_rng(salt: str, what: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(f"{salt}/{what}".encode()).digest()[:8], "big"))


NUMERICAL = ("x", "h0", "Wx", "Wh", "b", "dh", "dWx_num", "dWh_num")


def _plan_numerical(salt: str) -> list[dict]:
    return [{"key": "numerical_gradients", "read": list(NUMERICAL)}]


def _judge_numerical(salt: str, answers: dict) -> Judgement:
    import lstm_ref
    NUM = say("numerical gradients")
    answer = answers.get("numerical_gradients")
    if answer is None:
        return _verdict(False, "✘ " + NUM + f": {tr(NO_ANSWER)}")
    _, values, error, _ = _recorded(answer)
    if error or not isinstance(values, list) or len(values) != len(NUMERICAL):
        return _verdict(False, "✘ " + NUM + ": " + say("the notebook's variables could not be read ({error})", error=error))
    v = dict(zip(NUMERICAL, values))
    missing = [k for k, a in v.items() if not isinstance(a, np.ndarray) or a.dtype.kind != "f"]
    if missing:
        return _verdict(False, "✘ " + NUM + ": " + say("{names} should be float arrays after the notebook ran",
                                                     names=", ".join(missing)))
    try:
        _, cache = lstm_ref.lstm_forward(v["x"], v["h0"], None, v["Wx"], v["Wh"], v["b"])
        expected = lstm_ref.lstm_backward(v["dh"], cache)
    except Exception as err:  # noqa: BLE001 - the notebook's own inputs do not fit together
        return _verdict(False, "✘ " + NUM + ": " + say("the notebook's x, h0, Wx, Wh, b, dh do not make an LSTM forward "
                                                     "pass ({error})", error=f"{type(err).__name__}: {err}"))
    if not np.abs(v["dh"]).max() > 0:
        return _verdict(False, "✘ " + NUM + ": " + say("dh is all zeros, so every gradient is zero"))
    for name, got, want in (("dWx_num", v["dWx_num"], expected[3]), ("dWh_num", v["dWh_num"], expected[4])):
        if got.shape != want.shape:
            return _verdict(False, "✘ " + NUM + ": " + say("{name} has shape {got}, expected {expected}", name=name,
                                                             got=got.shape, expected=want.shape))
        err = lstm_ref.rel_error(got, want)
        if not err < 1e-6:
            return _verdict(False, "✘ " + NUM + ": " + say("{name} is not the numerical gradient of sum(h * dh) "
                                                         "(relative error {error:.2g}, needs < 1e-6)",
                                                         name=name, error=err))
    return _verdict(True, "✔ " + NUM + ": " + say("dWx_num and dWh_num agree with the gradient of this "
                                             "forward pass (judged outside the notebook)"))


TRAINING_STRINGS = 1000


def _training_batch(salt: str):
    from lstm_ref import embedded_reber
    return embedded_reber(TRAINING_STRINGS, _salted_rng(salt, "training_accuracy"))


def _plan_training(salt: str) -> list[dict]:
    return [{"key": "training_accuracy", "fn": "model.predict",
             "args": wire.encode([_training_batch(salt).x])}]


def _judge_training(salt: str, answers: dict) -> Judgement:
    from lstm_ref import penultimate_accuracy
    ACC = say("training accuracy")
    answer = answers.get("training_accuracy")
    if answer is None:
        return _verdict(False, "✘ " + ACC + f": {tr(NO_ANSWER)}")
    _, scores, error, _ = _recorded(answer)
    if error:
        return _verdict(False, "✘ " + ACC + ": " + say("model.predict raised {error}", error=error))
    batch = _training_batch(salt)
    if not isinstance(scores, np.ndarray) or scores.dtype.kind not in "iuf":
        return _verdict(False, "✘ " + ACC + ": " + say("model.predict returned {type}, expected an array of scores",
                                                     type=type(scores).__name__))
    try:
        accuracy = penultimate_accuracy(scores, batch)
    except ValueError as err:
        return _verdict(False, "✘ " + ACC + f": {err}")
    if accuracy < 0.9:
        return _verdict(False, "✘ " + ACC + ": " + say(
            "penultimate-symbol accuracy on {n} strings no one has seen: {accuracy:.1%}, below 90 %: "
            "train longer or check clip_grad_norm", n=TRAINING_STRINGS, accuracy=accuracy))
    return _verdict(True, "✔ " + ACC + ": " + say(
        "penultimate-symbol accuracy on {n} strings no one has seen: {accuracy:.1%} (judged outside the "
        "notebook)", n=TRAINING_STRINGS, accuracy=accuracy))


class CellJudge(NamedTuple):
    """A test cell graded by the notebook's values rather than one function's."""
    plan: Callable[[str], list]
    judge: Callable[[str, dict], Judgement]


#: Test cells (by grade_id) whose grading reads notebook values.
CELL_JUDGES = {
    "test_numerical_gradients": CellJudge(_plan_numerical, _judge_numerical),
    "test_training_accuracy": CellJudge(_plan_training, _judge_training),
}
