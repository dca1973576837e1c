"""Conversions between the three ways of writing LSTM (and RNN, GRU) weights.

* Per-gate (book) form: one matrix per gate, ``W_* (H, H + D)``, acting on the
  concatenation ``[h_{t-1}, x_t]`` (previous hidden state first), and one bias
  ``b_* (H,)``.
* Stacked form: ``Wx (D, 4H)``, ``Wh (H, 4H)``, ``b (4H,)`` with
  ``a = x @ Wx + prev_h @ Wh + b``; column blocks in gate order i, f, g, o.
* PyTorch's ``nn.LSTM`` layout: ``weight_ih_l0 (4H, D)``, ``weight_hh_l0 (4H, H)``,
  ``bias_ih_l0 (4H,)``, ``bias_hh_l0 (4H,)``, rows in the same order i, f, g, o.

All conversions are plain NumPy and return new arrays (never views of the input).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import as_float, check_shape, float_dtype

__all__ = [
    "GateParams",
    "stack_gates",
    "split_gates",
    "from_torch_lstm",
    "to_torch_lstm",
    "from_torch_rnn",
    "from_torch_gru",
]


class GateParams(NamedTuple):
    """LSTM weights in the per-gate (book) form.

    ``W_i, W_f, W_c, W_o``: (H, H + D), columns ``[:H]`` act on ``h_{t-1}``,
    columns ``[H:]`` on ``x_t``. ``b_i, b_f, b_c, b_o``: (H,).
    ``W_c``/``b_c`` belong to the candidate c̃ (the stacked form's ``g``).
    """

    W_i: np.ndarray
    W_f: np.ndarray
    W_c: np.ndarray
    W_o: np.ndarray
    b_i: np.ndarray
    b_f: np.ndarray
    b_c: np.ndarray
    b_o: np.ndarray


_W_NAMES = ("W_i", "W_f", "W_c", "W_o")
_B_NAMES = ("b_i", "b_f", "b_c", "b_o")


def stack_gates(W_i, W_f, W_c, W_o, b_i, b_f, b_c, b_o):
    """Per-gate form -> stacked form.

    Inputs: ``W_i, W_f, W_c, W_o`` (H, H + D); ``b_i, b_f, b_c, b_o`` (H,).
    ``stack_gates(*params)`` with a ``GateParams`` works too.

    Returns ``(Wx, Wh, b)``: ``Wx`` (D, 4H) = [W_i[:, H:]ᵀ | W_f[:, H:]ᵀ | W_c[:, H:]ᵀ | W_o[:, H:]ᵀ],
    ``Wh`` (H, 4H) the same with columns ``[:H]``, ``b`` (4H,) = [b_i | b_f | b_c | b_o].
    """
    Ws = [as_float(n, w) for n, w in zip(_W_NAMES, (W_i, W_f, W_c, W_o))]
    bs = [as_float(n, v) for n, v in zip(_B_NAMES, (b_i, b_f, b_c, b_o))]
    dims: dict = {}
    check_shape("b_i", bs[0], ("H",), dims)
    H = dims["H"]
    for n, w in zip(_W_NAMES, Ws):
        if w.ndim != 2 or w.shape[0] != H or w.shape[1] <= H:
            raise ValueError(f"{n}: expected shape (H, H + D) with H = {H} (from b_i), got {w.shape}")
        if w.shape != Ws[0].shape:
            raise ValueError(f"{n}: expected shape (H, H + D) = {Ws[0].shape} like W_i, got {w.shape}")
    for n, v in zip(_B_NAMES, bs):
        check_shape(n, v, ("H",), dims)
    dtype = float_dtype(*Ws, *bs)
    Wx = np.concatenate([w[:, H:].T for w in Ws], axis=1).astype(dtype, copy=False)
    Wh = np.concatenate([w[:, :H].T for w in Ws], axis=1).astype(dtype, copy=False)
    b = np.concatenate(bs).astype(dtype, copy=False)
    return Wx, Wh, b


def split_gates(Wx, Wh, b) -> GateParams:
    """Stacked form -> per-gate form (the inverse of ``stack_gates``).

    Inputs: ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,), gate order i, f, g, o.
    Returns a ``GateParams`` with ``W_k = [Wh[:, k]ᵀ | Wx[:, k]ᵀ]`` (H, H + D) and
    ``b_k = b[k]`` (H,) for each gate's column block k.
    """
    Wx, Wh, b = as_float("Wx", Wx), as_float("Wh", Wh), as_float("b", b)
    dims: dict = {}
    check_shape("Wh", Wh, ("H", "4H"), dims)
    check_shape("Wx", Wx, ("D", "4H"), dims)
    check_shape("b", b, ("4H",), dims)
    H = dims["H"]
    dtype = float_dtype(Wx, Wh, b)
    Ws = [np.concatenate([Wh[:, k * H:(k + 1) * H].T, Wx[:, k * H:(k + 1) * H].T], axis=1)
          .astype(dtype, copy=False) for k in range(4)]
    bs = [b[k * H:(k + 1) * H].astype(dtype, copy=True) for k in range(4)]
    return GateParams(*Ws, *bs)


def _from_torch(weight_ih, weight_hh, bias_ih, bias_hh, gates: int):
    wi, wh = as_float("weight_ih", weight_ih), as_float("weight_hh", weight_hh)
    bi, bh = as_float("bias_ih", bias_ih), as_float("bias_hh", bias_hh)
    spec = f"{gates}H" if gates > 1 else "H"
    dims: dict = {}
    check_shape("weight_hh", wh, (spec, "H"), dims)
    check_shape("weight_ih", wi, (spec, "D"), dims)
    check_shape("bias_ih", bi, (spec,), dims)
    check_shape("bias_hh", bh, (spec,), dims)
    dtype = float_dtype(wi, wh, bi, bh)
    return (np.ascontiguousarray(wi.T, dtype=dtype), np.ascontiguousarray(wh.T, dtype=dtype),
            bi.astype(dtype), bh.astype(dtype))


def from_torch_lstm(weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch ``nn.LSTM`` layer-0 weights -> stacked form.

    Inputs (NumPy arrays, e.g. ``lstm.weight_ih_l0.detach().numpy()``):
    ``weight_ih`` (4H, D), ``weight_hh`` (4H, H), ``bias_ih`` (4H,), ``bias_hh`` (4H,).
    Returns ``(Wx, Wh, b)``: ``Wx = weight_ihᵀ`` (D, 4H), ``Wh = weight_hhᵀ`` (H, 4H),
    ``b = bias_ih + bias_hh`` (4H,). Both use gate order i, f, g, o.
    """
    Wx, Wh, bi, bh = _from_torch(weight_ih, weight_hh, bias_ih, bias_hh, 4)
    return Wx, Wh, bi + bh


