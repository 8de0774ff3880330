"""Perturbation radius (certified and exact), random perturbations, samplers.

Oracles: the minimal width of a simplex by a dense search over directions (2-D),
half the smallest gap between points (1-D), exact Fraction chirotopes, and chamber
enumeration of both data sets.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from zonotope import TooLargeError, ValidationError
from zonotope.equivalence import Chirotope
from zonotope.perturbation import (
    PerturbationRadius,
    perturbation_radius,
    random_perturbation,
    sample_perturbations,
)


def width2d(P, n_dirs=100_001):
    th = np.linspace(0, np.pi, n_dirs)
    U = np.stack([np.cos(th), np.sin(th)], axis=1)
    proj = P @ U.T
    return float((proj.max(axis=0) - proj.min(axis=0)).min())


@pytest.mark.parametrize("seed", range(5))
def test_exact_radius_in_the_plane_matches_width_search(seed):
    X = np.random.default_rng(seed).standard_normal((5, 2))
    r = perturbation_radius(X)
    brute = min(width2d(X[list(S)]) / 2 for S in itertools.combinations(range(5), 3))
    assert r.exact <= brute + 1e-12                  # the search over directions overestimates
    assert brute - r.exact <= 1e-4 * max(1.0, r.exact)
    assert 0 < r.certified <= r.exact


def test_exact_radius_on_the_line_is_half_the_smallest_gap():
    X = [[0.0], [1.0], [2.5], [2.75], [7.0]]
    r = perturbation_radius(X)
    assert r.exact == 0.125 and r.exact_squared == Fraction(1, 64)
    assert set(r.critical_subset) == {2, 3}


def test_exact_rational_value():
    r = perturbation_radius([[0, 0], [4, 0], [0, 4], [4, 4]])
    assert r.exact_squared == 2 and r.is_generic
    r = perturbation_radius([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    assert isinstance(r.exact_squared, Fraction) and r.exact == pytest.approx(float(r.exact_squared) ** 0.5)


@pytest.mark.parametrize("seed", range(6))
def test_radius_is_the_threshold(seed):
    rng = np.random.default_rng(seed)
    d = 1 + seed % 3
    X = rng.standard_normal((d + 3, d))
    r = perturbation_radius(X)
    delta = r.degenerating_perturbation()
    S = list(r.critical_subset)
    assert np.allclose(np.linalg.norm(delta[S], axis=1), r.exact)
    assert np.all(delta[[i for i in range(len(X)) if i not in S]] == 0)
    c0 = Chirotope.from_points(X)
    assert c0 == Chirotope.from_points(X + 0.999 * delta)          # below r*: same type
    assert not c0.is_equivalent(Chirotope.from_points(X + 1.001 * delta))   # beyond: changed
    M = np.hstack([(X + delta)[S], np.ones((d + 1, 1))])
    assert abs(np.linalg.det(M)) < 1e-9                              # at r*: degenerate


def test_non_generic_radius_is_zero():
    r = perturbation_radius([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 1.0]])
    assert r.exact == 0.0 and r.certified == 0.0 and not r.is_generic
    assert r.critical_subset == (0, 1, 2)
    with pytest.raises(ValidationError):
        r.degenerating_perturbation()


def test_radius_limits():
    X = np.random.default_rng(0).standard_normal((12, 3))
    r = perturbation_radius(X, max_exact_work=10)
    assert r.exact is None and r.certified > 0
    with pytest.raises(TooLargeError):
        perturbation_radius(X, max_subsets=5)
    few = perturbation_radius([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    assert few.exact is None and few.certified > 0 and few.is_generic


def test_random_perturbation_norms():
    X = np.zeros((200, 3))
    B = random_perturbation(X, 0.5, rng=1)
    assert np.all(np.linalg.norm(B, axis=1) <= 0.5)
    S = random_perturbation(X, 0.5, rng=1, distribution="sphere")
    assert np.allclose(np.linalg.norm(S, axis=1), 0.5)
    assert np.array_equal(random_perturbation([[1, 2]], 0.0), [[1.0, 2.0]])
    with pytest.raises(ValidationError, match="`eps`"):
        random_perturbation(X, -1)
    with pytest.raises(ValidationError, match="`distribution`"):
        random_perturbation(X, 1, distribution="cube")


def test_sampler_below_and_above_the_radius():
    X = np.random.default_rng(4).standard_normal((6, 2))
    r = perturbation_radius(X)
    below = sample_perturbations(X, 0.999 * r.certified, 30, rng=0, distribution="sphere")
    assert below.n_changed == 0 and np.all(below.max_displacement <= r.certified)
    above = sample_perturbations(X, 20 * r.exact, 30, rng=0, distribution="sphere")
    assert above.n_changed > 0 and 0 < above.fraction_changed <= 1


def test_sampler_chamber_counts_for_non_generic_data():
    X = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [1.0, 3.0]]
    s = sample_perturbations(X, 1e-3, 8, rng=0, check="chambers", keep=True)
    assert s.n_changed == 8
    assert np.all(s.n_new == 32 - 30) and np.all(s.n_vanished == 0)
    assert len(s.samples) == 8
    c = sample_perturbations(X, 1e-3, 8, rng=0)
    assert c.n_changed == 8


def test_sampler_bad_input():
    with pytest.raises(ValidationError, match="`check`"):
        sample_perturbations([[0.0]], 0.1, 1, check="faces")
    with pytest.raises(ValidationError, match="`n_samples`"):
        sample_perturbations([[0.0]], 0.1, -1)
    with pytest.raises(ValidationError, match="`X`"):
        perturbation_radius([[np.nan, 1.0]])


def test_result_type():
    r = perturbation_radius([[0.0], [1.0]])
    assert isinstance(r, PerturbationRadius) and r.exact == 0.5
