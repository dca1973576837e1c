"""The new lstm_ref layers against PyTorch, float64: embedding, stacked, bidirectional, attention."""
from __future__ import annotations

import numpy as np
import pytest

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)

import lstm_ref as L  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def close(ours, theirs, name):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    assert ours.shape == theirs.shape, name
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=name)


def layer_weights(lstm: "torch.nn.LSTM", suffix: str):
    w = [getattr(lstm, f"{k}_{suffix}").detach().numpy()
         for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    return L.from_torch_lstm(*w)


def test_embedding_matches_nn_embedding_with_repeated_ids():
    torch.manual_seed(0)
    emb = torch.nn.Embedding(7, 5).double()
    x = np.array([[0, 3, 3, 6], [3, 1, 0, 0]])
    dout = np.random.default_rng(0).standard_normal((2, 4, 5))
    out_t = emb(torch.from_numpy(x))
    out_t.backward(torch.from_numpy(dout))
    out, cache = L.embedding_forward(x, emb.weight.detach().numpy())
    close(out, out_t, "out")
    close(L.embedding_backward(dout, cache), emb.weight.grad, "dW")


@pytest.mark.parametrize("layers, N, T, D, H", [(2, 3, 5, 4, 3), (3, 1, 7, 2, 5)])
def test_stacked_lstm_matches_num_layers(layers, N, T, D, H):
    torch.manual_seed(layers)
    lstm = torch.nn.LSTM(D, H, num_layers=layers, batch_first=True).double()
    rng = np.random.default_rng(layers)
    x, h0, c0 = (rng.standard_normal(s) for s in ((N, T, D), (layers, N, H), (layers, N, H)))
    dh = rng.standard_normal((N, T, H))
    xt = torch.from_numpy(x).requires_grad_()
    h0t, c0t = (torch.from_numpy(a).requires_grad_() for a in (h0, c0))
    out_t, (hn, cn) = lstm(xt, (h0t, c0t))
    out_t.backward(torch.from_numpy(dh))

    params = [layer_weights(lstm, f"l{l}") for l in range(layers)]
    h, cache = L.stacked_lstm_forward(x, h0, c0, params)
    close(h, out_t, "h")
    close(cache.h_final, hn, "h_final")
    close(cache.c_final, cn, "c_final")
    dx, dh0, dc0, dparams = L.stacked_lstm_backward_state(dh, cache)
    close(dx, xt.grad, "dx")
    close(dh0, h0t.grad, "dh0")
    close(dc0, c0t.grad, "dc0")
    dx2, dparams2 = L.stacked_lstm_backward(dh, cache)
    close(dx2, xt.grad, "dx of stacked_lstm_backward")
    for l, (dWx, dWh, db) in enumerate(dparams2):
        close(dWx.T, getattr(lstm, f"weight_ih_l{l}").grad, f"dWx layer {l}")
        close(dWh.T, getattr(lstm, f"weight_hh_l{l}").grad, f"dWh layer {l}")
        close(db, getattr(lstm, f"bias_ih_l{l}").grad, f"db layer {l}")
        close(db, getattr(lstm, f"bias_hh_l{l}").grad, f"db (hh) layer {l}")


def test_stacked_lstm_backward_takes_gradients_at_the_final_states():
    torch.manual_seed(3)
    lstm = torch.nn.LSTM(3, 4, num_layers=2, batch_first=True).double()
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 6, 3))
    dh, dhn, dcn = (rng.standard_normal(s) for s in ((2, 6, 4), (2, 2, 4), (2, 2, 4)))
    xt = torch.from_numpy(x).requires_grad_()
    out_t, (hn, cn) = lstm(xt)
    (out_t * torch.from_numpy(dh)).sum().add((hn * torch.from_numpy(dhn)).sum()) \
        .add((cn * torch.from_numpy(dcn)).sum()).backward()
    h, cache = L.stacked_lstm_forward(x, None, None, [layer_weights(lstm, f"l{l}") for l in range(2)])
    dx, _, _, dparams = L.stacked_lstm_backward_state(dh, cache, dh_final=dhn, dc_final=dcn)
    close(dx, xt.grad, "dx")
    close(dparams[0][1].T, lstm.weight_hh_l0.grad, "dWh layer 0")


