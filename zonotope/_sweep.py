r"""The exact combinatorial chamber enumerator (a recursive sweep; no LP inside).

Setting: an *essential* central arrangement of hyperplanes ``a_j . w = 0`` in a
linear space ``V``.  We write ``V_k = span(t_0, ..., t_{k-1})^perp`` where the
``t_i`` are auxiliary integer vectors (the first ones may span the lineality
space of a non-essential arrangement).  Every sign below is a sign of a
determinant ``det([rows; x])`` of ``n`` rows of ``R^n`` and is decided exactly by
:class:`zonotope._exact.ExactRows`.

For a central arrangement ``A`` in ``V_k`` (dimension ``m = n - k``) and the
functionals ``c = t_k`` and ``g = t_{k+1}``:

* A *ray* is a rank ``m - 1`` flat, spanned by the cofactor vector ``r_S`` of any
  ``m - 1`` independent hyperplanes ``S``; ``r_S . x = det([a_S; t_0..t_{k-1}; x])``.
  Orient it so that ``c . r > 0``; it is then a vertex of the affine slice
  ``{c . w = 1}``.
* ``LV(A)``: the chambers of ``A`` meeting ``{c > 0}`` whose slice has a lowest vertex
  for the sweep direction ``g``.  Each has exactly one such vertex ``r``, and it is the
  chamber made of the signs of ``r`` on the hyperplanes not through ``r`` and of a
  chamber of the localisation ``A_r`` (in ``V_{k+1}``) *contained* in ``{g > 0}``.  At a
  simple ray the localisation is a basis and that chamber is the single orthant
  ``sign(lambda)`` with ``g = sum lambda_i a_{s_i} (mod c)``, by Cramer's rule
  ``lambda_i ~ det([a_S with a_{s_i} -> g; t; c])``.
* ``All(A) = LV(A) u -LV(A) u All(A | c^perp)``: a chamber avoiding ``c^perp`` lies on
  one side of it and is bounded in the slice of that side, so it is in ``LV`` or
  ``-LV``; a chamber meeting ``c^perp`` is the unique chamber containing a chamber of
  the restriction.
* ``In(A) = LV(A) \ In(A | c^perp)``: the chambers contained in ``{c > 0}``.  A
  chamber of ``LV`` meets ``c^perp`` exactly when it meets ``c^perp n {g > 0}`` but not
  ``{g < 0}``, i.e. when it contains a chamber of ``In(A | c^perp)``.
* In dimension one there are two chambers, ``+-(sign det([t; a_j]))_j``.

Counting follows the same recursion without listing:
``|All| = 2 |Pos| - |All(A|c^perp)|``, ``|Pos| = |LV| + |Pos(A|c^perp)|`` and
``|In| = |LV| - |In(A|c^perp)|`` with ``|LV| = sum_rays |In(A_r)|`` (``= 1`` at simple
rays).  The auxiliary vectors are random integers; genericity of every one of them
is *checked exactly* (a zero determinant where a non-zero one is needed) and on
failure the whole computation restarts with fresh vectors.
"""

from __future__ import annotations

from functools import lru_cache
from math import comb

import numpy as np

__all__ = ["NonGenericAux", "Sweep", "combo_blocks", "combo_prefix_blocks", "combos_from_prefixes"]


class NonGenericAux(Exception):
    """Internal: an auxiliary vector hit a degenerate position; restart with others."""


def _combos(n, k):
    """All k-subsets of range(n) as an (C(n,k), k) int array (lexicographic, read-only)."""
    if comb(n, k) <= 200_000:
        return _combos_cached(n, k)
    return _combos_build(n, k)


def _combos_frozen(n, k):
    """:func:`_combos_build`, made read-only (the form the caches below hold)."""
    out = _combos_build(n, k)
    out.flags.writeable = False
    return out


_combos_cached = lru_cache(maxsize=256)(_combos_frozen)  # whole tables up to 200,000 rows
_combos_small = lru_cache(maxsize=512)(_combos_frozen)  # pieces of at most 1,024 rows


def _combos_part(n, k):
    """``_combos`` for the pieces of a larger table, small ones memoised.

    At most 1,024 rows each and 512 tables (4 MiB per column of the rows, 32 MiB for
    8-subsets); larger tables are built from the small ones.
    """
    if comb(n, k) <= 1024:
        return _combos_small(n, k)
    return _combos_build(n, k)


def _combos_build(n, k):
    if k == 0:
        return np.zeros((1, 0), dtype=np.intp)
    if k > n:
        return np.zeros((0, k), dtype=np.intp)
    if k == 1:
        return np.arange(n, dtype=np.intp).reshape(-1, 1)
    if k == 2:
        i, j = np.triu_indices(n, 1)
        return np.stack([i, j], axis=1).astype(np.intp)
    parts = []
    for first in range(n - k + 1):
        rest = _combos_part(n - first - 1, k - 1) + (first + 1)  # memoised small sub-tables
        parts.append(np.concatenate([np.full((rest.shape[0], 1), first, dtype=np.intp), rest], axis=1))
    return np.concatenate(parts)


