"""Colours and fonts shared by every picture, so the chapters look alike."""
from __future__ import annotations

#: One colour per step of the cell, used for boxes, lines and table rows.
STEP_COLOURS = {1: "#d1495b", 2: "#2a9d8f", 3: "#e9a23b", 4: "#5a7bd8"}
STEP_NAMES = {1: "forget", 2: "input", 3: "update", 4: "output"}
INACTIVE = "#b8b8b8"
INK = "#222222"
BODY = "#f4f1ea"
MISMATCH = "#d00000"
#: Diverging map for values: blue negative, white zero, red positive.
VALUE_CMAP = "RdBu_r"
#: Sequential map for gates, which live in [0, 1]: white shut, dark purple open.
GATE_CMAP = "Purples"


def step_number(highlight) -> "int | None":
    """Normalise a step given as 1..4 or by name ("forget", "input", "update", "output")."""
    if highlight is None:
        return None
    if isinstance(highlight, str):
        for k, name in STEP_NAMES.items():
            if highlight.lower() == name:
                return k
        raise ValueError(f"highlight: expected None, 1-4 or one of {list(STEP_NAMES.values())}, got {highlight!r}")
    if highlight in STEP_NAMES:
        return int(highlight)
    raise ValueError(f"highlight: expected None, 1-4 or one of {list(STEP_NAMES.values())}, got {highlight!r}")


def fmt(v: float) -> str:
    """A value short enough for a cell: two decimals, or compact when large."""
    if v != v:
        return "nan"
    if abs(v) >= 100:
        return f"{v:.0e}"
    if abs(v) >= 10:
        return f"{v:.0f}"
    return f"{v:.2f}"
