"""Losses (values and central-difference gradients) and optimisers (by hand)."""
from __future__ import annotations

import numpy as np
import pytest

from lstm_ref.gradcheck import grad_check, rel_error
from lstm_ref.losses import log_softmax, mse_loss, perplexity, softmax, temporal_softmax_loss
from lstm_ref.optim import SGD, Adam, clip_grad_norm, clip_grad_value, global_norm


# --- softmax and the temporal loss ---------------------------------------------------

def test_softmax_rows_sum_to_one_and_survive_huge_scores():
    s = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    p = softmax(s)
    assert np.allclose(p.sum(axis=-1), 1.0)
    assert p[0, 0] == pytest.approx(1.0)
    e = np.exp([1.0, 2.0, 3.0])
    assert np.allclose(p[1], e / e.sum())
    assert np.allclose(log_softmax(s)[1], np.log(e / e.sum()))


def test_temporal_loss_equals_a_plain_loop_over_tokens(rng):
    N, T, V = 3, 4, 5
    scores = rng.standard_normal((N, T, V))
    y = rng.integers(0, V, (N, T))
    mask = rng.random((N, T)) < 0.7
    mask[0, 0] = True
    loss, _ = temporal_softmax_loss(scores, y, mask)
    nlls = []
    for n in range(N):
        for t in range(T):
            if mask[n, t]:
                z = scores[n, t] - scores[n, t].max()
                nlls.append(-(z[y[n, t]] - np.log(np.exp(z).sum())))
    assert loss == pytest.approx(np.mean(nlls), rel=1e-12)


def test_uniform_scores_give_log_V_and_perplexity_V():
    V = 7
    loss, _ = temporal_softmax_loss(np.zeros((2, 3, V)), np.zeros((2, 3), dtype=int))
    assert loss == pytest.approx(np.log(V))
    assert perplexity(loss) == pytest.approx(V)


@pytest.mark.parametrize("use_mask", [False, True])
def test_temporal_loss_gradient_matches_central_differences(rng, use_mask):
    N, T, V = 2, 3, 4
    scores = rng.standard_normal((N, T, V))
    y = rng.integers(0, V, (N, T))
    mask = np.array([[True, True, False], [True, False, False]]) if use_mask else None
    _, dscores = temporal_softmax_loss(scores, y, mask)
    numeric = grad_check(lambda: np.array(temporal_softmax_loss(scores, y, mask)[0]),
                         scores, np.array(1.0))
    assert rel_error(dscores, numeric) < 1e-7
    if use_mask:
        assert np.all(dscores[~mask] == 0)


def test_masked_tokens_do_not_change_the_loss(rng):
    scores = rng.standard_normal((2, 3, 4))
    y = np.zeros((2, 3), dtype=int)
    mask = np.array([[True, True, False], [True, True, False]])
    before, _ = temporal_softmax_loss(scores, y, mask)
    scores[:, 2] += 100 * rng.standard_normal((2, 4))
    after, _ = temporal_softmax_loss(scores, y, mask)
    assert before == after


def test_float32_scores_give_float32_gradients(rng):
    scores = rng.standard_normal((2, 3, 4)).astype(np.float32)
    _, dscores = temporal_softmax_loss(scores, np.zeros((2, 3), dtype=int))
    assert dscores.dtype == np.float32


@pytest.mark.parametrize("bad, message", [
    (dict(scores=np.zeros((2, 3))), "scores"),
    (dict(y=np.zeros((2, 4), dtype=int)), "y: expected shape"),
    (dict(y=np.full((2, 3), 5)), "y: expected token ids in [0, V) = [0, 5)"),
    (dict(mask=np.ones((2, 3))), "mask: expected a bool array"),
    (dict(mask=np.ones((3, 3), dtype=bool)), "mask: expected shape"),
    (dict(mask=np.zeros((2, 3), dtype=bool)), "mask: selects no token"),
    (dict(y=np.full((2, 3), 0.5)), "y: expected an integer array"),
])
def test_temporal_loss_names_bad_arguments(bad, message):
    args = dict(scores=np.zeros((2, 3, 5)), y=np.zeros((2, 3), dtype=int), mask=None)
    args.update(bad)
    with pytest.raises(ValueError) as err:
        temporal_softmax_loss(**args)
    assert message in str(err.value)


def test_shape_error_names_expected_and_actual_shapes():
    with pytest.raises(ValueError, match=r"y: expected shape \(N, T\) = \(2, 3\), got \(2, 4\)"):
        temporal_softmax_loss(np.zeros((2, 3, 5)), np.zeros((2, 4), dtype=int))


def test_perplexity_refuses_negative_and_saturates_without_warning():
    with pytest.raises(ValueError, match="mean_nll"):
        perplexity(-1.0)
    assert perplexity(1000.0) == float("inf")


