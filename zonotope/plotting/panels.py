"""The single matplotlib panels.

Data points, arrangement, zonotope, 1-skeleton and Cartesian power.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import ValidationError
from ._arrangement import ArrangementLayout, draw_arrangement
from ._common import (
    chamber_index,
    check_dim,
    clip_halfplane,
    coincident_groups,
    colors_for,
    float_points,
    new_ax,
    zonotope_of,
)
from ._style import HIGHLIGHT, INK, light
from ._zonotope import ZonotopeLayout, draw_zonotope
from .colors import pattern_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from ..arrangement import Arrangement
    from ..zonotope import Zonotope

__all__ = ["plot_points", "plot_arrangement", "plot_zonotope", "plot_skeleton", "plot_power"]


def _offsets_outward(Xf):
    """Unit directions pushing each point's number away from its nearest neighbours."""
    N, d = Xf.shape
    P = Xf if d == 2 else np.hstack([Xf, np.zeros((N, 1))])
    out = np.zeros((N, 2))
    span = max(float(np.ptp(P, axis=0).max()), 1e-12)
    for i in range(N):
        diff = P[i] - np.delete(P, i, axis=0)
        if len(diff) == 0:
            out[i] = (0.7, 0.7)
            continue
        dist = np.linalg.norm(diff, axis=1) / span
        wts = 1.0 / (dist + 0.05) ** 2
        v = (diff * wts[:, None]).sum(axis=0)
        if d == 1:
            v = np.array([0.0, 1.0])
        nv = np.hypot(*v)
        out[i] = v / nv if nv > 1e-12 else (0.7, 0.7)
    return out


