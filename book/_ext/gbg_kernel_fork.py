"""The build's kernels forked from one process that has already imported their libraries.

Each edition of ``scripts/build_book.py`` starts a fresh IPython kernel per chapter,
26 a build, and every one of them spent about 1.5 CPU-s importing the same modules
(ipykernel and IPython, NumPy, lstm_ref, matplotlib's figure machinery) before
running a line of the chapter. Here one server process imports them once, and each
kernel is a ``fork`` of it: the same interpreter with the same modules loaded, then
the ordinary ``ipykernel_launcher`` start, in the kernel's own environment,
working directory and standard streams.

    server(socket_path)   the forking server (``python gbg_kernel_fork.py serve PATH``)
    client(argv)          the kernel command of the build's ``python3`` kernel spec
                          (``kernel_spec(folder, socket_path)`` writes it): asks the server
                          for a kernel and stands in for it (signals passed on, exits when
                          it ends); without a server, or when the kernel's environment
                          differs in what the server's imports read, it runs
                          ``ipykernel_launcher`` itself, as before.

Nothing a chapter computes changes: the modules are imported as a kernel would import
them (matplotlib with the inline backend ipykernel selects; nothing that hooks into
IPython, such as pyplot or the inline backend itself, is imported before the kernel's
shell exists), and a forked kernel draws fresh seeds for Python's and NumPy's global
generators, as a new process does.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading

SOCKET_ENV = "GBG_KERNEL_FORK_SOCKET"
# What the server's imports read from the environment: a kernel whose values differ
# starts the ordinary way.
IMPORT_TIME_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE",
                   "MPLBACKEND", "MPLCONFIGDIR", "MATPLOTLIBRC", "PYTHONHASHSEED", "PYTHONPATH", "HOME")
PRELOAD = ("ipykernel.kernelapp", "numpy", "lstm_ref", "matplotlib", "matplotlib.figure",
           "matplotlib.backend_bases", "PIL.Image")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"   # what ipykernel sets when unset


def _import_env(env) -> dict:
    return {k: env.get(k) for k in IMPORT_TIME_ENV}


def server(path: str) -> None:
    """Import the kernels' modules, then fork a kernel for every client that connects to ``path``."""
    import importlib

    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for name in PRELOAD:
        importlib.import_module(name)
    expected = _import_env(os.environ)
    # Each kernel that ends is waited for, so that its CPU time counts in this process's
    # children (as the build's own kernels' did).
    signal.signal(signal.SIGCHLD, _reap)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            request = json.loads(msg.decode())
            env = dict(request["env"], MPLBACKEND=request["env"].get("MPLBACKEND") or INLINE_BACKEND)
            # (matplotlib also reads a matplotlibrc in the working directory when imported)
            local_rc = os.path.exists(os.path.join(request["cwd"], "matplotlibrc"))
            if len(fds) != 3 or _import_env(env) != expected or local_rc or threading.active_count() != 1:
                conn.sendall(b"no\n")
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                listener.close()
                _kernel(conn, fds, request, env)   # never returns
            conn.sendall(f"{pid}\n".encode())
        except Exception as exc:   # one bad request never stops the server
            print(f"gbg_kernel_fork: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()


def _reap(_signum, _frame) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _kernel(conn, fds, request, env) -> None:
    """In the forked child: become the kernel the client asked for."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        for target, fd in enumerate(fds):   # the client's stdin, stdout and stderr
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.environ.clear()
        os.environ.update(env)
        os.chdir(request["cwd"])
        import importlib.util
        import random

        import numpy as np
        from ipykernel.kernelapp import IPKernelApp

        random.seed()
        np.random.seed()
        # Exit with the client: it is what the build's kernel manager watches and signals.
        threading.Thread(target=_exit_with, args=(conn,), daemon=True).start()
        # What `python -m ipykernel_launcher -f FILE` does: its path as argv[0], the script's
        # folder off sys.path, then the kernel app; parent_handle is read from the environment
        # when the class is defined (in the server), so it is passed as the kernel's own.
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["args"]]
        del sys.path[0]
        IPKernelApp.launch_instance(parent_handle=int(env.get("JPY_PARENT_PID") or 0))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        import atexit

        atexit._run_exitfuncs()   # as the interpreter does at a normal exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _exit_with(conn) -> None:
    while conn.recv(1024):
        pass
    os._exit(1)


def client(args: list[str]) -> None:
    """The kernel command: a kernel forked by the server at $GBG_KERNEL_FORK_SOCKET, or ipykernel's own."""
    path = os.environ.get(SOCKET_ENV)
    pid = None
    if path:
        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect(path)
            request = {"env": dict(os.environ), "cwd": os.getcwd(), "args": args}
            socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = conn.recv(64)
                if not chunk:
                    break
                reply += chunk
            pid = int(reply) if reply.strip().isdigit() else None
        except OSError:
            pid = None
    if pid is None:
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *args])
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, lambda s, _frame: _signal(pid, s))
    while True:   # the kernel holds the other end: it closes when the kernel exits
        try:
            if not conn.recv(1024):
                break
        except InterruptedError:
            continue
    sys.exit(0)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def kernel_spec(folder, python: str = sys.executable) -> str:
    """Writes the ``python3`` kernel spec that starts kernels through ``client`` into
    ``folder/kernels/python3`` (``folder`` goes first on the kernels' JUPYTER_PATH); returns ``folder``."""
    from pathlib import Path

    spec = Path(folder) / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, "-S", str(Path(__file__).resolve()), "client", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
        "metadata": {"debugger": True}}, indent=1), encoding="utf-8")
    return str(folder)


def start(folder, env: dict):
    """Starts the server (environment ``env``: the kernels' own) with its socket and kernel spec in
    ``folder``; returns ``(process, variables)``, the variables to add to the environment of the
    processes that start kernels. Stop it with ``process.terminate()``."""
    import subprocess
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "socket"
    path.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "serve", str(path)],
                            env=env, stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "ready":   # the server failed: kernels start as before
        proc.wait()
        return proc, {}
    jupyter_path = os.pathsep.join(filter(None, [kernel_spec(folder), env.get("JUPYTER_PATH")]))
    return proc, {SOCKET_ENV: str(path), "JUPYTER_PATH": jupyter_path}


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        server(sys.argv[2])
    elif sys.argv[1:2] == ["client"]:
        client(sys.argv[2:])
    else:
        sys.exit(f"usage: {sys.argv[0]} serve SOCKET | client -f CONNECTION_FILE")
