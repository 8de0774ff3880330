"""Command-line front end of the ReLU layer: ``zonotope fit`` and the demo extension.

The geometry layer's console script discovers this module through the entry point
``[project.entry-points."zonotope.cli"] relu = "relu.cli:register"``;
:func:`register` adds the ``fit`` subcommand and a demo hook.  The subcommand only
parses its arguments and calls the library functions (:func:`relu.exact_erm`,
:func:`relu.random_vertex`, :func:`relu.local_search`, :func:`relu.gradient_descent`,
:func:`relu.exact_fit_construction`).  ``SIGTERM`` is treated like Ctrl-C: an exact
run saves its checkpoint, the command says where, and exits with status 130.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zonotope.cli import add_format_argument, busy, emit, refuse_inapplicable

from ._checks import check_rng, check_workers, fail
from .exact_erm import exact_erm
from .exact_fit import exact_fit_construction
from .search import gradient_descent, local_search, random_vertex

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import TextIO

__all__ = ["register", "demo", "METHODS", "APPLIES", "DEMO_X", "DEMO_Y"]

#: The ``--method`` choices of ``zonotope fit`` (the names of the library functions).
METHODS = ("exact", "random_vertex", "local_search", "gradient_descent", "construction")

#: Which ``zonotope fit`` flags apply to which ``--method`` (any other pairing is an error).
_RANDOM = ("random_vertex", "local_search", "gradient_descent")
_TRAINED = ("exact",) + _RANDOM
APPLIES = {
    "n_units": ("--n-units", _TRAINED),
    "second_layer": ("--second-layer", _TRAINED),
    "loss": ("--loss", _TRAINED),
    "ridge": ("--ridge", _TRAINED),
    "no_bias": ("--no-bias", _TRAINED),
    "n_init": ("--n-init", ("random_vertex",)),
    "max_steps": ("--max-steps", ("local_search",)),
    "n_jobs": ("--n-jobs", ("local_search",)),
    "n_steps": ("--n-steps", ("gradient_descent",)),
    "seed": ("--seed", _RANDOM),
    "workers": ("--workers", ("exact",)),
    "checkpoint": ("--checkpoint", ("exact",)),
    "checkpoint_every": ("--checkpoint-every", ("exact",)),
    "force": ("--force", ("exact",)),
}

#: The demo data: the five points of ``zonotope demo`` with labels.
DEMO_X = [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0]]
DEMO_Y = [1.0, 0.0, 2.0, 1.0, 0.0]

_CMD = "zonotope fit"


def demo(out: TextIO | None = None) -> None:
    """Run the demo hook: exact ERM with two units on the five demo points.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> demo(out=buf)
    >>> "exact: mean mse loss" in buf.getvalue()
    True
    """
    import sys

    out = sys.stdout if out is None else out
    print("Exact ERM (Algorithm 1) on these points with labels y = "
          + ", ".join(f"{v:g}" for v in DEMO_Y) + ": two hidden units, second layer (+1, -1), "
          "output bias 0", file=out)
    r = exact_erm(np.array(DEMO_X, dtype=object), DEMO_Y, 2, [1.0, -1.0, 0.0], progress=False)
    print(f"  {r.info['n_chambers']} chambers per unit -> {r.info['n_vertices']} vertices of Z^2, "
          f"{r.info['n_pruned']} pruned by the loss lower bound", file=out)
    print("  " + str(r).replace("\n", "\n  "), file=out)


def _demo_record():
    """The demo's exact ERM as a dict (``zonotope demo --format json|csv``)."""
    r = exact_erm(np.array(DEMO_X, dtype=object), DEMO_Y, 2, [1.0, -1.0, 0.0], progress=False)
    return {"exact_erm": {"labels": DEMO_Y, "n_units": 2, "loss": r.loss, "W": r.W,
                          "second_layer": r.second_layer, "n_solves": r.n_solves,
                          "n_chambers": r.info["n_chambers"], "n_vertices": r.info["n_vertices"]}}


demo.record = _demo_record


