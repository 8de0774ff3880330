"""Chamber enumeration benchmark: our sweep vs the LP reference vs SageMath.

Usage::

    python bench/chambers.py            # full table (several minutes, mostly LP + Sage)
    python bench/chambers.py --quick    # small subset, < 1 minute

Data: generic Gaussian points ``X`` (``numpy.random.default_rng([seed, d, N])``),
arrangement ``Arrangement.from_points(X)`` (hyperplane ``i`` = ``{w : w . (x_i, 1) = 0}``)
in ``R^(d+1)``; it has ``2 * sum_{k<=d} C(N-1, k)`` chambers.

Columns
-------
ours(pts) / ours(no pts)
    ``enumerate_chambers(Arrangement.from_points(X))`` with ``interior_points=True``
    (default) / ``False``; the timed expression includes building the arrangement.
ch/s
    chambers per second of the default call (with interior points).
LP, LP/ours
    ``method="lp"`` (reference BFS with one float LP per flip); skipped ('—') above
    ``--lp-cap`` chambers.  The ratio is against ours(pts).
Sage, Sage/ours
    SageMath (passagemath-polyhedra) ``HyperplaneArrangements(QQ, ...)(...).regions()``
    of the *same* arrangement: every float is passed at its exact binary value
    (``fractions.Fraction(float)`` -> ``QQ``), so both programs solve the identical
    rational arrangement.  Timed: building the Sage arrangement from prepared QQ data
    + ``regions()`` (a fresh arrangement per repeat: ``regions`` is cached).  Skipped
    ('—') above ``--sage-cap`` chambers or once a Sage run of that d took > 60 s;
    'n/a' if Sage is not importable.
peak MB
    ``tracemalloc`` peak of the default call (separate, untimed run).
check
    ``ok`` iff ours(pts) == ours(no pts) == formula and, when run, the LP and Sage
    chamber *sets* of sign vectors equal ours (Sage's sign vector of a region is
    evaluated exactly at ``region.representative_point()``).

Times are medians over repeats: 5 repeats if one run takes < 0.5 s, 3 if < 3 s,
otherwise a single run (our two columns always get >= 3 repeats); the repeats used
are printed under the table.  The machine may be shared: small timings are noisy.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
from math import comb

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _sage  # noqa: E402

import zonotope  # noqa: E402

FULL = {2: [25, 50, 100, 200, 400], 3: [10, 20, 40, 60, 100], 4: [10, 15, 20, 40, 60]}
QUICK = {2: [20, 100], 3: [10, 20], 4: [10, 15]}
SAGE_SLOW = 60.0  # after a Sage run this slow, skip larger N of the same d
LP_SLOW = 300.0


def formula(N, d):
    return 2 * sum(comb(N - 1, k) for k in range(d + 1))


def n_reps(first):
    return 5 if first < 0.5 else 3 if first < 3 else 1


def timed(fn, min_reps=1):
    """(result of the first call, median seconds, number of runs)."""
    gc.collect()
    t0 = time.perf_counter()
    res = fn()
    times = [time.perf_counter() - t0]
    for _ in range(max(min_reps, n_reps(times[0])) - 1):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return res, statistics.median(times), len(times)


def sign_set(S):
    P = np.packbits(np.asarray(S) > 0, axis=1)
    return {r.tobytes() for r in P}


def fmt_s(x):
    if isinstance(x, str):
        return x
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def fmt_r(x):
    if isinstance(x, str):
        return x
    return f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small subset (< 1 min)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lp-cap", type=int, default=None,
                    help="skip the LP reference above this many chambers (default 3000; quick 600)")
    ap.add_argument("--sage-cap", type=int, default=None,
                    help="skip Sage above this many chambers (default 5000; quick 1000)")
    ap.add_argument("--no-sage", action="store_true", help="do not run Sage")
    args = ap.parse_args(argv)
    cases = QUICK if args.quick else FULL
    lp_cap = args.lp_cap if args.lp_cap is not None else (600 if args.quick else 3000)
    sage_cap = args.sage_cap if args.sage_cap is not None else (1000 if args.quick else 5000)
    use_sage = _sage.HAVE_SAGE and not args.no_sage

    sage_ver = "not importable" if not _sage.HAVE_SAGE else _sage_version()
    print(f"# zonotope {zonotope.__version__}, numpy {np.__version__}, "
          f"python {platform.python_version()}, {os.cpu_count()} cores; sage: {sage_ver}")
    print(f"# generic Gaussian X, rng seed [{args.seed}, d, N]; {'quick' if args.quick else 'full'} run; "
          f"LP cap {lp_cap} chambers, Sage cap {sage_cap} chambers / {SAGE_SLOW:.0f} s")
    if not use_sage:
        why = "--no-sage" if args.no_sage else _sage.SAGE_ERROR
        print(f"# Sage column n/a ({why})")

    # warm-up (imports, first-call caches) outside the table
    zonotope.enumerate_chambers(zonotope.Arrangement.from_points(
        np.random.default_rng(1).standard_normal((8, 2))))

    cols = ["d", "N", "chambers", "ours(pts) s", "ours(no pts) s", "ch/s", "LP s", "LP/ours",
            "Sage s", "Sage/ours", "peak MB", "check"]
    widths = [2, 4, 9, 11, 14, 8, 7, 8, 7, 9, 8, 6]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    print(line)
    print("-" * len(line))
    reps_note = []
    all_ok = True
    t_start = time.perf_counter()
    for d, Ns in cases.items():
        sage_stop = lp_stop = False
        for N in Ns:
            X = np.random.default_rng([args.seed, d, N]).standard_normal((N, d))
            expect = formula(N, d)
            ours, t_ours, r1 = timed(lambda: zonotope.enumerate_chambers(
                zonotope.Arrangement.from_points(X)), min_reps=3)
            nopts, t_nopts, r2 = timed(lambda: zonotope.enumerate_chambers(
                zonotope.Arrangement.from_points(X), interior_points=False), min_reps=3)
            ours_set = None if expect > max(lp_cap, sage_cap) else sign_set(ours.sign_vectors)
            ok = (len(ours) == expect and len(nopts) == expect
                  and np.array_equal(ours.packed, nopts.packed))
            reps = [f"ours {r1}/{r2}"]

            lp_s = lp_r = "—"
            if expect <= lp_cap and not lp_stop:
                lp, t_lp, r3 = timed(lambda: zonotope.enumerate_chambers(
                    zonotope.Arrangement.from_points(X), method="lp"))
                ok &= len(lp) == expect and sign_set(lp.sign_vectors) == ours_set
                lp_s, lp_r = t_lp, t_lp / t_ours
                lp_stop = t_lp > LP_SLOW
                reps.append(f"LP {r3}")

            sg_s = sg_r = "—" if use_sage else "n/a"
            if use_sage and expect <= sage_cap and not sage_stop:
                A = zonotope.Arrangement.from_points(X)
                n_sg, t_first, S = _sage.sage_chambers(A.normals)
                ok &= n_sg == expect and sign_set(S) == ours_set
                times = [t_first]
                for _ in range(n_reps(t_first) - 1):
                    times.append(_sage.sage_chambers(A.normals, signs=False)[1])
                t_sg = statistics.median(times)
                sg_s, sg_r = t_sg, t_sg / t_ours
                sage_stop = t_sg > SAGE_SLOW
                reps.append(f"Sage {len(times)}")

            tracemalloc.start()
            zonotope.enumerate_chambers(zonotope.Arrangement.from_points(X))
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()

            all_ok &= bool(ok)
            vals = [d, N, len(ours), fmt_s(t_ours), fmt_s(t_nopts), f"{len(ours) / t_ours:.3g}",
                    fmt_s(lp_s), fmt_r(lp_r), fmt_s(sg_s), fmt_r(sg_r), f"{peak:.1f}",
                    "ok" if ok else "FAIL"]
            print("  ".join(str(v).rjust(w) for v, w in zip(vals, widths)), flush=True)
            reps_note.append(f"d={d},N={N}: " + ", ".join(reps))
    print()
    print("# repeats per timing (median taken): " + "; ".join(reps_note))
    print("# formula = 2*sum_{k<=d} C(N-1,k); check = ours(pts) == ours(no pts) == formula, "
          "and LP / Sage chamber sets == ours where run")
    print(f"# total wall time {time.perf_counter() - t_start:.0f} s; all checks "
          f"{'passed' if all_ok else 'FAILED'}")
    return 0 if all_ok else 1


def _sage_version():
    try:
        from importlib.metadata import version
        return f"passagemath-polyhedra {version('passagemath-polyhedra')} (backend ppl)"
    except Exception:  # pragma: no cover
        return "importable"


if __name__ == "__main__":
    sys.exit(main())
