"""Bias-free hidden units (``bias=False``) against brute force, like the biased case.

The oracle is independent of the code under test: the chambers of the central
arrangement ``{w : w . x_i = 0}`` of the non-zero points come from the exact
Gordan brute force of ``tests/conftest.py``, every tuple of chambers is solved by a
cvxpy model written here (Clarabel), and zero points (no hyperplane, always
inactive) get the constant loss of the output bias.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import relu
from zonotope import ValidationError


def _cvxpy_vertex(X, y, P, v):
    """min (1/N) sum (sum_j v_j a_ji w_j.x_i + b - y_i)^2  s.t. (2a - 1) w_j.x_i >= 0."""
    import cvxpy as cp

    X = np.asarray(X, dtype=float)
    m, d = P.shape[0], X.shape[1]
    W = cp.Variable((m, d))
    Z = X @ W.T
    out = cp.sum(cp.multiply(P.T * np.asarray(v[:-1]), Z), axis=1) + v[-1]
    cons = [cp.multiply((2.0 * P - 1.0).T, Z) >= 0]
    prob = cp.Problem(cp.Minimize(cp.sum_squares(out - y) / len(y)), cons)
    prob.solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return float(prob.value)


def _brute_force(X, y, m, v, exact_chambers):
    X = np.asarray(X, dtype=float)
    keep = np.any(X != 0, axis=1)
    signs = sorted(exact_chambers([list(map(float, x)) for x in X[keep]]))
    units = []
    for s in signs:
        a = np.zeros(len(X), dtype=np.uint8)
        a[keep] = [1 if t > 0 else 0 for t in s]
        units.append(a)
    best = min(_cvxpy_vertex(X, y, np.stack([units[c] for c in tup]), v)
               for tup in itertools.product(range(len(units)), repeat=m))
    return best, len(units)


CASES = [
    ("d2_N5_m2_pm", [[1.0, 0.2], [-0.4, 1.0], [-1.0, -0.3], [0.5, -1.2], [2.0, 1.0]],
     2, [1.0, -1.0, 0.3]),
    ("d2_N6_zero_points", [[0.0, 0.0], [1.0, 0.5], [-1.0, 1.0], [0.0, 0.0], [0.4, -1.0], [-2.0, -1.0]],
     2, [1.0, 1.0, -0.2]),
    ("d1_N5_m2", [[-2.0], [-1.0], [0.0], [1.5], [3.0]], 2, [1.0, 1.0, 0.0]),
    ("d3_N6_m1_duplicates", [[1.0, 0.0, 2.0], [1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [-1.0, 2.0, 0.5],
                             [0.3, -0.2, 1.0], [2.0, 2.0, -1.0]], 1, [-1.0, 0.5]),
]


@pytest.mark.parametrize("name,X,m,v", CASES, ids=[c[0] for c in CASES])
def test_exact_erm_without_bias_equals_brute_force(name, X, m, v, exact_chambers, rh):
    y = np.random.default_rng(len(name)).standard_normal(len(X))
    ref, n_ch = _brute_force(X, y, m, v, exact_chambers)
    r = relu.exact_erm(X, y, m, v, bias=False, progress=False)
    assert r.complete and not r.bias and r.W.shape == (m, len(X[0]))
    assert r.info["n_chambers"] == n_ch
    assert rh.rel_gap(r.loss, ref, rh.loss_scale(y, v)) <= 1e-7
    assert r.loss == pytest.approx(relu.mean_loss(X, y, r.W, v), rel=1e-9, abs=1e-14)
    zero = ~np.any(np.asarray(X) != 0, axis=1)
    assert not r.patterns[:, zero].any()                 # zero points are never active
    # the reported patterns are those of W, decided exactly (ties count as inactive)
    act = (np.asarray(X) @ r.W.T).T
    assert np.all(act[r.patterns == 0] <= 1e-9 * max(1.0, np.abs(r.W).max()))


def test_bias_free_is_not_the_biased_problem(rh):
    X = [[-2.0], [-1.0], [1.0], [2.0]]
    y = [1.0, 0.0, 0.0, 1.0]                            # |x| - 1 on the outer points
    with_bias = relu.exact_erm(X, y, 2, [1.0, 1.0, 0.0], progress=False)
    without = relu.exact_erm(X, y, 2, [1.0, 1.0, 0.0], bias=False, progress=False)
    assert with_bias.loss <= 1e-20 < without.loss
    assert with_bias.W.shape == (2, 2) and without.W.shape == (2, 1)


def test_all_points_zero_is_trivial():
    X, y = np.zeros((3, 2)), np.array([1.0, 2.0, 3.0])
    r = relu.exact_erm(X, y, 2, [1.0, -1.0, 2.0], bias=False, progress=False)
    assert r.loss == pytest.approx(np.mean((y - 2.0) ** 2)) and not r.W.any()
    for fn in (relu.random_vertex, relu.local_search):
        assert fn(X, y, 2, [1.0, -1.0, 2.0], bias=False, rng=0).loss == pytest.approx(r.loss)


@pytest.mark.parametrize("seed", range(2))
def test_searches_without_bias(seed, rh):
    rng = np.random.default_rng(seed)
    X, y = rh.generic_data(rng, 9, 2)
    X[3] = 0.0                                          # a zero point
    v = [1.0, -1.0, 0.1]
    exact = relu.exact_erm(X, y, 2, v, bias=False, progress=False)
    tol = 1e-9 * rh.loss_scale(y, v)
    runs = [relu.random_vertex(X, y, 2, v, n_init=3, bias=False, rng=seed),
            relu.local_search(X, y, 2, v, bias=False, rng=seed),
            relu.gradient_descent(X, y, 2, v, n_steps=2000, bias=False, rng=seed)]
    for r in runs:
        assert not r.bias and r.W.shape == (2, 2) and r.patterns.shape == (2, 9)
        assert not r.patterns[:, 3].any()
        assert r.loss == pytest.approx(relu.mean_loss(X, y, r.W, v), rel=1e-9, abs=1e-14)
        assert exact.loss <= r.loss + tol
    P, W0 = relu.random_pattern(X, 3, bias=False, rng=seed)
    assert W0.shape == (3, 2) and not P[:, 3].any()
    assert np.array_equal(P, ((X @ W0.T) > 0).T.astype(np.uint8))


def test_local_search_refuses_a_start_active_on_a_zero_point():
    X, y = [[0.0], [1.0], [-1.0]], [0.0, 1.0, 1.0]
    with pytest.raises(relu.InfeasibleSubproblemError, match="`start` of `local_search`"):
        relu.local_search(X, y, 1, [1.0, 0.0], bias=False, start=[[1, 1, 0]])


def test_estimator_without_bias():
    X = np.array([[-2.0], [-1.0], [0.5], [2.0]])
    y = np.abs(X[:, 0])
    est = relu.ShallowReLURegressor(n_units=2, second_layer=[1.0, 1.0, 0.0], bias=False,
                                    method="exact").fit(X, y)
    assert est.first_layer_.shape == (2, 1) and est.loss_ <= 1e-20
    assert est.predict([[-3.0]]).round(9).tolist() == [3.0]
    with pytest.raises(ValidationError, match="`bias` of `ShallowReLURegressor.fit`"):
        relu.ShallowReLURegressor(method="construction", bias=False).fit(X, y)


def test_predict_infers_or_checks_the_bias():
    assert relu.predict([[2.0]], [[1.0]], [1.0, 0.0]).tolist() == [2.0]            # bias-free
    assert relu.predict([[2.0]], [[1.0, 1.0]], [1.0, 0.0]).tolist() == [3.0]       # with bias
    assert relu.predict([[2.0]], [[1.0]], [1.0, 0.0], bias=False).tolist() == [2.0]
    with pytest.raises(ValidationError, match="`W` of `predict`"):
        relu.predict([[2.0]], [[1.0]], [1.0, 0.0], bias=True)
    with pytest.raises(ValidationError, match="`W` of `mean_loss`"):
        relu.mean_loss([[2.0]], [1.0], [[1.0, 2.0, 3.0]], [1.0, 0.0])
