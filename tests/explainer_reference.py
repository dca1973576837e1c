"""What each live explainer must show, computed by lstm_ref (for tests/test_explainers_site.py).

``reference(kind, inputs, model)`` returns, for an explainer's inputs (as its
``el.gbg.get().inputs`` holds them), lstm_ref's value of every output the page
shows, keyed by the names the page uses (``data-output``) and ``el.gbg.get().outputs``.
``random_inputs`` draws a random state of each kind. The gradient explainer's
weights come from a seeded generator in the page (explainers/web/gbg-explainers/random.js);
``normal_matrix`` is the same generator in Python, so the test checks those weights too.
"""
from __future__ import annotations

import math

import numpy as np

import lstm_ref
from lstm_viz.trace import one_hot, trace_lstm_gradients, trace_rnn_gradients

_M32 = 0xFFFFFFFF


def _uniforms(seed: int):
    a = seed & _M32
    while True:
        a = (a + 0x6D2B79F5) & _M32
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & _M32
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & _M32)) & _M32)) & _M32
        yield ((t ^ (t >> 14)) & _M32) / 4294967296


def normal_matrix(rows: int, cols: int, seed: int) -> np.ndarray:
    """(rows, cols) N(0, 1) numbers exactly as random.js's normalMatrix draws them."""
    u = _uniforms(seed)
    out = np.empty((rows, cols))
    for r in range(rows):
        for c in range(cols):
            u1, u2 = 1 - next(u), next(u)
            out[r, c] = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
    return out


def gradient_weights(T: int, scale: float, forget_bias: float, H: int = 16, D: int = 4) -> dict:
    """The gradient explainer's x (T, D) and weights, as lstm_viz.trace.random_*_params scales them."""
    b = np.zeros(4 * H)
    b[H:2 * H] = forget_bias
    return {
        "x": normal_matrix(100, D, 1)[:T],
        "rnn_Wx": normal_matrix(D, H, 2) / math.sqrt(D), "rnn_Wh": scale * normal_matrix(H, H, 3) / math.sqrt(H),
        "rnn_b": np.zeros(H),
        "lstm_Wx": normal_matrix(D, 4 * H, 4) / math.sqrt(D),
        "lstm_Wh": scale * normal_matrix(H, 4 * H, 5) / math.sqrt(H), "lstm_b": b,
    }


def _lstm_steps(x, h0, c0, Wx, Wh, b) -> dict:
    """lstm_ref.lstm_forward's h and, from its step function, every c and gate: (1, T, H) each."""
    h, _ = lstm_ref.lstm_forward(x, h0, c0, Wx, Wh, b)
    hh, c, rows = h0, c0, {k: [] for k in "cifgo"}
    for t in range(x.shape[1]):
        hh, c, cache = lstm_ref.lstm_step_forward(x[:, t], hh, c, Wx, Wh, b)
        for k, v in zip("cifgo", (c, cache.i, cache.f, cache.g, cache.o)):
            rows[k].append(v)
    return {"h": h, **{k: np.stack(v, axis=1) for k, v in rows.items()}}


def reference(kind: str, s: dict, model: dict | None = None) -> dict:
    """lstm_ref's value of each output of explainer ``kind`` in state ``s``."""
    A = {k: (np.asarray(v, float) if not isinstance(v, str) else v) for k, v in s.items()}
    out = _step_reference(kind, A)
    if out is not None:
        # The cell diagram shows the step's inputs and results too (data-output "cell.<name>").
        shown = {**A, **out}
        fields = {"forget_gate": ("prev_h", "x", "prev_c", "f"), "input_gate": ("prev_h", "x", "i", "c_tilde"),
                  "update_cell": ("prev_c", "f", "i", "c_tilde", "c"), "output_gate": ("prev_h", "x", "c", "o", "h")}
        return {**out, **{f"cell.{n}": shown[n][0] for n in fields[kind]}}
    return _sequence_reference(kind, s, A, model)


def _step_reference(kind: str, A: dict) -> dict | None:
    if kind == "forget_gate":
        f = lstm_ref.forget_gate(A["prev_h"], A["x"], A["W_f"], A["b_f"])
        return {"f": f, "f_prev_c": f * A["prev_c"]}
    if kind == "input_gate":
        i = lstm_ref.input_gate(A["prev_h"], A["x"], A["W_i"], A["b_i"])
        c_tilde = lstm_ref.candidate(A["prev_h"], A["x"], A["W_c"], A["b_c"])
        return {"i": i, "c_tilde": c_tilde, "i_c_tilde": i * c_tilde}
    if kind == "update_cell":
        return {"c": lstm_ref.update_cell(A["prev_c"], A["f"], A["i"], A["c_tilde"])}
    if kind == "output_gate":
        o = lstm_ref.output_gate(A["prev_h"], A["x"], A["W_o"], A["b_o"])
        return {"o": o, "h": lstm_ref.hidden_state(o, A["c"])}
    return None


