"""The HTML explorer in a real headless Chromium: three linked panels, drag, hover.

Driven through the DevTools protocol by playwright with the system's Chromium
(``/usr/bin/chromium``; playwright never downloads a browser here).  Skipped cleanly
when playwright or a Chromium binary is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

import pytest

from zonotope import Arrangement, figure1_points
from zonotope.plotting import export_html

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = next((p for p in (os.environ.get("ZONOTOPE_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary on this machine")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser_page():
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


def _panels(page):
    return json.loads(page.evaluate(
        "JSON.stringify({arr: document.getElementById('zx-arr').data.map(t => [t.x, t.y]),"
        " zono: document.getElementById('zx-zono').data.filter(t => t.name === 'vertices')"
        ".map(t => [t.x, t.y, t.z]), X: zonotopeExplorer.X,"
        " n: zonotopeExplorer.geo.pats.length, status: document.getElementById('zx-status').textContent})"))


def _pixel(page, div, x, y):
    return page.evaluate(f"""() => {{ const gd = document.getElementById('{div}');
        const L = gd._fullLayout, r = gd.getBoundingClientRect();
        return [r.left + L._size.l + L.xaxis.l2p({x}), r.top + L._size.t + L.yaxis.l2p({y})]; }}""")


X8 = [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0], [1, 1], [-2, 2], [2, -1]]


@pytest.mark.parametrize("X", [figure1_points().tolist(), X8, [[0, 0], [1, 0], [2, 0], [0, 1]]],
                         ids=["figure1", "8 points", "3 collinear"])
def test_browser_chambers_equal_the_exact_python_chambers(browser_page, tmp_path, X):
    path = export_html(X, tmp_path / "x.html")
    page, errors = _open(browser_page, path)
    js = page.evaluate("zonotopeExplorer.geo.pats")
    cfg = json.loads(page.evaluate("document.getElementById('zx-config').textContent"))
    assert sorted(js) == cfg["python_patterns"] and len(js) == cfg["python_n_chambers"]
    assert errors == []
    page.close()


def test_drag_a_point_updates_arrangement_and_zonotope(browser_page, tmp_path):
    path = export_html(figure1_points(), tmp_path / "x.html", chamber=[0, 1, 1, 0, 1])
    assert os.path.getsize(path) > 1_000_000            # plotly.js inlined: works offline
    page, errors = _open(browser_page, path)
    before = _panels(page)
    assert len(before["zono"][0][0]) == before["n"] == 22
    x0, y0 = _pixel(page, "zx-data", *before["X"][4])  # drag x4 = (-1, 0) by the mouse
    x1, y1 = _pixel(page, "zx-data", 1.0, -0.5)
    page.mouse.move(x0, y0)
    page.mouse.down()
    for k in range(1, 21):
        page.mouse.move(x0 + (x1 - x0) * k / 20, y0 + (y1 - y0) * k / 20)
    page.mouse.up()
    page.wait_for_function("zonotopeExplorer.X[4][0] !== -1", timeout=10000)
    after = _panels(page)
    assert after["X"][4] == [1.0, -0.5]                 # snapped to the 0.25 grid
    assert after["X"][:4] == before["X"][:4]
    assert after["arr"] != before["arr"] and after["zono"] != before["zono"]
    # the new state equals the exact Python answer for the moved data
    from zonotope import Zonotope

    Z = Zonotope.from_points(after["X"])
    assert after["n"] == Z.n_vertices
    assert sorted(map(tuple, zip(*after["zono"][0]))) == sorted(map(tuple, Z.vertices.tolist()))
    assert errors == []
    page.close()


def test_hover_a_chamber_highlights_its_vertex_and_pattern(browser_page, tmp_path):
    path = export_html(figure1_points(), tmp_path / "x.html")
    page, _ = _open(browser_page, path)
    # the centroid of a visible chamber polygon of panel (b)
    k, cx, cy = page.evaluate("""() => { const gd = document.getElementById('zx-arr');
        let best = null;
        for (const t of gd.data) { if (t.meta === undefined) continue;
          const n = t.x.length - 1, cx = t.x.slice(0, n).reduce((a, b) => a + b) / n,
                cy = t.y.slice(0, n).reduce((a, b) => a + b) / n;
          const [x0, x1] = gd._fullLayout.xaxis.range, [y0, y1] = gd._fullLayout.yaxis.range;
          if (cx > x0 && cx < x1 && cy > y0 && cy < y1) { best = [t.meta, cx, cy]; break; } }
        return best; }""")
    px, py = _pixel(page, "zx-arr", cx, cy)
    page.mouse.move(px, py)
    page.wait_for_function("zonotopeExplorer.hovered !== null", timeout=10000)
    st = _panels(page)
    pat = page.evaluate(f"zonotopeExplorer.geo.pats[{k}]")
    assert page.evaluate("zonotopeExplorer.hovered") == k
    assert f"pattern {pat}" in st["status"]
    sel = page.evaluate("document.getElementById('zx-zono').data.find(t => t.name === "
                        "'selected vertex').x")
    assert sel == [st["zono"][0][0][k]]
    page.close()


def test_screenshot_of_the_three_panels(browser_page, tmp_path):
    page, _ = _open(browser_page, export_html(X8, tmp_path / "x.html", chamber=[0, 0, 1, 1, 1, 1, 1, 1]))
    page.screenshot(path=str(tmp_path / "shot.png"))
    assert (tmp_path / "shot.png").stat().st_size > 10_000
    out = os.environ.get("ZONOTOPE_SCREENSHOT_DIR")
    if out:
        shutil.copy(tmp_path / "shot.png", os.path.join(out, "explorer_html_after.png"))
    page.close()


def test_export_html_returns_a_path_and_zonotope_page_still_works(tmp_path):
    from zonotope import Zonotope

    p = export_html(Zonotope([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), tmp_path / "z.html")
    assert p == str(tmp_path / "z.html") and "<!doctype html>" in open(p, encoding="utf-8").read()
    assert isinstance(Arrangement, type)
