"""Symmetries of an arrangement: the permutations of coordinates that map it to itself.

A permutation ``sigma`` of the coordinates acts on hyperplanes by permuting the
entries of their normals: the hyperplane ``{a . x = b}`` goes to ``{a' . x = b}``
with ``a'[sigma[i]] = a[i]``.  It is a *symmetry* of the arrangement when it maps
the set of hyperplanes onto itself (hyperplanes compared exactly, as sets: repeated
and rescaled copies count once).  The symmetries form a group; the lattice
functions (:func:`zonotope.lattice.characteristic_polynomial` and the others, with
``symmetry=``) use it to compute the Moebius function on one flat per orbit
(``docs/degenerate.md``, section 2b).

Everything here is exact: hyperplanes are compared as primitive integer rows.
"""

from __future__ import annotations

from itertools import permutations
from typing import TYPE_CHECKING, Any

import numpy as np

from .exceptions import TooLargeError, ValidationError

if TYPE_CHECKING:
    from .arrangement import Arrangement

__all__ = ["coordinate_symmetries", "symmetry_group", "DEFAULT_MAX_ORDER"]

DEFAULT_MAX_ORDER = 1_000_000
"""Largest group order :func:`coordinate_symmetries` and :func:`symmetry_group` build."""


def _key(row):
    """The hyperplane of an integer row as a hashable key (sign fixed: first non-zero > 0)."""
    for v in row:
        if v:
            return tuple(row) if v > 0 else tuple(-x for x in row)
    return tuple(row)


def _rows(arr, func):
    from ._flats import _rows_of
    from .arrangement import Arrangement

    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `{func}` must be an Arrangement; got {type(arr).__name__} instead.")
    R = _rows_of(arr)
    rows = R.rows[1:] if R.affine else R.rows  # drop H_inf: coordinate permutations fix it
    return R, [list(r) for r in rows]


def _image(row, sigma, n):
    out = list(row)
    for i in range(n):
        out[sigma[i]] = row[i]
    return out


_CHUNK = 1 << 22  # int64 entries of image rows built at once


class _RowIndex:
    """Exact lookup of int64 rows among distinct rows: a hash, then a word-by-word check.

    Two distinct rows never share a slot: if their hashes collide the index refuses to
    be built (``ok`` False) and the callers use the Python dictionary path.
    """

    def __init__(self, A):
        self.A = A
        rng = np.random.default_rng(0x5EED)
        self.mult = rng.integers(1, 2**63, size=A.shape[1], dtype=np.uint64) | np.uint64(1)
        h = self.hash(A)
        self.order = np.argsort(h, kind="stable")
        self.hs = h[self.order]
        self.ok = bool(np.all(self.hs[1:] != self.hs[:-1]))

    def hash(self, Q):
        with np.errstate(over="ignore"):
            h = (Q.astype(np.uint64) * self.mult).sum(axis=1, dtype=np.uint64)
            h ^= h >> np.uint64(31)
            return h * np.uint64(0x9E3779B97F4A7C15)

    def find(self, Q):
        """Index of each row of ``Q`` among the rows, ``-1`` if absent (exact)."""
        if self.hs.size == 0 or Q.shape[0] == 0:
            return np.full(Q.shape[0], -1, dtype=np.int64)
        h = self.hash(Q)
        pos = np.minimum(np.searchsorted(self.hs, h), self.hs.size - 1)
        idx = self.order[pos]
        hit = (self.hs[pos] == h) & np.all(self.A[idx] == Q, axis=1)
        return np.where(hit, idx, -1)


def _int64_rows(rows):
    """The rows as a (K, width) int64 array, or None if an entry does not fit."""
    lim = 2**62
    if any(abs(v) >= lim for r in rows for v in r):
        return None
    return np.array(rows, dtype=np.int64).reshape(len(rows), -1)


def _normalise(img):
    """Rows with their first non-zero entry made positive (in place; zero rows unchanged)."""
    first = np.argmax(img != 0, axis=1)
    sg = np.sign(img[np.arange(img.shape[0]), first])
    img *= np.where(sg == 0, 1, sg)[:, None]
    return img


