"""Exact signs of all maximal minors of a row configuration, in vectorised blocks.

The scanner behind the general-position tests (:mod:`zonotope.general_position`)
and the chirotope (:mod:`zonotope.equivalence`): every ``n``-subset of the rows of an
:class:`zonotope._exact.ExactRows` is visited once, its determinant evaluated in
floating point with a rigorous error bound (generalized Laplace expansion or
cofactor vectors times rows, one matrix product per block) and recomputed exactly
(modulo a prime, then by integer elimination) only when the bound cannot certify the
sign.  See ``docs/general_position.md`` for the error analysis.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from . import _exact

__all__ = ["MinorScan", "Block", "binom_table", "lex_rank_part", "det_nonzero_mod", "MOD_P",
           "U", "TINY", "THR"]

U = 2.0 ** -53
TINY = 1e-290
THR = 1.0 + 2.0 ** -20  # scaled threshold of the float filter (see MinorScan)




# =====================================================================================
# The minor scanner: every n-subset of the rows, in blocks, with certified values
# =====================================================================================
@functools.lru_cache(maxsize=None)
def _ext_tables(n, level):
    """Tables extending ``level``-wedges to ``(level+1)``-wedges of rows in R^n.

    Coordinates of an ``l``-wedge are the ``l x l`` minors on the column sets
    ``combinations(range(n), l)`` (lexicographic).  Appending a row ``x`` as the last
    row and expanding along it: ``w'[T] = sum_q (-1)^(l+q) x[T_q] w[T minus T_q]``.
    """
    cols = list(combinations(range(n), level))
    pos = {c: i for i, c in enumerate(cols)}
    cols1 = list(combinations(range(n), level + 1))
    tq = np.empty((level + 1, len(cols1)), dtype=np.intp)
    rq = np.empty((level + 1, len(cols1)), dtype=np.intp)
    sg = np.empty((level + 1, len(cols1)))
    for k, T in enumerate(cols1):
        for q, t in enumerate(T):
            tq[q, k] = t
            rq[q, k] = pos[T[:q] + T[q + 1:]]
            sg[q, k] = -1.0 if (level + q) % 2 else 1.0
    return tq, rq, sg


def _extend(W, XT, n, level):
    """``(level+1)``-wedges, coordinate-major: ``W`` (C(n, level), M), ``XT`` (n, M) new rows.

    The summation order is fixed (``q = 0, 1, ..., level``), as the error analysis
    assumes; for wide blocks a loop over rows (contiguous, no gathers) is faster.
    """
    tq, rq, sg = _ext_tables(n, level)
    M = W.shape[1]
    if M < 4096:
        out = XT[tq[0]]
        out *= sg[0][:, None]
        out *= W[rq[0]]
        for q in range(1, level + 1):
            t = XT[tq[q]]
            t *= sg[q][:, None]
            t *= W[rq[q]]
            out += t
        return out
    C1 = tq.shape[1]
    out = np.empty((C1, M))
    tmp = np.empty(M)
    tql, rql, pos = tq.T.tolist(), rq.T.tolist(), (sg.T > 0).tolist()
    for k in range(C1):
        o = out[k]
        np.multiply(XT[tql[k][0]], W[rql[k][0]], out=o)
        if not pos[k][0]:
            np.negative(o, out=o)
        for q in range(1, level + 1):
            np.multiply(XT[tql[k][q]], W[rql[k][q]], out=tmp)
            if pos[k][q]:
                o += tmp
            else:
                o -= tmp
    return out


@functools.lru_cache(maxsize=None)
def _laplace_pairing(n, a):
    """Index and sign of the complementary column set for the generalized Laplace expansion.

    ``det([A; B]) = sum_T sign(T) * minor_A(T) * minor_B(T^c)`` over the ``a``-subsets
    ``T`` of the columns, ``sign(T) = (-1)^(sum(T) - a(a-1)/2)`` (0-based).
    """
    b = n - a
    colsA = list(combinations(range(n), a))
    posB = {c: i for i, c in enumerate(combinations(range(n), b))}
    comp = np.empty(len(colsA), dtype=np.intp)
    sgn = np.empty(len(colsA))
    full = set(range(n))
    for k, T in enumerate(colsA):
        comp[k] = posB[tuple(sorted(full - set(T)))]
        sgn[k] = -1.0 if (sum(T) - a * (a - 1) // 2) % 2 else 1.0
    return comp, sgn


def binom_table(N, n):
    """``tab[m, k] = C(m, k)`` for ``0 <= m <= N``, ``0 <= k <= n`` as int64 (or object if huge)."""
    tab = np.zeros((N + 1, n + 1), dtype=object)
    for m in range(N + 1):
        for k in range(n + 1):
            tab[m, k] = math.comb(m, k)
    if math.comb(N, min(n, N // 2)) < 2**62:
        return tab.astype(np.int64)
    return tab


def lex_rank_part(idx, N, n, offset, tab):
    """``sum_q C(N - 1 - idx[:, q], n - offset - q)``: part of a lexicographic rank.

    The rank of the sorted ``n``-subset ``c`` among ``combinations(range(N), n)`` is
    ``C(N, n) - 1 - sum_q C(N - 1 - c_q, n - q)``; a subset split as ``A + B`` adds the
    parts of ``A`` (``offset = 0``) and ``B`` (``offset = len(A)``).
    """
    out = np.zeros(idx.shape[0], dtype=tab.dtype)
    for q in range(idx.shape[1]):
        out = out + tab[N - 1 - idx[:, q], n - offset - q]
    return out


MOD_P = 2_147_483_647  # the Mersenne prime 2^31 - 1


def _modpow(x, e, p):
    """Elementwise ``x^e mod p`` for an int64 array ``x`` (``p < 2^31``)."""
    out = np.ones_like(x)
    base = x % p
    while e:
        if e & 1:
            out = out * base % p
        base = base * base % p
        e >>= 1
    return out


def det_nonzero_mod(Y, subsets, p):
    """``det(Y[S]) != 0 (mod p)`` for each row ``S`` of ``subsets`` (batched elimination).

    ``Y`` holds integer rows reduced modulo the prime ``p < 2^31`` (int64).  A ``True``
    proves the integer determinant non-zero; ``False`` is inconclusive.
    """
    A = Y[subsets].copy()  # (M, n, n)
    M, n, _ = A.shape
    ok = np.ones(M, dtype=bool)
    ar = np.arange(M)
    for c in range(n):
        has = A[:, c:, c] != 0
        piv = np.argmax(has, axis=1) + c
        ok &= has.any(axis=1)
        rowc = A[ar, c].copy()
        A[ar, c] = A[ar, piv]
        A[ar, piv] = rowc
        pv = np.where(ok, A[:, c, c], 1)
        inv = _modpow(pv, p - 2, p)
        if c + 1 < n:
            f = A[:, c + 1:, c] * inv[:, None] % p
            A[:, c + 1:, c:] = (A[:, c + 1:, c:] - f[:, :, None] * A[:, None, c, c:] % p) % p
    return ok


@dataclass
class Block:
    """``val[r, c]`` approximates ``det(rows[A[r]] ; rows[Bsub[c]]) * sA[r] * sB[c]``.

    The error is at most ``thr`` (0 when the float computation is exact), so
    ``|val| > thr`` certifies the sign.  ``A`` are row indices of the first ``a``
    elements, ``B`` the row indices of the last ``b`` elements of each subset (sorted:
    every element of ``A[r]`` is smaller than every element of ``B[c]``).
    """

    A: np.ndarray
    B: np.ndarray
    val: np.ndarray
    sA: np.ndarray
    sB: np.ndarray
    thr: float
    bcols: slice  # position of the B columns in the scanner's B table

    def subset(self, r, c):
        return tuple(int(v) for v in self.A[r]) + tuple(int(v) for v in self.B[c])


class MinorScan:
    """Exact scan over all ``n``-subsets of the rows of an :class:`ExactRows` (``n = dim``).

    Each subset ``S = A + B`` (``|A| = a``, ``|B| = b``, ``max A < min B``) has
    ``det(rows[S]) = sum_T sign(T) minor_A(T) minor_B(T^c)`` (generalized Laplace
    expansion), so one matrix product of the ``a``-wedges of a chunk of ``A``'s with
    the ``b``-wedges of all admissible ``B``'s yields a block of determinants.  The
    ``a``-wedges are built incrementally along a depth-first enumeration (each minor
    from the minors of its prefix), so the work per subset is ``O(C(n, b))`` flops.

    Error bound (``docs/general_position.md``): the computed determinant differs from
    the exact one by at most ``2 c u prod_i ||row_i||_1`` with
    ``c = e_a + e_b + C(n, a) + 2n + 4``, ``e_k = k(k+1)/2``, ``u = 2^-53``.  Rows are
    scaled by powers of two (exact) so that this bound becomes ``thr = 1`` in the
    scaled units; for small integer rows the computation is exact and ``thr = 0``.
    """

    def __init__(self, er, *, b=None, mode=None, max_block=1 << 17, parent_chunk=16384):
        self.er = er
        N, n = er.n_rows, er.dim
        self.N, self.n = N, n
        F = er.F
        self.F = F
        l1 = np.abs(F).sum(axis=1)
        if not er.int_mode:
            l1 = l1 * (1.0 + 2.0 * n * U)
        self.l1 = np.maximum(l1, 0.5)
        if mode is None:
            mode, b0 = self._choose(N, n)
            b = b0 if b is None else b
        elif b is None:
            b = self._choose_b(N, n)
        self.mode = mode
        self.b = b
        self.a = n - b
        a = self.a
        top = np.sort(self.l1)[::-1][:n]
        self.exact = bool(er.int_mode and float(np.prod(top)) < 2.0**52)
        c = a * (a + 1) // 2 + b * (b + 1) // 2 + math.comb(n, a) + 2 * n + 4
        self.cu = 2.0 * c * U
        self.max_block = max_block
        widest = max(math.comb(n, lev) for lev in range(a + 1))
        self.parent_chunk = max(256, min(parent_chunk, (1 << 22) // widest))
        self._modrows = None

    @staticmethod
    def _wedge_cost(N, n, b):
        a = n - b
        gen = math.comb(N, a) * math.comb(n, a) * a * 1.1
        return gen + math.comb(N, n) * (2.0 * math.comb(n, b) / 25.0 + 1.5)

    @staticmethod
    def _prefix_cost(N, n):
        cof = 1000.0 * max(0.25, 0.012 * n ** 3)
        return math.comb(N, n - 1) * cof + math.comb(N, n) * (2.0 * n / 25.0 + 1.5)

    @classmethod
    def _choose(cls, N, n):
        """``("wedge", b)`` or ``("prefix", 1)``, whichever the cost model prefers."""
        if n <= 2:
            return "wedge", 1
        b = cls._choose_b(N, n)
        if max(math.comb(n, k) for k in range(n + 1)) > 512:
            return "prefix", 1
        if cls._prefix_cost(N, n) < cls._wedge_cost(N, n, b):
            return "prefix", 1
        return "wedge", b

    @staticmethod
    def _choose_b(N, n):
        if n <= 2:
            return 1
        best, best_b = None, 1
        for b in range(1, min(4, n - 1) + 1):
            if math.comb(N, b) * math.comb(n, b) > 8_000_000:
                continue
            # measured costs (ns): ~1.1 per multiply-add of the incremental minors,
            # ~2 C(n, b) / 25 per determinant in the matrix product, +1.5 for the filter
            cost = MinorScan._wedge_cost(N, n, b)
            if best is None or cost < best:
                best, best_b = cost, b
        return best_b

    @classmethod
    def cost_seconds(cls, N, n):
        """Estimated single-core seconds of a full scan (the cost model above)."""
        if N < n:
            return 0.0
        mode, b = cls._choose(N, n)
        ns = cls._prefix_cost(N, n) if mode == "prefix" else cls._wedge_cost(N, n, b)
        return ns * 1e-9

    def n_subsets(self):
        return math.comb(self.N, self.n)

    # ------------------------------------------------------------ the B table
    def _b_table(self):
        N, n, b = self.N, self.n, self.b
        F = self.F
        Bidx = np.array(list(combinations(range(N), b)), dtype=np.intp).reshape(-1, b)
        # wedges of the b rows, built incrementally
        W = np.ones((1, Bidx.shape[0]))
        for lev in range(b):
            W = _extend(W, np.ascontiguousarray(F[Bidx[:, lev]].T), n, lev)
        W = W.T
        PB = np.prod(self.l1[Bidx], axis=1)
        if self.exact:
            sB = np.ones(Bidx.shape[0])
        else:
            _, e = np.frexp(PB)
            sB = np.ldexp(1.0, -e)
        comp, sgn = _laplace_pairing(n, self.a)
        Bmat = (W[:, comp] * sgn) * sB[:, None]  # (nB, C(n, a))
        return Bidx, np.ascontiguousarray(Bmat.T), sB

    # ------------------------------------------------------------ A chunks (DFS)
    def _a_chunks(self):
        """Yield ``(idx (M, a), W (C(n, a), M), PA (M,))`` in lexicographic order."""
        N, n, a, b = self.N, self.n, self.a, self.b
        FT, l1 = np.ascontiguousarray(self.F.T), self.l1
        chunk = self.parent_chunk

        def expand(idx, W, P, lev):
            if lev == a:
                yield idx, W, P
                return
            hi = N - b - (a - lev) + 1  # exclusive bound for the element at position lev
            last = idx[:, -1] if lev else np.full(idx.shape[0], -1, dtype=np.intp)
            counts = np.maximum(hi - (last + 1), 0)
            cum = np.cumsum(counts)
            r0 = 0
            M = idx.shape[0]
            while r0 < M:
                base = cum[r0 - 1] if r0 else 0
                r1 = int(np.searchsorted(cum, base + chunk, side="right"))
                r1 = max(r1, r0 + 1)
                cnt = counts[r0:r1]
                tot = int(cnt.sum())
                if tot:
                    rep = np.repeat(np.arange(r0, r1), cnt)
                    starts = np.repeat(last[r0:r1] + 1 - (np.cumsum(cnt) - cnt), cnt)
                    j = starts + np.arange(tot)
                    cidx = np.concatenate([idx[rep], j[:, None]], axis=1)
                    cW = _extend(W.take(rep, axis=1), FT.take(j, axis=1), n, lev)
                    cP = P[rep] * l1[j]
                    yield from expand(cidx, cW, cP, lev + 1)
                r0 = r1

        yield from expand(np.zeros((1, 0), dtype=np.intp), np.ones((1, 1)), np.ones(1), 0)

    # ------------------------------------------------------------ blocks
    def blocks(self):
        """Yield :class:`Block` objects covering every ``n``-subset exactly once."""
        if self.N < self.n:
            return iter(())
        if self.mode == "prefix":
            return self._prefix_blocks()
        return self._wedge_blocks()

    def _prefix_blocks(self):
        """Blocks ``(n-1)``-prefix x later rows: cofactor vectors times rows (one product).

        Cofactors come from :meth:`ExactRows._cross_float` with its rigorous bound
        ``err``; a dot product adds ``(n+2) u |r| . |x|`` (and the input rounding of big
        rational rows), all bounded row-wise through the column maxima.  The bound is
        doubled and turned into ``thr = 1`` by a power-of-two row scaling.
        """
        from itertools import islice

        N, n = self.N, self.n
        er, F = self.er, self.F
        absF = np.abs(F)
        for m in range(n - 2, N - 1):
            cols = np.arange(m + 1, N)
            AT = np.ascontiguousarray(F[cols].T)
            colmax = absF[cols].max(axis=0)
            chunk = max(64, self.max_block // cols.size)
            combos = combinations(range(m), n - 2)
            while True:
                got = list(islice(combos, chunk))
                if not got:
                    break
                head = np.array(got, dtype=np.intp).reshape(len(got), n - 2)
                P = np.concatenate([head, np.full((head.shape[0], 1), m, dtype=np.intp)], axis=1)
                r, err, mag, ex = er._cross_float(P)
                if ex and float((mag @ colmax).max(initial=0.0)) < 2.0**52:
                    yield Block(P, cols[:, None], r @ AT, np.ones(P.shape[0]),
                                 np.ones(cols.size), 0.0, slice(m + 1, N))
                    continue
                E = err + (n + 2) * U * np.abs(r)
                if er.input_err:
                    E = E + (n + 2) * er.input_err * mag
                rowb = 2.0 * (E @ colmax) + TINY
                _, e = np.frexp(rowb)
                sA = np.ldexp(1.0, -e)
                yield Block(P, cols[:, None], (r * sA[:, None]) @ AT, sA,
                             np.ones(cols.size), THR, slice(m + 1, N))

    def _wedge_blocks(self):
        """Generalized-Laplace blocks.

        ``a``-subsets are buffered by their last element so that each matrix product
        has at least ``min_rows`` rows (larger products run closer to BLAS speed).
        """
        a = self.a
        Bidx, BmatT, sB = self._b_table()
        first = Bidx[:, 0]
        nB = Bidx.shape[0]
        thr = 0.0 if self.exact else THR
        min_rows = 512
        buf = {}

        def flush(m):
            parts = buf.pop(m)
            idx = np.concatenate([p[0] for p in parts])
            Ws = np.concatenate([p[1] for p in parts], axis=1)
            sA = np.concatenate([p[2] for p in parts])
            k0 = int(np.searchsorted(first, m, side="right"))
            rows = idx.shape[0]
            WsT = Ws.T
            step = max(1, self.max_block // rows)
            for c0 in range(k0, nB, step):
                c1 = min(nB, c0 + step)
                val = WsT @ BmatT[:, c0:c1]
                yield Block(idx, Bidx[c0:c1], val, sA, sB[c0:c1], thr, slice(c0, c1))

        for idx, W, PA in self._a_chunks():
            if self.exact:
                sA = np.ones(idx.shape[0])
            else:
                _, e = np.frexp(self.cu * PA)
                sA = np.ldexp(1.0, -e)
            Ws = W * sA
            last = idx[:, -1] if a else np.full(idx.shape[0], -1, dtype=np.intp)
            order = np.argsort(last, kind="stable")
            if a and not np.all(order[1:] > order[:-1]):
                idx, Ws, sA, last = idx[order], Ws.take(order, axis=1), sA[order], last[order]
            bounds = np.flatnonzero(np.diff(last)) + 1
            starts = np.concatenate([[0], bounds]).astype(int)
            ends = np.concatenate([bounds, [last.size]]).astype(int)
            for s0, s1 in zip(starts.tolist(), ends.tolist()):
                m = int(last[s0])
                if int(np.searchsorted(first, m, side="right")) >= nB:
                    continue
                lst = buf.setdefault(m, [])
                lst.append((idx[s0:s1], Ws[:, s0:s1], sA[s0:s1]))
                if sum(p[0].shape[0] for p in lst) >= min_rows:
                    yield from flush(m)
        for m in sorted(buf):
            yield from flush(m)

    # ------------------------------------------------------------ exact fallback
    def exact_sign(self, subset):
        z = [self.er.zrow(int(i)) for i in subset]
        v = _exact.bareiss_det(z)
        return (v > 0) - (v < 0)

    def block_signs(self, blk, stats=None):
        """Exact int8 signs of a block (float signs where certified, exact elsewhere)."""
        s = np.sign(blk.val).astype(np.int8)
        unsure = np.abs(blk.val) <= blk.thr
        if blk.thr == 0.0:
            return s
        if unsure.any():
            rr, cc = np.nonzero(unsure)
            for r, c in zip(rr.tolist(), cc.tolist()):
                s[r, c] = self.exact_sign(blk.subset(r, c))
            if stats is not None:
                stats["exact"] = stats.get("exact", 0) + rr.size
        return s

    def modrows(self):
        """Rows reduced modulo the prime ``MOD_P`` (cached; positive multiples of the rows)."""
        if self._modrows is None:
            self._modrows = np.array([[v % MOD_P for v in self.er.zrow(i)] for i in range(self.N)],
                                     dtype=np.int64).reshape(self.N, self.n)
        return self._modrows

    def zeros(self, stats=None):
        """Every subset with a zero determinant, in scan order (exact; a generator).

        Entries the float filter cannot certify are first tested modulo a prime
        (non-zero modulo ``p`` proves non-zero), then by exact integer elimination.
        """
        for blk in self.blocks():
            v = np.abs(blk.val, out=blk.val)
            if v.min() > blk.thr:
                continue
            rr, cc = np.nonzero(v <= blk.thr)
            subs = [blk.subset(r, c) for r, c in zip(rr.tolist(), cc.tolist())]
            if blk.thr == 0.0:
                yield from subs
                continue
            if stats is not None:
                stats["exact"] = stats.get("exact", 0) + len(subs)
            for k0 in range(0, len(subs), 2048):
                part = subs[k0:k0 + 2048]
                nz = det_nonzero_mod(self.modrows(), np.array(part, dtype=np.intp), MOD_P)
                for sub, ok in zip(part, nz.tolist()):
                    if not ok and self.exact_sign(sub) == 0:
                        yield sub

    def first_zero(self, stats=None):
        """The first subset (scan order) with a zero determinant, or None (exact)."""
        return next(self.zeros(stats), None)


# =====================================================================================
