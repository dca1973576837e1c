"""Data generators: each checked against an independent reference written here."""
from __future__ import annotations

import os
import pathlib
import re
import socket
import sysconfig

import numpy as np
import pytest

from lstm_ref.data import (REBER_SYMBOLS, CharVocab, adding_problem, bracket_depth, brackets,
                           char_corpus, copy_task, embedded_reber, embedded_reber_string,
                           encode_reber, is_embedded_reber, is_reber, one_hot, random_windows,
                           reber_string)

# The Reber automaton written as a regular expression, independently of the
# transition table in lstm_ref: from the state after "BP" (or after "BTS*XX")
# the walk is T* V (P X T* V)* then either V or P S before E.
_LOOP = r"T*V(?:PXT*V)*(?:V|PS)"
REBER_RE = re.compile(rf"B(?:TS*X(?:S|X{_LOOP})|P{_LOOP})E")


# --- Reber ---------------------------------------------------------------------------

def test_reber_strings_match_the_regular_expression(rng):
    strings = [reber_string(rng) for _ in range(300)]
    assert all(REBER_RE.fullmatch(s) for s in strings)
    assert all(is_reber(s) for s in strings)
    assert len(set(strings)) > 30       # the generator explores the grammar


def test_grammar_checker_agrees_with_the_regex_on_near_misses(rng):
    good = [reber_string(rng) for _ in range(100)]
    mutants = []
    for s in good:
        k = int(rng.integers(1, len(s) - 1))
        mutants.append(s[:k] + REBER_SYMBOLS[int(rng.integers(1, 6))] + s[k + 1:])
        mutants.append(s[:k] + s[k + 1:])
    for s in good + mutants + ["", "BE", "BTXSE", "BTXSEE", "TXSE", "BPVVE", "BPTVPXVVE"]:
        assert is_reber(s) == bool(REBER_RE.fullmatch(s)), s
    assert not all(is_reber(s) for s in mutants)


def test_embedded_reber_penultimate_symbol_repeats_the_second(rng):
    for _ in range(200):
        s = embedded_reber_string(rng)
        assert is_embedded_reber(s)
        assert s[-2] == s[1] and s[1] in "TP"
        assert REBER_RE.fullmatch(s[2:-2])
    assert not is_embedded_reber("BTBTXSEPE")


def test_embedded_reber_batch_encoding(rng):
    batch = embedded_reber(20, rng)
    N, T, V = batch.x.shape
    assert (N, V) == (20, 7) and T == batch.lengths.max() - 1
    assert batch.x.dtype == np.float64 and batch.y.dtype == np.int64 and batch.mask.dtype == bool
    for n, s in enumerate(batch.strings):
        L = len(s)
        assert batch.mask[n].sum() == L - 1
        decoded_inputs = "".join(REBER_SYMBOLS[k] for k in batch.x[n, :L - 1].argmax(-1))
        decoded_targets = "".join(REBER_SYMBOLS[k] for k in batch.y[n, :L - 1])
        assert decoded_inputs == s[:-1] and decoded_targets == s[1:]
        assert np.all(batch.x[n, L - 1:] == 0)
        assert REBER_SYMBOLS[batch.y[n, batch.penultimate[n]]] == s[1]


def test_reber_is_reproducible_and_validates(rng):
    a = embedded_reber(5, np.random.default_rng(3))
    b = embedded_reber(5, np.random.default_rng(3))
    assert a.strings == b.strings
    with pytest.raises(ValueError, match="n: expected an integer >= 1, got 0"):
        embedded_reber(0, rng)
    # One seed policy (lstm_ref.validate.check_rng): an int seed is a fresh Generator.
    assert embedded_reber(3, 42).strings == embedded_reber(3, np.random.default_rng(42)).strings
    with pytest.raises(ValueError, match="rng: expected an integer seed >= 0 or a numpy.random.Generator"):
        embedded_reber(3, "42")
    with pytest.raises(ValueError, match="strings"):
        encode_reber(["BTXQE"])


# --- adding problem ------------------------------------------------------------------

def test_adding_targets_are_the_sum_of_the_two_marked_numbers(rng):
    N, T = 50, 12
    x, y = adding_problem(N, T, rng)
    assert x.shape == (N, T, 2) and y.shape == (N,)
    assert x.dtype == np.float64 and y.dtype == np.float64
    for n in range(N):
        marked = np.flatnonzero(x[n, :, 1] == 1)
        assert len(marked) == 2
        assert marked[0] < T // 2 <= marked[1]
        assert y[n] == pytest.approx(x[n, marked[0], 0] + x[n, marked[1], 0])
    assert set(np.unique(x[:, :, 1])) == {0.0, 1.0}
    assert np.all((x[:, :, 0] >= 0) & (x[:, :, 0] < 1))


def test_adding_problem_validates():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="T: expected an integer >= 2, got 1"):
        adding_problem(4, 1, rng)
    with pytest.raises(ValueError, match="N: expected an integer >= 1"):
        adding_problem(0, 10, rng)
    with pytest.raises(ValueError, match="T"):
        adding_problem(4, 2.5, rng)


# --- copy task -----------------------------------------------------------------------

