"""lstm_ref.variants: peephole LSTM, coupled-gate LSTM and GRU.

Every backward function is checked against central differences, every
sequence function against a loop of its step function, and the variants
against the plain LSTM where they reduce to it. Live PyTorch comparisons of
the GRU are in test_ref_gru_torch.py.
"""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref
from lstm_ref import grad_check, rel_error
from lstm_ref.variants import (
    CoupledCache, GRUCache, PeepholeCache,
    coupled_backward, coupled_forward, coupled_step_backward, coupled_step_forward,
    gru_backward, gru_forward, gru_step_backward, gru_step_forward,
    peephole_backward, peephole_forward, peephole_step_backward, peephole_step_forward,
    to_torch_gru, from_torch_gru,
)

pytestmark = pytest.mark.filterwarnings("error")

N, T, D, H = 3, 4, 5, 4
GRAD_TOL = 1e-6       # float64 analytic vs central differences, elementwise rel_error


def sig(a):
    return 1 / (1 + np.exp(-a))


def params(rng, gates, scale=0.5):
    """Random stacked weights Wx (D, gH), Wh (H, gH), b (gH,) in float64."""
    return (rng.normal(0, scale, (D, gates * H)), rng.normal(0, scale, (H, gates * H)),
            rng.normal(0, scale, gates * H))


# ---------------------------------------------------------------- variants' definitions

def gru_by_hand(x, h0, Wx, Wh, bx, bh):
    """The GRU written out from PyTorch's documented equations, one step at a time."""
    W_ir, W_iz, W_in = np.split(Wx, 3, axis=1)
    W_hr, W_hz, W_hn = np.split(Wh, 3, axis=1)
    b_ir, b_iz, b_in = np.split(bx, 3)
    b_hr, b_hz, b_hn = np.split(bh, 3)
    h, out = h0, []
    for t in range(x.shape[1]):
        xt = x[:, t]
        r = sig(xt @ W_ir + b_ir + h @ W_hr + b_hr)
        z = sig(xt @ W_iz + b_iz + h @ W_hz + b_hz)
        n = np.tanh(xt @ W_in + b_in + r * (h @ W_hn + b_hn))
        h = (1 - z) * n + z * h
        out.append(h)
    return np.stack(out, axis=1)


def test_gru_forward_follows_the_documented_equations(rng):
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, bx = params(rng, 3)
    bh = rng.normal(size=3 * H)
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    np.testing.assert_allclose(h, gru_by_hand(x, h0, Wx, Wh, bx, bh), rtol=1e-12, atol=1e-13)
    assert isinstance(cache, GRUCache)
    for name in ("r", "z", "n", "h"):
        assert getattr(cache, name).shape == (N, T, H)
    np.testing.assert_array_equal(cache.h_final, h[:, -1])


def test_peephole_follows_the_gers_schmidhuber_equations(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    h, cache = peephole_forward(x, h0, c0, Wx, Wh, b, P)
    hp, cp = h0, c0
    for t in range(T):
        a = x[:, t] @ Wx + hp @ Wh + b
        i = sig(a[:, :H] + P[0] * cp)
        f = sig(a[:, H:2 * H] + P[1] * cp)
        g = np.tanh(a[:, 2 * H:3 * H])
        cp = f * cp + i * g
        o = sig(a[:, 3 * H:] + P[2] * cp)      # the output gate sees the new cell
        hp = o * np.tanh(cp)
        np.testing.assert_allclose(h[:, t], hp, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(cache.o[:, t], o, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(cache.c_final, cp, rtol=1e-12, atol=1e-13)


def test_peephole_with_zero_peepholes_is_the_plain_lstm(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    h, cache = peephole_forward(x, h0, c0, Wx, Wh, b, np.zeros((3, H)))
    h_ref, cache_ref = lstm_ref.lstm_forward(x, h0, c0, Wx, Wh, b)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.c, cache_ref.c, rtol=1e-12, atol=1e-14)

    dh = rng.normal(size=(N, T, H))
    grads = peephole_backward(dh, cache)
    grads_ref = lstm_ref.lstm_backward(dh, cache_ref)
    for name, ours, ref in zip(("dx", "dh0", "dc0", "dWx", "dWh", "db"), grads[:6], grads_ref):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)
    assert np.any(grads[6] != 0), "dP must still flow when P = 0"


def test_coupled_equals_an_lstm_whose_input_gate_mirrors_the_forget_gate(rng):
    # σ(−a) = 1 − σ(a): an LSTM with input-gate weights = −(forget-gate weights)
    # has i = 1 − f exactly, which is the coupled cell.
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 3)

    def as_lstm(W):
        f, g, o = np.split(W, 3, axis=-1)
        return np.concatenate([-f, f, g, o], axis=-1)

    h, cache = coupled_forward(x, h0, c0, Wx, Wh, b)
    h_ref, cache_ref = lstm_ref.lstm_forward(x, h0, c0, as_lstm(Wx), as_lstm(Wh), as_lstm(b))
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cache.i, cache_ref.i, rtol=1e-12, atol=1e-14)

    dh = rng.normal(size=(N, T, H))
    dx, dh0, dc0, dWx, dWh, db = coupled_backward(dh, cache)
    rdx, rdh0, rdc0, rdWx, rdWh, rdb = lstm_ref.lstm_backward(dh, cache_ref)

    def chain(dW):              # W_i = −W_f, so dW_f(coupled) = dW_f − dW_i
        di, df, dg, do = np.split(dW, 4, axis=-1)
        return np.concatenate([df - di, dg, do], axis=-1)

    for name, ours, ref in (("dx", dx, rdx), ("dh0", dh0, rdh0), ("dc0", dc0, rdc0),
                            ("dWx", dWx, chain(rdWx)), ("dWh", dWh, chain(rdWh)),
                            ("db", db, chain(rdb))):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)


