"""Exact at every magnitude (issue 10, section 3).

No combinatorial answer may depend on the scale of the data: the regression cases of
the issue (point signs near 1e+-200 and subnormal, the exact perturbation radius of
near-collinear sets, single points / one column / 1e300 / subnormal data for the
perturbation functions, affine offsets near the float maximum) and hypothesis
properties: scaling the data by ``2^k`` (``k`` in ``[-1000, 1000]``, and down into the
subnormal range for integer data) changes no chamber set, count, sign vector, general
position answer, equivalence or chamber membership.  Every test runs with
``RuntimeWarning`` as an error (overflow, invalid values).

Oracles: signs recomputed in ``Fraction`` arithmetic (floats at their binary value),
the width of a triangle (``2 area / longest edge``) for the radius, the unscaled data
for the scaled data.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonotope import (
    Arrangement,
    activation_patterns,
    are_combinatorially_equivalent,
    chamber_of_point,
    count_chambers,
    enumerate_chambers,
    is_chamber,
    is_in_general_position,
    iter_chambers,
    modular_certificate,
    perturb_with_certificate,
    perturbation_radius,
    verify_modular_certificate,
)
from zonotope.exceptions import EmptyChamberError

pytestmark = pytest.mark.exact

HYP = settings(max_examples=int(os.environ.get("ZONOTOPE_HYPOTHESIS_EXAMPLES", 25)), deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def strict():
    """Every RuntimeWarning (overflow, invalid value, division by zero) is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def exact_signs(rows, points):
    """Signs of ``rows . p`` in rational arithmetic (floats at their binary value)."""
    R = [[Fraction(v) for v in r] for r in rows]
    out = np.zeros((len(points), len(R)), dtype=np.int8)
    for a, p in enumerate(points):
        pf = [Fraction(v) for v in p]
        for b, r in enumerate(R):
            v = sum(x * y for x, y in zip(r, pf))
            out[a, b] = (v > 0) - (v < 0)
    return out


def sign_set(ch):
    return {tuple(int(v) for v in r) for r in ch.sign_vectors}


# ============================================================ point signs (regressions)
def test_point_signs_with_columns_1e200_and_1e_minus200():
    """Before: a fixed allowance in the dot product; 30 of these 32 points were wrong."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 2)) * np.array([1e-200, 1e200])
    W = np.zeros((32, 3))
    W[:, 0] = rng.standard_normal(32) * 1e200
    W[:, 1] = rng.standard_normal(32) * 1e-200
    A = Arrangement.from_points(X)
    with strict():
        got = A.sign_vectors(W)
        pat = activation_patterns(X, W)
    oracle = exact_signs(A.normals, W)
    assert np.array_equal(got, oracle)
    assert np.array_equal(pat, (oracle > 0).astype(np.uint8))   # (n_units, n_samples)
    for w, s in zip(W, oracle):
        if np.all(s != 0):
            assert np.array_equal(chamber_of_point(A, w), s)
        else:
            with pytest.raises(EmptyChamberError):
                chamber_of_point(A, w)


@pytest.mark.parametrize("scale", [1e-200, 1e200, 2.0**-1074, 1e-310, 1e300, 1.7e308 / 32])
def test_point_signs_at_extreme_magnitudes(scale):
    rng = np.random.default_rng(1)
    N = rng.integers(1, 7, size=(7, 2)) * rng.choice([-1.0, 1.0], size=(7, 2))
    rows = np.vstack([N, N[:2] + 2 * N[2:4]])             # exact dependencies
    A = Arrangement(rows * scale)
    P = rng.integers(-5, 6, size=(40, 2)).astype(float)
    for p_scale in (1.0, 1e-300, 1e300, 2.0**-1074 * 64, 1.7e308 / 8):
        with strict():
            got = A.sign_vectors(P * p_scale)
        assert np.array_equal(got, exact_signs(A.normals, P * p_scale)), p_scale


def test_point_signs_with_subnormal_rows_and_points_mixed_with_normal_ones():
    rng = np.random.default_rng(2)
    rows = rng.standard_normal((6, 3)) * np.array([5e-324 * 7, 1.0, 1e-310])
    P = rng.standard_normal((50, 3)) * np.array([1.0, 5e-324 * 3, 1e10])
    A = Arrangement(rows)
    with strict():
        got = A.sign_vectors(P)
    assert np.array_equal(got, exact_signs(rows, P))


def test_affine_sign_vectors_at_extreme_offsets():
    rows = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    off = np.array([1.7e308, -1.7e308, 1e308, 5e-324])
    A = Arrangement(rows, off)
    P = np.array([[1.7e308, 0.0], [1e308, -1.7e308], [1.7e308, 1.7e308], [0.0, 0.0], [5e-324, 0.0]])
    with strict():
        got = A.sign_vectors(P)
    oracle = exact_signs(np.hstack([rows, -off[:, None]]), np.hstack([P, np.ones((5, 1))]))
    assert np.array_equal(got, oracle)


# ============================================================ affine offsets near 1e308
@pytest.mark.parametrize("off", [1e308, -1.7e308, 1.7976931348623157e308])
def test_affine_arrangement_with_offsets_near_the_float_maximum(off):
    """Before: ``invalid value`` in the sweep's directions, then a NaN crash."""
    normals = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    A = Arrangement(normals, [off, -off, off])
    sg = math.copysign(1.0, off)
    B = Arrangement(normals, [sg, -sg, sg])                 # the same one, x -> |off| x
    with strict():
        ch = enumerate_chambers(A)
        assert sign_set(ch) == sign_set(enumerate_chambers(B))
        good = np.setdiff1d(np.arange(len(ch)), ch.uncertified)
        if good.size:
            assert np.array_equal(A.sign_vectors(ch.interior_points[good]), ch.sign_vectors[good])
        for k in ch.uncertified:  # chambers whose certified point is beyond the float range
            x = ch.exact_interior_point(k)
            assert [int(v) for v in A.sign_vectors(np.array([x], dtype=object))[0]] == \
                ch.sign_vectors[k].tolist()
        assert count_chambers(A) == len(ch) == 7
        assert sign_set(enumerate_chambers(A, method="lp")) == sign_set(ch)
        blocks = list(iter_chambers(A, block_size=2, interior_points=True))
    assert {tuple(v) for b in blocks for v in b.sign_vectors.tolist()} == sign_set(ch)


