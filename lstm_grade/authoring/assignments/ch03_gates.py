"""Chapter 3: gates. A stable sigmoid, then the generic gate every LSTM gate is built from."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch03_gates",
    title="Gates",
    cells=(
        imports(),
        intro(3, "gates", """
A gate is a vector of numbers between 0 and 1 that multiplies another vector
elementwise: 0 blocks, 1 lets through. The LSTM computes its gates with the
sigmoid σ(z) = 1 / (1 + e^{−z}) of a learned function of the previous hidden
state and the input.
"""),
        prose("""
## 1. A sigmoid that never overflows

`1 / (1 + np.exp(-x))` overflows for x = −1000 (NumPy warns, and in a graded
cell a warning counts as a failure). Write a `sigmoid` that evaluates only
`exp` of non-positive numbers, for any shape of `x`, keeping its dtype.
"""),
        answer("sigmoid", '''
def sigmoid(x):
    """σ(x) = 1 / (1 + exp(−x)) elementwise, without overflow for any finite x.

    x: any shape -> same shape and dtype, values in [0, 1].
    """
    ### BEGIN SOLUTION
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    e = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ### END SOLUTION
'''),
        tests("test_sigmoid", 2,
              'check("sigmoid", sigmoid)',
              'check("sigmoid", sigmoid, hidden=True)'),
        prose("""
## 2. The generic gate

Every LSTM gate has the same form: concatenate the previous hidden state and
the input (hidden state **first**), apply a weight matrix and a bias, squash:

$$\\text{gate} = \\sigma(W \\cdot [h_{t-1}, x_t] + b)$$

Shapes: `prev_h` (N, H), `x` (N, D), `W` (H, H + D), `b` (H,). With a batch of
row vectors, `W · [h, x]` is `[h, x] @ W.T`, of shape (N, H).
"""),
        answer("gate", '''
def gate(prev_h, x, W, b):
    """A sigmoid gate: σ(W · [h_{t-1}, x_t] + b).

    prev_h (N, H), x (N, D), W (H, H + D), b (H,) -> (N, H), values in (0, 1).
    """
    ### BEGIN SOLUTION
    hx = np.concatenate([prev_h, x], axis=1)  # (N, H + D)
    return sigmoid(hx @ W.T + b)
    ### END SOLUTION
'''),
        tests("test_gate", 2,
              'check("gate", gate)',
              'check("gate", gate, hidden=True)'),
        *quiz("q_gate_range"),
        *quiz("q_sigmoid_symmetry"),
        *written_question("stable_sigmoid", 2, """
In two or three sentences: why does `1 / (1 + np.exp(-x))` fail for
x = −1000, and why can your `sigmoid` never fail that way?
""", """
For x = −1000 it computes exp(1000), which is far beyond the largest float
(about 1.8e308): it overflows to inf, NumPy warns, and the result is only
right by luck (1 / inf = 0). A stable sigmoid only ever takes exp of
−|x| ≤ 0, a number in (0, 1], so nothing overflows; for x < 0 it uses the
equal form exp(x) / (1 + exp(x)).
""", """
1 point: exp of a large positive number overflows (names exp(1000) or the float
range, or the warning). 1 point: the stable form only takes exp of a
non-positive number (uses exp(−|x|) or the two branches). Either point may be
earned with a correct formula instead of words.
"""),
    ),
)
