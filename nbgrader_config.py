"""nbgrader configuration for Gate by Gate (nbgrader 0.9.6).

Run nbgrader from this folder: nbgrader only finds this file from the course
root, and elsewhere it quietly starts a new, empty gradebook. The settings
themselves are made in one place, ``lstm_grade.pipeline.course.configure``.
"""
import os

from lstm_grade.pipeline.course import configure

c = get_config()  # noqa: F821 (injected by nbgrader's config loader)

# The course root is this file's own folder, so a copy of the course (the
# tests grade in a temporary one) works without editing the paths. The
# longest cell is ch11's training run (about 20 s on one core).
configure(c, os.path.dirname(os.path.abspath(__file__)), source="solutions", release="exercises",
          cell_timeout=60)
