"""Chapter 11: training: gradient clipping, sampling with a temperature, and a real run."""
from ..cells import answer, prose, scratch, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question

ASSIGNMENT = Assignment(
    name="ch11_training",
    title="Training an LSTM",
    cells=(
        imports("from lstm_ref import Adam, CharLSTM, SequenceModel, char_corpus, embedded_reber, "
                "penultimate_accuracy",
                "from lstm_grade.checks.quiz import check_perplexity",
                "from lstm_ref.data import REBER_SYMBOLS"),
        intro(11, "training", """
Two small tools every recurrent training loop needs, then a real training
run on the embedded Reber grammar, the task of the original LSTM paper: to
predict the second-to-last symbol the network must remember the second
symbol across the whole string. Last, the language model of the chapter: a
character LSTM trained on the course's corpus with your clipping, measured by
its perplexity, and sampled with your `sample_next`.
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
        prose("""
## 4. A character language model

The corpus below is the course's text, encoded as character ids. A
`CharLSTM` (H = 32, one-hot inputs) reads windows of 24 characters and
predicts each next character; `lm.loss(x, y)` returns the mean cross-entropy
(in nats per character) and its gradients. Fill in the training step, with
**your** `clip_grad_norm`. The test cell requires a held-out loss below 3.3
nats per character; a uniform guess over the vocabulary scores ln V.
"""),
        scratch('''
corpus = char_corpus(60000, seed=0)
split = int(0.9 * len(corpus.ids))
train_ids, val_ids = corpus.ids[:split], corpus.ids[split:]  # the last 10 % is held out
V = len(corpus.vocab)
print(f"{len(corpus.ids)} characters, a vocabulary of {V}")


def windows(ids, N, T, rng):
    """N random windows of T characters (x) and the characters that follow each one (y)."""
    starts = rng.integers(0, len(ids) - T - 1, N)
    x = np.stack([ids[s:s + T] for s in starts])
    y = np.stack([ids[s + 1:s + T + 1] for s in starts])
    return x, y


val_x, val_y = windows(val_ids, 64, 24, np.random.default_rng(1))
'''),
        answer("lm_training", '''
lm = CharLSTM(corpus.vocab, 32, seed=0)
lm_optimizer = Adam(0.01)
lm_rng = np.random.default_rng(0)
for step in range(120):
    x, y = windows(train_ids, 16, 24, lm_rng)
    # (≈ 3 lines) one step: lm_loss, lm_grads from lm.loss(x, y); clip with your clip_grad_norm (max norm 5.0); lm_optimizer.step on lm.params
    ### BEGIN SOLUTION
    lm_loss, lm_grads = lm.loss(x, y)
    clip_grad_norm(lm_grads, 5.0)
    lm_optimizer.step(lm.params, lm_grads)
    ### END SOLUTION
    if step % 30 == 0:
        print(f"step {step:3d}   training loss {lm_loss:.3f}")
val_loss = lm.loss(val_x, val_y)[0]
print(f"held-out loss {val_loss:.3f} nats per character (a uniform guess: {np.log(V):.3f})")
'''),
        tests("test_lm_loss", 3, '''
assert val_loss < 3.3, f"held-out loss {val_loss:.3f} is not below 3.3: check the training step"
''', '''
# Recomputed from the model itself, not read from the notebook's variable.
assert lm.loss(val_x, val_y)[0] < 3.3
'''),
        prose("""
### Perplexity

Perplexity is e raised to the mean cross-entropy in nats: a model with
perplexity k is as unsure as a uniform choice among k characters. Compute
`val_perplexity`, the perplexity of `lm` on `val_x`, `val_y`.
"""),
        answer("val_perplexity", '''
### BEGIN SOLUTION
val_perplexity = float(np.exp(lm.loss(val_x, val_y)[0]))
### END SOLUTION
print(f"perplexity {val_perplexity:.2f} (vocabulary {V})")
'''),
        tests("test_val_perplexity", 2,
              "check_perplexity(val_perplexity, lm.loss(val_x, val_y)[0])",
              "from lstm_grade.checks.quiz import check_perplexity as _check_perplexity\n"
              "_check_perplexity(val_perplexity, lm.loss(val_x, val_y)[0])"),
        prose("""
### Sampling

Write `generate`: starting from `prefix`, draw `length` new characters one at
a time with **your** `sample_next` on the scores of the last step
(`lm.forward(ids)` takes (N, T) ids and returns scores (N, T, V) and a
cache), feeding each draw back in. The test checks the length, the
characters, and that a very low temperature follows the model's most likely
character at every step.
"""),
        answer("generate", '''
def generate(lm, vocab, prefix, length, temperature, rng):
    """`length` characters sampled after `prefix` from lm, with sample_next.

    lm: a CharLSTM; vocab: its CharVocab; prefix: a non-empty str; temperature > 0;
    rng: a np.random.Generator -> str of `length` characters.
    """
    ids = [int(k) for k in vocab.encode(prefix)]
    # (≈ 3 lines) for each new character: scores of the text so far, a draw from the last step's scores, appended to ids
    ### BEGIN SOLUTION
    for _ in range(length):
        scores, _ = lm.forward(np.array([ids]))
        ids.append(sample_next(scores[0, -1], temperature, rng))
    ### END SOLUTION
    return vocab.decode(np.array(ids[len(prefix):]))


print(repr(generate(lm, corpus.vocab, "def ", 80, 0.8, np.random.default_rng(5))))
'''),
        tests("test_generate", 2, '''
text = generate(lm, corpus.vocab, "def ", 40, 0.8, np.random.default_rng(3))
assert isinstance(text, str) and len(text) == 40, f"asked for 40 characters, got {len(text)}"
assert set(text) <= set(corpus.text), "characters outside the corpus's vocabulary"
''', '''
_ids = [int(k) for k in corpus.vocab.encode("class ")]
for _ in range(15):  # greedy decoding, computed here from the model alone
    _ids.append(int(np.argmax(lm.forward(np.array([_ids]))[0][0, -1])))
_greedy = corpus.vocab.decode(np.array(_ids[6:]))
assert generate(lm, corpus.vocab, "class ", 15, 1e-3, np.random.default_rng(4)) == _greedy
assert len(generate(lm, corpus.vocab, "x", 7, 1.5, np.random.default_rng(5))) == 7
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
