"""Every text the checks can show, for the ``checks`` catalog (``gbg_i18n.update``).

Two sources, as ``_text`` describes: the templates in the code (every
``say("...")`` and ``tr("...")`` call with a literal text, found by reading
the source of every module of ``lstm_grade.checks``), and the texts kept as
data (misconceptions, wrong variants, hints, quiz explanations, case labels).
``python -m lstm_grade.authoring i18n`` brings the catalog in line with them.
"""
from __future__ import annotations

import ast
from pathlib import Path

import gbg_i18n

from ._text import DOMAIN

__all__ = ["code_messages", "data_messages", "catalog_messages", "update_catalog", "non_literal_calls"]

_HERE = Path(__file__).resolve().parent
_CALLS = ("say", "tr")


def _modules() -> list[Path]:
    return sorted(p for p in _HERE.rglob("*.py") if p.name != "_text.py")


def _calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS \
                and node.args:
            yield node


def code_messages() -> list[tuple[str, str]]:
    """(template, file) of every ``say``/``tr`` call with a literal text."""
    out = []
    for path in _modules():
        rel = path.relative_to(_HERE.parents[1]).as_posix()
        for node in _calls(path):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append((arg.value, rel))  # no line number: an edit elsewhere must not rewrite the catalog
    return out


def non_literal_calls() -> list[str]:
    """``say`` calls whose template is not a literal (the extraction could not list it): none allowed."""
    return [f"{p.name}:{n.lineno}" for p in _modules() for n in _calls(p)
            if n.func.id == "say" and not (isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str))]


def data_messages() -> list[tuple[str, str]]:
    """(text, where) of every text kept as data that a check shows through ``tr``."""
    from . import quiz
    from ._cases import hidden_cases, visible_cases
    from ._misconceptions import MISCONCEPTIONS
    from ._replay import NO_ANSWER
    from ._specs import SPECS

    out = [(text, f"misconception {mid}") for mid, text in MISCONCEPTIONS.items()]
    out += [(text, f"misconception {mid}") for mid, text in quiz.QUIZ_MISCONCEPTIONS.items()]
    for name, spec in SPECS.items():
        out += [(v.says, f"{name} variant {v.id}") for v in spec.variants]
        if spec.hint:
            out.append((spec.hint, f"{name} hint"))
    for qid, q in quiz.QUESTIONS.items():
        out += [(w.says, f"quiz {qid} answer {w.value!r}") for w in q.wrong]
        if q.what:
            out.append((q.what, f"quiz {qid} answer kind"))
    out += [(text, "quiz answer kind") for text in quiz._LABELS.values()]
    labels = {c.label for c in hidden_cases("forget_gate") + visible_cases("forget_gate") if c.label}
    out += [(label, "case label") for label in sorted(labels)]
    out.append((NO_ANSWER, "grading: no answer"))
    return out


def catalog_messages() -> list[tuple[str, str]]:
    """Everything the ``checks`` catalog must hold: the code's templates, then the data."""
    return code_messages() + data_messages()


def update_catalog(lang: str = "ko") -> Path:
    """Bring ``gbg_i18n/locale/<lang>/LC_MESSAGES/checks.po`` in line with the checks (changed English -> fuzzy)."""
    return gbg_i18n.update(DOMAIN, catalog_messages(), lang)
