r"""``zonotope reproduce pruning``: the pruning and tuning experiments of Mishkin & Pilanci (2023).

**Pruning** (their Figs. 2-7).  Per data set and repeat: a 50/50 train/test split
(seed ``650 + repeat``), the CGL on ``n_gates`` Gaussian gates (seed ``123 + repeat``),
no hidden bias, squared loss on labels ``+-1``, ``lambda = 0.01`` in pyscnn's mean
scaling, solved by :func:`relu.solve_cgl` (certified); then the network is pruned unit
by unit by Optimal/LS (Alg. 2), neuron magnitude, gradient magnitude and random
(:func:`relu.convex.pruning_path`).  Accuracy is ``mean(sign(f(x)) == y)`` (an output of
exactly 0 counts as an error, as in the paper).  Curves: median and quartiles over
the repeats against the number of active neurons (a repeat that starts with fewer
neurons contributes its starting value to the larger counts, the paper's
front-padding).

**Tuning** (their Tables 1-2).  Per data set and repeat: a 15/5/80
train/validation/test split (the authors' code: ``test_prop = 0.8``, a quarter of the
rest for validation; their text says 60/20/20), ``n_gates`` gates, ``lambda = 1e-3``
(mean scaling); then four optimal networks from the *certified* optimal set
(:meth:`relu.convex.OptimalSet`): the min-norm network, an extreme point of maximal
norm, the network minimising the validation MSE, and (an oracle) the one minimising
the test MSE; test accuracy of each, and the dimension of the optimal set.

Data: scikit-learn's breast cancer (``wdbc``, z-scored with training statistics) and
digit pairs (``digits-a-b``, 8x8 pixels scaled to ``[0, 1]``) ship with the package;
the paper's UCI sets (``uci/<name>``) are read from ``--data-dir``
(:func:`relu.experiments.uci.load_uci`).

Every unit of work (data set x repeat x experiment) is written as one sealed JSON
record (:mod:`zonotope._checkpoint`) under ``out/records/``, named by a hash of its
settings: an interrupted run resumes where it stopped, and a finished run only
re-aggregates.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence
    from typing import Any

__all__ = ["run_pruning_experiments", "load_task", "PRUNING_TASKS", "QUICK", "FULL",
           "settings_for", "aggregate_pruning"]

#: Built-in binary tasks (scikit-learn data, no download).
PRUNING_TASKS = ("wdbc", "digits-1-7", "digits-5-9", "digits-2-6")

#: Settings of the full run (the paper's, see the module docstring).
FULL = {
    "pruning": {"datasets": list(PRUNING_TASKS), "seeds": 5, "n_gates": 25, "lam_mean": 0.01,
                "bias": False, "train_fraction": 0.5},
    "tuning": {"datasets": ["wdbc", "digits-5-9"], "seeds": 5, "n_gates": 250, "lam_mean": 1e-3,
               "bias": False, "fractions": [0.15, 0.05, 0.8]},
}
#: ``--quick``: the same pipeline, small (under a minute).
QUICK = {
    "pruning": {"datasets": ["wdbc", "digits-1-7"], "seeds": 2, "n_gates": 8, "lam_mean": 0.01,
                "bias": False, "train_fraction": 0.5, "max_train": 150},
    "tuning": {"datasets": ["wdbc"], "seeds": 2, "n_gates": 12, "lam_mean": 1e-3,
               "bias": False, "fractions": [0.15, 0.05, 0.8]},
}

METHOD_LABELS = {"optimal_ls": "Optimal/LS", "neuron_magnitude": "Neuron Magnitude",
                 "gradient_magnitude": "Gradient Magnitude", "random": "Random"}
TUNING_LABELS = {"min_norm": "Min-norm", "extreme_point": "EP (max norm)",
                 "validation_mse": "V-MSE", "test_mse": "T-MSE (oracle)"}


# ----------------------------------------------------------------------------- data
def load_task(name: str,
              data_dir: str | os.PathLike[str] | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """A binary task ``(X, y, description)`` with labels ``+-1`` (features not yet scaled).

    Parameters
    ----------
    name : str
        ``"wdbc"`` (scikit-learn's breast cancer, 569 x 30), ``"digits-a-b"`` (8x8 digits
        ``a`` vs ``b``, 64 pixels in ``[0, 16]``), or ``"uci/<name>"`` (the Fernández-Delgado
        collection at ``data_dir``).
    data_dir : str or Path, optional

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray of {-1.0, 1.0}
    scaling : str
        ``"zscore"``, ``"pixels"`` or ``"none"`` (how :func:`run_pruning_experiments`
        scales the features).

    Examples
    --------
    >>> X, y, how = load_task("digits-1-7")
    >>> X.shape[1], sorted(set(y.tolist())), how
    (64, [-1.0, 1.0], 'pixels')
    """
    from .._checks import fail

    func = "load_task"
    if not isinstance(name, str):
        fail("name", func, "a task name", repr(name))
    if name == "wdbc":
        from sklearn.datasets import load_breast_cancer

        b = load_breast_cancer()
        return np.asarray(b.data, dtype=np.float64), 2.0 * b.target - 1.0, "zscore"
    if name.startswith("digits-"):
        parts = name.split("-")
        if len(parts) != 3 or not all(p.isdigit() and len(p) == 1 for p in parts[1:]) \
                or parts[1] == parts[2]:
            fail("name", func, "'digits-a-b' with two different digits", repr(name))
        from sklearn.datasets import load_digits

        dg = load_digits()
        a, b = int(parts[1]), int(parts[2])
        keep = np.isin(dg.target, (a, b))
        return np.asarray(dg.data[keep], dtype=np.float64), np.where(dg.target[keep] == a, -1.0, 1.0), \
            "pixels"
    if name.startswith("uci/"):
        from .uci import load_uci

        if data_dir is None:
            fail("data_dir", func, "the directory of the unpacked UCI collection for "
                 f"{name!r}", "None")
        X, y = load_uci(name[4:], data_dir)
        return X, y, "none"
    fail("name", func, f"one of {PRUNING_TASKS}, 'digits-a-b' or 'uci/<name>'", repr(name))


def _scale(X, tr, how):
    if how == "zscore":
        mu, sd = X[tr].mean(axis=0), X[tr].std(axis=0)
        return (X - mu) / np.where(sd > 0, sd, 1.0)
    if how == "pixels":
        return X / 16.0
    return X


def _accuracy(pred, y):
    """``mean(sign(pred) == y)`` per row of ``pred`` (0 is an error)."""
    return np.mean(np.sign(pred) == y[None, :], axis=1) if pred.ndim == 2 else \
        float(np.mean(np.sign(pred) == y))


# ----------------------------------------------------------------------------- units
def _pruning_unit(task, repeat, cfg, data_dir):
    import relu
    from relu.convex import pruning_path

    X, y, how = load_task(task, data_dir)
    n = len(y)
    perm = np.random.default_rng(650 + repeat).permutation(n)
    n_tr = int(round(cfg["train_fraction"] * n))
    tr, te = perm[:n_tr], perm[n_tr:]
    if cfg.get("max_train"):
        tr = tr[: cfg["max_train"]]
    Xs = _scale(X, tr, how)
    t0 = time.perf_counter()
    res = relu.solve_cgl(Xs[tr], y[tr], cfg["lam_mean"], patterns=cfg["n_gates"], rng=123 + repeat,
                         bias=cfg["bias"], scaling="mean")
    t_solve = time.perf_counter() - t0
    out = {"task": task, "repeat": repeat, "n_train": int(tr.size), "n_test": int(te.size),
           "n_features": int(X.shape[1]), "n_blocks": res.program.n_blocks,
           "n_active": res.n_active, "objective_mean": res.objective_mean,
           "certificate_relative_gap": res.certificate.relative_gap,
           "solve_seconds": t_solve, "methods": {}}
    for method in METHOD_LABELS:
        t1 = time.perf_counter()
        path = pruning_path(res, method, rng=repeat)
        out["methods"][method] = {
            "n_active": path.n_active.tolist(),
            "train_accuracy": _accuracy(path.predict(Xs[tr]), y[tr]).tolist(),
            "test_accuracy": _accuracy(path.predict(Xs[te]), y[te]).tolist(),
            "objective_mean": (path.objectives / res.program.n_samples).tolist(),
            "n_exact": path.n_exact,
            "seconds": time.perf_counter() - t1,
        }
    return out


def _tuning_unit(task, repeat, cfg, data_dir):
    import relu

    X, y, how = load_task(task, data_dir)
    n = len(y)
    perm = np.random.default_rng(650 + repeat).permutation(n)
    f_tr, f_va, _ = cfg["fractions"]
    a, b = int(round(f_tr * n)), int(round((f_tr + f_va) * n))
    tr, va, te = perm[:a], perm[a:b], perm[b:]
    Xs = _scale(X, tr, how)
    t0 = time.perf_counter()
    res = relu.solve_cgl(Xs[tr], y[tr], cfg["lam_mean"], patterns=cfg["n_gates"], rng=123 + repeat,
                         bias=cfg["bias"], scaling="mean")
    S = res.optimal_set()
    t_set = time.perf_counter() - t0
    picks = {"min_norm": S.min_norm(), "extreme_point": S.extreme_point(rng=repeat),
             "validation_mse": S.minimize_validation_loss(Xs[va], y[va], loss="mse"),
             "test_mse": S.minimize_validation_loss(Xs[te], y[te], loss="mse")}
    out = {"task": task, "repeat": repeat, "n_train": int(tr.size), "n_validation": int(va.size),
           "n_test": int(te.size), "n_blocks": res.program.n_blocks, "n_support": S.n_support,
           "n_neurons": len(S.neurons), "dimension": S.dimension,
           "neuron_dimension": S.neuron_dimension, "p_unique": bool(S.is_p_unique),
           "seconds": time.perf_counter() - t0, "optimal_set_seconds": t_set, "methods": {}}
    for k, r in picks.items():
        out["methods"][k] = {
            "test_accuracy": _accuracy(r.predict(Xs[te]), y[te]),
            "train_accuracy": _accuracy(r.fit, y[tr]),
            "validation_mse": float(np.mean((r.predict(Xs[va]) - y[va]) ** 2)),
            "objective_mean": r.objective_mean,
            "n_active": r.n_active,
            "certified": bool(r.certificate.accepted),
        }
    return out


# ----------------------------------------------------------------------------- aggregation
def _quartiles(vals):
    v = np.asarray(vals, dtype=np.float64)
    return float(np.median(v)), float(np.quantile(v, 0.25)), float(np.quantile(v, 0.75))


def aggregate_pruning(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and quartiles of the accuracy against the number of active neurons.

    Parameters
    ----------
    records : list of dict
        Pruning records of one task (one per repeat).

    Returns
    -------
    dict
        ``method -> {"neurons": [...], "test": [(median, q25, q75), ...], "train": [...]}``.

    Examples
    --------
    >>> rec = {"methods": {"random": {"n_active": [2, 1], "test_accuracy": [0.9, 0.5],
    ...                               "train_accuracy": [1.0, 0.6]}}}
    >>> aggregate_pruning([rec, rec])["random"]["test"]
    [(0.5, 0.5, 0.5), (0.9, 0.9, 0.9)]
    """
    out = {}
    methods = sorted({m for r in records for m in r["methods"]})
    for m in methods:
        runs = [r["methods"][m] for r in records if m in r["methods"]]
        top = max(max(run["n_active"]) for run in runs)
        ks = list(range(1, top + 1))
        cur = {"neurons": ks, "test": [], "train": []}
        for which in ("test", "train"):
            for k in ks:
                vals = []
                for run in runs:
                    na = np.asarray(run["n_active"])
                    acc = np.asarray(run[f"{which}_accuracy"])
                    hit = np.nonzero(na <= k)[0]
                    # first step with at most k units (front-padded with the start)
                    vals.append(acc[hit[0]] if hit.size else acc[-1])
                cur[which].append(_quartiles(vals))
        out[m] = cur
    return out


