"""What the student sees when a check fails, in a real IPython shell.

A failed check shows its message (IPython asks the exception how to show
itself, ``CheckFailed._render_traceback_``), never a traceback into
``lstm_grade``; when the student's own code raised, the frames in the
student's code stay and the message points at the student's line; a
scaffold's blank left untouched is named by its number and its hint, blank
after blank as the student fills them in.
"""
from __future__ import annotations

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

from lstm_grade.authoring.assignments import ASSIGNMENTS
from lstm_grade.authoring.cells import BEGIN_SOLUTION, END_SOLUTION
from lstm_grade.checks import CheckFailed
from lstm_grade.checks._errors import HINT

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def shell(capsys):
    """An IPython shell with a fresh namespace; ``run(code) -> what the student sees``."""
    sh = InteractiveShell.instance()
    sh.reset(new_session=True)

    def run(code: str) -> str:
        capsys.readouterr()
        sh.run_cell(code, store_history=True)
        captured = capsys.readouterr()
        return ANSI.sub("", captured.out + captured.err)
    run("import numpy as np\nfrom lstm_grade.checks import check")
    return run


def test_a_failed_check_shows_its_message_and_no_traceback_into_the_checks(shell):
    shell('''
def forget_gate(prev_h, x, W_f, b_f):
    hx = np.concatenate([x, prev_h], axis=1)
    return np.exp(-np.logaddexp(0, -(hx @ W_f.T + b_f)))
''')
    seen = shell('check("forget_gate", forget_gate)')
    assert "✘ forget_gate: your output equals σ(W_f · [x, h] + b_f)" in seen
    assert "[misconception: concat-order]" in seen
    assert "Traceback" not in seen and "lstm_grade" not in seen and "_check.py" not in seen
    assert seen.strip().splitlines()[0].startswith("✘ forget_gate")


def test_the_students_own_traceback_stays_and_points_at_their_line(shell):
    shell('''
def _affine(hx, W, b):
    return hx @ W + b          # W should be transposed
''')
    shell('''
def forget_gate(prev_h, x, W_f, b_f):
    hx = np.concatenate([prev_h, x], axis=1)
    return np.exp(-np.logaddexp(0, -_affine(hx, W_f, b_f)))
''')
    seen = shell('check("forget_gate", forget_gate)')
    assert "Your code raised ValueError" in seen
    # Both of the student's frames, outermost first, with the lines that ran.
    assert seen.index("in forget_gate") < seen.index("in _affine")
    assert "return hx @ W + b" in seen
    assert re.search(r"raised at Cell In\[\d+\], line 2 in _affine: return hx @ W \+ b", seen), seen
    assert "lstm_grade" not in seen and "numpy/" not in seen


def test_render_traceback_without_a_student_error_is_the_message():
    failure = CheckFailed("✘ f: wrong values.\n  run: N=2")
    lines = [ANSI.sub("", x) for x in failure._render_traceback_()]
    assert lines == ["✘ f: wrong values.", "  run: N=2"]
    assert isinstance(failure, AssertionError)  # nbgrader scores the cell as failed


# -- scaffolds: every blank is named when it is the first one left empty -----------------------

def _scaffolds():
    for assignment in ASSIGNMENTS:
        setup = assignment.cells[0].source
        for cell in assignment.cells:
            if (cell.nbgrader and cell.kind == "code" and cell.nbgrader["solution"]
                    and cell.source.count(BEGIN_SOLUTION) > 1 and cell.source.startswith("def ")):
                yield pytest.param(assignment, setup, cell, id=cell.grade_id)


def _filled(source: str, k: int) -> str:
    """The exercise's version of ``source`` with its first ``k`` blanks filled in from the solution."""
    out, blank, inside = [], 0, False
    for line in source.splitlines():
        if line.strip() == BEGIN_SOLUTION:
            inside, blank = True, blank + 1
            if blank > k:  # what nbgrader writes in place of the solution
                pad = line[: len(line) - len(line.lstrip())]
                out += [f"{pad}# YOUR CODE HERE", f"{pad}raise NotImplementedError()"]
        elif line.strip() == END_SOLUTION:
            inside = False
        elif not inside or blank <= k:
            out.append(line)
    return "\n".join(out)


def _hints(source: str) -> list[str]:
    return [HINT.match(line).group(2) for line in source.splitlines() if HINT.match(line)]


SCAFFOLDS = list(_scaffolds())


def test_the_scaffolds_are_the_multi_line_functions():
    assert {p.id for p in SCAFFOLDS} == {
        "rnn_step_backward", "rnn_backward", "lstm_step_forward", "lstm_forward",
        "lstm_step_backward", "lstm_backward", "gru_step_forward",
        # chapters 12 and 13
        "truncated_bptt", "attention_forward"}


@pytest.mark.parametrize("assignment, setup, cell", SCAFFOLDS)
def test_each_untouched_blank_is_named_until_all_are_filled(shell, assignment, setup, cell):
    shell(setup)
    # The functions the scaffold calls (its own step function) come from the solution.
    for other in assignment.cells:
        if other.kind == "code" and other.nbgrader and other.nbgrader["solution"] \
                and other.grade_id != cell.grade_id and other.source.startswith("def "):
            shell(_filled(other.source, 99))
    hints = _hints(cell.source)
    n = len(hints)
    for k in range(n):
        shell(_filled(cell.source, k))
        seen = shell(f'check("{cell.grade_id}", {cell.grade_id})')
        assert f"✘ {cell.grade_id}: blank {k + 1} of {n} in {cell.grade_id} is still empty" in seen, seen
        assert f'"{hints[k]}"' in seen
        assert "Traceback" not in seen and "lstm_grade" not in seen
    shell(_filled(cell.source, n))
    assert f"✔ {cell.grade_id}" in shell(f'check("{cell.grade_id}", {cell.grade_id})')


def test_the_exercise_is_the_untouched_scaffold():
    """The helper above writes what nbgrader writes: compare with the released notebook."""
    import nbformat
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    nb = nbformat.read(root / "exercises" / "ch09_lstm_backward" / "ch09_lstm_backward.ipynb", 4)
    released = next(c.source for c in nb.cells if c.get("id") == "lstm_step_backward")
    cell = next(c for c in ASSIGNMENTS[8].cells if c.grade_id == "lstm_step_backward")
    assert released == _filled(cell.source, 0)
