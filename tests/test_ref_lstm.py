"""The stacked LSTM: numerical gradients, sequence vs a loop of steps, dtypes, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lstm_ref as L
from ref_helpers import assert_matches_numerical, lstm_loop, lstm_params


def test_step_backward_matches_numerical_gradients(rng):
    N, D, H = 3, 4, 5
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)
    dnh, dnc = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    _, _, cache = L.lstm_step_forward(x, h, c, Wx, Wh, b)
    grads = L.lstm_step_backward(dnh, dnc, cache)

    def loss_parts():
        nh, nc, _ = L.lstm_step_forward(x, h, c, Wx, Wh, b)
        return np.stack([nh, nc])

    df = np.stack([dnh, dnc])
    for arr, grad in zip((x, h, c, Wx, Wh, b), grads):
        assert_matches_numerical(grad, L.grad_check(loss_parts, arr, df))


def test_sequence_backward_matches_numerical_gradients(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 4, 3, 4)
    dh = rng.standard_normal((2, 4, 4))
    _, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = L.lstm_backward(dh, cache)

    def f():
        return L.lstm_forward(x, h0, c0, Wx, Wh, b)[0]

    for name, arr, grad in zip(("x", "h0", "c0", "Wx", "Wh", "b"), (x, h0, c0, Wx, Wh, b), grads):
        assert_matches_numerical(grad, L.grad_check(f, arr, dh), name)


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 7), D=st.integers(1, 5), H=st.integers(1, 6),
       seed=st.integers(0, 2**31 - 1))
def test_sequence_functions_equal_a_loop_of_step_functions(N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H, scale=1.0)
    dh = rng.standard_normal((N, T, H))
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = L.lstm_backward(dh, cache)
    h_ref, grads_ref = lstm_loop(x, h0, c0, Wx, Wh, b, dh)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-14)
    for g, r in zip(grads, grads_ref):
        np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12)


def test_cache_exposes_gates_and_states_over_time(rng):
    N, T, D, H = 2, 5, 3, 4
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H)
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    prev_h, prev_c = h0, c0
    for t in range(T):
        nh, nc, sc = L.lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)
        for name in ("i", "f", "g", "o"):
            np.testing.assert_allclose(getattr(cache, name)[:, t], getattr(sc, name), atol=1e-14)
        np.testing.assert_allclose(cache.c[:, t], nc, atol=1e-14)
        np.testing.assert_allclose(cache.tanh_c[:, t], sc.tanh_next_c, atol=1e-14)
        prev_h, prev_c = nh, nc
    for name in ("i", "f", "g", "o", "c", "h"):
        assert getattr(cache, name).shape == (N, T, H)
    np.testing.assert_array_equal(cache.c_final, cache.c[:, -1])
    np.testing.assert_array_equal(cache.h_final, h[:, -1])
    for name, arr in (("x", x), ("h0", h0), ("c0", c0), ("Wx", Wx), ("Wh", Wh)):
        np.testing.assert_array_equal(getattr(cache, name), arr)


def test_returned_h_is_not_a_view_of_the_cache(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 3, 2, 3)
    dh = rng.standard_normal((2, 3, 3))
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    before = L.lstm_backward(dh, cache)
    h[...] = 1e6
    after = L.lstm_backward(dh, cache)
    for a, b_ in zip(before, after):
        np.testing.assert_array_equal(a, b_)


def test_c0_none_means_zeros(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 3, 2, 3)
    h_none, cache = L.lstm_forward(x, h0, None, Wx, Wh, b)
    h_zero, _ = L.lstm_forward(x, h0, np.zeros_like(c0), Wx, Wh, b)
    np.testing.assert_array_equal(h_none, h_zero)
    assert cache.c0.shape == (2, 3) and not cache.c0.any()


def test_dtypes_float32_stays_float32_integers_become_float64(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 3, 2, 3, dtype=np.float32)
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in L.lstm_backward(np.ones_like(h), cache))
    nh, nc, sc = L.lstm_step_forward(x[:, 0], h0, c0, Wx, Wh, b)
    assert nh.dtype == nc.dtype == np.float32
    assert all(g.dtype == np.float32 for g in L.lstm_step_backward(nh, nc, sc))
    ints = [np.ones(a.shape, dtype=np.int64) for a in (x, h0, c0, Wx, Wh, b)]
    h_int, _ = L.lstm_forward(*ints)
    assert h_int.dtype == np.float64
    h_mixed, _ = L.lstm_forward(x, h0, c0, Wx.astype(np.float64), Wh, b)
    assert h_mixed.dtype == np.float64
    np.testing.assert_allclose(h_int[:, 0], L.lstm_step_forward(*(a[:, 0] if a.ndim == 3 else a for a in ints))[0])


@pytest.mark.parametrize("which, bad, pattern", [
    ("x", np.zeros((2, 3)), r"x: expected a 3-d array of shape \(N, T, D\)"),
    ("h0", np.zeros((2, 4)), r"h0: expected shape \(N, H\) = \(2, 3\), got \(2, 4\)"),
    ("c0", np.zeros((1, 3)), r"c0: expected shape \(N, H\) = \(2, 3\), got \(1, 3\)"),
    ("x", np.zeros((2, 4, 5)), r"x: expected shape \(N, T, D\) = \(2, 4, 2\), got \(2, 4, 5\)"),
    ("Wh", np.zeros((3, 13)), r"Wh: expected shape \(H, 4H\) = \(3, 12\), got \(3, 13\)"),
    ("b", np.zeros(11), r"b: expected shape \(4H,\) = \(12,\), got \(11,\)"),
    ("x", np.zeros((2, 4, 2), dtype=complex), r"x: expected a float32, float64 or integer array"),
])
def test_bad_input_names_the_argument_and_both_shapes(rng, which, bad, pattern):
    args = dict(zip(("x", "h0", "c0", "Wx", "Wh", "b"), lstm_params(rng, 2, 4, 2, 3)))
    args[which] = bad
    with pytest.raises(ValueError, match=pattern):
        L.lstm_forward(**args)


def test_bad_step_input_and_bad_upstream_gradients(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 4, 2, 3)
    with pytest.raises(ValueError, match=r"prev_c: expected shape \(N, H\) = \(2, 3\), got \(2, 2\)"):
        L.lstm_step_forward(x[:, 0], h0, c0[:, :2], Wx, Wh, b)
    nh, nc, sc = L.lstm_step_forward(x[:, 0], h0, c0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"dnext_c: expected shape \(N, H\) = \(2, 3\), got \(3, 2\)"):
        L.lstm_step_backward(nh, nc.T, sc)
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    with pytest.raises(ValueError, match=r"dh: expected shape \(N, T, H\) = \(2, 4, 3\), got \(2, 3, 3\)"):
        L.lstm_backward(h[:, :3], cache)
    with pytest.raises(ValueError, match="cache: expected the LSTMCache"):
        L.lstm_backward(h, sc)
    with pytest.raises(ValueError, match="T >= 1"):
        L.lstm_forward(x[:, :0], h0, c0, Wx, Wh, b)


def test_large_preactivations_do_not_warn(rng):
    import warnings
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 3, 2, 3, scale=500.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
        grads = L.lstm_backward(np.ones_like(h), cache)
        nh, nc, sc = L.lstm_step_forward(x[:, 0], h0, c0, Wx, Wh, b)
        L.lstm_step_backward(nh, nc, sc)
    assert np.all(np.isfinite(h)) and all(np.all(np.isfinite(g)) for g in grads)
