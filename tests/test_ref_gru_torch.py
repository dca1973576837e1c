"""lstm_ref's GRU and variants against PyTorch, live.

``nn.GRU`` gives the reference for gru_forward/gru_backward: outputs, the
final state and every gradient (inputs, weights, biases, h0), on random
shapes and seeds. The peephole and coupled cells have no PyTorch module, so
their equations are written in torch and differentiated by autograd.

Error measure: max |ours − torch| / (1 + |torch|), elementwise. float64 must
agree to 1e-10; float32 to 3e-5 (about the spread between torch's own float32
code paths on the same measure).
"""
from __future__ import annotations

import numpy as np
import pytest

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)
from hypothesis import given, settings, strategies as st  # noqa: E402

from lstm_ref.variants import (  # noqa: E402
    coupled_backward, coupled_forward, from_torch_gru, gru_backward, gru_forward,
    gru_step_backward, gru_step_forward, peephole_backward, peephole_forward, to_torch_gru,
)

pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("error")]

TOL = {np.float64: 1e-10, np.float32: 3e-5}


def scaled_error(ours, ref):
    ref = np.asarray(ref, dtype=np.float64)
    if ref.size == 0:
        return 0.0
    return float(np.max(np.abs(np.asarray(ours, dtype=np.float64) - ref) / (1 + np.abs(ref))))


def assert_close(name, ours, ref, dtype):
    assert ours.shape == ref.shape, f"{name}: shape {ours.shape} != {ref.shape}"
    assert ours.dtype == dtype, f"{name}: dtype {ours.dtype}, expected {np.dtype(dtype)}"
    err = scaled_error(ours, ref)
    assert err <= TOL[dtype], f"{name}: error {err:.3g} > {TOL[dtype]:g}"


