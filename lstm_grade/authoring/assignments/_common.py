"""Cells shared by every assignment: the locked imports and the opening prose."""
from ..cells import prose, scratch, setup

#: The locked first cell. ``check`` compares an answer with the reference on
#: random shapes and seeds and names the likely misconception when it differs.
IMPORTS = "import numpy as np\nfrom lstm_grade.checks import check"


def imports(*extra: str):
    """The locked setup cell: NumPy, ``check``, and any ``extra`` import lines."""
    return setup("\n".join((IMPORTS, *extra)))


def intro(chapter: int, title: str, text: str):
    """The opening markdown: heading, what to do, where the book explains it."""
    return prose(
        f"# Chapter {chapter} exercise: {title}\n\n{text.strip()}\n\n"
        "Fill in every cell that says `raise NotImplementedError()` (remove that line), "
        "then run the cell after it: a check prints one line with ✔ when your function "
        "agrees with the reference, or explains what looks wrong. "
        "More cases are checked when the notebook is graded. Use the *Validate* button "
        "before you hand it in.\n\n"
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

