"""The LSTM cell one step at a time, in the per-gate form the book writes.

Each gate has its own weight ``W_* (H, H + D)`` acting on the concatenation
``[h_{t-1}, x_t]`` (previous hidden state first) and its own bias ``b_* (H,)``:

    f_t = σ(W_f · [h_{t-1}, x_t] + b_f)          forget gate
    i_t = σ(W_i · [h_{t-1}, x_t] + b_i)          input gate
    c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c)       candidate
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t               cell update
    o_t = σ(W_o · [h_{t-1}, x_t] + b_o)          output gate
    h_t = o_t ⊙ tanh(c_t)                        hidden state

Shapes: ``prev_h`` (N, H), ``x`` (N, D), ``prev_c`` (N, H). With a batch of row
vectors, ``W · [h, x]`` is computed as ``[h, x] @ Wᵀ`` (N, H).
These functions are written for reading, not speed (``lstm_forward`` runs the
stacked form over a whole sequence, fast by default).
"""
from __future__ import annotations

import numpy as np

from .validate import as_float, check_shape, float_dtype
from .activations import sigmoid, tanh
from .layout import GateParams

__all__ = [
    "gate",
    "forget_gate",
    "input_gate",
    "candidate",
    "update_cell",
    "output_gate",
    "hidden_state",
    "lstm_cell_per_gate",
]


def _check_concat_weight(name, W, dims):
    H, D = dims["H"], dims["D"]
    if W.shape != (H, H + D):
        raise ValueError(
            f"{name}: expected shape (H, H + D) = ({H}, {H + D}) for prev_h (N, H) = "
            f"(N, {H}) and x (N, D) = (N, {D}), got {W.shape}"
        )


def _preactivation(prev_h, x, W, b, W_name, b_name):
    """z = W · [prev_h, x] + b, shape (N, H), after checking every shape."""
    prev_h, x = as_float("prev_h", prev_h), as_float("x", x)
    W, b = as_float(W_name, W), as_float(b_name, b)
    dims: dict = {}
    check_shape("prev_h", prev_h, ("N", "H"), dims)
    check_shape("x", x, ("N", "D"), dims)
    _check_concat_weight(W_name, W, dims)
    check_shape(b_name, b, ("H",), dims)
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    return (hx @ W.T + b).astype(float_dtype(prev_h, x, W, b), copy=False)


def gate(prev_h, x, W, b):
    """A generic sigmoid gate: σ(W · [h_{t-1}, x_t] + b).

    ``prev_h`` (N, H), ``x`` (N, D), ``W`` (H, H + D), ``b`` (H,) -> (N, H), values in (0, 1).
    """
    return sigmoid(_preactivation(prev_h, x, W, b, "W", "b"))


def forget_gate(prev_h, x, W_f, b_f):
    """Forget gate f_t = σ(W_f · [h_{t-1}, x_t] + b_f): how much of c_{t-1} to keep.

    ``prev_h`` (N, H), ``x`` (N, D), ``W_f`` (H, H + D), ``b_f`` (H,) -> f (N, H).
    """
    return sigmoid(_preactivation(prev_h, x, W_f, b_f, "W_f", "b_f"))


def input_gate(prev_h, x, W_i, b_i):
    """Input gate i_t = σ(W_i · [h_{t-1}, x_t] + b_i): how much of the candidate to write.

    ``prev_h`` (N, H), ``x`` (N, D), ``W_i`` (H, H + D), ``b_i`` (H,) -> i (N, H).
    """
    return sigmoid(_preactivation(prev_h, x, W_i, b_i, "W_i", "b_i"))


def candidate(prev_h, x, W_c, b_c):
    """Candidate values c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c), in (−1, 1).

    ``prev_h`` (N, H), ``x`` (N, D), ``W_c`` (H, H + D), ``b_c`` (H,) -> c_tilde (N, H).
    """
    return tanh(_preactivation(prev_h, x, W_c, b_c, "W_c", "b_c"))


def update_cell(prev_c, f, i, c_tilde):
    """Cell update c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t (elementwise).

    ``prev_c``, ``f``, ``i``, ``c_tilde``: all (N, H) -> c (N, H).
    """
    arrays = [as_float(n, a) for n, a in
              (("prev_c", prev_c), ("f", f), ("i", i), ("c_tilde", c_tilde))]
    dims: dict = {}
    for n, a in zip(("prev_c", "f", "i", "c_tilde"), arrays):
        check_shape(n, a, ("N", "H"), dims)
    prev_c, f, i, c_tilde = arrays
    return f * prev_c + i * c_tilde


def output_gate(prev_h, x, W_o, b_o):
    """Output gate o_t = σ(W_o · [h_{t-1}, x_t] + b_o): how much of tanh(c_t) to show.

    ``prev_h`` (N, H), ``x`` (N, D), ``W_o`` (H, H + D), ``b_o`` (H,) -> o (N, H).
    """
    return sigmoid(_preactivation(prev_h, x, W_o, b_o, "W_o", "b_o"))


def hidden_state(o, c):
    """Hidden state h_t = o_t ⊙ tanh(c_t).

    ``o`` (N, H), ``c`` (N, H) -> h (N, H).
    """
    o, c = as_float("o", o), as_float("c", c)
    dims: dict = {}
    check_shape("o", o, ("N", "H"), dims)
    check_shape("c", c, ("N", "H"), dims)
    return o * tanh(c)


def lstm_cell_per_gate(x, prev_h, prev_c, params: GateParams):
    """One LSTM step composed from the six per-gate functions above.

    ``x`` (N, D), ``prev_h`` (N, H), ``prev_c`` (N, H), ``params`` a ``GateParams``
    (``W_*`` (H, H + D), ``b_*`` (H,)). Returns ``(next_h, next_c)``, each (N, H):
    c_t = f ⊙ c_{t-1} + i ⊙ c̃, h_t = o ⊙ tanh(c_t).
    """
    if not isinstance(params, tuple) or len(params) != 8:
        raise ValueError("params: expected a GateParams (W_i, W_f, W_c, W_o, b_i, b_f, b_c, b_o)")
    p = GateParams(*params)
    f = forget_gate(prev_h, x, p.W_f, p.b_f)
    i = input_gate(prev_h, x, p.W_i, p.b_i)
    c_tilde = candidate(prev_h, x, p.W_c, p.b_c)
    next_c = update_cell(prev_c, f, i, c_tilde)
    o = output_gate(prev_h, x, p.W_o, p.b_o)
    return hidden_state(o, next_c), next_c
