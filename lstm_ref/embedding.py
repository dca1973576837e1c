"""Embeddings: a lookup table of learned vectors, one row per token id.

``W`` (V, D) holds one D-vector per token of a vocabulary of V. Looking up
ids ``x`` (N, T) gives

    out[n, t] = W[x[n, t]]                                  (N, T, D)

which is the same as one_hot(x) @ W without building the (N, T, V) one-hot
array. Its backward scatters each position's gradient back onto the row it
read; a token that occurs several times collects the sum:

    dW[v] = Σ_{n, t : x[n, t] = v} dout[n, t]               (V, D)

Rows of tokens absent from the batch get zero gradient. PyTorch's
``nn.Embedding(V, D)`` is the same table (its ``weight`` is ``W``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import as_float, as_int, check_cache, check_shape, upstream

__all__ = ["EmbeddingCache", "embedding_forward", "embedding_backward"]


class EmbeddingCache(NamedTuple):
    """What ``embedding_forward`` keeps: ``x`` (N, T) int ids and the table's shape (V, D) and dtype."""
    x: np.ndarray
    W_shape: tuple
    dtype: np.dtype


def check_ids(name: str, x, V: int, spec=("N", "T"), dims=None) -> np.ndarray:
    """``x`` as an integer array of shape ``spec`` with every id in [0, V), else ``ValueError``."""
    arr = np.asarray(x)
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ValueError(f"{name}: expected integer token ids, got dtype {arr.dtype}")
    arr = as_int(name, arr)
    check_shape(name, arr, spec, {} if dims is None else dims)
    if arr.size and (arr.min() < 0 or arr.max() >= V):
        raise ValueError(f"{name}: expected ids in [0, V) = [0, {V}), "
                         f"got values in [{arr.min()}, {arr.max()}]")
    return arr


def embedding_forward(x, W):
    """Look up one row of ``W`` per token id.

    Inputs: ``x`` (N, T) integer ids in [0, V); ``W`` (V, D) float32 or float64.

        out[n, t] = W[x[n, t]]

    Returns ``(out, cache)``: ``out`` (N, T, D) in ``W``'s dtype (a copy, not a
    view of ``W``) and an ``EmbeddingCache``.
    """
    W = as_float("W", W)
    dims: dict = {}
    check_shape("W", W, ("V", "D"), dims)
    x = check_ids("x", x, dims["V"])
    return W[x], EmbeddingCache(x, W.shape, W.dtype)


def embedding_backward(dout, cache: EmbeddingCache):
    """Backward pass of ``embedding_forward``: the gradient of the table.

    Inputs: ``dout`` (N, T, D), the upstream gradient; ``cache`` from
    ``embedding_forward``.

        dW[v] = Σ_{n, t : x[n, t] = v} dout[n, t]

    Returns ``dW`` (V, D) (rows of ids that did not occur are zero). The ids
    themselves are integers and have no gradient.
    """
    check_cache(cache, EmbeddingCache, "embedding_forward")
    N, T = cache.x.shape
    V, D = cache.W_shape
    dout = upstream("dout", dout, (N, T, D), ("N", "T", "D"))
    dW = np.zeros((V, D), dtype=np.result_type(cache.dtype, dout.dtype))
    # A token that occurs twice must collect both gradients: np.add.at accumulates,
    # where dW[x] += dout would keep only the last write.
    np.add.at(dW, cache.x.ravel(), dout.reshape(N * T, D))
    return dW
