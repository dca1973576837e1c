"""lstm_backward reuses its scratch memory between calls (a per-thread workspace).

Reuse must never leak into what the caller holds: gradients returned earlier
stay as they were, no returned array shares memory with the workspace, and
threads never see each other's scratch.
"""
import threading

import numpy as np

import lstm_ref
from lstm_ref import _fast_lstm


def _problem(seed, N=4, T=6, D=3, H=5, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    Wx, Wh = 0.3 * rng.standard_normal((D, 4 * H)), 0.3 * rng.standard_normal((H, 4 * H))
    b, dh = rng.standard_normal(4 * H), rng.standard_normal((N, T, H))
    return [a.astype(dtype) for a in (x, h0, c0, Wx, Wh, b, dh)]


def _gradients(problem):
    x, h0, c0, Wx, Wh, b, dh = problem
    _, cache = lstm_ref.lstm_forward(x, h0, c0, Wx, Wh, b)
    return lstm_ref.lstm_backward(dh, cache)


def test_earlier_gradients_survive_a_later_call_of_the_same_shape():
    first = _gradients(_problem(0))
    kept = [g.copy() for g in first]
    second = _gradients(_problem(1))  # same shapes: the scratch is reused
    for g, k in zip(first, kept):
        np.testing.assert_array_equal(g, k)
    assert any(not np.array_equal(a, b) for a, b in zip(first, second))
    for again, k in zip(_gradients(_problem(0)), kept):
        np.testing.assert_array_equal(again, k)


def test_returned_arrays_never_share_memory_with_the_workspace():
    grads = _gradients(_problem(2))
    assert _fast_lstm._workspace.buffers, "the backward pass should have kept its scratch"
    for g in grads:
        for buf in _fast_lstm._workspace.buffers.values():
            assert not np.shares_memory(g, buf)


def test_threads_get_their_own_scratch():
    problems = [_problem(s, N=8, T=20, D=16, H=32) for s in range(4)]
    expected = [_gradients(p) for p in problems]
    wrong = []

    def work(i):
        for _ in range(15):
            got = _gradients(problems[i])
            if not all(np.array_equal(g, e) for g, e in zip(got, expected[i])):
                wrong.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_release_frees_the_scratch_and_the_next_call_still_works():
    before = _gradients(_problem(3))
    _fast_lstm._release_workspace()
    assert _fast_lstm._workspace.buffers == {}
    for g, b in zip(_gradients(_problem(3)), before):
        np.testing.assert_array_equal(g, b)
