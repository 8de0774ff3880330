"""Intersection lattice and characteristic polynomial against independent oracles.

* Flats by brute force over all subsets of hyperplanes (closed subsets: adding any
  other hyperplane raises the rank), exact ranks in Fraction arithmetic.
* Whitney's formula ``chi(t) = sum_{S central} (-1)^|S| t^(dim - rank S)``, a sum over
  subsets that never builds the lattice or a Moebius function.
* Closed forms: braid ``t (t-1) ... (t-n+1)``, coordinate ``(t-1)^d``, generic central.
* Zaslavsky: ``r = |chi(-1)|`` regions and ``b = |chi(1)|`` bounded regions.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb

import numpy as np
import pytest

from zonotope import Arrangement, characteristic_polynomial, count_chambers, flats
from zonotope.library import braid_arrangement, coordinate_arrangement, generic_arrangement


def cone_rows(normals, offsets):
    """Fraction rows of the central cone (the extra row ``t`` last) or the normals."""
    A = [[Fraction(v) for v in r] for r in normals]
    if offsets is None or all(Fraction(b) == 0 for b in offsets):
        return A, False
    rows = [a + [-Fraction(b)] for a, b in zip(A, offsets)]
    rows.append([Fraction(0)] * len(A[0]) + [Fraction(1)])
    return rows, True


def brute_force_flats(rows, rank):
    """Closed subsets grouped by rank (exact, brute force over all subsets)."""
    n = len(rows)
    levels = {}
    for k in range(n + 1):
        for S in itertools.combinations(range(n), k):
            r = rank([rows[i] for i in S]) if S else 0
            if all(rank([rows[i] for i in S] + [rows[j]]) > r for j in range(n) if j not in S):
                levels.setdefault(r, set()).add(frozenset(S))
    return [levels[r] for r in sorted(levels)]


def whitney(normals, offsets, dim, rank):
    """chi(t) coefficients (index = power) by Whitney's subset formula."""
    A = [[Fraction(v) for v in r] for r in normals]
    b = [Fraction(0)] * len(A) if offsets is None else [Fraction(v) for v in offsets]
    chi = [0] * (dim + 1)
    for k in range(len(A) + 1):
        for S in itertools.combinations(range(len(A)), k):
            rS = rank([A[i] for i in S]) if S else 0
            aug = rank([A[i] + [b[i]] for i in S]) if S else 0
            if aug != rS:  # the hyperplanes of S do not meet
                continue
            chi[dim - rS] += (-1) ** k
    return chi


def _poly_from_roots(roots):
    c = [1]
    for r in roots:  # multiply by (t - r)
        c = [(c[i - 1] if i > 0 else 0) - r * (c[i] if i < len(c) else 0) for i in range(len(c) + 1)]
    return c


def test_flats_match_brute_force(zoo_case, exact_linalg):
    A = zoo_case.arrangement()
    rows, _ = cone_rows(zoo_case.normals, zoo_case.offsets) if zoo_case.normals else ([], False)
    got = flats(A)
    assert [set(level) for level in got] == brute_force_flats(rows, exact_linalg.rank)
    assert got[0] == [frozenset()]


def test_characteristic_polynomial_matches_whitney(zoo_case, exact_linalg):
    A = zoo_case.arrangement()
    chi = characteristic_polynomial(A)
    assert all(type(c) is int for c in chi)
    assert chi == whitney(zoo_case.normals, zoo_case.offsets, A.dim, exact_linalg.rank)


def test_zaslavsky_regions(zoo_case):
    chi = characteristic_polynomial(zoo_case.arrangement())
    assert abs(sum(c * (-1) ** k for k, c in enumerate(chi))) == zoo_case.n_chambers
    if zoo_case.kind != "affine" and zoo_case.n_hyperplanes:
        assert sum(chi) == 0  # chi(1) = 0 for a non-empty central arrangement


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_braid_characteristic_polynomial_and_flats(n):
    A = braid_arrangement(n)
    assert characteristic_polynomial(A) == _poly_from_roots(range(n))
    # rank-k flats <-> set partitions of {1..n} into n - k blocks: Stirling S(n, n - k)
    S = [[1]]
    for i in range(1, n + 1):
        S.append([0] * (i + 1))
        for j in range(1, i + 1):
            S[i][j] = j * (S[i - 1][j] if j < len(S[i - 1]) else 0) + S[i - 1][j - 1]
    assert [len(level) for level in flats(A)] == [S[n][n - k] for k in range(n)]


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_coordinate_characteristic_polynomial(d):
    assert characteristic_polynomial(coordinate_arrangement(d)) == _poly_from_roots([1] * d)
    assert [len(level) for level in flats(coordinate_arrangement(d))] == \
        [comb(d, k) for k in range(d + 1)]


@pytest.mark.parametrize("n,d", [(3, 2), (5, 3), (6, 3), (7, 4)])
def test_generic_characteristic_polynomial(n, d):
    """chi(t) = sum_{k<d} (-1)^k C(n,k) t^(d-k) + (-1)^d C(n-1, d-1)."""
    chi = characteristic_polynomial(generic_arrangement(n, d, rng=n + d))
    expected = [0] * (d + 1)
    for k in range(d):
        expected[d - k] = (-1) ** k * comb(n, k)
    expected[0] = (-1) ** d * comb(n - 1, d - 1)
    assert chi == expected


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_generic_lines_bounded_regions(n):
    """n generic affine lines: 1 + n + C(n,2) regions, C(n-1, 2) bounded ones."""
    slopes = list(range(n))
    A = Arrangement([[s, -1] for s in slopes], [s * s for s in slopes])  # tangents to a parabola
    chi = characteristic_polynomial(A)
    assert abs(sum(c * (-1) ** k for k, c in enumerate(chi))) == 1 + n + comb(n, 2)
    assert abs(sum(chi)) == comb(n - 1, 2)
    assert count_chambers(A) == 1 + n + comb(n, 2)


def test_lattice_of_empty_arrangement():
    A = Arrangement(np.zeros((0, 3)), dim=3)
    assert flats(A) == [[frozenset()]]
    assert characteristic_polynomial(A) == [0, 0, 0, 1]
    assert count_chambers(A, method="lattice") == 1
