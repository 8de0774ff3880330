"""The accelerated local search takes the same moves as a plain reference implementation.

The reference is written here, independent of the code under test: every neighbour's
program is written in cvxpy from the raw data and solved by Clarabel, chamber-ness is
decided by a float max-margin LP (scipy ``linprog``; the data are generic Gaussian,
and every LP margin is asserted to be far from 0), GLS moves to the best neighbour and
mGLS to the first improving one in the documented multiplier order.  Cases where the
reference cannot decide (two neighbours within 1e-7 of each other, an improvement
within 1e-7 of the threshold, a unit at the apex whose multipliers are not unique)
are counted as ambiguous; the tests require most cases to be decided.  Also:
``n_jobs=2`` gives the same result as ``n_jobs=1``, and the LDP engine of
:mod:`relu.qp` agrees with DAQP and cvxpy, with and without implied rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

import relu
from relu import qp
from relu.experiments import teacher_data
from relu.qp.daqp import solve_qp as daqp_qp
from relu.qp.ldp import solve_qp as ldp_qp
from zonotope.exceptions import ValidationError

REL = 1e-7          # the reference's resolution (Clarabel at 1e-12, relative to the data)


class Ambiguous(Exception):
    """The reference cannot decide this step (ties or a threshold case)."""


def lp_margin(Xb, signs):
    """Max-margin LP: ``max t`` s.t. ``s_k x_k . w >= t``, ``|w| <= 1``."""
    G = Xb * np.asarray(signs, dtype=float)[:, None]
    n, p = G.shape
    res = linprog(np.r_[np.zeros(p), -1.0], A_ub=np.hstack([-G, np.ones((n, 1))]),
                  b_ub=np.zeros(n), bounds=[(-1, 1)] * p + [(None, 1)], method="highs")
    assert res.status == 0
    return -res.fun


def is_chamber(Xb, a):
    t = lp_margin(Xb, 2 * np.asarray(a, dtype=int) - 1)     # 0 for a non-chamber (w = 0)
    assert t <= 1e-12 or t > 1e-7, "a thin chamber: the float oracle cannot decide"
    return t > 1e-7


def vertex_value(X, y, v, A):
    """Problem (3) at the vertex ``A`` written in cvxpy from the raw data (Clarabel).

    Variables ``w = (w_1, ..., w_m)``; output ``sum_j v_j a_ji (w_j . x_bar_i) + v_{m+1}``;
    constraints ``(2 a_ji - 1) (w_j . x_bar_i) >= 0``.
    """
    import cvxpy as cp

    N, d = X.shape
    Xb = np.c_[X, np.ones(N)]
    m, p = A.shape[0], d + 1
    M = np.zeros((N, m * p))
    G = np.zeros((m * N, m * p))
    for j in range(m):
        M[:, j * p:(j + 1) * p] = (v[j] * A[j])[:, None] * Xb
        G[j * N:(j + 1) * N, j * p:(j + 1) * p] = (2.0 * A[j] - 1.0)[:, None] * Xb
    for kw in ({"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_ktratio": 1e-8}, {}):
        w = cp.Variable(m * p)                               # a fresh problem per attempt
        prob = cp.Problem(cp.Minimize(cp.sum_squares(M @ w - (y - v[-1])) / N), [G @ w >= 0])
        try:
            prob.solve(solver="CLARABEL", **kw)
        except cp.error.SolverError:
            continue
        if prob.status == "optimal":
            break
    assert prob.status == "optimal"
    return float(prob.value)


def flips_of(X, A, v):
    Xb = np.c_[X, np.ones(len(X))]
    out = []
    for j in range(A.shape[0]):
        if v[j] == 0:
            continue
        for i in range(A.shape[1]):
            a = A[j].copy()
            a[i] ^= 1
            if is_chamber(Xb, a):
                out.append((j, i))
    return out


def flipped(A, j, i):
    B = A.copy()
    B[j, i] ^= 1
    return B


def reference_gls(X, y, v, A, max_moves=50):
    """Best improvement; returns the final vertex and the objective path."""
    scale = float(np.mean(y ** 2))
    f = vertex_value(X, y, v, A)
    path = [f]
    for _ in range(max_moves):
        vals = {(j, i): vertex_value(X, y, v, flipped(A, j, i)) for j, i in flips_of(X, A, v)}
        best = min(vals.values())
        if best >= f - REL * scale:
            if best < f - 1e-11 * scale:
                raise Ambiguous("an improvement below the reference's resolution")
            return A, path
        winners = [k for k, val in vals.items() if val <= best + REL * scale]
        if len(winners) > 1:
            raise Ambiguous(f"{len(winners)} neighbours tie for best")
        A = flipped(A, *winners[0])
        f = best
        path.append(f)
    raise AssertionError("the reference did not converge")


def mgls_order(X, y, v, A):
    """The documented mGLS order from the certified solution (``relu.solve_subproblem``)."""
    N = len(X)
    Xb = np.c_[X, np.ones(N)]
    r = relu.solve_subproblem(X, y, A, v)
    W, mu = r.W, r.multipliers
    wn = np.linalg.norm(W, axis=1)
    if np.any((wn <= 1e-6 * max(wn.max(), 1e-300)) & (v[:-1] != 0)):
        raise Ambiguous("a unit at the apex: its multipliers are not unique")
    Z = W @ Xb.T                                             # (m, N)
    out = np.maximum(Z, 0).T @ v[:-1] + v[-1]
    c = (2.0 * (out - y) / N)[None, :] * v[:-1, None]
    scale = wn[:, None] * np.linalg.norm(Xb, axis=1)[None, :]
    active = np.abs(Z) <= 1e-9 * scale
    mu_new = c - mu
    skip = active & (mu_new >= -1e-9 * np.maximum(np.abs(c), mu))
    near = active & ~skip & (mu_new > -1e-6 * np.maximum(np.abs(c), mu))
    if near.any():
        raise Ambiguous("a corrected multiplier near 0")
    key0 = np.where(active, 0.0, 1.0)
    key1 = np.where(active, mu_new, np.abs(Z) / scale)
    order = [divmod(int(t), N) for t in np.lexsort((key1.ravel(), key0.ravel()))
             if not skip.flat[t] and v[int(t) // N] != 0]
    return order


def reference_mgls(X, y, v, A, max_moves=50):
    """First improvement in the mGLS order; returns the final vertex and the path."""
    Xb = np.c_[X, np.ones(len(X))]
    scale = float(np.mean(y ** 2))
    f = vertex_value(X, y, v, A)
    path = [f]
    for _ in range(max_moves):
        moved = False
        for j, i in mgls_order(X, y, v, A):
            if not is_chamber(Xb, flipped(A, j, i)[j]):
                continue
            val = vertex_value(X, y, v, flipped(A, j, i))
            if abs(val - f) <= REL * scale:
                if abs(val - f) > 1e-11 * scale:
                    raise Ambiguous("an improvement near the threshold")
                continue
            if val < f:
                A, f, moved = flipped(A, j, i), val, True
                path.append(f)
                break
        if not moved:
            return A, path
    raise AssertionError("the reference did not converge")


CASES = {  # (d, m_gen, N, m, seed, duplicated point); the reference decides these
    "best": [(2, 2, 8, 2, 0, False), (2, 2, 8, 2, 2, False), (2, 2, 8, 2, 3, True),
             (2, 2, 10, 3, 2, False), (2, 2, 9, 1, 2, False)],
    "first": [(2, 2, 10, 3, 7, False), (3, 2, 12, 2, 6, False), (3, 3, 12, 3, 11, False),
              (2, 2, 12, 2, 9, False), (3, 3, 12, 3, 20, False)],
}


def _case(d, m_gen, n, m, seed, duplicate=False):
    data = teacher_data(d, m_gen, n_samples=n, rng=seed)
    X, y = np.array(data.X), np.array(data.y)
    if duplicate:                                  # a repeated point: no single flip there
        X[-1], y[-1] = X[0], y[0]
    v = relu.alternating_second_layer(m)
    P, _ = relu.random_pattern(X, m, rng=seed)
    return X, y, v, np.asarray(P, dtype=np.uint8)


@pytest.mark.parametrize("strategy", ["best", "first"])
def test_accelerated_search_takes_the_reference_moves(strategy):
    decided = same_vertex = 0
    for d, m_gen, n, m, seed, dup in CASES[strategy]:
        X, y, v, P = _case(d, m_gen, n, m, seed, duplicate=dup)
        scale = float(np.mean(y ** 2))
        try:
            A, path = (reference_gls if strategy == "best" else reference_mgls)(X, y, v, P)
        except Ambiguous:
            continue
        decided += 1
        r = relu.local_search(X, y, m, v, start=P, strategy=strategy)
        assert r.status == "converged" and r.info["certified"]
        assert r.info["n_moves"] == len(path) - 1, (d, m, seed)
        assert np.allclose(r.info["path"], path, rtol=0, atol=1e-6 * scale), (d, m, seed)
        # the same vertex, or (the last move had a tie) an equally good certified one
        same_vertex += bool(np.array_equal(r.patterns, A))
    assert decided >= len(CASES[strategy]) - 1, f"only {decided} cases were unambiguous"
    assert same_vertex >= decided - 1


def test_two_processes_give_the_serial_result():
    X, y, v, P = _case(3, 3, 12, 3, 7)
    one = relu.local_search(X, y, 3, v, start=P, n_jobs=1)
    two = relu.local_search(X, y, 3, v, start=P, n_jobs=2)
    assert one.info["n_neighbours"] >= 4 * one.info["n_rounds"]       # the pool is used
    assert np.array_equal(one.patterns, two.patterns)
    assert np.array_equal(one.W, two.W)
    assert one.objective == two.objective and one.info["path"] == two.info["path"]
    assert (one.n_solves, one.status) == (two.n_solves, two.status)
    # first improvement ignores the pool (one neighbour at a time), same answer
    f1 = relu.local_search(X, y, 3, v, start=P, strategy="first", n_jobs=2)
    f0 = relu.local_search(X, y, 3, v, start=P, strategy="first")
    assert np.array_equal(f0.W, f1.W) and f0.info["path"] == f1.info["path"]


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_bad_n_jobs_is_named(bad):
    with pytest.raises(ValidationError, match="`n_jobs` of `local_search`"):
        relu.local_search([[0.0], [1.0]], [0.0, 1.0], 1, n_jobs=bad)


# ------------------------------------------------------------------ the LDP engine
def _cone_problem(seed, L=3, n_points=30, p=4):
    """Random points; each unit's signs from a random weight (a chamber); exact facets by LP."""
    rng = np.random.default_rng(seed)
    pts = rng.standard_normal((n_points, p))
    rows = pts / np.linalg.norm(pts, axis=1)[:, None]
    signs = np.where(rng.standard_normal((L, p)) @ rows.T > 0, 1.0, -1.0)
    M = rng.standard_normal((n_points, L * p))
    r = rng.standard_normal(n_points)
    facets = np.zeros((L, n_points), dtype=bool)
    for k in range(L):
        for i in range(n_points):
            s = signs[k].copy()
            s[i] = -s[i]
            t = lp_margin(rows, s)
            assert t <= 1e-12 or t > 1e-7
            facets[k, i] = t > 1e-7
    return M, r, rows, signs, facets


