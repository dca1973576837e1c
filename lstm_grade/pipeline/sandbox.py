"""Run each notebook's kernel in a sandbox whose limits hold for the whole job.

nbgrader (the worker process) stays outside. It starts the kernel through
the kernelspec ``write_kernelspec`` writes, whose command is this module's
launcher (``main``). The launcher, still outside, first moves itself into
the job's cgroup (``limits``: memory of every process and of the files they
write together, the number of processes), sets per-process limits as a
second line, then either ``exec``s ``bwrap`` or, with ``--no-sandbox``,
the kernel itself: the limits are in place before the kernel starts in both
cases.

Inside bubblewrap the kernel sees an allow-listed file system, read-only:
``/usr``, ``/etc``, the Python it runs on, the course's packages, and
nothing else of the machine (no home folders, no other checkouts, no
``/tmp`` of the host, no course folder with gradebooks and source
notebooks, no ``solutions/``, no tests). Of the course it sees the
*student view* (``student_view``): ``lstm_ref`` with the reference
implementations of the assignment's graded functions replaced by stubs
that raise ``ReferenceHidden``, and in place of ``lstm_grade.checks`` a
stand-in whose ``check`` only says that grading happens outside. It runs
as ``nobody`` with no capabilities, in its own PID, network (none), IPC
and UTS namespaces, and dies with its parent. The writable places are its
working folder and ``/dev/shm``, two tmpfs that together hold ``file_bytes``
(the notebook's total output to files), the first filled with a copy of the
submission's folder at start, and the folder of Unix sockets it shares with
nbgrader, which the worker puts on the host's ``/dev/shm`` (memory charged
to the job's cgroup) and watches (``worker``). Nothing it writes survives
the job.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import sys
from pathlib import Path
from typing import NamedTuple

from . import course, limits

KERNEL_NAME = "gbg-sandbox"
JOB_ENV = "GBG_SANDBOX_JOB"
STAGE = "/gbg-submission"   # where the sandbox sees the submission's folder, read-only
SHM_BYTES = 16 << 20        # /dev/shm inside the sandbox (POSIX semaphores of multiprocessing)
#: In the sandbox: copy the submission's folder into the (empty, sized) working folder, links as
#: links, modes and times kept, then start the kernel ("$@"). A shell, not a third Python start.
START_INSIDE = ["/bin/sh", "-c", 'cp -R -P --preserve=mode,timestamps "$0"/. . && exec "$@"', STAGE]


def budget(file_bytes: int) -> tuple[int, int]:
    """(working folder, /dev/shm) sizes: together ``file_bytes``."""
    shm = min(SHM_BYTES, int(file_bytes) // 8)
    return int(file_bytes) - shm, shm


class SandboxSpec(NamedTuple):
    """How to start one job's kernel. Paths are absolute strings."""
    sandbox: bool            # False: no bubblewrap (``--no-sandbox``); the limits still apply
    workdir: str             # the folder nbgrader runs the notebook in
    scratch: str             # unsandboxed: the kernel's working copy on disk (removed after the job)
    ipc_dir: str             # Unix sockets between nbgrader and the kernel
    view: str                # the student view (see ``student_view``)
    log_path: str            # the kernel's own stdout and stderr
    memory_bytes: int        # kernel + children + tmpfs (cgroup); RLIMIT_AS per process as well
    file_bytes: int          # the working folder's size (tmpfs); per file without a sandbox
    pids: int                # processes (cgroup pids.max; RLIMIT_NPROC without a cgroup)
    cgroup: tuple = ()       # ``limits.JobCgroup`` as a tuple, or () when none could be made


def bwrap_path() -> str | None:
    """The ``bwrap`` executable on PATH, or ``None``."""
    return shutil.which("bwrap")


def kernel_env(spec: SandboxSpec) -> dict:
    """The only environment variables the kernel gets."""
    home = spec.workdir if spec.sandbox else spec.scratch
    path = [spec.view] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(path),
        # One thread each: several kernels share the machine's cores.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in ("NBGRADER_EXECUTION", "VIRTUAL_ENV"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _system_mounts() -> list[str]:
    argv: list[str] = []
    for top in ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = Path("/") / top
        if host.is_symlink():
            argv += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            argv += ["--ro-bind", str(host), str(host)]
    return argv


