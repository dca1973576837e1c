"""Chapter 13: dot-product attention over the encoder states, with a mask."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch13_attention",
    title="Attention",
    cells=(
        imports(),
        intro(13, "attention", """
A sequence-to-sequence decoder that only sees the encoder's last state must
squeeze the whole input into H numbers. Attention lets it look back at every
encoder state instead: at each output step the decoder's state is a query,
compared with one key per input position, and the context it receives is the
average of the values weighted by how well each key matches.

For one row: scores $s_t = q \\cdot k_t$, weights $\\alpha = \\mathrm{softmax}_t(s)$,
context $= \\sum_t \\alpha_t v_t$. Positions where `mask` is False (padding
after a short sequence) get score $-\\infty$, hence weight exactly 0.

Shapes: `query` (N, H), `keys` (N, T, H), `values` (N, T, H), `mask` (N, T)
bool (True = may attend; every row has at least one True) -> `context`
(N, H), `weights` (N, T).
""", scaffolds=True),
        prose("""
## 1. Attention forward

Write `attention_forward`. Return `((context, weights), cache)`; the cache
is given. `np.einsum` writes the batched dot products in one line (for
example `np.einsum("nth,nh->nt", keys, query)`), and the softmax must be
stable: the scores can be large, so subtract each row's largest score
before `np.exp`.
"""),
        answer("attention_forward", '''
def attention_forward(query, keys, values, mask=None):
    """Dot-product attention of one query per row over T keys and values.

    query (N, H), keys (N, T, H), values (N, T, H), mask (N, T) bool or None
    -> (context (N, H), weights (N, T)), cache.
    """
    # (≈ 1 line) scores (N, T): the dot product of the query with every key of its row
    ### BEGIN SOLUTION
    scores = (keys @ query[:, :, None])[:, :, 0]
    ### END SOLUTION
    if mask is not None:
        # (≈ 1 line) positions that may not be attended get the score −∞
        ### BEGIN SOLUTION
        scores = np.where(mask, scores, -np.inf)
        ### END SOLUTION
    # (≈ 2 lines) weights (N, T): a stable softmax over the T positions of each row
    ### BEGIN SOLUTION
    shifted = np.exp(scores - np.max(scores, axis=1, keepdims=True))  # the largest term is exp(0) = 1
    weights = shifted / np.sum(shifted, axis=1, keepdims=True)
    ### END SOLUTION
    # (≈ 1 line) context (N, H): the values averaged with the weights
    ### BEGIN SOLUTION
    context = (weights[:, :, None] * values).sum(axis=1)
    ### END SOLUTION
    return (context, weights), (query, keys, values, weights, mask)
'''),
        tests("test_attention_forward", 4,
              'check("attention_forward", attention_forward)',
              'check("attention_forward", attention_forward, hidden=True)'),
        prose("""
## Where does it look? (not graded)

The cell below makes one query that matches the key at position 2 well and
masks the last two positions. Change the query, the scale of the scores or
the mask and watch the weights move: large scores make the weights almost
one-hot, small ones spread them out.
"""),
        scratch('''
rng = np.random.default_rng(13)
T, H = 6, 6
keys = rng.standard_normal((1, T, H))
keys /= np.linalg.norm(keys, axis=2, keepdims=True)   # unit keys: q · k_t is largest for the key q points along
values = np.eye(T, H)[None]            # value t is a marker of position t
query = 3.0 * keys[:, 2]               # points along key 2
mask = np.array([[True, True, True, True, False, False]])
(context, weights), _ = attention_forward(query, keys, values, mask)
print("weights:", np.round(weights[0], 3), " sum:", weights[0].sum().round(6))
print("context:", np.round(context[0], 3))
'''),
        prose("## 2. Quick questions"),
        *quiz("q_attention_masked_weight"),
        *quiz("q_attention_context"),
        prose("## 3. Written question"),
        *written_question("attention_bottleneck", 2, """
In two to four sentences: why does an encoder-decoder LSTM without
attention get worse as the input grows longer, and how does attention
remove that limit? What does attention cost in return?
""", """
Without attention the decoder sees the input only through the encoder's last
state, H numbers fixed in size whatever the input's length, so a longer input
must be squeezed into the same space and details are lost. With attention
the decoder reads every encoder state at every output step, weighting them by
how well each matches its current state, so what it can reach grows with the
input and the gradient flows straight to the position it looked at. The cost:
every output step compares its query with all T keys, so the work (and the
memory of the encoder states) grows with T, T·T' over an output of T' steps.
""", """
1 point: the fixed-size last state is a bottleneck that longer inputs overflow,
and attention lets each output step read all encoder states (weighted by
match). 1 point: the price is time and memory proportional to the input
length at every output step (T × T' overall). Half a point for a correct
bottleneck argument without the cost.
"""),
    ),
)
