"""Intersection lattice and characteristic polynomial against independent oracles.

* Flats by brute force over all subsets of hyperplanes (closed subsets: adding any
  other hyperplane raises the rank), exact ranks in Fraction arithmetic.
* Whitney's formula ``chi(t) = sum_{S central} (-1)^|S| t^(dim - rank S)``, a sum over
  subsets that never builds the lattice or a Moebius function.
* Closed forms: braid ``t (t-1) ... (t-n+1)``, coordinate ``(t-1)^d``, generic central,
  Shi ``t (t-n)^(n-1)``, Catalan ``t (t-n-1)...(t-2n+1)``, Linial (Postnikov-Stanley),
  and the region counts of the named families (OEIS sequences).
* Zaslavsky: ``r = |chi(-1)|`` regions and ``b = |chi(1)|`` bounded regions, checked
  against the exact brute-force chamber oracle and a bounded-region oracle (LP).
* The big-prime (Python integer) kernel against the fast small-prime one.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    ValidationError,
    characteristic_polynomial,
    count_bounded_regions,
    count_chambers,
    count_regions,
    enumerate_chambers,
    flats,
    poincare_polynomial,
    whitney_numbers,
)
from zonotope.library import (
    braid_arrangement,
    catalan_arrangement,
    coordinate_arrangement,
    generic_arrangement,
    linial_arrangement,
    resonance_arrangement,
    semiorder_arrangement,
    shi_arrangement,
    threshold_arrangement,
)


def chi_list(A):
    """Coefficients of chi(t), index = power (length dim + 1)."""
    c = [int(v) for v in reversed(characteristic_polynomial(A).all_coeffs())]
    return c + [0] * (A.dim + 1 - len(c))


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
    chi = chi_list(A)
    assert all(type(c) is int for c in chi)
    assert chi == whitney(zoo_case.normals, zoo_case.offsets, A.dim, exact_linalg.rank)


def test_zaslavsky_regions(zoo_case):
    chi = chi_list(zoo_case.arrangement())
    assert abs(sum(c * (-1) ** k for k, c in enumerate(chi))) == zoo_case.n_chambers
    assert count_regions(zoo_case.arrangement()) == zoo_case.n_chambers
    if zoo_case.kind != "affine" and zoo_case.n_hyperplanes:
        assert sum(chi) == 0  # chi(1) = 0 for a non-empty central arrangement


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_braid_characteristic_polynomial_and_flats(n):
    A = braid_arrangement(n)
    assert chi_list(A) == _poly_from_roots(range(n))
    # rank-k flats <-> set partitions of {1..n} into n - k blocks: Stirling S(n, n - k)
    S = [[1]]
    for i in range(1, n + 1):
        S.append([0] * (i + 1))
        for j in range(1, i + 1):
            S[i][j] = j * (S[i - 1][j] if j < len(S[i - 1]) else 0) + S[i - 1][j - 1]
    assert [len(level) for level in flats(A)] == [S[n][n - k] for k in range(n)]


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_coordinate_characteristic_polynomial(d):
    assert chi_list(coordinate_arrangement(d)) == _poly_from_roots([1] * d)
    assert [len(level) for level in flats(coordinate_arrangement(d))] == \
        [comb(d, k) for k in range(d + 1)]


@pytest.mark.parametrize("n,d", [(3, 2), (5, 3), (6, 3), (7, 4)])
def test_generic_characteristic_polynomial(n, d):
    """chi(t) = sum_{k<d} (-1)^k C(n,k) t^(d-k) + (-1)^d C(n-1, d-1)."""
    chi = chi_list(generic_arrangement(n, d, rng=n + d))
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
    chi = chi_list(A)
    assert abs(sum(c * (-1) ** k for k, c in enumerate(chi))) == 1 + n + comb(n, 2)
    assert abs(sum(chi)) == comb(n - 1, 2)
    assert count_chambers(A) == 1 + n + comb(n, 2)


def test_lattice_of_empty_arrangement():
    A = Arrangement(np.zeros((0, 3)), dim=3)
    assert flats(A) == [[frozenset()]]
    assert chi_list(A) == [0, 0, 0, 1]
    assert count_chambers(A, method="lattice") == 1


# ================================================================== named families: closed forms

def _catalan(n):
    return comb(2 * n, n) // (n + 1)


def _factorial(n):
    out = 1
    for k in range(2, n + 1):
        out *= k
    return out


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_braid_regions_poincare_and_whitney_second_kind(n):
    A = braid_arrangement(n)
    assert count_regions(A) == count_chambers(A) == _factorial(n)
    # pi(t) = (1 + t)(1 + 2t) ... (1 + (n-1) t)
    pi = [1]
    for a in range(1, n):
        pi = [(pi[i] if i < len(pi) else 0) + a * (pi[i - 1] if i > 0 else 0) for i in range(len(pi) + 1)]
    assert [int(c) for c in reversed(poincare_polynomial(A).all_coeffs())] == pi
    stirling = [[1]]
    for i in range(1, n + 1):
        stirling.append([0] * (i + 1))
        for j in range(1, i + 1):
            prev = stirling[i - 1][j] if j < len(stirling[i - 1]) else 0
            stirling[i][j] = j * prev + stirling[i - 1][j - 1]
    assert whitney_numbers(A, kind=2) == [stirling[n][n - k] for k in range(n)]
    assert A.whitney_numbers(kind=2) == whitney_numbers(A, kind=2)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7])
def test_shi_closed_forms(n):
    A = shi_arrangement(n)
    assert A.n_hyperplanes == n * (n - 1)
    assert chi_list(A) == _poly_from_roots([0] + [n] * (n - 1))  # t (t - n)^(n-1)
    assert count_regions(A) == A.n_regions() == (n + 1) ** (n - 1)
    assert count_bounded_regions(A) == A.n_bounded_regions() == (n - 1) ** (n - 1)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_catalan_closed_forms(n):
    A = catalan_arrangement(n)
    assert chi_list(A) == _poly_from_roots([0] + list(range(n + 1, 2 * n)))
    assert count_regions(A) == _factorial(n) * _catalan(n)
    assert count_bounded_regions(A) == _factorial(n) * _catalan(n - 1)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_linial_characteristic_polynomial_postnikov_stanley(n):
    """chi(t) = t / 2^n sum_k C(n, k) (t - k)^(n-1)."""
    expected = [Fraction(0)] * (n + 1)
    for k in range(n + 1):
        p = _poly_from_roots([k] * (n - 1))  # (t - k)^(n-1)
        for i, c in enumerate(p):
            expected[i + 1] += Fraction(comb(n, k) * c, 2 ** n)
    assert all(c.denominator == 1 for c in expected)
    assert chi_list(linial_arrangement(n)) == [int(c) for c in expected]


def test_region_counts_of_named_families_oeis():
    assert [linial_arrangement(n).n_regions() for n in range(1, 7)] == [1, 2, 7, 36, 246, 2104]
    assert [semiorder_arrangement(n).n_regions() for n in range(1, 7)] == [1, 3, 19, 183, 2371, 38703]
    assert [threshold_arrangement(n).n_regions() for n in range(1, 7)] == [1, 2, 8, 46, 332, 2874]
    assert [resonance_arrangement(n).n_regions() for n in range(1, 6)] == [2, 6, 32, 370, 11292]


def test_resonance_r6_count():
    A = resonance_arrangement(6)
    assert count_regions(A) == 1066044
    assert whitney_numbers(A, kind=2) == [1, 63, 1351, 11445, 35525, 28875, 1]


@pytest.mark.slow
def test_resonance_r7_count():
    assert count_regions(resonance_arrangement(7)) == 347326352


@pytest.mark.parametrize("factory,n", [(shi_arrangement, 3), (catalan_arrangement, 3),
                                       (linial_arrangement, 4), (semiorder_arrangement, 3),
                                       (threshold_arrangement, 4), (resonance_arrangement, 3),
                                       (braid_arrangement, 4)])
def test_named_family_counts_by_enumeration(factory, n):
    """The lattice count against the exact sweep's list of chambers and the count sweep."""
    A = factory(n)
    assert len(enumerate_chambers(A)) == count_regions(A) == count_chambers(A, method="sweep")


