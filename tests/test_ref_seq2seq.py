"""lstm_ref.seq2seq: the encoder-decoder's gradients by central differences, decoding, and training on reversal."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L


def assert_gradient(analytic, numeric, name):
    """``assert_matches_numerical``, but the relative error is taken over entries above 1e-6:
    in two layers some gradients are about 1e-8, where the central difference's own
    rounding (about 1e-11 absolute) is already a relative 1e-3."""
    big = np.abs(numeric) > 1e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9, err_msg=name)
    assert big.any() and L.rel_error(analytic[big], numeric[big]) < 1e-4, name


@pytest.mark.parametrize("attention, layers", [(False, 1), (True, 1), (True, 2)])
def test_every_parameter_gradient(attention, layers, rng):
    model = L.Seq2Seq(L.DIGITS_V, 3, 4, layers=layers, attention=attention, seed=1)
    src, tgt_in, tgt_out = L.reverse_digits(2, 4, rng)
    loss, grads = model.loss(src, tgt_in, tgt_out)
    assert set(grads) == set(model.params)
    # The numerical side needs the loss only: the forward pass and the loss ``loss`` computes,
    # without the backward pass ``loss`` adds to every one of the 2 x (377 to 709) evaluations.
    f = lambda: np.array(L.temporal_softmax_loss(model.forward(src, tgt_in)[0], tgt_out)[0])  # noqa: E731
    assert f() == loss
    for name, p in model.params.items():
        assert grads[name].shape == p.shape, name
        assert_gradient(grads[name], L.grad_check(f, p, np.array(1.0)), name)


def test_the_decoder_starts_from_the_encoder_states(rng):
    model = L.Seq2Seq(L.DIGITS_V, 3, 4, attention=False, seed=0)
    src, tgt_in, _ = L.reverse_digits(3, 5, rng)
    scores, cache = model.forward(src, tgt_in)
    np.testing.assert_array_equal(cache.dec.layers[0].h0, cache.enc.h_final[0])
    # Without attention, the scores depend on the source only through h_S, c_S.
    src2 = src.copy()
    src2[:, 0] = (src2[:, 0] + 1) % 10
    scores2, cache2 = model.forward(src2, tgt_in)
    assert not np.allclose(scores, scores2)


def test_generate_shapes_and_attention_weights(rng):
    model = L.Seq2Seq(L.DIGITS_V, 3, 4, attention=True, seed=0)
    src, _, _ = L.reverse_digits(2, 6, rng)
    tokens, weights = model.generate(src, 6)
    assert tokens.shape == (2, 6) and weights.shape == (2, 6, 6)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    # Greedy decoding equals teacher forcing on its own outputs.
    tgt_in = np.concatenate([np.full((2, 1), L.GO), tokens[:, :-1]], axis=1)
    scores, cache = model.forward(src, tgt_in)
    np.testing.assert_array_equal(scores.argmax(-1), tokens)
    np.testing.assert_allclose(cache.weights, weights, rtol=1e-10)
    assert L.Seq2Seq(L.DIGITS_V, 3, 4, seed=0).generate(src, 3)[1] is None


def test_bad_inputs(rng):
    model = L.Seq2Seq(L.DIGITS_V, 3, 4)
    src, tgt_in, tgt_out = L.reverse_digits(2, 3, rng)
    with pytest.raises(ValueError, match=r"src: expected ids in \[0, V\) = \[0, 11\), got values in \[0, 11\]"):
        model.loss(np.array([[0, 11]]), tgt_in[:1, :2], tgt_out[:1, :2])
    with pytest.raises(ValueError, match=r"tgt_in: expected shape \(N, T\) = \(2, T\), got \(3, 3\)"):
        model.loss(src, np.zeros((3, 3), int), tgt_out)
    with pytest.raises(ValueError, match=r"tgt_out: expected shape \(N, T\) = \(2, 3\), got \(2, 2\)"):
        model.loss(src, tgt_in, tgt_out[:, :2])
    with pytest.raises(ValueError, match="layers: expected an integer >= 1, got 0"):
        L.Seq2Seq(11, 3, 4, layers=0)
    with pytest.raises(ValueError, match="length: expected an integer >= 1, got 0"):
        L.reverse_digits(2, 0, rng)


def test_attention_learns_to_reverse(rng):
    # 250 steps: 0.95 of the digits right with attention, 0.78 without (at 400 steps the model
    # without attention also passes, 0.93), so the accuracy asks for the attention too.
    model = L.Seq2Seq(L.DIGITS_V, 8, 24, attention=True, seed=0)
    data = np.random.default_rng(0)
    batches = lambda: L.reverse_digits(32, int(data.integers(3, 7)), data)  # noqa: E731
    L.train(model, batches, L.Adam(0.01), steps=250, every=100)
    src, _, tgt = L.reverse_digits(200, 5, np.random.default_rng(1))
    tokens, weights = model.generate(src, 5)
    assert np.mean(tokens == tgt) > 0.9
    # The first output looks mostly at the last input.
    assert np.mean(weights[:, 0].argmax(-1) == 4) > 0.8
