"""Binder's requirements install into a fresh virtual environment and run an exercise there.

What repo2docker would do, without the Binder service: a new venv, ``pip
install -r binder/requirements.txt`` from the repository root (pip reuses its
local wheel cache), then a completed exercise executed top to bottom with that
environment's own Jupyter, under ``binder/start``.

pip is first brought to the version ``constraints.txt`` pins, as Binder's images
carry a recent pip: the pip that ``python -m venv`` bundles (23.2 with Python
3.11.7) spent 53 CPU-s on this install, pip 26.3 spends 25 (plus 3 to install
itself). pip runs with ``--no-compile``: the same resolution and the same files, without
byte-compiling every module of the Jupyter stack at install time (about an
eighth of this test's CPU, spent on modules the exercise never imports; the
ones it imports are compiled when first imported).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def _run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done


def test_binder_requirements_install_and_run_an_exercise(tmp_path):
    venv = tmp_path / "binder-venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    # Binder's images carry a recent pip; the venv's own is whatever the system Python bundles.
    _run([py, "-m", "pip", "install", "-q", "-c", "constraints.txt", "pip"], cwd=REPO)
    _run([py, "-m", "pip", "install", "-q", "--no-compile", "-r", "binder/requirements.txt"], cwd=REPO)
    # Nothing from the test environment leaks in: the new venv has its own packages.
    where = _run([py, "-c", "import lstm_grade, nbgrader, ipywidgets, sys; print(sys.prefix)"]).stdout
    assert Path(where.strip()) == venv
    assert _run([py, "-c", "import importlib.util as u; print(u.find_spec('torch') is None)"]).stdout.strip() == "True"

    name = "ch06_cell_update"
    nb = nbformat.read(REPO / "exercises" / name / f"{name}.ipynb", as_version=4)
    solution = nbformat.read(REPO / "solutions" / name / f"{name}.ipynb", as_version=4)
    answers = {c.metadata.nbgrader.grade_id: c.source for c in solution.cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    _run([str(REPO / "binder" / "start"), str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook",
          "--execute", "--ExecutePreprocessor.timeout=300", "--output", "ran.ipynb", str(path)],
         cwd=tmp_path, env=env)
    ran = nbformat.read(tmp_path / "ran.ipynb", as_version=4)
    text = "\n".join(o.get("text", "") for c in ran.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "✔ update_cell" in text and "✔ q_predict_c" in text, text
    # binder/start points JupyterLab at the course's lab configuration.
    shown = _run([str(REPO / "binder" / "start"), "sh", "-c", "echo $JUPYTER_CONFIG_PATH"], env=env).stdout
    assert shown.strip().split(os.pathsep)[0] == str(REPO / "binder" / "jupyter")
