"""Record every intermediate value of an LSTM run over one sequence.

The run goes step by step through the per-gate functions of ``lstm_ref``
(the book's form), so any of them can be swapped for a student's own:

    f_t = forget_gate(h_{t-1}, x_t, W_f, b_f)
    i_t = input_gate(h_{t-1}, x_t, W_i, b_i)
    c̃_t = candidate(h_{t-1}, x_t, W_c, b_c)
    c_t = update_cell(c_{t-1}, f_t, i_t, c̃_t)
    o_t = output_gate(h_{t-1}, x_t, W_o, b_o)
    h_t = hidden_state(o_t, c_t)

When student functions are given, the reference run is made as well and the
two are compared cell by cell, in two ways: ``differs`` (the student's chain
against the reference chain: what the picture shows) and ``blame`` (each
student function called on the reference's own inputs: which function is at
fault, without errors carried along the chain).
"""
from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np

import lstm_ref
from lstm_ref.validate import as_float, check_shape

from .compare import differing

__all__ = ["LSTMTrace", "STEP_FUNCTIONS", "VECTORS", "trace_lstm", "as_gate_params"]

#: The six per-gate functions a caller may replace, in the order they run.
STEP_FUNCTIONS = ("forget_gate", "input_gate", "candidate", "update_cell", "output_gate", "hidden_state")

#: Vectors recorded at every step, each (T, H).
VECTORS = ("h_prev", "c_prev", "f", "i", "c_tilde", "c", "o", "h")

# Which recorded vector each step function produces.
_OUTPUT_OF = {"forget_gate": "f", "input_gate": "i", "candidate": "c_tilde",
              "update_cell": "c", "output_gate": "o", "hidden_state": "h"}


class LSTMTrace(NamedTuple):
    """Every value of one LSTM run over a sequence of T steps.

    ``x`` (T, D); ``h_prev``, ``c_prev`` (T, H) are h_{t-1}, c_{t-1} at step t;
    ``f, i, c_tilde, c, o, h`` (T, H) are the gates, candidate and states at step t.
    ``differs``: vector name -> bool (T, H), True where this run differs from
    ``reference`` (empty when only the reference ran).
    ``blame``: function name -> bool (T, H), True where that student function,
    given the reference's inputs, disagrees with ``lstm_ref``.
    ``reference``: the reference run (None when this run is the reference).
    """

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    f: np.ndarray
    i: np.ndarray
    c_tilde: np.ndarray
    c: np.ndarray
    o: np.ndarray
    h: np.ndarray
    differs: dict
    blame: dict
    reference: "LSTMTrace | None"

    @property
    def T(self) -> int:
        return self.x.shape[0]

    @property
    def H(self) -> int:
        return self.h.shape[1]

    def any_differs(self) -> bool:
        """True when any recorded vector differs from the reference."""
        return any(bool(m.any()) for m in self.differs.values())


def as_gate_params(params) -> "lstm_ref.GateParams":
    """Accept a ``GateParams`` (per-gate form) or a stacked ``(Wx, Wh, b)``.

    ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,) are split with ``lstm_ref.split_gates``.
    """
    if isinstance(params, lstm_ref.GateParams):
        return params
    if isinstance(params, Mapping):
        if set(lstm_ref.GateParams._fields) <= set(params):
            return lstm_ref.GateParams(**{k: params[k] for k in lstm_ref.GateParams._fields})
        if {"Wx", "Wh", "b"} <= set(params):
            return lstm_ref.split_gates(params["Wx"], params["Wh"], params["b"])
    if isinstance(params, (tuple, list)) and len(params) == 3:
        return lstm_ref.split_gates(*params)
    raise ValueError(
        "params: expected a GateParams, a dict with W_i..b_o or Wx, Wh, b, "
        f"or a tuple (Wx (D, 4H), Wh (H, 4H), b (4H,)); got {type(params).__name__}"
    )


def _reference_functions() -> dict:
    return {name: getattr(lstm_ref, name) for name in STEP_FUNCTIONS}


def _check_funcs(funcs) -> dict:
    funcs = dict(funcs or {})
    unknown = set(funcs) - set(STEP_FUNCTIONS)
    if unknown:
        raise ValueError(f"funcs: unknown function name(s) {sorted(unknown)}; expected some of {list(STEP_FUNCTIONS)}")
    for name, fn in funcs.items():
        if not callable(fn):
            raise ValueError(f"funcs[{name!r}]: expected a function, got {type(fn).__name__}")
    return funcs


def _call(name: str, fn: Callable, args, H: int) -> np.ndarray:
    """Call one step function on a batch of one; return its (H,) row."""
    out = fn(*args)
    arr = np.asarray(out, dtype=np.float64)
    if arr.shape not in ((1, H), (H,)):
        raise ValueError(f"{name}: expected a result of shape (N, H) = (1, {H}), got {arr.shape}")
    return arr.reshape(H)


