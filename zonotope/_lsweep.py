r"""The lattice-driven sweep: the exact recursive sweep with its rays read off the lattice.

The recursive sweep of :mod:`zonotope._sweep` finds the rays of each level by trying
every ``(m-1)``-subset of hyperplanes, and recurses separately into the localisation
of every non-simple ray.  On degenerate arrangements (Shi, Catalan, resonance,
integer grids) almost all subsets are dependent or give the same ray, and the
per-ray recursion is a Python loop.  Here the rays come from the intersection
lattice instead (:mod:`zonotope.lattice`, exact modular ranks), one per flat, and
the recursion is replaced by per-rank batches.  Notation as in ``docs/exactness.md``
(essential central arrangement of rank ``r`` in ``V_k0``, auxiliary vectors ``t_k``;
see ``docs/degenerate.md`` for the proofs):

* A flat ``G`` of rank ``rho`` (``1 <= rho <= r - 1``) is a ray at level
  ``k_G = n - rho - 1``: ``r_G = cofactor[a_B; t_0 .. t_{k_G - 1}]`` for any basis
  ``B`` of ``G``, oriented so that ``t_{k_G} . r_G > 0``.  Its sign row ``row_G`` is
  zero exactly on the hyperplanes of ``G`` (known from the lattice, never evaluated)
  and decided by the filtered predicate elsewhere.
* ``In(G)``: the chambers of the localisation ``A_G`` (in ``V_{k_G + 1}``) contained
  in ``{t_{k_G + 1} > 0}``, as sign vectors on ``G``; ``|In(G)| = |mu(0, G)|``.

  - ``G`` simple (``|G| = rho``): one orthant, the signs of the sweep direction in
    the dual basis (as in the sweep);
  - otherwise ``LV(G)`` is the disjoint union over the coatoms ``H`` of ``G`` of
    ``row_H|G (+) In(H)`` (lowest vertices), and ``In(G)`` keeps the chambers of
    ``LV(G)`` whose closure contains no half-line ``-r_H`` of a coatom ``H``, i.e.
    no ``H`` with ``-row_H|G`` conformal to the chamber (a pointed cone lies in
    ``{t > 0}`` iff all its extreme rays do).  That test is two bitwise ANDs.

* All chambers: ``All = LV_0 u -LV_1 u LV_2 ... u (-1)^(r-1) {beta} u -(LV_0 \ In_1)``
  with ``LV_j`` the union over the flats ``H`` of rank ``r - 1 - j`` of
  ``row_H (+) In(H)``, ``In_{r-1} = {beta}`` and ``In_j = LV_j \ In_{j+1}``.

Sign vectors are bit-packed throughout (``ceil(K / 8)`` bytes per chamber, bit set =
positive side).
"""

from __future__ import annotations

import numpy as np

from ._flats import _Engine, _group_rows
from ._sweep import NonGenericAux, Sweep, _row_hash64, _unit_rows, words_isin

__all__ = ["LatticeSweep", "exact_count_or_none", "lattice_levels"]


def _pack(B, W):
    """Bool rows (M, K) -> uint64 words (M, W) in ``numpy.packbits`` byte order."""
    P = np.packbits(B, axis=1)
    out = np.zeros((P.shape[0], 8 * W), dtype=np.uint8)
    out[:, : P.shape[1]] = P
    return out.view(np.uint64)


