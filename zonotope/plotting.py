"""Figure 1-style diagrams: data, arrangement, zonotope (the only matplotlib module).

Every diagram uses one colour per chamber, taken from :func:`chamber_colors` and
indexed like the chambers: chamber ``k`` of the data arrangement is the normal cone of
vertex ``k`` of the zonotope (``Zonotope.vertices[k]`` belongs to
``Zonotope.chambers.sign_vectors[k]``), so a region of the parameter-space picture and
a vertex of the zonotope picture with the same colour are the same activation
pattern.  Conventions (see ``docs/theory.md``): ``x_bar_i = (x_i, 1)``; hyperplane
``H_i = {w : w . x_bar_i = 0}``; the positive side is "unit active on example i";
vertex ``k`` is ``sum_{i active} x_bar_i``.

matplotlib (and plotly, for :func:`export_html`) is imported inside the functions,
never at ``import zonotope`` time.  The 3-D zonotope is drawn by an exact orthographic
projection onto an ordinary 2-D axes (hidden edges dashed), which gives
deterministic, print-quality figures; :func:`export_html` writes a rotatable 3-D view.
"""

from __future__ import annotations

import functools
import os
from fractions import Fraction

import numpy as np

from ._validation import as_points
from .exceptions import ValidationError

__all__ = [
    "chamber_colors",
    "pattern_label",
    "plot_points",
    "plot_arrangement",
    "plot_zonotope",
    "plot_skeleton",
    "plot_power",
    "plot_figure1",
    "export_html",
    "add_cli_arguments",
    "cli_figure1",
]

_HIGHLIGHT = "#d62728"   # the paper's red: active examples and translated generators
_FACE = "#c9d7e8"        # faces of the zonotope
_INK = "0.15"


# =====================================================================================
# colours and labels
# =====================================================================================
def _srgb_to_lab(rgb):
    """CIE L*a*b* (D65) of sRGB colours in [0, 1], shape (n, 3)."""
    c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    M = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ M.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


_SEEDS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
          "#bcbd22", "#f0c419"]


def _hex_to_rgb(h):
    return np.array([int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)])


@functools.lru_cache(maxsize=None)
def _palette(n):
    """``n`` mutually distinct colours: fixed seeds, then greedy farthest points in Lab."""
    g = np.linspace(0.0, 1.0, 16)
    cand = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    lab = _srgb_to_lab(cand)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    ok = (lab[:, 0] >= 40) & (lab[:, 0] <= 85) & (chroma >= 25)
    cand, lab = cand[ok], lab[ok]
    chosen = [_hex_to_rgb(h) for h in _SEEDS[:n]]
    if n > len(chosen):
        dmin = np.full(len(cand), np.inf)
        for c in chosen:
            dmin = np.minimum(dmin, np.linalg.norm(lab - _srgb_to_lab(c[None])[0], axis=1))
        # the paper's red is reserved for highlights: keep chamber colours away from it
        dmin = np.minimum(dmin, np.linalg.norm(lab - _srgb_to_lab(_hex_to_rgb(_HIGHLIGHT)[None])[0],
                                               axis=1) * 1.6)
        while len(chosen) < n and len(chosen) < len(cand):
            j = int(np.argmax(dmin))
            chosen.append(cand[j])
            dmin = np.minimum(dmin, np.linalg.norm(lab - lab[j], axis=1))
    out = np.ones((n, 4))
    for k in range(n):
        out[k, :3] = chosen[k % len(chosen)]
    out.flags.writeable = False
    return out


def chamber_colors(n_chambers):
    """The colour of each chamber (and of its zonotope vertex) in every diagram.

    Parameters
    ----------
    n_chambers : int
        Number of colours wanted (>= 0).

    Returns
    -------
    ndarray of float, shape (n_chambers, 4)
        RGBA rows in ``[0, 1]``.  The first nine are fixed, familiar colours; the
        rest are chosen greedily to be as far as possible (in CIE L*a*b*) from all
        earlier ones and from the highlight red.  Deterministic.

    Examples
    --------
    >>> C = chamber_colors(22)
    >>> C.shape, bool((C >= 0).all() and (C <= 1).all())
    ((22, 4), True)
    >>> len({tuple(c) for c in C})     # all distinct
    22
    >>> chamber_colors(0).shape
    (0, 4)
    """
    if isinstance(n_chambers, bool) or not isinstance(n_chambers, (int, np.integer)) or n_chambers < 0:
        raise ValidationError(f"`n_chambers` of `chamber_colors` must be an int >= 0; "
                              f"got {n_chambers!r} instead.")
    if n_chambers == 0:
        return np.zeros((0, 4))
    return np.array(_palette(int(n_chambers)))


def _light(rgba, amount=0.55):
    """Mix a colour with white (fills use the light version, markers the full one)."""
    c = np.asarray(rgba, dtype=float)[:3]
    return tuple(amount * c + (1 - amount))


def pattern_label(pattern, style="pattern"):
    """The text label of an activation pattern.

    Parameters
    ----------
    pattern : array_like of 0/1 or +-1, shape (n_samples,)
    style : {"pattern", "signs"}
        ``"pattern"``: one digit per example, ``1`` = active (``"01101"``);
        ``"signs"``: the sign vector, ``+`` = positive side = active (``"+-++-"``,
        with the typographic minus sign).

    Returns
    -------
    str

    Examples
    --------
    >>> pattern_label([0, 1, 1, 0, 1])
    '01101'
    >>> pattern_label([1, -1, 1], style="signs")
    '+−+'
    >>> pattern_label([])
    ''
    """
    p = np.asarray(pattern).reshape(-1) > 0
    if style == "pattern":
        return "".join("1" if b else "0" for b in p)
    if style == "signs":
        return "".join("+" if b else "\u2212" for b in p)
    raise ValidationError(f"`style` of `pattern_label` must be 'pattern' or 'signs'; got {style!r} instead.")


# =====================================================================================
# shared helpers
# =====================================================================================
def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _new_ax(ax, figsize=(5.0, 5.0)):
    if ax is not None:
        return ax
    fig = _pyplot().figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def _float_points(X, func):
    Xe = as_points(X, "X", func)
    return Xe, np.array([[float(v) for v in row] for row in Xe], dtype=float).reshape(Xe.shape)


def _zonotope_of(X, Z, func):
    """(exact X, float X, Zonotope) with chamber k <-> vertex k."""
    from .zonotope import Zonotope

    Xe, Xf = _float_points(X, func)
    if Z is None:
        Z = Zonotope.from_points(Xe)
    elif not isinstance(Z, Zonotope) or Z.n_generators != Xf.shape[0] or Z.dim != Xf.shape[1] + 1:
        raise ValidationError(f"`Z` of `{func}` must be Zonotope.from_points(X); got {Z!r} instead.")
    return Xe, Xf, Z


def _check_dim(Xf, func, dims=(1, 2)):
    if Xf.shape[1] not in dims:
        raise ValidationError(f"`X` of `{func}` must have {' or '.join(map(str, dims))} features "
                              f"(columns); got {Xf.shape[1]} instead.")


def _chamber_index(Z, chamber, func):
    """Resolve ``chamber`` (index, pattern, or None) to an index or None."""
    if chamber is None:
        return None
    if isinstance(chamber, (bool, np.bool_)):
        raise ValidationError(f"`chamber` of `{func}` must be an index or a pattern; got {chamber!r} instead.")
    if isinstance(chamber, (int, np.integer)):
        k = int(chamber)
        if not 0 <= k < Z.n_vertices:
            raise ValidationError(f"`chamber` of `{func}` must be in [0, {Z.n_vertices}); got {k} instead.")
        return k
    if isinstance(chamber, str):
        chamber = [int(c) for c in chamber if c in "01"]
    from .exceptions import EmptyChamberError

    try:
        return int(Z.vertex_index(chamber))
    except EmptyChamberError:
        raise ValidationError(f"`chamber` of `{func}`: no chamber has pattern "
                              f"{pattern_label(chamber)!r}.") from None


def _colors_for(Z, colors):
    if colors is None:
        return chamber_colors(Z.n_vertices)
    C = np.asarray(colors, dtype=float)
    if C.ndim != 2 or C.shape[0] < Z.n_vertices or C.shape[1] not in (3, 4):
        raise ValidationError(f"`colors` must have shape (n_chambers, 3 or 4) with n_chambers >= "
                              f"{Z.n_vertices}; got {C.shape} instead.")
    if C.shape[1] == 3:
        C = np.hstack([C, np.ones((C.shape[0], 1))])
    return C


