"""General position: exact tests, witnesses, margins, certificates, perturbations.

Oracles (independent of :mod:`zonotope`): brute force over all subsets with exact
rank/determinants in :class:`fractions.Fraction` (``tests/conftest.py``) and sympy
determinants; closed-form facts (moment-curve points are generic, integer grids are
not).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonotope import TooLargeError, ValidationError, homogenize
from zonotope.general_position import (
    DEFAULT_MAX_SUBSETS,
    Dependency,
    ModularCertificate,
    general_position_margin,
    general_position_report,
    general_position_witness,
    is_generic_configuration,
    is_in_general_position,
    linear_dependency_witness,
    minimal_affine_dependencies,
    modular_certificate,
    perturb_to_general_position,
    perturb_with_certificate,
    verify_modular_certificate,
)
from zonotope.library import generic_points

pytestmark = pytest.mark.exact


# ----------------------------------------------------------------------------- exact helpers
def to_fraction(v):
    """Exact rational value (floats at their binary value; sympy rationals)."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(v)
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, (float, np.floating)):
        return Fraction(float(v))
    return Fraction(int(v.p), int(v.q))


def frac_rank(M):
    A = [list(r) for r in M]
    rank, n_cols = 0, len(A[0]) if A else 0
    for c in range(n_cols):
        p = next((i for i in range(rank, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        A[rank], A[p] = A[p], A[rank]
        for i in range(len(A)):
            if i != rank and A[i][c] != 0:
                f = A[i][c] / A[rank][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[rank])]
        rank += 1
    return rank


def frac_det(M):
    return sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in r] for r in M]).det()


def hyp(n):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- oracles
def _hom(points):
    return [[to_fraction(v) for v in p] + [Fraction(1)] for p in points]


def brute_dependent_sets(rows, kmax):
    """All dependent subsets of size <= kmax (exact Fraction ranks)."""
    out = []
    for k in range(1, min(kmax, len(rows)) + 1):
        for S in itertools.combinations(range(len(rows)), k):
            if frac_rank([rows[i] for i in S]) < k:
                out.append(S)
    return out


def brute_generic_points(points):
    rows = _hom(points)
    return not brute_dependent_sets(rows, len(rows[0]))


def brute_circuits(rows, kmax):
    dep = brute_dependent_sets(rows, kmax)
    return sorted((S for S in dep if not any(set(T) < set(S) for T in dep)), key=lambda S: (len(S), S))


def check_dependency(dep, rows):
    """Exact check of a Dependency against rows of Fractions."""
    assert isinstance(dep, Dependency)
    assert dep.coefficients[-1] == -1
    assert all(isinstance(c, Fraction) and c != 0 for c in dep.coefficients)
    for col in range(len(rows[0])):
        assert sum(c * rows[i][col] for c, i in zip(dep.coefficients, dep.indices)) == 0
    assert list(dep.indices) == sorted(set(dep.indices))
    for i in range(len(dep.indices)):  # minimal
        sub = [rows[j] for k, j in enumerate(dep.indices) if k != i]
        assert not sub or frac_rank(sub) == len(sub)


def sympy_sign(rows, S):
    M = sympy.Matrix([[sympy.Rational(to_fraction(v).numerator, to_fraction(v).denominator) for v in rows[i]]
                      for i in S])
    return int(sympy.sign(M.det()))


def test_scan_certifies_near_degenerate_floats_exactly():
    # a point 2^-52 off the line through two others: generic, but below the float filter
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5 + 2.0**-52], [3.0, -1.0]])
    assert is_in_general_position(X)
    X[2, 1] = 0.5
    assert not is_in_general_position(X)
    assert general_position_witness(X).indices == (0, 1, 2)


# ----------------------------------------------------------------------------- predicates
def test_zoo_data_cases_against_brute_force(zoo_case):
    if zoo_case.kind != "data":
        pytest.skip("not a data set")
    expected = brute_generic_points(zoo_case.points)
    assert is_in_general_position(zoo_case.points) is expected
    w = general_position_witness(zoo_case.points)
    assert (w is None) is expected
    if w is not None:
        rows = _hom(zoo_case.points)
        check_dependency(w, rows)
        assert len(w) == min(len(S) for S in brute_dependent_sets(rows, len(rows[0])))


