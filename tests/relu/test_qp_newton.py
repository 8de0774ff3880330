"""The logistic Newton engine (:mod:`relu.qp.sqp`) against Clarabel and cvxpy.

The oracle is cvxpy + Clarabel on problem (3) written from the raw data here (``W`` as
the variable, the pattern's sign constraints), never the library's scaled program.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import relu
from relu.losses import logistic
from relu.qp import LossProblem, certify
from relu.qp import solve as qp_solve
from relu.qp.clarabel import solve_logistic
from relu.qp.sqp import solve_logistic_newton
from zonotope import Arrangement


def _oracle(X, y, A, v):
    """min over W of the mean logistic loss in the vertex ``A`` (cvxpy + Clarabel)."""
    import cvxpy as cp

    A = np.asarray(A, dtype=float)                       # never uint8: 2A-1 must be -1/+1
    Xb = np.c_[X, np.ones(len(X))]
    m = A.shape[0]
    W = cp.Variable((m, Xb.shape[1]))
    Z = Xb @ W.T
    out = cp.sum(cp.multiply(A.T * v[:m], Z), axis=1) + v[-1]
    obj = cp.sum(cp.logistic(-cp.multiply(2 * y - 1, out))) / len(y)
    prob = cp.Problem(cp.Minimize(obj), [cp.multiply((2 * A - 1).T, Z) >= 0])
    prob.solve(solver="CLARABEL")
    return float(prob.value), prob.status


def _random_cone_problem(seed):
    rng = np.random.default_rng(seed)
    n_units, p, R, N = int(rng.integers(1, 3)), int(rng.integers(2, 4)), 5, 8
    rows = rng.standard_normal((R, p))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    w0 = rng.standard_normal((n_units, p))
    signs = np.where(w0 @ rows.T >= 0, 1.0, -1.0)         # a nonempty cone per unit
    M = rng.standard_normal((N, n_units * p)).round(1)
    y = (rng.random(N) < 0.5).astype(float)
    y[:2] = [0.0, 1.0]
    ridge = float(rng.choice([0.0, 0.05]))
    return LossProblem(M, 0.1, y, logistic, rows, signs, ridge=ridge)


@pytest.mark.parametrize("seed", range(8))
def test_newton_agrees_with_clarabel_and_is_certified(seed):
    P = _random_cone_problem(seed)
    c = solve_logistic_newton(P)
    cert = certify(P, c.w, c.multipliers)
    assert cert.ok and cert.accurate
    assert np.all(P.constraint_matrix @ c.w >= -1e-12 * max(1.0, np.linalg.norm(c.w)))
    try:
        ref = solve_logistic(P)
    except relu.qp.EngineFailure:
        return
    f_ref, f = P.objective(ref.w), P.objective(c.w)
    assert f <= f_ref + 1e-8 * max(1.0, abs(f_ref))
    if certify(P, ref.w, ref.multipliers).accurate:
        assert abs(f - f_ref) <= 1e-8 * max(1.0, abs(f_ref))


def _dtype_check_data():
    rnd = np.random.RandomState(0)
    X = (3 * rnd.uniform(size=(20, 5)).astype(np.float32)).astype(np.int64).astype(float)
    return X, (np.arange(20) % 2).astype(float)


# A vertex of scikit-learn's dtype-check data (random_vertex, rng=1, 7th draw) on which
# Clarabel's exponential-cone form stalls with InsufficientProgress.
STALL_A = np.array([[1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0],
                    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0]])
STALL_V = np.array([1.0, -1.0, 0.0])


def test_the_vertex_clarabel_stalls_on_is_solved_and_matches_the_oracle():
    X, y = _dtype_check_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = relu.solve_subproblem(X, y, STALL_A, STALL_V, loss="logistic")
        ref, status = _oracle(X, y, STALL_A, STALL_V)
    assert status == "optimal"
    assert res.status == "optimal"
    # the oracle's own tolerance is ~1e-8 relative; ours is KKT-certified
    assert abs(res.loss - ref) <= 1e-7 * ref
    assert res.loss <= ref + 1e-9
    Xb = np.c_[X, np.ones(len(X))]
    out = np.maximum(Xb @ np.asarray(res.W).T, 0.0) @ STALL_V[:2] + STALL_V[-1]
    assert res.loss == pytest.approx(np.mean(np.logaddexp(0.0, -(2 * y - 1) * out)), rel=1e-12)
    # the pattern is realised (the network's own loss is the vertex's loss)
    assert np.array_equal((Xb @ np.asarray(res.W).T > 0).T, STALL_A.astype(bool)) or \
        res.loss == pytest.approx(ref, rel=1e-7)


def test_random_vertex_solves_every_draw_of_the_dtype_check_data():
    X, y = _dtype_check_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = relu.random_vertex(X, y, 2, loss="logistic", n_init=10, rng=1)
    assert r.info["failed_draws"] == []
    assert np.all(np.isfinite(r.info["losses"]))


def test_chain_reaches_newton_when_clarabel_fails(monkeypatch):
    P = _random_cone_problem(3)

    def stall(problem, warm=None, *, settings=None):
        raise relu.qp.EngineFailure("Clarabel status InsufficientProgress (simulated)")

    monkeypatch.setitem(relu.qp.ENGINES["logistic"], "clarabel", stall)
    sol = qp_solve(P)
    assert sol.engine.startswith("newton")
    assert "InsufficientProgress" in str(sol.attempts[0])
    assert sol.certificate.ok


def test_newton_refuses_other_losses():
    from relu.losses import mse
    P = LossProblem(np.eye(2), 0.0, np.array([1.0, 0.0]), mse, np.eye(2), np.array([[1.0, 1.0]]))
    with pytest.raises(relu.qp.EngineFailure, match="no Hessian"):
        solve_logistic_newton(P)


def test_random_chamber_vertices_against_the_cvxpy_oracle():
    rng = np.random.default_rng(5)
    for _ in range(4):
        X = rng.integers(-2, 3, size=(12, 2)).astype(float)
        y = (rng.random(12) < 0.5).astype(float)
        W0 = rng.standard_normal((2, 3))
        A = (Arrangement.from_points(X).sign_vectors(W0) > 0).astype(np.uint8)
        v = np.array([1.0, -1.0, 0.2])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = relu.solve_subproblem(X, y, A, v, loss="logistic")
            ref, status = _oracle(X, y, A, v)
        if res.status == "optimal" and status == "optimal":
            assert abs(res.loss - ref) <= 1e-6 * max(ref, 1e-3)