def _python_mounts() -> list[Path]:
    """Folders of the Python the kernel runs on (its prefixes and its path), outside the repo."""
    repo = course.repo_root()
    found = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(sys.executable).resolve().parent}
    found.update(Path(p).resolve() for p in sys.path if p and os.path.isdir(p))
    keep = []
    for p in sorted(found, key=lambda q: len(q.parts)):
        if p == repo or repo in p.parents and not str(p).startswith(str(Path(sys.prefix).resolve())):
            continue  # the repository's own folders are bound one by one below
        if str(p).startswith(("/usr", "/etc", "/proc", "/dev")) or any(k in p.parents or k == p for k in keep):
            continue
        keep.append(p)
    return keep


def bwrap_argv(spec: SandboxSpec, command: list[str]) -> list[str]:
    """The ``bwrap`` command line that runs ``command`` under ``spec``.

    Later mounts lie on top of earlier ones: the course's packages are bound
    first, then the student view over ``lstm_ref`` and ``lstm_grade/checks``.
    """
    repo = course.repo_root()
    argv = [bwrap_path() or "bwrap", *_system_mounts(), "--dev", "/dev", "--proc", "/proc"]
    for p in _python_mounts():
        argv += ["--ro-bind", str(p), str(p)]
    for package in course.STUDENT_PACKAGES:
        if (repo / package).is_dir():
            argv += ["--ro-bind", str(repo / package), str(repo / package)]
    argv += ["--ro-bind", str(Path(spec.view) / "lstm_ref"), str(repo / "lstm_ref"),
             "--ro-bind", str(Path(spec.view) / "lstm_grade" / "checks"), str(repo / "lstm_grade" / "checks"),
             "--ro-bind", spec.view, spec.view,
             "--ro-bind", spec.workdir, STAGE,
             "--size", str(budget(spec.file_bytes)[0]), "--perms", "0777", "--tmpfs", spec.workdir,
             "--size", str(budget(spec.file_bytes)[1]), "--perms", "1777", "--tmpfs", "/dev/shm",
             "--bind", spec.ipc_dir, spec.ipc_dir,
             "--remount-ro", "/",
             "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
             "--unshare-user", "--uid", "65534", "--gid", "65534",
             "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv"]
    for name, value in kernel_env(spec).items():
        argv += ["--setenv", name, value]
    argv += ["--chdir", spec.workdir, "--", *command]
    return argv


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
    data["cgroup"] = tuple(data.get("cgroup", ()))
    return SandboxSpec(**data)


def limit_process(spec: SandboxSpec) -> None:
    """Join the job's cgroup, then set this process's own limits (inherited by the kernel)."""
    if spec.cgroup:
        limits.JobCgroup(*spec.cgroup).join()
    else:
        resource.setrlimit(resource.RLIMIT_NPROC, (spec.pids, spec.pids))
    resource.setrlimit(resource.RLIMIT_AS, (spec.memory_bytes, spec.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (spec.file_bytes, spec.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> None:
    """Kernel launcher: ``python -m lstm_grade.pipeline.sandbox CONNECTION_FILE [ARGS]``."""
    if JOB_ENV not in os.environ:
        sys.exit(f"{JOB_ENV} is not set: this launcher is started by the grading worker")
    spec = read_spec(os.environ[JOB_ENV])
    kernel = [sys.executable, "-m", "lstm_grade.pipeline.kernel_start", "-f", *argv]
    # The kernel's own stdout/stderr go to a log, never to the worker's pipes,
    # so nothing the student prints can pose as a worker message.
    log = os.open(spec.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    limit_process(spec)
    # For the worker's wall-clock limit when there is no cgroup to empty.
    Path(spec.ipc_dir, "launcher.json").write_text(json.dumps({"pid": os.getpid()}))
    if not spec.sandbox:
        shutil.copytree(spec.workdir, spec.scratch, dirs_exist_ok=True, symlinks=True)
        os.chdir(spec.scratch)
        os.execve(sys.executable, kernel, kernel_env(spec))
    argv_ = bwrap_argv(spec, [*START_INSIDE, *kernel])
    os.execv(argv_[0], argv_)


if __name__ == "__main__":
    main(sys.argv[1:])