def _chunks(n_rows, width):
    """Row ranges whose unpacked size (``width`` bytes per row) stays near 16 MiB."""
    step = max(1, (1 << 24) // max(1, width))
    for lo in range(0, n_rows, step):
        yield lo, min(n_rows, lo + step)


_REV8 = np.array([int(f"{b:08b}"[::-1], 2) for b in range(256)], dtype=np.uint8)  # bit reversal


def _lattice_to_packed(bits):
    """Lattice bitsets -> the words of :func:`_pack`, by reversing the bits of every byte.

    The lattice sets bit ``j % 64`` of word ``j // 64`` for hyperplane ``j``;
    :func:`_pack` uses ``numpy.packbits`` byte order (bit ``7 - j % 8`` of byte ``j // 8``).
    """
    b = np.ascontiguousarray(bits).view(np.uint8)
    return _REV8.take(b).view(np.uint64)


def _rows_zero(X):
    """``True`` for the all-zero rows of a uint64 word array (M, W) (or (M,): one word)."""
    if X.ndim == 1:
        return X == 0
    if X.shape[1] == 1:
        return X[:, 0] == 0
    return np.bitwise_or.reduce(X, axis=1) == 0


def _to_mask(bits, K):
    """uint64 bitsets (M, W) -> bool (M, K)."""
    b = np.ascontiguousarray(bits).view(np.uint8)
    return np.unpackbits(b, axis=1, bitorder="little", count=K).astype(bool)


def _lookup_index(T):
    """The search structure of :func:`_lookup_rows` for the table ``T`` (built once)."""
    if T.shape[1] == 1:
        order = np.argsort(T[:, 0], kind="stable")
        return order, T[order, 0], False
    ht = _row_hash64(T)
    order = np.argsort(ht, kind="stable")
    hs = ht[order]
    return order, hs, bool(np.any(hs[1:] == hs[:-1]))


def _lookup_rows(Q, T, index=None):
    """Row index in ``T`` of every row of ``Q`` (uint64 word rows).

    Rows of ``T`` are distinct and every row of ``Q`` is present in ``T``.  Exact: a
    hash narrows the search and the rows are then compared word by word.  ``index``:
    :func:`_lookup_index` of ``T``, when several queries go to the same table.
    """
    order, hs, collision = _lookup_index(T) if index is None else index
    if T.shape[1] == 1:
        j = order[np.searchsorted(hs, Q[:, 0])]
    else:
        if collision:  # pragma: no cover - a hash collision inside T
            where = {T[i].tobytes(): i for i in range(T.shape[0])}
            j = np.array([where[q.tobytes()] for q in Q], dtype=np.intp)
        else:
            j = order[np.minimum(np.searchsorted(hs, _row_hash64(Q)), hs.size - 1)]
    if not np.array_equal(T[j], Q):  # pragma: no cover - the lattice is closed under coatoms
        raise AssertionError("a coatom of a flat is missing from the lattice")
    return j


def _pair_isin(A, B, oa):
    """``(A[i], oa[i]) in {(B[j], oa[j])}`` for word rows (1-D: one word) with owners.

    The pairs ``(A[i], oa[i])`` are distinct, so are the pairs ``(B[j], oa[j])``, and
    ``oa`` is non-decreasing.  One value sort of ``2 n`` 64-bit keys (owner, hash of the
    row, position): equal rows of one owner have equal (owner, hash) and end up in one
    run, B's first; every candidate is then compared word by word, so the answer is
    exact whatever the hash does (runs of more than two keys, i.e. hash collisions,
    are resolved one by one).  When the bits do not suffice for a useful hash, the
    same test runs on (owner, hash) keys with an index sort (:func:`_pair_isin_sorted`).
    """
    n = oa.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    ob = max(1, int(oa[-1]).bit_length())
    ib = max(1, int(2 * n - 1).bit_length())
    hb = 64 - ob - ib
    if hb < 24:
        return _pair_isin_sorted(A, B, oa)
    mix = np.uint64(0x9E3779B97F4A7C15)
    o = oa.astype(np.uint64) << np.uint64(64 - ob)
    ha = ((A if A.ndim == 1 else _row_hash64(A)) * mix) >> np.uint64(64 - hb) << np.uint64(ib)
    hbk = ((B if B.ndim == 1 else _row_hash64(B)) * mix) >> np.uint64(64 - hb) << np.uint64(ib)
    pos = np.arange(n, dtype=np.uint64)
    cs = np.sort(np.concatenate([o | hbk | pos, o | ha | (pos + np.uint64(n))]))
    low = np.uint64((1 << ib) - 1)
    eq = (cs[1:] ^ cs[:-1]) <= low  # same (owner, hash)
    t = np.nonzero(eq)[0]
    hit = np.zeros(n, dtype=bool)
    if t.size == 0:
        return hit
    run = np.zeros(eq.size + 2, dtype=bool)
    run[1:-1] = eq
    pair = ~run[t] & ~run[t + 2]  # runs of exactly two keys: positions t, t + 1
    tp = t[pair]
    # positions sorted inside a run: B's copy first
    b = (cs[tp] & low).astype(np.intp)
    a = (cs[tp + 1] & low).astype(np.intp) - n
    ok = (b < n) & (a >= 0)
    b, a = b[ok], a[ok]
    same = (B[b] == A[a]) if A.ndim == 1 else np.all(B[b] == A[a], axis=1)
    hit[a[same]] = True
    longer = t[~pair]
    if longer.size:  # pragma: no cover - hash collisions: compare inside each run
        grp = cs >> np.uint64(ib)
        idx = (cs & low).astype(np.intp)
        for g in np.unique(grp[longer]):
            members = idx[grp == g]
            bs = [B[j].tobytes() for j in members if j < n]
            for j in members[members >= n] - n:
                if A[j].tobytes() in bs:
                    hit[j] = True
    return hit


def _pair_isin_sorted(A, B, oa):
    """:func:`_pair_isin` with (owner, row) keys and one stable index sort."""
    n = oa.shape[0]
    ob = max(1, int(oa[-1]).bit_length())
    o = oa.astype(np.uint64)
    sh = np.uint64(64 - ob)
    exact = A.ndim == 1 and ob + int(np.bitwise_or.reduce(A | B)).bit_length() <= 64
    if exact:
        ka, kb = (o << sh) | A, (o << sh) | B
    else:
        mix = np.uint64(0x9E3779B97F4A7C15)
        ha = (A if A.ndim == 1 else _row_hash64(A)) * mix
        hb = (B if B.ndim == 1 else _row_hash64(B)) * mix
        ka = (o << sh) | (ha >> np.uint64(ob))
        kb = (o << sh) | (hb >> np.uint64(ob))
    # one stable sort of both lists: a key of A is in B iff it occurs twice, B's copy
    # first; no key may occur twice on one side (exact keys: the pairs are distinct)
    c = np.concatenate([kb, ka])
    srt = np.argsort(c, kind="stable")
    cs = c[srt]
    eqn = cs[1:] == cs[:-1]
    t = np.nonzero(eqn)[0]
    first, second = srt[t], srt[t + 1]
    clean = not (np.any(first >= n) or np.any(second < n) or np.any(eqn[1:] & eqn[:-1]))
    hit = np.zeros(n, dtype=bool)
    if exact:
        if not clean:  # pragma: no cover - the unions LV(G), UV(G) are disjoint
            raise AssertionError("a chamber is listed twice in LV(G) or UV(G)")
        hit[second - n] = True
        return hit
    if not clean:  # pragma: no cover - a hash collision
        VA = np.column_stack([o, A.reshape(n, -1)])
        VB = np.column_stack([o, B.reshape(n, -1)])
        va = np.ascontiguousarray(VA).view(np.dtype((np.void, 8 * VA.shape[1]))).ravel()
        vb = np.ascontiguousarray(VB).view(np.dtype((np.void, 8 * VB.shape[1]))).ravel()
        return np.isin(va, vb)
    i = second - n
    eq = oa[first] == oa[i]
    eq &= (B[first] == A[i]) if A.ndim == 1 else np.all(B[first] == A[i], axis=1)
    hit[i[eq]] = True
    return hit


def _masked_min(ad, src, offw):
    r"""``min_{j in offw[i]} ad[src[i], j]`` per row ``i`` (``offw``: packbits-order words).

    The sets are small (``G \ H`` for a coatom ``H`` of ``G``): their bits are peeled
    off one at a time, lowest first, word by word.  Bit ``b`` of a little-endian word
    ``w`` of ``numpy.packbits`` bytes is hyperplane ``64 w + (b ^ 7)``.
    """
    v = np.full(src.shape[0], np.inf)
    one = np.uint64(1)
    flat = ad.ravel()
    base = src * ad.shape[1]
    for w in range(offw.shape[1]):
        live = np.nonzero(offw[:, w])[0]
        x = offw[live, w]
        b = base[live] + 64 * w
        while live.size:
            low = x & (~x + one)
            j = b + (np.bitwise_count(low - one).astype(np.intp) ^ 7)
            v[live] = np.minimum(v[live], flat[j])
            x ^= low
            more = x != 0
            live, x, b = live[more], x[more], b[more]
    return v


def lattice_levels(rows, dim, max_flats=None, rank=None):
    """Flats of ranks ``1 .. r-1`` and the coatoms of the non-simple ones.

    Parameters
    ----------
    rows : list of list of int
        Distinct (pairwise non-parallel) integer normals.

    Returns
    -------
    levels : list of (bits, basis)
        ``levels[rho - 1]`` holds the rank-``rho`` flats: uint64 bitsets and a basis
        (sorted indices of ``rho`` independent hyperplanes).
    pairs : list of (src, dst) or None
        ``pairs[rho - 1]``: all cover relations ``H < G`` with ``G`` of rank ``rho``
        non-simple (``src`` indexes rank ``rho - 1``, ``dst`` rank ``rho``).
    rank : int

    Returns ``None`` instead when a level would hold more than ``max_flats`` flats.
    ``rank``: the exact rank of ``rows`` when the caller knows it (else computed).
    """
    eng = _Engine(rows, dim, rank=rank)
    r = eng.rank
    bits, basis, mins, mu = eng.level_one()
    levels = [(bits, np.sort(basis, axis=1))]
    pairs = [None]
    # the reduced echelon rows of every flat of the current level, extended by one row per
    # level (fast small-prime path only; otherwise every batch is reduced from scratch)
    ech = eng._echelon(basis) if (eng.small and r > 2) else None
    for rho in range(2, r):
        srcs, bl, bal = [], [], []
        dummy_min = np.zeros(bits.shape[0], dtype=np.int64)
        dummy_mu = np.zeros(bits.shape[0], dtype=np.int64)
        for lo, hi in eng.batches(bits.shape[0], rho - 1):
            out = eng.covers(bits[lo:hi], basis[lo:hi], dummy_min[lo:hi], dummy_mu[lo:hi],
                             qualify=False, ech=None if ech is None else (ech[0][lo:hi], ech[1][lo:hi]))
            if out is None:
                continue
            Yb, Yba, _, _, src = out
            srcs.append(src + lo)
            bl.append(Yb)
            bal.append(Yba)
        Yb = np.concatenate(bl)
        Yba = np.concatenate(bal)
        src = np.concatenate(srcs)
        order, new = _group_rows(Yb)
        if max_flats is not None and int(new.sum()) > max_flats:
            return None
        uid = np.cumsum(new) - 1
        inv = np.empty(order.size, dtype=np.intp)
        inv[order] = uid
        first = order[np.nonzero(new)[0]]
        bits = Yb[first]
        if ech is not None and rho < r - 1:  # the flats of rank r - 1 are not reduced
            ech = eng._extend(ech[0][src[first]], ech[1][src[first]], Yba[first, -1])
        basis = np.sort(Yba[first], axis=1)
        size = np.bitwise_count(bits).sum(axis=1)
        nonsimple = size[inv] > rho
        levels.append((bits, basis))
        ps, pd = src[nonsimple], inv[nonsimple]
        # grouped by the covering flat (16-bit keys: numpy's radix sort)
        o = np.argsort(pd.astype(np.int16) if bits.shape[0] < 2**15 else pd, kind="stable")
        pairs.append((ps[o], pd[o]))
    return levels, pairs, r


class LatticeSweep(Sweep):
    """All chambers of the reduced arrangement (rows ``0..K-1`` of ``er``) from its lattice.

    Parameters
    ----------
    er : ExactRows
        Rows ``0..K-1``: the distinct normals; then the auxiliary vectors.
    aux : list of int
        Row indices of the auxiliary vectors ``t_0 .. t_{n-1}`` (lineality basis first).
    K : int
    lattice : tuple
        The output of :func:`lattice_levels` for the integer rows ``0..K-1``.
    want_points : bool
    keep : tuple (j, positive) or None
        Yield only the chambers on one side of hyperplane ``j`` (the positive side if
        ``positive``): the cone of an affine arrangement needs the side ``t > 0`` only.
        Every chamber is still computed (the recursion needs them all); the others are
        neither given points nor yielded.
    """

    def __init__(self, er, aux, K, lattice, want_points=True, keep=None):
        super().__init__(er, aux, want_points)
        self.keep = keep
        self.K = K
        self.levels, self.pairs, self.rank = lattice
        self.K8 = (K + 7) // 8
        self.W = (K + 63) // 64
        self.full = _pack(np.ones((1, K), dtype=bool), self.W)[0]
        self.onehot = _pack(np.eye(K, dtype=bool), self.W)  # (K, W): the bit of each hyperplane
        self.norms = np.sqrt((er.F[:K] ** 2).sum(axis=1))

    # ------------------------------------------------------------------ helpers
    def _neg(self, P):
        """Word rows of the opposite chambers."""
        return np.bitwise_and(~P, self.full)

    def _ray_data(self, rho, lo=0, hi=None):
        """Sign rows, orientation and unit rays of the rank-``rho`` flats (level n-rho-1).

        Computed in row blocks, so the transient int8/bool rows (``K`` bytes per flat)
        stay bounded; what is kept is packed into words (``K / 8`` bytes per flat).
        """
        bits, basis = self.levels[rho - 1]
        hi = bits.shape[0] if hi is None else hi
        bits, basis = bits[lo:hi], basis[lo:hi]
        K, n, W = self.K, self.n, self.W
        M = bits.shape[0]
        k = n - rho - 1
        cols = np.concatenate([np.arange(K), [self.aux[k]]])
        aux_k = np.array(self.aux[:k], dtype=np.intp)
        maskb = np.empty((M, W), dtype=np.uint64)
        posb = np.empty((M, W), dtype=np.uint64)
        sigma = np.empty(M, dtype=np.int8)
        rhat = np.empty((M, n)) if self.want_points else None
        dtop = np.empty(M) if self.want_points else None
        amax_all = float(self.norms.max())
        step = max(1, (1 << 24) // (K + 1))
        for lo in range(0, M, step):
            hi = min(M, lo + step)
            mask = _to_mask(bits[lo:hi], K)
            rowsets = np.concatenate([basis[lo:hi].astype(np.intp),
                                      np.broadcast_to(aux_k, (hi - lo, k))], axis=1)
            kz = np.zeros((hi - lo, K + 1), dtype=bool)
            kz[:, :K] = mask
            rc = np.empty((hi - lo, n)) if self.want_points else None
            rm = np.empty(hi - lo) if self.want_points else None
            S, ne = self.er.cross_dot_signs(rowsets, cols, cross_out=rc, known_zero=kz, row_min_out=rm)
            self.n_exact += ne
            sg = S[:, K]
            if np.any(sg == 0):
                raise NonGenericAux
            row = S[:, :K] * sg[:, None]
            if np.any((row == 0) != mask):
                # the lattice is exact, so a hyperplane vanishing on the ray outside its
                # flat means that V_k is not generic: fresh auxiliary vectors
                raise NonGenericAux
            maskb[lo:hi] = _lattice_to_packed(bits[lo:hi])
            posb[lo:hi] = _pack(row > 0, W)
            sigma[lo:hi] = sg
            if self.want_points:
                rh = _unit_rows(rc) * sg[:, None].astype(np.float64)
                rhat[lo:hi] = rh
                # push distance from the by-product min_j |a_j . r| of the signs (over the
                # hyperplanes off the flat; the aux column can only lower it)
                with np.errstate(all="ignore"):
                    dl = np.minimum(0.5 * rm / (np.sqrt((rc * rc).sum(axis=1)) * amax_all), 0.5)
                if np.all(np.isfinite(dl)) and np.all(dl > 0):
                    dtop[lo:hi] = dl
                else:  # pragma: no cover - extreme magnitudes: the explicit computation
                    dtop[lo:hi] = self._delta(np.abs(rh @ self.er.F[:K].T), ~mask, amax_all)
        size = np.bitwise_count(maskb).sum(axis=1)
        return {"maskb": maskb, "posb": posb, "sigma": sigma, "basis": basis, "k": k,
                "size": size, "rhat": rhat, "delta_top": dtop}

    def _delta(self, absdot, off, amax):
        """Push distances ``min_{j off the ray} |a_j . r| / (2 max |a_j|)`` (rows of ``off``)."""
        v = np.where(off, absdot, np.inf).min(axis=1)
        return np.minimum(0.5 * v / amax, 0.5)

    def _in_simple(self, d, sel, prev=None):
        r"""``In(G)`` of simple flats (one chamber each): the simplicial cone of the coatom rays.

        For a simple flat ``G`` (basis ``S = G``) of rank ``rho >= 2`` the coatoms are the
        flats ``H_i = S \ {s_i}`` (a closure inside ``G`` cannot contain ``s_i``), whose
        rays ``r_{H_i}`` (level ``k_G + 1``, oriented by ``t_{k_G + 1}``) are already known.
        They span the one chamber of the Boolean arrangement ``A_G`` contained in
        ``{t_{k_G + 1} > 0}``, and ``a_{s_j} . r_{H_i} = 0`` for ``i != j``, so its sign on
        ``s_i`` is the sign of ``row_{H_i}`` there (exact, already decided) and
        ``sum_i r_{H_i}`` is a point of it.  Rank one (no coatom rays): the orthant of
        the sweep direction in the dual basis, as in the plain sweep.
        """
        if prev is None:
            return self._in_simple_dual(d, sel)
        S = d["basis"][sel].astype(np.intp)  # (M, rho): all the hyperplanes of G
        M, rho = S.shape
        Gb = d["maskb"][sel]
        onehot = self.onehot
        H = np.empty((M, rho), dtype=np.intp)
        if "lookup" not in prev:
            prev["lookup"] = _lookup_index(prev["maskb"])
        for i in range(rho):
            H[:, i] = _lookup_rows(Gb & ~onehot[S[:, i]], prev["maskb"], prev["lookup"])
        pos = np.zeros((M, self.W), dtype=np.uint64)
        for i in range(rho):
            pos |= prev["posb"][H[:, i]] & onehot[S[:, i]]
        pts = None
        if self.want_points:
            pts = _unit_rows(prev["rhat"][H].sum(axis=1))
        return pos, pts

    def _in_simple_dual(self, d, sel):
        """``In(G)`` of simple flats: the orthant of the sweep direction (one chamber each)."""
        idx = np.arange(self.K)
        loc = d["basis"][sel].astype(np.intp)
        k = d["k"]
        eps = self._lambda_signs(idx, k, loc, d["sigma"][sel], direct=True)
        rows = np.zeros((sel.size, self.K), dtype=bool)
        rows[np.arange(sel.size)[:, None], loc] = eps > 0
        pos = _pack(rows, self.W)
        pts = _unit_rows(self._local_dirs(idx, k, loc, eps)) if self.want_points else None
        return pos, pts

    def _in_nonsimple(self, d, prev, pin, sel, src, dst):
        """``In(G)`` of the non-simple flats ``sel`` from the coatom pairs ``(src, dst)``.

        ``In(G) = LV(G) ∩ UV(G)`` (docs/degenerate.md, Theorem 4): the chambers of the
        slice with a lowest vertex in the sweep direction ``g`` (``row_H|G (+) s``,
        ``s in In(H)``) that also have a highest one (``row_H|G (+) -s``).  Both unions
        are disjoint, so one exact membership test per row of ``LV(G)`` decides it.

        Returns the packed rows, points, and the owner (position in ``sel``) of each row.
        """
        ptr, ipos, ipts = pin
        # one 64-bit word per row (at most 64 hyperplanes): work on 1-D word arrays
        W1 = self.W == 1
        fl = (lambda X: X[:, 0]) if W1 else (lambda X: X)
        ipos = fl(ipos)
        if dst.size > 1 and np.any(dst[1:] < dst[:-1]):
            order = np.argsort(dst, kind="stable")
            src, dst = src[order], dst[order]
        where = np.full(d["sigma"].shape[0], -1, dtype=np.intp)
        where[sel] = np.arange(sel.size)
        owner_pair = where[dst]  # position in sel
        cnt = ptr[src + 1] - ptr[src]
        L = int(cnt.sum())
        pair_of_row = np.repeat(np.arange(src.size), cnt)
        in_idx = np.repeat(ptr[src] - (np.cumsum(cnt) - cnt), cnt) + np.arange(L)
        # per pair: the signs of row_H inside G, and the hyperplanes of H
        base = fl(prev["posb"])[src] & fl(d["maskb"])[dst]
        hm = fl(prev["maskb"])[src]
        s = ipos[in_idx]
        lv = base[pair_of_row] | s
        uv = (base | hm)[pair_of_row] ^ s  # -s: s lies inside H, so H & ~s = H ^ s
        owner = owner_pair[pair_of_row]
        keep = _pair_isin(lv, uv, owner)
        out_rows = lv[keep].reshape(-1, 1) if W1 else lv[keep]
        owner = owner[keep]
        pts = None
        if self.want_points:
            K = self.K
            amax = np.empty(sel.size)
            for lo, hi in _chunks(sel.size, K):
                gm = np.unpackbits(d["maskb"][sel[lo:hi]].view(np.uint8), axis=1, count=K).astype(bool)
                amax[lo:hi] = np.where(gm, self.norms, 0.0).max(axis=1)
            # delta over the hyperplanes of G \ H only: min |a_j . r_H|, from one dense
            # product per coatom H (not per pair), read at the few entries of G \ H
            if "absdot" not in prev:
                prev["absdot"] = np.abs(prev["rhat"] @ np.ascontiguousarray(self.er.F[:K].T))
            ad = prev["absdot"]
            v = _masked_min(ad, src, d["maskb"][dst] & ~prev["maskb"][src])
            delta = np.minimum(0.5 * v / amax[owner_pair], 0.5)
            kp = np.nonzero(keep)[0]
            pr = pair_of_row[kp]
            pts = ipts[in_idx[kp]]
            pts *= delta[pr, None]
            pts += prev["rhat"][src[pr]]
            pts = _unit_rows(pts)
        # rows are grouped by owner already (pairs sorted by flat, owner increasing)
        return out_rows, pts, owner

    # ------------------------------------------------------------------ main
    def _in_rank(self, rho, d, prev, prev_in, pairs):
        """``In(G)`` of the flats of ``d`` (rank ``rho``): ``(ptr, rows, points)`` (CSR)."""
        M = d["sigma"].shape[0]
        simple = d["size"] == rho
        ssel = np.nonzero(simple)[0]
        parts_rows, parts_pts, parts_own = [], [], []
        if ssel.size:
            pos, pts = self._in_simple(d, ssel, prev)
            parts_rows.append(pos)
            parts_pts.append(pts)
            parts_own.append(ssel)
        nsel = np.nonzero(~simple)[0]
        if nsel.size:
            src, dst = pairs
            rows, pts, own = self._in_nonsimple(d, prev, prev_in, nsel, src, dst)
            parts_rows.append(rows)
            parts_pts.append(pts)
            parts_own.append(nsel[own])
        if len(parts_own) == 1:  # already grouped by flat, in order
            own, rows, pts = parts_own[0], parts_rows[0], parts_pts[0]
            cnt = np.bincount(own, minlength=M)
            return np.concatenate([[0], np.cumsum(cnt)]), rows, pts
        # both parts are grouped by flat in increasing order: place them by the offsets
        # (a scatter, no sort)
        cnt = np.bincount(parts_own[0], minlength=M) + np.bincount(parts_own[1], minlength=M)
        ptr = np.concatenate([[0], np.cumsum(cnt)])
        n = int(ptr[-1])
        rows = np.empty((n, self.W), dtype=np.uint64)
        pts = np.empty((n, self.n)) if self.want_points else None
        for r, p_, own in zip(parts_rows, parts_pts, parts_own):
            c = np.bincount(own, minlength=M)
            first = (np.cumsum(c) - c)[own]  # first row of the same flat in this part
            at = ptr[own] + np.arange(own.size) - first
            rows[at] = r
            if pts is not None:
                pts[at] = p_
        return ptr, rows, pts

    def _lv_top(self, d, ins_):
        """``row_H (+) In(H)`` over the flats ``H`` of ``d`` (full sign rows); points lazily.

        Returns the rows and a function ``points(sel)`` giving the points of the rows
        ``sel`` (``None`` without points).
        """
        ptr, rows, pts = ins_
        cnt = ptr[1:] - ptr[:-1]
        H = np.repeat(np.arange(cnt.size), cnt)
        P = d["posb"][H] | rows

        def points(sel):
            if not self.want_points:
                return None
            h = H[sel]
            return _unit_rows(d["rhat"][h] + d["delta_top"][h, None] * pts[sel])
        return P, points

    def _side(self, P, negated):
        """Rows of ``P`` (or of its opposite, if ``negated``) to yield under :attr:`keep`."""
        if self.keep is None:
            return np.arange(P.shape[0])
        j, positive = self.keep
        on = _rows_zero(P & self.onehot[j]) == (not positive)  # bit j set iff positive side
        return np.nonzero(on != negated)[0]

    def stream(self, block_rays=1 << 62):
        """Every chamber exactly once, as pieces ``(uint64 word rows, points)`` (Theorem 5).

        The flats of rank ``< r - 1`` and their ``In`` are computed first
        (:meth:`low_pieces`); the rays (rank ``r - 1`` flats) are then processed
        ``block_rays`` at a time (:meth:`ray_pieces`), so the largest part of the
        output is never held at once.
        """
        yield from self.low_pieces()
        M = self.n_rays()
        step = max(1, int(block_rays))
        for lo in range(0, M, step):
            yield from self.ray_pieces(lo, min(M, lo + step))

    def n_rays(self):
        """Number of rays (flats of rank ``r - 1``); 0 when the rank is at most one."""
        return 0 if self.rank <= 1 else int(self.levels[self.rank - 2][0].shape[0])

    def low_pieces(self):
        """The chambers that do not come from the rays: ``(-1)^j LV_j`` for ``j >= 1`` and the base.

        Also computes what :meth:`ray_pieces` needs (the ``In`` of the flats of rank
        ``r - 2`` and ``In_1``), so it must run, to the end, first.  Rank at most one:
        every chamber (and no rays).
        """
        K, n, r = self.K, self.n, self.rank
        idx = np.arange(K)
        if r <= 1:
            s, p = self._base(idx, n - r, both=True)
            yield _pack(s > 0, self.W), p
            return
        # the base chamber first: its orientation sign also orients the rank-one flats
        bs, bp = self._base(idx, n - 1, both=False)
        data, ins = [], []
        for rho in range(1, r - 1):
            d = self._ray_data(rho)
            ins.append(self._in_rank(rho, d, data[-1] if data else None, ins[-1] if ins else None,
                                     self.pairs[rho - 1]))
            data.append(d)
        base = (_pack(bs > 0, self.W), bp)
        inner = base[0]  # In_j = LV_j \ In_{j+1}, down to In_1
        for j in range(r - 2, 0, -1):
            P, points = self._lv_top(data[r - 2 - j], ins[r - 2 - j])
            sel = self._side(P, j % 2 == 1)
            pp = points(sel)
            if j % 2:
                yield self._neg(P[sel]), (None if pp is None else -pp)
            else:
                yield P[sel], pp
            inner = P[~words_isin(P, inner)]
        sg = -1 if (r - 1) % 2 else 1
        sel = self._side(base[0], sg < 0)
        bsel = None if bp is None else bp[sel]
        yield (base[0][sel] if sg > 0 else self._neg(base[0][sel])), (None if bp is None else sg * bsel)
        src_all, dst_all = self.pairs[r - 2] if self.pairs[r - 2] is not None else (None, None)
        if dst_all is not None:
            o = np.argsort(dst_all, kind="stable")
            src_all, dst_all = src_all[o], dst_all[o]
        self._top = (data[-1] if data else None, ins[-1] if ins else None, inner, src_all, dst_all)

    def ray_pieces(self, lo, hi):
        r"""The chambers from the rays ``lo .. hi - 1``: ``LV_0`` and ``-(LV_0 \ In_1)`` on them.

        Needs :meth:`low_pieces` to have run; blocks of rays are independent (any
        partition of ``range(n_rays())`` gives every such chamber exactly once).
        """
        rho = self.rank - 1
        prev, prev_in, inner, src_all, dst_all = self._top
        d = self._ray_data(rho, lo, hi)
        pairs = None
        if dst_all is not None:
            a, b = np.searchsorted(dst_all, [lo, hi])
            pairs = (src_all[a:b], dst_all[a:b] - lo)
        P0, points = self._lv_top(d, self._in_rank(rho, d, prev, prev_in, pairs))
        inside = ~words_isin(P0, inner)
        s_pos = self._side(P0, False)
        s_neg = np.nonzero(inside)[0]
        s_neg = s_neg[self._side(P0[s_neg], True)]
        if self.want_points:  # the points of both pieces at once
            both = np.concatenate([s_pos, s_neg])
            pb = points(both)
            yield P0[s_pos], pb[: s_pos.size]
            yield self._neg(P0[s_neg]), -pb[s_pos.size:]
        else:
            yield P0[s_pos], None
            yield self._neg(P0[s_neg]), None

    def all_chambers(self):
        """Packed sign rows (and points) of every chamber, each exactly once."""
        rows, pts = [], []
        for P, pp in self.stream():
            rows.append(P)
            pts.append(pp)
        words = np.concatenate(rows)
        packed = np.ascontiguousarray(words).view(np.uint8)[:, : self.K8]
        return np.ascontiguousarray(packed), (np.concatenate(pts) if self.want_points else None)


def exact_count_or_none(arr, max_work):
    """The exact number of chambers of ``arr`` from its lattice, or ``None`` if not cheap.

    Used by the size guard of the enumerators: when the a-priori bound (the generic
    count) is above ``max_chambers`` the guard asks for the exact count and refuses
    only if that is above the limit.  The count is Zaslavsky's
    ``r = sum_X |mu(0, X)|`` by Weisner's recursion with exact modular ranks
    (:func:`zonotope.count_regions`); it is computed only when the normals are small
    integers (the fast modular path of :mod:`zonotope.lattice`: integer and rational
    data, grids, Shi, Catalan, resonance arrangements, ...), and abandoned once the
    work done (flats reduced times hyperplanes, checked level by level) exceeds
    ``max_work``.

    Parameters
    ----------
    arr : Arrangement
    max_work : int
        Work cap of the recursion.

    Returns
    -------
    int or None
        ``None`` for input off the fast path (float data: the generic bound is then
        the only estimate) and for runs that would exceed ``max_work``.

    Examples
    --------
    >>> import numpy as np
    >>> from zonotope import Arrangement
    >>> from zonotope.library import shi_arrangement
    >>> exact_count_or_none(shi_arrangement(4), 10**6)       # (n + 1)^(n - 1)
    125
    >>> exact_count_or_none(shi_arrangement(4), 10) is None   # over the work cap
    True
    >>> exact_count_or_none(Arrangement.from_points(np.array([[0.1], [0.3]])), 10**6) is None
    True
    """
    from ._flats import _count_regions, _fast_path_applies
    from .exceptions import TooLargeError

    if not _fast_path_applies(arr):
        return None
    try:
        return _count_regions(arr, max_work, "exact_count_or_none")
    except TooLargeError:
        return None
