"""Command-line interface: ``zonotope <subcommand>`` (``zonotope --help`` lists them).

This module only parses arguments and calls the library: data files are read by
:func:`zonotope.io.load_data`, the text comes from :mod:`zonotope.summary`, the
figures from :mod:`zonotope.plotting` and :mod:`zonotope.explorer`.  Installed plugins
add subcommands through the entry-point group ``zonotope.cli`` (the ReLU layer adds
``fit`` this way; the geometry layer never imports it by name).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import sys
import time
from typing import TYPE_CHECKING

from .exceptions import ValidationError, ZonotopeError
from .io import load_data
from .library import figure1_points

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from typing import Any, TextIO

__all__ = ["main", "build_parser", "FIGURE1_POINTS", "DEMO_HOOKS", "load_data", "FORMATS",
           "emit", "add_format_argument", "busy", "refuse_inapplicable"]

#: The ``--format`` choices of every command that prints results.
FORMATS = ("table", "csv", "json")

#: The built-in example (see :func:`zonotope.library.figure1_points`).
FIGURE1_POINTS = figure1_points().tolist()

#: Callables ``f(out=stream)`` run at the end of ``zonotope demo``; filled by plugins.
DEMO_HOOKS = []

_NON_INTERACTIVE = {"agg", "pdf", "ps", "svg", "cairo", "template", "pgf"}


# --------------------------------------------------------------------------- output
def add_format_argument(p: argparse.ArgumentParser) -> None:
    """Add ``--format table|csv|json`` to a subcommand parser (shared with plugins).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_format_argument(p)
    >>> p.parse_args(["--format", "json"]).format
    'json'
    """
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output format: 'table' (text for people, default), 'csv' or 'json' "
                        "(for programs)")


def _jsonable(x):
    from fractions import Fraction

    import numpy as np

    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, Fraction):
        return str(x) if x.denominator != 1 else int(x.numerator)
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if v == v and abs(v) != float("inf") else str(v)
    if x is None or isinstance(x, str):
        return x
    return str(x)


def emit(out: TextIO, fmt: str, *, text: str, record: dict[str, Any],
         rows: Sequence[Sequence[Any]] | None = None, columns: Sequence[str] | None = None) -> None:
    """Print a command's result in the chosen ``--format``.

    Parameters
    ----------
    out : text stream
    fmt : {"table", "csv", "json"}
    text : str
        What ``table`` prints.
    record : dict
        What ``json`` prints (numpy arrays, Fractions and tuples are converted).
    rows : list of sequences, optional
        What ``csv`` prints under the header ``columns`` (default: one row of the
        scalar entries of ``record``).
    columns : list of str, optional

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> emit(buf, "csv", text="3 chambers", record={"n_chambers": 3, "seconds": 0.5})
    >>> buf.getvalue().splitlines()
    ['n_chambers,seconds', '3,0.5']
    """
    if fmt == "json":
        print(json.dumps(_jsonable(record), indent=2), file=out)
    elif fmt == "csv":
        if rows is None:
            columns = [k for k, v in record.items() if not isinstance(v, (list, tuple, dict))
                       and getattr(v, "ndim", 0) == 0]
            rows = [[record[k] for k in columns]]
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_jsonable(v) for v in r])
    else:
        print(text, file=out)


@contextlib.contextmanager
def busy(desc: str, enabled: bool | None = None) -> Iterator[None]:
    """An elapsed-time bar on stderr while a step without its own progress hook runs.

    Shown only when stderr is a terminal (``enabled=None``); quiet when piped.  The
    chamber counting and enumeration engines report no intermediate progress, so
    the bar shows that the command is alive and for how long, not a fraction done.

    Examples
    --------
    >>> with busy("counting", enabled=False):
    ...     pass
    """
    show = sys.stderr.isatty() if enabled is None else bool(enabled)
    if not show:
        yield
        return
    import threading

    from tqdm import tqdm

    bar = tqdm(total=None, desc=desc, file=sys.stderr, bar_format="{desc}: {elapsed} elapsed",
               leave=False)
    stop = threading.Event()

    def tick():
        while not stop.wait(0.5):
            bar.refresh()

    t = threading.Thread(target=tick, daemon=True)
    t.start()
    try:
        yield
    finally:
        stop.set()
        t.join()
        bar.close()


def refuse_inapplicable(args: argparse.Namespace, command: str, choice_flag: str, choice: str,
                        applies: Mapping[str, tuple[str, Sequence[str]]]) -> None:
    """Refuse flags given on the command line that do not apply to the chosen mode.

    ``applies`` maps an ``argparse`` destination to ``(flag, modes)``; a destination
    whose value is not None was given by the user (the parsers use None defaults for
    these flags and fill the real defaults after this check).

    Examples
    --------
    >>> ns = argparse.Namespace(n_units=3)
    >>> refuse_inapplicable(ns, "zonotope fit", "--method", "construction",
    ...                     {"n_units": ("--n-units", ("exact",))})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `--n-units` of `zonotope fit` must be left out with --method ...
    """
    for dest, (flag, modes) in applies.items():
        val = getattr(args, dest, None)
        if val is not None and val is not False and choice not in modes:
            shown = flag if val is True else f"{flag} {val}"
            raise ValidationError(
                f"`{flag}` of `{command}` must be left out with {choice_flag} {choice} (it applies "
                f"to {choice_flag} {', '.join(modes)}); got {shown} instead.")


def _inapplicable(flag, command, when, shown):
    raise ValidationError(f"`{flag}` of `{command}` must be left out {when}; got {shown} instead.")


def _cli_message(exc, args):
    """The error text in command-line words: Python keyword hints become flags."""
    from .exceptions import TooLargeError

    msg = str(exc)
    if isinstance(exc, TooLargeError):
        # drop the Python remedy ("pass max_chambers=None ...", "call f(...=None)") and name
        # the limits in words: the command line has one switch for all of them, --force
        parts = [t for t in msg.split("; ")
                 if not re.search(r"\b(pass|call|raise)\b|=None|force=True", t)]
        msg = "; ".join(parts).rstrip(" ;.")
        msg = re.sub(r"\(> ([a-z_]+)=([^)]*)\)", r"(> the limit \2)", msg)
        msg = re.sub(r"the limit for [a-z_]+=", "the limit for ", msg)
        # a hint only where --force can help: not already given, and a limit it lifts
        if hasattr(args, "force") and not args.force and getattr(exc, "forceable", True):
            msg += "; add --force to run it anyway"
    return msg


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
def _zonotope_record(X, Z):
    """The structured result of ``chambers`` / ``demo``: points, vertices, edges."""
    import numpy as np

    n = Z.n_vertices
    exact = getattr(X, "dtype", None) is not None and X.dtype == object
    V = Z.vertices_exact() if exact else Z.vertices
    deg = np.bincount(np.asarray(Z.edges, dtype=np.intp).ravel(), minlength=n) if len(Z.edges) \
        else np.zeros(n, int)
    verts = [{"index": k, "pattern": "".join(str(int(b)) for b in Z.coefficients[k]),
              "vertex": list(V[k]), "degree": int(deg[k])} for k in range(n)]
    edges = [{"from": int(a), "to": int(b), "flips": list(map(int, g))}
             for (a, b), g in zip(Z.edges, Z.edge_generators)]
    return {"n_points": int(X.shape[0]), "n_features": int(X.shape[1]), "n_chambers": n,
            "exact": bool(exact), "vertices": verts, "edges": edges}


def _vertex_rows(rec):
    d = len(rec["vertices"][0]["vertex"]) if rec["vertices"] else 0
    cols = ["index", "pattern"] + [f"z{j + 1}" for j in range(d)] + ["degree"]
    rows = [[v["index"], v["pattern"], *v["vertex"], v["degree"]] for v in rec["vertices"]]
    return cols, rows


def cmd_demo(args, out=None):
    """``zonotope demo``: the built-in example, then the plugins' demo hooks."""
    from .summary import demo_summary
    from .zonotope import Zonotope

    out = sys.stdout if out is None else out
    fmt = getattr(args, "format", "table")
    if fmt == "table":
        print(demo_summary(), file=out)
        for extra in DEMO_HOOKS:  # plugins (e.g. the relu layer) extend the demo
            print(file=out)
            extra(out=out)
        return 0
    X = figure1_points()
    rec = _zonotope_record(X, Zonotope.from_points(X))
    for extra in DEMO_HOOKS:   # a hook with a ``record`` attribute adds structured output
        if hasattr(extra, "record"):
            rec.update(extra.record())
    cols, rows = _vertex_rows(rec)
    emit(out, fmt, text="", record=rec, rows=rows, columns=cols)
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
    if args.out and args.all:
        _inapplicable("--all", "zonotope chambers", "with --out (it selects the rows printed "
                      "without --out)", "--all")
    if not args.out and args.block_rays is not None:
        _inapplicable("--block-rays", "zonotope chambers", "without --out (it sizes the blocks "
                      "written to --out DIR)", f"--block-rays {args.block_rays}")
    block_rays = _positive(args.block_rays if args.block_rays is not None else 1_000_000,
                           "--block-rays", args)
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
        rec = {"n_chambers": st.n_chambers, "out": args.out, "complete": bool(st.complete)}
        emit(out, args.format, record=rec,
             text=f"{st.n_chambers} chambers written to {args.out} "
                  f"({'complete' if st.complete else 'incomplete: run again to resume'})")
        return 0
    from ._validation import as_points
    from .summary import zonotope_summary
    from .zonotope import Zonotope

    limit = None if args.force else 1_000_000
    if args.format == "table":
        with busy("enumerating chambers"):
            text = zonotope_summary(X, max_rows=None if args.all else 50, max_chambers=limit)
        print(text, file=out)
        return 0
    X = as_points(X, "X", "zonotope chambers")
    with busy("enumerating chambers"):
        Z = Zonotope.from_points(X, max_chambers=limit)
        rec = _zonotope_record(X, Z)
    cols, rows = _vertex_rows(rec)
    emit(out, args.format, text="", record=rec, rows=rows, columns=cols)
    return 0


