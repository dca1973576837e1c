"""The instructor's grading pipeline: one command grades a class with nbgrader.

``python -m lstm_grade grade PATH`` takes a folder laid out
``<student>/<assignment>/<assignment>.ipynb`` (or an LMS download zip), and

1. ``collect``   imports the submissions, reporting corrupt and missing ones;
2. ``course``    sets up an nbgrader course root in the output folder;
3. ``autograde`` runs the grading jobs (``job.grade_job``, one per student and
   assignment), several at once. In each, nbgrader runs the whole notebook
   in a bubblewrap sandbox that holds only the assignment's student view of
   the course (``sandbox``, ``student_view``), under limits for the whole
   job (``limits``); the graded functions are called there on cases drawn
   from the run's salt and only plain values come back (``kernel_export``,
   ``wire``); the worker judges them outside the kernel with the checks'
   own code (``trusted``, ``execute``, ``checks._replay``), and nbgrader
   records those verdicts; ``merge`` gathers the grades in
   ``<out>/gradebook.db`` for nbgrader's formgrader;
4. ``feedback``  writes feedback HTML with the hidden tests' source removed;
5. ``export``    writes ``grades.csv`` with an honest ``status`` column;
6. ``summary``   prints score distributions, the misconceptions named across
   the class and integrity flags, and draws a bar plot of the misconceptions.
"""