@pytest.mark.parametrize("seed", range(6))
def test_ldp_engine_on_facet_rows_equals_daqp_and_cvxpy_on_all_rows(seed):
    M, r, rows, signs, facets = _cone_problem(seed)
    assert (~facets).any(), "some rows are implied"
    full = qp.LeastSquaresProblem(M, r, rows, signs)
    ess = qp.LeastSquaresProblem(M, r, rows, signs, essential=facets)
    ref = daqp_qp(full)
    cvx = qp.solve(full, chain=("cvxpy",))
    for P in (full, ess):
        c = ldp_qp(P)
        cert = qp.certify(full, c.w, c.multipliers)           # all rows checked
        assert cert.accurate
        assert abs(full.objective(c.w) - full.objective(ref.w)) <= 1e-10 * full.objective(ref.w)
        assert abs(full.objective(c.w) - full.objective(cvx.w)) <= 1e-8 * full.objective(cvx.w)
        assert not c.multipliers[~P.essential_rows].any()
    # warm start from the answer of a neighbouring cone (one sign flipped)
    k, i = 0, int(np.flatnonzero(facets[0])[0])
    s2 = signs.copy()
    s2[k, i] = -s2[k, i]
    P2 = qp.LeastSquaresProblem(M, r, rows, s2)
    changed = np.zeros(signs.shape, dtype=bool)
    changed[k, i] = True
    mu = np.array(ref.multipliers)
    mu[k, i] = 0.0
    warm = ldp_qp(P2, qp.WarmStart(ref.w, mu, changed))
    cold = daqp_qp(P2)
    assert abs(P2.objective(warm.w) - P2.objective(cold.w)) <= 1e-10 * P2.objective(cold.w)


