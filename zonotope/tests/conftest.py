"""Fixtures of the in-package unit tests: a seeded generator and an exact rational oracle.

The oracle works over :class:`fractions.Fraction` (floats taken at their exact binary
value): plain Gaussian elimination for ``det`` and ``rank``, object-array products for
signs of dot products; it shares no code with the fraction-free kernel under test.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest


def _frac(v):
    if isinstance(v, Fraction):
        return v
    return Fraction(int(v)) if isinstance(v, (int, np.integer)) else Fraction(float(v))


def _matrix(M):
    """Rows of Fractions."""
    return [[_frac(v) for v in row] for row in M]


def _echelon(M):
    """Row echelon form over Q: ``(non-zero rows, sign of the row swaps)``."""
    A, r, sign = _matrix(M), 0, 1
    for c in range(len(A[0]) if A else 0):
        p = next((i for i in range(r, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        if p != r:
            A[r], A[p], sign = A[p], A[r], -sign
        for i in range(r + 1, len(A)):
            f = A[i][c] / A[r][c]
            A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        r += 1
    return A[:r], sign


def _det(M):
    rows, sign = _echelon(M)
    if len(rows) < len(M):
        return Fraction(0)
    out = Fraction(sign)
    for i, row in enumerate(rows):
        out *= row[i]
    return out


def _signs(normals, points):
    """``sign(a_j . p_i)`` for every point (rows) and normal (columns), exactly."""
    V = np.array(_matrix(points), dtype=object) @ np.array(_matrix(normals), dtype=object).T
    return np.array([[(v > 0) - (v < 0) for v in row] for row in V], dtype=np.int8).reshape(V.shape)


@pytest.fixture
def rng():
    """A seeded generator (fresh for every test)."""
    return np.random.default_rng(20240607)


@pytest.fixture(scope="session")
def oracle():
    """Exact ``det``, ``rank``, ``matrix`` (rows of Fractions) and ``signs(normals, points)``."""
    return SimpleNamespace(det=_det, rank=lambda M: len(_echelon(M)[0]) if len(M) else 0,
                           matrix=_matrix, signs=_signs)
