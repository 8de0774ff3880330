"""The explorer in the browser: one self-contained HTML page (plotly).

For 1-D, 2-D and 3-D data the page shows the three linked panels of Figure 1:
(a) the data, (b) the arrangement, (c) the zonotope.  2-D data: (b) is the slice
``w_3 = +1`` with the chambers shaded, (c) the zonotope in 3-D.  1-D data: (a) the
points on a line, (b) the sectors of the ``(w, b)`` plane, (c) the zonogon.  3-D data:
(a) a rotatable 3-D scatter, (b) the affine chart ``b = +1`` (or ``-1``, a button
switches) of ``R^4`` with one marker per chamber meeting it, (c) the 4-D zonotope
projected to ``R^3`` (its last coordinate, the number of active examples, dropped).
Moving a point recomputes (b) and (c); hovering a chamber in (b) (or a vertex in (c))
highlights its vertex, its region and its active examples, and prints its pattern.

How points move: 1-D and 2-D points are dragged with the mouse (plotly's editable
shapes).  plotly cannot drag markers in a 3-D scene, and dragging in a 2-D projection
would silently fix the hidden coordinate; so a 3-D point is picked (click or menu) and
its coordinates typed into three number fields (arrow keys step by ``snap``): exact
input for an exact tool.  For a :class:`~zonotope.Zonotope` the page shows the
rotatable zonotope alone.

Why plotly: it is already a dependency, draws 2-D and 3-D panels in one page that
works offline (plotly.js is inlined), and gives dragging (editable shapes) and
hover/click events out of the box, so the page's own script is only the geometry
that has to be recomputed after a drag (``explorer.js``, beside this module).
bokeh or panel would add a dependency and have no 3-D mesh; anywidget needs a
running Jupyter kernel, which a stand-alone file does not have.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import ValidationError
from ._common import chamber_index, colors_for
from ._style import FACE, HIGHLIGHT
from ._zonotope import facets3d
from .colors import pattern_label

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from ..zonotope import Zonotope

__all__ = ["export_html"]


def _fmt_exact(v):
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"


def export_html(Z: Zonotope | ArrayLike, path: str | os.PathLike[str] | None = None, *,
                chamber: int | ArrayLike | None = None, snap: float = 0.25, colors: ArrayLike | None = None,
                title: str | None = None) -> str:
    """Write the explorer as one self-contained HTML page; return its path.

    For 1-D, 2-D or 3-D data: three linked panels (data, arrangement, zonotope) as in
    Figure 1; move a point (drag it; for 3-D data type its coordinates) to recompute
    the other two, hover a chamber to highlight its vertex and pattern (see the
    module docstring).  For a zonotope of dimension 2 or 3: the rotatable zonotope,
    hovering a vertex shows its index,
    pattern, sign vector, exact coordinates and degree.  Works offline: plotly.js
    is embedded in the file (about 4.7 MB), so the page, not its text, is what this
    function produces (a notebook cell keeps only the path).

    Parameters
    ----------
    Z : array_like or Zonotope
        Data with 1, 2 or 3 features, or a zonotope of dimension 2 or 3.
    path : str or os.PathLike, optional
        Where to write the page (UTF-8); default a new file ``zonotope-*.html`` in
        the current directory.
    chamber : int or array_like of 0/1, optional
        The chamber (vertex) selected initially.
    snap : float
        Grid step dragged points snap to in the page (default ``0.25``; 0: none).
        On the grid the page's double-precision geometry is exact (dyadic
        coordinates with few bits); the initial chambers are computed exactly in
        Python and their number is stored in the page for comparison.
    colors : array_like, optional
        Zonotope-only page: vertex colours.
    title : str, optional
        Zonotope-only page: the title.

    Returns
    -------
    str
        The path of the written file.

    Raises
    ------
    ValidationError
        Data of more than 3 features, a zonotope of another dimension, a bad
        ``snap``.

    Examples
    --------
    >>> import os, tempfile
    >>> from zonotope import figure1_points
    >>> p = export_html(figure1_points(), os.path.join(tempfile.mkdtemp(), "x.html"),
    ...                 chamber=[0, 1, 1, 0, 1])
    >>> html = open(p, encoding="utf-8").read()
    >>> html.startswith("<!doctype html>"), 'id="zx-arr"' in html, '<script src="http' in html
    (True, True, False)
    >>> p3 = export_html([[1, 0, 1], [0, 1, 1], [1, 1, -1]], os.path.join(tempfile.mkdtemp(),
    ...                  "x3.html"))                         # 3-D data: coordinate inputs
    >>> 'id="zx-c2"' in open(p3, encoding="utf-8").read()
    True
    """
    from ..zonotope import Zonotope

    func = "export_html"
    if not (isinstance(snap, (int, float, np.integer, np.floating)) and np.isfinite(snap)
            and snap >= 0) or isinstance(snap, bool):
        raise ValidationError(f"`snap` of `{func}` must be a number >= 0; got {snap!r} instead.")
    html = None
    if not isinstance(Z, Zonotope):
        from ._common import float_points

        Xe, Xf = float_points(Z, func)
        if Xf.shape[1] not in (1, 2, 3):
            raise ValidationError(f"`Z` of `{func}` must be data with 1, 2 or 3 features or a "
                                  f"Zonotope; got {Xf.shape[1]} features instead.")
        html = _explorer_page(Xe, Xf, chamber, float(snap), func)
    if html is None:
        html = _zonotope_page(Z, chamber, colors, title, func)
    if path is None:      # only now that the page exists: no empty file on bad input
        import tempfile

        fd, path = tempfile.mkstemp(prefix="zonotope-", suffix=".html", dir=os.getcwd())
        os.close(fd)
    path = os.fspath(path)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(html)
    return path


def _plotly_js():
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _explorer_page(Xe, Xf, chamber, snap, func):
    """The three-panel page for 1-D, 2-D or 3-D data (geometry recomputed in the browser)."""
    import json

    from ..zonotope import Zonotope
    from .colors import chamber_colors

    Z = Zonotope.from_points(Xe)
    k_sel = chamber_index(Z, chamber, func)
    sel = None if k_sel is None else pattern_label(Z.coefficients[k_sel])
    pal = [f"rgb({int(255 * c[0])},{int(255 * c[1])},{int(255 * c[2])})" for c in chamber_colors(24)]
    cfg = {"points": Xf.tolist(), "snap": snap, "selected": sel, "palette": pal,
           "highlight": HIGHLIGHT, "face": FACE, "python_n_chambers": int(Z.n_vertices),
           "python_patterns": sorted(pattern_label(p) for p in Z.coefficients)}
    js = open(os.path.join(os.path.dirname(__file__), "explorer.js"), encoding="utf-8").read()
    css = ("body{margin:0;font-family:sans-serif} #zx-row{display:flex;gap:6px;height:86vh}"
           " #zx-row>div{flex:1;min-width:0} #zx-bar{padding:6px 10px;font-size:14px}"
           " #zx-status{margin-left:12px}")
    d = Xf.shape[1]
    controls = ""
    if d == 3:        # plotly cannot drag 3-D markers: pick a point, type its coordinates
        step = f"{snap:g}" if snap > 0 else "any"
        opts = "".join(f"<option value=\"{i}\">x{i}</option>" for i in range(Xf.shape[0]))
        controls = (f" point <select id=\"zx-pt\">{opts}</select>"
                    + "".join(f" x{c + 1} <input id=\"zx-c{c}\" type=\"number\" step=\"{step}\" "
                              "style=\"width:6em\">" for c in range(3))
                    + " <button id=\"zx-side\">show chart b = −1</button>")
    return ("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>zonotope explorer: {Xf.shape[0]} points</title><style>{css}</style>"
            f"<script>{_plotly_js()}</script></head><body>"
            f"<div id=\"zx-bar\"><button id=\"zx-reset\">reset data</button>{controls}"
            "<span id=\"zx-status\"></span></div>"
            "<div id=\"zx-row\"><div id=\"zx-data\"></div><div id=\"zx-arr\"></div>"
            "<div id=\"zx-zono\"></div></div>"
            f"<script type=\"application/json\" id=\"zx-config\">{json.dumps(cfg)}</script>"
            f"<script>{js}</script></body></html>\n")


def _zonotope_page(Z, chamber, colors, title, func):
    """The zonotope-only page (a Zonotope of dimension 2 or 3)."""
    from ..zonotope import Zonotope

    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover - plotly is a dependency
        raise ImportError("export_html needs plotly (pip install plotly)") from exc
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead.")
    C = colors_for(Z, colors)
    k_sel = chamber_index(Z, chamber, func)
    V = np.asarray(Z.vertices, float)
    Ve = Z.vertices_exact()
    E = np.asarray(Z.edges, dtype=np.intp).reshape(-1, 2)
    deg = np.bincount(E.ravel(), minlength=len(V)) if len(E) else np.zeros(len(V), int)
    rgb = [f"rgb({int(255 * c[0])},{int(255 * c[1])},{int(255 * c[2])})" for c in C[:len(V)]]
    hover = [f"vertex {k}<br>pattern {pattern_label(Z.coefficients[k])}"
             f"<br>signs {pattern_label(Z.coefficients[k], 'signs')}"
             f"<br>active: {{{', '.join(map(str, np.nonzero(Z.coefficients[k])[0]))}}}"
             f"<br>({', '.join(_fmt_exact(v) for v in Ve[k])})<br>degree {int(deg[k])}"
             for k in range(len(V))]
    traces = []
    is3 = Z.dim == 3
    ex, ey, ez = [], [], []
    for a, b in E:
        ex += [V[a, 0], V[b, 0], None]
        ey += [V[a, 1], V[b, 1], None]
        if is3:
            ez += [V[a, 2], V[b, 2], None]
    if is3:
        facets = facets3d(V) if len(V) >= 4 else None
        if facets:
            ti, tj, tk = [], [], []
            for _, idx in facets:
                for t in range(1, len(idx) - 1):
                    ti.append(int(idx[0]))
                    tj.append(int(idx[t]))
                    tk.append(int(idx[t + 1]))
            traces.append(go.Mesh3d(x=V[:, 0], y=V[:, 1], z=V[:, 2], i=ti, j=tj, k=tk, color=FACE,
                                    opacity=0.45, hoverinfo="skip", flatshading=True, name="faces"))
        traces.append(go.Scatter3d(x=ex, y=ey, z=ez, mode="lines", line=dict(color="#333", width=4),
                                   hoverinfo="skip", name="edges"))
        traces.append(go.Scatter3d(x=V[:, 0], y=V[:, 1], z=V[:, 2], mode="markers",
                                   marker=dict(size=7, color=rgb, line=dict(color="black", width=1)),
                                   hovertext=hover, hoverinfo="text", name="vertices"))
    else:
        order = np.argsort(np.arctan2(*(V - V.mean(axis=0)).T[::-1]))
        ring = np.r_[order, order[:1]]
        traces.append(go.Scatter(x=V[ring, 0], y=V[ring, 1], fill="toself", fillcolor=FACE,
                                 mode="none", hoverinfo="skip", name="faces"))
        traces.append(go.Scatter(x=ex, y=ey, mode="lines", line=dict(color="#333", width=2),
                                 hoverinfo="skip", name="edges"))
        traces.append(go.Scatter(x=V[:, 0], y=V[:, 1], mode="markers",
                                 marker=dict(size=12, color=rgb, line=dict(color="black", width=1)),
                                 hovertext=hover, hoverinfo="text", name="vertices"))
    if k_sel is not None:
        act = np.nonzero(Z.coefficients[k_sel])[0]
        p = np.asarray(Z.center, float)
        pts = [p]
        for i in act:
            p = p + np.asarray(Z.generators[i], float)
            pts.append(p)
        Pp = np.array(pts)
        name = "translated generators " + ", ".join(map(str, act)) if len(act) else "no active generator"
        if is3:
            traces.append(go.Scatter3d(x=Pp[:, 0], y=Pp[:, 1], z=Pp[:, 2], mode="lines+markers",
                                       line=dict(color=HIGHLIGHT, width=7), marker=dict(size=3,
                                       color=HIGHLIGHT), name=name, hoverinfo="name"))
            traces.append(go.Scatter3d(x=[V[k_sel, 0]], y=[V[k_sel, 1]], z=[V[k_sel, 2]], mode="markers",
                                       marker=dict(size=12, color=rgb[k_sel], symbol="diamond",
                                                   line=dict(color="black", width=3)),
                                       hovertext=[hover[k_sel]], hoverinfo="text", name="chosen vertex"))
        else:
            traces.append(go.Scatter(x=Pp[:, 0], y=Pp[:, 1], mode="lines+markers",
                                     line=dict(color=HIGHLIGHT, width=4), name=name))
            traces.append(go.Scatter(x=[V[k_sel, 0]], y=[V[k_sel, 1]], mode="markers",
                                     marker=dict(size=18, color=rgb[k_sel], symbol="diamond",
                                                 line=dict(color="black", width=3)),
                                     hovertext=[hover[k_sel]], hoverinfo="text", name="chosen vertex"))
    if title is None:
        title = (f"Zonotope in R<sup>{Z.dim}</sup>: {Z.n_vertices} vertices, {len(E)} edges"
                 "<br><span style='font-size:12px'>hover a vertex for its activation pattern"
                 + ("; drag to rotate" if is3 else "") + "</span>")
    fig = go.Figure(traces)
    layout = dict(title=dict(text=title, font=dict(size=15), x=0.02, y=0.97), showlegend=True,
                  margin=dict(l=10, r=10, t=80, b=10), paper_bgcolor="white",
                  legend=dict(x=0.01, y=0.98))
    if is3:
        layout["scene"] = dict(aspectmode="data", xaxis_title="z1", yaxis_title="z2", zaxis_title="z3",
                               camera=dict(eye=dict(x=1.4, y=-1.5, z=0.9)))
    else:
        layout["yaxis"] = dict(scaleanchor="x", title="z2")
        layout["xaxis"] = dict(title="z1")
    fig.update_layout(**layout)
    html = fig.to_html(include_plotlyjs=True, full_html=True, default_height="96vh",
                       config={"displaylogo": False})
    page_title = f"zonotope: {Z.n_vertices} vertices"
    head = f"<title>{page_title}</title><style>body {{ margin: 0; }}</style></head>"
    return html.replace("</head>", head, 1)
