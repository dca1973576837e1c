"""nbgrader configuration for Gate by Gate (nbgrader 0.9.6).

Run nbgrader from this folder: nbgrader only finds this file from the course
root, and elsewhere it quietly starts a new, empty gradebook.
"""
import os

c = get_config()  # noqa: F821 (injected by nbgrader's config loader)

# The course root is this file's own folder, so a copy of the course (the
# tests grade in a temporary one) works without editing the paths.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Per cell. The longest cell is ch11's training run (about 20 s on one core);
# an endless loop in a student's answer must still end in a zero, not a hang.
c.ExecutePreprocessor.timeout = 60

# A student who deletes a locked test cell gets it back from the gradebook, so
# deleting a failing test cannot raise the score.
c.OverwriteCells.add_missing_cells = True
