"""The optimal set of the CGL (relu.convex.optimal_set) against independent oracles.

Oracles: the CGL written directly in cvxpy in the block weights ``w`` (not in the
``alpha`` coordinates of the polytope): its optimum, one SOCP per block that
maximises the block's activation mass over the near-optimal set (the support), and
the minimum-norm solution in ``w``; scipy's HiGHS for "no optimal network on a
strict subset"; sampling for the dimension.
"""

from __future__ import annotations

import numpy as np
import pytest

import relu
from relu import convex


def data(seed, n, d, logistic=False):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)
    return X, ((y > 0).astype(float) if logistic else y)


def cvxpy_cgl(prog):
    """The CGL of a program in cvxpy (independent of relu.convex.solvers): (p*, yhat, R*)."""
    import cvxpy as cp

    Xb, P = prog.design, prog.n_patterns
    U = cp.Variable((P, prog.p))
    H = cp.Variable((P, prog.p))
    fit = sum(cp.multiply(prog.patterns[j], Xb @ (U[j] - H[j])) for j in range(P))
    reg = sum(cp.norm(U[j]) + cp.norm(H[j]) for j in range(P))
    cons = []
    for j in range(P):
        S = 2.0 * prog.patterns[j] - 1.0
        cons += [cp.multiply(S, Xb @ U[j]) >= 0, cp.multiply(S, Xb @ H[j]) >= 0]
    loss = 0.5 * cp.sum_squares(fit - prog.y)
    cp.Problem(cp.Minimize(loss + prog.lam * reg), cons).solve(solver="CLARABEL")
    value = float(loss.value + prog.lam * reg.value)
    return value, np.asarray(fit.value), float(reg.value), U, H, cons, fit, reg


def oracle_support(prog, rel=1e-7):
    """Blocks that carry activation mass in some near-optimal solution (one SOCP per block).

    Near-optimal: fit within ``rel`` of ``yhat`` and group norm within ``rel`` of the
    optimal one; a block with ``|v_b| = lambda (1 - eta)`` can then carry a mass of order
    ``rel / eta`` only, so the oracle resolves the support when ``eta >> rel``.
    """
    import cvxpy as cp

    pstar, yhat, R, U, H, cons, fit, reg = cvxpy_cgl(prog)
    near = cons + [cp.norm(fit - yhat) <= rel * max(1.0, np.linalg.norm(yhat)), reg <= R * (1 + rel)]
    mass = np.zeros(prog.n_blocks)
    Xb, P = prog.design, prog.n_patterns
    for b in range(prog.n_blocks):
        j = b % P
        w = U[j] if b < P else H[j]
        obj = cp.sum(cp.multiply(prog.patterns[j], Xb @ w))
        cp.Problem(cp.Maximize(obj), near).solve(solver="CLARABEL")
        mass[b] = float(obj.value)
    return pstar, yhat, R, mass


@pytest.mark.parametrize("seed,n,d,lam", [(0, 7, 1, 0.3), (3, 5, 2, 0.2)])
@pytest.mark.filterwarnings("ignore:Solution may be inaccurate")
def test_support_matches_the_socp_oracle(seed, n, d, lam):
    X, y = data(seed, n, d)
    r = relu.solve_cgl(X, y, lam)
    S = r.optimal_set()
    pstar, yhat, R, mass = oracle_support(r.program)
    assert abs(pstar - r.objective) <= 1e-6 * pstar
    assert np.allclose(S.fit, yhat, atol=1e-5)
    assert abs(S.group_norm - R) <= 1e-5 * R
    oracle = set(np.nonzero(mass > 5e-2 * mass.max())[0])
    assert oracle == set(S.support.tolist())
    # blocks certified outside E carry (almost) no mass in the oracle either
    out = np.setdiff1d(np.arange(r.program.n_blocks), S.equicorrelation_set)
    assert np.all(mass[out] <= 5e-2 * mass.max())


