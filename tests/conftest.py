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


def pytest_collection_modifyitems(config, items):
    """Modules with slow tests first, browser modules next, the rest after.

    ``make test`` runs the suite on two pytest-xdist workers, one module at a
    time each (``--dist loadscope``, so a module's fixtures, such as a graded
    class, are made once). The scheduler hands out modules in this order:
    starting the long ones first keeps a slow module from beginning when
    the other worker has nothing left. The order within a module is kept.
    """
    rank = {}
    for item in items:
        key = item.nodeid.split("::", 1)[0]
        kind = 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("browser") else 2
        rank[key] = min(rank.get(key, 2), kind)
    items.sort(key=lambda item: rank[item.nodeid.split("::", 1)[0]])
