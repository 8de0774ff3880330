"""The zonotope panel: its layout and drawing.

A 3-D zonotope is shown in exact orthographic projection onto a 2-D axes (hidden
edges dashed).

Shared by :func:`zonotope.plotting.plot_zonotope`, :func:`zonotope.plot_figure1`,
:func:`zonotope.export_html` and the explorer.
"""

from __future__ import annotations

import numpy as np

from ._style import FACE, HIGHLIGHT, INK, light
from .colors import pattern_label

__all__ = ["auto_view", "facets3d", "ZonotopeLayout", "draw_zonotope"]


def _view_basis(elev, azim):
    el, az = np.radians(elev), np.radians(azim)
    e = np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])   # towards viewer
    r = np.array([-np.sin(az), np.cos(az), 0.0])
    u = np.cross(e, r)
    return e, r, u


def auto_view(V, elev0=22.0, azim0=-58.0):
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


def facets3d(V):
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


class ZonotopeLayout:
    """Projected coordinates and visibility of a zonotope of dimension 2 or 3."""

    def __init__(self, Z, elev=None, azim=None):
        self.Z = Z
        self.V = np.asarray(Z.vertices, float)
        if Z.dim == 3 and (elev is None or azim is None):
            e0, a0 = auto_view(self.V)
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
        facets = facets3d(self.V) if K >= 4 else None
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


def draw_zonotope(ax, lay, C, k_sel, neighbors, emphasize, labels, generators, axes_triad, title):
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    Z = lay.Z
    P2 = lay.P2
    K = len(P2)
    for idx in lay.faces:
        if len(idx) >= 3:
            ax.add_patch(Polygon(P2[idx], closed=True, facecolor=FACE, alpha=0.55,
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
                    bbox=dict(boxstyle="round,pad=0.2", fc=light(C[k_sel], 0.5), ec="black", lw=0.8))
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
                        va="center", fontsize=8.5, family="monospace", color=INK, zorder=7)
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
                    arrowprops=dict(arrowstyle="-|>,head_length=0.5,head_width=0.25", color=HIGHLIGHT,
                                    lw=2.0, shrinkA=0, shrinkB=2))
        m = (a + b) / 2
        dvec = b - a
        nrm = np.array([-dvec[1], dvec[0]]) / (np.linalg.norm(dvec) + 1e-300)
        lbl = f"$\\bar x_{{{i}}}$" if lay.Z.dim in (2, 3) else f"$g_{{{i}}}$"
        ax.annotate(lbl, m, xytext=9 * nrm, textcoords="offset points", color=HIGHLIGHT,
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