def plot_points(X: ArrayLike, ax: Axes | None = None, *, Z: Zonotope | None = None,
                chamber: int | ArrayLike | None = None, w: ArrayLike | None = None,
                colors: ArrayLike | None = None,
                limits: tuple[tuple[float, float], tuple[float, float]] | None = None,
                title: bool | str = True) -> Axes:
    """Panel 1 of Figure 1: the training points, numbered, and one chamber's active set.

    Parameters
    ----------
    X : array_like, shape (n_samples, 1 or 2)
        Data (float or exact).
    ax : matplotlib Axes, optional
        Default: a new figure.
    Z : Zonotope, optional
        ``Zonotope.from_points(X)`` if already computed (chamber indices refer to it).
    chamber : int or array_like of 0/1, optional
        Highlight this chamber: its active examples are filled red, and the
        affine function ``x -> w . (x, 1)`` of a weight vector ``w`` in the chamber is
        drawn as its zero line with the active side shaded in the chamber's colour.
    w : array_like, shape (n_features + 1,), optional
        The weight vector to draw for ``chamber`` (default: the chamber's certified
        interior point).
    colors : array_like, shape (n_chambers, 3 or 4), optional
        Default :func:`chamber_colors`.
    limits : ((x0, x1), (y0, y1)), optional
        Axis limits (default: the data with a margin).
    title : bool or str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from zonotope import figure1_points
    >>> ax = plot_points(figure1_points(), chamber=[0, 1, 1, 0, 1])
    >>> [t.get_text() for t in ax.texts]
    ['0', '1', '2', '3', '4']
    >>> ax = plot_points([[0.0], [1.0], [3.0]])        # 1-D data on a line
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    func = "plot_points"
    Xe, Xf, Z = zonotope_of(X, Z, func)
    check_dim(Xf, func)
    ax = new_ax(ax, (4.5, 4.5))
    N, d = Xf.shape
    C = colors_for(Z, colors)
    k = chamber_index(Z, chamber, func)
    P = Xf if d == 2 else np.hstack([Xf, np.zeros((N, 1))])
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = max(float((hi - lo).max()), 1.0)
    pad = 0.18 * span
    if d == 2:
        xlim = (lo[0] - pad, hi[0] + pad)
        ylim = (lo[1] - pad, hi[1] + pad)
    else:
        xlim = (lo[0] - pad, hi[0] + pad)
        ylim = (-0.35 * span, 0.35 * span)
    if limits is not None:
        xlim, ylim = tuple(limits[0]), tuple(limits[1])
    active = np.zeros(N, dtype=bool)
    if k is not None:
        active = Z.coefficients[k].astype(bool)
        if w is None:
            w = Z.chambers.interior_points[k]
        w = np.asarray(w, dtype=float)
        _draw_halfplane(ax, w, xlim, ylim, d, light(C[k], 0.45))
    if d == 1:
        ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)
    ax.scatter(P[~active, 0], P[~active, 1], s=70, facecolor="white", edgecolor=INK, lw=1.4,
               zorder=3, label="inactive")
    if active.any():
        ax.scatter(P[active, 0], P[active, 1], s=70, facecolor=HIGHLIGHT, edgecolor=INK, lw=1.0,
                   zorder=3, label="active")
    off = _offsets_outward(Xf)
    for i, group in coincident_groups(Xf):
        ax.annotate(",".join(map(str, group)), P[i], xytext=11 * off[i], textcoords="offset points",
                    ha="center", va="center", fontsize=11, color=INK, zorder=4)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal" if d == 2 else "auto")
    if d == 2:
        ax.set_xlabel(r"$x_1$")
        ax.set_ylabel(r"$x_2$")
    else:
        ax.set_xlabel(r"$x$")
        ax.set_yticks([])
    if title:
        if title is True:
            title = f"training points $x_i\\in\\mathbb{{R}}^{d}$" if d > 1 else \
                "training points $x_i\\in\\mathbb{R}$"
            if k is not None:
                act = ", ".join(str(i) for i in np.nonzero(active)[0]) or "none"
                title += f"\nchamber {pattern_label(Z.coefficients[k])}: active {{{act}}}"
        ax.set_title(title, fontsize=11)
    return ax


def _draw_halfplane(ax, w, xlim, ylim, d, color):
    """Shade ``{x : w . (x, 1) > 0}`` within the limits and draw its boundary."""
    from matplotlib.patches import Polygon

    x0, x1 = xlim
    y0, y1 = ylim
    box = [np.array(p, float) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    if d == 1:
        a, b = np.array([w[0], 0.0]), float(w[1])
    else:
        a, b = np.array(w[:2], float), float(w[2])
    poly = clip_halfplane(box, a, b)
    if len(poly) >= 3:
        ax.add_patch(Polygon(np.array(poly), closed=True, facecolor=color, edgecolor="none", zorder=0))
    if np.hypot(*a) > 1e-15:
        # boundary line a . x + b = 0
        t = np.linspace(-1, 1, 2) * 10 * max(x1 - x0, y1 - y0)
        p0 = -b * a / (a @ a)
        dvec = np.array([-a[1], a[0]]) / np.hypot(*a)
        L = p0[None] + t[:, None] * dvec[None]
        ax.plot(L[:, 0], L[:, 1], color=INK, lw=1.0, ls=(0, (4, 2)), zorder=1)


def plot_arrangement(X: ArrayLike | Arrangement, ax: Axes | None = None, *, Z: Zonotope | None = None,
                     side: int = 1, view: str = "slice", chamber: int | ArrayLike | None = None,
                     neighbors: bool = True, emphasize: Sequence[int] = (), labels: bool = True,
                     box: tuple[tuple[float, float], tuple[float, float]] | None = None,
                     colors: ArrayLike | None = None, title: bool | str = True, fontsize: float = 8.5,
                     bias: bool = True) -> Axes:
    """Panel 2 of Figure 1: the data arrangement in parameter space, chambers coloured.

    ``X`` may also be any :class:`~zonotope.Arrangement` of dimension 1, 2 or 3
    (the same as ``arr.plot()``): its lines with the regions shaded and numbered
    like ``arr.regions()``, or its planes clipped to a box (a 3-D axes).

    For 2-D data the parameter space is ``R^3``, shown on the affine slice
    ``w_3 = side``: hyperplane ``H_i`` becomes the line ``x_i1 w_1 + x_i2 w_2 = -side``.
    A chamber (a cone) appears on the slice ``w_3 = +1`` when it meets ``w_3 > 0``;
    every chamber meets ``w_3 > 0`` or ``w_3 < 0``, so the two slices ``side=+1`` and
    ``side=-1`` together show every chamber (one crossing ``w_3 = 0`` appears, unbounded,
    on both).  The picture is clipped to a box holding every crossing of two lines,
    so every bounded region is shown whole and every unbounded one is visible.  With
    ``view="sphere"`` the whole sphere of directions ``w / |w|`` is drawn in one disk
    (Lambert's equal-area projection centred at ``w = (0, 0, 1)``; the dotted circle is
    ``w_3 = 0``, the rim is ``w = (0, 0, -1)``): every chamber appears exactly once,
    with an area proportional to its solid angle, and ``H_i`` is a closed curve.  For
    1-D data the parameter space is the plane ``R^2`` itself, drawn whole: the
    chambers are the sectors between the lines ``w_1 x_i + w_2 = 0`` through 0.

    For 3-D data (on a 3-D axes) the parameter space ``(w, b)`` is ``R^4``: the panel
    is the affine chart ``b = side``, the planes ``w . x_i = -side`` in ``R^3`` clipped
    to a box, with one marker per chamber meeting ``b * side > 0`` (from the exact
    enumeration; those crossing ``b = 0`` appear in both charts).  With
    ``bias=False`` it is the bias-free arrangement on the sphere ``S^2``: the great
    circles ``w . x_i = 0``, one marker per chamber (see ``docs/figures.md``).

    Parameters
    ----------
    X : array_like, shape (n_samples, 1, 2 or 3)
    ax : matplotlib Axes, optional
    Z : Zonotope, optional
        ``Zonotope.from_points(X)`` if already computed.
    side : {1, -1}
        The slice ``w_3 = side`` (2-D data, ``view="slice"``).
    view : {"slice", "sphere"}
        2-D data only (see above).
    chamber : int or array_like of 0/1, optional
        Outline this chamber (thick black); with ``neighbors=True`` its neighbours
        (chambers sharing a facet = zonotope vertices sharing an edge) are outlined
        dashed.
    neighbors : bool
    emphasize : sequence of int
        Further chambers to hatch (e.g. those that just appeared).
    labels : bool
        Label each chamber with its activation pattern (bit ``i`` = example ``i``,
        ``1`` = active), as large as fits, and each line ``H_i`` with ``i``.
    box : ((x0, x1), (y0, y1)), optional
        Clipping box on the slice (default: automatic).
    colors : array_like, optional
        Default :func:`chamber_colors`.
    title : bool or str
    fontsize : float
        Largest font size of the chamber labels.
    bias : bool, default True
        3-D data only: ``False`` draws the bias-free arrangement on the sphere
        (``Z`` is then ``Zonotope(X)``).

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    plot_figure1, plot_zonotope

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from zonotope import figure1_points
    >>> def n_regions(ax):
    ...     return sum((p.get_gid() or "").startswith("chamber") for p in ax.patches)
    >>> n_regions(plot_arrangement(figure1_points(), side=1))   # 15 of the 22 chambers
    15
    >>> n_regions(plot_arrangement(figure1_points(), side=-1))  # 7 in w_3 < 0, 8 crossing 0
    15
    >>> n_regions(plot_arrangement([[0.0], [1.0], [3.0]]))      # 1-D data: 6 sectors of R^2
    6
    >>> ax = plot_arrangement(figure1_points(), view="sphere")   # all 22 at once
    >>> len({p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("chamber")})
    22
    >>> from zonotope import Arrangement
    >>> n_regions(plot_arrangement(Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1])))
    7
    >>> plot_arrangement(Arrangement([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])).name
    '3d'
    >>> def n_marked(ax):                                        # 3-D: one marker each
    ...     return sum((c.get_gid() or "").startswith("chamber") for c in ax.collections)
    >>> X3 = [[2, 1, 0], [-2, -1, -3], [-3, -3, -2], [2, 1, 3], [0, 1, 3]]   # 30 chambers
    >>> n_marked(plot_arrangement(X3, side=1)), n_marked(plot_arrangement(X3, side=-1))
    (22, 22)
    >>> n_marked(plot_arrangement(X3, bias=False))   # the 14 crossing b = 0, on the sphere
    14
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    func = "plot_arrangement"
    from ..arrangement import Arrangement

    if isinstance(X, Arrangement):
        from ._general import draw_general_arrangement

        return draw_general_arrangement(X, ax, labels=labels, title=title, fontsize=fontsize)
    if side not in (1, -1):
        raise ValidationError(f"`side` of `{func}` must be 1 or -1; got {side!r} instead.")
    if not isinstance(bias, (bool, np.bool_)):
        raise ValidationError(f"`bias` of `{func}` must be True or False; got {bias!r} instead.")
    Xe, Xf = float_points(X, func)
    check_dim(Xf, func, dims=(1, 2, 3))
    if Xf.shape[1] == 3:
        return _arrangement_3d(Xe, Xf, Z, ax, side, bool(bias), chamber, labels, colors, title,
                               fontsize, func)
    if not bias:
        raise ValidationError(f"`bias` of `{func}` must be True for {Xf.shape[1]}-D data (the "
                              "bias-free arrangement is drawn for 3-D data); got False instead.")
    Xe, Xf, Z = zonotope_of(X, Z, func)
    if view not in ("slice", "sphere"):
        raise ValidationError(f"`view` of `{func}` must be 'slice' or 'sphere'; got {view!r} instead.")
    ax = new_ax(ax, (5.0, 5.0))
    lay = ArrangementLayout(Xf, Z, side, box, sphere=(view == "sphere"))
    draw_arrangement(ax, lay, colors_for(Z, colors), chamber_index(Z, chamber, func), neighbors,
                      emphasize, labels, title, fontsize)
    return ax


