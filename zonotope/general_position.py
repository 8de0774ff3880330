"""General position of data sets and vector configurations: exact tests, witnesses,
margins, certificates and provably generic perturbations.

A data set ``X`` (``n_samples`` points in ``R^d``) is *in general position* when every
set of at most ``d + 1`` homogenised points ``x_bar_i = (x_i, 1)`` is linearly
independent, i.e. no ``k <= d + 1`` of the points are affinely dependent (no repeated
points, no three on a line, no four on a plane, ..., no ``d + 1`` on a hyperplane).
A vector configuration (``n`` vectors in ``R^dim``) is *generic* when every set of at
most ``dim`` of its vectors is linearly independent.

Every answer here is exact (see ``docs/exactness.md``): determinants are evaluated in
floating point with a rigorous error bound, and recomputed with integers only when
the bound cannot certify the sign.  Deciding general position is coNP-complete when
the dimension is part of the input (Khachiyan 1995), so the exhaustive test refuses
inputs with more than ``max_subsets`` subsets; :func:`general_position_report`
answers large inputs in seconds with what *can* be certified, and
:func:`perturb_with_certificate` produces data whose genericity is certified by a
short proof (a modular certificate) checkable in ``O(n_samples d)``.  See
``docs/general_position.md``.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

import numpy as np

from . import _exact
from ._validation import as_matrix, as_points, check_rng
from .exceptions import TooLargeError, ValidationError

__all__ = [
    "DEFAULT_MAX_SUBSETS",
    "Dependency",
    "GeneralPositionMargin",
    "GeneralPositionReport",
    "ModularCertificate",
    "GenericPerturbation",
    "is_in_general_position",
    "is_generic_configuration",
    "general_position_witness",
    "linear_dependency_witness",
    "minimal_affine_dependencies",
    "general_position_margin",
    "general_position_report",
    "modular_certificate",
    "verify_modular_certificate",
    "perturb_to_general_position",
    "perturb_with_certificate",
]

#: Default limit on the number of ``(d+1)``-subsets an exhaustive test may visit
#: (about 2 s for d <= 4 and 10 s for d = 8 on one core, generic float data).
DEFAULT_MAX_SUBSETS = 1_000_000_000

_U = 2.0 ** -53
_TINY = 1e-290
_THR = 1.0 + 2.0 ** -20  # scaled threshold of the float filter (see _MinorScan)


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


def _binom_table(N, n):
    """``tab[m, k] = C(m, k)`` for ``0 <= m <= N``, ``0 <= k <= n`` as int64 (or object if huge)."""
    tab = np.zeros((N + 1, n + 1), dtype=object)
    for m in range(N + 1):
        for k in range(n + 1):
            tab[m, k] = math.comb(m, k)
    if math.comb(N, min(n, N // 2)) < 2**62:
        return tab.astype(np.int64)
    return tab


def _lex_rank_part(idx, N, n, offset, tab):
    """``sum_q C(N - 1 - idx[:, q], n - offset - q)``: part of a lexicographic rank.

    The rank of the sorted ``n``-subset ``c`` among ``combinations(range(N), n)`` is
    ``C(N, n) - 1 - sum_q C(N - 1 - c_q, n - q)``; a subset split as ``A + B`` adds the
    parts of ``A`` (``offset = 0``) and ``B`` (``offset = len(A)``).
    """
    out = np.zeros(idx.shape[0], dtype=tab.dtype)
    for q in range(idx.shape[1]):
        out = out + tab[N - 1 - idx[:, q], n - offset - q]
    return out


_MOD_P = 2_147_483_647  # the Mersenne prime 2^31 - 1


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


def _det_nonzero_mod(Y, subsets, p):
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
class _Block:
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


class _MinorScan:
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
            l1 = l1 * (1.0 + 2.0 * n * _U)
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
        self.cu = 2.0 * c * _U
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
            cost = _MinorScan._wedge_cost(N, n, b)
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
        """Yield :class:`_Block` objects covering every ``n``-subset exactly once."""
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
                    yield _Block(P, cols[:, None], r @ AT, np.ones(P.shape[0]),
                                 np.ones(cols.size), 0.0, slice(m + 1, N))
                    continue
                E = err + (n + 2) * _U * np.abs(r)
                if er.input_err:
                    E = E + (n + 2) * er.input_err * mag
                rowb = 2.0 * (E @ colmax) + _TINY
                _, e = np.frexp(rowb)
                sA = np.ldexp(1.0, -e)
                yield _Block(P, cols[:, None], (r * sA[:, None]) @ AT, sA,
                             np.ones(cols.size), _THR, slice(m + 1, N))

    def _wedge_blocks(self):
        """Generalized-Laplace blocks.

        ``a``-subsets are buffered by their last element so that each matrix product
        has at least ``min_rows`` rows (larger products run closer to BLAS speed).
        """
        a = self.a
        Bidx, BmatT, sB = self._b_table()
        first = Bidx[:, 0]
        nB = Bidx.shape[0]
        thr = 0.0 if self.exact else _THR
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
                yield _Block(idx, Bidx[c0:c1], val, sA, sB[c0:c1], thr, slice(c0, c1))

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
        """Rows reduced modulo the prime ``_MOD_P`` (cached; positive multiples of the rows)."""
        if self._modrows is None:
            self._modrows = np.array([[v % _MOD_P for v in self.er.zrow(i)] for i in range(self.N)],
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
                nz = _det_nonzero_mod(self.modrows(), np.array(part, dtype=np.intp), _MOD_P)
                for sub, ok in zip(part, nz.tolist()):
                    if not ok and self.exact_sign(sub) == 0:
                        yield sub

    def first_zero(self, stats=None):
        """The first subset (scan order) with a zero determinant, or None (exact)."""
        return next(self.zeros(stats), None)


# =====================================================================================
# Input handling and small exact helpers
# =====================================================================================
def _point_rows(X, func):
    """Validated points and their homogenisation ``(x_i, 1)`` (float64 or exact object)."""
    X = as_points(X, "X", func)
    N, d = X.shape
    if X.dtype == object:
        Xb = np.empty((N, d + 1), dtype=object)
        Xb[:, :d] = X
        Xb[:, d] = 1
    else:
        Xb = np.hstack([X, np.ones((N, 1))])
    return X, Xb


def _vector_rows(V, func):
    return as_matrix(V, "vectors", func)


def _check_max_subsets(max_subsets, func):
    if max_subsets is None:
        return None
    if isinstance(max_subsets, (bool, np.bool_)) or not isinstance(max_subsets, (int, np.integer)) \
            or max_subsets < 0:
        raise ValidationError(f"`max_subsets` of `{func}` must be a non-negative int or None; "
                              f"got {max_subsets!r} instead.")
    return int(max_subsets)


def _fraction(v):
    return v if isinstance(v, Fraction) else Fraction(v) if isinstance(v, int) else Fraction(float(v))


def _canonical_key(z):
    """Primitive integer vector up to sign (parallel rows share it); None for zero."""
    i = next((k for k, v in enumerate(z) if v != 0), None)
    if i is None:
        return None
    s = 1 if z[i] > 0 else -1
    return tuple(s * v for v in z)


def _zero_rows(er):
    return [i for i in range(er.n_rows) if not np.any(er.F[i])]


def _parallel_groups(er):
    """Groups (lists, >= 2 members) of pairwise parallel non-zero rows, exactly."""
    seen = {}
    for i in range(er.n_rows):
        key = _canonical_key(er.zrow(i))
        if key is not None:
            seen.setdefault(key, []).append(i)
    return [g for g in seen.values() if len(g) > 1]


def _is_dependent(er, subset):
    if not subset:
        return False
    return len(_exact.exact_rref([er.zrow(int(i)) for i in subset])[1]) < len(subset)


def _circuit_within(er, subset):
    """A minimal dependent subset (circuit) inside the dependent set ``subset``."""
    S = [int(i) for i in subset]
    i = 0
    while i < len(S):
        T = S[:i] + S[i + 1:]
        if T and _is_dependent(er, T):
            S = T
        else:
            i += 1
    return tuple(S)


def _projected_rows(er, k, gen):
    """Exact integer rows ``zrow(i) @ G`` for a random integer ``(dim, k)`` matrix ``G``.

    A dependent set of rows stays dependent after any linear map, so every dependent
    ``k``-subset of the rows has a zero ``k x k`` determinant after projecting; the
    converse can fail (rarely), so candidates are confirmed in full dimension.
    """
    G = gen.integers(-(2**20), 2**20 + 1, size=(er.dim, k)).tolist()
    rows = np.empty((er.n_rows, k), dtype=object)
    for i in range(er.n_rows):
        z = er.zrow(i)
        rows[i] = [sum(z[a] * G[a][b] for a in range(er.dim)) for b in range(k)]
    return _exact.ExactRows(rows)


def _dependent_subsets(er, k, *, seed=0):
    """All dependent ``k``-subsets of the rows (a generator, scan order; exact)."""
    N = er.n_rows
    if k > N or k < 1:
        return
    if k == 1:
        for i in _zero_rows(er):
            yield (i,)
        return
    if k == 2:
        out = sorted(p for g in _parallel_groups(er) for p in combinations(g, 2))
        yield from out
        return
    if k == er.dim:
        yield from _MinorScan(er).zeros()
        return
    if k > er.dim:  # pragma: no cover - callers never ask
        yield from combinations(range(N), k)
        return
    gen = np.random.default_rng(seed)
    pr = _projected_rows(er, k, gen)
    for sub in _MinorScan(pr).zeros():
        if _is_dependent(er, sub):
            yield sub


def _scan_cost_seconds(N, n):
    """Rough single-core time of an exhaustive scan of C(N, n) subsets (seconds)."""
    return _MinorScan.cost_seconds(N, n)


def _human_seconds(s):
    if s < 120:
        return f"{s:.3g} s"
    if s < 2 * 3600:
        return f"{s / 60:.3g} min"
    if s < 2 * 86400:
        return f"{s / 3600:.3g} h"
    if s < 2 * 3.156e7:
        return f"{s / 86400:.3g} days"
    return f"{s / 3.156e7:.3g} years"


def _probe(er, n_prefixes, gen, *, time_budget=None):
    """Random ``(dim-1)``-prefixes tested against every other row (exact).

    Returns ``(subset or None, n_prefixes_done, n_subsets_checked)``.  Each prefix
    ``P`` checks all ``dim``-subsets ``P + {j}`` with one matrix product of its
    cofactor vector (certified float filter as in :class:`_MinorScan`); uncertain
    entries are decided modulo a prime, then by exact elimination.
    """
    N, n = er.n_rows, er.dim
    if N < n or n < 2:
        return None, 0, 0
    t0 = time.perf_counter()
    done = 0
    checked = 0
    F = er.F
    AT = np.ascontiguousarray(F.T)
    colmax = np.abs(F).max(axis=0)
    scan = _MinorScan(er, mode="prefix")
    batch = max(1, min(256, n_prefixes))
    while done < n_prefixes:
        m = min(batch, n_prefixes - done)
        keys = gen.random((m, N))
        idx = np.sort(np.argpartition(keys, n - 2, axis=1)[:, : n - 1], axis=1)
        r, err, mag, _ = er._cross_float(idx)
        E = err + (n + 2) * _U * np.abs(r)
        if er.input_err:
            E = E + (n + 2) * er.input_err * mag
        rowb = 2.0 * (E @ colmax) + _TINY
        val = np.abs(r @ AT)
        inprefix = np.zeros((m, N), dtype=bool)
        np.put_along_axis(inprefix, idx, True, axis=1)
        val[inprefix] = np.inf
        done += m
        checked += m * (N - n + 1)
        rr, cc = np.nonzero(val <= rowb[:, None])
        if rr.size:
            subs = np.sort(np.concatenate([idx[rr], cc[:, None]], axis=1), axis=1)
            for k0 in range(0, subs.shape[0], 2048):
                part = subs[k0:k0 + 2048]
                nz = _det_nonzero_mod(scan.modrows(), part, _MOD_P)
                for sub, ok in zip(part.tolist(), nz.tolist()):
                    if not ok and scan.exact_sign(sub) == 0:
                        return tuple(sub), done, checked
        if time_budget is not None and time.perf_counter() - t0 > time_budget:
            break
    return None, done, checked


# =====================================================================================
# Dependencies (witnesses)
# =====================================================================================
@dataclass(frozen=True)
class Dependency:
    """A minimal dependent subset (a circuit) with its exact dependency coefficients.

    Attributes
    ----------
    indices : tuple of int
        Sorted row indices of the dependent subset; no proper subset is dependent.
    coefficients : tuple of Fraction
        ``sum_k coefficients[k] * v[indices[k]] == 0`` exactly, normalised so that the
        last coefficient is ``-1``.  For points (``kind == "affine"``) ``v`` are the
        homogenised points, so the coefficients also sum to zero and
        ``x[indices[-1]] = sum_{k < last} coefficients[k] * x[indices[k]]`` is an affine
        combination.  Float input is taken at its exact binary value.
    kind : {"affine", "linear"}
        ``"affine"`` for data points, ``"linear"`` for vectors.

    Examples
    --------
    >>> dep = general_position_witness([[0, 0], [2, 2], [1, 1]])
    >>> dep.indices, [str(c) for c in dep.coefficients], len(dep)
    ((0, 1, 2), ['1/2', '1/2', '-1'], 3)
    """

    indices: tuple
    coefficients: tuple
    kind: str = "affine"

    def __len__(self):
        return len(self.indices)


def _dependency_of(R, subset, kind):
    """Exact :class:`Dependency` of the rows ``R[subset]`` (``subset`` must be a circuit)."""
    rows = [[_fraction(v) for v in R[i]] for i in subset]
    dim = len(rows[0])
    M = [[rows[k][c] for k in range(len(subset))] for c in range(dim)]
    basis = _exact.exact_nullspace(M, len(subset))
    v = basis[0]
    last = v[-1]
    coef = tuple(Fraction(x, -last) for x in v)
    return Dependency(tuple(int(i) for i in subset), coef, kind)


def _smallest_dependency(R, er, kmin, kmax, max_subsets, func, kind):
    """Smallest dependent subset of the rows, or None (exact)."""
    N, n = er.n_rows, er.dim
    kmax = min(kmax, N)
    total = sum(math.comb(N, k) for k in range(max(kmin, 3), kmax + 1))
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(
            f"`{func}` would scan {total:.3g} subsets (> max_subsets={max_subsets:,}); "
            f"estimated {_human_seconds(_scan_cost_seconds(N, min(n, kmax)))}. Pass max_subsets=None "
            "to scan anyway, or use general_position_report for a bounded-time answer.")
    for k in range(kmin, min(kmax, 2) + 1):
        sub = next(_dependent_subsets(er, k), None)
        if sub is not None:
            return _dependency_of(R, sub, kind)
    if kmax < 3:
        return None
    upper = kmax
    if kmax == n and N >= n:
        # one exhaustive scan at the top size: no dependent n-subset means none at all
        sub = next(_dependent_subsets(er, n), None)
        if sub is None:
            return None
        circ = _circuit_within(er, sub)
        found = circ
        upper = len(circ) - 1
    else:
        found = None
    for k in range(3, upper + 1):
        sub = next(_dependent_subsets(er, k), None)
        if sub is not None:
            return _dependency_of(R, sub, kind)
    return None if found is None else _dependency_of(R, found, kind)


def general_position_witness(X, *, max_subsets=DEFAULT_MAX_SUBSETS):
    """A smallest set of affinely dependent data points, with exact coefficients.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data points.
    max_subsets : int or None
        Refuse (:class:`TooLargeError`) when more subsets than this would have to be
        scanned; ``None`` scans regardless.

    Returns
    -------
    Dependency or None
        ``None`` when ``X`` is in general position.  Otherwise a dependent subset of
        minimum size (a circuit: 2 repeated points, 3 collinear points, ...) with
        rational coefficients ``c`` such that ``sum_k c_k (x_k, 1) = 0``.

    Raises
    ------
    ValidationError
        If ``X`` is not a finite numeric 2-D array.
    TooLargeError
        If the scan exceeds ``max_subsets``.

    See Also
    --------
    is_in_general_position, minimal_affine_dependencies

    Notes
    -----
    Sizes ``2`` (repeated points, by exact hashing) and ``d + 1`` (one exhaustive
    scan of the ``(d+1)``-minors) are checked first; if a dependent ``(d+1)``-set
    exists it is shrunk to a circuit and the sizes ``3..`` below it are scanned
    exhaustively (each through an exact random integer projection to ``R^k``, whose
    zero minors are confirmed by exact rank).  Cost ``O(sum_k C(n_samples, k))``.

    Examples
    --------
    >>> w = general_position_witness([[0, 0], [1, 1], [5, 0], [2, 2]])
    >>> w.indices, [str(c) for c in w.coefficients]
    ((0, 1, 3), ['-1', '2', '-1'])
    >>> general_position_witness([[0.5, 0.0], [0.0, 1.0], [1.0, 1.0]]) is None
    True
    >>> general_position_witness([[3.0], [3.0]]).indices   # a repeated point
    (0, 1)
    """
    func = "general_position_witness"
    max_subsets = _check_max_subsets(max_subsets, func)
    _, Xb = _point_rows(X, func)
    er = _exact.ExactRows(Xb)
    return _smallest_dependency(Xb, er, 2, Xb.shape[1], max_subsets, func, "affine")


def linear_dependency_witness(vectors, *, max_subsets=DEFAULT_MAX_SUBSETS):
    """A smallest linearly dependent subset of vectors (at most ``dim`` of them), exactly.

    Parameters
    ----------
    vectors : array_like, shape (n_vectors, dim)
    max_subsets : int or None

    Returns
    -------
    Dependency or None
        ``None`` when every ``min(n_vectors, dim)`` vectors are independent.

    Examples
    --------
    >>> linear_dependency_witness([[1, 0], [0, 1], [2, 0]]).indices
    (0, 2)
    >>> linear_dependency_witness([[0, 0], [1, 2]]).indices   # the zero vector
    (0,)
    >>> linear_dependency_witness([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]) is None
    True
    """
    func = "linear_dependency_witness"
    max_subsets = _check_max_subsets(max_subsets, func)
    V = _vector_rows(vectors, func)
    er = _exact.ExactRows(V)
    return _smallest_dependency(V, er, 1, V.shape[1], max_subsets, func, "linear")


def minimal_affine_dependencies(X, *, max_size=None, max_subsets=DEFAULT_MAX_SUBSETS):
    """Every minimal affine dependency (circuit) of at most ``max_size <= d + 1`` points.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_size : int, optional
        Largest circuit size reported (default and maximum ``n_features + 1``).
    max_subsets : int or None

    Returns
    -------
    list of Dependency
        Sorted by size, then indices.  Empty exactly when ``X`` is in general position
        (for ``max_size = d + 1``).

    Notes
    -----
    Used by the ReLU layer to explain the first discontinuity mechanism of
    Matena & Raffel (2022, §4.1): an optimal activation pattern whose *active*
    examples contain one of these circuits has a convex subproblem that may jump when
    the dependency is broken.  Cost ``O(sum_{k <= max_size} C(n_samples, k))``.

    Examples
    --------
    >>> deps = minimal_affine_dependencies([[0, 0], [1, 0], [2, 0], [0, 1], [0, 2]])
    >>> [d.indices for d in deps]
    [(0, 1, 2), (0, 3, 4)]
    >>> minimal_affine_dependencies([[0.0], [1.0]])
    []
    """
    func = "minimal_affine_dependencies"
    max_subsets = _check_max_subsets(max_subsets, func)
    _, Xb = _point_rows(X, func)
    N, n = Xb.shape
    if max_size is None:
        max_size = n
    if isinstance(max_size, bool) or not isinstance(max_size, (int, np.integer)) or not 2 <= max_size <= n:
        raise ValidationError(f"`max_size` of `{func}` must be an int in [2, {n}]; got {max_size!r} instead.")
    K = min(int(max_size), N)
    total = sum(math.comb(N, k) for k in range(3, K + 1))
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(f"`{func}` would scan {total:.3g} subsets (> max_subsets={max_subsets:,}).")
    er = _exact.ExactRows(Xb)
    found = []
    for k in range(2, K + 1):
        for sub in _dependent_subsets(er, k):
            s = set(sub)
            if any(set(c) <= s for c in found):
                continue
            found.append(tuple(sub))
    found.sort(key=lambda c: (len(c), c))
    return [_dependency_of(Xb, c, "affine") for c in found]


# =====================================================================================
# The exhaustive predicates
# =====================================================================================
def _too_large_message(func, param, N, n, total, max_subsets, what):
    est = _human_seconds(_scan_cost_seconds(N, n))
    return (f"`{param}` of `{func}` has C({N}, {n}) = {total:.3g} {what} (> max_subsets="
            f"{max_subsets:,}); an exhaustive exact check would take about {est} on one core. "
            "Deciding general position is coNP-complete when the dimension is part of the input "
            "(Khachiyan 1995), so no fast exact test exists for arbitrary data. Use "
            "general_position_report(...) for what can be certified in seconds, "
            "perturb_to_general_position(...) for provably generic data, or max_subsets=None "
            "to enumerate anyway.")


def _rows_generic(R, er, *, points, max_subsets, func, param):
    N, n = R.shape
    if not points and _zero_rows(er):
        return False
    if n >= 2 and _parallel_groups(er):
        return False
    if N == 1:
        return True
    rank = _exact.exact_rank(er, np.arange(N))
    if rank < min(N, n):
        return False
    if N <= n:
        return True
    total = math.comb(N, n)
    if max_subsets is not None and total > max_subsets:
        if points and _find_certificate(R, None) is not None:
            return True
        raise TooLargeError(_too_large_message(func, param, N, n, total, max_subsets,
                                               "subsets of d+1 points" if points else "bases"))
    if total > 1_000_000:
        sub, _, _ = _probe(er, 64, np.random.default_rng(0))
        if sub is not None:
            return False
    return _MinorScan(er).first_zero() is None


def is_in_general_position(X, *, max_subsets=DEFAULT_MAX_SUBSETS):
    """True when no ``k <= d + 1`` of the data points are affinely dependent (exact).

    Equivalently: every set of at most ``d + 1`` homogenised points ``(x_i, 1)`` is
    linearly independent (no repeated points, no three points on a line, ..., no
    ``d + 1`` points on a hyperplane).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float (taken at its exact binary value) or exact int/Fraction data.
    max_subsets : int or None
        Refuse inputs with more than this many ``(d+1)``-subsets
        (default :data:`DEFAULT_MAX_SUBSETS`); ``None`` enumerates regardless.

    Returns
    -------
    bool

    Raises
    ------
    ValidationError
        If ``X`` is not a finite numeric 2-D array.
    TooLargeError
        If ``C(n_samples, d + 1) > max_subsets`` and no modular certificate (see
        :func:`modular_certificate`) settles the question; the message estimates the
        time of the exhaustive check.

    See Also
    --------
    general_position_witness, general_position_report, perturb_to_general_position

    Notes
    -----
    Exact steps: repeated points (exact hashing, ``O(n d)``), the exact rank, and for
    ``n_samples > d + 1`` the signs of all ``C(n_samples, d+1)`` maximal minors
    (vectorised generalized-Laplace scan with a certified float filter and an exact
    integer fallback, early exit at the first zero).  If any ``d + 1`` points were
    dependent, so would be every set containing them; conversely every smaller
    dependent set extends to a dependent ``(d+1)``-set, so the maximal minors decide.

    Deciding this is coNP-complete when ``d`` is part of the input (Khachiyan 1995),
    hence the size limit.

    References
    ----------
    L. Khachiyan, "On the complexity of approximating extremal determinants in
    matrices", J. Complexity 11 (1995) 138-153, doi:10.1006/jcom.1995.1005.

    Examples
    --------
    >>> is_in_general_position([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    True
    >>> is_in_general_position([[0, 0], [1, 1], [2, 2]])        # collinear
    False
    >>> is_in_general_position([[0.5, 2.0]])                    # one point
    True
    """
    func = "is_in_general_position"
    max_subsets = _check_max_subsets(max_subsets, func)
    _, Xb = _point_rows(X, func)
    er = _exact.ExactRows(Xb)
    return _rows_generic(Xb, er, points=True, max_subsets=max_subsets, func=func, param="X")


def is_generic_configuration(vectors, *, max_subsets=DEFAULT_MAX_SUBSETS):
    """True when every ``min(n_vectors, dim)`` of the vectors are linearly independent.

    For the normals of a central arrangement this is "the hyperplanes are in general
    position"; for the homogenised points of a data set it is
    :func:`is_in_general_position`.

    Parameters
    ----------
    vectors : array_like, shape (n_vectors, dim)
    max_subsets : int or None

    Returns
    -------
    bool

    Raises
    ------
    ValidationError, TooLargeError

    Examples
    --------
    >>> is_generic_configuration([[1, 0], [0, 1], [1, 1]])
    True
    >>> is_generic_configuration([[1, 0], [0, 1], [-2, 0]])   # antiparallel
    False
    >>> is_generic_configuration([[0.0, 0.0, 0.0]])          # the zero vector
    False
    """
    func = "is_generic_configuration"
    max_subsets = _check_max_subsets(max_subsets, func)
    V = _vector_rows(vectors, func)
    er = _exact.ExactRows(V)
    return _rows_generic(V, er, points=False, max_subsets=max_subsets, func=func, param="vectors")


# =====================================================================================
# Margin: normalised determinants and a certified perturbation radius
# =====================================================================================
@dataclass(frozen=True)
class GeneralPositionMargin:
    """How far a data set is from degeneracy.

    Attributes
    ----------
    min_normalized_det : float
        ``min_S |det Xbar_S| / prod_{i in S} ||xbar_i||_2`` over the ``(d+1)``-subsets
        ``S`` (a number in ``[0, 1]`` by Hadamard's inequality; 0 iff some subset is
        dependent).  A floating-point estimate with relative error about ``1e-13``
        (its *sign* pattern is exact).  For ``n_samples < d + 1``: the largest value
        over the ``n_samples``-column minors instead.
    argmin : tuple of int
        A subset attaining it.
    certified_radius : float
        A rigorous lower bound on the perturbation radius: moving every point by at
        most this much (Euclidean norm, any directions) changes the sign of no
        ``(d+1)``-minor, hence keeps the chirotope, the chambers (activation patterns)
        and the combinatorial type of the zonotope.  0 when ``X`` is not in general
        position.
    radius_subset : tuple of int
        The subset whose bound is smallest.
    n_subsets : int
        Number of subsets examined.
    center, scale : ndarray, float
        The exact affine normalisation ``y = scale * (x - center)`` used for the
        radius bound (minors are invariant under it up to the factor ``scale^d``).

    Examples
    --------
    >>> m = general_position_margin([[0.0], [1.0], [3.0]])
    >>> m.argmin, m.n_subsets, 0 < m.certified_radius <= 0.5
    ((1, 2), 3, True)
    """

    min_normalized_det: float
    argmin: tuple
    certified_radius: float
    radius_subset: tuple
    n_subsets: int
    center: np.ndarray = field(repr=False)
    scale: float = 1.0


def _normalisation(X):
    """Center (float) and power-of-two scale for the radius bound."""
    Xf = np.asarray(X, dtype=np.float64) if X.dtype != object else np.array(
        [[float(v) for v in r] for r in X], dtype=np.float64)
    c = Xf.mean(axis=0)
    rms = float(np.sqrt(np.mean(np.sum((Xf - c) ** 2, axis=1)))) if Xf.shape[0] else 0.0
    if not np.isfinite(rms) or rms == 0.0:
        return c, 1.0
    e = -round(math.log2(rms))
    lim = 900 // max(1, X.shape[1])  # keep s^d far from overflow and underflow
    return c, float(2.0 ** max(-lim, min(lim, e)))


def _rho_bounds(X, c, s):
    """Rigorous bounds ``rho_lo <= ||(s (x_i - c), 1)||_2 <= rho_hi`` for every row."""
    N, d = X.shape
    if X.dtype == object:
        cF = [Fraction(float(v)) for v in c]
        sF = Fraction(s)
        q = []
        for r in X:
            tot = Fraction(1)
            for v, cv in zip(r, cF):
                y = sF * (Fraction(v) - cv)
                tot += y * y
            q.append(float(tot))  # correctly rounded to nearest: relative error <= u
        q = np.array(q)
    else:
        Y = (X - c) * s  # each entry: relative error <= u (subtraction), scaling exact
        q = np.sum(Y * Y, axis=1) + 1.0
    rel = (2 * d + 12) * _U
    r = np.sqrt(q)
    return r * (1.0 - rel), r * (1.0 + rel)


def general_position_margin(X, *, max_subsets=DEFAULT_MAX_SUBSETS):
    """Normalised distance from degeneracy and a certified perturbation radius.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_subsets : int or None
        Refuse (:class:`TooLargeError`) above this many ``(d+1)``-subsets.

    Returns
    -------
    GeneralPositionMargin

    Raises
    ------
    ValidationError, TooLargeError

    See Also
    --------
    zonotope.perturbation.perturbation_radius : the same bound plus the exact radius.

    Notes
    -----
    **Radius bound.**  Translate and scale exactly, ``y_i = s (x_i - c)``: minors of
    the homogenised points change by the positive factor ``s^d`` and perturbations by
    ``s``, so it suffices to bound the radius for ``y`` and divide by ``s``.  Let
    ``M = Ybar_S`` with rows of norms ``rho_i = ||(y_i, 1)||``, ``D = |det M| > 0``,
    and perturb row ``i`` by ``(delta_i, 0)`` with ``||delta_i|| <= eps``.  The
    determinant is multilinear in the rows, so ``det(M + E) - det(M)`` is a sum over
    the non-empty sets ``T`` of rows taken from ``E``; by Hadamard's inequality each
    term is at most ``eps^|T| prod_{i not in T} rho_i``, whence

    .. math:: |\\det(M+E) - \\det M| \\le \\prod_i (\\rho_i + \\varepsilon) - \\prod_i \\rho_i
              \\le \\prod_i \\rho_i \\,(e^{\\varepsilon \\sigma} - 1),
              \\qquad \\sigma = \\sum_i 1/\\rho_i .

    The sign survives when this is ``< D``, i.e. for
    ``eps < log(1 + mu) / sigma`` with ``mu = D / prod rho_i``; since
    ``log(1 + mu) >= 2 mu / (2 + mu)``, every ``eps <= 2 mu / ((2 + mu) sigma)`` is
    safe.  The certified radius is the minimum over all subsets, computed from a
    certified lower bound on ``D`` and upper bounds on ``rho_i``, ``sigma``, with a
    final relative safety factor ``1 - 1e-12`` covering the rounding of the few
    floating-point operations involved (each bounded by ``u = 2^-53``).

    Cost: one exhaustive scan of the ``C(n_samples, d+1)`` minors plus a few
    elementwise passes per block (about twice :func:`is_in_general_position`).

    Examples
    --------
    >>> m = general_position_margin([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> round(m.min_normalized_det, 6), m.argmin
    (0.5, (0, 1, 2))
    >>> 0 < m.certified_radius < 0.5
    True
    >>> general_position_margin([[0, 0], [1, 1], [2, 2]]).certified_radius   # collinear
    0.0
    """
    func = "general_position_margin"
    max_subsets = _check_max_subsets(max_subsets, func)
    X, Xb = _point_rows(X, func)
    N, n = Xb.shape
    d = n - 1
    er = _exact.ExactRows(Xb)
    c, s = _normalisation(X)
    if N < n:
        return _margin_few(X, Xb, er, c, s)
    total = math.comb(N, n)
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(_too_large_message(func, "X", N, n, total, max_subsets, "subsets of d+1 points"))
    F = er.F
    rho_lo, rho_hi = _rho_bounds(X, c, s)
    # det Xbar_S = det F_S / prod_i F[i, -1]   (F_i = F[i, -1] * xbar_i)
    lastF = F[:, -1] * (1.0 + 2 * _U) if not er.int_mode else F[:, -1]   # upper bounds
    phi = 1.0 / (lastF * rho_hi) * (1.0 - 4 * _U)        # lower bounds
    inv_rho = 1.0 / rho_lo * (1.0 + 4 * _U)              # upper bounds of 1/rho
    normF = np.sqrt(np.einsum("ij,ij->i", F, F))
    scan = _MinorScan(er)
    best_mu, arg_mu = np.inf, None
    best_eps, arg_eps = np.inf, None
    sd = float(s) ** d
    for blk in scan.blocks():
        A, B = blk.A, blk.B
        absval = np.abs(blk.val)
        # normalised determinant (float estimate)
        fa = 1.0 / (blk.sA * np.prod(normF[A], axis=1))
        fb = 1.0 / (blk.sB * np.prod(normF[B], axis=1))
        mu = absval * fa[:, None] * fb[None, :]
        k = int(np.argmin(mu))
        if mu.flat[k] < best_mu:
            best_mu = float(mu.flat[k])
            arg_mu = blk.subset(*np.unravel_index(k, mu.shape))
        # certified radius bound
        Dlo = absval - blk.thr
        np.maximum(Dlo, 0.0, out=Dlo)
        special = []
        if blk.thr > 0.0 and not np.all(Dlo > 0):
            # uncertain entries: decide exactly; a zero means radius 0, otherwise the
            # bound of that subset is evaluated from its exact determinant
            rr, cc = np.nonzero(Dlo <= 0)
            for r, cidx in zip(rr.tolist(), cc.tolist()):
                sub = blk.subset(r, cidx)
                if scan.exact_sign(sub) == 0:
                    return GeneralPositionMargin(0.0, sub, 0.0, sub, total, c, s)
                special.append((r, cidx, sub))
        ga = np.prod(phi[A], axis=1) / blk.sA
        gb = np.prod(phi[B], axis=1) / blk.sB
        mup = Dlo * (sd * ga)[:, None] * gb[None, :]
        sig = np.sum(inv_rho[A], axis=1)[:, None] + np.sum(inv_rho[B], axis=1)[None, :]
        eps = 2.0 * mup / ((2.0 + mup) * sig)
        for r, cidx, sub in special:
            eps[r, cidx] = _subset_radius_bound(X, sub, c, s, rho_hi, inv_rho) * s
        k = int(np.argmin(eps))
        if eps.flat[k] < best_eps:
            best_eps = float(eps.flat[k])
            arg_eps = blk.subset(*np.unravel_index(k, eps.shape))
            if best_eps == 0.0:
                break
    radius = max(0.0, best_eps / s * (1.0 - 1e-12))
    if arg_mu is None:  # pragma: no cover - N >= n guarantees a block
        arg_mu = arg_eps = tuple(range(n))
    return GeneralPositionMargin(best_mu, arg_mu, radius, arg_eps, total, c, s)


def _frac_det(M):
    """Exact determinant of a small square matrix of Fractions (Gaussian elimination)."""
    A = [list(r) for r in M]
    n = len(A)
    det = Fraction(1)
    for col in range(n):
        p = next((i for i in range(col, n) if A[i][col] != 0), None)
        if p is None:
            return Fraction(0)
        if p != col:
            A[col], A[p] = A[p], A[col]
            det = -det
        det *= A[col][col]
        for i in range(col + 1, n):
            if A[i][col] != 0:
                f = A[i][col] / A[col][col]
                A[i] = [x - f * y for x, y in zip(A[i], A[col])]
    return det


def _subset_radius_bound(X, sub, c, s, rho_hi, inv_rho):
    """Certified radius bound of one subset from its exact determinant (slow path)."""
    cF = [Fraction(float(v)) for v in c]
    sF = Fraction(s)
    M = [[sF * (_fraction(v) - cv) for v, cv in zip(X[i], cF)] + [Fraction(1)] for i in sub]
    D = abs(_frac_det(M))
    mup = float(D) * (1.0 - 4 * _U) / float(np.prod(rho_hi[list(sub)]))
    sig = float(np.sum(inv_rho[list(sub)])) * (1.0 + 4 * len(sub) * _U)
    return 2.0 * mup / ((2.0 + mup) * sig) / s


def _margin_few(X, Xb, er, c, s):
    """Margin for ``n_samples < d + 1``: the points are generic iff independent.

    Independence survives a perturbation as long as one ``N x N`` column minor keeps
    its sign, so the bound of :func:`general_position_margin` applied to the best
    column subsets (exact rational minors, the 10 best by a float estimate) is
    again a certified radius.
    """
    N, n = Xb.shape
    cols_all = list(combinations(range(n), N))
    if _exact.exact_rank(er, np.arange(N)) < N:
        return GeneralPositionMargin(0.0, tuple(range(N)), 0.0, tuple(range(N)), len(cols_all), c, s)
    Xbf = np.asarray(Xb, dtype=np.float64) if Xb.dtype != object else np.array(
        [[float(v) for v in r] for r in Xb])
    est = []
    for C in cols_all:
        M = Xbf[:, list(C)]
        nrm = float(np.prod(np.linalg.norm(M, axis=1)))
        est.append(abs(float(np.linalg.det(M))) / nrm if nrm > 0 else 0.0)
    order = np.argsort(est)[::-1][:10]
    cF = [Fraction(float(v)) for v in c]
    sF = Fraction(s)
    Xbr = [[_fraction(v) for v in r] for r in Xb]
    Yr = [[sF * (v - cv) for v, cv in zip(r[:-1], cF)] + [Fraction(1)] for r in Xbr]
    best_mu, best_eps = 0.0, 0.0
    for k in order.tolist():
        C = cols_all[k]
        M = [[Xbr[i][j] for j in C] for i in range(N)]
        D = abs(_frac_det(M))
        if D == 0:
            continue
        norms = [math.sqrt(float(sum(v * v for v in row))) for row in M]
        best_mu = max(best_mu, float(D) / float(np.prod(norms)))
        MY = [[Yr[i][j] for j in C] for i in range(N)]
        DY = abs(_frac_det(MY))
        q = np.array([float(sum(v * v for v in row)) for row in MY])
        rho_hi = np.sqrt(q) * (1.0 + 8 * _U)
        rho_lo = np.sqrt(q) * (1.0 - 8 * _U)
        mup = float(DY) * (1.0 - 4 * _U) / float(np.prod(rho_hi))
        sig = float(np.sum(1.0 / rho_lo))
        best_eps = max(best_eps, 2.0 * mup / ((2.0 + mup) * sig) / s * (1.0 - 1e-12))
    return GeneralPositionMargin(best_mu, tuple(range(N)), best_eps, tuple(range(N)), len(cols_all), c, s)


# =====================================================================================
# Modular certificates and provably generic perturbations
# =====================================================================================
def _primes_in(lo, hi):
    """All primes ``p`` with ``lo <= p <= hi`` (sieve of Eratosthenes)."""
    hi = int(hi)
    if hi < 2:
        return []
    sieve = np.ones(hi + 1, dtype=bool)
    sieve[:2] = False
    for p in range(2, int(hi ** 0.5) + 1):
        if sieve[p]:
            sieve[p * p::p] = False
    return [int(p) for p in np.nonzero(sieve)[0] if p >= lo]


def _default_primes(N):
    P0 = max(int(N), 3)
    return _primes_in(P0, 4 * P0 + 64)


def _residues(X, p):
    """Entries of ``X`` reduced modulo the odd prime ``p`` (int64), or None.

    Floats are dyadic rationals ``m 2^e`` (their exact binary value); exact entries are
    Fractions.  None when some denominator is divisible by ``p``.
    """
    if X.dtype != object:
        m, e = np.frexp(X)
        mant = (m * 2.0**53).astype(np.int64)
        exps = e.astype(np.int64) - 53
        ue, inv = np.unique(exps, return_inverse=True)
        tab = np.array([pow(2, int(x), p) for x in ue], dtype=np.int64)
        return (np.mod(mant, p) * tab[inv.reshape(exps.shape)]) % p
    out = np.empty(X.shape, dtype=np.int64)
    for idx, v in np.ndenumerate(X):
        f = _fraction(v)
        if f.denominator % p == 0:
            return None
        out[idx] = f.numerator % p * pow(f.denominator, -1, p) % p
    return out


def _moment_structure(Y, p):
    """``(t, lambdas)`` with ``Y[:, c] = lambdas[c] t^(c+1) mod p`` and distinct ``t``; or None."""
    N, d = Y.shape
    t = Y[:, 0]
    if np.unique(t).size < N:
        return None
    lams = [1]
    if d == 1:
        return t, tuple(lams)
    nz = np.nonzero(t)[0]
    if nz.size == 0:
        return None
    ref = int(nz[0])
    tp = t.copy()
    for c in range(1, d):
        tp = tp * t % p
        lam = int(Y[ref, c]) * pow(int(tp[ref]), -1, p) % p
        if lam == 0 or not np.array_equal(Y[:, c], lam * tp % p):
            return None
        lams.append(lam)
    return t, tuple(lams)


@dataclass(frozen=True)
class ModularCertificate:
    """A short proof that a data set is in general position.

    The data reduce modulo the prime ``prime`` to points on a scaled moment curve:
    ``x_ic = lambdas[c] * t_i^(c+1) (mod prime)`` with pairwise distinct ``t_i``
    (``parameters``) and non-zero ``lambdas``.  Then every ``(d+1)``-minor of the
    homogenised points reduces to ``+-prod(lambdas) * prod_{k<l} (t_l - t_k)``, a
    non-zero Vandermonde determinant over the field ``F_prime``, so it is non-zero
    over the rationals (reduction modulo ``prime`` is a ring homomorphism on the
    rationals whose denominators are prime to ``prime``).  Checking the certificate
    costs ``O(n_samples d)``; see :func:`verify_modular_certificate`.

    Examples
    --------
    >>> X = [[1, 1, 1], [2, 4, 8], [3, 9, 5], [4, 5, 9]]   # (t, t^2, t^3) mod 11
    >>> cert = ModularCertificate(11, (1, 2, 3, 4), (1, 1, 1))
    >>> verify_modular_certificate(X, cert), is_in_general_position(X)
    (True, True)
    """

    prime: int
    parameters: tuple
    lambdas: tuple


def _find_certificate(Xb, primes):
    """Search the primes for a :class:`ModularCertificate` of the homogenised rows ``Xb``."""
    X = Xb[:, :-1]
    N, d = X.shape
    if N == 0 or d == 0:
        return None
    if primes is None:
        primes = _default_primes(N)
    head = X[: min(N, 3)]
    for p in primes:
        p = int(p)
        if p < max(N, 3):
            continue
        Yh = _residues(head, p)
        if Yh is None or _moment_structure(Yh, p) is None:
            continue
        Y = _residues(X, p)
        if Y is None:
            continue
        st = _moment_structure(Y, p)
        if st is not None:
            t, lams = st
            return ModularCertificate(p, tuple(int(v) for v in t), tuple(int(v) for v in lams))
    return None


def modular_certificate(X, *, primes=None):
    """Search for a :class:`ModularCertificate` of general position (``O(n d)`` per prime).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    primes : iterable of int, optional
        Candidate primes (each must be odd and ``>= n_samples``).  Default: every
        prime in ``[max(n_samples, 3), 4 max(n_samples, 3) + 64]``, which contains the
        prime used by :func:`perturb_with_certificate` for the same data.

    Returns
    -------
    ModularCertificate or None
        ``None`` means only that no certificate was found (almost all generic data
        have none); it says nothing against general position.

    Notes
    -----
    Candidates are rejected on the first three points before the full check, so a
    search costs ``O(n_primes + n_samples d)`` modular operations.

    Examples
    --------
    >>> Xp = perturb_to_general_position([[0.0, 0.0]] * 5, 0.01, rng=0)
    >>> cert = modular_certificate(Xp)
    >>> cert is not None and verify_modular_certificate(Xp, cert)
    True
    >>> modular_certificate([[0, 0], [1, 1], [2, 2]]) is None   # collinear: impossible
    True
    """
    func = "modular_certificate"
    _, Xb = _point_rows(X, func)
    if primes is not None:
        primes = [int(p) for p in primes]
        bad = [p for p in primes if p < 3 or any(p % q == 0 for q in range(2, int(p ** 0.5) + 1))]
        if bad:
            raise ValidationError(f"`primes` of `{func}` must contain odd primes; got {bad[0]!r} instead.")
    return _find_certificate(Xb, primes)


def verify_modular_certificate(X, certificate):
    """Check a :class:`ModularCertificate` exactly; True proves general position.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    certificate : ModularCertificate

    Returns
    -------
    bool

    Examples
    --------
    >>> X = perturb_to_general_position([[1.0, 2.0, 3.0]] * 4, 0.5, rng=1)
    >>> verify_modular_certificate(X, modular_certificate(X))
    True
    >>> verify_modular_certificate([[0.0, 0.0]], ModularCertificate(5, (1,), (1, 1)))
    False
    """
    func = "verify_modular_certificate"
    X, _ = _point_rows(X, func)
    if not isinstance(certificate, ModularCertificate):
        raise ValidationError(f"`certificate` of `{func}` must be a ModularCertificate; "
                              f"got {type(certificate).__name__} instead.")
    p = int(certificate.prime)
    N, d = X.shape
    if p < max(N, 3) or any(p % q == 0 for q in range(2, int(p ** 0.5) + 1)):
        return False
    if len(certificate.parameters) != N or len(certificate.lambdas) != d:
        return False
    t = np.array(certificate.parameters, dtype=np.int64) % p
    if np.unique(t).size < N:
        return False
    Y = _residues(X, p)
    if Y is None:
        return False
    tp = np.ones(N, dtype=np.int64)
    for c in range(d):
        lam = int(certificate.lambdas[c]) % p
        tp = tp * t % p
        if lam == 0 or not np.array_equal(Y[:, c], lam * tp % p):
            return False
    return True


@dataclass(frozen=True)
class GenericPerturbation:
    """Result of :func:`perturb_with_certificate`.

    Attributes
    ----------
    data : ndarray, shape (n_samples, n_features)
        The perturbed points: ``float64`` when every new coordinate is exactly
        representable (the usual case), else exact ``object`` (Fractions).
    certificate : ModularCertificate
        Proof that ``data`` is in general position.
    max_displacement : float
        ``max_i ||data_i - X_i||_2`` (computed exactly, rounded up), at most ``scale``.
    grid : Fraction
        The power of two ``h``: every new coordinate is an integer multiple of ``h``.

    Examples
    --------
    >>> res = perturb_with_certificate([[0.0, 0.0], [0.0, 0.0]], 0.5, rng=0)
    >>> res.max_displacement <= 0.5, verify_modular_certificate(res.data, res.certificate)
    (True, True)
    """

    data: np.ndarray
    certificate: ModularCertificate
    max_displacement: float
    grid: Fraction


def _check_scale(scale, func, X):
    if scale is None:
        mx = 0.0
        for v in X.flat:
            mx = max(mx, abs(float(v)))
        return 1e-6 * max(1.0, mx)
    if isinstance(scale, (bool, np.bool_)):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; got {scale!r} instead.")
    try:
        sc = float(scale)
    except (TypeError, ValueError):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; "
                              f"got {scale!r} instead.") from None
    if not (np.isfinite(sc) and sc > 0):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; got {scale!r} instead.")
    return sc


def perturb_with_certificate(X, scale=None, *, rng=None):
    """Move every point by at most ``scale`` so that the result is provably generic.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact data (any configuration, e.g. with repeated points).
    scale : float, optional
        Bound on the Euclidean displacement of each point.  Default
        ``1e-6 * max(1, max |X|)``.
    rng : None, int or numpy.random.Generator
        Chooses the prime and the curve parameters.

    Returns
    -------
    GenericPerturbation
        The perturbed data with a :class:`ModularCertificate` of general position.

    Raises
    ------
    ValidationError
        Bad ``X``, ``scale`` or ``rng``.

    See Also
    --------
    perturb_to_general_position : the same, returning only the data.

    Notes
    -----
    **Construction.**  Pick a prime ``p >= max(n_samples, 3)``, distinct residues
    ``t_1, ..., t_N`` in ``F_p`` and the power of two ``h`` with
    ``h p sqrt(d) / 2 <= scale``.  Each coordinate ``x_ic`` becomes ``h z_ic`` where
    ``z_ic`` is the integer nearest to ``x_ic / h`` among those congruent to
    ``t_i^(c+1)`` modulo ``p``, so ``|h z_ic - x_ic| <= h p / 2`` and every point moves
    by at most ``h p sqrt(d) / 2 <= scale``.

    **Proof of general position.**  Reduce the homogenised new points modulo ``p``
    (``h`` is a power of two, invertible modulo the odd prime ``p``): the row of point
    ``i`` becomes ``(h t_i, h t_i^2, ..., h t_i^d, 1)``.  For any ``d + 1`` points the
    determinant reduces to ``h^d`` times a Vandermonde determinant
    ``+-prod_{k<l} (t_l - t_k)``, non-zero in the field ``F_p`` because the ``t`` are
    distinct.  Reduction modulo ``p`` is a ring homomorphism, so the rational
    determinant is non-zero.  Smaller subsets are independent as subsets of
    independent sets (or, for ``n_samples <= d``, by a Vandermonde minor).  No
    enumeration of subsets is needed: the certificate is checked in ``O(n d)``.

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]   # duplicate + collinear
    >>> res = perturb_with_certificate(X, 1e-3, rng=0)
    >>> res.max_displacement <= 1e-3, is_in_general_position(res.data)
    (True, True)
    >>> perturb_with_certificate([[5.0]], 0.1, rng=0).data.shape    # one 1-D point
    (1, 1)
    """
    func = "perturb_with_certificate"
    X = as_points(X, "X", func)
    gen = check_rng(rng)
    sc = _check_scale(scale, func, X)
    N, d = X.shape
    P0 = max(N, 3)
    primes = _primes_in(P0, 2 * P0 + 32)
    p = int(primes[int(gen.integers(len(primes)))])
    t = gen.choice(p, size=N, replace=False).astype(np.int64)
    # grid: the largest power of two h with (h p)^2 d <= (2 scale)^2
    scF = Fraction(sc)
    k = math.floor(math.log2(2.0 * sc / (p * math.sqrt(d)))) + 1
    while Fraction(2) ** k * p * Fraction(2) ** k * p * d > 4 * scF * scF:
        k -= 1
    h = Fraction(2) ** k
    R = np.empty((N, d), dtype=object)
    tp = np.ones(N, dtype=np.int64)
    for c in range(d):
        tp = tp * t % p
        R[:, c] = tp.tolist()
    Z = np.empty((N, d), dtype=object)
    disp2 = []
    for i in range(N):
        tot = Fraction(0)
        for c in range(d):
            q = _fraction(X[i, c]) / h
            r = int(R[i, c])
            m = round((q - r) / p)
            z = r + p * m
            Z[i, c] = z
            tot += (h * (z - q)) ** 2
        disp2.append(tot)
    new = np.empty((N, d), dtype=object)
    for idx, z in np.ndenumerate(Z):
        v = h * z
        new[idx] = v.numerator if v.denominator == 1 else v
    out = new
    if X.dtype != object and all(abs(z) < 2**53 for z in Z.flat):
        F = np.ldexp(np.array([[float(z) for z in row] for row in Z], dtype=np.float64).reshape(N, d), k)
        if all(Fraction(float(f)) == _fraction(v) for f, v in zip(F.flat, new.flat)):
            out = F
    out = np.array(out, copy=True)
    out.flags.writeable = False
    Xb = np.empty((N, d + 1), dtype=object)
    Xb[:, :d] = new
    Xb[:, d] = 1
    cert = _find_certificate(Xb, [p])
    if cert is None:  # pragma: no cover - impossible by the proof above
        raise AssertionError("internal error: the modular construction failed to certify")
    # the exact displacement is <= scale by construction; report an upper bound
    maxdisp = max(math.sqrt(float(v)) for v in disp2) * (1 + 4 * _U) if disp2 else 0.0
    return GenericPerturbation(out, cert, min(maxdisp, sc), h)


def perturb_to_general_position(X, scale=None, *, rng=None):
    """Data within ``scale`` of ``X`` (per point, Euclidean) that are provably generic.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    scale : float, optional
        Bound on each point's displacement (default ``1e-6 * max(1, max |X|)``).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (n_samples, n_features)
        ``float64`` (or exact ``object`` when a coordinate does not fit in a float).

    See Also
    --------
    perturb_with_certificate : construction, proof, and the certificate itself.

    Notes
    -----
    If ``scale`` is below the certified radius of ``X``
    (:func:`general_position_margin`) and ``X`` is already in general position, the
    result has the same chirotope and chambers as ``X``.

    Examples
    --------
    >>> Xp = perturb_to_general_position([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], 1e-3, rng=0)
    >>> is_in_general_position(Xp), bool(np.max(np.abs(Xp - [[0, 0], [1, 1], [2, 2]])) <= 1e-3)
    (True, True)
    """
    return perturb_with_certificate(X, scale, rng=rng).data


# =====================================================================================
# Bounded-time report for any size
# =====================================================================================
@dataclass(frozen=True)
class GeneralPositionReport:
    """What can be certified about general position within a time budget.

    Attributes
    ----------
    status : {"generic", "degenerate", "unknown"}
        ``"generic"`` and ``"degenerate"`` are proofs (see ``method``); ``"unknown"``
        means neither could be established within the limits.
    method : str
        ``"exhaustive"`` (every ``(d+1)``-minor checked exactly), ``"certificate"``
        (a :class:`ModularCertificate` was found), ``"witness"`` (an exact
        dependency was found), or ``"partial"`` (status unknown).
    witness : Dependency or None
        A minimal dependent subset when ``status == "degenerate"``.
    certificate : ModularCertificate or None
    n_samples, n_features : int
    n_subsets : int
        ``C(n_samples, d + 1)``, the number of maximal minors.
    n_checked : int
        Maximal minors whose sign was certified non-zero (exhaustive: all).
    cleared_sizes : tuple of int
        Sizes ``k`` for which *every* ``k``-subset was proven affinely independent
        (``2`` = no repeated points, ``3`` = no three collinear points, ...).
    dependent_fraction_bound : float or None
        For ``"unknown"``: with confidence ``confidence`` (over the random choice of
        the sampled subsets, not over the data), fewer than this fraction of the
        ``(d+1)``-subsets are dependent.  It is *not* a bound on their existence.
    confidence : float
    exhaustive_seconds_estimate : float
        Estimated single-core time of the exhaustive check.
    seconds : float

    Examples
    --------
    >>> r = general_position_report([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> r.status, r.method, r.certified, r.n_subsets, r.cleared_sizes
    ('generic', 'exhaustive', True, 4, (2, 3))
    """

    status: str
    method: str
    witness: Dependency | None
    certificate: ModularCertificate | None
    n_samples: int
    n_features: int
    n_subsets: int
    n_checked: int
    cleared_sizes: tuple
    dependent_fraction_bound: float | None
    confidence: float
    exhaustive_seconds_estimate: float
    seconds: float

    @property
    def certified(self):
        """True when ``status`` is proven (``"generic"`` or ``"degenerate"``)."""
        return self.status != "unknown"


def general_position_report(X, *, max_subsets=DEFAULT_MAX_SUBSETS, time_budget=2.0,
                            small_size_budget=100_000_000, confidence=0.99, rng=None):
    """Decide general position exactly when affordable, else certify what is possible.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_subsets : int or None
        Exhaustive check when ``C(n_samples, d+1) <= max_subsets`` (``None``: always).
    time_budget : float
        Seconds for the randomized search for a dependency (large inputs only).
    small_size_budget : int
        Sizes ``k = 3, 4, ...`` are cleared exhaustively while
        ``C(n_samples, k) <= small_size_budget``.
    confidence : float in (0, 1)
        Confidence level of ``dependent_fraction_bound``.
    rng : None, int or numpy.random.Generator
        Drives the randomized search (never the exact steps).

    Returns
    -------
    GeneralPositionReport

    Notes
    -----
    For large inputs (``C(n_samples, d+1) > max_subsets``) the steps are, all exact:

    1. repeated points (hashing) and the rank: a failure is a proof of degeneracy;
    2. a :class:`ModularCertificate` search (proof of genericity, ``O(n d)`` per
       prime) -- it succeeds for data made by :func:`perturb_with_certificate`;
    3. exhaustive checks of small sizes ``k`` (no ``k`` points affinely dependent);
    4. random ``d``-subsets, each tested against every other point in one matrix
       product, until ``time_budget``; a zero minor is a proof of degeneracy.

    If nothing is proven the status is ``"unknown"``.  Step 4 yields a statistical
    statement about the *fraction* of dependent subsets only: each sampled ``d``-set
    covers a uniformly random ``(d+1)``-subset, so if a fraction ``q`` were dependent,
    ``s`` samples would all miss with probability at most ``(1 - q)^s``.  A data set
    is a fixed object; no sampling can prove general position, and deciding it is
    coNP-complete (Khachiyan 1995).

    Examples
    --------
    >>> general_position_report([[0, 0], [1, 0], [0, 1]]).status
    'generic'
    >>> r = general_position_report([[0, 0], [1, 1], [2, 2], [0, 1]])
    >>> r.status, r.method, r.witness.indices
    ('degenerate', 'witness', (0, 1, 2))
    >>> rng = np.random.default_rng(0)
    >>> r = general_position_report(rng.standard_normal((300, 6)), max_subsets=10**6,
    ...                             time_budget=0.2, rng=0)
    >>> r.status, r.cleared_sizes[:2]
    ('unknown', (2, 3))
    """
    func = "general_position_report"
    max_subsets = _check_max_subsets(max_subsets, func)
    if not (isinstance(confidence, (float, int)) and 0 < confidence < 1):
        raise ValidationError(f"`confidence` of `{func}` must be in (0, 1); got {confidence!r} instead.")
    try:
        time_budget = float(time_budget)
    except (TypeError, ValueError):
        raise ValidationError(f"`time_budget` of `{func}` must be a number of seconds; "
                              f"got {time_budget!r} instead.") from None
    gen = check_rng(rng)
    t0 = time.perf_counter()
    X, Xb = _point_rows(X, func)
    N, n = Xb.shape
    d = n - 1
    total = math.comb(N, n) if N >= n else 0
    est = _scan_cost_seconds(N, n)
    er = _exact.ExactRows(Xb)

    def done(status, method, witness=None, cert=None, checked=0, cleared=(), bound=None):
        return GeneralPositionReport(status, method, witness, cert, N, d, total, checked, tuple(cleared),
                                     bound, float(confidence), est, time.perf_counter() - t0)

    groups = _parallel_groups(er)
    if groups:
        return done("degenerate", "witness", _dependency_of(Xb, tuple(groups[0][:2]), "affine"))
    cleared = [2] if N >= 2 else []
    if max_subsets is None or total <= max_subsets or N <= n:
        dep = _smallest_dependency(Xb, er, 2, n, None, func, "affine")
        if dep is None:
            return done("generic", "exhaustive", checked=total,
                        cleared=tuple(range(2, min(N, n) + 1)))
        return done("degenerate", "witness", dep, cleared=tuple(range(2, len(dep))))
    rank = _exact.exact_rank(er, np.arange(N))
    if rank < n:
        sub = next(_dependent_subsets(er, n))
        return done("degenerate", "witness", _dependency_of(Xb, _circuit_within(er, sub), "affine"),
                    cleared=cleared)
    cert = _find_certificate(Xb, None)
    if cert is not None:
        return done("generic", "certificate", cert=cert, checked=total, cleared=tuple(range(2, n + 1)))
    for k in range(3, n):
        if math.comb(N, k) > small_size_budget:
            break
        sub = next(_dependent_subsets(er, k, seed=int(gen.integers(2**31))), None)
        if sub is not None:
            return done("degenerate", "witness", _dependency_of(Xb, sub, "affine"), cleared=cleared)
        cleared.append(k)
    remaining = time_budget - (time.perf_counter() - t0)
    sub, n_pref, checked = _probe(er, 10**12, gen, time_budget=max(remaining, 0.0))
    if sub is not None:
        return done("degenerate", "witness", _dependency_of(Xb, _circuit_within(er, sub), "affine"),
                    cleared=cleared)
    bound = min(1.0, math.log(1.0 / (1.0 - confidence)) / n_pref) if n_pref else None
    return done("unknown", "partial", checked=checked, cleared=cleared, bound=bound)
