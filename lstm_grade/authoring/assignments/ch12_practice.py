"""Chapter 12: LSTMs in practice: embeddings, truncated BPTT with the state carried, stacked layers."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch12_practice",
    title="LSTMs in practice",
    cells=(
        imports("from lstm_ref import lstm_forward, lstm_backward, final_state, rel_error"),
        intro(12, "LSTMs in practice", """
Three pieces every real LSTM model needs, each written on top of the
chapter 8-9 layer (`lstm_forward`, `lstm_backward` from `lstm_ref`): the
embedding table that turns token ids into vectors, and its gradient;
truncated backpropagation through time, which trains on a long stream one
window at a time while the state flows on; and a stack of LSTM layers.

Shapes: N batch, T time, D input, H hidden, V vocabulary. `lstm_forward(x,
h0, c0, Wx, Wh, b)` returns `(h, cache)` with `h` (N, T, H); its cache holds
the last states `cache.h_final`, `cache.c_final` (N, H) (`final_state(cache)`
returns copies of both). `lstm_backward(dh, cache)` returns
`(dx, dh0, dc0, dWx, dWh, db)`.
""", scaffolds=True),
        prose("""
## 1. The embedding lookup

`W` (V, D) holds one D-vector per token id. For ids `x` (N, T) the output is
`out[n, t] = W[x[n, t]]` (N, T, D): the same numbers as `one_hot(x) @ W`,
without building the one-hot array. Return `(out, cache)`; the cache is
`(x, W.shape, W.dtype)`, everything the backward pass needs.
"""),
        answer("embedding_forward", '''
def embedding_forward(x, W):
    """out[n, t] = W[x[n, t]].

    x (N, T) int ids in [0, V), W (V, D) -> out (N, T, D), cache.
    """
    ### BEGIN SOLUTION
    out = W[x]  # one row of W per id: (N, T, D)
    ### END SOLUTION
    return out, (x, W.shape, W.dtype)
'''),
        tests("test_embedding_forward", 2,
              'check("embedding_forward", embedding_forward)',
              'check("embedding_forward", embedding_forward, hidden=True)'),
        prose("""
## 2. Its backward pass

Position (n, t) read row `x[n, t]`, so its gradient `dout[n, t]` goes back
to that row. A token that occurs several times in the batch read its row
several times, and the row collects the **sum**:

$$dW_v = \\sum_{n, t \\,:\\, x_{n,t} = v} dout_{n,t}$$

Careful: `dW[x] += dout` looks right but writes each repeated row only once
(NumPy buffers the fancy-indexed update). `np.add.at` accumulates. The
cache unpacks as `x, W_shape, dtype`.
"""),
        answer("embedding_backward", '''
def embedding_backward(dout, cache):
    """dW[v] = Σ of dout[n, t] over the positions whose id x[n, t] is v.

    dout (N, T, D); cache from embedding_forward -> dW (V, D) (zero rows for unused ids).
    """
    x, W_shape, dtype = cache
    V, D = W_shape
    dW = np.zeros((V, D), dtype=np.result_type(dtype, dout.dtype))
    # (≈ 1 line) add every position's gradient to the row of its id (a repeated id collects each one)
    ### BEGIN SOLUTION
    np.add.at(dW, np.asarray(x).ravel(), dout.reshape(-1, D))
    ### END SOLUTION
    return dW
'''),
        tests("test_embedding_backward", 3,
              'check("embedding_backward", embedding_backward)',
              'check("embedding_backward", embedding_backward, hidden=True)'),
        prose("""
## 3. Truncated BPTT: carry the state, cut the gradient

A long stream is cut into K consecutive windows of T steps: `xs[k]`
(N, T, D) is window k, and row n of window k + 1 continues row n of window k.
`dhs[k]` (N, T, H) is the gradient the loss sends to window k's hidden states.

