"""lstm_ref's LSTM against PyTorch's CPU nn.LSTM and a GEMM-only baseline, one thread.

    python benchmarks/bench_lstm.py            # the full table (a few minutes)
    python benchmarks/bench_lstm.py --quick    # small sizes, few repeats (a first look)
    python benchmarks/bench_lstm.py --smoke    # one tiny size, one sample each: checks the code path

Prints ratios measured in one run (NumPy time / other time; below 1 NumPy is
faster). Times are thread CPU time per call. The contenders take turns call by
call (round robin), so that the other jobs of a shared machine disturb all
alike, and every contender gets at least ``MIN_ROUNDS`` timed samples even at
the largest size. Each ratio is given twice: from the medians of the samples
(the main columns) and from their minimums (the best each contender managed;
page-fault stalls and other jobs only ever add time). The GEMM-only baseline
does the same matrix products as lstm_forward/lstm_backward and nothing else;
"% of GEMM speed" is baseline time / lstm_ref time.
For the BLAS kernel OpenBLAS picks itself, run with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (``make bench`` does).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import lstm_ref as L  # noqa: E402

FULL_SIZES = [(50, 1, 32), (100, 32, 128), (100, 64, 256), (200, 128, 512)]
QUICK_SIZES = [(20, 1, 16), (20, 8, 32)]
SMOKE_SIZES = [(3, 2, 4)]
WIDGET = (10, 1, 8)


MIN_ROUNDS = 7  # timed samples per contender, whatever the budget
SAMPLE_S = 0.02  # small calls are repeated within a sample up to about this long


def round_robin_times(fns: dict, rounds: int, budget_s: float, min_rounds: int = MIN_ROUNDS,
                      sample_s: float = SAMPLE_S) -> dict:
    """Per-call thread CPU seconds of each ``fns[k]()``: {k: [one per round]}.

    Every round times each contender once, in turn, so that a noisy stretch of
    a shared machine hits all of them. A sample is ``reps`` calls (chosen so
    that it lasts about ``sample_s``) divided by ``reps``; a single-call sample
    follows one untimed call of the same function. Stops after
    ``rounds`` rounds, or once past ``budget_s`` with ``min_rounds`` done.
    """
    reps = {}
    for k, fn in fns.items():  # warm up: lazy initialisation, first-touch page faults
        t0 = time.thread_time()
        fn()
        reps[k] = max(1, int(sample_s / max(time.thread_time() - t0, 1e-6)))
    times = {k: [] for k in fns}
    start = time.perf_counter()
    for r in range(max(rounds, min_rounds)):
        if r >= min_rounds and (r >= rounds or time.perf_counter() - start > budget_s):
            break
        for k, fn in fns.items():
            if reps[k] == 1:
                # One untimed call first, as a training loop would make: the
                # timed call then gets the memory the previous call of the same
                # function just freed. Otherwise, on a VM that hands freed memory
                # back to the host (virtio-balloon free page reporting), large
                # fresh buffers cost up to ~4 ms per 2 MB of host page faults,
                # charged to whichever contender runs after a pause.
                fn()
            t0 = time.thread_time()
            for _ in range(reps[k]):
                fn()
            times[k].append((time.thread_time() - t0) / reps[k])
    return times


def median_time(fn, repeats: int, budget_s: float, **how) -> float:
    """Median thread CPU seconds of ``fn()`` (see ``round_robin_times``)."""
    return float(np.median(round_robin_times({"fn": fn}, repeats, budget_s, **how)["fn"]))


def gemm_only(x, Wx, Wh):
    """The matrix products of lstm_forward / lstm_backward, nothing else: (forward, both).

    Same products, dtypes and memory layout as lstm_ref (time-major rows
    [x_t, 1, h_{t-1}], one product a_t = [x_t, 1, h_{t-1}] W a step into
    gate-major (4, N, H) blocks, a single (1, 4H) row when N = 1; backward:
    da_t Whᵀ a step, then [X, 1, H_prev]ᵀ dA and dA Wxᵀ), into buffers
    allocated once, outside the timed calls.
    """
    N, T, D = x.shape
    H = Wh.shape[0]
    K = D + 1 + H
    rng = np.random.default_rng(1)
    # Small finite values everywhere (uninitialised memory could hold denormals, which are slow).
    XH = (0.1 * rng.standard_normal((T + 1, N, K))).astype(x.dtype)
    S = np.zeros((T + 1, 5, N, H), x.dtype)
    G = (0.1 * rng.standard_normal((T, N, 6 * H))).astype(x.dtype)
    W = np.concatenate((Wx, np.zeros((1, 4 * H), x.dtype), Wh))
    dh = np.empty((N, H), x.dtype)
    WhT, WxT = np.ascontiguousarray(Wh.T), np.ascontiguousarray(Wx.T)
    if N == 1:  # as lstm_ref chooses
        product, Wp, pre = np.dot, W, S[:T].reshape(T, 1, 5 * H)[:, :, :4 * H]
    else:
        product, Wp, pre = np.matmul, np.ascontiguousarray(W.reshape(-1, 4, H).transpose(1, 0, 2)), S[:T, :4]
    matmul = np.dot if N == 1 else np.matmul
    dA = G.reshape(T * N, 6 * H)[:, H:5 * H]
    XH2 = XH[:T].reshape(T * N, K)

    def forward():
        for xh, a in zip(XH[:T], pre):
            product(xh, Wp, a)

    def both():
        forward()
        for da in G[::-1, :, H:5 * H]:
            matmul(da, WhT, dh)
        XH2.T @ dA, dA @ WxT
    return forward, both


def run_size(torch, T, N, H, dtype, repeats, budget, **how):
    D = H
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, D)).astype(dtype)
    h0 = np.zeros((N, H), dtype)
    lstm = torch.nn.LSTM(D, H, batch_first=True).to({np.float32: torch.float32, np.float64: torch.float64}[dtype])
    Wx, Wh, b = L.from_torch_lstm(*(getattr(lstm, n + "_l0").detach().numpy()
                                    for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    xt, dht = torch.from_numpy(x), torch.from_numpy(dh)

    def ours_fwd():
        L.lstm_forward(x, h0, None, Wx, Wh, b)

    def ours_both():
        _, cache = L.lstm_forward(x, h0, None, Wx, Wh, b)
        L.lstm_backward(dh, cache)

    def torch_fwd():
        with torch.no_grad():
            lstm(xt)

    def torch_both():
        xg = xt.clone().requires_grad_(True)
        out, _ = lstm(xg)
        out.backward(dht)

    gemm_fwd, gemm_both = gemm_only(x, Wx, Wh)
    fns = {"ours_fwd": ours_fwd, "torch_fwd": torch_fwd, "gemm_fwd": gemm_fwd,
           "ours_both": ours_both, "torch_both": torch_both, "gemm_both": gemm_both}
    times = round_robin_times(fns, repeats, budget, **how)
    return ({k: float(np.median(v)) for k, v in times.items()},
            {k: float(np.min(v)) for k, v in times.items()}, len(times["ours_fwd"]))


def ratio_cells(r: dict) -> str:
    """'fwd / torch | fwd+bwd / torch | % of GEMM speed' table cells from times ``r``."""
    return (f"{r['ours_fwd'] / r['torch_fwd']:.2f} | {r['ours_both'] / r['torch_both']:.2f} "
            f"| {100 * r['gemm_fwd'] / r['ours_fwd']:.0f} %, {100 * r['gemm_both'] / r['ours_both']:.0f} %")


def widget_forward_us(repeats: int, **how) -> float:
    T, N, H = WIDGET
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, H))
    h0 = np.zeros((N, H))
    Wx, Wh, b = rng.standard_normal((H, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)
    return 1e6 * median_time(lambda: L.lstm_forward(x, h0, None, Wx, Wh, b), repeats, 5.0, **how)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small sizes and few repeats")
    mode.add_argument("--smoke", action="store_true",
                      help="one tiny size, one sample per contender: runs every code path, times nothing useful")
    args = parser.parse_args(argv)
    import torch
    from threadpoolctl import threadpool_info, threadpool_limits

    torch.set_num_threads(1)
    sizes, repeats, budget = (QUICK_SIZES, 3, 1.0) if args.quick else (FULL_SIZES, 15, 40.0)
    how: dict = {}
    if args.smoke:
        sizes, repeats, budget, how = SMOKE_SIZES, 1, 0.0, dict(min_rounds=1, sample_s=0.0)
    with threadpool_limits(limits=1):
        blas = [f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')}, "
                f"{p.get('num_threads')} thread)" for p in threadpool_info() if p.get("user_api") == "blas"]
        print(f"# lstm_ref vs torch {torch.__version__} CPU nn.LSTM, one thread, "
              f"{time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}")
        print(f"# NumPy {np.__version__}, BLAS: {'; '.join(blas)}; "
              f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}, "
              f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', 'unset')}")
        print("| T / N / H (D = H) | dtype | fwd / torch no_grad | fwd+bwd / torch "
              "| % of GEMM-only speed (fwd, fwd+bwd) | from minimums: fwd / torch | fwd+bwd / torch "
              "| % of GEMM (fwd, fwd+bwd) | lstm_ref fwd+bwd ms (median, min) | samples |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for T, N, H in sizes:
            for dtype in (np.float32, np.float64):
                med, low, n = run_size(torch, T, N, H, dtype, repeats, budget, **how)
                print(f"| {T} / {N} / {H} | {np.dtype(dtype).name} | {ratio_cells(med)} | {ratio_cells(low)} "
                      f"| {1e3 * med['ours_both']:.2f}, {1e3 * low['ours_both']:.2f} | {n} |", flush=True)
        us = widget_forward_us(1 if args.smoke else MIN_ROUNDS if args.quick else 25, **how)
        print(f"# widget-sized forward (T, N, H) = {WIDGET}, float64: {us:.1f} us (target < 60 us)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
