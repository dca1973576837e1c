"""The class summary: statuses, per-question scores, misconceptions, flags, a plot."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from . import status


def misconception_text() -> dict:
    """``lstm_grade.checks.MISCONCEPTIONS`` (id -> one line), or ``{}`` if unavailable."""
    try:
        from lstm_grade.checks import MISCONCEPTIONS
    except Exception:
        return {}
    return dict(MISCONCEPTIONS)


def question_stats(rows, cells_by_assignment: dict) -> list[dict]:
    """Per graded question: n, mean, min, max, how many full marks and zeros,
    over the rows that have a real score, and how many still wait for a
    person (``pending``: written answers not graded yet, not in n)."""
    stats = []
    for assignment, cells in cells_by_assignment.items():
        scored = [r for r in rows if r.assignment == assignment and r.status in status.SCORED]
        for cell in cells:
            values = [r.cells[cell.grade_id] for r in scored if cell.grade_id in r.cells]
            pending = sum(1 for r in scored if cell.manual and cell.grade_id not in r.cells)
            if not values:
                stats.append({"assignment": assignment, "question": cell.grade_id, "points": cell.points,
                              "n": 0, "mean": None, "min": None, "max": None, "full": 0, "zero": 0,
                              "pending": pending})
                continue
            stats.append({"assignment": assignment, "question": cell.grade_id, "points": cell.points,
                          "n": len(values), "mean": sum(values) / len(values),
                          "min": min(values), "max": max(values),
                          "full": sum(v >= cell.points for v in values),
                          "zero": sum(v == 0 for v in values), "pending": pending})
    return stats


def build_summary(rows, cells_by_assignment: dict, issues, results=()) -> dict:
    """Everything the printed summary and ``summary.json`` show; ``results``
    (the jobs' ``JobResult``s) say how the limits held (cgroup or fallback)."""
    explanations = misconception_text()
    counts = Counter(m for r in rows for m in r.misconceptions)
    held = Counter(r.limits for r in results if r.limits)
    return {
        "statuses": dict(Counter(r.status for r in rows)),
        "limits": [{"limits": text, "notebooks": n} for text, n in held.most_common()],
        "scored": sum(1 for r in rows if r.status in status.SCORED),
        "questions": question_stats(rows, cells_by_assignment),
        "misconceptions": [{"id": m, "submissions": n, "explanation": explanations.get(m, "")}
                           for m, n in counts.most_common()],
        "integrity": [{"student": r.student, "assignment": r.assignment, "flags": r.integrity}
                      for r in rows if r.integrity],
        "problems": [{"student": r.student, "assignment": r.assignment, "status": r.status,
                      "detail": r.detail} for r in rows if r.status not in status.SCORED]
                    + [{"student": i.student, "assignment": i.assignment, "status": i.status,
                        "detail": i.detail} for i in issues if i.status == "unexpected"],
    }


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.2f}".rstrip("0").rstrip(".")


def format_summary(summary: dict) -> str:
    """The summary as plain text tables."""
    lines = ["Statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["statuses"].items()))]
    for held in summary.get("limits", []):
        lines.append(f"Limits ({held['notebooks']} notebooks): {held['limits']}")
    lines.append("")
    lines.append(f"{'assignment':<20} {'question':<28} {'pts':>4} {'n':>4} {'mean':>6} "
                 f"{'min':>5} {'max':>5} {'full':>5} {'zero':>5} {'to grade':>8}")
    for q in summary["questions"]:
        lines.append(f"{q['assignment']:<20} {q['question']:<28} {_fmt(q['points']):>4} {q['n']:>4} "
                     f"{_fmt(q['mean']):>6} {_fmt(q['min']):>5} {_fmt(q['max']):>5} "
                     f"{q['full']:>5} {q['zero']:>5} {q.get('pending', 0) or '':>8}")
    lines += ["", f"Misconceptions named across the class (submissions, of "
                  f"{summary.get('scored', 0)} scored):"]
    if not summary["misconceptions"]:
        lines.append("  none")
    for m in summary["misconceptions"]:
        lines.append(f"  {m['submissions']:>4}  {m['id']:<24} {m['explanation']}")
    lines += ["", "Integrity flags (look at these by hand):"]
    if not summary["integrity"]:
        lines.append("  none")
    for f in summary["integrity"]:
        lines.append(f"  {f['student']}/{f['assignment']}: {', '.join(f['flags'])}")
    lines += ["", "Not graded or not understood:"]
    if not summary["problems"]:
        lines.append("  none")
    for p in summary["problems"]:
        where = "/".join(x for x in (p["student"], p["assignment"]) if x)
        lines.append(f"  {where}: {p['status']}: {p['detail']}")
    return "\n".join(lines)


def misconception_figure(summary: dict):
    """A horizontal bar chart of the misconceptions (a matplotlib figure, Agg)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = summary["misconceptions"][:15]
    scored = max(int(summary.get("scored", 0)), max((m["submissions"] for m in items), default=1), 1)
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(items), 2) + 1.4))
    if items:
        counts = [m["submissions"] for m in items][::-1]
        bars = ax.barh([m["id"] for m in items][::-1], counts, color="#4c72b0", height=0.6)
        ax.bar_label(bars, [f" {n} of {scored}" for n in counts], fontsize=9)
    else:
        ax.text(0.5, 0.5, "no misconception named", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    # The axis spans the whole class, so a bar's length is the share of submissions.
    ax.set_xlim(0, scored * 1.15)
    ax.set_xlabel(f"submissions naming it (of {scored} scored)")
    ax.set_title("Misconceptions across the class")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def plot_misconceptions(summary: dict, path: Path) -> Path:
    """``misconception_figure`` saved as a PNG."""
    import matplotlib.pyplot as plt
    fig = misconception_figure(summary)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


def write_summary(summary: dict, out_dir: Path) -> str:
    """Write ``summary.txt``, ``summary.json`` and ``misconceptions.png``; return the text."""
    text = format_summary(summary)
    out_dir = Path(out_dir)
    (out_dir / "summary.txt").write_text(text + "\n", encoding="utf-8")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    plot_misconceptions(summary, out_dir / "misconceptions.png")
    return text
