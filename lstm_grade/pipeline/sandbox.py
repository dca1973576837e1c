"""Run each notebook's kernel inside a bubblewrap sandbox.

Where things run: nbgrader (the worker process) stays outside the sandbox. It
sanitises the notebook, writes the per-student gradebook and the autograded
notebook. Only the kernel, the process that runs the student's code, is
sandboxed. nbgrader starts it through the kernelspec written by
``write_kernelspec``, whose command is this module: it copies the notebook's
working folder to a scratch folder and ``exec``s ``bwrap`` so that the kernel

* sees the whole file system read-only, runs as ``nobody`` with no
  capabilities (it cannot remount anything), in its own PID and network
  namespaces (no network; it talks to nbgrader over Unix sockets in a folder
  of its own);
* cannot see the course folder (gradebooks, source notebooks, other students'
  submissions), the repository's ``solutions/`` or any other hidden path: an
  empty read-only tmpfs lies over each;
* writes only to ``/tmp`` (a private tmpfs) and to its working folder, which is
  the scratch copy mounted at the path nbgrader gave it: nothing the kernel
  writes there reaches the files nbgrader reads or writes;
* has its address space and file sizes limited, and dies with its parent.

What is not protected: the kernel can read everything else that is world
readable on the machine (installed packages, the reference code in
``lstm_ref``); it can burn CPU until the per-cell timeout or the per-notebook
wall-clock limit stops it; and code in the notebook can tamper with the test
cells' Python objects in its own process (the checks and the static scan in
``integrity`` deal with that, not the sandbox).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

KERNEL_NAME = "gbg-sandbox"
JOB_ENV = "GBG_SANDBOX_JOB"


class SandboxSpec(NamedTuple):
    """How to start one job's kernel. Paths are absolute strings."""
    sandbox: bool            # False: run the kernel unsandboxed (``--no-sandbox``)
    workdir: str             # the folder nbgrader runs the notebook in
    scratch: str             # host folder mounted at ``workdir`` inside the sandbox
    ipc_dir: str             # Unix sockets between nbgrader and the kernel
    hidden: tuple            # folders replaced by an empty read-only tmpfs
    log_path: str            # the kernel's own stdout and stderr
    memory_bytes: int        # RLIMIT_AS of the kernel
    file_bytes: int          # RLIMIT_FSIZE of the kernel


def bwrap_path() -> str | None:
    """The ``bwrap`` executable on PATH, or ``None``."""
    return shutil.which("bwrap")


def kernel_env() -> dict:
    """The only environment variables the sandboxed kernel gets."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        # One thread each: several kernels share the machine's cores.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in ("PYTHONPATH", "NBGRADER_EXECUTION", "VIRTUAL_ENV"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _rebind_under_tmp() -> list[str]:
    """``--ro-bind`` arguments for the code the kernel needs that lives under /tmp.

    The kernel gets a private, empty /tmp. When the course itself (its virtual
    environment or the repository with the editable packages) was checked out
    under /tmp, as a CI clone may be, those folders are bound back read-only
    on top of it, or the kernel could not even start Python.
    """
    repo = Path(__file__).resolve().parents[2]
    candidates = {repo, Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    candidates.update(Path(p).resolve() for p in sys.path if p and os.path.isdir(p))
    under = sorted({c for c in candidates if c == Path("/tmp") or Path("/tmp") in c.parents},
                   key=lambda c: len(c.parts))
    kept: list[Path] = []
    for c in under:
        if c == Path("/tmp"):
            continue  # binding all of /tmp back would undo the private /tmp
        if not any(k in c.parents for k in kept):
            kept.append(c)
    argv: list[str] = []
    for c in kept:
        argv += ["--ro-bind", str(c), str(c)]
    return argv


def bwrap_argv(spec: SandboxSpec, command: list[str]) -> list[str]:
    """The ``bwrap`` command line that runs ``command`` under ``spec``.

    Mount order matters: later mounts lie on top of earlier ones, so the
    hidden folders are covered first and the job's own folders bound after.
    """
    argv = [bwrap_path() or "bwrap",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", *_rebind_under_tmp(),
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--cap-drop", "ALL", "--die-with-parent", "--new-session",
            "--clearenv"]
    for name, value in kernel_env().items():
        argv += ["--setenv", name, value]
    for path in spec.hidden:
        argv += ["--tmpfs", path]
    argv += ["--bind", spec.scratch, spec.workdir, "--bind", spec.ipc_dir, spec.ipc_dir]
    for path in spec.hidden:
        argv += ["--remount-ro", path]
    argv += ["--chdir", spec.workdir, "--", *command]
    return argv


def run_sandboxed(spec: SandboxSpec, command: list[str], stdin: str, timeout: float,
                  log_path: str) -> tuple[int | None, str]:
    """Run ``command`` once under ``spec`` (the same limits and mounts as a
    kernel), feeding ``stdin``; its stderr goes to ``log_path``.

    Returns ``(exit code, stdout)``; the exit code is ``None`` if it ran past
    ``timeout`` seconds and was killed.
    """
    argv = bwrap_argv(spec, command) if spec.sandbox else command
    env = None if spec.sandbox else {**kernel_env(), "HOME": spec.workdir}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                cwd=spec.workdir, env=env, start_new_session=True,
                                preexec_fn=lambda: _limit_resources(spec))
        try:
            out, _ = proc.communicate(stdin.encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None, ""
    return proc.returncode, out.decode("utf-8", "replace")


def write_kernelspec(jupyter_dir: Path) -> Path:
    """Write the sandboxed kernelspec under ``jupyter_dir/kernels`` (put
    ``jupyter_dir`` on ``JUPYTER_PATH``). Interrupts go by message because
    signals do not cross into the sandbox's PID namespace."""
    folder = Path(jupyter_dir) / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "lstm_grade.pipeline.sandbox", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return folder


def read_spec(path: str) -> SandboxSpec:
    """Read a ``SandboxSpec`` written as JSON by the worker."""
    data = json.loads(Path(path).read_text())
    data["hidden"] = tuple(data["hidden"])
    return SandboxSpec(**data)


def _limit_resources(spec: SandboxSpec) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (spec.memory_bytes, spec.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec.file_bytes, spec.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> None:
    """Kernel launcher: ``python -m lstm_grade.pipeline.sandbox CONNECTION_FILE [ARGS]``."""
    if JOB_ENV not in os.environ:
        sys.exit(f"{JOB_ENV} is not set: this launcher is started by the grading worker")
    spec = read_spec(os.environ[JOB_ENV])
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", *argv]
    # The kernel's own stdout/stderr go to a log, never to the worker's pipes,
    # so nothing the student prints can pose as a worker message.
    log = os.open(spec.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    if not spec.sandbox:
        os.chdir(spec.workdir)
        os.execv(sys.executable, kernel)
    shutil.copytree(spec.workdir, spec.scratch, dirs_exist_ok=True, symlinks=True)
    _limit_resources(spec)
    argv_ = bwrap_argv(spec, kernel)
    os.execv(argv_[0], argv_)


if __name__ == "__main__":
    main(sys.argv[1:])
