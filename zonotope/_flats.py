"""The engine behind :mod:`zonotope.lattice`: the flats of an arrangement, exactly.

Flats are hyperplane sets (bitsets) grown rank by rank; each is reduced once by
fraction-free elimination in ``GF(p)``, with ``p = 2^31 - 1`` when the Hadamard
certificate shows that no minor of the integer rows can vanish modulo ``p`` without
vanishing (otherwise a prime above the Hadamard bound, with Python integers), so
every rank is the rational rank.  :func:`_compute` returns the flats with their
Moebius values (:class:`LatticeData`); :mod:`zonotope.lattice` turns them into the
public invariants, and the lattice-driven sweep (:mod:`zonotope._lsweep`) and the
chamber counter (:mod:`zonotope.chambers`) use the engine directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _exact
from ._minors import _modpow
from .exceptions import ValidationError

__all__ = ["LatticeData"]

_P = 2**31 - 1


_P_SMALL = (65521, 1048573)  # primes below 2^16 and 2^20: residuals by exact float64 BLAS


_BATCH_ENTRIES = 1 << 22  # residual entries per batch (int64: 32 MiB)


_MERGE_ROWS = 1 << 23  # candidate flats held before an intermediate deduplication


_FLOAT_MOD_MAX = 2**48  # n p^2 below this: residuals reduced mod p in floating point (exact)


_HASH = np.random.default_rng(20240915).integers(1, 2**63, size=256, dtype=np.uint64) | np.uint64(1)


@dataclass
class _Rows:
    """Distinct hyperplanes of the central form of an arrangement, as exact integer rows.

    ``rows[0]`` is ``H_inf`` for an affine arrangement (``affine=True``).  ``members[c]``
    lists the original hyperplane indices of class ``c`` (the cone's ``H_inf`` is
    ``n_hyperplanes``).
    """

    rows: list
    members: list
    dim: int
    affine: bool
    n_orig: int


def _rows_of(arr):
    from .arrangement import Arrangement

    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` must be an Arrangement; got {type(arr).__name__} instead.")
    n_h, dim = arr.n_hyperplanes, arr.dim
    affine = not arr.is_central
    if n_h == 0:
        return _Rows([], [], dim, False, 0)
    if affine:
        from fractions import Fraction

        N = np.empty((n_h, dim + 1), dtype=object)
        for i in range(n_h):
            N[i, :-1] = [v if isinstance(v, int) else Fraction(v) for v in arr.normals[i].tolist()]
            b = arr.offsets[i]
            N[i, -1] = -(b if isinstance(b, int) else Fraction(b))
        er = _exact.ExactRows(N)
    else:
        er = arr._exact_rows
    classes, members, rows = {}, [], []
    if affine:
        inf = tuple([0] * dim + [1])
        classes[inf] = 0
        members.append([n_h])
        rows.append(list(inf))
    for i in range(n_h):
        z = er.zrow(i)
        s = next(v for v in z if v != 0)
        key = tuple(z) if s > 0 else tuple(-v for v in z)
        c = classes.get(key)
        if c is None:
            classes[key] = c = len(rows)
            rows.append(list(key))
            members.append([])
        members[c].append(i)
    return _Rows(rows, members, dim + (1 if affine else 0), affine, n_h)


def _hadamard_sq(rows, n):
    """Square of the product of the ``n`` largest Euclidean row norms (an exact int)."""
    sq = sorted((sum(v * v for v in r) for r in rows), reverse=True)[:n]
    out = 1
    for v in sq:
        out *= v
    return out


def _prime_above(x):
    """The smallest prime ``p > x`` (``p >= 5``), by trial division (``x < 2^20`` here)."""
    c = max(5, int(x) + 1)
    while any(c % d == 0 for d in range(2, math.isqrt(c) + 1)):
        c += 1
    return c


def _next_prime_above(x):
    import sympy

    return int(sympy.nextprime(x))


def _inv_mod(x, p):
    """Modular inverses of the non-zero entries of ``x`` (int64 or object array)."""
    if x.dtype == object:
        return np.array([pow(int(v), -1, p) for v in x.ravel()], dtype=object).reshape(x.shape)
    return _modpow(x, p - 2, p)      # Fermat: x^(p-2) = x^-1 mod p


_INV_CACHE = {}


def _inverse_table(p):
    """``inv[x] = x^(-1) mod p`` for ``x = 1 .. p - 1`` (``inv[0] = 0``), int64."""
    t = _INV_CACHE.get(p)
    if t is None:
        x = np.arange(p, dtype=np.int64)
        t = _inv_mod(np.where(x == 0, 1, x), p)
        t[0] = 0
        t.flags.writeable = False
        _INV_CACHE[p] = t
    return t


_CLASS_CACHE = {}


_CLASS_MAX = 1 << 20  # largest table p^q of projective class keys (int32: 4 MiB)


def _class_table(p, q):
    """Canonical projective class of every vector of ``GF(p)^q``, by its code.

    ``code(v) = sum_c v_c p^(q-1-c)``; ``table[code(v)] = code(v / v_c0)`` with ``c0``
    the first non-zero coordinate of ``v`` (the representative with leading entry
    1), and ``table[0] = p^q`` (the zero vector: larger than every class code).  Two
    non-zero vectors are parallel iff their table entries are equal.  Built once per
    ``(p, q)`` with ``p^q <= _CLASS_MAX`` (read-only; the cache holds at most
    ``8 _CLASS_MAX`` entries).

    The vectors with leading entry ``a`` at position ``c0`` (``m = q - 1 - c0`` entries
    after it, tail code ``r``) are the codes ``a p^m + r``, a contiguous block; their
    entry is ``p^m + code(a^-1 tail(r))``, read from the table of ``s * tail mod p``
    over all scalars ``s`` and tails, which is a broadcast sum of a ``p x p`` table.
    """
    key = (p, q)
    t = _CLASS_CACHE.get(key)
    if t is None:
        size = p ** q
        t = np.empty(size, dtype=np.int32)
        t[0] = size
        ar = np.arange(p, dtype=np.int32)
        prod = (ar[:, None] * ar[None, :]) % p  # prod[s, d] = s d mod p
        inv = _inverse_table(p)[1:].astype(np.intp)  # a^-1 for a = 1 .. p - 1
        for m in range(q):
            # mul[s, r] = code(s * tail(r) mod p) over the m-entry tails r
            mul = np.zeros((p,) + (p,) * m, dtype=np.int32)
            for c in range(m):
                shape = [p] + [1] * m
                shape[1 + c] = p
                mul += (prod * p ** (m - 1 - c)).reshape(shape)
            mul = mul.reshape(p, p ** m)
            t[p ** m: p ** (m + 1)] = (mul[inv] + p ** m).ravel()
        t.flags.writeable = False
        if sum(v.size for v in _CLASS_CACHE.values()) + size > 8 * _CLASS_MAX:
            _CLASS_CACHE.clear()  # keep the cache bounded (32 MiB of tables at most)
        _CLASS_CACHE[key] = t
    return t


class _Engine:
    """Flats of a central arrangement of distinct integer rows, level by level.

    Level ``k`` holds the rank-``k`` flats: ``bits`` (M, W) uint64 bitsets of the
    hyperplanes containing the flat, ``basis`` (M, k) the smallest-index choice of
    independent hyperplanes it was reached by, ``mins`` (M,) the smallest hyperplane
    containing it, ``mu`` (M,) ``|mu(0, X)|``.
    """

    def __init__(self, rows, dim, *, skip_first=False, rank=None):
        self.K = len(rows)
        self.n = dim
        self.W = max(1, (self.K + 63) // 64)
        self.skip_first = skip_first  # affine: never enter H_inf (row 0)
        hsq = _hadamard_sq(rows, dim) if rows else 1
        self.inv_table = None
        self.small = False
        small = [q for q in _P_SMALL if hsq < q * q and dim * q * q < 2**52]
        if small:
            # the smallest prime above the Hadamard bound H (Lemma 1 needs only p > H): the
            # normalised residuals then take q ceil(log2 p) bits, so the class keys of
            # small-entry arrangements (Shi, Catalan, resonance, grids) are exact
            self.p = _prime_above(math.isqrt(hsq))
            self.R = np.array(rows, dtype=np.int64).reshape(self.K, dim) % self.p
            self.small = True  # exact float64 BLAS residuals; inverse table built on demand
            self.Rf = self.R.astype(np.float64)
        elif hsq < _P * _P:
            self.p = _P
            self.R = np.array(rows, dtype=np.int64).reshape(self.K, dim) % _P
        else:  # a prime above the Hadamard bound: exact, with Python integers
            self.p = _next_prime_above(math.isqrt(hsq) + 1)
            R = np.empty((self.K, dim), dtype=object)
            for i, r in enumerate(rows):
                R[i] = [int(v) % self.p for v in r]
            self.R = R
        self.obj = self.R.dtype == object
        # residuals below 2^15: int32 arithmetic (products of two stay below 2^30)
        self.idt = np.int32 if self.small and self.p < 1 << 15 else np.int64
        # exact (rational) rank of all the rows (given by callers that know it exactly)
        self.rank = _exact.rank(rows) if rank is None else int(rank)

    # ---------------------------------------------------------------- bitsets
    def bits_of(self, idx_lists):
        out = np.zeros((len(idx_lists), self.W), dtype=np.uint64)
        for r, js in enumerate(idx_lists):
            for j in js:
                out[r, j >> 6] |= np.uint64(1) << np.uint64(j & 63)
        return out

    def members(self, bits):
        """Sorted hyperplane indices of each bitset row (list of lists)."""
        out = []
        for row in bits:
            js = []
            for w, word in enumerate(row.tolist()):
                while word:
                    low = word & -word
                    js.append(64 * w + low.bit_length() - 1)
                    word ^= low
            out.append(js)
        return out

    # ---------------------------------------------------------------- levels
    def level_one(self):
        start = 1 if self.skip_first else 0
        js = np.arange(start, self.K, dtype=np.int64)
        bits = np.zeros((js.size, self.W), dtype=np.uint64)
        bits[np.arange(js.size), js >> 6] = np.left_shift(np.uint64(1), (js & 63).astype(np.uint64))
        mu = np.ones(js.size, dtype=object if self.obj else np.int64)
        return bits, js.reshape(-1, 1).astype(np.int32), js.copy(), mu

    def _planes(self, basis):
        """Residuals of every hyperplane modulo the span of each basis, in quotient coordinates.

        Returns ``(P, q)`` with ``P`` of shape ``(q, B, K)``: ``P[c, b, j]`` is coordinate
        ``c`` of ``a_j`` modulo ``span(a_basis[b])`` (mod p), in the non-pivot columns of
        the reduced echelon form of the basis; ``P[:, b, j] = 0`` iff ``j`` lies in the
        flat's span (exact: see the module notes).
        """
        return self._residuals(*self._echelon(basis))

    def _echelon(self, basis):
        """Reduced echelon rows ``(B, k, n)`` (mod p) of each basis, and their pivot columns."""
        B, k = basis.shape
        p = self.p
        ar = np.arange(B)
        R = self.R
        if not self.obj and R.dtype != self.idt:
            R = getattr(self, "_R_idt", None)
            if R is None:
                R = self._R_idt = self.R.astype(self.idt)
        rows = R[basis.astype(np.intp)]  # (B, k, n), a copy
        piv = np.empty((B, k), dtype=np.intp)
        for i in range(k):
            r = rows[:, i, :]
            col = np.argmax(r != 0, axis=1)
            inv = self._inv(r[ar, col])
            r = r * (inv if self.obj else inv.astype(r.dtype, copy=False))[:, None] % p
            rows[:, i, :] = r
            piv[:, i] = col
            f = rows[ar, :, col]  # (B, k): column col[b] of every row of flat b
            f[:, i] = 0
            # rows - f r, kept non-negative (numpy's % is several times faster on those)
            rows = (rows + (p - f)[..., None] * r[:, None, :]) % p
        return rows, piv

    def _extend(self, rows, piv, j):
        """:meth:`_echelon` of each basis with hyperplane ``j[b]`` added (outside its span).

        One reduction of the new row against the reduced rows, its normalisation at its
        first non-zero column (the new pivot), and the elimination of that column from
        the other rows: ``O(k n)`` per flat instead of ``O(k^2 n)``.  The rows stay a
        reduced basis of the span (1 at their own pivot, 0 at the others), which is all
        :meth:`_residuals` needs (any such basis gives valid quotient coordinates).
        """
        p = self.p
        C, k, n = rows.shape
        ar = np.arange(C)
        v = self.R[j].astype(np.int64)  # (C, n), entries in [0, p)
        r64 = rows.astype(np.int64)
        if k:
            coef = v[ar[:, None], piv]  # (C, k)
            v = (v + np.einsum("ck,ckn->cn", p - coef, r64)) % p  # below k p^2 < 2^63
        c = np.argmax(v != 0, axis=1)
        lead = v[ar, c]
        if np.any(lead == 0):  # pragma: no cover - a cover adds a hyperplane off the span
            raise AssertionError("an added hyperplane lies in the span of its flat")
        v = v * self._inv(lead).astype(np.int64)[:, None] % p
        out = np.empty((C, k + 1, n), dtype=rows.dtype)
        if k:
            f = r64[ar, :, c]  # (C, k)
            out[:, :k] = (r64 + (p - f)[..., None] * v[:, None, :]) % p
        out[:, k] = v
        piv2 = np.empty((C, k + 1), dtype=np.intp)
        piv2[:, :k] = piv
        piv2[:, k] = c
        return out, piv2

    def _residuals(self, rows, piv):
        """:meth:`_planes` from the reduced echelon rows and pivots of each flat."""
        B, k, n = rows.shape
        p, K = self.p, self.K
        q = n - k
        ar = np.arange(B)
        isp = np.zeros((B, n), dtype=bool)
        isp[ar[:, None], piv] = True
        Q = np.nonzero(~isp)[1].reshape(B, q)
        # M[b, i, c] = rows[b, i, Q[b, c]] (B, k, q): one flat gather
        at = (ar[:, None, None] * k + np.arange(k)[None, :, None]) * n + Q[:, None, :]
        M = np.ascontiguousarray(rows).reshape(-1).take(at)
        if self.small:
            # residual_b = R @ T_b, T_b = [Q rows: identity; pivot rows: -M_b]: one exact
            # float64 product (entries < p: every partial sum is below n p^2 < 2^52)
            T = np.zeros((q, B, n))
            T[np.arange(q)[:, None], ar[None, :], Q.T] = 1.0
            T[np.arange(q)[:, None, None], ar[None, :, None], piv[None, :, :]] = \
                ((p - M) % p).transpose(2, 0, 1)
            P = T.reshape(q * B, n) @ self.Rf.T
            if n * p * p < _FLOAT_MOD_MAX:
                # P mod p in floating point, exactly: P is an integer in [0, n p^2), so
                # (P + 1/2) / p is at least 1/(2p) away from an integer, far more than the
                # rounding error n p 2^-52 of (P + 1/2) fl(1/p); its floor m is exact and
                # so is P - m p (integers below 2^52)
                m = P + 0.5
                m *= 1.0 / p
                np.floor(m, out=m)
                m *= -p
                m += P
                P = m.astype(self.idt)
            else:
                P = P.astype(self.idt)
                P %= p
            return P.reshape(q, B, K), q
        RT = self.R.T  # (n, K)
        P = RT[Q.T].copy()  # (q, B, K)
        for i in range(k):
            P = (P - M[:, i, :].T[:, :, None] * RT[piv[:, i]][None, :, :]) % p
        return P, q

    def _onebit(self):
        """``uint64(1) << (j % 64)`` for every hyperplane ``j`` (a table, built once)."""
        t = getattr(self, "_onebit_table", None)
        if t is None:
            t = np.left_shift(np.uint64(1), (np.arange(self.K) & 63).astype(np.uint64))
            self._onebit_table = t
        return t

    def _inv(self, x):
        if self.small and self.inv_table is None and (self.p < 1 << 17 or x.size > 1 << 18):
            self.inv_table = _inverse_table(self.p)
        if self.inv_table is not None:
            return self.inv_table[x]
        return _inv_mod(x, self.p)

    def covers(self, bits, basis, mins, mu, need_bits=True, qualify=True, ech=None):
        """Weisner-qualifying covers of the flats in a batch.

        Returns candidate arrays ``(bits, basis, mins, contrib, src)`` for the covers
        ``Y`` of each flat ``X`` with ``min Y < min X`` (``Y`` reached from ``X``;
        ``contrib = |mu(0, X)|``, ``src`` = row of ``X``), or None.  Every flat of the
        next rank is reached at least once (Weisner), and the sum of the contributions
        reaching ``Y`` is ``|mu(0, Y)|``.  The covers of ``X`` are the classes of
        hyperplanes outside ``X`` whose residuals modulo ``span(X)`` are parallel.
        ``ech``: the :meth:`_echelon` of ``basis`` when the caller keeps it.
        """
        B, k = basis.shape
        p, K = self.p, self.K
        P, q = self._planes(basis) if ech is None else self._residuals(*ech)
        if self.small and p ** q <= _CLASS_MAX:
            return self._covers_table(bits, basis, mins, mu, P, q, need_bits, qualify)
        nz = P[0] != 0
        for c in range(1, q):
            nz |= P[c] != 0
        if self.skip_first:
            nz[:, 0] = False  # never enter H_inf (row 0); its class is banned below
        # normalise: divide by the first non-zero coordinate
        lead = P[q - 1].copy()
        for c in range(q - 2, -1, -1):
            lead = np.where(P[c] != 0, P[c], lead)
        lead[lead == 0] = 1
        il = self._inv(lead)
        if not self.obj:
            il = il.astype(P.dtype, copy=False)
        if self.obj:
            return self._covers_obj(bits, basis, mins, mu, P, q, nz, il, need_bits, qualify)
        N = [P[c] * il % p for c in range(q)]  # normalised planes (B, K)
        # one 63-bit key per entry (b, j): flat b in the high bits, then the class key,
        # then j, so that a plain value sort groups the classes of each flat with their
        # hyperplanes in increasing order (the first is the class minimum)
        sh = max(1, int(B - 1).bit_length())
        jb = max(1, int(K - 1).bit_length())
        kb = 63 - sh - jb  # bits of the class key
        if q * p.bit_length() <= kb:
            key = N[0].astype(np.int64)
            for c in range(1, q):
                key = key * p + N[c]
            exact = True
        else:
            h = N[0].astype(np.uint64) * _HASH[0]
            for c in range(1, q):
                h += N[c].astype(np.uint64) * _HASH[c % _HASH.size]
            key = (h >> np.uint64(64 - kb)).astype(np.int64)
            exact = False
        key[~nz] = (1 << kb) - 1  # j in X: a group of its own, dropped below
        ck = ((np.arange(B, dtype=np.int64) << (63 - sh))[:, None] | (key << jb)
              | np.arange(K, dtype=np.int64)[None, :])
        cs = np.sort(ck, axis=1).ravel()  # the flat is the high part: row by row is enough
        js = cs & ((1 << jb) - 1)
        order = (cs >> (63 - sh)) * K + js
        g = cs >> jb
        new = np.ones(order.size, dtype=bool)
        new[1:] = g[1:] != g[:-1]
        valid = nz.ravel()[order]
        if not exact and order.size > 1:
            # equal keys must be equal residuals: compare each entry with its predecessor
            # inside a group (the entries that are not the first of their group).  The
            # hyperplanes of X (zero residuals, not valid) only need their flag compared.
            inside = ~new[1:]
            mixed = np.any(inside & (valid[1:] != valid[:-1]))
            same = np.nonzero(inside & valid[1:])[0]
            a, b = order[same], order[same + 1]
            if mixed or any(np.any(Nc.ravel()[a] != Nc.ravel()[b]) for Nc in N):  # a hash collision
                Vall = np.stack([Nc.ravel() for Nc in N], axis=1)
                Vall[~nz.ravel()] = -1
                order = np.lexsort(tuple(Vall[:, c] for c in range(q - 1, -1, -1))
                                   + (np.repeat(np.arange(B), K),))
                Vs = Vall[order]
                it = order // K
                new = np.ones(order.size, dtype=bool)
                new[1:] = np.any(Vs[1:] != Vs[:-1], axis=1) | (it[1:] != it[:-1])
                js = order % K
                valid = nz.ravel()[order]
        banned = None
        if self.skip_first:
            ban = np.ones((B, K), dtype=bool)
            for c in range(q):
                ban &= N[c] == N[c][:, :1]
            banned = ban.ravel()[order]
        return self._finish(bits, basis, mins, mu, order, new, valid, banned, need_bits,
                            qualify, js=js)

    def _covers_table(self, bits, basis, mins, mu, P, q, need_bits, qualify):
        """:meth:`covers` for small ``p^q``: the class key of each residual from one table.

        The key of hyperplane ``j`` modulo ``span(X_b)`` is the canonical code of its
        residual (:func:`_class_table`; ``p^q`` for a zero residual, i.e. ``j`` in
        ``X_b``), so equal keys are exactly parallel residuals.  One value sort of
        (flat, key, j) groups the classes of each flat, as in :meth:`covers`.
        """
        p, K = self.p, self.K
        B = P.shape[1]
        tab = _class_table(p, q)
        zero = p ** q
        code = P[0].astype(np.int64)
        for c in range(1, q):
            code *= p
            code += P[c]
        key = tab[code].astype(np.int64)
        banned = None
        if self.skip_first:
            ban = key == key[:, :1]  # parallel to H_inf's residual (never zero)
            key[:, 0] = zero  # never enter H_inf (row 0): with the hyperplanes of X
        sh = max(1, int(B - 1).bit_length())
        jb = max(1, int(K - 1).bit_length())
        kb = 63 - sh - jb
        if zero.bit_length() > kb:  # pragma: no cover - more than 2^28 flats in a batch
            raise AssertionError("class keys do not fit the sort key")
        ck = (np.arange(B, dtype=np.int64) << (63 - sh))[:, None] | (key << jb)
        ck |= np.arange(K, dtype=np.int64)[None, :]
        cs = np.sort(ck, axis=1).ravel()  # the flat is the high part: row by row is enough
        js = cs & ((1 << jb) - 1)
        fb = cs >> (63 - sh)  # the flat of each entry
        g = cs >> jb
        new = np.ones(cs.size, dtype=bool)
        np.not_equal(g[1:], g[:-1], out=new[1:])
        valid = (g & ((1 << kb) - 1)) != zero
        if self.skip_first:
            banned = ban.ravel()[fb * K + js]
        return self._finish(bits, basis, mins, mu, None, new, valid, banned, need_bits,
                            qualify, js=js, fb=fb)

    def _covers_obj(self, bits, basis, mins, mu, P, q, nz, il, need_bits=True, qualify=True):
        p, K = self.p, P.shape[2]
        Nn = [P[c] * il % p for c in range(q)]
        e_b, e_j = np.nonzero(nz)
        ent = []
        for b, j in zip(e_b.tolist(), e_j.tolist()):
            ent.append((b, tuple(int(Nn[c][b, j]) for c in range(q)), j))
        ent.sort()
        order = np.array([b * K + j for b, _, j in ent], dtype=np.intp)
        new = np.ones(len(ent), dtype=bool)
        for t in range(1, len(ent)):
            new[t] = ent[t][:2] != ent[t - 1][:2]
        banned = None
        if self.skip_first:
            banned = np.array([all(Nn[c][b, 0] == v[c] for c in range(q)) for b, v, _ in ent],
                              dtype=bool)
        return self._finish(bits, basis, mins, mu, order, new, np.ones(order.size, dtype=bool), banned,
                            need_bits, qualify)

    def _finish(self, bits, basis, mins, mu, order, new, valid, banned, need_bits=True, qualify=True,
                js=None, fb=None):
        """Group statistics -> qualifying covers (see :meth:`covers`).

        ``order``: the entries ``b K + j`` (flat ``b``, hyperplane ``j``) in group order;
        or ``js = order % K`` and ``fb = order // K`` given instead.
        """
        K = self.K
        starts = np.nonzero(new)[0]
        if starts.size == 0:
            return None
        js = (order % K).astype(np.int64) if js is None else js
        gi = (order // K)[starts] if fb is None else fb[starts]
        gval = valid[starts]
        gmin = js[starts]  # every caller lists a group's hyperplanes in increasing order
        ok = gval & (gmin < mins[gi]) if qualify else gval.copy()
        if banned is not None:
            ok &= ~np.maximum.reduceat(banned.astype(np.int8), starts).astype(bool)
        sel = np.nonzero(ok)[0]
        if sel.size == 0:
            return None
        if not need_bits:  # (source rows, min of the cover) only
            return gi[sel], gmin[sel]
        # bitsets of the groups (one reduction over all entries), then the qualifying ones
        bitv = self._onebit().take(js)
        gi = gi.take(sel)
        if self.W == 1:
            Ybits = np.bitwise_or.reduceat(bitv, starts).take(sel)[:, None]
        else:
            Ybits = np.empty((sel.size, self.W), dtype=np.uint64)
            word = js >> 6
            for w in range(self.W):
                Ybits[:, w] = np.bitwise_or.reduceat(np.where(word == w, bitv, np.uint64(0)),
                                                     starts).take(sel)
        Ybits |= np.take(bits, gi, axis=0)
        Ybasis = np.empty((gi.size, basis.shape[1] + 1), dtype=np.int32)
        Ybasis[:, :-1] = np.take(basis, gi, axis=0)
        Ybasis[:, -1] = gmin.take(sel)
        return Ybits, Ybasis, gmin[sel].astype(np.int64), mu[gi], gi

    def batches(self, M, k):
        step = max(1, _BATCH_ENTRIES // max(1, self.K * self.n))
        for lo in range(0, M, step):
            yield lo, min(M, lo + step)


def _group_rows(bits):
    """A sort order of the uint64 rows of ``bits`` and the mask of group starts (equal rows)."""
    W = bits.shape[1]
    if W == 1:
        order = np.argsort(bits[:, 0])
        bs = bits[order, 0]
        new = np.ones(order.size, dtype=bool)
        new[1:] = bs[1:] != bs[:-1]
        return order, new
    h = bits[:, 0].copy()
    for w in range(1, W):
        h = h * np.uint64(0x9E3779B97F4A7C15) ^ bits[:, w]
    order = np.argsort(h)
    hs, bs = h[order], bits[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = hs[1:] != hs[:-1]
    if order.size > 1 and np.any(~new[1:] & np.any(bs[1:] != bs[:-1], axis=1)):  # collision
        order = np.lexsort(tuple(bits[:, w] for w in range(W - 1, -1, -1)))
        bs = bits[order]
        new = np.ones(order.size, dtype=bool)
        new[1:] = np.any(bs[1:] != bs[:-1], axis=1)
    return order, new


def _row_hash(bits):
    h = bits[:, 0].copy()
    for w in range(1, bits.shape[1]):
        h = h * np.uint64(0x9E3779B97F4A7C15) ^ bits[:, w]
    return h


def _index_of(table, query):
    """Row index in ``table`` of every row of ``query`` (uint64 bitsets; all must occur)."""
    ht = _row_hash(table)
    order = np.argsort(ht)
    hs = ht[order]
    if hs.size > 1 and np.any(hs[1:] == hs[:-1]):  # a hash collision in the table
        pos = {r.tobytes(): i for i, r in enumerate(table)}
        return np.array([pos[r.tobytes()] for r in query], dtype=np.intp)
    j = np.minimum(np.searchsorted(hs, _row_hash(query)), max(hs.size - 1, 0))
    idx = order[j]
    if not np.all(table[idx] == query):
        raise AssertionError("a flat was not found in its level")  # pragma: no cover
    return idx


def _merge(parts, W, obj):
    """Deduplicate candidate flats (sum the contributions), sorted by bitset."""
    if not parts:
        return (np.zeros((0, W), dtype=np.uint64), np.zeros((0, 0), dtype=np.int32),
                np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object if obj else np.int64))
    bits = np.concatenate([q[0] for q in parts])
    basis = np.concatenate([q[1] for q in parts])
    mins = np.concatenate([q[2] for q in parts])
    contrib = np.concatenate([q[3] for q in parts])
    order, new = _group_rows(bits)
    starts = np.nonzero(new)[0]
    cs = contrib[order]
    if obj:
        mu = np.array([sum(cs[a:b]) for a, b in zip(starts, list(starts[1:]) + [cs.size])], dtype=object)
    else:
        mu = np.add.reduceat(cs, starts)
    first = order[starts]
    return bits[first], basis[first], mins[first], mu


@dataclass
class LatticeData:
    """Per-rank summary of the intersection (semi)lattice.

    Attributes
    ----------
    dim : int
        Ambient dimension of the arrangement.
    rank : int
        Largest rank of a flat.
    whitney_first : list of int
        ``w_k = sum over rank-k flats of mu(0, X)``, ``k = 0..rank``.
    whitney_second : list of int or None
        Number of rank-``k`` flats (``None`` if not requested: counting the top
        level of a central arrangement needs no deduplication).
    levels : list or None
        Rank-``k`` flats as frozensets of original hyperplane indices, if requested.
    """

    dim: int
    rank: int
    whitney_first: list
    whitney_second: list | None
    levels: list | None = None


def _run(eng, *, affine=False, second_kind=True, on_level=None, budget=None):
    """Weisner's recursion level by level.

    Returns ``(w, W2)``: the sums of ``|mu(0, X)|`` per rank and the numbers of flats
    per rank (``W2`` is ``None`` when ``second_kind`` is false: the rank ``top - 1``
    flats of a central arrangement are then summed without being deduplicated).
    ``on_level(k, bits, basis)`` is called with every stored level ``k >= 1``.
    ``budget = (max_work, func)``: raise :class:`TooLargeError` once the flats reduced
    times the hyperplanes exceed ``max_work``.
    """
    work = [0]

    def spend(n_flats):
        if budget is None or budget[0] is None:
            return
        work[0] += int(n_flats) * eng.K
        if work[0] > budget[0]:
            from .exceptions import TooLargeError

            raise TooLargeError(
                f"counting the chambers (method='lattice') has reduced {work[0] // eng.K:,} flats "
                f"x {eng.K} hyperplanes ({work[0]:.3g} > max_work={budget[0]:.3g}) and is not "
                f"done; pass max_work=None to {budget[1]} to count anyway")

    obj = eng.obj
    top = eng.rank  # rank of the central rows (cone: incl. H_inf)
    w, W2 = [1], [1]
    if eng.K == 0:
        return w, W2
    bits, basis, mins, mu = eng.level_one()
    last = top - 1 if affine else top  # largest rank of a flat of A
    lo_min = 1 if affine else 0
    k = 1
    while True:
        w.append(int(sum(mu)) if obj else int(mu.sum()))
        W2.append(int(bits.shape[0]))
        if on_level is not None:
            on_level(k, bits, basis)
        if k >= last:
            break
        if not affine and k == top - 1:
            # the only cover of a rank (r-1) flat is the top flat: Weisner with the atom 0
            free = (bits[:, 0] & np.uint64(1)) == 0
            w.append(int(sum(mu[free])) if obj else int(mu[free].sum()))
            W2.append(1)
            if on_level is not None:
                on_level(k + 1, np.bitwise_or.reduce(bits, axis=0, keepdims=True), basis[:0])
            break
        if not second_kind and on_level is None and k + 1 == top - 1:
            # counting only: the rank (top-1) flats are summed, never stored
            s_all, s_top = 0, 0
            for lo, hi in eng.batches(bits.shape[0], k):
                act = np.nonzero(mins[lo:hi] > lo_min)[0] + lo
                if act.size == 0:
                    continue
                spend(act.size)
                out = eng.covers(bits[act], basis[act], mins[act], mu[act], need_bits=False)
                if out is None:
                    continue
                src, gmin = out
                contrib = mu[act][src]
                s_all += int(sum(contrib)) if obj else int(contrib.sum())
                free = gmin > 0  # hyperplane 0 is in the cover iff it is in the new class
                s_top += int(sum(contrib[free])) if obj else int(contrib[free].sum())
            w.append(s_all)
            if not affine:
                w.append(s_top)
            return w, None
        parts, pending = [], 0
        for lo, hi in eng.batches(bits.shape[0], k):
            act = np.nonzero(mins[lo:hi] > lo_min)[0] + lo
            if act.size == 0:
                continue
            spend(act.size)
            out = eng.covers(bits[act], basis[act], mins[act], mu[act])
            if out is not None:
                parts.append(out[:4])
                pending += out[0].shape[0]
                if pending > _MERGE_ROWS:  # bound the memory: deduplicate what we have
                    parts = [_merge(parts, eng.W, obj)]
                    pending = parts[0][0].shape[0]
        bits, basis, mins, mu = _merge(parts, eng.W, obj)
        k += 1
    return w, (W2 if second_kind else None)


def _compute(arr, *, second_kind=True, keep=False, budget=None):
    """Flats by rank with ``|mu|`` sums (the engine behind every public function).

    ``budget``: as in :func:`_run`.
    """
    R = _rows_of(arr)
    dim = arr.dim
    if not R.rows:
        return LatticeData(dim, 0, [1], [1], [[frozenset()]] if keep else None)
    eng = _Engine(R.rows, R.dim, skip_first=R.affine)
    levels = [[frozenset()]] if keep else None

    def collect(k, bits, basis):
        out = []
        for js in eng.members(bits):
            s = []
            for c in js:
                s.extend(R.members[c])
            out.append(frozenset(s))
        levels.append(sorted(out, key=sorted))

    w, W2 = _run(eng, affine=R.affine, second_kind=second_kind or keep,
                 on_level=collect if keep else None, budget=budget)
    signed = [(-1) ** i * v for i, v in enumerate(w)]
    return LatticeData(dim, len(signed) - 1, signed, W2, levels)


def _restricted_engine(eng, P, b):
    """The engine of the restriction ``A^X`` from the residual planes of the flat ``b``.

    ``P[:, b, :]`` are the residuals of every hyperplane modulo ``span(X)`` (mod p);
    the non-zero ones, up to scaling, are the hyperplanes of ``A^X``.  Ranks of
    residuals are ranks of original rows minus ``rank X``, so the modular certificate
    of ``eng`` carries over.
    """
    V = P[:, b, :].T  # (K, q)
    V = V[np.any(V != 0, axis=1)]
    q = V.shape[1]
    col = np.argmax(V != 0, axis=1)
    lead = V[np.arange(V.shape[0]), col]
    V = V * eng._inv(lead)[:, None] % eng.p
    if eng.obj:
        rows = sorted({tuple(int(x) for x in r) for r in V.tolist()})
        R = np.empty((len(rows), q), dtype=object)
        for i, r in enumerate(rows):
            R[i] = list(r)
    else:
        R = np.unique(V, axis=0)
    sub = _Engine.__new__(_Engine)
    sub.K, sub.n = R.shape[0], q
    sub.W = max(1, (sub.K + 63) // 64)
    sub.skip_first = False
    sub.p, sub.R, sub.obj, sub.inv_table, sub.small = eng.p, R, eng.obj, eng.inv_table, eng.small
    sub.idt = eng.idt
    if eng.small:
        sub.Rf = R.astype(np.float64)
    sub.rank = q  # the restriction to a flat is essential in its quotient coordinates
    return sub


def _small_prime_ok(rows, dim):
    """True when the flats of these integer rows go through the fast small-prime kernel."""
    if not rows:
        return True
    hsq = _hadamard_sq(rows, dim)
    return any(hsq < q * q and dim * q * q < 2**52 for q in _P_SMALL)


def _fast_path_applies(arr):
    """True when the flats of ``arr`` can be computed with the fast small-prime kernel.

    Large float inputs are screened first with numpy (integer-valued rows and a
    Hadamard bound of the raw rows, which bounds that of the primitive rows), so that
    no Python integer row is built for an input that cannot qualify.
    """
    from .arrangement import _as_central

    N, _ = _as_central(arr)
    if N.dtype != object and N.shape[0] > 20000:
        if not np.all(N == np.round(N)):
            return False
        sq = np.sort((N.astype(np.float64) ** 2).sum(axis=1))[::-1][: N.shape[1]]
        h = float(np.prod(sq))
        if not any(h * (1 + 1e-9) < q * q and N.shape[1] * q * q < 2**52 for q in _P_SMALL):
            return False
    R = _rows_of(arr)
    return _small_prime_ok(R.rows, R.dim)


def _count_regions(arr, max_work, func):
    """Regions by Weisner's recursion, refused once the work done exceeds ``max_work``.

    The work is the number of flats reduced times the number of hyperplanes (one
    residual per pair), accumulated level by level.
    """
    R = _rows_of(arr)
    if not R.rows:
        return 1
    eng = _Engine(R.rows, R.dim, skip_first=R.affine)
    w, _ = _run(eng, affine=R.affine, second_kind=False, budget=(max_work, func))
    return int(sum(abs(int(v)) for v in w))
