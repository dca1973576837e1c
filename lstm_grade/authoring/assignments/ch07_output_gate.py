"""Chapter 7: the output gate and the hidden state it shows."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question, watch

ASSIGNMENT = Assignment(
    name="ch07_output_gate",
    title="The output gate and the hidden state",
    cells=(
        imports(),
        intro(7, "the output gate and the hidden state", """
The cell keeps its memory to itself; the output gate decides how much of it
(squashed by tanh) to show as the hidden state, which the next step and the
layers above see:

$$o_t = \\sigma(W_o \\cdot [h_{t-1}, x_t] + b_o) \\qquad h_t = o_t \\odot \\tanh(c_t)$$

Shapes: `prev_h` (N, H), `x` (N, D), `W_o` (H, H + D), `b_o` (H,), `c` (N, H).
The previous hidden state comes first in the concatenation.
"""),
        prose("## 1. The output gate"),
        answer("output_gate", '''
def output_gate(prev_h, x, W_o, b_o):
    """o_t = σ(W_o · [h_{t-1}, x_t] + b_o).

    prev_h (N, H), x (N, D), W_o (H, H + D), b_o (H,) -> o (N, H).
    """
    ### BEGIN SOLUTION
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    z = hx @ W_o.T + b_o
    e = np.exp(-np.abs(z))  # stable sigmoid: exp of non-positive numbers only
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION
'''),
        tests("test_output_gate", 2,
              'check("output_gate", output_gate)',
              'check("output_gate", output_gate, hidden=True)'),
        prose("## 2. The hidden state"),
        answer("hidden_state", '''
def hidden_state(o, c):
    """h_t = o_t ⊙ tanh(c_t).

    o (N, H), c (N, H) -> h (N, H).
    """
    ### BEGIN SOLUTION
    return o * np.tanh(c)
    ### END SOLUTION
'''),
        tests("test_hidden_state", 2,
              'check("hidden_state", hidden_state)',
              'check("hidden_state", hidden_state, hidden=True)'),
        *watch("output_gate", "hidden_state"),
        *quiz("q_predict_h"),
        *quiz("q_output_closed"),
        *written_question("why_output_gate", 2, """
In two or three sentences: why does the LSTM need an output gate? Give an
example of a moment when the cell should hold a value that the rest of the
network should not see yet.
""", """
The cell is the long-term memory; the hidden state is what the next step and
the layers above act on now. The output gate lets the network keep a value in
the cell without showing it: for example, a model that has read an opening
quote must remember it until the closing quote, but should not let it change
its predictions for every word in between; o stays near 0 for that unit until
the quote is about to close.
""", """
1 point: the distinction between storing (c) and showing (h) what is stored.
1 point: a concrete example of information kept but not yet used (an open
bracket or quote, a counter, a subject remembered until its verb, ...).
"""),
    ),
)
