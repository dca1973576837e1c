"""The long runs both editions' kernels share (book/_ext/gbg_shared_runs.py): no build needed.

A result is computed once and read back by the same call; a changed lstm_ref, other
arguments or a callback never read an old entry; two kernels asking at once compute it
once; scripts/build_book.py installs it for its own kernels only; the Korean edition
reads its long chapters in its own order (build_book.KOREAN_ORDER).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "book" / "_ext"))
sys.path.insert(0, str(REPO / "scripts"))

import build_book  # noqa: E402
import gbg_shared_runs  # noqa: E402


def _counted(seconds: float = 0.0):
    calls = []

    def experiment(cell: str, seed: int = 0, steps: int = 3, callbacks=()):
        calls.append((cell, seed, steps))
        time.sleep(seconds)
        return {"cell": cell, "score": seed / 10 + steps, "history": [seed] * steps}

    return experiment, calls


def test_a_result_is_computed_once_and_read_back(tmp_path):
    experiment, calls = _counted()
    shared = gbg_shared_runs._shared(experiment, tmp_path, "v1")
    first = shared("lstm", seed=1)
    assert shared("lstm", 1) == first and shared("lstm", 1, steps=3) == first
    assert calls == [("lstm", 1, 3)], "the same call, written three ways, is one entry"
    assert shared("rnn", seed=1) != first and shared("lstm", seed=2)["score"] == 3.2
    assert len(calls) == 3
    shared("lstm", seed=1, callbacks=[print])   # a callback must run: never shared
    shared("lstm", seed=1, callbacks=[print])
    assert len(calls) == 5
    assert shared.__wrapped__ is experiment and shared.__name__ == "experiment"


def test_another_version_of_lstm_ref_never_reads_an_old_entry(tmp_path):
    package = tmp_path / "lstm_ref"
    shutil.copytree(REPO / "lstm_ref", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = gbg_shared_runs._version(package)
    assert gbg_shared_runs._version(package) == before
    source = package / "ablations.py"
    source.write_text(source.read_text() + "\n# changed\n")
    changed = gbg_shared_runs._version(package)
    assert changed != before
    experiment, calls = _counted()
    runs = tmp_path / "runs"
    gbg_shared_runs._shared(experiment, runs, before)("lstm")
    gbg_shared_runs._shared(experiment, runs, changed)("lstm")
    assert len(calls) == 2, "a result of the old lstm_ref was read by the new one"


def test_two_kernels_asking_at_once_compute_an_entry_once(tmp_path):
    experiment, calls = _counted(seconds=0.3)
    results = []
    # Each thread opens the lock file itself, as two kernels do: flock locks
    # belong to the open file, so the second one waits for the first.
    threads = [threading.Thread(target=lambda: results.append(
        gbg_shared_runs._shared(experiment, tmp_path, "v1")("lstm", seed=4))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [("lstm", 4, 3)] and results[0] == results[1]
    assert not list(tmp_path.glob("*.partial"))


def test_a_test_recalls_what_the_build_kept_under_the_build_environment(tmp_path):
    import lstm_ref

    experiment, calls = _counted()
    build = build_book.kernel_environment("en", {"OPENBLAS_NUM_THREADS": "1"})
    recall = gbg_shared_runs.recall
    assert recall(tmp_path, build, experiment, "lstm", seed=2) is None, "nothing kept yet"
    version = gbg_shared_runs._version(Path(lstm_ref.__file__).parent, build)
    kept = gbg_shared_runs._shared(experiment, tmp_path, version)("lstm", seed=2)
    assert recall(tmp_path, build, experiment, "lstm", 2) == kept
    assert recall(tmp_path, dict(build, OPENBLAS_NUM_THREADS="2"), experiment, "lstm", seed=2) is None
    assert recall(tmp_path, build, experiment, "lstm", seed=3) is None
    assert recall(tmp_path, build, experiment, "lstm", seed=2, callbacks=[print]) is None
    assert calls == [("lstm", 2, 3)], "recall never computes"


def test_the_kernels_run_with_one_blas_thread_unless_told_otherwise():
    env = build_book.kernel_environment("ko", {"PATH": "/bin", "OMP_NUM_THREADS": "2"})
    assert env["GBG_LANG"] == "ko" and env["PATH"] == "/bin"
    assert env["IPYTHONDIR"] == str(build_book.KERNEL_IPYTHONDIR)
    assert env["OPENBLAS_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"
    assert env["OMP_NUM_THREADS"] == "2"


def test_the_build_installs_it_for_its_own_kernels_only(tmp_path):
    startup = build_book.kernel_startup(tmp_path / "ipython", tmp_path / "runs")
    assert startup.parent == tmp_path / "ipython" / "profile_default" / "startup"
    check = ("import lstm_ref\n"
             "print(all(hasattr(getattr(lstm_ref, n), '__wrapped__') for n in SHARED))\n")
    shared = "SHARED = " + repr(gbg_shared_runs.SHARED) + "\n"
    kernel = subprocess.run([sys.executable, "-c", startup.read_text() + shared + check],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    plain = subprocess.run([sys.executable, "-c", shared + check],
                           capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert kernel.stdout.split() == ["True"], kernel.stderr
    assert plain.stdout.split() == ["False"], plain.stderr
    assert (tmp_path / "runs").is_dir()
    # Under the English cache, which `make build` removes when the packages change.
    assert build_book.SHARED_RUNS.parent == build_book.CACHE["en"]
    assert build_book.KERNEL_IPYTHONDIR.is_relative_to(build_book.BUILD)


def test_the_korean_edition_reads_its_long_chapters_in_its_own_order():
    class App:
        class config:
            gbg_read_first = ["book/ch11_training", "book/ch13_attention", "book/not_being_read"]
            gbg_read_last = ["book/ch12_practice"]

    docnames = ["book/ch01_rnn", "book/ch02_vanishing", "book/ch11_training", "book/ch12_practice",
                "book/ch13_attention"]
    gbg_shared_runs._reorder(App, None, docnames)
    assert docnames == ["book/ch11_training", "book/ch13_attention", "book/ch01_rnn",
                        "book/ch02_vanishing", "book/ch12_practice"]
    # The English edition sets nothing: Sphinx's own order.
    App.config.gbg_read_first, App.config.gbg_read_last = [], []
    gbg_shared_runs._reorder(App, None, docnames)
    assert docnames == ["book/ch11_training", "book/ch13_attention", "book/ch01_rnn",
                        "book/ch02_vanishing", "book/ch12_practice"]
    # The pages it moves are the book's own.
    from book_toc import toc_files
    pages = set(toc_files(build_book.REPO / "_toc.yml"))
    assert set(build_book.KOREAN_ORDER["gbg_read_first"] + build_book.KOREAN_ORDER["gbg_read_last"]) <= pages
