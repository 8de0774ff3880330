"""Figure 1 of Matena & Raffel (2022): data, arrangement and zonotope side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import ValidationError
from ._arrangement import ArrangementLayout, auto_chamber, draw_arrangement, label_chambers
from ._common import chamber_index, check_dim, pyplot, zonotope_of
from ._declutter import declutter
from .colors import chamber_colors
from .panels import plot_points, plot_zonotope

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

__all__ = ["plot_figure1"]


def plot_figure1(X: ArrayLike | None = None, *, view: str = "both",
                 chamber: str | int | ArrayLike | None = "auto", elev: float | None = None,
                 azim: float | None = None, figsize: tuple[float, float] | None = None, labels: bool = True,
                 declutter_labels: bool = True, bias: bool = True) -> Figure:
    """Figure 1 of Matena & Raffel (2022) for any 1-D, 2-D or 3-D data set.

    For 3-D data the hidden unit ``(w, b)`` lives in ``R^4`` and so does the zonotope
    (generators ``(x_i, 1)``); the figure has four 3-D panels: (a) the points with the
    plane ``w . x + b = 0`` of the chosen chamber, (b) the 4-D zonotope projected to
    ``R^3`` by dropping its last coordinate (the number of active examples): every
    vertex and edge drawn, vertex ``k`` in chamber ``k``'s colour, (c) and (d) the
    arrangement in the affine charts ``b = +1`` and ``b = -1`` (the planes
    ``w . x_i = -1`` and ``w . x_i = +1`` in ``R^3``), one marker per chamber meeting
    the chart, from the exact enumeration; chambers crossing ``b = 0`` (at infinity)
    appear in both.  With ``bias=False`` (3-D data only): (a) the points with
    ``w . x = 0``, (b) the bias-free arrangement on the sphere ``S^2`` (great
    circles ``w . x_i = 0``), (c) the 3-D zonotope of the points.  See
    ``docs/figures.md`` for the mathematics.

    Panels: (a) the training points, numbered, with the active examples of one
    chamber; (b) the data arrangement in parameter space, chambers shaded and
    labelled by activation pattern (for 2-D data the slice ``w_3 = 1``, and with
    ``view="both"`` also ``w_3 = -1``, so that no chamber is lost); (c) the zonotope
    ``Z``, each vertex in the colour of its chamber, with the chosen chamber's
    translated generators in red.  For 1-D data the parameter space is the plane
    and ``Z`` is a zonogon.

    Parameters
    ----------
    X : array_like, shape (n_samples, 1, 2 or 3), optional
        Default: :func:`zonotope.figure1_points`.
    view : {"both", "slice", "sphere"}
        ``"slice"``: three panels, the slice ``w_3 = +1`` only (chambers lying in
        ``w_3 < 0`` are then not shown; the panel title counts them); ``"both"``:
        four panels, slices ``w_3 = +1`` and ``w_3 = -1``; ``"sphere"``: three panels,
        all directions in one disk (see :func:`plot_arrangement`).  Ignored for 1-D
        data.
    chamber : "auto", int, array_like of 0/1 or None
        The highlighted chamber (``"auto"``: a bounded region of the slice
        ``w_3 = +1`` with about half the examples active, like the paper's yellow
        region).
    elev, azim : float, optional
        Viewing direction of the zonotope (degrees; default: automatic).
    figsize : (float, float), optional
    labels : bool
        Label the chambers with their activation patterns.
    declutter_labels : bool
        Move labels (panel letters first, then chamber labels, callouts, names)
        until no two text boxes of the figure overlap; titles and tick labels stay.
        The layout is frozen afterwards (the figure's layout engine is switched off).
    bias : bool, default True
        Hidden units with a bias.  ``False`` is drawn for 3-D data only (the bias-free
        unit: sphere and 3-D zonotope).

    Returns
    -------
    matplotlib.figure.Figure

    See Also
    --------
    plot_points, plot_arrangement, plot_zonotope, export_html, explore

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> fig = plot_figure1()                        # the built-in 5 points
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes][2:]
    ['parameter space, slice $w_3=+1$', 'parameter space, slice $w_3=−1$']
    >>> len(plot_figure1(view="slice").axes)
    3
    >>> len(plot_figure1([[0.0], [1.0], [3.0]]).axes)    # 1-D data: a zonogon
    3
    >>> X3 = [[1, 0, 1], [0, 1, 1], [1, 1, -1], [-1, 2, 1]]
    >>> fig = plot_figure1(X3)                       # 3-D data: Z lives in R^4
    >>> t = fig.axes[1].get_title(); 'R}^4$: 12 vertices, 18 edges' in t
    True
    >>> fig = plot_figure1(X3, bias=False)           # the bias-free unit: sphere S^2
    >>> '12 vertices, 18 edges' in fig.axes[2].get_title()
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from ..library import figure1_points

    func = "plot_figure1"
    if X is None:
        X = figure1_points()
    from ._common import float_points

    Xe0, Xf0 = float_points(X, func)
    check_dim(Xf0, func, dims=(1, 2, 3))
    if not isinstance(bias, (bool, np.bool_)):
        raise ValidationError(f"`bias` of `{func}` must be True or False; got {bias!r} instead.")
    if Xf0.shape[1] == 3:
        return _figure1_3d(Xe0, Xf0, chamber, elev, azim, figsize, declutter_labels, func,
                           bool(bias), labels)
    if not bias:
        raise ValidationError(f"`bias` of `{func}` must be True for {Xf0.shape[1]}-D data (the "
                              "bias-free figure is drawn for 3-D data); got False instead.")
    Xe, Xf, Z = zonotope_of(X, None, func)
    check_dim(Xf, func, dims=(1, 2, 3))
    if view not in ("both", "slice", "sphere"):
        raise ValidationError(f"`view` of `{func}` must be 'both', 'slice' or 'sphere'; "
                              f"got {view!r} instead.")
    plt = pyplot()
    d = Xf.shape[1]
    C = chamber_colors(Z.n_vertices)
    lay_p = ArrangementLayout(Xf, Z, 1, sphere=(view == "sphere" and d == 2))
    lay_m = None
    if d == 2 and view == "both":
        (x0, x1), (y0, y1) = lay_p.box
        lay_m = ArrangementLayout(Xf, Z, -1, box=((-x1, -x0), (-y1, -y0)))
    if isinstance(chamber, str) and chamber == "auto":
        k = auto_chamber(Z, lay_p, Xf.shape[0])
    else:
        k = chamber_index(Z, chamber, func)
    w = None
    if k is not None:
        w = lay_p.representative_w(k) if (d == 1 or lay_p.label_polygon(k) is not None or lay_m is None) \
            else lay_m.representative_w(k)
    if lay_m is not None:
        fig = plt.figure(figsize=figsize or (11.5, 11.0), layout="constrained")
        axs = fig.subplot_mosaic([["a", "b"], ["c", "d"]])
        ax_pts, ax_z, ax_p, ax_m = axs["a"], axs["b"], axs["c"], axs["d"]
    else:
        fig = plt.figure(figsize=figsize or ((15.5, 5.6) if d == 2 else (15.0, 4.8)),
                         layout="constrained")
        axs = fig.subplot_mosaic([["a", "b", "c"]], width_ratios=[1, 1, 1] if d == 2 else [1.1, 1, 1])
        ax_pts, ax_p, ax_z, ax_m = axs["a"], axs["b"], axs["c"], None
    plot_points(Xe, ax_pts, Z=Z, chamber=k, w=w, colors=C)
    plot_zonotope(Z, ax_z, chamber=k, colors=C, elev=elev, azim=azim)
    fig.canvas.draw_idle()
    fig.get_layout_engine().execute(fig)      # fix positions before fitting labels
    todo = [(ax_p, lay_p)] + ([(ax_m, lay_m)] if ax_m is not None else [])
    arts = [draw_arrangement(ax, lay, C, k, True, (), labels, True, 8.5) for ax, lay in todo]
    if labels:
        # the callouts changed the layout: place the labels again at the final scale
        fig.get_layout_engine().execute(fig)
        for (ax, lay), old in zip(todo, arts):
            for a in old:
                a.remove()
            label_chambers(ax, lay, k, 8.5)
    if ax_m is None and d == 2 and view == "slice":
        hidden = Z.n_vertices - len(lay_p.visible())
        if hidden:
            ax_p.set_title(ax_p.get_title() + f"\n({hidden} lie in $w_3<0$: view='both' shows them)",
                           fontsize=11, pad=getattr(lay_p, "title_pad", 6))
    names = ["(a)", "(b)", "(c)", "(d)"]
    order = [ax_pts, ax_z, ax_p, ax_m] if ax_m is not None else [ax_pts, ax_p, ax_z]
    letters = [ax.text(-0.02, 1.0, name, transform=ax.transAxes, fontsize=13, fontweight="bold",
                       ha="right", va="bottom") for name, ax in zip(names, order)]
    if declutter_labels:
        fig.get_layout_engine().execute(fig)   # the title may have grown a line
        fig.set_layout_engine("none")        # freeze the layout, then place the labels
        declutter(fig, first=letters)
    return fig


