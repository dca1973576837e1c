"""lstm_ref.reproductions: the continual Reber stream, the ablation model's gradients, seeded runs."""
from __future__ import annotations

import numpy as np
import pytest

import lstm_ref as L
from ref_helpers import assert_matches_numerical


def test_reber_stream_marks_every_penultimate_symbol(rng):
    s = L.reber_stream(30, rng)
    text = "".join(L.REBER_SYMBOLS[i] for i in s.ids)
    assert s.penultimate.sum() == 30 and text.count("E") >= 30
    # The marked symbol repeats the second symbol of its string.
    starts = np.r_[0, np.flatnonzero(s.penultimate)[:-1] + 2]
    for start, pos in zip(starts, np.flatnonzero(s.penultimate)):
        assert L.is_embedded_reber(text[start:pos + 2])
        assert text[pos] == text[start + 1]


@pytest.mark.parametrize("variant", ["vanilla", "CIFG", "NOAF"])
def test_ablation_lm_gradients_with_a_carried_state(variant, rng):
    model = L.AblationLM(7, 3, variant, seed=0)
    stream = L.reber_stream(20, rng).ids
    (x1, y1), (x2, y2) = list(L.consecutive_windows(stream, 2, 5))[:2]
    model.loss(x1, y1)
    carried = model.state
    _, grads = model.loss(x2, y2)

    def f():
        model.state = carried
        return np.array(model.loss(x2, y2)[0])

    for name, p in model.params.items():
        assert_matches_numerical(grads[name], L.grad_check(f, p, np.array(1.0)), f"{variant} {name}")


def test_runs_are_repeatable_and_seeds_differ():
    a = L.greff_run("vanilla", seed=0, steps=5, N=4, T=5, test_strings=10)
    b = L.greff_run("vanilla", seed=0, steps=5, N=4, T=5, test_strings=10)
    c = L.greff_run("vanilla", seed=1, steps=5, N=4, T=5, test_strings=10)
    assert (a.score, a.loss) == (b.score, b.loss) and a.loss != c.loss
    assert 0 <= a.score <= 1 and a.settings["variant"] == "vanilla"
    r = L.adding_run("rnn", 6, seed=0, steps=5, test_size=50)
    assert 0 <= r.score <= 1 and r.loss > 0 and r.settings == dict(cell="rnn", T=6, seed=0, steps=5, H=16)
    with pytest.raises(ValueError, match=r"variant: expected one of \('vanilla'"):
        L.greff_run("FGR")


def test_the_runs_of_a_seed_share_its_streams_read_only():
    from lstm_ref.reproductions import _streams

    init_a, train_a, test_a = _streams(5, 40, 10)
    init_b, train_b, test_b = _streams(5, 40, 10)
    assert train_a is train_b and test_a is test_b, "written once per seed"
    assert not train_a.ids.flags.writeable and not test_a.penultimate.flags.writeable
    assert init_a is not init_b and init_a.integers(1 << 30) == init_b.integers(1 << 30)
    # The streams the seed's generators write, as before they were shared.
    _, train_seq, test_seq = np.random.SeedSequence(5).spawn(3)
    assert np.array_equal(train_a.ids, L.reber_stream(40, np.random.default_rng(train_seq)).ids)
    assert np.array_equal(test_a.ids, L.reber_stream(10, np.random.default_rng(test_seq)).ids)


def test_train_reverser_is_seeded():
    (m1, h1), (m2, h2) = (L.train_reverser(True, steps=4, H=4, E=3, max_train_len=4) for _ in range(2))
    assert [r.step for r in h1] == [4] and [r.loss for r in h1] == [r.loss for r in h2]
    assert all(np.array_equal(m1.params[k], m2.params[k]) for k in m1.params)
    _, other = L.train_reverser(True, seed=1, steps=4, H=4, E=3, max_train_len=4)
    assert other[-1].loss != h1[-1].loss
