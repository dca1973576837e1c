"""What chapter 12 says about PyTorch, checked against PyTorch (the book itself never imports torch).

Reads book/ch12_practice.md: the table of nn.LSTM parameter names and shapes,
the configurations whose parameter counts the page prints (computed there by
lstm_ref.lstm_parameter_count), the stated default layout and the shape of
the final states, and the parameter count in the chapter's quiz.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)

import lstm_ref  # noqa: E402

pytestmark = pytest.mark.torch

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGE = (BOOK / "ch12_practice.md").read_text(encoding="utf-8")


def shape_of(spec: str, D: int, H: int) -> tuple:
    """'(4H, 2H)' -> (4 * H, 2 * H) for the given D and H."""
    dims = []
    for part in filter(None, (p.strip() for p in spec.strip("()").split(","))):
        m = re.fullmatch(r"(\d*)([DH])", part)
        assert m, f"cannot read the shape {spec!r} on the page"
        dims.append(int(m.group(1) or 1) * {"D": D, "H": H}[m.group(2)])
    return tuple(dims)


def test_the_parameter_table_names_torchs_parameters_and_shapes():
    rows = re.findall(r"^\| `((?:weight|bias)_\w+)` \| (\([^)]*\)) \|", PAGE, re.M)
    assert len(rows) >= 6, "the page's table of nn.LSTM parameters was not found"
    D, H = 3, 5
    lstm = torch.nn.LSTM(D, H, num_layers=2, bidirectional=True)
    have = {name: tuple(p.shape) for name, p in lstm.named_parameters()}
    for name, spec in rows:
        assert name in have, f"the page names {name}, which nn.LSTM does not have"
        assert have[name] == shape_of(spec, D, H), f"{name}: page says {spec}, torch has {have[name]}"


def test_the_printed_parameter_counts_are_torchs():
    m = re.search(r"^configs = (\[.*\])$", PAGE, re.M)
    assert m, "the page's list of configurations was not found"
    configs = ast.literal_eval(m.group(1))
    assert "4H(D + H + 2)" in PAGE
    for D, H, L, bi in configs:
        lstm = torch.nn.LSTM(D, H, num_layers=L, bidirectional=bi)
        torch_count = sum(p.numel() for p in lstm.parameters())
        assert lstm_ref.lstm_parameter_count(D, H, L, bi) == torch_count, (D, H, L, bi)
        assert lstm_ref.lstm_parameter_count(D, H, L, bi, biases=1) == torch_count - 4 * H * L * (2 if bi else 1)


def test_the_default_layout_and_final_state_shapes():
    assert "default input is **(T, N, D)**" in PAGE and "`batch_first=True` gives the course's (N, T, D)" in PAGE
    assert "(L · directions, N, H)" in PAGE
    T, N, D, H = 7, 3, 4, 5
    out, (hn, cn) = torch.nn.LSTM(D, H, num_layers=2, bidirectional=True)(torch.zeros(T, N, D))
    assert tuple(out.shape) == (T, N, 2 * H) and tuple(hn.shape) == (2 * 2, N, H)
    out_bf, (hn_bf, _) = torch.nn.LSTM(D, H, batch_first=True)(torch.zeros(N, T, D))
    assert tuple(out_bf.shape) == (N, T, H) and tuple(hn_bf.shape) == (1, N, H)


def test_two_biases_only_their_sum_matters():
    """The page: PyTorch adds bias_ih and bias_hh to the same pre-activation (from_torch_lstm sums them)."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 4, batch_first=True).double()
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    before, _ = lstm(x)
    with torch.no_grad():
        shift = torch.randn(16, dtype=torch.float64)
        lstm.bias_ih_l0 += shift
        lstm.bias_hh_l0 -= shift
    after, _ = lstm(x)
    np.testing.assert_allclose(before.detach().numpy(), after.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_the_quiz_parameter_count_is_torchs():
    quiz = json.loads((BOOK / "quizzes" / "ch12_practice.json").read_text(encoding="utf-8"))
    q = next(q for q in quiz if "nn.LSTM(input_size=10, hidden_size=20)" in q["question"])
    right = next(a["value"] for a in q["answers"] if a.get("correct"))
    assert right == sum(p.numel() for p in torch.nn.LSTM(10, 20).parameters())
