"""Chapters 12-13: embeddings, truncated BPTT with the state carried, a stacked LSTM, attention.

``embedding_forward(x, W) -> (out, cache)``: ``x`` (N, T) int ids in [0, V),
``W`` (V, D) -> ``out`` (N, T, D); ``embedding_backward(dout, cache) -> dW``
(V, D). ``truncated_bptt(xs, dhs, h0, c0, Wx, Wh, b) -> (h_last, c_last,
dWx, dWh, db)``: K consecutive windows ``xs`` (K, N, T, D) with upstream
gradients ``dhs`` (K, N, T, H), the state carried from window to window and
no gradient across. ``stacked_lstm_forward(x, h0, c0, params) -> (h,
cache)``: ``h0``, ``c0`` (L, N, H), ``params`` L tuples ``(Wx, Wh, b)``; the
cases use D = H so that a layer fed the wrong input gives wrong numbers,
not a shape error. ``attention_forward(query, keys, values, mask) ->
((context, weights), cache)``: ``query`` (N, H), ``keys``, ``values`` (N, T,
H), ``mask`` (N, T) bool (True = may attend).
"""
from __future__ import annotations

import numpy as np

from .._numeric import softmax
from .._refs import ref
from .._text import say
from ._common import call_positional, extreme_factor, normal, take_array, take_first, uniform, weight
from ._types import ACTIVATIONS, Inputs, Spec, Variant

__all__ = ["SPECS"]

_emb_fwd = ref("embedding_forward", None)
_emb_bwd = ref("embedding_backward", None)
_lstm_fwd = ref("lstm_forward", None)
_lstm_bwd = ref("lstm_backward", None)
_stacked_fwd = ref("stacked_lstm_forward", None)
_att_fwd = ref("attention_forward", None)

# ---- embeddings ------------------------------------------------------------------------


def _ids(rng, case):
    """(N, T) ids in [0, V) in which at least one id occurs twice whenever N·T > 1."""
    x = rng.integers(0, case.V, (case.N, case.T))
    if x.size > 1:
        x.flat[-1] = x.flat[0]
    return x.astype(np.int64)


def _make_emb(case) -> Inputs:
    rng = case.rng()
    return Inputs(x=_ids(rng, case), W=normal(rng, (case.V, case.D), case))


def _make_emb_back(case) -> Inputs:
    a = _make_emb(case)
    rng = np.random.default_rng(case.seed + 1)
    dout = normal(rng, (case.N, case.T, case.D), case)
    cache = _emb_fwd(a["x"], a["W"])[1]
    # The dtype as its name: a cache of plain values crosses to the grading kernel.
    return Inputs(dout=dout, cache=cache._replace(dtype=np.dtype(cache.dtype).name))


def own_embedding(x, W, positions=False, one_based=False):
    """(out,) of the lookup; flags make the wrong variants."""
    if positions:
        return (np.broadcast_to(W[np.arange(x.shape[1])], x.shape + W.shape[1:]).copy(),)
    return (W[x - 1] if one_based else W[x],)


def own_embedding_back(dout, cache, overwrite=False, positions=False):
    """(dW,) of the lookup's backward; flags make the wrong variants."""
    x = np.asarray(cache.x)
    V, D = cache.W_shape
    dW = np.zeros((V, D), np.result_type(cache.dtype, dout.dtype))
    if positions:
        np.add.at(dW, np.arange(x.shape[1]), dout.sum(axis=0))
    elif overwrite:
        dW[x.ravel()] = dout.reshape(-1, D)   # the last write of a repeated id wins
    else:
        np.add.at(dW, x.ravel(), dout.reshape(-1, D))
    return (dW,)


_EMB_KINDS = frozenset({"batch 1", "one time step", "H = D", "float32"})


def _ev(mid, backward, says, **flags):
    own = own_embedding_back if backward else own_embedding
    return Variant(mid, lambda a: own(*a.values(), **flags), says)


# ---- truncated BPTT --------------------------------------------------------------------

WINDOWS = 3
TBPTT_PARTS = ("h_last", "c_last", "dWx", "dWh", "db")


def _make_tbptt(case) -> Inputs:
    rng = case.rng()
    N, T, D, H = case.N, case.T, case.D, case.H
    return Inputs(xs=normal(rng, (WINDOWS, N, T, D), case), dhs=normal(rng, (WINDOWS, N, T, H), case),
                  h0=uniform(rng, (N, H), case), c0=normal(rng, (N, H), case),
                  Wx=weight(rng, (D, 4 * H), D, case), Wh=weight(rng, (H, 4 * H), H, case),
                  b=normal(rng, (4 * H,), case, 0.5))


