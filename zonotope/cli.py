"""Command-line interface: ``zonotope <subcommand>`` (``zonotope --help`` lists them).

This module only parses arguments and calls the library: data files are read by
:func:`zonotope.io.load_data`, the text comes from :mod:`zonotope.summary`, the
figures from :mod:`zonotope.plotting` and :mod:`zonotope.explorer`.  Installed plugins
add subcommands through the entry-point group ``zonotope.cli`` (the ReLU layer adds
``fit`` this way; the geometry layer never imports it by name).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from .exceptions import ValidationError, ZonotopeError
from .io import load_data
from .library import figure1_points

__all__ = ["main", "build_parser", "FIGURE1_POINTS", "DEMO_HOOKS", "load_data"]

#: The built-in example (see :func:`zonotope.library.figure1_points`).
FIGURE1_POINTS = figure1_points().tolist()

#: Callables ``f(out=stream)`` run at the end of ``zonotope demo``; filled by plugins.
DEMO_HOOKS = []

_NON_INTERACTIVE = {"agg", "pdf", "ps", "svg", "cairo", "template", "pgf"}


# --------------------------------------------------------------------------- arguments
def _data(args, *, default=None):
    """The data matrix named by ``args.input`` (label column dropped with ``--labels``)."""
    if not getattr(args, "input", None):
        return default
    if args.labels:
        return load_data(args.input, delimiter=args.delimiter, labels="last")[0]
    return load_data(args.input, delimiter=args.delimiter)


def _chamber_arg(s):
    """``--chamber``: an index, a 0/1 pattern, ``auto`` or ``none``."""
    if s is None or s.lower() == "none":
        return None
    if s.lower() == "auto":
        return "auto"
    if set(s) <= {"0", "1"} and len(s) > 1:
        return [int(c) for c in s]
    try:
        return int(s)
    except ValueError:
        raise ValidationError(f"`--chamber` must be an index, a 0/1 pattern, 'auto' or 'none'; "
                              f"got {s!r} instead.") from None


def _add_data_arguments(p, *, required):
    if required:
        p.add_argument("input", help="data file: CSV/whitespace text, .npz or IDX (MNIST format, "
                                     "optionally .gz), one point per row")
    else:
        p.add_argument("--input", metavar="FILE", help="data file (CSV/whitespace text, .npz or "
                       "IDX), one point per row (default: the built-in 5 points)")
    p.add_argument("--labels", action="store_true", help="the last column is a label: ignore it")
    p.add_argument("--delimiter", default=None, metavar="D",
                   help="cell separator of a text file: ',', ';', tab or whitespace "
                        "(default: sniffed)")


# --------------------------------------------------------------------------- handlers
def cmd_demo(args, out=None):
    """``zonotope demo``: the built-in example, then the plugins' demo hooks."""
    from .summary import demo_summary

    out = sys.stdout if out is None else out
    print(demo_summary(), file=out)
    for extra in DEMO_HOOKS:  # plugins (e.g. the relu layer) extend the demo
        print(file=out)
        extra(out=out)
    return 0


def _seed(args):
    """``--seed``: a non-negative int (typed error otherwise)."""
    seed = getattr(args, "seed", 0)
    if seed < 0:
        raise ValidationError(f"`--seed` of `zonotope {args.command}` must be a non-negative int; "
                              f"got {seed} instead.")
    return seed


def _positive(value, flag, args):
    if value < 1:
        raise ValidationError(f"`{flag}` of `zonotope {args.command}` must be a positive int; "
                              f"got {value} instead.")
    return value


def cmd_chambers(args, out=None):
    """``zonotope chambers``: list the chambers, or write them to a resumable store.

    With ``--out`` the store is verified and resumable (see
    :func:`zonotope.enumerate_chambers_to_disk`); SIGTERM stops it like Ctrl-C (exit
    130, finished blocks kept).
    """
    out = sys.stdout if out is None else out
    seed = _seed(args)
    block_rays = _positive(args.block_rays, "--block-rays", args)
    X = _data(args)
    if args.out:
        from ._checkpoint import sigterm_as_keyboard_interrupt
        from .arrangement import Arrangement
        from .chamber_store import enumerate_chambers_to_disk

        with sigterm_as_keyboard_interrupt():
            st = enumerate_chambers_to_disk(Arrangement.from_points(X), args.out,
                                            block_rays=block_rays, rng=seed,
                                            progress=sys.stderr.isatty(),
                                            max_chambers=None if args.force else 100_000_000)
        print(f"{st.n_chambers} chambers written to {args.out} "
              f"({'complete' if st.complete else 'incomplete: run again to resume'})", file=out)
        return 0
    from .summary import zonotope_summary

    print(zonotope_summary(X, max_rows=None if args.all else 50,
                           max_chambers=None if args.force else 1_000_000), file=out)
    return 0