def test_bidirectional_lstm_matches_torch():
    torch.manual_seed(1)
    N, T, D, H = 3, 6, 4, 5
    lstm = torch.nn.LSTM(D, H, bidirectional=True, batch_first=True).double()
    rng = np.random.default_rng(1)
    x, dh = rng.standard_normal((N, T, D)), rng.standard_normal((N, T, 2 * H))
    xt = torch.from_numpy(x).requires_grad_()
    out_t, _ = lstm(xt)
    out_t.backward(torch.from_numpy(dh))
    fwd, bwd = layer_weights(lstm, "l0"), layer_weights(lstm, "l0_reverse")
    h, cache = L.bidirectional_lstm_forward(x, fwd, bwd)
    close(h, out_t, "h")
    dx, dfwd, dbwd = L.bidirectional_lstm_backward(dh, cache)
    close(dx, xt.grad, "dx")
    close(dfwd[0].T, lstm.weight_ih_l0.grad, "dWx fwd")
    close(dbwd[1].T, lstm.weight_hh_l0_reverse.grad, "dWh bwd")
    close(dbwd[2], lstm.bias_ih_l0_reverse.grad, "db bwd")


def test_bidirectional_lengths_match_a_packed_sequence():
    torch.manual_seed(2)
    N, T, D, H = 3, 5, 2, 3
    lengths = np.array([5, 2, 3])
    lstm = torch.nn.LSTM(D, H, bidirectional=True, batch_first=True).double()
    x = np.random.default_rng(2).standard_normal((N, T, D))
    packed = torch.nn.utils.rnn.pack_padded_sequence(
        torch.from_numpy(x), torch.from_numpy(lengths), batch_first=True, enforce_sorted=False)
    out_t, _ = lstm(packed)
    out_t, _ = torch.nn.utils.rnn.pad_packed_sequence(out_t, batch_first=True, total_length=T)
    h, _ = L.bidirectional_lstm_forward(x, layer_weights(lstm, "l0"),
                                        layer_weights(lstm, "l0_reverse"), lengths=lengths)
    valid = np.arange(T)[None, :] < lengths[:, None]
    close(h[valid], out_t.detach().numpy()[valid], "h at real steps")
    # Without lengths the backward direction starts in the padding and disagrees.
    h_unmasked, _ = L.bidirectional_lstm_forward(x, layer_weights(lstm, "l0"),
                                                 layer_weights(lstm, "l0_reverse"))
    assert not np.allclose(h_unmasked[valid], out_t.detach().numpy()[valid])


def torch_attention(q, k, v, mask, scale):
    scores = scale * torch.einsum("nth,nh->nt", k, q)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    w = torch.softmax(scores, dim=1)
    return torch.einsum("nt,nth->nh", w, v), w


@pytest.mark.parametrize("masked, scale", [(False, 1.0), (True, 1.0), (True, 0.5)])
def test_attention_matches_a_torch_attention(masked, scale):
    rng = np.random.default_rng(4)
    N, T, H = 3, 6, 4
    q, k, v = rng.standard_normal((N, H)), rng.standard_normal((N, T, H)), rng.standard_normal((N, T, H))
    mask = (np.arange(T)[None, :] < np.array([6, 2, 4])[:, None]) if masked else None
    dctx, dw = rng.standard_normal((N, H)), rng.standard_normal((N, T))
    qt, kt, vt = (torch.from_numpy(a).requires_grad_() for a in (q, k, v))
    ctx_t, w_t = torch_attention(qt, kt, vt, None if mask is None else torch.from_numpy(mask), scale)
    ((ctx_t * torch.from_numpy(dctx)).sum() + (w_t * torch.from_numpy(dw)).sum()).backward()
    (ctx, w), cache = L.attention_forward(q, k, v, mask=mask, scale=scale)
    close(ctx, ctx_t, "context")
    close(w, w_t, "weights")
    dq, dk, dv = L.attention_backward(dctx, cache, dweights=dw)
    close(dq, qt.grad, "dquery")
    close(dk, kt.grad, "dkeys")
    close(dv, vt.grad, "dvalues")
