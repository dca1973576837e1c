"""A hidden check run in a notebook tells a student who calls the reference to write it.

This is feedback, a static look at the answer's code (``_integrity.reference_use``);
the grades are protected by the grading kernel, where the reference is not
there at all (tests/test_pipeline_adversarial.py holds the dynamic tricks:
``getattr`` on ``sys.modules``, restored code objects, reading the files).
"""
import sys

import numpy as np
import pytest

import lstm_ref
import lstm_ref as ref_alias
from lstm_ref import forget_gate as fg
from lstm_grade.checks import CheckFailed, check
from lstm_grade.checks._check import run_check


def by_hand(prev_h, x, W_f, b_f):
    z = np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_hand_written_answer_passes_hidden(capfd):
    assert run_check("forget_gate", by_hand, hidden=True) >= 10
    out, err = capfd.readouterr()
    assert "integrity ok" in out and err == ""



def direct(prev_h, x, W_f, b_f):
    return lstm_ref.forget_gate(prev_h, x, W_f, b_f)


def aliased(prev_h, x, W_f, b_f):
    return fg(prev_h, x, W_f, b_f)


def via_submodule(prev_h, x, W_f, b_f):
    return ref_alias.gates.forget_gate(prev_h, x, W_f, b_f)


def _helper(prev_h, x, W_f, b_f):
    return fg(prev_h, x, W_f, b_f)


def through_own_helper(prev_h, x, W_f, b_f):
    return _helper(prev_h, x, W_f, b_f)


@pytest.mark.parametrize("answer", [direct, aliased, via_submodule, through_own_helper, fg])
def test_calling_the_reference_fails_hidden(answer, capfd):
    assert run_check("forget_gate", answer, integrity=False) == 6  # visible checks only compare values
    with pytest.raises(CheckFailed, match=r"\[integrity: calls-reference\]"):
        check("forget_gate", answer, hidden=True)
    assert capfd.readouterr().err == ""


def test_activations_from_lstm_ref_are_allowed_outside_chapter_3():
    def uses_sigmoid(prev_h, x, W_f, b_f):
        return lstm_ref.sigmoid(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)
    assert run_check("forget_gate", uses_sigmoid, hidden=True) >= 10
    with pytest.raises(CheckFailed, match="calls-reference"):
        check("sigmoid", lambda x: lstm_ref.sigmoid(x), hidden=True)


def test_visible_check_does_not_trust_patched_numpy(monkeypatch):
    """Comparisons use private references, so a patched np.allclose cannot pass a wrong answer."""
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *a, **k: None)
    with pytest.raises(CheckFailed):
        check("forget_gate", lambda prev_h, x, W_f, b_f: np.zeros((prev_h.shape[0], W_f.shape[0])))