def test_a_wrong_essential_mask_is_caught_by_the_certificate():
    M, r, rows, signs, facets = _cone_problem(11)
    full = qp.LeastSquaresProblem(M, r, rows, signs)
    sol = qp.solve(full)
    tight = np.flatnonzero(sol.multipliers[0] > 1e-8)
    assert tight.size, "some facet of unit 0 is active at the optimum"
    wrong = facets.copy()
    wrong[0, tight] = False                       # drop a needed (active) facet
    P = qp.LeastSquaresProblem(M, r, rows, signs, essential=wrong)
    c = ldp_qp(P)
    assert not qp.certify(P, c.w, c.multipliers).ok               # infeasible on a dropped row
    s = qp.solve(P, chain=("ldp", "daqp", "clarabel", "cvxpy"))     # the chain moves on
    assert s.engine.startswith("daqp")
    assert abs(P.objective(s.w) - full.objective(sol.w)) <= 1e-10 * full.objective(sol.w)


def test_ldp_engine_leaves_a_singular_hessian_to_the_next_engine():
    rng = np.random.default_rng(3)
    rows = rng.standard_normal((6, 3))
    rows /= np.linalg.norm(rows, axis=1)[:, None]
    M = np.zeros((6, 6))
    M[:2, :3] = rng.standard_normal((2, 3))        # unit 0 active on 2 < p = 3 points
    M[:, 3:] = rng.standard_normal((6, 3))
    signs = np.where(rng.standard_normal((2, 3)) @ rows.T > 0, 1.0, -1.0)
    P = qp.LeastSquaresProblem(M, rng.standard_normal(6), rows, signs)
    with pytest.raises(qp.EngineFailure, match="singular"):
        ldp_qp(P)
    s = qp.solve(P, chain=("ldp", "daqp", "clarabel", "cvxpy"))
    assert s.certificate.ok and s.engine.startswith("daqp")
    assert s.attempts[0].engine == "ldp" and not s.attempts[0].accepted


