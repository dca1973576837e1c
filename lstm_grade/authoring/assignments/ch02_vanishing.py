"""Chapter 2: backpropagation through time, and watching the gradient vanish."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch02_vanishing",
    title="Backpropagation through time and vanishing gradients",
    cells=(
        imports("from lstm_ref import rnn_step_forward, rnn_forward"),
        intro(2, "backpropagation through time", """
The forward pass is given (`rnn_step_forward`, `rnn_forward` from `lstm_ref`,
the same equations as chapter 1: h_t = tanh(x_t W_x + h_{t−1} W_h + b)). You
write the backward pass, then measure how the gradient shrinks as it travels
back in time.

The forward functions return named caches; unpack them in field order:
a step cache is `(x, prev_h, Wx, Wh, next_h)`; a sequence cache has the fields
`x` (N, T, D), `h0` (N, H), `Wx`, `Wh`, `b`, `h` (N, T, H) and
`h_all` (N, T + 1, H), which is `h0` followed by every hidden state.
""", scaffolds=True),
        prose("""
## 1. One step backward

With a = x W_x + h_{t−1} W_h + b and next_h = tanh(a), and `dnext_h` the
gradient of the loss with respect to next_h:

$$da = dnext\\_h \\odot (1 - next\\_h^2),\\; dx = da\\,W_x^\\top,\\; dprev\\_h = da\\,W_h^\\top,\\;
dW_x = x^\\top da,\\; dW_h = prev\\_h^\\top da,\\; db = \\textstyle\\sum_n da$$
"""),
        answer("rnn_step_backward", '''
def rnn_step_backward(dnext_h, cache):
    """Backward pass of one RNN step.

    dnext_h (N, H); cache = (x, prev_h, Wx, Wh, next_h)
    -> dx (N, D), dprev_h (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    x, prev_h, Wx, Wh, next_h = cache
    # (≈ 1 line) da: the gradient through tanh, written with its output next_h
    ### BEGIN SOLUTION
    da = dnext_h * (1 - next_h ** 2)  # tanh'(a) written with its output
    ### END SOLUTION
    # (≈ 2 lines) dx and dprev_h: back through the products x Wx and prev_h Wh
    ### BEGIN SOLUTION
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    ### END SOLUTION
    # (≈ 3 lines) dWx, dWh, db: the parameters' gradients, summed over the batch
    ### BEGIN SOLUTION
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    ### END SOLUTION
    return dx, dprev_h, dWx, dWh, db
'''),
        tests("test_rnn_step_backward", 2,
              'check("rnn_step_backward", rnn_step_backward)',
              'check("rnn_step_backward", rnn_step_backward, hidden=True)'),
        prose("""
## 2. Through time

`dh` (N, T, H) is the gradient arriving at every hidden state from above.
Walk from the last step to the first; the gradient reaching h_{t−1} is what
arrives from above **plus** what flows back from step t. The weights are
shared across steps, so their gradients add up.
"""),
        answer("rnn_backward", '''
def rnn_backward(dh, cache):
    """Backpropagation through time for rnn_forward.

    dh (N, T, H); cache from rnn_forward
    -> dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    x, Wx, Wh, h_all = cache.x, cache.Wx, cache.Wh, cache.h_all
    N, T, D = x.shape
    H = Wh.shape[0]
    dx = np.zeros_like(x, dtype=np.result_type(x, dh))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H, dtype=Wh.dtype)
    dprev_h = np.zeros((N, H), dtype=dh.dtype)  # nothing flows back into the last step
    for t in reversed(range(T)):  # x[:, t] is x_{t+1}; h_all[:, t] is h_t
        step_cache = (x[:, t, :], h_all[:, t, :], Wx, Wh, h_all[:, t + 1, :])
        # (≈ 1 line) one step back: h_{t+1} receives dh[:, t] from above plus dprev_h from the step after it
        ### BEGIN SOLUTION
        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t, :] + dprev_h, step_cache)
        ### END SOLUTION
        dx[:, t, :] = dx_t
        # (≈ 3 lines) the weights are shared by every step: add this step's gradients to dWx, dWh, db
        ### BEGIN SOLUTION
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        ### END SOLUTION
    return dx, dprev_h, dWx, dWh, db
'''),
        tests("test_rnn_backward", 3,
              'check("rnn_backward", rnn_backward)',
              'check("rnn_backward", rnn_backward, hidden=True)'),
        prose("""
## 3. Measuring the vanishing gradient

Suppose the loss only looks at the last hidden state h_T, with gradient
`dh_last` (N, H). Write `gradient_norms(dh_last, cache)`: the norm (over the
whole batch, `np.linalg.norm` of the (N, H) array) of the gradient reaching
each output h_1 … h_T, as an array of shape (T,) with `norms[t - 1]` for h_t
(the same 0-based layout as `h[:, t - 1]`). So `norms[T - 1]` is the norm of
`dh_last` itself, and `norms[0]` how much reaches h_1.
"""),
        answer("gradient_norms", '''
def gradient_norms(dh_last, cache):
    """‖∂L/∂h_t‖ for t = 1 .. T (in norms[t - 1]) when only h_T receives the gradient dh_last.

    dh_last (N, H); cache from rnn_forward -> norms (T,).
    """
    ### BEGIN SOLUTION
    T = cache.x.shape[1]
    norms = np.zeros(T)
    grad = dh_last
    norms[T - 1] = np.linalg.norm(grad)
    for t in range(T, 1, -1):  # from h_T back to h_2
        h_t = cache.h_all[:, t, :]  # h_all[:, t] holds h_t (h_all[:, 0] is h_0)
        grad = (grad * (1 - h_t ** 2)) @ cache.Wh.T  # the gradient reaching h_{t-1}
        norms[t - 2] = np.linalg.norm(grad)
    return norms
    ### END SOLUTION
'''),
        tests("test_gradient_norms", 2,
              'check("gradient_norms", gradient_norms)',
              'check("gradient_norms", gradient_norms, hidden=True)'),
        prose("""
Run the cell below: with small recurrent weights the norm falls by a roughly
constant factor per step (it vanishes); with large ones it can grow. Try other
scales for `Wh`.
"""),
        scratch('''
rng = np.random.default_rng(0)
N, T, D, H = 4, 30, 3, 16
x = rng.standard_normal((N, T, D))
Wx = rng.standard_normal((D, H)) * 0.5
b = np.zeros(H)
for scale in (0.5, 1.0, 2.0):
    Wh = rng.standard_normal((H, H)) * scale / np.sqrt(H)
    h, cache = rnn_forward(x, np.zeros((N, H)), Wx, Wh, b)
    norms = gradient_norms(np.ones((N, H)), cache)
    print(f"Wh scale {scale}: gradient norm at h_T {norms[-1]:.2e}, at h_1 {norms[0]:.2e}")
'''),
        *quiz("q_vanishing_factor"),
        *quiz("q_tanh_grad"),
        *written_question("geometric_decay", 2, """
Your measurement shows the gradient's norm changing by a roughly constant
factor per step. Using your `rnn_step_backward`, explain in two to four
sentences why the change is geometric (a product), and what decides whether it
vanishes or explodes.
""", """
Each step back multiplies the gradient by the same kind of factor: the
elementwise tanh′ = 1 − h_t² (at most 1) and then W_hᵀ. Going back k steps
multiplies k such factors together, so the norm behaves like a product,
roughly (factor)^k. When the typical factor, set by the size of W_h
(its largest singular values) times the tanh′ values, is below 1 the gradient
vanishes; above 1 it can explode.
""", """
1 point: the backward step multiplies by (1 − h²) and W_hᵀ at every step, so k
steps give a product of k factors. 1 point: the size of W_h (scale, singular
values) together with the saturation of tanh decides whether the product
shrinks (< 1) or grows (> 1). Half a point for "multiplied at each step"
without naming the two factors.
"""),
    ),
)
