"""lstm_ref against PyTorch, live: outputs and every gradient on random shapes and seeds."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lazy_torch import torch_or_skip  # noqa: E402

torch = torch_or_skip()  # imported at first use (see tests/lazy_torch.py)

import lstm_ref  # noqa: E402
from fixtures.make_fixtures import make_case  # noqa: E402
from ref_helpers import assert_close_to_torch, ours_vs_torch  # noqa: E402

pytestmark = pytest.mark.torch

KINDS = ["lstm", "rnn"] + (["gru"] if hasattr(lstm_ref, "gru_forward") else [])
shapes = dict(N=st.integers(1, 5), T=st.integers(1, 12), D=st.integers(1, 9), H=st.integers(1, 12),
              seed=st.integers(0, 2**31 - 1))


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # the machine is shared; these sizes gain nothing from threads
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=20, deadline=None)
@given(dtype=st.sampled_from([np.float64, np.float32]), **shapes)
def test_outputs_and_every_gradient_match_torch(kind, dtype, N, T, D, H, seed):
    case = make_case(kind, N, T, D, H, seed, dtype)
    assert_close_to_torch(ours_vs_torch(kind, case), dtype)


def test_float32_stays_within_torch_noise_on_a_larger_case():
    case = make_case("lstm", 8, 40, 32, 32, seed=7, dtype=np.float32)
    assert_close_to_torch(ours_vs_torch("lstm", case), np.float32)


def test_the_comparison_catches_a_wrong_gradient():
    case = make_case("lstm", 2, 3, 2, 3, seed=0)
    pairs = ours_vs_torch("lstm", case)
    dWh, ref = pairs["dweight_hh"]
    pairs["dweight_hh"] = (dWh * (1 + 1e-8), ref)
    with pytest.raises(AssertionError, match="dweight_hh"):
        assert_close_to_torch(pairs, np.float64)
