"""Tolerant comparison of a student's arrays with the expected ones.

Everything here uses NumPy objects captured when the module is imported
(C ufuncs and ndarray methods), never ``np.allclose`` or
``np.testing`` looked up at call time, so a notebook that replaces those
cannot make a wrong answer compare equal in a student's own check. (Grades
are judged in the trusted grader's process, where nothing is patched.)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._text import say

__all__ = ["Difference", "tolerances", "close", "first_difference", "to_array"]

_array = np.array
_ndarray = np.ndarray
_dtype = np.dtype
_abs = np.absolute
_sub = np.subtract
_add = np.add
_mul = np.multiply
_le = np.less_equal
_isfinite = np.isfinite
_logical_and = np.logical_and
_logical_not = np.logical_not
_unravel = np.unravel_index
_float64 = np.float64
_float32 = np.float32
_isinstance = isinstance
_len = len
_int = int
_float = float
_tuple = tuple
_str = str


class Difference(NamedTuple):
    """What differs in one output part: ``kind`` is shape, dtype, type, nonfinite or values."""
    part: str
    kind: str
    text: str


def tolerances(dtype, loose: bool = False) -> tuple[float, float]:
    """(rtol, atol) for an expected dtype: loose for float32, tight for float64.

    ``loose`` (extreme inputs, pre-activations near ±1000) widens atol 100-fold:
    rounding in a pre-activation that large is itself of order 1e-4 in float32.
    """
    rtol, atol = (2e-4, 2e-5) if _dtype(dtype) == _float32 else (1e-6, 1e-8)
    return rtol, atol * 100 if loose else atol


def to_array(value):
    """A plain ndarray copy of ``value`` (subclasses dropped), or None if it is not numeric."""
    if value is None:
        return None
    try:
        arr = _array(value, copy=True, subok=False)
    except Exception:  # noqa: BLE001 - anything unconvertible is reported, not raised
        return None
    if arr.dtype.kind not in "biuf":
        return None
    return arr


def close(expected, actual, dtype=None) -> bool:
    """True when ``actual`` has the expected shape and |a − e| ≤ atol + rtol·|e| everywhere.

    NaN matches nothing; ±inf must match exactly in position and sign.
    """
    e, a = to_array(expected), to_array(actual)
    if e is None or a is None or e.shape != a.shape:
        return False
    rtol, atol = tolerances(dtype if dtype is not None else e.dtype)
    return bool(_within(e, a, rtol, atol).all())


def _within(e, a, rtol, atol):
    e64, a64 = e.astype(_float64), a.astype(_float64)
    both_finite = _logical_and(_isfinite(e64), _isfinite(a64))
    diff = _abs(_sub(a64, e64, where=both_finite, out=_array(0.0 * e64)))
    ok = _le(diff, _add(atol, _mul(rtol, _abs(e64))))
    ok = _logical_and(ok, both_finite)
    # Infinities are compared by identity of value; NaN never compares equal.
    same_inf = _logical_and(_logical_not(_isfinite(e64)), e64 == a64)
    return ok | same_inf


def _fmt(v) -> str:
    return f"{_float(v):.6g}"


def first_difference(part: str, expected, actual, dtype, loose: bool = False) -> Difference | None:
    """None when ``actual`` matches ``expected``; else the first problem, described.

    ``expected`` is the reference's ndarray (or scalar), whose dtype an array
    answer must have; ``dtype`` (the inputs' floating dtype) sets the
    tolerance. Shapes are checked first, then dtype, then non-finite values,
    then values elementwise.
    """
    e = to_array(expected)
    if actual is None:
        return Difference(part, "type", say("{part} is None: did you forget `return`?", part=part))
    a = to_array(actual)
    if a is None:
        what = getattr(actual, "type_name", None) or type(actual).__name__  # wire.Opaque names it
        return Difference(part, "type", say("{part} should be a numeric array, got {what}", part=part, what=what))
    if e.shape != a.shape:
        return Difference(part, "shape", _shape_text(part, e.shape, a.shape))
    if (_isinstance(actual, _ndarray) and e.ndim > 0 and e.dtype.kind == "f"
            and a.dtype != e.dtype):
        return Difference(part, "dtype", say(
            "{part} has dtype {got} but should be {expected}: keep "
            "the inputs' dtype (allocate arrays with dtype=x.dtype)", part=part, got=a.dtype.name,
            expected=e.dtype.name))
    a64 = a.astype(_float64)
    bad = _logical_not(_isfinite(a64)) & _isfinite(e.astype(_float64))
    if bad.any():
        idx = _tuple(_int(i) for i in _unravel(_int(bad.argmax()), a.shape)) if a.ndim else ()
        return Difference(part, "nonfinite", say(
            "{element} is {got} where {expected} was expected: an overflow or a division by zero",
            element=f"{part}{_index(idx)}", got=a64[idx] if a.ndim else a64,
            expected=_fmt(e[idx] if e.ndim else e)))
    rtol, atol = tolerances(dtype if dtype is not None else e.dtype, loose)
    ok = _within(e, a, rtol, atol)
    if ok.all():
        return None
    wrong = _logical_not(ok)
    n_wrong, n = _int(wrong.sum()), _int(wrong.size)
    if a.ndim == 0:
        return Difference(part, "values",
                          say("{part}: expected {expected}, got {got}", part=part, expected=_fmt(e), got=_fmt(a)))
    idx = _tuple(_int(i) for i in _unravel(_int(wrong.argmax()), a.shape))
    err = _abs(_sub(a64, e.astype(_float64)))
    return Difference(part, "values", say(
        "first difference at {element}: expected {expected}, got {got} "
        "({wrong} of {n} elements differ; largest error {error}; shape {shape} as expected)",
        element=f"{part}{_index(idx)}", expected=_fmt(e[idx]), got=_fmt(a[idx]), wrong=n_wrong, n=n,
        error=_fmt(err[wrong].max()), shape=e.shape))


def _index(idx) -> str:
    return "[" + ", ".join(_str(i) for i in idx) + "]" if idx else ""


def _shape_text(part, expected, actual) -> str:
    text = say("{part} has shape {got}, expected {expected}", part=part, got=actual, expected=expected)
    if _len(expected) == _len(actual) == 2 and expected == actual[::-1]:
        text += say(": transposed (did you compute W · x column-wise instead of [h, x] @ Wᵀ?)")
    elif _len(actual) == _len(expected) - 1 and actual == expected[1:]:
        text += say(": the batch dimension N is missing")
    elif _len(actual) == _len(expected) + 1:
        text += say(": one dimension too many (a broadcast between (N,) and (N, 1)?)")
    return text
