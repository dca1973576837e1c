"""The build's kernels forked from one server (book/_ext/gbg_kernel_fork.py): no build needed.

A notebook run through the build's kernel spec gets a kernel forked by the server (in
the kernel's own working directory and environment, with the libraries already
imported), the same outputs as a kernel started the ordinary way, and the ordinary
start when there is no server or the environment differs in what the server imported.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))

import gbg_kernel_fork  # noqa: E402

pytestmark = pytest.mark.slow   # three kernels

CELLS = ["import os, sys\nprint(os.getcwd(), os.environ.get('GBG_LANG'), sys.path[:1], sys.argv[0])",
         "print('preloaded' if 'matplotlib.figure' in sys.modules else 'fresh', os.getppid())",
         "import numpy as np\nprint(np.random.default_rng(3).random(2), sum(range(10)))",
         "%config InlineBackend.figure_formats = ['svg']\nimport matplotlib.pyplot as plt\n"
         "plt.plot([1, 2]); plt.show()"]


def _run(env: dict, cwd: Path) -> list[str]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return [[o.get("text") or sorted(o.get("data", {})) for o in cell.outputs] for cell in nb.cells]


@pytest.fixture
def server(tmp_path):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc, variables = gbg_kernel_fork.start(tmp_path / "fork", env)
    assert variables, "the server did not start"
    yield proc, dict(variables, OPENBLAS_NUM_THREADS="1")
    proc.terminate()
    proc.wait()


def test_a_kernel_is_forked_in_its_own_directory_and_environment_or_starts_as_before(server, tmp_path):
    proc, variables = server
    forked = _run(dict(variables, GBG_LANG="ko"), tmp_path)
    assert forked[0][0].startswith(f"{tmp_path} ko ")
    assert forked[1] == [f"preloaded {proc.pid}\n"], "the kernel is a child of the server"
    # BLAS threads other than the server's: refused, started the ordinary way.
    plain = _run(dict(variables, GBG_LANG="ko", OPENBLAS_NUM_THREADS="2"), tmp_path)
    assert plain[1][0].startswith("fresh ")
    assert forked[0] == plain[0], "the same working directory, sys.path and argv"
    assert forked[2:] == plain[2:], "the same numbers and the same figure output as an ordinary kernel"
    assert forked[3] == [["image/svg+xml", "text/plain"]]
    no_server = _run(dict(variables, **{gbg_kernel_fork.SOCKET_ENV: str(tmp_path / "none")}), tmp_path)
    assert no_server[1][0].startswith("fresh ") and no_server[2:] == plain[2:]
