"""Greedy local search over vertices: GLS (best improvement) vs mGLS (first improvement).

Usage::

    python bench/search.py                       # d = 4 (m = 1, 2, 4) and d = 8, N = 72, m = 8
    python bench/search.py --quick               # only the d = 4 rows
    python bench/search.py --seeds 3             # seeds per row (default 3 for d = 4, 1 for d = 8)
    python bench/search.py --n-jobs 2            # processes of the GLS runs at d = 8 (default 2)
    python bench/search.py --reference OLD       # before/after: the same runs with the
                                                 # relu package of the checkout OLD

Data: :func:`relu.experiments.teacher_data` (Gaussian inputs, a random teacher with
``m_gen`` units, ``N = (d + 1) m_gen``), second layer ``(+1, -1, ..., 0)``.  For every
seed all searches start from the same vertex (``relu.random_pattern``) and run to a
certified local minimum (``max_steps=100000``; ``status == "converged"``: every
neighbour was solved, or skipped by the KKT argument of
:mod:`relu.search.local_search`, and none improves by more than ``tol = 1e-9``
relative).  Every run is a fresh Python process (``--worker``), so runs do not share
caches and the reference checkout is imported cleanly.  Columns: wall-clock seconds
(``time.perf_counter``) and processor seconds (``time.process_time`` of the run's
process plus the processor time of its worker processes, ``RUSAGE_CHILDREN``), convex
solves, moves, status, the final relative loss; mGLS's saving = ``1 - mGLS / GLS`` for
solves and seconds.  GLS runs with ``n_jobs = 1`` everywhere and, at d = 8, also with
``--n-jobs`` processes.  The machine may be shared with other jobs: timings are noisy,
and the load average (``os.getloadavg``) is printed before and after.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def worker(spec):
    """One run in this process; prints one JSON line."""
    import resource

    import relu
    from relu.experiments import teacher_data

    d, m_gen, m, seed, strategy, n_jobs = (spec[k] for k in
                                           ("d", "m_gen", "m", "seed", "strategy", "n_jobs"))
    data = teacher_data(d, m_gen, rng=1000 + seed)
    X, y = data.X, data.y
    P, _ = relu.random_pattern(X, m, rng=seed)
    v = relu.alternating_second_layer(m)
    kw = {} if n_jobs == 1 else {"n_jobs": n_jobs}
    ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t, c = time.perf_counter(), time.process_time()
    r = relu.local_search(X, y, m, v, start=P, strategy=strategy, max_steps=100_000, **kw)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (ch1.ru_utime + ch1.ru_stime) - (ch0.ru_utime + ch0.ru_stime)
    print(json.dumps({"wall": wall, "cpu": cpu, "solves": int(r.n_solves),
                      "moves": int(r.info["n_moves"]), "status": r.status,
                      "rel_loss": float(r.loss / np.mean(y ** 2)), "objective": float(r.objective),
                      "patterns": np.asarray(r.patterns).astype(int).tolist()}))


def run(spec, root=None):
    """Run ``worker(spec)`` in a fresh process (with ``root`` first on the path)."""
    env = dict(os.environ)
    if root is not None:
        env["PYTHONPATH"] = os.path.abspath(root) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(spec)],
                         env=env, capture_output=True, text=True, check=True,
                         cwd=os.path.abspath(root) if root else None)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only the d = 4 rows")
    ap.add_argument("--only-large", action="store_true", help="only the d = 8 row")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per row")
    ap.add_argument("--n-jobs", type=int, default=2, help="processes of the GLS runs at d = 8")
    ap.add_argument("--reference", default=None, metavar="DIR",
                    help="a checkout whose relu package is the 'before' column")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker))
        return
    cases = [] if args.only_large else [(4, 2, 1), (4, 2, 2), (4, 2, 4)]
    cases += [] if args.quick else [(8, 8, 8)]
    print("GLS (best improvement) vs mGLS (first improvement, multiplier order) to a certified "
          "local minimum; each run a fresh process;")
    print("OPENBLAS_NUM_THREADS=1; the machine may be shared with other jobs (timings are noisy); "
          "load average before: %.2f %.2f %.2f" % os.getloadavg())
    hdr = (f"{'(d, m_gen, N, m)':18s} {'seed':>4s} {'method':14s} {'wall s':>8s} {'cpu s':>8s} "
           f"{'solves':>7s} {'moves':>6s} {'status':>10s} {'rel. loss':>10s}")
    print(hdr)
    print("-" * len(hdr))
    summary = []
    for d, m_gen, m in cases:
        n_seeds = args.seeds or (3 if d == 4 else 1)
        methods = [("GLS", "best", 1), ("mGLS", "first", 1)]
        if d == 8 and args.n_jobs > 1:
            methods.insert(1, (f"GLS n_jobs={args.n_jobs}", "best", args.n_jobs))
        rows = {}
        for s in range(n_seeds):
            for label, strategy, n_jobs in methods:
                spec = {"d": d, "m_gen": m_gen, "m": m, "seed": s, "strategy": strategy,
                        "n_jobs": n_jobs}
                runs = [("", None)]
                if args.reference and n_jobs == 1:
                    runs.insert(0, (" (before)", args.reference))
                for tag, root in runs:
                    r = run(spec, root)
                    rows.setdefault(label + tag, []).append(r)
                    N = (d + 1) * m_gen
                    print(f"{str((d, m_gen, N, m)):18s} {s:>4d} {label + tag:14s} "
                          f"{r['wall']:8.2f} {r['cpu']:8.2f} {r['solves']:>7d} {r['moves']:>6d} "
                          f"{r['status']:>10s} {r['rel_loss']:10.3g}", flush=True)
                if n_jobs > 1 and rows.get("GLS"):
                    a, b = rows["GLS"][-1], rows[label][-1]
                    print(f"{'':18s} {'':>4s} {'':14s} same vertex as n_jobs=1: "
                          f"{a['patterns'] == b['patterns']}; same objective: "
                          f"{a['objective'] == b['objective']}", flush=True)
                if args.reference and n_jobs == 1:
                    a, b = rows[label + " (before)"][-1], rows[label][-1]
                    same = a["patterns"] == b["patterns"]
                    rel = abs(a["objective"] - b["objective"]) / max(abs(a["objective"]), 1e-300)
                    print(f"{'':18s} {'':>4s} {'':14s} same vertex as before: {same}; "
                          f"objective rel. diff {rel:.1e}", flush=True)
        med = {k: {f: float(np.median([r[f] for r in v])) for f in ("wall", "cpu", "solves",
                                                                   "moves")}
               for k, v in rows.items()}
        summary.append(((d, m_gen, (d + 1) * m_gen, m), med))
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    print()
    print("median over seeds; wall / cpu seconds (cpu includes worker processes); "
          "saving = 1 - mGLS / GLS (n_jobs = 1)")
    hdr2 = (f"{'(d, m_gen, N, m)':18s} {'method':16s} {'wall':>8s} {'cpu':>8s} {'solves':>7s} "
            f"{'moves':>6s}")
    print(hdr2)
    print("-" * len(hdr2))
    for case, med in summary:
        for k, v in med.items():
            print(f"{str(case):18s} {k:16s} {v['wall']:8.2f} {v['cpu']:8.2f} {v['solves']:7.0f} "
                  f"{v['moves']:6.0f}")
        b, f = med["GLS"], med["mGLS"]
        print(f"{str(case):18s} {'mGLS saving':16s} {1 - f['wall'] / b['wall']:8.1%} "
              f"{1 - f['cpu'] / b['cpu']:8.1%} {1 - f['solves'] / b['solves']:7.1%}")
        if "GLS (before)" in med:
            a = med["GLS (before)"]
            print(f"{str(case):18s} {'GLS before/after':16s} {a['wall'] / b['wall']:7.2f}x "
                  f"{a['cpu'] / b['cpu']:7.2f}x")
            key = next((k for k in med if k.startswith("GLS n_jobs")), None)
            if key:
                c = med[key]
                print(f"{str(case):18s} {'before/' + key[4:]:16s} {a['wall'] / c['wall']:7.2f}x "
                      f"{a['cpu'] / c['cpu']:7.2f}x")


if __name__ == "__main__":
    main()
