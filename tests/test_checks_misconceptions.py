"""Every listed wrong variant is named with its id, and other failures read clearly."""
import numpy as np
import pytest

import lstm_ref
from lstm_grade.checks import CheckFailed, check
from lstm_grade.checks._check import run_check
from lstm_grade.checks._cases import visible_cases
from lstm_grade.checks._specs import SPECS


def _answer_from_variant(name, variant):
    """A student function that computes the variant on whatever it is given."""
    spec = SPECS[name]

    def answer(*args):
        cases = visible_cases(name, fresh=0)
        # Rebuild the named inputs from the positional arguments.
        keys = list(spec.make(cases[0]).keys())
        from lstm_grade.checks._specs._types import Inputs
        a = Inputs(zip(keys, args))
        if "cache" in keys and len(args) < len(keys):
            raise AssertionError("backward variants are tested through _variant_outputs")
        parts = variant.fn(a)
        return parts[0] if len(spec.parts) == 1 and spec.take.__qualname__.startswith("take_array") else parts
    return answer


SIMPLE = ["sigmoid", "gate", "forget_gate", "input_gate", "candidate", "update_cell",
          "output_gate", "hidden_state"]


@pytest.mark.parametrize("name", SIMPLE)
def test_single_output_variants_are_named(name, capfd):
    for v in SPECS[name].variants:
        with pytest.raises(CheckFailed) as info:
            check(name, _answer_from_variant(name, v))
        assert f"[misconception: {v.id}]" in str(info.value), (v.id, str(info.value))
    assert capfd.readouterr().err == ""


def _student_like(name, variant):
    """Wrap a variant in the function's real signature (returning cache placeholders)."""
    spec = SPECS[name]
    case = visible_cases(name, fresh=0)[0]
    keys = [k for k in spec.make(case).keys() if k != "cache"]
    from lstm_grade.checks._specs._types import Inputs

    def answer(*args):
        if "cache" in spec.make(case):
            raise NotImplementedError
        parts = variant.fn(Inputs(zip(keys, args)))
        if name in ("rnn_step_forward", "rnn_forward", "lstm_forward", "gru_step_forward"):
            return parts[0], None
        if name in ("lstm_step_forward", "peephole_step_forward", "coupled_step_forward"):
            return parts[0], parts[1], None
        return parts[0]
    return answer


FORWARDS = ["rnn_step_forward", "rnn_forward", "lstm_step_forward", "lstm_forward",
            "peephole_step_forward", "coupled_step_forward", "gru_step_forward"]


@pytest.mark.parametrize("name", FORWARDS)
def test_forward_variants_are_named(name):
    for v in SPECS[name].variants:
        with pytest.raises(CheckFailed) as info:
            check(name, _student_like(name, v))
        text = str(info.value)
        # A variant that needs square weights (H = D) may fail on shapes first.
        assert f"[misconception: {v.id}]" in text or "raised" in text, (v.id, text)


UPSTREAM = {"rnn_step_backward": ("dnext_h",), "lstm_step_backward": ("dnext_h", "dnext_c"),
            "rnn_backward": ("dh",), "lstm_backward": ("dh",), "gradient_norms": ("dh_last",)}
RAW = {"rnn_step_backward": ("x", "prev_h", "Wx", "Wh", "b"),
       "lstm_step_backward": ("x", "prev_h", "prev_c", "Wx", "Wh", "b"),
       "rnn_backward": ("x", "h0", "Wx", "Wh", "b"), "lstm_backward": ("x", "h0", "c0", "Wx", "Wh", "b"),
       "gradient_norms": ("x", "h0", "Wx", "Wh", "b")}


@pytest.mark.parametrize("name", sorted(UPSTREAM))
def test_backward_variants_are_named(name):
    """A student's forward keeps its raw inputs in its cache; the backward computes a variant."""
    from lstm_grade.checks._specs._types import Inputs

    def forward(*raw):
        return None, dict(zip(RAW[name], raw))
    for v in SPECS[name].variants:
        def answer(*args, _v=v):
            a = Inputs(args[-1])
            a.update(zip(UPSTREAM[name], args))
            parts = _v.fn(a)
            return parts[0] if name == "gradient_norms" else parts
        with pytest.raises(CheckFailed) as info:
            check(name, answer, forward=forward)
        assert f"[misconception: {v.id}]" in str(info.value), (v.id, str(info.value))


def test_grad_check_variants_are_named():
    from lstm_grade.checks._specs.lstm import own_grad_check
    for flags, mid in [({"scheme": "forward"}, "forward-difference"), ({"scheme": "half"}, "missing-half"),
                       ({"weighted": False}, "missing-upstream-weight")]:
        with pytest.raises(CheckFailed) as info:
            check("grad_check", lambda f, x, df, h=1e-5, fl=flags: own_grad_check(f, x, df, h, **fl))
        assert f"[misconception: {mid}]" in str(info.value)


def test_grad_check_that_does_not_restore_x():
    def leaky(f, x, df, h=1e-5):
        grad = np.zeros_like(x)
        for k in np.ndindex(x.shape):
            old = x[k]
            x[k] = old + h
            plus = np.sum(f() * df)
            x[k] = old - h
            minus = np.sum(f() * df)
            grad[k] = (plus - minus) / (2 * h)
        return grad
    with pytest.raises(CheckFailed, match=r"\[misconception: input-not-restored\]"):
        check("grad_check", leaky)


