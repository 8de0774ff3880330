r"""Parameter space and zonotope of 3-D data: affine charts, the sphere, a 4-D projection.

With a bias the hidden unit is ``(w, b) in R^4`` and example ``i`` gives the central
hyperplane ``H_i = {(w, b) : w . x_i + b = 0}``; the zonotope (generators
``(x_i, 1)``) is 4-dimensional.  Drawn honestly in three dimensions:

* **Affine charts** ``b = +1`` and ``b = -1``.  A chamber (an open cone) meets
  ``{b > 0}`` exactly when it is a region of the affine arrangement
  ``{w . x_i = -1}`` in ``R^3`` (the chart ``b = +1``), with the same sign vector
  (``w . x_i + 1 > 0`` <-> example ``i`` active); likewise ``b = -1`` with the planes
  ``w . x_i = +1``.  Every chamber meets ``b > 0`` or ``b < 0``; those meeting the
  hyperplane at infinity ``b = 0`` appear (unbounded) in both charts, and they are
  the chambers of the bias-free arrangement ``{w . x_i = 0}``.  Hence
  ``n(+1) + n(-1) - n(b = 0) = number of chambers``.  Which regions exist comes from
  the exact enumeration (:meth:`zonotope.Arrangement.regions`); each region is
  marked at one point inside the drawn box (a float LP, for drawing only; when a
  region misses the box, the box grows).
* **The sphere** ``S^2`` for bias-free units: ``H_i`` is the great circle
  ``{w : |w| = 1, w . x_i = 0}`` and chamber ``k`` is marked at its normalised
  exact interior point.
* **The 4-D zonotope** projected to ``R^3`` by dropping the last coordinate (the
  number of active examples): the image is the 3-D zonotope of the ``x_i``; every
  vertex of the 4-D zonotope is drawn at its image (possibly inside), every edge
  as a segment, so the drawn graph is the whole 1-skeleton.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..exceptions import ValidationError
from ._common import plane_polygon
from ._style import HIGHLIGHT, INK
from .colors import pattern_label

__all__ = ["chart_regions", "draw_chart", "draw_sphere", "draw_projected_zonotope", "need_3d"]


def need_3d(ax, func):
    """Raise unless ``ax`` is a 3-D axes."""
    if getattr(ax, "name", "") != "3d":
        raise ValidationError(f"`ax` of `{func}` must be a 3-D axes (projection='3d') for "
                              "3-D data; got a 2-D axes instead.")


def chart_regions(Xe, Z, side):
    """Chambers of ``Z`` (``Zonotope.from_points(X)``, X 3-D) meeting the chart ``b = side``.

    Returns
    -------
    index : list of int
        Chamber indices (vertices of ``Z``), in the order of ``Arrangement.regions()``.
    """
    from ..arrangement import Arrangement

    Xe = np.asarray(Xe)
    N = Xe.shape[0]
    zero = np.array([all(v == 0 for v in row) for row in Xe], dtype=bool)
    lookup = {tuple(int(v) for v in row): k for k, row in enumerate(np.asarray(Z.coefficients))}
    if zero.all():
        return [lookup[tuple([1 if side > 0 else 0] * N)]]
    arr = Arrangement(Xe[~zero], np.full(int((~zero).sum()), -side, dtype=object)
                      if Xe.dtype == object else np.full(int((~zero).sum()), -float(side)))
    out = []
    for s in arr.regions().sign_vectors:
        pat = np.full(N, 1 if side > 0 else 0)
        pat[~zero] = (np.asarray(s) > 0).astype(int)
        out.append(lookup[tuple(int(v) for v in pat)])
    return out


def _box3(A, o):
    """A box around every crossing of three planes, every foot point and the origin."""
    pts = [np.zeros(3)]
    for idx in itertools.combinations(range(len(A)), 3):
        M = A[list(idx)]
        if abs(np.linalg.det(M)) > 1e-12 * max(1.0, np.abs(M).max() ** 3):
            pts.append(np.linalg.solve(M, o[list(idx)]))
    for a, c in zip(A, o):
        if a @ a > 0:
            pts.append(c * a / (a @ a))
    P = np.array(pts)
    lo, hi = P.min(axis=0), P.max(axis=0)
    pad = 0.3 * max(float((hi - lo).max()), 1e-9) + 0.5 / max(float(np.abs(A).max()), 1e-300)
    return lo - pad, hi + pad


def _point_in_box(A, o, signs, lo, hi):
    """A point of ``{s_i (a_i . w - o_i) > 0}`` inside ``[lo, hi]`` (largest margin), or None."""
    from scipy.optimize import linprog

    nrm = np.linalg.norm(A, axis=1)
    keep = nrm > 0
    S = signs[keep][:, None] * A[keep]
    # max r  s.t.  s_i (a_i . w - o_i) >= r |a_i|,  lo <= w <= hi  (r: a distance)
    A_ub = np.hstack([-S, nrm[keep][:, None]])
    b_ub = -signs[keep] * o[keep]
    res = linprog(np.r_[0.0, 0.0, 0.0, -1.0], A_ub=A_ub, b_ub=b_ub,
                  bounds=[(lo[j], hi[j]) for j in range(3)] + [(None, None)], method="highs")
    if res.status != 0 or res.x[3] <= 1e-9 * float(np.abs(hi - lo).max()):
        return None
    return res.x[:3]




def draw_chart(ax, Xe, Xf, Z, side, C, k_sel, labels, title, fontsize=8.0):
    """The chart ``b = side`` of the arrangement of 3-D data with a bias, on a 3-D axes.

    Planes ``w . x_i = -side`` clipped to a box, one marker per chamber meeting the
    chart (``gid="chamber<k>"``), in chamber ``k``'s colour, labelled by pattern.
    Returns the list of chamber indices drawn.
    """
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    N = Xf.shape[0]
    ks = chart_regions(Xe, Z, side)
    A = Xf
    o = np.full(N, -float(side))
    nz = np.linalg.norm(A, axis=1) > 0
    lo, hi = _box3(A[nz], o[nz]) if nz.any() else (-np.ones(3), np.ones(3))
    pats = np.asarray(Z.coefficients).astype(np.int64)
    pts = {}
    for _ in range(6):
        missing = []
        for k in ks:
            if k in pts:
                continue
            sg = 2.0 * pats[k] - 1.0
            p = _point_in_box(A, o, sg, lo, hi) if nz.any() else (lo + hi) / 2
            if p is None:
                missing.append(k)
            else:
                pts[k] = p
        if not missing:
            break
        m, h = (lo + hi) / 2, (hi - lo)
        lo, hi = m - h, m + h
    for k in ks:                   # still outside: the exact interior point, box grown
        if k not in pts:
            from ..arrangement import Arrangement

            arr = Arrangement(Xe[nz], np.full(int(nz.sum()), -float(side)))
            R = arr.regions(interior_points=True)
            want = tuple(int(v) for v in (2 * pats[k][nz] - 1))
            for s, q in zip(R.sign_vectors, R.interior_points):
                if tuple(int(v) for v in s) == want:
                    pts[k] = np.array([float(v) for v in q])
            lo, hi = np.minimum(lo, pts[k]), np.maximum(hi, pts[k])
    for i in np.flatnonzero(nz):
        P = plane_polygon(A[i], o[i], lo, hi)
        if P is None:
            continue
        pc = Poly3DCollection([P], alpha=0.10, facecolor="0.55", edgecolor="0.45", lw=0.5)
        pc.set_gid(f"hyperplane{i}")
        ax.add_collection3d(pc)
    for k in ks:
        p = pts[k]
        sel = k == k_sel
        ax.scatter([p[0]], [p[1]], [p[2]], s=90 if sel else 42, color=C[k][:3],
                   edgecolors=HIGHLIGHT if sel else INK, linewidths=2.2 if sel else 0.6,
                   depthshade=False, gid=f"chamber{k}")
        if labels:
            ax.text(p[0], p[1], p[2], " " + pattern_label(pats[k]), fontsize=fontsize,
                    family="monospace", color=INK, fontweight="bold" if sel else "normal")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_zlim(lo[2], hi[2])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_zlabel("$w_3$")
    if title:
        sgn = "+" if side > 0 else "−"
        rhs = "-1" if side > 0 else "+1"
        ax.set_title(title if isinstance(title, str) else
                     f"chart $b={sgn}1$: planes $w\\cdot x_i={rhs}$\n{len(ks)} of the "
                     f"{Z.n_vertices} chambers meet $b{'>' if side > 0 else '<'}0$", fontsize=10)
    return ks


def draw_sphere(ax, Xf, Z3, C, k_sel, labels, title, fontsize=8.0):
    """The bias-free arrangement on ``S^2``: great circles, one marker per chamber.

    ``Z3`` is ``Zonotope(X)`` (generators ``x_i``).  Returns the chamber indices drawn.
    """
    u, v = np.mgrid[0:2 * np.pi:36j, 0:np.pi:18j]
    ax.plot_wireframe(np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v), color="0.85",
                      lw=0.4)
    t = np.linspace(0.0, 2 * np.pi, 181)
    for i, x in enumerate(Xf):
        n = x / np.linalg.norm(x)
        a = np.cross(n, [1.0, 0.0, 0.0] if abs(n[0]) < 0.9 else [0.0, 1.0, 0.0])
        a /= np.linalg.norm(a)
        b = np.cross(n, a)
        c = np.outer(np.cos(t), a) + np.outer(np.sin(t), b)
        ax.plot(c[:, 0], c[:, 1], c[:, 2], color=INK, lw=1.0, gid=f"hyperplane{i}")
    pats = np.asarray(Z3.coefficients)
    ks = list(range(Z3.n_vertices))
    for k in ks:
        w = np.array([float(e) for e in Z3.chambers.interior_points[k]])
        p = w / np.linalg.norm(w)
        sel = k == k_sel
        ax.scatter([p[0]], [p[1]], [p[2]], s=90 if sel else 42, color=C[k][:3],
                   edgecolors=HIGHLIGHT if sel else INK, linewidths=2.2 if sel else 0.6,
                   depthshade=False, gid=f"chamber{k}")
        if labels:
            ax.text(*(1.08 * p), pattern_label(pats[k]), fontsize=fontsize, family="monospace",
                    color=INK, ha="center", fontweight="bold" if sel else "normal")
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_zlim(-1.1, 1.1)
    ax.set_box_aspect((1, 1, 1))
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_zlabel("$w_3$")
    if title:
        ax.set_title(title if isinstance(title, str) else
                     f"sphere $|w|=1$: great circles $w\\cdot x_i=0$\n{len(ks)} chambers (no bias)",
                     fontsize=10)
    return ks


def draw_projected_zonotope(ax, Z, C, k_sel, labels, title, fontsize=8.0):
    """The 4-D zonotope of 3-D data, projected to ``R^3`` by dropping the count coordinate.

    One marker per vertex (``gid="vertex<k>"``), one segment per edge; the faint
    outline is the image, the 3-D zonotope of the ``x_i``.  Returns the number of
    vertices drawn.
    """
    from mpl_toolkits.mplot3d.art3d import Line3DCollection

    V = np.asarray(Z.vertices, dtype=float)
    P = V[:, :3]
    E = np.asarray(Z.edges, dtype=np.intp).reshape(-1, 2)
    sel_e = np.array([k_sel in (a, b) for a, b in E], bool) if k_sel is not None else \
        np.zeros(len(E), bool)
    if (~sel_e).any():
        ax.add_collection3d(Line3DCollection(P[E[~sel_e]], colors="0.5", lw=0.8))
    if sel_e.any():
        ax.add_collection3d(Line3DCollection(P[E[sel_e]], colors=INK, lw=1.8))
    pats = np.asarray(Z.coefficients)
    for k in range(len(P)):
        sel = k == k_sel
        ax.scatter([P[k, 0]], [P[k, 1]], [P[k, 2]], s=90 if sel else 38, color=C[k][:3],
                   edgecolors=HIGHLIGHT if sel else INK, linewidths=2.2 if sel else 0.6,
                   depthshade=False, gid=f"vertex{k}")
        if labels == "all" or (labels and sel):
            ax.text(P[k, 0], P[k, 1], P[k, 2], " " + pattern_label(pats[k]), fontsize=fontsize,
                    family="monospace", color=INK, fontweight="bold" if sel else "normal")
    lo, hi = P.min(axis=0), P.max(axis=0)
    pad = 0.08 * max(float((hi - lo).max()), 1.0)
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_zlim(lo[2] - pad, hi[2] + pad)
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.set_zlabel("$z_3$")
    if title:
        ax.set_title(title if isinstance(title, str) else
                     f"zonotope $Z\\subset\\mathbb{{R}}^4$: {Z.n_vertices} vertices, {len(E)} edges"
                     "\nprojected to $(z_1,z_2,z_3)$ (dropping $z_4$ = #active)", fontsize=10)
    return len(P)