def test_correlations_on_the_support_and_fixed_group_norm():
    X, y = data(5, 8, 2)
    r = relu.solve_cgl(X, y, 0.15)
    S = r.optimal_set()
    lo, hi = S.correlation_bounds[S.support].T
    assert np.all(lo <= 1.0) and np.all(hi >= 1.0)        # |v_b| = lambda on S, certified interval
    assert np.all(hi - lo <= 1e-5)                        # and a narrow one (refined reference)
    # every point of the set: fit yhat, group norm fixed, objective p*
    A = S.sample(6, rng=1)
    for a in np.vstack([A, S.interior_point]):
        sol = S.solution(a)
        assert sol.certificate.accepted
        assert abs(sum(sol.block_norms) - S.group_norm) <= 1e-9 * S.group_norm
        assert abs(sol.objective - r.objective) <= 1e-9 * r.objective
        assert np.allclose(sol.fit, S.fit, atol=1e-9)
        assert S.residual(a) <= 1e-9


def test_dimension_matches_sampling_and_null_space():
    X, y = data(5, 8, 2)
    S = relu.solve_cgl(X, y, 0.15).optimal_set()
    A = S.sample(4 * S.dimension + 8, rng=2)
    spread = np.linalg.matrix_rank(A - A.mean(axis=0), tol=1e-8 * np.abs(A).max())
    assert spread == S.dimension
    N = S.null_space
    assert N.shape == (S.n_support, S.dimension)
    assert np.allclose(S.matrix @ N, 0.0, atol=1e-10)


@pytest.mark.filterwarnings("ignore:Solution may be inaccurate")
def test_min_norm_is_unique_and_matches_cvxpy():
    import cvxpy as cp

    X, y = data(2, 7, 1)
    r = relu.solve_cgl(X, y, 0.25)
    S = r.optimal_set()
    prog = r.program
    pstar, yhat, R, U, H, cons, fit, reg = cvxpy_cgl(prog)
    sq = cp.sum_squares(U) + cp.sum_squares(H)
    cp.Problem(cp.Minimize(sq), cons + [cp.norm(fit - yhat) <= 1e-7, reg <= R * (1 + 1e-8)]).solve(
        solver="CLARABEL")
    W_oracle = np.vstack([U.value, H.value])
    mb = S.min_norm(level="block")
    assert mb.certificate.accepted
    assert np.allclose(mb.blocks, W_oracle, atol=1e-3 * np.abs(W_oracle).max())
    # the neuron-level min-norm network is the same from any starting solution
    r2 = relu.solve_cgl(X, y, 0.25, method="cvxpy")
    a = S.min_norm().network()
    b = r2.optimal_set().min_norm().network()
    da = (np.sign(a.second_layer[:-1]), a.W * np.abs(a.second_layer[:-1])[:, None])
    db = (np.sign(b.second_layer[:-1]), b.W * np.abs(b.second_layer[:-1])[:, None])
    assert convex.network_distance(da, db) <= 1e-6


def test_non_p_unique_instance_has_distinct_optimal_networks():
    g = np.random.default_rng(1)
    found = None
    for _ in range(9):           # the 9th draw of this generator: 11 points in R, lam 3.3e-3
        n = int(g.integers(5, 12))
        d = int(g.integers(1, 3))
        lam = float(10 ** g.uniform(-3, -0.5))
        X = g.standard_normal((n, d))
        y = np.sin(2 * X.sum(1)) + 0.1 * g.standard_normal(n)
        found = (X, y, lam)
    X, y, lam = found
    S = relu.solve_cgl(X, y, lam).optimal_set()
    assert not S.is_p_unique and S.neuron_dimension > 0
    nets = [S.extreme_point(rng=k) for k in range(6)] + [S.min_norm()]
    for m in nets:
        assert m.certificate.accepted and abs(m.objective - S.reference.objective) <= 1e-8 * m.objective

    def units(res):
        a = res.active_blocks
        return res.program.block_signs[a], res.blocks[a]

    dist = max(convex.network_distance(units(nets[i]), units(nets[j]))
               for i in range(len(nets)) for j in range(i))
    assert dist > 1e-3          # genuinely different optimal networks


