"""A character corpus and its vocabulary.

By default the text is the course's own prose, shipped with ``lstm_ref`` as
``data/course_text.txt`` (a snapshot of the book's chapters, the README and
``docs/``, written once by ``scripts/snapshot_corpus.py``): the same on every
machine, so every number trained on it is too. Nothing is downloaded.
Given a folder (``root``), the text is instead the ``.py`` files under it,
for example this interpreter's standard library (``sysconfig`` names it),
which differs from one Python installation to the next.
"""
from __future__ import annotations

import os
import sysconfig
from importlib import resources
from typing import NamedTuple

import numpy as np

from ..validate import as_int, check_shape
from ..validate import check_int, check_rng

__all__ = ["CharVocab", "CharCorpus", "char_corpus", "course_documents", "stdlib_source_files",
           "random_windows"]

COURSE_TEXT = "course_text.txt"
# Between two documents of the shipped file (a form feed on its own line).
_DOC_SEPARATOR = "\n\f\n"

# Folders whose files are not the standard library proper (installed packages,
# test data) and would make the corpus depend on what else is installed.
_SKIP_DIRS = {"site-packages", "dist-packages", "__pycache__", "test", "tests", "idle_test"}


class CharVocab:
    """A bijection between characters and ids 0..V−1 (sorted characters).

    ``encode(str) -> (L,) int64``; ``decode(ids) -> str``; ``len(vocab) = V``.
    """

    def __init__(self, chars):
        chars = sorted(set(chars))
        if not chars or not all(isinstance(c, str) and len(c) == 1 for c in chars):
            raise ValueError("chars: expected a non-empty collection of single characters")
        self.chars = "".join(chars)
        self._index = {c: i for i, c in enumerate(chars)}

    @classmethod
    def from_text(cls, text: str) -> "CharVocab":
        """The vocabulary of every character that occurs in ``text``."""
        if not isinstance(text, str) or not text:
            raise ValueError("text: expected a non-empty string")
        return cls(text)

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab(V={len(self)})"

    def encode(self, text: str) -> np.ndarray:
        """ids[k] = index of text[k]; returns (len(text),) int64."""
        if not isinstance(text, str):
            raise ValueError(f"text: expected a str, got {type(text).__name__}")
        try:
            return np.fromiter((self._index[c] for c in text), dtype=np.int64, count=len(text))
        except KeyError as err:
            raise ValueError(f"text: character {err.args[0]!r} is not in the vocabulary") from None

    def decode(self, ids) -> str:
        """The string of the characters with these ids; ``ids`` (L,) integers in [0, V)."""
        ids = as_int("ids", ids)
        check_shape("ids", ids, ("L",), {})
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids: expected values in [0, V) = [0, {len(self)}), "
                             f"got values in [{ids.min()}, {ids.max()}]")
        return "".join(self.chars[i] for i in ids.tolist())


class CharCorpus(NamedTuple):
    """text: the corpus; vocab: its ``CharVocab``; ids: (L,) int64 encoding of
    ``text``; files: the documents read, in order (for the shipped text, the
    names of the course files it was taken from; under ``root``, the paths)."""
    text: str
    vocab: CharVocab
    ids: np.ndarray
    files: list


def course_documents() -> list:
    """The shipped corpus as ``[(name, text), ...]``, in the file's order.

    ``name`` is the course file the prose was taken from (``book/ch04_forget_gate.md``);
    ``text`` is printable ASCII plus newlines. Raises ``FileNotFoundError``
    naming the file when the package was installed without its data.
    """
    path = resources.files(__package__).joinpath(COURSE_TEXT)
    try:
        raw = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise FileNotFoundError(f"{COURSE_TEXT}: the shipped corpus is missing from {path} "
                                "(install lstm_ref with its package data)") from None
    docs = []
    for part in raw.split(_DOC_SEPARATOR):
        name, _, text = part.partition("\n")
        docs.append((name, text))
    return docs


def stdlib_source_files(root=None) -> list:
    """Sorted paths of the ``.py`` files under ``root`` (default: this Python's stdlib),
    skipping installed packages and test folders."""
    root = sysconfig.get_paths()["stdlib"] if root is None else os.fspath(root)
    if not os.path.isdir(root):
        raise ValueError(f"root: expected an existing folder, got {root!r}")
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
    return sorted(found)


def _read_ascii(path: str):
    try:
        with open(path, encoding="ascii", newline=None) as fh:
            return fh.read().expandtabs(4)
    except (UnicodeDecodeError, OSError):
        return None


def char_corpus(n_chars: int = 200_000, seed: int = 0, root=None) -> CharCorpus:
    """About ``n_chars`` characters of text, the same for the same seed on every machine.

    ``root=None`` (default): the course's own prose (``course_documents()``);
    its documents are put in the order ``seed`` draws and joined by a blank
    line. Otherwise the ``.py`` files under ``root`` are shuffled with
    ``seed`` and read in that order, keeping only pure-ASCII files, with tabs
    expanded to 4 spaces. Either way documents are taken until ``n_chars``
    characters are collected and the text is cut to exactly ``n_chars`` (or
    fewer, if there is less).
    """
    n_chars = check_int("n_chars", n_chars, 1)
    seed = check_int("seed", seed, 0)
    if root is None:
        docs = course_documents()
    else:
        files = stdlib_source_files(root)
        if not files:
            raise ValueError(f"root: no .py files found under {root!r}")
        docs = [(path, None) for path in files]
    order = np.random.default_rng(seed).permutation(len(docs))
    parts, used, total = [], [], 0
    for k in order:
        name, text = docs[k]
        text = _read_ascii(name) if text is None else text + "\n"
        if not text:
            continue
        parts.append(text)
        used.append(name)
        total += len(text)
        if total >= n_chars:
            break
    text = "".join(parts)[:n_chars]
    if not text:
        raise ValueError(f"root: no readable ASCII .py file under {root!r}")
    vocab = CharVocab.from_text(text)
    return CharCorpus(text, vocab, vocab.encode(text), used)


def random_windows(ids, N: int, T: int, rng: np.random.Generator):
    """N random windows of a long id sequence, for next-character training.

        x[n] = ids[s_n : s_n + T],  y[n] = ids[s_n + 1 : s_n + T + 1]

    Args:
        ids: (L,) integer ids, L >= T + 1.
        N, T: batch size and window length.
        rng: a ``np.random.Generator`` (draws the starts s_n).

    Returns:
        x, y: (N, T) int64.
    """
    ids = as_int("ids", ids)
    check_shape("ids", ids, ("L",), {})
    N = check_int("N", N, 1)
    T = check_int("T", T, 1)
    rng = check_rng(rng)
    if ids.shape[0] < T + 1:
        raise ValueError(f"ids: expected at least T + 1 = {T + 1} ids, got {ids.shape[0]}")
    starts = rng.integers(0, ids.shape[0] - T, size=N)
    window = starts[:, None] + np.arange(T + 1)
    chunk = ids[window]
    return chunk[:, :-1].astype(np.int64), chunk[:, 1:].astype(np.int64)
