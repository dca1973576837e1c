"""Quiz questions inside the notebooks: the student assigns a value, a pure function judges it.

    q_forget_bias = 6.0                            # the student's answer cell
    check_answer("q_forget_bias", q_forget_bias)   # the locked test cell: ✔ or the misconception

A question's id is also the name of the variable that holds the answer.
Answers are plain values only: a letter for a multiple-choice question, a
number, or a short list or array of numbers. ``judge(qid, value)`` is a pure
function of the id and that value (no student code runs in it, it reads
nothing else), so a trusted grader can call it on a value read out of the
student's kernel. Every wrong choice and every anticipated wrong number is a
named misconception: an id of ``lstm_grade.checks.MISCONCEPTIONS`` or of
:data:`QUIZ_MISCONCEPTIONS` below.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ._errors import CheckFailed
from ._misconceptions import MISCONCEPTIONS, tag
from ._text import say, tr

__all__ = ["QUESTIONS", "QUIZ_MISCONCEPTIONS", "Verdict", "judge", "check_answer", "questions_of",
           "judge_perplexity", "check_perplexity"]

#: Misconceptions that only quiz questions name (the checks' own are in MISCONCEPTIONS).
QUIZ_MISCONCEPTIONS: dict[str, str] = {
    "weights-per-step": "An RNN has new weights at every step; it uses the same Wx, Wh, b at every step.",
    "initial-state-in-output": "The initial state h_0 counted among the outputs; the outputs are h_1 … h_T.",
    "last-state-only": "rnn_forward returns only the last hidden state; it returns every h_t.",
    "decay-not-compounded": "A factor applied at every step taken once or added up; over k steps it multiplies k times.",
    "sigmoid-grad-for-tanh": "σ's derivative s (1 − s) used for tanh, whose derivative is 1 − h².",
    "sigmoid-symmetry": "σ(−z) taken as σ(z) or −σ(z); it is 1 − σ(z).",
    "noise-not-ignored": "A weight left on an input the gate should ignore.",
    "output-erases-cell": "A closed output gate taken to erase the cell; it only hides it from h_t.",
    "single-gate-count": "Parameters counted for one gate; the stacked weights hold four blocks i, f, g, o.",
    "rnn-path-for-cell": "The plain RNN's per-step factor (W_hᵀ and tanh′) put on the cell path, which has neither.",
    "clip-factor-inverted": "Clipping multiplies by ‖g‖ / max_norm; it is max_norm / ‖g‖.",
    "perplexity-is-loss": "Perplexity taken to be the cross-entropy itself; it is exp(cross-entropy in nats).",
    "perplexity-wrong-base": "2 ** loss with the loss in nats; perplexity is e ** loss (or 2 ** loss in bits).",
}


class Wrong(NamedTuple):
    """An anticipated wrong answer: the value (a letter or a number), its misconception, what to say."""
    value: object
    mid: str
    says: str


class Question(NamedTuple):
    """One quiz question.

    ``kind``: ``"choice"`` (``answer`` a letter among ``choices``), ``"number"``
    (``answer`` a number, right within ``tol``) or ``"custom"`` (``rule`` judges).
    ``wrong``: the named wrong answers. ``rule(value) -> Verdict`` for custom
    questions; it must be a pure function of the plain value. ``prompt`` and
    ``options`` (one text per letter) are what the notebook shows;
    ``solution`` a right value for a custom question.
    """
    qid: str
    kind: str
    answer: object = None
    wrong: tuple = ()
    choices: str = "abcd"
    tol: float = 5e-3
    rule: Callable | None = None
    what: str = ""
    prompt: str = ""
    options: tuple = ()
    solution: object = None

    @property
    def model_answer(self):
        """The value the solution notebook assigns (the answer, or a right value of a custom rule)."""
        return self.answer if self.solution is None else self.solution


class Verdict(NamedTuple):
    """``ok``; the sentence for the student; the misconception id (or None)."""
    ok: bool
    says: str
    misconception: str | None = None


# -- the rules of the three questions that are exercises in reasoning with a gate ---------------

def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _forget_bias(b: float) -> Verdict:
    """ch04: with zero weights and a closed input gate, a bias b keeps σ(b)^20 of the memory."""
    if not -50 <= b <= 50:
        return Verdict(False, say("{b} is outside the range that makes sense for a bias (−50 … 50).", b=b))
    f = _sigmoid(b)
    kept = f ** 20
    if kept >= 0.9:
        return Verdict(True, say("f = σ({b:g}) = {f:.4f}, and f^20 = {kept:.3f} of the memory survives 20 steps.",
                                 b=b, f=f, kept=kept))
    if b < 0:
        return Verdict(False, say("with b = {b:g} the gate is f = {f:.3f}, mostly closed: f multiplies the "
                                  "old cell, so f near 1 keeps it and f near 0 erases it.", b=b, f=f),
                       "forget-means-erase")
    return Verdict(False, say("f = σ({b:g}) = {f:.4f} looks close to 1, but it multiplies the memory at every "
                              "step: f^20 = {kept:.3f} is left after 20 steps, not 0.9. Solve σ(b)^20 ≥ 0.9.",
                              b=b, f=f, kept=kept),
                   "decay-not-compounded")


_GRID = [(h, s, n) for h in (-1.0, 0.0, 1.0) for s in (0.0, 1.0) for n in (-3.0, -1.0, 0.0, 1.0, 3.0)]


def _noise_worst(w):
    """The worst case of the input-gate weights w = [w_h, w_signal, w_noise, b] on the grid."""
    worst = None
    for h, s, n in _GRID:
        i = _sigmoid(w[0] * h + w[1] * s + w[2] * n + w[3])
        miss = (0.95 - i) if s == 1.0 else (i - 0.05)
        if miss > 0 and (worst is None or miss > worst[0]):
            worst = (miss, h, s, n, i)
    return worst


def _input_noise(w) -> Verdict:
    """ch05: [w_h, w_signal, w_noise, b] must open the gate (≥ 0.95) exactly when the signal is 1."""
    if np.shape(w) != (4,):
        return Verdict(False, say("expected 4 numbers [w_h, w_signal, w_noise, b], got shape {shape}.",
                                  shape=np.shape(w)))
    w = [float(v) for v in w]
    if not all(math.isfinite(v) and abs(v) <= 100 for v in w):
        return Verdict(False, say("keep every weight finite and between −100 and 100."))
    worst = _noise_worst(w)
    if worst is None:
        return Verdict(True, say("the gate opens when the signal is 1 and stays shut when it is 0, whatever "
                                 "the noise and the hidden state."))
    if _noise_worst([w[2], w[0], w[1], w[3]]) is None:  # right if the input came before h
        return Verdict(False, say("your weights would work if [x, h] were concatenated; the order is "
                                  "[h_{{t-1}}, x_t]: the hidden state's weight comes first."), "concat-order")
    _, h, s, n, i = worst
    text = (say("with h = {h:g}, signal = {s:g}, noise = {n:g} your gate is i = {i:.3f}; it should be "
                "at least 0.95.", h=h, s=s, n=n, i=i) if s else
            say("with h = {h:g}, signal = {s:g}, noise = {n:g} your gate is i = {i:.3f}; it should be "
                "at most 0.05.", h=h, s=s, n=n, i=i))
    if w[2] != 0 and _noise_worst([w[0], w[1], 0.0, w[3]]) is None:
        return Verdict(False, text + " " + say("The noise channel still moves the gate: its weight should be 0."),
                       "noise-not-ignored")
    return Verdict(False, text + " " + say("Make the signal's weight large against the bias, so that "
                                           "σ(w_signal + b) ≥ 0.95 while σ(b) ≤ 0.05, and keep w_h small."))


QUESTIONS: dict[str, Question] = {q.qid: q for q in [
    # ch01
    Question("q_rnn_shared_weights", "choice", "b", (
        Wrong("a", "weights-per-step", "one Wh serves every step: the same weights at t = 1 and t = 50."),
        Wrong("c", "weights-per-step", "there is no per-step matrix at all: one Wh for all 50 steps."),
        Wrong("d", "weights-per-step", "the weights depend neither on N nor on T: one Wh, shared."),
    )),
    Question("q_rnn_output_shape", "choice", "a", (
        Wrong("b", "last-state-only", "rnn_forward returns every hidden state, stacked along time."),
        Wrong("c", "initial-state-in-output", "the outputs are h_1 … h_T, T of them; h_0 is the input h0."),
        Wrong("d", "wrong-shape", "the batch comes first: (N, T, H)."),
    )),
    # ch02
    Question("q_vanishing_factor", "number", 0.8 ** 20, (
        Wrong(16.0, "decay-not-compounded", "0.8 × 20 adds the factor up; it multiplies: 0.8^20."),
        Wrong(0.8, "decay-not-compounded", "0.8 is what is left after one step; after 20 it is 0.8^20."),
        Wrong(-3.0, "decay-not-compounded", "1 − 20 × 0.2 subtracts a constant; the factor multiplies: 0.8^20."),
    ), tol=5e-4),
    Question("q_tanh_grad", "choice", "a", (
        Wrong("b", "grad-at-wrong-point", "next_h is already tanh(a): 1 − tanh²(next_h) differentiates at the "
                                          "wrong point; it is 1 − next_h²."),
        Wrong("c", "missing-activation-grad", "the gradient must go through tanh's derivative."),
        Wrong("d", "sigmoid-grad-for-tanh", "s (1 − s) is σ's derivative; tanh's is 1 − h²."),
    )),
    # ch03
    Question("q_gate_range", "choice", "b", (
        Wrong("a", "tanh-for-sigmoid", "tanh can be negative: a gate of −0.5 would flip the sign of what it lets "
                                       "through, not let a fraction of it pass."),
        Wrong("c", "tanh-for-sigmoid", "both saturate; σ is used because its values are fractions in (0, 1)."),
        Wrong("d", "missing-activation", "without a squashing function the gate is not a fraction."),
    )),
    Question("q_sigmoid_symmetry", "number", 1 - _sigmoid(2.0), (
        Wrong(-_sigmoid(2.0), "tanh-for-sigmoid", "σ is not odd (tanh is): σ(−z) = 1 − σ(z), never negative."),
        Wrong(_sigmoid(2.0), "sigmoid-symmetry", "σ is not even: σ(−z) = 1 − σ(z)."),
    )),
    # ch04
    Question("q_forget_bias", "custom", rule=_forget_bias, what="a number", solution=6.0),
    Question("q_forget_fraction", "choice", "c", (
        Wrong("a", "forget-means-erase", "f multiplies the old cell: f = 0.1 keeps 10 % and erases 90 %."),
        Wrong("b", "swapped-gates", "the forget gate scales the old cell; the input gate scales the candidate."),
        Wrong("d", "forget-means-erase", "f = 0.1 keeps a tenth, it does not keep everything."),
    )),
    # ch05
    Question("q_input_noise", "custom", rule=_input_noise, what="four numbers",
             solution=[0.0, 20.0, 0.0, -10.0]),
    Question("q_candidate_tanh", "choice", "a", (
        Wrong("b", "sigmoid-for-tanh", "σ is never negative: with σ the cell could only be pushed up."),
        Wrong("c", "tanh-on-cell-update", "the cell itself is not squashed; it can grow beyond 1."),
    ), choices="abc"),
    # ch06
    Question("q_predict_c", "number", 0.75 * 2.0 + 0.8 * -0.5, (
        Wrong(math.tanh(0.75 * 2.0 + 0.8 * -0.5), "tanh-on-cell-update", "c_t is not squashed."),
        Wrong(0.25 * 2.0 + 0.8 * -0.5, "forget-means-erase", "f multiplies c_{t-1} itself: f = 0.75 keeps 75 %."),
        Wrong(0.75 * 2.0 - 0.5, "missing-input-gate", "the input gate i = 0.8 scales the candidate."),
        Wrong(2.0 + 0.8 * -0.5, "missing-forget-gate", "the forget gate f = 0.75 scales the old cell."),
        Wrong(0.8 * 2.0 + 0.75 * -0.5, "swapped-gates", "f scales the old cell and i the candidate, not the reverse."),
        Wrong(0.75 * 2.0 * 0.8 * -0.5, "product-for-sum", "the kept part and the written part are added."),
    ), tol=2e-3),
    Question("q_cell_beyond_one", "choice", "a", (
        Wrong("b", "tanh-on-cell-update", "nothing squashes c_t: f ⊙ c_{t−1} + i ⊙ c̃_t can add up past 1."),
        Wrong("c", "tanh-on-cell-update", "f ≤ 1 only stops the old value from growing; i ⊙ c̃_t adds to it."),
    ), choices="abc"),
    # ch07
    Question("q_predict_h", "number", 0.5 * math.tanh(2.0), (
        Wrong(1.0, "missing-tanh-on-cell", "h = o ⊙ tanh(c): the cell goes through tanh first."),
        Wrong(math.tanh(1.0), "tanh-outside-product", "take tanh of c first, then multiply by o."),
        Wrong(0.5 * _sigmoid(2.0), "sigmoid-for-tanh", "the cell is squashed with tanh, not σ."),
    ), tol=2e-3),
    Question("q_output_closed", "choice", "a", (
        Wrong("b", "output-erases-cell", "the output gate does not touch c_t; only the forget gate erases."),
        Wrong("c", "output-erases-cell", "c_t is kept as it is; o = 0 only hides it from h_t."),
    ), choices="abc"),
    # ch08
    Question("q_forget_columns", "choice", "b", (
        Wrong("a", "swapped-gates", "columns 0:H hold the input gate i; the order is i, f, g, o."),
        Wrong("c", "swapped-gates", "columns 10:15 hold the candidate g; the order is i, f, g, o."),
        Wrong("d", "swapped-gates", "the gates are blocks of H columns, not interleaved."),
    )),
    Question("q_lstm_parameters", "number", 4 * 20 * (10 + 20) + 4 * 20, (
        Wrong(4 * 20 * (10 + 20), "missing-bias", "count the bias b (4H numbers) too."),
        Wrong(20 * (10 + 20) + 20, "single-gate-count", "that is one gate; the LSTM has four blocks."),
        Wrong(3 * 20 * (10 + 20) + 3 * 20, "single-gate-count", "the candidate g has weights too: four blocks."),
    ), tol=1e-4),
    # ch09
    Question("q_cell_path", "choice", "a", (
        Wrong("b", "rnn-path-for-cell", "that is a plain RNN's step; c_t = f ⊙ c_{t−1} + … has no weight "
                                        "matrix and no tanh between c_{t−1} and c_t."),
        Wrong("c", "missing-forget-in-dprev-c", "the forget gate multiplies c_{t−1}, so the gradient is ⊙ f."),
        Wrong("d", "missing-tanh-grad-on-cell", "o ⊙ (1 − tanh² c_t) belongs to the path h_t → c_t, "
                                                "not c_{t−1} → c_t."),
    )),
    Question("q_central_difference", "number", (1.1 ** 3 - 0.9 ** 3) / 0.2, (
        Wrong((1.1 ** 3 - 1.0) / 0.1, "forward-difference", "that is the forward difference; use f(x + h) "
                                                             "and f(x − h)."),
        Wrong((1.1 ** 3 - 0.9 ** 3) / 0.1, "missing-half", "the two points are 2h apart: divide by 0.2."),
        Wrong(3.0, "forward-difference", "3 is the exact derivative; the question asks what the central "
                                         "difference gives."),
    ), tol=5e-4),
    # ch10
    Question("q_gru_interpolation", "number", 0.2, (
        Wrong(0.8, "one-minus-on-wrong-term", "h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}: z keeps the old state."),
        Wrong(1.0, "one-minus-on-wrong-term", "z = 0.8 keeps 80 % of h_{t−1} = 0; n gets 1 − z."),
    )),
    Question("q_coupled_write", "choice", "a", (
        Wrong("b", "one-minus-on-wrong-term", "f = 0.7 keeps 70 % of the old cell; the candidate gets 1 − f."),
        Wrong("c", "missing-input-gate", "coupled gates still scale the candidate, by 1 − f."),
    ), choices="abc"),
    # ch11
    Question("q_clip_factor", "number", 0.2, (
        Wrong(5.0, "clip-factor-inverted", "scaling by 5 makes the norm 50; multiply by max_norm / ‖g‖."),
        Wrong(2.0, "value-clip", "clipping by norm scales every gradient by the same factor max_norm / ‖g‖."),
        Wrong(1.0, "always-scaled", "the norm 10 is above 2, so the gradients are scaled."),
    ), tol=1e-3),
    Question("q_temperature", "choice", "a", (
        Wrong("b", "temperature-multiplied", "dividing by 0.1 spreads the scores apart: it sharpens."),
        Wrong("c", "temperature-after-softmax", "the temperature divides the logits before the softmax, "
                                                "so renormalising does not cancel it."),
    ), choices="abc"),
    Question("q_perplexity", "number", 4.0, (
        Wrong(math.log(4.0), "perplexity-is-loss", "that is the loss; perplexity is exp(loss)."),
        Wrong(2 ** math.log(4.0), "perplexity-wrong-base", "the loss is in nats: e^loss, not 2^loss."),
    ), tol=1e-3),
    # ch12
    Question("q_embedding_repeat", "choice", "a", (
        Wrong("b", "repeated-ids-overwritten", "id 3 is read at two positions, so row 3 collects both "
                                               "gradients; keeping the last is what dW[x] = dout does."),
        Wrong("c", "repeated-ids-overwritten", "keeping one of the two gradients drops the other; "
                                               "a row read twice collects both."),
        Wrong("d", "mean-for-sum", "a gradient is a sum over every use of the row, not a mean."),
    )),
    Question("q_tbptt_reach", "choice", "a", (
        Wrong("b", "state-reset-each-window", "the state is carried, so the forward pass does see "
                                              "what came 50 steps before; only the gradient is cut."),
        Wrong("c", "gradient-across-windows", "the gradient stops at the start of each 20-step window: "
                                              "nothing connects the two ends backwards."),
    ), choices="abc"),
    Question("q_stacked_parameters", "number", 4 * 20 * (10 + 20) + 4 * 20 + 4 * 20 * (20 + 20) + 4 * 20, (
        Wrong(2 * (4 * 20 * (10 + 20) + 4 * 20), "layers-fed-input", "layer 2 reads the 20 hidden "
              "states of layer 1, not the 10 inputs: its Wx is (20, 80)."),
        Wrong(4 * 20 * (10 + 20) + 4 * 20, "layers-share-weights", "that is one layer; each of the two "
              "layers has its own Wx, Wh and b."),
    ), tol=1e-4),
    # ch13
    Question("q_attention_masked_weight", "number", math.exp(2) / (math.exp(2) + 1), (
        Wrong(math.exp(2) / (math.exp(2) + 2), "mask-ignored", "the third position is masked: its score "
              "is −∞ before the softmax, so the softmax runs over the first two only."),
        Wrong(1 / 3, "softmax-wrong-axis", "the scores differ, so the weights do: softmax over the three "
              "scores of this row, with the masked one at −∞."),
    ), tol=2e-3),
    Question("q_attention_context", "choice", "a", (
        Wrong("b", "keys-for-values", "the keys only decide the weights; the context averages the values."),
        Wrong("c", "mask-ignored", "v3 has weight 0: it does not enter the average."),
    ), choices="abc"),
]}

# What each notebook shows: the question, and for a multiple choice one text per letter.
_TEXT = {
    "q_rnn_shared_weights": (
        "An RNN reads sequences of T = 50 steps. How many recurrent weight matrices W_h does it hold?",
        ("50, one for each step", "1, used at every step",
         "49, one between each pair of neighbouring steps", "N, one for each sequence of the batch")),
    "q_rnn_output_shape": (
        "`x` has shape (N, T, D) = (8, 20, 3) and H = 16. What is the shape of the `h` that "
        "`rnn_forward` returns?", ("(8, 20, 16)", "(8, 16)", "(8, 21, 16)", "(20, 8, 16)")),
    "q_vanishing_factor": (
        "Suppose the gradient's norm is multiplied by 0.8 at every step it travels back. What "
        "fraction of it reaches 20 steps back? (a number, 3 significant digits)", ()),
    "q_tanh_grad": (
        "With `next_h = np.tanh(a)`, which is `da`?",
        ("`dnext_h * (1 - next_h ** 2)`", "`dnext_h * (1 - np.tanh(next_h) ** 2)`", "`dnext_h`",
         "`dnext_h * next_h * (1 - next_h)`")),
    "q_gate_range": (
        "Why is a gate computed with σ rather than with tanh?",
        ("tanh would do as well: it lies in (−1, 1)",
         "σ lies in (0, 1), so the gate is the fraction of each number let through",
         "σ never saturates, tanh does",
         "neither is needed: W · [h, x] + b is already a gate")),
    "q_sigmoid_symmetry": ("σ(2) ≈ 0.8808. What is σ(−2)? (a number, 3 decimals)", ()),
    "q_forget_bias": (
        "Take a forget gate whose weights are all 0, so that f = σ(b_f), and an input gate that "
        "is shut. Choose the bias `b_f` (one number) so that at least 90 % of a stored cell value "
        "survives 20 steps.", ()),
    "q_forget_fraction": (
        "One number of the cell state has forget-gate value f = 0.1. What happens to its old "
        "value c_{t−1}?",
        ("90 % of it is kept", "the candidate is scaled by 0.1 instead",
         "10 % of it is kept, 90 % is erased", "it is kept whole: any f > 0 keeps the memory")),
    "q_input_noise": (
        "An input gate with H = 1 sees `[h, signal, noise]`: the previous hidden state h in "
        "[−1, 1], a signal that is 0 or 1, and a noise channel in [−3, 3]. Choose its weights and "
        "bias as four numbers `[w_h, w_signal, w_noise, b]` so that "
        "i = σ(w_h h + w_signal · signal + w_noise · noise + b) is at least 0.95 whenever the "
        "signal is 1 and at most 0.05 whenever it is 0, whatever the noise and h.", ()),
    "q_candidate_tanh": (
        "Why is the candidate c̃ squashed with tanh, not σ?",
        ("so that it can also push the cell down: tanh is negative for negative inputs",
         "no reason: σ would do, since the input gate already chooses what is written",
         "to keep the cell state itself inside (−1, 1)")),
    "q_predict_c": (
        "Predict before you run any code: c_{t−1} = 2.0, f = 0.75, i = 0.8, c̃_t = −0.5. "
        "What is c_t? (a number)", ()),
    "q_cell_beyond_one": (
        "Can a number of the cell state c_t grow beyond 1?",
        ("yes: f ⊙ c_{t−1} + i ⊙ c̃_t is not squashed, so writes can add up",
         "no: the cell update is squashed into (−1, 1)", "no: f ≤ 1 keeps it below 1")),
    "q_predict_h": ("Predict: o = 0.5 and c_t = 2.0. What is h_t? (a number, 3 decimals)", ()),
    "q_output_closed": (
        "For one unit the output gate is o = 0. What happens to that unit's cell state?",
        ("nothing: it is kept as it is, only hidden from h_t", "it is erased",
         "it is replaced by the candidate")),
    "q_forget_columns": (
        "H = 5: which columns of the stacked `Wx` (D, 4H) hold the forget gate?",
        ("0:5", "5:10", "10:15", "every fourth column, starting at column 1")),
    "q_lstm_parameters": (
        "How many numbers do `Wx`, `Wh` and `b` of one LSTM layer hold together for D = 10, "
        "H = 20? (a number)", ()),
    "q_cell_path": (
        "Along the cell path alone, ∂c_t/∂c_{t−1} is",
        ("f_t, elementwise", "W_hᵀ times tanh′, as in a plain RNN",
         "1: the cell path is the identity", "o_t ⊙ (1 − tanh²(c_t))")),
    "q_central_difference": (
        "For f(x) = x³ at x = 1 with h = 0.1, what does the central difference give? "
        "(a number, 4 decimals)", ()),
    "q_gru_interpolation": ("A GRU unit has z = 0.8, n = 1.0 and h_{t−1} = 0.0. What is h_t? (a number)", ()),
    "q_coupled_write": (
        "In the coupled LSTM one unit has f = 0.7. By what is its candidate scaled before it is added?",
        ("0.3 = 1 − f", "0.7 = f", "1: the whole candidate is added")),
    "q_clip_factor": (
        "Gradients of global norm 10 are clipped to `max_norm = 2`. By what factor is every "
        "gradient array multiplied? (a number)", ()),
    "q_temperature": (
        "Sampling at temperature 0.1 makes the samples",
        ("almost always the most likely symbol", "almost uniform: every symbol about equally likely",
         "the same as at temperature 1: the softmax renormalises")),
    "q_perplexity": (
        "A character model's mean cross-entropy is ln 4 ≈ 1.386 nats per character. What is its "
        "perplexity? (a number)", ()),
    "q_embedding_repeat": (
        "The ids are `x = [[3, 1, 3]]` and the upstream gradients of the three positions are the rows "
        "g1, g2, g3 of `dout`. What is row 3 of `dW`?",
        ("g1 + g3", "g3", "g1", "(g1 + g3) / 2")),
    "q_tbptt_reach": (
        "A stream is trained with truncated BPTT in windows of T = 20 steps, the state carried from one "
        "window to the next. What is true of a dependency between two symbols 50 steps apart?",
        ("the forward pass can carry it, but no gradient connects its two ends, so it is hard to learn",
         "the model cannot use it at all: the state starts afresh in every window",
         "it is learned exactly as with full BPTT, because the state is carried")),
    "q_stacked_parameters": (
        "A stacked LSTM has L = 2 layers, D = 10 inputs and H = 20 units per layer. How many numbers "
        "do all the layers' `Wx`, `Wh` and `b` hold together? (a number)", ()),
    "q_attention_masked_weight": (
        "One query has scores s = [2, 0, 0] over three positions and mask [True, True, False]. What "
        "attention weight does the first position get? (a number, 3 decimals)", ()),
    "q_attention_context": (
        "The attention weights of one query are [0.5, 0.5, 0] over positions with keys k1, k2, k3 and "
        "values v1, v2, v3. The context is",
        ("(v1 + v2) / 2", "(k1 + k2) / 2", "(v1 + v2 + v3) / 3")),
}
QUESTIONS = {k: q._replace(prompt=_TEXT[k][0], options=_TEXT[k][1]) for k, q in QUESTIONS.items()}

_LABELS = {"choice": "one letter", "number": "a number"}


def questions_of(prefix: str = "") -> list[str]:
    """The ids of the questions whose id starts with ``prefix``."""
    return [q for q in QUESTIONS if q.startswith(prefix)]


def _plain_number(value):
    """``value`` as a float if it is a plain number (exact types only: no object can run code here)."""
    if type(value) in (int, float) or type(value) in (np.float64, np.float32, np.int64, np.int32):
        return float(value)
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind in "fiu":
        return float(value)
    return None


def _plain_array(value):
    """``value`` as a float64 array if it is a short list, tuple or array of plain numbers."""
    if type(value) is np.ndarray:
        return value.astype(np.float64) if value.dtype.kind in "fiu" and value.size <= 64 else None
    if type(value) in (list, tuple) and len(value) <= 64:
        numbers_ = [_plain_number(v) for v in value]
        return None if any(v is None for v in numbers_) else np.array(numbers_)
    return None


def _describe(value) -> str:
    if type(value) in (list, tuple, np.ndarray):
        return say("a {type} of {n} values", type=type(value).__name__,
                   n=len(value) if type(value) is not np.ndarray else value.shape)
    if type(value) not in (str, int, float, bool):
        return say("a {type}", type=type(value).__name__)  # never call a student object's own repr
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def judge(qid: str, value) -> Verdict:
    """Judge the student's ``value`` for question ``qid``: a pure function of the two.

    ``value`` must be a plain value: a str (a choice), a real number, or a
    short list or array of numbers. Anything else gets a verdict saying what
    was expected. Raises ``ValueError`` for an unknown ``qid``.
    """
    q = QUESTIONS.get(qid)
    if q is None:
        raise ValueError(f"check_answer: unknown question {qid!r}; known: {', '.join(QUESTIONS)}")
    if value is None:
        return Verdict(False, say("{qid} is None: assign your answer ({what}) to it.", qid=qid,
                                  what=tr(q.what or _LABELS[q.kind])), "missing-return")
    if q.kind == "choice":
        if type(value) is not str or len(value.strip()) != 1 or value.strip().lower() not in q.choices:
            return Verdict(False, say("answer with one letter among {letters}, in quotes, got {got}.",
                                      letters=", ".join(q.choices), got=_describe(value)))
        letter = value.strip().lower()
        if letter == q.answer:
            return Verdict(True, say("({letter}) is right.", letter=letter))
        for w in q.wrong:
            if w.value == letter:
                return Verdict(False, say("not ({letter}): {says}", letter=letter, says=tr(w.says)), w.mid)
        return Verdict(False, say("not ({letter}).", letter=letter))
    if q.kind == "number":
        number = _plain_number(value)
        if number is None or not math.isfinite(number):
            return Verdict(False, say("answer with one finite number, got {got}.", got=_describe(value)))
        if abs(number - q.answer) <= q.tol * max(1.0, abs(q.answer)):
            return Verdict(True, say("{number:g} is right.", number=number))
        for w in q.wrong:
            if abs(number - w.value) <= q.tol * max(1.0, abs(w.value)):
                return Verdict(False, say("not {number:g}: {says}", number=number, says=tr(w.says)), w.mid)
        return Verdict(False, say("{number:g} is not it; work it out again from the formula in the text.",
                                  number=number))
    # custom rules take a number or a few numbers
    plain = _plain_number(value) if q.what == "a number" else _plain_array(value)
    if plain is None:
        return Verdict(False, say("answer with {what}, got {got}.", what=tr(q.what), got=_describe(value)))
    return q.rule(plain)


def check_answer(qid: str, value) -> None:
    """Print ``✔ qid: ...`` if ``value`` answers question ``qid``, else raise ``CheckFailed``.

    The message of a wrong answer names its misconception
    (``[misconception: id]``).
    """
    _report(qid, judge(qid, value))


def _report(name: str, verdict: Verdict) -> None:
    """Print ``✔ name: ...`` for a right answer; raise ``CheckFailed`` with the tag for a wrong one."""
    if verdict.ok:
        print(f"✔ {name}: {verdict.says}")
        return
    raise CheckFailed(f"✘ {name}: {verdict.says}{misconception_tag(verdict.misconception)}")


def misconception_tag(mid: str | None) -> str:
    """`` [misconception: id]`` (with its explanation outside English) for a quiz's verdict, or ``""``."""
    return f" {tag(mid, {**MISCONCEPTIONS, **QUIZ_MISCONCEPTIONS})}" if mid else ""


