r"""Engine ``"clarabel"``: the interior-point solver Clarabel through its own Python API.

Least squares (:func:`solve_qp`) in residual form, which keeps the condition number
of ``M`` instead of squaring it (``M^T M``):

.. math::

    \min_{w, e}\ \tfrac1N \|e\|^2 + \rho \|w\|^2
    \quad\text{s.t.}\quad M w - e = r \ (\text{zero cone}),\qquad G w \ge 0 .

Logistic (:func:`solve_logistic`) with the standard exponential-cone epigraph of
softplus: ``log(1 + e^q) <= t  <=>  p1 + p2 <= 1, (-t, 1, p1), (q - t, 1, p2) in K_exp``
with ``K_exp = cl{(x, y, z) : y > 0, y e^{x/y} <= z}`` (Clarabel's convention).
Matrices are assembled directly in CSC form; Clarabel equilibrates them itself.
Clarabel's conic form is ``A x + s = b, s in K`` with duals ``z``; with ``A = -G`` on
the sign constraints the multipliers are ``mu = z``.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))
>>> c = solve_qp(P)
>>> np.round(c.w, 8).tolist(), np.round(c.multipliers, 8).tolist()
([1.0, 0.0], [[0.0, 1.0]])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ._types import Candidate, EngineFailure

if TYPE_CHECKING:
    from ._types import Settings, WarmStart
    from .problem import LeastSquaresProblem, LossProblem

__all__ = ["solve_qp", "solve_logistic"]

#: Clarabel's accuracy settings used here (its defaults are 1e-8).
TOLERANCE = 1e-11


def _settings(max_iter=200):
    import clarabel

    st = clarabel.DefaultSettings()
    st.verbose = False
    st.tol_gap_abs = TOLERANCE
    st.tol_gap_rel = TOLERANCE
    st.tol_feas = TOLERANCE
    st.tol_ktratio = 1e-9
    st.max_iter = max_iter
    return st


def _run(P, q, A, b, cones):
    import clarabel

    solver = clarabel.DefaultSolver(P, q, A, b, cones, _settings())
    sol = solver.solve()
    status = str(sol.status)
    x = np.asarray(sol.x, dtype=np.float64)
    z = np.asarray(sol.z, dtype=np.float64)
    if status not in ("Solved", "AlmostSolved") or not np.all(np.isfinite(x)):
        raise EngineFailure(f"Clarabel status {status} after {int(sol.iterations)} iterations")
    return x, z, int(sol.iterations)


def solve_qp(problem: LeastSquaresProblem, warm: WarmStart | None = None, *,
             settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LeastSquaresProblem` with Clarabel (residual form).

    ``warm`` and ``settings`` are accepted for the common engine signature (an
    interior-point method has no useful warm start).

    Raises
    ------
    EngineFailure
        Clarabel did not reach ``Solved`` or ``AlmostSolved``.

    Examples
    --------
    Two units with two weights each; at the optimum one sign constraint per unit is
    tight (``w_1 = 0`` for unit 0, ``0.6 w_2 + 0.8 w_3 = 0`` for unit 1):

    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M, r = rng.standard_normal((6, 4)).round(1), rng.standard_normal(6).round(1)
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LeastSquaresProblem(M, r, rows, signs)
    >>> c = solve_qp(P)
    >>> (np.round(c.w, 6) + 0.0).tolist()
    [0.278785, 0.0, -0.328927, 0.246695]
    >>> (np.round(c.multipliers, 6) + 0.0).tolist()
    [[0.0, 1.143551, 0.0], [0.0, 0.0, 0.250052]]
    >>> certify(P, c.w, c.multipliers).accurate
    True
    """
    import clarabel

    M, r = problem.M, problem.r
    N, n = M.shape
    L, R = problem.n_units, problem.n_rows
    diag = np.r_[2.0 * problem.ridge, np.full(N, 2.0 / N)]
    P = sp.diags(diag, format="csc")
    q = np.zeros(n + N)
    A_eq = sp.hstack([sp.csr_matrix(M), -sp.identity(N, format="csr")])
    A_in = sp.hstack([-problem.constraint_matrix_sparse, sp.csr_matrix((L * R, N))])
    A = sp.vstack([A_eq, A_in]).tocsc()
    A.eliminate_zeros()
    b = np.r_[r, np.zeros(L * R)]
    cones = [clarabel.ZeroConeT(N), clarabel.NonnegativeConeT(L * R)]
    x, z, its = _run(P, q, A, b, cones)
    return Candidate(x[:n], np.maximum(z[N:], 0.0).reshape(L, R), its)


