"""The intersection lattice of a central arrangement and its characteristic polynomial.

Exact and plain (Python-level, exponential in the worst case): meant for small
arrangements and as an independent oracle for the chamber counts (Zaslavsky's
theorem ``r(A) = (-1)^n chi_A(-1) = sum_X |mu(0, X)|``).
"""

from __future__ import annotations

from . import _exact
from .arrangement import _as_central

__all__ = ["flats", "characteristic_polynomial"]


def _central_rows(arr):
    N, cone = _as_central(arr)
    er = _exact.ExactRows(N)
    return [er.zrow(i) for i in range(N.shape[0])], N.shape[1], cone


def flats(arr):
    """All flats of a central arrangement, grouped by rank.

    Returns
    -------
    list of list of frozenset
        ``flats(arr)[k]`` lists the rank-``k`` flats, each as the set of indices of
        the hyperplanes containing it (for an affine arrangement: of its cone, whose
        last hyperplane is ``t = 0``).

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> [len(level) for level in flats(Arrangement([[1, 0], [0, 1], [1, 1]]))]
    [1, 3, 1]
    """
    rows, dim, _ = _central_rows(arr)
    n = len(rows)
    levels = [[frozenset()]]
    while True:
        nxt = set()
        for F in levels[-1]:
            base = [rows[i] for i in sorted(F)]
            r = _exact.rank(base)
            for h in range(n):
                if h in F:
                    continue
                span = base + [rows[h]]
                rr = _exact.rank(span)
                if rr != r + 1:
                    continue
                R, _ = _exact.exact_rref(span)
                closure = frozenset(j for j in range(n) if _exact.rank(R + [rows[j]]) == rr)
                nxt.add(closure)
        if not nxt:
            break
        levels.append(sorted(nxt, key=sorted))
    return levels


def characteristic_polynomial(arr):
    """Coefficients ``c_k`` of ``chi(t) = sum_k c_k t^k`` (central part; exact ints).

    For an affine arrangement the polynomial of its cone divided by ``(t - 1)`` is
    returned, so that ``|chi(-1)|`` counts the affine chambers.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> characteristic_polynomial(Arrangement([[1, 0], [0, 1], [1, 1]]))
    [2, -3, 1]
    """
    rows, dim, cone = _central_rows(arr)
    levels = flats(arr)
    mu = {frozenset(): 1}
    chi = [0] * (dim + 1)
    chi[dim] = 1
    for k in range(1, len(levels)):
        for X in levels[k]:
            m = -sum(v for Y, v in mu.items() if Y < X)
            mu[X] = m
            chi[dim - k] += m
    if cone:
        # divide by (t - 1): synthetic division
        q = [0] * dim
        carry = 0
        for k in range(dim, 0, -1):
            carry = chi[k] + carry
            q[k - 1] = carry
        chi = q
    return [int(c) for c in chi]
