"""Chapters 8-9: the stacked LSTM forward and backward, and the numerical gradient check.

Stacked form, gate order i, f, g, o: ``x`` (N, D) or (N, T, D), ``prev_h``,
``prev_c`` (N, H), ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,).
The own implementations take flags that turn them into the known wrong
variants; with no flags they equal the reference.
"""
from __future__ import annotations

import itertools

import numpy as np

from .._numeric import dsig_from_out, dtanh_from_out, sig, tanh
from ...pipeline.wire import RECIPES
from .._refs import ref
from ._common import (call_positional, extreme_factor, normal, take_all, take_array, take_first,
                      uniform, weight)
from ._types import Inputs, Spec, Variant

__all__ = ["SPECS"]

GATES = "ifgo"
GC_RECIPE = "tanh_affine_quadratic"


def _gates(x, h, Wx, Wh, b, order=(0, 1, 2, 3), bias=True, gate_act=sig, candidate_act=tanh):
    """i, f, g, o; ``gate_act`` is used for i, f, o and ``candidate_act`` for g."""
    H = h.shape[1]
    a = x @ Wx + h @ Wh + (b if bias else 0)
    blocks = [a[:, k * H:(k + 1) * H] for k in order]
    i, f, o = (gate_act(blocks[j]) for j in (0, 1, 3))
    return i, f, candidate_act(blocks[2]), o


def own_step(x, h, c, Wx, Wh, b, keep="f", squash_c=False, h_from="new", cell_tanh=True, **gate_flags):
    """(next_h, next_c) of one step; flags make the wrong variants."""
    i, f, g, o = _gates(x, h, Wx, Wh, b, **gate_flags)
    next_c = (f if keep == "f" else 1 - f) * c + i * g
    if squash_c:
        next_c = tanh(next_c)
    src = next_c if h_from == "new" else c
    return o * (tanh(src) if cell_tanh else src), next_c


def own_forward(x, h0, c0, Wx, Wh, b, carry_h=True, carry_c=True, zero_c0=False, **flags):
    """h (N, T, H) by a loop of own_step."""
    c0 = np.zeros_like(c0) if zero_c0 else c0
    h, c, hs = h0, c0, []
    for t in range(x.shape[1]):
        h, c = own_step(x[:, t], h if carry_h else h0, c if carry_c else c0, Wx, Wh, b, **flags)
        hs.append(h)
    return (np.stack(hs, axis=1),)


def own_step_back(x, h, c, Wx, Wh, b, dnh, dnc, cell_tanh_grad=True, df_cell="prev",
                  forget_in_dprev_c=True, use_dnc=True, act_grads=True, order=(0, 1, 2, 3),
                  no_tanh=False, mean=False):
    """(dx, dprev_h, dprev_c, dWx, dWh, db) of one step; flags make the wrong variants."""
    i, f, g, o = _gates(x, h, Wx, Wh, b)
    nc = f * c + i * g
    tc = tanh(nc)
    do = dnh * (nc if no_tanh else tc)
    dc = (dnc if use_dnc else 0) + dnh * o * (dtanh_from_out(tc) if cell_tanh_grad and not no_tanh else 1)
    di, df, dg = dc * g, dc * (c if df_cell == "prev" else nc), dc * i
    dprev_c = dc * f if forget_in_dprev_c else dc
    if act_grads:
        parts = [di * dsig_from_out(i), df * dsig_from_out(f), dg * dtanh_from_out(g), do * dsig_from_out(o)]
    else:
        parts = [di, df, dg, do]
    da = np.concatenate([parts[k] for k in order], axis=1)
    k = 1.0 / x.shape[0] if mean else 1.0
    return da @ Wx.T, da @ Wh.T, dprev_c, k * (x.T @ da), k * (h.T @ da), k * da.sum(axis=0)


def own_backward(x, h0, c0, Wx, Wh, b, dh, recurrent=True, cell_through_time=True, **flags):
    """(dx, dh0, dc0, dWx, dWh, db) over a sequence."""
    N, T, _ = x.shape
    hs, cs, h, c = [h0], [c0], h0, c0
    for t in range(T):
        h, c = own_step(x[:, t], h, c, Wx, Wh, b)
        hs.append(h)
        cs.append(c)
    dx = np.zeros_like(x)
    grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(T)):
        up_h = dh[:, t] + (dh_next if recurrent else 0)
        up_c = dc_next if cell_through_time else np.zeros_like(c0)
        dx[:, t], dh_next, dc_next, *g = own_step_back(x[:, t], hs[t], cs[t], Wx, Wh, b, up_h, up_c, **flags)
        grads = [a + b_ for a, b_ in zip(grads, g)]
    return (dx, dh_next, dc_next, *grads)


