"""Smoke test of the speed benchmark's code path, not of its speed.

``bench_lstm.py --smoke`` runs every contender (lstm_ref, torch, the GEMM-only
baseline; forward and forward + backward; float32 and float64) once at one
tiny size, and the widget-sized forward once, so a change that breaks the
benchmark shows up in the suite within seconds. No timing is asserted (speed
is measured by ``make bench``, see docs/performance.md); the test checks that
the table is complete and every cell holds a finite positive number.

The benchmark's ``main`` runs in the test process (its output captured), not in a
``python bench_lstm.py --smoke`` subprocess: the same code path, without a second
interpreter importing torch (about 3.5 of the subprocess's 4.8 CPU seconds). The
torch thread count ``main`` sets is put back afterwards.
"""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from lazy_torch import torch_or_skip  # noqa: E402

torch_or_skip()  # imported by the benchmark, in the test, on the worker of the torch modules (conftest)
pytest.importorskip("threadpoolctl")

ROOT = Path(__file__).resolve().parents[1]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_lstm", ROOT / "benchmarks" / "bench_lstm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.torch
def test_benchmark_smoke_mode_prints_a_complete_table(capsys):
    import torch
    bench, threads = _bench_module(), torch.get_num_threads()
    try:
        assert bench.main(["--smoke"]) == 0
    finally:
        torch.set_num_threads(threads)
    out = capsys.readouterr()
    rows = [line for line in out.out.splitlines() if line.startswith("| 3 / 2 / 4 |")]
    assert [r.split("|")[2].strip() for r in rows] == ["float32", "float64"], out.out
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 10, row
        numbers = [float(v.strip(" %")) for c in cells[2:9] for v in c.split(",")]
        assert len(numbers) == 10 and all(math.isfinite(v) and v > 0 for v in numbers), row
        assert cells[9] == "1", row  # one sample per contender in smoke mode
    assert "BLAS:" in out.out
    widget = [line for line in out.out.splitlines() if "widget-sized forward" in line]
    assert len(widget) == 1 and float(widget[0].split(":")[-1].split("us")[0]) > 0, out.out