def _md_pruning(agg, tasks, ks=(None, 20, 10, 5, 2, 1)):
    heads = ["full" if k is None else f"{k} unit{'s' if k > 1 else ''}" for k in ks]
    lines = ["| task | method | " + " | ".join(heads) + " |",
             "|---|---|" + "---|" * len(ks)]
    for t in tasks:
        if t not in agg:
            continue
        for m, lab in METHOD_LABELS.items():
            if m not in agg[t]:
                continue
            a = agg[t][m]
            cells = []
            for k in ks:
                kk = a["neurons"][-1] if k is None else k
                if kk > a["neurons"][-1]:
                    cells.append("--")
                    continue
                md, lo, hi = a["test"][kk - 1]
                cells.append(f"{md:.3f} ({lo:.3f}/{hi:.3f})")
            full = a["neurons"][-1]
            lab2 = f"{lab}" if m != "optimal_ls" else f"{lab} (from {full} units)"
            lines.append(f"| {t} | {lab2} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _tuning_rows(records_by_task):
    rows = []
    for t, recs in records_by_task.items():
        if not recs:
            continue
        row = {"task": t, "repeats": len(recs),
               "dimension": _quartiles([r["dimension"] for r in recs]),
               "neuron_dimension": _quartiles([r["neuron_dimension"] for r in recs]),
               "p_unique": sum(bool(r["p_unique"]) for r in recs),
               "n_neurons": _quartiles([r["n_neurons"] for r in recs])}
        meds = []
        for m in TUNING_LABELS:
            q = _quartiles([r["methods"][m]["test_accuracy"] for r in recs])
            row[m] = q
            meds.append(q[0])
        row["max_diff"] = float(max(meds) - min(meds))
        row["all_certified"] = all(r["methods"][m]["certified"] for r in recs for m in TUNING_LABELS)
        rows.append(row)
    return rows


def _md_tuning(rows):
    lines = ["| task | repeats | optimal-set dimension (neurons) | p-unique | "
             + " | ".join(TUNING_LABELS.values()) + " | max diff |",
             "|---|---|---|---|" + "---|" * (len(TUNING_LABELS) + 1)]
    for r in rows:
        cells = [f"{r[m][0]:.3f} ({r[m][1]:.3f}/{r[m][2]:.3f})" for m in TUNING_LABELS]
        lines.append(f"| {r['task']} | {r['repeats']} | {r['dimension'][0]:g} ({r['neuron_dimension'][0]:g}) "
                     f"| {r['p_unique']}/{r['repeats']} | " + " | ".join(cells)
                     + f" | {r['max_diff']:.3f} |")
    return "\n".join(lines)


def _plot(agg, tasks, which, path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    tasks = [t for t in tasks if t in agg]
    if not tasks:
        return None
    ncol = min(3, len(tasks))
    nrow = (len(tasks) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.3 * nrow), squeeze=False)
    colors = {"optimal_ls": "C0", "neuron_magnitude": "C1", "gradient_magnitude": "C2", "random": "C3"}
    for ax, t in zip(axes.ravel(), tasks):
        for m, lab in METHOD_LABELS.items():
            if m not in agg[t]:
                continue
            a = agg[t][m]
            ks = np.array(a["neurons"])
            q = np.array(a[which])
            ax.plot(ks, q[:, 0], color=colors[m], label=lab, lw=1.6)
            ax.fill_between(ks, q[:, 1], q[:, 2], color=colors[m], alpha=0.18, lw=0)
        ax.set_title(t)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("# active neurons")
        ax.set_ylabel(f"{which} accuracy")
        ax.set_ylim(0.0, 1.02)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(tasks):]:
        ax.axis("off")
    axes.ravel()[0].legend(fontsize=8, loc="lower right")
    fig.suptitle(f"Pruning two-layer ReLU networks: {which} accuracy (median, 25-75% band)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- driver
def settings_for(quick: bool = False, *, seeds: int | None = None, datasets: Sequence[str] | None = None,
                 tuning_datasets: Sequence[str] | None = None) -> dict[str, Any]:
    """The settings dict of a run (``FULL`` or ``QUICK`` with overrides).

    Examples
    --------
    >>> settings_for(quick=True, seeds=1)["pruning"]["seeds"]
    1
    """
    from .._checks import check_nonneg

    s = json.loads(json.dumps(QUICK if quick else FULL))
    if seeds is not None:
        seeds = check_nonneg(seeds, "settings_for", "seeds", integer=True, allow_zero=False)
        s["pruning"]["seeds"] = s["tuning"]["seeds"] = int(seeds)
    if datasets is not None:
        s["pruning"]["datasets"] = list(datasets)
    if tuning_datasets is not None:
        s["tuning"]["datasets"] = list(tuning_datasets)
    return s


def _key(kind, task, repeat, cfg):
    h = hashlib.sha256(json.dumps({"kind": kind, "task": task, "repeat": repeat, **cfg},
                                  sort_keys=True).encode()).hexdigest()[:12]
    return f"{kind}__{task.replace('/', '_')}__r{repeat}__{h}.json"


def run_pruning_experiments(out: str | os.PathLike[str], *, quick: bool = False, seeds: int | None = None,
                            datasets: Sequence[str] | None = None,
                            tuning_datasets: Sequence[str] | None = None,
                            data_dir: str | os.PathLike[str] | None = None, progress: bool | None = None,
                            parts: tuple[str, ...] = ("pruning", "tuning")) -> dict[str, Any]:
    """Run (or resume) the pruning and tuning experiments; write tables and figures.

    Parameters
    ----------
    out : str or Path
        Output directory (created).  Records go to ``out/records/``; results to
        ``pruning.csv``, ``pruning.md``, ``pruning_test.png``, ``pruning_train.png``,
        ``tuning.csv``, ``tuning.md`` and ``summary.json``.
    quick : bool
        :data:`QUICK` settings (under a minute).
    seeds : int, optional
        Number of seeds (repeats: splits and gates) per data set (default 5; quick 2).
    datasets, tuning_datasets : list of str, optional
        Tasks (:func:`load_task` names) of the two experiments.
    data_dir : str or Path, optional
        Root of the UCI collection for ``uci/<name>`` tasks.
    progress : bool or None
        tqdm bar over the units (None: only on a terminal).
    parts : tuple of str
        ``"pruning"`` and/or ``"tuning"``.

    Returns
    -------
    dict
        ``settings``, ``pruning`` (aggregated curves per task), ``tuning`` (table
        rows), ``files``, ``seconds``, ``computed`` and ``reused`` unit counts.

    Raises
    ------
    CheckpointLockedError
        Another process works on ``out``.

    Examples
    --------
    A small run: quick settings, one seed, the pruning experiment on the breast-cancer
    data only (a few seconds).  The unpruned network classifies about 93% of the test
    half correctly; pruned to one neuron by Optimal/LS, far fewer:

    >>> import os, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> res = run_pruning_experiments(tmp.name, quick=True, seeds=1, datasets=["wdbc"],
    ...                               parts=("pruning",), progress=False)
    >>> res["computed"], sorted(res["pruning"]["wdbc"])
    (1, ['gradient_magnitude', 'neuron_magnitude', 'optimal_ls', 'random'])
    >>> curve = res["pruning"]["wdbc"]["optimal_ls"]       # test: (median, q25, q75) per size
    >>> round(curve["test"][-1][0], 2), bool(curve["test"][0][0] < 0.8)
    (0.93, True)
    >>> [os.path.basename(f) for f in res["files"]]
    ['pruning.csv', 'pruning.md', 'pruning_test.png', 'pruning_train.png', 'summary.json']
    >>> tmp.cleanup()
    """
    import platform

    import scipy
    import tqdm as _tqdm

    from zonotope._checkpoint import DirectoryLock, read_sealed_json, write_sealed_json
    from zonotope.exceptions import DamagedFileError

    from .._checks import fail

    t0 = time.perf_counter()
    settings = settings_for(quick, seeds=seeds, datasets=datasets, tuning_datasets=tuning_datasets)
    for p in parts:
        if p not in ("pruning", "tuning"):
            fail("parts", "run_pruning_experiments", "made of 'pruning' and 'tuning'", repr(parts))
    for t in settings["pruning"]["datasets"] + settings["tuning"]["datasets"]:
        load_task(t, data_dir)          # fail early on a bad name or a missing file
    out = Path(out)
    rec_dir = out / "records"
    rec_dir.mkdir(parents=True, exist_ok=True)
    units = []
    for kind, fn in (("pruning", _pruning_unit), ("tuning", _tuning_unit)):
        if kind not in parts:
            continue
        cfg = settings[kind]
        cfg_unit = {k: v for k, v in cfg.items() if k not in ("datasets", "seeds")}
        for t in cfg["datasets"]:
            for r in range(cfg["seeds"]):
                units.append((kind, t, r, fn, cfg_unit))
    results = {"pruning": {}, "tuning": {}}
    computed = reused = 0
    with DirectoryLock(out):
        bar = _tqdm.tqdm(total=len(units), desc="reproduce pruning", unit="run",
                         disable=None if progress is None else not progress)
        try:
            for kind, t, r, fn, cfg_unit in units:
                path = rec_dir / _key(kind, t, r, cfg_unit)
                rec = None
                if path.exists():
                    try:
                        rec = read_sealed_json(path, what="result record")
                    except DamagedFileError:
                        rec = None
                if rec is None:
                    rec = fn(t, r, cfg_unit, data_dir)
                    write_sealed_json(path, rec)
                    computed += 1
                else:
                    reused += 1
                results[kind].setdefault(t, []).append(rec)
                bar.update(1)
        finally:
            bar.close()
    files = []
    agg = {t: aggregate_pruning(recs) for t, recs in results["pruning"].items()}
    if agg:
        tasks = settings["pruning"]["datasets"]
        rows = ["task,method,neurons,test_median,test_q25,test_q75,train_median,train_q25,train_q75"]
        for t in tasks:
            for m, a in agg.get(t, {}).items():
                for k, te, trn in zip(a["neurons"], a["test"], a["train"]):
                    rows.append(f"{t},{m},{k},{te[0]:.6g},{te[1]:.6g},{te[2]:.6g},"
                                f"{trn[0]:.6g},{trn[1]:.6g},{trn[2]:.6g}")
        (out / "pruning.csv").write_text("\n".join(rows) + "\n")
        (out / "pruning.md").write_text(
            "Test accuracy, median (25%/75%) over repeats, after pruning to k active neurons.\n\n"
            + _md_pruning(agg, tasks) + "\n")
        files += [out / "pruning.csv", out / "pruning.md"]
        for which in ("test", "train"):
            p = _plot(agg, tasks, which, out / f"pruning_{which}.png")
            if p is not None:
                files.append(p)
    trows = _tuning_rows(results["tuning"])
    if trows:
        lines = ["task,repeats,dimension_median,neuron_dimension_median,p_unique,"
                 + ",".join(f"{m}_median,{m}_q25,{m}_q75" for m in TUNING_LABELS) + ",max_diff"]
        for r in trows:
            lines.append(f"{r['task']},{r['repeats']},{r['dimension'][0]:g},{r['neuron_dimension'][0]:g},"
                         f"{r['p_unique']}," + ",".join(f"{r[m][0]:.6g},{r[m][1]:.6g},{r[m][2]:.6g}"
                                                        for m in TUNING_LABELS) + f",{r['max_diff']:.6g}")
        (out / "tuning.csv").write_text("\n".join(lines) + "\n")
        (out / "tuning.md").write_text(
            "Test accuracy of four optimal networks from the certified optimal set, median "
            "(25%/75%) over repeats.\n\n" + _md_tuning(trows) + "\n")
        files += [out / "tuning.csv", out / "tuning.md"]
    import sklearn

    import relu

    seconds = time.perf_counter() - t0
    summary = {"settings": settings, "seconds": seconds, "computed": computed, "reused": reused,
               "versions": {"python": platform.python_version(), "numpy": np.__version__,
                            "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
                            "relu": getattr(relu, "__version__", "dev")},
               "solve_seconds": {t: [r["solve_seconds"] for r in recs]
                                 for t, recs in results["pruning"].items()},
               "tuning": trows}
    (out / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
    files.append(out / "summary.json")
    return {"settings": settings, "pruning": agg, "tuning": trows, "files": [str(f) for f in files],
            "seconds": seconds, "computed": computed, "reused": reused}
