"""Issue 15: enumeration and counting are unchanged (and certified) under scaling by 2^k.

The enumerators balance the columns of the normals by exact powers of two before the
sweep (a sign-preserving change of variables), so data scaled by ``2^k`` give the same
sign vectors as the unscaled data, with interior points certified for the scaled
data.  Also checked here: the chamber of ``-s`` gets the negated point of the chamber of
``s`` (central arrangements certify one chamber per antipodal pair), and the affine
path (points dehomogenised and certified once) against the LP reference enumerator.
Public API only; no timing is asserted (``bench/degenerate.py --scale-k`` measures it).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from zonotope import Arrangement, count_chambers, enumerate_chambers, is_chamber, iter_chambers

KS = [-1000, -60, 0, 60, 1000]


def _points(n, d, seed, bits=None):
    X = np.random.default_rng([seed, n, d]).standard_normal((n, d))
    if bits is not None:  # few mantissa bits: exactly representable after any 2^k scaling
        X = np.round(X * 2.0**bits) * 2.0**-bits
    return X


def _key(ch):
    return [r.tobytes() for r in ch.packed]


def _check_points(arr, ch):
    """Every interior point (float, or exact where uncertified) is inside its chamber."""
    S = ch.sign_vectors
    unc = set(ch.uncertified.tolist())
    ok = np.all(arr.sign_vectors(ch.interior_points) == S, axis=1)
    for k in np.nonzero(~ok)[0].tolist():
        assert k in unc, f"chamber {k}: float point not inside and not flagged uncertified"
        x = ch.exact_interior_point(k)
        for i in range(arr.n_hyperplanes):
            v = sum(Fraction(float(a)) * xi for a, xi in zip(arr.normals[i], x))
            v -= Fraction(float(arr.offsets[i]))
            assert (v > 0) == (S[k, i] > 0) and v != 0


@pytest.mark.parametrize("k", KS)
def test_data_arrangement_scaled_by_power_of_two(k):
    X = _points(14, 3, 0, bits=20)
    ref = enumerate_chambers(Arrangement.from_points(X))
    A = Arrangement.from_points(X * 2.0**k)
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)
    assert len(ch.uncertified) == 0
    assert count_chambers(A) == len(ref)
    assert count_chambers(A, method="sweep") == len(ref)
    assert count_chambers(A, method="formula") == len(ref)
    assert bool(np.all(is_chamber(A, ch.sign_vectors[::7])))


@pytest.mark.parametrize("k", KS)
def test_affine_arrangement_scaled_by_power_of_two(k):
    N = _points(9, 2, 1, bits=16)
    b = _points(9, 1, 2, bits=16)[:, 0]
    ref = enumerate_chambers(Arrangement(N, b))
    A = Arrangement(N * 2.0**k, b)  # the change of variables x -> 2^-k x
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)
    assert count_chambers(A) == len(ref)


@pytest.mark.parametrize("k", [-1000, -60, 60, 1000])
def test_columns_scaled_differently(k):
    """Scaling one data column by 2^k and another by 2^-k is a change of variables of w."""
    X = _points(12, 3, 3, bits=20)
    ref = enumerate_chambers(Arrangement.from_points(X))
    Y = X * np.array([2.0**k, 2.0**-k, 1.0])
    A = Arrangement.from_points(Y)
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)
    assert count_chambers(A) == len(ref)


@pytest.mark.parametrize("k", [-60, 60])
def test_scaled_grid_takes_the_same_chambers(k):
    """Integer grid data (degenerate, lattice-driven sweep) scaled by 2^k."""
    G = np.array(list(itertools.product(range(3), range(3), range(2))), dtype=float)
    ref = enumerate_chambers(Arrangement.from_points(G))
    A = Arrangement.from_points(G * 2.0**k)
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)
    assert count_chambers(A) == len(ref)


def test_subnormal_inputs():
    """Data whose every entry is subnormal (exactly): the chambers of the unscaled data."""
    X = _points(10, 2, 4, bits=12)
    Xs = np.ldexp(X, -1060)
    assert np.all(np.abs(Xs[Xs != 0]) < 2.0**-1022)
    assert np.array_equal(np.ldexp(Xs, 1060), X)  # exact
    ref = enumerate_chambers(Arrangement.from_points(X))
    A = Arrangement.from_points(Xs)
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)
    assert count_chambers(A) == len(ref)
    G = np.array(list(itertools.product(range(3), range(3))), dtype=float)
    ref = enumerate_chambers(Arrangement.from_points(G))
    A = Arrangement.from_points(np.ldexp(G, -1070))
    ch = enumerate_chambers(A)
    assert _key(ch) == _key(ref)
    _check_points(A, ch)


@pytest.mark.parametrize("k", [-60, 1000])
def test_streaming_and_lp_reference_agree_when_scaled(k):
    X = _points(9, 2, 5, bits=20)
    A = Arrangement.from_points(X * 2.0**k)
    ch = enumerate_chambers(A)
    blocks = list(iter_chambers(A, block_size=8, interior_points=True))
    keys = sorted(r.tobytes() for b in blocks for r in b.packed)
    assert keys == sorted(_key(ch))
    for b in blocks:
        _check_points(A, b)
    lp = enumerate_chambers(A, method="lp")
    assert sorted(_key(lp)) == sorted(_key(ch))


def test_antipodal_chambers_get_negated_points():
    """Central arrangement: the chamber -C has the point -p of C (exact negation)."""
    A = Arrangement.from_points(_points(11, 3, 6))
    ch = enumerate_chambers(A)
    S, P = ch.sign_vectors, ch.interior_points
    for k in range(0, len(ch), 37):
        j = ch.index(-S[k])
        assert np.array_equal(P[j], -P[k])
    assert np.all(A.sign_vectors(P) == S)


def test_affine_points_certified_against_affine_hyperplanes():
    """Affine degenerate arrangement: the points are inside their affine chambers (exact)."""
    N = np.array([[1, 0], [0, 1], [1, 1], [1, -1], [1, 0], [0, 1]], dtype=float)
    b = np.array([0, 0, 1, 0, 2, 2], dtype=float)
    n_lp = len(enumerate_chambers(Arrangement(N, b), method="lp"))
    for k in (0, -60, 60):
        A = Arrangement(N * 2.0**k, b)
        ch = enumerate_chambers(A)
        _check_points(A, ch)
        assert len(ch) == count_chambers(A) == n_lp
