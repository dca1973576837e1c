"""Chapter 6: the cell update, where forgetting and writing meet."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, watch

ASSIGNMENT = Assignment(
    name="ch06_cell_update",
    title="The cell update",
    cells=(
        imports(),
        intro(6, "the cell update", """
The new cell state keeps what the forget gate lets through of the old one
and adds what the input gate lets through of the candidate:

$$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t$$

(⊙ is the elementwise product.) All four inputs and the result are (N, H).
"""),
        prose("## The cell update"),
        answer("update_cell", '''
def update_cell(prev_c, f, i, c_tilde):
    """c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t.

    prev_c, f, i, c_tilde: (N, H) each -> c (N, H).
    """
    ### BEGIN SOLUTION
    return f * prev_c + i * c_tilde
    ### END SOLUTION
'''),
        tests("test_update_cell", 3,
              'check("update_cell", update_cell)',
              'check("update_cell", update_cell, hidden=True)'),
        *watch("update_cell"),
    ),
)
