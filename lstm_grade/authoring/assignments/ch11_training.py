"""Chapter 11: training: gradient clipping, sampling with a temperature, and a real run."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch11_training",
    title="Training an LSTM",
    cells=(
        imports("from lstm_ref import Adam, SequenceModel, embedded_reber, penultimate_accuracy",
                "from lstm_ref.data import REBER_SYMBOLS"),
        intro(11, "training", """
Two small tools every recurrent training loop needs, then a real training
run on the embedded Reber grammar, the task of the original LSTM paper: to
predict the second-to-last symbol the network must remember the second
symbol across the whole string.
""", scaffolds=True),
        prose("""
## 1. Gradient clipping by global norm

`grads` is a dict of arrays. Treat them as one long vector g; if its norm
‖g‖ is larger than `max_norm`, scale **every** array by `max_norm / ‖g‖` (in
place, so the caller's arrays change). Return ‖g‖ measured before clipping.
"""),
        answer("clip_grad_norm", '''
def clip_grad_norm(grads, max_norm):
    """If ‖g‖ > max_norm: g_k ← g_k · max_norm / ‖g‖ for every array g_k (in place).

    grads: dict name -> array (any shapes); max_norm > 0 -> ‖g‖ before clipping (float).
    """
    ### BEGIN SOLUTION
    total = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads.values())))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
    ### END SOLUTION
'''),
        tests("test_clip_grad_norm", 2,
              'check("clip_grad_norm", clip_grad_norm)',
              'check("clip_grad_norm", clip_grad_norm, hidden=True)'),
        prose("""
## 2. Sampling with a temperature

Given the scores `logits` of the next symbol, draw one symbol id from
softmax(logits / temperature). A low temperature makes the most likely symbol
more likely still; a high one flattens the distribution. Draw with
`rng.choice(V, p=probs)` so that the same `rng` gives the same symbol as the
reference. Keep it stable: subtract the largest score before `np.exp`.
"""),
        answer("sample_next", '''
def sample_next(logits, temperature, rng):
    """Draw an id from p = softmax(logits / temperature).

    logits (V,), temperature > 0, rng a np.random.Generator -> int in [0, V).
    """
    ### BEGIN SOLUTION
    z = np.asarray(logits, dtype=np.float64) / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
    ### END SOLUTION
'''),
        tests("test_sample_next", 2,
              'check("sample_next", sample_next)',
              'check("sample_next", sample_next, hidden=True)'),
        prose("""
## 3. A training run

The loop below trains a small LSTM (H = 16) on batches of embedded Reber
strings with Adam (`optimizer.step` takes `model.params` and the gradients and updates the
parameters in place). Fill in its two blanks: the loss and gradients of each
batch, then clipping with **your** `clip_grad_norm` before the step. It takes
a few seconds. The graded cell after it measures, on strings the model has never
seen, how often it predicts the long-dependency symbol correctly (guessing
gives 50 %); 90 % passes.
"""),
        answer("training_loop", '''
rng = np.random.default_rng(11)
V = len(REBER_SYMBOLS)
model = SequenceModel(V, 16, V, cell="lstm", output="every", objective="softmax", seed=11)
optimizer = Adam(0.01)
for step in range(300):
    batch = embedded_reber(32, rng)
    # (≈ 1 line) loss, grads: the batch's loss and its gradients (model.loss(batch.x, batch.y, batch.mask))
    ### BEGIN SOLUTION
    loss, grads = model.loss(batch.x, batch.y, batch.mask)
    ### END SOLUTION
    # (≈ 2 lines) clip the gradients with your clip_grad_norm (max norm 1.0), then one optimizer step
    ### BEGIN SOLUTION
    norm = clip_grad_norm(grads, 1.0)
    optimizer.step(model.params, grads)
    ### END SOLUTION
    if step % 50 == 0:
        print(f"step {step:3d}   loss {loss:.3f}   gradient norm {norm:.2f}")
'''),
        tests("test_training_accuracy", 3, '''
test = embedded_reber(500, np.random.default_rng(2024))
accuracy = penultimate_accuracy(model.predict(test.x), test)
print(f"penultimate-symbol accuracy on new strings: {accuracy:.1%}")
assert accuracy >= 0.9, f"accuracy {accuracy:.1%} is below 90 %: train longer or check clip_grad_norm"
''', '''
# Strings no one has seen, so the score cannot have been tuned on them.
_fresh = embedded_reber(1000, np.random.default_rng())
assert penultimate_accuracy(model.predict(_fresh.x), _fresh) >= 0.9
'''),
        *quiz("q_clip_factor"),
        *quiz("q_temperature"),
        *quiz("q_perplexity"),
        *written_question("clip_and_temperature", 2, """
In two to four sentences: why clip gradients by their global norm instead of
clipping each element, and what does the sampling temperature trade off?
""", """
Scaling every gradient by the same factor max_norm / ‖g‖ keeps the direction of
the update and only shortens it, so one exploding step cannot throw the
parameters far away; clipping elements separately changes the direction. The
temperature trades safety for variety: low temperatures pick the likely
symbols (repetitive but plausible text), high ones flatten the distribution
(varied but with more mistakes).
""", """
1 point: global-norm clipping keeps the update's direction (elementwise
clipping distorts it). 1 point: temperature trades between likely/repetitive
(low T) and diverse/error-prone (high T).
"""),
    ),
)
