"""The convex reformulation (relu.solve_cgl and relu.convex) against independent oracles.

Oracles: the LP chamber oracle of ``tests/conftest.py`` (scipy only) for the exact
patterns; the cvxpy formulation (``method="cvxpy"``, independent code) for the
direct Clarabel program; a weight-decayed non-convex ReLU network trained by
L-BFGS from many random starts (scipy, written here) for the equivalence with
training; closed forms for one point.
"""

from __future__ import annotations

import numpy as np
import pytest

import relu
from relu import convex
from zonotope.exceptions import ValidationError


def data(seed, n, d, logistic=False):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)
    return X, ((y > 0).astype(float) if logistic else y)


# ----------------------------------------------------------------------- the non-convex oracle
def nonconvex_search(X, y, lam, m, *, bias=True, n_starts=40, seed=0):
    """Best weight-decayed objective 1/2|f - y|^2 + lam/2 (|W|^2 + |v|^2) by L-BFGS restarts."""
    from scipy.optimize import minimize

    X = np.asarray(X, dtype=float)
    Xb = np.hstack([X, np.ones((len(X), 1))]) if bias else X
    n, p = Xb.shape
    g = np.random.default_rng(seed)

    def fg(z):
        W = z[: m * p].reshape(m, p)
        v = z[m * p:]
        A = Xb @ W.T
        H = np.maximum(A, 0.0)
        e = H @ v - y
        f = 0.5 * e @ e + 0.5 * lam * (np.sum(W * W) + v @ v)
        gv = H.T @ e + lam * v
        gW = ((A > 0) * e[:, None] * v[None, :]).T @ Xb + lam * W
        return f, np.r_[gW.ravel(), gv]

    best = np.inf
    for _ in range(n_starts):
        z0 = g.standard_normal(m * p + m) * g.uniform(0.1, 1.5)
        res = minimize(fg, z0, jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-10,
                                                                     "ftol": 1e-15})
        best = min(best, float(res.fun))
    return best


# ----------------------------------------------------------------------- patterns
def test_exact_patterns_match_the_lp_oracle(chamber_oracle):
    X, _ = data(1, 7, 2)
    ours = {tuple(r) for r in convex.exact_patterns(X)}
    ref = {tuple(r) for r in chamber_oracle(X) if r.any()}
    assert ours == ref


def test_sampled_patterns_are_chambers():
    X, _ = data(2, 12, 2)
    exact = {tuple(r) for r in convex.exact_patterns(X)}
    s = convex.sampled_patterns(X, 5000, rng=0)
    assert {tuple(r) for r in s} <= exact
    assert len(s) == len({tuple(r) for r in s})


def test_bias_false_and_zero_rows():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    P = convex.exact_patterns(X, bias=False)
    assert np.all(P[:, 0] == 0)                       # a zero point is never active
    assert len(P) == 6 - 1                            # 3 lines through 0: 6 chambers, one empty
    r = relu.solve_cgl(X, [0.0, 1.0, -1.0, 0.5], 0.05, bias=False)
    assert r.certificate.accepted and r.program.p == 2


# ----------------------------------------------------------------------- solve + certificate
@pytest.mark.parametrize("loss", ["mse", "logistic"])
def test_direct_clarabel_matches_cvxpy_reference(loss):
    X, y = data(3, 8, 1, logistic=loss == "logistic")
    lam = 0.3
    a = relu.solve_cgl(X, y, lam, loss=loss, method="clarabel")
    b = relu.solve_cgl(X, y, lam, loss=loss, method="cvxpy")
    assert a.certificate.accepted and b.certificate.accepted
    assert abs(a.objective - b.objective) <= 1e-6 * a.objective
    assert np.allclose(a.fit, b.fit, atol=1e-4)


