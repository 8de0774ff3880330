"""Fixtures of the in-package unit tests: a seeded generator and exact rational oracles.

The oracles are plain Gaussian elimination and dot products over
:class:`fractions.Fraction` (floats taken at their exact binary value), independent of
the fraction-free elimination under test.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest


def _frac(v):
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    return Fraction(float(v))


def _echelon(M):
    """Row echelon form over Q: ``(rows, sign of the row swaps)``."""
    A = [[_frac(v) for v in row] for row in M]
    n_cols = len(A[0]) if A else 0
    r, sign = 0, 1
    for c in range(n_cols):
        p = next((i for i in range(r, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        if p != r:
            A[r], A[p] = A[p], A[r]
            sign = -sign
        for i in range(r + 1, len(A)):
            if A[i][c] != 0:
                f = A[i][c] / A[r][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        r += 1
    return A[:r], sign


class ExactLinalg:
    """Exact ``det``, ``rank`` and ``matrix`` (rows of Fractions) of small matrices."""

    @staticmethod
    def matrix(M):
        return [[_frac(v) for v in row] for row in M]

    @staticmethod
    def rank(M):
        return len(_echelon(M)[0]) if len(M) else 0

    @staticmethod
    def det(M):
        n = len(M)
        rows, sign = _echelon(M)
        if len(rows) < n:
            return Fraction(0)
        out = Fraction(sign)
        for i in range(n):
            out *= rows[i][i]
        return out


def exact_sign_matrix(normals, offsets, points):
    """Signs of ``a_j . p - b_j`` for every point (rows) and hyperplane (columns), exactly."""
    A = [[_frac(v) for v in row] for row in normals]
    b = [Fraction(0)] * len(A) if offsets is None else [_frac(v) for v in offsets]
    out = np.zeros((len(points), len(A)), dtype=np.int8)
    for i, p in enumerate(points):
        pf = [_frac(v) for v in p]
        for j, (a, bj) in enumerate(zip(A, b)):
            v = sum(x * y for x, y in zip(a, pf)) - bj
            out[i, j] = (v > 0) - (v < 0)
    return out


@pytest.fixture
def rng():
    """A seeded generator (fresh for every test)."""
    return np.random.default_rng(20240607)


@pytest.fixture(scope="session")
def exact_linalg():
    """Exact ``det``, ``rank``, ``matrix`` over Fractions."""
    return ExactLinalg


@pytest.fixture(scope="session")
def exact_signs():
    """Exact sign matrix oracle (see :func:`exact_sign_matrix`)."""
    return exact_sign_matrix