def test_coupled_matches_a_hand_computed_lstm_with_i_equal_one_minus_f(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 3)
    h, cache = coupled_forward(x, h0, c0, Wx, Wh, b)
    hp, cp = h0, c0
    for t in range(T):
        a = x[:, t] @ Wx + hp @ Wh + b
        f, g, o = sig(a[:, :H]), np.tanh(a[:, H:2 * H]), sig(a[:, 2 * H:])
        i = 1 - f
        cp = f * cp + i * g
        hp = o * np.tanh(cp)
        np.testing.assert_allclose(h[:, t], hp, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(cache.c_final, cp, rtol=1e-12, atol=1e-13)


# ---------------------------------------------------------------- sequence = loop of steps

def test_peephole_sequence_is_a_loop_of_steps_forward_and_backward(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    dh = rng.normal(size=(N, T, H))
    h, cache = peephole_forward(x, h0, c0, Wx, Wh, b, P)
    hp, cp, steps = h0, c0, []
    for t in range(T):
        hp, cp, sc = peephole_step_forward(x[:, t], hp, cp, Wx, Wh, b, P)
        np.testing.assert_allclose(h[:, t], hp, rtol=1e-13, atol=1e-15)
        steps.append(sc)
    total = [np.zeros_like(a) for a in (Wx, Wh, b, P)]
    dnext_h, dnext_c, dx = np.zeros((N, H)), np.zeros((N, H)), np.zeros_like(x)
    for t in reversed(range(T)):
        dx[:, t], dnext_h, dnext_c, *dparams = peephole_step_backward(
            dh[:, t] + dnext_h, dnext_c, steps[t])
        total = [s + d for s, d in zip(total, dparams)]
    expected = [dx, dnext_h, dnext_c, *total]
    for name, ours, ref in zip(("dx", "dh0", "dc0", "dWx", "dWh", "db", "dP"),
                               peephole_backward(dh, cache), expected):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)


def test_coupled_sequence_is_a_loop_of_steps_forward_and_backward(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 3)
    dh = rng.normal(size=(N, T, H))
    h, cache = coupled_forward(x, h0, c0, Wx, Wh, b)
    hp, cp, steps = h0, c0, []
    for t in range(T):
        hp, cp, sc = coupled_step_forward(x[:, t], hp, cp, Wx, Wh, b)
        np.testing.assert_allclose(h[:, t], hp, rtol=1e-13, atol=1e-15)
        steps.append(sc)
    total = [np.zeros_like(a) for a in (Wx, Wh, b)]
    dnext_h, dnext_c, dx = np.zeros((N, H)), np.zeros((N, H)), np.zeros_like(x)
    for t in reversed(range(T)):
        dx[:, t], dnext_h, dnext_c, *dparams = coupled_step_backward(
            dh[:, t] + dnext_h, dnext_c, steps[t])
        total = [s + d for s, d in zip(total, dparams)]
    expected = [dx, dnext_h, dnext_c, *total]
    for name, ours, ref in zip(("dx", "dh0", "dc0", "dWx", "dWh", "db"),
                               coupled_backward(dh, cache), expected):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)


