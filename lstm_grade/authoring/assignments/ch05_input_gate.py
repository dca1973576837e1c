"""Chapter 5: the input gate and the candidate values it lets into the cell."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question, watch

ASSIGNMENT = Assignment(
    name="ch05_input_gate",
    title="The input gate and the candidate",
    cells=(
        imports(),
        intro(5, "the input gate and the candidate", """
Writing to the cell takes two parts: the candidate values c̃ (what could be
written, between −1 and 1) and the input gate i (how much of each to write,
between 0 and 1):

$$i_t = \\sigma(W_i \\cdot [h_{t-1}, x_t] + b_i) \\qquad
\\tilde c_t = \\tanh(W_c \\cdot [h_{t-1}, x_t] + b_c)$$

Shapes: `prev_h` (N, H), `x` (N, D), `W_i`, `W_c` (H, H + D), `b_i`, `b_c` (H,);
both results are (N, H). The previous hidden state comes first.
"""),
        prose("## 1. The input gate"),
        answer("input_gate", '''
def input_gate(prev_h, x, W_i, b_i):
    """i_t = σ(W_i · [h_{t-1}, x_t] + b_i).

    prev_h (N, H), x (N, D), W_i (H, H + D), b_i (H,) -> i (N, H).
    """
    ### BEGIN SOLUTION
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    z = hx @ W_i.T + b_i
    e = np.exp(-np.abs(z))  # stable sigmoid: exp of non-positive numbers only
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION
'''),
        tests("test_input_gate", 2,
              'check("input_gate", input_gate)',
              'check("input_gate", input_gate, hidden=True)'),
        prose("""
### Reasoning with the gate: ignore the noise

Your `input_gate` computes σ(W_i · [h, x] + b_i). Now choose the numbers
yourself: the hidden state comes first in `[h, x]`, then the two input channels.
"""),
        *quiz("q_input_noise"),
        prose("""
## 2. The candidate

Same form as a gate, but squashed with tanh instead of σ, so that the cell
can also be pushed down (negative values).
"""),
        answer("candidate", '''
def candidate(prev_h, x, W_c, b_c):
    """c̃_t = tanh(W_c · [h_{t-1}, x_t] + b_c).

    prev_h (N, H), x (N, D), W_c (H, H + D), b_c (H,) -> c_tilde (N, H).
    """
    ### BEGIN SOLUTION
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    return np.tanh(hx @ W_c.T + b_c)
    ### END SOLUTION
'''),
        tests("test_candidate", 2,
              'check("candidate", candidate)',
              'check("candidate", candidate, hidden=True)'),
        *watch("input_gate", "candidate"),
        *quiz("q_candidate_tanh"),
        *written_question("two_part_write", 2, """
In two or three sentences: why does the LSTM write to its cell in two parts,
a candidate c̃ and an input gate i, instead of adding one tanh layer's output
to the cell directly?
""", """
The candidate says what could be written (a value in (−1, 1), either sign);
the input gate says, number by number, how much of it to write (a fraction in
(0, 1)). With a single tanh layer every step would write something into every
number of the cell; with the gate the network can leave a memory untouched
(i ≈ 0) while the input is noise, and write only when the input matters.
""", """
1 point: the two roles: c̃ is the content (signed), i the amount (0 to 1). 1 point:
the gate lets the network choose not to write (protect the memory from
irrelevant inputs). Answers that only restate the equations get at most 1 point.
"""),
    ),
)
