"""The clean process of the re-check (see ``recheck``); it runs in the sandbox.

``python -m lstm_grade.pipeline.recheck_kernel`` reads one JSON job on stdin:
``nonce``, ``setup`` (the instructor's locked setup cells), ``answers`` (the
student's answer cells, in notebook order) and ``checks`` (``[name,
variable]`` pairs). It imports ``lstm_grade.checks`` and keeps private
references to what it needs *before* any student code runs, then executes the
setup and answer cells (never a test cell, never through IPython, so input
transformers, hooks and patched display code have nothing to act on) and
calls ``check(name, namespace[variable], hidden=True)`` for every pair.

It writes one line on its original stdout, ``<nonce> <json>``, mapping
``"name variable"`` to ``{"ok": bool, "message": str}`` and ``"errors"`` to
what the cells raised (the notebook's code cells, counted from 1 among the
cells run); everything printed
while student code runs goes to stderr (a log). The nonce only stops blind
forgery: student code runs in this process and could in principle find it.
"""
from __future__ import annotations

import builtins
import json
import os
import sys


def main() -> None:
    """Run the job on stdin; exit status 0 once the result line is written."""
    job = json.loads(sys.stdin.read())
    from lstm_grade.checks import check   # imported before any student code runs
    dumps, write, exit_now = json.dumps, os.write, os._exit
    results_fd = os.dup(1)
    os.dup2(2, 1)  # the student's prints never reach the result channel
    nonce = job.pop("nonce")
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    errors = []
    cells = [("setup", s) for s in job["setup"]] + [("answer", s) for s in job["answers"]]
    for k, (kind, source) in enumerate(cells):
        try:
            exec(compile(source, f"<{kind} cell {k}>", "exec"), namespace)
        except BaseException as err:  # noqa: BLE001  (nbgrader, too, runs on after an error)
            errors.append(f"{kind} cell {k + 1} raised {type(err).__name__}: {err}"[:300])
    results = {"errors": errors}
    for name, variable in job["checks"]:
        fn = namespace.get(variable)
        try:
            if not callable(fn):
                raise NameError(f"{variable!r} is not a function after the answer cells ran")
            check(name, fn, hidden=True)
            results[f"{name} {variable}"] = {"ok": True, "message": ""}
        except BaseException as err:  # noqa: BLE001  (SystemExit from a student counts as a failure)
            results[f"{name} {variable}"] = {"ok": False, "message": f"{type(err).__name__}: {err}"[:2000]}
    write(results_fd, (nonce + " " + dumps(results) + "\n").encode())
    exit_now(0)  # skip interpreter shutdown: atexit hooks are student code too


if __name__ == "__main__":
    main()
