"""Hidden checks give nothing to answers that call the reference or patch grading."""
import builtins
import sys

import numpy as np
import pytest

import lstm_ref
import lstm_ref as ref_alias
from lstm_ref import forget_gate as fg
from lstm_grade.checks import CheckFailed, check
from lstm_grade.checks._check import run_check
from lstm_grade.checks import _compare


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


def hidden_dynamic(prev_h, x, W_f, b_f):
    mod = sys.modules["lstm_" + "ref"]
    return getattr(mod, "forget" + "_gate")(prev_h, x, W_f, b_f)


def swallowing(prev_h, x, W_f, b_f):
    try:
        return getattr(sys.modules["lstm_ref"], "forget_gate")(prev_h, x, W_f, b_f)
    except Exception:
        return by_hand(prev_h, x, W_f, b_f)


def checks_own_copy(prev_h, x, W_f, b_f):
    from lstm_grade.checks import _numeric
    return getattr(_numeric, "s" + "ig")(getattr(_numeric, "affine_hx")(prev_h, x, W_f, b_f))


@pytest.mark.parametrize("answer", [direct, aliased, via_submodule, through_own_helper, fg,
                                    hidden_dynamic, swallowing, checks_own_copy])
def test_calling_the_reference_fails_hidden(answer, capfd):
    assert run_check("forget_gate", answer, integrity=False) == 6  # visible checks only compare values
    with pytest.raises(CheckFailed, match=r"\[integrity: calls-reference\]"):
        check("forget_gate", answer, hidden=True)
    assert capfd.readouterr().err == ""


def test_tripwire_restores_the_reference():
    with pytest.raises(CheckFailed):
        check("forget_gate", hidden_dynamic, hidden=True)
    prev_h, x = np.zeros((1, 2)), np.zeros((1, 1))
    assert lstm_ref.forget_gate(prev_h, x, np.zeros((2, 3)), np.zeros(2)).shape == (1, 2)


def test_activations_from_lstm_ref_are_allowed_outside_chapter_3():
    def uses_sigmoid(prev_h, x, W_f, b_f):
        return lstm_ref.sigmoid(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)
    assert run_check("forget_gate", uses_sigmoid, hidden=True) >= 10
    with pytest.raises(CheckFailed, match="calls-reference"):
        check("sigmoid", lambda x: lstm_ref.sigmoid(x), hidden=True)


@pytest.mark.parametrize("target,attr,value", [
    (np.testing, "assert_allclose", lambda *a, **k: None),
    (np, "allclose", lambda *a, **k: True),
    (np, "isclose", lambda *a, **k: True),
    (np, "array_equal", lambda *a, **k: True),
    (builtins, "abs", lambda v: 0),
    (np, "tanh", lambda v: v),
    (lstm_ref, "forget_gate", lambda *a: None),
    (lstm_ref.gates, "sigmoid", lambda v: v),
    (_compare, "first_difference", lambda *a, **k: None),
    (_compare, "close", lambda *a, **k: True),
])
def test_patched_grading_functions_fail_hidden(target, attr, value, monkeypatch):
    monkeypatch.setattr(target, attr, value)
    with pytest.raises(CheckFailed, match=r"\[integrity: patched-"):
        check("forget_gate", by_hand, hidden=True)


def test_patched_code_and_defaults_fail_hidden():
    target = np.testing.assert_allclose
    original_code, original_defaults = target.__code__, target.__defaults__
    try:
        target.__code__ = (lambda actual, desired, rtol=1e-07, atol=0, equal_nan=True, err_msg="",
                           verbose=True, *, strict=False: None).__code__
        with pytest.raises(CheckFailed, match=r"patched-.*assert_allclose"):
            check("forget_gate", by_hand, hidden=True)
    finally:
        target.__code__ = original_code
    try:
        target.__defaults__ = tuple(1e9 if isinstance(d, float) else d for d in original_defaults)
        with pytest.raises(CheckFailed, match=r"patched-.*assert_allclose"):
            check("forget_gate", by_hand, hidden=True)
    finally:
        target.__defaults__ = original_defaults
    assert run_check("forget_gate", by_hand, hidden=True) >= 10


def test_patched_check_module_function_code_fails_hidden():
    from lstm_grade.checks import _check
    original = _check._run_case.__code__
    try:
        _check._run_case.__code__ = (lambda spec, fn, forward, case, integrity: None).__code__
        with pytest.raises(CheckFailed, match=r"patched-lstm_grade\.checks\._check\._run_case"):
            check("forget_gate", by_hand, hidden=True)
    finally:
        _check._run_case.__code__ = original


def test_replaced_module_in_sys_modules_fails_hidden(monkeypatch):
    import types
    fake = types.ModuleType("lstm_grade.checks._compare")
    monkeypatch.setitem(sys.modules, "lstm_grade.checks._compare", fake)
    with pytest.raises(CheckFailed, match=r"\[integrity: patched-lstm_grade\.checks\._compare"):
        check("forget_gate", by_hand, hidden=True)


def test_visible_check_does_not_trust_patched_numpy(monkeypatch):
    """Comparisons use private references, so a patched np.allclose cannot pass a wrong answer."""
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *a, **k: None)
    with pytest.raises(CheckFailed):
        check("forget_gate", lambda prev_h, x, W_f, b_f: np.zeros((prev_h.shape[0], W_f.shape[0])))
