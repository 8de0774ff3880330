"""The ``zonotope`` command line: demo, chambers, count, error handling.

Numbers printed by the CLI are checked against the exact brute-force chamber oracle
of ``conftest.py`` (not against the library).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from zonotope.cli import FIGURE1_POINTS, main
from zonotope.io import load_data


def run(argv):
    """Run the CLI in a fresh interpreter: ``(returncode, stdout, stderr)``.

    A subprocess, because the subcommands bind ``sys.stdout`` at import time (see
    ``test_output_follows_sys_stdout``), so in-process capture does not see it.
    """
    res = subprocess.run([sys.executable, "-m", "zonotope.cli", *map(str, argv)],
                         capture_output=True, text=True, timeout=300)
    return res.returncode, res.stdout, res.stderr


def run_inprocess(argv, capsys):
    """``main(argv)`` in this process: return code and captured stderr (errors only)."""
    rc = main(argv)
    _, err = capsys.readouterr()
    return rc, err


def _homog(P):
    return [list(p) + [1] for p in P]


def _table_patterns(out):
    """Patterns and degrees from the vertex table: rows '  k  pattern  (vertex)  degree'."""
    rows = re.findall(r"^\s*(\d+)\s+([01]+)\s+\(.*\)\s+(\d+)\s*$", out, flags=re.M)
    return [(int(k), p, int(d)) for k, p, d in rows]


def test_demo_returns_zero():
    assert main(["demo"]) == 0


def test_output_follows_sys_stdout():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["demo"]) == 0
    assert "zonotope vertices: 22" in buf.getvalue()


def test_demo(exact_chambers):
    rc, out, err = run(["demo"])
    assert rc == 0, err
    assert "chambers = activation patterns = zonotope vertices: 22" in out
    assert "(sweep count: 22)" in out
    assert "edges of the 1-skeleton: 40" in out
    rows = _table_patterns(out)
    assert [k for k, _, _ in rows] == list(range(22))
    oracle = exact_chambers(_homog(FIGURE1_POINTS))
    assert {tuple(1 if c == "1" else -1 for c in p) for _, p, _ in rows} == oracle
    assert sum(d for _, _, d in rows) == 2 * 40
    for i, x in enumerate(FIGURE1_POINTS):
        assert f"x_{i} = ({x[0]}, {x[1]})" in out


def test_no_command_prints_help():
    rc, out, _ = run([])
    assert rc == 0 and "usage" in out.lower()


def test_help_and_unknown_command():
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2


@pytest.fixture
def collinear_csv(tmp_path):
    """4 collinear points + 1 off the line, exact integers, with a header and a label column."""
    p = tmp_path / "data.csv"
    p.write_text("# x1, x2, y\n0, 0, 1\n1, 1, 0\n2, 2, 1\n3, 3, 0\n0, 1, 1\n")
    return p


def test_chambers_command(collinear_csv, exact_chambers):
    pts = [[0, 0], [1, 1], [2, 2], [3, 3], [0, 1]]
    n = len(exact_chambers(_homog(pts)))
    rc, out, err = run(["chambers", str(collinear_csv), "--labels", "--all"])
    assert rc == 0, err
    assert f"zonotope vertices: {n}" in out and f"(sweep count: {n})" in out
    assert "5 points in R^2" in out and "(exact)" in out
    rows = _table_patterns(out)
    assert {tuple(1 if c == "1" else -1 for c in p) for _, p, _ in rows} == exact_chambers(_homog(pts))


def test_chambers_command_without_labels_uses_every_column(collinear_csv, exact_chambers):
    pts = [[0, 0, 1], [1, 1, 0], [2, 2, 1], [3, 3, 0], [0, 1, 1]]
    rc, out, _ = run(["chambers", str(collinear_csv)])
    assert rc == 0
    assert f"zonotope vertices: {len(exact_chambers(_homog(pts)))}" in out
    assert "5 points in R^3" in out


def test_chambers_command_truncates_by_default(tmp_path):
    p = tmp_path / "line.txt"
    p.write_text("\n".join(str(i) for i in range(30)) + "\n")  # 1-D: 60 chambers
    rc, out, _ = run(["chambers", str(p)])
    assert rc == 0
    assert len(_table_patterns(out)) == 50 and "... 10 more" in out


def test_chambers_float_data(tmp_path, exact_chambers):
    p = tmp_path / "f.csv"
    pts = [[0.5, 0.25], [1.0, 0.5], [1.5, 0.75], [0.25, 1.0]]
    p.write_text("\n".join(f"{a} {b}" for a, b in pts))
    rc, out, _ = run(["chambers", str(p)])
    assert rc == 0 and "(float)" in out
    assert f"zonotope vertices: {len(exact_chambers(_homog(pts)))}" in out


def test_count_command(collinear_csv, exact_chambers):
    pts = [[0, 0], [1, 1], [2, 2], [3, 3], [0, 1]]
    rc, out, _ = run(["count", str(collinear_csv), "--labels"])
    assert rc == 0
    assert re.match(rf"^{len(exact_chambers(_homog(pts)))} chambers \(", out)


def test_chambers_out_directory(collinear_csv, tmp_path, exact_chambers):
    pts = [[0, 0], [1, 1], [2, 2], [3, 3], [0, 1]]
    rc, out, err = run(["chambers", str(collinear_csv), "--labels", "--out",
                        str(tmp_path / "store")])
    assert rc == 0, err
    assert f"{len(exact_chambers(_homog(pts)))} chambers written" in out and "complete" in out


@pytest.mark.parametrize("content,needle", [
    ("1, 2\n3\n", "same number of columns"),
    ("1, a\n", "all numbers (data) or all names (a header)"),
    ("0, 0\n1, a\n", "only numbers"),
    ("0,0,0\n1,,2\n", "an empty cell"),
    ("# only a header\n\n", "at least one data row"),
    ("1, nan\n0, 1\n", "finite"),
    ("x1, x2\n1, 2\n3, q\n", "line 3"),
    ("1.0, nan\n0.0, 1.0\n", "finite"),
    ("1e400, 0\n", "finite"),
])
def test_bad_file_exits_with_code_2(tmp_path, capsys, content, needle):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    for cmd in ("chambers", "count"):
        rc, err = run_inprocess([cmd, str(p)], capsys)
        assert rc == 2
        assert err.startswith(f"zonotope {cmd}: error:") and needle in err


def test_missing_file_exits_with_code_2(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    rc, err = run_inprocess(["count", str(missing)], capsys)
    assert rc == 2 and "readable text, NPZ or IDX file" in err and "nope.csv" in err


def test_load_data_exact_and_float(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("1 2/3\n-4 5\n")
    M = load_data(p)
    assert M.dtype == object and M.tolist()[0][1].__class__.__name__ == "Fraction"
    p.write_text("1.5, 2\n3, 4e0\n")
    assert load_data(p).dtype.kind == "f"


def test_header_row_is_skipped(tmp_path):
    p = tmp_path / "with_header.csv"
    p.write_text("x1,x2\n0,0\n1,0\n0,1\n")
    M = load_data(str(p))
    assert M.shape == (3, 2) and M[1, 0] == 1


def test_interrupt_exits_130_and_names_the_checkpoint(tmp_path, capsys, monkeypatch):
    import relu.cli

    p = tmp_path / "d.csv"
    p.write_text("0,0\n1,1\n2,0\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(relu.cli, "exact_erm", interrupted)
    rc = main(["fit", str(p), "--n-units", "1", "--checkpoint", str(tmp_path / "ck.json")])
    err = capsys.readouterr().err
    assert rc == 130 and "interrupted" in err and "ck.json" in err and "resume" in err


def test_force_hint_only_where_force_can_help(tmp_path, capsys):
    import numpy as np

    small = tmp_path / "small.csv"
    small.write_text("0,0,1\n1,0,2\n0,1,0\n1,1,1\n2,1,0\n")
    for extra in ([], ["--force"]):                 # memory: no switch lifts it
        rc, err = run_inprocess(["fit", str(small), "--n-units", "1000000000", *extra], capsys)
        assert rc == 2 and "fit in memory" in err and "--force" not in err, err
        assert ".;" not in err
    big = tmp_path / "big.csv"                      # 400 points in R^3: bound ~2.1e7 chambers
    rows = np.random.default_rng(0).standard_normal((400, 3))
    big.write_text("\n".join(",".join(repr(float(v)) for v in r) for r in rows) + "\n")
    rc, err = run_inprocess(["chambers", str(big)], capsys)
    assert rc == 2 and "add --force" in err, err