def _pt_per_data(ax):
    """Data units per typographic point along x and y (after limits are fixed)."""
    fig = ax.figure
    bbox = ax.get_position()
    w_in = bbox.width * fig.get_figwidth()
    h_in = bbox.height * fig.get_figheight()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    sx, sy = abs(x1 - x0) / (72 * w_in), abs(y1 - y0) / (72 * h_in)
    if ax.get_aspect() == 1.0:   # equal aspect: the adjustable box shrinks one side
        s = max(sx, sy)
        return s, s
    return sx, sy


def _polygon_area(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _clip_halfplane(poly, a, b):
    """Sutherland-Hodgman: keep ``a . u + b >= 0`` of a convex polygon (list of points)."""
    out = []
    n = len(poly)
    for k in range(n):
        P, Q = poly[k], poly[(k + 1) % n]
        fp, fq = float(a @ P + b), float(a @ Q + b)
        if fp >= 0:
            out.append(P)
        if (fp >= 0) != (fq >= 0):
            t = fp / (fp - fq)
            out.append(P + t * (Q - P))
    return out


def _fit_label(P, w, h):
    """Largest scale ``t`` and centre ``c`` with the box ``c +- t (w, h)/2`` inside polygon P.

    P is a convex polygon in counter-clockwise order.  An LP in ``(cx, cy, t)``.
    """
    from scipy.optimize import linprog

    ext = float(np.ptp(P, axis=0).max())
    if ext > 0 and max(w, h) < 1e-3 * ext:          # keep the LP well scaled
        f = ext / max(w, h, 1e-300)
        c, t = _fit_label(P, w * f, h * f)
        return c, t * f
    n = len(P)
    A, b = [], []
    for k in range(n):
        p, q = P[k], P[(k + 1) % n]
        d = q - p
        L = np.hypot(*d)
        if L <= 1e-15:
            continue
        nrm = np.array([d[1], -d[0]]) / L          # outward for a ccw polygon
        A.append([nrm[0], nrm[1], abs(nrm[0]) * w / 2 + abs(nrm[1]) * h / 2])
        b.append(float(nrm @ p))
    if len(A) < 3:
        return P.mean(axis=0), 0.0
    tmax = 10.0 * float(np.ptp(P, axis=0).max()) / max(w, h, 1e-300)
    res = linprog([0, 0, -1], A_ub=np.array(A), b_ub=np.array(b),
                  bounds=[(None, None), (None, None), (0, tmax)], method="highs")
    if res.status != 0:
        return P.mean(axis=0), 0.0
    return res.x[:2], float(res.x[2])


# =====================================================================================
# panel 1: the data
# =====================================================================================
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


def plot_points(X, ax=None, *, Z=None, chamber=None, w=None, colors=None, limits=None, title=True):
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
    Xe, Xf, Z = _zonotope_of(X, Z, func)
    _check_dim(Xf, func)
    ax = _new_ax(ax, (4.5, 4.5))
    N, d = Xf.shape
    C = _colors_for(Z, colors)
    k = _chamber_index(Z, chamber, func)
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
        _draw_halfplane(ax, w, xlim, ylim, d, _light(C[k], 0.45))
    if d == 1:
        ax.axhline(0.0, color="0.6", lw=0.8, zorder=0)
    ax.scatter(P[~active, 0], P[~active, 1], s=70, facecolor="white", edgecolor=_INK, lw=1.4,
               zorder=3, label="inactive")
    if active.any():
        ax.scatter(P[active, 0], P[active, 1], s=70, facecolor=_HIGHLIGHT, edgecolor=_INK, lw=1.0,
                   zorder=3, label="active")
    off = _offsets_outward(Xf)
    for i, group in _coincident_groups(Xf):
        ax.annotate(",".join(map(str, group)), P[i], xytext=11 * off[i], textcoords="offset points",
                    ha="center", va="center", fontsize=11, color=_INK, zorder=4)
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


def _coincident_groups(Xf):
    """[(first index, [indices of equal rows])] in order of first occurrence."""
    seen = {}
    for i, row in enumerate(map(tuple, Xf)):
        seen.setdefault(row, []).append(i)
    return [(g[0], g) for g in seen.values()]


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
    poly = _clip_halfplane(box, a, b)
    if len(poly) >= 3:
        ax.add_patch(Polygon(np.array(poly), closed=True, facecolor=color, edgecolor="none", zorder=0))
    if np.hypot(*a) > 1e-15:
        # boundary line a . x + b = 0
        t = np.linspace(-1, 1, 2) * 10 * max(x1 - x0, y1 - y0)
        p0 = -b * a / (a @ a)
        dvec = np.array([-a[1], a[0]]) / np.hypot(*a)
        L = p0[None] + t[:, None] * dvec[None]
        ax.plot(L[:, 0], L[:, 1], color=_INK, lw=1.0, ls=(0, (4, 2)), zorder=1)


# =====================================================================================
# panel 2: the arrangement in parameter space
# =====================================================================================
def _slice_box(Xf, side):
    """A box on the slice ``w_3 = side`` holding every vertex of the line arrangement."""
    pts = [np.zeros(2)]
    N = Xf.shape[0]
    for i in range(N):
        a = Xf[i]
        na = a @ a
        if na > 0:
            pts.append(-side * a / na)           # foot of the perpendicular from 0
        for j in range(i + 1, N):
            M = np.array([Xf[i], Xf[j]])
            det = np.linalg.det(M)
            if abs(det) > 1e-9 * (np.linalg.norm(Xf[i]) * np.linalg.norm(Xf[j]) + 1e-300):
                pts.append(np.linalg.solve(M, [-side, -side]))
    P = np.array(pts)
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = hi - lo
    big = max(float(span.max()), 1e-6)
    span = np.maximum(span, 0.55 * big)       # avoid very flat boxes
    mid = (lo + hi) / 2
    half = span / 2 + 0.14 * big
    return (mid[0] - half[0], mid[0] + half[0]), (mid[1] - half[1], mid[1] + half[1])


def _slice_polygons(Xf, S, side, box):
    """Clipped polygon (ccw, (m, 2)) of each chamber on ``w_3 = side``, or None."""
    (x0, x1), (y0, y1) = box
    base = [np.array(p, float) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    area_box = (x1 - x0) * (y1 - y0)
    out = []
    for s in S:
        poly = base
        for i, si in enumerate(s):
            poly = _clip_halfplane(poly, si * Xf[i], si * side)
            if len(poly) < 3:
                break
        if len(poly) >= 3:
            P = np.array(poly)
            if _polygon_area(P) > 1e-10 * area_box:
                out.append(P)
                continue
        out.append(None)
    return out


def _polygon_bounded(P, box, tol=1e-9):
    (x0, x1), (y0, y1) = box
    s = max(x1 - x0, y1 - y0) * tol
    return bool((P[:, 0] > x0 + s).all() and (P[:, 0] < x1 - s).all()
                and (P[:, 1] > y0 + s).all() and (P[:, 1] < y1 - s).all())


def _sector_data(Xf, S_index_fn):
    """1-D data: the angular sectors of the central line arrangement in R^2."""
    N = Xf.shape[0]
    ang = []
    for i in range(N):
        t = np.arctan2(-Xf[i, 0], 1.0)     # direction (1, -x_i) of w1 x_i + w2 = 0
        ang += [t % (2 * np.pi), (t + np.pi) % (2 * np.pi)]
    ang = np.unique(np.round(np.array(ang), 13))
    sectors = []
    for j in range(len(ang)):
        a0 = ang[j]
        a1 = ang[(j + 1) % len(ang)] + (2 * np.pi if j == len(ang) - 1 else 0.0)
        if len(ang) == 1:
            a1 = a0 + 2 * np.pi
        m = (a0 + a1) / 2
        k = S_index_fn(np.array([np.cos(m), np.sin(m)]))
        if k is not None:
            sectors.append((k, a0, a1))
    return sectors


def _index_of_w(Z, w):
    """Chamber index of weight vector ``w`` (None on a hyperplane)."""
    from .exceptions import EmptyChamberError

    s = Z.arrangement.sign_vectors(np.asarray(w, dtype=float)[None])[0]
    if (s == 0).any():
        return None
    try:
        return int(Z.chambers.index(s))
    except EmptyChamberError:  # pragma: no cover - cannot happen for an exact arrangement
        return None


def _lambert(W):
    """Lambert azimuthal equal-area projection of directions (rows of W) from the north pole.

    The sphere maps onto the unit disk: the north pole ``(0, 0, 1)`` to the centre, the
    equator ``w_3 = 0`` to the circle of radius ``1/sqrt(2)``, the south pole to the rim.
    """
    W = np.asarray(W, float)
    W = W / np.linalg.norm(W, axis=-1, keepdims=True)
    return W[..., :2] / np.sqrt(np.maximum(2.0 * (1.0 + W[..., 2:3]), 1e-300))


def _lambert_inverse(p):
    """Direction ``w`` (unit) projected to the point ``p`` of the unit disk, or None."""
    p = np.asarray(p, float)
    r2 = float(p @ p)
    if r2 >= 1.0:
        return None
    w3 = 1.0 - 2.0 * r2
    return np.array([*(p * np.sqrt(2.0 * (1.0 + w3))), w3])


def _sphere_pieces(P, side, step=0.02):
    """Project a slice polygon (vertices on ``w_3 = side``) to the disk, arcs sampled."""
    W = np.c_[P, np.full(len(P), float(side))]
    W = W / np.linalg.norm(W, axis=1, keepdims=True)
    out = []
    for a, b in zip(W, np.roll(W, -1, axis=0)):
        ang = float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
        n = max(int(np.ceil(ang / step)), 1)
        if ang < 1e-12:
            out.append(a[None])
            continue
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        out.append((np.sin((1 - t) * ang) * a + np.sin(t * ang) * b) / np.sin(ang))
    Q = _lambert(np.vstack(out))
    if _polygon_area(Q) < 0:
        Q = Q[::-1]
    return Q


def _cone_polygons(Xb, S, interior):
    """Extreme rays of each chamber cone of a rank-3 central arrangement, in cyclic order.

    Returns a list of (m_k, 3) unit vectors, or None when a cone is not pointed.
    """
    N = len(Xb)
    cand = []
    for i in range(N):
        for j in range(i + 1, N):
            r = np.cross(Xb[i], Xb[j])
            n = np.linalg.norm(r)
            if n > 1e-12 * np.linalg.norm(Xb[i]) * np.linalg.norm(Xb[j]):
                cand += [r / n, -r / n]
    if not cand:
        return None
    cand = np.array(cand)
    Xn = Xb / np.linalg.norm(Xb, axis=1, keepdims=True)
    D = cand @ Xn.T                                  # (n_cand, N)
    out = []
    for s, c in zip(S, np.asarray(interior, float)):
        ok = (D * s[None, :] >= -1e-9).all(axis=1)
        R = cand[ok]
        if len(R) < 3:
            return None
        keep = [R[0]]
        for r in R[1:]:
            if min(np.linalg.norm(r - q) for q in keep) > 1e-9:
                keep.append(r)
        R = np.array(keep)
        c = c / np.linalg.norm(c)
        a = R[0] - (R[0] @ c) * c
        a /= np.linalg.norm(a)
        b = np.cross(c, a)
        out.append(R[np.argsort(np.arctan2(R @ b, R @ a))])
    return out


def _arc_polygon(R, step=0.02):
    """Lambert projection of the spherical polygon with vertices R (great-circle arcs)."""
    out = []
    for a, b in zip(R, np.roll(R, -1, axis=0)):
        ang = float(np.arccos(np.clip(a @ b, -1.0, 1.0)))
        n = max(int(np.ceil(ang / step)), 1)
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        out.append((np.sin((1 - t) * ang) * a + np.sin(t * ang) * b) / np.sin(ang) if ang > 1e-12
                   else a[None])
    Q = _lambert(np.vstack(out))
    if _polygon_area(Q) < 0:
        Q = Q[::-1]
    return Q


class _ArrangementLayout:
    """Everything needed to draw (and hit-test) the parameter-space picture.

    ``mode``: "slice" (2-D data, the slice ``w_3 = side``), "sphere" (2-D data, the
    whole sphere of directions in Lambert projection) or "plane" (1-D data).
    """

    def __init__(self, Xf, Z, side=1, box=None, sphere=False):
        self.Xf, self.Z, self.side = Xf, Z, side
        self.d = Xf.shape[1]
        if self.d == 2 and sphere:
            self.mode = "sphere"
            S = Z.chambers.sign_vectors
            self.south = int(Z.chambers.index(-np.ones(S.shape[1], dtype=np.int8)))
            self.regions = {}
            self.south_curve = None
            rays = _cone_polygons(np.c_[Xf, np.ones(len(Xf))], S, Z.chambers.interior_points) \
                if Z.arrangement.rank == 3 else None
            if rays is not None:
                for k, R in enumerate(rays):
                    Q = _arc_polygon(R)
                    if k == self.south:
                        self.south_curve = Q
                    else:
                        self.regions[k] = [Q]
            else:      # a line of lineality (collinear data): stitch the two slices
                (x0, x1), (y0, y1) = _slice_box(Xf, 1)
                big = 1e4 * max(abs(x0), abs(x1), abs(y0), abs(y1), 1.0)
                for sd in (1, -1):
                    for k, P in enumerate(_slice_polygons(Xf, S, sd, ((-big, big), (-big, big)))):
                        if P is not None and k != self.south:
                            self.regions.setdefault(k, []).append(_sphere_pieces(P, sd))
            self.box = ((-1.04, 1.04), (-1.04, 1.04))
        elif self.d == 2:
            self.mode = "slice"
            self.box = box if box is not None else _slice_box(Xf, side)
            self.polys = _slice_polygons(Xf, Z.chambers.sign_vectors, side, self.box)
        else:
            self.mode = "plane"
            self.box = ((-1.3, 1.3), (-1.3, 1.3))
            self.sectors = _sector_data(Xf, lambda w: _index_of_w(Z, w))

    def visible(self):
        if self.mode == "slice":
            return [k for k, P in enumerate(self.polys) if P is not None]
        if self.mode == "sphere":
            return sorted(set(self.regions) | {self.south})
        return sorted({k for k, _, _ in self.sectors})

    def label_polygon(self, k):
        """The (convex or nearly convex, ccw) polygon in which chamber k's label goes."""
        if self.mode == "slice":
            return self.polys[k]
        if self.mode == "sphere":
            pieces = self.regions.get(k)
            if not pieces:
                return None
            return max(pieces, key=_polygon_area)
        return None

    def w_at(self, x, y):
        """The weight vector drawn at panel coordinates (x, y), or None outside the picture."""
        if self.mode == "slice":
            return np.array([x, y, self.side], float)
        if self.mode == "sphere":
            return _lambert_inverse((x, y))
        if x * x + y * y > 1.0:
            return None
        return np.array([x, y], float)

    def representative_w(self, k):
        """A weight vector in chamber k, central in its visible part when possible."""
        if self.mode == "plane":
            for kk, a0, a1 in self.sectors:
                if kk == k:
                    m = (a0 + a1) / 2
                    return np.array([np.cos(m), np.sin(m)])
        if self.mode == "sphere" and k == self.south:
            return np.array([0.0, 0.0, -1.0])
        P = self.label_polygon(k)
        if P is not None:
            c, t = _fit_label(P, 1e-9, 1e-9)
            w = self.w_at(*c) if t > 0 else None
            if w is not None and _index_of_w(self.Z, w) == k:
                return w
        return np.asarray(self.Z.chambers.interior_points[k], float)


def plot_arrangement(X, ax=None, *, Z=None, side=1, view="slice", chamber=None, neighbors=True,
                     emphasize=(), labels=True, box=None, colors=None, title=True, fontsize=8.5):
    """Panel 2 of Figure 1: the data arrangement in parameter space, chambers coloured.

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

    Parameters
    ----------
    X : array_like, shape (n_samples, 1 or 2)
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
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    func = "plot_arrangement"
    Xe, Xf, Z = _zonotope_of(X, Z, func)
    _check_dim(Xf, func)
    if side not in (1, -1):
        raise ValidationError(f"`side` of `{func}` must be 1 or -1; got {side!r} instead.")
    if view not in ("slice", "sphere"):
        raise ValidationError(f"`view` of `{func}` must be 'slice' or 'sphere'; got {view!r} instead.")
    ax = _new_ax(ax, (5.0, 5.0))
    lay = _ArrangementLayout(Xf, Z, side, box, sphere=(view == "sphere"))
    _draw_arrangement(ax, lay, _colors_for(Z, colors), _chamber_index(Z, chamber, func), neighbors,
                      emphasize, labels, title, fontsize)
    return ax


def _draw_arrangement(ax, lay, C, k_sel, neighbors, emphasize, labels, title, fontsize):
    from matplotlib.patches import Polygon, Wedge

    lay.colors = C

    Xf, Z = lay.Xf, lay.Z
    N = Xf.shape[0]
    (x0, x1), (y0, y1) = lay.box
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    nbrs = set(Z.neighbors(k_sel)) if (k_sel is not None and neighbors) else set()
    emph = {int(e) for e in emphasize}
    patches = {}
    if lay.mode == "sphere":
        from matplotlib.patches import Circle

        ks = lay.south
        ax.add_patch(Circle((0, 0), 1.0, facecolor=_light(C[ks]), edgecolor="none", zorder=0,
                            gid=f"chamber-{ks}"))
        t = np.linspace(0, 2 * np.pi, 361)
        rim = np.c_[np.cos(t), np.sin(t)]
        for k, pieces in lay.regions.items():
            patches[k] = pieces
            for P in pieces:
                ax.add_patch(Polygon(P, closed=True, facecolor=_light(C[k]), edgecolor=_light(C[k]),
                                     lw=0.6, zorder=0, gid=f"chamber-{k}"))
        patches[ks] = [lay.south_curve] if lay.south_curve is not None else [rim]
        # the great circles H_i and the equator w_3 = 0
        ax.plot(*(rim / np.sqrt(2)).T, color="0.45", lw=0.8, ls=(0, (1, 2)), zorder=2)
        for i, group in _coincident_groups(Xf):
            xb = np.r_[Xf[i], 1.0]
            B = np.linalg.svd(xb[None])[2][1:]        # orthonormal basis of the plane w . xb = 0
            circ = _lambert(np.cos(t)[:, None] * B[0] + np.sin(t)[:, None] * B[1])
            ax.plot(circ[:, 0], circ[:, 1], color=_INK, lw=1.1, zorder=2)
            if labels:
                j = int(np.argmax(np.hypot(*circ.T)))
                p = circ[j] / np.hypot(*circ[j])
                ax.annotate(f"$H_{{{','.join(map(str, group))}}}$", circ[j], xytext=13 * p,
                            textcoords="offset points", ha="center", va="center", fontsize=10,
                            zorder=7, annotation_clip=False)
        ax.add_patch(_circle(1.0))
        ax.plot(0, 0, marker="+", color="0.3", ms=7, zorder=5)
        lay.title_pad = 18
        ax.set_xticks([])
        ax.set_yticks([])
        for sp in ax.spines.values():
            sp.set_visible(False)
    elif lay.d == 2:
        for k, P in enumerate(lay.polys):
            if P is None:
                continue
            patches[k] = [P]
            ax.add_patch(Polygon(P, closed=True, facecolor=_light(C[k]), edgecolor="none", zorder=0,
                                 gid=f"chamber-{k}"))
        # the lines H_i
        for i in range(N):
            a = Xf[i]
            if a @ a == 0:
                continue
            seg = _clip_line(a, lay.side, lay.box)
            if seg is None:
                continue
            ax.plot(seg[:, 0], seg[:, 1], color=_INK, lw=1.1, zorder=2)
        if labels:
            _label_lines(ax, Xf, lay)
    else:
        R = 1.0
        for k, a0, a1 in lay.sectors:
            ax.add_patch(Wedge((0, 0), R, np.degrees(a0), np.degrees(a1), facecolor=_light(C[k]),
                               edgecolor="none", zorder=0, gid=f"chamber-{k}"))
            t = np.linspace(a0, a1, 40)
            P = np.vstack([[0, 0], np.c_[R * np.cos(t), R * np.sin(t)]])
            patches.setdefault(k, []).append(P)
        for i, group in _coincident_groups(Xf):
            dvec = np.array([1.0, -Xf[i, 0]]) / np.hypot(1.0, Xf[i, 0])
            ax.plot([-R * dvec[0], R * dvec[0]], [-R * dvec[1], R * dvec[1]], color=_INK, lw=1.1, zorder=2)
            if labels:
                e = dvec if (dvec[1] > 1e-12 or (abs(dvec[1]) <= 1e-12 and dvec[0] > 0)) else -dvec
                ax.text(*(1.13 * e), f"$H_{{{','.join(map(str, group))}}}$", ha="center", va="center",
                        fontsize=10, zorder=5)
        ax.add_patch(_circle(R))
    # outlines: selection, neighbours, emphasised
    for k, polys in patches.items():
        for P in polys:
            if k == k_sel:
                ax.add_patch(Polygon(P, closed=True, fill=False, edgecolor="black", lw=2.6, zorder=4))
            elif k in nbrs:
                ax.add_patch(Polygon(P, closed=True, fill=False, edgecolor="black", lw=1.4,
                                     ls=(0, (3, 2)), zorder=3))
            if k in emph:
                ax.add_patch(Polygon(P, closed=True, fill=False, edgecolor="0.15", hatch="////",
                                     lw=1.2, zorder=3.5))
    arts = _label_chambers(ax, lay, k_sel, fontsize) if labels else []
    if lay.mode == "sphere":
        ax.text(0.5, -0.02, "directions $w/|w|$, equal-area projection: centre $w=(0,0,1)$, "
                "dotted circle $w_3=0$, rim $w=(0,0,-1)$", transform=ax.transAxes, ha="center",
                va="top", fontsize=8.5, color="0.3")
    elif lay.d == 2:
        ax.set_xlabel(r"$w_1$")
        ax.set_ylabel(r"$w_2$")
    else:
        for v, name in (((1.0, 0.0), "$w_1$ (weight)"), ((0.0, 1.0), "$w_2$ (bias)")):
            ax.annotate("", xy=(1.38 * v[0], 1.38 * v[1]), xytext=(0, 0), zorder=-1,
                        arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8))
            ax.text(1.42 * v[0], 1.42 * v[1] + (0.02 if v[1] else -0.09), name, fontsize=9,
                    color="0.3", ha="center" if v[1] else "right", va="bottom" if v[1] else "top")
        ax.set_xlim(-1.4, 1.45)
        ax.set_ylim(-1.3, 1.7)
        ax.set_xticks([])
        ax.set_yticks([])
        for sp in ax.spines.values():
            sp.set_visible(False)
    if title:
        if title is True:
            if lay.mode == "sphere":
                title = f"parameter space: all directions $w\\in\\mathbb{{R}}^3$\n{Z.n_vertices} chambers"
            elif lay.d == 2:
                sgn = "+1" if lay.side > 0 else "\u22121"
                title = (f"parameter space, slice $w_3={sgn}$\n"
                         f"{len(patches)} of {Z.n_vertices} chambers meet it")
            else:
                title = f"parameter space $\\mathbb{{R}}^2$: {Z.n_vertices} chambers"
        ax.set_title(title, fontsize=11, pad=getattr(lay, "title_pad", 6))
    return arts


def _label_chambers(ax, lay, k_sel, fontsize, min_inside=6.5):
    """Label every visible chamber with its pattern: inside when it fits, else a callout.

    Callouts are stacked in the right margin of the axes, each in its chamber's
    colour, with a leader line to the chamber.  Returns the artists (so a caller
    can remove and redo them after the layout changed).
    """
    pats = lay.Z.coefficients
    arts = []
    if lay.d == 1:
        for k in lay.visible():
            arts.append(_label_sector(ax, lay, k, pattern_label(pats[k]), fontsize, bold=(k == k_sel)))
        return arts
    sx, sy = _pt_per_data(ax)
    callouts = []
    for k in lay.visible():
        text = pattern_label(pats[k])
        P = lay.label_polygon(k)
        if P is None:          # the chamber around the south pole: just inside the rim
            ang = -np.pi / 4
            callouts.append((k, 0.985 * np.array([np.cos(ang), np.sin(ang)]), text))
            continue
        w, h = 0.62 * fontsize * len(text) * sx + 2 * sx, 1.25 * fontsize * sy
        c, t = _fit_label(P, w, h)
        fs = fontsize * min(1.0, t)
        if fs >= min_inside:
            arts.append(ax.text(c[0], c[1], text, ha="center", va="center", fontsize=fs,
                                family="monospace", color=_INK, zorder=6,
                                fontweight="bold" if k == k_sel else "normal"))
        else:
            c0, _ = _fit_label(P, 1e-9 * sx, 1e-9 * sy)      # Chebyshev-like centre
            callouts.append((k, c0, text))
    if not callouts:
        return arts
    if lay.mode == "sphere":
        left = [c for c in callouts if c[1][0] < 0]
        right = [c for c in callouts if c[1][0] >= 0]
        arts += _stack_callouts(ax, lay, left, fontsize, k_sel, "left")
        arts += _stack_callouts(ax, lay, right, fontsize, k_sel, "right")
    else:
        arts += _stack_callouts(ax, lay, callouts, fontsize, k_sel, "right")
    return arts


def _stack_callouts(ax, lay, callouts, fontsize, k_sel, where):
    """Callout labels in a column beside the axes, in the vertical order of their targets."""
    arts = []
    if not callouts:
        return arts
    C = lay.colors
    (x0, x1), (y0, y1) = lay.box
    fs = fontsize
    bbox = ax.get_position()
    h_pts = bbox.height * ax.figure.get_figheight() * 72
    gap = 1.65 * fs / h_pts
    if gap * len(callouts) > 1.0:
        fs = max(5.0, fs / (gap * len(callouts)))
        gap = 1.65 * fs / h_pts
    callouts.sort(key=lambda t: t[1][1])
    ys = [(c[1] - y0) / (y1 - y0) for _, c, _ in callouts]
    # spread: keep order, enforce the gap, stay within [gap/2, 1 - gap/2]
    pos = []
    for y in ys:
        y = max(y, gap / 2, (pos[-1] + gap) if pos else -np.inf)
        pos.append(y)
    over = pos[-1] - (1 - gap / 2)
    if over > 0:
        pos = [p - over for p in pos]
        for j in range(len(pos) - 2, -1, -1):
            pos[j] = min(pos[j], pos[j + 1] - gap)
    xcol = 1.03
    if "right" in getattr(lay, "line_label_edges", ()):
        xcol += 26 / (bbox.width * ax.figure.get_figwidth() * 72)
    if where == "left":
        xcol = -0.03
    for (k, c, text), y in zip(callouts, pos):
        arts += ax.plot(*c, marker="o", ms=2.5, color=_INK, zorder=6)
        arts.append(ax.annotate(
            text, xy=c, xytext=(xcol, y), textcoords="axes fraction", va="center",
            ha="left" if where == "right" else "right",
            fontsize=fs, family="monospace", color=_INK, zorder=8, annotation_clip=False,
            fontweight="bold" if k == k_sel else "normal",
            bbox=dict(boxstyle="round,pad=0.2", fc=_light(C[k]), ec=C[k][:3], lw=0.8),
            arrowprops=dict(arrowstyle="-", color="0.3", lw=0.6, shrinkA=0, shrinkB=1.5)))
    return arts


def _circle(R):
    from matplotlib.patches import Circle

    return Circle((0, 0), R, fill=False, edgecolor="0.5", lw=0.8, zorder=2)


def _clip_line(a, side, box):
    """Segment of the line ``a . u = -side`` inside the box, or None."""
    (x0, x1), (y0, y1) = box
    na = a @ a
    p0 = -side * a / na
    dvec = np.array([-a[1], a[0]]) / np.sqrt(na)
    tmin, tmax = -np.inf, np.inf
    for k, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if abs(dvec[k]) < 1e-15:
            if not lo <= p0[k] <= hi:
                return None
            continue
        ta, tb = (lo - p0[k]) / dvec[k], (hi - p0[k]) / dvec[k]
        tmin, tmax = max(tmin, min(ta, tb)), min(tmax, max(ta, tb))
    if tmin >= tmax:
        return None
    return np.array([p0 + tmin * dvec, p0 + tmax * dvec])


def _label_lines(ax, Xf, lay):
    """Label each line H_i just outside the box where it leaves it (top, left, bottom first)."""
    (x0, x1), (y0, y1) = lay.box
    sx, sy = _pt_per_data(ax)
    tol = 1e-9 * max(x1 - x0, y1 - y0)
    pref = {"top": 0, "bottom": 1, "right": 2, "left": 3}
    cands = []
    for i, group in _coincident_groups(Xf):
        a = Xf[i]
        if a @ a == 0:
            continue
        seg = _clip_line(a, lay.side, lay.box)
        if seg is None:
            continue
        ends = []
        for p in seg:
            edge = ("top" if abs(p[1] - y1) <= tol else "bottom" if abs(p[1] - y0) <= tol else
                    "left" if abs(p[0] - x0) <= tol else "right")
            ends.append((pref[edge], edge, p))
        ends.sort(key=lambda t: t[0])
        cands.append((",".join(map(str, group)), ends))
    placed = {"top": [], "left": [], "bottom": [], "right": []}
    for i, ends in cands:
        # the preferred end unless a label already sits within 16 pt there
        for _, edge, p in ends:
            along = p[0] / sx if edge in ("top", "bottom") else p[1] / sy
            if all(abs(along - q) > 16 for q in placed[edge]):
                break
        else:
            _, edge, p = ends[0]
            along = p[0] / sx if edge in ("top", "bottom") else p[1] / sy
        placed[edge].append(along)
        off = {"top": (0, 9), "left": (-30, 0), "bottom": (0, -23), "right": (11, 0)}[edge]
        ax.annotate(f"$H_{{{i}}}$", p, xytext=off, textcoords="offset points", ha="center",
                    va="center", fontsize=10, zorder=7, annotation_clip=False)
    lay.line_label_edges = {e for e, v in placed.items() if v}
    lay.title_pad = 20 if placed["top"] else 6
    if placed["bottom"]:
        ax.xaxis.labelpad = 16


def _label_sector(ax, lay, k, text, fontsize, bold=False):
    """Radial label of a sector (1-D data), as large as the sector allows."""
    for kk, a0, a1 in lay.sectors:
        if kk != k:
            continue
        m = (a0 + a1) / 2
        r = 0.62
        sx, _ = _pt_per_data(ax)
        width_pts = r * (a1 - a0) / sx            # chord available at radius r, in points
        fs = min(fontsize, 0.8 * width_pts)
        length_pts = 0.62 * fs * len(text)
        if length_pts * sx > 0.7:
            fs *= 0.7 / (length_pts * sx)
        fs = max(fs, 5.0)
        deg = np.degrees(m) % 360
        rot = deg - 180 if 90 < deg <= 270 else deg
        return ax.text(r * np.cos(m), r * np.sin(m), text, rotation=rot, rotation_mode="anchor",
                       ha="center", va="center", fontsize=fs, family="monospace", color=_INK,
                       zorder=6, fontweight="bold" if bold else "normal")


# =====================================================================================
# panel 3: the zonotope
# =====================================================================================
def _view_basis(elev, azim):
    el, az = np.radians(elev), np.radians(azim)
    e = np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])   # towards viewer
    r = np.array([-np.sin(az), np.cos(az), 0.0])
    u = np.cross(e, r)
    return e, r, u


def _auto_view(V, elev0=22.0, azim0=-58.0):
    """A viewing direction that keeps projected vertices apart (near the default one)."""
    V = np.asarray(V, float)
    if V.ndim != 2 or V.shape[1] != 3 or not 2 <= len(V) <= 250:
        return elev0, azim0
    Vc = V - V.mean(axis=0)
    span = float(np.linalg.norm(Vc, axis=1).max()) or 1.0
    iu = np.triu_indices(len(V), 1)
    best = None
    for elev in np.arange(10.0, 51.0, 4.0):
        for azim in np.arange(-180.0, 180.0, 6.0):
            _, r, u = _view_basis(elev, azim)
            P = Vc @ np.stack([r, u], axis=1)
            D = np.linalg.norm(P[:, None] - P[None], axis=2)[iu]
            dang = abs(elev - elev0) + abs((azim - azim0 + 180.0) % 360.0 - 180.0)
            score = float(D.min()) / span - 2e-4 * dang
            if best is None or score > best[0]:
                best = (score, float(elev), float(azim))
    return best[1], best[2]


def _order_polygon(V, idx, normal):
    """Order vertices ``V[idx]`` of a planar convex polygon counter-clockwise about ``normal``."""
    P = V[idx]
    c = P.mean(axis=0)
    a = P[0] - c
    if np.linalg.norm(a) < 1e-300:
        return np.asarray(idx)
    a = a / np.linalg.norm(a)
    b = np.cross(normal, a)
    ang = np.arctan2((P - c) @ b, (P - c) @ a)
    return np.asarray(idx)[np.argsort(ang)]


def _facets3d(V):
    """Facets of a 3-D polytope given by its vertices: [(outward normal, vertex indices ccw)].

    Returns ``None`` if the vertices are not full-dimensional.
    """
    from scipy.spatial import ConvexHull, QhullError

    scale = max(1.0, float(np.abs(V).max()))
    try:
        hull = ConvexHull(V)
    except (QhullError, ValueError):
        return None
    facets = []
    for eq in hull.equations:
        n, h = eq[:3], -eq[3]
        if any(np.abs(n - f[0]).max() < 1e-7 and abs(h - f[2]) < 1e-7 * scale for f in facets):
            continue
        idx = np.nonzero(np.abs(V @ n - h) <= 1e-8 * scale)[0]
        facets.append((n, _order_polygon(V, idx, n), h))
    return [(n, idx) for n, idx, _ in facets]


def _flat_polygon(V):
    """A planar (rank <= 2) vertex set: its outline order and normal, or None if rank < 2."""
    c = V.mean(axis=0)
    U, s, Wt = np.linalg.svd(V - c)
    if len(s) < 2 or s[1] <= 1e-9 * max(s[0], 1e-300):
        return None
    n = Wt[2] if Wt.shape[0] > 2 else np.array([0, 0, 1.0])
    Q = (V - c) @ Wt[:2].T
    ang = np.arctan2(Q[:, 1], Q[:, 0])
    return n, np.argsort(ang)


class _ZonotopeLayout:
    """Projected coordinates and visibility of a zonotope of dimension 2 or 3."""

    def __init__(self, Z, elev=None, azim=None):
        self.Z = Z
        self.V = np.asarray(Z.vertices, float)
        if Z.dim == 3 and (elev is None or azim is None):
            e0, a0 = _auto_view(self.V)
            elev = e0 if elev is None else elev
            azim = a0 if azim is None else azim
        self.elev, self.azim = elev, azim
        self.G = np.asarray(Z.generators, float)
        self.c = np.asarray(Z.center, float)
        self.edges = np.asarray(Z.edges, dtype=np.intp).reshape(-1, 2)
        K = len(self.V)
        if Z.dim == 2:
            self.P2 = self.V.copy()
            self.proj = lambda p: np.asarray(p, float)
            self.front_v = np.ones(K, bool)
            self.front_e = np.ones(len(self.edges), bool)
            ang = np.arctan2(*(self.V - self.V.mean(axis=0)).T[::-1])
            self.faces = [np.argsort(ang)] if K >= 3 else []
            self.depth = np.zeros(K)
            self.axes = None
            return
        e, r, u = _view_basis(elev, azim)
        self.e = e
        B = np.stack([r, u], axis=1)
        self.proj = lambda p: np.asarray(p, float) @ B
        self.P2 = self.V @ B
        self.depth = self.V @ e
        self.axes = np.eye(3) @ B
        facets = _facets3d(self.V) if K >= 4 else None
        if facets is None:
            fl = _flat_polygon(self.V) if K >= 3 else None
            self.faces = [fl[1]] if fl is not None else []
            self.front_v = np.ones(K, bool)
            self.front_e = np.ones(len(self.edges), bool)
            return
        front = [idx for n, idx in facets if n @ e > 1e-12]
        self.faces = front
        fv = np.zeros(K, bool)
        for idx in front:
            fv[idx] = True
        self.front_v = fv
        fe = np.zeros(len(self.edges), bool)
        sets = [set(int(i) for i in idx) for idx in front]
        for j, (a, b) in enumerate(self.edges):
            fe[j] = any(a in s_ and b in s_ for s_ in sets)
        self.front_e = fe

    def nearest_vertex(self, p2, max_dist):
        """Index of the projected vertex nearest ``p2`` (front ones first), or None."""
        d = np.linalg.norm(self.P2 - np.asarray(p2, float)[None], axis=1)
        d = d - 1e-6 * self.depth       # prefer the one closer to the viewer
        k = int(np.argmin(d))
        return k if d[k] <= max_dist else None


def plot_zonotope(Z, ax=None, *, chamber=None, neighbors=True, emphasize=(), colors=None,
                  elev=None, azim=None, labels=None, generators=True, axes_triad=True,
                  title=True):
    """Panel 3 of Figure 1: a zonotope of dimension 2 or 3 with vertices in chamber colours.

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
    'zonotope $Z\\\\subset\\\\mathbb{R}^3$: 22 vertices, 40 edges'
    >>> ax = plot_zonotope(Zonotope([[1, 0], [0, 1], [1, 1]]), labels="index")  # a hexagon
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .zonotope import Zonotope

    func = "plot_zonotope"
    if not isinstance(Z, Zonotope):
        _, Xf = _float_points(Z, func)
        _check_dim(Xf, func)
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead "
                              "(plot_skeleton draws any dimension).")
    ax = _new_ax(ax, (5.0, 5.0))
    lay = _ZonotopeLayout(Z, elev, azim)
    _draw_zonotope(ax, lay, _colors_for(Z, colors), _chamber_index(Z, chamber, func), neighbors,
                   emphasize, labels, generators, axes_triad, title)
    return ax


def _draw_zonotope(ax, lay, C, k_sel, neighbors, emphasize, labels, generators, axes_triad, title):
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    Z = lay.Z
    P2 = lay.P2
    K = len(P2)
    for idx in lay.faces:
        if len(idx) >= 3:
            ax.add_patch(Polygon(P2[idx], closed=True, facecolor=_FACE, alpha=0.55,
                                 edgecolor="none", zorder=2))
    segs = P2[lay.edges] if len(lay.edges) else np.zeros((0, 2, 2))
    if (~lay.front_e).any():
        ax.add_collection(LineCollection(segs[~lay.front_e], colors="0.55", lw=0.9,
                                         linestyles=(0, (3, 2.5)), zorder=1))
    ax.add_collection(LineCollection(segs[lay.front_e], colors="0.2", lw=1.3, zorder=3))
    fv = lay.front_v
    if (~fv).any():
        ax.scatter(P2[~fv, 0], P2[~fv, 1], s=42, c=C[:K][~fv, :3], edgecolors="0.3", linewidths=0.6,
                   alpha=0.55, zorder=1.5, gid="vertices-hidden")
    ax.scatter(P2[fv, 0], P2[fv, 1], s=62, c=C[:K][fv, :3], edgecolors="black", linewidths=0.7,
               zorder=4, gid="vertices")
    span = float(np.ptp(P2, axis=0).max()) if K > 1 else 1.0
    span = max(span, 1e-9)
    nbrs = Z.neighbors(k_sel) if (k_sel is not None and neighbors and K > 1) else []
    for j in nbrs:
        ax.scatter(*P2[j], s=170, facecolors="none", edgecolors="black", linewidths=1.3,
                   linestyle=(0, (2, 1.5)), zorder=4.5)
    for j in emphasize:
        ax.scatter(*P2[int(j)], s=260, marker="*", c=[C[int(j)][:3]], edgecolors="black",
                   linewidths=0.8, zorder=5.5)
    if k_sel is not None:
        if generators:
            _draw_generator_path(ax, lay, k_sel, span)
        ax.scatter(*P2[k_sel], s=230, c=[C[k_sel][:3]], edgecolors="black", linewidths=2.4, zorder=6)
        cen = P2.mean(axis=0)
        d = P2[k_sel] - cen
        d = d / (np.linalg.norm(d) + 1e-300)
        ax.annotate(pattern_label(Z.coefficients[k_sel]), P2[k_sel], xytext=18 * d,
                    textcoords="offset points", ha="center", va="center", fontsize=10,
                    family="monospace", fontweight="bold", zorder=8, annotation_clip=False,
                    bbox=dict(boxstyle="round,pad=0.2", fc=_light(C[k_sel], 0.5), ec="black", lw=0.8))
    if labels:
        cen = P2.mean(axis=0)
        for k in range(K):
            if not fv[k] or k == k_sel:
                continue
            txt = str(k) if labels == "index" else pattern_label(Z.coefficients[k], "signs" if
                                                                 labels == "signs" else "pattern")
            d = P2[k] - cen
            d = d / (np.linalg.norm(d) + 1e-300)
            ax.annotate(txt, P2[k], xytext=11 * d, textcoords="offset points", ha="center",
                        va="center", fontsize=8.5, family="monospace", color=_INK, zorder=7)
    lo, hi = P2.min(axis=0), P2.max(axis=0)
    pad = (0.1 if lay.axes is not None else 0.16) * span
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad - (0.12 * span if (axes_triad and lay.axes is not None) else 0), hi[1] + pad)
    ax.set_aspect("equal")
    if lay.axes is not None:
        ax.set_xticks([])
        ax.set_yticks([])
        for sp in ax.spines.values():
            sp.set_visible(False)
        if axes_triad:
            _draw_triad(ax, lay.axes)
    else:
        ax.set_xlabel(r"$z_1$")
        ax.set_ylabel(r"$z_2$")
    if title:
        if title is True:
            title = (f"zonotope $Z\\subset\\mathbb{{R}}^{Z.dim}$: {Z.n_vertices} vertices, "
                     f"{len(lay.edges)} edges")
            if k_sel is not None and generators:
                act = np.nonzero(Z.coefficients[k_sel])[0]
                title += "\nred: vertex = " + (" + ".join(f"$\\bar x_{{{i}}}$" for i in act) if len(act)
                                               else "0 (no active example)")
        ax.set_title(title, fontsize=11)


