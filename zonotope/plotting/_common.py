"""Helpers shared by the plotting modules and :mod:`zonotope.explorer`.

Axes, input checks, chamber lookup, and small polygon geometry.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._validation import as_points
from ..exceptions import ValidationError
from .colors import chamber_colors, pattern_label

__all__ = [
    "plane_polygon",
    "pyplot",
    "new_ax",
    "float_points",
    "zonotope_of",
    "check_dim",
    "chamber_index",
    "colors_for",
    "pt_per_data",
    "polygon_area",
    "clip_halfplane",
    "fit_label",
    "coincident_groups",
]


def pyplot():
    import matplotlib.pyplot as plt

    return plt


def new_ax(ax, figsize=(5.0, 5.0)):
    if ax is not None:
        return ax
    fig = pyplot().figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def float_points(X, func):
    Xe = as_points(X, "X", func)
    return Xe, np.array([[float(v) for v in row] for row in Xe], dtype=float).reshape(Xe.shape)


def zonotope_of(X, Z, func):
    """(exact X, float X, Zonotope) with chamber k <-> vertex k."""
    from ..zonotope import Zonotope

    Xe, Xf = float_points(X, func)
    if Z is None:
        Z = Zonotope.from_points(Xe)
    elif not isinstance(Z, Zonotope) or Z.n_generators != Xf.shape[0] or Z.dim != Xf.shape[1] + 1:
        raise ValidationError(f"`Z` of `{func}` must be Zonotope.from_points(X); got {Z!r} instead.")
    return Xe, Xf, Z


def check_dim(Xf, func, dims=(1, 2)):
    if Xf.shape[1] not in dims:
        raise ValidationError(f"`X` of `{func}` must have {' or '.join(map(str, dims))} features "
                              f"(columns); got {Xf.shape[1]} instead.")


def chamber_index(Z, chamber, func):
    """Resolve ``chamber`` (index, pattern, or None) to an index or None."""
    if chamber is None:
        return None
    if isinstance(chamber, (bool, np.bool_)):
        raise ValidationError(f"`chamber` of `{func}` must be an index or a pattern; "
                              f"got {chamber!r} instead.")
    if isinstance(chamber, (int, np.integer)):
        k = int(chamber)
        if not 0 <= k < Z.n_vertices:
            raise ValidationError(f"`chamber` of `{func}` must be in [0, {Z.n_vertices}); got {k} instead.")
        return k
    if isinstance(chamber, str):
        chamber = [int(c) for c in chamber if c in "01"]
    from ..exceptions import EmptyChamberError

    try:
        return int(Z.vertex_index(chamber))
    except EmptyChamberError:
        raise ValidationError(f"`chamber` of `{func}`: no chamber has pattern "
                              f"{pattern_label(chamber)!r}.") from None


def colors_for(Z, colors):
    if colors is None:
        return chamber_colors(Z.n_vertices)
    C = np.asarray(colors, dtype=float)
    if C.ndim != 2 or C.shape[0] < Z.n_vertices or C.shape[1] not in (3, 4):
        raise ValidationError(f"`colors` must have shape (n_chambers, 3 or 4) with n_chambers >= "
                              f"{Z.n_vertices}; got {C.shape} instead.")
    if C.shape[1] == 3:
        C = np.hstack([C, np.ones((C.shape[0], 1))])
    return C


def pt_per_data(ax):
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


def polygon_area(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def clip_halfplane(poly, a, b):
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


def fit_label(P, w, h):
    """Largest scale ``t`` and centre ``c`` with the box ``c +- t (w, h)/2`` inside polygon P.

    P is a convex polygon in counter-clockwise order.  An LP in ``(cx, cy, t)``.
    """
    from scipy.optimize import linprog

    ext = float(np.ptp(P, axis=0).max())
    if ext > 0 and max(w, h) < 1e-3 * ext:          # keep the LP well scaled
        f = ext / max(w, h, 1e-300)
        c, t = fit_label(P, w * f, h * f)
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


def coincident_groups(Xf):
    """[(first index, [indices of equal rows])] in order of first occurrence."""
    seen = {}
    for i, row in enumerate(map(tuple, Xf)):
        seen.setdefault(row, []).append(i)
    return [(g[0], g) for g in seen.values()]


def plane_polygon(a, c, lo, hi):
    """The polygon ``{a . w = c}`` inside the box ``[lo, hi]`` of R^3, ordered, or None."""
    corners = np.array(list(itertools.product(*zip(lo, hi))))
    pts = []
    for i, j in itertools.combinations(range(8), 2):
        P, Q = corners[i], corners[j]
        if np.count_nonzero(P != Q) != 1:
            continue
        fp, fq = a @ P - c, a @ Q - c
        if fp == 0:
            pts.append(P)
        if (fp < 0) != (fq < 0) and fq != 0:
            pts.append(P + fp / (fp - fq) * (Q - P))
    if len(pts) < 3:
        return None
    P = np.unique(np.round(np.array(pts), 12), axis=0)
    if len(P) < 3:
        return None
    n = a / np.linalg.norm(a)
    u = np.cross(n, [1.0, 0.0, 0.0] if abs(n[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    v = np.cross(n, u)
    m = P.mean(axis=0)
    return P[np.argsort(np.arctan2((P - m) @ v, (P - m) @ u))]
