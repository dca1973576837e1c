"""Models the ``lstm_sequence`` explainer runs in the page, trained by lstm_ref at build time.

``bracket-depth``: an LSTM (H = 8) reads a string of ( and ) one-hot coded and
predicts, after every symbol, the nesting depth so far (a regression head
h_t W_out + b_out). A few hundred Adam steps on ``lstm_ref.brackets`` batches,
about a second or two; seeded, so every build embeds the same weights.
"""
from __future__ import annotations

import functools

import numpy as np

import lstm_ref

MODELS = ("bracket-depth",)
VOCAB = lstm_ref.BRACKET_SYMBOLS  # "(" id 0, ")" id 1


@functools.lru_cache(maxsize=None)
def trained_model(name: str = "bracket-depth", steps: int = 400, H: int = 8, seed: int = 0) -> dict:
    """The model's weights and description as JSON-ready lists.

    Returns {"name", "vocab", "D", "H", "Wx" (D, 4H), "Wh" (H, 4H), "b" (4H,),
    "W_out" (H, 1), "b_out" (1,), "steps", "loss", "about"}.
    """
    if name not in MODELS:
        raise ValueError(f"model: unknown {name!r}; expected one of {MODELS}")
    rng = np.random.default_rng(seed)
    D = len(VOCAB)
    Wx, Wh, b = (rng.standard_normal((D, 4 * H)) / np.sqrt(D),
                 rng.standard_normal((H, 4 * H)) / np.sqrt(H), np.zeros(4 * H))
    b[H:2 * H] = 1.0  # forget gates start open
    p = {"Wx": Wx, "Wh": Wh, "b": b, "W_out": rng.standard_normal((H, 1)) / np.sqrt(H),
         "b_out": np.zeros(1)}
    adam = lstm_ref.Adam(lr=0.02)
    for _ in range(steps):
        batch = lstm_ref.brackets(32, int(rng.choice([8, 12, 16, 20])), rng, p_open=0.6)
        x, depth = lstm_ref.one_hot(batch.x, D), batch.depth[..., None].astype(float)
        zeros = np.zeros((x.shape[0], H))
        h, cache = lstm_ref.lstm_forward(x, zeros, zeros, p["Wx"], p["Wh"], p["b"])
        pred = h @ p["W_out"] + p["b_out"]                      # (N, T, 1)
        loss = float(np.mean((pred - depth) ** 2))
        dpred = 2.0 * (pred - depth) / pred.size
        _, _, _, dWx, dWh, db = lstm_ref.lstm_backward(dpred @ p["W_out"].T, cache)
        grads = {"Wx": dWx, "Wh": dWh, "b": db,
                 "W_out": h.reshape(-1, H).T @ dpred.reshape(-1, 1), "b_out": dpred.sum((0, 1))}
        lstm_ref.clip_grad_norm(grads, 5.0)
        adam.step(p, grads)
    return {
        "name": name, "vocab": VOCAB, "D": D, "H": H,
        "Wx": p["Wx"].tolist(), "Wh": p["Wh"].tolist(), "b": p["b"].tolist(),
        "W_out": p["W_out"].tolist(), "b_out": p["b_out"].tolist(),
        "steps": steps, "loss": loss,
        "about": (f"An LSTM with H = {H} units, trained by lstm_ref for {steps} steps when this "
                  f"page was built to predict the nesting depth after each bracket "
                  f"(final mean squared error {loss:.3f})."),
    }