# ============================================================ perturbation radius
def _triangle_radius2(P):
    """r_S^2 of a triangle: (width / 2)^2 with width = |det| / longest edge."""
    (a, b, c) = [[Fraction(v) for v in p] for p in P]
    D = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    longest = max(sum((u - v) ** 2 for u, v in zip(p, q)) for p, q in ((a, b), (b, c), (a, c)))
    return D * D / (4 * longest)


def test_exact_radius_of_near_collinear_sets_is_the_exact_minimum():
    """Before: a float preselection picked the subset; wrong on 111 of 200 such sets."""
    rng = np.random.default_rng(1)
    n_checked = 0
    for _ in range(40):
        N = int(rng.integers(4, 8))
        t = np.sort(rng.uniform(-5, 5, N))
        X = np.stack([t, rng.uniform(0.05, 3) * t + rng.uniform(-3, 3)], axis=1)
        if not is_in_general_position(X):
            continue
        n_checked += 1
        with strict():
            r = perturbation_radius(X)
        oracle = min(_triangle_radius2(X[list(S)]) for S in itertools.combinations(range(N), 3))
        assert r.exact_squared == oracle
        assert _triangle_radius2(X[list(r.critical_subset)]) == oracle
        assert r.certified <= r.exact
    assert n_checked >= 30


def test_exact_radius_of_ties_picks_the_first_subset():
    r = perturbation_radius([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 4.0]])
    assert r.exact_squared == 2 and r.critical_subset == (0, 1, 2)


@pytest.mark.parametrize("X", [[[1.0, 2.0]], [[3.0]], [[1e300]], [[5e-324, 0.0]], [[7, 8, 9]]])
def test_radius_of_a_single_point(X):
    """Before: ZeroDivisionError.  One point never changes type: the radius is infinite."""
    with strict():
        r = perturbation_radius(X)
    assert r.certified == math.inf and r.exact is None and r.is_generic


@pytest.mark.parametrize("k", [-1070, -1000, -500, -1, 0, 1, 500, 1000, 1022])
def test_radius_scales_exactly_with_the_data(k):
    """Before: OverflowError / RuntimeWarning near 1e300, division by zero when subnormal."""
    base = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.25]])
    col = np.array([[0.0], [1.0], [3.0], [3.5]])
    for X in (base, col):
        r0 = perturbation_radius(X)
        with strict():
            r = perturbation_radius(np.ldexp(X, k))
        assert r.exact_squared == r0.exact_squared * Fraction(4) ** k
        assert r.critical_subset == r0.critical_subset
        expect = math.sqrt(r0.exact_squared) * 2.0**k if -1000 < k < 1000 else None
        if expect is not None:
            assert r.exact == expect
        if -900 < k < 900:
            assert r.certified == math.ldexp(r0.certified, k)
        assert 0 <= r.certified <= (r.exact if r.exact else math.inf)


