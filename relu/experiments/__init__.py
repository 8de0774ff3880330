"""Reproductions of the papers' experiments, behind ``zonotope reproduce TARGET``.

Each target is one entry of :data:`TARGETS`: a function ``run(args)`` taking the parsed
command line (``args.quick``, ``args.out``, ``args.seeds``, ``args.data_dir``,
``args.datasets``) and returning an exit code.  :func:`add_reproduce_parser` adds the
subcommand; a new target is one function plus one registry line.

Examples
--------
>>> sorted(TARGETS)
['pruning']
"""

from __future__ import annotations

__all__ = ["TARGETS", "add_reproduce_parser"]


def _run_pruning(args, out=None):
    import sys

    from .pruning import run_pruning_experiments

    out = sys.stdout if out is None else out
    datasets = None if not args.datasets else [s for s in args.datasets.split(",") if s]
    res = run_pruning_experiments(args.out or "reproduce-pruning", quick=args.quick,
                                  seeds=args.seeds, datasets=datasets,
                                  data_dir=args.data_dir)
    print(f"reproduce pruning: {res['computed']} runs computed, {res['reused']} reused, "
          f"{res['seconds']:.1f} s", file=out)
    for f in res["files"]:
        print(f"  wrote {f}", file=out)
    return 0


#: ``zonotope reproduce`` targets: name -> ``run(args) -> exit code``.
TARGETS = {"pruning": _run_pruning}


def add_reproduce_parser(subparsers):
    """Add ``reproduce TARGET [--quick] [--out DIR] [--seeds N] [--data-dir PATH] [--datasets A,B]``.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_reproduce_parser(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["reproduce", "pruning", "--quick", "--seeds", "2"])
    >>> a.target, a.quick, a.seeds
    ('pruning', True, 2)
    """
    r = subparsers.add_parser("reproduce", help="reproduce the papers' experiments (tables, PNG "
                              "figures; resumable)")
    r.add_argument("target", choices=sorted(TARGETS), help="which experiment")
    r.add_argument("--quick", action="store_true", help="small settings (under a minute)")
    r.add_argument("--out", default=None, metavar="DIR",
                   help="output directory (default reproduce-TARGET); rerun to resume")
    r.add_argument("--seeds", type=int, default=None, metavar="N",
                   help="number of seeds (repeats) per data set")
    r.add_argument("--data-dir", default=None, metavar="PATH",
                   help="root of external data (the UCI collection for uci/<name> tasks)")
    r.add_argument("--datasets", default=None, metavar="A,B",
                   help="comma-separated tasks (wdbc, digits-a-b, uci/<name>)")
    r.set_defaults(func=lambda args: TARGETS[args.target](args))
