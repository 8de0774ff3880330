"""Optimal pruning (Alg. 1), Optimal/LS (Alg. 2) and the baselines (relu.convex.pruning).

Oracles: scipy's HiGHS for "no optimal network lives on a strict subset of the
pruned units" (inclusion-minimality, Prop. 3.6), exact rational rank (sympy) of the
final fit matrix, the objective and certificate of every step recomputed from the
block weights, and the networks' outputs through relu.predict.
"""

from __future__ import annotations

import numpy as np
import pytest

import relu
from relu import convex


def data(seed, n, d):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    return X, np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)


def exact_rank(F):
    import sympy

    return sympy.Matrix([[sympy.Rational(float(v)) for v in row] for row in F]).rank()


@pytest.mark.parametrize("seed,n,d,lam", [(0, 12, 2, 0.6), (1, 10, 1, 0.3), (2, 9, 2, 0.05)])
def test_optimal_pruning_keeps_the_objective_and_ends_minimal(seed, n, d, lam):
    from scipy.optimize import linprog

    X, y = data(seed, n, d)
    r = relu.solve_cgl(X, y, lam)
    path = convex.pruning_path(r, "optimal")
    prog = r.program
    # every step of the exact phase is optimal: objective within the certified gap
    for k in range(path.n_steps + 1):
        assert prog.objective(path.blocks(k)) <= r.objective + r.certificate.gap + 1e-12
    assert np.all(np.diff(path.n_active) < 0)
    m = path.minimal
    assert m.certificate.accepted and m.info["refined"]
    assert abs(m.objective - r.objective) <= 1e-8 * r.objective
    assert m.certificate.relative_gap <= 1e-12
    # minimal: independent fits (exact rank of the computed matrix and a clear margin)
    F = m.block_fits()[:, m.active_blocks]
    assert m.n_active <= n and exact_rank(F) == m.n_active
    assert np.linalg.svd(F / np.linalg.norm(F, axis=0), compute_uv=False)[-1] > 1e-6
    # no optimal network uses a strict subset of these units (LP feasibility, HiGHS)
    S = r.optimal_set()
    pos = {b: i for i, b in enumerate(S.support)}
    for drop in m.active_blocks:
        cols = [pos[b] for b in m.active_blocks if b != drop]
        res = linprog(np.zeros(len(cols)), A_eq=S.matrix[:, cols], b_eq=S.fit, bounds=(0, None),
                      method="highs")
        assert res.status == 2 or np.linalg.norm(S.matrix[:, cols] @ res.x - S.fit) > 1e-6
    # the network of the minimal solution reproduces the fit with fewer units
    net = m.network()
    assert net.n_units == m.n_active
    assert np.allclose(net.predict(X), m.fit, atol=1e-10)
    # both fits lie in the certified ball |z - yhat*| <= sqrt(2 gap) around the optimal fit
    assert np.linalg.norm(m.fit - r.fit) <= np.sqrt(2 * r.certificate.gap) + np.sqrt(2 * m.certificate.gap)


def test_prune_door_and_vertices_of_the_optimal_set_agree():
    X, y = data(0, 12, 2)
    r = relu.solve_cgl(X, y, 0.6)
    m = r.prune()
    assert m.method == "optimal_pruning"
    S = r.optimal_set()
    # a minimal network is a vertex: its support columns are independent
    assert set(m.active_blocks) <= set(S.support)
    assert m.n_active == np.linalg.matrix_rank(S.matrix)


def test_optimal_ls_and_baselines_paths():
    X, y = data(3, 14, 2)
    r = relu.solve_cgl(X, y, 0.1)
    prog = r.program
    for method in ("optimal_ls", "neuron_magnitude", "gradient_magnitude", "random"):
        p = convex.pruning_path(r, method, rng=0)
        assert p.n_active[-1] == 1 and np.all(np.diff(p.n_active) <= -1)
        assert np.all(p.scales >= 0)
        out = p.predict(X)
        for k in (0, p.n_steps // 2, p.n_steps):
            assert np.allclose(out[k], prog.fit(p.blocks(k)), atol=1e-9)
            net = p.network(k)
            assert np.allclose(net.predict(X), out[k], atol=1e-9)
        # the optimal methods start from a re-solved (polished) point: same objective within
        # the certified gap; the baselines start from r itself
        tol = r.certificate.gap if method == "optimal_ls" else 1e-12 * r.objective
        assert abs(p.objectives[0] - r.objective) <= tol
    # neuron magnitude removes the blocks in increasing order of |w_b| (no correction)
    p = convex.pruning_path(r, "neuron_magnitude")
    norms = r.block_norms
    assert np.all(np.diff(norms[p.removed]) >= 0)
    # random is reproducible with rng, and depends on it
    a = convex.pruning_path(r, "random", rng=5).removed
    assert np.array_equal(a, convex.pruning_path(r, "random", rng=5).removed)
    # Optimal/LS: exact steps first (objective unchanged), then LS corrections which keep the
    # training fit closer than dropping the same number of units by magnitude
    ls = convex.pruning_path(r, "optimal_ls")
    assert ls.n_exact == convex.pruning_path(r, "optimal").n_exact
    k = ls.n_exact + 3
    nm = convex.pruning_path(r, "neuron_magnitude")
    target = ls.n_active[k]
    j = int(np.nonzero(nm.n_active == target)[0][0])
    assert ls.objectives[k] <= nm.objectives[j]


def test_gradient_magnitude_score():
    X, y = data(4, 10, 1)
    r = relu.solve_cgl(X, y, 0.1)
    p = convex.pruning_path(r, "gradient_magnitude", min_units=r.n_active - 1)
    prog = r.program
    W = np.array(r.blocks)
    res = prog.residual(prog.fit(W))
    act = r.active_blocks
    scores = []
    for b in act:
        c = prog.block_signs[b] * prog.design.T @ (prog.block_patterns[b] * res)
        g = -c + prog.lam * W[b] / np.linalg.norm(W[b])
        scores.append(np.sum((W[b] * g) ** 2))
    assert p.removed[0] == act[int(np.argmin(scores))]


def test_single_unit_and_zero_solutions():
    r = relu.solve_cgl([[1.0]], [2.0], 0.5, bias=False)
    p = convex.pruning_path(r, "optimal_ls")
    assert p.n_active.tolist() == [1]        # min_units = 1 reached already
    assert convex.prune_optimal(r).n_active == 1
    X, y = data(0, 5, 1)
    z = relu.solve_cgl(X, y, 2 * convex.lambda_max(X, y))
    assert z.n_active == 0 and convex.prune_optimal(z).n_active == 0
    assert convex.pruning_path(z, "random", min_units=0).n_steps == 0


def test_validation_errors():
    from zonotope.exceptions import ValidationError

    X, y = data(0, 6, 1)
    r = relu.solve_cgl(X, y, 0.2)
    with pytest.raises(ValidationError, match="`method` of `pruning_path`"):
        convex.pruning_path(r, "magnitude")
    with pytest.raises(ValidationError, match="`min_units` of `pruning_path`"):
        convex.pruning_path(r, "random", min_units=-1)
    p = convex.pruning_path(r, "random", rng=0)
    with pytest.raises(ValidationError, match="`X` of `PruningPath.predict`"):
        p.predict(np.zeros((3, 4)))
