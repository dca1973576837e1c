"""``report.html``: the class report an instructor opens in a browser.

One self-contained HTML file in the output folder (no script, no style sheet
or font from elsewhere; the plots are inline SVG drawn with matplotlib), so it
opens offline and can be mailed or archived with the run:

* the statuses of the class;
* for each graded question, the distribution of its scores (how many
  submissions got each score) with the number still to grade by hand;
* the misconceptions the checks named across the class, as a bar chart and a
  table with what each one means;
* the submissions that need a look: failed, timed out, corrupt, missing (a
  misnamed notebook is one), flagged by an integrity check, or with written
  answers still to grade, each with links
  (relative to the report) to its feedback, its submitted notebook and its
  grading log, whichever exist.
"""
from __future__ import annotations

import html
import io
from collections import Counter
from pathlib import Path

from . import language, status, summary

REPORT_FILE = "report.html"
NEEDS_A_LOOK = (status.FAILED, status.TIMEOUT, status.CORRUPT, status.MISSING, status.NEEDS_MANUAL)
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figcaption { font-size: 0.85rem; color: #555; }
svg { max-width: 100%; height: auto; }
.status-failed, .status-timeout, .status-corrupt { color: #a40000; }
.status-needs_manual { color: #8a5a00; }
"""


def _svg(fig) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, no DOCTYPE)."""
    import matplotlib.pyplot as plt
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight",
                metadata={"Creator": None, "Date": None, "Format": None, "Type": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _figure():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def score_plot(question: str, points: float, values: list[float], pending: int) -> str:
    """Bars: how many submissions got each score of one question (SVG)."""
    plt = _figure()
    counts = Counter(values)
    ticks = sorted(set(counts) | {0.0, float(points)})
    fig, ax = plt.subplots(figsize=(3.6, 2.4))
    bars = ax.bar([f"{t:g}" for t in ticks], [counts.get(t, 0) for t in ticks], color="#4c72b0")
    ax.bar_label(bars, fontsize=8)
    ax.set_xlabel(f"score (of {points:g})")
    ax.set_ylabel("submissions")
    ax.set_title(question + (f"  ({pending} to grade)" if pending else ""), fontsize=9)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _links(out: Path, student: str, assignment: str) -> list[tuple[str, str]]:
    stem = language.graded_stem(out / "submitted" / student / assignment, assignment)  # English or Korean
    candidates = [("feedback", Path("feedback") / student / assignment / f"{stem}.html"),
                  ("submitted notebook", Path("submitted") / student / assignment / f"{stem}.ipynb"),
                  ("grading log", Path("jobs") / assignment / student / "nbgrader.log")]
    return [(label, rel.as_posix()) for label, rel in candidates if (out / rel).is_file()]


def needs_a_look(rows) -> list:
    """The rows an instructor should open, worst first."""
    order = {s: k for k, s in enumerate(NEEDS_A_LOOK)}
    picked = [r for r in rows if r.status in NEEDS_A_LOOK or r.integrity]
    return sorted(picked, key=lambda r: (order.get(r.status, len(order)), r.student, r.assignment))


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def build_report(info: dict, rows, cells_by_assignment: dict, out_dir: Path) -> str:
    """The report's HTML text (see the module's docstring)."""
    out = Path(out_dir)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Class report</title>", f"<style>{STYLE}</style></head><body>",
             f"<h1>Class report: {_e(', '.join(cells_by_assignment))}</h1>",
             "<p>" + ", ".join(f'<span class="status-{_e(k)}">{_e(k)} {v}</span>'
                               for k, v in sorted(info["statuses"].items())) + "</p>",
             "<h2>Scores by question</h2>", '<div class="plots" id="scores">']
    scored = [r for r in rows if r.status in status.SCORED]
    for q in info["questions"]:
        values = [r.cells[q["question"]] for r in scored
                  if r.assignment == q["assignment"] and q["question"] in r.cells]
        mean = "-" if q["mean"] is None else f"{q['mean']:.2f}"
        parts.append(f'<figure class="score-plot">{score_plot(q["question"], q["points"], values, q["pending"])}'
                     f'<figcaption>{_e(q["assignment"])} / {_e(q["question"])}: n = {q["n"]}, '
                     f'mean {mean}, full marks {q["full"]}, zero {q["zero"]}</figcaption></figure>')
    parts.append("</div>")
    parts += ["<h2>Misconceptions across the class</h2>",
              f'<figure id="misconceptions">{_svg(summary.misconception_figure(info))}</figure>']
    if info["misconceptions"]:
        parts.append("<table><tr><th>misconception</th><th>submissions</th><th>what it means</th></tr>")
        parts += [f"<tr><td><code>{_e(m['id'])}</code></td><td>{m['submissions']}</td>"
                  f"<td>{_e(m['explanation'])}</td></tr>" for m in info["misconceptions"]]
        parts.append("</table>")
    look = needs_a_look(rows)
    parts.append(f"<h2>Submissions that need a look ({len(look)})</h2>")
    if look:
        parts.append('<table id="needs-a-look"><tr><th>student</th><th>assignment</th><th>status</th>'
                     "<th>flags</th><th>why</th><th>files</th></tr>")
        for r in look:
            links = " · ".join(f'<a href="{_e(href)}">{_e(label)}</a>'
                               for label, href in _links(out, r.student, r.assignment))
            parts.append(f"<tr><td>{_e(r.student)}</td><td>{_e(r.assignment)}</td>"
                         f'<td class="status-{_e(r.status)}">{_e(r.status)}</td>'
                         f"<td>{_e(' '.join(r.integrity))}</td><td>{_e(r.detail)}</td>"
                         f"<td>{links or 'none'}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None: every submission ran, and nothing was flagged or left to grade by hand.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(info: dict, rows, cells_by_assignment: dict, out_dir: Path) -> Path:
    """Write ``<out>/report.html``."""
    path = Path(out_dir) / REPORT_FILE
    path.write_text(build_report(info, rows, cells_by_assignment, out_dir), encoding="utf-8")
    return path
