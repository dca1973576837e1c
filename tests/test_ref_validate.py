"""lstm_ref.validate, the one home of the input checks: sizes, rates, seeds and shapes."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref
from lstm_ref.validate import check_int, check_positive, check_rng, check_shape


def test_check_int_takes_integers_and_refuses_bools_floats_and_small_values():
    assert check_int("N", 3, 1) == 3 and type(check_int("N", np.int64(3), 1)) is int
    for bad in (0, -1, True, 2.0, "2", None):
        with pytest.raises(ValueError, match=f"N: expected an integer >= 1, got {bad!r}"):
            check_int("N", bad, 1)


def test_check_positive_takes_finite_numbers_above_zero():
    assert check_positive("lr", 0.5) == 0.5 and check_positive("lr", 0, allow_zero=True) == 0.0
    for bad in (0, -1e-3, float("nan"), float("inf"), "fast", None, True):
        with pytest.raises(ValueError, match="lr: expected a finite number > 0"):
            check_positive("lr", bad)


def test_one_seed_policy_an_int_seed_or_a_generator():
    g = np.random.default_rng(5)
    assert check_rng(g) is g  # used as it is: calls continue its stream
    a, b = check_rng(7).standard_normal(4), check_rng(7).standard_normal(4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.random.default_rng(7).standard_normal(4))
    assert isinstance(check_rng(None), np.random.Generator)
    for bad in (-1, 1.5, True, "7", np.random.RandomState(0)):
        with pytest.raises(ValueError, match="seed: expected an integer seed >= 0 or a numpy.random.Generator"):
            check_rng(bad, "seed")


def test_every_seeded_entry_point_follows_the_policy():
    # Models, data generators and experiments all take an int seed or a Generator.
    m1 = lstm_ref.SequenceModel(2, 3, 1, seed=4)
    m2 = lstm_ref.SequenceModel(2, 3, 1, seed=np.random.default_rng(4))
    np.testing.assert_array_equal(m1.params["Wx"], m2.params["Wx"])
    x1, y1 = lstm_ref.adding_problem(3, 5, 9)
    x2, y2 = lstm_ref.adding_problem(3, 5, np.random.default_rng(9))
    np.testing.assert_array_equal(x1, x2)
    with pytest.raises(ValueError, match="seed: expected an integer seed >= 0"):
        lstm_ref.CharLSTM(5, 3, seed=-2)
    with pytest.raises(ValueError, match="rng: expected an integer seed >= 0"):
        lstm_ref.copy_task(2, 3, 4, rng=0.5)


@pytest.mark.parametrize("shape, spec, dims, message", [
    ((2, 3), ("N", "T", "D"), {"D": 2}, r"a: expected a 3-d array of shape \(N, T, D\) = \(N, T, 2\), got \(2, 3\)$"),
    ((2, 3), ("N", "T", "D"), {}, r"a: expected a 3-d array of shape \(N, T, D\), got \(2, 3\)$"),
    ((3, 13), ("H", "4H"), {}, r"a: expected shape \(H, 4H\) = \(3, 12\), got \(3, 13\)$"),
    ((11,), ("4H",), {"H": 3}, r"a: expected shape \(4H,\) = \(12,\), got \(11,\)$"),
    ((2, 4), (3, "H"), {}, r"a: expected shape \(3, H\), got \(2, 4\)$"),
])
def test_check_shape_names_the_argument_the_expected_and_the_actual_shape(shape, spec, dims, message):
    with pytest.raises(ValueError, match=message):
        check_shape("a", np.zeros(shape), spec, dict(dims))


def test_check_shape_binds_letters():
    dims: dict = {}
    check_shape("Wh", np.zeros((3, 12)), ("H", "4H"), dims)
    assert dims == {"H": 3}
    check_shape("x", np.zeros((2, 5, 4)), ("N", "T", "D"), dims)
    assert dims == {"H": 3, "N": 2, "T": 5, "D": 4}
