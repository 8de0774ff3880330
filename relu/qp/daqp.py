"""Engine ``"daqp"``: the dual active-set solver DAQP through its Python API.

The QP ``1/2 w^T H w + f^T w`` s.t. ``G w >= 0`` of a
:class:`~relu.qp.problem.LeastSquaresProblem` is handed to :func:`daqp.solve` with
all ``n_units * n_rows`` constraints, after a diagonal (Jacobi) change of variables
``w = D x`` with ``D = diag(H)^(-1/2)``: features on scales from ``1e-8`` to ``1e8``
then give a Hessian with unit diagonal, and the constraint rows ``G D`` are
renormalised.  A singular Hessian (low-rank data, duplicated units, units active on
fewer than ``p`` points) gets ``1e-10`` added to its (unit) diagonal -- DAQP's own
proximal-point mode was measured to need up to ``1e5`` iterations (40 s) on such
problems; the small bias this leaves is removed by the chain's polish step, which
starts from DAQP's active set.  A warm start passes the previous multipliers as
``dual_start`` (DAQP's own warm start).

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

__all__ = ["solve_qp"]

_BIG = 1e30
#: Added to the unit diagonal of a numerically singular (Jacobi-scaled) Hessian.
SINGULAR_SHIFT = 1e-10


def _singular(Hs):
    """Whether the Jacobi-scaled Hessian is numerically singular (Cholesky pivot test)."""
    from scipy.linalg import lapack

    C, info = lapack.dpotrf(Hs, lower=0, clean=1)
    return bool(info != 0 or float(np.abs(np.diag(C)).min(initial=1.0)) ** 2 < 1e-13)


def _jacobi(H):
    d = np.diag(H).copy()
    dmax = float(d.max(initial=0.0))
    if not dmax > 0:
        return np.ones_like(d)
    return 1.0 / np.sqrt(np.maximum(d, 1e-30 * dmax))


def solve_qp(problem: LeastSquaresProblem, warm: WarmStart | None = None, *,
             settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LeastSquaresProblem` with DAQP.

    Parameters
    ----------
    problem : LeastSquaresProblem
    warm : WarmStart, optional
        Its multipliers (shape (n_units, n_rows)) seed DAQP's active set.
    settings : Settings, optional
        Unused (the common engine signature).

    Returns
    -------
    Candidate
        Not yet certified (see :func:`relu.qp.chain.solve`).

    Raises
    ------
    EngineFailure
        DAQP reported failure or returned non-finite values.

    Examples
    --------
    Two units with two weights each, one tight sign constraint per unit; a warm
    start from the answer's multipliers converges at once, and Clarabel (an
    interior-point method) agrees:

    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M, r = rng.standard_normal((6, 4)).round(1), rng.standard_normal(6).round(1)
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LeastSquaresProblem(M, r, rows, signs)
    >>> cold = solve_qp(P)
    >>> (np.round(cold.w, 6) + 0.0).tolist(), certify(P, cold.w, cold.multipliers).accurate
    ([0.278785, 0.0, -0.328927, 0.246695], True)
    >>> from relu.qp import WarmStart
    >>> warm = solve_qp(P, WarmStart(cold.w, cold.multipliers, np.zeros((2, 3), dtype=bool)))
    >>> warm.iterations <= cold.iterations, bool(np.abs(warm.w - cold.w).max() < 1e-12)
    (True, True)
    >>> from relu.qp.clarabel import solve_qp as clarabel_qp
    >>> bool(np.abs(clarabel_qp(P).w - cold.w).max() < 1e-8)
    True
    """
    import daqp

    L, R = problem.n_units, problem.n_rows
    H = problem.hessian()
    D = _jacobi(H)
    Hs = H * D[:, None] * D[None, :]
    if _singular(Hs):
        Hs = Hs + SINGULAR_SHIFT * np.eye(Hs.shape[0])
    fs = problem.linear_term * D
    G = problem.constraint_matrix * D[None, :]
    gn = np.linalg.norm(G, axis=1)
    G = G / gn[:, None]
    nc = L * R
    kw = {}
    if warm is not None and warm.multipliers is not None:
        mu0 = np.asarray(warm.multipliers, dtype=np.float64).reshape(-1) * gn
        if np.any(mu0 > 0):
            kw["dual_start"] = -np.where(mu0 > 0, mu0, 0.0)
    x, _, flag, info = daqp.solve(Hs, fs, G, np.full(nc, _BIG), np.zeros(nc),
                                  np.zeros(nc, dtype=np.intc), primal_tol=1e-12,
                                  iter_limit=1000 + 20 * Hs.shape[0], eps_prox=0.0, **kw)
    its = int(info["iterations"])
    if flag < 0 or not np.all(np.isfinite(x)):
        raise EngineFailure(f"DAQP exit flag {int(flag)} after {its} iterations")
    w = D * x
    mu = (np.maximum(-np.asarray(info["lam"], dtype=np.float64), 0.0) / gn).reshape(L, R)
    return Candidate(w, mu, its)