def test_gru_sequence_is_a_loop_of_steps_forward_and_backward(rng):
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, bx = params(rng, 3)
    bh = rng.normal(size=3 * H)
    dh = rng.normal(size=(N, T, H))
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    hp, steps = h0, []
    for t in range(T):
        hp, sc = gru_step_forward(x[:, t], hp, Wx, Wh, bx, bh)
        np.testing.assert_allclose(h[:, t], hp, rtol=1e-13, atol=1e-15)
        steps.append(sc)
    total = [np.zeros_like(a) for a in (Wx, Wh, bx, bh)]
    dnext_h, dx = np.zeros((N, H)), np.zeros_like(x)
    for t in reversed(range(T)):
        dx[:, t], dnext_h, *dparams = gru_step_backward(dh[:, t] + dnext_h, steps[t])
        total = [s + d for s, d in zip(total, dparams)]
    expected = [dx, dnext_h, *total]
    for name, ours, ref in zip(("dx", "dh0", "dWx", "dWh", "dbx", "dbh"),
                               gru_backward(dh, cache), expected):
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12, err_msg=name)


# ---------------------------------------------------------------- central differences

def assert_grads(f, inputs, analytic, dout, names):
    """Each analytic gradient against central differences of Σ f() ⊙ dout."""
    for name, arr, grad in zip(names, inputs, analytic):
        numeric = grad_check(f, arr, dout)
        assert grad.shape == arr.shape, name
        err = rel_error(grad, numeric)
        assert err < GRAD_TOL, f"{name}: rel_error {err:.2e}"


def test_peephole_step_gradients(rng):
    x, ph, pc = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    args = (x, ph, pc, Wx, Wh, b, P)
    dh, dc = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    _, _, cache = peephole_step_forward(*args)
    grads = peephole_step_backward(dh, dc, cache)

    def both():                       # one scalar from both outputs: Σ h ⊙ dh + Σ c ⊙ dc
        h, c, _ = peephole_step_forward(*args)
        return np.stack([h, c])
    names = ("x", "prev_h", "prev_c", "Wx", "Wh", "b", "P")
    assert_grads(both, args, grads, np.stack([dh, dc]), names)


def test_peephole_sequence_gradients(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    args = (x, h0, c0, Wx, Wh, b, P)
    dh = rng.normal(size=(N, T, H))
    _, cache = peephole_forward(*args)
    grads = peephole_backward(dh, cache)
    assert_grads(lambda: peephole_forward(*args)[0], args, grads, dh,
                 ("x", "h0", "c0", "Wx", "Wh", "b", "P"))


def test_coupled_step_gradients(rng):
    x, ph, pc = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 3)
    args = (x, ph, pc, Wx, Wh, b)
    dh, dc = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    _, _, cache = coupled_step_forward(*args)
    grads = coupled_step_backward(dh, dc, cache)

    def both():
        h, c, _ = coupled_step_forward(*args)
        return np.stack([h, c])
    assert_grads(both, args, grads, np.stack([dh, dc]),
                 ("x", "prev_h", "prev_c", "Wx", "Wh", "b"))


def test_coupled_sequence_gradients(rng):
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 3)
    args = (x, h0, c0, Wx, Wh, b)
    dh = rng.normal(size=(N, T, H))
    _, cache = coupled_forward(*args)
    grads = coupled_backward(dh, cache)
    assert_grads(lambda: coupled_forward(*args)[0], args, grads, dh,
                 ("x", "h0", "c0", "Wx", "Wh", "b"))


def test_gru_step_gradients(rng):
    x, ph = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    Wx, Wh, bx = params(rng, 3)
    bh = rng.normal(size=3 * H)
    args = (x, ph, Wx, Wh, bx, bh)
    dh = rng.normal(size=(N, H))
    _, cache = gru_step_forward(*args)
    grads = gru_step_backward(dh, cache)
    assert_grads(lambda: gru_step_forward(*args)[0], args, grads, dh,
                 ("x", "prev_h", "Wx", "Wh", "bx", "bh"))


def test_gru_sequence_gradients(rng):
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, bx = params(rng, 3)
    bh = rng.normal(size=3 * H)
    args = (x, h0, Wx, Wh, bx, bh)
    dh = rng.normal(size=(N, T, H))
    _, cache = gru_forward(*args)
    grads = gru_backward(dh, cache)
    assert_grads(lambda: gru_forward(*args)[0], args, grads, dh,
                 ("x", "h0", "Wx", "Wh", "bx", "bh"))


def test_step_backward_without_cell_gradient_means_zeros(rng):
    x, ph, pc = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    dh = rng.normal(size=(N, H))
    _, _, cache = peephole_step_forward(x, ph, pc, Wx, Wh, b, P)
    for ours, ref in zip(peephole_step_backward(dh, None, cache),
                         peephole_step_backward(dh, np.zeros((N, H)), cache)):
        np.testing.assert_array_equal(ours, ref)


