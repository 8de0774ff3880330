"""Interactive explorer: drag data points, watch chambers and the zonotope change.

:func:`explore` opens a matplotlib figure with the panels of
:func:`zonotope.plot_figure1` that reacts to the mouse:

* **drag a data point** (panel "training points"): the arrangement, the zonotope and
  the chamber count update live; the status line says at once when the data leave
  general position (which points, which exact affine dependency) and which chambers
  appeared or vanished;
* **click a chamber** (parameter-space panels) **or a vertex** (zonotope panel): the
  chamber, its vertex, its active examples, its translated generators and its
  neighbours (chambers sharing a facet = vertices sharing an edge) are highlighted;
* **drag the zonotope** to rotate it; **Esc** clears the selection; **r** restores
  the initial data.

It works in any interactive matplotlib backend: a desktop window (``zonotope explore``
or ``explore(X); plt.show()``) and Jupyter with ipympl (``%matplotlib widget``);
:meth:`Explorer.controls` adds ipywidgets controls there.  Dragged points snap to a
grid (``snap``, dyadic by default so that floats are exact) and onto lines through two
other points, so degenerate positions are reachable by hand; every combinatorial
answer is exact (``docs/exactness.md``).  Everything the mouse does is also a method
(:meth:`Explorer.move_point`, :meth:`Explorer.select`, :meth:`Explorer.rotate`), which is
how the tests drive it headlessly.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .exceptions import ValidationError
from .general_position import minimal_affine_dependencies
from .plotting._arrangement import ArrangementLayout, draw_arrangement, index_of_w
from .plotting._common import chamber_index, check_dim, float_points
from .plotting._zonotope import ZonotopeLayout, auto_view, draw_zonotope
from .plotting.colors import chamber_colors, pattern_label
from .plotting.html import export_html
from .plotting.panels import plot_points

if TYPE_CHECKING:
    import os
    from typing import Any

    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["Explorer", "explore"]



def _frac_str(c):
    c = Fraction(c)
    return str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"


def _describe_dependency(indices, coefficients, d):
    """One line: which points, which dependency (``x_k = sum c_j x_j``)."""
    idx = list(indices)
    names = ", ".join(f"x{i}" for i in idx)
    if len(idx) == 2:
        what = f"x{idx[0]} = x{idx[1]} (repeated point)"
        return what
    kind = {3: "collinear", 4: "coplanar"}.get(len(idx), f"on a common {len(idx) - 2}-flat")
    txt = f"{names} {kind}"
    if coefficients is not None:
        terms = []
        for i, c in zip(idx[:-1], coefficients[:-1]):
            c = Fraction(c)
            if c == 0:
                continue
            terms.append(f"{_frac_str(c)}·x{i}" if c != 1 else f"x{i}")
        txt += f": x{idx[-1]} = " + " + ".join(terms).replace("+ -", "− ")
    return txt


def _dependencies(X):
    """Minimal affine dependencies of the rows of X: list of (indices, exact coefficients)."""
    return [(tuple(int(i) for i in dep.indices), tuple(dep.coefficients))
            for dep in minimal_affine_dependencies(X)]


def _generic_count(N, d):
    return 2 * sum(math.comb(N - 1, k) for k in range(0, min(d, N - 1) + 1)) if N else 1


class Explorer:
    """The interactive explorer (see the module docstring); create it with :func:`explore`.

    Parameters
    ----------
    X : array_like, shape (n_samples, 1 or 2), optional
        Initial data (default :func:`zonotope.figure1_points`).  Stored as floats.
    snap : float or None
        Dragged points snap to multiples of ``snap`` (default ``0.25``: dyadic, so a
        snapped float is exactly the number it shows); ``None`` or 0 disables the
        grid.  Independently, a point dragged within ``snap_pixels`` of another point
        or of the line through two others snaps onto it, exactly.
    snap_pixels : float
        Snapping distance in pixels at 100 dpi (1/100 inch) at the figure's size,
        computed from the axes limits and the figure size in inches (never from the
        canvas's device pixels), so that
        :meth:`move_point` and mouse drags snap identically under every backend
        (Agg, ipympl, ...) and dpi.
    chamber : int or array_like of 0/1, optional
        Initially selected chamber.
    elev, azim : float, optional
        Initial viewing direction of a 3-D zonotope.
    figsize : (float, float), optional

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    X : ndarray of float, shape (n_samples, n_features)
        The current data (read-only view; use :meth:`move_point`).
    zonotope : Zonotope
        ``Zonotope.from_points(X)`` of the current data.
    selected : int or None
        Index of the selected chamber (= vertex) of :attr:`zonotope`.
    appeared, vanished : frozenset of str
        Patterns of the chambers that appeared / vanished at the last change of the
        chamber set.
    dependencies : list of (tuple, tuple)
        Minimal affine dependencies of the current data: point indices and exact
        coefficients ``c`` with ``sum_k c_k (x_k, 1) = 0`` (empty in general position).
    log : list of str
        One line per change of the chamber set.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ex = Explorer([[0, 0], [2, 0], [0, 2], [1, 0.25]])
    >>> ex.n_chambers, ex.in_general_position
    (14, True)
    >>> ex.move_point(3, (1, 0))          # onto the segment from x0 to x1
    True
    >>> ex.n_chambers, ex.in_general_position, ex.dependencies[0][0]
    (12, False, (0, 1, 3))
    >>> sorted(ex.vanished), sorted(ex.appeared)
    (['0011', '1100'], [])
    >>> ex.move_point(3, (1, -0.25))      # across it: two other chambers appear
    True
    >>> ex.n_chambers, sorted(ex.appeared)
    (14, ['0001', '1110'])
    >>> ex.select([1, 1, 0, 1]); ex.selected == ex.zonotope.vertex_index([1, 1, 0, 1])
    True

    What a click on the slice ``w_3 = +1`` at ``(0.1, 0.1)`` hits (``w = (0.1, 0.1, 1)``
    is positive on every point: all units active), the status lines, the view, and
    the way back to the initial data:

    >>> k = ex.chamber_at(ex.ax_plus, 0.1, 0.1)
    >>> ex.zonotope.chambers.sign_vectors[k].tolist()
    [1, 1, 1, 1]
    >>> ex.status_text().splitlines()[1]
    'general position: yes'
    >>> e, a = ex.view
    >>> ex.rotate(d_azim=10.0); ex.view == (e, a + 10.0)
    True
    >>> ex.reset(); ex.X.tolist()[3]
    [1.0, 0.25]

    Saving (any matplotlib format), the HTML page, and the Jupyter controls (which
    need ipywidgets, the ``jupyter`` extra):

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ex.save(os.path.join(d, "explorer.png"), dpi=30)
    ...     page = ex.export_html(os.path.join(d, "explorer.html"))
    ...     os.path.exists(os.path.join(d, "explorer.png")), os.path.getsize(page) > 1000
    (True, True)
    >>> try:
    ...     box = ex.controls()
    ... except ImportError:               # ipywidgets not installed
    ...     box = None
    >>> box is None or type(box).__name__ == "VBox"
    True
    >>> import matplotlib.pyplot as plt; plt.close(ex.fig)
    """

    def __init__(self, X: ArrayLike | None = None, *, snap: float = 0.25, snap_pixels: float = 7.0,
                 chamber: int | ArrayLike | None = None, elev: float | None = None, azim: float | None = None,
                 figsize: tuple[float, float] | None = None):
        from .library import figure1_points

        if X is None:
            X = figure1_points()
        _, Xf = float_points(X, "Explorer")
        check_dim(Xf, "Explorer")
        if snap is not None and (not np.isfinite(snap) or snap < 0):
            raise ValidationError(f"`snap` of `Explorer` must be None or a number >= 0; "
                                  f"got {snap!r} instead.")
        self._X = Xf.copy()
        self._X0 = Xf.copy()
        self.snap = float(snap) if snap else None
        self.snap_pixels = float(snap_pixels)
        self.d = Xf.shape[1]
        self.log = []
        self.appeared = frozenset()
        self.vanished = frozenset()
        self._fresh = ()          # indices of chambers that just appeared (hatched)
        self._drag = None
        self._last_reason = "initial data"
        self._compute()
        self.selected = chamber_index(self.zonotope, chamber, "Explorer")
        self._zlay_view = (elev, azim)
        if self.d == 2 and (elev is None or azim is None):
            e, a = auto_view(np.asarray(self.zonotope.vertices, float))
            self._zlay_view = (e if elev is None else elev, a if azim is None else azim)
        self._build_figure(figsize)
        self._redraw()
        self._cids = [
            self.fig.canvas.mpl_connect("button_press_event", self._on_press),
            self.fig.canvas.mpl_connect("motion_notify_event", self._on_motion),
            self.fig.canvas.mpl_connect("button_release_event", self._on_release),
            self.fig.canvas.mpl_connect("key_press_event", self._on_key),
        ]

    # ------------------------------------------------------------------ state
    @property
    def X(self) -> np.ndarray:
        """Current data (a read-only copy)."""
        v = self._X.copy()
        v.flags.writeable = False
        return v

    @property
    def n_chambers(self) -> int:
        """Number of chambers (= zonotope vertices = activation patterns of one unit)."""
        return int(self.zonotope.n_vertices)

    @property
    def patterns(self) -> frozenset[str]:
        """Activation patterns of all chambers, as strings (frozenset)."""
        return self._patterns

    @property
    def in_general_position(self) -> bool:
        """True when no ``k <= d + 1`` points are affinely dependent (exact)."""
        return not self.dependencies

    def _compute(self):
        from .zonotope import Zonotope

        self.zonotope = Zonotope.from_points(self._X)
        self._patterns = frozenset(pattern_label(p) for p in self.zonotope.coefficients)
        self.dependencies = _dependencies(self._X)

    def _update(self, reason):
        old = self._patterns
        sel = None if self.selected is None else pattern_label(self.zonotope.coefficients[self.selected])
        self._compute()
        new = self._patterns
        if new != old:
            self.appeared = frozenset(new - old)
            self.vanished = frozenset(old - new)
            self._last_reason = reason
            self.log.append(f"{reason}: {len(old)} -> {len(new)} chambers; appeared "
                            f"{sorted(self.appeared)}, vanished {sorted(self.vanished)}")
            self._fresh = tuple(self.zonotope.vertex_index([int(c) for c in p]) for p in self.appeared)
        self.selected = None
        if sel is not None and sel in new:
            self.selected = int(self.zonotope.vertex_index([int(c) for c in sel]))

    # ------------------------------------------------------------------ actions
    def move_point(self, i: int, xy: ArrayLike, *, snap: bool = True) -> bool:
        """Move data point ``i`` to ``xy`` (snapped unless ``snap=False``); redraw.

        Returns
        -------
        bool
            Whether the point actually moved.
        """
        i = int(i)
        if not 0 <= i < len(self._X):
            raise ValidationError(f"`i` of `Explorer.move_point` must be in [0, {len(self._X)}); got {i}.")
        p = np.asarray(xy, dtype=float).reshape(-1)[: self.d]
        if p.size != self.d or not np.isfinite(p).all():
            raise ValidationError(f"`xy` of `Explorer.move_point` must be {self.d} finite "
                                  f"numbers; got {xy!r}.")
        if snap:
            p = self._snap(i, p)
        if np.array_equal(p, self._X[i]):
            return False
        self._X[i] = p
        self._update(f"moving x{i}")
        self._redraw()
        return True

    def reset(self) -> None:
        """Restore the initial data."""
        self._X = self._X0.copy()
        self._update("reset")
        self._redraw()

    def select(self, chamber: int | ArrayLike | None) -> None:
        """Select a chamber (index or 0/1 pattern), or clear the selection with ``None``."""
        self.selected = chamber_index(self.zonotope, chamber, "Explorer.select")
        self._redraw()

    def rotate(self, d_azim: float = 0.0, d_elev: float = 0.0) -> None:
        """Turn the 3-D zonotope view by the given angles (degrees)."""
        if self.zonotope.dim != 3:
            return
        e, a = self._zlay_view
        self._zlay_view = (float(np.clip(e + d_elev, -89.0, 89.0)), (a + d_azim + 180.0) % 360.0 - 180.0)
        self._redraw(only_zonotope=True)

    @property
    def view(self) -> tuple[float, float]:
        """(elev, azim) of the 3-D zonotope view."""
        return self._zlay_view

    def save(self, path: str | os.PathLike[str], **kwargs: Any) -> None:
        """Save the current figure (any matplotlib format)."""
        self.fig.savefig(path, **kwargs)

    def export_html(self, path: str | os.PathLike[str] | None = None) -> str:
        """Write the three linked panels of the current data as HTML; returns the path.

        See :func:`zonotope.plotting.export_html` (the page, not its text, so a
        notebook cell stays small).
        """
        return export_html(self._X.copy(), path, chamber=self.selected,
                           snap=self.snap or 0.0)

    def controls(self) -> Any:
        """Ipywidgets controls for Jupyter (chamber menu, snap step, reset, HTML export).

        Returns
        -------
        ipywidgets.VBox

        Raises
        ------
        ImportError
            If ipywidgets is not installed.
        """
        import ipywidgets as w

        def options():
            return [("(none)", -1)] + [(f"{k}: {pattern_label(p)}", k)
                                       for k, p in enumerate(self.zonotope.coefficients)]

        menu = w.Dropdown(options=options(), value=-1 if self.selected is None else self.selected,
                          description="chamber")
        step = w.FloatText(value=self.snap or 0.0, step=0.125, description="snap")
        reset = w.Button(description="reset data")
        html = w.Button(description="export HTML")
        out = w.Output()

        def on_menu(change):
            if change["name"] == "value":
                self.select(None if change["new"] == -1 else change["new"])

        def on_step(change):
            self.snap = float(change["new"]) or None

        def on_reset(_):
            self.reset()
            menu.options = options()

        def on_html(_):
            self.export_html("zonotope.html")
            with out:
                print("wrote zonotope.html")

        menu.observe(on_menu, names="value")
        step.observe(on_step, names="value")
        reset.on_click(on_reset)
        html.on_click(on_html)
        return w.VBox([w.HBox([menu, step, reset, html]), out])

    # ------------------------------------------------------------------ snapping
    def _pixels(self, P):
        """Positions in pixels at matplotlib's default 100 dpi and the figure's size in inches.

        Computed from the axes limits and the figure size only (``transLimits``), never
        from the canvas's device pixels, so snapping is the same under every backend
        (Agg, ipympl, Qt) and at every dpi.
        """
        if self.d == 1:
            P = np.c_[np.asarray(P, float).reshape(-1, 1), np.zeros((np.size(P), 1))]
        frac = self.ax_data.transLimits.transform(np.asarray(P, float).reshape(-1, 2))
        pos = self.ax_data.get_position()
        w, h = self.fig.get_size_inches()
        return frac * np.array([pos.width * w * 100.0, pos.height * h * 100.0])

    def _snap(self, i, p):
        from .arrangement import Arrangement, homogenize

        if self.snap:
            p = np.round(p / self.snap) * self.snap
        others = [j for j in range(len(self._X)) if j != i]
        pix = self._pixels(p)[0]
        # onto another point
        for j in others:
            if np.linalg.norm(self._pixels(self._X[j])[0] - pix) <= self.snap_pixels:
                return self._X[j].copy()
        if self.d == 2:
            best = None
            for j, k in itertools.combinations(others, 2):
                a, b = self._X[j], self._X[k]
                ab = b - a
                if not ab.any():
                    continue
                t = float((p - a) @ ab / (ab @ ab))
                q = a + t * ab
                dist = np.linalg.norm(self._pixels(q)[0] - pix)
                if dist <= self.snap_pixels and (best is None or dist < best[0]):
                    for tt in (round(t * 64) / 64, round(t * 4096) / 4096, t):
                        qq = a + tt * ab
                        if Arrangement(homogenize(np.array([a, b, qq]))).rank < 3:   # exact
                            best = (dist, qq)
                            break
            if best is not None:
                return best[1]
        return p

    # ------------------------------------------------------------------ drawing
    def _build_figure(self, figsize):
        import matplotlib.pyplot as plt

        if self.d == 2:
            fig = plt.figure(figsize=figsize or (12.0, 11.0))
            self.ax_data = fig.add_axes([0.06, 0.575, 0.37, 0.355])
            self.ax_zono = fig.add_axes([0.53, 0.575, 0.44, 0.355])
            self.ax_plus = fig.add_axes([0.07, 0.145, 0.33, 0.33])
            self.ax_minus = fig.add_axes([0.55, 0.145, 0.33, 0.33])
            self.slices = {self.ax_plus: 1, self.ax_minus: -1}
        else:
            fig = plt.figure(figsize=figsize or (15.0, 6.2))
            self.ax_data = fig.add_axes([0.04, 0.3, 0.3, 0.55])
            self.ax_plus = fig.add_axes([0.37, 0.24, 0.27, 0.66])
            self.ax_zono = fig.add_axes([0.69, 0.24, 0.28, 0.66])
            self.ax_minus = None
            self.slices = {self.ax_plus: 1}
        self.fig = fig
        self.status = fig.text(0.015, 0.012, "", ha="left", va="bottom", fontsize=10,
                               family="monospace", linespacing=1.5)
        self._lims = None

    def _data_limits(self):
        P = self._X if self.d == 2 else np.c_[self._X, np.zeros(len(self._X))]
        lo, hi = P.min(axis=0), P.max(axis=0)
        span = max(float((hi - lo).max()), 1.0)
        if self.d == 2:
            c = (lo + hi) / 2
            h = span / 2 + 0.35 * span
            lims = ((c[0] - h, c[0] + h), (c[1] - h, c[1] + h))
        else:
            lims = ((lo[0] - 0.3 * span, hi[0] + 0.3 * span), (-1.0, 1.0))
        if self._lims is None:
            self._lims = lims
        else:   # grow, never shrink while exploring (stable under the mouse)
            (a0, a1), (b0, b1) = self._lims
            (c0, c1), (e0, e1) = lims
            if c0 < a0 or c1 > a1 or e0 < b0 or e1 > b1:
                self._lims = ((min(a0, c0), max(a1, c1)), (min(b0, e0), max(b1, e1)))
        return self._lims

    def _redraw(self, only_zonotope=False):
        Z = self.zonotope
        C = chamber_colors(Z.n_vertices)
        k = self.selected
        if not only_zonotope:
            self._arr = {}
            lay_p = ArrangementLayout(self._X, Z, 1)
            self._arr[self.ax_plus] = lay_p
            if self.ax_minus is not None:
                (x0, x1), (y0, y1) = lay_p.box
                self._arr[self.ax_minus] = ArrangementLayout(self._X, Z, -1, box=((-x1, -x0), (-y1, -y0)))
            w = None
            if k is not None:
                own = self.d == 1 or lay_p.label_polygon(k) is not None
                lay = lay_p if own else self._arr[self.ax_minus]
                w = lay.representative_w(k)
            ax = self.ax_data
            ax.cla()
            plot_points(self._X, ax, Z=Z, chamber=k, w=w, colors=C, limits=self._data_limits(),
                          title="training points (drag one)" + (
                              f"\nchamber {pattern_label(Z.coefficients[k])}: active "
                              f"{{{', '.join(map(str, np.nonzero(Z.coefficients[k])[0]))}}}"
                              if k is not None else "\nclick a chamber or a vertex"))
            if self.d == 2:
                for dep, _ in self.dependencies:
                    pts = self._X[list(dep)]
                    if len(dep) >= 3:
                        o = np.argsort(pts[:, 0] + 1e-9 * pts[:, 1])
                        ax.plot(pts[o, 0], pts[o, 1], color="#d62728", lw=2.5, alpha=0.5, zorder=2)
                    ax.scatter(pts[:, 0], pts[:, 1], s=260, facecolors="none", edgecolors="#d62728",
                               lw=2, zorder=2)
            else:
                for dep, _ in self.dependencies:
                    pts = self._X[list(dep)]
                    ax.scatter(pts[:, 0], 0 * pts[:, 0], s=260, facecolors="none", edgecolors="#d62728",
                               lw=2, zorder=2)
            for a, lay in self._arr.items():
                a.cla()
                draw_arrangement(a, lay, C, k, True, self._fresh, True, True, 8.0)
        ax = self.ax_zono
        ax.cla()
        e, az = self._zlay_view
        self._zlay = ZonotopeLayout(Z, e, az)
        draw_zonotope(ax, self._zlay, C, k, True, self._fresh, None, True, True,
                         f"zonotope: {Z.n_vertices} vertices, {len(Z.edges)} edges"
                         + ("\n(drag to rotate)" if Z.dim == 3 else ""))
        self.status.set_text(self.status_text())
        self.status.set_color("black")
        self.fig.canvas.draw_idle()

    def status_text(self) -> str:
        """The status lines shown under the panels."""
        Z = self.zonotope
        N, d = self._X.shape
        gen = _generic_count(N, d)
        lines = [f"{N} points in R^{d}: {Z.n_vertices} chambers = {Z.n_vertices} zonotope vertices, "
                 f"{len(Z.edges)} edges   (general position would give {gen})"]
        if self.in_general_position:
            lines.append("general position: yes")
        else:
            deps = [_describe_dependency(i, c, d) for i, c in self.dependencies]
            more = f"  (+{len(deps) - 3} more)" if len(deps) > 3 else ""
            lines.append("general position: NO -- " + "; ".join(deps[:3]) + more)
        if self.appeared or self.vanished:
            def fmt(s):
                s = sorted(s)
                return ", ".join(s[:6]) + (f", ... ({len(s)})" if len(s) > 6 else "") if s else "none"
            lines.append(f"last change ({self._last_reason}): +{len(self.appeared)} appeared "
                         f"[{fmt(self.appeared)}]{' (hatched)' if self.appeared else ''}, "
                         f"-{len(self.vanished)} vanished "
                         f"[{fmt(self.vanished)}]")
        else:
            lines.append("last change: none yet -- drag a point across a line through two others")
        k = self.selected
        if k is None:
            lines.append("selected: none (click a chamber or a vertex; Esc clears, r resets)")
        else:
            nb = Z.neighbors(k)
            act = ", ".join(map(str, np.nonzero(Z.coefficients[k])[0])) or "none"
            nbs = ", ".join(pattern_label(Z.coefficients[j]) for j in nb[:8])
            nbs += " ..." if len(nb) > 8 else ""
            lines.append(f"selected: chamber {pattern_label(Z.coefficients[k])} = vertex {k}, "
                         f"active {{{act}}}; {len(nb)} neighbours: {nbs}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ mouse
    def chamber_at(self, ax: Axes, x: float | None, y: float | None) -> int | None:
        """Chamber index under the data point ``(x, y)`` of a parameter-space panel (or None)."""
        if ax not in self.slices or x is None or y is None:
            return None
        if self.d == 2:
            w = (x, y, self.slices[ax])
        else:
            w = (x, y)
            if x * x + y * y > 1.0:
                return None
        return index_of_w(self.zonotope, w)

    def _hit_point(self, event):
        pix = self.ax_data.transData.transform(          # device pixels, like the event
            np.c_[self._X, np.zeros((len(self._X), 1))] if self.d == 1 else self._X)
        d = np.linalg.norm(pix - np.array([event.x, event.y]), axis=1)
        i = int(np.argmin(d))
        return i if d[i] <= 12 else None

    def _on_press(self, event):
        if event.inaxes is None or event.button not in (1, None):
            return
        ax = event.inaxes
        if ax is self.ax_data:
            i = self._hit_point(event)
            if i is not None:
                self._drag = ("point", i)
            return
        if ax in self.slices:
            k = self.chamber_at(ax, event.xdata, event.ydata)
            if k is not None:
                self.select(None if k == self.selected else k)
            return
        if ax is self.ax_zono:
            pix = ax.transData.transform(self._zlay.P2)
            d = np.linalg.norm(pix - np.array([event.x, event.y]), axis=1) - 1e-6 * self._zlay.depth
            k = int(np.argmin(d))
            if d[k] <= 10:
                self.select(None if k == self.selected else k)
            elif self.zonotope.dim == 3:
                self._drag = ("rotate", event.x, event.y, self._zlay_view)

    def _on_motion(self, event):
        if self._drag is None:
            return
        if self._drag[0] == "point":
            if event.inaxes is not self.ax_data or event.xdata is None:
                return
            i = self._drag[1]
            self.move_point(i, (event.xdata, event.ydata)[: self.d])
        elif self._drag[0] == "rotate":
            _, x0, y0, (e0, a0) = self._drag
            self._zlay_view = (e0, a0)
            self.rotate(d_azim=-(event.x - x0) * 0.4, d_elev=-(event.y - y0) * 0.4)

    def _on_release(self, event):
        self._drag = None

    def _on_key(self, event):
        if event.key == "escape":
            self.select(None)
        elif event.key == "r":
            self.reset()


def explore(X: ArrayLike | None = None, **kwargs: Any) -> Explorer:
    """Open the interactive explorer on 1-D or 2-D data.

    In a desktop session call ``matplotlib.pyplot.show()`` afterwards (the command
    ``zonotope explore`` does); in Jupyter run ``%matplotlib widget`` (ipympl) first
    and display ``explorer.controls()`` for extra ipywidgets controls.

    Parameters
    ----------
    X : array_like, shape (n_samples, 1 or 2), optional
        Default: :func:`zonotope.figure1_points`.
    **kwargs
        Passed to :class:`Explorer` (``snap``, ``chamber``, ``elev``, ``azim``, ...).

    Returns
    -------
    Explorer

    See Also
    --------
    plot_figure1, export_html

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ex = explore()                       # the built-in 5 points
    >>> ex.n_chambers, ex.in_general_position
    (22, True)
    >>> ex.select("01101"); ex.zonotope.coefficients[ex.selected].tolist()
    [0, 1, 1, 0, 1]
    >>> ex1 = explore([[0.0], [1.0], [3.0]])   # 1-D data
    >>> ex1.move_point(2, [1.0]); ex1.n_chambers, ex1.dependencies
    True
    (4, [((1, 2), (Fraction(1, 1), Fraction(-1, 1)))])
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    return Explorer(X, **kwargs)
