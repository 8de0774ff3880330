"""Subproblems per second: the MSE fast path vs rebuilding a cvxpy problem per pattern.

Usage::

    /work/venv/bin/python bench/subproblem.py            # full run (about 1-2 minutes)
    /work/venv/bin/python bench/subproblem.py --quick    # fewer patterns, no (16, 64, 700)

Protocol (one run, same data and patterns for both paths):

* Data: ``X`` i.i.d. standard normal ``(N, d)``, ``y`` standard normal, second layer
  ``v = (+1, -1, +1, ..., 0)``.
* Cold solves: ``K`` patterns of random Glorot weights (vertices of ``Z^m``).  Each
  is solved by ``relu.SubproblemSolver(...).solve(P)`` (the fast path) and by the
  reference that rebuilds ``cvxpy.Problem`` for the pattern and solves it with
  Clarabel (``method="cvxpy"``; Clarabel tolerances 1e-12, the reference of the test
  suite).  Chamber checks are off in both (``check=False``): the patterns are
  vertices by construction, and GLS tests neighbour feasibility separately.
* Warm solves: for each base pattern, its first ``J`` feasible single flips
  (unit ``j``, example ``i``) in decreasing order of the base optimum's multiplier
  (the mGLS order), solved with ``warm_start=<base result>``; the cvxpy reference
  rebuilds and solves the neighbour from scratch (it has no warm start).  A second
  line times neighbours of a *warm-solved* pattern (GLS after its first step: the
  base's multipliers come from the active-set engine instead of the interior-point
  one, which leaves interior multipliers on degenerate units).
* Time: ``time.perf_counter``; every fast solve is repeated ``R`` times and the
  median is kept, cvxpy solves are repeated ``Rc`` times; the table shows the median
  over patterns and ``1 / median`` as subproblems per second.
* Agreement: ``max |f_fast - f_ref| / max(|f_ref|, 1e-6 L0)`` over all patterns, with
  ``L0 = mean((y - bias)^2)`` the loss of the zero network (a floor for optima near
  0); the column "fast <= ref" counts patterns where the fast objective is not above
  the reference's.
* BLAS: ``OPENBLAS_NUM_THREADS=1`` is set before numpy is imported unless already
  set (threaded BLAS is 10-20x slower on these small matrices on this machine).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import relu  # noqa: E402
from relu.random_vertex import random_pattern  # noqa: E402


def _timed(fn, repeats):
    ts = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return out, statistics.median(ts)


def _neighbours(S, base, J):
    A = base.pattern
    out = []
    for flat in np.argsort(-base.multipliers, axis=None, kind="stable"):
        j, i = np.unravel_index(flat, A.shape)
        a = A[j].copy()
        a[i] ^= 1
        if S.is_chamber(a):
            A2 = A.copy()
            A2[j] = a
            out.append(A2)
            if len(out) == J:
                break
    return out


def run_size(d, m, N, K, J, R, Rc, seed=0, cvxpy_warm=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    v = relu.alternating_second_layer(m)
    L0 = float(np.mean((y - v[-1]) ** 2))
    fast = relu.SubproblemSolver(X, y, v, check=False)
    ref = relu.SubproblemSolver(X, y, v, method="cvxpy", check=False)
    cold_f, cold_c, warm_f, warm_c, gaps, le, warm2_f = [], [], [], [], [], [], []
    methods = {}
    for k in range(K):
        P, _ = random_pattern(X, m, rng=rng)
        rf, tf = _timed(lambda: fast.solve(P), R)
        rc, tc = _timed(lambda: ref.solve(P), Rc)
        cold_f.append(tf)
        cold_c.append(tc)
        gaps.append(abs(rf.objective - rc.objective) / max(abs(rc.objective), 1e-6 * L0))
        le.append(rf.objective <= rc.objective)
        methods[rf.method] = methods.get(rf.method, 0) + 1
        first = None
        for P2 in _neighbours(fast, rf, J):
            r2, t2 = _timed(lambda: fast.solve(P2, warm_start=rf), R)
            warm_f.append(t2)
            first = r2 if first is None else first
            methods[r2.method] = methods.get(r2.method, 0) + 1
            if cvxpy_warm:
                rc2, tc2 = _timed(lambda: ref.solve(P2), Rc)
                warm_c.append(tc2)
                gaps.append(abs(r2.objective - rc2.objective) / max(abs(rc2.objective), 1e-6 * L0))
                le.append(r2.objective <= rc2.objective)
        # second level: neighbours of a warm-solved pattern (what GLS does after its
        # first step; the base's multipliers then come from the active-set engine)
        if first is not None:
            for P3 in _neighbours(fast, first, J):
                r3, t3 = _timed(lambda: fast.solve(P3, warm_start=first), R)
                warm2_f.append(t3)
                rc3 = ref.solve(P3)
                gaps.append(abs(r3.objective - rc3.objective) / max(abs(rc3.objective), 1e-6 * L0))
                le.append(r3.objective <= rc3.objective)
    return {
        "size": (d, m, N), "n_cold": K, "n_warm": len(warm_f),
        "cold_fast": statistics.median(cold_f), "cold_cvxpy": statistics.median(cold_c),
        "warm_fast": statistics.median(warm_f) if warm_f else float("nan"),
        "warm_cvxpy": statistics.median(warm_c) if warm_c else statistics.median(cold_c),
        "warm2_fast": statistics.median(warm2_f) if warm2_f else float("nan"),
        "n_warm2": len(warm2_f),
        "max_gap": max(gaps), "fast_le_ref": f"{sum(le)}/{len(le)}", "methods": methods,
    }


def run_large(d, m, N, with_cvxpy, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    v = relu.alternating_second_layer(m)
    P, _ = random_pattern(X, m, rng=rng)
    fast = relu.SubproblemSolver(X, y, v, check=False)
    t = time.perf_counter()
    rf = fast.solve(P)
    tf = time.perf_counter() - t
    out = {"size": (d, m, N), "fast": tf, "method": rf.method, "iters": rf.n_iter,
           "objective": rf.objective, "kkt": rf.kkt_residual}
    if with_cvxpy:
        ref = relu.SubproblemSolver(X, y, v, method="cvxpy", check=False)
        t = time.perf_counter()
        rc = ref.solve(P)
        out["cvxpy"] = time.perf_counter() - t
        L0 = float(np.mean((y - v[-1]) ** 2))
        out["gap"] = abs(rf.objective - rc.objective) / max(abs(rc.objective), 1e-6 * L0)
        out["ref_method"] = rc.method
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-large-cvxpy", action="store_true",
                    help="skip the cvxpy solve at (16, 64, 700) (takes tens of seconds)")
    args = ap.parse_args(argv)
    K, J = (4, 3) if args.quick else (10, 5)
    sizes = [(4, 4, 60, K, J, 25, 3), (8, 16, 300, K, J, 5, 2)]
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}  "
          f"(fast = relu.SubproblemSolver 'fast'; cvxpy = cvxpy.Problem rebuilt per pattern + "
          "Clarabel)")
    rows = [run_size(*s) for s in sizes]
    hdr = (f"{'(d, m, N)':<14}{'cold fast':>11}{'cold cvxpy':>12}{'cold x':>8}"
           f"{'warm fast':>11}{'cvxpy':>9}{'warm x':>8}{'solves/s cold':>15}{'solves/s warm':>15}"
           f"{'max rel diff':>14}{'fast<=ref':>11}")
    print()
    print("median time per subproblem (ms); x = cvxpy time / fast time")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{str(r['size']):<14}{r['cold_fast'] * 1e3:>11.3f}{r['cold_cvxpy'] * 1e3:>12.2f}"
              f"{r['cold_cvxpy'] / r['cold_fast']:>8.1f}{r['warm_fast'] * 1e3:>11.3f}"
              f"{r['warm_cvxpy'] * 1e3:>9.2f}{r['warm_cvxpy'] / r['warm_fast']:>8.1f}"
              f"{1 / r['cold_fast']:>15.0f}{1 / r['warm_fast']:>15.0f}{r['max_gap']:>14.1e}"
              f"{r['fast_le_ref']:>11}")
    for r in rows:
        print(f"  {r['size']}: {r['n_cold']} cold + {r['n_warm']} warm patterns; fast engines "
              f"used: {r['methods']}")
    print()
    print("warm solves from a warm-solved base (GLS after its first step): median ms, x vs cvxpy")
    for r in rows:
        print(f"  {str(r['size']):<14}{r['warm2_fast'] * 1e3:>9.3f} ms  "
              f"{r['warm_cvxpy'] / r['warm2_fast']:>6.1f}x  ({r['n_warm2']} patterns; "
              "included in the agreement columns)")
    if not args.quick:
        big = run_large(16, 64, 700, with_cvxpy=not args.no_large_cvxpy)
        print()
        line = (f"one cold solve at {big['size']}: fast {big['fast']:.2f} s ({big['method']}, "
                f"{big['iters']} iterations, KKT residual {big['kkt']:.1e})")
        if "cvxpy" in big:
            line += (f"; cvxpy+Clarabel {big['cvxpy']:.2f} s ({big['ref_method']}); rel diff "
                     f"{big['gap']:.1e}")
        print(line)


if __name__ == "__main__":
    main()
