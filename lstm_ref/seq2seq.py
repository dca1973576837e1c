"""An encoder-decoder (sequence to sequence) built from the stacked LSTM, with or without attention.

Sutskever, Vinyals and Le (2014) read a source sequence with one LSTM (the
encoder) and write the target with another (the decoder), which starts from
the encoder's last states. Everything the decoder knows about the source
must pass through those L × 2H numbers: a fixed-size bottleneck, whatever
the source's length. Bahdanau, Cho and Bengio (2015) and Luong, Pham and
Manning (2015) let the decoder look back at every encoder state instead.

Shapes: N batch, S source length, T target length, V vocabulary, E
embedding size, H hidden size, L layers. With e(·) the embeddings:

    k, (h_S, c_S) = StackedLSTM_enc(e_src(src))                 k (N, S, H), states (L, N, H)
    d = StackedLSTM_dec(e_tgt(tgt_in), h_S, c_S)                d (N, T, H)
    without attention:  s_t = d_t W_out + b_out                 (N, T, V)
    with attention:     context_t, α_t = attention(d_t, k, k)   Luong's "dot" score
                        s_t = [d_t, context_t] W_out + b_out    W_out (2H, V)
    loss = mean_{n,t} −log softmax(s_t)[tgt_out_t]

Training uses teacher forcing: ``tgt_in`` is the true target shifted right
behind a start token. ``generate`` decodes greedily, feeding back its own
guesses. ``reverse_digits`` makes the course's task: write a digit string
backwards, where the first output needs the last input and the last output
the first.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .attention import attention_backward, attention_forward
from .embedding import check_ids, embedding_backward, embedding_forward
from .losses import temporal_softmax_loss
from .models import init_cell_params
from .stacked import stacked_lstm_backward_state, stacked_lstm_forward

__all__ = ["DIGITS_V", "GO", "reverse_digits", "Seq2Seq", "Seq2SeqCache"]

DIGITS_V = 11   # ids 0..9 are the digits, 10 is the start token
GO = 10


def reverse_digits(N: int, length: int, rng: np.random.Generator):
    """A batch of the reversal task: ``src`` random digits, ``tgt_out`` the same digits backwards.

    Returns ``(src, tgt_in, tgt_out)``, each (N, length) int64, with
    ``tgt_in = [GO, tgt_out[:, :-1]]`` (teacher forcing).
    """
    for name, v in (("N", N), ("length", length)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name}: expected an integer >= 1, got {v!r}")
    src = rng.integers(0, 10, (int(N), int(length)))
    tgt_out = src[:, ::-1].copy()
    tgt_in = np.concatenate([np.full((int(N), 1), GO), tgt_out[:, :-1]], axis=1)
    return src, tgt_in, tgt_out


class Seq2SeqCache(NamedTuple):
    """What ``Seq2Seq.forward`` keeps: the two embedding caches, the encoder's
    and decoder's ``StackedLSTMCache``, the encoder states ``keys`` (N, S, H),
    the decoder states ``d`` (N, T, H), the per-step ``AttentionCache``s (or
    ``None``), the output features ``feats`` (N, T, H or 2H) and the
    attention ``weights`` (N, T, S) (or ``None``)."""
    src_emb: object
    tgt_emb: object
    enc: object
    dec: object
    keys: np.ndarray
    d: np.ndarray
    attn: object
    feats: np.ndarray
    weights: object


class Seq2Seq:
    """Encoder-decoder of stacked LSTMs, optionally with dot-product attention.

    Args:
        V: vocabulary size (shared by source and target); E: embedding size;
        H: hidden size; layers: L, the depth of both LSTMs;
        attention: whether the decoder attends over the encoder states;
        seed: an int or ``np.random.Generator``; forget_bias: initial b_f.

    ``params``: ``W_src``, ``W_tgt`` (V, E); ``enc{l}_Wx`` (E or H, 4H),
    ``enc{l}_Wh`` (H, 4H), ``enc{l}_b`` (4H,) and the same with ``dec``;
    ``W_out`` (H, V), or (2H, V) with attention; ``b_out`` (V,).
    """

    loss_is_nll = True

    def __init__(self, V: int, E: int, H: int, layers: int = 1, attention: bool = False,
                 seed=0, forget_bias: float = 1.0):
        for name, v in (("V", V), ("E", E), ("H", H), ("layers", layers)):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"{name}: expected an integer >= 1, got {v!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.V, self.E, self.H, self.L = int(V), int(E), int(H), int(layers)
        self.attention = bool(attention)
        p = {"W_src": rng.standard_normal((V, E)) / np.sqrt(E),
             "W_tgt": rng.standard_normal((V, E)) / np.sqrt(E)}
        for side in ("enc", "dec"):
            for l in range(self.L):
                layer = init_cell_params("lstm", E if l == 0 else H, H, rng, forget_bias=forget_bias)
                for k, a in layer.items():
                    p[f"{side}{l}_{k}"] = a
        F = 2 * H if self.attention else H
        p["W_out"] = rng.uniform(-1, 1, (F, V)) / np.sqrt(F)
        p["b_out"] = np.zeros(V)
        self.params = p

    def __repr__(self) -> str:
        return (f"Seq2Seq(V={self.V}, E={self.E}, H={self.H}, layers={self.L}, "
                f"attention={self.attention})")

    def _layers(self, side: str) -> list:
        p = self.params
        return [(p[f"{side}{l}_Wx"], p[f"{side}{l}_Wh"], p[f"{side}{l}_b"]) for l in range(self.L)]

    def encode(self, src):
        """src (N, S) ids -> (keys (N, S, H), h_S (L, N, H), c_S (L, N, H), caches)."""
        src = check_ids("src", src, self.V)
        e, emb_cache = embedding_forward(src, self.params["W_src"])
        keys, enc = stacked_lstm_forward(e, None, None, self._layers("enc"))
        return keys, enc.h_final, enc.c_final, (emb_cache, enc)

    def _attend(self, d, keys):
        """Attention of every decoder state over the keys: (feats, caches, weights (N, T, S))."""
        if not self.attention:
            return d, None, None
        caches, contexts, weights = [], [], []
        for t in range(d.shape[1]):
            (ctx, w), cache = attention_forward(d[:, t], keys, keys)
            caches.append(cache)
            contexts.append(ctx)
            weights.append(w)
        return (np.concatenate([d, np.stack(contexts, axis=1)], axis=2), caches,
                np.stack(weights, axis=1))

    def forward(self, src, tgt_in):
        """Teacher-forced scores: src (N, S), tgt_in (N, T) ids -> (scores (N, T, V), cache)."""
        keys, h_S, c_S, (src_emb, enc) = self.encode(src)
        tgt_in = check_ids("tgt_in", tgt_in, self.V, dims={"N": keys.shape[0]})
        e, tgt_emb = embedding_forward(tgt_in, self.params["W_tgt"])
        d, dec = stacked_lstm_forward(e, h_S, c_S, self._layers("dec"))
        feats, attn, weights = self._attend(d, keys)
        scores = feats @ self.params["W_out"] + self.params["b_out"]
        return scores, Seq2SeqCache(src_emb, tgt_emb, enc, dec, keys, d, attn, feats, weights)

    def loss(self, src, tgt_in, tgt_out):
        """Mean cross-entropy of the teacher-forced targets, and the gradient of every parameter.

        src (N, S), tgt_in (N, T), tgt_out (N, T) ids. Returns ``(loss, grads)``,
        ``grads`` keyed and shaped as ``params``.
        """
        scores, cache = self.forward(src, tgt_in)
        tgt_out = check_ids("tgt_out", tgt_out, self.V, dims={"N": scores.shape[0], "T": scores.shape[1]})
        loss, ds = temporal_softmax_loss(scores, tgt_out)
        return loss, self._backward(ds, cache)

    def _backward(self, ds, cache: Seq2SeqCache) -> dict:
        p, H, V = self.params, self.H, self.V
        N, T, F = cache.feats.shape
        flat = ds.reshape(N * T, V)
        grads = {"W_out": cache.feats.reshape(N * T, F).T @ flat, "b_out": flat.sum(0)}
        dfeats = (flat @ p["W_out"].T).reshape(N, T, F)
        dd = dfeats[..., :H].copy()
        dkeys = np.zeros_like(cache.keys)
        if self.attention:
            for t, att in enumerate(cache.attn):
                dq, dk, dv = attention_backward(dfeats[:, t, H:], att)
                dd[:, t] += dq
                dkeys += dk + dv
        de_tgt, dh_S, dc_S, ddec = stacked_lstm_backward_state(dd, cache.dec)
        de_src, _, _, denc = stacked_lstm_backward_state(dkeys, cache.enc, dh_S, dc_S)
        grads["W_tgt"] = embedding_backward(de_tgt, cache.tgt_emb)
        grads["W_src"] = embedding_backward(de_src, cache.src_emb)
        for side, dparams in (("enc", denc), ("dec", ddec)):
            for l, (dWx, dWh, db) in enumerate(dparams):
                grads[f"{side}{l}_Wx"], grads[f"{side}{l}_Wh"], grads[f"{side}{l}_b"] = dWx, dWh, db
        return {k: grads[k] for k in p}

    def generate(self, src, length: int, start: int = GO):
        """Greedy decoding: feed back the most likely token at each step.

        src (N, S) ids; ``length`` output tokens; ``start`` the first input.
        Returns ``(tokens (N, length) int64, weights)`` with ``weights``
        (N, length, S) the attention weights (``None`` without attention).
        """
        if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
            raise ValueError(f"length: expected an integer >= 1, got {length!r}")
        keys, h, c, _ = self.encode(src)
        N = keys.shape[0]
        token = np.full((N, 1), int(start))
        out = np.empty((N, int(length)), np.int64)
        weights = []
        for t in range(int(length)):
            e, _ = embedding_forward(token, self.params["W_tgt"])
            d, dec = stacked_lstm_forward(e, h, c, self._layers("dec"))
            h, c = dec.h_final, dec.c_final
            feats, _, w = self._attend(d, keys)
            token = (feats @ self.params["W_out"] + self.params["b_out"]).argmax(axis=-1)
            out[:, t] = token[:, 0]
            if w is not None:
                weights.append(w[:, 0])
        return out, (np.stack(weights, axis=1) if weights else None)
