"""Chapter 8: the whole LSTM forward pass, one step and a sequence, in the stacked form."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch08_lstm_forward",
    title="The LSTM forward pass",
    cells=(
        imports(),
        intro(8, "the LSTM forward pass", """
Chapters 4 to 7 computed each gate with its own weight matrix. In practice
the four are stacked so that one matrix product computes all of them:

$$a = x_t W_x + h_{t-1} W_h + b \\quad (N, 4H)$$

split into four blocks of H columns **in the order i, f, g, o** (input gate,
forget gate, candidate g = c̃, output gate; PyTorch's order), then

$$i = \\sigma(a_i),\\; f = \\sigma(a_f),\\; g = \\tanh(a_g),\\; o = \\sigma(a_o),\\quad
c_t = f \\odot c_{t-1} + i \\odot g,\\quad h_t = o \\odot \\tanh(c_t)$$

Shapes: `x` (N, D), `prev_h`, `prev_c` (N, H), `Wx` (D, 4H), `Wh` (H, 4H), `b` (4H,).
""", scaffolds=True),
        prose("""
## 1. One step

Return `next_h`, `next_c` and a `cache` of what a backward pass would need.
A stable sigmoid is one line: `np.exp(-np.logaddexp(0, -a))`.
"""),
        answer("lstm_step_forward", '''
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step; gates stacked in the order i, f, g, o.

    x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,)
    -> next_h (N, H), next_c (N, H), cache.
    """
    H = prev_h.shape[1]
    # (≈ 1 line) a: the four gates' pre-activations with one product each, x Wx + prev_h Wh + b, (N, 4H)
    ### BEGIN SOLUTION
    a = x @ Wx + prev_h @ Wh + b  # (N, 4H)
    ### END SOLUTION
    # (≈ 4 lines) i, f, g, o: the four H-wide blocks of a in that order; σ for the gates, tanh for g
    ### BEGIN SOLUTION
    i = np.exp(-np.logaddexp(0, -a[:, :H]))
    f = np.exp(-np.logaddexp(0, -a[:, H:2 * H]))
    g = np.tanh(a[:, 2 * H:3 * H])
    o = np.exp(-np.logaddexp(0, -a[:, 3 * H:]))
    ### END SOLUTION
    # (≈ 2 lines) next_c from the forget and input gates, then next_h from the output gate
    ### BEGIN SOLUTION
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    ### END SOLUTION
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, g, o, next_c)
    return next_h, next_c, cache
'''),
        tests("test_lstm_step_forward", 3,
              'check("lstm_step_forward", lstm_step_forward)',
              'check("lstm_step_forward", lstm_step_forward, hidden=True)'),
        prose("""
## 2. A whole sequence

Run your `lstm_step_forward` over the T steps of `x` (N, T, D), from `h0`
(N, H) and `c0` (N, H; `None` means zeros), and return every hidden state,
`h` (N, T, H), with a cache of the step caches.
"""),
        answer("lstm_forward", '''
def lstm_forward(x, h0, c0, Wx, Wh, b):
    """The LSTM over a sequence, calling lstm_step_forward at each step.

    x (N, T, D), h0 (N, H), c0 (N, H) or None (zeros), Wx (D, 4H), Wh (H, 4H), b (4H,)
    -> h (N, T, H), cache.
    """
    N, T, _ = x.shape
    H = h0.shape[1]
    # (≈ 2 lines) the initial cell state: c0 as given, or zeros when it is None
    ### BEGIN SOLUTION
    if c0 is None:
        c0 = np.zeros_like(h0)
    ### END SOLUTION
    h = np.zeros((N, T, H), dtype=np.result_type(x, h0, c0, Wx, Wh, b))
    prev_h, prev_c = h0, c0
    step_caches = []
    for t in range(T):  # x[:, t] is x_{t+1}; h[:, t] holds h_{t+1}
        # (≈ 2 lines) one step from the previous states, carrying both h and c on; store the new h in h[:, t]
        ### BEGIN SOLUTION
        prev_h, prev_c, step_cache = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
        ### END SOLUTION
        step_caches.append(step_cache)
    return h, step_caches
'''),
        tests("test_lstm_forward", 3,
              'check("lstm_forward", lstm_forward)',
              'check("lstm_forward", lstm_forward, hidden=True)'),
        *quiz("q_forget_columns"),
        *quiz("q_lstm_parameters"),
        *written_question("stacked_gates", 2, """
In two or three sentences: chapters 4 to 7 computed each gate with its own
matrix; here one product computes all four. Does stacking change the numbers
the LSTM computes? What does it change?
""", """
No: the stacked Wx and Wh are the four gates' matrices side by side, so each
H-wide block of a = x Wx + h Wh + b is exactly the pre-activation one gate
would compute on its own (with [h, x] split into its h and x parts). What
changes is speed: one large matrix product per step instead of eight small
ones, which BLAS runs far more efficiently.
""", """
1 point: the values are the same (the blocks are the separate gates' matrices
side by side). 1 point: the gain is speed or efficiency (fewer, larger matrix
products). No point for "it saves parameters" (it does not).
"""),
    ),
)