@pytest.mark.parametrize("loss", ["mse", "logistic"])
def test_dual_feasibility_and_stationarity(loss):
    X, y = data(4, 10, 2, logistic=loss == "logistic")
    r = relu.solve_cgl(X, y, 0.2, loss=loss)
    vn = np.linalg.norm(r.correlations, axis=1)
    assert vn.max() <= r.lam * (1 + 1e-6)                         # |v_b| <= lambda everywhere
    act = r.active_blocks
    assert act.size > 0
    assert np.allclose(vn[act], r.lam, rtol=1e-6)                 # = lambda on the support
    w = r.blocks[act] / np.linalg.norm(r.blocks[act], axis=1)[:, None]
    cos = np.einsum("ij,ij->i", w, r.correlations[act]) / vn[act]
    assert cos.min() >= 1 - 1e-6                                  # w_b parallel to v_b
    # v_b = c_b + G_b^T rho_b with rho_b >= 0 (the cone multipliers)
    prog = r.program
    c = (prog.patterns * r.dual_point) @ prog.design
    C = np.vstack([c, -c])
    G = (2.0 * prog.block_patterns - 1.0)
    recon = C + (r.multipliers * G) @ prog.design
    assert r.multipliers.min() >= 0
    assert np.allclose(recon, r.correlations, atol=1e-8 * max(1.0, np.abs(C).max()))
    # feasibility of the primal blocks
    assert prog.cone_slacks(r.blocks).min() >= -1e-10


@pytest.mark.parametrize("bias", [True, False])
def test_solution_map_reproduces_fit_and_objective(bias):
    X, y = data(5, 9, 2)
    lam = 0.15
    r = relu.solve_cgl(X, y, lam, bias=bias)
    net = r.network()
    assert net.n_units == r.n_active
    assert net.W.shape[1] == 2 + int(bias)
    assert np.allclose(net.predict(X), r.fit, atol=1e-10)
    obj = convex.nonconvex_objective(X, y, lam, net.W, net.second_layer, bias=bias)
    assert abs(obj - r.objective) <= 1e-9 * r.objective
    # the relu.mean_loss convention: mean squared error without 1/2
    W = net.W if bias else np.hstack([net.W, np.zeros((net.n_units, 1))])
    ml = relu.mean_loss(X, y, W, net.second_layer)
    assert abs(0.5 * len(y) * ml - (obj - 0.5 * lam * (np.sum(net.W ** 2)
                                                       + np.sum(net.second_layer ** 2)))) < 1e-9


def test_scalings_are_the_same_program():
    X, y = data(6, 8, 1)
    n = len(y)
    a = relu.solve_cgl(X, y, 0.4)
    b = relu.solve_cgl(X, y, 0.4 / n, scaling="mean")
    assert b.program.lam == pytest.approx(0.4)
    assert b.objective_mean == pytest.approx(a.objective / n, rel=1e-7)
    assert b.objective_in("paper") == pytest.approx(a.objective, rel=1e-7)


def test_one_point_closed_form():
    # n = 1, bias-free, x = 1: min 1/2 (w - y)^2 + lam |w| -> w = y - lam, p* = lam y - lam^2/2
    r = relu.solve_cgl([[1.0]], [2.0], 0.5, bias=False)
    assert r.objective == pytest.approx(0.5 * 2.0 - 0.125, rel=1e-9)
    assert r.fit[0] == pytest.approx(1.5, rel=1e-7)


def test_zero_is_optimal_above_lambda_max():
    X, y = data(7, 6, 1)
    lam = 1e3
    r = relu.solve_cgl(X, y, lam)
    assert r.n_active == 0
    assert r.objective == pytest.approx(0.5 * float(np.sum(y ** 2)))


def test_validation_errors():
    with pytest.raises(ValidationError, match="`lam` of `solve_cgl`"):
        relu.solve_cgl([[0.0]], [1.0], 0.0)
    with pytest.raises(ValidationError, match="`patterns` of `solve_cgl`"):
        relu.solve_cgl([[0.0]], [1.0], 1.0, patterns="all")
    with pytest.raises(ValidationError, match="`method` of `solve_cgl`"):
        relu.solve_cgl([[0.0]], [1.0], 1.0, patterns=5, method="column_generation")
    with pytest.raises(ValidationError, match="`y` of `solve_cgl`"):
        relu.solve_cgl([[0.0]], [2.0], 1.0, loss="logistic")
    with pytest.raises(ValidationError, match="`scaling` of `solve_cgl`"):
        relu.solve_cgl([[0.0]], [1.0], 1.0, scaling="n")