def _arrangement_3d(Xe, Xf, Z, ax, side, bias, chamber, labels, colors, title, fontsize, func):
    """plot_arrangement for 3-D data: a chart of R^4, or the sphere without bias."""
    from ..zonotope import Zonotope
    from ._common import pyplot
    from ._space3d import draw_chart, draw_sphere, need_3d

    if ax is None:
        ax = pyplot().figure(figsize=(6.0, 6.0), layout="constrained").add_subplot(projection="3d")
    need_3d(ax, func)
    if bias:
        _, _, Z = zonotope_of(Xe, Z, func)
    else:
        if np.any(np.all(Xf == 0, axis=1)):
            raise ValidationError(f"`X` of `{func}` must have no zero point with bias=False (the "
                                  "hyperplane w . x_i = 0 needs x_i != 0); got a zero row instead.")
        if Z is None:
            Z = Zonotope(Xe)
        elif not isinstance(Z, Zonotope) or Z.dim != 3 or Z.n_generators != Xf.shape[0]:
            raise ValidationError(f"`Z` of `{func}` must be Zonotope(X) with bias=False; got "
                                  f"{Z!r} instead.")
    C = colors_for(Z, colors)
    k = chamber_index(Z, chamber, func)
    if bias:
        draw_chart(ax, Xe, Xf, Z, side, C, k, labels, title, fontsize)
    else:
        draw_sphere(ax, Xf, Z, C, k, labels, title, fontsize)
    return ax


