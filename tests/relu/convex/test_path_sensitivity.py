"""Regularization paths, lambda_max, the matching distance and the sensitivity of minimal
networks (relu.convex.path, relu.convex.sensitivity).

Oracles: lambda_max from one scipy NNLS per block (min_{rho >= 0} |Z_b^T y - K_b rho|,
independent of the DAQP projection the code uses); cold ``relu.solve_cgl`` solves at
every path point; brute force over permutations for the matching distance; central
differences of cold solves (fit, objective: unique, so independent of which minimal
network is chosen) for the implicit-function derivatives.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import relu
from relu import convex


def data(seed, n, d):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    return X, np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)


def nnls_lambda_max(X, y, bias=True):
    """max over blocks of min_{rho >= 0} |Z_b^T y - K_b rho| (scipy NNLS per block)."""
    from scipy.optimize import nnls

    prog = relu.solve_cgl(X, y, 1.0, bias=bias).program
    Xb = prog.design
    best = 0.0
    for b in range(prog.n_blocks):
        D = prog.block_patterns[b].astype(float)
        s = prog.block_signs[b]
        c = s * Xb.T @ (D * y)
        K = ((2 * D - 1)[:, None] * Xb).T            # cone K_b = {w : (2D - 1) Xb w >= 0}
        # Pi_{K_b}(c) = c - K rho*, with rho* the NNLS minimiser of |c - K rho|
        rho, res = nnls(K, c, maxiter=5000)
        best = max(best, float(res))
    return best


@pytest.mark.parametrize("seed,n,d,bias", [(0, 7, 1, True), (1, 8, 2, True), (2, 6, 2, False)])
def test_lambda_max_against_nnls_and_solves(seed, n, d, bias):
    X, y = data(seed, n, d)
    lm = convex.lambda_max(X, y, bias=bias)
    assert lm == pytest.approx(nnls_lambda_max(X, y, bias), rel=1e-7)
    assert relu.solve_cgl(X, y, lm * (1 + 1e-6), bias=bias).n_active == 0
    assert relu.solve_cgl(X, y, lm * 0.9, bias=bias).n_active > 0
    # mean scaling is paper / n
    assert convex.lambda_max(X, y, bias=bias, scaling="mean") == pytest.approx(lm / n, rel=1e-12)


def test_path_points_match_cold_solves():
    X, y = data(3, 9, 1)
    path = convex.regularization_path(X, y, n_lams=6, lam_min_ratio=0.05, refine=0)
    assert len(path.points) == 6 and path.points[0].n_support == 0
    assert path.lams[0] == pytest.approx(path.lambda_max)
    assert np.all(np.diff(path.objectives) < 0)
    for p in path.points[1:]:
        cold = relu.solve_cgl(X, y, p.lam)
        assert p.objective == pytest.approx(cold.objective, rel=1e-8)
        assert np.linalg.norm(p.fit - cold.fit) <= np.sqrt(2 * cold.certificate.gap) + 1e-6
        # the min-norm network's group norm is the optimal set's
        assert np.linalg.norm(p.min_norm_weights, axis=1).sum() == pytest.approx(p.group_norm, rel=1e-7)
        assert p.certified_gap <= 1e-6 * p.objective
    # envelope theorem: dp*/dlambda = group norm (central differences of cold solves)
    p = path.points[3]
    h = 1e-5 * p.lam
    fd = (relu.solve_cgl(X, y, p.lam + h).objective - relu.solve_cgl(X, y, p.lam - h).objective) / (2 * h)
    assert fd == pytest.approx(p.group_norm, rel=1e-4)


def test_path_sampled_patterns_mean_scaling_and_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    X, y = data(4, 20, 3)
    lams = [0.05, 0.02, 0.01]
    path = convex.regularization_path(X, y, lams, patterns=30, rng=0, bias=False, scaling="mean",
                                      refine=2)
    assert path.scaling == "mean" and np.allclose(path.grid, np.array(lams) * 20)
    for p in path.points:
        assert p.n_support >= p.rank and p.dimension == p.n_support - p.rank
        assert p.is_unique == (p.dimension == 0) and p.is_p_unique == (p.neuron_dimension == 0)
    ax = path.plot()
    ax.figure.savefig(tmp_path / "path.png")
    assert (tmp_path / "path.png").read_bytes()[:4] == b"\x89PNG"


def test_network_distance_against_brute_force():
    g = np.random.default_rng(0)
    for _ in range(20):
        ka, kb = g.integers(0, 4, size=2)
        a = (g.choice([-1.0, 1.0], ka), g.standard_normal((ka, 2)))
        b = (g.choice([-1.0, 1.0], kb), g.standard_normal((kb, 2)))
        # brute force: pad both with zero units, try every bijection, same signs or zero
        A = list(zip(a[0], a[1])) + [(0.0, np.zeros(2))] * kb
        B = list(zip(b[0], b[1])) + [(0.0, np.zeros(2))] * ka
        best = np.inf
        for perm in itertools.permutations(range(len(B))):
            cost = 0.0
            for i, j in enumerate(perm):
                (sa, wa), (sb, wb) = A[i], B[j]
                if sa != 0 and sb != 0 and sa != sb:
                    cost = np.inf
                    break
                cost += np.linalg.norm(wa - wb)
            best = min(best, cost)
        assert convex.network_distance(a, b) == pytest.approx(best, rel=1e-12, abs=1e-12)
        assert convex.network_distance(a, b) == pytest.approx(convex.network_distance(b, a))


@pytest.mark.parametrize("seed,n,d,lam", [(0, 8, 1, 0.1), (1, 10, 2, 0.2), (5, 9, 1, 0.05)])
def test_sensitivity_against_cold_finite_differences(seed, n, d, lam):
    X, y = data(seed, n, d)
    s = convex.sensitivity(relu.solve_cgl(X, y, lam))
    assert s.min_eigenvalue > 0
    if not s.is_stable:
        pytest.skip("active set not stable at this instance")
    # the fit and p* are unique: central differences of cold exact solves
    h = 1e-5 * lam
    hi, lo = relu.solve_cgl(X, y, lam + h), relu.solve_cgl(X, y, lam - h)
    fd_fit = (hi.prune().fit - lo.prune().fit) / (2 * h)
    assert np.linalg.norm(fd_fit - s.d_fit_d_lam) <= 1e-3 * max(np.linalg.norm(s.d_fit_d_lam), 1e-3)
    assert (hi.objective - lo.objective) / (2 * h) == pytest.approx(s.d_objective_d_lam, rel=1e-4)
    e = np.random.default_rng(seed).standard_normal(n)
    e /= np.linalg.norm(e)
    hy = 1e-5
    up = relu.solve_cgl(X, y + hy * e, lam).prune()
    dn = relu.solve_cgl(X, y - hy * e, lam).prune()
    fd = (up.fit - dn.fit) / (2 * hy)
    assert np.linalg.norm(fd - s.d_fit_d_y @ e) <= 1e-3 * max(np.linalg.norm(s.d_fit_d_y @ e), 1e-3)
    # the block derivatives against re-solves restricted to the active patterns
    for which in ("lam", "y"):
        out = convex.sensitivity_finite_differences(s, which=which, rng=seed)
        assert out["same_support"] and out["relative_error"] < 1e-4
    # chain rule to the network's parameters: theta2^2 = |w|
    dW, dv = s.network_derivatives()
    W = np.array(s.network.blocks)[s.active]
    dw = np.array(s.d_blocks_d_lam)[s.active]
    v = s.network.program.block_signs[s.active] * np.sqrt(np.linalg.norm(W, axis=1))
    assert np.allclose(2 * v * dv, np.einsum("ij,ij->i", W, dw) / np.linalg.norm(W, axis=1))


def test_sensitivity_of_the_zero_network_and_errors():
    from zonotope.exceptions import ValidationError

    X, y = data(0, 6, 1)
    z = relu.solve_cgl(X, y, 2 * convex.lambda_max(X, y))
    s = convex.sensitivity(z)
    assert s.active.size == 0 and s.d_objective_d_lam == 0.0 and s.dual_margin > 0
    r = relu.solve_cgl(X, y, 0.2)
    s = convex.sensitivity(r)
    with pytest.raises(ValidationError, match="`which` of `sensitivity_finite_differences`"):
        convex.sensitivity_finite_differences(s, which="labels")
    with pytest.raises(ValidationError, match="`direction` of `sensitivity_finite_differences`"):
        convex.sensitivity_finite_differences(s, which="y", direction=np.ones(3))
    with pytest.raises(ValidationError, match="`lams` of `regularization_path`"):
        convex.regularization_path(X, y, [0.1, -1.0])
    with pytest.raises(ValidationError, match="`lam_min_ratio` of `regularization_path`"):
        convex.regularization_path(X, y, lam_min_ratio=2.0)
