"""Set up the output folder as an nbgrader course root.

The grading state (``gradebook.db``, ``source/``, ``release/``,
``submitted/``, ``autograded/``, ``feedback/``) lives in the output folder,
never in the repository: the chosen assignments' source notebooks are copied
into ``<out>/source`` and ``nbgrader generate_assignment`` records their
cells in ``<out>/gradebook.db`` (the template every per-student gradebook
starts from).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFIG_TEMPLATE = '''\
"""nbgrader configuration of one grading run (written by lstm_grade.pipeline)."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.Execute.timeout = {cell_timeout}
c.OverwriteCells.add_missing_cells = True
'''


def tool_env() -> dict:
    """``os.environ`` with this Python's ``bin`` folder first on PATH: nbgrader
    runs the ``alembic`` command when it creates a gradebook."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def repo_root() -> Path:
    """The repository holding this package (``solutions/`` lives there)."""
    return Path(__file__).resolve().parents[2]


def known_assignments(source: Path) -> list[str]:
    """Assignment names under ``source``: folders holding ``<name>/<name>.ipynb``."""
    source = Path(source)
    if not source.is_dir():
        raise ValueError(f"source: expected a folder of assignments, got {source} (missing)")
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file())


def write_config(out_dir: Path, cell_timeout: int) -> Path:
    """Write ``<out>/nbgrader_config.py``, so nbgrader can also be run there by hand."""
    path = Path(out_dir) / "nbgrader_config.py"
    path.write_text(CONFIG_TEMPLATE.format(cell_timeout=int(cell_timeout)))
    return path


def setup_course(out_dir: Path, source: Path, assignments: list[str], cell_timeout: int) -> None:
    """Make ``out_dir`` a course root with ``assignments`` generated from ``source``.

    Raises ``RuntimeError`` with nbgrader's output if generation fails.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_config(out_dir, cell_timeout)
    for assignment in assignments:
        target = out_dir / "source" / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(Path(source) / assignment, target,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    # One process for every assignment: nbgrader's start-up is most of its cost.
    code = (
        "import sys\n"
        "from nbgrader.apps import NbGraderAPI\n"
        "from nbgrader.coursedir import CourseDirectory\n"
        "from traitlets.config import Config\n"
        "c = Config(); c.CourseDirectory.root = sys.argv[1]\n"
        "c.CourseDirectory.source_directory = 'source'\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        "api = NbGraderAPI(CourseDirectory(config=c), config=c)\n"
        "for a in sys.argv[2:]:\n"
        "    r = api.generate_assignment(a, force=True)\n"
        "    if not r['success']:\n"
        "        sys.exit('generate_assignment %s failed:\\n%s\\n%s' % (a, r.get('error'), r.get('log')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(out_dir), *assignments],
                          cwd=out_dir, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed in {out_dir}:\n{proc.stderr[-4000:]}")
