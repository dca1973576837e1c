"""Random parameters and loop-of-steps references shared by the lstm_ref tests."""
from __future__ import annotations

import numpy as np

import lstm_ref as L


def lstm_params(rng, N, T, D, H, dtype=np.float64, scale=0.5):
    """x (N, T, D), h0, c0 (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,)."""
    def r(*shape):
        return (rng.standard_normal(shape) * scale).astype(dtype)
    return r(N, T, D), r(N, H), r(N, H), r(D, 4 * H), r(H, 4 * H), r(4 * H)


def rnn_params(rng, N, T, D, H, dtype=np.float64, scale=0.5):
    """x (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H,)."""
    def r(*shape):
        return (rng.standard_normal(shape) * scale).astype(dtype)
    return r(N, T, D), r(N, H), r(D, H), r(H, H), r(H)


def lstm_loop(x, h0, c0, Wx, Wh, b, dh):
    """Forward and backward by lstm_ref's plain loops of the step functions: (h, grads)."""
    h, cache = L.lstm_forward(x, h0, c0, Wx, Wh, b, plain=True)
    return h, L.lstm_backward(dh, cache, plain=True)


def rnn_loop(x, h0, Wx, Wh, b, dh):
    """Forward and backward of the RNN by a plain loop of the step functions."""
    T = x.shape[1]
    h, hs, caches = h0, [], []
    for t in range(T):
        h, cache = L.rnn_step_forward(x[:, t], h, Wx, Wh, b)
        hs.append(h)
        caches.append(cache)
    dx = np.zeros_like(x)
    dprev_h = np.zeros_like(h0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(T)):
        dx[:, t], dprev_h, a, w, v = L.rnn_step_backward(dh[:, t] + dprev_h, caches[t])
        dWx, dWh, db = dWx + a, dWh + w, db + v
    return np.stack(hs, axis=1), (dx, dprev_h, dWx, dWh, db)


def assert_matches_numerical(analytic, numeric, name=""):
    """Analytic vs central-difference gradient. Central differences carry an
    absolute rounding error of about eps·|L|/h ≈ 1e-10, so tiny entries are
    compared absolutely and the rest relatively (a wrong formula is off by O(1))."""
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9, err_msg=name)
    assert L.rel_error(analytic, numeric) < 1e-4, name


def ours_vs_torch(kind: str, case: dict) -> dict:
    """Run lstm_ref on a fixture case (PyTorch layout); return {name: (ours, torch's)}.

    ``case`` holds the inputs and torch's results as written by
    ``tests/fixtures/make_fixtures.py``; weight gradients are compared in
    torch's layout, and both of torch's bias gradients against our ``db``.
    """
    w = [case[k] for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    x, h0, dh = case["x"], case["h0"], case["dh"]
    if kind == "lstm":
        Wx, Wh, b = L.from_torch_lstm(*w)
        h, cache = L.lstm_forward(x, h0, case["c0"], Wx, Wh, b)
        dx, dh0, dc0, dWx, dWh, db = L.lstm_backward(dh, cache)
        dbx = dbh = db
    elif kind == "rnn":
        Wx, Wh, b = L.from_torch_rnn(*w)
        h, cache = L.rnn_forward(x, h0, Wx, Wh, b)
        dx, dh0, dWx, dWh, db = L.rnn_backward(dh, cache)
        dbx = dbh = db
    elif kind == "gru":
        Wx, Wh, bx, bh = L.from_torch_gru(*w)
        h, cache = L.gru_forward(x, h0, Wx, Wh, bx, bh)
        dx, dh0, dWx, dWh, dbx, dbh = L.gru_backward(dh, cache)
    else:
        raise ValueError(f"kind: expected 'lstm', 'rnn' or 'gru', got {kind!r}")
    pairs = {"h": (h, case["h"]), "dx": (dx, case["dx"]), "dh0": (dh0, case["dh0"]),
             "dweight_ih": (dWx.T, case["dweight_ih"]), "dweight_hh": (dWh.T, case["dweight_hh"]),
             "dbias_ih": (dbx, case["dbias_ih"]), "dbias_hh": (dbh, case["dbias_hh"])}
    if kind == "lstm":
        pairs["dc0"] = (dc0, case["dc0"])
    return pairs


def assert_close_to_torch(pairs: dict, dtype) -> None:
    """float64: relative 1e-10 (absolute 1e-12 near zero); float32: |diff| / (1 + |ref|) <= 3e-5,
    the floor set by torch's own float32 paths (docs/performance.md)."""
    for name, (ours, ref) in pairs.items():
        assert ours.shape == ref.shape, name
        assert ours.dtype == np.dtype(dtype), (name, ours.dtype)
        if np.dtype(dtype) == np.float64:
            np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)
        else:
            err = np.max(np.abs(ours.astype(np.float64) - ref) / (1 + np.abs(ref)))
            assert err <= 3e-5, f"{name}: float32 error {err:.2e}"
