"""Chapter 11: clipping by global norm, and sampling with a temperature.

``clip_grad_norm(grads, max_norm) -> total_norm`` changes ``grads`` (a dict of
arrays) in place and returns the global norm before clipping.
``sample_next(logits, temperature, rng) -> int``: ``logits`` (V,), a draw
from softmax(logits / temperature) made with ``rng`` (a ``np.random.Generator``);
checked statistically, since any correct way of drawing is accepted.
"""
from __future__ import annotations

import numpy as np

from .._misconceptions import tag
from .._numeric import softmax
from .._refs import ref
from .._run import run_answer
from .._text import say
from ._types import Inputs, Spec, Variant

__all__ = ["SPECS"]

KEYS = ("dWx", "dWh", "db")


def own_clip(grads, max_norm, mode="global", always=False, report="before", sqrt=True, in_place=True):
    """(total_norm, *clipped grads) without touching ``grads``; flags make the wrong variants."""
    g = {k: v.copy() for k, v in grads.items()}
    sq = sum(float(np.sum(np.square(v, dtype=np.float64))) for v in g.values())
    total = np.sqrt(sq) if sqrt else sq
    if in_place:
        if mode == "global":
            if always or total > max_norm:
                for v in g.values():
                    v *= max_norm / total
        elif mode == "tensor":
            for v in g.values():
                n = np.sqrt(np.sum(np.square(v, dtype=np.float64)))
                if n > max_norm:
                    v *= max_norm / n
        else:
            for v in g.values():
                np.clip(v, -max_norm, max_norm, out=v)
    if report == "after":
        total = min(total, max_norm)
    return (total, *g.values())


def _make_clip(case) -> Inputs:
    rng = case.rng()
    D, H = case.D, case.H
    scale = 10.0 * rng.uniform(0.5, 2.0)
    grads = {"dWx": (rng.standard_normal((D, 4 * H)) * scale).astype(case.dtype),
             "dWh": (rng.standard_normal((H, 4 * H)) * scale).astype(case.dtype),
             "db": (rng.standard_normal(4 * H) * scale).astype(case.dtype)}
    total = float(np.sqrt(sum(np.sum(np.square(v, dtype=np.float64)) for v in grads.values())))
    # Odd seeds clip, even seeds leave the gradients alone (both behaviours are graded).
    factor = rng.uniform(0.2, 0.6) if case.seed % 2 else rng.uniform(1.5, 3.0)
    return Inputs(grads=grads, max_norm=total * factor)


def _call_clip(fn, a, forward=None):
    return fn(a["grads"], a["max_norm"])


def _take_clip(ret, given):
    if ret is None:
        raise ValueError(say("your function returned None; return the global norm before clipping."))
    if isinstance(ret, (tuple, list, dict)):
        raise ValueError(say("your function should return one number (the norm), got a {type}.",
                             type=type(ret).__name__))
    return (ret, *(given["grads"][k] for k in KEYS))


_clip = ref("clip_grad_norm", None)


def _ref_clip(a):
    g = a["grads"]
    total = _clip(g, a["max_norm"])
    return (total, *(g[k] for k in KEYS))


def _cv(mid, says, **flags):
    return Variant(mid, lambda a: own_clip(a["grads"], a["max_norm"], **flags), says)


# ---- sampling -------------------------------------------------------------------------

DRAWS = 2000
TOLERANCE = 0.07   # total-variation distance; sampling noise at 2000 draws is about 0.02


def _tv(p, q) -> float:
    return 0.5 * float(np.abs(np.asarray(p) - np.asarray(q)).sum())


def _draw_many(fn, logits, temperature, seed, n):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        out.append(fn(logits, temperature, rng))
    return out


def _as_index(v, V):
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v.item()
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        return None
    return int(v) if 0 <= int(v) < V else None


def in_process_draw(fn):
    """``draw(logits, temperature, seed, n) -> Outcome``: ``n`` draws of ``fn`` with
    ``np.random.default_rng(seed)``, run here (the student's own check)."""
    def draw(logits, temperature, seed, n):
        return run_answer(_draw_many, fn, logits, temperature, seed, n)
    return draw


def check_sampling(fn, cases, hidden, integrity, draw=None) -> str | int:
    """Problem text, or the number of runs passed when fn's draws follow softmax(logits / T) and use rng.

    ``draw`` (see ``in_process_draw``) makes the draws; the trusted grader
    passes one that replays what the grading kernel answered.
    """
    return _judge_sampling(draw or in_process_draw(fn), cases, hidden)


