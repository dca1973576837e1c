"""Chapters 1-2: the plain RNN forward and backward, and the gradient-norm measurement.

h_t = tanh(x_t Wx + h_{t-1} Wh + b) with ``x`` (N, D) or (N, T, D),
``h`` (N, H), ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,).
The own implementations below take flags that turn them into the known
wrong variants; with no flags they equal the reference.
"""
from __future__ import annotations

import numpy as np

from .._numeric import dtanh_from_out, sig, tanh
from .._refs import ref
from ._common import call_positional, extreme_factor, normal, take_array, take_all, take_first, uniform, weight
from ._types import Inputs, Spec, Variant

__all__ = ["SPECS"]


def _pre(x, h, Wx, Wh, b, bias=True, transposed=False, swapped=False):
    if swapped:
        z = x @ Wh + h @ Wx
    else:
        z = x @ Wx + h @ (Wh.T if transposed else Wh)
    return z + b if bias else z


def own_step(x, h, Wx, Wh, b, act=tanh, **flags):
    """tanh(x Wx + h Wh + b): (N, D), (N, H) -> (N, H); flags make the wrong variants."""
    return act(_pre(x, h, Wx, Wh, b, **flags))


def own_forward(x, h0, Wx, Wh, b, act=tanh, carry=True, reverse=False, **flags):
    """Loop of own_step over T: x (N, T, D) -> h (N, T, H)."""
    hs, h = [], h0
    for t in range(x.shape[1]):
        h = own_step(x[:, t], h if carry else h0, Wx, Wh, b, act, **flags)
        hs.append(h)
    out = np.stack(hs, axis=1)
    return out[:, ::-1] if reverse else out


def own_step_back(x, h, Wx, Wh, b, dnext, deriv="right", transposed=False, mean=False):
    """(dx, dprev_h, dWx, dWh, db) of one step; deriv is right, missing or at-output."""
    nh = own_step(x, h, Wx, Wh, b)
    da = {"right": dnext * dtanh_from_out(nh), "missing": dnext,
          "at-output": dnext * (1 - np.tanh(nh) ** 2)}[deriv]
    k = 1.0 / x.shape[0] if mean else 1.0
    return (da @ Wx.T, da @ (Wh if transposed else Wh.T), k * (x.T @ da), k * (h.T @ da),
            k * da.sum(axis=0))


def own_backward(x, h0, Wx, Wh, b, dh, recurrent=True, **flags):
    """(dx, dh0, dWx, dWh, db) over a sequence, by own_step_back from the last step."""
    N, T, _ = x.shape
    hs = own_forward(x, h0, Wx, Wh, b)
    prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dcarry = np.zeros_like(h0)
    for t in reversed(range(T)):
        up = dh[:, t] + (dcarry if recurrent else 0)
        dx[:, t], dcarry, gWx, gWh, gb = own_step_back(x[:, t], prev[:, t], Wx, Wh, b, up, **flags)
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
    return dx, dcarry, dWx, dWh, db


def own_gradient_norms(x, h0, Wx, Wh, b, dh_last, deriv="right", transposed=False, reverse=False):
    """norms (T,): ‖∂L/∂h_t‖ (Frobenius over the batch) for L = Σ dh_last ⊙ h_{T-1}."""
    hs = own_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    norms = np.zeros(T)
    dh = dh_last
    for t in reversed(range(T)):
        norms[t] = np.sqrt(np.sum(dh.astype(np.float64) ** 2))
        da = {"right": dh * dtanh_from_out(hs[:, t]), "missing": dh,
              "at-output": dh * (1 - np.tanh(hs[:, t]) ** 2)}[deriv]
        dh = da @ (Wh if transposed else Wh.T)
    return norms[::-1].copy() if reverse else norms


def _weights(rng, case):
    D, H = case.D, case.H
    return dict(Wx=weight(rng, (D, H), D, case), Wh=weight(rng, (H, H), H, case),
                b=normal(rng, (H,), case, 0.5 * extreme_factor(case)))


def _make_step(case) -> Inputs:
    rng = case.rng()
    return Inputs(x=normal(rng, (case.N, case.D), case), prev_h=uniform(rng, (case.N, case.H), case),
                  **_weights(rng, case))


def _make_seq(case) -> Inputs:
    rng = case.rng()
    return Inputs(x=normal(rng, (case.N, case.T, case.D), case),
                  h0=uniform(rng, (case.N, case.H), case), **_weights(rng, case))


