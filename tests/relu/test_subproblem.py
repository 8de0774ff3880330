"""Problem (3): fast path vs the cvxpy/Clarabel reference, KKT, errors, logistic attainment."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relu
from relu import InfeasibleSubproblemError, SolverFailedError, UnattainedInfimumWarning
from relu.subproblem import SubproblemSolver
from zonotope import ValidationError, activation_patterns


def _random_instance(seed, d, m, N, dup=False, zero_v=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    W = rng.standard_normal((m, d + 1))
    if dup and m > 1:
        W[1] = W[0]
    A = activation_patterns(X, W)
    v = np.r_[np.where(np.arange(m) % 2 == 0, 1.0, -1.0), rng.standard_normal()]
    if dup and m > 1:
        v[1] = v[0]
    if zero_v:
        v[0] = 0.0
    return X, y, A, v


def _kkt_independent(X, y, A, v, res, ridge=0.0):
    """Check KKT of the MSE subproblem from scratch (no relu internals)."""
    N = X.shape[0]
    m = A.shape[0]
    Xb = np.c_[X, np.ones(N)]
    W = res.W
    out = ((A * (W @ Xb.T)) * v[:m, None]).sum(axis=0) + v[-1]
    r = out - y
    grad = (2.0 / N) * (A * v[:m, None] * r[None, :]) @ Xb + 2 * ridge * W   # (m, p)
    S = 2.0 * A - 1.0
    mu = res.multipliers
    resid = grad - (S * mu) @ Xb
    slack = S * (W @ Xb.T)
    scale = (2.0 / N) * np.linalg.norm(Xb) * np.linalg.norm(v[:m]) * max(np.linalg.norm(y - v[-1]), 1e-12)
    assert np.all(mu >= 0)
    assert np.max(np.abs(resid)) <= 1e-8 * scale, np.max(np.abs(resid))
    assert np.max(np.abs(mu * slack)) <= 1e-8 * scale * max(1.0, np.abs(W).max())
    assert slack.min() >= -1e-9 * max(1.0, np.abs(W).max())


CASES = [(1, 1, 5), (1, 2, 7), (2, 2, 6), (2, 3, 12), (4, 4, 60), (3, 6, 20), (8, 8, 100)]


@pytest.mark.parametrize("d,m,N", CASES)
@pytest.mark.parametrize("dup", [False, True])
def test_fast_path_matches_cvxpy_reference(d, m, N, dup, rh):
    X, y, A, v = _random_instance(1000 * d + 10 * m + N, d, m, N, dup=dup)
    fast = SubproblemSolver(X, y, v, check=False).solve(A)
    ref = SubproblemSolver(X, y, v, method="cvxpy", check=False).solve(A)
    scale = rh.loss_scale(y, v)
    if ref.method == "cvxpy-CLARABEL":   # Clarabel reached its tight tolerances
        assert rh.rel_gap(fast.objective, ref.objective, scale) <= 1e-8
    else:                                # fast is never worse than an inaccurate reference
        assert fast.objective <= ref.objective + 1e-8 * scale
    _kkt_independent(X, y, A, v, fast)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(1, 4), m=st.integers(1, 4),
       N=st.integers(2, 25), dup=st.booleans(), zero_v=st.booleans(),
       ridge=st.sampled_from([0.0, 0.0, 1e-3]))
def test_fast_path_matches_cvxpy_hypothesis(seed, d, m, N, dup, zero_v, ridge):
    X, y, A, v = _random_instance(seed, d, m, N, dup=dup, zero_v=zero_v)
    fast = SubproblemSolver(X, y, v, ridge=ridge, check=False).solve(A)
    ref = SubproblemSolver(X, y, v, ridge=ridge, method="cvxpy", check=False).solve(A)
    scale = float(np.mean((y - v[-1]) ** 2))
    gap = abs(fast.objective - ref.objective) / max(abs(ref.objective), 1e-6 * scale)
    if ref.method == "cvxpy-CLARABEL":
        assert gap <= 1e-8 or fast.objective <= ref.objective
    assert fast.objective <= ref.objective + 1e-8 * max(scale, abs(ref.objective))
    # the optimum is the loss of the returned network, which realises the pattern
    assert fast.loss == pytest.approx(relu.mean_loss(X, y, fast.W, v), rel=1e-12, abs=1e-14)
    Xb = np.c_[X, np.ones(N)]
    assert ((2.0 * A - 1.0) * (fast.W @ Xb.T)).min() >= -1e-9 * max(1.0, np.abs(fast.W).max())
    _kkt_independent(X, y, A, v, fast, ridge)


def test_warm_start_neighbours_match_cold(rh):
    X, y, A, v = _random_instance(7, 4, 4, 60)
    S = SubproblemSolver(X, y, v, check=False)
    base = S.solve(A)
    order = np.argsort(-base.multipliers, axis=None)
    done = 0
    for flat in order:
        j, i = np.unravel_index(flat, A.shape)
        A2 = A.copy()
        A2[j, i] ^= 1
        if not S.is_chamber(A2[j]):
            continue
        warm = S.solve(A2, warm_start=base)
        cold = S.solve(A2)
        assert rh.rel_gap(warm.objective, cold.objective, rh.loss_scale(y, v)) <= 1e-9
        done += 1
        if done == 8:
            break
    assert done == 8


def test_medium_size_warm_and_ipm_paths(rh):
    """(8, 16, 300): IPM cold solve and the apex-fixing warm start, against each other."""
    X, y, A, v = _random_instance(3, 8, 16, 300)
    S = SubproblemSolver(X, y, v, check=False)
    base = S.solve(A)
    assert base.method == "ipm+pdas"
    for flat in np.argsort(-base.multipliers, axis=None):   # first feasible flip, mGLS order
        j, i = np.unravel_index(flat, A.shape)
        A2 = A.copy()
        A2[j, i] ^= 1
        if S.is_chamber(A2[j]):
            break
    warm = S.solve(A2, warm_start=base)
    cold = S.solve(A2)
    assert rh.rel_gap(warm.objective, cold.objective, rh.loss_scale(y, v)) <= 1e-9
    _kkt_independent(X, y, A2, v, warm)


def test_solution_realises_pattern_and_dead_units():
    X = [[0.0], [1.0], [2.0], [3.0]]
    r = relu.solve_subproblem(X, [0.0, 0.0, 1.0, 2.0], [[0, 0, 1, 1], [0, 0, 0, 0]], [1.0, 3.0, 0.0])
    assert r.loss == pytest.approx(0.0, abs=1e-20)
    assert np.all(r.W[1] == 0)                      # all-inactive unit: w = 0
    assert np.all(relu.predict(X, r.W, [1.0, 3.0, 0.0]) == pytest.approx([0, 0, 1, 2]))


def test_one_dimensional_and_single_point_degenerate_cases():
    r = relu.solve_subproblem([[2.0]], [3.0], [[1]], [1.0, 0.0])
    assert r.loss == pytest.approx(0.0, abs=1e-20)
    r = relu.solve_subproblem([[2.0]], [-3.0], [[1]], [1.0, 0.0])   # positive unit, negative target
    assert r.loss == pytest.approx(9.0)
    assert abs(r.W[0] @ [2.0, 1.0]) <= 1e-12                      # on the facet w . x_bar = 0
    assert r.multipliers[0, 0] == pytest.approx(6.0, rel=1e-8)      # grad 2(w.x+3) x_bar = mu x_bar


# ------------------------------------------------------------------ infeasible patterns
@pytest.mark.parametrize("X,pattern,unit", [
    ([[0.0], [1.0], [2.0]], [[1, 0, 1]], 0),                  # not contiguous in 1-D
    ([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [[0, 1, 1], [0, 1, 0]], 1),   # middle point on a line
    ([[1.0, 2.0], [1.0, 2.0], [0.0, 0.0]], [[1, 0, 1]], 0),    # duplicated point, different bits
])
def test_non_chamber_pattern_is_detected(X, pattern, unit):
    with pytest.raises(InfeasibleSubproblemError) as ei:
        relu.solve_subproblem(X, np.zeros(len(X)), pattern, np.r_[np.ones(len(pattern)), 0.0])
    assert ei.value.unit == unit
    assert isinstance(ei.value, ValueError)


def test_is_chamber_pattern_agrees_with_the_lp_oracle(chamber_oracle):
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 2.0]]
    chambers = {tuple(c) for c in chamber_oracle(X)}
    for bits in range(2 ** 5):
        a = [(bits >> k) & 1 for k in range(5)]
        assert relu.is_chamber_pattern(X, a) == (tuple(a) in chambers)


def test_chamber_set_lookup_equals_lp_check():
    from zonotope import Arrangement, enumerate_chambers

    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [2.0, 1.0]]
    ch = enumerate_chambers(Arrangement.from_points(X))
    S1 = SubproblemSolver(X, np.zeros(4), [1.0, 0.0], chambers=ch)
    S2 = SubproblemSolver(X, np.zeros(4), [1.0, 0.0])
    for bits in range(16):
        a = [(bits >> k) & 1 for k in range(4)]
        assert S1.is_chamber(a) == S2.is_chamber(a)


# ------------------------------------------------------------------ failures and validation
def test_solver_failure_is_typed(monkeypatch):
    import relu._lsq as lsq

    X, y, A, v = _random_instance(0, 2, 2, 8)
    monkeypatch.setattr(lsq, "daqp_full", lambda *a, **k: (None, None, {"iterations": 0}))
    monkeypatch.setattr(SubproblemSolver, "_ipm_pdas", lambda self, prob: (None, None, 0))
    with pytest.raises(SolverFailedError, match="certified"):
        SubproblemSolver(X, y, v, check=False).solve(A)


@pytest.mark.parametrize("kwargs,param", [
    (dict(X=[[np.nan], [1.0]]), "X"),
    (dict(y=[1.0, 2.0, 3.0]), "y"),
    (dict(pattern=[[1, 0, 1]]), "pattern"),
    (dict(pattern=[[2, 0]]), "pattern"),
    (dict(pattern=[[1, 0], [0, 1]]), "pattern"),
    (dict(v=[1.0]), "v"),
    (dict(v=[[1.0, 0.0]]), "v"),
    (dict(loss="hinge"), "loss"),
    (dict(ridge=-1.0), "ridge"),
    (dict(method="osqp"), "method"),
    (dict(loss="logistic", y=[0.0, 0.5]), "y"),
    (dict(warm_start="previous"), "warm_start"),
    (dict(method="cvxpy", cvxpy_solver="NOT_A_SOLVER"), "cvxpy_solver"),
    (dict(check="yes"), "check"),
])
def test_bad_input_names_the_parameter(kwargs, param):
    args = dict(X=[[0.0], [1.0]], y=[0.0, 1.0], pattern=[[0, 1]], v=[1.0, 0.0])
    args.update(kwargs)
    X, y, pattern, v = args.pop("X"), args.pop("y"), args.pop("pattern"), args.pop("v")
    with pytest.raises(ValidationError, match=f"`{param}`"):
        relu.solve_subproblem(X, y, pattern, v, **args)


# ------------------------------------------------------------------ logistic loss
def test_logistic_unattained_infimum_is_detected_and_reported():
    X = [[0.0], [1.0], [2.0]]
    y = [0.0, 0.0, 1.0]
    with pytest.warns(UnattainedInfimumWarning, match="not attained"):
        r = relu.solve_subproblem(X, y, [[0, 0, 1]], [1.0, 0.0], loss="logistic")
    assert r.status == "unattained"
    assert r.separable.tolist() == [False, False, True]
    assert r.loss == pytest.approx(2 * np.log(2) / 3, rel=1e-9)
    losses = [relu.mean_loss(X, y, r.W + t * r.recession_direction, [1.0, 0.0], loss="logistic")
              for t in (1.0, 10.0, 100.0)]
    losses = [relu.mean_loss(X, y, r.W + t * r.recession_direction, [1.0, 0.0], loss="logistic")
              for t in (0.1, 1.0, 10.0, 100.0)]
    assert losses[0] > losses[1] > losses[2] >= losses[3] >= r.loss
    assert losses[3] == pytest.approx(r.loss, abs=1e-9)


def test_logistic_ridge_makes_the_minimum_attained():
    X = [[0.0], [1.0], [2.0]]
    y = [0.0, 0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnattainedInfimumWarning)
        r = relu.solve_subproblem(X, y, [[0, 0, 1]], [1.0, 0.0], loss="logistic", ridge=1e-3)
    ref = relu.solve_subproblem(X, y, [[0, 0, 1]], [1.0, 0.0], loss="logistic", ridge=1e-3,
                                method="cvxpy")
    assert r.status == "optimal"
    assert r.objective == pytest.approx(ref.objective, rel=1e-8)
    assert r.objective == pytest.approx(r.loss + 1e-3 * np.sum(r.W ** 2), rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_logistic_fast_path_matches_cvxpy(seed):
    rng = np.random.default_rng(seed)
    N, d, m = 15, 2, 3
    X = rng.standard_normal((N, d))
    y = (rng.random(N) < 0.5).astype(float)
    A = activation_patterns(X, rng.standard_normal((m, d + 1)))
    v = [1.0, -1.0, 0.5, 0.2]
    fast = SubproblemSolver(X, y, v, loss="logistic", ridge=1e-2, check=False).solve(A)
    ref = SubproblemSolver(X, y, v, loss="logistic", ridge=1e-2, method="cvxpy", check=False).solve(A)
    assert abs(fast.objective - ref.objective) <= 1e-8 * abs(ref.objective)
    assert fast.loss == pytest.approx(relu.mean_loss(X, y, fast.W, v, loss="logistic"), rel=1e-12)


# ------------------------------------------------------------------ warm neighbour engines
def _degenerate_instance(kind, seed=0):
    """Data with the degeneracies the warm path must survive; returns (X, y, A, v, ridge)."""
    rng = np.random.default_rng(seed)
    N, d, m = 24, 2, 4
    X = rng.standard_normal((N, d))
    y = rng.standard_normal(N)
    W = rng.standard_normal((m, d + 1))
    v = np.array([1.0, -1.0, 1.0, -1.0, 0.3])
    ridge = 0.0
    if kind == "duplicates":
        X[5] = X[3]
        X[9] = X[3]
        X[17] = X[11]
    elif kind == "zero_v":
        v[1] = 0.0
    elif kind == "ridge":
        ridge = 1e-2
    elif kind == "apex":
        # positive units facing negative targets sit at the apex w_j = 0
        y = -3.0 - np.abs(y)
    A = activation_patterns(X, W)
    if kind == "dead_unit":
        A[2] = 0                                   # a unit with every example inactive
    return X, y, A, v, ridge


def _neighbour_flips(S, base, zero_mu=False, limit=6):
    """Feasible single flips in mGLS order, or flips of constraints with mu = 0 that are
    strictly satisfied at the base optimum (the base W is infeasible for the neighbour)."""
    A = base.pattern
    Xb = np.c_[S.X, np.ones(S.n_samples)]
    slack = (2.0 * A - 1.0) * (base.W @ Xb.T)
    if zero_mu:
        cand = np.argwhere((base.multipliers == 0) & (slack > 1e-6))
    else:
        cand = [np.unravel_index(f, A.shape)
                for f in np.argsort(-base.multipliers, axis=None, kind="stable")]
    out = []
    for j, i in cand:
        A2 = np.array(A)
        A2[j, i] ^= 1
        if S.is_chamber(A2[j]):
            out.append(A2)
            if len(out) == limit:
                break
    return out


@pytest.mark.parametrize("kind", ["plain", "duplicates", "zero_v", "ridge", "apex", "dead_unit"])
@pytest.mark.parametrize("large_path", [False, True])
@pytest.mark.parametrize("zero_mu", [False, True])
def test_warm_neighbours_match_cold_and_cvxpy(kind, large_path, zero_mu, monkeypatch, rh):
    """Warm neighbour solves (both engines: DAQP on all rows, and the apex-holding
    constraint-generation path with the cached Gram matrix and the DAQP cone test)
    against cold solves and the cvxpy reference, two levels deep (as in GLS)."""
    import relu.subproblem as sp

    if large_path:    # route these small problems through the large-problem warm engine
        monkeypatch.setattr(sp, "DAQP_COLD_LIMIT", 0)
    X, y, A, v, ridge = _degenerate_instance(kind)
    S = SubproblemSolver(X, y, v, ridge=ridge, check=False)
    ref = SubproblemSolver(X, y, v, ridge=ridge, method="cvxpy", check=False)
    scale = rh.loss_scale(y, v)
    base = S.solve(A)
    if kind == "apex":
        assert np.any(np.all(base.W == 0, axis=1)), "instance should have an apex unit"
    if kind == "dead_unit":
        assert np.all(base.W[2] == 0)
    done = 0
    for level in range(2):
        nbrs = _neighbour_flips(S, base, zero_mu=zero_mu, limit=4)
        for A2 in nbrs:
            warm = S.solve(A2, warm_start=base)
            cold = SubproblemSolver(X, y, v, ridge=ridge, check=False).solve(A2)
            r = ref.solve(A2)
            assert rh.rel_gap(warm.objective, cold.objective, scale) <= 1e-9
            if r.method == "cvxpy-CLARABEL":
                assert rh.rel_gap(warm.objective, r.objective, scale) <= 1e-8
            assert warm.objective <= r.objective + 1e-8 * max(scale, abs(r.objective))
            assert warm.loss == pytest.approx(relu.mean_loss(X, y, warm.W, v), rel=1e-12, abs=1e-14)
            _kkt_independent(X, y, A2, v, warm, ridge)
            done += 1
        if not nbrs:
            break
        base = S.solve(nbrs[0], warm_start=base)     # next level: a warm-solved base
    assert done >= 2


def test_gram_cache_updates_equal_fresh_gram():
    """The Gram matrix updated along a chain of neighbour flips equals a fresh one, and
    a pattern with several changed examples (or without a cached base) is recomputed."""
    X, y, A, v = _random_instance(11, 3, 5, 80)
    v[2] = 0.0
    S = SubproblemSolver(X, y, v, check=False)

    def fresh(P):
        C = P.T * v[:-1]
        U = (C[:, :, None] * np.c_[X, np.ones(len(X))][:, None, :]).reshape(len(X), -1)
        return (2.0 / len(X)) * U.T @ U

    rng = np.random.default_rng(0)
    base = S.solve(A)
    G0 = S._gram(base.pattern, None)
    np.testing.assert_allclose(G0, fresh(A), rtol=0, atol=1e-13 * np.abs(G0).max())
    for step in range(40):              # crosses GRAM_MAX_DEPTH: a fresh matrix is taken
        P = np.array(base.pattern)
        j, i = rng.integers(P.shape[0]), rng.integers(P.shape[1])
        P[j, i] ^= 1
        if step % 7 == 3:
            P[:, :20] ^= 1               # many examples change: recomputed, not updated
        G = S._gram(P, base)
        np.testing.assert_allclose(G, fresh(P), rtol=0, atol=1e-12 * np.abs(G).max())
        base = relu.subproblem.SubproblemResult(base.W, 0.0, 0.0, base.multipliers, "optimal",
                                                P, "test", 0.0)


def test_cone_daqp_certifies_membership_and_rejects_outside():
    import relu._lsq as lsq

    rng = np.random.default_rng(5)
    N, p = 30, 3
    Xn = rng.standard_normal((N, p))
    Xn[4] = Xn[7]                                     # duplicated row
    Xn /= np.linalg.norm(Xn, axis=1)[:, None]
    S = np.where(rng.random((2, N)) < 0.5, 1.0, -1.0)
    prob = lsq.BlockLSQ(np.zeros((N, 2 * p)), np.ones(N), Xn, S)
    mu_true = np.where(rng.random((2, N)) < 0.3, rng.random((2, N)), 0.0)
    g = (S * mu_true) @ Xn                            # inside the cones
    mu, ok = lsq.cone_daqp(prob, g, np.array([0, 1]))
    assert ok.all() and np.all(mu >= 0)
    np.testing.assert_allclose((S * mu) @ Xn, g, atol=1e-12)
    # unit 1's rows only span a half-space: a gradient pointing out of its cone
    S2 = S.copy()
    S2[1] = np.sign(Xn[:, 0] + 1e-300)               # s_i x_i . e_0 >= 0 for every row
    prob2 = lsq.BlockLSQ(np.zeros((N, 2 * p)), np.ones(N), Xn, S2)
    g2 = g.copy()
    g2[1] = [-1.0, 0.0, 0.0]                          # not a nonnegative combination
    mu2, ok2 = lsq.cone_daqp(prob2, g2, np.array([1]), hint=mu_true)
    assert np.abs((S2[1] * mu2[1]) @ Xn - g2[1]).max() > 1e-3


def _random_block_problem(seed, L=3, N=25, p=4, ridge=0.0):
    import relu._lsq as lsq

    rng = np.random.default_rng(seed)
    Xn = rng.standard_normal((N, p))
    Xn /= np.linalg.norm(Xn, axis=1)[:, None]
    S = np.where(rng.random((L, N)) < 0.5, 1.0, -1.0)
    M = rng.standard_normal((N, L * p))
    return lsq.BlockLSQ(M, rng.standard_normal(N), Xn, S, ridge)


@pytest.mark.parametrize("singular", [False, True])
def test_ldp_rows_equal_dense_transform(singular):
    """Rows of G R^{-1} built per unit from R^{-1} equal the dense triangular solve."""
    import scipy.linalg as sla

    import relu._lsq as lsq

    prob = _random_block_problem(1)
    if singular:                       # two identical units: H singular, R from H_reg
        prob.M[:, 4:8] = prob.M[:, 0:4]
    assert prob.singular == singular
    R = prob.ldp[0]
    rng = np.random.default_rng(2)
    work = rng.random((prob.L, prob.N)) < 0.3
    work[1] = False                    # a unit without rows
    k, i = np.nonzero(work)
    dense = sla.solve_triangular(R, prob.rows(k, i).T, trans="T", lower=False).T
    np.testing.assert_allclose(prob.ldp_rows(k, i), dense, rtol=0, atol=1e-12 * np.abs(dense).max())
    with pytest.raises(ValueError, match="sorted"):
        lsq._daqp_ldp(prob, k[::-1].copy(), i[::-1].copy())


@pytest.mark.parametrize("ridge", [0.0, 1e-2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_daqp_engines_in_ldp_form_certify_and_agree(seed, ridge):
    """DAQP on all rows (batched LDP rows) and by constraint generation (per-unit LDP
    rows) reach the same certified optimum as DAQP on the untransformed QP."""
    import daqp

    import relu._lsq as lsq

    prob = _random_block_problem(seed, ridge=ridge)
    assert not prob.singular
    w1, mu1, _ = lsq.daqp_full(prob)
    assert lsq.certify(prob, w1, mu1, rtol=1e-10).ok
    w2, mu2, _ = lsq.solve_daqp(prob, np.zeros((prob.L, prob.N), dtype=bool))
    assert lsq.certify(prob, w2, mu2, rtol=1e-10).ok
    G = prob.full_rows()
    nc = G.shape[0]
    w3, *_ = daqp.solve(prob.H, prob.f, G, np.full(nc, 1e30), np.zeros(nc),
                        np.zeros(nc, dtype=np.intc), primal_tol=1e-12, eps_prox=0.0)
    for w in (w1, w2):
        assert abs(prob.objective(w) - prob.objective(w3)) <= 1e-10 * abs(prob.objective(w3))
    # warm start from the optimum's multipliers: same answer
    w4, _, _ = lsq.daqp_full(prob, mu1)
    np.testing.assert_allclose(w4, w1, atol=1e-9 * max(1.0, np.abs(w1).max()))


def test_cone_daqp_batched_hints_per_unit():
    """Units with and without a hint, in any order, get their own cone multipliers."""
    import relu._lsq as lsq

    rng = np.random.default_rng(9)
    L, N, p = 4, 40, 3
    Xn = rng.standard_normal((N, p))
    Xn /= np.linalg.norm(Xn, axis=1)[:, None]
    S = np.where(rng.random((L, N)) < 0.5, 1.0, -1.0)
    prob = lsq.BlockLSQ(np.zeros((N, L * p)), np.ones(N), Xn, S)
    mu_true = np.where(rng.random((L, N)) < 0.2, rng.random((L, N)), 0.0)
    g = (S * mu_true) @ Xn
    hint = mu_true.copy()
    hint[2] = 0.0                      # no hint for unit 2
    units = np.array([3, 0, 2])
    mu, ok = lsq.cone_daqp(prob, g, units, hint=hint)
    assert ok.all() and np.all(mu >= 0)
    np.testing.assert_allclose((S[units] * mu[units]) @ Xn, g[units], atol=1e-12)
    assert not mu[1].any()             # not asked for
    assert lsq.cone_daqp(prob, g, np.array([], dtype=int))[1].size == 0


@pytest.mark.parametrize("live", ["all", "some"])
def test_masked_design_matrix(live):
    """The precomputed v_j x_bar_i path of _masked equals the direct construction."""
    X, y, A, v = _random_instance(4, 3, 5, 30)
    if live == "some":
        A[1] = 0
        v[3] = 0.0
    S = SubproblemSolver(X, y, v, check=False)
    ref = SubproblemSolver(X, y, v, check=False)
    ref._vxb = None                    # the general path
    for a, b in zip(S._masked(A), ref._masked(A)):
        np.testing.assert_array_equal(a, b)
    Xb = np.c_[X, np.ones(len(X))]
    lv = S._masked(A)[0]
    M = ((A[lv].T * v[lv])[:, :, None] * Xb[:, None, :]).reshape(len(X), -1)
    np.testing.assert_allclose(S._masked(A)[1], M, rtol=0, atol=0)


def test_warm_start_that_fails_falls_back_to_a_cold_solve():
    """Regression (found by the Figure 3 gallery script): a warm DAQP start whose answer
    fails the certificate (infeasibility ~1e-7) used to raise instead of solving cold."""
    X = np.array([[-2.444466709475542  , -0.9997626210327866 ,  1.2483719756363818 ,  1.2415290652525832 ],
     [ 0.09735846272620514,  1.7210019667379737 ,  0.23949021994619452, -0.49781195661625366],
     [ 0.2416307693828161 , -0.13714661036390183,  0.7359334604999983 , -1.5030506397534005 ],
     [ 0.9994149433312292 , -0.45952673118851967,  0.8553230165102578 , -1.5410402018463858 ],
     [-0.41925865545228824,  0.07806322035021569,  0.9014526289511642 , -1.217531069171858  ],
     [ 1.6674442559087566 ,  0.4826634750035152 , -0.5257754184031072 ,  1.2173020341880805 ],
     [ 0.10271102302262979,  1.1582969807112296 ,  2.323147808746772  ,  0.7685283776585802 ],
     [-0.5266794635700347 , -0.4257074353911484 ,  0.5825543463784663 ,  0.2879054170937578 ],
     [-0.8330299635529903 , -0.6681095156259791 ,  0.6657820292821932 ,  2.346698370861299  ],
     [-2.630367381307939  ,  0.7239161378227218 , -0.2110471830216745 ,  0.7793647137401867 ]])
    y = np.zeros(10); y[3], y[5] = 0.2526820838132917 , -0.5435046521609361
    B = [[0, 1, 0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 1, 1, 1], [1, 0, 1, 1, 0, 1, 0, 1, 1, 0], [0, 0, 0, 0, 0, 1, 0, 0, 1, 0], [0, 1, 1, 1, 1, 0, 1, 0, 0, 0]]
    A = np.array(B)
    A[4, 5] = 1
    S = relu.SubproblemSolver(X, y, relu.alternating_second_layer(8))
    base = S.solve(B)
    cold = S.solve(A)
    warm = S.solve(A, warm_start=base)
    assert warm.status == "optimal"
    assert abs(warm.loss - cold.loss) <= 1e-9 * max(cold.loss, 1e-12)
