"""The stacked LSTM: numerical gradients, the fast path vs the plain loop, dtypes, bad input."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import lstm_ref as L
from lstm_ref import _fast_lstm
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


@pytest.mark.parametrize("plain", [False, True], ids=["fast", "plain"])
def test_sequence_backward_matches_numerical_gradients(rng, plain):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 4, 3, 4)
    dh = rng.standard_normal((2, 4, 4))
    _, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b, plain=plain)
    grads = L.lstm_backward(dh, cache, plain=plain)

    def f():
        return L.lstm_forward(x, h0, c0, Wx, Wh, b, plain=plain)[0]

    for name, arr, grad in zip(("x", "h0", "c0", "Wx", "Wh", "b"), (x, h0, c0, Wx, Wh, b), grads):
        assert_matches_numerical(grad, L.grad_check(f, arr, dh), name)


def assert_fast_equals_plain(fast, plain, dtype, what=""):
    """float64: relative 1e-10 (absolute 1e-12 near zero); float32: |diff| / (1 + |plain|)
    <= 1e-5 (the two round differently: the fast path computes σ(a) as (1 + tanh(a/2)) / 2;
    the largest seen over 200 random cases was 1.1e-6)."""
    assert fast.dtype == plain.dtype == np.dtype(dtype), (what, fast.dtype, plain.dtype)
    if np.dtype(dtype) == np.float64:
        np.testing.assert_allclose(fast, plain, rtol=1e-10, atol=1e-12, err_msg=what)
    else:
        err = np.max(np.abs(fast.astype(np.float64) - plain) / (1 + np.abs(plain)), initial=0.0)
        assert err <= 1e-5, f"{what}: float32 difference {err:.2e}"


GRAD_NAMES = ("dx", "dh0", "dc0", "dWx", "dWh", "db")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 7), D=st.integers(1, 5), H=st.integers(1, 6),
       seed=st.integers(0, 2**31 - 1))
def test_fast_path_equals_the_plain_loop_of_step_functions(dtype, N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H, dtype=dtype, scale=1.0)
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = L.lstm_backward(dh, cache)
    h_ref, grads_ref = lstm_loop(x, h0, c0, Wx, Wh, b, dh)
    assert_fast_equals_plain(h, h_ref, dtype, "h")
    for name, g, r in zip(GRAD_NAMES, grads, grads_ref):
        assert_fast_equals_plain(g, r, dtype, name)


def test_both_caches_hold_the_same_states_and_each_backward_takes_either(rng):
    N, T, D, H = 3, 5, 2, 4
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H)
    dh = rng.standard_normal((N, T, H))
    _, fast = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    _, plain = L.lstm_forward(x, h0, c0, Wx, Wh, b, plain=True)
    assert plain.packed is None and plain.xh is None and fast.packed is not None
    for name in L.LSTMCache._fields:
        if name not in ("packed", "xh"):
            assert getattr(fast, name).shape == getattr(plain, name).shape, name
            np.testing.assert_allclose(getattr(fast, name), getattr(plain, name),
                                       rtol=1e-12, atol=1e-14, err_msg=name)
    np.testing.assert_array_equal(plain.h_all[:, 1:], plain.h)
    np.testing.assert_array_equal(plain.c_all[:, 0], c0)
    reference = L.lstm_backward(dh, plain, plain=True)
    for grads in (L.lstm_backward(dh, fast), L.lstm_backward(dh, fast, plain=True),
                  L.lstm_backward(dh, plain)):  # a plain cache has no fast buffers: the loop runs
        for name, g, r in zip(GRAD_NAMES, grads, reference):
            np.testing.assert_allclose(g, r, rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("chunk_steps", [1, 2, 3, 4])
def test_fast_backward_across_chunk_boundaries(dtype, chunk_steps):
    # At the sizes above a chunk is 2^19 / (N 6H itemsize) >= 455 steps, so the
    # backward loop never leaves its first chunk; T = 7 is no multiple of 2, 3 or 4.
    rng = np.random.default_rng(chunk_steps)
    N, T, D, H = 3, 7, 2, 5
    x, h0, c0, Wx, Wh, b = lstm_params(rng, N, T, D, H, dtype=dtype, scale=1.0)
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    _, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    assert _fast_lstm._CHUNK_BYTES // (N * 6 * H * np.dtype(dtype).itemsize) > T
    _, grads_ref = lstm_loop(x, h0, c0, Wx, Wh, b, dh)
    for name, g, r in zip(GRAD_NAMES, _fast_lstm.backward(dh, cache, chunk_steps=chunk_steps), grads_ref):
        assert_fast_equals_plain(g, r, dtype, f"{name} (chunks of {chunk_steps})")


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
