"""Seconds for exact ERM (Algorithm 1), serial vs 2 worker processes.

Usage::

    /work/venv/bin/python bench/exact_erm.py

Protocol: Gaussian data ``X`` (N, d) and labels ``y`` (seed 0), second layer
``v = (+1, -1, +1, ..., 0)``, MSE, pruning on (the default).  Each configuration runs
``exact_erm`` serially and with ``concurrent.futures.ProcessPoolExecutor(2)``; the
pool is started and warmed up (one tiny run) before timing, so the parallel time
excludes process start-up (reported separately).  Times are medians of ``R`` runs
(``time.perf_counter``).  ``OPENBLAS_NUM_THREADS=1`` is set before numpy is imported
unless already set.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402

import relu  # noqa: E402


def _time(fn, repeats):
    ts, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return out, statistics.median(ts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    configs = [(2, 2, 12), (1, 3, 10)]
    t = time.perf_counter()
    pool = ProcessPoolExecutor(2)
    relu.exact_erm([[0.0], [1.0]], [0.0, 1.0], 1, [1.0, 0.0], progress=False, executor=pool)
    startup = time.perf_counter() - t
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}; "
          f"ProcessPoolExecutor(2) start-up + warm-up: {startup:.2f} s (not included below)")
    hdr = (f"{'(d, m, N)':<12}{'chambers':>9}{'vertices':>10}{'solved':>8}{'pruned':>8}"
           f"{'serial s':>10}{'2 workers s':>13}{'speed-up':>10}{'loss':>13}{'same':>6}")
    print(hdr)
    print("-" * len(hdr))
    for d, m, N in configs:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((N, d))
        y = rng.standard_normal(N)
        v = relu.alternating_second_layer(m)
        a, ts = _time(lambda: relu.exact_erm(X, y, m, v, progress=False), args.repeats)
        b, tp = _time(lambda: relu.exact_erm(X, y, m, v, progress=False, executor=pool),
                      args.repeats)
        same = a.info["best_index"] == b.info["best_index"] and abs(a.loss - b.loss) <= 1e-12 * max(
            1.0, abs(a.loss))
        print(f"{str((d, m, N)):<12}{a.info['n_chambers']:>9}{a.info['n_vertices']:>10}"
              f"{a.n_solves:>8}{a.info['n_pruned']:>8}{ts:>10.2f}{tp:>13.2f}{ts / tp:>10.2f}"
              f"{a.loss:>13.6g}{'yes' if same else 'NO':>6}")
    pool.shutdown()


if __name__ == "__main__":
    main()
