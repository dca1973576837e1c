"""Chapter 10: peephole, coupled-gate and GRU steps (stacked forms as in lstm_ref.variants)."""
from __future__ import annotations

import numpy as np

from .._numeric import sig, tanh
from .._refs import ref
from ._common import call_positional, extreme_factor, normal, take_first, uniform, weight
from ._types import Inputs, Spec, Variant

__all__ = ["SPECS"]


def own_peephole(x, h, c, Wx, Wh, b, P, o_sees="new", rows=(0, 1, 2), use_P=True):
    """(next_h, next_c): i, f see c_{t-1} through P[0], P[1]; o sees c_t through P[2]."""
    H = h.shape[1]
    a = x @ Wx + h @ Wh + b
    Q = P[list(rows)] if use_P else np.zeros_like(P)
    i = sig(a[:, :H] + Q[0] * c)
    f = sig(a[:, H:2 * H] + Q[1] * c)
    g = tanh(a[:, 2 * H:3 * H])
    nc = f * c + i * g
    o = sig(a[:, 3 * H:] + Q[2] * (nc if o_sees == "new" else c))
    return o * tanh(nc), nc


def own_coupled(x, h, c, Wx, Wh, b, swap_terms=False, order=(0, 1, 2), h_from="new", cell_tanh=True):
    """(next_h, next_c) with i = 1 − f; gate order f, g, o."""
    H = h.shape[1]
    a = x @ Wx + h @ Wh + b
    bl = [a[:, k * H:(k + 1) * H] for k in order]
    f, g, o = sig(bl[0]), tanh(bl[1]), sig(bl[2])
    nc = (1 - f) * c + f * g if swap_terms else f * c + (1 - f) * g
    src = nc if h_from == "new" else c
    return o * (tanh(src) if cell_tanh else src), nc


def own_gru(x, h, Wx, Wh, bx, bh, order=(0, 1, 2), swap_terms=False, reset="pytorch", gate_act=sig):
    """(next_h,) with PyTorch's equations; gate order r, z, n."""
    H = h.shape[1]
    ax = x @ Wx + bx
    ah = h @ Wh + bh
    blk = lambda a, k: a[:, order[k] * H:(order[k] + 1) * H]  # noqa: E731
    r = gate_act(blk(ax, 0) + blk(ah, 0))
    z = gate_act(blk(ax, 1) + blk(ah, 1))
    if reset == "pytorch":
        hn = r * blk(ah, 2)
    elif reset == "before":
        hn = (r * h) @ Wh[:, 2 * H:] + bh[2 * H:]
    else:  # bias outside the reset
        hn = r * (h @ Wh[:, 2 * H:]) + bh[2 * H:]
    n = tanh(blk(ax, 2) + hn)
    return ((z * n + (1 - z) * h) if swap_terms else ((1 - z) * n + z * h),)


def _make(k, peephole=False, two_biases=False, cell=True):
    def make(case) -> Inputs:
        rng = case.rng()
        N, D, H = case.N, case.D, case.H
        a = Inputs(x=normal(rng, (N, D), case), prev_h=uniform(rng, (N, H), case))
        if cell:
            a["prev_c"] = normal(rng, (N, H), case)
        a["Wx"] = weight(rng, (D, k * H), D, case)
        a["Wh"] = weight(rng, (H, k * H), H, case)
        scale = 0.5 * extreme_factor(case)
        if two_biases:
            a["bx"], a["bh"] = normal(rng, (k * H,), case, scale), normal(rng, (k * H,), case, scale)
        else:
            a["b"] = normal(rng, (k * H,), case, scale)
        if peephole:
            a["P"] = normal(rng, (3, H), case, extreme_factor(case))
        return a
    return make


_peep = ref("peephole_step_forward", None)
_coup = ref("coupled_step_forward", None)
_gru = ref("gru_step_forward", None)
_TWO = ("next_h", "next_c")


def _v(mid, own, says, **flags):
    return Variant(mid, lambda a: tuple(own(*a.values(), **flags)), says)


