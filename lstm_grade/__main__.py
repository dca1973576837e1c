"""``python -m lstm_grade grade PATH`` / ``python -m lstm_grade generate``."""
import sys

from lstm_grade.pipeline.cli import main

sys.exit(main())
