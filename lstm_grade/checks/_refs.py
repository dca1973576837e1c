"""The reference functions, captured from ``lstm_ref`` when the checks are imported.

The checks call them from here, never through ``lstm_ref``'s namespace. A
function the reference package does not have (``gradient_norms``,
``sample_next``) falls back to the checks' own copy (``ref``).

``hidden_for(graded)`` names the ``lstm_ref`` functions a grading kernel
must not have while ``graded`` are graded: the graded functions themselves
and those that compute the same numbers (``SAME_NUMBERS``: the one-step and
the sequence form of a layer, the generic gate and the named gates), less
the activations an answer may use.
"""
from __future__ import annotations

import types

import lstm_ref

__all__ = ["REF", "ref", "SAME_NUMBERS", "hidden_for"]

REF: dict[str, types.FunctionType] = {
    name: obj for name in getattr(lstm_ref, "__all__", dir(lstm_ref))
    if not name.startswith("_") and isinstance(obj := getattr(lstm_ref, name, None), types.FunctionType)
}

_GATES = ("gate", "forget_gate", "input_gate", "output_gate", "candidate", "lstm_cell_per_gate")

#: graded name -> other lstm_ref functions whose results give the answer away.
SAME_NUMBERS: dict[str, tuple] = {
    "rnn_step_forward": ("rnn_forward",),
    "rnn_forward": ("rnn_step_forward",),
    "rnn_step_backward": ("rnn_backward",),
    "rnn_backward": ("rnn_step_backward",),
    "gradient_norms": ("rnn_backward", "rnn_step_backward"),
    **{g: _GATES for g in _GATES[:5]},
    "update_cell": ("lstm_cell_per_gate",),
    "hidden_state": ("lstm_cell_per_gate",),
    "lstm_step_forward": ("lstm_forward", "lstm_cell_per_gate"),
    "lstm_forward": ("lstm_step_forward",),
    "lstm_step_backward": ("lstm_backward",),
    "lstm_backward": ("lstm_step_backward",),
    "peephole_step_forward": ("peephole_forward",),
    "coupled_step_forward": ("coupled_forward",),
    "gru_step_forward": ("gru_forward",),
}


def ref(name: str, own):
    """The captured ``lstm_ref`` function ``name``, or ``own`` if the package lacks it."""
    return REF.get(name, own)


def hidden_for(graded, keep=()) -> set[str]:
    """``lstm_ref`` functions to hide while ``graded`` are graded.

    ``keep``: names the assignment's own (locked) setup cells use; they stay.
    The activations stay unless one of them is graded (chapter 3's sigmoid).
    """
    from ._specs._types import ACTIVATIONS
    names = set()
    for g in graded:
        names.add(g)
        names.update(SAME_NUMBERS.get(g, ()))
    return {n for n in names if n not in keep and (n in graded or n not in ACTIVATIONS)}