def plot_zonotope(Z: Zonotope | ArrayLike, ax: Axes | None = None, *, chamber: int | ArrayLike | None = None,
                  neighbors: bool = True, emphasize: Sequence[int] = (), colors: ArrayLike | None = None,
                  elev: float | None = None, azim: float | None = None, labels: str | None = None,
                  generators: bool = True, axes_triad: bool = True, title: bool | str = True) -> Axes:
    r"""Panel 3 of Figure 1: a zonotope of dimension 2 or 3 with vertices in chamber colours.

    The 3-D zonotope is drawn in exact orthographic projection: front faces
    translucent, hidden edges dashed, hidden vertices faded.  Vertex ``k`` has the
    colour of chamber ``k`` (:func:`chamber_colors`).

    Parameters
    ----------
    Z : Zonotope or array_like
        A :class:`Zonotope` of dimension 2 or 3, or data ``X`` with 1 or 2 features
        (then ``Zonotope.from_points(X)``).
    ax : matplotlib Axes, optional
    chamber : int or array_like of 0/1, optional
        Highlight this vertex; with ``generators=True`` draw its translated generators
        (the paper's red lines): the path ``c, c + g_{i_1}, c + g_{i_1} + g_{i_2}, ...``
        from the centre ``c`` (the all-inactive vertex) to the vertex, one arrow per
        active generator.  With ``neighbors=True`` ring the adjacent vertices.
    neighbors : bool
    emphasize : sequence of int
        Further vertices to mark with a star (e.g. chambers that just appeared).
    colors : array_like, optional
    elev, azim : float, optional
        Viewing direction in degrees (as in matplotlib's 3-D axes).  Default: chosen
        to keep the projected vertices apart (near ``elev=22, azim=-58``).
    labels : {None, "index", "pattern", "signs"}
        Text beside every visible vertex.
    generators : bool
    axes_triad : bool
        Draw the directions of the coordinate axes ``z_1, z_2, z_3``.
    title : bool or str

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValidationError
        If the zonotope's dimension is not 2 or 3 (use :func:`plot_skeleton`).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from zonotope import Zonotope, figure1_points
    >>> ax = plot_zonotope(figure1_points(), chamber=[0, 1, 1, 0, 1])
    >>> ax.get_title().splitlines()[0]
    'zonotope $Z\\subset\\mathbb{R}^3$: 22 vertices, 40 edges'
    >>> ax = plot_zonotope(Zonotope([[1, 0], [0, 1], [1, 1]]), labels="index")  # a hexagon
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from ..zonotope import Zonotope

    func = "plot_zonotope"
    if not isinstance(Z, Zonotope):
        _, Xf = float_points(Z, func)
        check_dim(Xf, func)
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead "
                              "(plot_skeleton draws any dimension).")
    ax = new_ax(ax, (5.0, 5.0))
    lay = ZonotopeLayout(Z, elev, azim)
    draw_zonotope(ax, lay, colors_for(Z, colors), chamber_index(Z, chamber, func), neighbors,
                   emphasize, labels, generators, axes_triad, title)
    return ax


def _skeleton_positions(Z):
    """Layered layout: height = number of active examples, order = a transverse direction."""
    V = np.asarray(Z.vertices, float)
    levels = Z.coefficients.sum(axis=1).astype(int)
    s = np.asarray(Z.generators, float).sum(axis=0)
    Vc = V - V.mean(axis=0)
    if np.linalg.norm(s) > 0:
        s = s / np.linalg.norm(s)
        Vc = Vc - np.outer(Vc @ s, s)
    if len(V) > 1 and np.abs(Vc).max() > 0:
        _, _, Wt = np.linalg.svd(Vc, full_matrices=False)
        x = Vc @ Wt[0]
        # a second direction to break ties (symmetric layers)
        x2 = Vc @ Wt[1] if Wt.shape[0] > 1 else np.zeros(len(V))
    else:
        x = np.zeros(len(V))
        x2 = x
    pos = np.zeros((len(V), 2))
    for lev in np.unique(levels):
        ids = np.nonzero(levels == lev)[0]
        order = ids[np.lexsort((x2[ids], x[ids]))]
        n = len(order)
        for r, k in enumerate(order):
            pos[k] = (r - (n - 1) / 2, lev)
    return pos, levels


def plot_skeleton(Z: Zonotope | ArrayLike, ax: Axes | None = None, *, labels: str = "signs",
                  edge_labels: bool | None = None, chamber: int | ArrayLike | None = None,
                  colors: ArrayLike | None = None, title: bool | str = True) -> Axes:
    """The 1-skeleton of a zonotope as a graph, vertices labelled by sign vectors.

    Vertices are drawn in layers by their number of active examples (an edge of a
    data zonotope in general position flips exactly one example, so it joins two
    adjacent layers); within a layer they are ordered along the zonotope's widest
    transverse direction.  Edges are labelled with the example(s) they flip.

    Parameters
    ----------
    Z : Zonotope or array_like
        Any dimension; data are turned into ``Zonotope.from_points(X)``.
    ax : matplotlib Axes, optional
    labels : {"signs", "pattern", "index"}
        Vertex labels: sign vector ``+-++-``, 0/1 pattern, or the index.
    edge_labels : bool, optional
        Label edges with the flipped example(s) (default: when there are at most 80
        edges).
    chamber : int or array_like of 0/1, optional
        Highlight this vertex and its edges.
    colors : array_like, optional
    title : bool or str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_skeleton([[0.0], [1.0], [3.0]])      # a hexagon: 6 vertices, 6 edges
    >>> sorted(t.get_text() for t in ax.texts)[:3]
    ['+++', '++−', '+−−']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.collections import LineCollection

    from ..zonotope import Zonotope

    func = "plot_skeleton"
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if labels not in ("signs", "pattern", "index"):
        raise ValidationError(f"`labels` of `{func}` must be 'signs', 'pattern' or 'index'; "
                              f"got {labels!r} instead.")
    C = colors_for(Z, colors)
    k_sel = chamber_index(Z, chamber, func)
    pos, levels = _skeleton_positions(Z)
    K = len(pos)
    width = max(int(np.bincount(levels).max()), 1)
    n_gen = Z.n_generators
    ax = new_ax(ax, (min(1.0 + 0.11 * n_gen * width + 0.6 * width, 16), 1.2 + 0.75 * (levels.max() + 1)))
    E = np.asarray(Z.edges, dtype=np.intp).reshape(-1, 2)
    sel_e = np.array([k_sel in (a, b) for a, b in E], bool) if k_sel is not None else np.zeros(len(E), bool)
    if len(E):
        ax.add_collection(LineCollection(pos[E[~sel_e]], colors="0.55", lw=1.0, zorder=1))
        if sel_e.any():
            ax.add_collection(LineCollection(pos[E[sel_e]], colors="black", lw=2.2, zorder=1.5))
    if edge_labels is None:
        edge_labels = len(E) <= 80
    if edge_labels:
        for (a, b), g in zip(E, Z.edge_generators):
            m = 0.5 * (pos[a] + pos[b])
            ax.text(m[0], m[1], ",".join(map(str, g)), fontsize=7, ha="center", va="center",
                    color="0.25", zorder=2,
                    bbox=dict(boxstyle="circle,pad=0.12", fc="white", ec="0.7", lw=0.5))
    for k in range(K):
        txt = str(k) if labels == "index" else pattern_label(Z.coefficients[k], labels if labels == "signs"
                                                           else "pattern")
        ax.text(pos[k, 0], pos[k, 1], txt, ha="center", va="center", family="monospace",
                fontsize=9, zorder=3, fontweight="bold" if k == k_sel else "normal",
                bbox=dict(boxstyle="round,pad=0.3", fc=light(C[k], 0.6), ec=C[k][:3] * 0.7,
                          lw=2.2 if k == k_sel else 1.0))
    ax.set_xlim(pos[:, 0].min() - 0.8, pos[:, 0].max() + 0.8)
    ax.set_ylim(levels.min() - 0.6, levels.max() + 0.6)
    ax.set_yticks(range(int(levels.min()), int(levels.max()) + 1))
    ax.set_ylabel("number of active examples")
    ax.set_xticks([])
    for sp in ("top", "right", "bottom"):
        ax.spines[sp].set_visible(False)
    if title:
        if title is True:
            title = (f"1-skeleton: {K} vertices (chambers), {len(E)} edges; "
                     f"edge label = example flipped")
        ax.set_title(title, fontsize=11)
    return ax