def cmd_count(args, out=None):
    """``zonotope count``: the number of chambers."""
    from .arrangement import Arrangement
    from .chambers import DEFAULT_MAX_WORK, count_chambers

    out = sys.stdout if out is None else out
    seed = _seed(args)
    X = _data(args)
    t0 = time.perf_counter()
    with busy("counting chambers"):
        c = count_chambers(Arrangement.from_points(X),
                           max_work=None if args.force else DEFAULT_MAX_WORK, rng=seed)
    dt = time.perf_counter() - t0
    emit(out, args.format, text=f"{c} chambers ({dt:.3f} s)",
         record={"n_chambers": int(c), "seconds": round(dt, 6)})
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

    with busy("drawing Figure 1"):
        fig = plot_figure1(_data(args, default=figure1_points()), view=args.view,
                           chamber=_chamber_arg(args.chamber), elev=args.elev, azim=args.azim,
                           bias=getattr(args, "bias", True))
        fig.savefig(args.out, dpi=args.dpi)
        plt.close(fig)
    emit(out, args.format, text=f"wrote {args.out}", record={"wrote": args.out})
    return 0


def cmd_verify(args, out=None):
    """``zonotope verify``: run the registered claim checks (:mod:`zonotope.verify`)."""
    from .verify import format_results, run_checks, write_json

    out = sys.stdout if out is None else out
    results = run_checks(args.selection or ["all"], quick=args.quick, rng=args.seed)
    ok = all(r.passed for r in results)
    record = {"passed": ok, "checks": [r.to_dict() for r in results]}
    cols = ["name", "passed", "paper", "section", "instances", "worst_deviation", "tolerance",
            "seconds", "error"]
    rows = [[r.name, r.passed, r.paper, r.section, r.instances, r.worst_deviation, r.tolerance,
             round(r.seconds, 3), r.error or ""] for r in results]
    emit(out, args.format, text=format_results(results), record=record, rows=rows, columns=cols)
    if args.json:
        write_json(results, args.json, quick=args.quick, rng=args.seed)
        if args.format == "table":
            print(f"report written to {args.json}", file=out)
    return 0 if ok else 1


