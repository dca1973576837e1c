"""Greff et al.'s LSTM variants (lstm_ref.ablations): each one's equations, and its gradients by central differences."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L
from ref_helpers import assert_matches_numerical, lstm_params


@pytest.fixture
def inputs(rng):
    x, h0, c0, Wx, Wh, b = lstm_params(rng, 2, 4, 3, 3)
    return x, h0, c0, Wx, Wh, b, rng.standard_normal((3, 3)) * 0.5


@pytest.mark.parametrize("variant", L.ABLATIONS)
def test_every_gradient_of_every_variant(inputs, variant, rng):
    x, h0, c0, Wx, Wh, b, P = inputs
    dh = rng.standard_normal((2, 4, 3))
    _, cache = L.ablation_forward(x, h0, c0, Wx, Wh, b, P, variant)
    grads = L.ablation_backward(dh, cache)
    f = lambda: L.ablation_forward(x, h0, c0, Wx, Wh, b, P, variant)[0]  # noqa: E731
    for name, a, g in zip(("x", "h0", "c0", "Wx", "Wh", "b", "P"), (x, h0, c0, Wx, Wh, b, P), grads):
        assert_matches_numerical(g, L.grad_check(f, a, dh), f"{variant} d{name}")


def test_vanilla_is_the_peephole_lstm_and_np_the_plain_lstm(inputs):
    x, h0, c0, Wx, Wh, b, P = inputs
    np.testing.assert_allclose(L.ablation_forward(x, h0, c0, Wx, Wh, b, P, "vanilla")[0],
                               L.peephole_forward(x, h0, c0, Wx, Wh, b, P)[0], rtol=1e-12)
    np.testing.assert_allclose(L.ablation_forward(x, h0, c0, Wx, Wh, b, P, "NP")[0],
                               L.lstm_forward(x, h0, c0, Wx, Wh, b)[0], rtol=1e-12)


def test_each_variant_changes_what_its_name_says(inputs):
    x, h0, c0, Wx, Wh, b, P = inputs
    caches = {v: L.ablation_forward(x, h0, c0, Wx, Wh, b, P, v)[1] for v in L.ABLATIONS}
    assert np.all(caches["NIG"].i == 1) and np.all(caches["NFG"].f == 1) and np.all(caches["NOG"].o == 1)
    np.testing.assert_allclose(caches["CIFG"].f, 1 - caches["CIFG"].i)
    np.testing.assert_allclose(caches["NOAF"].s, caches["NOAF"].c)
    assert np.abs(caches["NIAF"].g).max() > 1, "the unsquashed candidate leaves (-1, 1)"
    dP = L.ablation_backward(np.ones((2, 4, 3)), caches["NP"])[-1]
    assert np.all(dP == 0)
    # The unused columns get no gradient: the forget gate's in NFG and CIFG.
    for v in ("NFG", "CIFG"):
        dWx = L.ablation_backward(np.ones((2, 4, 3)), caches[v])[3]
        assert np.all(dWx[:, 3:6] == 0), v


def test_bad_inputs(inputs):
    x, h0, c0, Wx, Wh, b, P = inputs
    with pytest.raises(ValueError, match=r"variant: expected one of \('vanilla', 'NIG'"):
        L.ablation_forward(x, h0, c0, Wx, Wh, b, P, "FGR")
    with pytest.raises(ValueError, match=r"P: expected shape \(3, H\) = \(3, 3\), got \(4, 3\)"):
        L.ablation_forward(x, h0, c0, Wx, Wh, b, np.zeros((4, 3)))
    _, cache = L.ablation_forward(x, h0, c0, Wx, Wh, b, P)
    with pytest.raises(ValueError, match=r"dh: expected shape \(N, T, H\) = \(2, 4, 3\), got \(2, 3, 3\)"):
        L.ablation_backward(np.zeros((2, 3, 3)), cache)
    with pytest.raises(ValueError, match="cache: expected the AblationCache returned by ablation_forward"):
        L.ablation_backward(np.zeros((2, 4, 3)), L.lstm_forward(x, h0, c0, Wx, Wh, b)[1])
