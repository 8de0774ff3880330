"""Degenerate arrangements: the lattice-driven sweep and the lattice counts against oracles.

Integer (and rational) input goes through the lattice-driven sweep; the oracles are
independent of it:

* ``exact_chambers`` (brute force over sign vectors, Gordan's alternative in exact
  rational arithmetic) and ``exact_signs`` (interior points checked in Fractions);
* the same data scaled by ``1000003``: a linearly equivalent arrangement whose
  integer rows are too large for the small-prime lattice kernel, so it goes through
  the plain recursive sweep;
* ``method="lp"`` (graph search with certified LPs);
* closed forms: ``n!`` (braid), ``(n+1)^(n-1)`` (Shi), ``n! C_n`` (Catalan), the
  resonance counts 2, 6, 32, 370, 11292, 1066044.
"""

from __future__ import annotations

import itertools
from math import comb, factorial

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    count_chambers,
    count_regions,
    enumerate_chambers,
    iter_chambers,
)
from zonotope.library import (
    braid_arrangement,
    catalan_arrangement,
    linial_arrangement,
    resonance_arrangement,
    semiorder_arrangement,
    shi_arrangement,
    threshold_arrangement,
)


def sign_set(ch):
    return {tuple(int(v) for v in row) for row in ch.sign_vectors}


def degenerate_points(seed, n, d, lo=-2, hi=2):
    """Integer points with repeats and collinear triples."""
    g = np.random.default_rng(seed)
    X = g.integers(lo, hi + 1, size=(n, d))
    X[n // 2] = X[0]
    X[n // 3] = 2 * X[1] - X[2]
    return X


@pytest.mark.parametrize("seed,n,d", [(0, 9, 2), (1, 10, 2), (2, 8, 3), (3, 9, 3), (4, 7, 4)])
def test_degenerate_integer_data_match_the_exact_oracle(seed, n, d, exact_chambers, exact_signs):
    X = degenerate_points(seed, n, d)
    A = Arrangement.from_points(X)
    normals = [list(map(int, r)) + [1] for r in X]
    ch = enumerate_chambers(A)
    assert sign_set(ch) == exact_chambers(normals)
    assert len(sign_set(ch)) == len(ch)
    assert np.array_equal(exact_signs(normals, None, ch.interior_points), ch.sign_vectors)
    assert count_chambers(A) == count_regions(A) == len(ch)


@pytest.mark.parametrize("shape", [(3, 3), (4, 3), (5, 5), (3, 3, 2), (2, 2, 2, 2)])
def test_grids_agree_with_the_plain_sweep_on_scaled_data(shape):
    X = np.array(list(itertools.product(*[range(s) for s in shape])))
    A = Arrangement.from_points(X)  # small integers: lattice-driven sweep
    B = Arrangement.from_points(1000003.0 * X)  # large integers: plain sweep
    ca, cb = enumerate_chambers(A), enumerate_chambers(B)
    assert sign_set(ca) == sign_set(cb)
    assert np.array_equal(A.sign_vectors(ca.interior_points), ca.sign_vectors)
    assert count_chambers(A) == count_chambers(B, method="sweep") == len(ca)


@pytest.mark.parametrize("seed", range(3))
def test_random_degenerate_affine_arrangements(seed, exact_chambers, exact_signs):
    g = np.random.default_rng(seed)
    normals = g.integers(-1, 2, size=(8, 3))
    normals[np.all(normals == 0, axis=1)] = [1, 0, 0]
    normals[5] = normals[2]
    offsets = g.integers(-1, 2, size=8)
    A = Arrangement(normals.tolist(), offsets.tolist())
    ch = enumerate_chambers(A)
    assert sign_set(ch) == exact_chambers(normals.tolist(), offsets.tolist())
    assert np.array_equal(exact_signs(normals.tolist(), offsets.tolist(), ch.interior_points),
                          ch.sign_vectors)


@pytest.mark.parametrize("factory,n,expected", [
    (braid_arrangement, 5, factorial(5)),
    (braid_arrangement, 6, factorial(6)),
    (shi_arrangement, 4, 5 ** 3),
    (shi_arrangement, 5, 6 ** 4),
    (catalan_arrangement, 3, factorial(3) * 5),
    (catalan_arrangement, 4, factorial(4) * 14),
    (resonance_arrangement, 2, 6),
    (resonance_arrangement, 3, 32),
    (resonance_arrangement, 4, 370),
    (resonance_arrangement, 5, 11292),
    (linial_arrangement, 5, 246),
    (semiorder_arrangement, 4, 183),
    (threshold_arrangement, 5, 332),
])
def test_named_families_enumerated_with_certified_points(factory, n, expected):
    A = factory(n)
    ch = enumerate_chambers(A)
    assert len(ch) == len(sign_set(ch)) == expected
    assert np.array_equal(A.sign_vectors(ch.interior_points), ch.sign_vectors)
    assert ch.uncertified.size == 0


@pytest.mark.parametrize("factory,n", [(shi_arrangement, 3), (catalan_arrangement, 3),
                                       (resonance_arrangement, 3), (braid_arrangement, 4)])
def test_named_families_match_the_lp_reference(factory, n):
    A = factory(n)
    assert sign_set(enumerate_chambers(A)) == sign_set(enumerate_chambers(A, method="lp"))


def test_lattice_sweep_output_does_not_depend_on_rng():
    A = shi_arrangement(4)
    sets = [sign_set(enumerate_chambers(A, rng=r)) for r in (0, 1, 7)]
    assert sets[0] == sets[1] == sets[2]


def test_stream_of_degenerate_data_equals_enumeration():
    X = degenerate_points(5, 14, 3)
    A = Arrangement.from_points(X)
    rows = [tuple(int(v) for v in r) for b in iter_chambers(A, block_size=40) for r in b.sign_vectors]
    assert len(rows) == len(set(rows)) and set(rows) == sign_set(enumerate_chambers(A))


def test_generic_small_integer_data_count_formula():
    from zonotope.library import generic_points

    X = generic_points(30, 3, rng=2)
    A = Arrangement.from_points(X)
    expected = 2 * sum(comb(29, k) for k in range(4))
    assert len(enumerate_chambers(A)) == count_chambers(A) == expected


@pytest.mark.slow
@pytest.mark.parametrize("factory,n,expected", [
    (resonance_arrangement, 6, 1066044),
    (shi_arrangement, 6, 7 ** 5),
    (catalan_arrangement, 5, factorial(5) * 42),
])
def test_big_named_families_enumerated(factory, n, expected):
    A = factory(n)
    ch = enumerate_chambers(A, max_chambers=None, interior_points=False)
    assert len(ch) == expected
    P = ch.packed
    assert len({r.tobytes() for r in P}) == expected
