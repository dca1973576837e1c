"""What of the course a grading kernel may import: the *student view* of one assignment.

``build(out_dir, assignment, hidden)`` writes ``<out>/views/<assignment>/``:

* ``lstm_ref/``: a copy of the reference package in which every function
  named in ``hidden`` (the assignment's graded functions and the functions
  that compute the same numbers, ``checks._refs.hidden_for``) keeps its
  signature and docstring but its body is replaced by
  ``raise ReferenceHidden(...)``. Everything else stays, so the course's
  helpers (a stable ``sigmoid``, ``SequenceModel``, ``rel_error``, ...) work.
* ``lstm_grade/checks/``: a stand-in for the checks. Its ``check`` prints
  one line saying the answer is graded outside the notebook, and returns.
  The real checks (with their own copies of the right and the wrong
  answers) are not in the view.
* ``lstm_grade/__init__.py``: extends the package's path to the real
  ``lstm_grade`` folder after the view's own, so ``lstm_grade.pipeline``
  (the kernel's side of the value export) still imports.

The sandbox binds these over the real folders (a path that reads the real
file reads the view); without a sandbox the view only comes first on
``PYTHONPATH``. The view is built once per run and assignment, atomically
(several workers may ask at once), and depends only on its inputs.

The view is byte-compiled as it is built: kernels never write bytecode
(``PYTHONDONTWRITEBYTECODE``, and the view is read-only in the sandbox), so
without it every kernel compiled the whole ``lstm_ref`` copy again as it
imported it (0.07 CPU seconds a kernel; compiling once costs about as much
as two kernels did).
"""
from __future__ import annotations

import ast
import compileall
import os
import shutil
import tempfile
from pathlib import Path

from . import course

STUB = '''from lstm_ref._hidden import ReferenceHidden
raise ReferenceHidden("lstm_ref.{name} is hidden while grading: it is (or computes) a graded answer")'''

HIDDEN_MODULE = '''"""The exception a hidden reference function raises in a grading kernel."""


class ReferenceHidden(RuntimeError):
    """Raised by a reference function that grading hides (its body is not in this copy)."""
'''

CHECKS_STANDIN = '''"""Stand-in for ``lstm_grade.checks`` in a grading kernel.

Grading calls your functions on its own cases and judges the values outside
this notebook; the checks themselves are not available here.
"""


class CheckFailed(AssertionError):
    """As in the real checks."""


GRADED = {graded!r}


def check(name, fn, hidden=False, forward=None):
    """Graded outside the notebook: prints a line and returns ``None``."""
    print(f"{{name}}: graded outside the notebook by the course's grader (see your feedback)")
'''

QUIZ_STANDIN = '''"""Stand-in for ``lstm_grade.checks.quiz`` in a grading kernel: answers are judged outside."""


def check_answer(qid, value):
    """Graded outside the notebook: prints a line and returns ``None``."""
    print(f"{qid}: graded outside the notebook by the course's grader (see your feedback)")
'''

PACKAGE_INIT = '''"""The grading kernel's ``lstm_grade``: the view's folder first, then the real one."""
__path__.append({real!r})
'''


def _stub_functions(source: str, names: set[str]) -> str | None:
    """``source`` with the bodies of its module-level functions in ``names`` stubbed,
    or ``None`` if it defines none of them."""
    tree = ast.parse(source)
    changed = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            doc = ast.get_docstring(node)
            node.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + \
                ast.parse(STUB.format(name=node.name)).body
            node.decorator_list = []
            changed = True
    return ast.unparse(tree) + "\n" if changed else None


def _write(folder: Path, hidden: set[str], graded: list[str]) -> None:
    repo = course.repo_root()
    ref = folder / "lstm_ref"
    shutil.copytree(repo / "lstm_ref", ref, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path in ref.rglob("*.py"):
        stubbed = _stub_functions(path.read_text(encoding="utf-8"), hidden)
        if stubbed is not None:
            path.write_text(stubbed, encoding="utf-8")
    (ref / "_hidden.py").write_text(HIDDEN_MODULE)
    checks = folder / "lstm_grade" / "checks"
    checks.mkdir(parents=True)
    (checks / "__init__.py").write_text(CHECKS_STANDIN.format(graded=tuple(graded)))
    (checks / "quiz.py").write_text(QUIZ_STANDIN)
    (folder / "lstm_grade" / "__init__.py").write_text(PACKAGE_INIT.format(real=str(repo / "lstm_grade")))
    compileall.compile_dir(str(folder), quiet=1)


def build(out_dir: Path, assignment: str, hidden, graded) -> Path:
    """The student view of ``assignment`` under ``out_dir/views`` (built if missing)."""
    target = Path(out_dir) / "views" / assignment
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{assignment}-", dir=target.parent))
    _write(work, set(hidden), sorted(graded))
    os.chmod(work, 0o755)
    try:
        os.rename(work, target)
    except OSError:  # another worker was first: its view is the same
        shutil.rmtree(work, ignore_errors=True)
    return target