def test_p_unique_instance_vertices_are_one_network():
    X, y = data(5, 8, 2)
    S = relu.solve_cgl(X, y, 0.15).optimal_set()
    assert S.is_p_unique
    ep = S.extreme_point(rng=0)
    mn = S.min_norm()
    assert ep.info["is_vertex"]
    # merged by neuron, the two solutions are the same network
    def merged(res):
        a = res.active_blocks
        W = res.blocks[a]
        s = res.program.block_signs[a]
        U = W / np.linalg.norm(W, axis=1)[:, None]
        keys = {}
        for si, ui, wi in zip(s, U, W):
            k = (si,) + tuple(np.round(ui, 6))
            keys[k] = keys.get(k, 0) + wi
        ks = sorted(keys)
        return np.array([k[0] for k in ks]), np.array([keys[k] for k in ks])
    assert convex.network_distance(merged(ep), merged(mn)) <= 1e-7


def test_minimize_linear_and_validation_criteria():
    X, y = data(1, 9, 2)
    S = relu.solve_cgl(X, y, 0.05).optimal_set()
    Xv, yv = data(11, 5, 2)
    best = S.minimize_validation_loss(Xv, yv)
    assert best.certificate.accepted
    # no sampled optimal network has a smaller validation loss
    F = S.features(Xv)
    vals = [0.5 * np.sum((F @ a - yv) ** 2) for a in S.sample(30, rng=3)]
    assert best.info["validation_loss"] <= min(vals) + 1e-7
    assert np.allclose(best.predict(Xv), F @ np.array(best.info["alpha"]))
    c = np.arange(S.n_support, dtype=float)
    lp = S.minimize(c)
    assert c @ np.array(lp.info["alpha"]) <= min(c @ a for a in S.sample(20, rng=4)) + 1e-9


@pytest.mark.parametrize("bias,loss", [(False, "mse"), (True, "logistic")])
def test_bias_free_and_logistic(bias, loss):
    X, y = data(4, 7, 2, logistic=loss == "logistic")
    r = relu.solve_cgl(X, y, 0.2 if loss == "mse" else 0.05, bias=bias, loss=loss)
    S = r.optimal_set()
    mn = S.min_norm()
    assert mn.certificate.accepted
    assert abs(sum(mn.block_norms) - S.group_norm) <= 1e-7 * max(S.group_norm, 1)
    assert set(S.support) <= set(S.equicorrelation_set)


def test_zero_network_and_one_point():
    X, y = data(0, 5, 1)
    lm = convex.lambda_max(X, y)
    S = relu.solve_cgl(X, y, 1.01 * lm).optimal_set()
    assert S.n_support == 0 and S.group_norm == 0 and S.dimension == 0 and S.is_p_unique
    assert S.min_norm().n_active == 0 and S.sample(2).shape == (2, 0)
    S1 = relu.solve_cgl([[1.0]], [2.0], 0.5, bias=False).optimal_set()
    assert S1.n_support == 1 and S1.is_unique
    assert abs(S1.group_norm - 1.5) < 1e-9       # w = 1.5: fit 1.5, 1/2 * 0.25 + 0.5 * 1.5


def test_column_generation_result_gives_the_full_programs_set():
    X, y = data(0, 30, 2)
    a = relu.solve_cgl(X, y, 0.5, method="clarabel").optimal_set()
    b = relu.solve_cgl(X, y, 0.5, method="column_generation").optimal_set()

    def keyed(S):
        prog = S.reference.program
        P = prog.n_patterns
        return {(prog.patterns[k % P].tobytes(), k < P) for k in S.support}

    assert keyed(a) == keyed(b)
    assert a.rank == b.rank and a.is_p_unique == b.is_p_unique
    assert np.allclose(a.fit, b.fit, atol=1e-7)


def test_validation_errors():
    from zonotope.exceptions import ValidationError

    X, y = data(0, 5, 1)
    S = relu.solve_cgl(X, y, 0.2).optimal_set()
    with pytest.raises(ValidationError, match="`alpha` of `OptimalSet.blocks`"):
        S.blocks(np.zeros(S.n_support + 1))
    with pytest.raises(ValidationError, match="`level` of `OptimalSet.min_norm`"):
        S.min_norm(level="unit")
    with pytest.raises(ValidationError, match="`chambers` of `optimal_set`"):
        convex.optimal_set(S.result, chambers="some")
    with pytest.raises(ValidationError, match="`X` of `OptimalSet.features`"):
        S.features(np.zeros((2, 3)))
