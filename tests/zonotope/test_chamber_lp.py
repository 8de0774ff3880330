"""The certified max-margin LP: ``is_chamber`` and ``enumerate_chambers(method="lp")``.

Oracles (independent of :mod:`zonotope`): ``exact_chambers`` of ``tests/conftest.py``
(brute force over all sign vectors, Gordan's alternative in rational arithmetic), the
exact default sweep (a different algorithm: no LP), and exact rational dot products
for every interior point.  The data reach the magnitudes where a fixed LP tolerance
fails: ``1e-300``, ``1e300``, points 256 apart at ``2^60``, scalings ``2^k`` with
``|k| <= 1000``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonotope import Arrangement, ValidationError, enumerate_chambers, is_chamber


def sign_set(chambers):
    return {tuple(int(v) for v in row) for row in chambers.sign_vectors}


def exact_signs_of_point(normals, offsets, w):
    """Signs of ``a_i . w - b_i`` in rational arithmetic (floats at their binary value)."""
    wf = [Fraction(v) for v in w]
    out = []
    for a, b in zip(normals, offsets):
        v = sum(Fraction(x) * y for x, y in zip(a, wf)) - Fraction(b)
        out.append((v > 0) - (v < 0))
    return out


def all_sign_vectors(n):
    rows = list(itertools.product((-1, 1), repeat=n))
    return np.array(rows, dtype=np.int8).reshape(len(rows), n)


# --------------------------------------------------------------------------- is_chamber
def test_is_chamber_matches_the_exact_oracle_on_the_zoo(zoo_case, exact_chambers):
    """Every sign vector for n <= 6 hyperplanes; else 40 chambers and 40 random vectors."""
    A = zoo_case.arrangement()
    n = zoo_case.n_hyperplanes
    oracle = exact_chambers(zoo_case.normals, zoo_case.offsets)
    if n <= 6:
        S = all_sign_vectors(n)
    else:
        rng = np.random.default_rng(n)
        inside = sorted(oracle)
        pick = rng.choice(len(inside), size=min(40, len(inside)), replace=False)
        S = np.vstack([np.array([inside[i] for i in pick], dtype=np.int8),
                       rng.choice(np.array([-1, 1], dtype=np.int8), size=(40, n))])
    got = is_chamber(A, S)
    assert got.dtype == bool and got.shape == (S.shape[0],)
    assert [tuple(int(v) for v in s) in oracle for s in S] == got.tolist()


@pytest.mark.parametrize("k", [-1000, -531, -160 * 3, 0, 497, 1000])
def test_is_chamber_is_invariant_under_scaling_by_powers_of_two(k, exact_chambers):
    pts = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.25]]
    oracle = exact_chambers([p + [1] for p in pts])
    X = np.ldexp(np.array(pts), k)
    A = Arrangement.from_points(X)
    S = all_sign_vectors(5)
    got = is_chamber(A, S)
    assert {tuple(int(v) for v in s) for s, g in zip(S, got) if g} == oracle


@pytest.mark.parametrize("scale", [1e-160, 1e150, 1e-300, 1e300])
def test_is_chamber_on_scaled_data_agrees_with_the_sweep(scale):
    """The relu layer's failure (issue 10 §3): data scaled by 1e-160 or 1e150."""
    X = np.random.default_rng(7).standard_normal((6, 2)) * scale
    A = Arrangement.from_points(X)
    chambers = enumerate_chambers(A)
    assert bool(np.all(is_chamber(A, chambers.sign_vectors)))
    S = all_sign_vectors(6)
    inside = sign_set(chambers)
    got = is_chamber(A, S)
    assert {tuple(int(v) for v in s) for s, g in zip(S, got) if g} == inside


def test_is_chamber_single_vector_types_and_degenerate_cases():
    A = Arrangement([[1, 0], [0, 1], [2, 0], [-1, 0]])          # repeated and antiparallel
    assert is_chamber(A, [1, 1, 1, -1]) is True
    assert is_chamber(A, [1, 1, -1, -1]) is False              # a and 2a on opposite sides
    assert is_chamber(A, np.array([1, 1, 1, 1])) is False      # a and -a on the same side
    affine = Arrangement([[1.0], [1.0]], [0.0, 1.0])          # x = 0 and x = 1 on a line
    assert is_chamber(affine, [[1, -1], [-1, 1], [1, 1], [-1, -1]]).tolist() == [True, False, True, True]
    assert is_chamber(Arrangement(np.zeros((0, 3)), dim=3), np.zeros((2, 0))).tolist() == [True, True]


@pytest.mark.parametrize("bad", [[1, 0, 1], [1, 2, -1], [True, 1, 1], [1, 1], [[[1, 1, 1]]], ["a", 1, 1]])
def test_is_chamber_validation(bad):
    A = Arrangement.from_points([[0.0], [1.0], [2.0]])
    with pytest.raises(ValidationError, match="`sign_vectors` of `is_chamber`"):
        is_chamber(A, bad)
    with pytest.raises(ValidationError, match="`arr` of `is_chamber`"):
        is_chamber([[1, 0]], [1])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(-1000, 1000))
def test_property_scaling_never_changes_the_answer(seed, k):
    rng = np.random.default_rng(seed)
    X = rng.integers(-3, 4, size=(5, 2)).astype(float)        # often degenerate
    S = all_sign_vectors(5)
    base = is_chamber(Arrangement.from_points(X), S)
    scaled = is_chamber(Arrangement.from_points(np.ldexp(X, k)), S)
    np.testing.assert_array_equal(base, scaled)


# --------------------------------------------------------------------------- method="lp"
THIN_CASES = {
    "near 1e-300": np.random.default_rng(0).standard_normal((6, 2)) * 1e-300,
    "near 1e300": np.random.default_rng(1).standard_normal((6, 2)) * 1e300,
    "256 apart at 2^60 (1-D)": np.array([[2.0**60 + 256 * k] for k in range(6)]),
    "256 apart at 2^60 (2-D)": np.array([[2.0**60 + 256 * a, 2.0**60 + 256 * b]
                                         for a, b in [(0, 0), (1, 0), (0, 1), (2, 3), (3, 1)]]),
}


@pytest.mark.parametrize("name", sorted(THIN_CASES))
def test_lp_method_finds_thin_chambers_like_the_sweep(name):
    X = THIN_CASES[name]
    A = Arrangement.from_points(X)
    sweep = enumerate_chambers(A)
    lp = enumerate_chambers(A, method="lp")
    assert sign_set(lp) == sign_set(sweep)
    normals = [list(r) + [1.0] for r in X]
    zeros = [0] * len(normals)
    for k in range(len(lp)):
        w = lp.exact_interior_point(k)
        assert exact_signs_of_point(normals, zeros, w) == lp.sign_vectors[k].tolist()


def test_lp_method_matches_the_oracle_on_an_affine_arrangement(exact_chambers):
    normals = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]]
    offsets = [1e-300, 0.0, 3e-300, -2e-300]
    A = Arrangement(normals, offsets)
    lp = enumerate_chambers(A, method="lp")
    assert sign_set(lp) == exact_chambers(normals, offsets) == sign_set(enumerate_chambers(A))
    for k in range(len(lp)):
        w = lp.exact_interior_point(k)
        assert exact_signs_of_point(normals, offsets, w) == lp.sign_vectors[k].tolist()