def _known(mid: str) -> bool:
    return mid in MISCONCEPTIONS or mid in QUIZ_MISCONCEPTIONS


_unknown = sorted({w.mid for q in QUESTIONS.values() for w in q.wrong if not _known(w.mid)})
if _unknown:
    raise RuntimeError(f"quiz: wrong answers name unknown misconceptions: {', '.join(_unknown)}")


def judge_perplexity(value, mean_nll) -> Verdict:
    """Is ``value`` the perplexity exp(mean_nll) of a model whose mean cross-entropy is ``mean_nll``?

    A pure function of two plain numbers (``mean_nll`` in nats per token, as
    the trusted side recomputes it from the model).
    """
    number, loss = _plain_number(value), _plain_number(mean_nll)
    if loss is None or not math.isfinite(loss):
        raise ValueError(f"judge_perplexity: mean_nll must be a finite number, got {type(mean_nll).__name__}")
    if number is None or not math.isfinite(number):
        return Verdict(False, say("answer with one finite number, got {got}.", got=_describe(value)))
    right = math.exp(loss)
    if abs(number - right) <= 1e-6 * right:
        return Verdict(True, say("perplexity {number:.3f} = exp({loss:.4f}).", number=number, loss=loss))
    if abs(number - loss) <= 1e-6 * max(1.0, loss):
        return Verdict(False, say("{number:.4f} is the loss itself; perplexity is exp(loss) = {right:.3f}.",
                                  number=number, right=right), "perplexity-is-loss")
    if abs(number - 2 ** loss) <= 1e-6 * 2 ** loss:
        return Verdict(False, say("{number:.4f} is 2 ** loss, but the loss is in nats: exp(loss).",
                                  number=number), "perplexity-wrong-base")
    return Verdict(False, say("{number:.4f} is not exp(mean cross-entropy) of this model on these windows "
                              "(compute the loss with lm.loss on val_x, val_y).", number=number))


def check_perplexity(value, mean_nll) -> None:
    """``check_answer`` for a perplexity: prints ✔ or raises ``CheckFailed`` naming the misconception."""
    _report("val_perplexity", judge_perplexity(value, mean_nll))