def solve_logistic(problem: LossProblem, warm: WarmStart | None = None, *,
                   settings: Settings | None = None) -> Candidate:
    """Solve a logistic :class:`~relu.qp.problem.LossProblem` (kept examples) with Clarabel.

    ``warm`` and ``settings`` are accepted for the common engine signature.

    Raises
    ------
    EngineFailure
        Clarabel did not reach ``Solved`` or ``AlmostSolved``, or the loss is not
        logistic.

    Examples
    --------
    Logistic loss with a ridge term; one sign constraint (of unit 1) is tight:

    >>> import numpy as np
    >>> from relu.losses import logistic
    >>> from relu.qp import LossProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M = rng.standard_normal((6, 4)).round(1)
    >>> y = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LossProblem(M, 0.0, y, logistic, rows, signs, ridge=0.1)
    >>> c = solve_logistic(P)
    >>> (np.round(c.w, 6) + 0.0).tolist(), round(P.objective(c.w), 8)
    ([0.048623, 0.96835, -0.431027, 0.32327], 0.4154605)
    >>> (np.round(c.multipliers, 6) + 0.0).tolist(), certify(P, c.w, c.multipliers).accurate
    ([[0.0, 0.0, 0.0], [0.0, 0.0, 0.037747]], True)
    """
    import clarabel

    if problem.kind != "logistic":
        raise EngineFailure(f"the Clarabel engine has no conic form of the loss {problem.kind!r}")
    M, keep = problem.M, problem.keep
    sigma = 2.0 * problem.y - 1.0
    N, n = M.shape
    L, R = problem.n_units, problem.n_rows
    idx = np.flatnonzero(keep)
    nr = idx.size
    # variables: w (n) | t (nr) | p1 (nr) | p2 (nr)
    nv = n + 3 * nr
    it, ip1, ip2 = n, n + nr, n + 2 * nr
    P = sp.diags(np.r_[2.0 * problem.ridge, np.zeros(3 * nr)], format="csc")
    q = np.zeros(nv)
    q[it:it + nr] = 1.0 / N
    ar = np.arange(nr)
    # (a) p1 + p2 <= 1 (nonnegative cone: s = 1 - p1 - p2)
    Aa = sp.csr_matrix((np.ones(2 * nr), (np.r_[ar, ar], np.r_[ip1 + ar, ip2 + ar])), shape=(nr, nv))
    # (b) G w >= 0 (s = G w)
    G = problem.constraint_matrix_sparse
    Ab = sp.hstack([-G, sp.csr_matrix((L * R, 3 * nr))]).tocsr()
    # (c) exponential cones, interleaved: (-t, 1, p1) and (q - t, 1, p2) with
    #     q = -sigma (M w + b):  s1 = -sigma M w - sigma b - t
    SM = sigma[idx, None] * M[idx]
    r0 = 6 * ar
    tt, cc = np.nonzero(SM)
    rows = np.concatenate([r0, r0 + 2, r0 + 3, r0 + 5, 6 * tt + 3])
    cols = np.concatenate([it + ar, ip1 + ar, it + ar, ip2 + ar, cc])
    vals = np.concatenate([np.ones(nr), -np.ones(nr), np.ones(nr), -np.ones(nr), SM[tt, cc]])
    bc = np.zeros(6 * nr)
    bc[r0 + 1] = 1.0
    bc[r0 + 3] = -sigma[idx] * problem.bias
    bc[r0 + 4] = 1.0
    Ac = sp.csr_matrix((vals, (rows, cols)), shape=(6 * nr, nv))
    A = sp.vstack([Aa, Ab, Ac]).tocsc()
    A.eliminate_zeros()
    b = np.r_[np.ones(nr), np.zeros(L * R), bc]
    cones = [clarabel.NonnegativeConeT(nr + L * R)] + [clarabel.ExponentialConeT()] * (2 * nr)
    x, z, its = _run(P, q, A, b, cones)
    mu = np.maximum(z[nr:nr + L * R], 0.0).reshape(L, R)
    return Candidate(x[:n], mu, its)
