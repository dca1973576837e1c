"""Authoring of the graded notebooks: specs in Python, notebooks built by code.

Each assignment is a readable spec in ``lstm_grade/authoring/assignments/``
(prose, the locked import cell, answer cells, test cells with points and
hidden blocks, written answers). ``build_solutions()`` writes them as nbgrader
source notebooks under ``solutions/`` with the nbgrader cell metadata set by
code; ``generate_exercises()`` runs nbgrader to release them into
``exercises/``; ``generate_all()`` does both (``python -m lstm_grade.authoring``).
"""
from .build import build_solutions, generate_all, generate_exercises, notebook_for, render
from .spec import Assignment, validate

__all__ = ["Assignment", "build_solutions", "generate_all", "generate_exercises",
           "notebook_for", "render", "validate"]
