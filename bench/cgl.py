"""The convex reformulation: exact program, column generation, cvxpy+Clarabel, pyscnn.

Usage::

    .venv/bin/python bench/cgl.py                 # full run (tens of minutes on 2 busy cores)
    .venv/bin/python bench/cgl.py --quick         # n in {20, 50}, no n = 200 row
    .venv/bin/python bench/cgl.py --scnn-python .venv-scnn/bin/python   # + pyscnn rows

Protocol (one run; same data, same lambda, same scaling in every column):

* Data: ``X`` i.i.d. standard normal ``(n, d)`` (seed 0), ``y = sin(2 sum_k x_k) + 0.1 eps``;
  hidden units with bias (``bias=True``); squared loss.  ``lambda`` is given in
  pyscnn's mean scaling, ``lam_mean = 0.01``, i.e. ``lam_paper = 0.01 n``; objectives
  are printed in paper scaling ``1/2 ||.||^2 + lam sum ||.||``.
* Table 1, per (n, d): the number of chambers (exact, all of them);
  - "exact": ``relu.solve_cgl(X, y, lam)`` with ``patterns="exact"`` (``method="auto"``:
    the direct Clarabel program when it has at most ``AUTO_DIRECT_ROWS`` chamber
    rows, else column generation), seconds include the enumeration;
  - "CG": ``relu.convex.column_generation`` (working set + pricing over all chambers),
    with its rounds and final working-set size, certified over all chambers;
  - "CG before": the same call with the settings of the first version (empty start,
    32 patterns a round, idle patterns dropped after 3 rounds, every round a full
    streaming pass of :func:`relu.convex.price_chambers` over the cached packed rows,
    restricted programs with all ``n`` chamber rows per block): the before/after of
    issue 13's speed work, measured in the same run;
  - "Clarabel full" / "cvxpy full": the full program (all chambers) built directly
    for Clarabel, and written in cvxpy and solved by Clarabel, only while it has at
    most ``--full-rows`` chamber-constraint rows (``2 P n``); else "-- (rows)".
  - "gap": ``max |objective - best| / best`` over the columns that ran.
* Table 2: column generation at n = 200, d = 3 (about 2.6 M chambers), run once,
  wall-clock and processor seconds (``time.process_time``: this process only, so a
  load-independent measure on the shared machine), the per-round history below it.
* Table 3 (only with ``--scnn-python``, the interpreter of a venv with pyscnn): at
  pyscnn's sizes (n = 200, d = 10, 50 Gaussian gates) the same sampled patterns
  (gates drawn here and handed to both), ``relu.solve_cgl(patterns=D)`` against
  pyscnn's ``ConvexReLU`` + ``AL`` (``unitize_data=False``, float64, tol 1e-6 and
  1e-8); bias through a ones column on both sides.  Both objectives are evaluated
  here from the returned convex weights, plus their largest cone violation.
* Time: ``time.perf_counter``; small rows are the median of ``--repeats`` runs, rows
  taking more than 30 s are run once.  The machine is shared with other jobs
  (2 cores): timings are noisy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import relu  # noqa: E402
from relu import convex  # noqa: E402

LAM_MEAN = 0.01


def make_data(n, d, seed=0):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)
    return X, y


def timed(fn, repeats):
    times, out = [], None
    for k in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if times[-1] > 30:
            break
    return statistics.median(times), out


def baseline_cg(X, y, lam):
    """Column generation with the settings of the first version (see the module doc)."""
    import zonotope as zt

    n = len(X)
    est = zt.estimate_chambers(zt.Arrangement.from_points(X))
    width = (n + 7) // 8
    # room for the packed stream (kept between rounds) but not for the chamber table
    return convex.column_generation(X, y, lam, init_patterns=0, n_add=32, drop_after=3,
                                    cache_bytes=est * width + 1, partial=False, per_value=None)


def fmt_s(x):
    return "--" if x is None else f"{x:.3g}"


def table1(sizes, repeats, full_rows):
    print("\nTable 1. Exact CGL (all chambers): ours vs cvxpy+Clarabel; objectives in paper "
          f"scaling, lam_mean = {LAM_MEAN} (lam_paper = {LAM_MEAN} n)")
    head = ("| n | d | chambers | exact s | exact objective | CG s | CG rounds | CG patterns | "
            "CG objective | CG certified | CG before s | CG before rounds | Clarabel full s | "
            "cvxpy full s | cvxpy objective | gap |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for n, d in sizes:
        X, y = make_data(n, d)
        lam = LAM_MEAN * n
        import zonotope as zt

        n_ch = zt.count_chambers(zt.Arrangement.from_points(X))
        t_ex, r_ex = timed(lambda: relu.solve_cgl(X, y, lam), repeats)
        t_cg, r_cg = timed(lambda: convex.column_generation(X, y, lam, rng=0), repeats)
        t_b, r_b = timed(lambda: baseline_cg(X, y, lam), repeats)
        rows = 2 * (n_ch - 1) * n
        t_cl = t_cv = None
        obj = {"exact": r_ex.objective, "cg": r_cg.objective, "cg before": r_b.objective}
        if rows <= full_rows:
            prog_t0 = time.perf_counter()
            prog = convex.CGLProgram.build(X, y, lam, "exact")
            t_build = time.perf_counter() - prog_t0

            def run(method):
                blocks, info = convex.solve_program(prog, method)
                return blocks, info

            t_cl, (b_cl, _) = timed(lambda: run("clarabel"), repeats)
            t_cv, (b_cv, info_cv) = timed(lambda: run("cvxpy"), repeats)
            t_cl += t_build
            t_cv += t_build
            obj["clarabel"] = prog.objective(convex.polish(prog, b_cl)[0])
            obj["cvxpy"] = prog.objective(convex.polish(prog, b_cv)[0])
        best = min(obj.values())
        gap = max(abs(v - best) / best for v in obj.values())
        cells = [str(n), str(d), f"{n_ch:,}", f"{t_ex:.3g}", f"{r_ex.objective:.10g}", f"{t_cg:.3g}",
                 str(r_cg.info["rounds"]), str(r_cg.program.n_patterns), f"{r_cg.objective:.10g}",
                 str(r_cg.global_certificate.certified and r_b.global_certificate.certified),
                 f"{t_b:.3g}", str(r_b.info["rounds"])]
        if rows <= full_rows:
            cells += [fmt_s(t_cl), fmt_s(t_cv), f"{obj['cvxpy']:.10g}"]
        else:
            cells += [f"-- ({rows:,} rows)", "--", "--"]
        cells.append(f"{gap:.2g}")
        print("| " + " | ".join(cells) + " |", flush=True)


def table2(n=200, d=3):
    print(f"\nTable 2. Column generation at n = {n}, d = {d} (run once)")
    X, y = make_data(n, d)
    lam = LAM_MEAN * n
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    r = convex.column_generation(X, y, lam, rng=0)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    g = r.global_certificate
    hist = r.info["history"]
    print("| n | d | chambers | seconds | processor s | rounds (partial) | final patterns | "
          "active blocks | objective | lower bound | relative gap | certified | enumeration s | "
          "pricing s (sum) | solve s (sum) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    n_part = sum(bool(h["partial"]) for h in hist)
    print(f"| {n} | {d} | {g.n_chambers:,} | {sec:.4g} | {cpu:.4g} | {r.info['rounds']} ({n_part}) | "
          f"{r.program.n_patterns} | {r.n_active} | {r.objective:.10g} | {g.lower_bound:.10g} | "
          f"{g.relative_gap:.2g} | {g.certified} | {r.info['enumeration_seconds'] or 0:.4g} | "
          f"{sum(h['pricing_seconds'] for h in hist):.4g} | "
          f"{sum(h['solve_seconds'] for h in hist):.4g} |")
    print(f"patterns used / chambers = {r.program.n_patterns / g.n_chambers:.2e}; "
          f"patterns dropped along the way: {r.info['n_dropped']}; load average at the start "
          f"{load:.1f} (2 cores)")
    print("\nPer round:")
    print("| round | patterns | constraint rows | objective | pass | max ratio (bound) | best found | "
          "chambers resolved | projections | solve s | pricing s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for h in hist:
        best = "--" if h["best_found"] is None else f"{h['best_found']:.6g}"
        print(f"| {h['round']} | {h['n_patterns']} | {h['constraint_rows']:,} | {h['objective']:.10g} | "
              f"{'partial' if h['partial'] else 'full'} | {h['max_ratio']:.6g} | {best} | "
              f"{h['n_evaluated']:,} | {h['n_projected']:,} | {h['solve_seconds']:.3g} | "
              f"{h['pricing_seconds']:.3g} |", flush=True)


def _run_scnn(scnn_python, Xb, y, G, lam_mean, tol):
    """pyscnn AL in its own venv; returns (seconds, objective (mean scaling), cone violation)."""
    n = len(y)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.npz"
        np.savez(path, X=Xb, y=y, G=G, lam=lam_mean, tol=tol)
        out = subprocess.run([scnn_python, str(Path(__file__).with_name("_scnn_runner.py")),
                              str(path)], capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError(f"pyscnn failed: {out.stderr[-500:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    U = np.array(res["U"])[0]
    V = np.array(res["V"])[0]
    Dk = (Xb @ np.array(res["G"]) > 0).T.astype(float)                # (p, n)
    fit = np.einsum("ji,ij->i", Dk, Xb @ (U - V).T)
    obj = 0.5 / n * float(np.sum((fit - y) ** 2)) + lam_mean * float(
        np.sum(np.linalg.norm(U, axis=1)) + np.sum(np.linalg.norm(V, axis=1)))
    S = 2 * Dk - 1
    viol = max(0.0, -float(min((S * (U @ Xb.T)).min(), (S * (V @ Xb.T)).min())))
    return res["seconds"], obj, viol


def table3(scnn_python, repeats):
    print("\nTable 3a. Sampled patterns at pyscnn's sizes: ours (Clarabel, certified) vs pyscnn AL "
          "(same gates); objectives in mean scaling")
    print("| n | d | gates | patterns | lam_mean | ours s | ours objective | ours cone viol | "
          "AL tol | AL s | AL objective | AL cone viol | ours <= AL |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    n, d, n_gates = 200, 10, 50
    X, y = make_data(n, d)
    g = np.random.default_rng(123)
    Xb = np.hstack([X, np.ones((n, 1))])
    G = g.standard_normal((d + 1, n_gates))
    for lam_mean in (1e-3, 1e-2):
        D = convex.unique_patterns((Xb @ G > 0).T.astype(np.uint8))
        t_o, r = timed(lambda: relu.solve_cgl(X, y, lam_mean, D, scaling="mean"), repeats)
        viol_o = max(0.0, -float(r.program.cone_slacks(r.blocks).min()))
        for tol in (1e-6, 1e-8):
            sec, obj, viol = _run_scnn(scnn_python, Xb, y, G, lam_mean, tol)
            print(f"| {n} | {d} | {n_gates} | {len(D)} | {lam_mean:g} | {t_o:.3g} | "
                  f"{r.objective_mean:.8g} | {viol_o:.1e} | {tol:g} | {sec:.3g} | "
                  f"{obj:.8g} | {viol:.1e} | {r.objective_mean <= obj * (1 + 1e-9)} |", flush=True)
    print("\nTable 3b. Our exact program (all chambers) vs pyscnn AL on sampled gates "
          "(tol 1e-6); objectives in mean scaling")
    print("| n | d | chambers | lam_mean | ours exact s | ours exact objective | gates | "
          "AL patterns | AL s | AL objective | exact <= AL |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    import zonotope as zt

    n, d, lam_mean = 50, 2, 1e-2
    X, y = make_data(n, d)
    Xb = np.hstack([X, np.ones((n, 1))])
    n_ch = zt.count_chambers(zt.Arrangement.from_points(X))
    t_o, r = timed(lambda: relu.solve_cgl(X, y, lam_mean, scaling="mean"), repeats)
    for n_gates in (50, 500):
        G = np.random.default_rng(7).standard_normal((d + 1, n_gates))
        P = len(convex.unique_patterns((Xb @ G > 0).T.astype(np.uint8)))
        sec, obj, _ = _run_scnn(scnn_python, Xb, y, G, lam_mean, 1e-6)
        print(f"| {n} | {d} | {n_ch:,} | {lam_mean:g} | {t_o:.3g} | {r.objective_mean:.8g} | "
              f"{n_gates} | {P} | {sec:.3g} | {obj:.8g} | "
              f"{r.objective_mean <= obj * (1 + 1e-9)} |", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--full-rows", type=int, default=400_000,
                    help="largest full program (chamber rows 2Pn) given to Clarabel/cvxpy")
    ap.add_argument("--skip-200", action="store_true")
    ap.add_argument("--only", choices=["1", "2", "3"], default=None)
    ap.add_argument("--scnn-python", default=None,
                    help="python of a venv with pyscnn (pip install '.[scnn]' there)")
    args = ap.parse_args(argv)
    print("bench/cgl.py -- the machine is shared with other jobs (2 cores): timings are noisy; "
          f"load average {os.getloadavg()[0]:.1f} at the start.")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    sizes = [(20, 2), (20, 3), (50, 2), (50, 3)] if args.quick else \
        [(20, 2), (20, 3), (50, 2), (50, 3), (100, 2), (100, 3)]
    if args.only in (None, "1"):
        table1(sizes, args.repeats, args.full_rows)
    if args.only in (None, "2") and not args.quick and not args.skip_200:
        table2()
    if args.only in (None, "3"):
        if args.scnn_python:
            table3(args.scnn_python, args.repeats)
        else:
            print("\nTable 3 skipped: pass --scnn-python (a venv with the optional extra 'scnn').")


if __name__ == "__main__":
    main()
