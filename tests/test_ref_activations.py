from __future__ import annotations

import warnings

import numpy as np
import pytest

from lstm_ref import sigmoid, sigmoid_grad, tanh, tanh_grad


def test_sigmoid_matches_its_definition_where_that_is_safe():
    x = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)


def test_sigmoid_never_warns_and_saturates_at_extremes():
    x = np.array([-1e308, -1000.0, -745.0, -50.0, 0.0, 50.0, 1000.0, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
        s32 = sigmoid(np.float32([-1000, 1000, -100, 100]))
        g = sigmoid_grad(x)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[4] == 0.5
    assert s[3] == pytest.approx(np.exp(-50.0), rel=1e-14)  # tiny values keep their precision
    assert np.all(np.isfinite(g)) and g[1] == 0.0
    assert s32.dtype == np.float32 and list(s32[:2]) == [0.0, 1.0]


def test_symmetry_sigmoid_of_minus_x_is_one_minus_sigmoid():
    x = np.random.default_rng(0).standard_normal(1000) * 10
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)


@pytest.mark.parametrize("f, df", [(sigmoid, sigmoid_grad), (tanh, tanh_grad)])
def test_derivatives_match_central_differences(f, df):
    x = np.linspace(-6, 6, 121)
    h = 1e-6
    np.testing.assert_allclose(df(x), (f(x + h) - f(x - h)) / (2 * h), atol=1e-9)


def test_dtypes_float32_stays_integers_become_float64():
    for f in (sigmoid, tanh, sigmoid_grad, tanh_grad):
        assert f(np.ones(3, np.float32)).dtype == np.float32
        assert f(np.arange(3)).dtype == np.float64
        assert f(np.array([True, False])).dtype == np.float64


def test_refuses_strings_and_complex():
    with pytest.raises(ValueError, match="x: expected a float32, float64 or integer"):
        sigmoid(np.array(["a"]))
    with pytest.raises(ValueError, match="complex"):
        tanh(np.array([1j]))
