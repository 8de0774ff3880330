"""relu.experiments: the planted-data generator, the IDX / Fashion-MNIST loader, the
image tasks, the statistics, and ``zonotope reproduce fig2|fig3|all --quick`` end to end
(outputs parse; an interrupted run resumed equals an uninterrupted one)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import relu
from relu.experiments import (
    binary_task,
    fashion_mnist_files,
    load_fashion_mnist,
    run_figures,
    settings_for,
    summarize,
    teacher_data,
)
from zonotope.exceptions import ValidationError


# ------------------------------------------------------------------ teacher data
def test_teacher_data_is_labelled_by_its_teacher():
    data = teacher_data(8, 8, rng=3)
    assert data.X.shape == (72, 8) and data.W.shape == (8, 9) and data.m_gen == 8
    # independent evaluation of the teacher: sum_j v_j relu(w_j . (x, 1)) + b
    Xb = np.c_[data.X, np.ones(72)]
    want = np.maximum(Xb @ data.W.T, 0.0) @ data.second_layer[:-1] + data.second_layer[-1]
    assert np.allclose(data.y, want, rtol=1e-12, atol=1e-12)
    assert np.array_equal(data.second_layer, relu.alternating_second_layer(8))
    again = teacher_data(8, 8, rng=3)
    assert np.array_equal(again.X, data.X) and np.array_equal(again.y, data.y)
    assert not data.X.flags.writeable
    assert teacher_data(3, 2, n_samples=5, rng=0).X.shape == (5, 3)
    # Gaussian inputs: mean ~ 0, variance ~ 1 over many samples
    big = teacher_data(2, 1, n_samples=20000, rng=1)
    assert abs(big.X.mean()) < 0.03 and abs(big.X.var() - 1) < 0.05


@pytest.mark.parametrize("kw, param", [({"n_features": 0, "m_gen": 2}, "n_features"),
                                      ({"n_features": 2, "m_gen": 1.5}, "m_gen"),
                                      ({"n_features": 2, "m_gen": 2, "n_samples": -1}, "n_samples")])
def test_teacher_data_rejects_bad_sizes(kw, param):
    with pytest.raises(ValidationError, match=f"`{param}` of `teacher_data`"):
        teacher_data(**kw)


# ------------------------------------------------------------------ IDX loader
def _write_idx(path, array, code=0x08, compress=True):
    a = np.asarray(array)
    head = bytes([0, 0, code, a.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in a.shape)
    raw = head + a.astype(">u1").tobytes()
    if compress:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(raw)
    else:
        Path(path).write_bytes(raw)


def _fake_fashion(directory, rng, n_per_class=30, compress=True, side=6):
    """Small IDX files in Fashion-MNIST's layout: classes 4 (coat), 2 (pullover), 7."""
    directory.mkdir(parents=True, exist_ok=True)
    for part, n in (("train", n_per_class), ("t10k", n_per_class // 3)):
        labels = np.repeat([4, 2, 7], n)
        images = rng.integers(0, 256, size=(labels.size, side, side))
        images[labels == 4, :side // 2] //= 4                 # make the classes differ
        _write_idx(directory / f"{part}-images-idx3-ubyte", images, compress=compress)
        _write_idx(directory / f"{part}-labels-idx1-ubyte", labels, compress=compress)
    return directory


@pytest.mark.parametrize("compress, sub", [(True, ""), (False, "fashion-mnist")])
def test_fashion_loader_reads_idx_files_written_here(tmp_path, compress, sub):
    rng = np.random.default_rng(0)
    d = _fake_fashion(tmp_path / sub if sub else tmp_path, rng, compress=compress)
    files = fashion_mnist_files(tmp_path)
    assert set(files) == {"train_images", "train_labels", "test_images", "test_labels"}
    X, y = load_fashion_mnist(tmp_path)
    Xt, yt = load_fashion_mnist(tmp_path, split="test")
    assert X.shape == (90, 36) and Xt.shape == (30, 36)
    assert sorted(set(y.tolist())) == [2, 4, 7]
    # independent decoding of the first image: raw bytes after the 16-byte header
    raw = (d / "train-images-idx3-ubyte").read_bytes() if not compress else \
        gzip.open(d / "train-images-idx3-ubyte.gz").read()
    assert np.array_equal(X[0] * 255, np.frombuffer(raw[16:16 + 36], dtype=np.uint8))


def test_fashion_loader_errors_name_the_parameter(tmp_path):
    with pytest.raises(ValidationError, match="`data_dir` of `fashion_mnist_files`"):
        fashion_mnist_files(tmp_path)
    _fake_fashion(tmp_path, np.random.default_rng(1))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(ValidationError, match="`data_dir`"):
        fashion_mnist_files(tmp_path)
    with pytest.raises(ValidationError, match="`split` of `load_fashion_mnist`"):
        load_fashion_mnist(tmp_path, split="valid")


def test_binary_task_on_idx_files_is_whitened_and_balanced(tmp_path):
    _fake_fashion(tmp_path, np.random.default_rng(2))
    t = binary_task("fashion-coat-pullover", 4, 20, data_dir=tmp_path, rng=0)
    assert t.X.shape == (20, 4) and int((t.y > 0).sum()) == 10
    assert np.allclose(np.cov(t.X.T), np.eye(4), atol=1e-8)
    assert set(t.y_test.tolist()) == {-1.0, 1.0} and len(t.y_test) == 20   # class 7 left out
    assert t.accuracy(t.y) == 1.0 and t.accuracy(-t.y) == 0.0
    with pytest.raises(ValidationError, match="`n_samples` of `binary_task`"):
        binary_task("fashion-coat-pullover", 4, 21, data_dir=tmp_path)
    with pytest.raises(ValidationError, match="`n_samples`"):
        binary_task("fashion-coat-pullover", 4, 200, data_dir=tmp_path)
    with pytest.raises(ValidationError, match="`name` of `binary_task`"):
        binary_task("mnist", 4, 20)


def test_digits_stand_in():
    t = binary_task("digits-5-9", 8, 350, rng=1)
    assert t.X.shape == (350, 8) and "stand-in" in t.description
    assert len(t.y_test) == 182 + 180 - 350


def _debian_installed():
    if not shutil.which("dpkg"):
        return False
    r = subprocess.run(["dpkg", "-L", "dataset-fashion-mnist"], capture_output=True, text=True)
    return r.returncode == 0 and "train-images-idx3-ubyte.gz" in r.stdout


@pytest.mark.skipif(not _debian_installed(), reason="Debian package dataset-fashion-mnist absent")
def test_debian_package_files_are_found():
    files = fashion_mnist_files()
    listed = subprocess.run(["dpkg", "-L", "dataset-fashion-mnist"], capture_output=True,
                            text=True).stdout.split()
    assert str(files["train_images"]) in listed


@pytest.mark.slow
@pytest.mark.skipif(not _debian_installed(), reason="Debian package dataset-fashion-mnist absent")
def test_real_fashion_mnist_coat_pullover():
    X, y = load_fashion_mnist()
    assert X.shape == (60000, 784) and np.bincount(y).tolist() == [6000] * 10
    t = binary_task("fashion-coat-pullover", 8, 350, rng=0)
    assert t.X.shape == (350, 8) and len(t.y_test) == 2000
    r = relu.local_search(t.X, t.y, 2, strategy="first", max_steps=20, rng=0)
    assert 0.5 <= t.accuracy(r.predict(t.X)) <= 1.0


@pytest.mark.slow
@pytest.mark.skipif(not _debian_installed(), reason="Debian package dataset-fashion-mnist absent")
def test_reproduce_fashion_target_small(tmp_path):
    res = run_figures(tmp_path, figures=["fig2"], quick=False, seeds=1,
                      datasets=["fashion-coat-pullover"], progress=False, max_runs=1)
    assert res["computed"] == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "runs.csv").read_text())))
    assert {r["task"] for r in rows} == {"fashion-coat-pullover"}