def register(subparsers: argparse._SubParsersAction, demo_hooks: list[Callable[[TextIO], None]]) -> None:
    """Entry point of the ``zonotope.cli`` plugin group: add ``fit`` and the demo hook.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> hooks = []
    >>> register(p.add_subparsers(dest="command"), hooks)
    >>> a = p.parse_args(["fit", "data.csv", "--n-units", "3", "--no-bias"])
    >>> a.n_units, a.no_bias, len(hooks)
    (3, True, 1)
    """
    f = subparsers.add_parser("fit", help="train a shallow ReLU network (fixed second layer) on a "
                              "data file whose last column is the label")
    f.add_argument("input", help="data file (CSV/whitespace text, .npz or IDX): x_1 ... x_d y per "
                   "row (the last column is the label)")
    f.add_argument("--delimiter", default=None, metavar="D",
                   help="cell separator of a text file: ',', ';', tab or whitespace "
                        "(default: sniffed)")
    f.add_argument("--method", choices=METHODS, default="exact",
                   help="exact (Algorithm 1, global optimum), random_vertex, local_search, "
                        "gradient_descent, or construction (Theorem 4.3 exact fit); default exact")
    f.add_argument("--n-units", type=int, default=None, metavar="N",
                   help="hidden units (default 2; not with --method construction)")
    f.add_argument("--second-layer", default=None, metavar="V",
                   help="comma-separated n_units+1 numbers (weights, then the output bias); "
                        "default +1,-1,...,0; not with --method construction")
    f.add_argument("--no-bias", dest="no_bias", action="store_true", default=None,
                   help="hidden units without a bias (the central arrangement of the raw points); "
                        "not with --method construction")
    f.add_argument("--loss", choices=("mse", "logistic"), default=None,
                   help="default mse; not with --method construction")
    f.add_argument("--ridge", type=float, default=None,
                   help="ridge penalty (default 0; not with --method construction)")
    f.add_argument("--n-init", type=int, default=None,
                   help="draws of --method random_vertex (default 10)")
    f.add_argument("--max-steps", type=int, default=None,
                   help="moves of --method local_search (default 100)")
    f.add_argument("--n-jobs", type=int, default=None, metavar="N",
                   help="processes solving the neighbours of --method local_search (default 1; "
                        "-1: one per core; the result does not depend on it)")
    f.add_argument("--n-steps", type=int, default=None,
                   help="steps of --method gradient_descent (default 5000)")
    f.add_argument("--seed", type=int, default=None,
                   help="random seed (>= 0) of random_vertex, local_search, gradient_descent")
    f.add_argument("--workers", type=int, default=None,
                   help="worker processes for --method exact (they stop with this command)")
    f.add_argument("--checkpoint", default=None, metavar="FILE",
                   help="--method exact: checkpoint (resumed if it exists; Ctrl-C or kill saves it)")
    f.add_argument("--checkpoint-every", type=float, default=None, metavar="SECONDS",
                   help="--method exact: seconds between checkpoint writes (default 2; 0: after "
                        "every chunk)")
    f.add_argument("--force", action="store_true", default=None,
                   help="--method exact: run above the size limit (max 2,000,000 subproblems)")
    add_format_argument(f)
    f.set_defaults(func=_cmd_fit)
    demo_hooks.append(demo)
    from .experiments import add_reproduce_parser

    add_reproduce_parser(subparsers)


def _second_layer(text):
    if text is None:
        return None
    try:
        return [float(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        fail("--second-layer", _CMD, "comma-separated numbers such as '1,-1,0'", repr(text))


def _load(path, delimiter):
    """``(X, y)`` from a data file whose last column is the label."""
    from zonotope.io import load_data

    X, y = load_data(path, delimiter=delimiter, labels="last")
    return X, np.asarray(y, dtype=np.float64)


def _fit(args):
    """Validate the options that are the CLI's own, load the data, call the library."""
    refuse_inapplicable(args, _CMD, "--method", args.method, APPLIES)
    if args.seed is not None and args.seed < 0:
        fail("--seed", _CMD, "a non-negative int", repr(args.seed))
    rng = check_rng(args.seed, _CMD)
    workers = check_workers(args.workers, _CMD, "--workers")
    v = _second_layer(args.second_layer)
    X, y = _load(args.input, args.delimiter)
    if args.method == "construction":
        with busy("constructing the exact fit"):
            return exact_fit_construction(X, y)
    m = 2 if args.n_units is None else args.n_units
    common = dict(loss=args.loss or "mse", ridge=args.ridge or 0.0, bias=not args.no_bias)
    if args.method == "exact":
        every = 2.0 if args.checkpoint_every is None else args.checkpoint_every
        return exact_erm(X, y, m, v, force=bool(args.force), checkpoint=args.checkpoint,
                         checkpoint_every=every, workers=workers, **common)
    with busy(f"running {args.method}"):
        if args.method == "random_vertex":
            return random_vertex(X, y, m, v, n_init=10 if args.n_init is None else args.n_init,
                                 rng=rng, **common)
        if args.method == "local_search":
            return local_search(X, y, m, v, max_steps=100 if args.max_steps is None
                                else args.max_steps, rng=rng,
                                n_jobs=1 if args.n_jobs is None else args.n_jobs, **common)
        return gradient_descent(X, y, m, v, n_steps=5000 if args.n_steps is None else args.n_steps,
                                rng=rng, **common)


def _record(res):
    rec = {"method": res.method, "loss": res.loss, "loss_name": res.loss_name,
           "status": res.status, "complete": res.complete, "n_units": res.n_units,
           "bias": res.bias, "n_solves": res.n_solves, "seconds": round(res.seconds, 6),
           "W": res.W, "second_layer": res.second_layer}
    d = res.W.shape[1] - (1 if res.bias else 0)
    cols = ["unit", "second_layer"] + [f"w{j + 1}" for j in range(d)] + (["b"] if res.bias else [])
    rows = [[j, res.second_layer[j], *res.W[j]] for j in range(res.n_units)]
    rows.append(["output_bias", res.second_layer[-1]] + [""] * (len(cols) - 2))
    return rec, rows, cols


def _cmd_fit(args, out=None):
    import sys

    from zonotope._checkpoint import sigterm_as_keyboard_interrupt

    out = sys.stdout if out is None else out
    with sigterm_as_keyboard_interrupt():
        res = _fit(args)
    rec, rows, cols = _record(res)
    text = str(res)
    k = res.info.get("resumed_chunks", 0) if res.method == "exact" else 0
    if k:
        rec["resumed_chunks"] = k
        text += (f"\nresumed from the checkpoint {args.checkpoint!r}: {k} of "
                 f"{res.info['n_chunks']} chunks were already done")
    emit(out, args.format, text=text, record=rec, rows=rows, columns=cols)
    return 0
