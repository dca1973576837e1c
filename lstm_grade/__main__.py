"""``python -m lstm_grade grade PATH`` / ``python -m lstm_grade generate``."""
import sys

from lstm_grade.pipeline.reuse import defer_nbgrader_server

defer_nbgrader_server()   # before anything imports nbgrader: see reuse.py

from lstm_grade.pipeline.cli import main  # noqa: E402

sys.exit(main())
