"""Carrying the LSTM state across batches (truncated BPTT): lstm_ref.state and CharLSTM(carry_state=True)."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L
from ref_helpers import assert_matches_numerical, lstm_params


def test_consecutive_windows_continue_each_other():
    ids = np.arange(103)
    windows = list(L.consecutive_windows(ids, N=4, T=5))
    rows = ids[:100].reshape(4, 25)
    assert len(windows) == (25 - 1) // 5
    for k, (x, y) in enumerate(windows):
        np.testing.assert_array_equal(x, rows[:, 5 * k:5 * k + 5])
        np.testing.assert_array_equal(y, rows[:, 5 * k + 1:5 * k + 6])
    np.testing.assert_array_equal(windows[1][0][:, 0], windows[0][0][:, -1] + 1)


def test_consecutive_windows_bad_inputs():
    with pytest.raises(ValueError, match="ids: a stream of 10 ids gives rows of 2 for N = 5, too short"):
        L.consecutive_windows(np.arange(10), N=5, T=3)
    with pytest.raises(ValueError, match=r"ids: expected a 1-d stream of shape \(S,\), got shape \(2, 5\)"):
        L.consecutive_windows(np.zeros((2, 5), int), N=1, T=2)
    with pytest.raises(ValueError, match="T: expected an integer >= 1, got 0"):
        L.consecutive_windows(np.arange(10), N=1, T=0)


def test_lstm_backward_with_state_gradients(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 4, 3, 3)
    dh, dh_final, dc_final = (rng.standard_normal(s) for s in ((2, 4, 3), (2, 3), (2, 3)))

    def outputs():
        h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
        return np.concatenate([h.ravel(), cache.h_final.ravel(), cache.c_final.ravel()])

    df = np.concatenate([dh.ravel(), dh_final.ravel(), dc_final.ravel()])
    _, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = L.lstm_backward_with_state(dh, cache, dh_final, dc_final)
    for name, a, g in zip(("x", "h0", "c0", "Wx", "Wh", "b"), (x, h0, c0, Wx, Wh, b), grads):
        assert_matches_numerical(g, L.grad_check(outputs, a, df), name)
    # Without dc_final it is lstm_backward with dh_final added at the last step.
    dh2 = dh.copy()
    dh2[:, -1] += dh_final
    for a, b_ in zip(L.lstm_backward_with_state(dh, cache, dh_final), L.lstm_backward(dh2, cache)):
        np.testing.assert_allclose(a, b_, rtol=1e-12, atol=1e-14)


def test_final_state_is_a_copy_and_checks_its_cache(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 3, 2, 3)
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b)
    h_T, c_T = L.final_state(cache)
    np.testing.assert_array_equal(h_T, h[:, -1])
    h_T[:] = 0
    assert np.all(cache.h_final != 0)
    with pytest.raises(ValueError, match="cache: expected the LSTMCache of lstm_forward or the "
                                         "StackedLSTMCache of stacked_lstm_forward, got tuple"):
        L.final_state((h, h))


def two_windows(rng, V=5, N=3, T=4):
    stream = rng.integers(0, V, 2 * N * T + N + 3)
    (x1, y1), (x2, y2) = list(L.consecutive_windows(stream, N, T))[:2]
    return (x1, y1), (x2, y2)


def test_carried_state_gives_the_loss_of_the_unbroken_stream(rng):
    (x1, y1), (x2, y2) = two_windows(rng)
    carried = L.CharLSTM(5, 4, embed_dim=3, seed=1, carry_state=True)
    fresh = L.CharLSTM(5, 4, embed_dim=3, seed=1)
    loss1, _ = carried.loss(x1, y1)
    assert loss1 == pytest.approx(fresh.loss(x1, y1)[0], rel=1e-14), "the first window starts from zeros"
    loss2, _ = carried.loss(x2, y2)
    # Reading both windows in one pass and scoring only the second half is the same forward computation.
    scores, _ = fresh.forward(np.concatenate([x1, x2], axis=1))
    expected, _ = L.temporal_softmax_loss(scores[:, x1.shape[1]:], y2)
    assert loss2 == pytest.approx(expected, rel=1e-12)
    assert abs(loss2 - fresh.loss(x2, y2)[0]) > 1e-4, "starting window 2 from zeros gives another loss"
    carried.reset_state()
    assert carried.loss(x2, y2)[0] == pytest.approx(fresh.loss(x2, y2)[0], rel=1e-14)


def test_no_gradient_crosses_the_batch_boundary(rng):
    (x1, y1), (x2, y2) = two_windows(rng)
    model = L.CharLSTM(5, 4, embed_dim=3, seed=2, carry_state=True)
    model.loss(x1, y1)
    h0, c0 = (a.copy() for a in model.state)
    _, grads = model.loss(x2, y2)

    def window2_loss(h0=h0, c0=c0):  # the carried states held fixed: constants, not functions of Wh
        scores, _ = model.forward(x2, h0, c0)
        return np.array(L.temporal_softmax_loss(scores, y2)[0])

    truncated = L.grad_check(window2_loss, model.params["Wh"], np.array(1.0))
    assert_matches_numerical(grads["Wh"], truncated, "dWh with the carried state held fixed")

    # Full BPTT through both windows differs: its gradient also flows into window 1.
    T = x1.shape[1]
    fresh = L.CharLSTM(5, 4, embed_dim=3, seed=2)

    def second_half_loss():
        scores, _ = fresh.forward(np.concatenate([x1, x2], axis=1))
        return np.array(L.temporal_softmax_loss(scores[:, T:], y2)[0])

    full = L.grad_check(second_half_loss, fresh.params["Wh"], np.array(1.0))
    assert L.rel_error(full, truncated) > 1e-3


def test_carry_state_refuses_a_new_batch_size(rng):
    (x1, y1), _ = two_windows(rng)
    model = L.CharLSTM(5, 4, seed=0, carry_state=True)
    model.loss(x1, y1)
    with pytest.raises(ValueError, match="x_ids: carry_state needs every batch to have the carried "
                                         "N = 3 rows, got 2; call reset_state"):
        model.loss(x1[:2], y1[:2])


def test_training_over_a_stream_with_carried_state(rng):
    text = "abcab" * 2000
    vocab = L.CharVocab.from_text(text)
    ids = vocab.encode(text)
    model = L.CharLSTM(vocab, 8, seed=0, carry_state=True)
    history = L.train(model, L.consecutive_windows(ids, N=4, T=10), L.Adam(2e-2), steps=200, every=20)
    assert len(history) == 10
    assert model.state is not None and model.state[0].shape == (4, 8)
    assert history[-1].perplexity < 1.5 < history[0].perplexity, "the periodic stream becomes predictable"
