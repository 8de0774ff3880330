"""The arrangement panel: chambers in parameter space, their layout, drawing and labels.

The chambers are shown on the slices ``w3 = +-1`` or on an equal-area disk of all
directions.

Shared by :func:`zonotope.plotting.plot_arrangement`, :func:`zonotope.plot_figure1` and
the explorer.
"""

from __future__ import annotations

import numpy as np

from ._common import clip_halfplane, coincident_groups, fit_label, polygon_area, pt_per_data
from ._style import INK, light
from .colors import pattern_label

__all__ = [
    "polygon_bounded",
    "index_of_w",
    "ArrangementLayout",
    "draw_arrangement",
    "label_chambers",
    "auto_chamber",
]


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
            poly = clip_halfplane(poly, si * Xf[i], si * side)
            if len(poly) < 3:
                break
        if len(poly) >= 3:
            P = np.array(poly)
            if polygon_area(P) > 1e-10 * area_box:
                out.append(P)
                continue
        out.append(None)
    return out


def polygon_bounded(P, box, tol=1e-9):
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


def index_of_w(Z, w):
    """Chamber index of weight vector ``w`` (None on a hyperplane)."""
    from ..exceptions import EmptyChamberError

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
    if polygon_area(Q) < 0:
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
    if polygon_area(Q) < 0:
        Q = Q[::-1]
    return Q


class ArrangementLayout:
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
            self.sectors = _sector_data(Xf, lambda w: index_of_w(Z, w))

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
            return max(pieces, key=polygon_area)
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
            c, t = fit_label(P, 1e-9, 1e-9)
            w = self.w_at(*c) if t > 0 else None
            if w is not None and index_of_w(self.Z, w) == k:
                return w
        return np.asarray(self.Z.chambers.interior_points[k], float)


def draw_arrangement(ax, lay, C, k_sel, neighbors, emphasize, labels, title, fontsize):
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
        ax.add_patch(Circle((0, 0), 1.0, facecolor=light(C[ks]), edgecolor="none", zorder=0,
                            gid=f"chamber-{ks}"))
        t = np.linspace(0, 2 * np.pi, 361)
        rim = np.c_[np.cos(t), np.sin(t)]
        for k, pieces in lay.regions.items():
            patches[k] = pieces
            for P in pieces:
                ax.add_patch(Polygon(P, closed=True, facecolor=light(C[k]), edgecolor=light(C[k]),
                                     lw=0.6, zorder=0, gid=f"chamber-{k}"))
        patches[ks] = [lay.south_curve] if lay.south_curve is not None else [rim]
        # the great circles H_i and the equator w_3 = 0
        ax.plot(*(rim / np.sqrt(2)).T, color="0.45", lw=0.8, ls=(0, (1, 2)), zorder=2)
        for i, group in coincident_groups(Xf):
            xb = np.r_[Xf[i], 1.0]
            B = np.linalg.svd(xb[None])[2][1:]        # orthonormal basis of the plane w . xb = 0
            circ = _lambert(np.cos(t)[:, None] * B[0] + np.sin(t)[:, None] * B[1])
            ax.plot(circ[:, 0], circ[:, 1], color=INK, lw=1.1, zorder=2)
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
            ax.add_patch(Polygon(P, closed=True, facecolor=light(C[k]), edgecolor="none", zorder=0,
                                 gid=f"chamber-{k}"))
        # the lines H_i
        for i in range(N):
            a = Xf[i]
            if a @ a == 0:
                continue
            seg = _clip_line(a, lay.side, lay.box)
            if seg is None:
                continue
            ax.plot(seg[:, 0], seg[:, 1], color=INK, lw=1.1, zorder=2)
        if labels:
            _label_lines(ax, Xf, lay)
    else:
        R = 1.0
        for k, a0, a1 in lay.sectors:
            ax.add_patch(Wedge((0, 0), R, np.degrees(a0), np.degrees(a1), facecolor=light(C[k]),
                               edgecolor="none", zorder=0, gid=f"chamber-{k}"))
            t = np.linspace(a0, a1, 40)
            P = np.vstack([[0, 0], np.c_[R * np.cos(t), R * np.sin(t)]])
            patches.setdefault(k, []).append(P)
        for i, group in coincident_groups(Xf):
            dvec = np.array([1.0, -Xf[i, 0]]) / np.hypot(1.0, Xf[i, 0])
            ax.plot([-R * dvec[0], R * dvec[0]], [-R * dvec[1], R * dvec[1]], color=INK, lw=1.1, zorder=2)
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
                                     lw=1.2, zorder=3.5, gid=f"new-chamber-{k}"))
    arts = label_chambers(ax, lay, k_sel, fontsize) if labels else []
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


