"""The grading kernel's last cell: call the student's functions, hand back plain values.

Runs inside the sandboxed kernel after every cell of the student's notebook
has run (``execute.GradingExecute`` appends it; it is never saved in the
notebook). It is untrusted like everything else in that process, and it
decides nothing: it calls the graded functions on the grading cases the
trusted side sent and prints, for each call, one line

    <nonce> <key> <json>

where ``<json>`` (``wire`` format) holds the arguments after the call (for
in-place changes), the return value, the exception (``"Type: message"``
and the line of the student's code that raised) and NumPy's
floating-point warnings. The student's own prints while their functions run
are dropped, so they cannot crowd out the answers. Lines are printed as they
are computed: if one call runs past the cell's time limit (nbgrader
interrupts the kernel), that call's answer is the interrupt, the cell ends
there, and the answers already printed still count.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
import warnings

from . import wire


def _short_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()[:1000]
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.startswith("<") or "ipykernel_" in f.filename]
    if frames:
        f = frames[-1]
        text += f"\n  raised at line {f.lineno} of {f.name}" + (f": {f.line.strip()}" if f.line else "")
    return text


def _resolve(namespace: dict, dotted: str):
    head, *rest = dotted.split(".")
    if head not in namespace:
        raise NameError(f"{head!r} is not defined after the notebook ran")
    obj = namespace[head]
    for name in rest:
        obj = getattr(obj, name)
    return obj


def _call(namespace: dict, item: dict) -> dict:
    arrays: list = []
    args = wire.decode(item.get("args", []), arrays, live=True)
    repeat = int(item.get("repeat", 0))
    sink = io.StringIO()
    value, error = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                if "read" in item:
                    value = [namespace.get(name) for name in item["read"]]
                else:
                    fn = _resolve(namespace, item["fn"])
                    if not callable(fn):
                        raise TypeError(f"{item['fn']} is a {type(fn).__name__}, not a function")
                    value = [fn(*args) for _ in range(repeat)] if repeat else fn(*args)
        except BaseException as exc:  # noqa: BLE001 - SystemExit and interrupts are answers too
            error = _short_error(exc)
            value = None
    numeric = [str(w.message)[:300] for w in caught if issubclass(w.category, RuntimeWarning)][:5]
    memo: dict = {}
    return {"args": wire.encode(args, memo), "value": wire.encode(value, memo),
            "error": error, "warnings": numeric}


def export(plan_json: str, nonce: str, namespace: dict) -> None:
    """Answer every call of ``plan_json`` (a list of ``{"key", "fn", "args", "repeat"}``
    or ``{"key", "read": [variable names]}``) on this process's stdout."""
    out = sys.__stdout__ if sys.__stdout__ is not None else sys.stdout
    write = getattr(sys.stdout, "write", out.write)
    for item in json.loads(plan_json):
        answer = _call(namespace, item)
        write(f"{nonce} {item['key']} {json.dumps(answer, separators=(',', ':'))}\n")
        flush = getattr(sys.stdout, "flush", None)
        if flush:
            flush()
        if (answer["error"] or "").startswith("KeyboardInterrupt"):
            return  # the cell's time is up: end it, as the student's own cell would have ended
