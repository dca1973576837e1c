"""The per-gate (book) form, and its agreement with the stacked step and the sequence."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lstm_ref as L
from ref_helpers import lstm_params


def _per_gate_setup(rng, N=3, D=4, H=5):
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    W = {k: rng.standard_normal((H, H + D)) for k in "ifco"}
    b = {k: rng.standard_normal(H) for k in "ifco"}
    return x, h, c, W, b


def test_each_gate_computes_its_equation(rng):
    x, h, c, W, b = _per_gate_setup(rng)
    hx = np.concatenate([h, x], axis=1)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    np.testing.assert_allclose(L.forget_gate(h, x, W["f"], b["f"]), sig(hx @ W["f"].T + b["f"]), rtol=1e-14)
    np.testing.assert_allclose(L.input_gate(h, x, W["i"], b["i"]), sig(hx @ W["i"].T + b["i"]), rtol=1e-14)
    np.testing.assert_allclose(L.output_gate(h, x, W["o"], b["o"]), sig(hx @ W["o"].T + b["o"]), rtol=1e-14)
    np.testing.assert_allclose(L.gate(h, x, W["o"], b["o"]), sig(hx @ W["o"].T + b["o"]), rtol=1e-14)
    np.testing.assert_allclose(L.candidate(h, x, W["c"], b["c"]), np.tanh(hx @ W["c"].T + b["c"]), rtol=1e-14)
    f, i, ct = (rng.uniform(size=(3, 5)) for _ in range(3))
    np.testing.assert_allclose(L.update_cell(c, f, i, ct), f * c + i * ct)
    np.testing.assert_allclose(L.hidden_state(f, c), f * np.tanh(c))


def test_previous_hidden_state_comes_first_in_the_concatenation(rng):
    N, D, H = 2, 3, 4
    x, h = rng.standard_normal((N, D)), rng.standard_normal((N, H))
    W = np.zeros((H, H + D))
    W[:, :H] = np.eye(H)  # reads only h
    np.testing.assert_allclose(L.candidate(h, x, W, np.zeros(H)), np.tanh(h))


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), D=st.integers(1, 5), H=st.integers(1, 6), T=st.integers(1, 4),
       seed=st.integers(0, 2**31 - 1))
def test_per_gate_cell_stacked_step_and_sequence_agree(N, D, H, T, seed):
    rng = np.random.default_rng(seed)
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H, scale=1.0)
    params = L.split_gates(Wx, Wh, b)
    h_seq, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    h, c = h0, c0
    for t in range(T):
        h_gate, c_gate = L.lstm_cell_per_gate(x[:, t], h, c, params)
        h_step, c_step, _ = L.lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        np.testing.assert_allclose(h_gate, h_step, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(c_gate, c_step, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(h_step, h_seq[:, t], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(c_step, cache.c[:, t], rtol=1e-12, atol=1e-14)
        h, c = h_step, c_step


def test_wrong_gate_weight_shape_names_the_argument(rng):
    x, h, c, W, b = _per_gate_setup(rng, N=2, D=3, H=4)
    with pytest.raises(ValueError, match=r"W_f: expected shape \(H, H \+ D\) = \(4, 7\).*got \(4, 6\)"):
        L.forget_gate(h, x, W["f"][:, :6], b["f"])
    with pytest.raises(ValueError, match=r"b_c: expected shape \(H,\) = \(4,\), got \(3,\)"):
        L.candidate(h, x, W["c"], b["c"][:3])
    with pytest.raises(ValueError, match=r"x: expected shape \(N, D\) = \(2, D\), got \(3, 3\)"):
        L.input_gate(h, np.zeros((3, 3)), W["i"], b["i"])
    with pytest.raises(ValueError, match=r"i: expected shape \(N, H\) = \(2, 4\), got \(2, 3\)"):
        L.update_cell(c, c, c[:, :3], c)
    with pytest.raises(ValueError, match="params: expected a GateParams"):
        L.lstm_cell_per_gate(x, h, c, (W["i"],))


def test_float32_stays_float32(rng):
    x, h, c, W, b = _per_gate_setup(rng)
    f32 = lambda a: a.astype(np.float32)  # noqa: E731
    assert L.forget_gate(f32(h), f32(x), f32(W["f"]), f32(b["f"])).dtype == np.float32
    assert L.update_cell(f32(c), f32(c), f32(c), f32(c)).dtype == np.float32