_KINDS = frozenset({"batch 1", "H = D", "H = 1", "float32", "extreme"})

SPECS = {s.name: s for s in [
    Spec(
        name="peephole_step_forward", make=_make(4, peephole=True),
        call=call_positional, take=take_first(_TWO, ("next_h", "next_c", "cache")), parts=_TWO,
        reference=lambda a: tuple(_peep(*a.values())[:2]),
        variants=(
            _v("prev-cell-for-new", own_peephole, "your output gate peeks at c_{t-1}; o sees the new cell, "
               "σ(a_o + P[2] ⊙ c_t).", o_sees="prev"),
            _v("missing-peephole", own_peephole, "your gates ignore P: add P[0] ⊙ c_{t-1} to i, P[1] ⊙ c_{t-1} "
               "to f and P[2] ⊙ c_t to o.", use_P=False),
            _v("swapped-gates", own_peephole, "your peephole rows are swapped: P[0] is i's, P[1] f's, P[2] o's.",
               rows=(1, 0, 2)),
        ),
        hint="as the LSTM step, with i = σ(a_i + P[0] ⊙ c_{t-1}), f = σ(a_f + P[1] ⊙ c_{t-1}), "
             "o = σ(a_o + P[2] ⊙ c_t).", hidden_kinds=_KINDS),
    Spec(
        name="coupled_step_forward", make=_make(3),
        call=call_positional, take=take_first(_TWO, ("next_h", "next_c", "cache")), parts=_TWO,
        reference=lambda a: tuple(_coup(*a.values())[:2]),
        variants=(
            _v("one-minus-on-wrong-term", own_coupled, "your next_c = (1 − f) ⊙ prev_c + f ⊙ g; it is "
               "f ⊙ prev_c + (1 − f) ⊙ g.", swap_terms=True),
            _v("swapped-gates", own_coupled, "your gates read the blocks as g, f, o; the order is f, g, o.",
               order=(1, 0, 2)),
            _v("swapped-gates", own_coupled, "your gates read the blocks as f, o, g; the order is f, g, o.",
               order=(0, 2, 1)),
            _v("prev-cell-for-new", own_coupled, "your next_h uses tanh(prev_c); it is o ⊙ tanh(next_c).",
               h_from="prev"),
            _v("missing-tanh-on-cell", own_coupled, "your next_h = o ⊙ next_c; it is o ⊙ tanh(next_c).",
               cell_tanh=False),
        ),
        hint="a = x Wx + prev_h Wh + b (N, 3H) with blocks f, g, o; next_c = f ⊙ prev_c + (1 − f) ⊙ g.",
        hidden_kinds=_KINDS),
    Spec(
        name="gru_step_forward", make=_make(3, two_biases=True, cell=False),
        call=call_positional, take=take_first(("next_h",), ("next_h", "cache")), parts=("next_h",),
        reference=lambda a: (_gru(*a.values())[0],),
        variants=(
            _v("swapped-gates", own_gru, "your r and z are swapped: the blocks are r, z, n.", order=(1, 0, 2)),
            _v("one-minus-on-wrong-term", own_gru, "your next_h = z ⊙ n + (1 − z) ⊙ h; it is "
               "(1 − z) ⊙ n + z ⊙ h.", swap_terms=True),
            _v("reset-before-projection", own_gru, "you reset h before the product, (r ⊙ h) W_hn (Cho et al.'s "
               "GRU); here n = tanh(x W_n + b_xn + r ⊙ (h W_hn + b_hn)).", reset="before"),
            _v("bias-outside-reset", own_gru, "your b_hn is outside the reset; it is r ⊙ (h W_hn + b_hn).",
               reset="bias-outside"),
            _v("tanh-for-sigmoid", own_gru, "your r and z use tanh; gates use σ.", gate_act=tanh),
        ),
        hint="r, z = σ(x W + bx + h W + bh) blocks 0 and 1; n = tanh(x W_n + b_xn + r ⊙ (h W_hn + b_hn)); "
             "next_h = (1 − z) ⊙ n + z ⊙ h.", hidden_kinds=_KINDS),
]}
