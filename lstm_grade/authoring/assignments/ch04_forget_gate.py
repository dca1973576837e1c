"""Chapter 4: the forget gate, and what its extreme values mean (written answer)."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, watch, written_question

ASSIGNMENT = Assignment(
    name="ch04_forget_gate",
    title="The forget gate",
    cells=(
        imports(),
        intro(4, "the forget gate", """
The cell state `c` is the LSTM's long-term memory. The forget gate decides,
for each of its H numbers, how much of the previous cell state to keep:

$$f_t = \\sigma(W_f \\cdot [h_{t-1}, x_t] + b_f)$$

Shapes: `prev_h` (N, H), `x` (N, D), `W_f` (H, H + D), `b_f` (H,) -> `f` (N, H).
The previous hidden state comes first in the concatenation.
"""),
        prose("""
## 1. The forget gate

Write `forget_gate`. Use `np.exp` in a way that cannot overflow (or write
your own stable sigmoid first, in the same cell).
"""),
        answer("forget_gate", '''
def forget_gate(prev_h, x, W_f, b_f):
    """f_t = σ(W_f · [h_{t-1}, x_t] + b_f).

    prev_h (N, H), x (N, D), W_f (H, H + D), b_f (H,) -> f (N, H).
    """
    ### BEGIN SOLUTION
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    z = hx @ W_f.T + b_f
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION
'''),
        tests("test_forget_gate", 3,
              'check("forget_gate", forget_gate)',
              'check("forget_gate", forget_gate, hidden=True)'),
        *watch("forget_gate"),
        prose("""
## 2. Reasoning with the gate

A memory kept by the forget gate alone is multiplied by f at every step.
"""),
        *quiz("q_forget_bias"),
        *quiz("q_forget_fraction"),
        prose("## 3. Written question"),
        *written_question("forget_gate_meaning", 2, """
The next step (chapter 6) multiplies the previous cell state by `f`
elementwise. In two or three sentences: what happens to one number of the
cell state when its forget-gate value is 0? When it is 1? Why can a value
of exactly 1 matter for learning long dependencies?
""", """
With f = 0 the product f ⊙ c_{t−1} is zero: that number of the memory is
erased and the new cell value comes only from what the input gate writes.
With f = 1 the old value passes through unchanged (plus whatever is added):
the memory is kept. Because the path c_{t−1} → c_t is then multiplied by 1
rather than squashed, a value stored many steps ago survives, and its
gradient flows back through those steps without shrinking, so the network
can learn dependencies that span long gaps.
""", """
1 point: f = 0 erases and f = 1 keeps (both needed). 1 point: with f = 1 the value,
and its gradient, pass through many steps without shrinking, which is what long
dependencies need. Half a point if the answer says "keeps the memory" without
the gradient or the many-steps argument.
"""),
    ),
)