# ---------------------------------------------------------------- inputs, dtypes, errors

def test_missing_initial_states_are_zeros(rng):
    x = rng.normal(size=(N, T, D))
    Wx, Wh, b = params(rng, 4)
    P = rng.normal(size=(3, H))
    zeros = np.zeros((N, H))
    np.testing.assert_array_equal(peephole_forward(x, None, None, Wx, Wh, b, P)[0],
                                  peephole_forward(x, zeros, zeros, Wx, Wh, b, P)[0])
    three = (Wx[:, :3 * H], Wh[:, :3 * H], b[:3 * H])
    np.testing.assert_array_equal(coupled_forward(x, None, None, *three)[0],
                                  coupled_forward(x, zeros, zeros, *three)[0])
    np.testing.assert_array_equal(gru_forward(x, None, *three, b[H:])[0],
                                  gru_forward(x, zeros, *three, b[H:])[0])


def _gru_args(rng, dtype):
    x, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, bx = params(rng, 3)
    return [a.astype(dtype) for a in (x, h0, Wx, Wh, bx, rng.normal(size=3 * H))]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtypes_are_kept_forward_and_backward(rng, dtype):
    args = _gru_args(rng, dtype)
    h, cache = gru_forward(*args)
    assert h.dtype == dtype
    assert all(g.dtype == dtype for g in gru_backward(np.ones_like(h), cache))
    x, h0, Wx, Wh, bx, bh = args
    Wx4 = np.concatenate([Wx, Wx[:, :H]], axis=1)
    Wh4 = np.concatenate([Wh, Wh[:, :H]], axis=1)
    b4 = np.concatenate([bx, bh[:H]])
    P = np.ones((3, H), dtype)
    h, cache = peephole_forward(x, h0, h0, Wx4, Wh4, b4, P)
    assert h.dtype == dtype
    assert all(g.dtype == dtype for g in peephole_backward(np.ones_like(h), cache))
    h, cache = coupled_forward(x, h0, h0, Wx, Wh, bx)
    assert h.dtype == dtype
    assert all(g.dtype == dtype for g in coupled_backward(np.ones_like(h), cache))


def test_integer_inputs_are_computed_in_float64(rng):
    x = rng.integers(-2, 3, size=(N, T, D))
    h0 = rng.integers(-1, 2, size=(N, H))
    Wx, Wh, bx = (rng.integers(-1, 2, size=s) for s in ((D, 3 * H), (H, 3 * H), (3 * H,)))
    bh = np.zeros(3 * H, dtype=np.int32)
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    assert h.dtype == np.float64
    ref, _ = gru_forward(*(a.astype(np.float64) for a in (x, h0, Wx, Wh, bx, bh)))
    np.testing.assert_array_equal(h, ref)
    assert gru_backward(np.ones((N, T, H), dtype=np.int64), cache)[0].dtype == np.float64


def test_mixed_precision_promotes_like_numpy(rng):
    x, h0, Wx, Wh, bx, bh = _gru_args(rng, np.float32)
    h, _ = gru_forward(x, h0, Wx.astype(np.float64), Wh, bx, bh)
    assert h.dtype == np.float64


@pytest.mark.parametrize("call, argument, expected, actual", [
    (lambda r: gru_forward(r.normal(size=(N, T)), None, *params(r, 3), np.zeros(3 * H)),
     "x", "(N, T, D)", "(3, 4)"),
    (lambda r: gru_forward(r.normal(size=(N, T, D)), np.zeros((N + 1, H)), *params(r, 3),
                           np.zeros(3 * H)),
     "h0", "(N, H)", "(4, 4)"),
    (lambda r: gru_forward(r.normal(size=(N, T, D)), None, r.normal(size=(D + 1, 3 * H)),
                           *params(r, 3)[1:], np.zeros(3 * H)),
     "Wx", "(D, 3H)", "(6, 12)"),
    (lambda r: gru_step_forward(r.normal(size=(N, D)), np.zeros((N, H)), *params(r, 3),
                                np.zeros(4 * H)),
     "bh", "(3H,)", "(16,)"),
    (lambda r: peephole_forward(r.normal(size=(N, T, D)), None, None, *params(r, 4),
                                np.zeros((4, H))),
     "P", "(3, H)", "(4, 4)"),
    (lambda r: peephole_step_forward(r.normal(size=(N, D)), np.zeros((N, H)), np.zeros((N, H + 1)),
                                     *params(r, 4), np.zeros((3, H))),
     "prev_c", "(N, H)", "(3, 5)"),
    (lambda r: coupled_forward(r.normal(size=(N, T, D)), None, None, *params(r, 4)),
     "Wh", "(H, 3H)", "(4, 16)"),
    (lambda r: coupled_step_forward(r.normal(size=(N, D)), np.zeros((N, H)), np.zeros((N, H)),
                                    *params(r, 3)[:2], np.zeros(3 * H + 1)),
     "b", "(3H,)", "(13,)"),
])
def test_bad_shapes_name_the_argument_and_both_shapes(rng, call, argument, expected, actual):
    with pytest.raises(ValueError) as err:
        call(rng)
    msg = str(err.value)
    assert msg.startswith(argument + ":"), msg
    assert expected in msg and actual in msg, msg