def cmd_count(args, out=None):
    """``zonotope count``: the number of chambers."""
    from .arrangement import Arrangement
    from .chambers import count_chambers

    from .chambers import DEFAULT_MAX_WORK

    out = sys.stdout if out is None else out
    seed = _seed(args)
    X = _data(args)
    t0 = time.perf_counter()
    c = count_chambers(Arrangement.from_points(X), max_work=None if args.force else DEFAULT_MAX_WORK,
                       rng=seed)
    print(f"{c} chambers ({time.perf_counter() - t0:.3f} s)", file=out)
    return 0


def cmd_figure1(args, out=None):
    """``zonotope figure1``: write Figure 1 (data, arrangement, zonotope) to a file."""
    import matplotlib

    out = sys.stdout if out is None else out
    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".png", ".pdf", ".svg"):
        raise ValidationError(f"`--out` of `zonotope figure1` must end in .png, .pdf or .svg; "
                              f"got {args.out!r} instead.")
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plotting import plot_figure1

    fig = plot_figure1(_data(args, default=figure1_points()), view=args.view,
                       chamber=_chamber_arg(args.chamber), elev=args.elev, azim=args.azim)
    fig.savefig(args.out, dpi=args.dpi)
    plt.close(fig)
    print(f"wrote {args.out}", file=out)
    return 0


def cmd_verify(args, out=None):
    """``zonotope verify``: run the registered claim checks (:mod:`zonotope.verify`)."""
    from .verify import verify_main

    return verify_main(args.selection or ["all"], quick=args.quick, json_path=args.json, rng=args.seed, out=out)


def cmd_explore(args, out=None):
    """``zonotope explore``: the interactive explorer, or ``--html`` / ``--png`` output."""
    import matplotlib

    out = sys.stdout if out is None else out
    X = _data(args, default=figure1_points())
    chamber = _chamber_arg(args.chamber)
    if chamber == "auto":
        chamber = None
    if args.html:
        from .plotting import export_html

        export_html(X, args.html, chamber=chamber)
        print(f"wrote {args.html}", file=out)
        if not args.png:
            return 0
    if args.png and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .explorer import Explorer

    if args.png:
        ex = Explorer(X, snap=args.snap, chamber=chamber)
        ex.save(args.png, dpi=110)
        plt.close(ex.fig)
        print(f"wrote {args.png}", file=out)
        return 0
    if matplotlib.get_backend().lower() in _NON_INTERACTIVE:
        print("zonotope explore: error: no interactive display (matplotlib backend "
              f"{matplotlib.get_backend()!r}); use --html FILE or --png FILE, or set MPLBACKEND.",
              file=sys.stderr)
        return 2
    Explorer(X, snap=args.snap, chamber=chamber)
    plt.show()
    return 0


