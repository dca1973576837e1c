"""Chapters 3-7: the sigmoid, the generic gate and the four steps of the LSTM cell.

Inputs are ``prev_h`` (N, H), ``x`` (N, D), ``W_*`` (H, H + D), ``b_*`` (H,),
``prev_c``, ``f``, ``i``, ``c_tilde``, ``o``, ``c`` (N, H).
"""
from __future__ import annotations

import numpy as np

from .._numeric import affine_hx, sig, tanh
from .._refs import ref
from ._common import call_positional, extreme_factor, normal, take_array, uniform, weight
from ._types import Inputs, Spec, Variant

__all__ = ["SPECS"]


def _make_x(case) -> Inputs:
    rng = case.rng()
    x = normal(rng, (case.N, case.H), case, 3.0 * extreme_factor(case))
    if case.scale == "extreme":
        x.flat[:2] = [1000.0, -1000.0][: x.size]
    return Inputs(x=x)


def _gate_maker(wn, bn):
    def make(case) -> Inputs:
        rng = case.rng()
        N, D, H = case.N, case.D, case.H
        return Inputs(prev_h=uniform(rng, (N, H), case), x=normal(rng, (N, D), case),
                      **{wn: weight(rng, (H, H + D), H + D, case),
                         bn: normal(rng, (H,), case, 0.5 * extreme_factor(case))})
    return make


def _own_gate(act):
    def own(prev_h, x, W, b):
        return act(affine_hx(prev_h, x, W, b))
    return own


def _gate_variants(wn, bn, act, right, wrong, wrong_name):
    """The usual mistakes in act(W · [h, x] + b)."""
    W, b = wn, bn
    name = "σ" if right == "sigmoid-gate" else "tanh"
    return (
        Variant("concat-order", lambda a: (act(affine_hx(a["x"], a["prev_h"], a[W], a[b])),),
                f"your output equals {name}({W} · [x, h] + {b}): the concatenation order is "
                f"[h_{{t-1}}, x_t], hidden state first."),
        Variant("missing-bias", lambda a: (act(affine_hx(a["prev_h"], a["x"], a[W], None)),),
                f"your output equals {name}({W} · [h, x]): the bias {b} is missing."),
        Variant("bias-outside-activation",
                lambda a: (act(affine_hx(a["prev_h"], a["x"], a[W], None)) + a[b],),
                f"your output equals {name}({W} · [h, x]) + {b}: the bias goes inside, "
                f"before the nonlinearity."),
        Variant(wrong, lambda a: (wrong_name[1](affine_hx(a["prev_h"], a["x"], a[W], a[b])),),
                f"your output equals {wrong_name[0]}({W} · [h, x] + {b}): "
                + ("a gate needs σ, whose values lie in (0, 1)." if wrong == "tanh-for-sigmoid"
                   else "the candidate needs tanh, whose values lie in (−1, 1).")),
        Variant("missing-activation", lambda a: (affine_hx(a["prev_h"], a["x"], a[W], a[b]),),
                f"your output equals {W} · [h, x] + {b} with no nonlinearity: apply {name}."),
    )


def _gate_spec(name, wn, bn, act=sig, allowed=None):
    is_sig = act is sig
    variants = _gate_variants(
        wn, bn, act, "sigmoid-gate" if is_sig else "tanh-candidate",
        "tanh-for-sigmoid" if is_sig else "sigmoid-for-tanh",
        ("tanh", tanh) if is_sig else ("σ", sig))
    out = "c_tilde" if name == "candidate" else name[0] if name != "gate" else "gate"
    own = _own_gate(act)
    fn = ref(name, own)
    kw = {} if allowed is None else {"allowed": allowed}
    return Spec(
        name=name, make=_gate_maker(wn, bn), call=call_positional,
        take=take_array(out), parts=(out,), reference=lambda a: (fn(*a.values()),),
        variants=variants,
        hint=(f"{'σ' if is_sig else 'tanh'}({wn} · [h_{{t-1}}, x_t] + {bn}) is "
              f"{'sigmoid' if is_sig else 'np.tanh'}(np.concatenate([prev_h, x], axis=1) @ {wn}.T + {bn})."),
        hidden_kinds=frozenset({"batch 1", "H = D", "H = 1", "float32", "extreme"}), **kw)


def _make_update(case) -> Inputs:
    rng = case.rng()
    s = (case.N, case.H)
    return Inputs(prev_c=normal(rng, s, case, 1.5 * extreme_factor(case)),
                  f=uniform(rng, s, case, 0, 1), i=uniform(rng, s, case, 0, 1),
                  c_tilde=uniform(rng, s, case))


def _own_update(prev_c, f, i, c_tilde):
    return f * prev_c + i * c_tilde


def _make_hidden(case) -> Inputs:
    rng = case.rng()
    s = (case.N, case.H)
    return Inputs(o=uniform(rng, s, case, 0, 1), c=normal(rng, s, case, 1.5 * extreme_factor(case)))


