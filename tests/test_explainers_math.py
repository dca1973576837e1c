"""The explainers' JavaScript math agrees with lstm_ref (node's test runner).

The fixtures are exported from lstm_ref afresh for every run
(scripts/export_explainer_fixtures.py), checked against the committed copy
that a bare ``node --test explainers/test/`` reads, and handed to the node
tests, so neither can go stale.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "export_explainer_fixtures.py"
COMMITTED = REPO / "explainers" / "test" / "fixtures" / "lstm_ref.json"


def _export_module():
    spec = importlib.util.spec_from_file_location("export_explainer_fixtures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh_fixtures(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explainer-fixtures") / "lstm_ref.json"
    run = subprocess.run([str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv").is_dir() else "python",
                          str(SCRIPT), str(out)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return out


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the explainers' math is tested with node's test runner "
                    "(run scripts/ensure-system-deps.sh or install Node.js 20)")
    return node


def _assert_close(fresh, committed, path="") -> None:
    if isinstance(fresh, dict):
        assert fresh.keys() == committed.keys(), path
        for k in fresh:
            _assert_close(fresh[k], committed[k], f"{path}.{k}")
    elif isinstance(fresh, list) and fresh and isinstance(fresh[0], (list, float, int)):
        a, b = np.asarray(fresh, float), np.asarray(committed, float)
        assert a.shape == b.shape, path
        # Exact but for the last bits a different BLAS may round differently.
        np.testing.assert_allclose(b, a, rtol=1e-13, atol=1e-15, err_msg=path)
    else:
        assert fresh == committed, path


def test_committed_fixtures_match_lstm_ref(fresh_fixtures):
    fresh = json.loads(fresh_fixtures.read_text())
    committed = json.loads(COMMITTED.read_text())
    _assert_close(fresh, committed)


def test_node_math_matches_lstm_ref(fresh_fixtures):
    run = subprocess.run([_node(), "--test", "explainers/test/"], cwd=REPO, capture_output=True,
                         text=True, timeout=300,
                         env={**os.environ, "GBG_EXPLAINER_FIXTURES": str(fresh_fixtures)})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", run.stdout, re.M)
    assert passed and int(passed.group(1)) >= 30, run.stdout[-3000:]
    assert re.search(r"^# fail 0$", run.stdout, re.M), run.stdout[-3000:]


def test_fixture_export_covers_random_shapes():
    data = _export_module().fixtures()
    dims = {tuple(c["dims"].values()) for c in data["cases"]}
    assert len(dims) >= 3
    case = data["cases"][0]
    N, T, D, H = (case["dims"][k] for k in "NTDH")
    assert np.shape(case["inputs"]["Wx"]) == (D, 4 * H)
    assert np.shape(case["lstm_forward"]["h"]) == (N, T, H)


def test_the_explainers_use_lstm_viz_colours_and_step_names():
    from lstm_viz.draw import _style
    js = (REPO / "explainers" / "web" / "gbg-explainers" / "style.js").read_text()

    def table(name):
        body = re.search(rf"export const {name} = \{{([^}}]*)\}}", js).group(1)
        return {int(k): v for k, v in re.findall(r"(\d+): '([^']*)'", body)}

    assert table("STEP_COLOURS") == _style.STEP_COLOURS
    assert table("STEP_NAMES") == _style.STEP_NAMES
    for name in ("INACTIVE", "INK", "BODY"):
        assert re.search(rf"export const {name} = '([^']*)'", js).group(1) == getattr(_style, name)
