"""Cells shared by every assignment: the locked imports, the opening prose, quizzes, written questions."""
from ...checks.quiz import QUESTIONS
from ..cells import BEGIN_SOLUTION, END_SOLUTION, answer, prose, scratch, setup, tests, written

#: The locked first cell. ``check`` compares an answer with the reference on
#: random shapes and seeds and names the likely misconception when it differs;
#: ``check_answer`` judges a quiz answer (a plain value) the same way.
IMPORTS = ("import numpy as np\nfrom lstm_grade.checks import check\n"
           "from lstm_grade.checks.quiz import check_answer")


def imports(*extra: str):
    """The locked setup cell: NumPy, ``check``, and any ``extra`` import lines."""
    return setup("\n".join((IMPORTS, *extra)))


SCAFFOLDS = (
    "The longer functions are scaffolds: the lines that are not the lesson are given, and "
    "each blank opens with a hint of its size and purpose, such as "
    "`# (≈ 2 lines) the gradient through tanh(c_t)`. A check names the first blank still "
    "empty. To work from scratch instead, delete a function's body below its docstring and "
    "write it all yourself: the same check grades it.\n\n")


def intro(chapter: int, title: str, text: str, scaffolds: bool = False):
    """The opening markdown: heading, what to do, where the book explains it.

    ``scaffolds``: the notebook holds scaffolded functions (say how blanks work).
    """
    return prose(
        f"# Chapter {chapter} exercise: {title}\n\n{text.strip()}\n\n"
        "Fill in every cell that says `raise NotImplementedError()` (remove that line), "
        "then run the cell after it: a check prints one line with ✔ when your function "
        "agrees with the reference, or explains what looks wrong. "
        "More cases are checked when the notebook is graded. Use the *Validate* button "
        "before you hand it in.\n\n"
        f"{SCAFFOLDS if scaffolds else ''}"
        f"The explanation is in chapter {chapter} of the *Gate by Gate* book."
    )


def watch(*names: str):
    """An ungraded pair of cells: the four-steps animation run on the student's own functions.

    Cells where the student's function disagrees with ``lstm_ref`` are
    outlined in red, so the picture helps find the mistake. The cell needs a
    live kernel (it is an ordinary widget) and costs nothing in grading.
    """
    funcs = ", ".join(f'"{n}": {n}' for n in names)
    return (
        prose("""
## See your code run (optional, not graded)

The animation below runs an LSTM cell step by step with **your** functions in
place of the reference ones. Press Play or drag the slider: a cell outlined in
red is a number where your function disagrees with the reference.
"""),
        scratch(f"from lstm_viz.widgets import four_steps_widget\n\n"
                f"four_steps_widget(mode=\"live\", funcs={{{funcs}}})"),
    )



_WHAT = {"choice": "one letter, in quotes", "number": "a number"}


def _literal(value) -> str:
    if isinstance(value, float):
        return repr(round(value, 4))
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def quiz(qid: str, points: float = 1):
    """Three cells: the question (from ``lstm_grade.checks.quiz``), the answer cell, its test.

    The student assigns the answer to a variable named as the question; the
    locked test cell passes that plain value to ``check_answer``, which
    prints ✔ or names the misconception of a wrong answer.
    """
    q = QUESTIONS[qid]
    what = q.what or _WHAT[q.kind]
    text = [f"**Quiz ({points:g} point{'s' if points != 1 else ''}).** {q.prompt}"]
    if q.options:
        text += [""] + [f"- **{letter}**: {option}" for letter, option in zip(q.choices, q.options)]
    text += ["", f"Assign your answer ({what}) to `{qid}` in the cell below, then run the check."]
    placeholder = '"?"' if q.kind == "choice" else "..."
    return (
        prose("\n".join(text)),
        answer(qid, f"# {qid} = {placeholder}   ({what})\n{BEGIN_SOLUTION}\n"
                    f"{qid} = {_literal(q.model_answer)}\n{END_SOLUTION}"),
        tests(f"test_{qid}", points, f'check_answer("{qid}", {qid})',
              "from lstm_grade.checks.quiz import check_answer as _check_answer\n"
              f'_check_answer("{qid}", {qid})'),
    )


def written_question(grade_id: str, points: float, question: str, model: str, rubric: str):
    """Two cells: the question, and the manually graded answer cell.

    The solution notebook's answer cell holds the model answer and the rubric
    for the instructor; nbgrader replaces the whole cell with ``YOUR ANSWER
    HERE`` in the exercise, so students never see either.
    """
    return (
        prose(f"**Written question ({points:g} points, graded by your instructor).** "
              f"{question.strip()}"),
        written(grade_id, points, f"{model.strip()}\n\n**Rubric for the instructor "
                                  f"({points:g} points).** {rubric.strip()}"),
    )
