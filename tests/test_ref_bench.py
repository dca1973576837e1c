"""Smoke test of the speed benchmark: it runs and prints a complete table (no timing asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("threadpoolctl")

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.torch
def test_benchmark_quick_mode_prints_every_row():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_lstm.py"), "--quick"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    rows = [line for line in out.stdout.splitlines() if line.startswith("| ") and "/" in line.split("|")[1]]
    rows = [r for r in rows if "T / N / H" not in r]
    assert len(rows) == 4, out.stdout  # two sizes x two dtypes
    for row in rows:
        ratios = [float(cell) for cell in row.split("|")[3:5]]
        assert all(r > 0 for r in ratios), row
    assert "BLAS:" in out.stdout and "widget-sized forward" in out.stdout
