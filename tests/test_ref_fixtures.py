"""lstm_ref against PyTorch's stored numbers (tests/fixtures/*.npz), no torch needed.

Regenerate the files with ``make fixtures``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import lstm_ref
from ref_helpers import assert_close_to_torch, ours_vs_torch

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KINDS = ["lstm", "rnn"] + (["gru"] if hasattr(lstm_ref, "gru_forward") else [])


def _cases(kind: str, dtype: str) -> dict:
    path = FIXTURES / f"{kind}_{dtype}.npz"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make fixtures` to regenerate it from PyTorch")
    cases: dict = {}
    with np.load(path) as data:
        for key in data.files:
            name, field = key.split("/")
            cases.setdefault(name, {})[field] = data[key]
    return cases


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("kind", KINDS)
def test_matches_stored_torch_results(kind, dtype):
    cases = _cases(kind, dtype)
    assert len(cases) >= 4
    for name, case in cases.items():
        try:
            assert_close_to_torch(ours_vs_torch(kind, case), np.dtype(dtype))
        except AssertionError as e:
            raise AssertionError(f"{kind}_{dtype}.npz case {name!r}: {e}") from None


def test_fixtures_stay_small():
    total = sum(p.stat().st_size for p in FIXTURES.glob("*.npz"))
    assert 0 < total < 600_000, f"fixtures take {total / 1e3:.0f} KB"
