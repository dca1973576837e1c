"""A bidirectional LSTM: one LSTM reads the sequence forwards, another backwards.

With two independent parameter sets and zero initial states,

    →h_t = LSTM_fwd(x_1 … x_t)          read left to right
    ←h_t = LSTM_bwd(x_T … x_t)          read right to left
    h_t  = [→h_t, ←h_t]                 (N, T, 2H)

so h_t describes position t in the light of the whole sequence: the past
through →h_t, the future through ←h_t. This suits tagging a sequence that
is known in full (an encoder, a part-of-speech tagger), never predicting
the next token (←h_t has already read it).

Variable lengths: with ``lengths`` (N,), row n holds ``lengths[n]`` real
steps followed by padding. The backward direction must start at the last
*real* step, not at the padding, so each row is reversed within its own
length: positions ``lengths[n] − 1, …, 0`` then the padding. Outputs at
padded positions are meaningless and should be masked by the loss. PyTorch
does the same with ``pack_padded_sequence``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .lstm import lstm_backward, lstm_forward
from .stacked import check_layer_params
from .validate import as_float, as_int, check_cache, check_shape

__all__ = ["BidirectionalLSTMCache", "bidirectional_lstm_forward",
           "bidirectional_lstm_backward", "reverse_within_lengths"]


class BidirectionalLSTMCache(NamedTuple):
    """``fwd``, ``bwd``: the two directions' ``LSTMCache``s (``bwd`` ran on the
    reversed sequence); ``order`` (N, T) int: the time index each row was
    reversed with (its own inverse); ``H``: the hidden size of one direction."""
    fwd: object
    bwd: object
    order: np.ndarray
    H: int


def reverse_within_lengths(lengths, T: int) -> np.ndarray:
    """Time indices that reverse each row within its length: (N,) -> (N, T) int.

    ``order[n] = [l − 1, …, 1, 0, l, l + 1, …, T − 1]`` with l = ``lengths[n]``
    (padding stays at the end). ``a[rows, order]`` reverses, and applying it
    twice gives ``a`` back.
    """
    lengths = as_int("lengths", lengths)
    check_shape("lengths", lengths, ("N",), {})
    if lengths.size and (lengths.min() < 1 or lengths.max() > T):
        raise ValueError(f"lengths: expected every length in [1, T] = [1, {T}], "
                         f"got values in [{lengths.min()}, {lengths.max()}]")
    t = np.arange(T)[None, :]
    l = lengths[:, None]
    return np.where(t < l, l - 1 - t, t)


def _gather(a, order):
    return a[np.arange(a.shape[0])[:, None], order]


def bidirectional_lstm_forward(x, params_fwd, params_bwd, lengths=None):
    """Run a bidirectional LSTM layer.

    Inputs: ``x`` (N, T, D); ``params_fwd``, ``params_bwd``: tuples
    ``(Wx, Wh, b)``, ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,); ``lengths``:
    optional (N,) ints in [1, T], the real length of each row (default: all T).
    Both directions start from h0 = c0 = 0.

        h[..., :H] = lstm_forward(x, 0, 0, *params_fwd)
        h[..., H:] = R(lstm_forward(R(x), 0, 0, *params_bwd))

    where R reverses each row in time (within its length).

    Returns ``(h, cache)``: ``h`` (N, T, 2H) with the forward direction in
    ``h[..., :H]`` and the backward direction in ``h[..., H:]``, and a
    ``BidirectionalLSTMCache``.
    """
    dims: dict = {}
    (fwd,) = check_layer_params("params_fwd", params_fwd, dims=dims, one_layer=True)
    (bwd,) = check_layer_params("params_bwd", params_bwd, dims=dims, one_layer=True)
    x = as_float("x", x)
    check_shape("x", x, ("N", "T", "D"), dims)
    N, T, H = dims["N"], dims["T"], dims["H"]
    if lengths is None:
        order = np.broadcast_to(np.arange(T)[::-1], (N, T))
    else:
        order = reverse_within_lengths(lengths, T)
        check_shape("lengths", order[:, 0], ("N",), {"N": N})
    zeros = np.zeros((N, H), np.result_type(x, *fwd))
    h_f, cache_f = lstm_forward(x, zeros, None, *fwd)
    h_b, cache_b = lstm_forward(_gather(x, order), zeros, None, *bwd)
    h = np.concatenate([h_f, _gather(h_b, order)], axis=2)
    return h, BidirectionalLSTMCache(cache_f, cache_b, order, H)


def bidirectional_lstm_backward(dh, cache: BidirectionalLSTMCache):
    """Backward pass of ``bidirectional_lstm_forward``.

    Inputs: ``dh`` (N, T, 2H), the gradient at the concatenated hidden
    states; ``cache`` from ``bidirectional_lstm_forward``.

        dx = dx_fwd + R(dx_bwd),  with dx_fwd from dh[..., :H] and dx_bwd from R(dh[..., H:])

    Returns ``(dx, dparams_fwd, dparams_bwd)``: ``dx`` (N, T, D) and two tuples
    ``(dWx, dWh, db)`` shaped like the parameters.
    """
    check_cache(cache, BidirectionalLSTMCache, "bidirectional_lstm_forward")
    N, T, _ = cache.fwd.x.shape
    H = cache.H
    dh = as_float("dh", dh)
    check_shape("dh", dh, ("N", "T", "2H"), {"N": N, "T": T, "H": H})
    dx_f, _, _, *dparams_f = lstm_backward(np.ascontiguousarray(dh[..., :H]), cache.fwd)
    dx_b, _, _, *dparams_b = lstm_backward(_gather(dh[..., H:], cache.order), cache.bwd)
    return dx_f + _gather(dx_b, cache.order), tuple(dparams_f), tuple(dparams_b)
