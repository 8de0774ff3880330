"""``zonotope reproduce pruning`` (relu.experiments): the quick run end to end, resuming,
the shared flags of the registry, the task loaders and the UCI reader.

Oracles: the records are recomputed independently for one unit (a fresh
``relu.solve_cgl`` on the same split and gates, its accuracy through ``relu.predict``),
the aggregated CSV is recomputed from the records, and a damaged record is redone.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from relu.experiments import TARGETS, add_reproduce_parser
from relu.experiments.pruning import aggregate_pruning, load_task, settings_for
from relu.experiments.uci import load_uci
from zonotope.cli import main


def _records(out, kind):
    # A record is a sealed JSON file: {"sha256": ..., "content": {...}} (docs/relu.md).
    return [json.loads(p.read_text())["content"]
            for p in sorted((out / "records").glob(f"{kind}__*.json"))]


def test_quick_run_resume_and_tables(tmp_path, capsys):
    out = tmp_path / "rp"
    rc = main(["reproduce", "pruning", "--quick", "--seeds", "1", "--out", str(out),
               "--datasets", "digits-1-7"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    assert "2 runs computed, 0 reused" in cap.out
    for f in ("pruning.csv", "pruning.md", "pruning_test.png", "pruning_train.png", "tuning.csv",
              "tuning.md", "summary.json"):
        assert (out / f).stat().st_size > 0
    assert (out / "pruning_test.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    prec, = _records(out, "pruning")
    # every method starts from the same certified network; Optimal/LS keeps its training
    # accuracy through the exact phase (the fit does not change) and ends at one unit
    starts = {m: r["test_accuracy"][0] for m, r in prec["methods"].items()}
    assert len(set(starts.values())) == 1
    ls = prec["methods"]["optimal_ls"]
    k = ls["n_exact"]
    assert np.allclose(ls["objective_mean"][: k + 1], ls["objective_mean"][0], rtol=1e-6)
    assert all(r["n_active"][-1] == 1 for r in prec["methods"].values())
    # independent recomputation of the starting accuracy
    import relu

    X, y, _ = load_task("digits-1-7")
    cfg = settings_for(quick=True)["pruning"]
    perm = np.random.default_rng(650).permutation(len(y))
    n_tr = int(round(cfg["train_fraction"] * len(y)))
    tr, te = perm[:n_tr][: cfg["max_train"]], perm[n_tr:]
    r = relu.solve_cgl(X[tr] / 16, y[tr], cfg["lam_mean"], patterns=cfg["n_gates"], rng=123,
                       bias=False, scaling="mean")
    acc = float(np.mean(np.sign(r.predict(X[te] / 16)) == y[te]))
    assert abs(acc - starts["random"]) <= 2.0 / te.size   # same network up to solver precision
    # the CSV is the aggregation of the records
    agg = aggregate_pruning([prec])
    rows = list(csv.DictReader((out / "pruning.csv").open()))
    for row in rows:
        a = agg[row["method"]]
        i = a["neurons"].index(int(row["neurons"]))
        assert float(row["test_median"]) == pytest.approx(a["test"][i][0], abs=1e-6)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["settings"]["pruning"]["seeds"] == 1
    # resume: nothing recomputed; a damaged record is recomputed
    rc = main(["reproduce", "pruning", "--quick", "--seeds", "1", "--out", str(out),
               "--datasets", "digits-1-7"])
    assert rc == 0 and "0 runs computed, 2 reused" in capsys.readouterr().out
    victim = sorted((out / "records").glob("pruning__*.json"))[0]
    victim.write_text(victim.read_text()[:-20])
    rc = main(["reproduce", "pruning", "--quick", "--seeds", "1", "--out", str(out),
               "--datasets", "digits-1-7"])
    assert rc == 0 and "1 runs computed, 1 reused" in capsys.readouterr().out


def test_registry_and_shared_flags():
    import argparse

    assert "pruning" in TARGETS
    p = argparse.ArgumentParser()
    add_reproduce_parser(p.add_subparsers(dest="command"))
    a = p.parse_args(["reproduce", "pruning", "--seeds", "3", "--out", "d", "--data-dir", "u",
                      "--datasets", "wdbc,uci/fertility", "--quick"])
    assert (a.seeds, a.out, a.data_dir, a.datasets, a.quick) == (3, "d", "u", "wdbc,uci/fertility", True)
    with pytest.raises(SystemExit):
        p.parse_args(["reproduce", "pruning", "--repeats", "3"])


def test_tasks_and_bad_names(tmp_path):
    from zonotope.exceptions import ValidationError

    X, y, how = load_task("wdbc")
    assert X.shape == (569, 30) and how == "zscore" and set(y.tolist()) == {-1.0, 1.0}
    X, y, _ = load_task("digits-5-9")
    assert X.shape[1] == 64 and np.count_nonzero(y == -1) == 182      # the 5s of sklearn's digits
    with pytest.raises(ValidationError, match="`name` of `load_task`"):
        load_task("digits-3-3")
    with pytest.raises(ValidationError, match="`data_dir` of `load_task`"):
        load_task("uci/fertility")
    with pytest.raises(ValidationError, match="`seeds` of `settings_for`"):
        settings_for(seeds=0)


def test_uci_loader_formats(tmp_path):
    from zonotope.exceptions import ValidationError

    d = tmp_path / "toy"
    d.mkdir()
    # header without a row-name field, rows with row names, train/test split files
    (d / "toy_train_R.dat").write_text("\tf1\tf2\tclase\n1\t0.5\t-1\t2\n2\t1.5\t2\t1\n")
    (d / "toy_test_R.dat").write_text("f1\tf2\tclase\n3\t2.5\t0\t2\n")
    X, y = load_uci("toy", tmp_path)
    assert X.tolist() == [[0.5, -1.0], [1.5, 2.0], [2.5, 0.0]] and y.tolist() == [1.0, -1.0, 1.0]
    (tmp_path / "tri").mkdir()
    (tmp_path / "tri" / "tri_R.dat").write_text("f1\tclase\n1\t0.5\t0\n2\t1.5\t1\n3\t1.5\t2\n4\t3\t2\n")
    with pytest.raises(ValidationError, match="`name` of `load_uci`"):
        load_uci("tri", tmp_path)
    X, y = load_uci("tri", tmp_path, classes=("0", "2"))
    assert y.tolist() == [-1.0, 1.0, 1.0]
    with pytest.raises(ValidationError, match="`data_dir` of `load_uci`"):
        load_uci("missing", tmp_path)
