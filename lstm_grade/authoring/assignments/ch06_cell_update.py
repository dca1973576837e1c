"""Chapter 6: the cell update, where forgetting and writing meet."""
from ..cells import answer, prose, tests
from ..spec import Assignment
from ._common import imports, intro, quiz, written_question, watch

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
        prose("## 1. Predict first"),
        *quiz("q_predict_c"),
        prose("## 2. The cell update"),
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
        *quiz("q_cell_beyond_one"),
        *written_question("additive_update", 2, """
In two or three sentences: the cell update adds, c_t = f ⊙ c_{t−1} + i ⊙ c̃_t,
where a plain RNN squashes, h_t = tanh(...). What does the addition give the
memory, and its gradient?
""", """
Because nothing squashes c_t and no weight matrix multiplies c_{t−1}, a stored
value passes from step to step scaled only by f; with f ≈ 1 it survives
unchanged for many steps. For the same reason the gradient from c_t back to
c_{t−1} is just f (elementwise), so it is not shrunk by tanh′ and W_h at every
step the way a plain RNN's gradient is.
""", """
1 point: the memory is carried by f alone (kept when f ≈ 1), with no squashing
or matrix on the path. 1 point: the gradient along the cell path is f, so it
does not vanish the way the RNN's does.
"""),
    ),
)
