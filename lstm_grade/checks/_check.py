"""``check(name, fn)``: run an answer on many cases and judge it."""
from __future__ import annotations

from . import _integrity
from ._cases import hidden_cases, visible_cases
from ._compare import first_difference
from ._errors import CheckFailed, ErrorText, explain_error
from ._misconceptions import match_variant, tag
from ._refs import REF
from ._run import run_answer
from ._specs import SPECS
from ._text import say, tr

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
        raise CheckFailed("✘ " + say("{name}: expected your function, got {type} "
                                     "(pass the function itself, without calling it)",
                                     name=name, type=type(fn).__name__))
    if integrity:
        _integrity_gate(spec, fn, forward)
    cases = hidden_cases(name) if hidden else visible_cases(name)
    cases = [c for c in cases if _applies(spec, c)]
    if spec.special is not None:
        result = spec.special(fn, cases, hidden, integrity)
        if isinstance(result, str):
            raise CheckFailed(f"✘ {name}: {result}") from None  # result: a text of the spec's, translated there
        cases = range(result)
    else:
        for k, case in enumerate(cases, 1):
            problem = _run_case(spec, fn, forward, case, integrity)
            if problem:
                where = (say("hidden case {k} of {n}", k=k, n=len(cases)) if hidden
                         else say("case {k} of {n}", k=k, n=len(cases)))
                raise CheckFailed(f"✘ {name}: {problem}\n  " + say("run: {case} ({where})",
                                                                   case=case.describe(), where=where),
                                  getattr(problem, "exception", None)) from None
    n = len(cases)
    if hidden:
        what = (say("{n} hidden cases passed, integrity ok", n=n) if integrity
                else say("{n} hidden cases passed", n=n))
    else:
        what = say("{n} cases passed, integrity ok", n=n) if integrity else say("{n} cases passed", n=n)
    _print(f"✔ {name}: {what}")
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
                f"✘ {spec.name}: " + say("integrity: your answer refers to the reference code {used}; "
                                         "write the computation yourself (grading hides it).", used=used)
                + " [integrity: calls-reference]") from None


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
        return ErrorText.of(explain_error(outcome.error), outcome.exception)
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


def _changed_inputs(spec, inputs, given) -> str | None:
    for k, before in inputs.items():
        if k in spec.mutates:
            continue
        after = given[k]
        if hasattr(before, "shape") and (getattr(after, "shape", None) != before.shape
                                         or not (after == before).all()):
            mid = "input-not-restored" if spec.name == "grad_check" and k == "x" else "input-modified"
            return say("your function changed its input {k} in place; work on new arrays "
                       "(for example c = f * prev_c + ..., not prev_c *= f).", k=k) + f" {tag(mid)}"
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
        return f"{tr(variant.says)} {tag(variant.id)}"
    if case.scale == "extreme" and (diff.kind == "nonfinite" or outcome.warnings):
        return say("{difference}; with inputs of size about 1000 the computation overflowed. "
                   "Use a stable sigmoid.", difference=diff.text) + f" {tag('unstable-sigmoid')}"
    head = say("{part} differs from the reference.", part=diff.part) if len(spec.parts) > 1 \
        else say("wrong values.")
    hint = "\n  " + say("hint: {hint}", hint=tr(spec.hint)) if spec.hint else ""
    return f"{head}\n  {diff.text}{hint}"


def _explain_warnings(messages) -> str:
    first = messages[0]
    text = say("the values are right but NumPy warned: \"{warning}\". A warning is printed on "
               "stderr, which zeroes the cell in grading.", warning=first)
    if "overflow" in first:
        text += " " + say("Use a stable sigmoid (never exp of a large positive number).") \
            + f" {tag('unstable-sigmoid')}"
    return text