def test_mse_loss_value_and_gradient(rng):
    pred = rng.standard_normal((4, 2))
    target = rng.standard_normal((4, 2))
    loss, dpred = mse_loss(pred, target)
    assert loss == pytest.approx(np.mean((pred - target) ** 2))
    numeric = grad_check(lambda: np.array(mse_loss(pred, target)[0]), pred, np.array(1.0))
    assert rel_error(dpred, numeric) < 1e-7
    with pytest.raises(ValueError, match=r"target: expected the shape of pred \(4, 2\), got \(4,\)"):
        mse_loss(pred, target[:, 0])


# --- optimisers ----------------------------------------------------------------------

def test_sgd_step_by_hand_and_with_momentum():
    p = {"w": np.array([1.0, -2.0])}
    SGD(lr=0.1).step(p, {"w": np.array([0.5, 1.0])})
    assert np.allclose(p["w"], [0.95, -2.1])

    p = {"w": np.array([0.0])}
    opt = SGD(lr=1.0, momentum=0.5)
    opt.step(p, {"w": np.array([1.0])})   # v = 1, w = -1
    opt.step(p, {"w": np.array([1.0])})   # v = 0.5 + 1 = 1.5, w = -2.5
    assert p["w"][0] == pytest.approx(-2.5)


def test_adam_first_two_steps_by_hand():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    w = np.array([1.0, -1.0, 0.0])
    g1 = np.array([0.5, -2.0, 3.0])
    g2 = np.array([1.0, 1.0, -1.0])
    p = {"w": w.copy()}
    opt = Adam(lr, b1, b2, eps)

    opt.step(p, {"w": g1.copy()})
    # After one step m̂ = g and v̂ = g², so each weight moves by lr against its gradient's sign.
    assert np.allclose(p["w"], w - lr * g1 / (np.abs(g1) + eps))

    opt.step(p, {"w": g2.copy()})
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1 ** 2 + (1 - b2) * g2 ** 2
    expected = w - lr * np.sign(g1) - lr * (m / (1 - b1 ** 2)) / (np.sqrt(v / (1 - b2 ** 2)) + eps)
    assert np.allclose(p["w"], expected, rtol=1e-7, atol=1e-7)
    assert opt.t == 2


def test_adam_minimises_a_quadratic():
    p = {"w": np.array([3.0, -4.0])}
    opt = Adam(lr=0.1)
    for _ in range(300):
        opt.step(p, {"w": 2 * p["w"]})
    assert np.abs(p["w"]).max() < 0.05


def test_optimisers_refuse_mismatched_grads():
    p = {"w": np.zeros(3), "b": np.zeros(2)}
    with pytest.raises(ValueError, match=r"missing \['b'\]"):
        Adam().step(p, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match=r"grads\['b'\]: expected shape \(2,\), got \(3,\)"):
        SGD(0.1).step(p, {"w": np.zeros(3), "b": np.zeros(3)})
    with pytest.raises(ValueError, match="lr"):
        SGD(-1.0)
    with pytest.raises(ValueError, match="beta1"):
        Adam(beta1=1.0)


def test_clip_grad_norm_keeps_direction_and_gives_the_asked_norm(rng):
    grads = {"a": rng.standard_normal((3, 4)) * 10, "b": rng.standard_normal(5) * 10}
    before = {k: g.copy() for k, g in grads.items()}
    norm_before = np.sqrt(sum((g ** 2).sum() for g in before.values()))
    returned = clip_grad_norm(grads, 1.5)
    assert returned == pytest.approx(norm_before)
    assert global_norm(grads) == pytest.approx(1.5)
    flat_before = np.concatenate([before["a"].ravel(), before["b"]])
    flat_after = np.concatenate([grads["a"].ravel(), grads["b"]])
    cosine = flat_before @ flat_after / (np.linalg.norm(flat_before) * np.linalg.norm(flat_after))
    assert cosine == pytest.approx(1.0)


def test_clip_grad_norm_leaves_small_gradients_alone():
    grads = {"a": np.array([0.3, 0.4])}
    assert clip_grad_norm(grads, 1.0) == pytest.approx(0.5)
    assert np.array_equal(grads["a"], [0.3, 0.4])
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(grads, 0.0)


def test_clip_grad_value_is_elementwise():
    grads = {"a": np.array([-3.0, 0.2, 5.0]), "b": np.array([[1.5]])}
    clip_grad_value(grads, 1.0)
    assert np.array_equal(grads["a"], [-1.0, 0.2, 1.0])
    assert np.array_equal(grads["b"], [[1.0]])


def test_every_public_name_has_a_docstring_with_an_equation():
    import importlib
    import inspect
    missing = []
    for modname in ("lstm_ref.losses", "lstm_ref.optim", "lstm_ref.models", "lstm_ref.training"):
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if isinstance(obj, (tuple, str)):
                continue
            doc = inspect.getdoc(obj) or ""
            if not doc:
                missing.append(f"{modname}.{name}: no docstring")
            elif inspect.isfunction(obj) and not any(s in doc for s in ("=", "->", "(N")):
                missing.append(f"{modname}.{name}: no equation or shape")
    assert not missing, "\n".join(missing)