# --------------------------------------------------------------------------- the parser
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
    """The argparse parser of ``zonotope`` with every subcommand (plugins included).

    Examples
    --------
    >>> a = build_parser().parse_args(["figure1", "--out", "fig.png"])
    >>> a.command, a.out, a.view, a.func.__name__
    ('figure1', 'fig.png', 'both', 'cmd_figure1')
    """
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
    _add_data_arguments(c, required=True)
    c.add_argument("--all", action="store_true", help="print every row (default: first 50)")
    c.add_argument("--force", action="store_true", help="enumerate even above the size limit")
    c.add_argument("--out", metavar="DIR", help="write bit-packed chambers to DIR in resumable, "
                   "checksummed blocks (progress bar; Ctrl-C or SIGTERM, then rerun to resume)")
    c.add_argument("--block-rays", type=int, default=1_000_000, metavar="N",
                   help="with --out: rays per block (memory ~ N x number of points bytes; "
                        "default 1000000; a resumed store keeps its own)")
    c.add_argument("--seed", type=int, default=0, help="seed of the sweep's auxiliary vectors "
                   "(the chambers do not depend on it; default 0)")
    c.set_defaults(func=cmd_chambers)

    n = sub.add_parser("count", help="count the chambers of a data file's arrangement (no listing)")
    _add_data_arguments(n, required=True)
    n.add_argument("--force", action="store_true", help="count even above the work limit")
    n.add_argument("--seed", type=int, default=0, help="seed of the sweep's auxiliary vectors "
                   "(the count does not depend on it; default 0)")
    n.set_defaults(func=cmd_count)

    v = sub.add_parser("verify", help="check the papers' claims numerically; PASS/FAIL per claim")
    v.add_argument("selection", nargs="*", metavar="NAME|GROUP", help="checks or groups (default: all)")
    v.add_argument("--quick", action="store_true", help="small instances (well under a minute)")
    v.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    v.add_argument("--seed", type=int, default=0, help="random seed of the instances (default 0)")
    v.set_defaults(func=cmd_verify)

    f = sub.add_parser(
        "figure1", help="draw Figure 1 (data, arrangement, zonotope) for a 1-D or 2-D data file",
        description="Draw the three panels of Figure 1 of Matena & Raffel (2022): the training "
                    "points, the arrangement {w : w.(x_i, 1) = 0} in parameter space (slices "
                    "w3 = +1 and w3 = -1), and the zonotope, with matching chamber/vertex colours.")
    _add_data_arguments(f, required=False)
    f.add_argument("--out", metavar="FILE", required=True,
                   help="output file; the format follows the suffix (.png, .pdf, .svg)")
    f.add_argument("--view", choices=("both", "slice", "sphere"), default="both",
                   help="'both': slices w3 = +1 and w3 = -1 (every chamber shown); "
                        "'slice': w3 = +1 only (the paper's three panels); 'sphere': all "
                        "directions in one disk (equal-area projection)")
    f.add_argument("--chamber", default="auto", metavar="K|PATTERN",
                   help="chamber to highlight: an index, a 0/1 pattern such as 10110, "
                        "'auto' (default) or 'none'")
    f.add_argument("--elev", type=float, default=None, help="zonotope view elevation (degrees; "
                   "default: chosen to keep vertices apart)")
    f.add_argument("--azim", type=float, default=None, help="zonotope view azimuth (degrees)")
    f.add_argument("--dpi", type=int, default=150, help="resolution of raster output")
    f.set_defaults(func=cmd_figure1)

    e = sub.add_parser(
        "explore", help="interactive explorer: drag points, click chambers (or export HTML/PNG)",
        description="Open the interactive explorer on a 1-D or 2-D data file: drag a data point "
                    "and watch the arrangement, the zonotope and the chamber count update; "
                    "click a chamber or vertex to highlight it. Headless: --html or --png.")
    _add_data_arguments(e, required=False)
    e.add_argument("--html", metavar="FILE", help="write a self-contained rotatable 3-D view "
                   "(plotly) of the zonotope instead of opening a window")
    e.add_argument("--png", metavar="FILE", help="save a snapshot of the explorer instead of "
                   "opening a window")
    e.add_argument("--snap", type=float, default=0.25,
                   help="grid step dragged points snap to (0: no grid); default 0.25")
    e.add_argument("--chamber", default=None, metavar="K|PATTERN", help="chamber to select initially")
    e.set_defaults(func=cmd_explore)

    DEMO_HOOKS.clear()
    _load_plugins(sub)
    return p


def main(argv=None):
    """Entry point of the ``zonotope`` console script; returns the exit code.

    Examples
    --------
    >>> main(["count", "/nonexistent/data.csv"])   # errors go to stderr, exit code 2
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except ZonotopeError as exc:
        from .exceptions import TooLargeError

        hint = ("; on the command line: add --force" if isinstance(exc, TooLargeError)
                and hasattr(args, "force") else "")
        print(f"zonotope {args.command}: error: {exc}{hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        saved = getattr(args, "out", None) or getattr(args, "checkpoint", None)
        hint = (f"; finished work is saved in {saved!r}: rerun the same command to resume"
                if saved else "")
        print(f"\nzonotope {args.command}: interrupted{hint}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
