"""Cells shared by every assignment: the locked imports and the opening prose."""
from ..cells import prose, setup

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
