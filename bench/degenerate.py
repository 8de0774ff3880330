"""Degenerate arrangements: ours vs SageMath for regions, count and characteristic polynomial.

Usage::

    python bench/degenerate.py              # every row (Sage cells capped at 300 s each)
    python bench/degenerate.py --quick      # small rows only
    python bench/degenerate.py --cap 60     # Sage time cap per cell (seconds)
    python bench/degenerate.py --fvector    # f-vectors of zonotopes, ours vs Sage
    python bench/degenerate.py --split      # distributed split: split time vs work time
    python bench/degenerate.py --scale      # counting at scale: R_7, generic d=4 N=200
    python bench/degenerate.py --rates      # per-region cost of enumeration vs generic data
    python bench/degenerate.py --scale-k    # the same data scaled by 2^k: time vs k = 0
    python bench/degenerate.py --symmetry   # chi on one flat per orbit vs every flat (and Sage)

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

import _sage  # noqa: E402

import zonotope  # noqa: E402
from zonotope import Arrangement, characteristic_polynomial, count_chambers, enumerate_chambers  # noqa: E402
from zonotope import library as lib  # noqa: E402


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


def _sage_fvector_child(conn, gens):
    try:
        from sage.geometry.polyhedron.library import polytopes
        from sage.rings.rational_field import QQ

        t0 = time.perf_counter()
        P = polytopes.zonotope([[QQ(int(v)) for v in g] for g in gens])
        f = P.f_vector()
        conn.send((time.perf_counter() - t0, [int(v) for v in f][1:], None))
    except Exception as exc:  # pragma: no cover
        conn.send((None, f"{type(exc).__name__}: {exc}", None))
    conn.close()


def fvector_table(cap, use_sage):
    """f-vectors: ``Zonotope(G).f_vector()`` vs Sage ``polytopes.zonotope(G).f_vector()``."""
    from zonotope import Zonotope

    ang = np.arange(350)
    poly = np.stack([np.round(1000 * np.cos(np.pi * ang / 350)),
                     np.round(1000 * np.sin(np.pi * ang / 350))], 1).astype(int)
    cases = [
        ("polygon, 350 gens", poly.tolist()),
        ("R^3, 40 gens", np.random.default_rng(0).integers(-5, 6, (40, 3)).tolist()),
        ("R^4, 15 gens", np.random.default_rng(1).integers(-3, 4, (15, 4)).tolist()),
        ("R^5, 12 gens", np.random.default_rng(2).integers(-2, 3, (12, 5)).tolist()),
        ("permutohedron n=5", [[1 if k == i else -1 if k == j else 0 for k in range(5)]
                               for i, j in itertools.combinations(range(5), 2)]),
    ]
    print("\n# f-vectors of zonotopes (Sage: polytopes.zonotope(G) + f_vector(), one run, "
          f"cap {cap:.0f} s; machine shared)")
    cols = ["zonotope", "f-vector", "ours s", "Sage s", "x", "check"]
    widths = [18, 44, 8, 8, 7, 5]
    print("  ".join(c.rjust(w) for c, w in zip(cols, widths)))
    ok_all = True
    for name, G in cases:
        f, t = timed(lambda: Zonotope(G).f_vector())
        st, sf = None, None
        if use_sage:
            ctx = mp.get_context("fork")
            a, b = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_sage_fvector_child, args=(b, G))
            p.start()
            b.close()
            got = a.recv() if a.poll(cap) else None
            if p.is_alive():
                p.kill()
            p.join()
            if got is not None and got[0] is not None:
                st, sf = got[0], got[1]
        ok = sf is None or tuple(sf) == tuple(f)
        ok &= sum((-1) ** k * v for k, v in enumerate(f)) == 1  # Euler
        ok_all &= ok
        cells = [name, str(tuple(f)), fmt_s(t), fmt_s(st), fmt_r(st, t), "ok" if ok else "FAIL"]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    return ok_all


def split_table():
    """The distributed split: driver time to split vs the time of the tasks."""
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    from zonotope.parallel import enumerate_chambers_distributed

    print("\n# distributed split (enumerate_chambers_distributed; 2 cores shared with other jobs)")
    cols = ["arrangement", "chambers", "executor", "tasks", "split s", "work s", "single s", "check"]
    widths = [18, 9, 20, 6, 8, 8, 9, 5]
    print("  ".join(c.rjust(w) for c, w in zip(cols, widths)))
    ok_all = True
    for name, A in [("generic d=3 N=150", _generic(3, 150)), ("generic d=4 N=60", _generic(4, 60)),
                    ("grid 4x4x3 (R^3)", _grid(4, 4, 3))]:
        ref, t_single = timed(lambda: enumerate_chambers(A, interior_points=False, max_chambers=None))
        refset = {r.tobytes() for r in ref.packed}
        for ex_name in ("serial", "processes(2)", "dask LocalCluster(2)"):
            with tempfile.TemporaryDirectory() as d:
                if ex_name == "serial":
                    run = enumerate_chambers_distributed(A, d, n_tasks=32, progress=False)
                    ex = None
                elif ex_name == "processes(2)":
                    with ProcessPoolExecutor(2) as ex:
                        run = enumerate_chambers_distributed(A, d, executor=ex, n_tasks=32, progress=False)
                else:
                    import distributed

                    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                                  dashboard_address=None) as cl, distributed.Client(cl) as c:
                        run = enumerate_chambers_distributed(A, d, executor=c, n_tasks=32, progress=False)
                rows = [r.tobytes() for blk in run.store.iter_blocks() for r in blk]
                ok = len(rows) == len(set(rows)) and set(rows) == refset
                ok_all &= ok
                cells = [name, str(len(ref)), ex_name, str(run.n_tasks), fmt_s(run.split_seconds),
                         fmt_s(run.work_seconds), fmt_s(t_single), "ok" if ok else "FAIL"]
                print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    return ok_all


def scale_table():
    """Counting without listing at scale (one run each)."""
    import resource
    from math import comb

    print("\n# counting at scale (count_chambers, one run each; machine shared)")
    out = True
    for name, make, expected in [
            ("resonance R_6", lambda: lib.resonance_arrangement(6), 1066044),
            ("resonance R_7", lambda: lib.resonance_arrangement(7), 347326352),
            ("generic d=4 N=200", lambda: _generic(4, 200), 2 * sum(comb(199, k) for k in range(5)))]:
        A = make()
        t0, c0 = time.perf_counter(), time.process_time()
        n = count_chambers(A, max_work=None)  # the work guard would refuse d=4 N=200 (1.3e10)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ok = n == expected
        out &= ok
        print(f"{name:>20}  {n:>12}  wall {wall:8.1f} s  cpu {cpu:8.1f} s  peak RSS so far "
              f"{peak:7.0f} MB  {'ok' if ok else 'FAIL'}", flush=True)
    return out


def symmetry_table(cap, use_sage):
    """The lattice invariants on one flat per orbit vs on every flat (and vs Sage)."""
    from zonotope.lattice import count_regions
    from zonotope.symmetry import coordinate_symmetries

    print("\n# symmetry (characteristic polynomial: plain Weisner recursion vs one flat per orbit of "
          "the coordinate permutations that map A to itself; auto = the default symmetry='auto'; "
          "medians; machine shared)")
    cols = ["arrangement", "regions", "|G|", "detect s", "plain chi s", "orbit chi s", "plain/orbit",
            "Sage chi s", "Sage/orbit", "plain cnt s", "orbit cnt s", "auto cnt s", "check"]
    widths = [16, 11, 6, 9, 11, 11, 11, 10, 10, 11, 11, 10, 5]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    print(line)
    print("-" * len(line))
    ok_all = True
    for name, make, big in [
            ("braid n=7", lambda: lib.braid_arrangement(7), False),
            ("Catalan n=5", lambda: lib.catalan_arrangement(5), False),
            ("Catalan n=6", lambda: lib.catalan_arrangement(6), False),
            ("threshold n=6", lambda: lib.threshold_arrangement(6), False),
            ("resonance R_5", lambda: lib.resonance_arrangement(5), False),
            ("resonance R_6", lambda: lib.resonance_arrangement(6), False),
            ("resonance R_7", lambda: lib.resonance_arrangement(7), True)]:
        A = make()
        G, t_det = timed(lambda: coordinate_symmetries(make()))
        if big:  # one run each (minutes)
            t0 = time.perf_counter()
            chi_o = characteristic_polynomial(make(), symmetry="coordinates")
            t_o = time.perf_counter() - t0
            t0 = time.perf_counter()
            n_o = count_regions(make(), symmetry="coordinates")
            tc_o = time.perf_counter() - t0
            t0 = time.perf_counter()
            n_p = count_regions(make(), symmetry=None)
            tc_p = time.perf_counter() - t0
            t0 = time.perf_counter()
            n_a = count_regions(make())
            tc_a = time.perf_counter() - t0
            chi_p, t_p = None, None
        else:
            chi_o, t_o = timed(lambda: characteristic_polynomial(make(), symmetry="coordinates"))
            chi_p, t_p = timed(lambda: characteristic_polynomial(make(), symmetry=None))
            n_o, tc_o = timed(lambda: count_regions(make(), symmetry="coordinates"))
            n_p, tc_p = timed(lambda: count_regions(make(), symmetry=None))
            n_a, tc_a = timed(lambda: count_regions(make()))
        ok = n_o == n_p == n_a and (chi_p is None or chi_o == chi_p)
        ok &= n_o == sum(abs(c) for c in chi_list(chi_o))
        sx = None
        if use_sage and not big:
            sx, cx, _ = sage_cell("chi", A, cap)
            if sx is not None:
                ok &= cx == chi_list(chi_o) + [0] * (len(cx) - len(chi_list(chi_o)))
        ok_all &= bool(ok)
        cells = [name, f"{n_o:,}", f"{len(G)}", fmt_s(t_det), fmt_s(t_p), fmt_s(t_o), fmt_r(t_p, t_o),
                 fmt_s(sx), fmt_r(sx, t_o), fmt_s(tc_p), fmt_s(tc_o), fmt_s(tc_a), "ok" if ok else "FAIL"]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    return ok_all


def _same_shape_generic(A, seed=0):
    """Generic Gaussian hyperplanes of the shape of ``A``: as many, in its essential dimension.

    Affine ``A`` (rank ``r`` normals): ``N`` generic affine hyperplanes in ``R^r``; central
    ``A``: ``N`` generic central hyperplanes in ``R^r``.  Its regions have the same
    number of signs as those of ``A`` and live in the same dimension, so the ratio of
    the per-region costs isolates the price of the degenerate vertices.
    """
    from zonotope import Arrangement

    N, r = A.n_hyperplanes, A.rank
    g = np.random.default_rng([seed, N, r])
    if A.is_central:
        return Arrangement(g.standard_normal((N, r)))
    return Arrangement(g.standard_normal((N, r)), g.standard_normal(N))


def _generic_count(A):
    from math import comb

    N, r = A.n_hyperplanes, A.rank
    if A.is_central:
        return 2 * sum(comb(N - 1, k) for k in range(r))
    return sum(comb(N, k) for k in range(r + 1))


def _time_enum(make, reps):
    """Median wall and CPU seconds of ``enumerate_chambers`` (fresh object per run) and the count."""
    walls, cpus = [], []
    enumerate_chambers(make(), max_chambers=None)  # untimed warm-up of this row
    n = None
    for _ in range(reps):
        A = make()  # a fresh object per run: nothing cached on it is reused
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        ch = enumerate_chambers(A, max_chambers=None)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        n = len(ch)
        del ch
    return statistics.median(walls), statistics.median(cpus), n


def rates_table(same_shape=True):
    """Per-region cost of ``enumerate_chambers`` (default: certified interior points).

    One run, every row: wall time (``perf_counter``) and CPU time (``process_time``),
    medians of repeats (3 to 15, more for the short rows; 1 for the two largest; each
    on a freshly built arrangement, construction not timed) after one untimed run of
    the same row (steady state: the first large run of a process also pays the page
    faults of growing its heap, up to 2x on the generic row), BLAS single-threaded as
    set by the caller.  The ratio ``x gen`` is the per-region cost over that of generic
    d = 3, N = 100 measured in the same run (issue 15: within 5x; generic rate at least
    1M regions/s).  ``x same-shape`` divides by the per-region CPU cost of generic
    Gaussian hyperplanes of the same number, essential dimension and type (affine or
    central) as the row, measured in the same run (``-`` for more than 10 million
    generic regions).
    """
    from math import comb

    print("\n# enumeration rates (enumerate_chambers, certified interior points; medians; "
          f"BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}; machine shared, "
          f"load average {os.getloadavg()[0]:.1f})")
    spec = [
        ("generic d=3 N=100", lambda: _generic(3, 100), 2 * sum(comb(99, k) for k in range(4)), 7),
        ("generic d=3 N=200", lambda: _generic(3, 200), 2 * sum(comb(199, k) for k in range(4)), 1),
        ("Shi n=6", lambda: lib.shi_arrangement(6), 7 ** 5, 9),
        ("Shi n=7", lambda: lib.shi_arrangement(7), 8 ** 6, 3),
        ("Catalan n=5", lambda: lib.catalan_arrangement(5), _fact(5) * 42, 15),
        ("Catalan n=6", lambda: lib.catalan_arrangement(6), _fact(6) * 132, 5),
        ("grid 4x4x3 (R^3)", lambda: _grid(4, 4, 3), None, 9),
        ("resonance R_6", lambda: lib.resonance_arrangement(6), 1066044, 1),
    ]
    cols = ["arrangement", "regions", "wall s", "cpu s", "us/reg wall", "us/reg cpu",
            "x gen wall", "x gen cpu", "k reg/s cpu", "same-shape us/reg", "x same-shape", "check"]
    widths = [18, 10, 8, 8, 11, 10, 10, 9, 11, 17, 12, 5]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    print(line)
    print("-" * len(line))
    enumerate_chambers(lib.shi_arrangement(3))  # warm-up (imports, caches)
    ok_all = True
    ref = None
    for name, make, expected, reps in spec:
        wall, cpu, n = _time_enum(make, reps)
        uw, uc = 1e6 * wall / n, 1e6 * cpu / n
        if ref is None:
            ref = (uw, uc)
        ok = expected is None or n == expected
        same_u = same_x = "-"
        if same_shape and not name.startswith("generic"):
            A0 = make()
            gcount = _generic_count(A0)
            if gcount <= 10_000_000:
                gw, gc_, gn = _time_enum(lambda: _same_shape_generic(A0), 1 if gcount > 1_000_000 else 3)
                ok &= gn == gcount
                same_u = f"{1e6 * gc_ / gn:.2f} ({gn:,})"
                same_x = f"{uc / (1e6 * gc_ / gn):.2f}"
        ok_all &= ok
        cells = [name, f"{n:,}", f"{wall:.3f}", f"{cpu:.3f}", f"{uw:.2f}", f"{uc:.2f}",
                 f"{uw / ref[0]:.2f}", f"{uc / ref[1]:.2f}", f"{n / cpu / 1e3:.0f}", same_u, same_x,
                 "ok" if ok else "FAIL"]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    return ok_all


def scale_k_table():
    """Enumeration and counting of the same data scaled by ``2^k`` (issue 15).

    Every row must give the sign vectors of ``k = 0`` (checked) with interior points
    certified for the scaled data (checked exactly); the time should not depend on
    ``k``.  Medians of 3 (wall ``perf_counter`` and CPU ``process_time``).
    """
    print("\n# scaling by 2^k (enumerate_chambers with certified points, count_chambers; medians of 3; "
          f"machine shared, load average {os.getloadavg()[0]:.1f})")
    cols = ["data", "k", "regions", "enum wall s", "enum cpu s", "x k=0 cpu", "count cpu s", "check"]
    widths = [22, 6, 8, 11, 10, 9, 11, 5]
    line = "  ".join(c.rjust(w) for c, w in zip(cols, widths))
    print(line)
    print("-" * len(line))
    ok_all = True
    G = np.array(list(itertools.product(range(4), range(4), range(3))), dtype=float)
    for name, X in [("generic d=3 N=40", np.random.default_rng([0, 3, 40]).standard_normal((40, 3))),
                    ("generic d=3 N=100", np.random.default_rng([0, 3, 100]).standard_normal((100, 3))),
                    ("grid 4x4x3 (R^3)", G)]:
        ref, ref_cpu = None, None
        for k in (0, -60, 60, -1000, 1000):
            A = Arrangement.from_points(np.ldexp(X, k))
            walls, cpus, ccpus = [], [], []
            for _ in range(3):
                gc.collect()
                t0, c0 = time.perf_counter(), time.process_time()
                ch = enumerate_chambers(A, max_chambers=None)
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
                c0 = time.process_time()
                n = count_chambers(A)
                ccpus.append(time.process_time() - c0)
            cpu = statistics.median(cpus)
            if ref is None:
                ref, ref_cpu = ch.packed, cpu
            inside = np.all(A.sign_vectors(ch.interior_points) == ch.sign_vectors, axis=1)
            inside[ch.uncertified] = True  # those have exact rational points instead
            ok = np.array_equal(ch.packed, ref) and n == len(ch) and bool(np.all(inside))
            ok_all &= ok
            cells = [name, f"{k}", f"{len(ch):,}", f"{statistics.median(walls):.3f}", f"{cpu:.3f}",
                     f"{cpu / ref_cpu:.2f}", f"{statistics.median(ccpus):.3f}", "ok" if ok else "FAIL"]
            print("  ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    return ok_all


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cap", type=float, default=300.0, help="Sage time cap per cell (s)")
    ap.add_argument("--no-sage", action="store_true")
    ap.add_argument("--fvector", action="store_true", help="only the f-vector table")
    ap.add_argument("--split", action="store_true", help="only the distributed-split table")
    ap.add_argument("--scale", action="store_true", help="only the counting-at-scale table")
    ap.add_argument("--rates", action="store_true", help="only the enumeration-rate table")
    ap.add_argument("--scale-k", action="store_true", help="only the scaling-by-2^k table")
    ap.add_argument("--symmetry", action="store_true", help="only the symmetry table")
    ap.add_argument("--rows", default=None, help="comma-separated row names to run (default: all)")
    args = ap.parse_args(argv)
    use_sage = _sage.HAVE_SAGE and not args.no_sage
    if args.fvector or args.split or args.scale or args.rates or args.scale_k or args.symmetry:
        print(f"# zonotope {zonotope.__version__}, {os.cpu_count()} cores shared with other jobs "
              f"(load average {os.getloadavg()[0]:.1f})")
        ok = True
        if args.fvector:
            ok &= fvector_table(args.cap, use_sage)
        if args.split:
            ok &= split_table()
        if args.scale:
            ok &= scale_table()
        if args.rates:
            ok &= rates_table()
        if args.scale_k:
            ok &= scale_k_table()
        if args.symmetry:
            ok &= symmetry_table(args.cap, use_sage)
        return 0 if ok else 1
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
    selected = rows(args.quick)
    if args.rows:
        want = {r.strip() for r in args.rows.split(",")}
        selected = [r for r in selected if r[0] in want]
    for name, make, closed in selected:
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