def plot_power(Z: Zonotope | ArrayLike, ax: Axes | None = None, *, scale: float = 0.22, rotate: float = 90.0,
               colors: ArrayLike | None = None, elev: float | None = None, azim: float | None = None,
               title: bool | str = True) -> Axes:
    r"""The 1-skeleton of ``Z^2`` (two ReLU units) in a linear projection to the plane.

    A vertex of ``Z x Z`` is a pair ``(k_1, k_2)`` of vertices of ``Z`` (the activation
    patterns of the two units); it is drawn at ``p(v_{k_1}) + scale * p(v_{k_2})``,
    where ``p`` is the projection of :func:`plot_zonotope` (the small copy turned by
    ``rotate`` degrees to tell it apart; still a linear projection of ``Z^2``).  So
    the picture is a copy of ``Z`` whose every vertex carries a small copy of ``Z``:
    long edges change unit 1's pattern, short edges unit 2's.  The marker face has
    unit 1's chamber colour, its ring unit 2's.

    Parameters
    ----------
    Z : Zonotope or array_like
        A zonotope of dimension 2 or 3 (or data with 1 or 2 features).
    ax : matplotlib Axes, optional
    scale : float
        Size of the small copies (0 < scale < 1).
    rotate : float
        Angle (degrees) by which the small copies are turned.
    colors : array_like, optional
    elev, azim : float, optional
        Viewing direction for a 3-D ``Z`` (default: automatic).
    title : bool or str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = plot_power([[0.0], [1.0], [3.0]])      # Z^2 = hexagon x hexagon
    >>> ax.get_title().splitlines()[0]
    '$Z^2\\subset\\mathbb{R}^{4}$: 36 = 6² vertices, 72 edges'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.collections import LineCollection

    from ..zonotope import Zonotope

    func = "plot_power"
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead.")
    if not 0 < scale < 1:
        raise ValidationError(f"`scale` of `{func}` must be in (0, 1); got {scale!r} instead.")
    C = colors_for(Z, colors)
    lay = ZonotopeLayout(Z, elev, azim)
    P = lay.P2 - lay.P2.mean(axis=0)
    K = len(P)
    a = np.radians(rotate)
    Rm = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    pos = (P[:, None, :] + scale * (P @ Rm.T)[None, :, :]).reshape(-1, 2)   # index k1 * K + k2
    E = np.asarray(Z.edges, dtype=np.intp).reshape(-1, 2)
    long_, short = [], []
    for k in range(K):
        for a, b in E:
            long_.append((pos[a * K + k], pos[b * K + k]))
            short.append((pos[k * K + a], pos[k * K + b]))
    ax = new_ax(ax, (6.0, 6.0))
    ax.add_collection(LineCollection(long_, colors="0.6", lw=0.8, zorder=1))
    ax.add_collection(LineCollection(short, colors="0.25", lw=1.0, zorder=2))
    k1 = np.repeat(np.arange(K), K)
    k2 = np.tile(np.arange(K), K)
    ax.scatter(pos[:, 0], pos[:, 1], s=46, c=C[k1, :3], edgecolors=C[k2, :3], linewidths=2.2, zorder=3)
    span = float(np.ptp(pos, axis=0).max())
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    ax.set_xlim(lo[0] - 0.08 * span, hi[0] + 0.08 * span)
    ax.set_ylim(lo[1] - 0.08 * span, hi[1] + 0.08 * span)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_visible(False)
    if title:
        if title is True:
            P2 = Z.power(2)
            n_e = 2 * K * len(E)
            title = (f"$Z^2\\subset\\mathbb{{R}}^{{{P2.dim}}}$: {P2.n_vertices} = {K}² vertices, "
                     f"{n_e} edges\nface: unit 1's chamber colour, ring: unit 2's")
        ax.set_title(title, fontsize=11)
    return ax