def own_grad_check(f, x, df, h=1e-5, scheme="central", weighted=True):
    """Numerical gradient of Σ f() ⊙ df by differences; x changed in place and restored."""
    grad = np.zeros(x.shape)
    w = df if weighted else 1.0
    base = np.sum(f() * w) if scheme == "forward" else None
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + h
        plus = np.sum(f() * w)
        x[k] = old - h
        minus = np.sum(f() * w)
        x[k] = old
        if scheme == "forward":
            grad[k] = (plus - base) / h
        else:
            grad[k] = (plus - minus) / (2 * h if scheme == "central" else h)
    return grad


def _weights(rng, case, k=4):
    D, H = case.D, case.H
    return dict(Wx=weight(rng, (D, k * H), D, case), Wh=weight(rng, (H, k * H), H, case),
                b=normal(rng, (k * H,), case, 0.5 * extreme_factor(case)))


def _make_step(case) -> Inputs:
    rng = case.rng()
    N, H = case.N, case.H
    return Inputs(x=normal(rng, (N, case.D), case), prev_h=uniform(rng, (N, H), case),
                  prev_c=normal(rng, (N, H), case), **_weights(rng, case))


def _make_seq(case) -> Inputs:
    rng = case.rng()
    N, H = case.N, case.H
    return Inputs(x=normal(rng, (N, case.T, case.D), case), h0=uniform(rng, (N, H), case),
                  c0=normal(rng, (N, H), case), **_weights(rng, case))


_step_fwd = ref("lstm_step_forward", None)
_seq_fwd = ref("lstm_forward", None)
_step_bwd = ref("lstm_step_backward", None)
_seq_bwd = ref("lstm_backward", None)
_grad_check = ref("grad_check", own_grad_check)


def _make_step_back(case) -> Inputs:
    a = _make_step(case)
    rng = np.random.default_rng(case.seed + 1)
    a["dnext_h"] = normal(rng, (case.N, case.H), case)
    a["dnext_c"] = normal(rng, (case.N, case.H), case)
    a["cache"] = _step_fwd(*_step_args(a))[2]
    return a


def _make_seq_back(case) -> Inputs:
    a = _make_seq(case)
    rng = np.random.default_rng(case.seed + 1)
    a["dh"] = normal(rng, (case.N, case.T, case.H), case)
    a["cache"] = _seq_fwd(*_seq_args(a))[1]
    return a


def _step_args(a):
    return a["x"], a["prev_h"], a["prev_c"], a["Wx"], a["Wh"], a["b"]


def _seq_args(a):
    return a["x"], a["h0"], a["c0"], a["Wx"], a["Wh"], a["b"]


def _call_step_back(fn, a, forward=None):
    cache = a["cache"] if forward is None else forward(*_step_args(a))[-1]
    return fn(a["dnext_h"], a["dnext_c"], cache)


def _call_seq_back(fn, a, forward=None):
    cache = a["cache"] if forward is None else forward(*_seq_args(a))[-1]
    return fn(a["dh"], cache)


def _make_gc(case) -> Inputs:
    rng = case.rng()
    return Inputs(x=rng.standard_normal((case.N, case.D)), A=rng.standard_normal((case.D, case.H)),
                  df=rng.standard_normal((case.N, case.H)), h=1e-4)


def _call_gc(fn, a, forward=None):
    # The function whose gradient is checked reads x, which the answer changes;
    # ``__wire__`` lets the grading kernel build the same function around its own x.
    x, A = a["x"], a["A"]
    f = RECIPES[GC_RECIPE](x, A)
    f.__wire__ = (GC_RECIPE, (x, A))
    return fn(f, x, a["df"], a["h"])


def _grad_check_variant(a, **flags):
    b = a.copied()
    return (_call_gc(lambda f, x, df, h: own_grad_check(f, x, df, h, **flags), b),)


def _perm_says(order):
    names = ", ".join(GATES[k] for k in order)
    return (f"your gates read the blocks of a = x Wx + h Wh + b in the order {names}; "
            f"the stacked order is i, f, g, o (columns 0:H, H:2H, 2H:3H, 3H:4H).")