Write `truncated_bptt`: run the windows in order, each **starting from the
last h and c of the window before** (the first from `h0`, `c0`), run each
window's backward pass **on its own** (its `dh0`, `dc0` are dropped: no
gradient flows into the window before), and add up the weight gradients.
Return the last states and the summed gradients.
"""),
        answer("truncated_bptt", '''
def truncated_bptt(xs, dhs, h0, c0, Wx, Wh, b):
    """Forward over K consecutive windows with the state carried; backward window by window.

    xs (K, N, T, D), dhs (K, N, T, H), h0 (N, H), c0 (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,)
    -> h_last (N, H), c_last (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    # (≈ 1 line) h, c: the state the first window starts from
    ### BEGIN SOLUTION
    h, c = h0, c0
    ### END SOLUTION
    for x, dh in zip(xs, dhs):
        # (≈ 1 line) this window's forward pass, from the carried state
        ### BEGIN SOLUTION
        _, cache = lstm_forward(x, h, c, Wx, Wh, b)
        ### END SOLUTION
        # (≈ 4 lines) this window's backward pass alone (drop its dh0, dc0); add its weight gradients
        ### BEGIN SOLUTION
        _, _, _, dWx_k, dWh_k, db_k = lstm_backward(dh, cache)
        dWx += dWx_k
        dWh += dWh_k
        db += db_k
        ### END SOLUTION
        # (≈ 1 line) h, c: the state the next window starts from
        ### BEGIN SOLUTION
        h, c = final_state(cache)
        ### END SOLUTION
    return h, c, dWx, dWh, db
'''),
        tests("test_truncated_bptt", 3,
              'check("truncated_bptt", truncated_bptt)',
              'check("truncated_bptt", truncated_bptt, hidden=True)'),
        prose("""
### What carrying the state buys (not graded)

The cell below runs the same three windows three ways: your carried state,
the state reset in every window, and one long forward pass over the whole
stream. Carrying gives exactly the long pass's last state; resetting does not.
"""),
        scratch('''
rng = np.random.default_rng(12)
K, N, T, D, H = 3, 2, 5, 3, 4
xs = rng.standard_normal((K, N, T, D))
dhs = rng.standard_normal((K, N, T, H))
h0, c0 = np.zeros((N, H)), np.zeros((N, H))
Wx, Wh, b = rng.standard_normal((D, 4 * H)) * 0.5, rng.standard_normal((H, 4 * H)) * 0.5, np.zeros(4 * H)
h_carried = truncated_bptt(xs, dhs, h0, c0, Wx, Wh, b)[0]
h_reset = lstm_forward(xs[-1], h0, c0, Wx, Wh, b)[0][:, -1]
h_long = lstm_forward(np.concatenate(list(xs), axis=1), h0, c0, Wx, Wh, b)[0][:, -1]
print("carried state vs one long pass:", rel_error(h_carried, h_long))
print("reset state   vs one long pass:", rel_error(h_reset, h_long))
'''),
        prose("""
## 4. A stack of LSTM layers

Layer 0 reads `x`; every layer above reads the hidden states h (N, T, H) of
the layer below, so its `Wx` is (H, 4H). `params` is a list of L tuples
`(Wx, Wh, b)`, one per layer, and `h0`, `c0` (L, N, H) hold one initial state
per layer (`None` means zeros). Return the **top** layer's h and, as the
cache, the list of the layers' caches.
"""),
        answer("stacked_lstm_forward", '''
def stacked_lstm_forward(x, h0, c0, params):
    """L LSTM layers, each reading the hidden states of the one below.

    x (N, T, D), h0 and c0 (L, N, H) or None, params: L tuples (Wx, Wh, b)
    (layer 0: Wx (D, 4H); above: Wx (H, 4H)) -> h (N, T, H) of the top layer, caches.
    """
    inputs, caches = x, []
    for l, (Wx, Wh, b) in enumerate(params):
        h0_l = None if h0 is None else h0[l]
        c0_l = None if c0 is None else c0[l]
        # (≈ 2 lines) run layer l on what the layer below produced; its h is the next layer's input
        ### BEGIN SOLUTION
        inputs, cache = lstm_forward(inputs, h0_l, c0_l, Wx, Wh, b)
        caches.append(cache)
        ### END SOLUTION
    return inputs, caches
'''),
        tests("test_stacked_lstm_forward", 3,
              'check("stacked_lstm_forward", stacked_lstm_forward)',
              'check("stacked_lstm_forward", stacked_lstm_forward, hidden=True)'),
        prose("## 5. Quick questions"),
        *quiz("q_embedding_repeat"),
        *quiz("q_tbptt_reach"),
        *quiz("q_stacked_parameters"),
        prose("## 6. Written question"),
        *written_question("carry_but_cut", 2, """
In two to four sentences: in truncated BPTT, why is the state carried from
one window to the next while the gradient is not? What does the model
gain from the carried state, and what can it still not learn well?
""", """
Carrying the last h, c makes each window start from the memory of everything
before it, so the forward pass behaves as on the whole stream and the model
can use context longer than a window. Letting the gradient through would
mean keeping every earlier window's activations and running backward over
the whole stream, which costs memory and time that grow with its length;
cutting it keeps each backward pass T steps long. The price: a dependency
longer than T is never connected by a gradient, so the model can use such a
dependency once it has learned it by chance but is not trained to learn it.
""", """
1 point: the carried state gives each window the real context (the forward
pass sees the past beyond the window); the cut keeps the backward pass's
cost bounded by T. 1 point: dependencies longer than T get no gradient, so
they are hard to learn. Half a point for "saves memory" without saying what
the carried state is for.
"""),
    ),
)
