r"""The logistic subproblem: attainment test (an LP) and a direct Clarabel conic solve.

Problem, for kept examples ``R`` (all examples unless the infimum is unattained):

.. math::

    \min_w\; \tfrac1N \sum_{i \in R} \log(1 + e^{-\sigma_i z_i(w)}) + \rho\|w\|^2
    \quad\text{s.t.}\quad G w \ge 0,
    \qquad z(w) = M w + b,\ \sigma_i = 2 y_i - 1 .

*Attainment* (``rho = 0``).  A recession direction ``D`` of the feasible cone
(``G D >= 0``) with ``sigma_i (M D)_i >= 0`` for all ``i`` lowers every term it
touches, for ever.  The LP ``max sum_i t_i`` s.t. ``0 <= t_i <= 1``,
``t_i <= sigma_i (M D)_i``, ``sigma_i (M D)_i >= 0``, ``G D >= 0`` has optimal value
``|S|`` where ``S`` is the largest such support (directions form a convex cone, so
supports unite; scale a direction of support ``S`` until every ``sigma_i (MD)_i >= 1``)
and every optimal solution has ``t = 1_S``.  If ``S`` is empty the infimum is attained
(the level sets of the objective are bounded in output space).  Otherwise the
infimum equals the minimum of the same problem restricted to ``R = S^c``: moving
along ``D`` keeps feasibility and the ``R`` terms, and sends the ``S`` terms to 0; the
restricted problem has no improving direction left, so its minimum is attained.

*Conic form* (the standard exponential-cone epigraph of softplus):
``log(1 + e^q) <= u  <=>  p1 + p2 <= 1, (-u, 1, p1) in K_exp, (q - u, 1, p2) in K_exp``
with ``K_exp = cl{(x, y, z) : y > 0, y e^{x/y} <= z}`` (Clarabel's convention).
The matrices are assembled directly in CSC form (no modelling layer, no explicit
zeros) and passed to Clarabel.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["separable_set", "solve_clarabel"]


def _G_sparse(Xn, S):
    """Block-diagonal constraint matrix ``G`` (L N, L p) as CSR."""
    L, N = S.shape
    p = Xn.shape[1]
    data = (S[:, :, None] * Xn[None, :, :]).reshape(-1)
    rows = np.repeat(np.arange(L * N), p)
    cols = (np.arange(L)[:, None, None] * p + np.arange(p)[None, None, :]).repeat(N, axis=1).reshape(-1)
    return sp.csr_matrix((data, (rows, cols)), shape=(L * N, L * p))


def separable_set(M, sigma, Xn, S, *, tol=0.5):
    """Largest set of examples that a recession direction drives to zero loss.

    Returns ``(mask (N,), D (n,))``; ``mask`` is all False when the infimum is
    attained.  Raises ``RuntimeError`` if the LP fails.
    """
    from scipy.optimize import linprog

    N, n = M.shape
    if n == 0:
        return np.zeros(N, dtype=bool), np.zeros(0)
    G = _G_sparse(Xn, S)
    SM = sp.csr_matrix(sigma[:, None] * M)
    I = sp.identity(N, format="csr")
    Z = sp.csr_matrix((G.shape[0], N))
    A_ub = sp.vstack([sp.hstack([-SM, I]), sp.hstack([-SM, sp.csr_matrix((N, N))]),
                      sp.hstack([-G, Z])]).tocsr()
    b_ub = np.zeros(A_ub.shape[0])
    c = np.r_[np.zeros(n), -np.ones(N)]
    bounds = [(None, None)] * n + [(0.0, 1.0)] * N
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"attainment LP failed: {res.message}")
    t = res.x[n:]
    mask = t > tol
    D = res.x[:n]
    if mask.any():
        nrm = np.linalg.norm(D)
        D = D / nrm if nrm > 0 else D
    else:
        D = np.zeros(n)
    return mask, D


def solve_clarabel(M, bias, sigma, Xn, S, n_total, ridge, keep, *, tol=1e-10, max_iter=200):
    """Solve the (restricted) logistic problem with Clarabel; conic data built directly.

    Parameters
    ----------
    M : (N, n) masked design matrix; bias : float output bias; sigma : (N,) in {-1, +1}
    Xn, S : normalised points (N, p) and signs (L, N) of the live units
    n_total : int
        ``N`` of the mean (all examples, kept or not).
    ridge : float
    keep : (N,) bool, the examples ``R`` in the objective

    Returns
    -------
    w (n,), mu (L, N) multipliers of ``G w >= 0`` in normalised-row units, info dict.
    """
    import clarabel

    N, n = M.shape
    L = S.shape[0]
    R = np.nonzero(keep)[0]
    nr = R.size
    # variables: w (n) | u (nr) | p1 (nr) | p2 (nr)
    nv = n + 3 * nr
    iu, ip1, ip2 = n, n + nr, n + 2 * nr
    if ridge:
        P = sp.csc_matrix((np.full(n, 2.0 * ridge), (np.arange(n), np.arange(n))), shape=(nv, nv))
    else:
        P = sp.csc_matrix((nv, nv))
    q = np.zeros(nv)
    q[iu:iu + nr] = 1.0 / n_total
    blocks_A, blocks_b = [], []
    # (a) p1 + p2 <= 1  (nonnegative cone)
    ar = np.arange(nr)
    Aa = sp.csr_matrix((np.ones(2 * nr), (np.r_[ar, ar], np.r_[ip1 + ar, ip2 + ar])), shape=(nr, nv))
    blocks_A.append(Aa)
    blocks_b.append(np.ones(nr))
    # (b) G w >= 0  ->  s = -(-G w) ... s = b - A x with A = -G
    G = _G_sparse(Xn, S)
    Ab = sp.hstack([-G, sp.csr_matrix((G.shape[0], 3 * nr))]).tocsr()
    blocks_A.append(Ab)
    blocks_b.append(np.zeros(G.shape[0]))
    # (c), (d): exponential cones, interleaved as triples
    # triple 1: (-u, 1, p1):   s1 = -u  -> A = +1 on u ; s2 = 1 ; s3 = p1 -> A = -1 on p1
    # triple 2: (q - u, 1, p2) with q = -sigma (M w + b):
    #           s1 = -sigma M w - sigma b - u  -> A = sigma M on w, +1 on u ; b = -sigma b
    SM = sigma[R, None] * M[R]
    t = np.arange(nr)
    r0 = 6 * t
    tt, cc = np.nonzero(SM)
    rows = np.concatenate([r0, r0 + 2, r0 + 3, r0 + 5, 6 * tt + 3])
    cols = np.concatenate([iu + t, ip1 + t, iu + t, ip2 + t, cc])
    vals = np.concatenate([np.ones(nr), -np.ones(nr), np.ones(nr), -np.ones(nr), SM[tt, cc]])
    bvec = np.zeros(6 * nr)
    bvec[r0 + 1] = 1.0
    bvec[r0 + 3] = -sigma[R] * bias
    bvec[r0 + 4] = 1.0
    Ac = sp.csr_matrix((vals, (rows, cols)), shape=(6 * nr, nv))
    blocks_A.append(Ac)
    blocks_b.append(bvec)
    A = sp.vstack(blocks_A).tocsc()
    A.eliminate_zeros()
    b = np.concatenate(blocks_b)
    cones = [clarabel.NonnegativeConeT(nr + G.shape[0])] + [clarabel.ExponentialConeT()] * (2 * nr)
    st = clarabel.DefaultSettings()
    st.verbose = False
    st.tol_gap_abs = tol
    st.tol_gap_rel = tol
    st.tol_feas = tol
    st.tol_ktratio = 1e-8
    st.max_iter = max_iter
    solver = clarabel.DefaultSolver(P, q, A, b, cones, st)
    sol = solver.solve()
    status = str(sol.status)
    x = np.asarray(sol.x)
    z = np.asarray(sol.z)
    mu = z[nr:nr + G.shape[0]].reshape(L, N) if G.shape[0] else np.zeros((L, N))
    return x[:n], np.maximum(mu, 0.0), {"status": status, "iterations": int(sol.iterations)}