_PERMS = [p for p in itertools.permutations(range(4)) if p != (0, 1, 2, 3)]
# order[k] is the block a student read as gate k (i, f, g, o).
_STEP_PERMS = tuple(
    Variant("swapped-gates", (lambda p: lambda a: own_step(*_step_args(a), order=p))(p), _perm_says(p))
    for p in _PERMS)
STEP_BACK_PARTS = ("dx", "dprev_h", "dprev_c", "dWx", "dWh", "db")
SEQ_BACK_PARTS = ("dx", "dh0", "dc0", "dWx", "dWh", "db")


def _step_back_variant(mid, says, **flags):
    return Variant(mid, lambda a: own_step_back(*_step_args(a), a["dnext_h"], a["dnext_c"], **flags), says)


def _seq_back_variant(mid, says, **flags):
    return Variant(mid, lambda a: own_backward(*_seq_args(a), a["dh"], **flags), says)


_BACK_COMMON = [
    ("missing-tanh-grad-on-cell", "dc lacks tanh's derivative: dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²(c_t)).",
     dict(cell_tanh_grad=False)),
    ("next-cell-for-prev", "your df uses c_t; the forget gate multiplies c_{t-1}, so df = dc ⊙ prev_c.",
     dict(df_cell="next")),
    ("missing-forget-in-dprev-c", "your dprev_c is dc; the cell path goes through f, so dprev_c = dc ⊙ f.",
     dict(forget_in_dprev_c=False)),
    ("missing-activation-grad", "your gate gradients skip σ'(·) = s(1 − s) and tanh'(·) = 1 − g².",
     dict(act_grads=False)),
    ("swapped-gates", "your da stacks the gate gradients as f, i, g, o; the order is i, f, g, o.",
     dict(order=(1, 0, 2, 3))),
    ("missing-tanh-on-cell", "your backward treats h = o ⊙ c; it is h = o ⊙ tanh(c).", dict(no_tanh=True)),
    ("mean-for-sum", "your dWx, dWh, db are averaged over the batch; they are sums.", dict(mean=True)),
]