def test_copy_task_layout(rng):
    N, S, delay, K = 6, 4, 5, 3
    x, y = copy_task(N, S, delay, rng, n_symbols=K)
    T = 2 * S + delay
    assert x.shape == y.shape == (N, T) and x.dtype == y.dtype == np.int64
    for n in range(N):
        data = x[n, :S]
        assert np.all((data >= 1) & (data <= K))
        assert list(x[n, S:]) == [0] * (delay - 1) + [K + 1] + [0] * S
        assert list(y[n]) == [0] * (S + delay) + list(data)
    with pytest.raises(ValueError, match="delay"):
        copy_task(2, 3, 0, rng)


# --- brackets ------------------------------------------------------------------------

def _depth_by_hand(s: str) -> list[int]:
    depth, out = 0, []
    for ch in s:
        depth += 1 if ch == "(" else -1
        out.append(depth)
    return out


def _balanced_by_hand(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += 1 if ch == "(" else -1
        if depth < 0:
            return False
    return depth == 0


def test_brackets_labels_match_a_reference_counter(rng):
    batch = brackets(40, 10, rng)
    assert batch.x.shape == batch.depth.shape == (40, 10) and batch.balanced.shape == (40,)
    assert batch.balanced.sum() == 20
    for n, s in enumerate(batch.strings):
        assert "".join("()"[k] for k in batch.x[n]) == s
        assert list(batch.depth[n]) == _depth_by_hand(s)
        assert bool(batch.balanced[n]) == _balanced_by_hand(s)


def test_brackets_validates(rng):
    with pytest.raises(ValueError, match="T: expected an even length"):
        brackets(4, 7, rng)
    with pytest.raises(ValueError, match="p_open"):
        brackets(4, 8, rng, p_open=1.0)
    with pytest.raises(ValueError, match="x: expected an"):
        bracket_depth(np.array([[0, 2]]))


# --- one-hot, vocabulary and corpus --------------------------------------------------

def test_one_hot(rng):
    ids = rng.integers(0, 5, (3, 4))
    oh = one_hot(ids, 5)
    assert oh.shape == (3, 4, 5) and np.all(oh.sum(-1) == 1)
    assert np.array_equal(oh.argmax(-1), ids)
    with pytest.raises(ValueError, match=r"ids: expected values in \[0, V\) = \[0, 3\)"):
        one_hot(ids + 3, 3)


def test_vocab_round_trips_and_names_unknown_characters():
    vocab = CharVocab.from_text("hello, world\n")
    for text in ["hello", "", "world, hello\n"]:
        ids = vocab.encode(text)
        assert ids.dtype == np.int64 and ids.shape == (len(text),)
        assert vocab.decode(ids) == text
    assert len(vocab) == len(set("hello, world\n"))
    with pytest.raises(ValueError, match="character 'z' is not in the vocabulary"):
        vocab.encode("z")
    with pytest.raises(ValueError, match=r"ids: expected values in \[0, V\)"):
        vocab.decode(np.array([len(vocab)]))
    with pytest.raises(ValueError, match="ids: expected a 1-d array"):
        vocab.decode(np.zeros((2, 2), dtype=int))


def test_corpus_of_a_folder_is_deterministic_local_and_round_trips(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("char_corpus tried to open a network connection")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    a = char_corpus(20_000, seed=7, root=stdlib)
    b = char_corpus(20_000, seed=7, root=stdlib)
    c = char_corpus(20_000, seed=8, root=stdlib)
    assert a.text == b.text and a.files == b.files
    assert a.text != c.text
    assert len(a.text) == 20_000
    assert a.vocab.decode(a.ids) == a.text
    for path in a.files:
        assert os.path.realpath(path).startswith(stdlib + os.sep)
        assert "site-packages" not in path
    # Every character of the text comes from the files it names, in order.
    joined = "".join(pathlib.Path(p).read_text(encoding="ascii").expandtabs(4) for p in a.files)
    assert joined.startswith(a.text)


def test_corpus_reads_only_the_given_folder(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n", encoding="ascii")
    (tmp_path / "b.py").write_text("def f():\n\treturn 2\n", encoding="ascii")
    (tmp_path / "c.py").write_bytes("s = 'caf\u00e9'\n".encode("utf-8"))   # not ASCII: skipped
    (tmp_path / "notes.txt").write_text("not python", encoding="ascii")
    corpus = char_corpus(1000, seed=0, root=tmp_path)
    assert sorted(os.path.basename(p) for p in corpus.files) == ["a.py", "b.py"]
    assert sorted(corpus.text.splitlines()) == sorted(["x = 1", "def f():", "    return 2"])
    with pytest.raises(ValueError, match="root: expected an existing folder"):
        char_corpus(10, root=tmp_path / "missing")


def test_random_windows_are_shifted_by_one(rng):
    ids = np.arange(100)
    x, y = random_windows(ids, 8, 10, rng)
    assert x.shape == y.shape == (8, 10)
    assert np.array_equal(y, x + 1)
    assert np.all(np.diff(x, axis=1) == 1)
    with pytest.raises(ValueError, match="ids: expected at least T \\+ 1 = 101 ids, got 100"):
        random_windows(ids, 2, 100, rng)


def test_every_data_name_is_documented():
    import importlib
    import inspect
    import lstm_ref.data as data
    missing = [name for name in data.__all__
               if not isinstance(getattr(data, name), str)
               and not inspect.getdoc(getattr(data, name))]
    assert missing == []
    for modname in ("adding", "bracket_sequences", "copy_memory", "corpus", "encoding", "reber"):
        assert importlib.import_module(f"lstm_ref.data.{modname}").__doc__