def cmd_explore(args, out=None):
    """``zonotope explore``: the interactive explorer, or ``--html`` / ``--png`` output."""
    import matplotlib

    out = sys.stdout if out is None else out
    if args.snap is not None and args.html and not args.png:
        _inapplicable("--snap", "zonotope explore", "with --html alone (the browser page moves "
                      "points freely; --snap applies to the window and --png)", f"--snap {args.snap}")
    snap = 0.25 if args.snap is None else args.snap
    X = _data(args, default=figure1_points())
    chamber = _chamber_arg(args.chamber)
    if chamber == "auto":
        chamber = None
    wrote = []
    if args.html:
        from .plotting import export_html

        with busy("writing the HTML explorer"):
            export_html(X, args.html, chamber=chamber)
        wrote.append(args.html)
        if not args.png:
            emit(out, args.format, text=f"wrote {args.html}", record={"wrote": wrote})
            return 0
    if args.png and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .explorer import Explorer

    if args.png:
        ex = Explorer(X, snap=snap, chamber=chamber)
        ex.save(args.png, dpi=110)
        plt.close(ex.fig)
        wrote.append(args.png)
        emit(out, args.format, text="\n".join(f"wrote {w}" for w in wrote), record={"wrote": wrote})
        return 0
    if matplotlib.get_backend().lower() in _NON_INTERACTIVE:
        raise ValidationError("`zonotope explore` needs an interactive display; got the matplotlib "
                              f"backend {matplotlib.get_backend()!r} instead (use --html FILE or "
                              "--png FILE, or set MPLBACKEND)")
    Explorer(X, snap=snap, chamber=chamber)
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


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``zonotope`` with every subcommand (plugins included).

    Examples
    --------
    >>> a = build_parser().parse_args(["figure1", "--out", "fig.png"])
    >>> a.command, a.out, a.view, a.func.__name__
    ('figure1', 'fig.png', 'both', 'cmd_figure1')
    """
    from . import __version__

    p = argparse.ArgumentParser(
        prog="zonotope",
        description="Exact zonotopes and hyperplane arrangements for shallow ReLU networks. "
                    "The activation patterns of a ReLU unit on data X are the chambers of the "
                    "arrangement {w : w.(x_i, 1) = 0} = the vertices of the zonotope generated "
                    "by the points (x_i, 1).")
    p.add_argument("--version", action="version", version=f"zonotope {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("demo", help="run the main job on the built-in 5-point example")
    add_format_argument(d)
    d.set_defaults(func=cmd_demo)

    c = sub.add_parser("chambers", help="list chambers / vertices / edges of a data file's zonotope")
    _add_data_arguments(c, required=True)
    c.add_argument("--all", action="store_true", default=None,
                   help="print every row (default: first 50; not with --out)")
    c.add_argument("--force", action="store_true", help="enumerate even above the size limit")
    c.add_argument("--out", metavar="DIR", help="write bit-packed chambers to DIR in resumable, "
                   "checksummed blocks (progress bar; Ctrl-C or SIGTERM, then rerun to resume)")
    c.add_argument("--block-rays", type=int, default=None, metavar="N",
                   help="with --out: rays per block (memory ~ N x number of points bytes; "
                        "default 1000000; a resumed store keeps its own)")
    c.add_argument("--seed", type=int, default=0, help="seed of the sweep's auxiliary vectors "
                   "(the chambers do not depend on it; default 0)")
    add_format_argument(c)
    c.set_defaults(func=cmd_chambers)

    n = sub.add_parser("count", help="count the chambers of a data file's arrangement (no listing)")
    _add_data_arguments(n, required=True)
    n.add_argument("--force", action="store_true", help="count even above the work limit")
    n.add_argument("--seed", type=int, default=0, help="seed of the sweep's auxiliary vectors "
                   "(the count does not depend on it; default 0)")
    add_format_argument(n)
    n.set_defaults(func=cmd_count)

    v = sub.add_parser("verify", help="check the papers' claims numerically; PASS/FAIL per claim")
    v.add_argument("selection", nargs="*", metavar="NAME|GROUP", help="checks or groups (default: all)")
    v.add_argument("--quick", action="store_true", help="small instances (well under a minute)")
    v.add_argument("--json", metavar="PATH", help="also write the report as JSON")
    v.add_argument("--seed", type=int, default=0, help="random seed of the instances (default 0)")
    add_format_argument(v)
    v.set_defaults(func=cmd_verify)

    f = sub.add_parser(
        "figure1", help="draw Figure 1 (data, arrangement, zonotope) for a 1-D, 2-D or 3-D data file",
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
    f.add_argument("--no-bias", dest="bias", action="store_false",
                   help="3-D data: draw the bias-free unit (sphere S^2, 3-D zonotope) instead "
                        "of the charts b = +1 / -1 and the projected 4-D zonotope")
    f.add_argument("--elev", type=float, default=None, help="zonotope view elevation (degrees; "
                   "default: chosen to keep vertices apart)")
    f.add_argument("--azim", type=float, default=None, help="zonotope view azimuth (degrees)")
    f.add_argument("--dpi", type=int, default=150, help="resolution of raster output")
    add_format_argument(f)
    f.set_defaults(func=cmd_figure1)

    e = sub.add_parser(
        "explore", help="interactive explorer: drag points, click chambers (or export HTML/PNG)",
        description="Open the interactive explorer on a 1-D or 2-D data file: drag a data point "
                    "and watch the arrangement, the zonotope and the chamber count update; "
                    "click a chamber or vertex to highlight it. Headless: --html or --png.")
    _add_data_arguments(e, required=False)
    e.add_argument("--html", metavar="FILE", help="write a self-contained page with the three "
                   "linked panels (data, arrangement, zonotope; plotly) instead of opening a window")
    e.add_argument("--png", metavar="FILE", help="save a snapshot of the explorer instead of "
                   "opening a window")
    e.add_argument("--snap", type=float, default=None,
                   help="grid step dragged points snap to (0: no grid; default 0.25); for the "
                        "window and --png only")
    e.add_argument("--chamber", default=None, metavar="K|PATTERN", help="chamber to select initially")
    add_format_argument(e)
    e.set_defaults(func=cmd_explore)

    DEMO_HOOKS.clear()
    _load_plugins(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
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
        print(f"zonotope {args.command}: error: {_cli_message(exc, args)}", file=sys.stderr)
        return 2
    except BrokenPipeError:   # `zonotope ... | head`: the reader left; not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:  # pragma: no cover
            pass
        return 0
    except KeyboardInterrupt:
        saved = getattr(args, "out", None) or getattr(args, "checkpoint", None)
        hint = (f"; finished work is saved in {saved!r}: rerun the same command to resume"
                if saved else "")
        print(f"\nzonotope {args.command}: interrupted{hint}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
