"""Chapter 1: the plain RNN, one step and a whole sequence."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch01_rnn",
    title="The plain RNN",
    cells=(
        imports(),
        intro(1, "the plain RNN", """
A recurrent network reads a sequence one step at a time and carries a hidden
state from step to step:

$$h_t = \\tanh(x_t W_x + h_{t-1} W_h + b)$$

Shapes: `x` (N, D), `prev_h` (N, H), `Wx` (D, H), `Wh` (H, H), `b` (H,);
N is the batch, D the input size, H the hidden size.
"""),
        prose("""
## 1. One step

Write `rnn_step_forward`. Return the new hidden state and a `cache`: whatever
the backward pass of chapter 2 will need (here, a tuple of the inputs and the
output is enough).
"""),
        answer("rnn_step_forward", '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One RNN step: next_h = tanh(x Wx + prev_h Wh + b).

    x (N, D), prev_h (N, H), Wx (D, H), Wh (H, H), b (H,) -> next_h (N, H), cache.
    """
    ### BEGIN SOLUTION
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
    ### END SOLUTION
'''),
        tests("test_rnn_step_forward", 2,
              'check("rnn_step_forward", rnn_step_forward)',
              'check("rnn_step_forward", rnn_step_forward, hidden=True)'),
        prose("""
## 2. A whole sequence

Write `rnn_forward`: run your `rnn_step_forward` over the T steps of `x`
(N, T, D), starting from `h0` (N, H), and return every hidden state stacked
along time, `h` (N, T, H), with a cache holding each step's cache.
"""),
        answer("rnn_forward", '''
def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a sequence: h_t = tanh(x_t Wx + h_{t-1} Wh + b), t = 1..T.

    x (N, T, D), h0 (N, H), Wx (D, H), Wh (H, H), b (H,) -> h (N, T, H), cache.
    """
    ### BEGIN SOLUTION
    N, T, _ = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    step_caches = []
    prev_h = h0
    for t in range(T):
        prev_h, step_cache = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        step_caches.append(step_cache)
    return h, step_caches
    ### END SOLUTION
'''),
        tests("test_rnn_forward", 2,
              'check("rnn_forward", rnn_forward)',
              'check("rnn_forward", rnn_forward, hidden=True)'),
        *quiz("q_rnn_shared_weights"),
        *quiz("q_rnn_output_shape"),
        *written_question("rnn_any_length", 2, """
In two or three sentences: the same `Wx`, `Wh` and `b` are used at every step.
Why does that let one RNN read sequences of any length, and what must the
hidden state do for the network to use what it read many steps earlier?
""", """
Because the step function and its parameters are the same at every t, the
network is one small function applied T times: nothing in it depends on T, so
it runs on 5 steps or 500. Everything the network knows about the past has to
travel in h_t, so the hidden state must summarise (encode) whatever earlier
inputs later outputs need, and carry it from step to step.
""", """
1 point: shared parameters mean the same function is applied at every step, so
the length T never enters the parameters. 1 point: the hidden state is the only
memory of earlier inputs and must carry what later steps need. No point for
restating the equation without either idea.
"""),
    ),
)
