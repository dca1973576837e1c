"""Every process of the course's environment defers the IRI grammar (lstm_grade/startup.py).

The .pth file that ``make install`` (scripts/install-venv.sh) writes makes a new
process of the environment put the stand-in in place before anything imports
jsonschema; the format check it stands in for still gives the real answers.
"""
from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from lstm_grade import startup


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_environment_runs_the_startup_line():
    pth = Path(sysconfig.get_paths()["purelib"]) / "zz-gbg-startup.pth"
    assert pth.is_file(), f"{pth} is missing: run make install"
    assert pth.read_text() == startup.PTH_LINE


def test_a_new_process_imports_nbformat_without_compiling_the_grammar():
    out = _run("import sys, nbformat; m = sys.modules['rfc3987_syntax']; "
               "print(type(m).__name__, 'lark' in sys.modules)")
    assert out == "Deferred False"


def test_the_iri_format_check_still_gives_the_real_answers():
    out = _run("import sys, jsonschema; c = jsonschema.FormatChecker(); "
               "print(c.conforms('https://例え.jp/경로?q=1', 'iri'), c.conforms('no scheme here', 'iri'), "
               "type(sys.modules['rfc3987_syntax']).__name__)")
    assert out == "True False module"


def test_a_broken_course_leaves_start_up_as_it_was(tmp_path):
    # The line swallows its own failure: a process whose lstm_grade cannot be imported still starts.
    done = subprocess.run([sys.executable, "-S", "-c", startup.PTH_LINE + "print('started')"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "started", done.stderr