# ================================================================== bounded regions (LP oracle)
def _lp_bounded(normals, offsets, signs):
    """Is the region with these signs bounded?  (LP on its closure, all 2 dim directions)."""
    from scipy.optimize import linprog

    A = np.array(normals, dtype=float)
    b = np.array(offsets, dtype=float)
    s = np.asarray(signs, dtype=float)
    A_ub, b_ub = -(s[:, None] * A), -(s * b)
    for i in range(A.shape[1]):
        for sg in (1.0, -1.0):
            c = np.zeros(A.shape[1])
            c[i] = sg
            res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * A.shape[1], method="highs")
            if res.status == 3:
                return False
    return True


@pytest.mark.parametrize("seed", range(5))
def test_bounded_regions_match_an_lp_oracle(seed):
    g = np.random.default_rng(seed)
    normals = g.integers(-2, 3, size=(7, 2))
    normals[np.all(normals == 0, axis=1)] = [1, 1]
    normals[3] = normals[1]  # parallel lines
    offsets = g.integers(-2, 3, size=7)
    A = Arrangement(normals.tolist(), offsets.tolist())
    S = enumerate_chambers(A).sign_vectors
    bounded = sum(_lp_bounded(normals, offsets, s) for s in S)
    if A.is_essential:
        assert count_bounded_regions(A) == bounded
    assert count_regions(A) == len(S)


