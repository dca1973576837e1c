"""The checks of chapters 12-13 (embeddings, truncated BPTT, stacked LSTM, attention).

Each named wrong variant, written as a student function with the exercise's
signature, fails its check with its misconception id, in the student's own
process and through the trusted values-only path (``checks._replay``: plan,
kernel calls over the JSON wire, judgement), where the embedding cache and the
stacked layers' parameter list must cross the wire as plain values.
"""
from __future__ import annotations

import json

import pytest

from lstm_grade.checks import CheckFailed, check
from lstm_grade.checks import _replay
from lstm_grade.checks._specs import SPECS, practice
from lstm_grade.checks._specs._types import Inputs
from lstm_grade.pipeline import kernel_export

SALT = "ch12-ch13-salt"


def _student(name, variant):
    """The variant as a student function with the exercise's signature and return value."""
    keys = list(SPECS[name].make(_case(name)).keys())

    def answer(*args):
        parts = variant.fn(Inputs(zip(keys, args)))
        if name == "embedding_backward":
            return parts[0]
        if name == "truncated_bptt":
            return parts
        if name == "attention_forward":
            return tuple(parts), None
        return parts[0], None
    return answer


def _case(name):
    from lstm_grade.checks._cases import visible_cases
    return visible_cases(name, fresh=0)[0]


VARIANTS = [(name, v) for name in practice.SPECS for v in SPECS[name].variants]


@pytest.mark.parametrize("name, variant", VARIANTS, ids=[f"{n}-{v.id}" for n, v in VARIANTS])
def test_each_wrong_variant_is_named_in_the_students_check(name, variant, capfd):
    with pytest.raises(CheckFailed) as info:
        check(name, _student(name, variant))
    assert f"[misconception: {variant.id}]" in str(info.value), str(info.value)
    assert capfd.readouterr().err == ""


def _through_the_wire(name, fn):
    """The trusted judgement of ``fn`` for ``name``: the kernel's answers round-tripped as JSON."""
    calls = json.loads(json.dumps(_replay.plan(name, "answer", SALT)))
    ns = {"answer": fn}
    answers = {c["key"]: json.loads(json.dumps(kernel_export._call(ns, c))) for c in calls}
    return _replay.judge(name, SALT, answers)


@pytest.mark.parametrize("name, mid", [
    ("embedding_backward", "repeated-ids-overwritten"),
    ("truncated_bptt", "gradient-across-windows"),
    ("stacked_lstm_forward", "layers-fed-input"),
    ("attention_forward", "mask-ignored"),
])
def test_values_only_grading_passes_the_reference_and_names_the_variant(name, mid):
    variant = next(v for v in SPECS[name].variants if v.id == mid)
    wrong = _through_the_wire(name, _student(name, variant))
    assert not wrong.passed and wrong.misconceptions == (mid,), wrong
    right = _through_the_wire(name, _student(name, variant._replace(fn=SPECS[name].reference)))
    assert right.passed, right.message
