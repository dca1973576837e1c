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
