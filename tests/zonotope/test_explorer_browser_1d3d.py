"""The HTML explorer for 1-D and 3-D data in a real headless Chromium.

Three linked panels for every data dimension: (a) the data, (b) the arrangement (the
(w, b) plane for 1-D data; the affine charts b = +1 / -1 of R^4 for 3-D data), (c)
the zonotope (a zonogon; the 4-D zonotope projected to R^3).  1-D points are dragged
with the mouse; 3-D points are picked and their coordinates typed into the number
inputs (plotly cannot drag 3-D markers).  Every state is compared with the exact
Python answer (`Zonotope.from_points`, `Arrangement.regions`).  Skipped cleanly when
playwright or a Chromium binary is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import numpy as np
import pytest

from zonotope import Arrangement, Zonotope
from zonotope.plotting import export_html

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = next((p for p in (os.environ.get("ZONOTOPE_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary on this machine")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = os.environ.get("ZONOTOPE_SCREENSHOT_DIR")

X1 = [[0.0], [1.0], [3.0], [-2.0]]
X3 = [[2, 1, 0], [-2, -1, -3], [-3, -3, -2], [2, 1, 3], [0, 1, 3]]
DATA_1D = {"four": X1, "repeated": [[1.0], [1.0], [-2.0], [0.0]], "one": [[0.5]],
           "with zero": [[0.0], [0.0], [2.0]]}
DATA_3D = {"generic": X3,
           "coplanar through 0": [[1, 0, 0], [0, 1, 0], [1, 1, 0], [2, -1, 0]],
           "coplanar affine": [[1, 0, 1], [0, 1, 1], [1, 1, 1], [2, -1, 1], [3, 3, 1]],
           "repeated": [[1, 2, 0], [1, 2, 0], [-1, 0, 2], [0, 1, -1]],
           "collinear": [[1, 1, 1], [2, 2, 2], [-1, -1, -1]],
           "zero point": [[0, 0, 0], [1, 0, 1], [0, 1, 2]]}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                   args=FLAGS, headless=True,
                                                   viewport={"width": 1500, "height": 650})
        yield ctx
        ctx.close()


def _open(ctx, path):
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append("request " + r.url))
    page.goto(f"file://{path}")
    page.wait_for_function("window.zonotopeExplorer && window.zonotopeExplorer.ready", timeout=60000)
    return page, errors


def _state(page):
    return json.loads(page.evaluate(
        "JSON.stringify({X: zonotopeExplorer.X, pats: zonotopeExplorer.geo.pats,"
        " V: zonotopeExplorer.geo.V, E: zonotopeExplorer.geo.E.length,"
        " arr: document.getElementById('zx-arr').data.map(t => [t.x, t.y, t.z || null]),"
        " zono: document.getElementById('zx-zono').data.filter(t => t.name === 'vertices')"
        "   .map(t => [t.x, t.y, t.z || null])[0],"
        " status: document.getElementById('zx-status').textContent})"))


def _exact(X):
    Z = Zonotope.from_points(X)
    pats = sorted("".join(map(str, p)) for p in np.asarray(Z.coefficients))
    V = sorted(map(tuple, np.asarray(Z.vertices, float).tolist()))
    return Z, pats, V


def _chart_patterns(X, side):
    """Chambers meeting b * side > 0: the regions of {w : x_i . w = -side} (exact)."""
    X = np.asarray(X, dtype=object)
    N = len(X)
    zero = np.array([all(v == 0 for v in r) for r in X])
    if zero.all():
        return {("1" if side > 0 else "0") * N}
    out = set()
    for s in Arrangement(X[~zero], [-side] * int((~zero).sum())).regions().sign_vectors:
        pat = np.full(N, 1 if side > 0 else 0)
        pat[~zero] = np.asarray(s) > 0
        out.add("".join(map(str, pat)))
    return out


@pytest.mark.parametrize("name", sorted(DATA_1D))
def test_1d_browser_chambers_equal_python(browser, tmp_path, name):
    X = DATA_1D[name]
    page, errors = _open(browser, export_html(X, tmp_path / "x.html"))
    st = _state(page)
    Z, pats, V = _exact(X)
    assert sorted(st["pats"]) == pats and sorted(map(tuple, st["V"])) == V
    assert st["E"] == len(Z.edges)
    sectors = [t for t in page.evaluate("document.getElementById('zx-arr').data.map(t => t.meta)")
               if t is not None]
    assert sorted(sectors) == list(range(Z.n_vertices))      # one sector per chamber
    assert errors == []
    page.close()


@pytest.mark.parametrize("name", sorted(DATA_3D))
def test_3d_browser_chambers_and_charts_equal_python(browser, tmp_path, name):
    X = DATA_3D[name]
    page, errors = _open(browser, export_html(X, tmp_path / "x.html"))
    st = _state(page)
    Z, pats, V = _exact(X)
    assert sorted(st["pats"]) == pats and sorted(map(tuple, st["V"])) == V
    assert st["E"] == len(Z.edges)
    for side in (1, -1):
        ks = page.evaluate(f"zonotopeExplorer.geo.chart[{side}].map(m => m.k)")
        assert len(ks) == len(set(ks)) and -1 not in ks
        assert {st["pats"][k] for k in ks} == _chart_patterns(X, side)
    assert errors == []
    page.close()


def _pixel(page, div, x, y):
    return page.evaluate(f"""() => {{ const gd = document.getElementById('{div}');
        const L = gd._fullLayout, r = gd.getBoundingClientRect();
        return [r.left + L._size.l + L.xaxis.l2p({x}), r.top + L._size.t + L.yaxis.l2p({y})]; }}""")


def test_1d_drag_updates_the_other_panels_and_hover(browser, tmp_path):
    page, errors = _open(browser, export_html(X1, tmp_path / "x.html", chamber=[0, 1, 1, 0]))
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "explorer_1d_before.png"))
    before = _state(page)
    x0, y0 = _pixel(page, "zx-data", 1.0, 0.0)              # drag x1 = 1 to 2 by the mouse
    x1, y1 = _pixel(page, "zx-data", 2.0, 0.0)
    page.mouse.move(x0, y0)
    page.mouse.down()
    for k in range(1, 21):
        page.mouse.move(x0 + (x1 - x0) * k / 20, y0 + 3 * k / 20)
    page.mouse.up()
    page.wait_for_function("zonotopeExplorer.X[1][0] !== 1", timeout=10000)
    after = _state(page)
    assert after["X"][1] == [2.0] and after["X"][0] == before["X"][0]
    assert after["zono"] != before["zono"] and after["arr"] != before["arr"]
    Z, pats, V = _exact(after["X"])
    assert sorted(after["pats"]) == pats and sorted(map(tuple, after["V"])) == V
    # hover a sector of panel (b): its vertex is highlighted, its pattern shown
    k = 2
    a0, a1 = page.evaluate(f"(() => {{ const t = document.getElementById('zx-arr').data"
                           f".find(t => t.meta === {k}); return [t.x[12], t.y[12]]; }})()")
    px, py = _pixel(page, "zx-arr", 0.6 * a0, 0.6 * a1)
    page.mouse.move(px, py)
    page.wait_for_function(f"zonotopeExplorer.hovered === {k}", timeout=10000)
    st = _state(page)
    assert f"pattern {st['pats'][k]}" in st["status"]
    sel = page.evaluate("document.getElementById('zx-zono').data.find(t => t.name === "
                        "'selected vertex').x")
    assert sel == [st["V"][k][0]]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "explorer_1d_after.png"))
    assert errors == []
    page.close()


def test_3d_typed_coordinates_update_the_other_panels(browser, tmp_path):
    page, errors = _open(browser, export_html(X3, tmp_path / "x.html"))
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "explorer_3d_before.png"))
    before = _state(page)
    page.select_option("#zx-pt", "2")                       # pick x2, type new coordinates
    assert page.input_value("#zx-c0") == "-3"
    page.fill("#zx-c0", "1.5")
    page.press("#zx-c0", "Enter")
    page.fill("#zx-c2", "0.25")
    page.press("#zx-c2", "Enter")
    page.wait_for_function("zonotopeExplorer.X[2][2] === 0.25", timeout=10000)
    after = _state(page)
    assert after["X"][2] == [1.5, -3, 0.25] and after["X"][:2] == before["X"][:2]
    assert after["zono"] != before["zono"] and after["arr"] != before["arr"]
    Z, pats, V = _exact(after["X"])
    assert sorted(after["pats"]) == pats and sorted(map(tuple, after["V"])) == V
    for side in (1, -1):
        ks = page.evaluate(f"zonotopeExplorer.geo.chart[{side}].map(m => m.k)")
        assert {after["pats"][k] for k in ks} == _chart_patterns(after["X"], side)
    # panel (b) shows the other chart on request
    n_plus = page.evaluate("document.getElementById('zx-arr').data.find(t => t.name === "
                           "'chambers').x.length")
    page.click("#zx-side")
    page.wait_for_function("zonotopeExplorer.side === -1", timeout=10000)
    n_minus = page.evaluate("document.getElementById('zx-arr').data.find(t => t.name === "
                            "'chambers').x.length")
    assert (n_plus, n_minus) == (len(_chart_patterns(after["X"], 1)),
                                 len(_chart_patterns(after["X"], -1)))
    # hovering a chamber marker (a plotly_hover event of the 3-D scene: a headless mouse
    # cannot aim at a WebGL marker reliably) highlights its vertex and pattern
    k = page.evaluate("""(() => { const gd = document.getElementById('zx-arr');
        const t = gd.data.find(t => t.name === 'chambers');
        gd.emit('plotly_hover', {points: [{data: t, pointNumber: 1}]}); return t.customdata[1]; })()""")
    page.wait_for_function(f"zonotopeExplorer.hovered === {k}", timeout=10000)
    st = _state(page)
    assert f"pattern {st['pats'][k]}" in st["status"]
    sel = page.evaluate("document.getElementById('zx-zono').data.find(t => t.name === "
                        "'selected vertex').x")
    assert sel == [st["V"][k][0]]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "explorer_3d_after.png"))
    assert errors == []
    page.close()


def test_export_html_refuses_4_features(tmp_path):
    from zonotope.exceptions import ValidationError

    with pytest.raises(ValidationError, match="1, 2 or 3 features"):
        export_html([[1, 2, 3, 4]], tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()
