"""Figure 1 of Matena & Raffel (2022): data, arrangement and zonotope side by side."""

from __future__ import annotations

from ..exceptions import ValidationError
from ._arrangement import ArrangementLayout, auto_chamber, draw_arrangement, label_chambers
from ._common import chamber_index, check_dim, pyplot, zonotope_of
from .colors import chamber_colors
from ._declutter import declutter
from .panels import plot_points, plot_zonotope

__all__ = ["plot_figure1"]


def plot_figure1(X=None, *, view="both", chamber="auto", elev=None, azim=None, figsize=None,
                 labels=True, declutter_labels=True):
    """Figure 1 of Matena & Raffel (2022) for any 1-D or 2-D data set.

    Panels: (a) the training points, numbered, with the active examples of one
    chamber; (b) the data arrangement in parameter space, chambers shaded and
    labelled by activation pattern (for 2-D data the slice ``w_3 = 1``, and with
    ``view="both"`` also ``w_3 = -1``, so that no chamber is lost); (c) the zonotope
    ``Z``, each vertex in the colour of its chamber, with the chosen chamber's
    translated generators in red.  For 1-D data the parameter space is the plane
    and ``Z`` is a zonogon.

    Parameters
    ----------
    X : array_like, shape (n_samples, 1 or 2), optional
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
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from ..library import figure1_points

    func = "plot_figure1"
    if X is None:
        X = figure1_points()
    Xe, Xf, Z = zonotope_of(X, None, func)
    check_dim(Xf, func)
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