def _run(x, h0, c0, p, funcs) -> dict:
    """The six functions over T steps; returns name -> (T, H) arrays."""
    T, H = x.shape[0], h0.shape[0]
    rec = {k: np.empty((T, H)) for k in VECTORS}
    h, c = h0, c0
    for t in range(T):
        hb, xb, cb = h[None], x[t][None], c[None]
        f = _call("forget_gate", funcs["forget_gate"], (hb, xb, p.W_f, p.b_f), H)
        i = _call("input_gate", funcs["input_gate"], (hb, xb, p.W_i, p.b_i), H)
        g = _call("candidate", funcs["candidate"], (hb, xb, p.W_c, p.b_c), H)
        c_new = _call("update_cell", funcs["update_cell"], (cb, f[None], i[None], g[None]), H)
        o = _call("output_gate", funcs["output_gate"], (hb, xb, p.W_o, p.b_o), H)
        h_new = _call("hidden_state", funcs["hidden_state"], (o[None], c_new[None]), H)
        for k, v in zip(VECTORS, (h, c, f, i, g, c_new, o, h_new)):
            rec[k][t] = v
        h, c = h_new, c_new
    return rec


def _blame(ref: dict, funcs: dict, p, x, ref_funcs: dict, atol: float, rtol: float) -> dict:
    """Each student function on the reference's inputs, against the reference's output."""
    T = x.shape[0]
    args_of = {
        "forget_gate": lambda t: (ref["h_prev"][t][None], x[t][None], p.W_f, p.b_f),
        "input_gate": lambda t: (ref["h_prev"][t][None], x[t][None], p.W_i, p.b_i),
        "candidate": lambda t: (ref["h_prev"][t][None], x[t][None], p.W_c, p.b_c),
        "update_cell": lambda t: (ref["c_prev"][t][None], ref["f"][t][None], ref["i"][t][None], ref["c_tilde"][t][None]),
        "output_gate": lambda t: (ref["h_prev"][t][None], x[t][None], p.W_o, p.b_o),
        "hidden_state": lambda t: (ref["o"][t][None], ref["c"][t][None]),
    }
    H = ref["h"].shape[1]
    out = {}
    for name, fn in funcs.items():
        if fn is ref_funcs[name]:
            continue
        got = np.stack([_call(name, fn, args_of[name](t), H) for t in range(T)])
        out[name] = differing(got, ref[_OUTPUT_OF[name]], atol, rtol)
    return out


def trace_lstm(x, params, h0=None, c0=None, funcs=None, atol: float = 1e-6, rtol: float = 1e-5) -> LSTMTrace:
    """Run an LSTM over one sequence and record every intermediate value.

    ``x``: (T, D) one sequence (a batch of one, (1, T, D), is accepted too).
    ``params``: ``GateParams`` (per-gate ``W_*`` (H, H + D), ``b_*`` (H,)) or a
    stacked ``(Wx (D, 4H), Wh (H, 4H), b (4H,))``.
    ``h0``, ``c0``: (H,) or (1, H) initial states; None means zeros.
    ``funcs``: optional dict replacing some of ``STEP_FUNCTIONS`` (for example
    a student's ``forget_gate``); each takes and returns batches of row vectors
    with the ``lstm_ref`` signature. When given, the reference run is made too
    and cells are compared with ``|a - b| <= atol + rtol |b|`` (NaN differs).

    Returns an ``LSTMTrace``; all recorded arrays are float64.
    """
    x = as_float("x", x)
    if x.ndim == 3 and x.shape[0] == 1:
        x = x[0]
    dims: dict = {}
    check_shape("x", x, ("T", "D"), dims)
    p = as_gate_params(params)
    p = lstm_ref.GateParams(*(np.asarray(as_float(n, a), dtype=np.float64) for n, a in zip(p._fields, p)))
    check_shape("b_f", p.b_f, ("H",), dims)
    check_shape("W_f", p.W_f, (dims["H"], dims["H"] + dims["D"]), {})
    H = dims["H"]
    h0 = _state("h0", h0, H)
    c0 = _state("c0", c0, H)
    x = x.astype(np.float64, copy=False)

    ref_funcs = _reference_functions()
    student = _check_funcs(funcs)
    ref = _run(x, h0, c0, p, ref_funcs)
    ref_trace = LSTMTrace(x=x, **ref, differs={}, blame={}, reference=None)
    if not any(student[n] is not ref_funcs[n] for n in student):
        return ref_trace
    mine = _run(x, h0, c0, p, {**ref_funcs, **student})
    differs = {k: differing(mine[k], ref[k], atol, rtol) for k in VECTORS}
    blame = _blame(ref, student, p, x, ref_funcs, atol, rtol)
    return LSTMTrace(x=x, **mine, differs=differs, blame=blame, reference=ref_trace)


def _state(name: str, a, H: int) -> np.ndarray:
    if a is None:
        return np.zeros(H)
    a = as_float(name, a)
    if a.ndim == 2 and a.shape[0] == 1:
        a = a[0]
    check_shape(name, a, ("H",), {"H": H})
    return a.astype(np.float64, copy=False)
