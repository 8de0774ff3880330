"""``relu.cli_fit`` and the ``zonotope fit`` subcommand / demo extension."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import relu
from zonotope import ValidationError


def test_cli_fit_from_array_and_pair():
    data = [[0, 0], [1, 0], [2, 1], [3, 2]]
    r = relu.cli_fit(data, units=1, second_layer="1,0")
    assert isinstance(r, relu.FitResult) and r.loss <= 1e-20
    assert r.W.shape == (1, 2) and r.pattern.shape == (1, 4) and r.v.tolist() == [1.0, 0.0]
    r2 = relu.cli_fit((np.array([[0.0], [1.0]]), np.array([0.0, 1.0])), units=1, method="gd",
                      rng=0, second_layer=[1.0, 0.0])
    assert r2.method == "gd"
    text = str(r)
    assert "mean mse loss" in text and "unit 0" in text and "output bias" in text


def test_cli_fit_validation():
    with pytest.raises(ValidationError, match="`method`"):
        relu.cli_fit([[0, 0], [1, 1]], method="magic")
    with pytest.raises(ValidationError, match="`second_layer`"):
        relu.cli_fit([[0, 0], [1, 1]], units=1, second_layer="1,x")
    with pytest.raises(ValidationError, match="`path_or_array`"):
        relu.cli_fit([[0], [1]])


def _run(argv):
    res = subprocess.run([sys.executable, "-m", "zonotope.cli", *map(str, argv)],
                         capture_output=True, text=True, timeout=300)
    return res.returncode, res.stdout, res.stderr


def test_zonotope_fit_subcommand(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("# x, y\n0, 0\n1, 0\n2, 1\n3, 2\n")
    rc, out, err = _run(["fit", f, "--units", "1", "--second-layer", "1,0"])
    assert rc == 0, err
    assert "exact_erm: mean mse loss" in out and "unit 0" in out
    rc, out, err = _run(["fit", f, "--method", "construction"])
    assert rc == 0 and "residual" in out
    rc, out, err = _run(["fit", tmp_path / "missing.csv"])
    assert rc == 2 and "error" in err


def test_demo_includes_exact_erm():
    rc, out, err = _run(["demo"])
    assert rc == 0, err
    assert "Exact ERM (Algorithm 1)" in out and "exact_erm: mean mse loss" in out
