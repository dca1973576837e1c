"""The shipped corpus of chapter 11: a fixed file, the same on every machine."""
from __future__ import annotations

import hashlib
import pathlib
import socket

import numpy as np
import pytest

import lstm_ref
from lstm_ref.data import corpus as corpus_module

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "lstm_ref" / "data" / corpus_module.COURSE_TEXT


def test_default_corpus_is_the_shipped_file_and_reads_nothing_else(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("char_corpus tried to open a network connection")
    monkeypatch.setattr(socket, "socket", no_network)
    # The standard library must not be walked when no folder is given.
    monkeypatch.setattr(corpus_module, "stdlib_source_files",
                        lambda root=None: pytest.fail("walked a folder for the default corpus"))
    docs = corpus_module.course_documents()
    assert len(docs) >= 12
    names = [name for name, _ in docs]
    assert "book/ch04_forget_gate.md" in names and "book/ch11_training.md" in names
    whole = lstm_ref.char_corpus(10 ** 7, seed=0)
    assert sorted(whole.files) == sorted(names)
    # Every document appears whole, in the order the seed drew.
    by_name = dict(docs)
    assert whole.text == "".join(by_name[n] + "\n" for n in whole.files)
    assert whole.vocab.decode(whole.ids) == whole.text


def test_shipped_text_is_small_ascii_and_package_data():
    raw = SHIPPED.read_bytes()
    assert 40_000 < len(raw) < 400_000                      # a few hundred KB at most
    text = raw.decode("ascii")                              # raises on anything else
    assert "\t" not in text and "\r" not in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"lstm_ref.data" = ["course_text.txt"]' in pyproject
    # Prose, not code: no code-cell fences or front matter survive the snapshot.
    assert "{code-cell}" not in text and "kernelspec:" not in text


def test_same_seed_same_text_other_seed_other_order():
    a, b, c = (lstm_ref.char_corpus(30_000, seed=s) for s in (0, 0, 1))
    assert a.text == b.text and a.files == b.files
    assert a.files != c.files and a.text != c.text
    assert len(a.text) == 30_000
    # The vocabulary is fixed by the text: printable ASCII and the newline.
    assert set(a.vocab.chars) <= set(map(chr, range(32, 127))) | {"\n"}
    ids = a.vocab.encode(a.text)
    assert np.array_equal(ids, a.ids) and ids.dtype == np.int64


def test_corpus_text_is_pinned():
    """The numbers of chapter 11 depend on these bytes: a change must be deliberate
    (rerun scripts/snapshot_corpus.py and update this digest with the chapter)."""
    digest = hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert digest == PINNED_SHA256, (
        f"{SHIPPED.name} changed (sha256 {digest}); if on purpose, update PINNED_SHA256")


def test_missing_data_file_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(corpus_module, "COURSE_TEXT", "no_such_corpus.txt")
    with pytest.raises(FileNotFoundError, match="no_such_corpus.txt: the shipped corpus is missing"):
        lstm_ref.char_corpus(100)


PINNED_SHA256 = "b867103116d259a7560dc2bf9f473108b1d38f1077ab8e4211a5d2258898fb6a"
