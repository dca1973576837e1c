"""The reference passes every check, visible and hidden, with nothing on stderr."""
import numpy as np
import pytest

import lstm_ref
from lstm_grade.checks import GRADED, MISCONCEPTIONS, check
from lstm_grade.checks._check import run_check
from lstm_grade.checks._specs import SPECS

CONTRACT = {
    "rnn_step_forward", "rnn_forward", "rnn_step_backward", "rnn_backward", "gradient_norms",
    "sigmoid", "gate", "forget_gate", "input_gate", "candidate", "update_cell", "output_gate",
    "hidden_state", "lstm_step_forward", "lstm_forward", "lstm_step_backward", "lstm_backward",
    "grad_check", "peephole_step_forward", "coupled_step_forward", "gru_step_forward",
    "clip_grad_norm", "sample_next",
}


def test_every_graded_function_of_the_contract_has_a_check():
    assert CONTRACT <= set(GRADED)


def test_every_variant_id_is_in_the_table():
    for spec in SPECS.values():
        for v in spec.variants:
            assert v.id in MISCONCEPTIONS, (spec.name, v.id)


def _reference(name):
    if name == "gradient_norms":
        from lstm_grade.checks._specs.rnn import own_gradient_norms

        def gradient_norms(dh_last, cache):  # the reference cache's fields, recomputed
            return own_gradient_norms(cache.x, cache.h0, cache.Wx, cache.Wh, cache.b, dh_last)
        return gradient_norms
    if name == "sample_next":
        def sample_next(logits, temperature, rng):
            p = lstm_ref.softmax(np.asarray(logits) / temperature)
            return int(rng.choice(len(p), p=p))
        return sample_next
    if name == "truncated_bptt":  # chapter 12's exercise, built from lstm_ref's layer and state carrying
        def truncated_bptt(xs, dhs, h0, c0, Wx, Wh, b):
            h, c, grads = h0, c0, [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
            for x, dh in zip(xs, dhs):
                cache = lstm_ref.lstm_forward(x, h, c, Wx, Wh, b)[1]
                grads = [g + d for g, d in zip(grads, lstm_ref.lstm_backward(dh, cache)[3:])]
                h, c = lstm_ref.final_state(cache)
            return (h, c, *grads)
        return truncated_bptt
    return getattr(lstm_ref, name)


@pytest.mark.parametrize("name", sorted(GRADED))
def test_reference_passes_visible_and_hidden(name, capfd):
    fn = _reference(name)
    assert run_check(name, fn, integrity=False) >= 3
    assert run_check(name, fn, hidden=True, integrity=False) >= 4
    out, err = capfd.readouterr()
    assert err == ""
    assert f"✔ {name}:" in out


@pytest.mark.parametrize("name", sorted(GRADED))
def test_wrong_variants_differ_from_the_reference(name):
    """Each variant must be distinguishable, or naming it would be meaningless."""
    from lstm_grade.checks._cases import hidden_cases, visible_cases
    from lstm_grade.checks._compare import close
    spec = SPECS[name]
    if spec.special:
        pytest.skip("statistical check")
    cases = visible_cases(name, fresh=0) + hidden_cases(name, fresh=0)
    for v in spec.variants:
        differs = False
        for case in cases:
            a = spec.make(case)
            try:
                wrong = v.fn(a.copied())
            except ValueError:
                continue
            right = spec.reference(a.copied())
            if not all(close(r, w, case.dtype) for r, w in zip(right, wrong)):
                differs = True
                break
        assert differs, (name, v.id, v.says)


def test_check_returns_none_so_nbgrader_never_reads_a_score_from_it(capsys):
    # nbgrader takes a number as a test cell's last value for partial credit.
    assert check("update_cell", lstm_ref.update_cell) is None
    assert check("update_cell", lstm_ref.update_cell, hidden=False) is None
    assert "passed" in capsys.readouterr().out