# ----------------------------------------------------------------------- global certificate
def test_global_certificate_flags_too_few_patterns_and_passes_the_optimum():
    X, y = data(8, 12, 2)
    lam = 0.2
    exact = relu.solve_cgl(X, y, lam)
    few = relu.solve_cgl(X, y, lam, patterns=3, rng=1)
    g_few = few.certify_global()
    assert not g_few.certified and g_few.max_ratio > 1 + 1e-3
    assert g_few.worst_pattern is not None and g_few.worst_pattern.shape == (12,)
    # the lower bound is valid: below the exact optimum, which is below the sampled value
    assert g_few.lower_bound <= exact.objective * (1 + 1e-9) <= few.objective * (1 + 1e-9)
    g = exact.certify_global()
    assert g.certified and g.max_ratio <= 1 + 1e-6
    assert g.n_chambers == len(convex.exact_patterns(X)) + 1       # plus the empty chamber


def test_gd_network_mapped_to_the_convex_side():
    X, y = data(10, 10, 1)
    lam = 0.2
    g = np.random.default_rng(0)
    W = g.standard_normal((4, 2))
    v = np.r_[g.standard_normal(4), 0.0]
    mapped = convex.relu_to_cgl(X, y, lam, W, v)
    obj = convex.nonconvex_objective(X, y, lam, W, v)
    assert mapped.objective <= obj * (1 + 1e-12)              # AM-GM + merging
    assert np.allclose(mapped.fit, relu.predict(X, W, v))
    cert = convex.certify_global(mapped)
    exact = relu.solve_cgl(X, y, lam)
    assert cert.lower_bound <= exact.objective * (1 + 1e-9)
    assert not cert.certified


# ----------------------------------------------------------------------- column generation
def test_column_generation_ends_at_the_exact_optimum():
    X, y = data(11, 14, 2)
    lam = 0.25
    exact = relu.solve_cgl(X, y, lam, method="clarabel")
    cg = convex.column_generation(X, y, lam, n_add=4)
    assert cg.global_certificate.certified
    assert cg.info["rounds"] >= 2
    assert cg.program.n_patterns < len(exact.program.patterns)
    assert abs(cg.objective - exact.objective) <= 1e-6 * exact.objective
    assert np.allclose(cg.fit, exact.fit, atol=1e-4)


def test_column_generation_logistic():
    X, y = data(12, 10, 1, logistic=True)
    exact = relu.solve_cgl(X, y, 0.2, loss="logistic", method="clarabel")
    cg = relu.solve_cgl(X, y, 0.2, loss="logistic", method="column_generation")
    assert cg.global_certificate.certified
    assert abs(cg.objective - exact.objective) <= 1e-6 * exact.objective


# ----------------------------------------------------------------------- equivalence with training
def test_exact_cgl_equals_best_nonconvex_network():
    X, y = data(13, 5, 1)
    lam = 0.1
    r = relu.solve_cgl(X, y, lam)
    best = nonconvex_search(X, y, lam, m=max(r.n_active, 1) + 2, n_starts=25)
    assert best >= r.objective * (1 - 1e-7)       # p* is a lower bound for every network
    assert best <= r.objective * (1 + 1e-4)       # and training at enough width reaches it


@pytest.mark.slow
@pytest.mark.parametrize("seed", [14, 15, 16])
def test_exact_cgl_equals_best_nonconvex_network_2d(seed):
    X, y = data(seed, 8, 2)
    lam = 0.15
    r = relu.solve_cgl(X, y, lam)
    best = nonconvex_search(X, y, lam, m=r.n_active + 3, n_starts=200, seed=seed)
    assert best >= r.objective * (1 - 1e-7)
    assert best <= r.objective * (1 + 1e-3)


@pytest.mark.slow
def test_column_generation_medium():
    X, y = data(17, 40, 2)
    lam = 0.4
    exact = relu.solve_cgl(X, y, lam, method="clarabel")
    cg = convex.column_generation(X, y, lam)
    assert cg.global_certificate.certified
    assert abs(cg.objective - exact.objective) <= 1e-6 * exact.objective
