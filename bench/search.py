"""Greedy local search over vertices: GLS (best improvement) vs mGLS (first improvement).

Usage::

    python bench/search.py              # d = 4 (m = 1, 2, 4) and d = 8, N = 72, m = 8
    python bench/search.py --quick      # only the d = 4 rows
    python bench/search.py --seeds 3    # seeds per row (default 3 for d = 4, 1 for d = 8)
    python bench/search.py --reference OLD/relu/search/local_search.py --steps 5
        # before/after: the first 5 GLS moves at d = 8, N = 72, m = 8 with this
        # local_search and with the module file of another checkout, in one process

Data: :func:`relu.experiments.teacher_data` (Gaussian inputs, a random teacher with
``m_gen`` units, ``N = (d + 1) m_gen``), second layer ``(+1, -1, ..., 0)``.  For every
seed both searches start from the same vertex (``relu.random_pattern``) and run to a
certified local minimum (``max_steps=100000``; ``status == "converged"``: every
neighbour was solved, or skipped by the KKT argument of
:mod:`relu.search.local_search`, and none improves by more than ``tol = 1e-9``
relative).  Columns: wall-clock seconds (``time.perf_counter``) and processor seconds
(``time.process_time``, less sensitive to other jobs), convex solves, moves, the
final relative loss; mGLS's saving = ``1 - mGLS / GLS`` for solves and seconds.  Both
methods of a row run in the same process, one after the other per seed.  The machine
may be shared with other jobs: timings are noisy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import relu  # noqa: E402
from relu.experiments import teacher_data  # noqa: E402


def run(X, y, m, P, strategy):
    v = relu.alternating_second_layer(m)
    t, c = time.perf_counter(), time.process_time()
    r = relu.local_search(X, y, m, v, start=P, strategy=strategy, max_steps=100_000)
    return r, time.perf_counter() - t, time.process_time() - c


def reference(path, steps):
    """Both implementations, ``steps`` GLS moves from the same start (d = 8, N = 72, m = 8)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("relu.search._reference_local_search", path)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    data = teacher_data(8, 8, rng=1000)
    P, _ = relu.random_pattern(data.X, 8, rng=0)
    v = relu.alternating_second_layer(8)
    print(f"first {steps} GLS moves at (d, m_gen, N, m) = (8, 8, 72, 8), same start; "
          "the machine may be shared (timings are noisy)")
    print(f"{'implementation':16s} {'wall s':>8s} {'cpu s':>8s} {'solves':>7s} {'moves':>6s} "
          f"{'objective':>10s}")
    for name, fn in (("reference", old.local_search), ("this", relu.local_search)):
        t, c = time.perf_counter(), time.process_time()
        r = fn(data.X, data.y, 8, v, start=P, strategy="best", max_steps=steps)
        print(f"{name:16s} {time.perf_counter() - t:8.2f} {time.process_time() - c:8.2f} "
              f"{r.n_solves:>7d} {r.info['n_moves']:>6d} {r.objective:10.4g}", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the d = 4 rows")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per row")
    ap.add_argument("--reference", default=None, metavar="FILE",
                    help="local_search.py of another checkout: before/after table only")
    ap.add_argument("--steps", type=int, default=5, help="GLS moves for --reference")
    args = ap.parse_args(argv)
    if args.reference:
        reference(args.reference, args.steps)
        return
    cases = [(4, 2, 1), (4, 2, 2), (4, 2, 4)] + ([] if args.quick else [(8, 8, 8)])
    print("GLS (best improvement) vs mGLS (first improvement, multiplier order) to a certified "
          "local minimum;")
    print("OPENBLAS_NUM_THREADS=1; the machine may be shared with other jobs (timings are noisy)")
    hdr = (f"{'(d, m_gen, N, m)':18s} {'seed':>4s} {'method':6s} {'wall s':>8s} {'cpu s':>8s} "
           f"{'solves':>7s} {'moves':>6s} {'status':>10s} {'rel. loss':>10s}")
    print(hdr)
    print("-" * len(hdr))
    summary = []
    for d, m_gen, m in cases:
        n_seeds = args.seeds or (3 if d == 4 else 1)
        rows = {"best": [], "first": []}
        for s in range(n_seeds):
            data = teacher_data(d, m_gen, rng=1000 + s)
            X, y = data.X, data.y
            P, _ = relu.random_pattern(X, m, rng=s)
            scale = float(np.mean(y ** 2))
            for strategy, name in (("best", "GLS"), ("first", "mGLS")):
                r, wall, cpu = run(X, y, m, P, strategy)
                rows[strategy].append((wall, cpu, r.n_solves))
                N = X.shape[0]
                print(f"{str((d, m_gen, N, m)):18s} {s:>4d} {name:6s} {wall:8.2f} {cpu:8.2f} "
                      f"{r.n_solves:>7d} {r.info['n_moves']:>6d} {r.status:>10s} "
                      f"{r.loss / scale:10.3g}", flush=True)
        med = {k: np.median(np.array(v), axis=0) for k, v in rows.items()}
        summary.append(((d, m_gen, (d + 1) * m_gen, m), med))
    print()
    print("median over seeds; saving = 1 - mGLS / GLS")
    hdr2 = (f"{'(d, m_gen, N, m)':18s} {'GLS wall':>9s} {'GLS cpu':>8s} {'GLS solves':>10s} "
            f"{'mGLS wall':>9s} {'mGLS cpu':>8s} {'mGLS solves':>11s} {'saving solves':>13s} "
            f"{'saving cpu':>10s}")
    print(hdr2)
    print("-" * len(hdr2))
    for case, med in summary:
        b, f = med["best"], med["first"]
        print(f"{str(case):18s} {b[0]:9.2f} {b[1]:8.2f} {b[2]:10.0f} {f[0]:9.2f} {f[1]:8.2f} "
              f"{f[2]:11.0f} {1 - f[2] / b[2]:13.1%} {1 - f[1] / b[1]:10.1%}")


if __name__ == "__main__":
    main()