def combo_prefix_blocks(n, k, target):
    """The k-subsets of ``range(n)`` in lexicographic order, cut into blocks of ~``target``.

    Yields lists of ``(prefix, start)``: each stands for the subsets made of the tuple
    ``prefix`` followed by any ``(k - len(prefix))``-subset of ``range(start, n)``.  A
    block holds whole prefix groups; a group larger than ``target`` is split by a
    longer prefix.  See :func:`combos_from_prefixes`.
    """
    target = max(1, int(target))
    buf, size = [], 0

    def rec(prefix, start, r):
        nonlocal buf, size
        total = comb(n - start, r)
        if total == 0:
            return
        if total <= target or r == 0:
            buf.append((tuple(prefix), start))
            size += total
            if size >= target:
                out, buf, size = buf, [], 0
                yield out
            return
        for first in range(start, n - r + 1):
            yield from rec(prefix + [first], first + 1, r - 1)

    yield from rec([], 0, k)
    if buf:
        yield buf


def combos_from_prefixes(n, k, prefixes):
    """The ``(n_rows, k)`` array of the subsets described by ``(prefix, start)`` pairs."""
    parts = []
    for prefix, start in prefixes:
        arr = _combos_part(n - start, k - len(prefix)) + start
        if prefix:
            arr = np.concatenate([np.broadcast_to(np.array(prefix, dtype=np.intp),
                                                  (arr.shape[0], len(prefix))), arr], axis=1)
        parts.append(arr)
    if not parts:
        return np.zeros((0, k), dtype=np.intp)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def combo_blocks(n, k, target):
    """The k-subsets of ``range(n)`` in lexicographic order, in blocks of about ``target`` rows.

    Each yielded block is an ``(n_rows, k)`` intp array (see :func:`combo_prefix_blocks`);
    memory is ``O(target * k)`` unless one prefix group alone is larger.
    """
    for prefixes in combo_prefix_blocks(n, k, target):
        yield combos_from_prefixes(n, k, prefixes)


def _colex_rank(P, binom, cols=None):
    """Colexicographic rank of sorted rows ``P`` (sum_j C(p_j, j + 1)).

    ``cols``: the columns of ``P`` that form the rows (default: all), so that a
    sub-selection of columns needs no copy.
    """
    cols = range(P.shape[1]) if cols is None else cols
    r = np.zeros(P.shape[0], dtype=np.int64)
    for j, c in enumerate(cols):
        r += binom[j + 1].take(P[:, c])
    return r


@lru_cache(maxsize=64)
def _binom_rows(n, k):
    """``out[j, p] = C(p, j)`` for ``j < k``, ``p <= n`` (int64, read-only)."""
    out = np.array([[comb(p, j) for p in range(n + 1)] for j in range(k)], dtype=np.int64)
    out.flags.writeable = False
    return out


def _unit_rows(V):
    """Rows scaled to unit length without overflow (zero and non-finite rows become zero)."""
    if V.ndim == 2 and V.shape[0]:
        # fast path: every squared norm a normal float (no overflow, underflow or zero row)
        with np.errstate(all="ignore"):
            n2 = np.einsum("ij,ij->i", V, V)
        if n2.min() > 1e-290 and n2.max() < 1e290:  # (nan fails both tests)
            return V * (1.0 / np.sqrt(n2))[:, None]
    V = np.where(np.all(np.isfinite(V), axis=1, keepdims=True), V, 0.0)
    m = np.max(np.abs(V), axis=1, keepdims=True)
    V = V / np.where(m > 0, m, 1.0)
    n = np.sqrt((V * V).sum(axis=1, keepdims=True))
    return V / np.where(n > 0, n, 1.0)


def void_keys(signs):
    """Byte keys of +-1 sign rows, usable for np.unique / set operations."""
    packed = np.packbits(signs > 0, axis=1)
    packed = np.ascontiguousarray(packed)
    return packed.view(np.dtype((np.void, packed.shape[1]))).ravel()


def void_keys_packed(P):
    """Byte keys of packed uint8 rows (one ``np.void`` per row)."""
    P = np.ascontiguousarray(P)
    if P.shape[1] == 0:
        return np.zeros(P.shape[0], dtype=np.dtype((np.void, 1)))
    return P.view(np.dtype((np.void, P.shape[1]))).ravel()


