"""CPU seconds of one grading kernel, against ipykernel's usual start (the baseline).

Each round starts a kernel as nbgrader does (jupyter_client's ``KernelManager`` on
the ``python3`` kernelspec), runs one cell, and stops it: once plain (baseline:
``python -m ipykernel_launcher``, which imports debugpy for its debugger) and once
with the extra arguments the course's nbgrader configuration passes
(``lstm_grade.pipeline.course.configure``: the kernel made of ``GradingKernel``,
without the debugger). CPU is the kernel process's own (``RUSAGE_CHILDREN``
after it is reaped), so other work on a shared machine counts little; the two
kinds alternate, so a change in the machine's load touches both.

Run: .venv/bin/python benchmarks/bench_kernel_start.py [ROUNDS]
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

from lstm_grade.pipeline.course import new_config

CELL = "import numpy as np"  # a setup cell's first line


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def one_kernel(extra_arguments: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of starting a kernel, running ``CELL`` and stopping it."""
    c0, t0 = _children_cpu(), time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(extra_arguments=extra_arguments)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(CELL, timeout=120, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    return _children_cpu() - c0, time.perf_counter() - t0


def main(rounds: int = 5) -> None:
    # The kernelspec's "python" is this environment's, as nbgrader runs it (course.tool_env).
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    grading = list(new_config(Path.cwd()).Execute.extra_arguments)
    kinds = {"ipykernel_launcher (baseline)": [], "course configuration": grading}
    samples: dict = {name: [] for name in kinds}
    for _ in range(rounds):
        for name, extra in kinds.items():
            samples[name].append(one_kernel(extra))
    base = sorted(s[0] for s in samples["ipykernel_launcher (baseline)"])[rounds // 2]
    print(f"{'kernel':32} {'median cpu s':>12} {'wall s':>7} {'/baseline':>9}   ({rounds} rounds)")
    for name, runs in samples.items():
        cpu = sorted(s[0] for s in runs)[rounds // 2]
        wall = sorted(s[1] for s in runs)[rounds // 2]
        print(f"{name:32} {cpu:12.2f} {wall:7.2f} {cpu / base:9.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
