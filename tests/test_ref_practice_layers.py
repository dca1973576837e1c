"""Gradient checks (central differences, float64) and bad-input errors of the new layers:
embedding, stacked LSTM (with dropout and final-state gradients), bidirectional LSTM, attention."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L
from ref_helpers import assert_matches_numerical


def layer(rng, D, H, scale=0.5):
    return (rng.standard_normal((D, 4 * H)) * scale, rng.standard_normal((H, 4 * H)) * scale,
            rng.standard_normal(4 * H) * scale)


def check_all(f, arrays: dict, analytic: dict, df):
    """Every analytic gradient against grad_check of the same named array."""
    for name, a in arrays.items():
        assert_matches_numerical(analytic[name], L.grad_check(f, a, df), name)


# ---------------------------------------------------------------- embedding

def test_embedding_gradient(rng):
    W = rng.standard_normal((6, 3))
    x = np.array([[1, 1, 4], [5, 1, 0]])
    out, cache = L.embedding_forward(x, W)
    dout = rng.standard_normal(out.shape)
    dW = L.embedding_backward(dout, cache)
    assert_matches_numerical(dW, L.grad_check(lambda: L.embedding_forward(x, W)[0], W, dout), "dW")
    assert np.all(dW[[2, 3]] == 0), "rows of ids that never occur get no gradient"
    np.testing.assert_allclose(dW[1], dout[0, 0] + dout[0, 1] + dout[1, 1])


def test_embedding_is_one_hot_times_the_table(rng):
    W = rng.standard_normal((5, 4))
    x = rng.integers(0, 5, (3, 7))
    out, _ = L.embedding_forward(x, W)
    np.testing.assert_allclose(out, L.one_hot(x, 5) @ W)
    out[0, 0] = 99.0
    assert not np.any(W == 99.0), "out is a copy, not a view of W"


@pytest.mark.parametrize("x, W, match", [
    (np.array([[0, 5]]), np.zeros((5, 2)), r"x: expected ids in \[0, V\) = \[0, 5\), got values in \[0, 5\]"),
    (np.array([[-1, 2]]), np.zeros((5, 2)), r"x: expected ids in \[0, V\)"),
    (np.array([[0.5, 1.0]]), np.zeros((5, 2)), "x: expected integer token ids, got dtype float64"),
    (np.array([0, 1]), np.zeros((5, 2)), r"x: expected a 2-d array of shape \(N, T\), got \(2,\)"),
    (np.array([[0, 1]]), np.zeros(5), r"W: expected a 2-d array of shape \(V, D\), got \(5,\)"),
    (np.array([[0, 1]]), np.zeros((5, 2), complex), "W: expected a float32, float64 or integer array, got dtype complex128"),
])
def test_embedding_bad_inputs(x, W, match):
    with pytest.raises(ValueError, match=match):
        L.embedding_forward(x, W)


def test_embedding_backward_bad_inputs(rng):
    out, cache = L.embedding_forward(np.array([[0, 1]]), rng.standard_normal((3, 2)))
    with pytest.raises(ValueError, match=r"dout: expected shape \(N, T, D\) = \(1, 2, 2\), got \(1, 2, 3\)"):
        L.embedding_backward(np.zeros((1, 2, 3)), cache)
    with pytest.raises(ValueError, match="cache: expected the EmbeddingCache returned by embedding_forward"):
        L.embedding_backward(out, (np.array([[0, 1]]),))


# ---------------------------------------------------------------- stacked

def test_stacked_gradients_of_inputs_states_and_every_layer(rng):
    N, T, D, H = 2, 4, 3, 3
    x = rng.standard_normal((N, T, D))
    h0, c0 = rng.standard_normal((3, N, H)), rng.standard_normal((3, N, H))
    params = [layer(rng, D, H), layer(rng, H, H), layer(rng, H, H)]
    dh = rng.standard_normal((N, T, H))
    dh_final, dc_final = rng.standard_normal((3, N, H)), rng.standard_normal((3, N, H))

    def loss_outputs():
        h, cache = L.stacked_lstm_forward(x, h0, c0, params)
        # One output holding h and the final states, so one df weighs all three.
        return np.concatenate([h.ravel(), cache.h_final.ravel(), cache.c_final.ravel()])

    _, cache = L.stacked_lstm_forward(x, h0, c0, params)
    dx, dh0, dc0, dparams = L.stacked_lstm_backward_state(dh, cache, dh_final, dc_final)
    df = np.concatenate([dh.ravel(), dh_final.ravel(), dc_final.ravel()])
    arrays = {"x": x, "h0": h0, "c0": c0}
    analytic = {"x": dx, "h0": dh0, "c0": dc0}
    for l, (p, dp) in enumerate(zip(params, dparams)):
        for name, a, da in zip(("Wx", "Wh", "b"), p, dp):
            arrays[f"{name}{l}"], analytic[f"{name}{l}"] = a, da
    check_all(loss_outputs, arrays, analytic, df)


def test_stacked_dropout_gradient_and_mask(rng):
    N, T, D, H = 3, 3, 2, 4
    x = rng.standard_normal((N, T, D))
    params = [layer(rng, D, H), layer(rng, H, H)]
    dh = rng.standard_normal((N, T, H))

    def run():  # the same masks at every call: a fresh generator with one seed
        return L.stacked_lstm_forward(x, None, None, params, dropout=0.5,
                                      rng=np.random.default_rng(7))

    h, cache = run()
    mask = cache.masks[0]
    assert set(np.unique(mask)) <= {0.0, 2.0} and 0 < np.mean(mask == 0) < 1
    dx, dparams = L.stacked_lstm_backward(dh, cache)
    check_all(lambda: run()[0], {"x": x, "Wx1": params[1][0], "Wh0": params[0][1]},
              {"x": dx, "Wx1": dparams[1][0], "Wh0": dparams[0][1]}, dh)
    h_eval, cache_eval = L.stacked_lstm_forward(x, None, None, params)
    assert cache_eval.masks == [None] and not np.allclose(h, h_eval)


def test_one_layer_stack_is_lstm_forward(rng):
    x, h0, c0 = rng.standard_normal((2, 5, 3)), rng.standard_normal((1, 2, 4)), rng.standard_normal((1, 2, 4))
    p = layer(rng, 3, 4)
    h, cache = L.stacked_lstm_forward(x, h0, c0, [p])
    h_ref, _ = L.lstm_forward(x, h0[0], c0[0], *p)
    np.testing.assert_array_equal(h, h_ref)
    np.testing.assert_array_equal(cache.c_final[0], L.final_state(cache)[1][0])


@pytest.mark.parametrize("params, match", [
    ([], r"params: expected a non-empty list of L tuples \(Wx, Wh, b\), got list of length 0"),
    ([(np.zeros((3, 8)), np.zeros((2, 8)))], r"params: expected a non-empty list of L tuples"),
    ([(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8)), (np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))],
     r"params\[1\] Wx: expected shape \(H, 4H\) = \(2, 8\), got \(3, 8\)"),
    # The weights define the model (as in lstm_forward), so the data is named when D disagrees.
    ([(np.zeros((4, 8)), np.zeros((2, 8)), np.zeros(8))], r"x: expected shape \(N, T, D\) = \(1, 2, 4\), got \(1, 2, 3\)"),
    ([(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(6))], r"params\[0\] b: expected shape \(4H,\) = \(8,\), got \(6,\)"),
])
def test_stacked_bad_params(params, match):
    with pytest.raises(ValueError, match=match):
        L.stacked_lstm_forward(np.zeros((1, 2, 3)), None, None, params)


def test_stacked_bad_states_and_dropout(rng):
    x, params = np.zeros((2, 3, 3)), [layer(rng, 3, 2), layer(rng, 2, 2)]
    with pytest.raises(ValueError, match=r"h0: expected shape \(2, N, H\) = \(2, 2, 2\), got \(1, 2, 2\)"):
        L.stacked_lstm_forward(x, np.zeros((1, 2, 2)), None, params)
    with pytest.raises(ValueError, match=r"dropout: expected a probability in \[0, 1\), got 1.0"):
        L.stacked_lstm_forward(x, None, None, params, dropout=1.0)
    with pytest.raises(ValueError, match="rng: dropout = 0.2 needs a numpy.random.Generator"):
        L.stacked_lstm_forward(x, None, None, params, dropout=0.2)
    h, cache = L.stacked_lstm_forward(x, None, None, params)
    with pytest.raises(ValueError, match=r"dh: expected shape \(N, T, H\) = \(2, 3, 2\), got \(2, 3, 4\)"):
        L.stacked_lstm_backward(np.zeros((2, 3, 4)), cache)
    with pytest.raises(ValueError, match=r"dc_final: expected shape \(L, N, H\) = \(2, 2, 2\)"):
        L.stacked_lstm_backward_state(h, cache, dc_final=np.zeros((1, 2, 2)))


# ---------------------------------------------------------------- bidirectional

@pytest.mark.parametrize("lengths", [None, np.array([4, 1, 3])])
def test_bidirectional_gradients(rng, lengths):
    N, T, D, H = 3, 4, 2, 3
    x = rng.standard_normal((N, T, D))
    fwd, bwd = layer(rng, D, H), layer(rng, D, H)
    dh = rng.standard_normal((N, T, 2 * H))
    h, cache = L.bidirectional_lstm_forward(x, fwd, bwd, lengths=lengths)
    dx, dfwd, dbwd = L.bidirectional_lstm_backward(dh, cache)
    arrays = {"x": x, **{f"{n}_fwd": a for n, a in zip(("Wx", "Wh", "b"), fwd)},
              **{f"{n}_bwd": a for n, a in zip(("Wx", "Wh", "b"), bwd)}}
    analytic = {"x": dx, **{f"{n}_fwd": a for n, a in zip(("Wx", "Wh", "b"), dfwd)},
                **{f"{n}_bwd": a for n, a in zip(("Wx", "Wh", "b"), dbwd)}}
    check_all(lambda: L.bidirectional_lstm_forward(x, fwd, bwd, lengths=lengths)[0], arrays, analytic, dh)


def test_bidirectional_directions_read_past_and_future(rng):
    N, T, D, H = 1, 5, 2, 3
    x = rng.standard_normal((N, T, D))
    fwd, bwd = layer(rng, D, H), layer(rng, D, H)
    h, _ = L.bidirectional_lstm_forward(x, fwd, bwd)
    x2 = x.copy()
    x2[:, 2] += 1.0  # change the middle step only
    h2, _ = L.bidirectional_lstm_forward(x2, fwd, bwd)
    changed = ~np.isclose(h, h2).all(axis=(0,))
    assert not changed[:2, :H].any() and changed[2:, :H].all(), "forward half sees only the past"
    assert changed[:3, H:].all() and not changed[3:, H:].any(), "backward half sees only the future"


def test_reverse_within_lengths():
    order = L.reverse_within_lengths([3, 1, 5], 5)
    np.testing.assert_array_equal(order, [[2, 1, 0, 3, 4], [0, 1, 2, 3, 4], [4, 3, 2, 1, 0]])
    with pytest.raises(ValueError, match=r"lengths: expected every length in \[1, T\] = \[1, 5\], got values in \[0, 3\]"):
        L.reverse_within_lengths([3, 0], 5)


def test_bidirectional_bad_inputs(rng):
    fwd = layer(rng, 2, 3)
    with pytest.raises(ValueError, match=r"params_bwd Wh: expected shape \(H, 4H\) = \(3, 12\), got \(4, 16\)"):
        L.bidirectional_lstm_forward(np.zeros((1, 2, 2)), fwd, layer(rng, 2, 4))
    with pytest.raises(ValueError, match=r"x: expected shape \(N, T, D\) = \(1, 2, 2\), got \(1, 2, 5\)"):
        L.bidirectional_lstm_forward(np.zeros((1, 2, 5)), fwd, fwd)
    with pytest.raises(ValueError, match=r"params_fwd: expected a tuple \(Wx, Wh, b\), got tuple of length 2"):
        L.bidirectional_lstm_forward(np.zeros((1, 2, 2)), fwd[:2], fwd)
    with pytest.raises(ValueError, match=r"params_fwd: expected a tuple \(Wx, Wh, b\), got tuple of length 2"):
        L.bidirectional_lstm_forward(np.zeros((1, 2, 2)), fwd[:2], fwd)
    with pytest.raises(ValueError, match=r"lengths: expected shape \(N,\) = \(1,\), got \(2,\)"):
        L.bidirectional_lstm_forward(np.zeros((1, 2, 2)), fwd, fwd, lengths=[1, 2])
    h, cache = L.bidirectional_lstm_forward(np.zeros((1, 2, 2)), fwd, fwd)
    with pytest.raises(ValueError, match=r"dh: expected shape \(N, T, 2H\) = \(1, 2, 6\), got \(1, 2, 3\)"):
        L.bidirectional_lstm_backward(np.zeros((1, 2, 3)), cache)


# ---------------------------------------------------------------- attention

@pytest.mark.parametrize("masked", [False, True])
def test_attention_gradients(rng, masked):
    N, T, H = 3, 5, 4
    q, k, v = rng.standard_normal((N, H)), rng.standard_normal((N, T, H)), rng.standard_normal((N, T, H))
    mask = (np.arange(T)[None, :] < np.array([5, 1, 3])[:, None]) if masked else None
    dctx, dw = rng.standard_normal((N, H)), rng.standard_normal((N, T))

    def outputs():
        (ctx, w), _ = L.attention_forward(q, k, v, mask=mask, scale=0.7)
        return np.concatenate([ctx.ravel(), w.ravel()])

    (ctx, w), cache = L.attention_forward(q, k, v, mask=mask, scale=0.7)
    dq, dk, dv = L.attention_backward(dctx, cache, dweights=dw)
    check_all(outputs, {"query": q, "keys": k, "values": v}, {"query": dq, "keys": dk, "values": dv},
              np.concatenate([dctx.ravel(), dw.ravel()]))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    if masked:
        assert np.all(w[~mask] == 0) and np.all(dk[~mask] == 0) and np.all(dv[~mask] == 0)
        np.testing.assert_allclose(ctx[1], v[1, 0])  # one allowed position: its value exactly


def test_attention_bad_inputs(rng):
    q, k = np.zeros((2, 3)), np.zeros((2, 4, 3))
    with pytest.raises(ValueError, match=r"query: expected shape \(N, H\) = \(2, 3\), got \(2, 5\)"):
        L.attention_forward(np.zeros((2, 5)), k, k)
    with pytest.raises(ValueError, match=r"values: expected shape \(N, T, H\) = \(2, 4, 3\), got \(2, 3, 3\)"):
        L.attention_forward(q, k, np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="mask: expected a bool array"):
        L.attention_forward(q, k, k, mask=np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"mask: expected shape \(N, T\) = \(2, 4\), got \(2, 3\)"):
        L.attention_forward(q, k, k, mask=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match=r"rows \[1\] are all False"):
        L.attention_forward(q, k, k, mask=np.array([[1, 0, 0, 0], [0, 0, 0, 0]], bool))
    _, cache = L.attention_forward(q, k, k)
    with pytest.raises(ValueError, match=r"dcontext: expected shape \(N, H\) = \(2, 3\), got \(3, 3\)"):
        L.attention_backward(np.zeros((3, 3)), cache)
    with pytest.raises(ValueError, match="cache: expected the AttentionCache returned by attention_forward"):
        L.attention_backward(np.zeros((2, 3)), None)
