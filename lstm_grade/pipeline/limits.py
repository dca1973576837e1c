"""Limits for a whole grading job: a cgroup (v1) holding the kernel and all its children.

``JobCgroup.create(name, memory_bytes, pids)`` makes ``<root>/memory/gbg/<name>``
and ``<root>/pids/gbg/<name>`` with ``memory.limit_in_bytes`` (the kernel, its
children and the tmpfs they write, together: tmpfs pages are charged to the
cgroup of the process that wrote them) and ``pids.max``. The kernel launcher
joins it (``join``) before it starts anything, so every process of the job
is inside. ``kill`` ends them all; ``remove`` deletes the cgroup.

Where the ``cpuacct`` controller is mounted too, the job also gets a
``cpuacct`` cgroup, made inside the grading process's own (accounting is
hierarchical, so whatever measures that process still counts the job):
``cpu_seconds`` is the CPU of the kernel and every process it started,
which ``getrusage`` in the processes above cannot see (bubblewrap never
hands its children's times up). It only measures; no limit depends on it.

Where no cgroup can be made (no controller mounted, not writable, not
root), ``create`` returns ``None`` and ``unavailable_reason`` says why; the
sandbox then falls back to per-process limits (``RLIMIT_AS``,
``RLIMIT_NPROC``) and the run's summary says so.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(os.environ.get("GBG_CGROUP_ROOT", "/sys/fs/cgroup"))
GROUP = "gbg"


def _own_cpuacct() -> Path | None:
    """This process's cpuacct cgroup folder, or ``None`` where there is none."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "cpuacct" in controllers.split(","):
                folder = ROOT / "cpuacct" / path.lstrip("/")
                return folder if (folder / "cpuacct.usage").exists() else None
    except (OSError, ValueError):
        pass
    return None


def _accounting(name: str) -> str:
    """A fresh cpuacct cgroup for job ``name`` under this process's own; "" where none can be made."""
    own = _own_cpuacct()
    if own is None:
        return ""
    folder = own / GROUP / name
    try:
        if folder.exists():
            folder.rmdir()
        folder.mkdir(parents=True)
    except OSError:
        return ""
    return str(folder)


class JobCgroup(NamedTuple):
    """The memory and pids cgroups of one job (absolute paths), and its cpuacct one ("" if none)."""
    memory: str
    pids: str
    cpuacct: str = ""

    @classmethod
    def create(cls, name: str, memory_bytes: int, pids: int) -> "JobCgroup | None":
        if unavailable_reason() is not None:
            return None
        memory, pid_dir = ROOT / "memory" / GROUP / name, ROOT / "pids" / GROUP / name
        try:
            for d in (memory, pid_dir):
                if d.exists():
                    cls(str(memory), str(pid_dir)).remove()
                d.mkdir(parents=True, exist_ok=True)
            (memory / "memory.limit_in_bytes").write_text(str(int(memory_bytes)))
            swap = memory / "memory.memsw.limit_in_bytes"
            if swap.exists():
                swap.write_text(str(int(memory_bytes)))
            (pid_dir / "pids.max").write_text(str(int(pids)))
        except OSError:
            return None
        return cls(str(memory), str(pid_dir), _accounting(name))

    def _folders(self) -> tuple:
        return (self.memory, self.pids) + ((self.cpuacct,) if self.cpuacct else ())

    def join(self, pid: int = 0) -> None:
        """Move process ``pid`` (0: this one) into the job's cgroups."""
        for d in self._folders():
            Path(d, "cgroup.procs").write_text(str(pid or os.getpid()))

    def cpu_seconds(self) -> float:
        """CPU seconds of every process that was in the job (0.0 without a cpuacct cgroup)."""
        try:
            return int(Path(self.cpuacct, "cpuacct.usage").read_text()) / 1e9 if self.cpuacct else 0.0
        except (OSError, ValueError):
            return 0.0

    def procs(self) -> list[int]:
        out: set[int] = set()
        for d in (self.memory, self.pids):
            try:
                out.update(int(p) for p in Path(d, "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(out)

    def kill(self) -> None:
        """SIGKILL every process of the job, until none is left (at most 5 s)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pids = self.procs()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.05)

    def out_of_memory(self) -> bool:
        """True if the memory limit was hit (the kernel's OOM killer acted or allocations failed)."""
        try:
            control = Path(self.memory, "memory.oom_control").read_text()
            kills = [int(ln.split()[1]) for ln in control.splitlines() if ln.startswith("oom_kill ")]
            if kills and kills[0] > 0:
                return True
            return int(Path(self.memory, "memory.failcnt").read_text()) > 0
        except (OSError, ValueError, IndexError):
            return False

    def peak_bytes(self) -> int:
        try:
            return int(Path(self.memory, "memory.max_usage_in_bytes").read_text())
        except (OSError, ValueError):
            return 0

    def remove(self) -> None:
        """Kill what is left and delete the job's cgroups."""
        self.kill()
        for d in self._folders():
            for _ in range(50):
                try:
                    os.rmdir(d)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def unavailable_reason() -> str | None:
    """Why no job cgroup can be made here, or ``None`` if one can."""
    for controller in ("memory", "pids"):
        base = ROOT / controller
        if not (base / "cgroup.procs").exists():
            return f"no cgroup v1 '{controller}' controller mounted at {base}"
        if not os.access(base, os.W_OK):
            return f"{base} is not writable (grading runs as uid {os.getuid()}; cgroups need root)"
    return None


def describe(cgroup: JobCgroup | None, memory_bytes: int, pids: int) -> str:
    """One line for the run's summary: how the job's limits were enforced."""
    gib = memory_bytes / (1 << 30)
    if cgroup is not None:
        return f"cgroup: {gib:g} GiB for the kernel, its children and their files together; {pids} processes"
    return (f"no cgroup ({unavailable_reason() or 'creation failed'}): per-process limits only "
            f"({gib:g} GiB address space per process, {pids} processes per user)")
