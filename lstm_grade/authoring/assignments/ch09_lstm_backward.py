"""Chapter 9: the LSTM backward pass, a numerical gradient check, and why the cell helps."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch09_lstm_backward",
    title="The LSTM backward pass",
    cells=(
        imports("import lstm_ref",
                "from lstm_ref import lstm_step_forward, lstm_forward, rel_error"),
        intro(9, "the LSTM backward pass", """
The forward pass is given (`lstm_step_forward`, `lstm_forward` from
`lstm_ref`, stacked gates in the order i, f, g, o). You write the backward
pass, check it numerically, and explain why it does not vanish.

A step cache unpacks in this order:
`(x, prev_h, prev_c, Wx, Wh, i, f, g, o, next_c, tanh_next_c)`.
A sequence cache has named fields, among them `x` (N, T, D), `Wx`, `Wh`,
the gates `i`, `f`, `g`, `o`, the cells `c`, `tanh_c` (each (N, T, H)) and
`h_all`, `c_all` (N, T + 1, H): the initial state followed by every state.
""", scaffolds=True),
        prose("""
## 1. One step backward

`dnext_h`, `dnext_c` (N, H) are the gradients arriving at h_t and c_t. The
cell receives gradient from both paths:

$$dc = dnext\\_c + dnext\\_h \\odot o \\odot (1 - \\tanh^2 c_t)$$
$$di = dc \\odot g,\\; df = dc \\odot c_{t-1},\\; dg = dc \\odot i,\\; do = dnext\\_h \\odot \\tanh c_t,\\;
dprev\\_c = dc \\odot f$$

then through the activations to `da` (N, 4H, order i, f, g, o) and through
the affine map as in chapter 2.
"""),
        answer("lstm_step_backward", '''
def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of one LSTM step.

    dnext_h (N, H), dnext_c (N, H); cache from lstm_step_forward
    -> dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    x, prev_h, prev_c, Wx, Wh, i, f, g, o, next_c, tanh_c = cache
    # (≈ 2 lines) do, and dc: the cell's gradient from dnext_c plus the path through h_t = o ⊙ tanh(c_t)
    ### BEGIN SOLUTION
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    ### END SOLUTION
    # (≈ 2 lines) di, df, dg from c_t = f ⊙ c_{t-1} + i ⊙ g, and dprev_c along the cell path
    ### BEGIN SOLUTION
    di, df, dg = dc * g, dc * prev_c, dc * i
    dprev_c = dc * f
    ### END SOLUTION
    # (≈ 2 lines) da (N, 4H): through σ' = s (1 − s) and tanh' = 1 − g², blocks in the order i, f, g, o
    ### BEGIN SOLUTION
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f),
                         dg * (1 - g ** 2), do * o * (1 - o)], axis=1)  # (N, 4H)
    ### END SOLUTION
    # Through the affine map a = x Wx + prev_h Wh + b, as in chapter 2.
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db
'''),
        tests("test_lstm_step_backward", 3,
              'check("lstm_step_backward", lstm_step_backward)',
              'check("lstm_step_backward", lstm_step_backward, hidden=True)'),
        prose("""
## 2. Through time

