"""General-position and chirotope benchmark: exact scan vs a plain sympy determinant loop.

Usage::

    python bench/general_position.py            # full table (about 3-5 minutes)
    python bench/general_position.py --quick    # skips (d, N) = (8, 60)

Data: Gaussian points ``X`` from ``numpy.random.default_rng([seed, d, N])``; their
homogenised ``(d+1)``-subsets number ``C(N, d+1)``.

Rows
----
exact generic check
    ``is_in_general_position(X, max_subsets=None)``: every ``(d+1)``-minor's sign is
    certified (float filter + exact fallback).  The data are generic, so there is no
    early exit: this is the full cost.
(16, 700)
    ``C(700, 17) = 5.4e33`` subsets cannot be enumerated (deciding general position
    is coNP-complete, Khachiyan 1995).  Three rows instead: the default call (refuses
    with a size/time estimate), ``general_position_report`` (2 s budget: exact
    small-size checks + random falsification; status ``unknown`` for generic data),
    and the same data moved by ``perturb_to_general_position`` (``scale = 1e-6``),
    whose general position is *certified* by a modular certificate in ``O(N d)``.
chirotope equality (3, 40)
    ``are_combinatorially_equivalent(X, Y)`` with ``Y`` an affine image of ``X``
    (equivalent, so all ``C(40, 4)`` signs of both are computed and compared).
sympy
    ``sympy.Matrix(rows).det()`` over ``sympy.Rational`` entries (floats at their exact
    binary value), one subset at a time, in a plain Python loop.  It is timed on the
    first subsets until ``--sympy-budget`` seconds have passed, and extrapolated
    linearly to all subsets when it did not finish (marked ``~``, with the sample
    size in the note column).

Times are medians of 5 runs if one run takes < 0.5 s, 3 if < 3 s, else 1 run
(``time.perf_counter``).  BLAS runs single-threaded by default (``--threads``): the
machine may be shared, and multithreaded BLAS on small products under contention is
slower and noisier.
"""

from __future__ import annotations

import argparse
import os
import sys


def _parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="skip (d, N) = (8, 60)")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    p.add_argument("--sympy-budget", type=float, default=3.0, help="seconds per sympy sample")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


ARGS = _parse() if __name__ == "__main__" else None
if ARGS is not None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.threads)

import gc  # noqa: E402
import itertools  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from fractions import Fraction  # noqa: E402
from math import comb  # noqa: E402

import numpy as np  # noqa: E402

from zonotope import TooLargeError  # noqa: E402
from zonotope._minors import MinorScan  # noqa: E402
from zonotope.equivalence import are_combinatorially_equivalent  # noqa: E402
from zonotope.general_position import (  # noqa: E402
    general_position_report,
    is_in_general_position,
    perturb_to_general_position,
)


def timed(fn):
    """(first result, median seconds, runs)."""
    gc.collect()
    t0 = time.perf_counter()
    res = fn()
    times = [time.perf_counter() - t0]
    reps = 5 if times[0] < 0.5 else 3 if times[0] < 3 else 1
    for _ in range(reps - 1):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return res, statistics.median(times), reps


def sympy_rows(X):
    import sympy

    out = []
    for row in np.asarray(X, dtype=np.float64):
        vals = [Fraction(float(v)) for v in row] + [Fraction(1)]
        out.append([sympy.Rational(v.numerator, v.denominator) for v in vals])
    return out


def sympy_loop(rows_list, k, budget):
    """Time sympy determinants of all k-subsets (for each rows in rows_list) until budget.

    Returns (seconds for everything, measured?, number of subsets timed).
    """
    import sympy

    total = sum(comb(len(r), k) for r in rows_list)
    t0 = time.perf_counter()
    done = 0
    for rows in rows_list:
        for S in itertools.combinations(range(len(rows)), k):
            sympy.Matrix([rows[i] for i in S]).det()
            done += 1
            if done % 16 == 0 and time.perf_counter() - t0 > budget:
                el = time.perf_counter() - t0
                return el / done * total, False, done
    return time.perf_counter() - t0, True, done


