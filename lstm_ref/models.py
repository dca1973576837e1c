"""Small NumPy models built from the reference layers.

- ``SequenceModel``: an LSTM, plain RNN or GRU with an affine head, for the
  long-dependency tasks: many-to-one (read the whole sequence, answer from
  the last hidden state: the adding problem) or many-to-many (answer at every
  step: next-symbol prediction on the embedded Reber grammar).
- ``CharLSTM``: a character-level language model (Karpathy's min-char-rnn,
  CS231n's captioning RNN): embedding or one-hot, LSTM, affine, softmax, and
  sampling with a temperature.

Parameters live in a dict ``model.params``; ``model.loss(...)`` returns
``(loss, grads)`` with ``grads`` a dict with the same keys and shapes, ready
for ``lstm_ref.optim``. Shapes: N batch, T time, D input, H hidden,
V vocabulary, K outputs.

Initialisation follows PyTorch (weights uniform in ±1/√H, so comparisons
start from the same kind of point) with one change: the LSTM forget-gate
bias starts at 1 (Gers et al., 2000; Jozefowicz et al., 2015). With b_f = 0
the forget gate starts near σ(0) = 0.5, so the cell state halves at every
step and the gradient along the "conveyor belt" shrinks like 0.5^T before
training has had a chance to learn to keep anything; b_f = 1 gives
σ(1) ≈ 0.73 and keeps the belt open early on.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import lstm as _lstm
from . import rnn as _rnn
from . import state as _state
from .validate import as_float, as_int, check_int, check_positive, check_rng, check_shape
from .data.corpus import CharVocab
from .data.encoding import one_hot
from .losses import log_softmax, mse_loss, temporal_softmax_loss
from .variants import gru as _gru

__all__ = ["CELLS", "init_cell_params", "cell_forward", "cell_backward",
           "SequenceModel", "CharLSTM"]

CELLS = ("lstm", "rnn", "gru")
_GATES = {"lstm": 4, "rnn": 1, "gru": 3}


def _check_cell(cell: str) -> str:
    if cell not in CELLS:
        raise ValueError(f"cell: expected one of {CELLS}, got {cell!r}")
    return cell


def init_cell_params(cell: str, D: int, H: int, rng: np.random.Generator,
                     dtype=np.float64, forget_bias: float = 1.0) -> dict:
    """Parameters of one recurrent layer, uniform in ±1/√H (PyTorch's default).

    lstm: Wx (D, 4H), Wh (H, 4H), b (4H,), gate order i, f, g, o; b_f = forget_bias.
    rnn:  Wx (D, H), Wh (H, H), b (H,).
    gru:  Wx (D, 3H), Wh (H, 3H), bx (3H,), bh (3H,), gate order r, z, n.
    Biases other than b_f start at 0. ``rng``: a ``np.random.Generator`` or an int seed.
    """
    _check_cell(cell)
    rng = check_rng(rng)
    D, H = check_int("D", D, 1), check_int("H", H, 1)
    k = 1.0 / np.sqrt(H)
    G = _GATES[cell]
    p = {"Wx": rng.uniform(-k, k, (D, G * H)).astype(dtype),
         "Wh": rng.uniform(-k, k, (H, G * H)).astype(dtype)}
    if cell == "gru":
        p["bx"] = np.zeros(G * H, dtype)
        p["bh"] = np.zeros(G * H, dtype)
    else:
        p["b"] = np.zeros(G * H, dtype)
    if cell == "lstm":
        p["b"][H:2 * H] = forget_bias
    return p


def cell_forward(cell: str, params: dict, x: np.ndarray, h0: np.ndarray):
    """Run one recurrent layer over time: x (N, T, D), h0 (N, H) = h_0 -> h (N, T, H), cache.

    ``h[:, t-1]`` holds h_t; the LSTM starts from c_0 = 0. ``params`` holds the keys of ``init_cell_params``.
    """
    if cell == "lstm":
        return _lstm.lstm_forward(x, h0, None, params["Wx"], params["Wh"], params["b"])
    if cell == "rnn":
        return _rnn.rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])
    if cell == "gru":
        return _gru.gru_forward(x, h0, params["Wx"], params["Wh"], params["bx"], params["bh"])
    raise ValueError(f"cell: expected one of {CELLS}, got {cell!r}")


def cell_backward(cell: str, dh: np.ndarray, cache):
    """Backward of ``cell_forward``: dh (N, T, H) -> (dx (N, T, D), grads dict)."""
    if cell == "lstm":
        dx, _, _, dWx, dWh, db = _lstm.lstm_backward(dh, cache)
        return dx, {"Wx": dWx, "Wh": dWh, "b": db}
    if cell == "rnn":
        dx, _, dWx, dWh, db = _rnn.rnn_backward(dh, cache)
        return dx, {"Wx": dWx, "Wh": dWh, "b": db}
    if cell == "gru":
        dx, _, dWx, dWh, dbx, dbh = _gru.gru_backward(dh, cache)
        return dx, {"Wx": dWx, "Wh": dWh, "bx": dbx, "bh": dbh}
    raise ValueError(f"cell: expected one of {CELLS}, got {cell!r}")


class SequenceCache(NamedTuple):
    """What ``SequenceModel.forward`` keeps for the backward pass."""
    x: np.ndarray       # (N, T, D)
    h: np.ndarray       # (N, T, H)
    cell: object        # the recurrent layer's own cache


class SequenceModel:
    """Recurrent layer + affine head for sequence tasks.

        h = cell(x), h_0 = 0             x (N, T, D), h (N, T, H), h[:, t-1] = h_t
        output="last":  s = h_T W_out + b_out                 s (N, K)
        output="every": s_t = h_t W_out + b_out, t = 1 .. T   s (N, T, K), s[:, t-1] = s_t

    objective="mse": mean squared error against real targets (K = 1 allows
    targets of shape (N,)); objective="softmax": cross-entropy against integer
    class ids, masked over time for output="every".

    Args:
        D, H, K: input, hidden and output sizes.
        cell: "lstm", "rnn" or "gru".
        output: "last" (many-to-one) or "every" (many-to-many).
        objective: "mse" or "softmax".
        seed: an int seed or a ``np.random.Generator`` for the initial weights
            (``lstm_ref.validate.check_rng``).
        dtype: np.float64 (default) or np.float32.
        forget_bias: initial LSTM forget-gate bias (see the module docstring).
    """

    def __init__(self, D: int, H: int, K: int, cell: str = "lstm", output: str = "last",
                 objective: str = "mse", seed=0, dtype=np.float64, forget_bias: float = 1.0):
        self.cell = _check_cell(cell)
        if output not in ("last", "every"):
            raise ValueError(f"output: expected 'last' or 'every', got {output!r}")
        if objective not in ("mse", "softmax"):
            raise ValueError(f"objective: expected 'mse' or 'softmax', got {objective!r}")
        self.D, self.H, self.K = check_int("D", D, 1), check_int("H", H, 1), check_int("K", K, 1)
        self.output, self.objective = output, objective
        self.loss_is_nll = objective == "softmax"
        rng = check_rng(seed, "seed")
        self.params = init_cell_params(cell, D, H, rng, dtype, forget_bias)
        k = 1.0 / np.sqrt(H)
        self.params["W_out"] = rng.uniform(-k, k, (H, K)).astype(dtype)
        self.params["b_out"] = np.zeros(K, dtype)

    def __repr__(self) -> str:
        return (f"SequenceModel(D={self.D}, H={self.H}, K={self.K}, cell={self.cell!r}, "
                f"output={self.output!r}, objective={self.objective!r})")

    def forward(self, x):
        """x (N, T, D) -> (scores, cache); scores (N, K) or (N, T, K)."""
        x = as_float("x", x)
        dims = {"D": self.D}
        check_shape("x", x, ("N", "T", "D"), dims)
        h0 = np.zeros((dims["N"], self.H), dtype=self.params["Wh"].dtype)
        h, cell_cache = cell_forward(self.cell, self.params, x, h0)
        top = h[:, -1] if self.output == "last" else h
        scores = top @ self.params["W_out"] + self.params["b_out"]
        return scores, SequenceCache(x, h, cell_cache)

    def predict(self, x) -> np.ndarray:
        """Scores without a cache: (N, K) or (N, T, K); (N,) for a K = 1 regression."""
        scores, _ = self.forward(x)
        if self.objective == "mse" and self.K == 1 and self.output == "last":
            return scores[:, 0]
        return scores

    def loss(self, x, y, mask=None):
        """(loss, grads) for a batch.

        y: (N,) or (N, K) reals for "mse" + "last"; (N,) class ids for
        "softmax" + "last"; (N, T) class ids for "softmax" + "every" (with an
        optional (N, T) bool ``mask``); (N, T, K) reals for "mse" + "every".
        """
        scores, cache = self.forward(x)
        if self.objective == "mse":
            y = as_float("y", y)
            if self.K == 1 and y.shape == scores.shape[:-1]:
                y = y[..., None]
            if y.shape != scores.shape:
                raise ValueError(f"y: expected shape {scores.shape} (or {scores.shape[:-1]} "
                                 f"when K = 1), got {y.shape}")
            if mask is not None:
                raise ValueError("mask: only supported with objective='softmax'")
            loss, dscores = mse_loss(scores, y)
        elif self.output == "last":
            y = as_int("y", y)
            check_shape("y", y, ("N",), {"N": scores.shape[0]})
            loss, ds = temporal_softmax_loss(scores[:, None], y[:, None])
            dscores = ds[:, 0]
        else:
            loss, dscores = temporal_softmax_loss(scores, y, mask)
        return loss, self._backward(dscores, cache)

    def _backward(self, dscores, cache: SequenceCache) -> dict:
        W_out = self.params["W_out"]
        dh = np.zeros_like(cache.h)
        if self.output == "last":
            top = cache.h[:, -1]
            dh[:, -1] = dscores @ W_out.T
            grads = {"W_out": top.T @ dscores, "b_out": dscores.sum(axis=0)}
        else:
            H, K = self.H, self.K
            flat_h, flat_ds = cache.h.reshape(-1, H), dscores.reshape(-1, K)
            dh = (flat_ds @ W_out.T).reshape(cache.h.shape)
            grads = {"W_out": flat_h.T @ flat_ds, "b_out": flat_ds.sum(axis=0)}
        _, cell_grads = cell_backward(self.cell, dh, cache.cell)
        grads.update(cell_grads)
        return {k: grads[k].astype(self.params[k].dtype, copy=False) for k in self.params}


class CharCache(NamedTuple):
    """What ``CharLSTM.forward`` keeps for the backward pass."""
    ids: np.ndarray     # (N, T) input ids
    h: np.ndarray       # (N, T, H)
    lstm: object        # the LSTM layer's cache


class CharLSTM:
    """Character-level LSTM language model.

        e_t = W_embed[x_t]            (embedding, D = embed_dim)  or  one_hot(x_t) (D = V)
        h = LSTM(e), h_0 = c_0 = 0    h (N, T, H), h[:, t-1] = h_t
        s_t = h_t W_out + b_out       s (N, T, V), t = 1 .. T
        p(x_{t+1} | x_1 … x_t) = softmax(s_t)

    Args:
        V: vocabulary size, or a ``CharVocab`` (then ``sample`` accepts and
            returns strings).
        H: hidden size.
        embed_dim: size D of a learned embedding; ``None`` feeds one-hot
            vectors (D = V), as in min-char-rnn.
        seed: an int seed or a ``np.random.Generator`` for the initial weights
            (``lstm_ref.validate.check_rng``).
        dtype: np.float64 (default) or np.float32.
        forget_bias: initial forget-gate bias (see the module docstring).
        carry_state: truncated BPTT over one long stream. Each ``loss`` call
            starts from the last states h_T, c_T of the previous call instead
            of zeros (so batches must continue each other row by row, as
            ``lstm_ref.consecutive_windows`` deals them), and its gradient
            stops at the batch's first step: the carried states are plain
            arrays and their gradients dh0, dc0 are dropped. ``reset_state()``
            starts over from zeros.

    ``params``: W_embed (V, D) if embedded; Wx (D, 4H), Wh (H, 4H), b (4H,);
    W_out (H, V), b_out (V,).
    """

    loss_is_nll = True

    def __init__(self, V, H: int, embed_dim=None, seed=0, dtype=np.float64,
                 forget_bias: float = 1.0, carry_state: bool = False):
        self.carry_state = bool(carry_state)
        self.state = None  # (h, c), each (N, H), carried between loss calls
        self.vocab = V if isinstance(V, CharVocab) else None
        self.V = len(V) if self.vocab is not None else check_int("V", V, 1)
        self.H = check_int("H", H, 1)
        self.embed_dim = None if embed_dim is None else check_int("embed_dim", embed_dim, 1)
        D = self.V if embed_dim is None else self.embed_dim
        rng = check_rng(seed, "seed")
        self.params = {}
        if embed_dim is not None:
            self.params["W_embed"] = rng.standard_normal((self.V, D)).astype(dtype) / np.sqrt(D)
        self.params.update(init_cell_params("lstm", D, H, rng, dtype, forget_bias))
        k = 1.0 / np.sqrt(H)
        self.params["W_out"] = rng.uniform(-k, k, (H, self.V)).astype(dtype)
        self.params["b_out"] = np.zeros(self.V, dtype)

    def __repr__(self) -> str:
        return f"CharLSTM(V={self.V}, H={self.H}, embed_dim={self.embed_dim})"

    def _check_ids(self, name: str, ids, dims: dict) -> np.ndarray:
        ids = as_int(name, ids)
        check_shape(name, ids, ("N", "T"), dims)
        if ids.size and (ids.min() < 0 or ids.max() >= self.V):
            raise ValueError(f"{name}: expected ids in [0, V) = [0, {self.V}), got values in "
                             f"[{ids.min()}, {ids.max()}]")
        return ids

    def _embed(self, ids: np.ndarray) -> np.ndarray:
        if self.embed_dim is None:
            return one_hot(ids, self.V, dtype=self.params["Wx"].dtype)
        return self.params["W_embed"][ids]

    def forward(self, x_ids, h0=None, c0=None):
        """x_ids (N, T), initial states h0, c0 (N, H) or None (zeros) -> (scores (N, T, V), cache)."""
        dims: dict = {}
        ids = self._check_ids("x_ids", x_ids, dims)
        p = self.params
        if h0 is None:
            h0 = np.zeros((dims["N"], self.H), dtype=p["Wh"].dtype)
        h, lstm_cache = _lstm.lstm_forward(self._embed(ids), h0, c0, p["Wx"], p["Wh"], p["b"])
        scores = h @ p["W_out"] + p["b_out"]
        return scores, CharCache(ids, h, lstm_cache)

    def loss(self, x_ids, y_ids, mask=None):
        """Mean next-character cross-entropy and its gradients.

        x_ids, y_ids: (N, T) ints (y is usually x shifted by one);
        mask: optional (N, T) bool. Returns (loss, grads) with grads keyed as ``params``.
        """
        dims: dict = {}
        self._check_ids("x_ids", x_ids, dims)
        y_ids = self._check_ids("y_ids", y_ids, dims)
        scores, cache = self.forward(x_ids, *self._carried_state(dims["N"]))
        if self.carry_state:
            self.state = _state.final_state(cache.lstm)
        loss, dscores = temporal_softmax_loss(scores, y_ids, mask)
        p, H, V = self.params, self.H, self.V
        flat_ds = dscores.reshape(-1, V)
        grads = {"W_out": cache.h.reshape(-1, H).T @ flat_ds, "b_out": flat_ds.sum(axis=0)}
        dh = (flat_ds @ p["W_out"].T).reshape(cache.h.shape)
        dx, _, _, grads["Wx"], grads["Wh"], grads["b"] = _lstm.lstm_backward(dh, cache.lstm)
        if self.embed_dim is not None:
            dW_embed = np.zeros_like(p["W_embed"])
            # Several positions may share a character, so the rows must accumulate.
            np.add.at(dW_embed, cache.ids.ravel(), dx.reshape(-1, self.embed_dim))
            grads["W_embed"] = dW_embed
        return loss, {k: grads[k].astype(p[k].dtype, copy=False) for k in p}

    def reset_state(self) -> None:
        """Forget the carried states: the next ``loss`` call starts from zeros."""
        self.state = None

    def _carried_state(self, N: int):
        if not self.carry_state or self.state is None:
            return None, None
        if self.state[0].shape[0] != N:
            raise ValueError(f"x_ids: carry_state needs every batch to have the carried "
                             f"N = {self.state[0].shape[0]} rows, got {N}; call reset_state() "
                             f"to start a new stream")
        return self.state

    def sample(self, seed, length: int, temperature: float = 1.0, rng=None):
        """Generate ``length`` new characters after ``seed``.

        The seed is read through the LSTM; then each next id is drawn from
        softmax(s_t / temperature) and fed back in. Temperatures below 1
        sharpen the distribution (more likely, more repetitive text), above 1
        flatten it.

        Args:
            seed: a non-empty str (needs a ``CharVocab``) or (L,) int ids.
            length: number of new characters (>= 0).
            temperature: > 0.
            rng: an int seed or a ``np.random.Generator``; ``None`` draws fresh
                entropy (``lstm_ref.validate.check_rng``).

        Returns:
            a str of ``length`` characters if ``seed`` is a str, else (length,) int64 ids.
        """
        as_text = isinstance(seed, str)
        if as_text:
            if self.vocab is None:
                raise ValueError("seed: a str seed needs a model built with a CharVocab; "
                                 "pass integer ids instead")
            ids = self.vocab.encode(seed)
        else:
            ids = self._check_ids("seed", np.asarray(seed)[None, :]
                                  if np.ndim(seed) == 1 else seed, {"N": 1})[0]
        if ids.size == 0:
            raise ValueError("seed: expected at least one character or id, got none")
        length = check_int("length", length, 0)
        t = check_positive("temperature", temperature)
        rng = check_rng(rng)

        p = self.params
        h = np.zeros((1, self.H), dtype=p["Wh"].dtype)
        c = np.zeros_like(h)
        out = np.empty(length, dtype=np.int64)
        current = ids[:-1]
        token = int(ids[-1])
        for tok in current:
            h, c, _ = _lstm.lstm_step_forward(self._embed(np.array([tok])), h, c,
                                              p["Wx"], p["Wh"], p["b"])
        for k in range(length):
            h, c, _ = _lstm.lstm_step_forward(self._embed(np.array([token])), h, c,
                                              p["Wx"], p["Wh"], p["b"])
            logp = log_softmax((h[0] @ p["W_out"] + p["b_out"]).astype(np.float64) / t)
            probs = np.exp(logp)
            token = int(rng.choice(self.V, p=probs / probs.sum()))
            out[k] = token
        return self.vocab.decode(out) if as_text else out
