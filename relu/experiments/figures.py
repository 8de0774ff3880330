"""``zonotope reproduce fig2|fig3|all``: Figures 2 and 3 of Matena & Raffel (2022).

**Figure 2** (Section 4.2): one *random vertex* -- the convex problem (3) solved at
the activation patterns of a random initialisation ``W0``
(:func:`relu.random_vertex`) -- against full-batch gradient descent from the same
``W0`` (:func:`relu.gradient_descent`), over the width of the student.  Synthetic
planted data at the paper's scale (``d = 8``, ``m_gen = 8``, ``N = 72``, factors 1 to
8), Fashion-MNIST coat vs pullover (``d = 16``, ``N = 700``, up to 64 units) and the
digits 5 vs 9 stand-in for MNIST (``d = 16``, ``N = 350``).

**Figure 3** (Section 4.3): greedy local search over the vertices of ``Z^m``
(:func:`relu.local_search`; GLS = best improvement, Algorithm 2; mGLS = first
improvement in multiplier order) against gradient descent, both from the vertex /
weights of the same ``W0``.  Synthetic ``d = 4``, ``m_gen = 2`` (``N = 10``) with GLS
and mGLS; Fashion-MNIST and digits with ``d = 8``, ``N = 350`` and mGLS (as in the
paper: GLS on synthetic data, mGLS on the image tasks).

Settings the paper leaves open (its Appendix H is not available) are fixed in
:data:`SETTINGS` and documented in ``docs/reproducing.md``; every one of them, the
package versions and the command are written to ``metadata.json`` beside the
results.  Each (figure, task, width, seed) is one unit of work whose result is a
sealed JSON record (:mod:`zonotope._checkpoint`) under ``out/records/``: an
interrupted run resumes where it stopped, and a rerun of a finished one only
re-aggregates.  Outputs: ``runs.csv`` (one row per method and unit of work),
``results.csv`` / ``results.json`` / ``results.md`` (mean +- std, median, quartiles
over the seeds; seconds and convex solves per method) and ``fig2.png`` / ``fig3.png``.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import math
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .statistics import _fmt, summarize

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence
    from typing import Any

__all__ = ["SETTINGS", "FIGURES", "settings_for", "run_figures", "figure_runs"]

#: The figures this module reproduces.
FIGURES = ("fig2", "fig3")

_SYN = "synthetic"
_FASHION = "fashion-coat-pullover"
_DIGITS = "digits-5-9"

#: Paper-scale (``"full"``) and ``--quick`` settings: figure -> list of panels.
SETTINGS = {
    "full": {
        "fig2": [
            {"task": _SYN, "n_features": 8, "m_gen": 8, "factors": [1, 2, 3, 4, 6, 8],
             "methods": ["random_vertex", "gradient_descent"], "gd_steps": 20000},
            {"task": _FASHION, "n_features": 16, "n_samples": 700, "units": [8, 16, 32, 64],
             "methods": ["random_vertex", "gradient_descent"], "gd_steps": 10000},
            {"task": _DIGITS, "n_features": 16, "n_samples": 350, "units": [8, 16, 32, 64],
             "methods": ["random_vertex", "gradient_descent"], "gd_steps": 10000},
        ],
        "fig3": [
            {"task": _SYN, "n_features": 4, "m_gen": 2, "factors": [0.5, 1, 1.5, 2, 3, 4],
             "methods": ["local_search:best", "local_search:first", "gradient_descent"],
             "gd_steps": 20000, "max_steps": 1000},
            {"task": _FASHION, "n_features": 8, "n_samples": 350, "units": [2, 4, 8],
             "methods": ["local_search:first", "gradient_descent"], "gd_steps": 10000,
             "max_steps": 1000},
            {"task": _DIGITS, "n_features": 8, "n_samples": 350, "units": [2, 4, 8],
             "methods": ["local_search:first", "gradient_descent"], "gd_steps": 10000,
             "max_steps": 1000},
        ],
        "seeds": 5,
    },
    "quick": {
        "fig2": [
            {"task": _SYN, "n_features": 3, "m_gen": 2, "factors": [1, 2],
             "methods": ["random_vertex", "gradient_descent"], "gd_steps": 300},
            {"task": _DIGITS, "n_features": 3, "n_samples": 40, "units": [2, 4],
             "methods": ["random_vertex", "gradient_descent"], "gd_steps": 300},
        ],
        "fig3": [
            {"task": _SYN, "n_features": 2, "m_gen": 2, "factors": [0.5, 1],
             "methods": ["local_search:best", "local_search:first", "gradient_descent"],
             "gd_steps": 300, "max_steps": 50},
            {"task": _DIGITS, "n_features": 3, "n_samples": 30, "units": [2],
             "methods": ["local_search:first", "gradient_descent"], "gd_steps": 300,
             "max_steps": 10},
        ],
        "seeds": 2,
    },
}

_LABELS = {"random_vertex": "random vertex", "gradient_descent": "gradient descent",
           "local_search:best": "GLS (best improvement)",
           "local_search:first": "mGLS (first improvement, multiplier order)"}
_COLORS = {"random_vertex": "#ff7f0e", "gradient_descent": "#1f77b4",
           "local_search:best": "#2ca02c", "local_search:first": "#9467bd"}
_TASK_IDS = {_SYN: 1, _FASHION: 2, _DIGITS: 3}
_STANDIN = ("digits-5-9 is scikit-learn's 8x8 digits, 5 vs 9: an offline stand-in for the "
            "paper's MNIST 5 vs 9 (no package ships MNIST installably)")


def settings_for(quick: bool = False, *, seeds: int | None = None, datasets: Sequence[str] | None = None,
                 figures: Sequence[str] = FIGURES) -> dict[str, Any]:
    """The settings of a run: panels per figure, number of seeds.

    Parameters
    ----------
    quick : bool
        ``--quick`` settings (seconds) instead of the paper's scale.
    seeds : int, optional
        Seeds per (task, width); default 5 (paper scale) or 2 (quick).
    datasets : sequence of str, optional
        Tasks to keep (``"synthetic"``, ``"fashion-coat-pullover"``, ``"digits-5-9"``).
    figures : sequence of str

    Returns
    -------
    dict

    Examples
    --------
    >>> s = settings_for(quick=True, seeds=3, datasets=["synthetic"])
    >>> s["seeds"], [p["task"] for p in s["fig2"]], [p["n_units"] for p in s["fig3"]]
    (3, ['synthetic'], [[1, 2]])
    """
    from zonotope.exceptions import ValidationError

    from .._checks import check_nonneg

    base = copy.deepcopy(SETTINGS["quick" if quick else "full"])
    n_seeds = base["seeds"] if seeds is None else \
        check_nonneg(seeds, "settings_for", "seeds", allow_zero=False, integer=True)
    known = {_SYN, _FASHION, _DIGITS}
    if datasets is not None:
        bad = [d for d in datasets if d not in known]
        if bad:
            raise ValidationError(f"`datasets` of `settings_for` must name tasks among "
                                  f"{sorted(known)}; got {bad} instead.")
    out = {"seeds": n_seeds, "quick": bool(quick)}
    for fig in figures:
        panels = []
        for p in base[fig]:
            if datasets is not None and p["task"] not in datasets:
                continue
            if "factors" in p:
                p["n_units"] = [max(1, int(round(f * p["m_gen"]))) for f in p["factors"]]
                p["n_samples"] = (p["n_features"] + 1) * p["m_gen"]
            else:
                p["n_units"] = list(p["units"])
            panels.append(p)
        out[fig] = panels
    return out


def _seed(*parts):
    """A seed derived from integers (order-free across runs: resumes draw the same data)."""
    return np.random.SeedSequence([int(x) for x in parts]).generate_state(1)[0]


def _data(fig_id, panel, seed, data_dir):
    """``(X, y, task object or None)`` of one panel and seed (the same for every width)."""
    from .datasets import binary_task
    from .teacher import teacher_data

    tid = _TASK_IDS[panel["task"]]
    s = _seed(2022, fig_id, tid, panel["n_features"], panel["n_samples"], seed)
    if panel["task"] == _SYN:
        data = teacher_data(panel["n_features"], panel["m_gen"], rng=int(s))
        return data.X, data.y, None
    task = binary_task(panel["task"], panel["n_features"], panel["n_samples"],
                       data_dir=data_dir, rng=int(s))
    return task.X, task.y, task


def _metrics(res, X, y, task):
    """Loss, relative loss, accuracies of one fitted network."""
    out = {"loss": float(res.loss), "rel_loss": float(res.loss / max(float(np.mean(y ** 2)), 1e-300)),
           "seconds": float(res.seconds), "n_solves": int(res.n_solves), "status": res.status}
    if task is not None:
        out["train_acc"] = task.accuracy(res.predict(X))
        out["test_acc"] = task.accuracy(res.predict(task.X_test), test=True) \
            if len(task.y_test) else float("nan")
    if res.method == "local_search":
        out["n_moves"] = int(res.info["n_moves"])
        out["certified"] = bool(res.info["certified"])
    return out


def _run_unit(fig, panel, n_units, seed, data_dir):
    """All methods of one (figure, panel, width, seed): a list of result dicts."""
    import relu

    fig_id = FIGURES.index(fig) + 2
    X, y, task = _data(fig_id, panel, seed, data_dir)
    v = relu.alternating_second_layer(n_units)
    init_seed = int(_seed(7, fig_id, _TASK_IDS[panel["task"]], n_units, seed))
    P, W0 = relu.random_pattern(X, n_units, rng=init_seed)
    rows = []
    for method in panel["methods"]:
        if method == "random_vertex":
            res = relu.random_vertex(X, y, n_units, v, rng=init_seed)
        elif method == "gradient_descent":
            res = relu.gradient_descent(X, y, n_units, v, W0=W0, n_steps=panel["gd_steps"])
        else:
            strategy = method.split(":")[1]
            res = relu.local_search(X, y, n_units, v, start=P, strategy=strategy,
                                    max_steps=panel["max_steps"])
        row = {"method": method, **_metrics(res, X, y, task)}
        rows.append(row)
    return rows


def _key(fig, panel, n_units, seed):
    blob = json.dumps({"fig": fig, "panel": panel, "n_units": n_units, "seed": seed},
                      sort_keys=True).encode()
    h = hashlib.sha256(blob).hexdigest()[:12]
    return f"{fig}-{panel['task']}-m{n_units}-s{seed}-{h}"


def figure_runs(settings: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """The units of work of a run: ``(figure, panel, n_units, seed)`` tuples.

    Examples
    --------
    >>> len(figure_runs(settings_for(quick=True, datasets=["synthetic"])))  # 2 figs x 2 widths x 2 seeds
    8
    """
    units = []
    for fig in FIGURES:
        for panel in settings.get(fig, []):
            for m in panel["n_units"]:
                for s in range(settings["seeds"]):
                    units.append((fig, panel, m, s))
    return units


def _versions():
    from importlib import metadata

    out = {"python": platform.python_version()}
    for pkg in ("zonotope", "numpy", "scipy", "scikit-learn", "daqp", "clarabel", "cvxpy",
                "matplotlib", "tqdm"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def run_figures(out: str | os.PathLike[str], *, figures: Sequence[str] = FIGURES, quick: bool = False,
                seeds: int | None = None, datasets: Sequence[str] | None = None,
                data_dir: str | os.PathLike[str] | None = None, progress: bool | None = None,
                max_runs: int | None = None, command: str | None = None) -> dict[str, Any]:
    """Run (or resume) Figures 2 and/or 3 and write tables and figures to ``out``.

    Parameters
    ----------
    out : str or path
        Output directory (created); records of finished units of work in
        ``out/records/`` are reused.
    figures : sequence of {"fig2", "fig3"}
    quick : bool
        The ``--quick`` settings (seconds).
    seeds : int, optional
        Seeds per (task, width) (default 5; quick: 2).
    datasets : sequence of str, optional
        Tasks to run (default: all of the settings; the Fashion-MNIST task is
        skipped, with a note, when its files cannot be found and ``datasets`` does
        not name it).
    data_dir : str or path, optional
        Directory of Fashion-MNIST's IDX files (default: the Debian package's).
    progress : bool, optional
        tqdm bar per figure (None: only on a terminal).
    max_runs : int, optional
        Compute at most this many new units of work, then stop (the rest on the
        next call; the tables then cover what is done).
    command : str, optional
        The command line, recorded in ``metadata.json``.

    Returns
    -------
    dict
        ``computed``, ``reused``, ``remaining`` (units of work), ``seconds``, ``files``
        (written), ``notes`` and ``findings`` (computed statements about the results).

    Examples
    --------
    >>> import tempfile
    >>> r = run_figures(tempfile.mkdtemp(), figures=["fig3"], quick=True, seeds=1,
    ...                 datasets=["synthetic"], progress=False)
    >>> r["computed"], r["remaining"], sorted(Path(f).name for f in r["files"])[:3]
    (2, 0, ['fig3.png', 'metadata.json', 'results.csv'])
    """
    import tqdm as _tqdm

    from zonotope._checkpoint import DirectoryLock, read_sealed_json, write_sealed_json
    from zonotope.exceptions import DamagedFileError, ValidationError

    t0 = time.perf_counter()
    figures = [f for f in FIGURES if f in figures]
    if not figures:
        raise ValidationError(f"`figures` of `run_figures` must name some of {list(FIGURES)}; "
                              f"got {figures!r} instead.")
    notes = []
    wants_fashion = any(p["task"] == _FASHION for f in figures
                        for p in SETTINGS["quick" if quick else "full"][f])
    if datasets is None and wants_fashion:
        try:
            from .datasets import fashion_mnist_files

            fashion_mnist_files(data_dir)
        except ValidationError as exc:
            datasets = [_SYN, _DIGITS]
            notes.append(f"Fashion-MNIST skipped: {exc}")
    settings = settings_for(quick, seeds=seeds, datasets=datasets, figures=figures)
    if any(p["task"] == _DIGITS for f in figures for p in settings[f]):
        notes.append(_STANDIN)
    out = Path(out)
    rec_dir = out / "records"
    rec_dir.mkdir(parents=True, exist_ok=True)
    units = figure_runs(settings)
    computed = reused = 0
    records = []
    show = sys.stderr.isatty() if progress is None else bool(progress)
    with DirectoryLock(out):
        for fig in figures:
            mine = [u for u in units if u[0] == fig]
            bar = _tqdm.tqdm(total=len(mine), desc=f"reproduce {fig}", unit="run",
                             disable=not show, leave=False)
            try:
                for (f, panel, m, s) in mine:
                    key = _key(f, panel, m, s)
                    path = rec_dir / f"{key}.json"
                    rec = None
                    if path.exists():
                        try:
                            rec = read_sealed_json(path, what="result record")
                        except DamagedFileError:
                            rec = None
                    if rec is None:
                        if max_runs is not None and computed >= max_runs:
                            bar.update(1)
                            continue
                        rec = {"key": key, "figure": f, "task": panel["task"], "n_units": m,
                               "seed": s, "panel": panel,
                               "results": _run_unit(f, panel, m, s, data_dir)}
                        write_sealed_json(path, rec)
                        computed += 1
                    else:
                        reused += 1
                    records.append(rec)
                    bar.update(1)
            finally:
                bar.close()
        seconds = time.perf_counter() - t0
        files, findings = _write_outputs(out, settings, records, notes, seconds, command)
    return {"computed": computed, "reused": reused, "remaining": len(units) - len(records),
            "seconds": seconds, "files": [str(f) for f in files], "notes": notes,
            "findings": findings}


# ------------------------------------------------------------------ aggregation
_RUN_FIELDS = ["figure", "task", "n_units", "factor", "seed", "method", "loss", "rel_loss",
               "train_acc", "test_acc", "status", "certified", "n_moves", "n_solves", "seconds"]
_SUM_FIELDS = ["figure", "task", "n_units", "factor", "method", "metric", "n", "mean", "std",
               "median", "q1", "q3", "seconds_mean", "seconds_median", "n_solves_mean",
               "n_certified"]


def _factor(panel, m):
    if panel["task"] == _SYN:
        return m / panel["m_gen"]
    return m * (panel["n_features"] + 1) / panel["n_samples"]


def _run_rows(records):
    rows = []
    for rec in sorted(records, key=lambda r: (r["figure"], r["task"], r["n_units"], r["seed"])):
        for res in rec["results"]:
            row = {"figure": rec["figure"], "task": rec["task"], "n_units": rec["n_units"],
                   "factor": _factor(rec["panel"], rec["n_units"]), "seed": rec["seed"]}
            row.update({k: res.get(k) for k in _RUN_FIELDS if k in res})
            rows.append(row)
    return rows


def _metric_of(task):
    return "rel_loss" if task == _SYN else "train_acc"


def _summary_rows(runs):
    groups = {}
    for r in runs:
        groups.setdefault((r["figure"], r["task"], r["n_units"], r["method"]), []).append(r)
    out = []
    for (fig, task, m, method), rs in sorted(groups.items()):
        metrics = [_metric_of(task)] + (["test_acc", "loss"] if task != _SYN else [])
        for metric in metrics:
            s = summarize([r.get(metric, float("nan")) for r in rs])
            row = {"figure": fig, "task": task, "n_units": m, "factor": rs[0]["factor"],
                   "method": method, "metric": metric, **{k: s[k] for k in
                                                          ("n", "mean", "std", "median", "q1",
                                                           "q3")},
                   "seconds_mean": float(np.mean([r["seconds"] for r in rs])),
                   "seconds_median": float(np.median([r["seconds"] for r in rs])),
                   "n_solves_mean": float(np.mean([r["n_solves"] for r in rs])),
                   "n_certified": (sum(bool(r.get("certified")) for r in rs)
                                   if method.startswith("local_search") else None)}
            out.append(row)
    return out


def _findings(runs, summary):
    """Statements computed from the results (the report of the issue)."""
    lines = []
    by = {}
    for r in runs:
        by.setdefault((r["figure"], r["task"], r["n_units"], r["method"]), {})[r["seed"]] = r
    # Figure 2: the factor from which a random vertex is as good as gradient descent
    for task in sorted({r["task"] for r in runs if r["figure"] == "fig2"}):
        metric = _metric_of(task)
        widths = sorted({r["n_units"] for r in runs if r["figure"] == "fig2" and r["task"] == task})
        parts, good, facs = [], [], []
        for m in widths:
            rv = by.get(("fig2", task, m, "random_vertex"), {})
            gd = by.get(("fig2", task, m, "gradient_descent"), {})
            if not rv or not gd:
                continue
            a = float(np.median([x[metric] for x in rv.values()]))
            b = float(np.median([x[metric] for x in gd.values()]))
            f = next(iter(rv.values()))["factor"]
            parts.append(f"m={m} (factor {f:.3g}): random vertex {_fmt(a)} vs GD {_fmt(b)}")
            good.append(a <= b * (1 + 1e-9) + 1e-15 if metric == "rel_loss" else a >= b)
            facs.append((m, f))
        cross = None
        for k in range(len(good)):
            if all(good[k:]):
                cross = facs[k]
                break
        head = f"Figure 2, {task} (median {metric} over seeds): "
        if cross is None:
            lines.append(head + "a random vertex is never as good as gradient descent at the "
                         "widths run; " + "; ".join(parts))
        else:
            lines.append(head + f"a random vertex is as good as gradient descent (median) from "
                         f"m = {cross[0]} (factor {cross[1]:.3g}) on; " + "; ".join(parts))
    # Figure 3: local search vs gradient descent, paired by seed
    for task in sorted({r["task"] for r in runs if r["figure"] == "fig3"}):
        metric = _metric_of(task)
        sign = 1.0 if metric == "rel_loss" else -1.0
        widths = sorted({r["n_units"] for r in runs if r["figure"] == "fig3" and r["task"] == task})
        for method in ("local_search:best", "local_search:first"):
            parts = []
            for m in widths:
                ls = by.get(("fig3", task, m, method), {})
                gd = by.get(("fig3", task, m, "gradient_descent"), {})
                seeds = sorted(set(ls) & set(gd))
                if not seeds:
                    continue
                a = np.array([ls[s][metric] for s in seeds])
                b = np.array([gd[s][metric] for s in seeds])
                tol = 1e-9 if metric == "rel_loss" else 0.0
                wins = int(np.sum(sign * (b - a) > tol * np.maximum(np.abs(b), 1e-300)))
                losses = int(np.sum(sign * (a - b) > tol * np.maximum(np.abs(b), 1e-300)))
                t_ls = float(np.median([ls[s]["seconds"] for s in seeds]))
                t_gd = float(np.median([gd[s]["seconds"] for s in seeds]))
                n_cert = sum(bool(ls[s].get("certified")) for s in seeds)
                parts.append(f"m={m}: median {_fmt(float(np.median(a)))} vs GD "
                             f"{_fmt(float(np.median(b)))}, better on {wins}/{len(seeds)} seeds, "
                             f"worse on {losses}; {_fmt(t_ls)} s vs {_fmt(t_gd)} s (median), "
                             f"{_fmt(float(np.median([ls[s]['n_solves'] for s in seeds])))} "
                             f"solves; certified local minimum on {n_cert}/{len(seeds)}")
            if parts:
                lines.append(f"Figure 3, {task}, {_LABELS[method]} vs gradient descent "
                             f"({metric}): " + "; ".join(parts))
    return lines


def _write_csv(path, rows, fields):
    import io

    from zonotope._checkpoint import atomic_write_bytes

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in fields})
    atomic_write_bytes(path, buf.getvalue().encode())


def _markdown(settings, summary, findings, notes, seconds, command):
    lines = ["# Reproduction of Figures 2 and 3 (Matena & Raffel, 2022)", ""]
    if command:
        lines += [f"Command: `{command}`; {seconds:.0f} s on a shared 2-core machine.", ""]
    for n in notes:
        lines += [f"*Note:* {n}", ""]
    lines += ["## Findings (computed from the table)", ""] + [f"- {x}" for x in findings] + [""]
    for fig in FIGURES:
        for panel in settings.get(fig, []):
            task = panel["task"]
            rows = [r for r in summary if r["figure"] == fig and r["task"] == task]
            if not rows:
                continue
            desc = (f"d = {panel['n_features']}, m_gen = {panel['m_gen']}, N = {panel['n_samples']}"
                    if task == _SYN else f"d = {panel['n_features']}, N = {panel['n_samples']}")
            lines += [f"## {fig}: {task} ({desc}, {settings['seeds']} seeds)", "",
                      "| m | factor | method | metric | mean ± std | median [q1, q3] | seconds "
                      "(mean) | convex solves (mean) | certified |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for r in rows:
                cert = "" if r["n_certified"] is None else f"{r['n_certified']}/{r['n']}"
                lines.append(f"| {r['n_units']} | {r['factor']:.3g} | {_LABELS[r['method']]} | "
                             f"{r['metric']} | {_fmt(r['mean'])} ± {_fmt(r['std'])} | "
                             f"{_fmt(r['median'])} [{_fmt(r['q1'])}, {_fmt(r['q3'])}] | "
                             f"{_fmt(r['seconds_mean'])} | {_fmt(r['n_solves_mean'])} | "
                             f"{cert} |")
            lines.append("")
    lines += ["rel_loss = training MSE / mean(y^2) (1 = output 0); train_acc/test_acc = "
              "fraction of examples with sign(output) = label; factor = m / m_gen (synthetic) or "
              "m (d + 1) / N (image tasks); certified = local search stopped at a certified "
              "local minimum (not at max_steps).", ""]
    return "\n".join(lines)


def _plot(settings, summary, runs, fig, path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    panels = settings.get(fig, [])
    if not panels:
        return None
    f, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 4.2), squeeze=False,
                           layout="constrained")
    for ax, panel in zip(axes[0], panels):
        task = panel["task"]
        metric = _metric_of(task)
        for method in panel["methods"]:
            rows = sorted((r for r in summary if r["figure"] == fig and r["task"] == task
                           and r["method"] == method and r["metric"] == metric),
                          key=lambda r: r["n_units"])
            if not rows:
                continue
            x = np.array([r["factor"] for r in rows])
            med = np.array([r["median"] for r in rows])
            q1 = np.array([r["q1"] for r in rows])
            q3 = np.array([r["q3"] for r in rows])
            floor = 1e-12
            if metric == "rel_loss":
                med, q1, q3 = (np.maximum(a, floor) for a in (med, q1, q3))
            c = _COLORS[method]
            ax.fill_between(x, q1, q3, color=c, alpha=0.2, lw=0)
            ax.plot(x, med, "-o", color=c, label=_LABELS[method] + " (median, IQR)")
            pts = [(r["factor"], r[metric]) for r in runs if r["figure"] == fig
                   and r["task"] == task and r["method"] == method]
            if pts:
                px, py = np.array(pts, dtype=float).T
                if metric == "rel_loss":
                    py = np.maximum(py, floor)
                ax.plot(px, py, ".", color=c, alpha=0.5, ms=4)
        if metric == "rel_loss":
            ax.set_yscale("log")
            ax.set_ylabel("relative training MSE (MSE / mean y²)")
            ax.set_xlabel("overparameterisation factor m / m_gen")
            title = (f"{task}: d = {panel['n_features']}, m_gen = {panel['m_gen']}, "
                     f"N = {panel['n_samples']}")
        else:
            ax.set_ylabel("training accuracy")
            ax.set_xlabel("m (d + 1) / N")
            title = f"{task}: d = {panel['n_features']}, N = {panel['n_samples']}"
        ax.set_title(title, fontsize=10)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    f.suptitle(f"{'Figure 2: random vertex' if fig == 'fig2' else 'Figure 3: GLS / mGLS'} vs "
               f"gradient descent ({settings['seeds']} seeds)", fontsize=11)
    f.savefig(path, dpi=110)
    plt.close(f)
    return path


def _json_safe(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return x


def _write_outputs(out, settings, records, notes, seconds, command):
    from zonotope._checkpoint import atomic_write_bytes

    runs = _run_rows(records)
    summary = _summary_rows(runs)
    findings = _findings(runs, summary)
    files = []
    _write_csv(out / "runs.csv", runs, _RUN_FIELDS)
    _write_csv(out / "results.csv", summary, _SUM_FIELDS)
    meta = {"settings": settings, "versions": _versions(), "notes": notes, "command": command,
            "seconds": seconds, "n_records": len(records),
            "machine": f"{platform.machine()}, shared with other jobs (timings are noisy)",
            "hyperparameters": {
                "second_layer": "alternating (+1, -1, ..., 0), fixed (relu.alternating_second_layer)",
                "init": "Glorot uniform W0 (relu.random_pattern); random vertex = its patterns; "
                        "gradient descent and local search start from the same W0",
                "gradient_descent": "full batch, step 1/L (lr='auto'), gd_steps steps or until "
                                    "the max-norm gradient < 1e-10",
                "local_search": "tol = 1e-9 (relative); max_steps per panel",
                "teacher": "relu.experiments.teacher_data: W and biases i.i.d. N(0,1), second "
                           "layer alternating, noiseless labels",
                "images": "relu.experiments.binary_task: N/2 per class at random, PCA whitening "
                          "fitted on the N training examples, first d components, targets "
                          "+-1, squared loss"}}
    atomic_write_bytes(out / "metadata.json",
                       json.dumps(_json_safe(meta), indent=1, sort_keys=True).encode())
    atomic_write_bytes(out / "results.json", json.dumps(_json_safe(
        {"summary": summary, "findings": findings, "notes": notes, "settings": settings,
         "versions": meta["versions"]}), indent=1, sort_keys=True).encode())
    atomic_write_bytes(out / "results.md",
                       _markdown(settings, summary, findings, notes, seconds, command).encode())
    files += [out / n for n in ("runs.csv", "results.csv", "metadata.json", "results.json",
                                "results.md")]
    for fig in FIGURES:
        p = _plot(settings, summary, runs, fig, out / f"{fig}.png")
        if p is not None:
            files.append(p)
    return files, findings