# ================================================================== kernels and edge cases
def _transformed(A, M):
    """The arrangement {(a M) . w = b}: isomorphic to A when M is invertible."""
    N = np.empty((A.n_hyperplanes, A.dim), dtype=object)
    for i, a in enumerate(A.normals.tolist()):
        N[i] = [sum(int(a[k]) * int(M[k][j]) for k in range(A.dim)) for j in range(A.dim)]
    off = np.empty(A.n_hyperplanes, dtype=object)
    off[:] = [int(v) for v in A.offsets.tolist()]
    return Arrangement(N, off)


@pytest.mark.parametrize("scale", [2**9, 2**40])
def test_large_integer_kernels_agree_with_the_small_prime_kernel(scale):
    """Entries up to ~2^12 use the 2^31 - 1 prime, ~2^43 a prime above the Hadamard
    bound with Python integers; both must give the lattice of the original."""
    for A in (shi_arrangement(4), catalan_arrangement(3), resonance_arrangement(4)):
        n = A.dim
        M = [[(scale + 3 * i + 7 * j) if i != j else (5 * scale + i) for j in range(n)] for i in range(n)]
        B = _transformed(A, M)
        assert max(abs(int(v)) for v in B.normals.flat) > 1000
        for kind in (1, 2):
            assert whitney_numbers(B, kind=kind) == whitney_numbers(A, kind=kind)
        assert flats(B) == flats(A)


def test_float_data_use_the_exact_big_prime_kernel(rng):
    X = rng.standard_normal((9, 2))
    X[4] = X[1]
    X[6] = 0.5 * (X[0] + X[2])  # three collinear points
    A = Arrangement.from_points(X)
    assert count_regions(A) == len(enumerate_chambers(A)) == count_chambers(A, method="sweep")


def test_lattice_validation():
    with pytest.raises(ValidationError, match="kind.*whitney_numbers"):
        whitney_numbers(braid_arrangement(3), kind=3)
    with pytest.raises(ValidationError, match="arr.*characteristic_polynomial"):
        characteristic_polynomial([[1, 0]])
    with pytest.raises(ValidationError, match="method.*count_chambers"):
        count_chambers(braid_arrangement(3), method="magic")
