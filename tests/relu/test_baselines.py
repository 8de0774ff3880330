"""Gradient descent, random vertex and local search: contracts and reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

import relu
from zonotope import ValidationError


def test_glorot_uniform_bounds_and_seed():
    W = relu.glorot_uniform(5, 3, rng=1)
    a = np.sqrt(6.0 / (4 + 5))
    assert W.shape == (5, 4) and np.all(np.abs(W) <= a)
    assert np.array_equal(W, relu.glorot_uniform(5, 3, rng=np.random.default_rng(1)))


def test_gradient_descent_decreases_the_loss_and_is_reproducible(rh):
    X, y = rh.generic_data(np.random.default_rng(0), 20, 2)
    a = relu.gradient_descent(X, y, 3, n_steps=500, rng=3)
    b = relu.gradient_descent(X, y, 3, n_steps=500, rng=3)
    assert np.array_equal(a.W, b.W)
    h = a.info["history"]
    assert h[-1] < h[0]
    assert a.loss == pytest.approx(relu.mean_loss(X, y, a.W, a.second_layer))
    assert a.method == "gradient_descent" and a.n_solves == 0
    assert a.status in ("converged", "max_steps")
    assert np.array_equal(a.patterns, (np.c_[X, np.ones(20)] @ a.W.T > 0).T.astype(np.uint8))


def test_gradient_descent_logistic_and_bad_lr(rh):
    X, _ = rh.generic_data(np.random.default_rng(1), 10, 1)
    y = (X[:, 0] > 0).astype(float)
    r = relu.gradient_descent(X, y, 2, loss="logistic", n_steps=300, rng=0)
    assert r.loss < np.log(2) + 1e-9
    with pytest.raises(ValidationError, match="`lr`"):
        relu.gradient_descent(X, y, 2, lr="fast")
    with pytest.raises(ValidationError, match="`W0`"):
        relu.gradient_descent(X, y, 2, W0=np.zeros((3, 2)))


def test_random_pattern_is_a_vertex_and_random_vertex_solves_it(rh):
    X, y = rh.generic_data(np.random.default_rng(2), 15, 2)
    P, W0 = relu.random_pattern(X, 4, rng=5)
    assert all(relu.is_chamber_pattern(X, P[j]) for j in range(4))
    r = relu.random_vertex(X, y, 4, n_init=4, rng=5)
    assert len(r.info["losses"]) == 4 and r.loss == min(r.info["losses"])
    assert r.loss == pytest.approx(relu.mean_loss(X, y, r.W, r.second_layer), rel=1e-12)
    again = relu.random_vertex(X, y, 4, n_init=4, rng=5)
    assert again.info["losses"] == r.info["losses"]
    he = relu.random_vertex(X, y, 4, n_init=2, init="he", rng=5)
    assert he.info["init"] == "he"


def test_local_search_improves_on_its_start(rh):
    X, y = rh.generic_data(np.random.default_rng(3), 12, 2)
    P, _ = relu.random_pattern(X, 2, rng=0)
    start = relu.solve_subproblem(X, y, P, [1.0, -1.0, 0.0])
    best = relu.local_search(X, y, 2, [1.0, -1.0, 0.0], start=P, strategy="best")
    first = relu.local_search(X, y, 2, [1.0, -1.0, 0.0], start=P, strategy="first")
    for r in (best, first):
        assert r.loss <= start.loss
        assert r.info["path"] == sorted(r.info["path"], reverse=True)
        assert r.status in ("converged", "max_steps")
    with pytest.raises(relu.InfeasibleSubproblemError):
        relu.local_search([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 1, [1.0, 0.0], start=[[1, 0, 1]])
    with pytest.raises(ValidationError, match="`strategy`"):
        relu.local_search(X, y, 2, strategy="random")


def test_random_vertex_reports_the_initialisation_of_its_best_draw(rh):
    X, y = rh.generic_data(np.random.default_rng(4), 15, 2)
    r = relu.random_vertex(X, y, 3, n_init=4, rng=7)
    W0 = r.info["W0"]
    assert W0.shape == (3, 3)
    # the returned vertex is the activation pattern of the reported initial weights
    assert np.array_equal((np.c_[X, np.ones(15)] @ W0.T > 0).T.astype(np.uint8), r.patterns)
    assert relu.random_pattern is relu.search.random_pattern


def test_local_search_counts_moves_and_rounds(rh):
    X, y = rh.generic_data(np.random.default_rng(5), 10, 2)
    r = relu.local_search(X, y, 2, rng=1)
    assert r.info["n_moves"] == len(r.info["path"]) - 1
    assert r.info["n_rounds"] == r.info["n_moves"] + (r.status == "converged")
    assert all(a > b for a, b in zip(r.info["path"], r.info["path"][1:]))
