"""Before/after enumeration timings of two source trees, measured in the same run.

Usage::

    git archive <old-commit> zonotope | tar -x -C /tmp/old
    python bench/before_after.py /tmp/old .            # old tree vs this checkout
    python bench/before_after.py /tmp/old . --rounds 5

Each case runs ``enumerate_chambers`` (certified interior points) in a fresh Python
process per tree (``PYTHONPATH`` points at the tree), alternating the two trees for
``--rounds`` rounds; each process warms up once, then times 3 to 15 runs (about 2 s)
on freshly built arrangements and reports the median CPU time.  The table gives the
median over the rounds, per region, and the ratio after / before.  BLAS is
single-threaded.  Counts are not checked here (the rate and Sage tables of
``bench/degenerate.py`` check them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

CASES = {  # expressions evaluated in the child (helpers: data, affine, grid, lib, np)
    "generic d=2 N=1000": "data(np.random.default_rng([0, 2, 1000]).standard_normal((1000, 2)))",
    "generic d=3 N=40": "data(np.random.default_rng([0, 3, 40]).standard_normal((40, 3)))",
    "generic d=3 N=100": "data(np.random.default_rng([0, 3, 100]).standard_normal((100, 3)))",
    "generic d=4 N=60": "data(np.random.default_rng([0, 4, 60]).standard_normal((60, 4)))",
    "generic d=5 N=30": "data(np.random.default_rng([0, 5, 30]).standard_normal((30, 5)))",
    "generic affine 30 in R^5": "affine(30, 5)",
    "braid n=6": "lib.braid_arrangement(6)",
    "Shi n=6": "lib.shi_arrangement(6)",
    "Shi n=7": "lib.shi_arrangement(7)",
    "Catalan n=5": "lib.catalan_arrangement(5)",
    "Catalan n=6": "lib.catalan_arrangement(6)",
    "Linial n=6": "lib.linial_arrangement(6)",
    "semiorder n=5": "lib.semiorder_arrangement(5)",
    "threshold n=6": "lib.threshold_arrangement(6)",
    "resonance R_5": "lib.resonance_arrangement(5)",
    "resonance R_6": "lib.resonance_arrangement(6)",
    "grid 5x5 (R^2)": "grid(5, 5)",
    "grid 4x4x3 (R^3)": "grid(4, 4, 3)",
    "grid 3x3x3x2 (R^4)": "grid(3, 3, 3, 2)",
    "repeated+coplanar pts (R^3)": ("data(np.vstack([np.random.default_rng(5).integers(-3, 4, (30, 3)), "
                                    "np.c_[np.random.default_rng(6).integers(-3, 4, (15, 2)), "
                                    "np.zeros(15)]]))"),
    "random small-int data (R^4)": "data(np.random.default_rng(9).integers(-2, 3, (25, 4)))",
}

CHILD = r'''
import sys, time, itertools, numpy as np
import zonotope
from zonotope import Arrangement, enumerate_chambers
from zonotope import library as lib
data = lambda X: Arrangement.from_points(np.asarray(X, dtype=float))
affine = lambda N, d: Arrangement(np.random.default_rng([0, N, d]).standard_normal((N, d)),
                                  np.random.default_rng([1, N, d]).standard_normal(N))
grid = lambda *shape: data(list(itertools.product(*[range(s) for s in shape])))
make = lambda: eval(sys.argv[1])
enumerate_chambers(make(), max_chambers=None)
ts = []
t_end = time.perf_counter() + 2.0
while len(ts) < 3 or (time.perf_counter() < t_end and len(ts) < 15):
    A = make()
    c0 = time.process_time()
    n = len(enumerate_chambers(A, max_chambers=None))
    ts.append(time.process_time() - c0)
print(sorted(ts)[len(ts) // 2], n, zonotope.__file__)
'''


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before", help="directory holding the old `zonotope/` package")
    ap.add_argument("after", help="directory holding the new `zonotope/` package")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cases", default=None, help="comma-separated case names (default: all)")
    args = ap.parse_args(argv)
    for path in (args.before, args.after):
        if not os.path.isfile(os.path.join(path, "zonotope", "__init__.py")):
            ap.error(f"{path!r} holds no zonotope/ package")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    cases = CASES if args.cases is None else {k: CASES[k.strip()] for k in args.cases.split(",")}
    print(f"# before: {os.path.abspath(args.before)}  after: {os.path.abspath(args.after)}  "
          f"rounds: {args.rounds}  load average {os.getloadavg()[0]:.1f}")
    print(f"{'case':>28} {'regions':>10} {'before ms':>10} {'after ms':>10} {'us/reg before':>14} "
          f"{'us/reg after':>13} {'after/before':>12}")
    for name, expr in cases.items():
        res = {"before": [], "after": []}
        n = None
        for _ in range(args.rounds):
            for tag, path in (("before", args.before), ("after", args.after)):
                out = subprocess.run([sys.executable, "-c", CHILD, expr], cwd="/",
                                     env=dict(env, PYTHONPATH=os.path.abspath(path)),
                                     capture_output=True, text=True)
                if out.returncode:
                    print(f"{name} ({tag}) failed:\n{out.stderr[-2000:]}")
                    return 1
                t, n, where = out.stdout.split()
                if not os.path.abspath(where).startswith(os.path.abspath(path) + os.sep):
                    print(f"{name} ({tag}): imported {where}, not the tree {path}")
                    return 1
                res[tag].append(float(t))
        b, a = statistics.median(res["before"]), statistics.median(res["after"])
        n = int(n)
        print(f"{name:>28} {n:>10,} {b * 1e3:>10.2f} {a * 1e3:>10.2f} {1e6 * b / n:>14.2f} "
              f"{1e6 * a / n:>13.2f} {a / b:>12.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