_step_fwd = ref("rnn_step_forward", None)
_seq_fwd = ref("rnn_forward", None)
_step_bwd = ref("rnn_step_backward", None)
_seq_bwd = ref("rnn_backward", None)


def _make_step_back(case) -> Inputs:
    a = _make_step(case)
    rng = np.random.default_rng(case.seed + 1)
    a["dnext_h"] = normal(rng, (case.N, case.H), case)
    a["cache"] = _step_fwd(a["x"], a["prev_h"], a["Wx"], a["Wh"], a["b"])[1]
    return a


def _make_seq_back(case) -> Inputs:
    a = _make_seq(case)
    rng = np.random.default_rng(case.seed + 1)
    a["dh"] = normal(rng, (case.N, case.T, case.H), case)
    a["cache"] = _seq_fwd(a["x"], a["h0"], a["Wx"], a["Wh"], a["b"])[1]
    return a


def _make_norms(case) -> Inputs:
    a = _make_seq(case)
    rng = np.random.default_rng(case.seed + 1)
    a["dh_last"] = normal(rng, (case.N, case.H), case)
    a["cache"] = _seq_fwd(a["x"], a["h0"], a["Wx"], a["Wh"], a["b"])[1]
    return a


def _call_with_cache(upstream):
    """Call fn(upstream, cache) with the cache from the student's forward if given."""
    def call(fn, a, forward=None):
        if forward is None:
            cache = a["cache"]
        else:
            raw = [a[k] for k in ("x", "prev_h" if "prev_h" in a else "h0", "Wx", "Wh", "b")]
            cache = forward(*raw)[-1]
        return fn(a[upstream], cache)
    return call


def _step_args(a):
    return a["x"], a["prev_h"], a["Wx"], a["Wh"], a["b"]


def _seq_args(a):
    return a["x"], a["h0"], a["Wx"], a["Wh"], a["b"]


STEP_PARTS = ("dx", "dprev_h", "dWx", "dWh", "db")
SEQ_PARTS = ("dx", "dh0", "dWx", "dWh", "db")
_TANH_HINT = "h = tanh(a), so da = dnext_h ⊙ (1 − h²); then dx = da Wxᵀ, dprev_h = da Whᵀ, dWx = xᵀ da, dWh = prev_hᵀ da, db = Σ_n da."

