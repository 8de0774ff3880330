"""Reproductions of the papers' experiments, behind ``zonotope reproduce TARGET``.

Each target is one entry of :data:`TARGETS`: a function ``run(args)`` taking the parsed
command line (``args.quick``, ``args.out``, ``args.seeds``, ``args.data_dir``,
``args.datasets``) and returning an exit code.  :func:`add_reproduce_parser` adds the
subcommand; a new target is one function plus one registry line.

* ``pruning``: the pruning and tuning experiments of Mishkin & Pilanci (2023)
  (:mod:`relu.experiments.pruning`).
* ``fig2``, ``fig3``, ``all`` (= both figures): Figures 2 and 3 of Matena & Raffel
  (2022) (:func:`run_figures`; planted data :func:`teacher_data`, image tasks
  :func:`binary_task`).

Examples
--------
>>> sorted(TARGETS)
['all', 'fig2', 'fig3', 'pruning']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .datasets import BinaryTask, binary_task, fashion_mnist_files, load_fashion_mnist
from .figures import run_figures, settings_for
from .statistics import summarize
from .teacher import TeacherData, teacher_data

if TYPE_CHECKING:
    import argparse

__all__ = ["TARGETS", "add_reproduce_parser", "teacher_data", "TeacherData", "binary_task",
           "BinaryTask", "fashion_mnist_files", "load_fashion_mnist", "run_figures",
           "settings_for", "summarize"]


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


def _run_figures_target(figures, name):
    def run(args, out=None):
        import shlex
        import sys

        out = sys.stdout if out is None else out
        datasets = None if not getattr(args, "datasets", None) else \
            [s for s in args.datasets.split(",") if s]
        command = "zonotope " + " ".join(shlex.quote(a) for a in sys.argv[1:]) \
            if sys.argv and sys.argv[0].endswith("zonotope") else None
        res = run_figures(args.out or f"reproduce-{name}", figures=figures, quick=args.quick,
                          seeds=args.seeds, datasets=datasets, data_dir=args.data_dir,
                          command=command)
        for n in res["notes"]:
            print(f"note: {n}", file=out)
        print(f"reproduce {name}: {res['computed']} runs computed, {res['reused']} reused, "
              f"{res['remaining']} remaining, {res['seconds']:.1f} s", file=out)
        for f in res["findings"]:
            print(f"  {f}", file=out)
        for f in res["files"]:
            print(f"  wrote {f}", file=out)
        return 0
    return run


#: ``zonotope reproduce`` targets: name -> ``run(args) -> exit code``.
TARGETS = {"pruning": _run_pruning,
           "fig2": _run_figures_target(["fig2"], "fig2"),
           "fig3": _run_figures_target(["fig3"], "fig3"),
           "all": _run_figures_target(["fig2", "fig3"], "all")}


def add_reproduce_parser(subparsers: argparse._SubParsersAction) -> None:
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
                   help="root of external data (the UCI collection for uci/<name> tasks; "
                        "Fashion-MNIST's IDX files for fig2/fig3, default: the Debian package "
                        "dataset-fashion-mnist)")
    r.add_argument("--datasets", default=None, metavar="A,B",
                   help="comma-separated tasks (pruning: wdbc, digits-a-b, uci/<name>; "
                        "fig2/fig3: synthetic, fashion-coat-pullover, digits-5-9)")
    r.set_defaults(func=lambda args: TARGETS[args.target](args))
