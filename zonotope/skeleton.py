"""The 1-skeleton of a zonotope = the adjacency graph of the chambers of its arrangement.

Two chambers of a central arrangement are adjacent (share a facet) exactly when
their sign vectors differ on one *parallel class* of hyperplanes (normals that are
positive or negative multiples of each other; for a data set: identical points).
The corresponding zonotope edge is parallel to that class's generators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .exceptions import ValidationError

if TYPE_CHECKING:
    import networkx
    from numpy.typing import NDArray

    from .arrangement import Arrangement
    from .chambers import ChamberSet

__all__ = ["parallel_classes", "skeleton_edges", "skeleton_graph", "chamber_neighbors"]


def parallel_classes(arr: Arrangement) -> tuple[NDArray[np.intp], NDArray[np.int8]]:
    """Parallel classes of the normals of an arrangement (exact).

    Returns
    -------
    classes : ndarray of int, shape (n_hyperplanes,)
        Class label of each hyperplane, labels ``0..k-1`` in order of first appearance.
    orientation : ndarray of int8, shape (n_hyperplanes,)
        ``+1`` if the normal is a positive multiple of its class's first normal, else ``-1``.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> c, o = parallel_classes(Arrangement([[1, 0], [0, 1], [-2, 0], [3, 0]]))
    >>> c.tolist(), o.tolist()
    ([0, 1, 0, 0], [1, 1, -1, 1])
    """
    n = arr.n_hyperplanes
    classes = np.empty(n, dtype=np.intp)
    orient = np.empty(n, dtype=np.int8)
    if n == 0:
        return classes, orient
    er = arr._exact_rows
    seen = {}
    for i in range(n):
        z = er.zrow(i)
        j = next(k for k, v in enumerate(z) if v != 0)
        s = 1 if z[j] > 0 else -1
        key = tuple(s * v for v in z)
        if key not in seen:
            seen[key] = (len(seen), s)
        c, s0 = seen[key]
        classes[i] = c
        orient[i] = s * s0
    return classes, orient


def _hashes(bits, R):
    """64-bit wrap-around hashes sum_j bits_j R_j."""
    h = np.zeros(bits.shape[0], dtype=np.uint64)
    for j in range(bits.shape[1]):
        h += bits[:, j].astype(np.uint64) * R[j]
    return h


def skeleton_edges(chambers: ChamberSet) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Edges of the 1-skeleton as index pairs into ``chambers``.

    Parameters
    ----------
    chambers : ChamberSet
        All chambers of a central arrangement.

    Returns
    -------
    edges : ndarray of int64, shape (n_edges, 2)
        ``edges[e] = (i, j)`` with ``i < j``: chambers ``i`` and ``j`` are adjacent.
    labels : ndarray of int64, shape (n_edges,)
        The parallel class flipped along each edge (see :func:`parallel_classes`).

    Notes
    -----
    Each chamber's sign vector is hashed (64-bit, random weights); flipping a class
    changes the hash by a known amount, candidates are found by binary search and
    confirmed by comparing the full sign vectors, so hash collisions cannot create
    false edges.  Cost ``O(K n log K)`` for ``K`` chambers and ``n`` classes.

    Examples
    --------
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> ch = enumerate_chambers(Arrangement.from_points([[0.], [1.], [2.]]))
    >>> e, lab = skeleton_edges(ch)
    >>> len(e), sorted(set(lab.tolist()))
    (6, [0, 1, 2])
    """
    arr = chambers.arrangement
    if not arr.is_central:
        raise ValidationError("`chambers` of `skeleton_edges` must come from a central arrangement.")
    S = chambers.sign_vectors
    K, n = S.shape
    if K <= 1 or n == 0:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    classes, _ = parallel_classes(arr)
    rng = np.random.default_rng(0x5EED)
    R = rng.integers(1, 2**63, size=n, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    bits = (S > 0).astype(np.uint8)
    h = _hashes(bits, R)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    packed = chambers.packed
    out_e, out_l = [], []
    n_cls = int(classes.max()) + 1
    for c in range(n_cls):
        members = np.nonzero(classes == c)[0]
        rep = members[0]
        src = np.nonzero(bits[:, rep] == 0)[0]  # each edge found once: from the side with rep bit 0
        if src.size == 0:
            continue
        b = bits[np.ix_(src, members)].astype(np.int64)
        delta = np.zeros(src.size, dtype=np.uint64)
        for k, j in enumerate(members):
            plus = b[:, k] == 0
            delta[plus] += R[j]
            delta[~plus] -= R[j]
        target = h[src] + delta
        pos = np.searchsorted(hs, target)
        pos = np.minimum(pos, K - 1)
        hit = hs[pos] == target
        cand_src = src[hit]
        cand_dst = order[pos[hit]]
        # confirm exactly (and handle runs of equal hashes)
        flip = S[cand_src].copy()
        flip[:, members] *= -1
        good = np.all(np.packbits(flip > 0, axis=1) == packed[cand_dst], axis=1)
        if not np.all(good):
            for t in np.nonzero(~good)[0]:  # pragma: no cover - hash collision
                key = np.packbits(flip[t] > 0)
                p = pos[hit][t]
                while p < K and hs[p] == target[hit][t]:
                    if np.array_equal(packed[order[p]], key):
                        cand_dst[t] = order[p]
                        good[t] = True
                        break
                    p += 1
        i, j = cand_src[good], cand_dst[good]
        out_e.append(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1))
        out_l.append(np.full(i.size, c, dtype=np.int64))
    if not out_e:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    E = np.concatenate(out_e).astype(np.int64)
    L = np.concatenate(out_l)
    o = np.lexsort((E[:, 1], E[:, 0]))
    return E[o], L[o]


