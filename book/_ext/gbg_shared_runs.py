"""The book's long experiments, computed once for both editions of a build.

Both editions execute every chapter, and chapters 11 to 13 train dozens of
models whose numbers do not depend on the reader's language (the Korean
kernels only print other words). ``scripts/build_book.py`` gives the kernels
of its build an IPython startup file that calls ``install(folder)``: from then
on the functions of ``lstm_ref`` named in ``SHARED`` keep each result in
``folder``, one pickle per call, and a kernel that makes the same call later
(the other edition's) reads it instead of training again. The page shows the
plain ``lstm_ref`` call it always did; ``lstm_ref`` itself knows nothing of this.

An entry is keyed on the function, every argument (defaults included), the
bytes of every file of ``lstm_ref`` and the versions of Python and NumPy, so
a changed ``lstm_ref`` never reads an old result. Each entry is computed under
an exclusive file lock: a kernel that wants an entry another one is computing
waits for it and reads it. Calls with arguments that are not plain values (a
callback, an array) are not shared. ``recall`` reads an entry without computing
it: a test of the very run a page trains reads what the build computed.

As a Sphinx extension, ``gbg_read_first`` and ``gbg_read_last`` (lists of
docnames; the Korean edition of ``scripts/build_book.py`` sets them) move those
pages to the start and the end of the reading order, so that the two editions,
built side by side, reach the long chapters at different times and each finds
the other's results instead of waiting for them.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import inspect
import os
import pickle
import sys
from pathlib import Path

SHARED = ("long_dependency_experiment", "greff_run", "forget_bias_run", "adding_run",
          "train_reverser")
# BLAS threading can change a result's last bits: part of the key.
_ENVIRONMENT = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE")


def install(folder) -> None:
    """Share the results of ``lstm_ref``'s functions in ``SHARED`` through ``folder``."""
    import lstm_ref

    folder = Path(folder)
    version = _version(Path(lstm_ref.__file__).parent)
    for name in SHARED:
        setattr(lstm_ref, name, _shared(getattr(lstm_ref, name), folder, version))


def recall(folder, environment: dict, func, *args, **kwargs):
    """The result a build's kernel, run with ``environment``, kept in ``folder`` for
    ``func(*args, **kwargs)`` (``func`` one of ``lstm_ref``'s own, unwrapped), or None
    when there is none (no build yet, another ``lstm_ref``, other arguments).

    For tests that check the very runs a page trains: they read what the build computed."""
    import lstm_ref

    version = _version(Path(lstm_ref.__file__).parent, environment)
    path = _entry(func, Path(folder), version, args, kwargs)
    if path is None or not path.is_file():
        return None
    with path.open("rb") as fh:
        return pickle.load(fh)


def _version(package: Path, environment: dict | None = None) -> str:
    """A digest of every file of the package, and of what else decides its numbers
    (``environment``: the variables the kernels run with, by default this process's)."""
    import numpy

    environment = os.environ if environment is None else environment
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr((sys.version, numpy.__version__,
                        [environment.get(var) for var in _ENVIRONMENT])).encode())
    return digest.hexdigest()


def _plain(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _canonical(value):
    """``value`` with its dicts as sorted item tuples, for a key that ignores argument order."""
    if isinstance(value, dict):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, (tuple, list)):
        return type(value).__name__, tuple(_canonical(v) for v in value)
    return value


def _entry(func, folder: Path, version: str, args: tuple, kwargs: dict) -> Path | None:
    """Where the result of ``func(*args, **kwargs)`` is kept, or None if it is not shared."""
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    if not _plain(bound.arguments):
        return None
    key = repr((func.__module__, func.__qualname__, _canonical(bound.arguments), version))
    return folder / f"{func.__name__}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def _shared(func, folder: Path, version: str):
    """``func``, its results kept in ``folder`` under keys that include ``version``."""
    folder.mkdir(parents=True, exist_ok=True)

    @functools.wraps(func)
    def call(*args, **kwargs):
        path = _entry(func, folder, version, args, kwargs)
        if path is None:
            return func(*args, **kwargs)
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
            if path.is_file():
                with path.open("rb") as fh:
                    return pickle.load(fh)
            result = func(*args, **kwargs)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            with partial.open("wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(partial, path)   # whole or absent, even if the kernel dies mid-write
            return result

    return call


# --------------------------------------------------------------------------- Sphinx

def _reorder(app, env, docnames: list) -> None:
    """``gbg_read_first`` pages first, ``gbg_read_last`` pages last, the others in Sphinx's order
    (names that are not being read are ignored)."""
    first = [d for d in app.config.gbg_read_first if d in docnames]
    last = [d for d in app.config.gbg_read_last if d in docnames and d not in first]
    middle = [d for d in docnames if d not in first and d not in last]
    docnames[:] = first + middle + last   # in place: Sphinx reads the list it passed


def setup(app):
    app.add_config_value("gbg_read_first", [], "", [list])   # the order changes no page
    app.add_config_value("gbg_read_last", [], "", [list])
    app.connect("env-before-read-docs", _reorder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
