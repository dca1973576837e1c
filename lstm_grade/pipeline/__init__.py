"""The instructor's grading pipeline: one command grades a class with nbgrader.

``python -m lstm_grade grade PATH`` takes a folder laid out
``<student>/<assignment>/<assignment>.ipynb`` (or an LMS download zip), and

1. ``collect``   imports the submissions, reporting corrupt and missing ones;
2. ``course``    sets up an nbgrader course root in the output folder;
3. ``autograde`` runs nbgrader on every submission, several at once, each
   kernel inside a bubblewrap sandbox (``sandbox``), with a per-cell timeout
   and a wall-clock limit per notebook; ``recheck`` then re-runs the checks
   of every test cell that earned points in a clean sandboxed process and
   withdraws the points it cannot confirm; ``merge`` gathers the grades in
   ``<out>/gradebook.db`` for nbgrader's formgrader;
4. ``feedback``  writes feedback HTML with the hidden tests' source removed;
5. ``export``    writes ``grades.csv`` with an honest ``status`` column;
6. ``summary``   prints score distributions, the misconceptions named across
   the class and integrity flags, and draws a bar plot of the misconceptions.
"""