SPECS = {s.name: s for s in [
    Spec(
        name="lstm_step_forward", make=_make_step, call=call_positional,
        take=take_first(("next_h", "next_c"), ("next_h", "next_c", "cache")), parts=("next_h", "next_c"),
        reference=lambda a: tuple(_step_fwd(*_step_args(a))[:2]),
        variants=(
            Variant("prev-cell-for-new", lambda a: own_step(*_step_args(a), h_from="prev"),
                    "your next_h equals o ⊙ tanh(c_{t-1}): use the new cell, next_h = o ⊙ tanh(next_c)."),
            Variant("missing-tanh-on-cell", lambda a: own_step(*_step_args(a), cell_tanh=False),
                    "your next_h equals o ⊙ next_c: the cell goes through tanh, next_h = o ⊙ tanh(next_c)."),
            Variant("tanh-on-cell-update", lambda a: own_step(*_step_args(a), squash_c=True),
                    "your next_c is squashed by tanh; next_c = f ⊙ prev_c + i ⊙ g as it is."),
            Variant("forget-means-erase", lambda a: own_step(*_step_args(a), keep="1-f"),
                    "your next_c uses (1 − f) ⊙ prev_c; f = 1 means keep: next_c = f ⊙ prev_c + i ⊙ g."),
            Variant("missing-bias", lambda a: own_step(*_step_args(a), bias=False),
                    "your gates are computed without the bias b."),
            Variant("tanh-for-sigmoid", lambda a: own_step(*_step_args(a), gate_act=tanh),
                    "your gates i, f, o use tanh; gates use σ, only g uses tanh."),
            Variant("sigmoid-for-tanh", lambda a: own_step(*_step_args(a), candidate_act=sig),
                    "your candidate g uses σ; it uses tanh."),
            *_STEP_PERMS,
        ),
        hint="a = x @ Wx + prev_h @ Wh + b (N, 4H); i, f, g, o = the four H-wide blocks in that order.",
        hidden_kinds=frozenset({"batch 1", "H = D", "H = 1", "float32", "extreme"})),
    Spec(
        name="lstm_forward", make=_make_seq, call=call_positional,
        take=take_first(("h",), ("h", "cache")), parts=("h",),
        reference=lambda a: (_seq_fwd(*_seq_args(a))[0],),
        variants=(
            Variant("state-not-carried", lambda a: own_forward(*_seq_args(a), carry_h=False, carry_c=False),
                    "every step of your h starts from h0 and c0: carry both states from step to step."),
            Variant("cell-not-carried", lambda a: own_forward(*_seq_args(a), carry_c=False),
                    "every step of your h starts from the cell c0: carry next_c to the next step."),
            Variant("c0-ignored", lambda a: own_forward(*_seq_args(a), zero_c0=True),
                    "your h starts from a zero cell; start from the c0 you are given."),
            Variant("prev-cell-for-new", lambda a: own_forward(*_seq_args(a), h_from="prev"),
                    "your h_t uses tanh(c_{t-1}); it is o ⊙ tanh(c_t)."),
            Variant("missing-tanh-on-cell", lambda a: own_forward(*_seq_args(a), cell_tanh=False),
                    "your h_t = o ⊙ c_t; it is o ⊙ tanh(c_t)."),
            Variant("swapped-gates", lambda a: own_forward(*_seq_args(a), order=(1, 0, 2, 3)),
                    "your steps read the gates as f, i, g, o; the stacked order is i, f, g, o."),
            Variant("missing-bias", lambda a: own_forward(*_seq_args(a), bias=False),
                    "your steps leave out the bias b."),
        ),
        hint="loop over t with your lstm_step_forward, carrying (h, c); store h_t in h[:, t].",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32", "extreme"})),
    Spec(
        name="lstm_step_backward", make=_make_step_back,
        call=_call_step_back, take=take_all(STEP_BACK_PARTS), parts=STEP_BACK_PARTS,
        reference=lambda a: tuple(_step_bwd(a["dnext_h"], a["dnext_c"], a["cache"])),
        variants=(*(_step_back_variant(m, s, **f) for m, s, f in _BACK_COMMON),
                  _step_back_variant("missing-dnext-c", "your dc ignores dnext_c: dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²(c_t)).",
                      use_dnc=False)),
        hint="do = dnext_h ⊙ tanh(c); dc = dnext_c + dnext_h ⊙ o ⊙ (1 − tanh²(c)); di = dc ⊙ g, df = dc ⊙ prev_c, "
             "dg = dc ⊙ i; then through σ' and tanh' into da (N, 4H).",
        hidden_kinds=frozenset({"batch 1", "H = D", "H = 1", "float32"})),
    Spec(
        name="lstm_backward", make=_make_seq_back,
        call=_call_seq_back, take=take_all(SEQ_BACK_PARTS), parts=SEQ_BACK_PARTS,
        reference=lambda a: tuple(_seq_bwd(a["dh"], a["cache"])),
        variants=(
            _seq_back_variant("missing-recurrent-grad", "at each step you use only dh[:, t]; add dprev_h from step t + 1.",
                recurrent=False),
            _seq_back_variant("missing-cell-grad-through-time", "your dprev_c is not carried back; pass it as dnext_c to step t − 1.",
                cell_through_time=False),
            *(_seq_back_variant(m, s, **f) for m, s, f in _BACK_COMMON if m != "swapped-gates"),
        ),
        hint="from t = T − 1 down: dnext_h = dh[:, t] + dprev_h, dnext_c = dprev_c; sum the weight gradients.",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32"})),
    Spec(
        name="grad_check", make=_make_gc, call=_call_gc,
        take=take_array("grad"), parts=("grad",),
        reference=lambda a: (_call_gc(_grad_check, a),),
        variants=(
            Variant("forward-difference", lambda a: _grad_check_variant(a, scheme="forward"),
                    "your gradient matches forward differences (f(x + h) − f(x)) / h; use central ones, "
                    "(f(x + h) − f(x − h)) / (2h)."),
            Variant("missing-half", lambda a: _grad_check_variant(a, scheme="half"),
                    "your gradient is twice too large: divide by 2h, not h."),
            Variant("missing-upstream-weight", lambda a: _grad_check_variant(a, weighted=False),
                    "your gradient is of sum(f()); weight by the upstream gradient: sum(f() * df)."),
        ),
        hint="for each index k: x[k] += h, L+ = sum(f() * df); x[k] −= 2h, L− = ...; restore x[k]; "
             "grad[k] = (L+ − L−) / (2h).",
        hidden_kinds=frozenset({"batch 1", "H = 1"})),
]}
