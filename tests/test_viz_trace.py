"""The trace layer records exactly lstm_ref's values, and finds a student's mistakes."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref
from lstm_viz.trace import (GATE_EXAMPLE_V, bracket_counter_params, bracket_text, differing,
                            example_gate_trace, one_hot, random_inputs, random_lstm_params,
                            random_rnn_params, trace_gate, trace_lstm, trace_lstm_gradients,
                            trace_rnn, trace_rnn_gradients)

T, D, H = 5, 3, 4


@pytest.fixture
def run():
    x = random_inputs(T, D, seed=3)
    params = random_lstm_params(D, H, scale=1.0, seed=4)
    return x, params


def tanh_forget_gate(prev_h, x, W_f, b_f):
    """The classic mistake: tanh where the gate needs a sigmoid."""
    return np.tanh(np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f)


def test_trace_equals_lstm_forward_cache(run):
    x, (Wx, Wh, b) = run
    tr = trace_lstm(x, (Wx, Wh, b))
    h, cache = lstm_ref.lstm_forward(x[None], np.zeros((1, H)), None, Wx, Wh, b)
    for mine, theirs in ((tr.i, cache.i), (tr.f, cache.f), (tr.c_tilde, cache.g), (tr.o, cache.o),
                         (tr.c, cache.c), (tr.h, h)):
        np.testing.assert_allclose(mine, theirs[0], rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(tr.h_prev[1:], tr.h[:-1])
    np.testing.assert_array_equal(tr.c_prev[0], np.zeros(H))


def test_trace_equals_per_gate_functions(run):
    x, params = run
    p = lstm_ref.split_gates(*params)
    tr = trace_lstm(x, p, h0=np.full(H, 0.3), c0=np.full(H, -0.2))
    t = 2
    hp, xt = tr.h_prev[t][None], x[t][None]
    np.testing.assert_array_equal(tr.f[t], lstm_ref.forget_gate(hp, xt, p.W_f, p.b_f)[0])
    np.testing.assert_array_equal(tr.c_tilde[t], lstm_ref.candidate(hp, xt, p.W_c, p.b_c)[0])
    np.testing.assert_array_equal(
        tr.c[t], lstm_ref.update_cell(tr.c_prev[t][None], tr.f[t][None], tr.i[t][None], tr.c_tilde[t][None])[0])
    np.testing.assert_array_equal(tr.h_prev[0], np.full(H, 0.3))


def test_reference_run_has_nothing_to_compare(run):
    tr = trace_lstm(*run)
    assert tr.reference is None and tr.differs == {} and tr.blame == {} and not tr.any_differs()


def test_a_correct_student_function_does_not_differ(run):
    def my_forget_gate(prev_h, x, W_f, b_f):
        z = np.concatenate([prev_h, x], axis=1) @ W_f.T + b_f
        return 1.0 / (1.0 + np.exp(-z))

    tr = trace_lstm(*run, funcs={"forget_gate": my_forget_gate})
    assert tr.reference is not None
    assert not tr.any_differs()
    assert not tr.blame["forget_gate"].any()


def test_tanh_forget_gate_is_blamed_and_differences_spread(run):
    x, params = run
    tr = trace_lstm(x, params, funcs={"forget_gate": tanh_forget_gate})
    assert set(tr.blame) == {"forget_gate"}
    p = lstm_ref.split_gates(*params)
    z0 = np.concatenate([np.zeros(H), x[0]]) @ p.W_f.T + p.b_f
    # At t = 0 the gate differs exactly where tanh(z) and σ(z) do (everywhere but z = 0).
    np.testing.assert_array_equal(tr.blame["forget_gate"][0], ~np.isclose(np.tanh(z0), lstm_ref.sigmoid(z0)))
    np.testing.assert_array_equal(tr.f[0], np.tanh(z0))
    # c_{-1} = 0, so the wrong f only reaches c at t = 1; everything before f is untouched at t = 0.
    assert not tr.differs["i"][0].any() and not tr.differs["h_prev"][0].any()
    assert not tr.differs["c"][0].any()
    assert tr.differs["c"][1:].any() and tr.differs["h"][1:].any()


def test_only_the_wrong_units_are_marked(run):
    def off_in_unit_2(prev_h, x, W_i, b_i):
        out = lstm_ref.input_gate(prev_h, x, W_i, b_i).copy()
        out[:, 2] += 0.1
        return out

    tr = trace_lstm(*run, funcs={"input_gate": off_in_unit_2})
    expected = np.zeros((T, H), bool)
    expected[:, 2] = True
    np.testing.assert_array_equal(tr.blame["input_gate"], expected)


def test_bad_inputs_are_named(run):
    x, params = run
    with pytest.raises(ValueError, match="x"):
        trace_lstm(x[:, :2], params)
    with pytest.raises(ValueError, match="forgot_gate"):
        trace_lstm(x, params, funcs={"forgot_gate": tanh_forget_gate})
    with pytest.raises(ValueError, match=r"forget_gate.*\(1, 4\)"):
        trace_lstm(x, params, funcs={"forget_gate": lambda h, x, W, b: np.zeros((1, 3))})
    with pytest.raises(ValueError, match="params"):
        trace_lstm(x, "weights")
    with pytest.raises(ValueError, match="h0"):
        trace_lstm(x, params, h0=np.zeros(5))


def test_differing_flags_nan():
    np.testing.assert_array_equal(differing(np.array([1.0, np.nan, 2.0]), np.array([1.0, 1.0, 2.1])),
                                  [False, True, True])


def test_rnn_trace_equals_rnn_forward():
    x = random_inputs(T, D, seed=1)
    Wx, Wh, b = random_rnn_params(D, H, seed=2)
    h, _ = lstm_ref.rnn_forward(x[None], np.zeros((1, H)), Wx, Wh, b)
    np.testing.assert_allclose(trace_rnn(x, Wx, Wh, b).h, h[0], rtol=1e-12)


def _loss_from(cell, h0, c0, x_rest, params):
    u = np.ones(H) / np.sqrt(H)
    if cell == "rnn":
        h, _ = lstm_ref.rnn_forward(x_rest[None], h0[None], *params)
    else:
        h, _ = lstm_ref.lstm_forward(x_rest[None], h0[None], c0[None], *params)
    return h[0, -1] @ u


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_gradient_trace_matches_finite_differences(cell):
    x = random_inputs(6, D, seed=5)
    if cell == "rnn":
        params = random_rnn_params(D, H, scale=1.2, seed=6)
        g = trace_rnn_gradients(x, *params)
        states = trace_rnn(x, *params)
        h1, c1 = states.h[0], None
    else:
        params = random_lstm_params(D, H, scale=1.2, seed=6)
        g = trace_lstm_gradients(x, *params)
        states = trace_lstm(x, params)
        h1, c1 = states.h[0], states.c[0]
    eps = 1e-6
    numeric = np.empty(H)
    for k in range(H):
        e = np.zeros(H)
        e[k] = eps
        numeric[k] = (_loss_from(cell, h1 + e, c1, x[1:], params)
                      - _loss_from(cell, h1 - e, c1, x[1:], params)) / (2 * eps)
    np.testing.assert_allclose(g.dh[0], numeric, rtol=1e-6, atol=1e-9)
    assert g.norm[-1] == pytest.approx(1.0)


def test_small_recurrent_weights_vanish_for_the_rnn_not_the_lstm():
    x = random_inputs(40, D, seed=0)
    rnn = trace_rnn_gradients(x, *random_rnn_params(D, 16, scale=0.5, seed=0))
    lstm = trace_lstm_gradients(x, *random_lstm_params(D, 16, scale=0.5, forget_bias=3.0, seed=0))
    assert rnn.norm[0] < 1e-8
    assert lstm.norm[0] > 1e3 * rnn.norm[0]


def test_bracket_counter_counts_depth():
    text = bracket_text(30, seed=2)
    depth = lstm_ref.bracket_depth(np.array([["()".index(ch) for ch in text]]))[0]
    tr = trace_lstm(one_hot(text), bracket_counter_params(H=5))
    np.testing.assert_allclose(tr.c[:, 0] / 0.25, depth, atol=0.05)


def test_gate_trace():
    g = trace_gate(0.0, [2.0, -1.0])
    np.testing.assert_allclose(g.gate, [0.5, 0.5])
    np.testing.assert_allclose(g.out, [1.0, -0.5])
    with pytest.raises(ValueError, match="z"):
        trace_gate([0.0, 1.0, 2.0], [1.0, 2.0])
    example = example_gate_trace()  # chapter 3's picture: z = 1 on GATE_EXAMPLE_V
    np.testing.assert_allclose(example.out, lstm_ref.sigmoid(1.0) * np.array(GATE_EXAMPLE_V))
    with pytest.raises(ValueError, match="not in the vocabulary"):
        one_hot("(x)")
