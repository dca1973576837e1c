"""Fixtures shared by the whole suite; keep this small and generic."""
from __future__ import annotations

import os
import sys

# Under pytest-xdist (``make test``) one test process runs per core: each gets one
# BLAS / OpenMP thread (NumPy, torch, and every kernel or build it starts), since
# more threads than cores wait on each other (the adding-problem training took
# 37 times longer with two workers of two threads each). Set before NumPy loads.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


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


# The longest modules of a whole run (``--durations``, 2026-12-01 16:35), started first.
LONGEST_FIRST = ("test_notebooks_nbgrader.py", "test_explainers_site.py", "test_book_site.py",
                 "test_pipeline_adversarial.py", "test_pipeline_dask.py", "test_lab_student.py",
                 "test_pipeline_class.py", "test_lab_binder.py", "test_pipeline_lms.py",
                 "test_pipeline_statuses.py")


def pytest_collection_modifyitems(config, items):
    """The longest modules first, then the other slow ones, the browser ones, the rest.

    ``make test`` runs the suite on pytest-xdist workers, one module at a time
    each (``--dist loadscope --no-loadscope-reorder``, so a module's fixtures,
    such as a graded class, are made once), handing out modules in this
    order: a long module started last would keep one worker busy after the
    others ran out of work. The order within a module is kept.
    """
    rank = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        name = path.rsplit("/", 1)[-1]
        kind = (LONGEST_FIRST.index(name) if name in LONGEST_FIRST
                else 10 if item.get_closest_marker("slow") else 11 if item.get_closest_marker("browser") else 12)
        rank[path] = min(rank.get(path, 12), kind)
    items.sort(key=lambda item: rank[item.nodeid.split("::", 1)[0]])


# Every module whose file name holds "torch" runs on one xdist worker, which alone
# imports torch (tests/lazy_torch.py: they import it at first use, not at collection).
TORCH_SCOPE = "tests/*torch*.py"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with the torch modules as one scope; other modes as xdist has them."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class TorchModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return TORCH_SCOPE if "torch" in scope.rsplit("/", 1)[-1] else scope

    return TorchModulesTogether(config, log)


def pytest_collection_finish(session):
    if "torch" in sys.modules:
        raise pytest.UsageError(
            "a test module imported torch at collection, so every xdist worker pays for it "
            "(about 4 CPU-s each): use tests/lazy_torch.py's torch_or_skip() and import it at first use")
