"""A stack of L LSTM layers: the hidden states of layer l are the inputs of layer l + 1.

Layer 0 reads ``x`` (N, T, D); every layer above reads the H-vectors of the
layer below, so its ``Wx`` is (H, 4H). With h^(0)_t = x_t and each layer an
``lstm_forward``:

    h^(l+1)_t, c^(l+1)_t = LSTM_l(m^(l) ⊙ h^(l)_t, h^(l+1)_{t-1}, c^(l+1)_{t-1})

where m^(l) is the dropout mask between layers (m = 1 without dropout, and
never on the input x or the top layer's output, as in PyTorch's
``nn.LSTM(num_layers=L, dropout=p)``). Inverted dropout: each entry of m is
0 with probability p and 1/(1 − p) otherwise, drawn once per call and used
at every time step (so that a row's states see one consistent network), so
no rescaling is needed at test time (p = 0).

PyTorch's ``nn.LSTM(D, H, num_layers=L)`` stores layer l as ``weight_ih_l{l}``
(4H, D or H), ``weight_hh_l{l}`` (4H, H) and two biases;
``from_torch_lstm`` converts each layer to ``(Wx, Wh, b)``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .lstm import lstm_forward
from .state import lstm_backward_with_state
from .validate import as_float, check_cache, check_shape, prepare, upstream

__all__ = ["StackedLSTMCache", "stacked_lstm_forward", "stacked_lstm_backward",
           "stacked_lstm_backward_state", "check_layer_params", "lstm_parameter_count"]


class StackedLSTMCache(NamedTuple):
    """What ``stacked_lstm_forward`` keeps.

    ``layers``: the L ``LSTMCache``s, bottom first; ``masks``: L − 1 dropout
    masks (N, T, H) applied to the inputs of layers 1 .. L−1 (``None`` where
    p = 0); ``h_final``, ``c_final`` (L, N, H): every layer's last states
    (the ``h0, c0`` to carry into the next window, see ``lstm_ref.state``).
    """
    layers: list
    masks: list
    h_final: np.ndarray
    c_final: np.ndarray


def check_layer_params(name: str, params, D: int | None = None, dims: dict | None = None,
                       one_layer: bool = False) -> list:
    """Validate a list of L layer tuples ``(Wx, Wh, b)``; return them as float arrays.

    Layer 0: ``Wx`` (D, 4H); layers above: ``Wx`` (H, 4H); all: ``Wh`` (H, 4H),
    ``b`` (4H,), one H for the whole stack. Errors name the layer and the
    array, e.g. ``params[1] Wx``. ``dims`` receives D and H. ``one_layer``:
    ``params`` is a single tuple (errors then say ``params_fwd Wx``).
    """
    if one_layer:
        if not isinstance(params, (list, tuple)) or len(params) != 3:
            raise ValueError(f"{name}: expected a tuple (Wx, Wh, b), got {type(params).__name__}"
                             + (f" of length {len(params)}" if isinstance(params, (list, tuple)) else ""))
        params = [params]
    if (not isinstance(params, (list, tuple)) or len(params) == 0
            or not all(isinstance(p, (list, tuple)) and len(p) == 3 for p in params)):
        raise ValueError(f"{name}: expected a non-empty list of L tuples (Wx, Wh, b), "
                         f"got {type(params).__name__}"
                         + (f" of length {len(params)}" if isinstance(params, (list, tuple)) else ""))
    dims = {} if dims is None else dims
    if D is not None:
        dims["D"] = D
    out = []
    for l, (Wx, Wh, b) in enumerate(params):
        below = "D" if l == 0 else "H"
        where = name if one_layer else f"{name}[{l}]"
        _, (Wh, Wx, b) = prepare(dims, (f"{where} Wh", Wh, ("H", "4H")),
                                 (f"{where} Wx", Wx, (below, "4H")),
                                 (f"{where} b", b, ("4H",)))
        out.append((Wx, Wh, b))
    return out


def _check_dropout(dropout, rng):
    p = float(dropout)
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout: expected a probability in [0, 1), got {dropout!r}")
    if p > 0 and not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: dropout = {p} needs a numpy.random.Generator to draw its masks, "
                         f"got {type(rng).__name__}")
    return p


def stacked_lstm_forward(x, h0, c0, params, dropout: float = 0.0, rng=None):
    """Run L stacked LSTM layers over a sequence.

    Inputs: ``x`` (N, T, D); ``h0``, ``c0`` (L, N, H) or ``None`` (zeros);
    ``params``: a list of L tuples ``(Wx, Wh, b)``, layer 0's ``Wx`` (D, 4H),
    the others' (H, 4H), every ``Wh`` (H, 4H) and ``b`` (4H,); ``dropout``:
    the probability p of zeroing an input of layers 1 .. L−1 (training only);
    ``rng``: a ``np.random.Generator`` for the masks (needed when p > 0).

        h^(0) = x;  h^(l+1) = lstm_forward(m^(l) ⊙ h^(l), h0[l], c0[l], *params[l])

    Returns ``(h, cache)``: ``h`` (N, T, H), the top layer's hidden states,
    and a ``StackedLSTMCache`` (with every layer's last states).
    """
    dims: dict = {}
    layers = check_layer_params("params", params, dims=dims)
    L, H = len(layers), dims["H"]
    x = as_float("x", x)
    check_shape("x", x, ("N", "T", "D"), dims)
    N = dims["N"]
    if h0 is not None or c0 is not None:
        _, (h0, c0) = prepare(dims, ("h0", h0, (L, "N", "H")), ("c0", c0, (L, "N", "H")))
    p = _check_dropout(dropout, rng)
    dtype = np.result_type(x, *[w for layer in layers for w in layer])
    inp = x.astype(dtype, copy=False)
    caches, masks = [], []
    h_final = np.empty((L, N, H), dtype)
    c_final = np.empty((L, N, H), dtype)
    for l, (Wx, Wh, b) in enumerate(layers):
        if l > 0:
            mask = None
            if p > 0:
                mask = (rng.random(inp.shape) >= p).astype(dtype) / (1.0 - p)
                inp = inp * mask
            masks.append(mask)
        h_init = np.zeros((N, H), dtype) if h0 is None else h0[l].astype(dtype, copy=False)
        c_init = None if c0 is None else c0[l].astype(dtype, copy=False)
        inp, cache = lstm_forward(inp, h_init, c_init, Wx.astype(dtype, copy=False),
                                  Wh.astype(dtype, copy=False), b.astype(dtype, copy=False))
        caches.append(cache)
        h_final[l], c_final[l] = cache.h_final, cache.c_final
    return inp, StackedLSTMCache(caches, masks, h_final, c_final)


def stacked_lstm_backward_state(dh, cache: StackedLSTMCache, dh_final=None, dc_final=None):
    """Backward pass of ``stacked_lstm_forward``, with the gradients of the states.

    Inputs: ``dh`` (N, T, H), the gradient at the top layer's hidden states;
    ``cache`` from ``stacked_lstm_forward``; ``dh_final``, ``dc_final``
    (L, N, H) or ``None``: gradients arriving at every layer's last states
    (from a decoder that starts from them, or zero in truncated BPTT).

    From the top layer down: its ``lstm_backward_with_state`` gives dx^(l),
    which (times the layer's dropout mask) is the dh of the layer below.

    Returns ``(dx, dh0, dc0, dparams)``: ``dx`` (N, T, D), ``dh0``, ``dc0``
    (L, N, H) and ``dparams`` a list of L tuples ``(dWx, dWh, db)``.
    """
    check_cache(cache, StackedLSTMCache, "stacked_lstm_forward")
    top = cache.layers[-1].h
    N, T, H = top.shape
    L = len(cache.layers)
    dh = upstream("dh", dh, (N, T, H), ("N", "T", "H"))
    finals = [None if a is None else upstream(name, a, (L, N, H), ("L", "N", "H"))
              for name, a in (("dh_final", dh_final), ("dc_final", dc_final))]
    dparams = [None] * L
    dh0 = np.empty((L, N, H), np.result_type(dh, top))
    dc0 = np.empty_like(dh0)
    for l in reversed(range(L)):
        dh_l, dc_l = (None if a is None else a[l] for a in finals)
        dx, dh0[l], dc0[l], dWx, dWh, db = lstm_backward_with_state(dh, cache.layers[l], dh_l, dc_l)
        dparams[l] = (dWx, dWh, db)
        if l > 0 and cache.masks[l - 1] is not None:
            dx = dx * cache.masks[l - 1]
        dh = dx
    return dh, dh0, dc0, dparams


def stacked_lstm_backward(dh, cache: StackedLSTMCache):
    """Backward pass of ``stacked_lstm_forward``.

    Inputs: ``dh`` (N, T, H), the gradient at the top layer's hidden states;
    ``cache`` from ``stacked_lstm_forward``.

    Returns ``(dx, dparams)``: ``dx`` (N, T, D) and ``dparams`` a list of L
    tuples ``(dWx, dWh, db)`` shaped like ``params``. (The gradients of
    ``h0``, ``c0``: ``stacked_lstm_backward_state``.)
    """
    dx, _, _, dparams = stacked_lstm_backward_state(dh, cache)
    return dx, dparams


def lstm_parameter_count(D: int, H: int, layers: int = 1, bidirectional: bool = False,
                         biases: int = 2) -> int:
    """Number of parameters of an LSTM of ``layers`` layers (and two directions if ``bidirectional``).

    Per layer and direction: 4H (D_l + H + biases), with D_l = D for layer 0
    and D_l = H (2H if bidirectional: the layer above reads both directions)
    for the layers above. ``biases`` = 2 counts PyTorch's ``bias_ih`` and
    ``bias_hh``; ``biases`` = 1 counts lstm_ref's single ``b`` (the same
    model: only the sum b_ih + b_hh ever matters).
    """
    for name, v in (("D", D), ("H", H), ("layers", layers)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name}: expected an integer >= 1, got {v!r}")
    if biases not in (1, 2):
        raise ValueError(f"biases: expected 1 (lstm_ref) or 2 (PyTorch), got {biases!r}")
    directions = 2 if bidirectional else 1
    total = 0
    for l in range(int(layers)):
        D_l = D if l == 0 else directions * H
        total += directions * 4 * H * (D_l + H + biases)
    return int(total)
