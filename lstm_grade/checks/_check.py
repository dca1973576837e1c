"""``check(name, fn)``: run an answer on many cases and judge it."""
from __future__ import annotations

from . import _integrity
from ._cases import hidden_cases, visible_cases
from ._compare import first_difference
from ._errors import CheckFailed
from ._misconceptions import match_variant, tag
from ._refs import REF
from ._run import run_answer
from ._specs import SPECS

__all__ = ["check", "judge_case"]

_print = print


def check(name: str, fn, hidden: bool = False, forward=None) -> None:
    """Check the student's ``fn`` against the reference for the graded function ``name``.

    Runs ``fn`` on random shapes and seeds (6 visible cases; with
    ``hidden=True`` about 14 more demanding ones: batch 1, one time step,
    H = D, H = 1, float32, extreme inputs, plus the integrity checks).
    On success prints ``✔ name: K cases passed`` on stdout and returns
    ``None`` (a number as a test cell's last value would be read by nbgrader
    as partial credit);
    otherwise raises ``CheckFailed`` naming the misconception
    (``[misconception: id]``), the integrity breach (``[integrity: id]``) or
    the first differing element with expected and actual values.
    ``forward``: for backward passes, the student's forward function, whose
    cache is then passed to ``fn`` (by default the reference forward's cache).
    Nothing is written to stderr.
    """
    run_check(name, fn, hidden, forward, integrity=hidden)


def run_check(name, fn, hidden=False, forward=None, integrity=True) -> int:
    """``check`` with the look for reference use switchable (``integrity=False`` lets
    the test suite run the hidden cases on the reference itself)."""
    spec = SPECS.get(name)
    if spec is None:
        raise ValueError(f"check: unknown function {name!r}; graded functions: {', '.join(SPECS)}")
    if not callable(fn):
        raise CheckFailed(f"✘ {name}: expected your function, got {type(fn).__name__} "
                          f"(pass the function itself, without calling it)")
    if integrity:
        _integrity_gate(spec, fn, forward)
    cases = hidden_cases(name) if hidden else visible_cases(name)
    cases = [c for c in cases if _applies(spec, c)]
    if spec.special is not None:
        result = spec.special(fn, cases, hidden, integrity)
        if isinstance(result, str):
            raise CheckFailed(f"✘ {name}: {result}") from None
        cases = range(result)
    else:
        for k, case in enumerate(cases, 1):
            problem = _run_case(spec, fn, forward, case, integrity)
            if problem:
                where = f"case {k} of {len(cases)}{' (hidden)' if hidden else ''}"
                raise CheckFailed(f"✘ {name}: {problem}\n  run: {case.describe()} ({where})") from None
    what = "hidden cases passed" if hidden else "cases passed"
    what += ", integrity ok" if integrity else ""
    _print(f"✔ {name}: {len(cases)} {what}")
    return len(cases)


def _applies(spec, case) -> bool:
    return not case.kinds or bool(case.kinds & spec.hidden_kinds)


def _allowed_functions(spec):
    return [REF[n] for n in spec.allowed if n in REF]


def _integrity_gate(spec, fn, forward) -> None:
    for f in (fn, forward):
        if f is None:
            continue
        used = _integrity.reference_use(f, _allowed_functions(spec))
        if used:
            raise CheckFailed(
                f"✘ {spec.name}: integrity: your answer refers to the reference code {used}; "
                f"write the computation yourself (grading hides it). [integrity: calls-reference]") from None


def _run_case(spec, fn, forward, case, integrity) -> str | None:
    inputs = spec.make(case)
    given = inputs.copied()
    return judge_case(spec, inputs, given, run_answer(spec.call, fn, given, forward), case)


def judge_case(spec, inputs, given, outcome, case) -> str | None:
    """The problem with one case's ``outcome`` (``_run.Outcome``), or ``None``.

    ``inputs`` are the case's inputs as made, ``given`` the copies the answer
    received (changed in place by it, if it did). The expected values are
    computed here, after the answer has run (in this process or in the
    grading kernel, whose plain values ``_replay`` hands in).
    """
    expected = spec.reference(inputs.copied())
    if outcome.error:
        return _explain_error(outcome.error)
    try:
        parts = spec.take(outcome.value, given)
    except ValueError as exc:
        mid = "missing-return" if outcome.value is None else "wrong-shape"
        return f"{exc} {tag(mid)}"
    changed = _changed_inputs(spec, inputs, given)
    if changed:
        return changed
    for part, e, a in zip(spec.parts, expected, parts):
        diff = first_difference(part, e, a, case.dtype, loose=case.scale == "extreme")
        if diff is None:
            continue
        return _explain_difference(spec, case, inputs, parts, diff, outcome)
    if outcome.warnings:
        return _explain_warnings(outcome.warnings)
    return None


def _explain_error(error: str) -> str:
    if error.startswith("NotImplementedError"):
        return "not written yet: replace `raise NotImplementedError()` with your code."
    text = f"your function raised {error}"
    if "matmul" in error or "shapes" in error and "not aligned" in error:
        text += ("\n  hint: check each product's shapes: [h, x] is (N, H + D) and W is "
                 "(H, H + D), so the product is [h, x] @ W.T; x (N, D) @ Wx (D, ·).")
    return text


def _changed_inputs(spec, inputs, given) -> str | None:
    for k, before in inputs.items():
        if k in spec.mutates:
            continue
        after = given[k]
        if hasattr(before, "shape") and (getattr(after, "shape", None) != before.shape
                                         or not (after == before).all()):
            mid = "input-not-restored" if spec.name == "grad_check" and k == "x" else "input-modified"
            return (f"your function changed its input {k} in place; work on new arrays "
                    f"(for example c = f * prev_c + ..., not prev_c *= f). {tag(mid)}")
    return None


def _explain_difference(spec, case, inputs, parts, diff, outcome) -> str:
    if diff.kind == "type":
        return f"{diff.text} {tag('missing-return')}" if "None" in diff.text else diff.text
    if diff.kind == "shape":
        return f"{diff.text} {tag('wrong-shape')}"
    if diff.kind == "dtype":
        return f"{diff.text} {tag('dtype-changed')}"
    variant = match_variant(parts, spec.variants, inputs, case.dtype)
    if variant is not None:
        return f"{variant.says} {tag(variant.id)}"
    if case.scale == "extreme" and (diff.kind == "nonfinite" or outcome.warnings):
        return (f"{diff.text}; with inputs of size about 1000 the computation overflowed. "
                f"Use a stable sigmoid. {tag('unstable-sigmoid')}")
    head = f"{diff.part} differs from the reference." if len(spec.parts) > 1 else "wrong values."
    hint = f"\n  hint: {spec.hint}" if spec.hint else ""
    return f"{head}\n  {diff.text}{hint}"


def _explain_warnings(messages) -> str:
    first = messages[0]
    text = (f"the values are right but NumPy warned: \"{first}\". A warning is printed on "
            f"stderr, which zeroes the cell in grading.")
    if "overflow" in first:
        text += f" Use a stable sigmoid (never exp of a large positive number). {tag('unstable-sigmoid')}"
    return text