def test_bad_dtype_is_refused(rng):
    x, h0, Wx, Wh, bx, bh = _gru_args(rng, np.float64)
    with pytest.raises(ValueError, match="x: expected a float32, float64 or integer array"):
        gru_forward(x.astype(complex), h0, Wx, Wh, bx, bh)
    with pytest.raises(ValueError, match="Wh:"):
        gru_forward(x, h0, Wx, Wh.astype(str), bx, bh)


def test_backward_checks_its_upstream_gradient_and_cache(rng):
    args = _gru_args(rng, np.float64)
    h, cache = gru_forward(*args)
    with pytest.raises(ValueError,
                       match=r"dh: expected shape \(N, T, H\) = \(3, 4, 4\), got \(3, 3, 4\)"):
        gru_backward(np.ones((N, T - 1, H)), cache)
    with pytest.raises(ValueError, match="cache: expected the GRUCache returned by gru_forward"):
        gru_backward(np.ones_like(h), tuple(cache))
    _, step_cache = gru_step_forward(args[0][:, 0], *args[1:])
    with pytest.raises(ValueError, match="cache: expected the GRUCache"):
        gru_backward(np.ones_like(h), step_cache)
    x, h0 = args[:2]
    Wx4, Wh4, b4 = params(rng, 4)
    _, pcache = peephole_forward(x, h0, h0, Wx4, Wh4, b4, np.zeros((3, H)))
    with pytest.raises(ValueError, match="cache: expected the CoupledCache"):
        coupled_backward(np.ones_like(h), pcache)
    _, _, scache = peephole_step_forward(x[:, 0], h0, h0, Wx4, Wh4, b4, np.zeros((3, H)))
    with pytest.raises(ValueError, match=r"dnext_c: expected shape \(N, H\)"):
        peephole_step_backward(np.ones((N, H)), np.ones((N, H + 1)), scache)


def test_saturated_gates_give_finite_values_without_warnings(rng):
    x = 1000 * rng.normal(size=(N, T, D))
    Wx, Wh, b = params(rng, 4, scale=3.0)
    h, cache = peephole_forward(x, None, None, Wx, Wh, b, 100 * np.ones((3, H)))
    grads = peephole_backward(np.ones_like(h), cache)
    assert np.all(np.isfinite(h)) and all(np.all(np.isfinite(g)) for g in grads)
    h, cache = gru_forward(x, None, Wx[:, :3 * H], Wh[:, :3 * H], b[:3 * H], b[H:])
    assert np.all(np.isfinite(h)) and np.all(np.abs(h) <= 1)


def test_to_torch_gru_inverts_from_torch_gru(rng):
    Wx, Wh, bx = params(rng, 3)
    bh = rng.normal(size=3 * H)
    weight_ih, weight_hh, bias_ih, bias_hh = to_torch_gru(Wx, Wh, bx, bh)
    assert weight_ih.shape == (3 * H, D) and weight_hh.shape == (3 * H, H)
    for ours, back in zip((Wx, Wh, bx, bh), from_torch_gru(weight_ih, weight_hh, bias_ih, bias_hh)):
        np.testing.assert_array_equal(ours, back)
    with pytest.raises(ValueError, match=r"Wx: expected shape \(D, 3H\)"):
        to_torch_gru(Wx[:, :-1], Wh, bx, bh)


def test_variants_are_exported_from_the_package():
    import lstm_ref.variants as variants
    for name in variants.__all__:
        assert getattr(lstm_ref, name) is getattr(variants, name)
        obj = getattr(variants, name)
        assert obj.__doc__ and obj.__doc__.strip(), f"{name} has no docstring"
    for name in ("peephole_backward", "coupled_forward", "gru_step_backward", "to_torch_gru"):
        assert name in variants.__all__
