"""Export what lstm_ref computes, for the explainers' JavaScript math to be compared with.

Random shapes and seeds; every case holds the inputs and lstm_ref's outputs as
nested lists in lstm_ref's shapes (Python floats are written with 17
significant digits' worth of repr, so JSON round-trips them exactly).
``node --test explainers/test/`` reads the file; ``tests/test_explainers_math.py``
regenerates it, checks the committed copy is in sync and runs the node tests.

    python scripts/export_explainer_fixtures.py [OUT.json]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

import lstm_ref
from lstm_viz.trace import trace_lstm_gradients, trace_rnn_gradients

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "explainers" / "test" / "fixtures" / "lstm_ref.json"
SEED = 20261201
CASES = 6


def _lists(d: dict) -> dict:
    return {k: np.asarray(v).tolist() for k, v in d.items()}


def _case(rng: np.random.Generator) -> dict:
    N, T, D, H = (int(rng.integers(1, 4)), int(rng.integers(1, 8)),
                  int(rng.integers(1, 5)), int(rng.integers(1, 6)))
    scale = float(rng.uniform(0.3, 2.5))
    x_seq = rng.standard_normal((N, T, D))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    Wx, Wh = rng.standard_normal((D, 4 * H)) / np.sqrt(D), scale * rng.standard_normal((H, 4 * H)) / np.sqrt(H)
    b = rng.standard_normal(4 * H)
    rWx, rWh, rb = Wx[:, :H], Wh[:, :H], b[:H]
    x, prev_h, prev_c = x_seq[:, 0], h0, c0
    gp = lstm_ref.split_gates(Wx, Wh, b)

    next_h, next_c, step = lstm_ref.lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
    h, cache = lstm_ref.lstm_forward(x_seq, h0, c0, Wx, Wh, b)
    c_seq, i_seq, f_seq, g_seq, o_seq = _lstm_sequence_states(x_seq, h0, c0, Wx, Wh, b)
    f = lstm_ref.forget_gate(prev_h, x, gp.W_f, gp.b_f)
    i = lstm_ref.input_gate(prev_h, x, gp.W_i, gp.b_i)
    c_tilde = lstm_ref.candidate(prev_h, x, gp.W_c, gp.b_c)
    c = lstm_ref.update_cell(prev_c, f, i, c_tilde)
    o = lstm_ref.output_gate(prev_h, x, gp.W_o, gp.b_o)
    rnn_h, _ = lstm_ref.rnn_forward(x_seq, h0, rWx, rWh, rb)
    rnn_next_h, _ = lstm_ref.rnn_step_forward(x, prev_h, rWx, rWh, rb)
    grad_rnn = trace_rnn_gradients(x_seq[0], rWx, rWh, rb)
    grad_lstm = trace_lstm_gradients(x_seq[0], Wx, Wh, b)
    return {
        "dims": {"N": N, "T": T, "D": D, "H": H},
        "inputs": _lists({"x_seq": x_seq, "h0": h0, "c0": c0, "Wx": Wx, "Wh": Wh, "b": b,
                          "rnn_Wx": rWx, "rnn_Wh": rWh, "rnn_b": rb, **gp._asdict()}),
        "rnn_step_forward": _lists({"next_h": rnn_next_h}),
        "rnn_forward": _lists({"h": rnn_h}),
        "lstm_step_forward": _lists({"next_h": next_h, "next_c": next_c, "i": step.i,
                                     "f": step.f, "g": step.g, "o": step.o}),
        "lstm_forward": _lists({"h": h, "c": c_seq, "i": i_seq, "f": f_seq, "g": g_seq, "o": o_seq}),
        "gates": _lists({"f": f, "i": i, "c_tilde": c_tilde, "c": c, "o": o,
                         "h": lstm_ref.hidden_state(o, c)}),
        "rnn_gradients": _lists({"dh": grad_rnn.dh, "norm": grad_rnn.norm}),
        "lstm_gradients": _lists({"dh": grad_lstm.dh, "dc": grad_lstm.dc, "norm": grad_lstm.norm}),
    }


def _lstm_sequence_states(x, h0, c0, Wx, Wh, b):
    """c, i, f, g, o (N, T, H) of every step, from lstm_ref.lstm_step_forward in a loop."""
    h, c, rows = h0, c0, []
    for t in range(x.shape[1]):
        h, c, cache = lstm_ref.lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        rows.append((c, cache.i, cache.f, cache.g, cache.o))
    return [np.stack(a, axis=1) for a in zip(*rows)]


def fixtures() -> dict:
    rng = np.random.default_rng(SEED)
    return {"seed": SEED, "about": "lstm_ref outputs for explainers/test (scripts/export_explainer_fixtures.py)",
            "cases": [_case(rng) for _ in range(CASES)]}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fixtures()) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
