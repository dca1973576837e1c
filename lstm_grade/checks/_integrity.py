"""Integrity: points only for work done.

Three guards, used by hidden checks:

1. ``snapshot()`` (taken when the checks are imported, before any student
   code runs) records the functions grading relies on: builtins, NumPy's
   namespaces and the modules their functions live in (``np.allclose``,
   ``np.testing.assert_allclose`` ...), every ``lstm_ref`` module and the
   checks' own modules, with each function's code, defaults and keyword
   defaults. ``verify()`` finds anything replaced since.
2. ``tripwire(allowed)`` swaps the code of every reference function (``lstm_ref``
   and the checks' own copies) for one that records the call, for the
   duration of the student's call, so aliases such as
   ``from lstm_ref import forget_gate as fg`` are caught as well.
3. ``reference_use(fn, allowed)`` reads the answer's code, globals, closures
   and defaults, recursively through the notebook's own functions, for
   references to reference code.

All of this runs in the student's process, so it raises the bar rather than
closing every door: see docs/GRADING.md for what a public repository cannot hide.
"""
from __future__ import annotations

import builtins
import contextlib
import os
import sys
import types

import numpy as np

import lstm_ref

__all__ = ["snapshot", "verify", "tripwire", "reference_use", "protected_functions"]

_CALLS: list[str] = []            # filled by the tripwire code; read by tripwire()
_SNAPSHOT: dict = {}
_MISSING = object()
_FunctionType = types.FunctionType
_ModuleType = types.ModuleType

_CHECKS_DIR = os.path.dirname(os.path.abspath(__file__))
_REF_DIR = os.path.dirname(os.path.abspath(lstm_ref.__file__))
# The checks' own reference copies: an answer may not borrow these either.
_OWN_COPIES = ("lstm_grade.checks._numeric", "lstm_grade.checks._specs")
_PLUMBING = ("lstm_grade.checks._specs._common", "lstm_grade.checks._specs._types")


def _is_protected_file(filename: str) -> bool:
    path = os.path.abspath(filename)
    return (path.startswith(_CHECKS_DIR + os.sep)
            or path.startswith(_REF_DIR + os.sep))


# The builtins the checks call. Only these are watched: a kernel replaces
# others on its own (ipykernel swaps ``input`` and ``getpass`` before every
# cell, IPython adds ``exit``, ``quit``, ``get_ipython`` and ``display``).
_WATCHED_BUILTINS = frozenset({
    "abs", "all", "any", "bool", "callable", "dict", "enumerate", "float", "format",
    "getattr", "hasattr", "id", "int", "isinstance", "issubclass", "iter", "len",
    "list", "map", "max", "min", "next", "object", "print", "range", "repr",
    "round", "set", "setattr", "sorted", "str", "sum", "tuple", "type", "vars",
    "zip", "__import__", "__build_class__",
})


def _record(obj):
    if isinstance(obj, _FunctionType):
        return (obj, obj.__code__, obj.__defaults__, obj.__kwdefaults__)
    return (obj, None, None, None)


def _watched_modules() -> dict[str, dict]:
    """Module name -> namespace dict of every module whose callables grading relies on."""
    spaces: dict[str, dict] = {"builtins": vars(builtins)}
    roots = [np, np.testing, np.linalg, np.random]
    for mod in roots:
        spaces[mod.__name__] = vars(mod)
        # The modules that NumPy's Python-level functions really live in
        # (np.allclose calls numeric.isclose through its module globals).
        for obj in list(vars(mod).values()):
            if isinstance(obj, _FunctionType):
                g = obj.__globals__
                spaces.setdefault(g.get("__name__", "?"), g)
    for name, mod in list(sys.modules.items()):
        if isinstance(mod, _ModuleType) and (name == "lstm_ref" or name.startswith("lstm_ref.")
                                            or name.startswith("lstm_grade.checks")):
            spaces[name] = vars(mod)
    return spaces


def snapshot() -> None:
    """Record the genuine state (call once, when the checks are imported)."""
    modules = {}
    for name, space in _watched_modules().items():
        entries = {}
        for attr, obj in list(space.items()):
            if name == "builtins" and attr not in _WATCHED_BUILTINS:
                continue
            if callable(obj) or isinstance(obj, _ModuleType):
                entries[attr] = _record(obj)
                if isinstance(obj, type) and obj.__module__.startswith(("lstm_ref", "lstm_grade")):
                    for m_name, m in vars(obj).items():
                        if isinstance(m, _FunctionType):
                            entries[f"{attr}.{m_name}"] = _record(m)
        modules[name] = (space, entries, sys.modules.get(name))
    _SNAPSHOT.clear()
    _SNAPSHOT.update(modules)


