"""Figures of 3-D data: what is drawn equals the exact enumeration and a brute-force oracle.

With a bias the chambers live in R^4; the charts b = +1 / -1 show the chambers that
meet b > 0 / b < 0, one marker each; the projected 4-D zonotope shows every vertex.
Oracle: every 0/1 pattern tested by LP feasibility (HiGHS) with a margin.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.optimize import linprog  # noqa: E402

from zonotope import Zonotope  # noqa: E402
from zonotope.cli import main  # noqa: E402
from zonotope.exceptions import ValidationError  # noqa: E402
from zonotope.plotting import plot_arrangement, plot_figure1  # noqa: E402


def _feasible(A, c, pattern):
    """Is ``{v : s_i (A_i . v + c_i) > 0}`` non-empty?  Max margin ``r <= 1`` by LP; ``r > 0``."""
    s = 2.0 * np.asarray(pattern) - 1.0
    n = A.shape[1]
    A_ub = np.hstack([-(s[:, None] * A), np.ones((len(s), 1))])
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=A_ub, b_ub=s * c,
                  bounds=[(None, None)] * n + [(None, 1.0)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


def _oracle(X, mode):
    """Patterns realised: ``"+1"``/``"-1"`` in the chart b = +-1, ``"free"``: w . x_i."""
    X = np.asarray(X, float)
    N = len(X)
    out = set()
    for p in itertools.product((0, 1), repeat=N):
        if mode == "free":
            ok = _feasible(X, np.zeros(N), p) if np.all(np.any(X != 0, axis=1)) else False
        else:
            ok = _feasible(X, np.full(N, float(mode)), p)
        if ok:
            out.add(p)
    return out


def _marked(ax, prefix="chamber"):
    return sorted(int(c.get_gid()[len(prefix):]) for c in ax.collections
                  if (c.get_gid() or "").startswith(prefix))


def _patterns(Z, ks):
    P = np.asarray(Z.coefficients)
    return {tuple(int(v) for v in P[k]) for k in ks}


DATA = {
    "generic": np.random.default_rng(0).integers(-3, 4, (5, 3)),
    "coplanar_through_0": np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [2, -1, 0]]),
    "coplanar_affine": np.array([[1, 0, 1], [0, 1, 1], [1, 1, 1], [2, -1, 1], [3, 3, 1]]),
    "repeated": np.array([[1, 2, 0], [1, 2, 0], [-1, 0, 2], [0, 1, -1], [-1, 0, 2]]),
    "collinear": np.array([[1, 1, 1], [2, 2, 2], [-1, -1, -1]]),
    "one_point": np.array([[0, 0, 5]]),
}


@pytest.mark.parametrize("name", sorted(DATA))
def test_charts_and_projection_equal_the_exact_enumeration(name):
    X = DATA[name]
    Z = Zonotope.from_points(X.tolist())
    seen = {}
    for side in (1, -1):
        ax = plot_arrangement(X, side=side)
        ks = _marked(ax)
        assert len(ks) == len(set(ks))                     # one marker per chamber
        assert _patterns(Z, ks) == _oracle(X, side)        # the chambers meeting b*side > 0
        seen[side] = set(ks)
        plt.close(ax.figure)
    assert seen[1] | seen[-1] == set(range(Z.n_vertices))  # every chamber in some chart
    free = _oracle(X, "free")                               # chambers crossing b = 0
    assert len(seen[1] & seen[-1]) == len(free)
    fig = plot_figure1(X, declutter_labels=False)
    ax_z = fig.axes[1]
    assert _marked(ax_z, "vertex") == list(range(Z.n_vertices))   # vertex count
    assert f"{Z.n_vertices} vertices, {len(Z.edges)} edges" in ax_z.get_title()
    assert _marked(fig.axes[2]) == sorted(seen[1]) and _marked(fig.axes[3]) == sorted(seen[-1])
    plt.close(fig)


@pytest.mark.parametrize("name", ["generic", "coplanar_through_0", "repeated", "collinear"])
def test_bias_free_sphere_equals_the_exact_enumeration(name):
    X = DATA[name]
    Z3 = Zonotope(X.tolist())
    ax = plot_arrangement(X, bias=False)
    ks = _marked(ax)
    assert ks == list(range(Z3.n_vertices))
    assert _patterns(Z3, ks) == _oracle(X, "free")
    hyper = [ln for ln in ax.lines if (ln.get_gid() or "").startswith("hyperplane")]
    assert len(hyper) == len(X)                            # one great circle per example
    # every drawn circle lies on the sphere and on its plane
    for ln, x in zip(hyper, X):
        P = np.array(ln.get_data_3d()).T
        assert np.allclose(np.linalg.norm(P, axis=1), 1.0) and np.allclose(P @ x, 0.0)
    plt.close(ax.figure)
    fig = plot_figure1(X, bias=False, declutter_labels=False)
    assert len(fig.axes) == 3 and f"{Z3.n_vertices} vertices" in fig.axes[2].get_title()
    plt.close(fig)


def test_zero_point_with_a_bias_and_refusals():
    X = np.array([[0, 0, 0], [1, 0, 1], [0, 1, 2]])
    Z = Zonotope.from_points(X.tolist())
    for side in (1, -1):
        ax = plot_arrangement(X, side=side)
        assert _patterns(Z, _marked(ax)) == _oracle(X, side)
        plt.close(ax.figure)
    with pytest.raises(ValidationError, match="`X` of `plot_arrangement` must have no zero point"):
        plot_arrangement(X, bias=False)
    with pytest.raises(ValidationError, match="`bias` of `plot_figure1` must be True for 2-D"):
        plot_figure1([[0.0, 1.0], [1.0, 0.0]], bias=False)
    with pytest.raises(ValidationError, match="`ax` of `plot_arrangement` must be a 3-D axes"):
        plot_arrangement(DATA["generic"], plt.figure().add_subplot())
    with pytest.raises(ValidationError, match="`bias` of `plot_arrangement`"):
        plot_arrangement(DATA["generic"], bias="yes")
    plt.close("all")


def test_scaled_data_draw_the_same_chambers():
    X = DATA["generic"]
    ref = None
    for k in (-40, 0, 40):
        Xs = X * 2.0 ** k
        ax = plot_arrangement(Xs, side=1)
        got = _patterns(Zonotope.from_points(Xs.tolist()), _marked(ax))
        plt.close(ax.figure)
        ref = got if ref is None else ref
        assert got == ref


def test_cli_figure1_on_3d_data(tmp_path, capsys):
    f = tmp_path / "x3.csv"
    f.write_text("\n".join(",".join(map(str, r)) for r in DATA["generic"]) + "\n")
    for extra in ([], ["--no-bias"]):
        out = tmp_path / f"fig{len(extra)}.png"
        assert main(["figure1", "--input", str(f), "--out", str(out), *extra]) == 0
        assert out.stat().st_size > 10_000
    capsys.readouterr()
