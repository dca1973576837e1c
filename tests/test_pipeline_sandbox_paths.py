"""The kernel's private /tmp must not hide the course's own code.

A CI clone (or a student's checkout) may live under /tmp; the sandbox gives
the kernel an empty /tmp, so the virtual environment and the repository are
bound back read-only. Without it every kernel fails to start and every
submission is 'failed' (seen in a clone under /tmp).
"""
import sys

from lstm_grade.pipeline import sandbox


def test_code_under_tmp_is_bound_back_read_only(tmp_path, monkeypatch):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(venv))
    argv = sandbox._rebind_under_tmp()
    pairs = list(zip(argv[::3], argv[1::3], argv[2::3]))
    assert ("--ro-bind", str(venv.resolve()), str(venv.resolve())) in pairs


def test_nothing_is_rebound_over_the_private_tmp_itself(monkeypatch):
    monkeypatch.setattr(sys, "path", ["/tmp", *sys.path])
    argv = sandbox._rebind_under_tmp()
    assert "/tmp" not in argv[1::3]


def test_rebinds_come_after_the_private_tmp_and_before_the_hidden_folders(tmp_path, monkeypatch):
    venv = tmp_path / "venv"
    venv.mkdir()
    monkeypatch.setattr(sys, "prefix", str(venv))
    spec = sandbox.SandboxSpec(True, str(tmp_path / "work"), str(tmp_path / "scratch"),
                               str(tmp_path / "ipc"), (str(tmp_path / "hidden"),),
                               str(tmp_path / "log"), 1 << 30, 1 << 20)
    argv = sandbox.bwrap_argv(spec, ["python"])
    tmpfs_tmp = argv.index("/tmp")
    rebind = argv.index(str(venv.resolve()))
    hidden = argv.index(str(tmp_path / "hidden"))
    assert tmpfs_tmp < rebind < hidden