_update = ref("update_cell", _own_update)
_hidden = ref("hidden_state", lambda o, c: o * tanh(c))
_sigmoid = ref("sigmoid", sig)

SPECS = {s.name: s for s in [
    Spec(
        name="sigmoid", make=_make_x, call=call_positional,
        take=take_array("s"), parts=("s",), reference=lambda a: (_sigmoid(a["x"]),),
        variants=(
            Variant("tanh-for-sigmoid", lambda a: (tanh(a["x"]),),
                    "your output equals tanh(x); the sigmoid is 1 / (1 + exp(−x)), values in (0, 1)."),
            Variant("sign-flipped", lambda a: (sig(-a["x"]),),
                    "your output equals σ(−x) = 1 / (1 + exp(x)): the sign inside exp is flipped."),
        ),
        allowed=frozenset(), hint="σ(x) = 1 / (1 + exp(−x)); for x < 0 use exp(x) / (1 + exp(x)).",
        hidden_kinds=frozenset({"batch 1", "H = 1", "float32", "extreme"})),
    _gate_spec("gate", "W", "b", allowed=frozenset()),
    _gate_spec("forget_gate", "W_f", "b_f"),
    _gate_spec("input_gate", "W_i", "b_i"),
    _gate_spec("candidate", "W_c", "b_c", act=tanh),
    Spec(
        name="update_cell", make=_make_update, call=call_positional,
        take=take_array("c"), parts=("c",), reference=lambda a: (_update(*a.values()),),
        variants=(
            Variant("swapped-gates", lambda a: (a["i"] * a["prev_c"] + a["f"] * a["c_tilde"],),
                    "your output equals i ⊙ c_{t-1} + f ⊙ c̃_t: the gates are swapped; the forget "
                    "gate scales the old cell, the input gate the candidate."),
            Variant("forget-means-erase",
                    lambda a: ((1 - a["f"]) * a["prev_c"] + a["i"] * a["c_tilde"],),
                    "your output equals (1 − f) ⊙ c_{t-1} + i ⊙ c̃_t: f = 1 means keep the old "
                    "cell, so it is f ⊙ c_{t-1}."),
            Variant("missing-input-gate", lambda a: (a["f"] * a["prev_c"] + a["c_tilde"],),
                    "your output equals f ⊙ c_{t-1} + c̃_t: the input gate i must scale the candidate."),
            Variant("missing-forget-gate", lambda a: (a["prev_c"] + a["i"] * a["c_tilde"],),
                    "your output equals c_{t-1} + i ⊙ c̃_t: the forget gate f must scale the old cell."),
            Variant("tanh-on-cell-update",
                    lambda a: (tanh(a["f"] * a["prev_c"] + a["i"] * a["c_tilde"]),),
                    "your output equals tanh(f ⊙ c_{t-1} + i ⊙ c̃_t): the cell state is not "
                    "squashed (that is what lets it carry gradients far)."),
            Variant("candidate-squashed-twice",
                    lambda a: (a["f"] * a["prev_c"] + a["i"] * tanh(a["c_tilde"]),),
                    "your output equals f ⊙ c_{t-1} + i ⊙ tanh(c̃_t): c̃_t is already the output of "
                    "a tanh (step 2); use it as it is."),
            Variant("product-for-sum",
                    lambda a: (a["f"] * a["prev_c"] * a["i"] * a["c_tilde"],),
                    "your output multiplies the two terms: the cell update adds what is kept to "
                    "what is written, f ⊙ c_{t-1} + i ⊙ c̃_t."),
        ),
        hint="c_t = f ⊙ c_{t-1} + i ⊙ c̃_t, all elementwise (*), no matrix product.",
        hidden_kinds=frozenset({"batch 1", "H = 1", "float32", "extreme"})),
    _gate_spec("output_gate", "W_o", "b_o"),
    Spec(
        name="hidden_state", make=_make_hidden, call=call_positional,
        take=take_array("h"), parts=("h",), reference=lambda a: (_hidden(*a.values()),),
        variants=(
            Variant("missing-tanh-on-cell", lambda a: (a["o"] * a["c"],),
                    "your output equals o ⊙ c: the cell state goes through tanh first, h = o ⊙ tanh(c)."),
            Variant("sigmoid-for-tanh", lambda a: (a["o"] * sig(a["c"]),),
                    "your output equals o ⊙ σ(c): the cell is squashed with tanh, not σ."),
            Variant("tanh-outside-product", lambda a: (tanh(a["o"] * a["c"]),),
                    "your output equals tanh(o ⊙ c): take tanh of c first, then multiply by o."),
        ),
        hint="h_t = o_t ⊙ tanh(c_t), elementwise.",
        hidden_kinds=frozenset({"batch 1", "H = 1", "float32", "extreme"})),
]}
