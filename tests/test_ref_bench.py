"""Smoke test of the speed benchmark's code path, not of its speed.

``bench_lstm.py --smoke`` runs every contender (lstm_ref, torch, the GEMM-only
baseline; forward and forward + backward; float32 and float64) once at one
tiny size, and the widget-sized forward once, so a change that breaks the
benchmark shows up in the suite within seconds. No timing is asserted (speed
is measured by ``make bench``, see docs/performance.md); the test checks that
the table is complete and every cell holds a finite positive number.
"""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from lazy_torch import torch_or_skip  # noqa: E402

torch_or_skip()  # the benchmark imports torch in its own process; this one does not
pytest.importorskip("threadpoolctl")

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.torch
def test_benchmark_smoke_mode_prints_a_complete_table():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_lstm.py"), "--smoke"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith("| 3 / 2 / 4 |")]
    assert [r.split("|")[2].strip() for r in rows] == ["float32", "float64"], out.stdout
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 10, row
        numbers = [float(v.strip(" %")) for c in cells[2:9] for v in c.split(",")]
        assert len(numbers) == 10 and all(math.isfinite(v) and v > 0 for v in numbers), row
        assert cells[9] == "1", row  # one sample per contender in smoke mode
    assert "BLAS:" in out.stdout
    widget = [line for line in out.stdout.splitlines() if "widget-sized forward" in line]
    assert len(widget) == 1 and float(widget[0].split(":")[-1].split("us")[0]) > 0, out.stdout
