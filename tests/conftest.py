"""Fixtures shared by the whole suite; keep this small and generic."""
from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A NumPy generator with a fixed seed, fresh for every test."""
    return np.random.default_rng(1234)


@pytest.fixture(scope="session")
def playwright():
    """Playwright's sync API, started once for the whole run.

    Only one ``sync_playwright()`` may run at a time in a process: every browser
    test (the site, the explainers, JupyterLab, the class report) launches its
    Chromium from this one.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw
