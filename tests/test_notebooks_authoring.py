"""The authoring specs, the solution notebooks they build, and the released exercises.

Fast checks that need no nbgrader run: the specs follow the contract, the
checked-in solutions are exactly what the specs build, and the checked-in
exercises hold no solution and no hidden test. (That ``exercises/`` is what
nbgrader makes of ``solutions/`` is proved in test_notebooks_nbgrader.py.)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from lstm_grade.authoring import Assignment, notebook_for, render, validate
from lstm_grade.authoring.assignments import ASSIGNMENTS
from lstm_grade.authoring.cells import (BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION,
                                        answer, prose, setup, written)
from lstm_grade.authoring.cells import tests as check_cell

ROOT = Path(__file__).resolve().parents[1]

# The contract: one assignment per chapter, in order, with these graded functions.
GRADED = {
    "ch01_rnn": {"rnn_step_forward", "rnn_forward"},
    "ch02_vanishing": {"rnn_step_backward", "rnn_backward", "gradient_norms"},
    "ch03_gates": {"sigmoid", "gate"},
    "ch04_forget_gate": {"forget_gate"},
    "ch05_input_gate": {"input_gate", "candidate"},
    "ch06_cell_update": {"update_cell"},
    "ch07_output_gate": {"output_gate", "hidden_state"},
    "ch08_lstm_forward": {"lstm_step_forward", "lstm_forward"},
    "ch09_lstm_backward": {"lstm_step_backward", "lstm_backward", "grad_check"},
    "ch10_variants": {"peephole_step_forward", "coupled_step_forward", "gru_step_forward"},
    "ch11_training": {"clip_grad_norm", "sample_next"},
    "ch12_practice": {"embedding_forward", "embedding_backward", "truncated_bptt", "stacked_lstm_forward"},
    "ch13_attention": {"attention_forward"},
}
WRITTEN = set(GRADED)  # at least one manually graded question per chapter


def _answers(assignment: Assignment) -> set[str]:
    return {c.grade_id for c in assignment.cells
            if c.nbgrader and c.kind == "code" and c.nbgrader["solution"]}


def _split_lines(source: str) -> tuple[list[str], list[str]]:
    """(the code lines between the solution markers, stripped; the lines outside them)."""
    solution, given, inside = [], [], False
    for line in source.splitlines():
        if BEGIN_SOLUTION in line:
            inside = True
        elif END_SOLUTION in line:
            inside = False
        else:
            (solution if inside else given).append(line.strip() if inside else line)
    return solution, given


def _solution_lines(source: str) -> list[str]:
    """The code lines between the solution markers (what a student must not be given)."""
    return _split_lines(source)[0]


def _given_lines(source: str) -> list[str]:
    """The lines outside the solution markers (what the exercise shows as it is)."""
    return _split_lines(source)[1]


def test_one_assignment_per_chapter_in_order():
    assert [a.name for a in ASSIGNMENTS] == list(GRADED)
    assert [a.chapter for a in ASSIGNMENTS] == list(range(1, 14))


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_spec_follows_the_contract(assignment):
    validate(assignment)
    assert _answers(assignment) >= GRADED[assignment.name]
    first = assignment.cells[0]
    assert "import numpy as np" in first.source
    assert "from lstm_grade.checks import check" in first.source
    # Every graded function has a test cell that runs both the visible and the hidden check.
    test_sources = "\n".join(c.source for c in assignment.cells
                             if c.nbgrader and c.nbgrader["grade"] and c.kind == "code")
    for name in GRADED[assignment.name]:
        assert f'check("{name}", {name})' in test_sources
        assert f'check("{name}", {name}, hidden=True)' in test_sources
    written_cells = [c for c in assignment.cells if c.kind == "markdown" and c.nbgrader]
    assert bool(written_cells) == (assignment.name in WRITTEN)
    # The instructor's rubric is in the solution's answer cell, which the exercise replaces.
    for cell in written_cells:
        assert "**Rubric for the instructor" in cell.source, cell.grade_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_every_notebook_has_at_least_two_checked_quiz_questions(assignment):
    from lstm_grade.checks.quiz import QUESTIONS
    tests_src = {c.grade_id: c.source for c in assignment.cells
                 if c.nbgrader and c.nbgrader["grade"] and c.kind == "code"}
    asked = [q for q in QUESTIONS if f"test_{q}" in tests_src]
    assert len(asked) >= 2, f"{assignment.name}: quiz questions {asked}"
    for q in asked:
        assert f'check_answer("{q}", {q})' in tests_src[f"test_{q}"]
        assert f'_check_answer("{q}", {q})' in tests_src[f"test_{q}"]  # hidden, re-imported
    # Every question is asked in exactly one notebook.
    every = [q for a in ASSIGNMENTS for q in QUESTIONS
             if any(c.grade_id == f"test_{q}" for c in a.cells)]
    assert sorted(every) == sorted(QUESTIONS)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_solutions_are_what_the_specs_build(assignment, lang):
    suffix = "" if lang == "en" else f".{lang}"
    path = ROOT / "solutions" / assignment.name / f"{assignment.name}{suffix}.ipynb"
    assert path.is_file(), f"missing {path}: run `make exercises`"
    assert path.read_text(encoding="utf-8") == render(assignment, lang), (
        f"{path} differs from its spec lstm_grade/authoring/assignments/{assignment.name}.py; "
        "edit the spec and run `make exercises`, never the notebook")


def test_building_is_deterministic():
    a = ASSIGNMENTS[3]
    assert render(a) == render(a)
    nb = notebook_for(a)
    assert len({c["id"] for c in nb.cells}) == len(nb.cells)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_solution_metadata_is_nbgrader_schema_3(assignment):
    nb = notebook_for(assignment)
    graded = [c for c in nb.cells if "nbgrader" in c.metadata]
    assert graded, "no nbgrader cells"
    for cell in graded:
        meta = cell.metadata["nbgrader"]
        assert meta["schema_version"] == 3
        assert set(meta) >= {"grade", "grade_id", "locked", "solution", "task"}
        assert meta["grade_id"] == cell["id"]
        if meta["grade"]:
            assert meta["points"] > 0
        if cell.cell_type == "code" and meta["grade"]:
            assert meta["locked"] and not meta["solution"]
            assert BEGIN_HIDDEN in cell.source and END_HIDDEN in cell.source
        if cell.cell_type == "markdown":  # manually graded answer
            assert meta["grade"] and meta["solution"] and not meta["locked"]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=lambda a: a.name)
def test_exercise_holds_no_solution_and_no_hidden_test(assignment, lang):
    suffix = "" if lang == "en" else f".{lang}"
    path = ROOT / "exercises" / assignment.name / f"{assignment.name}{suffix}.ipynb"
    assert path.is_file(), f"missing {path}: run `make exercises`"
    text = path.read_text(encoding="utf-8")
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN, "hidden=True"):
        assert marker not in text, f"{path} contains {marker!r}"
    nb = nbformat.reads(text, as_version=4)
    exercise_sources = "\n".join(c.source for c in nb.cells)
    # Lines the notebook gives the student anyway (a scaffold's given lines) are no leak.
    given = {ln.strip() for c in assignment.cells for ln in _given_lines(c.source)}
    for cell in assignment.cells:
        if cell.nbgrader is None or not cell.nbgrader["solution"]:
            continue
        if cell.kind == "markdown":
            # The model answer and rubric of a written question are replaced as a whole.
            assert cell.source not in exercise_sources
            assert "Rubric for the instructor" not in exercise_sources
            continue
        distinctive = [ln for ln in _solution_lines(cell.source) if len(ln) > 12 and ln not in given]
        assert distinctive, f"{cell.grade_id}: no distinctive solution line to look for"
        leaked = [ln for ln in distinctive if ln in exercise_sources]
        assert not leaked, f"{path}: solution lines of {cell.grade_id} leaked: {leaked}"
    assert "raise NotImplementedError()" in exercise_sources
    # Outputs never ship: a released notebook is code and prose only.
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_exercises_folder_has_only_the_assignments():
    names = sorted(p.name for p in (ROOT / "exercises").iterdir()
                   if p.is_dir() and not p.name.startswith("."))
    assert names == sorted(GRADED)
    for name in names:
        files = sorted(p.name for p in (ROOT / "exercises" / name).iterdir())
        assert files == [f"{name}.ipynb", f"{name}.ko.ipynb"], f"exercises/{name} holds {files}"


# -- the constructors refuse broken specs with a clear message ------------------------------

def test_answer_without_solution_markers_is_refused():
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        answer("f", "def f():\n    return 1")


def test_unbalanced_solution_markers_are_refused():
    with pytest.raises(ValueError, match="found 1 and 0"):
        answer("f", f"def f():\n    {BEGIN_SOLUTION}\n    return 1")


@pytest.mark.parametrize("grade_id", ["", "Has Space", "x" * 65, 7])
def test_bad_grade_id_is_refused(grade_id):
    with pytest.raises(ValueError, match="grade_id"):
        setup("import numpy as np", grade_id=grade_id)


@pytest.mark.parametrize("points", [0, -1, "2", True])
def test_bad_points_are_refused(points):
    with pytest.raises(ValueError, match="points"):
        check_cell("t", points, 'check("f", f)', 'check("f", f, hidden=True)')


def test_hidden_markers_inside_test_code_are_refused():
    with pytest.raises(ValueError, match="marker"):
        check_cell("t", 1, f"{BEGIN_HIDDEN}\nx = 1", "y = 2")


def test_empty_cell_is_refused():
    with pytest.raises(ValueError, match="empty"):
        prose("   \n  ")


def _tiny(*cells) -> Assignment:
    return Assignment("ch99_tiny", "tiny", cells)


SOLVED = f"def f():\n    {BEGIN_SOLUTION}\n    return 1\n    {END_SOLUTION}"


def test_valid_tiny_assignment_passes():
    a = _tiny(setup("import numpy as np"), answer("f", SOLVED),
              check_cell("test_f", 1, 'check("f", f)', 'check("f", f, hidden=True)'),
              written("why", 2, "Because."))
    assert validate(a) is a
    assert a.points == 3
    meta = json.loads(render(a))["cells"][3]["metadata"]["nbgrader"]
    assert meta == {"grade": True, "grade_id": "why", "locked": False, "points": 2,
                    "schema_version": 3, "solution": True, "task": False}


@pytest.mark.parametrize("cells, message", [
    ((), "no cells"),
    ((prose("hello"),), "first cell"),
    ((setup("import numpy"), answer("f", SOLVED)), "no tests cell"),
    ((setup("import numpy"), answer("f", SOLVED), answer("g", SOLVED.replace("f", "g")),
      check_cell("t", 1, "a", "b")), "'f' has no tests cell"),
    ((setup("import numpy"), answer("f", SOLVED), check_cell("f", 1, "a", "b")), "duplicate grade_id"),
    ((setup("import numpy"), prose("no grade")), "no graded cell"),
    ((setup("import numpy"), "not a cell"), "cell 1 is a str"),
])
def test_broken_assignment_is_refused(cells, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        validate(_tiny(*cells))


def test_bad_assignment_name_is_refused():
    with pytest.raises(ValueError, match="chNN_words"):
        validate(Assignment("forget gate", "x", (setup("import numpy"),)))


def test_generate_refuses_a_folder_without_config(tmp_path):
    from lstm_grade.authoring import generate_exercises
    with pytest.raises(ValueError, match="no nbgrader_config.py"):
        generate_exercises(tmp_path)


def test_generate_refuses_a_missing_solution(tmp_path):
    from lstm_grade.authoring import generate_exercises
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    with pytest.raises(ValueError, match="ch04_forget_gate: missing solution notebook"):
        generate_exercises(tmp_path, names=("ch04_forget_gate",))


def test_build_writes_every_solution_into_a_course_copy(tmp_path):
    from lstm_grade.authoring import build_solutions
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    paths = build_solutions(tmp_path)
    assert [p.name for p in paths] == [f"{n}{s}.ipynb" for n in GRADED for s in ("", ".ko")]
    for p in paths:
        assert p.read_bytes() == (ROOT / "solutions" / p.parent.name / p.name).read_bytes()


def test_test_cells_display_nothing():
    # nbgrader would read a displayed number (check returns its case count) as partial credit.
    cell = check_cell("t", 1, 'check("f", f)', 'check("f", f, hidden=True)')
    visible, hidden = cell.source.split(BEGIN_HIDDEN)
    assert visible.strip().endswith(";")
    assert hidden.replace(END_HIDDEN, "").strip().endswith(";")


def test_test_code_that_is_not_python_is_refused():
    with pytest.raises(ValueError, match="not valid Python"):
        check_cell("t", 1, 'check("f", f', 'check("f", f, hidden=True)')
