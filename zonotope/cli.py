"""Command-line interface: ``zonotope <subcommand>`` (``zonotope --help`` lists them)."""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction

import numpy as np

__all__ = ["main", "FIGURE1_POINTS", "load_data"]

from .library import figure1_points

#: The built-in example (see :func:`zonotope.library.figure1_points`).
FIGURE1_POINTS = figure1_points().tolist()


def load_data(path):
    """Load a CSV/whitespace data file ``x_1, ..., x_d[, y]``.

    Blank lines and lines starting with ``#`` are skipped, and so is a first row of
    column names (a header such as ``x1,x2,y``: a first row with no number in it).
    Returns the numeric matrix as floats, or as exact Fractions when every entry is
    written as an integer or a fraction ``p/q``.
    """
    from .exceptions import ValidationError

    rows, lines = [], []
    try:
        with open(path) as fh:
            for k, line in enumerate(fh, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                rows.append([t for t in line.replace(",", " ").split()])
                lines.append(k)
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"`path` of `load_data` must be a readable text file; got {path!r} ({exc}).") from None
    if rows and not any(_is_number(t) for t in rows[0]):
        rows, lines = rows[1:], lines[1:]           # header row of column names
    if not rows:
        raise ValidationError(f"`path` of `load_data` must contain at least one data row; {path!r} has none.")
    width = {len(r) for r in rows}
    if len(width) != 1:
        raise ValidationError(f"`path` of `load_data` must have the same number of columns on every row; "
                              f"got {sorted(width)} in {path!r}.")
    for r, k in zip(rows, lines):
        for t in r:
            if not _is_number(t):
                raise ValidationError(f"`path` of `load_data` must contain only numbers; {path!r} line {k} "
                                      f"has {t!r}.")
    exact = all(("." not in t and "e" not in t.lower() and "n" not in t.lower()) for r in rows for t in r)
    if exact:
        M = np.empty((len(rows), len(rows[0])), dtype=object)
        M[:] = [[_exact_num(t) for t in r] for r in rows]
    else:
        M = np.array([[float(Fraction(t)) if "/" in t else float(t) for t in r] for r in rows])
    return M


def _is_number(t):
    try:
        if "/" in t:
            Fraction(t)
        else:
            float(t)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _exact_num(t):
    f = Fraction(t)
    return f.numerator if f.denominator == 1 else f


def _fmt(v):
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"


def _print_zonotope(X, out, *, max_rows=None, force=False):
    from . import Zonotope, count_chambers
    from .arrangement import Arrangement

    t0 = time.perf_counter()
    Z = Zonotope.from_points(X, max_chambers=None if force else 1_000_000)
    A = Arrangement.from_points(X)
    n = Z.n_vertices
    print(f"data: {X.shape[0]} points in R^{X.shape[1]}  ->  arrangement of {A.n_hyperplanes} "
          f"central hyperplanes in R^{A.dim} (rank {A.rank})", file=out)
    print(f"chambers = activation patterns = zonotope vertices: {n}  "
          f"(sweep count: {count_chambers(A)})", file=out)
    exact = np.asarray(X).dtype == object
    print(f"\n  #  pattern  vertex {'(exact)' if exact else '(float)'}                      degree", file=out)
    V = Z.vertices_exact() if exact else Z.vertices
    deg = np.bincount(Z.edges.ravel(), minlength=n) if len(Z.edges) else np.zeros(n, int)
    rows = range(n) if max_rows is None else range(min(n, max_rows))
    for k in rows:
        pat = "".join(str(int(b)) for b in Z.coefficients[k])
        vert = "(" + ", ".join(_fmt(v) for v in V[k]) + ")"
        print(f"{k:3d}  {pat:>7}  {vert:<35} {deg[k]:3d}", file=out)
    if max_rows is not None and n > max_rows:
        print(f"  ... {n - max_rows} more", file=out)
    print(f"\nedges of the 1-skeleton: {len(Z.edges)}  (each flips the examples listed)", file=out)
    show = Z.edges if max_rows is None else Z.edges[:max_rows]
    for (a, b), g in zip(show, Z.edge_generators):
        print(f"  {a:3d} -- {b:3d}   flips example(s) {', '.join(map(str, g))}", file=out)
    if max_rows is not None and len(Z.edges) > max_rows:
        print(f"  ... {len(Z.edges) - max_rows} more", file=out)
    print(f"\n(computed exactly in {time.perf_counter() - t0:.3f} s)", file=out)
    return Z


