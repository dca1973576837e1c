"""What chapters 4 to 8 and 11 say, held against what the code computes.

The worked example of chapters 4-7 (H = 1, D = 1) is written out by hand in
the prose; these tests recompute it with lstm_ref, run each page's own
worked-example cell, and check that the two agree, digit for digit as the
prose rounds them. They also hold the errata of issue 9 that a test can hold.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import lstm_ref
from lstm_grade.checks._misconceptions import MISCONCEPTIONS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_words import count_words  # noqa: E402

BOOK = Path(__file__).resolve().parents[1] / "book"
STEP_PAGES = ["ch04_forget_gate", "ch05_input_gate", "ch06_cell_update", "ch07_output_gate"]
MY_PAGES = STEP_PAGES + ["ch08_whole_cell", "ch11_training"]

# The worked example as the prose states it: [h_{t-1}, x_t] = [0.5, 1.0], c_{t-1} = 2.0.
PREV_H, X, PREV_C = np.array([[0.5]]), np.array([[1.0]]), np.array([[2.0]])
WEIGHTS = {"f": ([[1.0, -2.0]], [0.5]), "i": ([[0.0, 3.0]], [-1.0]),
           "c": ([[-2.0, -1.0]], [0.5]), "o": ([[2.0, 0.0]], [0.0])}


def _worked():
    w = {k: (np.array(W), np.array(b)) for k, (W, b) in WEIGHTS.items()}
    f = lstm_ref.forget_gate(PREV_H, X, *w["f"])
    i = lstm_ref.input_gate(PREV_H, X, *w["i"])
    g = lstm_ref.candidate(PREV_H, X, *w["c"])
    c = lstm_ref.update_cell(PREV_C, f, i, g)
    o = lstm_ref.output_gate(PREV_H, X, *w["o"])
    h = lstm_ref.hidden_state(o, c)
    v = {"f": f, "fc": f * PREV_C, "i": i, "c_tilde": g, "ic": i * g, "c": c, "o": o,
         "tanh_c": np.tanh(c), "h": h,
         # what the named mistakes of chapter 7 give (the prose quotes them)
         "no_tanh": o * c, "old_memory": o * np.tanh(PREV_C), "tanh_outside": np.tanh(o * c)}
    return {k: float(a[0, 0]) for k, a in v.items()}


WORKED = _worked()
# Which hand-written numbers each page must show (rounded to 3 decimals).
HAND = {
    "ch04_forget_gate": ["f", "fc"],
    "ch05_input_gate": ["i", "c_tilde", "ic"],
    "ch06_cell_update": ["fc", "ic", "c"],
    "ch07_output_gate": ["o", "tanh_c", "h", "no_tanh", "old_memory", "tanh_outside"],
    "ch08_whole_cell": ["c", "h"],
}


def _text(page):
    return (BOOK / f"{page}.md").read_text(encoding="utf-8")


def _markdown(page):
    """The page without its code cells (prose, math, admonitions)."""
    return re.sub(r"```\{code-cell\}.*?\n```", " ", _text(page), flags=re.S)


def _cells(page):
    return re.findall(r"```\{code-cell\} ipython3\n(.*?)\n```", _text(page), re.S)


# What each page's worked-example cell prints.
PRINTED = {**HAND, "ch07_output_gate": ["o", "tanh_c", "h"]}


@pytest.mark.parametrize("page", list(HAND))
def test_worked_example_by_hand_matches_lstm_ref(page):
    md = _markdown(page)
    for key in HAND[page]:
        written = f"{WORKED[key]:.3f}"
        # a negative number may be written as a subtraction: "0.538 - 0.797"
        assert written in md or (written[0] == "-" and f"- {written[1:]}" in md), \
            f"{page}: {key} = {written} (lstm_ref) is not what the prose writes"


@pytest.mark.parametrize("page", list(HAND))
def test_the_pages_worked_example_cell_computes_the_same_numbers(page, capsys):
    """Run the page's own worked-example cell and read what it prints."""
    cell = next(c for c in _cells(page) if "the worked example" in c)
    exec(compile(cell, f"{page}.md", "exec"), {"np": np, "lstm_ref": lstm_ref})
    printed = capsys.readouterr().out
    numbers = [float(n) for n in re.findall(r"[-+]?\d+\.\d+", printed)]
    for key in PRINTED[page]:
        assert any(abs(n - round(WORKED[key], 3)) < 1e-9 for n in numbers), \
            f"{page}: the worked-example cell does not print {key} = {WORKED[key]:.3f}: {printed!r}"