def own_tbptt(xs, dhs, h0, c0, Wx, Wh, b, carry_h=True, carry_c=True, through=False, last_only=False):
    """(h_last, c_last, dWx, dWh, db); flags make the wrong variants."""
    if through:  # one backward pass over the whole stream: the gradient crosses the windows
        x = np.concatenate(list(xs), axis=1)
        cache = _lstm_fwd(x, h0, c0, Wx, Wh, b)[1]
        grads = _lstm_bwd(np.concatenate(list(dhs), axis=1), cache)[3:]
        return (cache.h_final, cache.c_final, *grads)
    h, c = h0, c0
    total = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    for x, dh in zip(xs, dhs):
        cache = _lstm_fwd(x, h if carry_h else h0, c if carry_c else c0, Wx, Wh, b)[1]
        grads = _lstm_bwd(dh, cache)[3:]
        total = list(grads) if last_only else [t + g for t, g in zip(total, grads)]
        h, c = cache.h_final, cache.c_final
    return (h, c, *total)


def _tv(mid, says, **flags):
    return Variant(mid, lambda a: own_tbptt(*a.values(), **flags), says)


# ---- stacked LSTM ----------------------------------------------------------------------


def _make_stacked(case) -> Inputs:
    rng = case.rng()
    N, T, H = case.N, case.T, case.H
    L = 2 + case.seed % 2
    params = [(weight(rng, (H, 4 * H), H, case), weight(rng, (H, 4 * H), H, case),
               normal(rng, (4 * H,), case, 0.5)) for _ in range(L)]
    return Inputs(x=normal(rng, (N, T, H), case), h0=uniform(rng, (L, N, H), case),
                  c0=normal(rng, (L, N, H), case), params=params)


def own_stacked(x, h0, c0, params, feed="below", shared=False, state0=False, bottom=False):
    """(h,) of the top layer; flags make the wrong variants."""
    inp, outs = x, []
    for l, (Wx, Wh, b) in enumerate(params):
        if shared:
            Wx, Wh, b = params[0]
        k = 0 if state0 else l
        h = _lstm_fwd(x if feed == "input" else inp, h0[k], c0[k], Wx, Wh, b)[0]
        outs.append(h)
        inp = h
    return (outs[0] if bottom else outs[-1],)


def _sv(mid, says, **flags):
    return Variant(mid, lambda a: own_stacked(*a.values(), **flags), says)


_STACKED_WRONG = (
    ("layers-fed-input", "every layer of yours reads x; layer l + 1 reads the hidden states h of layer l.",
     dict(feed="input")),
    ("layers-share-weights", "every layer of yours uses params[0]; layer l has its own (Wx, Wh, b) = "
     "params[l].", dict(shared=True)),
    ("layer-initial-state-shared", "every layer of yours starts from h0[0], c0[0]; layer l starts from "
     "h0[l], c0[l].", dict(state0=True)),
    ("bottom-layer-returned", "you returned the first layer's h; return the top layer's.", dict(bottom=True)),
)

# ---- attention -------------------------------------------------------------------------


def _make_att(case) -> Inputs:
    rng = case.rng()
    N, T, H = case.N, case.T, case.H
    scale = extreme_factor(case) / np.sqrt(H)
    mask = rng.random((N, T)) < 0.7
    mask[np.arange(N), rng.integers(0, T, N)] = True   # every row may attend somewhere
    if T > 1:
        mask[0, -1] = False                             # and at least one position is masked
        mask[0, 0] = True
    return Inputs(query=normal(rng, (N, H), case, scale), keys=normal(rng, (N, T, H), case),
                  values=normal(rng, (N, T, H), case), mask=mask)


def own_attention(query, keys, values, mask, axis=1, use_mask=True, renormalise=True,
                  from_keys=False, scale=1.0):
    """(context, weights); flags make the wrong variants."""
    s = scale * np.einsum("nth,nh->nt", keys, query)
    if use_mask and renormalise:
        s = np.where(mask, s, -np.inf)
    with np.errstate(invalid="ignore"):   # a column masked everywhere has no axis-0 softmax
        w = softmax(s) if axis == 1 else softmax(s.T).T
    if use_mask and not renormalise:
        w = w * mask
    w = w.astype(query.dtype)
    return np.einsum("nt,nth->nh", w, keys if from_keys else values), w


def _take_att(ret, given):
    what = "((context, weights), cache)"
    if not isinstance(ret, (tuple, list)) or len(ret) != 2:
        if ret is None:
            raise ValueError(say("your function should return {what}, got None.", what=what))
        raise ValueError(say("your function should return {what}, got a {type}.", what=what,
                             type=type(ret).__name__))
    if not isinstance(ret[0], (tuple, list)) or len(ret[0]) != 2:
        raise ValueError(say("your function should return {what}: its first value should be the pair "
                             "(context, weights), got a {type}.", what=what, type=type(ret[0]).__name__))
    return tuple(ret[0])