def test_cli_n_jobs_reaches_local_search(tmp_path, capsys):
    from zonotope.cli import main

    f = tmp_path / "d.csv"
    f.write_text("0,0\n1,1\n2,0\n3,2\n4,1\n")
    assert main(["fit", str(f), "--method", "local_search", "--n-jobs", "1", "--seed", "1"]) == 0
    one = capsys.readouterr().out
    assert "local_search" in one
    assert main(["fit", str(f), "--method", "local_search", "--n-jobs", "0", "--seed", "1"]) == 2
    assert "`n_jobs` of `local_search`" in capsys.readouterr().err
    assert main(["fit", str(f), "--n-jobs", "2"]) == 2                    # not with exact
    assert "`--n-jobs` of `zonotope fit`" in capsys.readouterr().err


@pytest.mark.parametrize("seed", range(5))
def test_dual_bound_is_below_the_optimum_for_any_multipliers_and_tight_at_the_optimal_ones(seed):
    from relu.qp.certificates import dual_bound

    M, r, rows, signs, _ = _cone_problem(seed)
    P = qp.LeastSquaresProblem(M, r, rows, signs)
    opt = qp.solve(P)
    f = P.objective(opt.w)
    ref = P.objective(qp.solve(P, chain=("cvxpy",)).w)              # Clarabel's optimum
    assert abs(dual_bound(P, opt.multipliers) - f) <= 1e-8 * f       # tight (strong duality)
    rng = np.random.default_rng(seed)
    for scale in (0.0, 0.1, 1.0, 10.0):
        mu = opt.multipliers * rng.uniform(0.5, 1.5, opt.multipliers.shape) * scale \
            + scale * rng.uniform(0, 1e-2, opt.multipliers.shape)
        assert dual_bound(P, mu) <= min(f, ref) * (1 + 1e-12)
    assert dual_bound(P, -np.ones_like(opt.multipliers)) <= f        # negative entries -> 0


def test_dual_bound_of_a_singular_problem_is_minus_infinity():
    from relu.qp.certificates import dual_bound

    M = np.zeros((3, 4))
    M[:, :2] = np.random.default_rng(0).standard_normal((3, 2))     # unit 2 never active
    P = qp.LeastSquaresProblem(M, np.ones(3), np.eye(2), np.ones((2, 2)))
    assert dual_bound(P, np.zeros((2, 2))) == -np.inf


def test_bounded_neighbours_are_reported():
    X, y, v, P = _case(3, 3, 12, 3, 7)
    r = relu.local_search(X, y, 3, v, start=P)
    assert 0 < r.info["n_bounded"] <= r.n_solves
