"""Exact linear algebra over the rationals: the ONE fraction-free elimination.

Rows of ints, :class:`~fractions.Fraction` or floats (taken at their exact binary
value) are scaled to integer rows and reduced by fraction-free Bareiss elimination
(:func:`echelon`); determinants, ranks, reduced row echelon forms, null spaces and
linear solves are all read off that one routine.  Rounding helpers turn the exact
answers back into floats (:func:`to_float`, :func:`sqrt_to_float`,
:func:`float_candidates`).

This is the exact fallback of the filtered predicates in :mod:`zonotope._exact`,
which re-exports every name here; the rest of the package imports them from there.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, isqrt

import numpy as np

__all__ = [
    "as_fraction",
    "bareiss_det",
    "det",
    "echelon",
    "echelon_nullspace",
    "exact_nullspace",
    "exact_rref",
    "float_candidates",
    "rank",
    "solve",
    "sqrt_to_float",
    "to_float",
]


def _int_row(row):
    """A positive multiple of a rational row with integer entries (Python ints)."""
    if all(type(v) is int for v in row):  # fast path: already integers (no Fractions)
        g = 0
        for v in row:
            g = gcd(g, v)
        return [v // g for v in row] if g > 1 else list(row)
    fr = [as_fraction(v) for v in row]
    den = 1
    for v in fr:
        den = den * v.denominator // gcd(den, v.denominator)
    ints = [int(v * den) for v in fr]
    g = 0
    for v in ints:
        g = gcd(g, v)
    if g > 1:
        ints = [v // g for v in ints]
    return ints


def echelon(Z):
    """Row echelon form of an integer matrix by fraction-free (Bareiss) elimination.

    The one exact elimination of the package: :func:`bareiss_det`, :func:`det`,
    :func:`rank`, :func:`exact_rref`, :func:`exact_nullspace` and :func:`solve` all
    reduce to it.  After step ``k`` every entry below the pivot rows is a
    ``(k+1) x (k+1)`` minor of the input, so each division by the previous pivot is
    exact and the entries stay polynomial in size (no fractions, no blow-up).

    Parameters
    ----------
    Z : list of list of int
        Not modified.

    Returns
    -------
    rows : list of list of int
        The non-zero rows of an echelon form (``rank`` rows).
    pivots : list of int
        Pivot column of each row.
    sign : int
        ``(-1)^(number of row swaps)``.

    Examples
    --------
    >>> echelon([[2, 4], [1, 3]])
    ([[2, 4], [0, 2]], [0, 1], 1)
    >>> echelon([[1, 2], [2, 4]])[1]
    [0]
    """
    A = [list(r) for r in Z]
    m = len(A)
    n = len(A[0]) if A else 0
    piv = []
    sign = 1
    prev = 1
    r = 0
    for c in range(n):
        if r == m:
            break
        p = next((i for i in range(r, m) if A[i][c] != 0), None)
        if p is None:
            continue
        if p != r:
            A[r], A[p] = A[p], A[r]
            sign = -sign
        Ar = A[r]
        a = Ar[c]
        for i in range(r + 1, m):
            Ai = A[i]
            b = Ai[c]
            if b == 0 and prev == a:
                continue  # (x a - 0 y) / prev = x
            A[i] = [(x * a - b * y) // prev for x, y in zip(Ai, Ar)]
        prev = a
        piv.append(c)
        r += 1
    return A[:r], piv, sign


def bareiss_det(M):
    """Exact determinant of a square matrix of Python ints (fraction-free elimination).

    Examples
    --------
    >>> bareiss_det([[2, 1], [1, 3]])
    5
    >>> bareiss_det([[1, 2], [2, 4]])
    0
    >>> bareiss_det([])
    1
    """
    n = len(M)
    if n == 0:
        return 1
    rows, piv, sign = echelon(M)
    if len(piv) < n:
        return 0
    return sign * rows[-1][-1]


def as_fraction(v):
    """The exact rational value of ``v`` (floats at their binary value).

    Examples
    --------
    >>> as_fraction(0.5), as_fraction(3), as_fraction(Fraction(1, 3))
    (Fraction(1, 2), Fraction(3, 1), Fraction(1, 3))
    """
    if isinstance(v, Fraction):
        return v
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, (np.integer,)):
        return Fraction(int(v))
    try:
        return Fraction(v)
    except TypeError:
        return Fraction(float(v))


def _scaled_int_rows(rows):
    """Integer rows ``den_i * row_i`` and the product of the ``den_i`` (exact)."""
    out = []
    scale = 1
    for r in rows:
        fr = [as_fraction(v) for v in r]
        den = 1
        for v in fr:
            den = den * v.denominator // gcd(den, v.denominator)
        out.append([int(v * den) for v in fr])
        scale *= den
    return out, scale


def det(M):
    """Exact determinant of a square matrix of rationals (int, Fraction or float).

    Rows are cleared of their denominators and the integer determinant comes from
    :func:`bareiss_det`.

    Examples
    --------
    >>> det([[Fraction(1, 2), 1], [1, 4]])
    Fraction(1, 1)
    >>> det([[0.5, 1.0], [1.0, 2.0]])
    Fraction(0, 1)
    """
    Z, scale = _scaled_int_rows(M)
    return Fraction(bareiss_det(Z), scale)


def rank(rows):
    """Exact rank of a matrix of rationals (a list of rows; floats at their binary value).

    Examples
    --------
    >>> rank([[1, 2, 3], [2, 4, 6], [0, 0, 1]])
    2
    >>> rank([])
    0
    """
    if not rows:
        return 0
    return len(echelon([_int_row(r) for r in rows])[1])


def exact_rref(rows):
    """Reduced row echelon form over the rationals.

    Returns (rref rows as lists of Fraction, pivot columns).  Forward elimination is
    :func:`echelon` on integer multiples of the rows; the back substitution divides
    once per pivot row.

    Examples
    --------
    >>> R, piv = exact_rref([[2, 4, 2], [1, 3, 0]])
    >>> [[str(v) for v in r] for r in R], piv
    ([['1', '0', '3'], ['0', '1', '-1']], [0, 1])
    """
    if not rows:
        return [], []
    E, piv, _ = echelon([_int_row(r) for r in rows])
    R = []
    for row, c in zip(E, piv):
        p = row[c]
        R.append([Fraction(v, p) for v in row])
    for k in range(len(R) - 1, -1, -1):
        c = piv[k]
        Rk = R[k]
        for i in range(k):
            f = R[i][c]
            if f != 0:
                R[i] = [a - f * b for a, b in zip(R[i], Rk)]
    return R, piv


def solve(M, rhs):
    """The exact solution ``x`` of the square system ``M x = rhs``, or None if singular.

    Examples
    --------
    >>> solve([[2, 0], [0, 4]], [1, 1])
    [Fraction(1, 2), Fraction(1, 4)]
    >>> solve([[1, 2], [2, 4]], [1, 2]) is None
    True
    """
    n = len(M)
    aug = [list(row) + [r] for row, r in zip(M, rhs)]
    R, piv = exact_rref(aug)
    if piv[:n] != list(range(n)) or len(piv) > n:
        return None
    return [R[i][n] for i in range(n)]


def exact_nullspace(rows, n_cols):
    """Integer basis (list of int lists) of {x : rows . x = 0}, exactly.

    Examples
    --------
    >>> exact_nullspace([[1, 1, 0]], 3)
    [[-1, 1, 0], [0, 0, 1]]
    """
    if not rows:
        return [[int(i == f) for i in range(n_cols)] for f in range(n_cols)]
    E, piv, _ = echelon([_int_row(r) for r in rows])
    return echelon_nullspace(E, piv, n_cols)


def echelon_nullspace(E, piv, n_cols):
    """:func:`exact_nullspace` of integer echelon rows ``E`` with pivot columns ``piv``.

    One vector per free column ``f``: the solution with ``x_f > 0`` and every other
    free entry zero, as a primitive integer vector (the basis :func:`exact_rref`
    would give, cleared of denominators).  Integer back substitution: the pivot
    rows are solved from the last up, and ``x`` is rescaled by ``a / gcd(a, s)``
    whenever the pivot ``a`` does not divide the partial sum ``s``.

    Examples
    --------
    >>> E, piv, _ = echelon([[2, 4, 2], [1, 3, 0]])
    >>> echelon_nullspace(E, piv, 3)
    [[-3, 1, 1]]
    """
    pset = set(piv)
    basis = []
    for f in range(n_cols):
        if f in pset:
            continue
        x = [0] * n_cols
        x[f] = 1
        for i in range(len(piv) - 1, -1, -1):
            row, pc = E[i], piv[i]
            s = 0
            for j in range(pc + 1, n_cols):
                if x[j] and row[j]:
                    s += row[j] * x[j]
            if s == 0:
                continue  # x_pc = 0
            a = row[pc]
            g = gcd(a, s)
            m = a // g
            if m != 1:
                x = [v * m for v in x]
            x[pc] = -(s // g)
        g = 0
        for v in x:
            g = gcd(g, v)
        sg = 1 if x[f] > 0 else -1
        basis.append([sg * (v // g) for v in x])
    return basis


def to_float(v):
    """``float(v)``, or +-inf when ``v`` is beyond the float range."""
    try:
        return float(v)
    except OverflowError:
        return np.inf if v > 0 else -np.inf


def sqrt_to_float(q):
    """The float nearest to ``sqrt(q)`` for a rational ``q >= 0`` (``inf`` beyond the range).

    Exact integer square root with a sticky bit, so the one final rounding is correct
    at any magnitude (no overflow for huge ``q``, subnormal results included).

    Examples
    --------
    >>> sqrt_to_float(Fraction(1, 4)), sqrt_to_float(2) == 2 ** 0.5
    (0.5, True)
    >>> sqrt_to_float(Fraction(10) ** 600)
    1e+300
    """
    q = as_fraction(q)
    n, d = q.numerator, q.denominator
    if n < 0:
        raise ValueError("sqrt_to_float needs q >= 0")
    if n == 0:
        return 0.0
    m = max(0, (140 - (n.bit_length() - d.bit_length())) // 2 + 1)
    num, rem = divmod(n << (2 * m), d)
    s = isqrt(num)
    s = 2 * s + (1 if (s * s != num or rem) else 0)  # sticky bit below the rounding point
    try:
        return s / (1 << (m + 1))  # int / int: correctly rounded
    except OverflowError:
        return float("inf")


def float_candidates(x, max_dim=7):
    """Float points near the exact point ``x``: nearest, and one ulp up/down per coordinate.

    Returns an array of shape ``(k, len(x))`` (empty when a coordinate overflows);
    above ``max_dim`` coordinates only the nearest point.

    Examples
    --------
    >>> float_candidates([Fraction(1, 3)]).shape
    (3, 1)
    """
    import itertools

    near = np.array([to_float(v) for v in x])
    if not np.all(np.isfinite(near)):
        return np.zeros((0, len(x)))
    if len(x) > max_dim:
        return near[None]
    opts = [(v, np.nextafter(v, np.inf), np.nextafter(v, -np.inf)) for v in near]
    return np.array(list(itertools.product(*opts)))
