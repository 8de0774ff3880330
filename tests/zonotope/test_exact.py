"""Exact predicates and exact chamber enumeration on hostile floating-point input.

Oracles: determinants and dot products recomputed in :class:`fractions.Fraction`
arithmetic (floats at their exact binary value) or with sympy; chamber sets from the
exact brute-force oracle of ``conftest.py`` (Gordan's alternative over the signed
circuits).  A float LP is *not* used here: these inputs are deliberately
ill-conditioned.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    Zonotope,
    activation_patterns,
    count_chambers,
    enumerate_chambers,
)

pytestmark = pytest.mark.exact


def sign_set(ch):
    return {tuple(int(v) for v in r) for r in ch.sign_vectors}


def test_activation_patterns_exact_on_hostile_floats(exact_signs):
    X = np.array([[1e-300, 0.0], [0.0, 1e200], [0.1, 0.3], [0.3, 0.9], [2.0**-1000, 1.0]])
    W = np.array([[1e300, 0.0, -1e-1], [-3.0, 1.0, 0.0], [1.0, 1e-300, -1e-300],
                  [0.0, 0.0, 1.0], [2.0**1000, 0.0, -1.0]])
    Xb = np.hstack([X, np.ones((len(X), 1))])
    expected = (exact_signs(Xb.tolist(), None, W) > 0).astype(np.uint8)
    assert np.array_equal(activation_patterns(X, W), expected)


def test_subnormal_entries_are_kept_exactly(exact_signs):
    assert activation_patterns([[5e-324]], [[1.0, 0.0]]).tolist() == [[1]]
    assert Arrangement([[1e300, 1e-300]]).sign_vectors([[0.0, 1.0]]).tolist() == [[1]]
    assert Arrangement([[1e300, 1e-300], [1e300, 0.0]]).rank == 2


@pytest.mark.parametrize("normals,expected", [
    ([[5e-324, 1.0], [0.0, 1.0]], 4),        # = Arrangement.from_points([[5e-324], [0.0]])
    ([[1e300, 1e-300], [1e300, 0.0]], 4),
], ids=["subnormal_point", "mixed_row"])
def test_chambers_with_underflowing_rows(normals, expected, exact_chambers):
    assert len(exact_chambers(normals)) == expected
    assert count_chambers(Arrangement(normals)) == expected


# ================================================================== hostile data sets
#: Near-degenerate data: ``(normals as homogenised points, exact count)``.  Counts come
#: from the exact oracle and are re-checked in the test.
HOSTILE = {
    "collinear_perturbed_1e-15": [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0 + 1e-15], [0.0, 1.0]],
    "collinear_perturbed_1ulp": [[0.0, 0.0], [1.0, 1.0], [2.0, np.nextafter(2.0, 3.0)], [0.0, 1.0]],
    "decimal_floats_1ulp_off_a_line": [[0.0, 0.0], [1.0, 3.0], [0.3, 0.9]],
    "tiny_1e-300": [[1e-300, 0.0], [0.0, 1e-300], [1e-300, 1e-300], [2e-300, 0.0]],
    "tiny_1e-15": [[1e-15, 0.0], [0.0, 1e-15], [1e-15, 1e-15]],
    "huge_1e200": [[1e200, 0.0], [0.0, 1e200], [1e200, 1e200], [2e200, 0.0]],
    "huge_1e20": [[1e20, 0.0], [0.0, 1e20], [1e20, 1e20], [2e20, 0.0]],
    "mixed_magnitudes": [[1e200, 1e-200], [1e-200, 1e200], [1.0, 1.0], [0.0, 0.0]],
    "dyadic_exactly_collinear": [[0.5, 0.25], [1.0, 0.5], [1.5, 0.75], [3.0, 1.5], [0.25, 1.0]],
    "decimal_exactly_collinear_in_binary": [[0.1, 0.2], [0.2, 0.4], [0.4, 0.8], [0.0, 0.0]],
}

#: Cases that once raised 'could not certify an interior point' (regression set).
CERTIFY_REGRESSION = {"collinear_perturbed_1ulp", "decimal_floats_1ulp_off_a_line", "tiny_1e-300",
               "tiny_1e-15", "huge_1e200", "huge_1e20"}


def _homog(P):
    return [list(p) + [1.0] for p in P]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_data_chamber_sets_without_points(name, exact_chambers):
    """The sign-vector sets (and counts) are exact even on hostile floats."""
    P = HOSTILE[name]
    A = Arrangement.from_points(P)
    oracle = exact_chambers(_homog(P))
    assert count_chambers(A) == len(oracle)
    assert sign_set(enumerate_chambers(A, interior_points=False)) == oracle


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_data_with_certified_interior_points(name, exact_chambers, exact_signs):
    P = HOSTILE[name]
    ch = enumerate_chambers(Arrangement.from_points(P))
    assert sign_set(ch) == exact_chambers(_homog(P))
    # float points are certified except for chambers too thin for the float grid,
    # which are listed in `uncertified` and carry exact rational points
    ok = np.setdiff1d(np.arange(len(ch)), ch.uncertified)
    assert np.array_equal(exact_signs(_homog(P), None, ch.interior_points[ok]), ch.sign_vectors[ok])
    for k in ch.uncertified:
        w = ch.exact_interior_point(k)
        got = [int(np.sign(sum(Fraction(a) * b for a, b in zip(row, w)))) for row in _homog(P)]
        assert got == ch.sign_vectors[k].tolist()


@pytest.mark.parametrize("name", sorted(CERTIFY_REGRESSION))
def test_interior_point_certification_regression(name, exact_chambers):
    P = HOSTILE[name]
    Z = Zonotope.from_points(P)
    assert Z.n_vertices == len(exact_chambers(_homog(P)))


def test_interior_points_for_large_exact_integers(exact_chambers):
    N = [[1, 0, 10**20], [0, 1, 10**20], [1, 1, 10**20]]
    assert sign_set(enumerate_chambers(Arrangement(N))) == exact_chambers(N)


def test_decimal_floats_are_binary_rationals(exact_chambers):
    """0.1, 0.3, 0.9 as floats are not the decimals: the float data are *not* collinear."""
    dec = [[Fraction(1, 10), Fraction(3, 10)], [Fraction(2, 10), Fraction(6, 10)],
           [Fraction(3, 10), Fraction(9, 10)], [0, 0]]
    flt = [[float(v) for v in p] for p in dec]
    strings = [[str(v) for v in p] for p in dec]  # "1/10" etc. are parsed exactly
    n_dec = len(exact_chambers([p + [1] for p in dec]))
    n_flt = len(exact_chambers([p + [1.0] for p in flt]))
    assert (n_dec, n_flt) == (8, 12)
    assert count_chambers(Arrangement.from_points(dec)) == n_dec
    assert count_chambers(Arrangement.from_points(strings)) == n_dec
    assert count_chambers(Arrangement.from_points(flt)) == n_flt


def test_equal_values_in_every_exact_type_give_the_same_chambers():
    sympy = pytest.importorskip("sympy")
    base = [[1, 2], [3, -1], [Fraction(1, 2), Fraction(1, 4)], [0, 0], [2, 4]]
    as_float = [[float(v) for v in p] for p in base]
    as_frac = [[Fraction(v) for v in p] for p in base]
    as_sympy = [[sympy.Rational(Fraction(v).numerator, Fraction(v).denominator) for v in p]
                for p in base]
    ref = enumerate_chambers(Arrangement.from_points(as_float)).packed
    for X in (base, as_frac, as_sympy, np.array(as_float)):
        assert np.array_equal(enumerate_chambers(Arrangement.from_points(X)).packed, ref)
    A = Arrangement.from_points(as_sympy)
    assert A.is_exact and all(isinstance(v, (int, Fraction)) for v in A.normals.flat)


def test_int_input_stays_exact():
    A = Arrangement.from_points(np.array([[1, 2], [3, 4]], dtype=np.int64))
    assert A.is_exact
    assert all(type(v) is int for v in A.normals.flat)


def test_huge_exact_rationals():
    A = Arrangement.from_points([[Fraction(1, 2**1100)], [0]])
    assert A.rank == 2
    assert count_chambers(A) == 4


@pytest.mark.parametrize("P", [[[1e-300]], [[1e-300, 0.0], [0.0, 1e-300]]],
                         ids=["one_point", "two_points_in_the_plane"])
def test_tiny_non_essential_data(P, exact_chambers):
    A = Arrangement.from_points(P)
    assert count_chambers(A) == len(exact_chambers(_homog(P))) == 2 ** len(P)
    ch = enumerate_chambers(A, interior_points=False)
    assert sign_set(ch) == exact_chambers(_homog(P))


# ================================================================== affine, hostile
def test_affine_hyperplane_beyond_float_range():
    """1e-300 w = 1e10 puts the hyperplane at w ~ 1e310: no float point lies beyond it,
    so that chamber is reported as uncertified, with an exact rational point; the other
    chamber gets a (certified) float point."""
    A = Arrangement([[1e-300]], [1e10])
    assert count_chambers(A) == 2
    assert len(enumerate_chambers(A, interior_points=False)) == 2
    ch = enumerate_chambers(A)
    assert ch.uncertified.tolist() == [1]
    assert np.isfinite(ch.interior_points[0, 0])
    assert Fraction(ch.interior_points[0, 0]) < Fraction(1e10) / Fraction(1e-300)
    b = Fraction(1e10) / Fraction(1e-300)
    for k, s in enumerate(ch.sign_vectors[:, 0]):
        (x,) = ch.exact_interior_point(k)
        assert (x > b) == (s > 0) and x != b


def test_affine_far_but_representable_hyperplane(exact_signs):
    A = Arrangement([[1e-300, 0.0], [0.0, 1.0]], [1.0, 0.0])
    ch = enumerate_chambers(A)
    assert len(ch) == 4
    assert np.array_equal(exact_signs([[1e-300, 0.0], [0.0, 1.0]], [1.0, 0.0], ch.interior_points),
                          ch.sign_vectors)


@pytest.mark.slow
@pytest.mark.parametrize("scale", [1e-12, 1e-8, 1e8, 1e12, 1e100, 1e-100])
def test_random_near_collinear_data_long(scale, rng, exact_chambers):
    """Points near a line (offsets of size ``scale * 1e-15``): sets match the exact oracle."""
    for _ in range(8):
        t = rng.integers(-5, 6, size=7).astype(float)
        P = np.stack([t * scale, (2 * t + 1) * scale], axis=1)
        P[rng.integers(7), 1] += scale * 1e-15 * rng.choice([-1, 1])
        oracle = exact_chambers(_homog(P.tolist()))
        ch = enumerate_chambers(Arrangement.from_points(P), interior_points=False)
        assert sign_set(ch) == oracle