def _points_3d(ax, Xf, act, wb, title):
    """Panel (a) for 3-D data: the points, the active ones red, the plane ``w . x + b = 0``."""
    import numpy as np

    from ._style import HIGHLIGHT, INK

    if (~act).any():
        ax.scatter(*Xf[~act].T, s=45, facecolors="white", edgecolors=INK, depthshade=False)
    if act.any():
        ax.scatter(*Xf[act].T, s=45, color=HIGHLIGHT, edgecolors=INK, depthshade=False)
    for i, p in enumerate(Xf):
        ax.text(*p, f" {i}", fontsize=10)
    lo, hi = Xf.min(axis=0), Xf.max(axis=0)
    c, r = (lo + hi) / 2, max(float((hi - lo).max()) * 0.75, 1e-9)
    if wb is not None:
        w, b = wb[:3], float(wb[3]) if len(wb) == 4 else 0.0
        n2 = float(w @ w)
        if n2 > 0:
            foot = c - (w @ c + b) / n2 * w        # the plane's point nearest the data centre
            n = w / np.sqrt(n2)
            u = np.cross(n, [1.0, 0.0, 0.0] if abs(n[0]) < 0.9 else [0.0, 1.0, 0.0])
            u /= np.linalg.norm(u)
            v = np.cross(n, u)
            s, t = np.meshgrid(np.linspace(-r, r, 2), np.linspace(-r, r, 2))
            P = foot + s[..., None] * u + t[..., None] * v
            ax.plot_surface(P[..., 0], P[..., 1], P[..., 2], color=HIGHLIGHT, alpha=0.18, lw=0)
    ax.set_xlim(c[0] - r, c[0] + r)
    ax.set_ylim(c[1] - r, c[1] + r)
    ax.set_zlim(c[2] - r, c[2] + r)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_zlabel("$x_3$")
    ax.set_title(title, fontsize=11)


