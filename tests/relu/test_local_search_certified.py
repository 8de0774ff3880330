"""Local search stops at a *certified* local minimum; mGLS tries flips in multiplier order.

Oracles independent of the code under test: neighbours by a float max-margin LP
(scipy ``linprog``, on well-conditioned Gaussian data) and by the exact predicate
:func:`relu.is_chamber_pattern`; neighbour optima by the cvxpy/Clarabel reference of
:func:`relu.solve_subproblem` (``method="cvxpy"``).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

import relu
from zonotope.exceptions import ValidationError


def lp_is_chamber(Xb, signs):
    """Max-margin LP: ``max t`` s.t. ``s_k x_k . w >= t``, ``|w| <= 1``; chamber iff t > 0."""
    G = Xb * np.asarray(signs, dtype=float)[:, None]
    n, p = G.shape
    res = linprog(np.r_[np.zeros(p), -1.0], A_ub=np.hstack([-G, np.ones((n, 1))]),
                  b_ub=np.zeros(n), bounds=[(-1, 1)] * p + [(None, 1)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


def brute_force_neighbours(X, y, r, v):
    """``[(j, i, objective)]`` of every chamber flip of ``r.patterns`` (cvxpy reference)."""
    Xb = np.c_[X, np.ones(len(X))]
    out = []
    for j in range(r.patterns.shape[0]):
        if v[j] == 0:
            continue
        for i in range(r.patterns.shape[1]):
            A = r.patterns.copy()
            A[j, i] ^= 1
            s = 2 * A[j].astype(int) - 1
            lp = lp_is_chamber(Xb, s)
            assert lp == relu.is_chamber_pattern(X, A[j])
            if lp:
                ref = relu.solve_subproblem(X, y, A, v, method="cvxpy", check=False)
                out.append((j, i, ref.objective))
    return out


@pytest.mark.parametrize("strategy", ["best", "first"])
@pytest.mark.parametrize("case", [(2, 8, 2, 0), (5, 40, 1, 1)])
def test_converged_search_is_a_local_minimum_by_brute_force(strategy, case):
    # (5, 40, 1): > 200,000 chambers, so neighbours come from the certified facet filter
    d, n, m, seed = case
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((n, d)), rng.standard_normal(n)
    v = relu.alternating_second_layer(m)
    r = relu.local_search(X, y, m, v, strategy=strategy, rng=seed)
    assert r.status == "converged" and r.info["certified"]
    scale = float(np.mean(y ** 2))
    nbrs = brute_force_neighbours(X, y, r, v)
    assert nbrs, "a vertex has neighbours"
    for j, i, f in nbrs:
        assert f >= r.objective - 1e-7 * scale, (j, i, f, r.objective)
    # the reported optimum is the cvxpy optimum at the final vertex
    ref = relu.solve_subproblem(X, y, r.patterns, v, method="cvxpy")
    assert abs(ref.objective - r.objective) <= 1e-7 * scale
    if strategy == "best":
        assert r.info["n_neighbours"] >= len(nbrs)


def test_moves_strictly_decrease_and_every_vertex_is_a_chamber():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((30, 4)), rng.standard_normal(30)
    r = relu.local_search(X, y, 3, strategy="first", rng=2)
    path = r.info["path"]
    assert all(a > b for a, b in zip(path, path[1:]))
    Xb = np.c_[X, np.ones(30)]
    for j in range(3):
        assert lp_is_chamber(Xb, 2 * r.patterns[j].astype(int) - 1)


def _expected_first_move(X, y, P, v):
    """The flip mGLS must take first, from the multipliers (None if not determined).

    mGLS tries the flips whose constraint is active with ``mu' < 0`` first, most
    negative first (``mu' < 0`` improves to first order unless the multipliers are not
    unique, e.g. at ``w_j = 0``), and moves to the first that improves.
    """
    res = relu.solve_subproblem(X, y, P, v)
    N, m = X.shape[0], P.shape[0]
    Xb = np.c_[X, np.ones(N)]
    Z = Xb @ res.W.T
    out = np.maximum(Z, 0) @ v[:m] + v[-1]
    c = 2.0 * (out - y)[None, :] * v[:m, None] / N                 # (1/N) l'_i v_j
    mu_new = c - res.multipliers
    scale = np.linalg.norm(res.W, axis=1)[:, None] * np.linalg.norm(Xb, axis=1)[None, :]
    active = np.abs(Z.T) <= 1e-9 * scale
    cands = [(mu_new[j, i], j, i) for j in range(m) for i in range(N)
             if active[j, i] and mu_new[j, i] < -1e-6 * max(abs(c[j, i]), 1e-12)]
    scale = float(np.mean(y ** 2))
    for val, j, i in sorted(cands):
        A = P.copy()
        A[j, i] ^= 1
        if relu.is_chamber_pattern(X, A[j]):
            ref = relu.solve_subproblem(X, y, A, v, method="cvxpy").objective
            if ref < res.objective - 1e-6 * scale:
                return A
            if ref < res.objective + 1e-6 * scale:
                return None          # too close to call against the tolerance
    return None


def test_mgls_takes_the_most_negative_corrected_multiplier_first():
    checked = 0
    for seed in range(12):
        rng = np.random.default_rng(100 + seed)
        X, y = rng.standard_normal((12, 2)), rng.standard_normal(12)
        v = relu.alternating_second_layer(2)
        P, _ = relu.random_pattern(X, 2, rng=seed)
        want = _expected_first_move(X, y, P, v)
        if want is None:
            continue
        r = relu.local_search(X, y, 2, v, start=P, strategy="first", max_steps=1)
        assert r.info["n_moves"] == 1
        assert np.array_equal(r.patterns, want)
        checked += 1
    assert checked >= 3


def test_kkt_skips_and_tolerance_are_reported():
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    r = relu.local_search(X, y, 2, rng=3)
    info = r.info
    assert info["tol"] == 1e-9 and info["n_skipped"] <= info["n_neighbours"]
    assert r.n_solves >= 1 + info["n_moves"]
    with pytest.raises(ValidationError, match="`tol` of `local_search`"):
        relu.local_search(X, y, 2, tol=-1.0)
