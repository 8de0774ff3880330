"""The lattice-driven sweep after its fourth round of speed-ups (issue 15), public API only.

Integer input goes through the lattice-driven sweep, whose bounded test is now one set
intersection ``In(G) = LV(G) ∩ UV(G)`` per flat (docs/degenerate.md, Theorem 4 (3)).
The oracles are independent of it:

* the plain recursive sweep: the same data scaled by ``1000003`` (a linearly
  equivalent arrangement whose rows are too large for the small-prime lattice kernel);
* ``method="lp"`` (graph search with certified LPs);
* completeness by counting: every returned sign vector is a chamber (its interior
  point is certified exactly with ``Arrangement.sign_vectors``), the rows are distinct,
  and their number is Zaslavsky's count ``count_regions`` (Weisner's recursion on the
  lattice, which shares no code with the sweep's bounded test); so the set is exactly
  the set of chambers;
* closed forms: braid ``n!``, Shi ``(n + 1)^(n - 1)``, Catalan ``n! C_n``, resonance.
"""

from __future__ import annotations

import itertools
from math import comb, factorial

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonotope import Arrangement, count_chambers, count_regions, enumerate_chambers
from zonotope.library import (
    braid_arrangement,
    catalan_arrangement,
    linial_arrangement,
    resonance_arrangement,
    semiorder_arrangement,
    shi_arrangement,
    threshold_arrangement,
)


def _certified_and_complete(A, ch):
    """Every row a distinct chamber with an exactly certified point, and all of them."""
    S = ch.sign_vectors
    assert len(ch.uncertified) == 0
    assert np.array_equal(A.sign_vectors(ch.interior_points), S)
    assert np.unique(ch.packed, axis=0).shape[0] == len(ch)
    assert len(ch) == count_regions(A)


def _grid(*shape):
    return np.array(list(itertools.product(*[range(s) for s in shape])))


@st.composite
def degenerate_integer_points(draw):
    d = draw(st.integers(2, 3))
    n = draw(st.integers(3, 9 if d == 3 else 12))
    X = np.array(draw(st.lists(st.lists(st.integers(-2, 2), min_size=d, max_size=d),
                               min_size=n, max_size=n)))
    # repeated points and collinear triples on purpose
    if draw(st.booleans()):
        X = np.vstack([X, X[:2]])
    if draw(st.booleans()) and n >= 3:
        X = np.vstack([X, 2 * X[1] - X[2]])
    return X


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(degenerate_integer_points())
def test_random_degenerate_integer_data_equal_the_plain_sweep(X):
    A = Arrangement.from_points(X)
    ch = enumerate_chambers(A)
    plain = enumerate_chambers(Arrangement.from_points(X * 1000003.0))  # the plain sweep
    assert np.array_equal(ch.packed, plain.packed)
    _certified_and_complete(A, ch)
    assert count_chambers(A) == len(ch)


@pytest.mark.parametrize("seed", [0, 1])
def test_central_integer_arrangements_equal_the_lp_reference(seed):
    g = np.random.default_rng(seed)
    N = g.integers(-1, 2, size=(9, 3))
    N = N[np.any(N != 0, axis=1)]
    N = np.vstack([N, N[:2], -N[2:3]])  # repeated and antiparallel normals
    A = Arrangement(N.astype(np.float64))
    ch = enumerate_chambers(A)
    ref = enumerate_chambers(A, method="lp")
    assert {r.tobytes() for r in ch.packed} == {r.tobytes() for r in ref.packed}
    _certified_and_complete(A, ch)


@pytest.mark.parametrize("factory,n,expected", [
    (braid_arrangement, 5, factorial(5)),  # flats x_i = x_j = x_k ... with many coatoms
    (braid_arrangement, 6, factorial(6)),
    (shi_arrangement, 5, 6 ** 4),
    (catalan_arrangement, 4, factorial(4) * comb(8, 4) // 5),
    (resonance_arrangement, 4, 370),
    (resonance_arrangement, 5, 11292),
])
def test_named_families_many_coatoms_per_flat(factory, n, expected):
    A = factory(n)
    ch = enumerate_chambers(A)
    assert len(ch) == expected
    _certified_and_complete(A, ch)


@pytest.mark.parametrize("factory,n", [(linial_arrangement, 5), (semiorder_arrangement, 4),
                                       (threshold_arrangement, 5)])
def test_other_families_are_certified_and_complete(factory, n):
    A = factory(n)
    _certified_and_complete(A, enumerate_chambers(A))


@pytest.mark.parametrize("shape", [(4, 4, 4), (3, 3, 6), (5, 5, 3), (3, 3, 3, 2)])
def test_grids_with_hashed_membership_keys(shape):
    # 54..75 hyperplanes: the (flat, row) keys of the bounded test no longer fit in one
    # 64-bit word (hashed, then verified), and above 64 the rows take two words
    X = _grid(*shape)[:62] if shape == (4, 4, 4) else _grid(*shape)
    A = Arrangement.from_points(X)
    ch = enumerate_chambers(A)
    _certified_and_complete(A, ch)
    assert count_chambers(A) == len(ch)


def test_same_chambers_for_every_auxiliary_seed():
    A = shi_arrangement(4)
    base = enumerate_chambers(A, rng=0)
    for seed in (1, 2, 3):
        assert np.array_equal(enumerate_chambers(A, rng=seed).packed, base.packed)
