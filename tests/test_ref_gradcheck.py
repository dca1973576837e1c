from __future__ import annotations

import numpy as np
import pytest

from lstm_ref import grad_check, rel_error


def test_grad_check_of_a_known_function_and_restores_x(rng):
    x = rng.standard_normal((3, 4))
    x0 = x.copy()
    df = rng.standard_normal((3, 4))
    num = grad_check(lambda: np.sin(x) * x, x, df)
    np.testing.assert_allclose(num, (np.cos(x0) * x0 + np.sin(x0)) * df, rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(x, x0)


def test_grad_check_refuses_non_float_x_and_wrong_df():
    with pytest.raises(ValueError, match="x: expected a floating ndarray"):
        grad_check(lambda: 0, np.arange(3), np.ones(3))
    x = np.ones(3)
    with pytest.raises(ValueError, match=r"df: expected the shape of f\(\)'s output \(3,\), got \(2,\)"):
        grad_check(lambda: x * 2, x, np.ones(2))


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error(np.array([1.0, 0.0]), np.array([3.0, 0.0])) == pytest.approx(0.5)
    assert rel_error(np.array([1e-12]), np.array([0.0])) == pytest.approx(1e-4)  # floor 1e-8
    with pytest.raises(ValueError, match="b: expected the shape of a"):
        rel_error(np.ones(2), np.ones(3))