def test_radius_of_huge_integer_data():
    X = [[10**400, 0], [0, 10**400], [1, 1]]
    with strict():
        r = perturbation_radius(X)
    Xs = [[Fraction(v, 10**400) for v in row] for row in X]
    assert r.exact_squared == perturbation_radius(Xs).exact_squared * 10**800
    assert r.exact == math.inf and r.certified == np.finfo(float).max


MARGIN_CASES = [
    [[1e300, 0.0], [0.0, 1e300], [1e300, 1e300]],
    [[1.7e308, 0.0], [0.0, 1.7e308], [-1.7e308, -1.7e308], [1e308, -1e308]],
    [[5e-324, 0.0], [0.0, 1e-323], [2e-323, 3e-323]],
    [[0.0], [1e-310], [3e-310]],
    [[10**400, 0], [0, 10**400], [1, 1]],
    [[10**400, 0], [0, 10**400]],
]


@pytest.mark.parametrize("X", MARGIN_CASES)
def test_margin_at_extreme_magnitudes_is_a_valid_bound(X):
    """Before: overflow in the normalisation and in the products of the bound."""
    from zonotope import general_position_margin

    with strict():
        m = general_position_margin(X)
        r = perturbation_radius(X)
    assert 0.0 <= m.certified_radius <= np.finfo(float).max
    assert 0.0 <= r.certified <= np.finfo(float).max
    if r.exact_squared is not None:
        for c in (m.certified_radius, r.certified):
            assert Fraction(c) ** 2 <= r.exact_squared


def test_radius_bad_max_exact_work():
    from zonotope import ValidationError

    with pytest.raises(ValidationError, match="max_exact_work"):
        perturbation_radius([[0.0], [1.0]], max_exact_work=-1)


# ============================================================ perturb_with_certificate
CERT_CASES = {
    "one point": [[1.0, 2.0]],
    "one 3-d zero point": [[0.0, 0.0, 0.0]],
    "duplicates": [[1.0, 2.0], [1.0, 2.0]],
    "one column": [[0.0], [1.0], [3.0], [3.0]],
    "near 1e300": [[1e300, 0.0], [0.0, 1e300], [1e300, 1e300], [-1e300, 2e300]],
    "one column near the maximum": [[1.7e308], [-1.7e308], [1.7e308]],
    "subnormal": [[5e-324, 0.0], [0.0, 1e-323], [2e-323, 3e-323]],
    "huge integers": [[10**400, 0], [0, 10**400], [1, 1]],
}


@pytest.mark.parametrize("name", sorted(CERT_CASES))
@pytest.mark.parametrize("scale", [None, 1e-3])
def test_perturb_with_certificate_at_the_edges(name, scale):
    """Before: OverflowError near 1e300 / huge ints, AssertionError for one point."""
    X = CERT_CASES[name]
    for seed in range(20):
        with strict():
            res = perturb_with_certificate(X, scale, rng=seed)
        assert verify_modular_certificate(res.data, res.certificate)
        assert res.data.shape == np.shape(X)
        bound = Fraction(res.max_displacement)
        for x, y in zip(X, res.data):
            d2 = sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(x, y))
            assert d2 <= bound * bound
        if scale is not None:
            assert res.max_displacement <= scale
        if len(X) <= 4:
            assert is_in_general_position(res.data)
        assert modular_certificate(res.data) is not None


def test_single_point_certificate_with_parameter_zero():
    """The seeds that drew ``t = 0`` for a single point hit an internal assertion."""
    for seed in range(120):
        res = perturb_with_certificate([[0.0, 0.0, 0.0]], 0.1, rng=seed)
        assert verify_modular_certificate(res.data, res.certificate)


# ============================================================ scale invariance (hypothesis)
@st.composite
def dyadic_data(draw, max_n=6, max_d=2):
    """Small data whose scaling by 2^k (|k| <= 1000) is exact: dyadic, |x| in [2^-16, 2^24]."""
    n = draw(st.integers(1, max_n))
    d = draw(st.integers(1, max_d))
    mant = draw(st.lists(st.integers(-(2**8), 2**8), min_size=n * d, max_size=n * d))
    expo = draw(st.lists(st.integers(-8, 16), min_size=n * d, max_size=n * d))
    X = np.ldexp(np.array(mant, dtype=float), np.array(expo)).reshape(n, d)
    return X


@st.composite
def scaled_pair(draw, max_n=6, max_d=2):
    """``(X, k)``: dyadic data and k in [-1000, 1000], or small integers and k down into
    the subnormal range (both scalings exact)."""
    if draw(st.booleans()):
        X = draw(dyadic_data(max_n, max_d))
        k = draw(st.integers(-1000, 1000))
    else:
        n = draw(st.integers(1, max_n))
        d = draw(st.integers(1, max_d))
        X = np.array(draw(st.lists(st.integers(-7, 7), min_size=n * d, max_size=n * d)),
                     dtype=float).reshape(n, d)
        k = draw(st.integers(-1071, -1000))
    Xk = np.ldexp(X, k)
    assert np.array_equal(np.ldexp(Xk, -k), X)  # exact by construction
    return X, k


