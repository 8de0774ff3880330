"""Figure 1-style diagrams (zonotope.plotting): geometry of the pictures, colours, HTML, CLI.

The pictures are checked for what they claim mathematically: every chamber is drawn
(on the union of the slices w_3 = +1 and w_3 = -1), each drawn region really is its
chamber (a point inside it has the chamber's sign vector, decided exactly), a chamber
and its zonotope vertex share one colour, hidden edges are the right ones.  The HTML
export is loaded in headless Chromium when it is installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import zonotope as zt  # noqa: E402
from zonotope import plotting as P  # noqa: E402
from zonotope.cli import main  # noqa: E402
from zonotope.exceptions import ValidationError  # noqa: E402

FIG1 = [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0]]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _data_case_2d(case):
    if len(case.points[0]) > 2:
        pytest.skip("plots are for 1-D and 2-D data")
    return case.points


# ------------------------------------------------------------------ layering
def test_import_loads_no_plotting_library():
    code = ("import sys, zonotope, zonotope.plotting, zonotope.explorer; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'plotly', 'ipywidgets', 'ipympl')))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


# ------------------------------------------------------------------ colours and labels
def test_chamber_colors_distinct_deterministic_and_validated():
    C = P.chamber_colors(60)
    assert C.shape == (60, 4)
    assert len({tuple(np.round(c, 6)) for c in C}) == 60
    np.testing.assert_array_equal(C[:22], P.chamber_colors(22))
    red = np.array(matplotlib.colors.to_rgb("#d62728"))        # the highlight red
    assert np.abs(C[:, :3] - red).sum(axis=1).min() > 0.15   # highlight red stays unique
    for bad in (-1, 2.5, True, "3"):
        with pytest.raises(ValidationError):
            P.chamber_colors(bad)


def test_pattern_label():
    assert P.pattern_label([1, 0, 0, 1]) == "1001"
    assert P.pattern_label(np.array([1, -1, -1, 1], dtype=np.int8), "signs") == "+\u2212\u2212+"
    with pytest.raises(ValidationError):
        P.pattern_label([1], style="bits")


# ------------------------------------------------------------------ parameter-space geometry
# Checked on the drawn artists: the patch with gid "chamber-k" is chamber k's region.
def _chamber_patches(ax):
    return {int(p.get_gid().split("-")[1]): p for p in ax.patches
            if re.fullmatch(r"chamber-\d+", p.get_gid() or "")}


def _corners(patch):
    """The corners of a drawn polygon (its closing vertex dropped)."""
    xy = np.asarray(patch.get_xy(), dtype=float)
    return xy[:-1] if len(xy) > 1 and np.array_equal(xy[0], xy[-1]) else xy


def _inner_point(patch):
    """A point inside a drawn region: the mean of a convex polygon's corners, or the
    middle of a sector (1-D data)."""
    if isinstance(patch, matplotlib.patches.Wedge):
        m = np.radians((patch.theta1 + patch.theta2) / 2)
        return 0.5 * patch.r * np.array([np.cos(m), np.sin(m)])
    return _corners(patch).mean(axis=0)


def _box(ax):
    """The clipping box of a slice panel (its axis limits)."""
    return ax.get_xlim(), ax.get_ylim()


def test_every_chamber_appears_on_a_slice_with_its_own_sign_vector(zoo_data_case):
    """Each drawn region is its chamber (exact check of an inner point); none is lost."""
    X = _data_case_2d(zoo_data_case)
    Z = zt.Zonotope.from_points(X)
    d = len(X[0])
    seen = set()
    for side in ((1, -1) if d == 2 else (1,)):
        ax = P.plot_arrangement(X, Z=Z, side=side, labels=False)
        for k, patch in _chamber_patches(ax).items():
            p = _inner_point(patch)
            w = [p[0], p[1], side] if d == 2 else p
            np.testing.assert_array_equal(Z.arrangement.sign_vectors([w])[0], Z.chambers.sign_vectors[k])
            seen.add(k)
        plt.close(ax.figure)
    assert seen == set(range(Z.n_vertices)), "a chamber is missing from both slices"


def test_slice_counts_for_figure1_points():
    Z = zt.Zonotope.from_points(FIG1)
    assert Z.n_vertices == 22
    box = ((-7.0, 9.0), (-6.0, 8.0))
    plus = _chamber_patches(P.plot_arrangement(FIG1, Z=Z, side=1, box=box, labels=False))
    mirrored = ((-9.0, 7.0), (-8.0, 6.0))
    minus = _chamber_patches(P.plot_arrangement(FIG1, Z=Z, side=-1, box=mirrored, labels=False))
    ip = np.asarray(Z.chambers.interior_points)
    # chambers entirely in w3 < 0 are invisible on w3 = +1, and vice versa
    assert set(plus) >= {k for k in range(22) if ip[k, 2] > 0}
    assert set(minus) >= {k for k in range(22) if ip[k, 2] < 0}
    # central symmetry: chamber s on w3 = -1 is the reflection of chamber -s on w3 = +1
    S = Z.chambers.sign_vectors
    for k in minus:
        j = Z.chambers.index(-S[k])
        assert j in plus
        np.testing.assert_allclose(np.sort(-_corners(minus[k]), axis=0), np.sort(_corners(plus[j]), axis=0),
                                   atol=1e-9)


def test_bounded_chambers_are_drawn_whole():
    """The clipping box holds every crossing of two lines: bounded regions are not cut."""
    ax = P.plot_arrangement(FIG1, side=1, labels=False)
    (x0, x1), (y0, y1) = _box(ax)
    corners = np.vstack([_corners(p) for p in _chamber_patches(ax).values()])
    assert corners[:, 0].min() >= x0 - 1e-9 and corners[:, 0].max() <= x1 + 1e-9
    X = np.array(FIG1, float)
    for i in range(5):
        for j in range(i + 1, 5):
            if abs(np.linalg.det(X[[i, j]])) < 1e-12:
                continue          # parallel lines on the slice (x_i, x_j parallel vectors)
            u = np.linalg.solve(X[[i, j]], [-1.0, -1.0])
            assert x0 < u[0] < x1 and y0 < u[1] < y1


# ------------------------------------------------------------------ Figure 1
def _chamber_patch_colors(ax):
    return {int(p.get_gid().split("-")[1]): np.asarray(p.get_facecolor())[:3]
            for p in ax.patches if (p.get_gid() or "").startswith("chamber-")}


def _vertex_markers(ax):
    """``(positions, rgb colours)`` of the vertex markers of a zonotope panel."""
    xy, rgb = [], []
    for coll in ax.collections:
        if (coll.get_gid() or "").startswith("vertices"):
            xy += list(coll.get_offsets())
            rgb += [fc[:3] for fc in coll.get_facecolors()]
    return np.array(xy, dtype=float), np.array(rgb, dtype=float)


def _vertex_of_colour(rgb, C):
    """The chamber whose colour is ``rgb`` (the chamber colours are distinct)."""
    k = int(np.argmin(np.abs(C[:, :3] - rgb).sum(axis=1)))
    np.testing.assert_allclose(rgb, C[k, :3], atol=1e-9)
    return k


def test_figure1_same_colour_for_chamber_and_vertex():
    fig = P.plot_figure1(FIG1, chamber=[0, 1, 1, 0, 1])
    ax_pts, ax_z, ax_p, ax_m = fig.axes
    Z = zt.Zonotope.from_points(FIG1)
    C = P.chamber_colors(Z.n_vertices)
    # a region's fill is its chamber colour mixed with white, by one common amount
    drawn, amounts = {}, []
    for ax in (ax_p, ax_m):
        for k, col in _chamber_patch_colors(ax).items():
            gap, full = 1.0 - col, 1.0 - C[k, :3]
            amounts.append(gap @ full / (full @ full))
            np.testing.assert_allclose(gap, amounts[-1] * full, atol=1e-9)
            drawn[k] = col
    assert set(drawn) == set(range(22))
    assert 0 < min(amounts) and np.ptp(amounts) < 1e-9 and max(amounts) < 1
    # each vertex marker has its chamber's colour: pairing marker k with vertex k by
    # colour, the markers are an affine image (the orthographic view) of the vertices
    xy, rgb = _vertex_markers(ax_z)
    ks = [_vertex_of_colour(c, C) for c in rgb]
    assert sorted(ks) == list(range(22))
    V = np.c_[np.asarray(Z.vertices, dtype=float)[ks], np.ones(22)]
    M, *_ = np.linalg.lstsq(V, xy, rcond=None)
    np.testing.assert_allclose(V @ M, xy, atol=1e-9 * np.abs(xy).max())
    # every chamber label is its pattern, and each pattern appears exactly once per slice
    for ax in (ax_p, ax_m):
        labels = [t.get_text() for t in ax.texts if re.fullmatch(r"[01]{5}", t.get_text())]
        assert len(labels) == len(set(labels)) == len(_chamber_patch_colors(ax))
    # panel (a) shows the active set of the highlighted chamber
    assert "active {1, 2, 4}" in ax_pts.get_title()
    assert "$\\bar x_{1}$ + $\\bar x_{2}$ + $\\bar x_{4}$" in ax_z.get_title()


def test_figure1_slice_view_mentions_hidden_chambers():
    fig = P.plot_figure1(FIG1, view="slice")
    assert len(fig.axes) == 3
    assert "lie in $w_3<0$" in fig.axes[1].get_title()


@pytest.mark.parametrize("X", [
    [[0.0], [1.0], [3.0]],
    [[0.0], [1.0], [1.0], [-2.0]],                 # repeated 1-D point
    [[0.5, 0.25]],                                 # one point: Z is a segment
    [[0, 0], [1, 1], [2, 2], [3, 3]],              # all collinear: flat zonotope
    [[0, 0], [1, 0], [2, 0], [0, 1]],              # three collinear
    [[0, 0], [1, 0], [0, 1], [1, 0], [0, 0]],      # repeated points
    [[0, 0], [0, 1]],                              # a data point at the origin
])
def test_figure1_degenerate_data(X, tmp_path):
    fig = P.plot_figure1(X)
    fig.savefig(tmp_path / "f.png", dpi=40)
    Z = zt.Zonotope.from_points(X)
    patches = set()
    for ax in fig.axes:
        patches |= set(_chamber_patch_colors(ax))
    assert patches == set(range(Z.n_vertices))


def test_figure1_auto_chamber_is_bounded_on_the_slice():
    fig = P.plot_figure1(FIG1)
    ax_pts, _, ax_p, _ = fig.axes
    active = re.search(r"active \{([\d, ]*)\}", ax_pts.get_title()).group(1)
    pattern = np.zeros(5, dtype=int)
    pattern[[int(i) for i in active.split(",")]] = 1
    k = zt.Zonotope.from_points(FIG1).vertex_index(pattern)
    (x0, x1), (y0, y1) = _box(ax_p)
    Q = _corners(_chamber_patches(ax_p)[k])
    s = 1e-9 * max(x1 - x0, y1 - y0)
    assert (Q[:, 0] > x0 + s).all() and (Q[:, 0] < x1 - s).all()
    assert (Q[:, 1] > y0 + s).all() and (Q[:, 1] < y1 - s).all()


def test_cube_hidden_edges_and_faces():
    """A generic view of a cube shows 3 faces, 9 solid edges, 7 visible vertices."""
    ax = P.plot_zonotope(zt.cube(3), elev=25, azim=-50, generators=False, axes_triad=False, labels=False)
    faces = [p for p in ax.patches if isinstance(p, matplotlib.patches.Polygon) and not p.get_gid()]
    assert len(faces) == 3
    lines = [c for c in ax.collections if isinstance(c, matplotlib.collections.LineCollection)]
    solid = [c for c in lines if all(ls[1] is None for ls in c.get_linestyles())]
    dashed = [c for c in lines if c not in solid]
    assert sum(len(c.get_segments()) for c in solid) == 9
    assert sum(len(c.get_segments()) for c in dashed) == 3
    by_gid = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if c.get_gid()}
    assert by_gid == {"vertices": 7, "vertices-hidden": 1}


def test_figure1_validation():
    with pytest.raises(ValidationError):
        P.plot_figure1([[1, 2, 3, 4]])                   # 4 features: no picture
    with pytest.raises(ValidationError):
        P.plot_figure1([[0, 0, 0], [1, 2, 3]], bias=False)   # bias-free 3-D data: a zero point
    with pytest.raises(ValidationError):
        P.plot_figure1(FIG1, view="gnomonic")
    with pytest.raises(ValidationError):
        P.plot_figure1(FIG1, chamber=[1, 0, 1, 1, 0])      # not a chamber of these data
    with pytest.raises(ValidationError):
        P.plot_figure1(FIG1, chamber=22)
    with pytest.raises(ValidationError):
        P.plot_arrangement(FIG1, side=0)


# ------------------------------------------------------------------ zonotope panel
def test_plot_zonotope_zoo(zonotope_case):
    name, gens, n_vertices = zonotope_case
    Z = zt.Zonotope(gens)
    if Z.dim not in (2, 3):
        with pytest.raises(ValidationError):
            P.plot_zonotope(Z)
        return
    ax = P.plot_zonotope(Z, chamber=0, labels="pattern")
    n = sum(len(c.get_offsets()) for c in ax.collections if (c.get_gid() or "").startswith("vertices"))
    assert n == n_vertices


def test_generator_path_ends_at_the_vertex():
    Z = zt.Zonotope.from_points(FIG1)
    k = Z.vertex_index([0, 1, 1, 0, 1])
    ax = P.plot_zonotope(Z, chamber=k)
    C = P.chamber_colors(Z.n_vertices)
    xy, rgb = _vertex_markers(ax)
    at = {_vertex_of_colour(c, C): p for p, c in zip(xy, rgb)}
    arrows = [a for a in ax.texts if isinstance(a, matplotlib.text.Annotation) and a.arrow_patch is not None
              and a.get_text() == "" and a.arrow_patch.get_edgecolor()[0] > 0.8]
    assert len(arrows) == 3                        # one red arrow per active example
    np.testing.assert_allclose(arrows[-1].xy, at[k], atol=1e-9)


def test_plot_skeleton_and_power():
    ax = P.plot_skeleton(FIG1, chamber=0)
    Z = zt.Zonotope.from_points(FIG1)
    labels = {t.get_text(): t.get_position() for t in ax.texts}
    signs = [P.pattern_label(p, "signs") for p in Z.coefficients]
    assert set(signs) <= set(labels)
    for s in signs:           # layered layout: height = number of active examples
        assert labels[s][1] == s.count("+")
    for a, b in Z.edges:      # general position: every edge flips one example
        assert abs(labels[signs[a]][1] - labels[signs[b]][1]) == 1
    ax = P.plot_power([[0.0], [1.0], [3.0]])
    assert sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets")) >= 36
    with pytest.raises(ValidationError):
        P.plot_power([[0.0], [1.0]], scale=2)


# ------------------------------------------------------------------ HTML export
def test_export_html_is_self_contained(tmp_path):
    path = tmp_path / "z.html"
    assert P.export_html(FIG1, path, chamber=[0, 1, 1, 0, 1]) == str(path)
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html), "external script: not self-contained"
    assert "plotly.js" in html and len(html) > 1_000_000       # the library itself is inlined
    Z = zt.Zonotope.from_points(FIG1)                    # the exact chambers travel with it
    for p in Z.coefficients:
        assert f'"{P.pattern_label(p)}"' in html
    html2 = open(P.export_html([[0.0], [1.0], [3.0]], tmp_path / "g.html"), encoding="utf-8").read()
    assert '"011"' in html2 and 'id="zx-arr"' in html2   # 1-D data: three linked panels
    with pytest.raises(ValidationError):
        P.export_html(zt.cube(4))


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def test_export_html_renders_in_headless_chromium(tmp_path):
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    Image = pytest.importorskip("PIL.Image")
    path = tmp_path / "z.html"
    P.export_html(FIG1, path)
    shot = tmp_path / "shot.png"
    profile = tempfile.mkdtemp()
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=900,700",
           "--virtual-time-budget=5000", path.resolve().as_uri()]
    try:
        subprocess.run(cmd, capture_output=True, timeout=120, env={**os.environ, "HOME": profile})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert shot.exists(), "chromium wrote no screenshot"
    img = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert img.shape[:2] == (700, 900)
    assert img.std() > 10, "blank screenshot"
    # the vertex markers (WebGL) were drawn: several chamber colours are on screen
    C = (P.chamber_colors(22)[:, :3] * 255).round().astype(int)
    flat = img.reshape(-1, 3)
    found = sum(bool((np.abs(flat - c).sum(axis=1) <= 12).any()) for c in C)
    assert found >= 8, f"only {found} of 22 vertex colours visible"


# ------------------------------------------------------------------ command line
@pytest.mark.parametrize("ext", ["png", "pdf", "svg"])
def test_cli_figure1_formats(tmp_path, ext, capsys):
    out = tmp_path / f"fig.{ext}"
    assert main(["figure1", "--out", str(out), "--view", "slice"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    head = out.read_bytes()[:5]
    assert head == {"png": b"\x89PNG\r", "pdf": b"%PDF-", "svg": b"<?xml"}[ext]


def test_cli_figure1_data_file_and_options(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("# x, y\n0, 1.5\n1, 0\n3, 1\n")
    out = tmp_path / "f.png"
    assert main(["figure1", "--input", str(data), "--labels", "--out", str(out), "--chamber", "011"]) == 0
    assert out.stat().st_size > 1000
    semi = tmp_path / "d.txt"
    semi.write_text("0;1.5\n1;0\n3;1\n")
    out2 = tmp_path / "g.png"
    assert main(["figure1", "--input", str(semi), "--delimiter", ";", "--out", str(out2)]) == 0
    assert out2.stat().st_size > 1000
    capsys.readouterr()
    for argv, needle in ((["figure1", "--out", str(tmp_path / "f.gif")], ".png, .pdf or .svg"),
                         (["figure1", "--out", str(out), "--chamber", "x1"], "`--chamber` must be"),
                         (["figure1", "--out", str(out), "--chamber", "22"], "`chamber`")):
        assert main(argv) == 2
        assert needle in capsys.readouterr().err


def test_cli_figure1_chamber_none(tmp_path):
    out = tmp_path / "f.svg"
    assert main(["figure1", "--out", str(out), "--chamber", "none", "--view", "slice"]) == 0
    assert out.read_bytes()[:5] == b"<?xml"


def test_docs_pages_exist():
    root = Path(__file__).resolve().parents[2] / "docs"
    for page in ("conf.py", "index.md", "tutorial.md", "theory.md", "api.md"):
        assert (root / page).exists(), page