def skeleton_graph(chambers: ChamberSet) -> networkx.Graph:
    """The 1-skeleton as a :class:`networkx.Graph`.

    Nodes are chamber indices with attribute ``sign_vector`` (a tuple); edges carry
    ``cls`` (the parallel class flipped) and ``flipped`` (tuple of hyperplane indices).

    Examples
    --------
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> G = skeleton_graph(enumerate_chambers(Arrangement.from_points([[0.], [1.], [2.]])))
    >>> G.number_of_nodes(), G.number_of_edges(), sorted(d for _, d in G.degree())
    (6, 6, [2, 2, 2, 2, 2, 2])
    """
    import networkx as nx

    E, L = skeleton_edges(chambers)
    classes, _ = parallel_classes(chambers.arrangement)
    members = {int(c): tuple(int(j) for j in np.nonzero(classes == c)[0]) for c in np.unique(classes)}
    G = nx.Graph()
    S = chambers.sign_vectors
    G.add_nodes_from((i, {"sign_vector": tuple(int(v) for v in S[i])}) for i in range(len(chambers)))
    G.add_edges_from((int(a), int(b), {"cls": int(c), "flipped": members[int(c)]})
                     for (a, b), c in zip(E, L))
    return G


def chamber_neighbors(chambers: ChamberSet, i: int) -> list[int]:
    """Indices of the chambers adjacent to chamber ``i`` (flip one parallel class).

    Examples
    --------
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> chamber_neighbors(enumerate_chambers(Arrangement.from_points([[0.], [1.], [2.]])), 0)
    [1, 3]
    """
    if not 0 <= int(i) < len(chambers):
        raise ValidationError(f"`i` of `chamber_neighbors` must be in [0, {len(chambers)}); "
                              f"got {i!r} instead.")
    classes, _ = parallel_classes(chambers.arrangement)
    s = chambers.sign_vectors[int(i)]
    out = []
    for c in np.unique(classes):
        t = s.copy()
        t[classes == c] *= -1
        key = np.packbits(t > 0).tobytes()
        j = chambers._index.get(key)
        if j is not None:
            out.append(int(j))
    return sorted(out)