SPECS = {s.name: s for s in [
    Spec(
        name="rnn_step_forward", make=_make_step, call=call_positional,
        take=take_first(("next_h",), ("next_h", "cache")), parts=("next_h",),
        reference=lambda a: (_step_fwd(*_step_args(a))[0],),
        variants=(
            Variant("missing-bias", lambda a: (own_step(*_step_args(a), bias=False),),
                    "your next_h equals tanh(x Wx + prev_h Wh): the bias b is missing."),
            Variant("sigmoid-for-tanh", lambda a: (own_step(*_step_args(a), act=sig),),
                    "your next_h equals σ(x Wx + prev_h Wh + b): the RNN uses tanh."),
            Variant("missing-activation", lambda a: (own_step(*_step_args(a), act=lambda z: z),),
                    "your next_h equals x Wx + prev_h Wh + b with no tanh."),
            Variant("transposed-weights", lambda a: (own_step(*_step_args(a), transposed=True),),
                    "your next_h equals tanh(x Wx + prev_h Whᵀ + b): Wh is (H, H) and used as it is, prev_h @ Wh."),
            Variant("swapped-weights", lambda a: (own_step(*_step_args(a), swapped=True),),
                    "your next_h equals tanh(x Wh + prev_h Wx + b): Wx goes with x, Wh with prev_h."),
        ),
        hint="next_h = np.tanh(x @ Wx + prev_h @ Wh + b).",
        hidden_kinds=frozenset({"batch 1", "H = D", "H = 1", "float32", "extreme"})),
    Spec(
        name="rnn_forward", make=_make_seq, call=call_positional,
        take=take_first(("h",), ("h", "cache")), parts=("h",),
        reference=lambda a: (_seq_fwd(*_seq_args(a))[0],),
        variants=(
            Variant("state-not-carried", lambda a: (own_forward(*_seq_args(a), carry=False),),
                    "every step of your h starts from h0: feed each step the previous step's hidden state."),
            Variant("reversed-time", lambda a: (own_forward(*_seq_args(a), reverse=True),),
                    "your h lists the time steps last to first: h[:, t] is the state after step t."),
            Variant("missing-bias", lambda a: (own_forward(*_seq_args(a), bias=False),),
                    "your h is computed without the bias b."),
            Variant("transposed-weights", lambda a: (own_forward(*_seq_args(a), transposed=True),),
                    "your h uses prev_h @ Wh.T: Wh is used as it is, prev_h @ Wh."),
            Variant("sigmoid-for-tanh", lambda a: (own_forward(*_seq_args(a), act=sig),),
                    "your h uses σ where the RNN uses tanh."),
        ),
        hint="loop over t: h_t = tanh(x[:, t] @ Wx + h_{t-1} @ Wh + b), starting from h0; stack into (N, T, H).",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32", "extreme"})),
    Spec(
        name="rnn_step_backward", make=_make_step_back,
        call=_call_with_cache("dnext_h"), take=take_all(STEP_PARTS), parts=STEP_PARTS,
        reference=lambda a: tuple(_step_bwd(a["dnext_h"], a["cache"])),
        variants=(
            Variant("missing-activation-grad", lambda a: own_step_back(*_step_args(a), a["dnext_h"], deriv="missing"),
                    "your gradients skip tanh's derivative: da = dnext_h ⊙ (1 − next_h²)."),
            Variant("grad-at-wrong-point", lambda a: own_step_back(*_step_args(a), a["dnext_h"], deriv="at-output"),
                    "your gradients use 1 − tanh²(next_h); next_h is already tanh(a), so it is 1 − next_h²."),
            Variant("transposed-weights", lambda a: own_step_back(*_step_args(a), a["dnext_h"], transposed=True),
                    "your dprev_h is da @ Wh; it is da @ Wh.T."),
            Variant("mean-for-sum", lambda a: own_step_back(*_step_args(a), a["dnext_h"], mean=True),
                    "your dWx, dWh, db are averaged over the batch; they are sums."),
        ),
        hint=_TANH_HINT, hidden_kinds=frozenset({"batch 1", "H = D", "H = 1", "float32"})),
    Spec(
        name="rnn_backward", make=_make_seq_back,
        call=_call_with_cache("dh"), take=take_all(SEQ_PARTS), parts=SEQ_PARTS,
        reference=lambda a: tuple(_seq_bwd(a["dh"], a["cache"])),
        variants=(
            Variant("missing-recurrent-grad", lambda a: own_backward(*_seq_args(a), a["dh"], recurrent=False),
                    "at each step you use only dh[:, t]; add the gradient dprev_h coming back from step t + 1."),
            Variant("missing-activation-grad", lambda a: own_backward(*_seq_args(a), a["dh"], deriv="missing"),
                    "your gradients skip tanh's derivative (1 − h_t²)."),
            Variant("transposed-weights", lambda a: own_backward(*_seq_args(a), a["dh"], transposed=True),
                    "your dprev_h is da @ Wh; it is da @ Wh.T."),
            Variant("mean-for-sum", lambda a: own_backward(*_seq_args(a), a["dh"], mean=True),
                    "your weight gradients are averaged over the batch; they are sums."),
        ),
        hint="go from t = T − 1 down to 0, adding dh[:, t] to the dprev_h of step t + 1; sum dWx, dWh, db over steps.",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32"})),
    Spec(
        name="gradient_norms", make=_make_norms,
        call=_call_with_cache("dh_last"), take=take_array("norms"), parts=("norms",),
        reference=lambda a: (own_gradient_norms(*_seq_args(a), a["dh_last"]),),
        variants=(
            Variant("reversed-time", lambda a: (own_gradient_norms(*_seq_args(a), a["dh_last"], reverse=True),),
                    "your norms are listed last step first; norms[t] belongs to h_t, so norms[-1] = ‖dh_last‖."),
            Variant("missing-activation-grad", lambda a: (own_gradient_norms(*_seq_args(a), a["dh_last"], deriv="missing"),),
                    "your norms skip tanh's derivative: dh_{t-1} = (dh_t ⊙ (1 − h_t²)) Whᵀ."),
            Variant("grad-at-wrong-point", lambda a: (own_gradient_norms(*_seq_args(a), a["dh_last"], deriv="at-output"),),
                    "your norms use 1 − tanh²(h_t); it is 1 − h_t²."),
            Variant("transposed-weights", lambda a: (own_gradient_norms(*_seq_args(a), a["dh_last"], transposed=True),),
                    "your norms use Wh where Whᵀ belongs: dh_{t-1} = da_t @ Wh.T."),
        ),
        hint="norms[t] = ‖∂L/∂h_t‖ over the whole batch (np.linalg.norm of an (N, H) array); start with dh_last at t = T − 1.",
        hidden_kinds=frozenset({"batch 1", "one time step", "H = D", "H = 1"})),
]}
