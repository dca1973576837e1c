"""Chapter 8's claims about PyTorch's nn.LSTM, checked against torch itself.

The book never imports torch; this test does, and holds every number and
shape the page (and its quiz) states about nn.LSTM.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import lstm_ref

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)

BOOK = Path(__file__).resolve().parents[1] / "book"


def _table_shapes():
    """{PyTorch name: shape text} from the page's PyTorch/lstm_ref table."""
    text = (BOOK / "ch08_whole_cell.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(weight_\w+)` \| \(([^)]*)\) \|", text, re.M)
    assert len(rows) == 2, rows
    return dict(rows)


def test_the_pages_table_gives_nn_lstms_shapes_and_count():
    D, H = 3, 4
    lstm = torch.nn.LSTM(D, H)
    params = dict(lstm.named_parameters())
    size = {"4H": 4 * H, "D": D, "H": H}
    for name, shape in _table_shapes().items():
        expected = tuple(size[s.strip()] for s in shape.split(","))
        assert tuple(params[name].shape) == expected, name
    assert set(params) == {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}
    assert tuple(params["bias_ih_l0"].shape) == tuple(params["bias_hh_l0"].shape) == (4 * H,)
    n = sum(p.numel() for p in lstm.parameters())
    assert n == 4 * H * (D + H + 2)                       # the page's formula
    # the quiz's numeric answer is the same count
    quiz = json.loads((BOOK / "quizzes" / "ch08_whole_cell.json").read_text(encoding="utf-8"))
    q = next(q for q in quiz if "parameters" in q["question"])
    assert next(a for a in q["answers"] if a.get("correct"))["value"] == n
    assert lstm.batch_first is False                      # default layout (T, N, D)


def test_from_torch_lstm_maps_nn_lstm_to_lstm_forward():
    """Gate order i, f, g, o, transposed matrices, summed biases, time-first input."""
    torch.manual_seed(0)
    D, H, N, T = 3, 4, 2, 5
    lstm = torch.nn.LSTM(D, H).double()
    x_tnd = torch.randn(T, N, D, dtype=torch.float64)
    with torch.no_grad():
        out, _ = lstm(x_tnd)                              # (T, N, H)
    p = {k: v.detach().numpy() for k, v in lstm.named_parameters()}
    Wx, Wh, b = lstm_ref.from_torch_lstm(p["weight_ih_l0"], p["weight_hh_l0"],
                                         p["bias_ih_l0"], p["bias_hh_l0"])
    assert Wx.shape == (D, 4 * H) and Wh.shape == (H, 4 * H) and b.shape == (4 * H,)
    x = x_tnd.numpy().transpose(1, 0, 2)                  # (N, T, D), as the page does
    h, _ = lstm_ref.lstm_forward(x, np.zeros((N, H)), None, Wx, Wh, b)
    np.testing.assert_allclose(h, out.numpy().transpose(1, 0, 2), atol=1e-12)
