"""The ``zonotope fit`` subcommand and the demo extension (in process through ``main``)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import relu
from zonotope.cli import main


@pytest.fixture
def data_file(tmp_path):
    f = tmp_path / "data.csv"
    f.write_text("# x, y\n0, 0\n1, 0\n2, 1\n3, 2\n")
    return f


def _fit(capsys, *argv):
    rc = main(["fit", *map(str, argv)])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_zonotope_fit_subcommand(data_file, capsys):
    rc, out, err = _fit(capsys, data_file, "--n-units", "1", "--second-layer", "1,0")
    assert rc == 0, err
    assert "exact: mean mse loss" in out and "unit 0" in out and "output bias" in out
    rc, out, err = _fit(capsys, data_file, "--method", "construction")
    assert rc == 0 and "residual" in out and out.startswith("construction:")
    rc, out, err = _fit(capsys, data_file.parent / "missing.csv")
    assert rc == 2 and "error" in err


def test_fit_reads_data_through_zonotope_io(tmp_path, capsys):
    f = tmp_path / "semi.txt"
    f.write_text("x;y\n0;0\n1;0\n2;1\n3;2\n")
    rc, out, err = _fit(capsys, f, "--n-units", "1", "--second-layer", "1,0", "--delimiter", ";")
    assert rc == 0, err
    assert float(re.search(r"loss (\S+)", out).group(1)) <= 1e-20
    f.write_text("0,5 1\n1,5 2\n")                        # decimal commas: refused, not misread
    rc, out, err = _fit(capsys, f, "--n-units", "1")
    assert rc == 2 and "`path` of `load_data`" in err


@pytest.mark.parametrize("method", ["random_vertex", "local_search", "gradient_descent"])
def test_every_method_runs_under_its_own_name(data_file, capsys, method):
    extra = ["--n-steps", "200"] if method == "gradient_descent" else []
    rc, out, err = _fit(capsys, data_file, "--n-units", "2", "--method", method, "--seed", "0",
                        *extra)
    assert rc == 0, err
    assert out.startswith(f"{method}: mean mse loss")


def test_the_old_names_are_gone(data_file, capsys):
    for argv in (["--units", "1"], ["--method", "gls"], ["--method", "gd"]):
        with pytest.raises(SystemExit):
            main(["fit", str(data_file), *argv])
        capsys.readouterr()


def test_no_bias_fits_bias_free_units(tmp_path, capsys):
    f = tmp_path / "odd.csv"
    f.write_text("-2, 2\n-1, 1\n0, 0\n1, 1\n2, 2\n")          # y = |x|: two bias-free units
    rc, out, err = _fit(capsys, f, "--n-units", "2", "--second-layer", "1,1,0", "--no-bias")
    assert rc == 0, err
    assert "no bias" in out
    loss = float(re.search(r"loss (\S+)", out).group(1))
    assert loss <= 1e-20
    rc, out, err = _fit(capsys, f, "--method", "construction", "--no-bias")
    assert rc == 2 and "`--no-bias` of `zonotope fit`" in err


@pytest.mark.parametrize("argv,message", [
    (["--seed", "-1", "--method", "random_vertex"], "`--seed` of `zonotope fit` must be"),
    (["--seed", "-1"], "`--seed` of `zonotope fit` must be"),
    (["--workers", "-1"], "`--workers` of `zonotope fit` must be None or an int from 1 to"),
    (["--workers", "100000"], "`--workers` of `zonotope fit` must be None or an int from 1 to"),
    (["--workers", "0"], "`--workers` of `zonotope fit`"),
    (["--second-layer", "1,x"], "`--second-layer` of `zonotope fit`"),
    (["--n-units", "0"], "`n_units` of `exact_erm` must be a positive int"),
    (["--n-units", "1000000000"], "`n_units` of `exact_erm` must be small enough"),
    (["--n-units", "1000000000", "--force"], "`n_units` of `exact_erm` must be small enough"),
    (["--n-units", "1000000000", "--method", "gradient_descent"],
     "`n_units` of `gradient_descent` must be small enough"),
    (["--n-units", "12"], "subproblems (> the limit 2,000,000)"),
    (["--checkpoint", "/nonexistent-dir/ck.json"], "`checkpoint` of `exact_erm` must be a file "
     "in an existing directory"),
])
def test_bad_options_give_one_clear_error(data_file, capsys, argv, message):
    rc, out, err = _fit(capsys, data_file, *argv)
    assert rc == 2, (out, err)
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_demo_includes_exact_erm(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Exact ERM (Algorithm 1)" in out and "exact: mean mse loss" in out


def test_the_cli_is_plumbing_not_api():
    assert not hasattr(relu, "cli_fit")
    assert set(relu.cli.__all__) == {"register", "demo", "METHODS", "APPLIES", "DEMO_X", "DEMO_Y"}
    assert relu.cli.METHODS == relu.estimators.METHODS
    assert np.array_equal(relu.exact_erm(relu.cli.DEMO_X, relu.cli.DEMO_Y, 1, progress=False).W,
                          relu.exact_erm(relu.cli.DEMO_X, relu.cli.DEMO_Y, 1, progress=False).W)
