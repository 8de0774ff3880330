r"""Engine ``"ldp"``: DAQP on the least-distance form, essential rows only.

The QP ``1/2 w^T H w + f^T w`` s.t. ``G w >= 0`` of a
:class:`~relu.qp.problem.LeastSquaresProblem` is transformed here, with LAPACK, into
the least-distance problem (LDP)

.. math::

    \min_u \tfrac12 \|u\|^2 \quad\text{s.t.}\quad (G D C^{-1})\, u \ge G D h,
    \qquad w = D (C^{-1} u - h),

with the Jacobi scaling ``D = diag(H)^(-1/2)``, the Cholesky factor ``C`` of
``D H D`` (:meth:`~relu.qp.problem.SignConstrainedProblem.scaled_factor`, which the
certificate reuses for its Newton decrement) and ``h = (D H D)^{-1} D f``.  DAQP
then sees an identity Hessian, for which its setup costs one pass over the rows
(DAQP detects a diagonal Hessian) instead of a dense ``n x n`` product per row;
the rows ``G D C^{-1}`` are formed block by block (``G`` is block diagonal).  Only
the problem's *essential* rows are passed
(:attr:`~relu.qp.problem.SignConstrainedProblem.essential_rows`: e.g. the facets of
each unit's chamber, the other rows being implied); the chain's certificate checks
every row.  A warm start passes its positive multipliers as DAQP's ``dual_start``.

A numerically singular Hessian (units active on fewer than ``p`` points) is left to
the next engine of the chain (``"daqp"``), which handles it.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))
>>> c = solve_qp(P)
>>> np.round(c.w, 12).tolist(), np.round(c.multipliers, 12).tolist()
([1.0, 0.0], [[0.0, 1.0]])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._types import Candidate, EngineFailure

if TYPE_CHECKING:
    from ._types import Settings, WarmStart
    from .problem import LeastSquaresProblem

__all__ = ["solve_qp", "SINGULAR_PIVOT"]

_BIG = 1e30
#: A scaled Cholesky pivot whose square is below this marks the Hessian singular
#: (the same test as the ``"daqp"`` engine's).
SINGULAR_PIVOT = 1e-13


def solve_qp(problem: LeastSquaresProblem, warm: WarmStart | None = None, *,
             settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LeastSquaresProblem` as a least-distance problem.

    Parameters
    ----------
    problem : LeastSquaresProblem
    warm : WarmStart, optional
        Its positive multipliers on essential rows seed DAQP's active set.
    settings : Settings, optional
        Unused (the common engine signature).

    Returns
    -------
    Candidate
        Not yet certified (see :func:`relu.qp.chain.solve`); multipliers are 0 on the
        rows left out.

    Raises
    ------
    EngineFailure
        Singular Hessian (left to the next engine), DAQP failure, or non-finite values.

    Examples
    --------
    The same two-unit problem as in :func:`relu.qp.daqp.solve_qp`; giving the engine
    only the rows that define each cone (here: unit 2's third row is implied by its
    first two, since ``-(0.6, 0.8) = 0.6 (-1, 0) + 0.8 (0, -1)``) gives the same answer,
    and the certificate (which checks every row) accepts it:

    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem, certify
    >>> from relu.qp.daqp import solve_qp as daqp_qp
    >>> rng = np.random.default_rng(8)
    >>> M, r = rng.standard_normal((6, 4)).round(1), rng.standard_normal(6).round(1)
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]])
    >>> essential = np.array([[True, True, False], [True, True, False]])
    >>> P = LeastSquaresProblem(M, r, rows, signs, essential=essential)
    >>> c = solve_qp(P)
    >>> bool(np.abs(c.w - daqp_qp(P).w).max() < 1e-12), certify(P, c.w, c.multipliers).accurate
    (True, True)
    """
    import daqp
    from scipy.linalg import lapack

    L, R, p, n = problem.n_units, problem.n_rows, problem.p, problem.n_vars
    try:
        D, C = problem.scaled_factor()
    except np.linalg.LinAlgError:
        raise EngineFailure("the Hessian is not positive definite") from None
    if float(np.diag(C).min(initial=1.0)) ** 2 < SINGULAR_PIVOT:
        raise EngineFailure("singular Hessian (left to the next engine)")
    Ci, info = lapack.dtrtri(C, lower=0)
    if info != 0:  # pragma: no cover - C is a successful Cholesky factor
        raise EngineFailure("singular Cholesky factor")
    fs = problem.linear_term * D
    h = Ci @ (Ci.T @ fs)                                   # (D H D)^{-1} D f
    k, i = np.nonzero(problem.essential_rows)
    nc = k.size
    x = -h
    lam = np.zeros((L, R))
    its = 0
    if nc:
        sg = problem.signs[k, i]
        rowsD = problem.rows[i] * (D.reshape(L, p)[k] * sg[:, None])     # (nc, p): s u_i D_k
        A = np.empty((nc, n))
        bounds = np.searchsorted(k, np.arange(L + 1))
        for kk in np.flatnonzero(bounds[1:] > bounds[:-1]):
            a, b = bounds[kk], bounds[kk + 1]
            np.matmul(rowsD[a:b], Ci[kk * p:(kk + 1) * p], out=A[a:b])
        rhs = np.einsum("tp,tp->t", rowsD, h.reshape(L, p)[k])
        an = np.sqrt(np.einsum("tn,tn->t", A, A))
        an[an == 0] = 1.0
        A /= an[:, None]
        rhs /= an
        kw = {}
        if warm is not None and warm.multipliers is not None:
            l0 = np.asarray(warm.multipliers, dtype=np.float64).reshape(L, R)[k, i] * an
            if np.any(l0 > 0):
                kw["dual_start"] = -np.where(l0 > 0, l0, 0.0)
        u, _, flag, inf = daqp.solve(np.eye(n), np.zeros(n), A, np.full(nc, _BIG), rhs,
                                     np.zeros(nc, dtype=np.intc), primal_tol=1e-12,
                                     iter_limit=1000 + 20 * n, eps_prox=0.0, **kw)
        its = int(inf["iterations"])
        if flag < 0 or not np.isfinite(u).all():
            raise EngineFailure(f"DAQP exit flag {int(flag)} after {its} iterations (LDP form)")
        x = Ci @ u - h
        lam[k, i] = np.maximum(-np.asarray(inf["lam"], dtype=np.float64), 0.0) / an
    w = D * x
    if not np.all(np.isfinite(w)):
        raise EngineFailure("non-finite weights (LDP form)")
    return Candidate(w, lam, its)