def _words(P):
    """Packed uint8 rows -> uint64 words (zero padded), any fixed bit layout."""
    P = np.ascontiguousarray(P)
    W = max(1, (P.shape[1] + 7) // 8)
    buf = np.zeros((P.shape[0], 8 * W), dtype=np.uint8)
    buf[:, : P.shape[1]] = P
    return buf.view(np.uint64)


def keys_isin(a, b):
    """``a[i] in b`` for uint64 keys (``b`` distinct); exact.

    A direct-address table of ``8-16 |b|`` slots (multiplicative hashing, the top bits
    of ``key * 0x9E37...``) answers a query with one gather and one comparison of the
    key itself; only the queries that land in a slot shared by several keys of ``b``
    (a small fraction) are answered by binary search in the sorted ``b``.
    """
    a = np.ascontiguousarray(a, dtype=np.uint64)
    b = np.ascontiguousarray(b, dtype=np.uint64)
    out = np.zeros(a.shape[0], dtype=bool)
    if a.size == 0 or b.size == 0:
        return out
    bits = min(30, max(4, int(b.size).bit_length() + 3))
    shift = np.uint64(64 - bits)
    gold = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        sb = ((b * gold) >> shift).astype(np.intp)
        sa = ((a * gold) >> shift).astype(np.intp)
    cnt = np.bincount(sb, minlength=1 << bits)
    table = np.zeros(1 << bits, dtype=np.uint64)
    table[sb] = b
    ca = cnt.take(sa)
    out[:] = (ca == 1) & (table.take(sa) == a)
    amb = np.nonzero(ca > 1)[0]
    if amb.size:
        bs = np.sort(b)
        q = a.take(amb)
        j = np.minimum(np.searchsorted(bs, q), bs.size - 1)
        out[amb] = bs.take(j) == q
    return out


def words_isin(A, B):
    """``A[i] in B`` for uint64 word rows (rows of ``B`` distinct); exact."""
    if A.shape[0] == 0 or B.shape[0] == 0:
        return np.zeros(A.shape[0], dtype=bool)
    if A.shape[1] == 1:
        return keys_isin(A[:, 0], B[:, 0])
    hb = _row_hash64(B)
    order = np.argsort(hb)
    hs = hb.take(order)
    if np.any(hs[1:] == hs[:-1]):  # pragma: no cover - a hash collision inside B
        va = np.ascontiguousarray(A).view(np.dtype((np.void, 8 * A.shape[1]))).ravel()
        vb = np.ascontiguousarray(B).view(np.dtype((np.void, 8 * B.shape[1]))).ravel()
        return np.isin(va, vb)
    ha = _row_hash64(A)
    hit = keys_isin(ha, hb)
    cand = np.nonzero(hit)[0]
    if cand.size:
        # the row of B with the same hash (hashes of B are distinct), compared word by word
        j = order.take(np.searchsorted(hs, ha.take(cand)))
        hit[cand] = np.all(np.take(B, j, axis=0) == np.take(A, cand, axis=0), axis=1)
    return hit


def _row_hash64(bits):
    h = bits[:, 0].copy()
    for w in range(1, bits.shape[1]):
        h = h * np.uint64(0x9E3779B97F4A7C15) ^ bits[:, w]
    return h


def packed_isin(A, B):
    """``A[i] in B`` for packed uint8 sign rows (rows of ``B`` distinct); exact."""
    return words_isin(_words(A), _words(B))


def packed_order(P):
    """Stable order sorting packed uint8 rows lexicographically (as ``memcmp`` would).

    A least-significant-digit radix sort on 16-bit big-endian digits: numpy's stable
    ``argsort`` of 16-bit keys is itself a radix sort, so each of the ``ceil(B / 2)``
    passes is linear (about 3x faster than ``lexsort`` over 64-bit words).
    """
    P = np.ascontiguousarray(P)
    M, B = P.shape
    if M < 2 or B == 0:
        return np.arange(M)
    if B == 1:
        return np.argsort(P[:, 0], kind="stable")
    Bp = B + (B % 2)
    if Bp != B:
        buf = np.zeros((M, Bp), dtype=np.uint8)
        buf[:, :B] = P
    else:
        buf = P
    digits = np.ascontiguousarray(buf.view(">u2").astype(np.uint16).T)  # (Bp / 2, M)
    order = np.argsort(digits[-1], kind="stable")
    for j in range(digits.shape[0] - 2, -1, -1):
        order = order.take(np.argsort(digits[j].take(order), kind="stable"))
    return order


class Sweep:
    """One run of the recursive sweep over an :class:`ExactRows` object.

    Parameters
    ----------
    er : ExactRows
        Rows ``0..n_hyp-1`` are the hyperplane normals; rows ``aux[0], aux[1], ...``
        are the auxiliary vectors ``t_0, t_1, ...`` (lineality basis first).
    aux : list of int
        Row indices of the auxiliary vectors.
    want_points : bool
        Also return a float interior point per chamber (verified later).
    """

    def __init__(self, er, aux, want_points=True):
        self.er = er
        self.aux = list(aux)
        self.n = er.dim
        self.want_points = want_points
        self.n_exact = 0
        # by-products of the base chamber, memoised by the aux row indices: the sign of
        # det([aux rows]; next aux row) and the float cofactor vector of the aux rows
        self._det1 = {}
        self._aux_cross = {}

    # ----------------------------------------------------------------- helpers
    def _signs(self, rowsets, cols, stats=None, cross_out=None, row_min_out=None):
        s, ne = self.er.cross_dot_signs(rowsets, cols, stats=stats, cross_out=cross_out,
                                        row_min_out=row_min_out)
        self.n_exact += ne
        return s

    def _rays(self, idx, k, loc=None):
        """Rays of the arrangement ``idx`` in ``V_k``.

        Returns (S, chi, sigma, simple) where ``S`` are local positions (into idx)
        of a spanning (m-1)-subset per ray, ``chi`` the (n_rays, len(idx)) signs of
        each hyperplane on ``r_S`` (not yet oriented), ``sigma`` the orientation so
        that ``t_k . (sigma r) > 0``, and ``simple`` a boolean mask.
        """
        m = self.n - k
        C = self.aux[:k]
        batch = loc is not None
        if loc is None:
            loc = _combos(len(idx), m - 1)
        rowsets = np.concatenate([idx[loc], np.broadcast_to(np.array(C, dtype=np.intp),
                                                            (loc.shape[0], k))], axis=1)
        stats = {}
        self._last_cross = rc = np.empty((rowsets.shape[0], self.n)) if self.want_points else None
        self._last_rowmin = rm = np.empty(rowsets.shape[0]) if self.want_points else None
        chi = self._signs(rowsets, np.concatenate([idx, [self.aux[k]]]), stats, rc, rm)
        sigma = chi[:, -1].copy()
        chi = chi[:, :-1]
        if stats.get("zeros", 0) == 0:
            # no zero besides the forced ones: every subset is a basis and every ray simple
            return loc, rowsets, chi, sigma, np.ones(loc.shape[0], dtype=bool)
        nz = (chi != 0).sum(axis=1)
        keep = nz > 0  # dependent subsets give r = 0, hence all signs zero
        loc, rowsets, chi, sigma = loc[keep], rowsets[keep], chi[keep], sigma[keep]
        if rc is not None:
            rc, rm = rc[keep], rm[keep]
        zeros = chi == 0
        nzero = zeros.sum(axis=1)
        simple = nzero == m - 1
        if not simple.all():
            # a non-simple ray is found by several subsets: keep one of each
            ns = np.nonzero(~simple)[0]
            drop = np.ones(ns.size, dtype=bool)
            if batch:
                # a batch of subsets: keep S only if it is the greedy (lexicographically
                # first) basis of its zero set, a choice independent of the batching
                memo = {}
                for t, row in enumerate(ns):
                    Z = tuple(np.nonzero(zeros[row])[0].tolist())
                    if Z not in memo:
                        memo[Z] = self._greedy_basis(idx, k, Z)
                    drop[t] = memo[Z] != tuple(loc[row].tolist())
            else:
                keys = void_keys(np.where(zeros[ns], 1, -1).astype(np.int8))
                _, first = np.unique(keys, return_index=True)
                drop[first] = False
            keep = np.ones(loc.shape[0], dtype=bool)
            keep[ns[drop]] = False
            loc, rowsets, chi, sigma, simple = loc[keep], rowsets[keep], chi[keep], sigma[keep], simple[keep]
            if rc is not None:
                rc, rm = rc[keep], rm[keep]
        self._last_cross = rc
        self._last_rowmin = rm
        if np.any(sigma == 0):
            raise NonGenericAux
        return loc, rowsets, chi, sigma, simple

    def _greedy_basis(self, idx, k, Z):
        """Lexicographically first subset of positions ``Z`` independent modulo t (exact)."""
        from ._exact import exact_rref

        base = [self.er.zrow(int(t)) for t in self.aux[:k]]
        chosen = []
        rank = len(exact_rref(base)[1]) if base else 0
        for z in Z:
            trial = base + [self.er.zrow(int(idx[p])) for p in chosen + [z]]
            r = len(exact_rref(trial)[1])
            if r > rank:
                chosen.append(z)
                rank = r
                if len(chosen) == self.n - k - 1:
                    break
        return tuple(chosen)

    # ----------------------------------------------------------------- chambers
    def all(self, idx, k):
        """All chambers of arrangement ``idx`` in ``V_k``, as packed sign rows.

        Returns (packed uint8 rows, bit set = +1, in ``np.packbits`` order; points).
        The disjoint union of :meth:`stream_all` (no sort, no deduplication).
        """
        rows, pts = [], []
        # rays per block: the int8 sign block (rays x hyperplanes) stays near 2 MiB (cache
        # sized), so the working memory does not grow with the number of hyperplanes
        rays = max(4096, (1 << 21) // max(1, len(idx)))
        m = self.n - k
        if m == 1:
            s, p = self._base(idx, k, both=True)
            return np.packbits(s > 0, axis=1), p
        # stream_all, packed once: the opposite chambers are the complemented bit rows
        # (chambers have no zero sign), their points the negated points
        in1 = self.inside_keys(idx, k + 1, rays)
        pad = np.zeros((1, (len(idx) + 7) // 8), dtype=np.uint8)
        if len(idx) % 8:
            pad[0, -1] = (1 << (8 - len(idx) % 8)) - 1
        for s, p in self.lv_blocks(idx, k, rays):
            P = np.packbits(s > 0, axis=1)
            rows.append(P)
            pts.append(p)
            neg = ~packed_isin(P, in1)
            Pn = np.compress(neg, P, axis=0)
            np.invert(Pn, out=Pn)
            Pn ^= pad
            rows.append(Pn)
            pts.append(None if p is None else np.negative(np.compress(neg, p, axis=0)))
        for j in range(1, m - 1):
            for s, p in self.lv_blocks(idx, k + j, rays):
                rows.append(np.packbits((s > 0) if j % 2 == 0 else (s < 0), axis=1))
                pts.append(None if p is None else (p if j % 2 == 0 else -p))
        s, p = self._base(idx, self.n - 1, both=False)
        sg = -1 if (m - 1) % 2 else 1
        rows.append(np.packbits((s > 0) if sg > 0 else (s < 0), axis=1))
        pts.append(None if p is None else sg * p)
        return np.concatenate(rows), (None if pts[0] is None else np.concatenate(pts))

    def inside(self, idx, k):
        """Chambers of ``idx`` in ``V_k`` contained in ``{t_k > 0}``."""
        m = self.n - k
        if m == 1:
            return self._base(idx, k, both=False)
        s, p = self._lv(idx, k)
        s_i, _ = self.inside(idx, k + 1)
        if s_i.shape[0]:
            drop = np.isin(void_keys(s), void_keys(s_i))
            s = s[~drop]
            p = None if p is None else p[~drop]
        return s, p

    def _base(self, idx, k, both):
        C = np.array(self.aux[:k], dtype=np.intp).reshape(1, -1)
        # one cofactor vector: the signs on idx, the orientation (t_k) and the point
        cols = idx if both else np.concatenate([idx, [self.aux[k]]]).astype(np.intp)
        rc = np.empty((1, self.n)) if self.want_points else None
        s_all = self._signs(C, cols, cross_out=rc)
        plus = s_all[:, : len(idx)]  # (1, len(idx))
        if np.any(plus == 0):
            raise NonGenericAux
        pt = _unit_rows(rc) if self.want_points else None
        if both:
            S = np.concatenate([plus, -plus])
            return S, (None if pt is None else np.concatenate([pt, -pt]))
        o = s_all[0, -1]
        if o == 0:
            raise NonGenericAux
        self._det1[(tuple(self.aux[:k]), self.aux[k])] = int(o)
        if rc is not None:
            self._aux_cross[tuple(self.aux[:k])] = rc[0].copy()
        return (plus if o > 0 else -plus), (None if pt is None else (pt if o > 0 else -pt))

    def _lambda_signs(self, idx, k, loc, sigma, direct=False):
        """Signs ``eps[:, i] = sign(lambda_i)`` of the sweep direction in the dual basis.

        ``sign(lambda_i) = sign(g . u_i) * sign(a_{s_i} . u_i)`` with ``u_i`` the
        cofactor vector of ``[a_{S minus i}; t; c]``; the second factor is
        ``(-1)^(n-1-i) sigma``.  The first is the sign of ``det([a_T; t; c; g])`` with
        ``T = S minus s_i``; it depends on the (m-2)-subset ``T`` only, so all values are
        computed once as a table over (m-3)-subsets ``P`` and columns ``q`` (``T = P + q``)
        and looked up.
        """
        m = self.n - k
        M = loc.shape[0]
        C = self.aux[:k]
        c, g = self.aux[k], self.aux[k + 1]
        eps = np.empty((M, m - 1), dtype=np.int8)
        K = len(idx)
        if m == 2:
            sg = self._det1.get((tuple(C + [c]), g))  # the orientation of the base chamber
            if sg is None:
                sg = self._signs(np.array([C + [c]], dtype=np.intp), np.array([g]))[0, 0]
            if sg == 0:
                raise NonGenericAux
            sa = sigma * (-1 if (self.n - 1) % 2 else 1)
            eps[:, 0] = sg * sa
            return eps
        dense = comb(K, m - 3) * K
        if not direct and dense <= 20_000_000:
            P = _combos(K, m - 3)
            rowsets = np.concatenate([idx[P], np.broadcast_to(np.array(C + [c, g], dtype=np.intp),
                                                              (P.shape[0], k + 2))], axis=1)
            table = self._signs(rowsets, idx)  # det([a_P; t; c; g; a_q])
            binom = _binom_rows(K, m - 1)
            full = np.empty((comb(K, m - 3), K), dtype=np.int8)
            full[_colex_rank(P, binom)] = table
            full = full.ravel()
            flip = -1 if (self.n - 1 - (m - 3)) % 2 else 1
            for i in range(m - 1):
                Tc = [c for c in range(m - 1) if c != i]  # T = S minus s_i (sorted columns)
                sg = full.take(_colex_rank(loc, binom, Tc[:-1]) * K + loc[:, Tc[-1]]) * flip
                sa = sigma * (-1 if (self.n - 1 - i) % 2 else 1)
                eps[:, i] = sg * sa
            # T containing q twice cannot occur; a zero means g is not generic
            if np.any(eps == 0):
                raise NonGenericAux
            return eps
        base = np.broadcast_to(np.array(C + [c], dtype=np.intp), (M, k + 1))
        Ssel = idx[loc]
        for i in range(m - 1):
            rs = np.concatenate([np.delete(Ssel, i, axis=1), base], axis=1)
            sg = self._signs(rs, np.array([g]))[:, 0]
            sa = sigma * (-1 if (self.n - 1 - i) % 2 else 1)
            eps[:, i] = sg * sa
        if np.any(eps == 0):
            raise NonGenericAux
        return eps

    def _local_dirs(self, idx, k, loc, eps):
        """Float directions ``u`` with ``sign(a_{s_i} . u) = eps_i``, ``u`` orthogonal to t and c.

        ``u = B v`` with ``B`` an orthonormal basis of ``V_{k+1}`` (one QR per level) and
        ``(a_S B) v = eps``: a ``(m-1) x (m-1)`` system per ray, solved by Cramer's rule
        (vectorised) for ``m - 1 <= 3``.  Only a float guess: every point is certified
        exactly afterwards.
        """
        M = loc.shape[0]
        m = self.n - k
        F = self.er.F
        q = m - 1
        B = None
        r = self._aux_cross.get(tuple(self.aux[: k + 1])) if q == 1 else None
        if r is not None:  # span(t_0..t_k)^perp is a line: the unit cofactor vector of the t's
            nr = float(np.sqrt(r @ r))
            if np.isfinite(nr) and nr > 0:
                B = (r / nr)[:, None]
        if B is None:
            T = F[np.array(self.aux[: k + 1], dtype=np.intp)]  # (k+1, n)
            Q, _ = np.linalg.qr(np.concatenate([T.T, np.eye(self.n)], axis=1))
            B = Q[:, k + 1: self.n]  # orthonormal basis of span(t_0..t_k)^perp, (n, m-1)
        # the hyperplanes in the basis B once (K x q), then gathered per ray
        FBT = np.ascontiguousarray((F[idx] @ B).T)  # (q, K)
        rhs = eps.astype(np.float64)
        with np.errstate(all="ignore"):
            if q <= 3:
                # entry (i, j) of a_S B for every ray: one contiguous gather each
                ent = [[FBT[j].take(loc[:, i]) for j in range(q)] for i in range(q)]
            if q == 1:
                V = rhs / ent[0][0][:, None]
            elif q == 2:
                (a, b), (c, d) = ent
                det = a * d - b * c
                V = np.stack([(rhs[:, 0] * d - b * rhs[:, 1]), (a * rhs[:, 1] - c * rhs[:, 0])], axis=1)
                V /= det[:, None]
            elif q == 3:
                (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = ent
                # columns of adj(A): the cross products of the rows
                x0, x1, x2 = b1 * c2 - b2 * c1, b2 * c0 - b0 * c2, b0 * c1 - b1 * c0
                y0, y1, y2 = c1 * a2 - c2 * a1, c2 * a0 - c0 * a2, c0 * a1 - c1 * a0
                z0, z1, z2 = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0
                det = a0 * x0 + a1 * x1 + a2 * x2
                r0, r1, r2 = rhs[:, 0], rhs[:, 1], rhs[:, 2]
                V = np.stack([r0 * x0 + r1 * y0 + r2 * z0, r0 * x1 + r1 * y1 + r2 * z1,
                              r0 * x2 + r1 * y2 + r2 * z2], axis=1) / det[:, None]
            else:
                Amat = np.take(np.ascontiguousarray(FBT.T), loc, axis=0)  # (M, q, q)
                try:
                    V = np.linalg.solve(Amat, rhs[..., None])[..., 0]
                except np.linalg.LinAlgError:  # pragma: no cover - singular only if not generic
                    V = np.array([np.linalg.lstsq(Amat[j], rhs[j], rcond=None)[0] for j in range(M)])
            U = V @ B.T
        if not np.isfinite(U).all():  # pragma: no cover - a numerically singular system: fall back
            bad = ~np.all(np.isfinite(U), axis=1)
            Amat = np.take(np.ascontiguousarray(FBT.T), loc, axis=0)
            U[bad] = np.array([np.linalg.lstsq(Amat[j], rhs[j], rcond=None)[0] @ B.T
                               for j in np.nonzero(bad)[0]])
        return U

    def _lv(self, idx, k, loc=None):
        loc, rowsets, chi, sigma, simple = self._rays(idx, k, loc)
        rc = self._last_cross
        if rc is not None:
            # push distance at simple rays from the by-product min_j |a_j . r| of the signs:
            # delta = min |a_j . r_hat| / (2 max |a_j|) (the aux column only lowers it)
            amax = float(np.sqrt((self.er.F[idx] ** 2).sum(axis=1)).max())
            with np.errstate(all="ignore"):
                rnorm = np.sqrt((rc * rc).sum(axis=1))
                dsimple = np.minimum(0.5 * self._last_rowmin / (rnorm * amax), 0.5)
            rc = _unit_rows(rc)
        out_s = []
        out_p = []
        # ---- simple rays: one orthant each
        sel = np.nonzero(simple)[0]
        if sel.size:
            allsel = sel.size == loc.shape[0]
            l_s = loc if allsel else loc[sel]
            sg_s = sigma if allsel else sigma[sel]
            eps = self._lambda_signs(idx, k, l_s, sg_s)
            rows_s = chi if allsel else chi[sel]
            rows_s *= sg_s[:, None]
            rows_s[np.arange(sel.size)[:, None], l_s] = eps
            out_s.append(rows_s)
            if self.want_points:
                R = (rc if allsel else rc[sel]) * sg_s[:, None]
                U = _unit_rows(self._local_dirs(idx, k, l_s, eps))
                dl = dsimple if allsel else dsimple[sel]
                if np.all(np.isfinite(dl)) and np.all(dl > 0):
                    out_p.append(R + dl[:, None] * U)
                else:  # pragma: no cover - extreme values: the explicit computation
                    out_p.append(self._push(R, U, idx, None, l_s))
        # ---- non-simple rays: recurse into the localisation
        for t in np.nonzero(~simple)[0]:
            Z = np.nonzero(chi[t] == 0)[0]
            s_loc, p_loc = self.inside(idx[Z], k + 1)
            row = chi[t] * sigma[t]
            rows_s = np.repeat(row[None], s_loc.shape[0], axis=0)
            rows_s[:, Z] = s_loc
            out_s.append(rows_s)
            if self.want_points:
                R = np.repeat(rc[t:t + 1] * sigma[t], s_loc.shape[0], axis=0)
                off = np.repeat((row != 0)[None], s_loc.shape[0], axis=0)
                out_p.append(self._push(R, p_loc, idx, off, None))
        if not out_s:
            points = np.zeros((0, self.n)) if self.want_points else None
            return np.zeros((0, len(idx)), dtype=np.int8), points
        S = out_s[0] if len(out_s) == 1 else np.concatenate(out_s)
        return S, (None if not self.want_points else (out_p[0] if len(out_p) == 1 else np.concatenate(out_p)))

    def _push(self, R, U, idx, off, on_ray):
        """Points ``R + delta U`` that keep R's strict signs (float; verified later).

        ``delta = min_j |a_j . R| / (2 max_j |a_j|)`` over the hyperplanes off the ray,
        given either as a mask ``off[i, j]`` (hyperplane ``idx[j]`` misses ray ``i``,
        decided exactly) or, at simple rays, by the positions ``on_ray[i]`` of the
        hyperplanes through it; since ``|U| = 1``, ``|a_j . delta U| < |a_j . R|``.
        """
        U = _unit_rows(U)
        AT = np.ascontiguousarray(self.er.F[idx].T)
        amax = float(np.sqrt((self.er.F[idx] ** 2).sum(axis=1)).max())
        M = R.shape[0]
        delta = np.empty(M)
        step = max(1, (1 << 21) // max(len(idx), 1))
        for lo in range(0, M, step):
            hi = min(M, lo + step)
            ar = np.abs(R[lo:hi] @ AT)
            if off is not None:
                ar[~off[lo:hi]] = np.inf
            else:
                ar[np.arange(hi - lo)[:, None], on_ray[lo:hi]] = np.inf
            delta[lo:hi] = ar.min(axis=1, initial=np.inf)
        delta = np.minimum(0.5 * delta / amax, 0.5)
        return R + delta[:, None] * U

    # ----------------------------------------------------------------- streaming
    def lv_blocks(self, idx, k, rays_per_block):
        """``LV(idx, k)`` in blocks: rays are taken ``rays_per_block`` subsets at a time.

        A non-simple ray is kept only for the greedy basis of its zero set (see
        :meth:`_rays`), so the blocks are disjoint and their union is ``LV``.
        """
        m = self.n - k
        for loc in combo_blocks(len(idx), m - 1, rays_per_block):
            s, p = self._lv(idx, k, loc)
            if s.shape[0]:
                yield s, p

    def inside_keys(self, idx, k, rays_per_block):
        r"""Packed sign rows (uint8) of ``In(idx, k)``, sorted; built block by block.

        ``In(k) = LV(k) \ In(k+1)`` (Theorem 2), with ``LV(k)`` streamed in blocks, so the
        memory is that of ``In(k)`` and ``In(k+1)`` plus one block.
        """
        m = self.n - k
        if m == 1:
            s, _ = self._base(idx, k, both=False)
            return np.packbits(s > 0, axis=1)
        inner = self.inside_keys(idx, k + 1, rays_per_block)
        parts = []
        for s, _ in self.lv_blocks(idx, k, rays_per_block):
            P = np.packbits(s > 0, axis=1)
            if inner.shape[0]:
                P = P[~packed_isin(P, inner)]
            parts.append(P)
        width = (len(idx) + 7) // 8
        P = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.uint8)
        P = np.ascontiguousarray(P)
        if P.shape[0] > 1:
            P = P[packed_order(P)]
        return P

    def stream_all(self, idx, k0, rays_per_block):
        r"""Every chamber of ``idx`` in ``V_k0`` exactly once, as a stream of pieces.

        Yields ``(signs, points)`` (int8 +-1 rows; float points or None).  With
        ``Pos(k)`` the chambers meeting ``{t_k > 0}``:

        * ``Pos(k) = LV(k)  u  -Pos(k+1)`` (disjoint): a chamber meeting ``{c > 0}``
          whose slice is unbounded below in ``g`` meets ``c^perp`` in a chamber of the
          restriction that meets ``{g < 0}``, and conversely;
        * ``All(k) = Pos(k)  u  -In(k)`` (disjoint), ``In(k) = LV(k) \ In(k+1)``.

        Unrolled: ``All = LV(k0) u -LV(k0+1) u LV(k0+2) ... u +-Base u -(LV(k0) \ In(k0+1))``.
        Only ``In(k0+1)`` (the chambers of a generic hyperplane section inside one
        side) is held in memory; everything else is streamed ray block by ray block.
        """
        m = self.n - k0
        if m == 1:
            yield self._base(idx, k0, both=True)
            return
        in1 = self.inside_keys(idx, k0 + 1, rays_per_block)
        for s, p in self.lv_blocks(idx, k0, rays_per_block):
            yield s, p
            neg = ~packed_isin(np.packbits(s > 0, axis=1), in1)
            yield -s[neg], (None if p is None else -p[neg])
        for j in range(1, m - 1):
            sg = -1 if j % 2 else 1
            for s, p in self.lv_blocks(idx, k0 + j, rays_per_block):
                yield (s if sg > 0 else -s), (None if p is None else sg * p)
        s, p = self._base(idx, self.n - 1, both=False)
        sg = -1 if (m - 1) % 2 else 1
        yield (s if sg > 0 else -s), (None if p is None else sg * p)

    # ----------------------------------------------------------------- counting
    def count_all(self, idx, k, rays_per_block=None):
        """``|All(idx, k)| = 2 |Pos(k)| - |All(k+1)|`` (memory: one block of rays)."""
        if self.n - k == 1:
            self._base(idx, k, both=True)
            return 2
        return 2 * self.count_pos(idx, k, rays_per_block) - self.count_all(idx, k + 1, rays_per_block)

    def count_pos(self, idx, k, rays_per_block=None):
        if self.n - k == 1:
            return 1
        return self._count_lv(idx, k, rays_per_block) + self.count_pos(idx, k + 1, rays_per_block)

    def count_in(self, idx, k, rays_per_block=None):
        if self.n - k == 1:
            self._base(idx, k, both=False)
            return 1
        return self._count_lv(idx, k, rays_per_block) - self.count_in(idx, k + 1, rays_per_block)

    def _count_lv(self, idx, k, rays_per_block=None):
        """``|LV(idx, k)| = sum over rays of |In(localisation)|`` (1 at a simple ray)."""
        m = self.n - k
        if rays_per_block is None or comb(len(idx), m - 1) <= rays_per_block:
            blocks = [None]
        else:
            blocks = combo_blocks(len(idx), m - 1, rays_per_block)
        total = 0
        for loc in blocks:
            loc, rowsets, chi, sigma, simple = self._rays(idx, k, loc)
            total += int(simple.sum())
            for t in np.nonzero(~simple)[0]:
                Z = np.nonzero(chi[t] == 0)[0]
                total += self.count_in(idx[Z], k + 1)
        return total