`dh` (N, T, H) arrives at every hidden state. Walk backwards carrying two
gradients, one for h and one for c; the initial cell gradient is zero
because no loss looks at the last cell state directly.
"""),
        answer("lstm_backward", '''
def lstm_backward(dh, cache):
    """Backpropagation through time for lstm_forward.

    dh (N, T, H); cache from lstm_forward
    -> dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    x, Wx, Wh = cache.x, cache.Wx, cache.Wh
    N, T, D = x.shape
    H = Wh.shape[0]
    dtype = np.result_type(x, dh)
    dx = np.zeros((N, T, D), dtype=dtype)
    dWx, dWh, db = np.zeros(Wx.shape, dtype), np.zeros(Wh.shape, dtype), np.zeros(4 * H, dtype)
    # (≈ 1 line) dprev_h, dprev_c: what flows back into the last step from after it (nothing yet)
    ### BEGIN SOLUTION
    dprev_h, dprev_c = np.zeros((N, H), dtype), np.zeros((N, H), dtype)
    ### END SOLUTION
    for t in reversed(range(T)):  # x[:, t] is x_{t+1}; h_all[:, t], c_all[:, t] hold h_t, c_t
        step_cache = (x[:, t], cache.h_all[:, t], cache.c_all[:, t], Wx, Wh,
                      cache.i[:, t], cache.f[:, t], cache.g[:, t], cache.o[:, t],
                      cache.c[:, t], cache.tanh_c[:, t])
        # (≈ 2 lines) one step back: h receives dh[:, t] plus dprev_h from the step after; c receives dprev_c
        ### BEGIN SOLUTION
        dx_t, dprev_h, dprev_c, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t] + dprev_h, dprev_c, step_cache)
        ### END SOLUTION
        dx[:, t] = dx_t
        # (≈ 3 lines) the weights are shared by every step: add this step's gradients
        ### BEGIN SOLUTION
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
        ### END SOLUTION
    return dx, dprev_h, dprev_c, dWx, dWh, db
'''),
        tests("test_lstm_backward", 3,
              'check("lstm_backward", lstm_backward)',
              'check("lstm_backward", lstm_backward, hidden=True)'),
        prose("""
## 3. A numerical gradient

A backward pass is only trusted once it agrees with a numerical gradient.
Write `grad_check(f, x, df, h)`: `f` is a function of no arguments that reads
the array `x` and returns an array shaped like `df`. Return, for every
element x_k, the central difference of L = sum(f() * df):

$$\\frac{\\partial L}{\\partial x_k} \\approx \\frac{L(x + h e_k) - L(x - h e_k)}{2h}$$

Change `x[k]` in place (`np.ndindex(x.shape)` walks every index) and put the
old value back afterwards, so `f` sees the change and the caller gets `x` back.
"""),
        answer("grad_check", '''
def grad_check(f, x, df, h=1e-5):
    """Central-difference gradient of L = Σ f() ⊙ df with respect to x (changed in place, restored).

    f: no arguments -> array like df; x: float array, any shape; df: like f()'s output
    -> grad, shaped like x (float64).
    """
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape, dtype=np.float64)
    for k in np.ndindex(x.shape):
        old = x[k]
        x[k] = old + h
        plus = np.sum(f() * df)
        x[k] = old - h
        minus = np.sum(f() * df)
        x[k] = old
        grad[k] = (plus - minus) / (2 * h)
    return grad
    ### END SOLUTION
'''),
        tests("test_grad_check", 2,
              'check("grad_check", grad_check)',
              'check("grad_check", grad_check, hidden=True)'),
        prose("""
## 4. Gradient check of your backward pass

Use your `grad_check` to compute `dWx_num` and `dWh_num`, the numerical
gradients of `sum(h * dh)` with respect to `Wx` and `Wh`, where `h` is the
output of `lstm_forward` below. The test cell requires both printed relative
errors to be below 1e-6 (a correct backward pass gives far less; a wrong one
much more).
"""),
        scratch('''
rng = np.random.default_rng(9)
N, T, D, H = 2, 3, 4, 5
x = rng.standard_normal((N, T, D))
h0 = rng.standard_normal((N, H))
Wx = rng.standard_normal((D, 4 * H)) * 0.5
Wh = rng.standard_normal((H, 4 * H)) * 0.5
b = rng.standard_normal(4 * H) * 0.5
dh = rng.standard_normal((N, T, H))
h, cache = lstm_forward(x, h0, None, Wx, Wh, b)
dx, dh0, dc0, dWx, dWh, db = lstm_backward(dh, cache)
'''),
        answer("numerical_gradients", '''
### BEGIN SOLUTION
h_of_weights = lambda: lstm_forward(x, h0, None, Wx, Wh, b)[0]  # reads Wx and Wh
dWx_num = grad_check(h_of_weights, Wx, dh)
dWh_num = grad_check(h_of_weights, Wh, dh)
### END SOLUTION
print("relative error dWx:", rel_error(dWx_num, dWx))
print("relative error dWh:", rel_error(dWh_num, dWh))
'''),
        tests("test_numerical_gradients", 2, '''
