"""The misconception table and the matcher that names a wrong answer.

Every id is stable: the instructor pipeline parses ``[misconception: <id>]``
from the graded notebooks and counts them across a class. Add ids, never
rename them.
"""
from __future__ import annotations

import gbg_i18n

from ._compare import close
from ._text import say, tr

__all__ = ["MISCONCEPTIONS", "tag", "match_variant"]

MISCONCEPTIONS: dict[str, str] = {
    # forward passes
    "swapped-gates": "Gate blocks read in the wrong order or two gates swapped (stacked order i, f, g, o; GRU r, z, n).",
    "tanh-for-sigmoid": "tanh used where a gate needs the sigmoid σ; a gate must lie in (0, 1).",
    "sigmoid-for-tanh": "σ used where tanh belongs; the candidate and tanh(c) range over (−1, 1).",
    "missing-activation": "No nonlinearity: the pre-activation W · [h, x] + b returned as it is.",
    "missing-bias": "The bias b was left out.",
    "bias-outside-activation": "The bias added after the nonlinearity, σ(W · [h, x]) + b, instead of inside it.",
    "sign-flipped": "exp(x) where exp(−x) belongs: σ(−x) computed instead of σ(x).",
    "missing-forget-gate": "The old cell added without the forget gate: c_t = c_{t-1} + i ⊙ c̃_t.",
    "bias-outside-reset": "GRU: b_hn added outside the reset, r ⊙ (h W_hn) + b_hn; it is r ⊙ (h W_hn + b_hn).",
    "concat-order": "[x_t, h_{t-1}] concatenated instead of [h_{t-1}, x_t]: the hidden state comes first.",
    "transposed-weights": "A weight matrix used transposed (W where Wᵀ belongs, or the reverse).",
    "swapped-weights": "The input weights Wx applied to h and the recurrent weights Wh to x.",
    "prev-cell-for-new": "The previous cell state c_{t-1} used where the new c_t belongs.",
    "missing-tanh-on-cell": "h = o ⊙ c: the tanh on the cell state is missing.",
    "tanh-on-cell-update": "tanh applied to the new cell state itself; c_t = f ⊙ c_{t-1} + i ⊙ c̃_t is not squashed.",
    "candidate-squashed-twice": "tanh applied again to the candidate c̃_t, which step 2 already squashed.",
    "product-for-sum": "the kept and the written parts multiplied instead of added in the cell update.",
    "tanh-outside-product": "tanh(o ⊙ c) computed instead of o ⊙ tanh(c).",
    "forget-means-erase": "(1 − f) multiplies the old cell: f = 1 means keep everything, not forget it.",
    "missing-input-gate": "The candidate added without the input gate: c_t = f ⊙ c_{t-1} + c̃_t.",
    "unstable-sigmoid": "1 / (1 + exp(−x)) overflows for large negative x; a stable sigmoid never takes exp of a large positive number.",
    "state-not-carried": "Every time step starts again from h0 instead of the previous step's hidden state.",
    "cell-not-carried": "The cell state restarts from c0 at every step instead of carrying c_t forward.",
    "c0-ignored": "The initial cell state c0 ignored (zeros used instead).",
    "missing-peephole": "A peephole term P ⊙ c left out of a gate.",
    "one-minus-on-wrong-term": "The (1 − z) (or 1 − f) weight put on the wrong term of the interpolation.",
    "reset-before-projection": "Reset applied before the product, (r ⊙ h) W_hn (Cho et al.'s GRU); the contract uses r ⊙ (h W_hn + b_hn) (PyTorch's).",
    # backward passes
    "missing-activation-grad": "Backward pass without the activation's derivative (tanh' = 1 − h², σ' = s (1 − s)).",
    "grad-at-wrong-point": "The derivative taken at the output instead of the pre-activation, e.g. 1 − tanh²(h) instead of 1 − h².",
    "missing-tanh-grad-on-cell": "dc lacks the term dnext_h ⊙ o ⊙ (1 − tanh²(c_t)) from the path h_t → c_t.",
    "next-cell-for-prev": "df uses the new cell c_t where the previous c_{t-1} belongs.",
    "missing-forget-in-dprev-c": "dprev_c = dc without the forget gate; it is dc ⊙ f.",
    "missing-dnext-c": "The upstream cell gradient dnext_c was ignored.",
    "missing-recurrent-grad": "The gradient from later steps (dprev_h) not added to dh at each earlier step.",
    "missing-cell-grad-through-time": "dprev_c not carried back from one step to the step before.",
    "mean-for-sum": "Parameter gradients averaged over the batch instead of summed.",
    "reversed-time": "Time steps listed last to first.",
    # gradient checking
    "forward-difference": "(f(x + h) − f(x)) / h used; the check needs central differences (f(x + h) − f(x − h)) / 2h.",
    "missing-half": "(f(x + h) − f(x − h)) / h: the 2 in 2h is missing.",
    "missing-upstream-weight": "Differentiated sum(f(x)) instead of sum(f(x) * df).",
    "input-not-restored": "x was changed to x ± h and not put back.",
    # training
    "per-tensor-clip": "Each gradient clipped by its own norm; clip_grad_norm scales all of them by the global norm.",
    "value-clip": "Elements clipped to [−max_norm, max_norm]; that is clip_grad_value, not clipping by norm.",
    "always-scaled": "Gradients rescaled even when their norm is already below max_norm.",
    "returned-clipped-norm": "Returned the norm after clipping; the function returns the norm before clipping.",
    "missing-sqrt": "Sum of squares returned or used without the square root.",
    "not-in-place": "New arrays made instead of changing the arrays in grads in place.",
    "temperature-after-softmax": "Temperature applied after the softmax, where renormalising cancels it.",
    "temperature-multiplied": "logits × T instead of logits / T: high temperature should flatten the distribution.",
    "unstable-softmax": "exp of large logits overflows; subtract the largest logit before exp.",
    "argmax-not-sample": "Always the most likely token (argmax) instead of a random draw.",
    "global-random-state": "np.random used instead of the rng argument, so runs are not reproducible.",
    # embeddings, truncated BPTT, stacked layers, attention (chapters 12-13)
    "ids-as-positions": "The row of the position t read (or written) instead of the row of the id x[n, t].",
    "one-based-ids": "Ids taken to start at 1: W[x − 1] read instead of W[x].",
    "repeated-ids-overwritten": "dW[x] = dout (or dW[x] += dout): an id that occurs twice keeps one gradient; np.add.at accumulates.",
    "state-reset-each-window": "Truncated BPTT that starts every window from the initial state instead of the last window's h, c.",
    "cell-reset-each-window": "Truncated BPTT that carries h but restarts the cell state in every window.",
    "gradient-across-windows": "The gradient let through from one window into the one before; truncated BPTT stops it at the window's start.",
    "last-window-grads-only": "Only the last window's weight gradients kept instead of their sum over the windows.",
    "layers-fed-input": "Every layer of a stacked LSTM fed x instead of the hidden states of the layer below.",
    "layers-share-weights": "Every layer of a stacked LSTM given the same weights; each layer has its own.",
    "layer-initial-state-shared": "Every layer of a stacked LSTM started from layer 0's initial state.",
    "bottom-layer-returned": "The first layer's hidden states returned instead of the top layer's.",
    "softmax-wrong-axis": "Attention weights normalised over the batch (or the features) instead of over the T positions.",
    "mask-ignored": "The attention mask not applied: padded positions get weight.",
    "mask-after-softmax": "Masked weights zeroed after the softmax, so the weights no longer sum to 1.",
    "keys-for-values": "The context averages the keys instead of the values.",
    "scores-scaled": "Scores divided by √H where the plain dot product q · k_t is asked for (or the reverse).",
    # general
    "input-modified": "The function changed one of its input arrays in place.",
    "dtype-changed": "float32 inputs gave a float64 result (or the reverse); keep the inputs' dtype.",
    "missing-return": "The function returned None.",
    "wrong-shape": "The result has the wrong shape (batch dimension dropped, transposed, or an extra axis).",
}


