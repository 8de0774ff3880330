"""Theorem 4.3 (the toolkit's reconstruction): exact fit with 2 ceil(N/(d+1)) units."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import relu
from zonotope import GeneralPositionError, ValidationError, activation_patterns


@pytest.mark.parametrize("d", [1, 2, 5, 10])
@pytest.mark.parametrize("chunks,extra", [(4, 0), (3, 1)])
def test_residual_is_tiny_on_generic_data(d, chunks, extra):
    rng = np.random.default_rng(100 * d + chunks)
    N = chunks * (d + 1) + extra
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    r = relu.exact_fit_construction(X, y)
    K = -(-N // (d + 1))
    assert r.n_units == 2 * K
    assert r.relative_residual <= 1e-8
    # independent re-evaluation of the network
    out = np.maximum(np.c_[X, np.ones(N)] @ r.W.T, 0.0) @ r.second_layer[:-1] + r.second_layer[-1]
    assert np.max(np.abs(out - y)) <= 1e-8 * np.max(np.abs(y))
    # second-layer signs and the staircase activation pattern (decided exactly)
    assert r.second_layer[:-1].tolist() == [1.0, -1.0] * K and r.second_layer[-1] == 0.0
    rank = np.empty(N, dtype=int)
    rank[np.argsort(X[:, -1])] = np.arange(N)
    P = activation_patterns(X, r.W)
    for j in range(2 * K):
        assert P[j].tolist() == (rank >= (j // 2) * (d + 1)).astype(int).tolist()
    assert np.array_equal(P, r.patterns)
    # conditioning is reported
    assert r.weight_norms.shape == (2 * K,) and np.all(np.isfinite(r.weight_norms))
    assert 0 < r.lipschitz_data <= r.lipschitz_upper * (1 + 1e-9)
    assert r.chunk_conditions.shape == (K,) and np.all(r.chunk_conditions >= 1)


def test_few_points_one_chunk():
    r = relu.exact_fit_construction([[0.3, 0.1, -2.0]], [5.0])
    assert r.n_units == 2 and r.residual <= 1e-12


def test_exact_input_and_a_custom_direction():
    X = [[Fraction(1, 3), 2], [1, 2], [2, Fraction(5, 2)], [0, 3], [Fraction(-1, 2), 4]]
    y = [1.0, 0.0, -1.0, 2.0, 0.5]
    with pytest.raises(GeneralPositionError, match="tie"):
        relu.exact_fit_construction(X, y)                 # x_2 ties at 2
    r = relu.exact_fit_construction(X, y, direction=[1.0, 0.1])
    assert r.relative_residual <= 1e-10


def test_affinely_dependent_chunk_is_refused():
    # sorted by x_2: the first three points are collinear
    X = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [5.0, 3.0], [-1.0, 4.0]]
    with pytest.raises(GeneralPositionError, match="affinely dependent"):
        relu.exact_fit_construction(X, np.arange(5.0))


@pytest.mark.parametrize("kwargs,param", [
    (dict(margin=1.0), "margin"), (dict(margin=-3), "margin"), (dict(direction=[1.0]), "direction"),
    (dict(direction=[0.0, 0.0]), "direction"),
])
def test_bad_input_names_the_parameter(kwargs, param):
    with pytest.raises(ValidationError, match=f"`{param}`"):
        relu.exact_fit_construction([[0.0, 1.0], [1.0, 2.0]], [0.0, 1.0], **kwargs)


def test_smaller_margin_gives_a_smaller_lipschitz_bound():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((12, 2)), rng.standard_normal(12)
    a = relu.exact_fit_construction(X, y, margin=1.5)
    b = relu.exact_fit_construction(X, y, margin=10.0)
    assert a.relative_residual <= 1e-8 and b.relative_residual <= 1e-8
    assert a.lipschitz_upper < b.lipschitz_upper
