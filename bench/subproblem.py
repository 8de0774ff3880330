"""Per-vertex QP: the default chain ("ours") against the library engines, in one run.

Usage::

    python bench/subproblem.py                 # the speed table (a few minutes)
    python bench/subproblem.py --quick         # fewer patterns, no (16, 32, 700)
    python bench/subproblem.py --reliability   # the 60-problem stress reproduction

**Speed table** (one run, same data and patterns for every column):

* Data: ``X`` i.i.d. standard normal ``(N, d)``, ``y`` standard normal, second layer
  ``(+1, -1, +1, ..., 0)`` (``relu.alternating_second_layer``).
* Cold: ``K`` vertices of random Glorot weights (``relu.random_pattern``).  Warm: for
  each, its first feasible single flip (unit ``j``, example ``i``) in decreasing order
  of the optimum's multiplier (what local search does), started from the cold result.
* ours = ``relu.SubproblemSolver(...).solve(P[, warm_start=...])`` end to end (problem
  construction, the default chain of ``relu.qp`` -- the hand-written ``"fast"`` engine
  only above ``relu.qp.fast.FAST_MIN_SIZE`` -- and the KKT certificate).
* direct DAQP / direct Clarabel / cvxpy+Clarabel = one engine of ``relu.qp`` called on
  the same program (``SubproblemSolver.qp_problem``, built afresh for every call,
  included in the time): DAQP through its Python API on all constraints (warm: its
  ``dual_start`` from the previous multipliers), Clarabel through its own API,
  and a cvxpy problem solved by Clarabel (tolerances 1e-12).  No certificate.
* Time: ``time.perf_counter``, median over repeats, then median over patterns;
  ratio = library time / ours.
* Agreement: ``max |f_engine - f_ours| / max(|f_ours|, 1e-6 f(0))`` over the patterns
  and the three library engines (objective of the same program).

The machine may be shared with other jobs: timings are noisy; all columns of a row are
measured in the same run, interleaved per pattern.

**Reliability** (``--reliability``): ``relu.qp.stress_problems(60)`` -- a quarter each of
generic data, near-duplicate points, features scaled over ``1e-6 .. 1e6`` and nearly
low-rank data, every other one a warm start from a neighbouring vertex -- solved by the
default chain and by cvxpy+Clarabel (whose answer is checked with the same KKT
certificate); prints how many the chain failed, what cvxpy+Clarabel did on them, and
the largest objective gap to cvxpy's certified answers.
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
from relu import qp  # noqa: E402
from relu.qp import clarabel as qp_clarabel  # noqa: E402
from relu.qp import cvxpy_ref as qp_cvxpy  # noqa: E402
from relu.qp import daqp as qp_daqp  # noqa: E402

ENGINES = {"DAQP": qp_daqp.solve_qp, "Clarabel": qp_clarabel.solve_qp, "cvxpy": qp_cvxpy.solve_qp}


def _timed(fn, repeats):
    ts, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t)
    return out, statistics.median(ts)


def _neighbour(S, res):
    A = res.pattern
    for flat in np.argsort(-res.multipliers, axis=None, kind="stable"):
        j, i = np.unravel_index(flat, A.shape)
        a = A[j].copy()
        a[i] ^= 1
        if S.is_chamber(a):
            B = A.copy()
            B[j] = a
            return B
    return None


def _engine_run(S, A, warm_res, name):
    def run():
        P, warm = S.qp_problem(A, warm_start=warm_res)
        try:
            cand = ENGINES[name](P, warm)
        except qp.EngineFailure:
            return P, None
        return P, cand
    return run


def run_size(d, m, N, K, reps, lib_reps, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    v = relu.alternating_second_layer(m)
    S = relu.SubproblemSolver(X, y, v, check=False)
    rows = {"cold": [], "warm": []}
    for _ in range(K):
        P0, _ = relu.random_pattern(X, m, rng=rng)
        cases = [("cold", P0, None)]
        base = S.solve(P0)
        B = _neighbour(S, base)
        if B is not None:
            cases.append(("warm", B, base))
        for start, A, warm_res in cases:
            res, t_ours = _timed(lambda: S.solve(A, warm_start=warm_res), reps)
            P, warm = S.qp_problem(A, warm_start=warm_res)
            f_ours = P.objective(qp.solve(P, warm_start=warm).w)   # the same chain, untimed
            floor = 1e-6 * P.objective(np.zeros(P.n_vars))
            row = {"ours": t_ours, "engine": res.method, "gap": 0.0}
            for name in ENGINES:
                (Pe, cand), t = _timed(_engine_run(S, A, warm_res, name), lib_reps)
                row[name] = t
                if cand is not None:
                    gap = abs(Pe.objective(cand.w) - f_ours) / max(abs(f_ours), floor, 1e-300)
                    row["gap"] = max(row["gap"], gap)
                else:
                    row["gap"] = float("inf")
            rows[start].append(row)
    out = []
    for start in ("cold", "warm"):
        rs = rows[start]
        if not rs:
            continue
        med = {k: statistics.median(r[k] for r in rs) for k in ("ours", *ENGINES)}
        engines = sorted({r["engine"] for r in rs})
        out.append(((d, m, N), start, len(rs), med, max(r["gap"] for r in rs), engines))
    return out


def print_table(results):
    print("median time per subproblem (ms); ratio = library time / ours")
    hdr = (f"{'(d, m, N)':<14}{'start':<6}{'n':>3}{'ours':>10}{'DAQP':>11}{'Clarabel':>11}"
           f"{'cvxpy':>11}{'DAQP/ours':>11}{'Clar/ours':>11}{'cvxpy/ours':>11}{'max rel diff':>14}"
           "  ours' engine(s)")
    print(hdr)
    print("-" * len(hdr))
    for size, start, n, med, gap, engines in results:
        o = med["ours"]
        print(f"{str(size):<14}{start:<6}{n:>3}{o * 1e3:>10.2f}{med['DAQP'] * 1e3:>11.2f}"
              f"{med['Clarabel'] * 1e3:>11.2f}{med['cvxpy'] * 1e3:>11.2f}"
              f"{med['DAQP'] / o:>10.1f}x{med['Clarabel'] / o:>10.1f}x{med['cvxpy'] / o:>10.1f}x"
              f"{gap:>14.1e}  {', '.join(engines)}")


def reliability(n, seed, lo):
    probs = qp.stress_problems(n, rng=seed, scale_range=(lo, 1.0 / lo))
    ours_fail, ref = {}, {"raised": 0, "not certifiable": 0, "certified": 0}
    fail_ref = []
    worst_above = 0.0
    def reference(P):
        try:
            cand = qp_cvxpy.solve_qp(P)
        except qp.EngineFailure:
            return None, "raised"
        return cand, "certified" if qp.certify(P, cand.w, cand.multipliers).ok else "not certifiable"

    for p in probs:
        S = relu.SubproblemSolver(p.X, p.y, p.second_layer, check=False)
        failed_at, base = None, None
        try:
            failed_at = p.base_patterns
            base = S.solve(p.base_patterns) if p.warm else None
            failed_at = p.patterns
            S.solve(p.patterns, warm_start=base)
            ok = True
        except relu.SolverFailedError:
            ok = False
            ours_fail[p.kind] = ours_fail.get(p.kind, 0) + 1
            fail_ref.append(reference(S.qp_problem(failed_at)[0])[1])
        P, warm = S.qp_problem(p.patterns, warm_start=base)
        cand, status = reference(P)
        ref[status] += 1
        if ok and status == "certified":
            f_ours = P.objective(qp.solve(P, warm_start=warm).w)
            f_ref = P.objective(cand.w)
            floor = 1e-6 * P.objective(np.zeros(P.n_vars))
            worst_above = max(worst_above, (f_ours - f_ref) / max(abs(f_ref), floor))
    print(f"stress problems: {n}, rng={seed}, feature scales {lo:g} .. {1 / lo:g}")
    print(f"  default chain raised SolverFailedError: {sum(ours_fail.values())} {ours_fail}"
          + (f"; cvxpy+Clarabel on the same problems: {fail_ref}" if fail_ref else ""))
    print(f"  cvxpy+Clarabel (our certificate applied to its answer): {ref}")
    print(f"  largest (ours - cvxpy) / |cvxpy| where cvxpy's answer is certified: {worst_above:.1e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reliability", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}; the machine may be "
          "shared with other jobs (timings are noisy)")
    if args.reliability:
        reliability(60, args.seed, 1e-6)
        return
    # (d, m, N, patterns K, repeats of ours, repeats of each library engine)
    sizes = [(4, 4, 60, 5, 7, 5), (8, 16, 300, 4, 3, 1), (16, 32, 700, 2, 1, 1)]
    if args.quick:
        sizes = [(4, 4, 60, 3, 3, 3), (8, 16, 300, 2, 1, 1)]
    results = []
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        for d, m, N, K, reps, lib_reps in sizes:
            results += run_size(d, m, N, K, reps, lib_reps, seed=args.seed)
    print_table(results)


if __name__ == "__main__":
    main()