def torch_gru_reference(N, T, D, H, seed, dtype, scale):
    """A random nn.GRU run forward and backward: returns numpy inputs, params and torch results."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    gru = torch.nn.GRU(D, H, batch_first=True).to(torch.float64 if dtype is np.float64 else torch.float32)
    with torch.no_grad():
        for p in gru.parameters():      # beyond the default ±1/√H, so gates saturate sometimes
            p.uniform_(-scale, scale)
    x = torch.tensor(rng.normal(size=(N, T, D)).astype(dtype), requires_grad=True)
    h0 = torch.tensor(rng.normal(size=(1, N, H)).astype(dtype), requires_grad=True)
    out, h_n = gru(x, h0)
    dh = torch.tensor(rng.normal(size=(N, T, H)).astype(dtype))
    out.backward(dh)
    params = from_torch_gru(*(p.detach().numpy() for p in
                              (gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0)))
    grads = {
        "dx": x.grad.numpy(), "dh0": h0.grad[0].numpy(),
        "dWx": gru.weight_ih_l0.grad.numpy().T, "dWh": gru.weight_hh_l0.grad.numpy().T,
        "dbx": gru.bias_ih_l0.grad.numpy(), "dbh": gru.bias_hh_l0.grad.numpy(),
    }
    return (x.detach().numpy(), h0.detach()[0].numpy(), params, dh.numpy(),
            out.detach().numpy(), h_n.detach()[0].numpy(), grads)


@settings(max_examples=25, deadline=None)
@given(N=st.integers(1, 4), T=st.integers(1, 7), D=st.integers(1, 6), H=st.integers(1, 7),
       seed=st.integers(0, 2**31 - 1), dtype=st.sampled_from([np.float64, np.float32]),
       scale=st.sampled_from([0.3, 1.0, 3.0]))
def test_gru_matches_torch_outputs_and_every_gradient(N, T, D, H, seed, dtype, scale):
    x, h0, params, dh, out_ref, h_n_ref, grads_ref = torch_gru_reference(
        N, T, D, H, seed, dtype, scale)
    h, cache = gru_forward(x, h0, *params)
    assert_close("h", h, out_ref, dtype)
    assert_close("h_final", cache.h_final, h_n_ref, dtype)
    grads = gru_backward(dh, cache)
    for name, ours in zip(("dx", "dh0", "dWx", "dWh", "dbx", "dbh"), grads):
        assert_close(name, ours, grads_ref[name], dtype)


def test_gru_without_h0_matches_torch_default_zero_state():
    x, _, params, dh, _, _, _ = torch_gru_reference(2, 5, 3, 4, 7, np.float64, 1.0)
    gru = torch.nn.GRU(3, 4, batch_first=True).double()
    with torch.no_grad():
        for p, ours in zip((gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0),
                           to_torch_gru(*params)):
            p.copy_(torch.from_numpy(ours))
        out, _ = gru(torch.from_numpy(x))
    h, _ = gru_forward(x, None, *params)
    assert_close("h", h, out.numpy(), np.float64)


def test_gru_step_matches_torch_gru_cell():
    rng = np.random.default_rng(3)
    N, D, H = 5, 4, 6
    cell = torch.nn.GRUCell(D, H).double()
    x = torch.tensor(rng.normal(size=(N, D)), requires_grad=True)
    h = torch.tensor(rng.normal(size=(N, H)), requires_grad=True)
    out = cell(x, h)
    dout = torch.tensor(rng.normal(size=(N, H)))
    out.backward(dout)
    params = from_torch_gru(*(p.detach().numpy() for p in
                              (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)))
    next_h, cache = gru_step_forward(x.detach().numpy(), h.detach().numpy(), *params)
    assert_close("next_h", next_h, out.detach().numpy(), np.float64)
    refs = (x.grad.numpy(), h.grad.numpy(), cell.weight_ih.grad.numpy().T,
            cell.weight_hh.grad.numpy().T, cell.bias_ih.grad.numpy(), cell.bias_hh.grad.numpy())
    for name, ours, ref in zip(("dx", "dprev_h", "dWx", "dWh", "dbx", "dbh"),
                               gru_step_backward(dout.numpy(), cache), refs):
        assert_close(name, ours, ref, np.float64)


def _torch_peephole(x, h0, c0, Wx, Wh, b, P):
    H = h0.shape[1]
    h, c, out = h0, c0, []
    for t in range(x.shape[1]):
        a = x[:, t] @ Wx + h @ Wh + b
        i = torch.sigmoid(a[:, :H] + P[0] * c)
        f = torch.sigmoid(a[:, H:2 * H] + P[1] * c)
        g = torch.tanh(a[:, 2 * H:3 * H])
        c = f * c + i * g
        o = torch.sigmoid(a[:, 3 * H:] + P[2] * c)
        h = o * torch.tanh(c)
        out.append(h)
    return torch.stack(out, 1)


def _torch_coupled(x, h0, c0, Wx, Wh, b):
    H = h0.shape[1]
    h, c, out = h0, c0, []
    for t in range(x.shape[1]):
        a = x[:, t] @ Wx + h @ Wh + b
        f, g, o = torch.sigmoid(a[:, :H]), torch.tanh(a[:, H:2 * H]), torch.sigmoid(a[:, 2 * H:])
        c = f * c + (1 - f) * g
        h = o * torch.tanh(c)
        out.append(h)
    return torch.stack(out, 1)


@settings(max_examples=10, deadline=None)
@given(N=st.integers(1, 3), T=st.integers(1, 6), D=st.integers(1, 5), H=st.integers(1, 5),
       seed=st.integers(0, 2**31 - 1), dtype=st.sampled_from([np.float64, np.float32]),
       variant=st.sampled_from(["peephole", "coupled"]))
def test_peephole_and_coupled_match_torch_autograd(N, T, D, H, seed, dtype, variant):
    rng = np.random.default_rng(seed)
    gates = 4 if variant == "peephole" else 3
    shapes = [(N, T, D), (N, H), (N, H), (D, gates * H), (H, gates * H), (gates * H,)]
    if variant == "peephole":
        shapes.append((3, H))
    arrays = [rng.normal(size=s).astype(dtype) for s in shapes]
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    torch_fn, forward, backward = ((_torch_peephole, peephole_forward, peephole_backward)
                                   if variant == "peephole" else
                                   (_torch_coupled, coupled_forward, coupled_backward))
    out = torch_fn(*tensors)
    dh = rng.normal(size=(N, T, H)).astype(dtype)
    out.backward(torch.from_numpy(dh))
    h, cache = forward(*arrays)
    assert_close("h", h, out.detach().numpy(), dtype)
    names = ("dx", "dh0", "dc0", "dWx", "dWh", "db", "dP")
    for name, ours, t in zip(names, backward(dh, cache), tensors):
        assert_close(name, ours, t.grad.numpy(), dtype)