def label_chambers(ax, lay, k_sel, fontsize, min_inside=6.5):
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
    sx, sy = pt_per_data(ax)
    callouts = []
    for k in lay.visible():
        text = pattern_label(pats[k])
        P = lay.label_polygon(k)
        if P is None:          # the chamber around the south pole: just inside the rim
            ang = -np.pi / 4
            callouts.append((k, 0.985 * np.array([np.cos(ang), np.sin(ang)]), text))
            continue
        w, h = 0.62 * fontsize * len(text) * sx + 2 * sx, 1.25 * fontsize * sy
        c, t = fit_label(P, w, h)
        fs = fontsize * min(1.0, t)
        if fs >= min_inside:
            arts.append(ax.text(c[0], c[1], text, ha="center", va="center", fontsize=fs,
                                family="monospace", color=INK, zorder=6,
                                fontweight="bold" if k == k_sel else "normal"))
        else:
            c0, _ = fit_label(P, 1e-9 * sx, 1e-9 * sy)      # Chebyshev-like centre
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
        arts += ax.plot(*c, marker="o", ms=2.5, color=INK, zorder=6)
        arts.append(ax.annotate(
            text, xy=c, xytext=(xcol, y), textcoords="axes fraction", va="center",
            ha="left" if where == "right" else "right",
            fontsize=fs, family="monospace", color=INK, zorder=8, annotation_clip=False,
            fontweight="bold" if k == k_sel else "normal",
            bbox=dict(boxstyle="round,pad=0.2", fc=light(C[k]), ec=C[k][:3], lw=0.8),
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
    sx, sy = pt_per_data(ax)
    tol = 1e-9 * max(x1 - x0, y1 - y0)
    pref = {"top": 0, "bottom": 1, "right": 2, "left": 3}
    cands = []
    for i, group in coincident_groups(Xf):
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
        sx, _ = pt_per_data(ax)
        width_pts = r * (a1 - a0) / sx            # chord available at radius r, in points
        fs = min(fontsize, 0.8 * width_pts)
        length_pts = 0.62 * fs * len(text)
        if length_pts * sx > 0.7:
            fs *= 0.7 / (length_pts * sx)
        fs = max(fs, 5.0)
        deg = np.degrees(m) % 360
        rot = deg - 180 if 90 < deg <= 270 else deg
        return ax.text(r * np.cos(m), r * np.sin(m), text, rotation=rot, rotation_mode="anchor",
                       ha="center", va="center", fontsize=fs, family="monospace", color=INK,
                       zorder=6, fontweight="bold" if bold else "normal")


def auto_chamber(Z, lay_plus, N):
    """A chamber worth highlighting: bounded on the slice w_3 = +1, about half active."""
    cnt = Z.coefficients.sum(axis=1)
    target = (N + 1) // 2
    best = None
    for k in range(Z.n_vertices):
        if lay_plus.d == 2:
            P = lay_plus.label_polygon(k)
            if P is None:
                continue
            bounded = polygon_bounded(P, lay_plus.box)
            area = abs(polygon_area(P))
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
