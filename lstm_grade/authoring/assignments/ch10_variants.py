"""Chapter 10: three relatives of the LSTM: peephole, coupled gates, GRU."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch10_variants",
    title="Peephole, coupled gates and the GRU",
    cells=(
        imports(),
        intro(10, "LSTM variants", """
Three one-step forward functions. Every stacked array keeps its gates in the
order given for it, in blocks of H columns. `x` (N, D), `prev_h`, `prev_c` (N, H).
""", scaffolds=True),
        prose("""
## 1. Peephole connections

The gates also look at the cell: i and f see c_{t−1}, o sees the new c_t.
`Wx` (D, 4H), `Wh` (H, 4H), `b` (4H,) in the order i, f, g, o; `P` (3, H) holds
the peephole weights for i, f, o (elementwise products):

$$a = x W_x + h_{t-1} W_h + b,\\; i = \\sigma(a_i + P_0 \\odot c_{t-1}),\\;
f = \\sigma(a_f + P_1 \\odot c_{t-1}),\\; g = \\tanh(a_g)$$
$$c_t = f \\odot c_{t-1} + i \\odot g,\\; o = \\sigma(a_o + P_2 \\odot c_t),\\;
h_t = o \\odot \\tanh(c_t)$$
"""),
        answer("peephole_step_forward", '''
def peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, P):
    """One peephole LSTM step (equations above), gate order i, f, g, o.

    x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,), P (3, H)
    -> next_h (N, H), next_c (N, H), cache.
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b  # (N, 4H)
    i = np.exp(-np.logaddexp(0, -(a[:, :H] + P[0] * prev_c)))
    f = np.exp(-np.logaddexp(0, -(a[:, H:2 * H] + P[1] * prev_c)))
    g = np.tanh(a[:, 2 * H:3 * H])
    next_c = f * prev_c + i * g
    o = np.exp(-np.logaddexp(0, -(a[:, 3 * H:] + P[2] * next_c)))
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, i, f, g, o, next_c)
    ### END SOLUTION
'''),
        tests("test_peephole_step_forward", 2,
              'check("peephole_step_forward", peephole_step_forward)',
              'check("peephole_step_forward", peephole_step_forward, hidden=True)'),
        prose("""
## 2. Coupled forget and input gates

One gate decides both: what is forgotten is replaced, `i = 1 − f`.
`Wx` (D, 3H), `Wh` (H, 3H), `b` (3H,) in the order **f, g, o**:

$$c_t = f \\odot c_{t-1} + (1 - f) \\odot g,\\quad h_t = o \\odot \\tanh(c_t)$$
"""),
        answer("coupled_step_forward", '''
def coupled_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step with coupled gates (i = 1 − f), gate order f, g, o.

    x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,)
    -> next_h (N, H), next_c (N, H), cache.
    """
    ### BEGIN SOLUTION
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b  # (N, 3H)
    f = np.exp(-np.logaddexp(0, -a[:, :H]))
    g = np.tanh(a[:, H:2 * H])
    o = np.exp(-np.logaddexp(0, -a[:, 2 * H:]))
    next_c = f * prev_c + (1 - f) * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, f, g, o, next_c)
    ### END SOLUTION
'''),
        tests("test_coupled_step_forward", 2,
              'check("coupled_step_forward", coupled_step_forward)',
              'check("coupled_step_forward", coupled_step_forward, hidden=True)'),
        prose("""
## 3. The GRU

PyTorch's equations, gate order **r, z, n**, `Wx` (D, 3H), `Wh` (H, 3H) and two
biases `bx`, `bh` (3H,). Note where the reset gate r acts: on the hidden
part of the candidate's pre-activation, after its bias.

$$r = \\sigma(x W_{xr} + b_{xr} + h W_{hr} + b_{hr}),\\quad
z = \\sigma(x W_{xz} + b_{xz} + h W_{hz} + b_{hz})$$
$$n = \\tanh(x W_{xn} + b_{xn} + r \\odot (h W_{hn} + b_{hn})),\\quad
h_t = (1 - z) \\odot n + z \\odot h_{t-1}$$
"""),
        answer("gru_step_forward", '''
def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    """One GRU step (PyTorch's equations), gate order r, z, n.

    x (N, D), prev_h (N, H), Wx (D, 3H), Wh (H, 3H), bx (3H,), bh (3H,)
    -> next_h (N, H), cache.
    """
    H = prev_h.shape[1]
    ax = x @ Wx + bx       # (N, 3H)
    ah = prev_h @ Wh + bh  # (N, 3H)
    # (≈ 2 lines) r and z: σ of the sums of their blocks of ax and ah (blocks r, z, n, H columns each)
    ### BEGIN SOLUTION
    r = np.exp(-np.logaddexp(0, -(ax[:, :H] + ah[:, :H])))
    z = np.exp(-np.logaddexp(0, -(ax[:, H:2 * H] + ah[:, H:2 * H])))
    ### END SOLUTION
    # (≈ 1 line) n: the candidate, where the reset r scales the hidden part h W_hn + b_hn
    ### BEGIN SOLUTION
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    ### END SOLUTION
    # (≈ 1 line) next_h: z keeps the old state, 1 − z takes the candidate
    ### BEGIN SOLUTION
    next_h = (1 - z) * n + z * prev_h
    ### END SOLUTION
    return next_h, (x, prev_h, r, z, n)
'''),
        tests("test_gru_step_forward", 2,
              'check("gru_step_forward", gru_step_forward)',
              'check("gru_step_forward", gru_step_forward, hidden=True)'),
        *quiz("q_gru_interpolation"),
        *quiz("q_coupled_write"),
        *written_question("gru_against_lstm", 2, """
In two or three sentences: the GRU has no separate cell state. Which of its
parts does the work of the coupled LSTM's forget and input gates, and what
does it give up compared with the LSTM's output gate?
""", """
The update gate z does both: z keeps the old state and 1 − z writes the
candidate, exactly the coupling f and 1 − f of the coupled LSTM. With no
separate cell and no output gate, everything the GRU remembers is also exposed
as h_t at every step: it cannot hold a memory hidden from the next layer the
way an LSTM does with o ≈ 0.
""", """
1 point: z plays both roles (keep with z, write with 1 − z), as the coupled
gates do. 1 point: without a cell and an output gate the memory is always
visible in h_t (no hidden storage). Mentioning the reset gate's role in the
candidate is welcome but not required.
"""),
    ),
)
