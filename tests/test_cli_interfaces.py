"""The command line speaks CLI: --format, --version, python -m zonotope, flags that do not
apply are errors, size refusals name --force, malformed headers are errors, progress bars
on a terminal only.  Numbers are checked against the exact brute-force oracle of conftest.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys

import numpy as np
import pytest

from zonotope import __version__
from zonotope.cli import busy, main


def run(*argv, module="zonotope"):
    res = subprocess.run([sys.executable, "-m", module, *map(str, argv)], capture_output=True,
                         text=True, timeout=300,
                         env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"})
    return res.returncode, res.stdout, res.stderr


@pytest.fixture
def pts(tmp_path):
    f = tmp_path / "pts.csv"
    f.write_text("0,0\n2,0\n0,2\n1,1\n3,1\n")          # 1,1 on the segment 2,0 -- 0,2
    return f


@pytest.fixture
def labelled(tmp_path):
    f = tmp_path / "fit.csv"
    f.write_text("0,0\n1,0\n2,1\n3,2\n")
    return f


@pytest.fixture
def big(tmp_path):
    f = tmp_path / "big.csv"
    np.savetxt(f, np.random.default_rng(0).standard_normal((400, 4)), delimiter=",")
    return f


def _main(capsys, *argv):
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


# ----------------------------------------------------------------- --version, python -m zonotope
def test_version_and_python_dash_m():
    rc, out, err = run("--version")
    assert rc == 0 and out.strip() == f"zonotope {__version__}"
    rc, out, err = run("count", "--help")
    assert rc == 0 and "--format {table,csv,json}" in out


# ----------------------------------------------------------------- --format on every command
def test_count_formats_agree_with_the_exact_oracle(pts, capsys, exact_chambers):
    truth = len(exact_chambers([[0, 0, 1], [2, 0, 1], [0, 2, 1], [1, 1, 1], [3, 1, 1]]))
    rc, out, _ = _main(capsys, "count", pts)
    assert rc == 0 and out.startswith(f"{truth} chambers")
    rc, out, _ = _main(capsys, "count", pts, "--format", "json")
    assert rc == 0 and json.loads(out)["n_chambers"] == truth
    rc, out, _ = _main(capsys, "count", pts, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["n_chambers", "seconds"] and int(rows[1][0]) == truth


def test_chambers_json_and_csv(pts, capsys, exact_chambers):
    truth = exact_chambers([[0, 0, 1], [2, 0, 1], [0, 2, 1], [1, 1, 1], [3, 1, 1]])
    rc, out, _ = _main(capsys, "chambers", pts, "--format", "json")
    rec = json.loads(out)
    assert rc == 0 and rec["n_chambers"] == len(truth) and rec["exact"] is True
    pats = {tuple(1 if c == "1" else -1 for c in v["pattern"]) for v in rec["vertices"]}
    assert pats == set(truth)
    for v in rec["vertices"]:         # vertex = sum of the active (x_i, 1), exactly
        act = [i for i, c in enumerate(v["pattern"]) if c == "1"]
        X = [[0, 0, 1], [2, 0, 1], [0, 2, 1], [1, 1, 1], [3, 1, 1]]
        assert v["vertex"] == [sum(X[i][c] for i in act) for c in range(3)]
    rc, out, _ = _main(capsys, "chambers", pts, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["index", "pattern", "z1", "z2", "z3", "degree"] and len(rows) == len(truth) + 1


def test_demo_verify_figure_explore_and_fit_formats(tmp_path, labelled, capsys):
    rc, out, _ = _main(capsys, "demo", "--format", "json")
    rec = json.loads(out)
    assert rc == 0 and rec["n_chambers"] == 22 and rec["exact_erm"]["n_units"] == 2
    rc, out, _ = _main(capsys, "verify", "products", "--quick", "--format", "json")
    assert rc == 0 and json.loads(out)["checks"][0]["name"] == "products"
    rc, out, _ = _main(capsys, "verify", "products", "--quick", "--format", "csv")
    assert rc == 0 and out.splitlines()[1].startswith("products,True")
    png = tmp_path / "f.png"
    rc, out, _ = _main(capsys, "figure1", "--out", png, "--view", "slice", "--format", "json")
    assert rc == 0 and json.loads(out) == {"wrote": str(png)} and png.stat().st_size > 0
    html = tmp_path / "x.html"
    rc, out, _ = _main(capsys, "explore", "--html", html, "--format", "json")
    assert rc == 0 and json.loads(out) == {"wrote": [str(html)]}
    rc, out, _ = _main(capsys, "fit", labelled, "--n-units", "1", "--second-layer", "1,0",
                       "--format", "json")
    rec = json.loads(out)
    assert rc == 0 and rec["method"] == "exact" and rec["loss"] <= 1e-20
    rc, out, _ = _main(capsys, "fit", labelled, "--n-units", "1", "--second-layer", "1,0",
                       "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["unit", "second_layer", "w1", "b"] and rows[-1][0] == "output_bias"
    assert float(rows[1][2]) == pytest.approx(1.0) and float(rows[1][3]) == pytest.approx(-1.0)


# ----------------------------------------------------------------- errors speak CLI
@pytest.mark.parametrize("argv", [["count"], ["chambers"], ["fit", "--n-units", "3"]])
def test_size_refusals_name_force_not_python_keywords(big, capsys, argv):
    rc, out, err = _main(capsys, argv[0], big, *argv[1:])
    assert rc == 2 and "add --force" in err
    assert "=None" not in err and "max_" not in err and "force=True" not in err


def test_malformed_header_is_an_error(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("1;2\n3,4\n5,6\n")
    rc, out, err = _main(capsys, "count", f)
    assert rc == 2 and "'1;2'" in err and "line 1" in err


@pytest.mark.parametrize("argv,flag", [
    (["fit", "{lab}", "--method", "construction", "--n-units", "3"], "--n-units"),
    (["fit", "{lab}", "--method", "construction", "--second-layer", "1,0"], "--second-layer"),
    (["fit", "{lab}", "--method", "construction", "--no-bias"], "--no-bias"),
    (["fit", "{lab}", "--method", "gradient_descent", "--n-init", "3"], "--n-init"),
    (["fit", "{lab}", "--method", "random_vertex", "--max-steps", "3"], "--max-steps"),
    (["fit", "{lab}", "--method", "local_search", "--n-steps", "3"], "--n-steps"),
    (["fit", "{lab}", "--method", "exact", "--seed", "1"], "--seed"),
    (["fit", "{lab}", "--method", "random_vertex", "--workers", "2"], "--workers"),
    (["fit", "{lab}", "--method", "gradient_descent", "--checkpoint", "c.json"], "--checkpoint"),
    (["fit", "{lab}", "--method", "local_search", "--force"], "--force"),
    (["chambers", "{pts}", "--block-rays", "5"], "--block-rays"),
    (["chambers", "{pts}", "--all", "--out", "{tmp}/store"], "--all"),
    (["explore", "--html", "{tmp}/x.html", "--snap", "0.5"], "--snap"),
])
def test_flags_that_do_not_apply_are_errors(argv, flag, labelled, pts, tmp_path, capsys):
    argv = [a.format(lab=labelled, pts=pts, tmp=tmp_path) for a in argv]
    rc, out, err = _main(capsys, *argv)
    assert rc == 2, (out, err)
    assert f"`{flag}` of `zonotope {argv[0]}` must be left out" in err
    assert out == ""


def test_applicable_flags_still_work(labelled, capsys):
    rc, out, err = _main(capsys, "fit", labelled, "--method", "gradient_descent", "--seed", "1",
                         "--n-steps", "50", "--n-units", "1")
    assert rc == 0, err


# ----------------------------------------------------------------- progress: terminal only
def test_busy_bar_shows_only_when_asked(capsys):
    with busy("working", enabled=True):
        pass
    assert "working" in capsys.readouterr().err
    with busy("working", enabled=False):
        pass
    assert capsys.readouterr().err == ""


def test_progress_on_a_terminal_quiet_when_piped(pts):
    rc, out, err = run("count", pts)
    assert rc == 0 and err == ""                     # piped: no bar
    pid, fd = pty.fork()
    if pid == 0:                                     # child: stdout and stderr are a terminal
        import fcntl
        import struct
        import termios

        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a real width
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        os.execv(sys.executable, [sys.executable, "-m", "zonotope", "count", str(pts)])
    chunks = []
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode(errors="replace")
    assert "counting chambers" in text and "chambers (" in text