def to_torch_lstm(Wx, Wh, b):
    """Stacked form -> PyTorch ``nn.LSTM`` layer-0 layout.

    Inputs: ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,).
    Returns ``(weight_ih, weight_hh, bias_ih, bias_hh)``: ``weight_ih = Wxᵀ`` (4H, D),
    ``weight_hh = Whᵀ`` (4H, H), ``bias_ih = b`` (4H,), ``bias_hh = 0`` (4H,).
    """
    Wx, Wh, b = as_float("Wx", Wx), as_float("Wh", Wh), as_float("b", b)
    dims: dict = {}
    check_shape("Wh", Wh, ("H", "4H"), dims)
    check_shape("Wx", Wx, ("D", "4H"), dims)
    check_shape("b", b, ("4H",), dims)
    dtype = float_dtype(Wx, Wh, b)
    return (np.ascontiguousarray(Wx.T, dtype=dtype), np.ascontiguousarray(Wh.T, dtype=dtype),
            b.astype(dtype), np.zeros_like(b, dtype=dtype))


def from_torch_rnn(weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch ``nn.RNN`` (tanh) layer-0 weights -> ``(Wx, Wh, b)`` for ``rnn_forward``.

    Inputs: ``weight_ih`` (H, D), ``weight_hh`` (H, H), ``bias_ih`` (H,), ``bias_hh`` (H,).
    Returns ``Wx = weight_ihᵀ`` (D, H), ``Wh = weight_hhᵀ`` (H, H), ``b = bias_ih + bias_hh`` (H,).
    """
    Wx, Wh, bi, bh = _from_torch(weight_ih, weight_hh, bias_ih, bias_hh, 1)
    return Wx, Wh, bi + bh


def from_torch_gru(weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch ``nn.GRU`` layer-0 weights -> ``(Wx, Wh, bx, bh)`` for the GRU functions.

    Inputs: ``weight_ih`` (3H, D), ``weight_hh`` (3H, H), ``bias_ih`` (3H,), ``bias_hh`` (3H,),
    gate order r, z, n. Returns ``Wx = weight_ihᵀ`` (D, 3H), ``Wh = weight_hhᵀ`` (H, 3H),
    ``bx = bias_ih`` (3H,), ``bh = bias_hh`` (3H,). The biases stay apart because
    the GRU's candidate n = tanh(x W_n + b_xn + r ⊙ (h W_hn + b_hn)) scales only ``b_hn`` by r.
    """
    return _from_torch(weight_ih, weight_hh, bias_ih, bias_hh, 3)
