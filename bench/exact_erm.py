"""Seconds for exact ERM (Algorithm 1): serial vs 2 worker processes, in the same run.

Usage::

    python bench/exact_erm.py [--repeats R]

Protocol: Gaussian data ``X`` (N, d) and labels ``y`` (seed 0), second layer
``(+1, -1, +1, ..., 0)``, MSE, pruning on (the default).  Each configuration runs
``exact_erm`` three ways, interleaved in every repeat:

* ``serial``: ``workers=None``;
* ``workers=2``: the library's own pool (started and shut down inside each call, so
  the time includes process start-up; the workers die with the caller);
* ``warm pool``: a ``concurrent.futures.ProcessPoolExecutor(2)`` passed as
  ``executor``, started and warmed up (one tiny run) before timing, so start-up is
  excluded (reported separately).

Times are medians of ``R`` runs (``time.perf_counter``); ``cpu`` columns are the
processor seconds of the caller plus its reaped child processes
(``resource.getrusage``), which do not depend on how busy the machine is: equal
``cpu`` for ``serial`` and ``workers=2`` means the parallel path adds no work, and
its wall-clock gain is then bounded only by the free cores.  ``OPENBLAS_NUM_THREADS=1``
is set before numpy is imported unless already set.  The chunking depends only on
the number of vertices, so all three runs solve the same chunks; ``same`` checks
that they return the same vertex and loss.  Timings on a shared machine are noisy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402

import relu  # noqa: E402


def _cpu():
    a = resource.getrusage(resource.RUSAGE_SELF)
    b = resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    configs = [(2, 2, 12), (1, 3, 10), (2, 2, 16)]
    t = time.perf_counter()
    pool = ProcessPoolExecutor(2)
    relu.exact_erm([[0.0], [1.0]], [0.0, 1.0], 1, [1.0, 0.0], progress=False, executor=pool)
    startup = time.perf_counter() - t
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}; {os.cpu_count()} CPUs, "
          f"shared with other jobs (timings are noisy); medians of {args.repeats} runs")
    print(f"warm pool: ProcessPoolExecutor(2) start-up + warm-up {startup:.2f} s (not included)")
    hdr = (f"{'(d, n_units, N)':<16}{'chambers':>9}{'vertices':>10}{'solved':>8}{'solved/2w':>10}"
           f"{'serial s':>10}{'workers=2 s':>13}{'warm pool s':>13}{'speed-up':>10}"
           f"{'cpu serial':>12}{'cpu 2w':>9}{'loss':>11}{'same':>6}")
    print(hdr)
    print("-" * len(hdr))
    for d, m, N in configs:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((N, d))
        y = rng.standard_normal(N)
        runs = {"serial": {}, "workers": {"workers": 2}, "pool": {"executor": pool}}
        times = {k: [] for k in runs}
        cpu = {k: [] for k in runs}
        out = {}
        for _ in range(args.repeats):
            for k, kw in runs.items():
                c, t = _cpu(), time.perf_counter()
                out[k] = relu.exact_erm(X, y, m, progress=False, **kw)
                times[k].append(time.perf_counter() - t)
                cpu[k].append(_cpu() - c)
        med = {k: statistics.median(v) for k, v in times.items()}
        mcpu = {k: statistics.median(v) for k, v in cpu.items()}
        a = out["serial"]
        same = all(o.info["best_index"] == a.info["best_index"] and o.loss == a.loss
                   for o in out.values())
        print(f"{str((d, m, N)):<16}{a.info['n_chambers']:>9}{a.info['n_vertices']:>10}"
              f"{a.n_solves:>8}{out['workers'].n_solves:>10}{med['serial']:>10.2f}"
              f"{med['workers']:>13.2f}{med['pool']:>13.2f}"
              f"{med['serial'] / med['workers']:>10.2f}{mcpu['serial']:>12.2f}{mcpu['workers']:>9.2f}"
              f"{a.loss:>11.6g}{'yes' if same else 'NO':>6}")
    pool.shutdown()
    print("solved: subproblems solved serially (the rest pruned); solved/2w: with workers=2, "
          "whose chunks are dispatched before the best value of earlier ones is known")
    print("speed-up = serial / workers=2 (start-up included); cpu: processor seconds, caller + "
          "workers (not measurable for the warm pool, whose workers are reaped at the end)")


if __name__ == "__main__":
    main()
