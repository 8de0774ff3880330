"""A small exact (rational) simplex method, used only as a fallback.

It certifies interior points of thin chambers, where a float point produced by the
sweep or by a float LP cannot be certified.  The LP is

    maximise t   subject to   t - s_j a_j . w <= 0  (all j),   -1 <= w_i <= 1,   t <= 1,

in inequality form ``A x <= b`` with ``x = (w, t)``.  The primal simplex walks from
vertex to vertex of this polytope; a vertex is given by ``dim + 1`` tight,
independent rows (each linear system is solved by :func:`zonotope._exact.solve`).
Bland's rule (smallest index for the leaving row and in the ratio test) prevents
cycling.  All arithmetic is in ``fractions.Fraction``.
"""

from __future__ import annotations

from fractions import Fraction

from ._exact import solve as _solve

__all__ = ["exact_interior_point"]


def _transpose(M):
    return [list(col) for col in zip(*M)]


def exact_interior_point(rows, signs, max_iter=10_000):
    """An exact rational point ``w`` with ``signs[j] * rows[j] . w > 0`` for all ``j``.

    Parameters
    ----------
    rows : list of list of int or Fraction
        The normals (any positive multiples).
    signs : sequence of +-1
        The chamber's sign vector; the chamber must be non-empty.

    Returns
    -------
    list of Fraction, or None if the cone is empty.

    Examples
    --------
    >>> exact_interior_point([[1, 0], [1, 1]], [1, -1])
    [Fraction(1, 2), Fraction(-1, 1)]
    """
    rows = [[Fraction(v) for v in r] for r in rows]
    n = len(rows[0])
    # constraint rows of A x <= b, x = (w, t)
    A, b = [], []
    for r, s in zip(rows, signs):
        A.append([-s * v for v in r] + [Fraction(1)])
        b.append(Fraction(0))
    for i in range(n):
        e = [Fraction(0)] * (n + 1)
        e[i] = Fraction(1)
        A.append(e)
        b.append(Fraction(1))
        e = [Fraction(0)] * (n + 1)
        e[i] = Fraction(-1)
        A.append(e)
        b.append(Fraction(1))
    top = [Fraction(0)] * n + [Fraction(1)]
    A.append(top)
    b.append(Fraction(1))
    m = len(A)
    obj = [Fraction(0)] * n + [Fraction(1)]
    # starting vertex: the box corner w = (1, ..., 1) and t = min(1, min_j s_j a_j . w)
    w = [Fraction(1)] * n
    vals = [sum(-a * x for a, x in zip(A[j][:n], w)) for j in range(len(rows))]  # = s_j a_j.w
    t = min([Fraction(1)] + vals)
    if t == 1:
        tight_t = m - 1
    else:
        tight_t = min(j for j in range(len(rows)) if vals[j] == t)
    basis = [len(rows) + 2 * i for i in range(n)] + [tight_t]  # w_i <= 1 rows and one t row
    x = w + [t]
    for _ in range(max_iter):
        AB = [A[i] for i in basis]
        y = _solve(_transpose(AB), obj)  # A_B^T y = c
        if y is None:  # pragma: no cover - bases stay non-singular
            return None
        neg = [k for k in range(n + 1) if y[k] < 0]
        if not neg:
            break
        # Bland: leave the basis row with the smallest index among y < 0
        k = min(neg, key=lambda q: basis[q])
        e = [Fraction(0)] * (n + 1)
        e[k] = Fraction(-1)
        d = _solve(AB, e)  # A_B d = -e_k: row k loosens, the others stay tight
        best, enter = None, None
        for j in range(m):
            if j in basis:
                continue
            ad = sum(a * v for a, v in zip(A[j], d))
            if ad > 0:
                slack = b[j] - sum(a * v for a, v in zip(A[j], x))
                step = slack / ad
                if best is None or step < best or (step == best and j < enter):
                    best, enter = step, j
        if best is None:  # pragma: no cover - the polytope is bounded
            return None
        x = [xi + best * di for xi, di in zip(x, d)]
        basis[k] = enter
    if x[n] <= 0:
        return None
    return x[:n]
