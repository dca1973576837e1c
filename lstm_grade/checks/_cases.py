"""Which shapes, dtypes, seeds and input scales a check runs.

Seeds are derived from the function's name, so a visible case is the same on
every machine and a failure can be reproduced; a few fresh seeds are added so
that outputs cannot be memorised. Hidden checks add batch 1, one time step,
H = D (square weights), float32 and extreme inputs.

The trusted grader (``_replay``) draws its cases with ``hidden_cases(name,
salt=...)``: every seed then comes from the grading run's salt, so a re-grade
of the run reproduces every case and no one can know them in advance.
"""
from __future__ import annotations

import hashlib
import secrets
import zlib
from typing import NamedTuple

import numpy as np

__all__ = ["Case", "KINDS", "visible_cases", "hidden_cases"]

#: The kinds of demanding case; a spec's ``hidden_kinds`` names those that apply to it.
KINDS = frozenset({"batch 1", "one time step", "H = D", "H = 1", "float32", "extreme"})


class Case(NamedTuple):
    """One run: dimension sizes, dtype, seed and input scale.

    ``scale`` is ``"normal"`` (pre-activations of order 1) or ``"extreme"``
    (pre-activations of order ±1000, where a naive sigmoid overflows).
    ``kinds`` are the demanding kinds (``KINDS``) the case is of; empty for an
    ordinary case. ``label`` is only for display.
    """
    seed: int
    dtype: type
    N: int
    T: int
    D: int
    H: int
    V: int
    scale: str
    label: str
    kinds: frozenset = frozenset()

    def rng(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)

    def describe(self) -> str:
        """e.g. ``N=3, T=2, D=4, H=5, float64, seed 1234`` plus the case's label."""
        from ._text import say, tr
        extra = f", {tr(self.label)}" if self.label else ""
        return say("N={N}, T={T}, D={D}, H={H}, {dtype}, seed {seed}", N=self.N, T=self.T, D=self.D,
                   H=self.H, dtype=np.dtype(self.dtype).name, seed=self.seed) + extra


def _base_seed(name: str) -> int:
    return zlib.crc32(name.encode()) % 100_000


def _case(seed, dtype=np.float64, scale="normal", label="", kinds=(), **fixed) -> Case:
    rng = np.random.default_rng(seed)
    # N, D and H are kept distinct so a transposed or swapped weight shows up
    # as a wrong shape or a wrong value rather than passing by accident.
    N, D, H = (int(v) for v in rng.permutation(np.arange(2, 7))[:3])
    sizes = dict(N=N, T=int(rng.integers(2, 5)), D=D, H=H, V=int(rng.integers(4, 8)))
    sizes.update(fixed)
    unknown = set(kinds) - KINDS
    if unknown:
        raise ValueError(f"kinds: unknown case kinds {sorted(unknown)}")
    return Case(seed=int(seed), dtype=dtype, scale=scale, label=label, kinds=frozenset(kinds), **sizes)


def _salted(salt: str, name: str, k: int) -> int:
    digest = hashlib.sha256(f"{salt}/{name}/{k}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10**6


def visible_cases(name: str, fresh: int = 2) -> list[Case]:
    """Four reproducible cases from the name's seed plus ``fresh`` random ones (float64)."""
    base = _base_seed(name)
    cases = [_case(base + k) for k in range(4)]
    cases += [_case(secrets.randbelow(10**6), label="fresh seed") for _ in range(fresh)]
    return cases


def hidden_cases(name: str, fresh: int = 2, salt: str | None = None) -> list[Case]:
    """The visible cases' kinds and more: batch 1, T = 1, square H = D, float32, extreme.

    With ``salt`` every seed (the fixed ones and the fresh ones) is derived
    from ``(salt, name)``: the same salt gives the same cases.
    """
    base = _base_seed(name) + 500
    if salt is None:
        def seed(k):
            return base + k
        fresh_seeds = [secrets.randbelow(10**6) for _ in range(fresh)]
    else:
        def seed(k):
            return _salted(salt, name, k)
        fresh_seeds = [_salted(salt, name, 100 + k) for k in range(fresh)]
    cases = [_case(seed(k)) for k in range(4)]
    cases += [
        _case(seed(10), label="batch 1", kinds={"batch 1"}, N=1),
        _case(seed(11), label="one time step", kinds={"one time step"}, T=1),
        _case(seed(12), label="H = D", kinds={"H = D"}, D=4, H=4),
        _case(seed(13), label="H = 1", kinds={"H = 1"}, H=1),
        _case(seed(20), dtype=np.float32, label="float32", kinds={"float32"}),
        _case(seed(21), dtype=np.float32, label="float32, batch 1", kinds={"float32", "batch 1"}, N=1),
        _case(seed(30), scale="extreme", label="extreme inputs", kinds={"extreme"}),
        _case(seed(31), dtype=np.float32, scale="extreme", label="float32, extreme inputs",
              kinds={"float32", "extreme"}),
    ]
    cases += [_case(s, label="fresh seed") for s in fresh_seeds]
    return cases
