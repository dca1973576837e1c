"""Does an answer call the reference? A static look at its code, for the student's feedback.

``reference_use(fn, allowed)`` reads the answer's code, globals, closures and
defaults, recursively through the notebook's own functions, for references
to ``lstm_ref`` or to the checks' own copies, and names the first one found.
A hidden check run in the student's own notebook uses it to say "write the
computation yourself" early.

This is not what protects the grades. The in-process trip-wires that used
to stand here (a snapshot of NumPy and the checks verified before each
hidden check, reference functions' code swapped for a trap during the
call) were an arms race the student's code, running in the same process,
kept winning, and they are gone: grading now runs the notebook in a kernel
where the reference of each graded function is not there at all and judges
plain values outside it (docs/GRADING.md, "Grading by values").
"""
from __future__ import annotations

import contextlib
import os
import sys
import types

import lstm_ref

__all__ = ["reference_use"]

_MISSING = object()
_FunctionType = types.FunctionType
_ModuleType = types.ModuleType

_CHECKS_DIR = os.path.dirname(os.path.abspath(__file__))
_REF_DIR = os.path.dirname(os.path.abspath(lstm_ref.__file__))


def _is_protected_file(filename: str) -> bool:
    path = os.path.abspath(filename)
    return (path.startswith(_CHECKS_DIR + os.sep)
            or path.startswith(_REF_DIR + os.sep))


def _names(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def reference_use(fn, allowed_fns) -> str | None:
    """The name of reference code the answer refers to, or ``None``.

    Follows the answer's global names (and attributes of modules it names),
    closures and defaults, through the notebook's own functions, bound
    methods and ``functools.partial`` objects.
    """
    allowed = {id(f) for f in allowed_fns}
    todo, seen = [fn], set()
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, types.MethodType):
            todo.append(obj.__func__)
            continue
        if hasattr(obj, "func") and callable(getattr(obj, "func")):  # functools.partial
            todo.append(obj.func)
            todo += list(getattr(obj, "args", ()))
            continue
        if not isinstance(obj, _FunctionType):
            continue
        if _is_protected_file(obj.__code__.co_filename):
            if id(obj) not in allowed:
                return f"{obj.__module__}.{obj.__qualname__}"
            continue
        if obj.__code__.co_filename.startswith((sys.prefix, sys.base_prefix)):
            continue  # library code (NumPy ...), not the notebook's
        names = _names(obj.__code__)
        for n in names:
            value = obj.__globals__.get(n, _MISSING)
            if value is _MISSING:
                continue
            hit = _module_reference(value, names, allowed)
            if hit:
                return hit
            todo.append(value)
        for cell in obj.__closure__ or ():
            with contextlib.suppress(ValueError):
                todo.append(cell.cell_contents)
        todo += list(obj.__defaults__ or ()) + list((obj.__kwdefaults__ or {}).values())
    return None


def _module_reference(value, names, allowed, depth=0) -> str | None:
    if not isinstance(value, _ModuleType) or depth > 3:
        return None
    name = value.__name__
    if not (name == "lstm_ref" or name.startswith(("lstm_ref.", "lstm_grade"))):
        return None
    for n in names:
        sub = getattr(value, n, None)
        if isinstance(sub, _ModuleType):
            hit = _module_reference(sub, names, allowed, depth + 1)
            if hit:
                return hit
        elif (isinstance(sub, _FunctionType) and id(sub) not in allowed
              and _is_protected_file(sub.__code__.co_filename)):
            return f"{sub.__module__}.{sub.__qualname__}"
    return None
