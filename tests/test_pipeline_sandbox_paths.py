"""What the sandboxed kernel can see: an allow-list, with the student view over the course.

These read the ``bwrap`` command line; the real runs in
tests/test_pipeline_adversarial.py show the same from inside a kernel.
"""
import sys
from pathlib import Path

from lstm_grade.pipeline import course, sandbox


def _spec(tmp_path: Path) -> sandbox.SandboxSpec:
    return sandbox.SandboxSpec(True, str(tmp_path / "work"), str(tmp_path / "scratch"), str(tmp_path / "ipc"),
                               str(tmp_path / "view"), str(tmp_path / "log"), 1 << 30, 64 << 20, 128)


def _mounts(argv: list[str]) -> list[tuple[str, str]]:
    """(source, destination) of every --ro-bind and --bind, in order."""
    return [(argv[k + 1], argv[k + 2]) for k, a in enumerate(argv) if a in ("--ro-bind", "--bind")]


def test_only_allowed_folders_are_visible(tmp_path):
    argv = sandbox.bwrap_argv(_spec(tmp_path), ["python"])
    repo = course.repo_root()
    destinations = [d for _, d in _mounts(argv)]
    assert str(repo) not in destinations and "/" not in destinations
    for secret in ("solutions", "tests", ".git", "benchmarks"):
        assert not any(d == str(repo / secret) or d.startswith(str(repo / secret) + "/") for d in destinations)
    assert str(Path(sys.base_prefix).resolve()) in destinations


def test_the_student_view_lies_over_the_reference_and_the_checks(tmp_path):
    argv = sandbox.bwrap_argv(_spec(tmp_path), ["python"])
    repo = course.repo_root()
    mounts = _mounts(argv)
    real = mounts.index((str(repo / "lstm_grade"), str(repo / "lstm_grade")))
    over = mounts.index((str(tmp_path / "view" / "lstm_grade" / "checks"), str(repo / "lstm_grade" / "checks")))
    assert real < over
    assert (str(tmp_path / "view" / "lstm_ref"), str(repo / "lstm_ref")) in mounts


def test_file_budget_is_shared_by_the_two_writable_places(tmp_path):
    argv = sandbox.bwrap_argv(_spec(tmp_path), ["python"])
    sizes = [int(argv[k + 1]) for k, a in enumerate(argv) if a == "--size"]
    assert sum(sizes) == 64 << 20 and len(sizes) == 2
    assert argv[argv.index("--remount-ro") + 1] == "/"


def test_without_a_sandbox_the_kernel_works_in_its_scratch_copy_and_sees_the_view(tmp_path):
    env = sandbox.kernel_env(_spec(tmp_path)._replace(sandbox=False))
    assert env["HOME"] == env["TMPDIR"] == str(tmp_path / "scratch")
    assert env["PYTHONPATH"].split(":")[0] == str(tmp_path / "view")