def _figure1_3d(Xe, Xf, chamber, elev, azim, figsize, declutter_labels, func, bias=True,
                labels=True):
    """Figure 1 for 3-D data.

    ``bias=True``: (a) points and the plane ``w . x + b = 0`` of the chosen chamber,
    (b) the 4-D zonotope projected to ``R^3``, (c)/(d) the charts ``b = +1`` / ``b = -1``
    of the arrangement in ``R^4``.  ``bias=False``: (a) points and ``w . x = 0``,
    (b) the great circles on the sphere ``S^2``, (c) the 3-D zonotope of the points.
    """
    import numpy as np

    from ..zonotope import Zonotope
    from ._space3d import chart_regions, draw_chart, draw_projected_zonotope, draw_sphere

    N = Xf.shape[0]
    plt = pyplot()
    if bias:
        Z = Zonotope.from_points(Xe)
    else:
        if np.any(np.all(Xf == 0, axis=1)):
            raise ValidationError(
                f"`X` of `{func}` must have no zero point for 3-D data with bias=False (the "
                "bias-free hyperplane w . x_i = 0 needs x_i != 0); got a zero row instead.")
        Z = Zonotope(Xe)
    pats = np.asarray(Z.coefficients)
    if isinstance(chamber, str) and chamber == "auto":
        pool = chart_regions(Xe, Z, 1) if bias else range(Z.n_vertices)
        pool = sorted(pool, key=lambda j: (abs(int(pats[j].sum()) - N / 2), j))
        k = int(pool[0])
    else:
        k = chamber_index(Z, chamber, func)
    C = chamber_colors(Z.n_vertices)
    act = np.zeros(N, bool) if k is None else pats[k].astype(bool)
    wb = None if k is None else np.array([float(e) for e in Z.chambers.interior_points[k]])
    from .colors import pattern_label

    what = "$w\\cdot x+b=0$" if bias else "$w\\cdot x=0$"
    head = "training points $x_i\\in\\mathbb{R}^3$" + ("" if bias else " (no bias)")
    title_a = head if k is None else (
        f"{head}\nchamber {pattern_label(pats[k])}: active "
        f"{{{', '.join(map(str, np.flatnonzero(act))) or 'none'}}}; red plane {what}")
    if bias:
        fig = plt.figure(figsize=figsize or (12.5, 11.5), layout="constrained")
        ax_pts = fig.add_subplot(2, 2, 1, projection="3d")
        ax_z = fig.add_subplot(2, 2, 2, projection="3d")
        ax_p = fig.add_subplot(2, 2, 3, projection="3d")
        ax_m = fig.add_subplot(2, 2, 4, projection="3d")
        _points_3d(ax_pts, Xf, act, wb, title_a)
        draw_projected_zonotope(ax_z, Z, C, k, "all" if labels and Z.n_vertices <= 16 else labels,
                                True)
        draw_chart(ax_p, Xe, Xf, Z, 1, C, k, labels, True)
        draw_chart(ax_m, Xe, Xf, Z, -1, C, k, labels, True)
        axes = [ax_pts, ax_z, ax_p, ax_m]
    else:
        fig = plt.figure(figsize=figsize or (16.0, 5.6), layout="constrained")
        ax_pts = fig.add_subplot(1, 3, 1, projection="3d")
        ax_s = fig.add_subplot(1, 3, 2, projection="3d")
        ax_z = fig.add_subplot(1, 3, 3)
        _points_3d(ax_pts, Xf, act, wb, title_a)
        draw_sphere(ax_s, Xf, Z, C, k, labels, True)
        plot_zonotope(Z, ax_z, chamber=k, colors=C, elev=elev, azim=azim)
        axes = [ax_pts, ax_s, ax_z]
    if elev is not None or azim is not None:
        for ax in axes:
            if getattr(ax, "name", "") == "3d":
                ax.view_init(elev=elev, azim=azim)
    letters = [ax.text2D(-0.02, 1.0, name, transform=ax.transAxes, fontsize=13, fontweight="bold",
                         ha="right", va="bottom") if hasattr(ax, "text2D") else
               ax.text(-0.02, 1.0, name, transform=ax.transAxes, fontsize=13, fontweight="bold",
                       ha="right", va="bottom")
               for name, ax in zip(["(a)", "(b)", "(c)", "(d)"], axes)]
    if declutter_labels:
        fig.get_layout_engine().execute(fig)
        fig.set_layout_engine("none")
        declutter(fig, first=letters)
    return fig