def _judge_sampling(draw, cases, hidden) -> str | int:
    seed0 = cases[0].seed
    settings = [(0.5, seed0 + 11), (2.0, seed0 + 12), (1.0, seed0 + 13)]
    base = np.random.default_rng(seed0).normal(0, 1.5, 6)
    for temperature, seed in settings:
        logits = base.copy()
        outcome = draw(logits, temperature, seed, DRAWS)
        run = "\n  " + say("run: logits {logits}, temperature {temperature}, {draws} draws, seed {seed}",
                           logits=np.round(base, 3).tolist(), temperature=temperature, draws=DRAWS, seed=seed)
        if outcome.error:
            return say("your function raised {error}", error=outcome.error) + run
        if not np.array_equal(logits, base):
            return say("your function changed logits in place.") + f" {tag('input-modified')}{run}"
        idx = [_as_index(v, len(base)) for v in outcome.value]
        if len(idx) != DRAWS or any(i is None for i in idx):
            if None in idx:
                text = say("your function returned {value}; it should return one token index, "
                           "an int in 0..{last}.", value=repr(outcome.value[idx.index(None)]),
                           last=len(base) - 1)
            else:
                text = say("your function returned too few values; it should return one token index, "
                           "an int in 0..{last}.", last=len(base) - 1)
            return text + run
        freq = np.bincount(idx, minlength=len(base)) / DRAWS
        expected = softmax(base / temperature)
        if _tv(freq, expected) > TOLERANCE:
            return _explain_sampling(freq, expected, base, temperature) + run
        again = draw(base.copy(), temperature, seed, 20)
        if again.error or [_as_index(v, len(base)) for v in again.value] != idx[:20]:
            return (say("two runs with the same seeded rng gave different tokens: draw with the rng "
                        "argument (rng.choice(V, p=p)), not np.random.") + f" {tag('global-random-state')}{run}")
        if outcome.warnings:
            return say("NumPy warned: {warning}.", warning=outcome.warnings[0]) + f" {tag('unstable-softmax')}{run}"
    if hidden:
        return _extreme(draw, seed0 + 21) or len(settings) + 1
    return len(settings)


def _explain_sampling(freq, expected, logits, temperature) -> str:
    shown = say("your frequencies {freq}, expected about {expected}", freq=np.round(freq, 3).tolist(),
                expected=np.round(expected, 3).tolist())
    if freq.max() == 1.0 and int(freq.argmax()) == int(np.argmax(logits)):
        return (say("you always return the most likely token; draw at random from p.")
                + f" {shown} {tag('argmax-not-sample')}")
    if _tv(freq, softmax(logits)) <= TOLERANCE:
        return (say("your draws follow softmax(logits): divide the logits by the temperature before the "
                    "softmax.") + f" {shown} {tag('temperature-after-softmax')}")
    if _tv(freq, softmax(logits * temperature)) <= TOLERANCE:
        return (say("your draws follow softmax(logits × T); it is softmax(logits / T).")
                + f" {shown} {tag('temperature-multiplied')}")
    return say("your draws do not follow softmax(logits / T): {shown}", shown=shown)


def _extreme(draw, seed) -> str | None:
    logits = np.array([1000.0, -1000.0, 999.0, 0.0])
    outcome = draw(logits, 0.05, seed, 50)
    run = "\n  " + say("run: logits {logits}, temperature 0.05 (hidden, extreme)", logits=logits.tolist())
    if outcome.error:
        hint = f" {tag('unstable-softmax')}" if "NaN" in outcome.error or outcome.warnings else ""
        return say("your function raised {error}", error=outcome.error) + hint + run
    if outcome.warnings:
        return (say("NumPy warned: \"{warning}\"; subtract the largest logit before exp.",
                    warning=outcome.warnings[0]) + f" {tag('unstable-softmax')}{run}")
    if len(outcome.value) != 50 or any(_as_index(v, 4) != 0 for v in outcome.value):
        return say("with these logits the answer is token 0 every time, got {got}",
                   got=list(outcome.value)[:5]) + run
    return None


def _no_make(case):
    return Inputs()


SPECS = {s.name: s for s in [
    Spec(
        name="clip_grad_norm", make=_make_clip, call=_call_clip,
        take=_take_clip, parts=("total_norm", *(f"grads[{k!r}]" for k in KEYS)),
        reference=_ref_clip, mutates=frozenset({"grads"}),
        variants=(
            _cv("not-in-place", "your grads are unchanged; scale the arrays in place (g *= scale), "
                "the caller keeps using them.", in_place=False),
            _cv("per-tensor-clip", "you clipped each gradient by its own norm; scale all of them by "
                "max_norm / ‖g‖ with the global norm ‖g‖.", mode="tensor"),
            _cv("value-clip", "you clipped elements to ±max_norm (clip by value); scale by "
                "max_norm / ‖g‖ instead.", mode="value"),
            _cv("always-scaled", "you rescaled gradients whose norm was already below max_norm; "
                "only scale when ‖g‖ > max_norm.", always=True),
            _cv("returned-clipped-norm", "you returned the norm after clipping; return it before.",
                report="after"),
            _cv("missing-sqrt", "your norm is the sum of squares; take its square root.", sqrt=False),
        ),
        hint="‖g‖ = sqrt(Σ_k Σ g_k²) over all arrays; if ‖g‖ > max_norm: g_k *= max_norm / ‖g‖; return ‖g‖.",
        hidden_kinds=frozenset({"batch 1", "H = 1", "float32"})),
    Spec(
        name="sample_next", make=_no_make, call=None,
        take=None, parts=("token",), reference=None, special=check_sampling,
        hint="p = softmax(logits / temperature) (subtract the max first); return int(rng.choice(len(p), p=p)).",
        hidden_kinds=frozenset()),
]}
