"""What the sandboxed kernel can see: an allow-list, with the student view over the course.

These read the ``bwrap`` command line; the real runs in
tests/test_pipeline_adversarial.py show the same from inside a kernel.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_grade.pipeline import course, limits, sandbox


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


def test_where_no_cgroup_can_be_made_the_reason_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "ROOT", tmp_path)
    assert "no cgroup v1 'memory' controller" in limits.unavailable_reason()
    assert limits.JobCgroup.create("x", 1 << 30, 10) is None
    text = limits.describe(None, 1 << 30, 10)
    assert text.startswith("no cgroup (no cgroup v1 'memory' controller") and "per-process limits" in text


def test_a_job_cgroup_holds_its_processes_together():
    if limits.unavailable_reason() is not None:
        pytest.skip(limits.unavailable_reason())
    cg = limits.JobCgroup.create(f"test-{os.getpid()}", 200 << 20, 20)
    try:
        code = ("import sys; from lstm_grade.pipeline.limits import JobCgroup; JobCgroup(*sys.argv[1:]).join(); "
                "import subprocess; ps = [subprocess.Popen([sys.executable, '-c', "
                "'b = bytearray(150 << 20); import time; time.sleep(2)']) for _ in range(2)]; "
                "import json; print(json.dumps([p.wait() for p in ps]))")
        done = subprocess.run([sys.executable, "-c", code, *cg], capture_output=True, text=True, timeout=60)
        codes = json.loads(done.stdout)   # the two children's exit codes
        assert -9 in codes, (codes, done.stderr)   # 300 MiB together do not fit in 200 MiB
        assert cg.out_of_memory() and cg.peak_bytes() <= 200 << 20
    finally:
        cg.remove()
    assert not Path(cg.memory).exists() and not Path(cg.pids).exists()