def test_zoo_central_cases_vectors(zoo_case):
    if zoo_case.kind != "central" or not zoo_case.normals:
        pytest.skip("not a non-empty central arrangement")
    rows = [[to_fraction(v) for v in r] for r in zoo_case.normals]
    dep = brute_dependent_sets(rows, len(rows[0]))
    assert is_generic_configuration(zoo_case.normals) is (not dep)
    w = linear_dependency_witness(zoo_case.normals)
    if dep:
        check_dependency(w, rows)
        assert len(w) == min(len(S) for S in dep)
    else:
        assert w is None


@pytest.mark.parametrize("points, size", [
    ([[0, 0], [1, 1], [2, 2], [5, -1]], 3),                                   # collinear triple
    ([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], 4),             # 4 coplanar in R^3
    ([[0, 0, 0], [1, 2, 3], [2, 4, 6], [0, 1, 0], [0, 0, 1]], 3),             # collinear in R^3
    ([[0.5, 0.25], [1.0, 0.5], [0.0, 1.0], [0.5, 0.25]], 2),                  # duplicate
    ([[i, j] for i in range(3) for j in range(3)], 3),                        # integer grid
    ([[i, j, k] for i in range(2) for j in range(2) for k in range(2)], 4),   # cube corners
    ([[Fraction(1, 3), Fraction(1, 7)], [Fraction(2, 3), Fraction(2, 7)], [1, Fraction(3, 7)],
      [Fraction(-1, 5), Fraction(1, 2)]], 3),                                  # rationals
])
def test_planted_dependencies(points, size):
    assert not is_in_general_position(points)
    w = general_position_witness(points)
    rows = _hom(points)
    check_dependency(w, rows)
    assert len(w) == size == min(len(S) for S in brute_dependent_sets(rows, len(rows[0])))


def test_moment_curve_points_are_generic():
    for d in (1, 2, 3, 4):
        X = [[t ** k for k in range(1, d + 1)] for t in range(-3, 7)]
        assert is_in_general_position(X)
        assert general_position_witness(X) is None


@pytest.mark.parametrize("d, N", [(1, 12), (2, 25), (3, 14), (4, 11), (6, 12)])
def test_random_generic_float_data(d, N):
    X = np.random.default_rng(d * 100 + N).standard_normal((N, d))
    assert is_in_general_position(X)
    assert general_position_witness(X) is None
    assert general_position_report(X).status == "generic"


def test_generic_points_from_library():
    X = generic_points(12, 3, rng=4)
    assert is_in_general_position(X)
    assert is_generic_configuration(homogenize(X))


def test_planted_dependency_in_high_dimension():
    rng = np.random.default_rng(11)
    X = np.round(rng.standard_normal((30, 5)) * 64) / 64
    assert is_in_general_position(X)
    X[7] = (X[3] + X[19]) / 2                      # exactly collinear (dyadic)
    assert not is_in_general_position(X)
    w = general_position_witness(X)
    assert w.indices == (3, 7, 19)
    assert [str(c) for c in w.coefficients] == ["-1", "2", "-1"]   # x_19 = 2 x_7 - x_3


def test_few_points_and_small_cases():
    assert is_in_general_position([[1.0, 2.0, 3.0]])
    assert is_in_general_position([[0, 0, 0], [1, 0, 0], [0, 1, 0]])
    assert not is_in_general_position([[0, 0, 0], [1, 1, 1], [2, 2, 2]])   # N < d+1, collinear
    assert general_position_witness([[0, 0, 0], [1, 1, 1], [2, 2, 2]]).indices == (0, 1, 2)
    assert is_in_general_position([[0.0], [1.0], [3.0]])
    assert not is_in_general_position([[0.0], [1.0], [1.0]])


def test_exact_and_sympy_input():
    pts = [[sympy.Rational(1, 3), 0], [0, sympy.Rational(2, 5)], [1, 1]]
    assert is_in_general_position(pts)
    pts.append([sympy.Rational(1, 6), sympy.Rational(1, 5)])   # midpoint of the first two
    w = general_position_witness(pts)
    assert w.indices == (0, 1, 3)
    assert w.coefficients == (Fraction(1, 2), Fraction(1, 2), Fraction(-1))


