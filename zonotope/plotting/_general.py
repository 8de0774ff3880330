"""Drawing an arbitrary :class:`~zonotope.Arrangement` (not only one made from data).

Dimension 1: the points ``a w = b`` on the line, regions numbered between them.
Dimension 2: the lines ``a . w = b`` clipped to a box holding every crossing, each
region (from the exact chamber enumeration) shaded in its chamber colour and
numbered like ``arr.regions()``.  Dimension 3: the planes ``a . w = b`` clipped to a
box holding every vertex (mplot3d), one colour per plane.  Coordinates are floats
for drawing only; which regions exist comes from the exact enumeration.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..exceptions import ValidationError
from ._common import clip_halfplane, plane_polygon, polygon_area, pyplot
from ._style import INK, light
from .colors import chamber_colors

__all__ = ["draw_general_arrangement"]


def _float_rows(arr):
    A = np.array([[float(v) for v in r] for r in arr.normals], dtype=float).reshape(arr.normals.shape)
    b = np.array([float(v) for v in arr.offsets], dtype=float)
    return A, b


def _box(A, b, dim):
    """A box (lo, hi) around every vertex (crossing of dim hyperplanes) and the origin."""
    pts = [np.zeros(dim)]
    for idx in itertools.combinations(range(len(A)), dim):
        M = A[list(idx)]
        if abs(np.linalg.det(M)) > 1e-12 * max(1.0, np.abs(M).max() ** dim):
            pts.append(np.linalg.solve(M, b[list(idx)]))
    for a, o in zip(A, b):          # foot points, so parallel families are seen too
        pts.append(o * a / (a @ a))
    P = np.array(pts)
    lo, hi = P.min(axis=0), P.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    pad = 0.35 * span.max() + 1.0 * (span.max() < 1e-6)
    return lo - pad, hi + pad


def draw_general_arrangement(arr, ax, *, labels=True, title=True, fontsize=9.0):
    """Draw ``arr`` on ``ax`` (a new axes when None; a 3-D axes for ``arr.dim == 3``)."""
    func = "plot_arrangement"
    if arr.dim not in (1, 2, 3):
        raise ValidationError(f"`X` of `{func}` must be an arrangement in dimension 1, 2 or 3; "
                              f"got dimension {arr.dim} instead.")
    plt = pyplot()
    A, b = _float_rows(arr)
    if arr.dim == 3:
        return _draw3(arr, A, b, ax, plt, title)
    if ax is None:
        ax = plt.figure(figsize=(5.0, 5.0), layout="constrained").add_subplot()
    R = arr.regions(interior_points=True)
    C = chamber_colors(len(R))
    if arr.dim == 1:
        cuts = sorted({o / a[0] for a, o in zip(A, b)})
        lo = (cuts[0] if cuts else 0.0) - 1.0
        hi = (cuts[-1] if cuts else 0.0) + 1.0
        ax.axhline(0.0, color=INK, lw=1.0)
        for k, (s, p) in enumerate(zip(R.sign_vectors, R.interior_points)):
            ax.plot([float(p[0])], [0.0], "o", color=C[k], ms=9, gid=f"chamber{k}")
            if labels:
                ax.annotate(str(k), (float(p[0]), 0.0), xytext=(0, 8), textcoords="offset points",
                            ha="center", fontsize=fontsize)
        for i, c in enumerate(cuts):
            ax.axvline(c, color=INK, lw=1.2)
        ax.set_xlim(lo, hi)
        ax.set_yticks([])
    else:
        lo, hi = _box(A, b, 2)
        box = [np.array([lo[0], lo[1]]), np.array([hi[0], lo[1]]), np.array([hi[0], hi[1]]),
               np.array([lo[0], hi[1]])]
        for k, s in enumerate(R.sign_vectors):
            poly = box
            for a, o, si in zip(A, b, s):
                poly = clip_halfplane(poly, si * a, -si * o)
                if len(poly) < 3:
                    break
            if len(poly) < 3 or abs(polygon_area(np.array(poly))) < 1e-14:
                continue
            P = np.array(poly)
            ax.fill(P[:, 0], P[:, 1], color=light(C[k], 0.35), lw=0, gid=f"chamber{k}")
            if labels:
                c = P.mean(axis=0)
                ax.text(c[0], c[1], str(k), ha="center", va="center", fontsize=fontsize)
        for i, (a, o) in enumerate(zip(A, b)):
            p0 = o * a / (a @ a)
            d = np.array([-a[1], a[0]]) / np.hypot(*a)
            t = 4.0 * float(np.max(hi - lo))
            ax.plot([p0[0] - t * d[0], p0[0] + t * d[0]], [p0[1] - t * d[1], p0[1] + t * d[1]],
                    color=INK, lw=1.3, gid=f"hyperplane{i}")
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal")
    if title:
        kind = "central" if arr.is_central else "affine"
        ax.set_title(title if isinstance(title, str) else
                     f"{arr.n_hyperplanes} {kind} hyperplanes in $R^{arr.dim}$: {len(R)} regions",
                     fontsize=10)
    return ax




def _draw3(arr, A, b, ax, plt, title):
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    if ax is None:
        ax = plt.figure(figsize=(5.5, 5.5), layout="constrained").add_subplot(projection="3d")
    elif getattr(ax, "name", "") != "3d":
        raise ValidationError("`ax` of `plot_arrangement` must be a 3-D axes (projection='3d') "
                              "for an arrangement in R^3; got a 2-D axes instead.")
    lo, hi = _box(A, b, 3)
    C = chamber_colors(max(len(A), 1))
    for i, (a, o) in enumerate(zip(A, b)):
        P = plane_polygon(a, o, lo, hi)
        if P is None:
            continue
        pc = Poly3DCollection([P], alpha=0.35, facecolor=C[i], edgecolor=INK, lw=0.6)
        pc.set_gid(f"hyperplane{i}")
        ax.add_collection3d(pc)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_zlim(lo[2], hi[2])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_zlabel("$w_3$")
    if title:
        kind = "central" if arr.is_central else "affine"
        ax.set_title(title if isinstance(title, str) else
                     f"{arr.n_hyperplanes} {kind} planes in $R^3$: {arr.n_regions()} regions",
                     fontsize=10)
    return ax
