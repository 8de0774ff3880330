"""Command-line front end of the ReLU layer: ``zonotope fit`` and the demo extension.

The geometry layer's console script discovers this module through the entry point
``[project.entry-points."zonotope.cli"] relu = "relu.cli:register"``;
:func:`register` adds the ``fit`` subcommand and a demo hook.  The work is done by
:func:`cli_fit`, which is also usable from Python.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_choice, check_nonneg, fail

__all__ = ["cli_fit", "register", "demo", "METHODS", "DEMO_X", "DEMO_Y"]

METHODS = ("exact", "random_vertex", "gls", "gd", "construction")

#: The demo data: the five points of ``zonotope demo`` with labels.
DEMO_X = [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0]]
DEMO_Y = [1.0, 0.0, 2.0, 1.0, 0.0]


def _split(data, func):
    """``(X, y)`` from a path (last column = label), an ``(N, d + 1)`` array or a pair."""
    if isinstance(data, tuple) and len(data) == 2:
        return data
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        from zonotope.cli import load_data

        M = load_data(data)
    else:
        M = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
    if M.ndim != 2 or M.shape[1] < 2:
        fail("path_or_array", func, "a data file or array with >= 2 columns (features, then "
             "the label)", f"shape {np.shape(M)}")
    X = M[:, :-1]
    y = np.asarray(M[:, -1], dtype=np.float64)
    return X, y


def cli_fit(path_or_array, units=2, method="exact", *, second_layer=None, loss="mse",
            ridge=0.0, n_init=10, max_steps=100, n_steps=5000, rng=None, force=False,
            max_subproblems=2_000_000, checkpoint=None, workers=None, progress=None):
    """Fit a shallow ReLU network to a data file or array; what ``zonotope fit`` runs.

    Parameters
    ----------
    path_or_array : str, os.PathLike, array_like of shape (N, d + 1), or (X, y)
        CSV/whitespace file or matrix whose last column is the label (integers and
        fractions ``p/q`` in a file are read exactly, see
        :func:`zonotope.cli.load_data`).
    units : int, default 2
    method : {"exact", "random_vertex", "gls", "gd", "construction"}
    second_layer : array_like or str, optional
        ``m + 1`` (or ``m``) numbers, or a comma-separated string ``"1,-1,0"``;
        default ``(+1, -1, ..., 0)``.
    loss : {"mse", "logistic"}
    ridge, n_init, max_steps, n_steps, rng, force, max_subproblems, checkpoint
        Passed to the chosen optimiser.
    workers : int, optional
        For ``method="exact"``: run chunks on a ``ProcessPoolExecutor(workers)``.
    progress : bool or None

    Returns
    -------
    FitResult
        ``str(result)`` prints the loss and the weights.

    Examples
    --------
    >>> r = cli_fit([[0, 0], [1, 0], [2, 1], [3, 2]], units=1, second_layer="1,0")
    >>> print(r)  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    exact_erm: mean mse loss ... (... convex solves, ... s)
    first layer W (rows = hidden units; columns x_1 .. x_d, bias) and second layer v:
      unit 0   v = +1       w = (1, -1)
    output bias  0
    """
    from . import exact_erm, exact_fit_construction, gradient_descent, local_search, random_vertex
    from .network import alternating_second_layer

    func = "cli_fit"
    X, y = _split(path_or_array, func)
    method = check_choice(method, METHODS, func, "method")
    if method == "construction":
        res = exact_fit_construction(X, y)
        return res
    m = check_nonneg(units, func, "units", allow_zero=False, integer=True)
    if isinstance(second_layer, str):
        try:
            second_layer = [float(t) for t in second_layer.replace(" ", "").split(",") if t]
        except ValueError:
            fail("second_layer", func, "comma-separated numbers such as '1,-1,0'",
                 repr(second_layer))
    v = alternating_second_layer(m) if second_layer is None else second_layer
    if method == "exact":
        ex = None
        if workers:
            from concurrent.futures import ProcessPoolExecutor

            ex = ProcessPoolExecutor(int(workers))
        try:
            res = exact_erm(X, y, m, v, loss=loss, ridge=ridge, force=force,
                            max_subproblems=max_subproblems, checkpoint=checkpoint, executor=ex,
                            progress=progress)
        finally:
            if ex is not None:
                ex.shutdown()
    elif method == "random_vertex":
        res = random_vertex(X, y, m, v, loss=loss, ridge=ridge, n_init=n_init, rng=rng)
    elif method == "gls":
        res = local_search(X, y, m, v, loss=loss, ridge=ridge, max_steps=max_steps, rng=rng)
    else:
        res = gradient_descent(X, y, m, v, loss=loss, ridge=ridge, n_steps=n_steps, rng=rng)
    return res


def demo(out=None):
    """Run the demo hook: exact ERM with two units on the five demo points.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> demo(out=buf)
    >>> "exact_erm: mean mse loss" in buf.getvalue()
    True
    """
    import sys

    from . import exact_erm

    out = sys.stdout if out is None else out
    print("Exact ERM (Algorithm 1) on these points with labels y = "
          + ", ".join(f"{v:g}" for v in DEMO_Y) + ": two hidden units, second layer (+1, -1), "
          "bias 0", file=out)
    r = exact_erm(np.array(DEMO_X, dtype=object), DEMO_Y, 2, [1.0, -1.0, 0.0], progress=False)
    print(f"  {r.info['n_chambers']} chambers per unit -> {r.info['n_vertices']} vertices of Z^2, "
          f"{r.info['n_pruned']} pruned by the loss lower bound", file=out)
    print("  " + str(r).replace("\n", "\n  "), file=out)


def register(subparsers, demo_hooks):
    """Entry point of the ``zonotope.cli`` plugin group: add ``fit`` and the demo hook.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> hooks = []
    >>> register(p.add_subparsers(dest="command"), hooks)
    >>> p.parse_args(["fit", "data.csv", "--units", "3"]).units, len(hooks)
    (3, 1)
    """
    f = subparsers.add_parser("fit", help="train a shallow ReLU network (fixed second layer) on a "
                              "data file whose last column is the label")
    f.add_argument("input", help="CSV or whitespace file: x_1 ... x_d y per row")
    f.add_argument("--units", type=int, default=2, help="hidden units m (default 2)")
    f.add_argument("--method", choices=METHODS, default="exact",
                   help="exact (Algorithm 1, global optimum), random_vertex, gls, gd, or "
                        "construction (Theorem 4.3 exact fit); default exact")
    f.add_argument("--second-layer", default=None, metavar="V",
                   help="comma-separated m+1 numbers (weights, then bias); default +1,-1,...,0")
    f.add_argument("--loss", choices=("mse", "logistic"), default="mse")
    f.add_argument("--ridge", type=float, default=0.0)
    f.add_argument("--n-init", type=int, default=10, help="draws for random_vertex")
    f.add_argument("--seed", type=int, default=None, help="random seed (rng)")
    f.add_argument("--workers", type=int, default=None, help="processes for --method exact")
    f.add_argument("--checkpoint", default=None, metavar="FILE",
                   help="exact ERM checkpoint (resumed if it exists)")
    f.add_argument("--force", action="store_true", help="run exact ERM above the size limit")
    f.set_defaults(func=_cmd_fit)
    demo_hooks.append(demo)


def _cmd_fit(args, out=None):
    import sys

    out = sys.stdout if out is None else out
    res = cli_fit(args.input, args.units, args.method, second_layer=args.second_layer,
                  loss=args.loss, ridge=args.ridge, n_init=args.n_init, rng=args.seed,
                  force=args.force, checkpoint=args.checkpoint, workers=args.workers)
    print(res, file=out)
    return 0