def test_vectors_generic_configuration():
    assert is_generic_configuration([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    assert not is_generic_configuration([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
    w = linear_dependency_witness([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
    assert w.indices == (0, 1, 2) and w.kind == "linear"
    assert not is_generic_configuration([[1.0, 2.0], [-0.5, -1.0]])        # antiparallel
    witness = linear_dependency_witness([[1.0, 2.0], [-0.5, -1.0]])
    assert witness.coefficients == (Fraction(-1, 2), Fraction(-1))


@hyp(60)
@given(st.integers(1, 3).flatmap(lambda d: st.lists(
    st.lists(st.integers(-2, 2), min_size=d, max_size=d), min_size=1, max_size=d + 4)))
def test_hypothesis_small_integer_points(points):
    rows = _hom(points)
    dep = brute_dependent_sets(rows, len(rows[0]))
    assert is_in_general_position(points) is (not dep)
    w = general_position_witness(points)
    if dep:
        check_dependency(w, rows)
        assert len(w) == min(len(S) for S in dep)
    else:
        assert w is None


@hyp(30)
@given(st.integers(1, 3).flatmap(lambda d: st.lists(
    st.lists(st.integers(-2, 2), min_size=d, max_size=d), min_size=2, max_size=d + 3)))
def test_hypothesis_minimal_dependencies(points):
    rows = _hom(points)
    got = [dep.indices for dep in minimal_affine_dependencies(points)]
    assert got == [tuple(S) for S in brute_circuits(rows, len(rows[0]))]
    for dep in minimal_affine_dependencies(points):
        check_dependency(dep, rows)


def test_affine_invariance():
    rng = np.random.default_rng(2)
    X = rng.integers(-5, 6, size=(9, 2))
    A = np.array([[2, 1], [1, 3]])
    for Y in (X @ A.T + 7, X @ A.T - 3):
        assert is_in_general_position(Y) == is_in_general_position(X)


# ----------------------------------------------------------------------------- margin
def brute_margin(X):
    Xb = np.hstack([np.asarray(X, float), np.ones((len(X), 1))])
    vals = []
    for S in itertools.combinations(range(len(X)), Xb.shape[1]):
        M = Xb[list(S)]
        vals.append(abs(np.linalg.det(M)) / np.prod(np.linalg.norm(M, axis=1)))
    return min(vals)


@pytest.mark.parametrize("seed", range(5))
def test_margin_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    d = 1 + seed % 3
    X = rng.standard_normal((d + 4, d))
    m = general_position_margin(X)
    assert m.min_normalized_det == pytest.approx(brute_margin(X), rel=1e-9)
    assert 0 < m.certified_radius
    assert m.n_subsets == math.comb(d + 4, d + 1)


def chirotope_signs(X):
    Xb = _hom(X)
    return [int(np.sign(frac_det([Xb[i] for i in S])))
            for S in itertools.combinations(range(len(Xb)), len(Xb[0]))]


@pytest.mark.parametrize("seed", range(4))
def test_certified_radius_keeps_every_sign(seed):
    rng = np.random.default_rng(seed)
    d = 1 + seed % 3
    X = rng.standard_normal((d + 3, d))
    r = general_position_margin(X).certified_radius
    ref = chirotope_signs(X)
    for _ in range(25):
        G = rng.standard_normal(X.shape)
        G /= np.linalg.norm(G, axis=1, keepdims=True)
        Xp = X + G * r * 0.999999                          # on the sphere of radius ~r
        assert chirotope_signs(Xp) == ref


def test_certified_radius_is_scale_covariant():
    X = np.random.default_rng(1).standard_normal((6, 2))
    r1 = general_position_margin(X).certified_radius
    r2 = general_position_margin(X * 1024 + 5).certified_radius
    assert r2 == pytest.approx(1024 * r1, rel=1e-6)


def test_margin_degenerate_and_few_points():
    m = general_position_margin([[0, 0], [1, 1], [2, 2], [0, 1]])
    assert m.min_normalized_det == 0.0 and m.certified_radius == 0.0
    m = general_position_margin([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    assert m.certified_radius > 0 and m.min_normalized_det > 0
    assert general_position_margin([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]).certified_radius == 0.0


def test_margin_near_degenerate_uses_exact_determinant():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5 + 2.0**-50], [3.0, -1.0]])
    m = general_position_margin(X)
    assert 0 < m.certified_radius < 2.0**-50
    assert set(m.radius_subset) == {0, 1, 2}


# ----------------------------------------------------------------------------- certificates
@pytest.mark.parametrize("X", [
    [[0.0, 0.0]] * 6,                                                  # all equal
    [[float(i), float(j)] for i in range(3) for j in range(3)],      # grid
    [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]],
    [[5.0]] * 3,                                                       # 1-D duplicates
])
def test_perturb_with_certificate_is_generic_and_close(X):
    scale = 1e-3
    res = perturb_with_certificate(X, scale, rng=7)
    Xp = res.data
    assert Xp.dtype == np.float64 and Xp.shape == np.shape(X)
    for a, b in zip(np.asarray(X, float), Xp):
        disp2 = sum((Fraction(float(u)) - Fraction(float(v))) ** 2 for u, v in zip(a, b))
        assert disp2 <= Fraction(scale) ** 2
    assert res.max_displacement <= scale
    assert verify_modular_certificate(Xp, res.certificate)
    assert brute_generic_points(Xp.tolist())
    assert is_in_general_position(Xp)
    assert modular_certificate(Xp) is not None


def test_perturb_exact_input_gives_exact_output():
    X = [[Fraction(1, 3), 0], [Fraction(1, 3), 0], [1, 1]]
    Xp = perturb_to_general_position(X, Fraction(1, 100), rng=0)
    assert Xp.dtype == object
    assert brute_generic_points(Xp.tolist())


def test_perturb_huge_coordinates_fall_back_to_exact():
    X = [[1e30, 0.0], [1e30, 0.0], [0.0, 1.0]]
    res = perturb_with_certificate(X, 1e-3, rng=0)
    assert res.data.dtype == object
    assert verify_modular_certificate(res.data, res.certificate)


def test_certificate_rejects_tampering():
    res = perturb_with_certificate([[0.0, 0.0]] * 5, 0.01, rng=3)
    Xp = np.array(res.data, dtype=float)
    Xp[2, 1] += 2.0**-30
    assert not verify_modular_certificate(Xp, res.certificate)
    bad = ModularCertificate(res.certificate.prime, res.certificate.parameters, (1, 0))
    assert not verify_modular_certificate(res.data, bad)
    assert modular_certificate(np.random.default_rng(0).standard_normal((8, 3))) is None


def test_large_input_certified_in_seconds():
    """N = 700, d = 16: the modular certificate answers without enumerating 5e33 subsets
    (the exhaustive test would refuse: it does not get to run)."""
    X = np.random.default_rng(0).standard_normal((700, 16))
    Xp = perturb_to_general_position(X, 1e-6, rng=0)
    assert is_in_general_position(Xp)
    rep = general_position_report(Xp)
    assert rep.status == "generic" and rep.method == "certificate"
    assert np.max(np.linalg.norm(Xp - X, axis=1)) <= 1e-6


def test_large_generic_input_refused_with_estimate():
    X = np.random.default_rng(0).standard_normal((700, 16))
    with pytest.raises(TooLargeError, match=r"C\(700, 17\).*coNP-complete"):
        is_in_general_position(X)
    rep = general_position_report(X, time_budget=0.3, rng=0)
    assert rep.status == "unknown" and not rep.certified
    assert rep.cleared_sizes == (2, 3)
    assert 0 < rep.dependent_fraction_bound < 1
    assert rep.n_subsets == math.comb(700, 17)


def test_report_finds_planted_dependencies_in_large_input():
    X = np.round(np.random.default_rng(0).standard_normal((700, 16)) * 2**20) / 2**20
    Y = X.copy()
    Y[5] = Y[9]                                             # duplicate
    assert general_position_report(Y).witness.indices == (5, 9)
    Y = X.copy()
    Y[5] = (Y[1] + Y[2]) / 2                                # collinear triple
    rep = general_position_report(Y, time_budget=0.1)
    assert rep.status == "degenerate" and rep.witness.indices == (1, 2, 5)
    Z = np.hstack([X[:, :15], X[:, :1]])                    # affinely degenerate (rank)
    assert general_position_report(Z, time_budget=0.1).status == "degenerate"


def test_report_small_inputs_are_exhaustive():
    rep = general_position_report([[0, 0], [1, 0], [0, 1], [1, 1]])
    assert rep.status == "generic" and rep.method == "exhaustive" and rep.n_checked == 4
    rep = general_position_report([[0, 0], [1, 1], [2, 2], [0, 1]])
    assert rep.status == "degenerate" and rep.witness.indices == (0, 1, 2)


def test_max_subsets_controls_refusal():
    X = np.random.default_rng(0).standard_normal((20, 3))
    with pytest.raises(TooLargeError):
        is_in_general_position(X, max_subsets=100)
    assert is_in_general_position(X, max_subsets=None)
    with pytest.raises(TooLargeError):
        general_position_witness(X, max_subsets=10)
    with pytest.raises(TooLargeError):
        general_position_margin(X, max_subsets=10)
    assert DEFAULT_MAX_SUBSETS >= 10**8


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("func", [is_in_general_position, general_position_witness, general_position_margin,
                                  general_position_report, modular_certificate, perturb_to_general_position,
                                  minimal_affine_dependencies])
@pytest.mark.parametrize("bad", [[[np.nan, 0.0]], [[np.inf]], [[True, False]], [[1, 2], [3]], [], "abc",
                                 np.zeros((2, 2, 2)), None])
def test_bad_points_raise_validation_error_naming_x(func, bad):
    with pytest.raises(ValidationError, match="`X`"):
        func(bad)


def test_bad_parameters():
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(ValidationError, match="`max_subsets`"):
        is_in_general_position(X, max_subsets=-1)
    with pytest.raises(ValidationError, match="`max_subsets`"):
        general_position_witness(X, max_subsets=1.5)
    for scale in (0, -1, np.nan, "x", True):
        with pytest.raises(ValidationError, match="`scale`"):
            perturb_to_general_position(X, scale)
    with pytest.raises(ValidationError, match="`rng`"):
        perturb_to_general_position(X, 0.1, rng="seed")
    with pytest.raises(ValidationError, match="`primes`"):
        modular_certificate(X, primes=[9])
    with pytest.raises(ValidationError, match="`certificate`"):
        verify_modular_certificate(X, (5, (1,), (1,)))
    with pytest.raises(ValidationError, match="`vectors`"):
        is_generic_configuration([[np.nan]])
    with pytest.raises(ValidationError, match="`max_size`"):
        minimal_affine_dependencies(X, max_size=7)
    with pytest.raises(ValidationError, match="`confidence`"):
        general_position_report(X, confidence=1.5)


@pytest.mark.slow
@pytest.mark.parametrize("d, N", [(5, 40), (8, 30), (12, 20)])
def test_exhaustive_scan_moderate_sizes(d, N):
    X = np.round(np.random.default_rng(d).standard_normal((N, d)) * 2**30) / 2**30
    assert is_in_general_position(X, max_subsets=None)
    Y = X.copy()
    Y[N - 1] = (Y[N - 2] + Y[N - 3]) / 2          # collinear triple among the last points
    assert not is_in_general_position(Y, max_subsets=None)
    assert general_position_witness(Y, max_subsets=None).indices == (N - 3, N - 2, N - 1)


@pytest.mark.slow
@hyp(300)
@given(st.integers(1, 4).flatmap(lambda d: st.lists(
    st.lists(st.integers(-3, 3), min_size=d, max_size=d), min_size=1, max_size=d + 5)))
def test_hypothesis_small_integer_points_long(points):
    rows = _hom(points)
    dep = brute_dependent_sets(rows, len(rows[0]))
    assert is_in_general_position(points) is (not dep)


def test_one_dimensional_vectors():
    assert is_generic_configuration([[1], [2], [-3]])          # every single vector independent
    assert linear_dependency_witness([[1.0], [2.0]]) is None
    assert not is_generic_configuration([[1], [0]])
    assert linear_dependency_witness([[1], [0]]).indices == (1,)


@hyp(40)
@given(st.integers(1, 4).flatmap(lambda m: st.lists(
    st.lists(st.integers(-2, 2), min_size=m, max_size=m), min_size=1, max_size=m + 3)))
def test_hypothesis_vectors(vectors):
    rows = [[Fraction(v) for v in r] for r in vectors]
    dep = brute_dependent_sets(rows, len(rows[0]))
    assert is_generic_configuration(vectors) is (not dep)
    w = linear_dependency_witness(vectors)
    if dep:
        check_dependency(w, rows)
        assert len(w) == min(len(S) for S in dep)
    else:
        assert w is None
