"""Dot-product attention: a query picks a weighted average of values by comparing it with keys.

For one query q (a decoder state, H) and T keys k_t with values v_t (the
encoder states, each H):

    s_t = scale · q · k_t                       scores          (N, T)
    s_t = −∞ where mask is False                may not attend there (padding)
    α   = softmax_t(s)                          weights, Σ_t α_t = 1
    context = Σ_t α_t v_t                       (N, H)

``scale`` = 1 is Luong et al.'s (2015) "dot" score; the Transformer
(Vaswani et al. 2017) uses 1/√H so that the scores do not grow with H.

Backward, with dα_t = dcontext · v_t and the softmax's Jacobian:

    dv_t = α_t dcontext;   ds_t = α_t (dα_t − Σ_u α_u dα_u)   (0 where masked)
    dq = scale Σ_t ds_t k_t;   dk_t = scale ds_t q
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .validate import check_cache, check_shape, prepare, upstream

__all__ = ["AttentionCache", "attention_forward", "attention_backward"]


class AttentionCache(NamedTuple):
    """``query`` (N, H), ``keys`` (N, T, H), ``values`` (N, T, H), ``weights`` (N, T),
    ``mask`` (N, T) bool or ``None``, ``scale`` the factor on the scores."""
    query: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    mask: object
    scale: float


def _check_mask(mask, dims):
    arr = np.asarray(mask)
    if arr.dtype != np.bool_:
        raise ValueError(f"mask: expected a bool array (True = may attend), got dtype {arr.dtype}")
    check_shape("mask", arr, ("N", "T"), dims)
    empty = ~arr.any(axis=1)
    if empty.any():
        raise ValueError(f"mask: every row needs at least one True (something to attend to); "
                         f"rows {np.flatnonzero(empty).tolist()} are all False")
    return arr


def attention_forward(query, keys, values, mask=None, scale: float = 1.0):
    """Dot-product attention of one query per row over T keys and values.

    Inputs: ``query`` (N, H); ``keys`` (N, T, H); ``values`` (N, T, H);
    ``mask`` (N, T) bool or ``None`` (True = may attend; each row needs one
    True); ``scale``: factor on the scores (1 here, 1/√H in the Transformer).

        s = scale · keys @ query;  s[~mask] = −∞;  weights = softmax(s);  context = Σ_t weights_t values_t

    Returns ``((context, weights), cache)``: ``context`` (N, H), ``weights``
    (N, T) (each row sums to 1, zero where masked) and an ``AttentionCache``.
    """
    dims: dict = {}
    _, (keys, query, values) = prepare(dims, ("keys", keys, ("N", "T", "H")),
                                       ("query", query, ("N", "H")),
                                       ("values", values, ("N", "T", "H")))
    if mask is not None:
        mask = _check_mask(mask, dims)
    scale = float(scale)
    if not np.isfinite(scale):
        raise ValueError(f"scale: expected a finite number, got {scale}")
    scores = scale * np.einsum("nth,nh->nt", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("nt,nth->nh", weights, values)
    return (context, weights), AttentionCache(query, keys, values, weights, mask, scale)


def attention_backward(dcontext, cache: AttentionCache, dweights=None):
    """Backward pass of ``attention_forward``.

    Inputs: ``dcontext`` (N, H); ``cache`` from ``attention_forward``;
    ``dweights`` (N, T) or ``None``: a gradient arriving at the weights
    themselves (a loss on where the model looks), added to the one through
    the context.

        dα_t = dcontext · v_t (+ dweights_t);  ds_t = α_t (dα_t − Σ_u α_u dα_u)
        dquery = scale Σ_t ds_t k_t;  dkeys_t = scale ds_t query;  dvalues_t = α_t dcontext

    Returns ``(dquery, dkeys, dvalues)``: (N, H), (N, T, H), (N, T, H).
    """
    check_cache(cache, AttentionCache, "attention_forward")
    N, T, H = cache.keys.shape
    dcontext = upstream("dcontext", dcontext, (N, H), ("N", "H"))
    w = cache.weights
    dw = np.einsum("nh,nth->nt", dcontext, cache.values)
    if dweights is not None:
        dw = dw + upstream("dweights", dweights, (N, T), ("N", "T"))
    ds = w * (dw - np.sum(w * dw, axis=1, keepdims=True))   # zero where masked, as w is
    dquery = cache.scale * np.einsum("nt,nth->nh", ds, cache.keys)
    dkeys = cache.scale * ds[:, :, None] * cache.query[:, None, :]
    dvalues = w[:, :, None] * dcontext[:, None, :]
    return dquery, dkeys, dvalues
