"""The plain tanh RNN: numerical gradients, sequence vs a loop of steps, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lstm_ref as L
from ref_helpers import assert_matches_numerical, rnn_loop, rnn_params


def test_step_backward_matches_numerical_gradients(rng):
    x, h, Wx, Wh, b = rnn_params(rng, 3, 1, 4, 5)
    x = x[:, 0]
    dnh = rng.standard_normal((3, 5))
    _, cache = L.rnn_step_forward(x, h, Wx, Wh, b)
    grads = L.rnn_step_backward(dnh, cache)

    def f():
        return L.rnn_step_forward(x, h, Wx, Wh, b)[0]

    for arr, grad in zip((x, h, Wx, Wh, b), grads):
        assert_matches_numerical(grad, L.grad_check(f, arr, dnh))


def test_sequence_backward_matches_numerical_gradients(rng):
    x, h0, Wx, Wh, b = rnn_params(rng, 2, 5, 3, 4)
    dh = rng.standard_normal((2, 5, 4))
    _, cache = L.rnn_forward(x, h0, Wx, Wh, b)
    grads = L.rnn_backward(dh, cache)

    def f():
        return L.rnn_forward(x, h0, Wx, Wh, b)[0]

    for name, arr, grad in zip(("x", "h0", "Wx", "Wh", "b"), (x, h0, Wx, Wh, b), grads):
        assert_matches_numerical(grad, L.grad_check(f, arr, dh), name)


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 7), D=st.integers(1, 5), H=st.integers(1, 6),
       seed=st.integers(0, 2**31 - 1))
def test_sequence_functions_equal_a_loop_of_step_functions(N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    x, h0, Wx, Wh, b = rnn_params(rng, N, T, D, H, scale=1.0)
    dh = rng.standard_normal((N, T, H))
    h, cache = L.rnn_forward(x, h0, Wx, Wh, b)
    h_ref, grads_ref = rnn_loop(x, h0, Wx, Wh, b, dh)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-14)
    for g, r in zip(L.rnn_backward(dh, cache), grads_ref):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12)


def test_dtypes(rng):
    x, h0, Wx, Wh, b = rnn_params(rng, 2, 3, 2, 3, dtype=np.float32)
    h, cache = L.rnn_forward(x, h0, Wx, Wh, b)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in L.rnn_backward(np.ones_like(h), cache))
    h_int, _ = L.rnn_forward(*(np.ones(a.shape, np.int32) for a in (x, h0, Wx, Wh, b)))
    assert h_int.dtype == np.float64


def test_bad_input_names_the_argument(rng):
    x, h0, Wx, Wh, b = rnn_params(rng, 2, 3, 2, 3)
    with pytest.raises(ValueError, match=r"Wh: expected shape \(H, H\) = \(3, 3\), got \(3, 4\)"):
        L.rnn_forward(x, h0, Wx, np.zeros((3, 4)), b)
    with pytest.raises(ValueError, match=r"x: expected shape \(N, D\) = \(2, 3\), got \(2, 2\)"):
        L.rnn_step_forward(x[:, 0], h0, np.zeros((3, 3)), Wh, b)
    h, cache = L.rnn_forward(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"dh: expected shape \(N, T, H\) = \(2, 3, 3\)"):
        L.rnn_backward(h[:1], cache)
    with pytest.raises(ValueError, match="cache: expected the RNNStepCache"):
        L.rnn_step_backward(h[:, 0], cache)