def _av(mid, says, **flags):
    return Variant(mid, lambda a: own_attention(*a.values(), **flags), says)


SPECS = {s.name: s for s in [
    Spec(
        name="embedding_forward", make=_make_emb, call=call_positional,
        take=take_first(("out",), ("out", "cache")), parts=("out",),
        reference=lambda a: (_emb_fwd(a["x"], a["W"])[0],),
        variants=(_ev("ids-as-positions", False, "your out[n, t] is W[t], the row of the position; look up "
                      "the row of the id: W[x[n, t]].", positions=True),
                  _ev("one-based-ids", False, "your out reads W[x − 1]; ids start at 0, so id v is row W[v].",
                      one_based=True)),
        hint="out = W[x]: fancy indexing with the (N, T) ids gives (N, T, D).", hidden_kinds=_EMB_KINDS),
    Spec(
        name="embedding_backward", make=_make_emb_back, call=lambda fn, a, forward=None: fn(*a.values()),
        take=take_array("dW"), parts=("dW",), reference=lambda a: (_emb_bwd(a["dout"], a["cache"]),),
        variants=(_ev("repeated-ids-overwritten", True, "a row read twice keeps only one gradient: dW[x] = "
                      "dout (or dW[x] += dout) writes once per distinct id; accumulate with "
                      "np.add.at(dW, x.ravel(), dout.reshape(-1, D)).", overwrite=True),
                  _ev("ids-as-positions", True, "your dW adds position t's gradient to row t; it belongs to "
                      "the row of the id x[n, t].", positions=True)),
        hint="dW = zeros (V, D); np.add.at(dW, x.ravel(), dout.reshape(-1, D)) sums repeated ids.",
        hidden_kinds=_EMB_KINDS),
    Spec(
        name="truncated_bptt", make=_make_tbptt, call=call_positional,
        take=take_first(TBPTT_PARTS, TBPTT_PARTS), parts=TBPTT_PARTS,
        reference=lambda a: own_tbptt(*a.values()),
        variants=(
            _tv("state-reset-each-window", "every window of yours starts again from h0, c0; start window "
                "k + 1 from the last h, c of window k.", carry_h=False, carry_c=False),
            _tv("cell-reset-each-window", "you carry h but restart the cell from c0 in every window; "
                "carry the last c as well.", carry_c=False),
            _tv("gradient-across-windows", "your gradients are those of one backward pass through every "
                "window: truncated BPTT runs lstm_backward on each window alone and drops its dh0, dc0.",
                through=True),
            _tv("last-window-grads-only", "your weight gradients are those of the last window only; add "
                "up the gradients of every window.", last_only=True),
        ),
        allowed=ACTIVATIONS | {"lstm_forward", "lstm_backward", "final_state"},
        hint="h, c = h0, c0; for each window: forward from (h, c), backward with its dh, add dWx, dWh, db; "
             "then h, c = the window's last states.",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32"})),
    Spec(
        name="stacked_lstm_forward", make=_make_stacked, call=call_positional,
        take=take_first(("h",), ("h", "cache")), parts=("h",),
        reference=lambda a: (_stacked_fwd(*a.values())[0],),
        variants=tuple(_sv(mid, says, **flags) for mid, says, flags in _STACKED_WRONG),
        allowed=ACTIVATIONS | {"lstm_forward", "lstm_step_forward"},
        hint="inp = x; for l, (Wx, Wh, b) in enumerate(params): inp, cache_l = lstm_forward(inp, h0[l], "
             "c0[l], Wx, Wh, b); return the last inp.",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = 1", "float32"})),
    Spec(
        name="attention_forward", make=_make_att, call=call_positional,
        take=_take_att, parts=("context", "weights"),
        reference=lambda a: tuple(_att_fwd(*a.values())[0]),
        variants=(
            _av("softmax-wrong-axis", "your weights are normalised over the batch (axis 0); each row's "
                "weights over its T positions must sum to 1 (axis 1).", axis=0),
            _av("mask-ignored", "your weights are not zero where mask is False: set those scores to −∞ "
                "before the softmax.", use_mask=False),
            _av("mask-after-softmax", "you zeroed the masked weights after the softmax, so a row no "
                "longer sums to 1; mask the scores (−∞) before it.", renormalise=False),
            _av("keys-for-values", "your context averages the keys; it is Σ_t weights_t · values_t.",
                from_keys=True),
            Variant("scores-scaled", lambda a: own_attention(*a.values(), scale=1 / np.sqrt(a["query"].shape[1])),
                    "your scores are divided by √H (the Transformer's scaling); here the score is q · k_t."),
        ),
        hint="s = einsum('nth,nh->nt', keys, query); s[~mask] = −∞; weights = softmax over axis 1 "
             "(subtract the max); context = einsum('nt,nth->nh', weights, values).",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32", "extreme"})),
]}