def cmd_demo(args, out=None):
    out = sys.stdout if out is None else out
    X = np.array(FIGURE1_POINTS, dtype=object)
    print("Built-in example: 5 points in R^2 (a stand-in for Figure 1 of Matena & Raffel 2022)",
          file=out)
    for i, x in enumerate(FIGURE1_POINTS):
        print(f"  x_{i} = ({x[0]}, {x[1]})", file=out)
    print(file=out)
    _print_zonotope(X, out)
    for extra in DEMO_HOOKS:  # plugins (e.g. the relu layer) extend the demo
        print(file=out)
        extra(out=out)
    return 0


def cmd_chambers(args, out=None):
    out = sys.stdout if out is None else out
    X = load_data(args.input)
    if args.labels:
        X = X[:, :-1]
    if args.out:
        from .arrangement import Arrangement
        from .chamber_store import enumerate_chambers_to_disk

        st = enumerate_chambers_to_disk(Arrangement.from_points(X), args.out,
                                        max_chambers=None if args.force else 100_000_000)
        print(f"{st.n_chambers} chambers written to {args.out} "
              f"({'complete' if st.complete else 'incomplete: run again to resume'})", file=out)
        return 0
    _print_zonotope(X, out, max_rows=None if args.all else 50, force=args.force)
    return 0


def cmd_count(args, out=None):
    out = sys.stdout if out is None else out
    from . import count_chambers
    from .arrangement import Arrangement

    X = load_data(args.input)
    if args.labels:
        X = X[:, :-1]
    t0 = time.perf_counter()
    c = count_chambers(Arrangement.from_points(X))
    print(f"{c} chambers ({time.perf_counter() - t0:.3f} s)", file=out)
    return 0


#: Callables ``f(out=stream)`` run at the end of ``zonotope demo``; filled by plugins.
DEMO_HOOKS = []


def _load_plugins(sub):
    """Let installed plugins add subcommands (entry-point group ``zonotope.cli``).

    The geometry layer never imports the ReLU layer by name: ``relu`` registers
    itself here through its entry point ``register(subparsers, demo_hooks)``.
    """
    from importlib.metadata import entry_points

    for ep in entry_points(group="zonotope.cli"):
        try:
            register = ep.load()
        except ImportError:  # pragma: no cover - a broken plugin must not break the CLI
            continue
        register(sub, DEMO_HOOKS)


def build_parser():
    p = argparse.ArgumentParser(
        prog="zonotope",
        description="Exact zonotopes and hyperplane arrangements for shallow ReLU networks. "
                    "The activation patterns of a ReLU unit on data X are the chambers of the "
                    "arrangement {w : w.(x_i, 1) = 0} = the vertices of the zonotope generated "
                    "by the points (x_i, 1).")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("demo", help="run the main job on the built-in 5-point example")
    d.set_defaults(func=cmd_demo)
    c = sub.add_parser("chambers", help="list chambers / vertices / edges of a data file's zonotope")
    c.add_argument("input", help="CSV or whitespace file, one point per row")
    c.add_argument("--labels", action="store_true", help="the last column is a label: ignore it")
    c.add_argument("--all", action="store_true", help="print every row (default: first 50)")
    c.add_argument("--force", action="store_true", help="enumerate even above the size limit")
    c.add_argument("--out", metavar="DIR", help="write bit-packed chambers to DIR in resumable "
                   "blocks (progress bar; Ctrl-C and rerun to resume)")
    c.set_defaults(func=cmd_chambers)
    n = sub.add_parser("count", help="count the chambers of a data file's arrangement (no listing)")
    n.add_argument("input")
    n.add_argument("--labels", action="store_true", help="the last column is a label: ignore it")
    n.set_defaults(func=cmd_count)
    from .plotting import add_cli_arguments

    add_cli_arguments(sub)  # figure1, explore
    DEMO_HOOKS.clear()
    _load_plugins(sub)
    return p


def main(argv=None):
    """Entry point of the ``zonotope`` console script."""
    from .exceptions import ZonotopeError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except ZonotopeError as exc:
        print(f"zonotope {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        saved = getattr(args, "out", None) or getattr(args, "checkpoint", None)
        hint = (f"; finished work is saved in {saved!r}: rerun the same command to resume"
                if saved else "")
        print(f"\nzonotope {args.command}: interrupted{hint}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