def verify() -> str | None:
    """The first replaced function as ``module.name`` (``None`` when all are genuine).

    A replaced module in ``sys.modules``, a replaced attribute, or a function
    whose ``__code__``, ``__defaults__`` or ``__kwdefaults__`` changed all count.
    """
    if not _SNAPSHOT:
        return "lstm_grade.checks (no snapshot was taken)"
    for name, (space, entries, module) in _SNAPSHOT.items():
        if module is not None and sys.modules.get(name) is not module:
            return name
        if name.startswith("lstm_grade.checks") and module is not None:
            if not _is_protected_file(getattr(module, "__file__", "") or ""):
                return name + ".__file__"
        for attr, (obj, code, defaults, kwdefaults) in entries.items():
            if "." in attr:
                cls_name, m_name = attr.split(".", 1)
                current = vars(space.get(cls_name, object)).get(m_name, _MISSING)
            else:
                current = space.get(attr, _MISSING)
            if current is not obj:
                return f"{name}.{attr}"
            if code is not None and (obj.__code__ is not code or obj.__defaults__ is not defaults
                                     or obj.__kwdefaults__ != kwdefaults):
                return f"{name}.{attr}"
    return None


def _tripped(*args, **kwargs):  # pragma: no cover - its code runs under other names
    __import__("lstm_grade.checks._integrity", fromlist=["_CALLS"])._CALLS.append(
        __import__("sys")._getframe(0).f_code.co_qualname)
    raise RuntimeError("the reference implementation may not be called by an answer")


def _is_reference_module(name: str) -> bool:
    """lstm_ref's modules and the checks' own reference copies (not their plumbing)."""
    return ((name == "lstm_ref" or name.startswith("lstm_ref.") or name.startswith(_OWN_COPIES))
            and name not in _PLUMBING)


def protected_functions() -> list[types.FunctionType]:
    """Every function of ``lstm_ref`` and of the checks' own reference copies."""
    found, seen = [], set()
    for name, mod in list(sys.modules.items()):
        if not isinstance(mod, _ModuleType):
            continue
        if not _is_reference_module(name):
            continue
        for obj in list(vars(mod).values()):
            members = [obj]
            if isinstance(obj, type) and obj.__module__.startswith(("lstm_ref", "lstm_grade")):
                members = list(vars(obj).values())
            for f in members:
                if (isinstance(f, _FunctionType) and id(f) not in seen
                        and _is_reference_module(getattr(f, "__module__", None) or "")
                        and _is_protected_file(f.__code__.co_filename)):
                    seen.add(id(f))
                    found.append(f)
    return found


def _referenced_functions(f) -> list:
    """Functions that ``f``'s code names in its module globals (for the allowed closure)."""
    out = []
    for n in _names(f.__code__):
        obj = f.__globals__.get(n)
        if isinstance(obj, _FunctionType):
            out.append(obj)
    return out


def allowed_closure(allowed_fns) -> set[int]:
    """ids of the allowed functions and of every protected helper they call."""
    ids, todo = set(), list(allowed_fns)
    while todo:
        f = todo.pop()
        if id(f) in ids or not isinstance(f, _FunctionType):
            continue
        ids.add(id(f))
        todo += [g for g in _referenced_functions(f) if _is_protected_file(g.__code__.co_filename)]
    return ids


@contextlib.contextmanager
def tripwire(allowed_fns, exclude=()):
    """While active, calling any protected function not in ``allowed_fns`` is recorded.

    ``exclude``: the checks' own plumbing that runs during the call (the
    spec's ``call``), left alone. Yields a list that holds, after the block,
    the qualified names called. The code objects are restored however the
    block ends.
    """
    keep = allowed_closure(allowed_fns) | {id(f) for f in exclude}
    swapped = []
    del _CALLS[:]
    called: list[str] = []
    try:
        for f in protected_functions():
            if id(f) in keep or f.__code__.co_freevars:
                continue
            trip = _tripped.__code__.replace(
                co_name=f.__name__, co_qualname=f"{f.__module__}.{f.__qualname__}")
            swapped.append((f, f.__code__))
            f.__code__ = trip
        yield called
    finally:
        for f, code in swapped:
            f.__code__ = code
        called.extend(_CALLS)
        del _CALLS[:]


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
