"""The pinned environment keeps its start-up cheap for the processes the course starts by the hundred.

jsonschema 4.25 and later compile a Lark grammar (rfc3987-syntax) when imported: 3 CPU seconds in
every process that loads nbformat (each nbgrader command, Jupyter server, nbconvert run, Sphinx
build, grading process). pyproject.toml keeps jsonschema below 4.25; this test fails if an
upgrade brings the grammar back.
"""
from __future__ import annotations

import subprocess
import sys


def test_a_new_process_loads_nbformat_and_nbgrader_without_compiling_a_grammar():
    code = ("import sys, nbformat, nbgrader.apps.autogradeapp; "
            "nbformat.validate(nbformat.v4.new_notebook()); "
            "print(sorted(m for m in ('lark', 'rfc3987_syntax') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