def _draw_generator_path(ax, lay, k, span):
    Z = lay.Z
    act = np.nonzero(Z.coefficients[k])[0]
    p = lay.c.copy()
    pts = [p.copy()]
    for i in act:
        p = p + lay.G[i]
        pts.append(p.copy())
    Q = lay.proj(np.array(pts))
    ax.scatter(*Q[0], s=30, c="black", zorder=6.5)
    ax.annotate("0" if not Z.center.any() else "c", Q[0], xytext=(-9, -9), textcoords="offset points",
                fontsize=10, ha="center", va="center", zorder=8)
    for j, i in enumerate(act):
        a, b = Q[j], Q[j + 1]
        ax.annotate("", xy=b, xytext=a, zorder=6.5,
                    arrowprops=dict(arrowstyle="-|>,head_length=0.5,head_width=0.25", color=_HIGHLIGHT,
                                    lw=2.0, shrinkA=0, shrinkB=2))
        m = (a + b) / 2
        dvec = b - a
        nrm = np.array([-dvec[1], dvec[0]]) / (np.linalg.norm(dvec) + 1e-300)
        lbl = f"$\\bar x_{{{i}}}$" if lay.Z.dim in (2, 3) else f"$g_{{{i}}}$"
        ax.annotate(lbl, m, xytext=9 * nrm, textcoords="offset points", color=_HIGHLIGHT,
                    fontsize=11, ha="center", va="center", zorder=8,
                    bbox=dict(boxstyle="round,pad=0.05", fc="white", ec="none", alpha=0.7))