def test_quiz_answers_on_the_worked_example_are_lstm_refs_numbers():
    def correct(page, k):
        q = json.loads((BOOK / "quizzes" / f"{page}.json").read_text(encoding="utf-8"))[k]
        return next(a for a in q["answers"] if a.get("correct"))

    assert correct("ch04_forget_gate", 1)["value"] == round(WORKED["f"], 3)
    lo, hi = correct("ch04_forget_gate", 2)["range"]
    assert lo <= WORKED["fc"] <= hi
    assert correct("ch05_input_gate", 1)["value"] == round(WORKED["i"], 3)
    lo, hi = correct("ch05_input_gate", 2)["range"]
    assert lo <= WORKED["ic"] <= hi
    lo, hi = correct("ch06_cell_update", 0)["range"]
    assert lo <= WORKED["c"] <= hi
    assert correct("ch07_output_gate", 0)["value"] == round(WORKED["h"], 3)


def test_ch05_says_one_step_adds_less_than_1_not_changes():
    prose = " ".join(_markdown("ch05_input_gate").split())
    assert not re.search(r"change an entry of the memory by less than 1", prose)
    assert "*adds* less than 1 in magnitude" in prose
    # and the counter-example it points to is on ch06's page: 2.0 to 0 in one step
    ch06 = " ".join(_markdown("ch06_cell_update").split())
    assert "from 2.0 to 0 in one step" in ch06
    assert lstm_ref.update_cell(np.array([[2.0]]), np.array([[0.0]]), np.array([[0.0]]),
                                np.array([[0.5]]))[0, 0] == 0.0


@pytest.mark.parametrize("page", STEP_PAGES)
def test_step_chapters_have_at_least_900_words_of_prose(page):
    assert count_words(_text(page)) >= 900


@pytest.mark.parametrize("page", ["ch08_whole_cell", "ch11_training"])
def test_whole_cell_and_training_chapters_are_richer(page):
    assert count_words(_text(page)) >= 1200


@pytest.mark.parametrize("page", STEP_PAGES + ["ch08_whole_cell"])
def test_common_mistakes_box_names_the_checks_misconceptions(page):
    box = re.search(r":::\{admonition\} Common mistakes\n(.*?)\n:::", _text(page), re.S)
    assert box, f"{page}: no 'Common mistakes' admonition"
    ids = re.findall(r"^- `([a-z0-9-]+)`", box.group(1), re.M)
    assert len(ids) >= 4, f"{page}: the box names {ids}"
    unknown = [i for i in ids if i not in MISCONCEPTIONS]
    assert not unknown, f"{page}: ids not in lstm_grade's misconception table: {unknown}"


@pytest.mark.parametrize("page", MY_PAGES)
def test_questions_for_reflection(page):
    m = re.search(r"## Questions for reflection\n\n(.*?)\n## ", _text(page), re.S)
    assert m and len(re.findall(r"^\d\. ", m.group(1), re.M)) >= 3


def test_ch08_teaches_pytorchs_layout_not_every_library():
    md = " ".join(_markdown("ch08_whole_cell").split())
    assert "every library stores" not in md
    for claim in ("`weight_ih_l0` | (4H, D)", "`weight_hh_l0` | (4H, H)", "4H(D + H + 2)",
                  "(T, N, D)", "from_torch_lstm"):
        assert claim in md, claim
    assert "import torch" not in _text("ch08_whole_cell")


def test_ch11_adding_baselines_are_computed_on_the_page():
    """The 1/12 of 'keep only the nearer number' is computed by the page's cell, and the
    RNN's error is glued from its run, not written by hand."""
    cell = next(c for c in _cells("ch11_training") if "nearer only" in c)
    from lstm_viz.reports import N_, tr

    ns = {"np": np, "lstm_ref": lstm_ref, "results": {}, "N_": N_, "tr": tr}
    exec(compile(cell, "ch11_training.md", "exec"), ns)
    mse = ns["test_mse"]
    assert mse["second number + 0.5 (nearer only)"] == pytest.approx(1 / 12, abs=0.004)
    assert mse["answer 1 (no memory)"] == pytest.approx(1 / 6, abs=0.008)
    assert ns["nearer_acc"] == pytest.approx(0.08, abs=0.01)
    md = _markdown("ch11_training")
    assert "{glue:text}`rnn_mse" in md and "{glue:md}`rnn_reading`" in md
    assert "0.046" not in md and "1/12" in md


def test_ch11_compares_perplexities_measured_the_same_way_and_claims_nothing_of_samples():
    text = _text("ch11_training")
    assert re.search(r"ppl_train, ppl_held_out = perplexity\(model, train_ids\), "
                     r"perplexity\(model, held_out_ids\)", text)
    md = " ".join(_markdown("ch11_training").split())
    for stale in ("self.", "indented block", "`()`", "learns to write Python", "looks like Python"):
        assert stale not in md, stale
    # what the prose says of samples is glued from them
    assert "{glue:text}`share_lstm" in md and "{glue:md}`gap_reading`" in md
    # the corpus is the shipped one, not the machine's standard library
    assert "standard library" not in md and "course_text.txt" in md


def test_ch11_language_model_promise_names_the_exercise_model():
    box = re.search(r":::\{admonition\} Exercise 11.*?\n:::", _text("ch11_training"), re.S).group(0)
    box = " ".join(box.split())
    assert "language model" in box and "shipped corpus" in box