def fmt(s):
    if s is None:
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    if s < 120:
        return f"{s:.2f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    if s < 2 * 3.156e7:
        return f"{s / 86400:.1f} days"
    return f"{s / 3.156e7:.2g} years"


def main():
    args = ARGS
    rows = []
    cases = [(2, 200), (4, 100), (8, 60)]
    if args.quick:
        cases = [(2, 200), (4, 100)]
    import sympy

    print(f"# general position benchmark — Python {platform.python_version()}, numpy {np.__version__}, "
          f"sympy {sympy.__version__}, {os.cpu_count()} cpus, BLAS threads {args.threads}")
    for d, N in cases:
        X = np.random.default_rng([args.seed, d, N]).standard_normal((N, d))
        res, sec, reps = timed(lambda: is_in_general_position(X, max_subsets=None))
        sy, measured, k = sympy_loop([sympy_rows(X)], d + 1, args.sympy_budget)
        rows.append(("exact generic check", d, N, f"{comb(N, d + 1):.3g}", fmt(sec), reps, str(res),
                     ("" if measured else "~") + fmt(sy), f"{sy / sec:.2g}x",
                     "measured" if measured else f"extrapolated from {k} subsets"))
    # (16, 700)
    d, N = 16, 700
    X = np.random.default_rng([args.seed, d, N]).standard_normal((N, d))
    total = comb(N, d + 1)
    est = MinorScan.cost_seconds(N, d + 1)

    def refused():
        try:
            is_in_general_position(X)
        except TooLargeError:
            return "TooLargeError"
        return "answered"

    res, sec, reps = timed(refused)
    sy, measured, k = sympy_loop([sympy_rows(X)], d + 1, args.sympy_budget)
    rows.append(("default call (refuses)", d, N, f"{total:.3g}", fmt(sec), reps, res, "~" + fmt(sy), "—",
                 f"exhaustive would take ~{fmt(est)}; sympy extrapolated from {k} subsets"))
    rep, sec, reps = timed(lambda: general_position_report(X, time_budget=2.0, rng=0))
    rows.append(("general_position_report", d, N, f"{total:.3g}", fmt(sec), reps,
                 f"{rep.status}: sizes {rep.cleared_sizes} cleared, {rep.n_checked:,} minors sampled, "
                 f"dependent fraction < {rep.dependent_fraction_bound:.1e} (99%)", "—", "—", ""))
    t0 = time.perf_counter()
    Xp = perturb_to_general_position(X, 1e-6, rng=0)
    tp = time.perf_counter() - t0
    res, sec, reps = timed(lambda: is_in_general_position(Xp))
    rows.append(("certified (perturbed data)", d, N, f"{total:.3g}", fmt(sec), reps, f"{res} (certificate)",
                 "—", "—", f"perturb_to_general_position took {fmt(tp)}, max move 1e-6"))
    # chirotope equality at (3, 40)
    d, N = 3, 40
    X = np.random.default_rng([args.seed, d, N]).standard_normal((N, d))
    A = np.array([[1.5, 0.2, 0.0], [0.1, 0.7, 0.3], [0.0, 0.2, 1.1]])   # det > 0
    Y = X @ A.T + 2.0
    res, sec, reps = timed(lambda: bool(are_combinatorially_equivalent(X, Y)))
    sy, measured, k = sympy_loop([sympy_rows(X), sympy_rows(Y)], d + 1, args.sympy_budget)
    rows.append(("chirotope equality", d, N, f"{comb(N, d + 1):.3g}", fmt(sec), reps, str(res),
                 ("" if measured else "~") + fmt(sy), f"{sy / sec:.2g}x",
                 "both chirotopes; " + ("measured" if measured else f"extrapolated from {k} subsets")))
    head = ("task", "d", "N", "subsets", "ours", "runs", "result", "sympy loop", "speed-up", "note")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = " | ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line)
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(str(v).ljust(w) for v, w in zip(r, widths)))
    print("\n'~' = extrapolated linearly from a timed sample of the sympy loop; subsets = C(N, d+1).")


if __name__ == "__main__":
    sys.exit(main())
