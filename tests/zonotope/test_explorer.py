"""The interactive explorer, driven headlessly by synthetic matplotlib mouse events."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backend_bases import KeyEvent, MouseEvent  # noqa: E402

import zonotope as zt  # noqa: E402
from zonotope import explorer as E  # noqa: E402
from zonotope import plotting as P  # noqa: E402
from zonotope.cli import main  # noqa: E402
from zonotope.exceptions import ValidationError  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _mouse(ex, name, ax, xy=None, *, axes_xy=None, button=1):
    """Send one mouse event at data coordinates ``xy`` (or axes fraction ``axes_xy``) of ``ax``."""
    ex.fig.canvas.draw()                       # transforms are final after a draw
    if axes_xy is not None:
        x, y = ax.transAxes.transform(axes_xy)
    else:
        x, y = ax.transData.transform(np.asarray(xy, float))
    event = MouseEvent(name, ex.fig.canvas, x, y, button=button)
    ex.fig.canvas.callbacks.process(name, event)
    return event


def _drag(ex, ax, start, path):
    _mouse(ex, "button_press_event", ax, start)
    for p in path:
        _mouse(ex, "motion_notify_event", ax, p)
    _mouse(ex, "button_release_event", ax, path[-1] if path else start)


def _key(ex, key):
    ex.fig.canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", ex.fig.canvas, key))


FOUR = [[0, 0], [2, 0], [0, 2], [1, 0.25]]


def test_drag_onto_a_line_through_two_points_changes_the_chamber_count():
    ex = E.Explorer(FOUR, snap=0.25)
    assert ex.n_chambers == 14 and ex.in_general_position
    assert "general position: yes" in ex.status_text()
    # drag x3 from (1, 0.25) down: the grid snaps (1.02, 0.03) to (1, 0), on the segment x0 x1
    _drag(ex, ex.ax_data, (1.0, 0.25), [(1.01, 0.2), (1.02, 0.1), (1.02, 0.03)])
    np.testing.assert_array_equal(ex.X[3], [1.0, 0.0])
    assert ex.n_chambers == 12 == zt.count_chambers(zt.Arrangement.from_points(ex.X))
    assert not ex.in_general_position
    assert ex.dependencies[0][0] == (0, 1, 3)
    assert ex.vanished == {"0011", "1100"} and ex.appeared == frozenset()
    status = ex.status_text()
    assert "general position: NO" in status and "x0, x1, x3 collinear" in status
    assert "x3 = 1/2·x0 + 1/2·x1" in status
    assert "-2 vanished [0011, 1100]" in status
    # ... and across: two different chambers appear, general position is back
    _drag(ex, ex.ax_data, (1.0, 0.0), [(1.0, -0.24)])
    assert ex.n_chambers == 14 and ex.in_general_position
    assert ex.appeared == {"0001", "1110"}
    assert len(ex.log) == 2
    # the new chambers are hatched in the parameter-space panels
    hatched = {int(p.get_gid().rsplit("-", 1)[1]) for ax in (ex.ax_plus, ex.ax_minus)
               for p in ax.patches if p.get_hatch()}
    assert {P.pattern_label(ex.zonotope.coefficients[k]) for k in hatched} == {"0001", "1110"}


def test_press_away_from_points_does_not_drag():
    ex = E.Explorer(FOUR)
    before = ex.X.copy()
    _drag(ex, ex.ax_data, (1.5, 1.5), [(0.5, 0.5)])
    np.testing.assert_array_equal(ex.X, before)


def test_line_snapping_is_exact_without_a_grid():
    ex = E.Explorer([[0, 0], [3, 1], [0, 2], [1, 1]], snap=None)
    assert ex.in_general_position
    # near (but not on) the line through x0 = (0, 0) and x1 = (3, 1)
    _drag(ex, ex.ax_data, (1, 1), [(1.2, 0.6), (1.5, 0.51)])
    assert not ex.in_general_position and ex.dependencies[0][0] == (0, 1, 3)
    x = ex.X[3]
    assert x[0] == 3 * x[1]            # exactly on the line (dyadic coordinates)


def test_drag_onto_another_point_in_1d():
    ex = E.Explorer([[0.0], [1.0], [3.0]], snap=0.5)
    assert ex.n_chambers == 6
    _drag(ex, ex.ax_data, (3.0, 0.0), [(2.0, 0.0), (1.1, 0.0)])
    assert ex.X[2, 0] == 1.0
    assert ex.n_chambers == 4
    assert ex.dependencies == [((1, 2), (1, -1))]
    assert "x1 = x2 (repeated point)" in ex.status_text()


def _chamber_points(ax):
    """``{k: a point inside the drawn region of chamber k}`` on a slice panel (the mean
    of the corners of its convex polygon, the patch with gid ``chamber-k``)."""
    out = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith("chamber-"):
            out[int(gid.split("-")[1])] = np.asarray(p.get_xy(), dtype=float)[:-1].mean(axis=0)
    return out


def test_click_a_chamber_highlights_vertex_active_set_and_neighbours():
    ex = E.Explorer()                                    # the built-in 5 points
    drawn = _chamber_points(ex.ax_plus)
    k = sorted(drawn)[3]
    _mouse(ex, "button_press_event", ex.ax_plus, drawn[k])
    _mouse(ex, "button_release_event", ex.ax_plus, drawn[k])
    assert ex.selected == k
    Z = ex.zonotope
    pat = P.pattern_label(Z.coefficients[k])
    status = ex.status_text()
    assert f"selected: chamber {pat} = vertex {k}" in status
    assert f"{len(Z.neighbors(k))} neighbours" in status
    # panel (a) rings the active examples; the slice outlines the chamber and neighbours
    act = ", ".join(map(str, np.nonzero(Z.coefficients[k])[0]))
    assert f"active {{{act}}}" in ex.ax_data.get_title()
    dashed = [p for p in ex.ax_plus.patches + ex.ax_minus.patches
              if not p.get_fill() and p.get_linestyle() not in ("-", "solid")]
    assert dashed
    # the chamber on the slice w3 = -1 is found through the other panel as well
    drawn_m = _chamber_points(ex.ax_minus)
    j = next(j for j in sorted(drawn_m) if j != k)
    _mouse(ex, "button_press_event", ex.ax_minus, drawn_m[j])
    assert ex.selected == j
    # clicking the selected chamber again clears the selection
    _mouse(ex, "button_press_event", ex.ax_minus, drawn_m[j])
    assert ex.selected is None


def test_click_a_vertex_selects_its_chamber_and_escape_clears():
    ex = E.Explorer()
    C = P.chamber_colors(ex.n_chambers)
    front = next(c for c in ex.ax_zono.collections if c.get_gid() == "vertices")
    xy, rgb = front.get_offsets()[0], front.get_facecolors()[0][:3]
    k = int(np.argmin(np.abs(C[:, :3] - rgb).sum(axis=1)))      # the vertex of that colour
    np.testing.assert_allclose(C[k, :3], rgb, atol=1e-9)
    _mouse(ex, "button_press_event", ex.ax_zono, xy)
    assert ex.selected == k
    _key(ex, "escape")
    assert ex.selected is None


def test_drag_on_the_zonotope_rotates_it():
    ex = E.Explorer()
    e0, a0 = ex.view
    _mouse(ex, "button_press_event", ex.ax_zono, axes_xy=(0.97, 0.97))
    _mouse(ex, "motion_notify_event", ex.ax_zono, axes_xy=(0.80, 0.90))
    _mouse(ex, "button_release_event", ex.ax_zono, axes_xy=(0.80, 0.90))
    e1, a1 = ex.view
    assert (e1, a1) != (e0, a0)
    assert ex.selected is None


def test_selection_survives_a_move_when_the_chamber_survives():
    ex = E.Explorer(FOUR)
    ex.select("1111")
    ex.move_point(3, (1.0, 0.0))
    assert ex.selected is not None
    assert P.pattern_label(ex.zonotope.coefficients[ex.selected]) == "1111"
    ex.select("0011") if "0011" in ex.patterns else None
    ex.reset()
    np.testing.assert_array_equal(ex.X, np.array(FOUR, float))


def test_key_r_resets():
    ex = E.Explorer(FOUR)
    ex.move_point(3, (1.0, 0.0))
    _key(ex, "r")
    assert ex.n_chambers == 14


def test_dependencies_are_the_minimal_affine_dependencies():
    X = np.array([[0, 0], [1, 0], [2, 0], [0, 1], [0, 2]], float)
    ex = E.Explorer(X)
    assert ex.dependencies == [(d.indices, d.coefficients) for d in zt.minimal_affine_dependencies(X)]
    assert [i for i, _ in ex.dependencies] == [(0, 1, 2), (0, 3, 4)]
    assert ex.dependencies[0][1] == (-1, 2, -1)      # x2 = -x0 + 2 x1


def test_validation():
    with pytest.raises(ValidationError):
        E.Explorer([[0, 0, 0]])
    with pytest.raises(ValidationError):
        E.Explorer(FOUR, snap=-1)
    ex = E.Explorer(FOUR)
    with pytest.raises(ValidationError):
        ex.move_point(9, (0, 0))
    with pytest.raises(ValidationError):
        ex.move_point(0, (np.nan, 0))


def test_controls_and_html(tmp_path):
    pytest.importorskip("ipywidgets")
    ex = E.Explorer(FOUR)
    box = ex.controls()
    menu = box.children[0].children[0]
    menu.value = 2
    assert ex.selected == 2
    path = ex.export_html(tmp_path / "z.html")
    assert path == str(tmp_path / "z.html")
    html = open(path, encoding="utf-8").read()
    assert 'id="zx-arr"' in html and len(html) > 1_000_000


def test_cli_explore(tmp_path, monkeypatch, capsys):
    png = tmp_path / "x.png"
    assert main(["explore", "--png", str(png), "--chamber", "01101"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    html = tmp_path / "x.html"
    assert main(["explore", "--html", str(html)]) == 0
    assert html.stat().st_size > 1_000_000
    capsys.readouterr()
    # no display: a clear error instead of a silent no-op
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "agg")
    assert main(["explore"]) == 2
    assert "needs an interactive display" in capsys.readouterr().err


@pytest.mark.parametrize("dpi", [72, 100, 144, 200])
def test_move_point_snaps_the_same_at_every_dpi(dpi):
    """ipympl draws at the screen's dpi (x devicePixelRatio), Agg at 100: same snapping."""
    ex = E.Explorer(FOUR, snap=None)
    ex.fig.set_dpi(dpi)
    ex.move_point(3, (1.0, 0.02))          # 0.02 from the segment x0 x1: snapped onto it
    np.testing.assert_array_equal(ex.X[3], [1.0, 0.0])
    ex.move_point(3, (1.0, 0.6))           # far from every line through two points: kept
    np.testing.assert_array_equal(ex.X[3], [1.0, 0.6])
    import matplotlib.pyplot as plt

    plt.close(ex.fig)