@HYP
@given(scaled_pair())
def test_scaling_keeps_chambers_counts_and_interior_points(pair):
    X, k = pair
    A, Ak = Arrangement.from_points(X), Arrangement.from_points(np.ldexp(X, k))
    with strict():
        ch, chk = enumerate_chambers(A), enumerate_chambers(Ak)
        assert sign_set(ch) == sign_set(chk)
        assert count_chambers(Ak) == len(ch)
        good = np.setdiff1d(np.arange(len(chk)), chk.uncertified)
        if good.size:
            assert np.array_equal(Ak.sign_vectors(chk.interior_points[good]), chk.sign_vectors[good])


@HYP
@given(scaled_pair(max_n=5), st.integers(0, 2**32 - 1))
def test_scaling_keeps_sign_vectors_of_scaled_points(pair, seed):
    X, k = pair
    n, d = X.shape
    rng = np.random.default_rng(seed)
    # u = ints 2^(k/2 + j): both u and u 2^-k stay far inside the float range (exact)
    U = np.ldexp(rng.integers(-64, 65, size=(12, d)).astype(float), k // 2 + int(rng.integers(-6, 6)))
    b = rng.integers(-64, 65, size=(12, 1)).astype(float)
    b[:3] = 0.0
    W = np.hstack([U, b])
    Wk = np.hstack([np.ldexp(U, -k), b])        # (x 2^k) . (u 2^-k) + b = x . u + b
    A, Ak = Arrangement.from_points(X), Arrangement.from_points(np.ldexp(X, k))
    with strict():
        s, sk = A.sign_vectors(W), Ak.sign_vectors(Wk)
        assert np.array_equal(sk, s)
        assert np.array_equal(activation_patterns(np.ldexp(X, k), Wk), activation_patterns(X, W))
    assert np.array_equal(s, exact_signs(A.normals, W))
    for w, wk, row in zip(W, Wk, s):
        if np.all(row != 0):
            assert np.array_equal(chamber_of_point(Ak, wk), row)


@HYP
@given(scaled_pair(max_n=5, max_d=3))
def test_scaling_keeps_general_position_and_equivalence(pair):
    X, k = pair
    Xk = np.ldexp(X, k)
    with strict():
        assert is_in_general_position(Xk) == is_in_general_position(X)
        assert bool(are_combinatorially_equivalent(X, Xk))
        if X.shape[0] <= 4:
            assert bool(are_combinatorially_equivalent(X, Xk, method="chambers"))


@HYP
@given(scaled_pair(max_n=5), st.integers(0, 2**32 - 1))
def test_scaling_keeps_chamber_membership(pair, seed):
    X, k = pair
    rng = np.random.default_rng(seed)
    S = rng.choice([-1, 1], size=(6, X.shape[0]))
    A, Ak = Arrangement.from_points(X), Arrangement.from_points(np.ldexp(X, k))
    truth = {tuple(v) for v in enumerate_chambers(A).sign_vectors.tolist()}
    with strict():
        got = is_chamber(Ak, S)
    assert got.tolist() == [tuple(v) in truth for v in S.tolist()]


@HYP
@given(scaled_pair(max_n=5))
def test_scaling_scales_the_perturbation_radius(pair):
    X, k = pair
    r0 = perturbation_radius(X)
    with strict():
        r = perturbation_radius(np.ldexp(X, k))
    assert r.is_generic == r0.is_generic
    if r0.exact_squared is None:
        assert r.exact_squared is None
    else:
        assert r.exact_squared == r0.exact_squared * Fraction(4) ** k


@HYP
@given(dyadic_data(max_n=6, max_d=2), st.integers(-1000, 1000), st.integers(0, 2**32 - 1))
def test_affine_offsets_scale_with_the_space(X, k, seed):
    """Hyperplanes ``a . x = b 2^k`` are those of ``a . y = b`` with ``x = 2^k y``."""
    rng = np.random.default_rng(seed)
    normals = rng.integers(-3, 4, size=(X.shape[0], 2)).astype(float)
    normals[np.all(normals == 0, axis=1)] = [1.0, 0.0]
    b = X[:, 0]
    A, Ak = Arrangement(normals, b), Arrangement(normals, np.ldexp(b, k))
    with strict():
        assert sign_set(enumerate_chambers(Ak)) == sign_set(enumerate_chambers(A))
        assert count_chambers(Ak) == count_chambers(A)
