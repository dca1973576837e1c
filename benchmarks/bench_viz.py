"""Speed and size of the course's animations, against the targets of issue 4.

- live redraw: median time from setting a slider to new PNG bytes in the
  widget (artists updated in place, figure re-encoded), target 50 ms a frame;
  thread CPU time is the main figure (the machine is shared, so wall time
  includes waiting for a core), wall time is printed beside it.
- static frames: bytes of one animation's frames as they sit on the page
  (base64 in the widget state), target 2 MB.

Run: .venv/bin/python benchmarks/bench_viz.py
"""
from __future__ import annotations

import time

import numpy as np

from lstm_viz.widgets import (four_steps_widget, gate_valve_widget, gradient_flow_widget,
                              sequence_heatmap_widget, training_widget, unrolled_rnn_widget)

TARGET_MS, TARGET_BYTES = 50.0, 2_000_000
WIDGETS = [
    ("unrolled_rnn", unrolled_rnn_widget, "t", {}),
    ("gradient_flow", gradient_flow_widget, "scale", {}),
    ("gate_valve", gate_valve_widget, "z", {}),
    ("four_steps", four_steps_widget, "frame", {}),
    ("sequence_heatmap", sequence_heatmap_widget, "unit", {}),
    ("training", training_widget, "upto", {}),
]


def live_redraw(make, control, kwargs, rounds: int = 3):
    w = make(mode="live", **kwargs)
    if make is training_widget:
        w.train()
    slider = w.controls[control]
    n = len(slider.options)
    cpu, wall = [], []
    for _ in range(rounds):
        for k in range(n):
            c0, t0 = time.thread_time(), time.perf_counter()
            slider.index = (slider.index + 1) % n
            cpu.append(time.thread_time() - c0)
            wall.append(time.perf_counter() - t0)
    return 1e3 * np.median(cpu), 1e3 * np.median(wall)


def main():
    print(f"{'animation':18} {'redraw cpu ms':>13} {'wall ms':>8} {'/50ms':>6}  {'frames':>6} "
          f"{'page bytes':>10} {'/2MB':>6} {'build s':>7}")
    for name, make, control, kwargs in WIDGETS:
        cpu, wall = live_redraw(make, control, kwargs)
        t0 = time.perf_counter()
        w = make(mode="static", **kwargs)
        build = time.perf_counter() - t0
        print(f"{name:18} {cpu:13.1f} {wall:8.1f} {cpu / TARGET_MS:6.2f}  {len(w.frames):6d} "
              f"{w.frame_bytes:10d} {w.frame_bytes / TARGET_BYTES:6.3f} {build:7.1f}")


if __name__ == "__main__":
    main()