@pytest.mark.parametrize("mid,answer", [
    ("per-tensor-clip", "tensor"), ("value-clip", "value"), ("always-scaled", "always"),
    ("returned-clipped-norm", "after"), ("missing-sqrt", "sqrt"), ("not-in-place", "copy"),
])
def test_clip_variants_are_named(mid, answer):
    def clip(grads, max_norm):
        total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        if answer == "sqrt":
            total = total ** 2
        for k, g in grads.items():
            if answer == "tensor":
                n = np.sqrt(np.sum(g ** 2))
                if n > max_norm:
                    g *= max_norm / n
            elif answer == "value":
                np.clip(g, -max_norm, max_norm, out=g)
            elif answer == "copy":
                grads = dict(grads)
                grads[k] = g * min(1.0, max_norm / total)
            elif answer == "always" or total > max_norm:
                g *= max_norm / total
        return min(total, max_norm) if answer == "after" else total
    with pytest.raises(CheckFailed) as info:
        check("clip_grad_norm", clip)
    assert f"[misconception: {mid}]" in str(info.value), str(info.value)


def test_wrong_shape_none_dtype_exception_and_in_place_messages(capfd):
    def no_batch(prev_h, x, W_f, b_f):
        return lstm_ref.forget_gate(prev_h, x, W_f, b_f)[0]
    with pytest.raises(CheckFailed, match=r"the batch dimension N is missing.*\[misconception: wrong-shape\]"):
        check("forget_gate", no_batch)

    def transposed(prev_h, x, W_f, b_f):
        return lstm_ref.forget_gate(prev_h, x, W_f, b_f).T
    with pytest.raises(CheckFailed, match="transposed"):
        check("forget_gate", transposed)

    def forgot_return(prev_h, x, W_f, b_f):
        lstm_ref.forget_gate(prev_h, x, W_f, b_f)
    with pytest.raises(CheckFailed, match=r"returned None.*\[misconception: missing-return\]"):
        check("forget_gate", forgot_return)

    def widens(prev_h, x, W_f, b_f):
        return lstm_ref.forget_gate(prev_h, x, W_f, b_f).astype(np.float64)
    from lstm_grade.checks._check import run_check
    with pytest.raises(CheckFailed, match=r"dtype float64 but should be float32.*dtype-changed"):
        run_check("forget_gate", widens, hidden=True, integrity=False)

    def crashes(prev_h, x, W_f, b_f):
        return np.concatenate([prev_h, x]) @ W_f.T
    with pytest.raises(CheckFailed) as info:
        check("forget_gate", crashes)
    assert "your function raised ValueError" in str(info.value)
    assert "Traceback" not in str(info.value)

    def in_place(prev_c, f, i, c_tilde):
        prev_c *= f
        prev_c += i * c_tilde
        return prev_c
    with pytest.raises(CheckFailed, match=r"changed its input prev_c in place.*input-modified"):
        check("update_cell", in_place)

    def todo(o, c):
        raise NotImplementedError()
    with pytest.raises(CheckFailed, match="not written yet"):
        check("hidden_state", todo)

    def mismatch(prev_h, x, W_f, b_f):
        out = lstm_ref.forget_gate(prev_h, x, W_f, b_f).copy()
        out[0, 1] += 0.5
        return out
    with pytest.raises(CheckFailed) as info:
        check("forget_gate", mismatch)
    msg = str(info.value)
    assert "first difference at f[0, 1]" in msg and "expected" in msg and "got" in msg
    assert "seed" in msg and "N=" in msg
    assert capfd.readouterr().err == ""


def test_failure_names_the_differing_part_of_a_backward_pass():
    def off_dWh(dnext_h, dnext_c, cache):
        grads = list(lstm_ref.lstm_step_backward(dnext_h, dnext_c, cache))
        grads[4] = grads[4] * 1.5
        return tuple(grads)
    with pytest.raises(CheckFailed, match=r"dWh differs from the reference"):
        check("lstm_step_backward", off_dWh)


def test_naive_sigmoid_fails_hidden_on_extreme_inputs_without_stderr(capfd):
    def naive(x):
        return 1 / (1 + np.exp(-x))
    assert run_check("sigmoid", naive, integrity=False) == 6  # fine on ordinary inputs
    with pytest.raises(CheckFailed, match=r"unstable-sigmoid"):
        check("sigmoid", naive, hidden=True)
    assert capfd.readouterr().err == ""


def test_student_forward_cache_is_used_when_given():
    def fwd(x, prev_h, Wx, Wh, b):
        nh = np.tanh(x @ Wx + prev_h @ Wh + b)
        return nh, {"x": x, "h": prev_h, "Wx": Wx, "Wh": Wh, "nh": nh}

    def back(dnext_h, cache):
        da = dnext_h * (1 - cache["nh"] ** 2)
        return (da @ cache["Wx"].T, da @ cache["Wh"].T, cache["x"].T @ da, cache["h"].T @ da,
                da.sum(axis=0))
    assert run_check("rnn_step_backward", back, forward=fwd, integrity=False) == 6
    assert run_check("rnn_step_backward", back, hidden=True, forward=fwd) >= 10
