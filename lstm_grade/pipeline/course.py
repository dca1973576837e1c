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

#: The course's packages a grading kernel may import (``lstm_ref`` as the student view; the
#: translations, which hold only text).
STUDENT_PACKAGES = ("lstm_ref", "lstm_viz", "lstm_grade", "gbg_i18n")  # gbg_i18n: the texts lstm_viz shows

#: The kernel class every grading kernel is made of (``lstm_grade.pipeline.kernel_start``).
GRADING_KERNEL = "lstm_grade.pipeline.kernel_start.GradingKernel"

CONFIG_FILE = '''"""nbgrader configuration of one grading run (written by lstm_grade.pipeline.course)."""
import os

from lstm_grade.pipeline.course import configure

c = get_config()  # noqa: F821
configure(c, os.path.dirname(os.path.abspath(__file__)), cell_timeout={cell_timeout})
'''


def configure(c, root, source: str = "source", release: str = "release", cell_timeout: int = 60,
              **course_dir):
    """Fill the traitlets ``Config`` ``c`` for nbgrader: the one place its settings are made.

    Used by the repository's ``nbgrader_config.py`` (``solutions`` ->
    ``exercises``), by the file written into each grading run's folder and
    by the grading worker. ``course_dir``: further ``CourseDirectory``
    settings (``db_url``, ``assignment_id``, ``student_id``).
    """
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = source
    c.CourseDirectory.release_directory = release
    for key, value in course_dir.items():
        setattr(c.CourseDirectory, key, value)
    # Per cell: an endless loop in an answer must still end in a zero, not a hang.
    c.ExecutePreprocessor.timeout = int(cell_timeout)
    c.Execute.timeout = int(cell_timeout)
    # Every kernel nbgrader starts (autograde, validate) without ipykernel's debugger,
    # which nobody attaches to a grading kernel: 0.15-0.25 CPU-s less per notebook.
    c.Execute.extra_arguments = [f"--IPKernelApp.kernel_class={GRADING_KERNEL}"]
    # A deleted locked test cell comes back from the gradebook, so deleting a
    # failing test cannot raise the score.
    c.OverwriteCells.add_missing_cells = True
    return c


def new_config(root, **kw):
    """A fresh ``Config`` filled by ``configure``."""
    from traitlets.config import Config
    return configure(Config(), root, **kw)


def tool_env() -> dict:
    """``os.environ`` with this Python's ``bin`` folder first on PATH: nbgrader
    runs the ``alembic`` command by name when it creates a gradebook."""
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


SALT_FILE = "grading-salt.txt"


def run_salt(out_dir: Path) -> str:
    """The run's salt for jobs that were given none (``Job.salt`` empty): drawn once,
    by the first job that asks, and kept in ``<out>/grading-salt.txt``, so a
    re-grade of the run reproduces every grading case."""
    import secrets
    import time
    path = Path(out_dir) / SALT_FILE
    try:  # the first job creates it; O_EXCL makes that one job even when several start at once
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(16) + "\n")
    for _ in range(100):  # another job may still be writing it
        salt = path.read_text().strip()
        if salt:
            return salt
        time.sleep(0.05)
    raise RuntimeError(f"{path} stays empty")


def write_config(out_dir: Path, cell_timeout: int) -> Path:
    """Write ``<out>/nbgrader_config.py``, so nbgrader can also be run there by hand."""
    path = Path(out_dir) / "nbgrader_config.py"
    path.write_text(CONFIG_FILE.format(cell_timeout=int(cell_timeout)))
    return path


def setup_course(out_dir: Path, source: Path, assignments: list[str], cell_timeout: int,
                 generator=None) -> None:
    """Make ``out_dir`` a course root with ``assignments`` generated from ``source``.

    ``generator(out_dir, assignments)``: runs ``generate`` somewhere nbgrader
    is already imported (a grading process started ahead); by default a new
    process. Raises ``RuntimeError`` with nbgrader's output if generation fails.
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
    if generator is not None:
        generator(out_dir, assignments)
        return
    # One process for every assignment: nbgrader's start-up is most of its cost.
    proc = subprocess.run([sys.executable, "-m", "lstm_grade.pipeline.course", str(out_dir), *assignments],
                          cwd=out_dir, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed in {out_dir}:\n{proc.stderr[-4000:]}")


def generate(out_dir: Path, assignments: list[str]) -> None:
    """``generate_assignment`` of each of ``assignments`` in the course root ``out_dir``
    (in this process; ``RuntimeError`` with nbgrader's error if one fails)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from .reuse import read_alembic_head
    read_alembic_head()   # the new gradebook's schema version, without an ``alembic`` process
    c = new_config(out_dir)
    api = NbGraderAPI(CourseDirectory(config=c), config=c)
    for a in assignments:
        r = api.generate_assignment(a, force=True)
        if not r["success"]:
            raise RuntimeError(f"generate_assignment {a} failed:\n{r.get('error')}\n{r.get('log')}")


if __name__ == "__main__":
    try:
        generate(Path(sys.argv[1]), sys.argv[2:])
    except RuntimeError as err:
        sys.exit(str(err))