def tag(mid: str, table: dict | None = None) -> str:
    """``[misconception: <id>]`` for a known id (a typo here is a bug, so it raises).

    In a language other than English the tag (which stays as it is: the
    pipeline counts it) is followed by the misconception's explanation in
    that language, on a line of its own. ``table``: where to look the id up
    (default ``MISCONCEPTIONS``; the quiz passes its own ids too).
    """
    table = MISCONCEPTIONS if table is None else table
    if mid not in table:
        raise KeyError(f"unknown misconception id {mid!r}")
    text = f"[misconception: {mid}]"
    if gbg_i18n.language() != "en":
        text += "\n  " + say("misconception: {explanation}", explanation=tr(table[mid]))
    return text


def match_variant(student_parts, variants, inputs, dtype):
    """The first variant whose every output part equals the student's, or None.

    ``student_parts``: tuple of arrays (the answer's compared outputs);
    ``variants``: the spec's ``Variant`` list; each is run on copies of
    ``inputs``. A variant that raises (it does not apply to this case's
    shapes) is skipped.
    """
    for v in variants:
        try:
            wrong = v.fn(inputs.copied())
        except Exception:  # noqa: BLE001 - a variant that cannot run here just does not match
            continue
        if len(wrong) == len(student_parts) and all(
                close(w, s, dtype) for w, s in zip(wrong, student_parts)):
            return v
    return None
