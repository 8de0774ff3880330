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
