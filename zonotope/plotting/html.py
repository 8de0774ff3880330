"""A self-contained, rotatable HTML view of a zonotope (plotly)."""

from __future__ import annotations

import os
from fractions import Fraction

import numpy as np

from ..exceptions import ValidationError
from ._common import chamber_index, colors_for
from ._style import FACE, HIGHLIGHT
from ._zonotope import facets3d
from .colors import pattern_label

__all__ = ["export_html"]


def _fmt_exact(v):
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"


def export_html(Z, path=None, *, chamber=None, colors=None, title=None):
    """A self-contained, rotatable HTML view of a zonotope (plotly.js inlined, no network).

    Vertices are in their chamber colours; hovering a vertex shows its index,
    activation pattern, sign vector, exact coordinates and degree.  Works offline:
    the whole plotly.js library is embedded in the file (about 4.7 MB).

    Parameters
    ----------
    Z : Zonotope or array_like
        A zonotope of dimension 2 or 3, or data with 1 or 2 features.
    path : str or os.PathLike, optional
        Write the page there (UTF-8).
    chamber : int or array_like of 0/1, optional
        Highlight this vertex and draw its translated generators in red.
    colors : array_like, optional
    title : str, optional

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ImportError
        If plotly is not installed.

    Examples
    --------
    >>> from zonotope import figure1_points
    >>> html = export_html(figure1_points(), chamber=[0, 1, 1, 0, 1])
    >>> html.startswith("<!doctype html>"), "pattern 01101" in html, '<script src="http' in html
    (True, True, False)
    """
    from ..zonotope import Zonotope

    func = "export_html"
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
    html = html.replace("</head>", f"<title>{page_title}</title><style>body {{ margin: 0; }}</style></head>", 1)
    if path is not None:
        with open(os.fspath(path), "w", encoding="utf-8") as fh:
            fh.write(html)
    return html