assert dWx_num.shape == Wx.shape and dWh_num.shape == Wh.shape, "one gradient per weight"
assert rel_error(dWx_num, dWx) < 1e-6, "dWx: your backward pass and the numerical gradient disagree"
assert rel_error(dWh_num, dWh) < 1e-6, "dWh: your backward pass and the numerical gradient disagree"
''', '''
# The numerical gradients must be those of this very forward pass, not copies of dWx/dWh.
_expected = lstm_ref.lstm_backward(dh, lstm_ref.lstm_forward(x, h0, None, Wx, Wh, b)[1])
assert rel_error(dWx_num, _expected[3]) < 1e-6, "dWx_num is not the numerical gradient of sum(h * dh)"
assert rel_error(dWh_num, _expected[4]) < 1e-6, "dWh_num is not the numerical gradient of sum(h * dh)"
'''),
        prose("""
## Your backward pass against a plain RNN (not graded)

Run the cell below. It puts a loss on the **last** step only and measures
how much gradient reaches the **first** input, through your `lstm_backward`
and through a plain RNN of the same size, for longer and longer sequences.
The forget-gate bias is 3, so f ≈ 0.95: the conveyor belt is mostly open.
Try a bias of 0 or −3 and watch what happens to the LSTM's numbers.
"""),
        scratch('''
rng = np.random.default_rng(0)
N, D, H = 4, 3, 16
Wx = rng.standard_normal((D, 4 * H)) * 0.5
Wh = rng.standard_normal((H, 4 * H)) / np.sqrt(H)
b = np.zeros(4 * H)
b[H:2 * H] = 3.0  # the forget gate's bias (gate order i, f, g, o)
for T in (5, 20, 50, 100):
    x = rng.standard_normal((N, T, D))
    dh = np.zeros((N, T, H))
    dh[:, -1] = 1.0  # a loss on the last step only
    _, cache = lstm_forward(x, np.zeros((N, H)), None, Wx, Wh, b)
    dx_lstm = lstm_backward(dh, cache)[0]
    _, rnn_cache = lstm_ref.rnn_forward(x, np.zeros((N, H)), Wx[:, :H], Wh[:, :H], np.zeros(H))
    dx_rnn = lstm_ref.rnn_backward(dh, rnn_cache)[0]
    print(f"T = {T:3d}: gradient reaching x_0   LSTM {np.linalg.norm(dx_lstm[:, 0]):.1e}"
          f"   RNN {np.linalg.norm(dx_rnn[:, 0]):.1e}")
'''),
        prose("## 5. Two quick questions"),
        *quiz("q_cell_path"),
        *quiz("q_central_difference"),
        prose("## 6. Written question"),
        *written_question("cell_state_gradients", 3, """
In two to four sentences: along which path does the gradient flow from
c_t back to c_{t−1}, what is it multiplied by at each step, and why does this
let an LSTM keep gradients alive over many steps when a plain RNN's vanish?
""", """
From c_t to c_{t−1} the gradient flows through the cell update alone:
∂c_t/∂c_{t−1} = f_t (elementwise), with no weight matrix and no squashing
derivative on that path. Over k steps it is multiplied by the product of the
forget gates, which stays close to 1 whenever the network keeps the gates
open, so the gradient neither shrinks nor explodes. In a plain RNN each step
multiplies by W_hᵀ and by tanh′ ≤ 1, whose product typically has norm below
1, so the gradient decays exponentially with distance.
""", """
1 point: the path is the cell update, ∂c_t/∂c_{t−1} = f_t elementwise (no weight
matrix, no tanh′). 1 point: over k steps the factors multiply, and stay near 1
when the forget gates are open. 1 point: the contrast with the RNN, whose factor
W_hᵀ · tanh′ is typically below 1, so its gradient decays exponentially.
"""),
    ),
)