# ------------------------------------------------------------------ statistics
def test_summarize_matches_numpy():
    rng = np.random.default_rng(5)
    a = rng.standard_normal(9)
    s = summarize(a)
    assert s["n"] == 9 and np.isclose(s["mean"], np.mean(a)) and np.isclose(s["std"], np.std(a, ddof=1))
    assert np.isclose(s["median"], np.median(a))
    assert np.isclose(s["q1"], np.percentile(a, 25)) and np.isclose(s["q3"], np.percentile(a, 75))
    one = summarize([2.0])
    assert one["mean"] == 2.0 and np.isnan(one["std"])


# ------------------------------------------------------------------ reproduce --quick
_TIMING = {"seconds"}


def _runs(path):
    rows = list(csv.DictReader(io.StringIO((path / "runs.csv").read_text())))
    return [{k: v for k, v in r.items() if k not in _TIMING} for r in rows]


def test_reproduce_quick_end_to_end_and_resume(tmp_path):
    from zonotope.cli import main

    full = tmp_path / "full"
    code = main(["reproduce", "all", "--quick", "--seeds", "1", "--out", str(full),
                 "--datasets", "synthetic,digits-5-9"])
    assert code == 0
    for name in ("runs.csv", "results.csv", "results.json", "results.md", "metadata.json",
                 "fig2.png", "fig3.png"):
        assert (full / name).stat().st_size > 0, name
    assert (full / "fig2.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = list(csv.DictReader(io.StringIO((full / "results.csv").read_text())))
    methods = {r["method"] for r in summary}
    assert methods == {"random_vertex", "gradient_descent", "local_search:best",
                       "local_search:first"}
    for r in summary:
        assert int(r["n"]) == 1 and r["metric"] in ("rel_loss", "train_acc", "test_acc", "loss")
        float(r["median"]), float(r["seconds_mean"]), float(r["n_solves_mean"])
    res = json.loads((full / "results.json").read_text())
    assert res["findings"] and "stand-in" in " ".join(res["notes"])
    meta = json.loads((full / "metadata.json").read_text())
    assert meta["versions"]["numpy"] == np.__version__ and meta["settings"]["quick"]
    md = (full / "results.md").read_text()
    assert "| m | factor | method |" in md and "mGLS" in md
    runs = _runs(full)
    n_units = len(list((full / "records").glob("*.json")))
    # random vertex: one solve; gradient descent: none
    for r in runs:
        if r["method"] == "random_vertex":
            assert r["n_solves"] == "1"
        if r["method"] == "gradient_descent":
            assert r["n_solves"] == "0"

    # an interrupted run (stopped after 3 units of work) resumed equals the full one
    part = tmp_path / "part"
    kw = dict(quick=True, seeds=1, datasets=["synthetic", "digits-5-9"], progress=False)
    first = run_figures(part, max_runs=3, **kw)
    assert first["computed"] == 3 and first["remaining"] == n_units - 3
    second = run_figures(part, **kw)
    assert second["computed"] == n_units - 3 and second["reused"] == 3
    assert _runs(part) == runs
    # a damaged record is recomputed, and the tables stay the same
    victim = sorted((part / "records").glob("*.json"))[0]
    victim.write_text(victim.read_text().replace('"seed"', '"seeed"'))
    third = run_figures(part, **kw)
    assert third["computed"] == 1 and _runs(part) == runs


def test_settings_and_bad_input():
    s = settings_for()
    fig2 = {p["task"]: p for p in s["fig2"]}
    assert fig2["synthetic"]["n_samples"] == 72 and fig2["synthetic"]["n_units"][-1] == 64
    assert fig2["fashion-coat-pullover"]["n_samples"] == 700
    assert max(fig2["fashion-coat-pullover"]["n_units"]) == 64 and s["seeds"] >= 5
    fig3 = {p["task"]: p for p in s["fig3"]}
    assert fig3["synthetic"]["n_samples"] == 10 and fig3["fashion-coat-pullover"]["n_samples"] == 350
    with pytest.raises(ValidationError, match="`datasets` of `settings_for`"):
        settings_for(datasets=["mnist"])
    with pytest.raises(ValidationError, match="`seeds` of `settings_for`"):
        settings_for(seeds=0)
    with pytest.raises(ValidationError, match="`figures` of `run_figures`"):
        run_figures("/tmp/never-used", figures=["fig9"])
