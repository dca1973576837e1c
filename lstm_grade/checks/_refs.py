"""The reference functions, captured from ``lstm_ref`` when the checks are imported.

The notebook's first (locked) cell imports the checks before any student
code runs, so these are the genuine objects; the checks call them from here,
never through ``lstm_ref``'s namespace, which a notebook could overwrite.
A function the reference package does not have (``gradient_norms``,
``sample_next``) or has not got yet falls back to the checks' own copy.
"""
from __future__ import annotations

import types

import lstm_ref

__all__ = ["REF", "ref"]

REF: dict[str, types.FunctionType] = {
    name: obj for name in getattr(lstm_ref, "__all__", dir(lstm_ref))
    if isinstance(obj := getattr(lstm_ref, name, None), types.FunctionType)
}
if not REF:  # lstm_ref's __init__ star-imports; its own __all__ may be absent
    REF = {name: obj for name, obj in vars(lstm_ref).items()
           if isinstance(obj, types.FunctionType) and not name.startswith("_")}


def ref(name: str, own):
    """The captured ``lstm_ref`` function ``name``, or ``own`` if the package lacks it."""
    return REF.get(name, own)
