"""Exact sign predicates: a floating-point filter with an exact integer fallback.

Every combinatorial decision of the package (the sign of a determinant, of a dot
product ``a . x``) goes through :class:`ExactRows`.  The scheme is the classical
*filtered predicate*:

1. Each row is rescaled by a positive factor, which never changes a sign.  Float
   rows are scaled by a power of two (exactly), rational rows are cleared of their
   denominators, so every row has an exact integer representative.
2. The predicate is evaluated in ``float64`` together with a rigorous a-priori bound
   on its rounding error (``|computed - exact| <= bound``).  When
   ``|computed| > bound`` the sign is certified.
3. Otherwise the sign is recomputed exactly with Python integers (fraction-free
   Bareiss elimination), so no tolerance can ever flip a sign.

When every row holds small integers (integer data, homogenised integer points,
random integer auxiliary vectors), the float evaluation of a cofactor expansion is
itself exact as long as all partial sums stay below ``2**52``; the filter then also
certifies zeros without any fallback.

The error bounds follow the standard model ``fl(a op b) = (a op b)(1 + e)`` with
``|e| <= u = 2**-53``: a cofactor expansion of a ``k x k`` determinant has error at
most ``k(k+1)/2 * u`` times the permanent of the absolute values (proved by
induction on ``k``); we use the larger factor ``(2k^2 + 4) u``.  For ``k >= 6`` the
determinant comes from an LU factorisation with partial pivoting, whose backward
error is bounded entrywise by ``gamma_{3k} * k * 2^(k-1)`` (growth factor bound)
for rows of max-norm at most one; Hadamard's inequality turns it into a bound on the
determinant.  See ``docs/exactness.md``.

The exact fallback itself (fraction-free elimination, rational det/rank/rref/solve,
rounding back to floats) lives in :mod:`zonotope._elimination`; this module
re-exports it, so the package imports all exact linear algebra from here.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import comb, gcd

import numpy as np

from ._balance import _int_ldexp_exact, balance_log2, column_balance
from ._elimination import (
    _int_row,
    as_fraction,
    bareiss_det,
    det,
    echelon,
    echelon_nullspace,
    exact_nullspace,
    exact_rref,
    float_candidates,
    rank,
    solve,
    sqrt_to_float,
    to_float,
)

__all__ = [
    "ExactRows",
    "as_fraction",
    "balance_log2",
    "bareiss_det",
    "column_balance",
    "det",
    "det_with_error",
    "dot_signs",
    "echelon",
    "echelon_nullspace",
    "points_match",
    "exact_dot_signs_objects",
    "exact_nullspace",
    "exact_rank",
    "exact_rref",
    "exact_rows_from",
    "float_candidates",
    "point_ints",
    "rank",
    "solve",
    "sqrt_to_float",
    "to_float",
]

U = 2.0**-53
_TINY = 1e-290
_EXACT_LIMIT = 2.0**52
_LAPLACE_MAX = 5  # largest minor size evaluated by explicit cofactor expansion
_LAPLACE_INT_MAX = 8  # ... and for exact integer rows whose permanents stay below 2^52
_EXPAND_MAX = 8  # cofactor vectors of up to 8 rows by the (level-vectorised) expansion, else LU
_ETA = 2.0**-1074  # spacing of the subnormal floats: an underflowing result moves by <= _ETA / 2


def _pow2_normalise(F):
    """Scale each row by a power of two so that its max |entry| lies in [0.5, 1)."""
    amax = np.max(np.abs(F), axis=1)
    _, e = np.frexp(np.where(amax > 0, amax, 1.0))
    return np.ldexp(F, -e[:, None])


class ExactRows:
    """A matrix of rows with exact sign predicates on determinants and dot products.

    Parameters
    ----------
    rows : ndarray, shape (n_rows, dim)
        ``float64`` array, or ``object`` array of ``int``/``Fraction``.

    Notes
    -----
    Only the *direction* of each row matters: rows are rescaled by positive factors.
    """

    def __init__(self, rows):
        rows = np.asarray(rows)
        self.n_rows, self.dim = rows.shape
        self._Z = {}
        if rows.dtype == object:
            Z = [_int_row(r) for r in rows]
            self._Z = dict(enumerate(Z))
            big = max((abs(v) for r in Z for v in r), default=0)
            if big < 2**40:
                self.F = np.array(Z, dtype=np.float64).reshape(rows.shape)
                self.int_mode = True
                self.input_err = 0.0
            else:
                # scale each integer row by a power of two before converting, so that
                # huge integers neither overflow nor underflow (rounding: input_err)
                def _row(r):
                    sh = max(v.bit_length() for v in r) - 60
                    return [float(Fraction(v, 1 << sh)) if sh > 0 else float(Fraction(v << -sh, 1))
                            for v in r]
                self.F = _pow2_normalise(
                    np.array([_row(r) for r in Z], dtype=np.float64).reshape(rows.shape)
                    if Z else np.zeros(rows.shape))
                self.int_mode = False
                self.input_err = 2.0 * U
            self._src = None
            self.lossy = False
        else:
            F = np.array(rows, dtype=np.float64)
            if F.size and np.all(F == np.round(F)) and np.max(np.abs(F)) < 2**40:
                self.F = F.copy()
                self.int_mode = True
            else:
                # scaling by a power of two is exact unless an entry becomes subnormal;
                # such entries move by at most 2**-1074, which the absolute term _TINY
                # of every error bound covers.  The exact rows come from the input.
                self.F = _pow2_normalise(F)
                self.int_mode = False
            self.input_err = 0.0
            self._src = F
            F.flags.writeable = False
        self.lossy = bool(np.any((np.abs(self.F) < 2.2250738585072014e-308)
                                 & (self._src != 0))) if self._src is not None else False
        self.absF = np.abs(self.F)
        self.l1 = self.absF.sum(axis=1)  # row 1-norms: prod over k rows bounds every k x k permanent
        self.F.flags.writeable = False

    # ----------------------------------------------------------------- exact ints
    def zrow(self, i):
        """Exact integer representative (positive multiple) of row ``i``."""
        z = self._Z.get(i)
        if z is None:
            # integer-valued float rows (below 2^40) convert exactly; others by their binary value
            z = [int(v) for v in self._src[i].tolist()] if self.int_mode else point_ints(self._src[i])
            g = 0
            for v in z:
                g = gcd(g, v)
            if g > 1:
                z = [v // g for v in z]
            self._Z[i] = z
        return z

    # ------------------------------------------------------- signs at points
    def point_view(self):
        """The rows rescaled for dot products with points, exactly up to one rounding.

        Returns ``(c, B, absB)``: integer column exponents ``c`` (shape ``(dim,)``) and
        the float rows ``B[i, j] = fl(2^(r_i + c_j) a_ij)`` (each row's largest entry in
        ``[0.5, 1)``), where ``a_i`` is the exact row (the input float, or the exact
        integer representative) and the powers of two ``r_i``, ``c_j`` balance the
        magnitudes of rows *and* columns (Ruiz equilibration in the log domain).
        ``sign(a_i . p) = sign(B_i . q)`` with ``q_j = 2^(-c_j) p_j`` exactly; each
        entry of ``B`` carries one rounding (relative ``2^-53``, or absolute
        ``2^-1075`` where it underflows), so the error bound of :func:`dot_signs` is
        relative to the data and holds at every magnitude.
        """
        pv = getattr(self, "_pv", None)
        if pv is not None:
            return pv
        n, dim = self.n_rows, self.dim
        if self._src is not None:
            src = self._src
            nz = src != 0
            E = np.frexp(src)[1].astype(np.int64)
        else:
            Z = [self.zrow(i) for i in range(n)]
            E = np.array([[abs(v).bit_length() for v in r] for r in Z], dtype=np.int64).reshape(n, dim)
            nz = E > 0
        with np.errstate(invalid="ignore"):
            L = np.where(nz, E.astype(np.float64) - 0.5, -np.inf)
        _, c = balance_log2(L)
        # exact row step: |a_ij| < 2^E_ij, so with r_i = -max_j (E_ij + c_j) every entry
        # is below 1 and the largest one is at least 1/2
        Ec = np.where(nz, E + c[None, :], np.iinfo(np.int64).min // 4)
        r = -np.max(Ec, axis=1, initial=np.iinfo(np.int64).min // 4) if dim else np.zeros(n, np.int64)
        r = np.where(np.any(nz, axis=1), r, 0)
        K = r[:, None] + c[None, :]
        if self._src is not None:  # float exponents stay within +-2200: the clip is inert
            B = np.ldexp(self._src, np.clip(K, -4000, 4000).astype(np.int32))
        else:  # exact integers of any size: no clip
            B = np.array([[_int_ldexp_exact(v, int(k)) for v, k in zip(row, krow)]
                          for row, krow in zip(Z, K.tolist())], dtype=np.float64).reshape(n, dim)
        B.flags.writeable = False
        absB = np.abs(B)
        absB.flags.writeable = False
        c.flags.writeable = False
        self._pv = (c, B, absB)
        return self._pv

    def exact_cross(self, idx):
        """Exact integer cofactor vector ``r`` with ``r . x = det([rows[idx]; x])``."""
        R = [self.zrow(int(i)) for i in idx]
        n = self.dim
        out = []
        for k in range(n):
            minor = [[row[c] for c in range(n) if c != k] for row in R]
            s = -1 if (n - 1 + k) % 2 else 1
            out.append(s * bareiss_det(minor))
        return out

    # ------------------------------------------------------------- float filter
    def _cross_float(self, idx):
        """Float cofactor vectors with error bounds.

        Returns ``r`` (M, dim), ``err`` (M, dim) with ``|r - r_exact| <= err``,
        ``mag`` (M, dim) with ``|r_exact| <= mag``, and a flag telling whether ``r``
        is exact (integer rows, all partial sums below 2**52).
        """
        n = self.dim
        M = idx.shape[0]
        k = n - 1
        if k == 0:
            one = np.ones((M, 1))
            return one, np.zeros((M, 1)), one, True
        if k <= _LAPLACE_INT_MAX:
            # a cheap bound on every permanent: perm(|R_S|) <= prod_i ||R_i||_1 (each term of
            # the permanent picks one entry per row), so the expansion need not carry |R|
            pl = self.l1.take(idx[:, 0])
            for i in range(1, k):  # column by column: a row-wise prod over k columns is slow
                pl = pl * self.l1.take(idx[:, i])
            plmax = float(pl.max(initial=0.0))
            if self.int_mode and plmax < _EXACT_LIMIT:
                # integers, every partial sum below 2^52: the float cofactors are exact
                d, _ = _cofactors(self.F, None, idx)
                return d, np.zeros_like(d), np.repeat(pl[:, None], n, axis=1), True
            if k <= _EXPAND_MAX:
                # the error bound of the expansion with the row product in place of the
                # permanent (float rows have max |entry| in [0.5, 1): at most n^k)
                d, _ = _cofactors(self.F, None, idx)
                p = np.repeat(pl[:, None], n, axis=1)
                return d, (2 * k * k + 4) * U * p + _TINY, p * (1 + 4 * k * k * U), False
        if k <= _LAPLACE_MAX:
            d, p = _cofactors(self.F, self.absF, idx)
            mag = p * (1 + 4 * k * k * U)
            if self.int_mode and float(p.max(initial=0.0)) < _EXACT_LIMIT:
                return d, np.zeros_like(d), mag, True
            return d, (2 * k * k + 4) * U * p + _TINY, mag, False
        R = self.F[idx]  # (M, k, n)
        cols = np.arange(n)
        r = np.empty((M, n))
        err = np.empty((M, n))
        mag = np.empty((M, n))
        for c in range(n):
            sub = R[:, :, cols != c]
            s = -1.0 if (n - 1 + c) % 2 else 1.0
            d = np.linalg.det(sub)
            norms = np.sqrt(np.einsum("mij,mij->mi", sub, sub))
            had = np.prod(norms, axis=1)
            eta = (3 * k * U / (1 - 3 * k * U)) * k * 2.0 ** (k - 1) * np.sqrt(k)
            e = np.prod(norms + eta, axis=1) - had + (k + 2) * U * np.abs(d) + _TINY
            r[:, c] = s * d
            err[:, c] = e
            mag[:, c] = had + e
        return r, err, mag, False

    def cross_dot_signs(self, idx, cols, *, chunk=1 << 18, stats=None, cross_out=None, known_zero=None,
                        row_min_out=None):
        """Exact signs of ``det([rows[idx[s]]; rows[cols[j]]])`` for all ``s, j``.

        Parameters
        ----------
        idx : int array, shape (M, dim - 1)
        cols : int array, shape (K,)
        cross_out : ndarray (M, dim), optional
            Receives the float cofactor vectors ``r`` (``r . x ~ det([rows; x])``).
        stats : dict, optional
            Incremented in place: ``"exact"`` (entries decided by the exact
            fallback) and ``"zeros"`` (zero signs other than those forced by a
            repeated row).
        known_zero : bool array, shape (M, K), optional
            Entries the caller knows to be zero exactly (e.g. from the exact
            intersection lattice); they are set to 0 without evaluation.
        row_min_out : ndarray (M,), optional
            Receives ``min_j |r . rows[cols[j]]|`` (float) over the entries that are not
            forced zeros (repeated rows, ``known_zero``): a by-product used to place
            interior points.

        Returns
        -------
        signs : int8 array, shape (M, K)
        n_exact : int
            How many entries needed the exact fallback.
        """
        idx = np.asarray(idx, dtype=np.intp)
        if idx.ndim == 1:
            idx = idx.reshape(1, -1)
        cols = np.asarray(cols, dtype=np.intp)
        M, K = idx.shape[0], cols.size
        out = np.empty((M, K), dtype=np.int8)
        if M == 0 or K == 0:
            return out, 0
        A = self.F[cols]
        AaT = np.ascontiguousarray(self.absF[cols].T)
        AT = np.ascontiguousarray(A.T)
        colmax = self.absF[cols].max(axis=0)
        inv = np.full(self.n_rows, -1, dtype=np.intp)
        inv[cols] = np.arange(K)
        n_exact = 0
        n_zero = 0
        step = max(1, chunk // max(K, 1))
        # the cofactor vectors are cheap per row but cost a few dozen numpy calls per
        # block: compute them for several sign blocks at once (small arrays, (M, dim))
        big = max(step, min(M, 1 << 15))
        for blo in range(0, M, big):
            bhi = min(M, blo + big)
            R, ERR, MAG, exact = self._cross_float(idx[blo:bhi])
            if cross_out is not None:
                cross_out[blo:bhi] = R
            for lo in range(blo, bhi, step):
                hi = min(bhi, lo + step)
                sub = idx[lo:hi]
                r, err, mag = R[lo - blo:hi - blo], ERR[lo - blo:hi - blo], MAG[lo - blo:hi - blo]
                val = r @ AT
                s = out[lo:hi]
                # sign(val) as int8 without a float temporary
                np.subtract((val > 0).view(np.int8), (val < 0).view(np.int8), out=s)
                # rows of idx that are also columns: the determinant has a repeated row
                pos = inv[sub]
                rep_r, rep_p = np.nonzero(pos >= 0)
                rep_c = pos[rep_r, rep_p]
                kz = None if known_zero is None else known_zero[lo:hi]
                forced = bool(rep_r.size) or kz is not None
                # |val| with the forced zeros masked, and its row minimum: one pass serves
                # the by-product row_min_out and the row-wise filter below
                np.abs(val, out=val)
                if forced:
                    val[rep_r, rep_c] = np.inf
                    if kz is not None:
                        np.putmask(val, kz, np.inf)
                vmin = val.min(axis=1)
                if row_min_out is not None:
                    row_min_out[lo:hi] = vmin
                if exact:
                    # integer rows: the float products are exact while every partial sum
                    # stays below 2^52; |r . a_q| <= sum_j mag_j |a_qj| <= mag . colmax
                    if float((mag @ colmax).max(initial=0.0)) < _EXACT_LIMIT:
                        if forced:
                            _zero_forced(s, rep_r, rep_c, kz)
                        if vmin.size and float(vmin.min()) == 0.0:  # zeros not forced by a repeat
                            n_zero += int(np.count_nonzero(val == 0))
                        continue
                    bound = mag @ AaT
                    if float(bound.max(initial=0.0)) < _EXACT_LIMIT:
                        if forced:
                            _zero_forced(s, rep_r, rep_c, kz)
                        n_zero += int(np.count_nonzero(val == 0))
                        continue
                    bnd = (2 * self.dim + 4) * U * bound + _TINY
                    bnd[bound < _EXACT_LIMIT] = 0.0
                    bound = None
                    rows_u, cols_u = np.nonzero(val <= bnd)
                    val = bnd = None
                else:
                    E = err + ((self.dim + 2) * U) * np.abs(r)
                    if self.input_err:
                        E += (self.dim + 2) * self.input_err * mag
                    # cheap row-wise bound first (rows are normalised: |a_j| <= colmax)
                    rowb = E @ colmax + _TINY
                    suspect = np.nonzero(vmin <= rowb)[0]
                    rows_u = cols_u = np.zeros(0, dtype=np.intp)
                    if suspect.size:
                        bnd = E[suspect] @ AaT + _TINY
                        rr_, cols_u = np.nonzero(val[suspect] <= bnd)
                        rows_u = suspect[rr_]
                    val = None
                if forced:
                    _zero_forced(s, rep_r, rep_c, kz)
                if rows_u.size:
                    n_exact += rows_u.size
                    cache = {}
                    for a_, b_ in zip(rows_u.tolist(), cols_u.tolist()):
                        rr = cache.get(a_)
                        if rr is None:
                            rr = cache[a_] = self.exact_cross(sub[a_])
                        z = self.zrow(int(cols[b_]))
                        v = sum(x * y for x, y in zip(rr, z))
                        sg = (v > 0) - (v < 0)
                        s[a_, b_] = sg
                        n_zero += sg == 0
        if stats is not None:
            stats["exact"] = stats.get("exact", 0) + n_exact
            stats["zeros"] = stats.get("zeros", 0) + n_zero
        return out, n_exact

    def det_signs(self, idx):
        """Exact signs of ``det(rows[idx[s]])`` for each row ``s`` of ``idx`` (M, dim)."""
        idx = np.asarray(idx, dtype=np.intp)
        if idx.ndim == 1:
            idx = idx.reshape(1, -1)
        out = np.empty(idx.shape[0], dtype=np.int8)
        # group by last column to reuse cross_dot_signs
        if idx.shape[0] == 0:
            return out
        for last in np.unique(idx[:, -1]):
            sel = np.nonzero(idx[:, -1] == last)[0]
            s, _ = self.cross_dot_signs(idx[sel, :-1], np.array([last]))
            out[sel] = s[:, 0]
        return out


def _zero_forced(s, rep_r, rep_c, kz):
    """Set the forced zero signs: repeated rows ``(rep_r, rep_c)`` and the mask ``kz``."""
    s[rep_r, rep_c] = 0
    if kz is not None:
        np.putmask(s, kz, 0)


def _cofactors(F, Fa, idx):
    """Cofactor vectors of the (k x n) row blocks ``F[idx]`` (k = n - 1), vectorised.

    ``r . x = det([F[idx]; x])``; also the same expansion on ``|F|`` (a bound on
    every partial sum).  Minors of the trailing rows are built bottom-up over column
    subsets, so each is computed once (``~ n 2^(n-1)`` vector operations).
    """
    from itertools import combinations

    M, k = idx.shape
    n = F.shape[1]
    if Fa is None:
        return _cofactors_det(F, idx), None
    FT = np.ascontiguousarray(F.T)
    FaT = np.ascontiguousarray(Fa.T)
    rows = [np.take(FT, idx[:, i], axis=1) for i in range(k)]  # each (n, M), contiguous per column
    arows = [np.take(FaT, idx[:, i], axis=1) for i in range(k)]
    last = rows[k - 1]
    alast = arows[k - 1]
    minors = {(c,): (last[c], alast[c]) for c in range(n)}
    for j in range(2, k + 1):
        top = rows[k - j]
        atop = arows[k - j]
        new = {}
        for T in combinations(range(n), j):
            d = None
            p = None
            for pos, t in enumerate(T):
                rest = T[:pos] + T[pos + 1:]
                md, mp = minors[rest]
                term = top[t] * md
                aterm = atop[t] * mp
                if d is None:
                    d, p = (term if pos % 2 == 0 else -term), aterm
                elif pos % 2 == 0:
                    d = d + term
                    p = p + aterm
                else:
                    d = d - term
                    p = p + aterm
            new[T] = (d, p)
        minors = new
    r = np.empty((M, n))
    per = np.empty((M, n))
    full = tuple(range(n))
    for c in range(n):
        T = full[:c] + full[c + 1:]
        d, p = minors[T]
        # det([R; x]) expanded along the last row: sign (-1)^((n-1) + c)
        r[:, c] = -d if (n - 1 + c) % 2 else d
        per[:, c] = p
    return r, per


@lru_cache(maxsize=32)
def _cofactor_plan(n, k):
    """Index tables of the bottom-up expansion of :func:`_cofactors_det` (per level).

    Level ``j`` (``2 <= j <= k``) lists the ``j``-subsets ``T`` of the columns in
    lexicographic order; for each position ``pos`` the column ``T[pos]`` and the index
    of ``T`` minus ``T[pos]`` among the ``(j - 1)``-subsets.
    """
    from itertools import combinations

    prev = {T: i for i, T in enumerate(combinations(range(n), 1))}
    plan = []
    for j in range(2, k + 1):
        cur = list(combinations(range(n), j))
        tcol = np.array([[T[pos] for T in cur] for pos in range(j)], dtype=np.intp)
        rest = np.array([[prev[T[:pos] + T[pos + 1:]] for T in cur] for pos in range(j)], dtype=np.intp)
        tcol.flags.writeable = False
        rest.flags.writeable = False
        plan.append((tcol, rest))
        prev = {T: i for i, T in enumerate(cur)}
    return tuple(plan)


def _cofactors_det_scalar(F, idx):
    """:func:`_cofactors_det` for one or two rows with Python floats (IEEE doubles).

    The same operations in the same order as the vectorised expansion, so the results
    are bitwise identical; for a handful of rows this avoids ~40 numpy calls.
    """
    M, k = idx.shape
    n = F.shape[1]
    plan = _cofactor_plan(n, k)
    out = np.empty((M, n))
    Fl = F.tolist()
    for a, row in enumerate(idx.tolist()):
        rows = [Fl[i] for i in row]
        D = list(rows[k - 1])
        for j, (tcol, rest) in zip(range(2, k + 1), plan):
            top = rows[k - j]
            tc, rs = tcol.tolist(), rest.tolist()
            new = [top[t] * D[r] for t, r in zip(tc[0], rs[0])]
            for pos in range(1, j):
                if pos % 2:
                    new = [v - top[t] * D[r] for v, t, r in zip(new, tc[pos], rs[pos])]
                else:
                    new = [v + top[t] * D[r] for v, t, r in zip(new, tc[pos], rs[pos])]
            D = new
        for c in range(n):
            d = D[n - 1 - c]
            out[a, c] = -d if (n - 1 + c) % 2 else d
    return out


def _cofactors_det(F, idx):
    """The cofactor vectors of :func:`_cofactors` alone (no permanent), same operations.

    The minors of each level are computed for all column subsets at once (one
    numpy operation per position instead of one per minor); every minor is still
    the same sum in the same order (``+ top[T_0] D[T - T_0] - top[T_1] D[T - T_1] ...``),
    so the floating-point results, and the error bounds, are those of the plain
    expansion.
    """
    M, k = idx.shape
    n = F.shape[1]
    if M <= 2 and k >= 2:
        return _cofactors_det_scalar(F, idx)
    # the widest level holds C(n, n/2) minors per row: blocks of 2^14 of them (128 KiB per
    # buffer) stay in cache; 2-5x faster than 1 MiB blocks (measured for n = 4..8)
    blk = max(256, (1 << 14) // comb(n, n // 2))
    if M > blk:
        r = np.empty((M, n))
        for lo in range(0, M, blk):
            r[lo:lo + blk] = _cofactors_det(F, idx[lo:lo + blk])
        return r
    FT = np.ascontiguousarray(F.T)
    rows = [np.take(FT, idx[:, i], axis=1) for i in range(k)]  # each (n, M); take: ~4x fancy indexing
    D = rows[k - 1]  # level 1: the entries of the last row, subsets (c,) in order
    plan = _cofactor_plan(n, k)
    if plan:
        # four work buffers for the whole expansion (fresh large temporaries per step
        # would be page-faulted in again every time); take(out=) needs mode="clip" to
        # write in place (the indices are valid by construction)
        width = max(t.shape[1] for t, _ in plan)
        bufs = [np.empty((width, M)) for _ in range(4)]
    for j, (tcol, rest) in zip(range(2, k + 1), plan):
        top = rows[k - j]
        C = tcol.shape[1]
        new, term, g = (b[:C] for b in bufs[:3])
        np.take(top, tcol[0], axis=0, out=new, mode="clip")
        new *= np.take(D, rest[0], axis=0, out=g, mode="clip")
        for pos in range(1, j):
            np.take(top, tcol[pos], axis=0, out=term, mode="clip")
            term *= np.take(D, rest[pos], axis=0, out=g, mode="clip")
            if pos % 2:
                new -= term
            else:
                new += term
        D = new
        bufs[0], bufs[3] = bufs[3], bufs[0]  # D lives in the spare buffer during the next level
    # level k: the (n-1)-subsets in lexicographic order; "all columns but c" is row n-1-c
    r = np.empty((M, n))
    for c in range(n):
        d = D[n - 1 - c]
        if (n - 1 + c) % 2:
            np.negative(d, out=r[:, c])
        else:
            r[:, c] = d
    return r


def _laplace(A, Aa):
    """Vectorised determinant and permanent of |A| for (M, k, k), k <= 5."""
    k = A.shape[1]
    if k == 1:
        return A[:, 0, 0], Aa[:, 0, 0]
    if k == 2:
        d = A[:, 0, 0] * A[:, 1, 1] - A[:, 0, 1] * A[:, 1, 0]
        p = Aa[:, 0, 0] * Aa[:, 1, 1] + Aa[:, 0, 1] * Aa[:, 1, 0]
        return d, p
    if k == 3:
        a, b, c = A[:, 0, 0], A[:, 0, 1], A[:, 0, 2]
        d_, e, f = A[:, 1, 0], A[:, 1, 1], A[:, 1, 2]
        g, h, i = A[:, 2, 0], A[:, 2, 1], A[:, 2, 2]
        det = a * (e * i - f * h) - b * (d_ * i - f * g) + c * (d_ * h - e * g)
        a, b, c = Aa[:, 0, 0], Aa[:, 0, 1], Aa[:, 0, 2]
        d_, e, f = Aa[:, 1, 0], Aa[:, 1, 1], Aa[:, 1, 2]
        g, h, i = Aa[:, 2, 0], Aa[:, 2, 1], Aa[:, 2, 2]
        per = a * (e * i + f * h) + b * (d_ * i + f * g) + c * (d_ * h + e * g)
        return det, per
    det = np.zeros(A.shape[0])
    per = np.zeros(A.shape[0])
    cols = np.arange(k)
    for j in range(k):
        keep = cols != j
        d, p = _laplace(A[:, 1:, keep], Aa[:, 1:, keep])
        det += (-1.0 if j % 2 else 1.0) * A[:, 0, j] * d
        per += Aa[:, 0, j] * p
    return det, per


def det_with_error(A, delta=None):
    """Float determinants of a stack of matrices with rigorous error bounds.

    Parameters
    ----------
    A : ndarray, shape (M, m, m)
        Float matrices whose entries are at most 1 in absolute value.
    delta : ndarray, shape (M, m, m), optional
        Entrywise bounds on the error of ``A`` itself: the exact matrices ``A*`` of
        interest satisfy ``|A* - A| <= delta``.

    Returns
    -------
    det : ndarray, shape (M,)
    err : ndarray, shape (M,)
        ``|det - det(A*)| <= err`` for every such ``A*``.

    Notes
    -----
    ``m <= 5``: cofactor expansion, error at most ``(2m^2 + 4) u`` times the
    permanent of ``|A|`` (see the module notes), and ``perm(|A| + delta) - perm(|A|)``
    for the input error (the determinant is multilinear).  Larger ``m``: LU with
    partial pivoting, whose backward error ``gamma_3m m 2^(m-1)`` per entry turns into a
    determinant bound through Hadamard's inequality; the input error likewise.  An
    absolute ``2^-1000`` covers underflowing products (entries are at most 1, so this
    is relative to the data, not an allowance on their scale).

    Examples
    --------
    >>> d, e = det_with_error(np.array([[[0.5, 0.25], [0.25, 0.5]]]))
    >>> float(d[0]), bool(e[0] < 1e-15)
    (0.1875, True)
    """
    A = np.asarray(A, dtype=np.float64)
    M, m = A.shape[0], A.shape[1]
    if m == 0:
        return np.ones(M), np.zeros(M)
    absA = np.abs(A)
    if m <= _LAPLACE_MAX:
        d, p = _laplace(A, absA)
        err = (2 * m * m + 4) * U * p
        if delta is not None:
            _, p2 = _laplace(A, absA + delta)
            err = err + (p2 - p) + (4 * m + 8) * U * p2
    else:
        d = np.linalg.det(A)
        norms = np.sqrt(np.einsum("mij,mij->mi", A, A))
        had = np.prod(norms, axis=1)
        eta = (3 * m * U / (1 - 3 * m * U)) * m * 2.0 ** (m - 1) * np.sqrt(m)
        err = np.prod(norms + eta, axis=1) - had + (m + 2) * U * np.abs(d) + 4 * m * U * had
        if delta is not None:
            dn = np.sqrt(np.einsum("mij,mij->mi", delta, delta))
            pd = np.prod(norms + dn, axis=1)
            err = err + (pd - had) + 4 * m * U * pd
    return d, err * (1 + 8 * m * U) + 2.0**-1000


def exact_rows_from(matrix, extra=None):
    """Build :class:`ExactRows` from a validated matrix plus optional extra float rows."""
    if extra is None or len(extra) == 0:
        return ExactRows(matrix)
    if matrix.dtype == object:
        allrows = np.empty((matrix.shape[0] + len(extra), matrix.shape[1]), dtype=object)
        allrows[: matrix.shape[0]] = matrix
        allrows[matrix.shape[0]:] = np.asarray(extra, dtype=np.int64).astype(object)
        return ExactRows(allrows)
    return ExactRows(np.vstack([matrix, np.asarray(extra, dtype=np.float64)]))


def point_ints(p):
    """Python ints ``z`` and the exact binary value of the float vector ``p``: ``p = 2^e z``.

    A positive multiple of ``p`` (so it has the same signs against any row).

    Examples
    --------
    >>> point_ints(np.array([0.5, -3.0, 0.0]))
    [1, -6, 0]
    >>> point_ints(np.array([5e-324, 1.0])) == [1, 2**1074]
    True
    """
    p = np.asarray(p, dtype=np.float64)
    m, e = np.frexp(p)
    mant = (m * 2.0**53).astype(np.int64)
    nz = mant != 0
    if not np.any(nz):
        return [0] * p.size
    emin = int(np.min(e[nz]))
    z = [int(a) << int(b - emin) if a != 0 else 0 for a, b in zip(mant.tolist(), e.tolist())]
    tz = min((v & -v).bit_length() - 1 for v in z if v)  # common power of two
    return [v >> tz for v in z] if tz else z


def _scaled_points(er, cols, P):
    """``(Q, B, absB, finite)``: the points in the balanced coordinates of ``er.point_view``.

    ``Q[a, j] = fl(2^(s_a - c_j) P[a, j])`` with ``s_a`` putting the largest relevant
    entry of each point in ``[0.5, 1)`` (columns where every row of ``cols`` is zero
    are ignored); one rounding per entry.  Non-finite points are flagged and zeroed.
    Integer rows (``er.int_mode``) and finite points whose non-zero entries lie in
    ``[2^-900, 2^900]`` skip the scaling: ``Q = P`` and ``B`` the exact integer rows.
    """
    P = np.asarray(P, dtype=np.float64)
    M, dim = P.shape
    if er.int_mode and not er.lossy and P.size:
        # integer rows (exact, below 2^40) and points of moderate size: no scaling needed.
        # Every product a_ij p_j is a normal float or zero (|p_j| in [2^-900, 2^900]) and
        # every sum stays far below the overflow threshold, so the dot product carries
        # the plain relative error bound of _dot_bound (its absolute term is a surplus)
        A = np.abs(P)
        if float(A.max()) < 2.0**900 and float(np.min(A, where=A > 0, initial=1.0)) >= 2.0**-900:
            return P, er.F[cols], er.absF[cols], np.ones(M, dtype=bool)
    c, B, absB = er.point_view()
    B = B[cols]
    absB = absB[cols]
    if np.isfinite(P).all():  # one flat pass (row-wise reductions over a few columns are slow)
        finite = np.ones(M, dtype=bool)
    else:
        finite = np.all(np.isfinite(P), axis=1)
    live = np.any(absB != 0, axis=0) if cols.size else np.zeros(er.dim, dtype=bool)
    if not np.all(finite) or not np.all(live):
        P = np.where(finite[:, None] & live[None, :], P, 0.0)
    low = np.iinfo(np.int64).min // 4
    if dim and dim <= 16 and np.all(np.abs(c) <= 500):
        # fast path: G = |P| 2^-c is exact where its row maximum is a normal float (a
        # power-of-two scaling that neither overflows nor leaves the normal range; an
        # entry that underflows is below 2^-1022, so it is not the maximum), and the
        # exponent of that maximum is s.  Q = P 2^(s - c) with an exact power-of-two
        # factor per entry: one rounding, as np.ldexp.
        colf = np.ldexp(1.0, -c.astype(np.int32))
        with np.errstate(all="ignore"):
            m = np.abs(P[:, 0]) * colf[0]
            for j in range(1, dim):
                np.maximum(m, np.abs(P[:, j]) * colf[j], out=m)
        zero = m == 0
        # a zero maximum must come from a zero point, not from an underflow
        zero_ok = not zero.any() or bool(np.all(P[zero] == 0))
        if zero_ok and np.all(np.isfinite(m)) and np.all(zero | (m >= 2.0 ** -900)):
            s = np.where(zero, 0, -np.frexp(m)[1]).astype(np.int64)
            # every factor 2^(s_a - c_j) a normal float, so the product of the two powers
            # of two is exact (and so is each factor)
            smax, smin = int(s.max(initial=0)), int(s.min(initial=0))
            if (-1000 <= smin and smax <= 1000 and smax - int(c.min()) <= 1000
                    and smin - int(c.max()) >= -1000):
                Q = P * (np.ldexp(1.0, s.astype(np.int32))[:, None] * colf[None, :])
                return Q, B, absB, finite
    e = np.frexp(P)[1]
    if dim <= 16:
        # column by column: s = -max_j (e_j - c_j) over the non-zero entries
        mx = np.full(M, low, dtype=np.int64)
        for j in range(dim):
            ej = e[:, j].astype(np.int64) - c[j]
            np.maximum(mx, np.where(P[:, j] != 0, ej, low), out=mx)
        s = -mx
    else:
        E = np.where(P != 0, e.astype(np.int64) - c[None, :], low)
        s = -np.max(E, axis=1, initial=low)
    s = np.where(s == -low, 0, s)
    K = np.clip(s[:, None] - c[None, :], -4000, 4000).astype(np.int32)
    Q = np.ldexp(P, K)
    return Q, B, absB, finite


def _exact_point_signs(er, cols, p, which):
    """Exact signs of ``rows[cols[j]] . p`` for ``j`` in ``which`` (integer arithmetic)."""
    z = point_ints(p)
    out = []
    for j in which:
        v = sum(x * y for x, y in zip(er.zrow(int(cols[j])), z) if x and y)
        out.append((v > 0) - (v < 0))
    return out


def _dot_bound(dim, mag):
    """Rigorous bound on ``|fl(B_i . q) - 2^(...) a_i . p|`` in the balanced coordinates.

    Every entry of ``B`` and ``q`` is the exact value times ``1 + d`` plus ``e``
    (``|d| <= u = 2^-53``, ``|e| <= 2^-1075``, at most one non-zero) with the exact
    values at most 1 in absolute value; a dot product of length ``n`` in floating
    point adds ``gamma_n sum |B q|`` plus ``n 2^-1075`` for underflowing products.
    Summing: ``(n + 4) u sum |B q| + 3 n 2^-1075`` up to second order terms, covered
    by the constants below (``mag`` is the computed ``|B| |q|``, itself within
    ``gamma_n`` of the exact one).
    """
    return (dim + 8) * U * mag + (4 * dim + 4) * _ETA


def dot_signs(er, cols, P):
    """Exact signs of ``rows[cols] . p`` for every float point ``p`` in ``P`` (M, dim).

    The rows and the points are rescaled by powers of two (rows and columns balanced,
    see :meth:`ExactRows.point_view`; each point's largest entry in ``[0.5, 1)``), the
    dot products are evaluated in floating point with an error bound relative to the
    data (no absolute allowance, so the answer is the same at every magnitude:
    ``1e-300``, ``1e300``, subnormal, or columns of very different sizes), and what
    the bound cannot certify is recomputed exactly with Python integers.

    Returns an int8 array of shape (M, len(cols)).  Points must be finite.

    Examples
    --------
    >>> er = ExactRows(np.array([[1e-200, 1e200], [1.0, 1.0]]))
    >>> P = np.array([[1e200, -1e-200], [1e200, -1e-199]])
    >>> dot_signs(er, np.arange(2), P).tolist()       # 1 - 1 = 0 and 1 - 10 < 0
    [[0, 1], [-1, 1]]
    """
    P = np.asarray(P, dtype=np.float64).reshape(-1, er.dim)
    cols = np.asarray(cols, dtype=np.intp)
    M, K = P.shape[0], cols.size
    out = np.zeros((M, K), dtype=np.int8)
    if M == 0 or K == 0:
        return out
    Q, B, absB, finite = _scaled_points(er, cols, P)
    val = Q @ B.T
    bnd = _dot_bound(er.dim, np.abs(Q) @ absB.T)
    out[...] = np.sign(val)
    unsure = ~(np.abs(val) > bnd)
    unsure[~finite] = True
    for a in np.nonzero(unsure.any(axis=1))[0].tolist():
        if not finite[a]:
            raise ValueError("dot_signs needs finite points")
        which = np.nonzero(unsure[a])[0].tolist()
        out[a, which] = _exact_point_signs(er, cols, P[a], which)
    return out


def points_match(er, cols, P, bits=None, chunk=1 << 16, *, packed=None):
    """Exactly check ``sign(rows[cols] . p) == (2 bits - 1)`` for each point; bool per point.

    The expected signs are given either as ``bits`` (0/1 array, shape ``(M, K)``) or
    as ``packed`` rows (uint8, ``numpy.packbits(bits, axis=1)``: bit set = positive;
    padding bits are ignored).  A coarse row-wise filter (``|B_j| <= colmax``
    entrywise in the balanced coordinates of :func:`dot_signs`) settles almost every
    point with one matrix product; the rest go through :func:`dot_signs`.
    Non-finite points never match.

    Examples
    --------
    >>> er = ExactRows(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]))
    >>> P = np.array([[2.0, 1.0], [1.0, 1.0]])   # the second point lies on row 2
    >>> points_match(er, np.arange(3), P, np.array([[1, 1, 1], [1, 1, 1]])).tolist()
    [True, False]
    >>> points_match(er, np.arange(3), P, packed=np.packbits([[1, 1, 1]] * 2, axis=1)).tolist()
    [True, False]
    """
    P = np.asarray(P, dtype=np.float64)
    cols = np.asarray(cols, dtype=np.intp)
    out = np.zeros(P.shape[0], dtype=bool)
    if cols.size == 0:
        out[:] = np.all(np.isfinite(P), axis=1)
        return out
    K = cols.size
    if packed is not None:
        packed = np.asarray(packed, dtype=np.uint8)
        K8 = (K + 7) // 8
        if packed.shape[1] != K8:
            raise ValueError("packed rows must have ceil(len(cols) / 8) bytes")
        tail = np.uint8((0xFF << (8 - K % 8)) & 0xFF) if K % 8 else np.uint8(0xFF)
    step = max(1, chunk // K)
    # the per-point scaling costs a few dozen numpy calls: once per large block
    big = max(step, 1 << 15)
    for blo in range(0, P.shape[0], big):
        bhi = min(P.shape[0], blo + big)
        QQ, B, absB, FIN = _scaled_points(er, cols, P[blo:bhi])
        BT = np.ascontiguousarray(B.T)
        colmax = absB.max(axis=0)
        for lo in range(blo, bhi, step):
            hi = min(bhi, lo + step)
            Q, finite = QQ[lo - blo:hi - blo], FIN[lo - blo:hi - blo]
            val = Q @ BT
            if packed is None:
                agree = np.all((val > 0) == bits[lo:hi].astype(bool), axis=1)
            else:
                got = np.packbits(val > 0, axis=1)
                want = packed[lo:hi]
                if K % 8:
                    agree = (np.all(got[:, :-1] == want[:, :-1], axis=1)
                             & (got[:, -1] == (want[:, -1] & tail)))
                else:
                    agree = np.all(got == want, axis=1)
            agree &= finite
            rowb = _dot_bound(er.dim, np.abs(Q) @ colmax)
            np.abs(val, out=val)
            sure = val.min(axis=1, initial=np.inf) > rowb
            out[lo:hi] = agree & sure
            unsure = np.nonzero(agree & ~sure)[0]
            if unsure.size:
                got = dot_signs(er, cols, P[lo + unsure])
                want = (bits[lo + unsure] if packed is None
                        else np.unpackbits(packed[lo + unsure], axis=1, count=K))
                out[lo + unsure] = np.all(got == 2 * want.astype(np.int8) - 1, axis=1)
    return out


def exact_dot_signs_objects(rows, P):
    """Exact signs of ``rows . p`` for object (int/Fraction) rows and points."""
    rows = [[Fraction(v) for v in r] for r in rows]
    out = np.empty((len(P), len(rows)), dtype=np.int8)
    for a, p in enumerate(P):
        pf = [Fraction(v) for v in p]
        for b, r in enumerate(rows):
            v = sum(x * y for x, y in zip(r, pf))
            out[a, b] = (v > 0) - (v < 0)
    return out


def exact_rank(er, cols):
    """Exact rank of ``rows[cols]`` of an :class:`ExactRows` (filter first)."""
    cols = np.asarray(cols, dtype=np.intp)
    n = er.dim
    if cols.size >= n:
        import scipy.linalg

        _, _, perm = scipy.linalg.qr(er.F[cols].T, pivoting=True, mode="economic")
        cand = cols[perm[:n]]
        if er.det_signs(cand.reshape(1, -1))[0] != 0:
            return n
    if cols.size == 0:
        return 0
    return len(echelon([er.zrow(int(i)) for i in cols])[1])


