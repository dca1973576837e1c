"""Conversions between the per-gate form, the stacked form and PyTorch's layout."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L


def test_stack_and_split_are_inverse(rng):
    D, H = 3, 4
    Wx, Wh, b = rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)
    params = L.split_gates(Wx, Wh, b)
    assert isinstance(params, L.GateParams)
    assert params.W_f.shape == (H, H + D) and params.b_o.shape == (H,)
    for got, want in zip(L.stack_gates(*params), (Wx, Wh, b)):
        np.testing.assert_array_equal(got, want)
    again = L.split_gates(*L.stack_gates(**params._asdict()))
    for got, want in zip(again, params):
        np.testing.assert_array_equal(got, want)


def test_gate_blocks_land_in_order_i_f_g_o(rng):
    D, H = 2, 3
    Ws = [np.full((H, H + D), float(k)) for k in range(4)]
    bs = [np.full(H, 10.0 + k) for k in range(4)]
    Wx, Wh, b = L.stack_gates(*Ws, *bs)
    assert Wx.shape == (D, 4 * H) and Wh.shape == (H, 4 * H)
    for k in range(4):
        assert np.all(Wx[:, k * H:(k + 1) * H] == k) and np.all(Wh[:, k * H:(k + 1) * H] == k)
        assert np.all(b[k * H:(k + 1) * H] == 10 + k)


def test_h_part_and_x_part_of_the_per_gate_weight(rng):
    D, H = 2, 3
    Wx, Wh, b = rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)
    p = L.split_gates(Wx, Wh, b)
    np.testing.assert_array_equal(p.W_c[:, :H], Wh[:, 2 * H:3 * H].T)
    np.testing.assert_array_equal(p.W_c[:, H:], Wx[:, 2 * H:3 * H].T)


def test_torch_layout_round_trip(rng):
    D, H = 3, 2
    wi, wh = rng.standard_normal((4 * H, D)), rng.standard_normal((4 * H, H))
    bi, bh = rng.standard_normal(4 * H), rng.standard_normal(4 * H)
    Wx, Wh, b = L.from_torch_lstm(wi, wh, bi, bh)
    np.testing.assert_array_equal(Wx, wi.T)
    np.testing.assert_array_equal(Wh, wh.T)
    np.testing.assert_allclose(b, bi + bh)
    wi2, wh2, bi2, bh2 = L.to_torch_lstm(Wx, Wh, b)
    np.testing.assert_array_equal(wi2, wi)
    np.testing.assert_array_equal(wh2, wh)
    np.testing.assert_allclose(bi2 + bh2, bi + bh)
    assert not bh2.any()


def test_rnn_and_gru_torch_layouts(rng):
    D, H = 3, 2
    Wx, Wh, b = L.from_torch_rnn(rng.standard_normal((H, D)), np.eye(H), np.ones(H), np.ones(H))
    assert Wx.shape == (D, H) and np.all(b == 2) and np.all(Wh == np.eye(H))
    wi, wh = rng.standard_normal((3 * H, D)), rng.standard_normal((3 * H, H))
    Wx, Wh, bx, bh = L.from_torch_gru(wi, wh, np.zeros(3 * H), np.ones(3 * H))
    np.testing.assert_array_equal(Wx, wi.T)
    np.testing.assert_array_equal(Wh, wh.T)
    assert not bx.any() and np.all(bh == 1)


def test_bad_layouts_name_the_argument():
    with pytest.raises(ValueError, match=r"weight_ih: expected shape \(4H, D\) = \(8, D\), got \(6, 3\)"):
        L.from_torch_lstm(np.zeros((6, 3)), np.zeros((8, 2)), np.zeros(8), np.zeros(8))
    with pytest.raises(ValueError, match=r"Wx: expected shape \(D, 4H\) = \(3, 8\), got \(3, 6\)"):
        L.split_gates(np.zeros((3, 6)), np.zeros((2, 8)), np.zeros(8))
    with pytest.raises(ValueError, match=r"W_o: expected shape \(H, H \+ D\) = \(2, 5\) like W_i, got \(2, 4\)"):
        L.stack_gates(*[np.zeros((2, 5))] * 3, np.zeros((2, 4)), *[np.zeros(2)] * 4)
