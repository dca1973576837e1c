"""Authoring of the graded notebooks: specs in Python, notebooks built by code.

Each assignment is a readable spec in ``lstm_grade/authoring/assignments/``
(prose, the locked import cell, answer cells, test cells with points and
hidden blocks, written answers). ``build_solutions()`` writes them as nbgrader
source notebooks under ``solutions/`` with the nbgrader cell metadata set by
code; ``generate_exercises()`` runs nbgrader to release them into
``exercises/``; ``generate_all()`` does both (``python -m lstm_grade.authoring``).

The names below load on first use: ``make lab`` runs
``python -m lstm_grade.authoring.workspace``, which needs none of them, and
``build`` imports nbformat (whose jsonschema costs seconds of start-up) and
every spec.
"""
from importlib import import_module

_HOME = {"build_solutions": "build", "generate_all": "build", "generate_exercises": "build",
         "notebook_for": "build", "render": "build", "Assignment": "spec", "validate": "spec"}

__all__ = sorted(_HOME)


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