def _hyperplane_action(rows, perms, n):
    """Permutations of the distinct rows induced by coordinate permutations.

    ``rows``: primitive integer rows with their first non-zero entry positive (the
    engine's rows; an affine arrangement's rows end with the offset column, which no
    permutation moves).  Returns ``(G, K)`` int64: ``out[g, h]`` is the row that
    ``perms[g]`` maps row ``h`` to; None if some image is not a row.
    """
    A = _int64_rows(rows)
    if A is not None and len(rows):
        index = _RowIndex(A)
        if index.ok:
            P = np.asarray(perms, dtype=np.int64).reshape(-1, n)
            inv = np.argsort(P, axis=1)  # img[:, sigma[i]] = row[:, i]  <=>  img = row[:, inv]
            K, width = A.shape
            out = np.empty((P.shape[0], K), dtype=np.int64)
            step = max(1, _CHUNK // max(1, K * width))
            for lo in range(0, P.shape[0], step):
                g = inv[lo:lo + step]
                img = np.empty((g.shape[0], K, width), dtype=np.int64)
                img[:, :, :n] = A[:, :n][:, g].transpose(1, 0, 2)
                img[:, :, n:] = A[None, :, n:]
                j = index.find(_normalise(img.reshape(-1, width)))
                if np.any(j < 0):
                    return None
                out[lo:lo + g.shape[0]] = j.reshape(g.shape[0], K)
            return out
    index = {tuple(r): h for h, r in enumerate(rows)}
    out = np.empty((len(perms), len(rows)), dtype=np.int64)
    for g, sigma in enumerate(perms):
        for h, r in enumerate(rows):
            j = index.get(_key(_image(r, sigma, n)))
            if j is None:
                return None
            out[g, h] = j
    return out


def _as_perm(p, n):
    try:
        p = [int(v) for v in p]
    except (TypeError, ValueError):
        return None
    return tuple(p) if sorted(p) == list(range(n)) else None


def _closure(gens, n, max_order):
    """All products of the generators (coordinate permutations as tuples), identity first."""
    ident = tuple(range(n))
    seen = {ident}
    out = [ident]
    frontier = [ident]
    while frontier:
        nxt = []
        for a in frontier:
            for s in gens:
                c = tuple(s[a[i]] for i in range(n))  # i -> a[i] -> s[a[i]]
                if c not in seen:
                    seen.add(c)
                    out.append(c)
                    nxt.append(c)
                    if len(out) > max_order:
                        raise TooLargeError(
                            f"the group generated by `generators` has more than {max_order:,} "
                            f"elements; pass a subgroup or raise `max_order`")
        frontier = nxt
    return out


def coordinate_symmetries(arr: Arrangement, *, max_order: int | None = DEFAULT_MAX_ORDER) -> np.ndarray:
    """All permutations of the coordinates that map the arrangement to itself.

    Found by a depth-first search over the images of the coordinates, one coordinate
    at a time: a coordinate can only go to a coordinate with the same column profile
    (the multiset of absolute entries, with the offsets), and a partial assignment is
    abandoned as soon as a hyperplane whose support it fixes has no image.  The
    answer is exact (hyperplanes compared as primitive integer rows).

    Parameters
    ----------
    arr : Arrangement
    max_order : int or None
        Raise :class:`~zonotope.TooLargeError` once more symmetries than this are
        found (``None``: no limit).

    Returns
    -------
    numpy.ndarray
        ``(order, dim)`` int64, one permutation ``sigma`` per row (coordinate ``i``
        goes to ``sigma[i]``), the identity first, then in lexicographic order.

    Examples
    --------
    >>> from zonotope.library import braid_arrangement, shi_arrangement
    >>> len(coordinate_symmetries(braid_arrangement(4)))      # the symmetric group S_4
    24
    >>> coordinate_symmetries(shi_arrangement(3)).tolist()    # x_i - x_j = 1 only for i < j
    [[0, 1, 2]]
    """
    return _coordinate_symmetries(arr, max_order, None)


def _coordinate_symmetries(arr, max_order, max_nodes):
    """Search of :func:`coordinate_symmetries` with a node budget.

    ``max_nodes``: raise :class:`TooLargeError` once the search has built more partial
    assignments than this (``None``: no limit).
    """
    R, rows = _rows(arr, "coordinate_symmetries")
    n = arr.dim
    if max_order is not None and (isinstance(max_order, bool) or not isinstance(max_order, int)
                                  or max_order < 1):
        raise ValidationError(f"`max_order` of `coordinate_symmetries` must be a positive int or "
                              f"None; got {max_order!r} instead.")
    if not rows:
        if max_order is not None and n > 0 and _factorial_exceeds(n, max_order):
            raise TooLargeError(f"the empty arrangement in dimension {n} has {n}! > {max_order:,} "
                                f"symmetries; raise `max_order`")
        return np.array(sorted(permutations(range(n))), dtype=np.int64).reshape(-1, n)
    present = {tuple(r) for r in rows}
    # column profiles: a symmetry maps column i to a column with the same multiset of
    # (|entry|, row profile) values, where the row profile is the sorted |entries| + offset
    width = len(rows[0])
    row_prof = [(tuple(sorted(abs(v) for v in r[:n])), tuple(abs(v) for v in r[n:])) for r in rows]
    col_prof = [tuple(sorted((abs(r[i]), row_prof[h]) for h, r in enumerate(rows))) for i in range(n)]
    cand = [[j for j in range(n) if col_prof[j] == col_prof[i]] for i in range(n)]
    # rows whose support (among the permuted coordinates) ends at coordinate i
    done_at = [[] for _ in range(n)]
    for h, r in enumerate(rows):
        supp = [i for i in range(n) if r[i]]
        done_at[supp[-1] if supp else 0].append(h)
    A = _int64_rows(rows)
    index = _RowIndex(A) if A is not None else None
    if index is not None and index.ok:
        return _search_vectorised(A, index, n, cand, done_at, max_order, max_nodes)
    found = []
    sigma = [0] * n
    used = [False] * n
    nodes = [0]

    def ok(i):
        for h in done_at[i]:
            r = rows[h]
            img = [0] * width
            img[n:] = r[n:]
            for c in range(n):
                if r[c]:
                    img[sigma[c]] = r[c]
            if _key(img) not in present:
                return False
        return True

    def dfs(i):
        if i == n:
            found.append(tuple(sigma))
            if max_order is not None and len(found) > max_order:
                raise TooLargeError(f"`arr` has more than {max_order:,} coordinate symmetries; "
                                    f"raise `max_order` of `coordinate_symmetries`")
            return
        for j in cand[i]:
            if not used[j]:
                nodes[0] += 1
                if max_nodes is not None and nodes[0] > max_nodes:
                    raise TooLargeError(f"the symmetry search passed {max_nodes:,} partial assignments")
                sigma[i] = j
                used[j] = True
                if ok(i):
                    dfs(i + 1)
                used[j] = False

    dfs(0)
    found.sort()
    return np.array(found, dtype=np.int64).reshape(-1, n)


_SEARCH_CHUNK = 4096  # partial assignments extended at once


def _search_vectorised(A, index, n, cand, done_at, max_order, max_nodes=None):
    """The depth-first search of :func:`coordinate_symmetries` on blocks of partial assignments.

    A block of partial assignments (images of coordinates ``0 .. i-1``) is extended
    by every candidate image of coordinate ``i`` at once; the extensions that send a
    hyperplane whose support ends at ``i`` outside the arrangement are dropped (exact
    row lookup); the survivors are searched further in blocks, so memory stays
    bounded by the block size.
    """
    K, width = A.shape
    found = []
    total = 0
    nodes = 0
    supports = [np.nonzero(A[h, :n])[0] for h in range(K)]

    def extend(part, i):
        nonlocal total, nodes
        if i == n:
            found.append(part)
            total += part.shape[0]
            if max_order is not None and total > max_order:
                raise TooLargeError(f"`arr` has more than {max_order:,} coordinate symmetries; "
                                    f"raise `max_order` of `coordinate_symmetries`")
            return
        cj = np.asarray(cand[i], dtype=np.int64)
        P = part.shape[0]
        ext = np.empty((P * cj.size, i + 1), dtype=np.int64)
        ext[:, :i] = np.repeat(part, cj.size, axis=0)
        ext[:, i] = np.tile(cj, P)
        if i:
            ext = ext[~np.any(ext[:, :i] == ext[:, i:i + 1], axis=1)]
        nodes += ext.shape[0]
        if max_nodes is not None and nodes > max_nodes:
            raise TooLargeError(f"the symmetry search passed {max_nodes:,} partial assignments")
        for h in done_at[i]:
            if ext.shape[0] == 0:
                return
            supp = supports[h]
            img = np.zeros((ext.shape[0], width), dtype=np.int64)
            img[:, n:] = A[h, n:]
            img[np.arange(ext.shape[0])[:, None], ext[:, supp]] = A[h, supp]
            ext = ext[index.find(_normalise(img)) >= 0]
        for lo in range(0, ext.shape[0], _SEARCH_CHUNK):
            extend(ext[lo:lo + _SEARCH_CHUNK], i + 1)

    extend(np.zeros((1, 0), dtype=np.int64), 0)
    G = np.concatenate(found) if found else np.zeros((0, n), dtype=np.int64)
    return G[np.lexsort(G.T[::-1])] if G.shape[0] else G


def _factorial_exceeds(n, m):
    f = 1
    for i in range(2, n + 1):
        f *= i
        if f > m:
            return True
    return False


def symmetry_group(arr: Arrangement, generators: Any, *,
                   max_order: int | None = DEFAULT_MAX_ORDER) -> np.ndarray:
    """The group generated by given coordinate permutations, checked to be symmetries.

    Parameters
    ----------
    arr : Arrangement
    generators : array_like of int, shape (m, dim)
        Permutations of ``range(dim)`` (coordinate ``i`` goes to ``generators[g][i]``).
        Each must map the arrangement to itself; otherwise
        :class:`~zonotope.ValidationError` says which one does not.
    max_order : int or None
        Refuse (:class:`~zonotope.TooLargeError`) a group with more elements.

    Returns
    -------
    numpy.ndarray
        ``(order, dim)`` int64, every element of the group, the identity first.

    Examples
    --------
    >>> from zonotope.library import resonance_arrangement
    >>> len(symmetry_group(resonance_arrangement(4), [[1, 0, 2, 3], [1, 2, 3, 0]]))
    24
    """
    R, rows = _rows(arr, "symmetry_group")
    n = arr.dim
    try:
        gens = list(generators)
    except TypeError:
        raise ValidationError(f"`generators` of `symmetry_group` must be a sequence of permutations "
                              f"of range({n}); got {type(generators).__name__} instead.") from None
    perms = []
    for g, p in enumerate(gens):
        q = _as_perm(p, n)
        if q is None:
            raise ValidationError(f"`generators[{g}]` of `symmetry_group` must be a permutation of "
                                  f"range({n}); got {p!r} instead.")
        perms.append(q)
    if rows and perms:
        act = _hyperplane_action(rows, perms, n)
        if act is None:
            for g, q in enumerate(perms):
                if _hyperplane_action(rows, [q], n) is None:
                    raise ValidationError(f"`generators[{g}]` of `symmetry_group` = {list(q)} does not "
                                          f"map the arrangement to itself")
    els = _closure(perms, n, float("inf") if max_order is None else max_order)
    return np.array(els, dtype=np.int64).reshape(-1, n)


_AUTO_MAX_NODES = 1 << 22  # symmetry='auto': give up a search past this many partial assignments


def _auto_group(arr):
    """``symmetry='auto'``: the coordinate symmetries, or None (trivial, or not cheap to find)."""
    if arr.n_hyperplanes == 0:
        return None
    try:
        G = _coordinate_symmetries(arr, DEFAULT_MAX_ORDER, _AUTO_MAX_NODES)
    except TooLargeError:
        return None
    return G if len(G) > 1 else None


def _resolve(arr, symmetry, func):
    """``symmetry=`` of the lattice functions -> the group as coordinate permutations, or None."""
    if symmetry is None:
        return None
    from .arrangement import Arrangement

    if isinstance(arr, Arrangement) and arr.n_hyperplanes == 0:
        return None  # nothing to gain (and every permutation is a symmetry)
    if isinstance(symmetry, str):
        if symmetry != "coordinates":
            raise ValidationError(f"`symmetry` of `{func}` must be 'auto', None, 'coordinates' or a "
                                  f"sequence of coordinate permutations; got {symmetry!r} instead.")
        G = coordinate_symmetries(arr)
    else:
        G = symmetry_group(arr, symmetry)
    return G if len(G) > 1 else None
