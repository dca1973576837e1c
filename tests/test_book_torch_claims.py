"""What the book says about PyTorch's LSTM, checked against PyTorch itself.

The book never imports torch; these tests hold its sentences to the truth:
the layout of ``nn.LSTM``'s weights, its parameter count 4H(D + H + 2), its
default time-first layout (T, N, D), and the mapping ``from_torch_lstm``.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import lstm_ref

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)
pytestmark = pytest.mark.torch

REPO = Path(__file__).resolve().parents[1]
INTRO = (REPO / "book" / "intro.md").read_text()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("D, H", [(3, 4), (10, 20), (1, 1)])
def test_torch_lstm_has_4H_times_D_plus_H_plus_2_parameters(D, H):
    layer = torch.nn.LSTM(D, H)
    shapes = {name: tuple(p.shape) for name, p in layer.named_parameters()}
    assert shapes == {"weight_ih_l0": (4 * H, D), "weight_hh_l0": (4 * H, H),
                      "bias_ih_l0": (4 * H,), "bias_hh_l0": (4 * H,)}
    assert sum(p.numel() for p in layer.parameters()) == 4 * H * (D + H + 2)
    Wx, Wh, b = lstm_ref.from_torch_lstm(*(p.detach().numpy() for p in layer.parameters()))
    assert Wx.size + Wh.size + b.size == 4 * H * (D + H + 1)


def test_torch_default_layout_is_time_first_and_from_torch_lstm_maps_it():
    torch.manual_seed(0)
    N, T, D, H = 2, 5, 3, 4
    layer = torch.nn.LSTM(D, H).double()
    assert layer.batch_first is False
    x = np.random.default_rng(0).standard_normal((N, T, D))
    out, _ = layer(torch.from_numpy(x.transpose(1, 0, 2)))          # (T, N, D) in, (T, N, H) out
    assert tuple(out.shape) == (T, N, H)
    Wx, Wh, b = lstm_ref.from_torch_lstm(*(p.detach().numpy() for p in layer.parameters()))
    h, _ = lstm_ref.lstm_forward(x, np.zeros((N, H)), np.zeros((N, H)), Wx, Wh, b)
    np.testing.assert_allclose(h, out.detach().numpy().transpose(1, 0, 2), rtol=1e-10, atol=1e-12)


def test_the_intro_states_the_torch_layout_as_torch_has_it():
    text = _flat(INTRO)
    for claim in ("`weight_ih` of shape (4H, D)", "`weight_hh` (4H, H)", "`bias_ih` and `bias_hh`",
                  "$4H(D + H + 2)$", "$4H(D + H + 1)$", "(T, N, D), time first", "`batch_first=True`",
                  "`lstm_ref.from_torch_lstm`"):
        assert claim in text, f"intro.md no longer says {claim!r}"
    assert "every library" not in text
