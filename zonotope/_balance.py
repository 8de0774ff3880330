"""Exact power-of-two scalings (internal): balancing a matrix's magnitudes without error.

Multiplying a row or a column by a power of two is exact in binary floating point
(barring over- or underflow, which the exponents here avoid).  :func:`balance_log2`
finds row and column exponents that even out the magnitudes of a matrix (used by the
float filters of :mod:`zonotope._exact` and the LP of :mod:`zonotope._lp`);
:func:`column_balance` scales the columns of a normal matrix before the sweep, a
sign-preserving change of variables ``w = D w'`` (``docs/exactness.md`` §5b), and
:func:`scale_points_back` maps interior points back exactly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["balance_log2", "column_balance", "scale_points_back"]

_BALANCE_ITERATIONS = 30


def balance_log2(L, iterations=_BALANCE_ITERATIONS):
    """Power-of-two exponents ``(r, c)`` balancing a matrix given by ``L = log2 |M|``.

    Ruiz equilibration in the log domain (no overflow, whatever the magnitudes): each
    sweep halves the log of every row and then every column maximum of
    ``L_ij + r_i + c_j``; a last row step puts every row maximum in ``[0.5, 1)`` (up
    to the rounding of ``log2``).  ``-inf`` marks a zero entry; zero rows and columns
    get exponent 0.

    Examples
    --------
    >>> L = np.log2(np.array([[1e-300, 1.0], [3e-300, 2.0]]))
    >>> r, c = balance_log2(L)
    >>> B = np.ldexp(np.array([[1e-300, 1.0], [3e-300, 2.0]]), r[:, None] + c[None, :])
    >>> bool(np.all((B.max(axis=1) >= 0.5) & (B.max(axis=1) < 1))), bool(B.min() > 0.1)
    (True, True)
    """
    m, n = L.shape
    r = np.zeros(m, dtype=np.int64)
    c = np.zeros(n, dtype=np.int64)
    if L.size == 0:
        return r, c
    for _ in range(iterations):
        rmax = (L + c[None, :]).max(axis=1) + r
        dr = np.where(np.isfinite(rmax), np.floor(rmax / 2.0), 0.0).astype(np.int64)
        r -= dr
        cmax = (L + r[:, None]).max(axis=0) + c
        dc = np.where(np.isfinite(cmax), np.floor(cmax / 2.0), 0.0).astype(np.int64)
        c -= dc
        if not dr.any() and not dc.any():
            break
    rmax = (L + c[None, :]).max(axis=1) + r
    r -= np.where(np.isfinite(rmax), np.floor(rmax) + 1, 0.0).astype(np.int64)
    return r, c


_BALANCE_MIN_SPREAD = 16  # balance columns only when their magnitudes differ by 2^16 or more


def column_balance(N):
    """Exact power-of-two column scaling of a normal matrix: ``(N D, c)``, ``D = diag(2^c)``.

    Multiplying column ``j`` of the normals by ``2^(c_j)`` is the change of variables
    ``w_j -> 2^(-c_j) w_j``, a positive diagonal map ``w = D w'``: ``a_i . w = (a_i D) . w'``
    for every ``w``, so ``sign((a_i D) . w') = sign(a_i . (D w'))``.  The chambers of the
    scaled arrangement are those of the original with the *same* sign vectors, and a
    point ``w'`` strictly inside a scaled chamber maps to ``D w'`` strictly inside the
    original one (exactly: multiplying a float by ``2^(c_j)`` is exact unless it over- or
    underflows, which callers check).  Parallel classes, ranks and the whole
    intersection lattice are preserved (``D`` is invertible).

    The exponent of each column is chosen so that its typical magnitude relative to
    the largest entry of each row (the median over the rows) is the same for all
    columns (a few passes, since the row maxima move with the columns), clipped so that
    no non-zero entry leaves the normal float range; the scaled matrix is verified to
    be exact (``(N D) D^-1 == N`` entry by entry).
    Returns ``(N, None)`` when the columns are already within ``2^16`` of each other
    (the float filters then lose nothing to the spread), for object (exact rational)
    input, and when no exact scaling exists.

    Examples
    --------
    >>> N = np.array([[3 * 2.0**-60, 2.0**-60, 1.0], [2.0**-60, -2 * 2.0**-60, 1.0]])
    >>> B, c = column_balance(N)
    >>> bool(np.all(np.sign(B) == np.sign(N))), bool(np.all(np.ldexp(B, -c[None, :]) == N))
    (True, True)
    >>> float(np.abs(B).max() / np.abs(B[B != 0]).min()) < 2**16
    True
    >>> column_balance(np.array([[1.0, 2.0], [3.0, 1.0]]))[1] is None
    True
    """
    if N.dtype == object or N.size == 0:
        return N, None
    N = np.asarray(N, dtype=np.float64)
    nz = N != 0
    if not np.all(np.isfinite(N)):
        return N, None
    E = np.frexp(N)[1].astype(np.int64)  # |N_ij| in [2^(E-1), 2^E)
    low0 = np.iinfo(np.int64).min // 4
    colmax = np.max(np.where(nz, E, np.iinfo(np.int64).min // 4), axis=0)
    colmin = np.min(np.where(nz, E, np.iinfo(np.int64).max // 4), axis=0)
    live = np.any(nz, axis=0)
    if not live.any():
        return N, None
    # integer data scaled by powers of two: the column scaling that restores small
    # integers (lowest set bit of every column at 2^0) keeps the exact integer fast paths
    f, _ = np.frexp(N)
    mant = np.abs(f * 2.0**53).astype(np.int64)
    low_bit = np.where(nz, mant & -mant, 1).astype(np.float64)  # a power of two, exactly
    lsb = np.where(nz, E - 53 + np.frexp(low_bit)[1].astype(np.int64) - 1, 0)
    c_int = -np.min(np.where(nz, lsb, np.iinfo(np.int64).max // 4), axis=0)
    c_int = np.where(live, c_int, 0)
    if np.any(c_int) and int(np.max(np.where(nz, E + c_int[None, :], low0))) <= 40:
        B = np.ldexp(N, c_int[None, :].astype(np.int32))
        if np.array_equal(np.ldexp(B, (-c_int)[None, :].astype(np.int32)), N) and np.all(B == np.round(B)):
            B.flags.writeable = False
            c_int.flags.writeable = False
            return B, c_int.astype(np.int64)
    # every relative magnitude E_ij - max_j' E_ij' below lies in [-(Emax - Emin), 0], so
    # the spread of the typical ones is at most Emax - Emin: no balancing needed
    if int(colmax[live].max()) - int(colmin[live].min()) < _BALANCE_MIN_SPREAD:
        return N, None
    # each column's typical magnitude relative to its rows (median over the rows of
    # E_ij - max_j' E_ij'); scale the columns until these agree (a few passes: the row
    # maxima move with the columns), then keep every entry normal and finite
    low = np.iinfo(np.int64).min // 4
    c = np.zeros(N.shape[1], dtype=np.int64)
    for it in range(4):
        Ec = np.where(nz, E + c[None, :], low)
        rowmax = Ec.max(axis=1)
        rel = Ec - rowmax[:, None]
        typ = np.array([int(np.median(rel[nz[:, j], j])) if live[j] else 0 for j in range(N.shape[1])])
        spread = int(typ[live].max() - typ[live].min())
        if it == 0 and spread < _BALANCE_MIN_SPREAD:
            return N, None
        if spread <= 1:
            break
        c -= np.where(live, typ, 0)
    # keep every non-zero entry normal and finite: 2^(E + c - 1) >= 2^-1021, 2^(E + c) <= 2^1023
    lo = -1020 - colmin
    hi = 1023 - colmax
    c -= int(np.round(np.median(c[live])))  # an overall factor changes nothing; centre it
    c = np.where(live & (lo <= hi), np.clip(c, lo, hi), 0).astype(np.int64)
    if not np.any(c):
        return N, None
    B = np.ldexp(N, c[None, :].astype(np.int32))
    if not (np.all(np.isfinite(B)) and np.array_equal(np.ldexp(B, (-c)[None, :].astype(np.int32)), N)
            and np.array_equal(B != 0, nz)):
        return N, None  # pragma: no cover - the clip above prevents it
    B.flags.writeable = False
    c.flags.writeable = False
    return B, c


def scale_points_back(P, c):
    """``(Q, exact)``: points of the balanced coordinates mapped back, ``Q_a = 2^(s_a) D P_a``.

    ``D = diag(2^c)``; the extra power of two ``2^(s_a)`` per point (a positive factor:
    the point stays in the same cone) centres the exponents of the mapped point, so it
    neither overflows nor underflows when ``c`` is large.  ``exact[a]`` is ``True`` when
    row ``a`` was mapped without rounding, proved by the round trip
    ``2^(-s_a) D^-1 Q_a == P_a`` (scaling a finite, exactly scaled value back is exact).
    """
    P = np.asarray(P, dtype=np.float64)
    nzp = P != 0
    Ep = np.frexp(P)[1].astype(np.int64) + c[None, :]
    big, small = np.iinfo(np.int64).min // 4, np.iinfo(np.int64).max // 4
    hi = np.max(np.where(nzp, Ep, big), axis=1)
    lo = np.min(np.where(nzp, Ep, small), axis=1)
    shift = np.where(np.any(nzp, axis=1), -((hi + lo) // 2), 0)
    K = np.clip(c[None, :] + shift[:, None], -4000, 4000).astype(np.int32)
    with np.errstate(all="ignore"):
        Q = np.ldexp(P, K)
        back = np.ldexp(Q, -K)
    exact = np.all(np.isfinite(Q), axis=1) & np.all(back == P, axis=1)
    return Q, exact


def _int_ldexp_exact(z, k):
    """``z * 2^k`` correctly rounded to a float.

    ``z`` is a Python int of any size, ``k < 0`` or ``z == 0``; the result must not
    overflow.
    """
    if z == 0:
        return 0.0
    if k >= 0:
        return float(z << k)
    return z / (1 << -k)  # int / int is correctly rounded in CPython, subnormals included