def _sequence_reference(kind: str, s: dict, A: dict, model: dict | None) -> dict:
    if kind == "gate":
        g = lstm_ref.sigmoid(A["z"])
        return {"gate": g, "gated": g * A["v"]}
    if kind == "rnn_sequence":
        h, _ = lstm_ref.rnn_forward(A["x"], A["h0"], A["Wx"], A["Wh"], A["b"])
        t = int(s["t"])
        return {"h": h, "h_t": h[0, t - 1], "x_t": A["x"][0, t - 1],
                "h_prev": A["h0"][0] if t == 1 else h[0, t - 2]}
    if kind == "gradient_flow":
        w = gradient_weights(int(s["T"]), float(s["scale"]), float(s["forget_bias"]))
        rnn = trace_rnn_gradients(w["x"], w["rnn_Wx"], w["rnn_Wh"], w["rnn_b"])
        lstm = trace_lstm_gradients(w["x"], w["lstm_Wx"], w["lstm_Wh"], w["lstm_b"])
        return {**w, "rnn_norm": rnn.norm, "lstm_norm": lstm.norm,
                "rnn_first": rnn.norm[:1], "lstm_first": lstm.norm[:1]}
    if kind == "lstm_sequence":
        x = one_hot(s["text"], model["vocab"])[None]
        out = _lstm_steps(x, A["h0"], A["c0"], A["Wx"], A["Wh"], A["b"])
        y = (out["h"] @ np.asarray(model["W_out"]) + np.asarray(model["b_out"]))[..., 0]
        depth = lstm_ref.bracket_depth((x[..., 1] == 1).astype(np.int64))
        # The cell diagram follows step t: its inputs h_{t-1}, c_{t-1}, x_t and everything it computes.
        k = int(s["t"]) - 1
        step = {"prev_h": out["h"][0, k - 1] if k else A["h0"][0], "prev_c": out["c"][0, k - 1] if k else A["c0"][0],
                "x": x[0, k], "f": out["f"][0, k], "i": out["i"][0, k], "c_tilde": out["g"][0, k],
                "c": out["c"][0, k], "o": out["o"][0, k], "h": out["h"][0, k]}
        return {"x": x, **out, "y": y, "depth": depth, "y_t": y[0, k], "depth_t": depth[0, k],
                **{f"cell.{n}": v for n, v in step.items()}}
    raise ValueError(f"kind: no reference for explainer {kind!r}")


def random_inputs(kind: str, defaults: dict, rng: np.random.Generator) -> dict:
    """A random state of explainer ``kind`` (shapes from its defaults)."""
    def like(name, scale=1.0):
        return (scale * rng.standard_normal(np.shape(defaults[name]))).tolist()

    if kind == "gradient_flow":
        return {"T": int(rng.integers(2, 101)), "scale": float(rng.uniform(0.3, 3.0)),
                "forget_bias": float(rng.uniform(-2.0, 5.0))}
    if kind == "rnn_sequence":
        T = int(rng.integers(1, 13))
        return {"x": rng.standard_normal((1, T, 1)).tolist(), "h0": like("h0", 0.5), "Wx": like("Wx"),
                "Wh": like("Wh", 0.6), "b": like("b", 0.3), "t": int(rng.integers(1, T + 1))}
    if kind == "lstm_sequence":
        T = int(rng.integers(1, 41))
        text = "".join(rng.choice(["(", ")"], T))
        return {"text": text, "t": int(rng.integers(1, T + 1)), "h0": like("h0", 0.5), "c0": like("c0", 0.5),
                "Wx": (np.asarray(defaults["Wx"]) + 0.1 * rng.standard_normal(np.shape(defaults["Wx"]))).tolist()}
    if kind == "update_cell":
        return {"prev_c": like("prev_c", 1.5), "f": rng.uniform(0, 1, (1, 3)).tolist(),
                "i": rng.uniform(0, 1, (1, 3)).tolist(), "c_tilde": rng.uniform(-1, 1, (1, 3)).tolist()}
    if kind == "gate":
        return {"z": rng.uniform(-6, 6, (1, 3)).tolist(), "v": like("v")}
    return {name: like(name) for name in defaults}
