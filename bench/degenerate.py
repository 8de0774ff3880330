"""Degenerate arrangements: ours vs SageMath for regions, count and characteristic polynomial.

Usage::

    python bench/degenerate.py              # every row (Sage cells capped at 300 s each)
    python bench/degenerate.py --quick      # small rows only
    python bench/degenerate.py --cap 60     # Sage time cap per cell (seconds)

Rows (issue 15): Shi n = 4, 5; Catalan n = 3, 4; Linial n = 5; semiorder n = 4;
threshold n = 5; resonance R_4, R_5, R_6; integer grids 5x5 in R^2 and 4x4x3 in R^3
(data arrangements ``{w : w . (x, 1) = 0}``); generic Gaussian data d = 3, N = 40.

Columns
-------
regions
    number of regions (checked: equal to Sage's, to the count, and to the closed
    form where one is known).
ours reg s / Sage reg s
    ``enumerate_chambers(A)`` (certified interior points, the default) vs Sage's
    ``A.regions()`` on a freshly built arrangement (nothing cached).
us/reg
    our microseconds per region.
ours cnt s / Sage cnt s
    ``count_chambers(A)`` vs Sage's ``A.n_regions()``.
ours chi s / Sage chi s
    ``characteristic_polynomial(A)`` vs Sage's ``A.characteristic_polynomial()``.
x
    Sage time / our time for the cell to its left ("—": Sage did not finish within
    the cap, or was not run).
check
    ``ok`` iff every computed count and polynomial agrees (ours, Sage, closed form)
    and, for at most 20000 regions, our set of sign vectors equals Sage's (evaluated
    exactly at each Sage region's representative point).

Every Sage cell runs in a forked child process that is killed at the cap.  Our times
are medians of repeats (5 if a run takes < 0.5 s, 3 if < 3 s, else 1); the machine
is shared with other jobs, so timings are noisy.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import zonotope  # noqa: E402
from zonotope import Arrangement, characteristic_polynomial, count_chambers, enumerate_chambers  # noqa: E402
from zonotope import library as lib  # noqa: E402
import _sage  # noqa: E402


def _fact(n):
    out = 1
    for k in range(2, n + 1):
        out *= k
    return out


def _grid(*shape):
    return Arrangement.from_points(np.array(list(itertools.product(*[range(s) for s in shape]))))


def _generic(d, N, seed=0):
    return Arrangement.from_points(np.random.default_rng([seed, d, N]).standard_normal((N, d)))


def rows(quick):
    from math import comb

    out = [
        ("Shi n=4", lambda: lib.shi_arrangement(4), 5 ** 3),
        ("Shi n=5", lambda: lib.shi_arrangement(5), 6 ** 4),
        ("Catalan n=3", lambda: lib.catalan_arrangement(3), _fact(3) * 5),
        ("Catalan n=4", lambda: lib.catalan_arrangement(4), _fact(4) * 14),
        ("Linial n=5", lambda: lib.linial_arrangement(5), 246),
        ("semiorder n=4", lambda: lib.semiorder_arrangement(4), 183),
        ("threshold n=5", lambda: lib.threshold_arrangement(5), 332),
        ("resonance R_4", lambda: lib.resonance_arrangement(4), 370),
        ("resonance R_5", lambda: lib.resonance_arrangement(5), 11292),
        ("resonance R_6", lambda: lib.resonance_arrangement(6), 1066044),
        ("grid 5x5 (R^2)", lambda: _grid(5, 5), None),
        ("grid 4x4x3 (R^3)", lambda: _grid(4, 4, 3), None),
        ("generic d=3 N=40", lambda: _generic(3, 40), 2 * sum(comb(39, k) for k in range(4))),
    ]
    if quick:
        keep = {"Shi n=4", "Catalan n=3", "Linial n=5", "resonance R_4", "grid 5x5 (R^2)"}
        out = [r for r in out if r[0] in keep]
    return out


def n_reps(first):
    return 5 if first < 0.5 else 3 if first < 3 else 1


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    res = fn()
    times = [time.perf_counter() - t0]
    for _ in range(n_reps(times[0]) - 1):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return res, statistics.median(times)


def chi_list(P):
    return [int(c) for c in reversed(P.all_coeffs())]


# ----------------------------------------------------------------- Sage, in a child
def _sage_child(conn, what, rows_int, dim, want_signs):
    try:
        t0 = time.perf_counter()
        A = _sage.sage_arrangement(rows_int, dim)
        if what == "regions":
            regs = A.regions()
            sec = time.perf_counter() - t0
            S = None
            if want_signs:
                S = _sage.sign_vectors(rows_int, _sage.region_points(regs))
            conn.send((sec, len(regs), S))
        elif what == "count":
            n = A.n_regions()
            conn.send((time.perf_counter() - t0, int(n), None))
        else:
            chi = A.characteristic_polynomial()
            sec = time.perf_counter() - t0
            conn.send((sec, [int(c) for c in chi.list()], None))
    except Exception as exc:  # pragma: no cover - reported in the table
        conn.send((None, f"{type(exc).__name__}: {exc}", None))
    conn.close()


def sage_cell(what, arr, cap, want_signs=False):
    """(seconds or None, result) of one Sage computation, killed after ``cap`` seconds."""
    rows_int = _sage.integer_rows(arr.normals.tolist(), arr.offsets.tolist())
    ctx = mp.get_context("fork")
    a, b = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_sage_child, args=(b, what, rows_int, arr.dim, want_signs))
    p.start()
    b.close()
    got = None
    if a.poll(cap):
        try:
            got = a.recv()
        except EOFError:
            got = None
    if p.is_alive():
        p.kill()
    p.join()
    if got is None or got[0] is None:
        return None, (None if got is None else got[1]), None
    return got


def fmt_s(x):
    if x is None:
        return "—"
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def fmt_r(s, o):
    if s is None or o is None or o <= 0:
        return "—"
    r = s / o
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cap", type=float, default=300.0, help="Sage time cap per cell (s)")
    ap.add_argument("--no-sage", action="store_true")
    args = ap.parse_args(argv)
    use_sage = _sage.HAVE_SAGE and not args.no_sage
    load0 = os.getloadavg()
    print(f"# zonotope {zonotope.__version__}, numpy {np.__version__}, python "
          f"{platform.python_version()}, {os.cpu_count()} cores (shared with other jobs; "
          f"load average at start {load0[0]:.1f}); sage: "
          f"{'passagemath ' + _sage_version() if _sage.HAVE_SAGE else 'not importable'}")
    print(f"# Sage cells capped at {args.cap:.0f} s each (forked child, killed at the cap)")
    if not use_sage:
        print(f"# Sage columns n/a ({'--no-sage' if args.no_sage else _sage.SAGE_ERROR})")
    enumerate_chambers(lib.shi_arrangement(3))  # warm-up (imports, caches)
    cols = ["arrangement", "regions", "ours reg s", "us/reg", "Sage reg s", "x", "ours cnt s",
            "Sage cnt s", "x", "ours chi s", "Sage chi s", "x", "check"]
    widths = [18, 9, 10, 7, 10, 6, 10, 10, 6, 10, 10, 6, 5]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    print(line)
    print("-" * len(line))
    all_ok = True
    for name, make, closed in rows(args.quick):
        A = make()
        ch, t_reg = timed(lambda: enumerate_chambers(A, max_chambers=None))
        n, t_cnt = timed(lambda: count_chambers(A))
        chi, t_chi = timed(lambda: characteristic_polynomial(A))
        chi = chi_list(chi)
        chi += [0] * (A.dim + 1 - len(chi))
        ok = len(ch) == n == abs(sum(c * (-1) ** k for k, c in enumerate(chi)))
        ok &= closed is None or n == closed
        sr = sc = sx = None
        if use_sage:
            want = n <= 20000
            sr, nr, S = sage_cell("regions", A, args.cap, want)
            if sr is not None:
                ok &= nr == n
                if S is not None:
                    ok &= {r.tobytes() for r in np.packbits(S > 0, axis=1)} == \
                          {r.tobytes() for r in ch.packed}
            sc, nc, _ = sage_cell("count", A, args.cap)
            if sc is not None:
                ok &= nc == n
            sx, cx, _ = sage_cell("chi", A, args.cap)
            if sx is not None:
                ok &= (cx + [0] * (len(chi) - len(cx))) == chi
        all_ok &= bool(ok)
        cells = [name, f"{n}", fmt_s(t_reg), f"{1e6 * t_reg / n:.1f}", fmt_s(sr), fmt_r(sr, t_reg),
                 fmt_s(t_cnt), fmt_s(sc), fmt_r(sc, t_cnt), fmt_s(t_chi), fmt_s(sx), fmt_r(sx, t_chi),
                 "ok" if ok else "FAIL"]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    load1 = os.getloadavg()
    print(f"# load average at end {load1[0]:.1f}; all checks {'passed' if all_ok else 'FAILED'}")
    return 0 if all_ok else 1


def _sage_version():
    try:
        from importlib.metadata import version

        return version("passagemath-polyhedra")
    except Exception:  # pragma: no cover
        return "?"


if __name__ == "__main__":
    sys.exit(main())
