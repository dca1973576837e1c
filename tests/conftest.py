"""Fixtures shared by the whole suite; keep this small and generic."""
from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A NumPy generator with a fixed seed, fresh for every test."""
    return np.random.default_rng(1234)