def _draw_triad(ax, A):
    """Projected coordinate axes in the lower-left corner (axes coordinates)."""
    o = np.array([0.1, 0.1])
    L = 0.09
    for j, name in enumerate(("z_1", "z_2", "z_3")):
        v = A[j]
        n = np.linalg.norm(v)
        if n < 0.15:     # nearly along the line of sight
            ax.text(*(o + [0.0, 0.0]), f"${name}$", transform=ax.transAxes, fontsize=8, color="0.35")
            continue
        tip = o + L * v
        ax.annotate("", xy=tip, xytext=o, xycoords="axes fraction", textcoords="axes fraction",
                    arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.0))
        ax.text(*(o + max(L * n, 0.05) * v / n + 0.032 * v / n), f"${name}$", transform=ax.transAxes,
                fontsize=10, color="0.3", ha="center", va="center")


# =====================================================================================
# the 1-skeleton and the Cartesian power
# =====================================================================================
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


def plot_skeleton(Z, ax=None, *, labels="signs", edge_labels=None, chamber=None, colors=None,
                  title=True):
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

    from .zonotope import Zonotope

    func = "plot_skeleton"
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if labels not in ("signs", "pattern", "index"):
        raise ValidationError(f"`labels` of `{func}` must be 'signs', 'pattern' or 'index'; "
                              f"got {labels!r} instead.")
    C = _colors_for(Z, colors)
    k_sel = _chamber_index(Z, chamber, func)
    pos, levels = _skeleton_positions(Z)
    K = len(pos)
    width = max(int(np.bincount(levels).max()), 1)
    n_gen = Z.n_generators
    ax = _new_ax(ax, (min(1.0 + 0.11 * n_gen * width + 0.6 * width, 16), 1.2 + 0.75 * (levels.max() + 1)))
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
                bbox=dict(boxstyle="round,pad=0.3", fc=_light(C[k], 0.6), ec=C[k][:3] * 0.7,
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


def plot_power(Z, ax=None, *, scale=0.22, rotate=90.0, colors=None, elev=None, azim=None, title=True):
    """The 1-skeleton of ``Z^2`` (two ReLU units) in a linear projection to the plane.

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
    '$Z^2\\\\subset\\\\mathbb{R}^{4}$: 36 = 6² vertices, 72 edges'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from matplotlib.collections import LineCollection

    from .zonotope import Zonotope

    func = "plot_power"
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead.")
    if not 0 < scale < 1:
        raise ValidationError(f"`scale` of `{func}` must be in (0, 1); got {scale!r} instead.")
    C = _colors_for(Z, colors)
    lay = _ZonotopeLayout(Z, elev, azim)
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
    ax = _new_ax(ax, (6.0, 6.0))
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


# =====================================================================================
# Figure 1
# =====================================================================================
def _auto_chamber(Z, lay_plus, N):
    """A chamber worth highlighting: bounded on the slice w_3 = +1, about half active."""
    cnt = Z.coefficients.sum(axis=1)
    target = (N + 1) // 2
    best = None
    for k in range(Z.n_vertices):
        if lay_plus.d == 2:
            P = lay_plus.label_polygon(k)
            if P is None:
                continue
            bounded = _polygon_bounded(P, lay_plus.box)
            area = abs(_polygon_area(P))
        else:
            bounded = True
            area = 1.0
            if k not in lay_plus.visible():
                continue
            if Z.chambers.interior_points[k][-1] <= 0:
                continue
        key = (not bounded, -area * (1.0 - 0.3 * min(abs(int(cnt[k]) - target), 3)))
        if best is None or key < best[0]:
            best = (key, k)
    return None if best is None else best[1]


def plot_figure1(X=None, *, view="both", chamber="auto", elev=None, azim=None, figsize=None,
                 labels=True):
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
    from .library import figure1_points

    func = "plot_figure1"
    if X is None:
        X = figure1_points()
    Xe, Xf, Z = _zonotope_of(X, None, func)
    _check_dim(Xf, func)
    if view not in ("both", "slice", "sphere"):
        raise ValidationError(f"`view` of `{func}` must be 'both', 'slice' or 'sphere'; "
                              f"got {view!r} instead.")
    plt = _pyplot()
    d = Xf.shape[1]
    C = chamber_colors(Z.n_vertices)
    lay_p = _ArrangementLayout(Xf, Z, 1, sphere=(view == "sphere" and d == 2))
    lay_m = None
    if d == 2 and view == "both":
        (x0, x1), (y0, y1) = lay_p.box
        lay_m = _ArrangementLayout(Xf, Z, -1, box=((-x1, -x0), (-y1, -y0)))
    if isinstance(chamber, str) and chamber == "auto":
        k = _auto_chamber(Z, lay_p, Xf.shape[0])
    else:
        k = _chamber_index(Z, chamber, func)
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
    arts = [_draw_arrangement(ax, lay, C, k, True, (), labels, True, 8.5) for ax, lay in todo]
    if labels:
        # the callouts changed the layout: place the labels again at the final scale
        fig.get_layout_engine().execute(fig)
        for (ax, lay), old in zip(todo, arts):
            for a in old:
                a.remove()
            _label_chambers(ax, lay, k, 8.5)
    if ax_m is None and d == 2 and view == "slice":
        hidden = Z.n_vertices - len(lay_p.visible())
        if hidden:
            ax_p.set_title(ax_p.get_title() + f"\n({hidden} lie in $w_3<0$: view='both' shows them)",
                           fontsize=11, pad=getattr(lay_p, "title_pad", 6))
    names = ["(a)", "(b)", "(c)", "(d)"]
    order = [ax_pts, ax_z, ax_p, ax_m] if ax_m is not None else [ax_pts, ax_p, ax_z]
    for name, ax in zip(names, order):
        ax.text(-0.02, 1.0, name, transform=ax.transAxes, fontsize=13, fontweight="bold",
                ha="right", va="bottom")
    return fig


# =====================================================================================
# self-contained HTML (plotly)
# =====================================================================================
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
    from .zonotope import Zonotope

    func = "export_html"
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover - plotly is a dependency
        raise ImportError("export_html needs plotly (pip install plotly)") from exc
    if not isinstance(Z, Zonotope):
        Z = Zonotope.from_points(Z)
    if Z.dim not in (2, 3):
        raise ValidationError(f"`Z` of `{func}` must have dimension 2 or 3; got {Z.dim} instead.")
    C = _colors_for(Z, colors)
    k_sel = _chamber_index(Z, chamber, func)
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
        facets = _facets3d(V) if len(V) >= 4 else None
        if facets:
            ti, tj, tk = [], [], []
            for _, idx in facets:
                for t in range(1, len(idx) - 1):
                    ti.append(int(idx[0]))
                    tj.append(int(idx[t]))
                    tk.append(int(idx[t + 1]))
            traces.append(go.Mesh3d(x=V[:, 0], y=V[:, 1], z=V[:, 2], i=ti, j=tj, k=tk, color=_FACE,
                                    opacity=0.45, hoverinfo="skip", flatshading=True, name="faces"))
        traces.append(go.Scatter3d(x=ex, y=ey, z=ez, mode="lines", line=dict(color="#333", width=4),
                                   hoverinfo="skip", name="edges"))
        traces.append(go.Scatter3d(x=V[:, 0], y=V[:, 1], z=V[:, 2], mode="markers",
                                   marker=dict(size=7, color=rgb, line=dict(color="black", width=1)),
                                   hovertext=hover, hoverinfo="text", name="vertices"))
    else:
        order = np.argsort(np.arctan2(*(V - V.mean(axis=0)).T[::-1]))
        ring = np.r_[order, order[:1]]
        traces.append(go.Scatter(x=V[ring, 0], y=V[ring, 1], fill="toself", fillcolor=_FACE,
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
                                       line=dict(color=_HIGHLIGHT, width=7), marker=dict(size=3,
                                       color=_HIGHLIGHT), name=name, hoverinfo="name"))
            traces.append(go.Scatter3d(x=[V[k_sel, 0]], y=[V[k_sel, 1]], z=[V[k_sel, 2]], mode="markers",
                                       marker=dict(size=12, color=rgb[k_sel], symbol="diamond",
                                                   line=dict(color="black", width=3)),
                                       hovertext=[hover[k_sel]], hoverinfo="text", name="chosen vertex"))
        else:
            traces.append(go.Scatter(x=Pp[:, 0], y=Pp[:, 1], mode="lines+markers",
                                     line=dict(color=_HIGHLIGHT, width=4), name=name))
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


# =====================================================================================
# command line (called by zonotope/cli.py)
# =====================================================================================
def add_cli_arguments(subparsers):
    """Add the ``figure1`` and ``explore`` subcommands to ``zonotope``'s argparse parser.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The object returned by ``parser.add_subparsers()`` in ``zonotope/cli.py``.

    Returns
    -------
    None

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="zonotope")
    >>> add_cli_arguments(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["figure1", "--out", "fig.png"])
    >>> a.command, a.out, a.view, a.func.__name__
    ('figure1', 'fig.png', 'both', 'cli_figure1')
    """
    from .explorer import cli_explore

    f = subparsers.add_parser(
        "figure1", help="draw Figure 1 (data, arrangement, zonotope) for a 1-D or 2-D data file",
        description="Draw the three panels of Figure 1 of Matena & Raffel (2022): the training "
                    "points, the arrangement {w : w.(x_i, 1) = 0} in parameter space (slices "
                    "w3 = +1 and w3 = -1), and the zonotope, with matching chamber/vertex colours.")
    f.add_argument("--input", metavar="FILE", help="CSV or whitespace data file, one point per row "
                   "(1 or 2 columns; default: the built-in 5 points)")
    f.add_argument("--labels", action="store_true", help="the last column is a label: ignore it")
    f.add_argument("--out", metavar="FILE", required=True,
                   help="output file; the format follows the suffix (.png, .pdf, .svg)")
    f.add_argument("--view", choices=("both", "slice", "sphere"), default="both",
                   help="'both': slices w3 = +1 and w3 = -1 (every chamber shown); "
                        "'slice': w3 = +1 only (the paper's three panels); 'sphere': all "
                        "directions in one disk (equal-area projection)")
    f.add_argument("--chamber", default="auto", metavar="K|PATTERN",
                   help="chamber to highlight: an index, a 0/1 pattern such as 10110, "
                        "'auto' (default) or 'none'")
    f.add_argument("--elev", type=float, default=None, help="zonotope view elevation (degrees; "
                   "default: chosen to keep vertices apart)")
    f.add_argument("--azim", type=float, default=None, help="zonotope view azimuth (degrees)")
    f.add_argument("--dpi", type=int, default=150, help="resolution of raster output")
    f.set_defaults(func=cli_figure1)

    e = subparsers.add_parser(
        "explore", help="interactive explorer: drag points, click chambers (or export HTML/PNG)",
        description="Open the interactive explorer on a 1-D or 2-D data file: drag a data point "
                    "and watch the arrangement, the zonotope and the chamber count update; "
                    "click a chamber or vertex to highlight it. Headless: --html or --png.")
    e.add_argument("--input", metavar="FILE", help="data file (default: the built-in 5 points)")
    e.add_argument("--labels", action="store_true", help="the last column is a label: ignore it")
    e.add_argument("--html", metavar="FILE", help="write a self-contained rotatable 3-D view "
                   "(plotly) of the zonotope instead of opening a window")
    e.add_argument("--png", metavar="FILE", help="save a snapshot of the explorer instead of "
                   "opening a window")
    e.add_argument("--snap", type=float, default=0.25,
                   help="grid step dragged points snap to (0: no grid); default 0.25")
    e.add_argument("--chamber", default=None, metavar="K|PATTERN", help="chamber to select initially")
    e.set_defaults(func=cli_explore)


def _parse_chamber_arg(s):
    if s is None or s.lower() == "none":
        return None
    if s.lower() == "auto":
        return "auto"
    if set(s) <= {"0", "1"} and len(s) > 1:
        return [int(c) for c in s]
    try:
        return int(s)
    except ValueError:
        raise ValidationError(f"`--chamber` must be an index, a 0/1 pattern, 'auto' or 'none'; "
                              f"got {s!r} instead.") from None


def _cli_data(args):
    from .cli import load_data
    from .library import figure1_points

    if not args.input:
        return figure1_points()
    X = load_data(args.input)
    if args.labels:
        X = X[:, :-1]
    return X


def cli_figure1(args, out=None):
    """Handler of ``zonotope figure1``: write Figure 1 for a data file.

    Examples
    --------
    >>> import argparse, os, tempfile
    >>> p = argparse.ArgumentParser(); add_cli_arguments(p.add_subparsers())
    >>> path = os.path.join(tempfile.mkdtemp(), "fig.svg")
    >>> cli_figure1(p.parse_args(["figure1", "--out", path, "--view", "slice"]), out=open(os.devnull, "w"))
    0
    >>> open(path).read(5)
    '<?xml'
    """
    import sys

    import matplotlib

    out = sys.stdout if out is None else out
    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".png", ".pdf", ".svg"):
        raise ValidationError(f"`--out` of `zonotope figure1` must end in .png, .pdf or .svg; "
                              f"got {args.out!r} instead.")
    X = _cli_data(args)
    fig = plot_figure1(X, view=args.view, chamber=_parse_chamber_arg(args.chamber), elev=args.elev,
                       azim=args.azim)
    fig.savefig(args.out, dpi=args.dpi)
    _pyplot().close(fig)
    print(f"wrote {args.out}", file=out)
    return 0
