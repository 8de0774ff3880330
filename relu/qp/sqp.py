r"""Newton steps with DAQP: the logistic engine behind Clarabel.

A logistic :class:`~relu.qp.problem.LossProblem` is smooth and convex, and its
constraints are the sign rows ``G w >= 0``.  This engine runs a damped Newton method
on that polyhedral cone: each step solves, with DAQP, the quadratic model

.. math::

    \min_d\; g^\top d + \tfrac12 d^\top (H + \lambda I) d
    \quad\text{s.t.}\quad G (w + d) \ge 0 ,

and takes the largest step ``t`` in ``1, 1/2, 1/4, ...`` with Armijo's decrease.  Since
``w`` and ``w + d`` are both in the cone, so is every ``w + t d`` (convexity), and the
objective decreases monotonically.  The multipliers of the last model's constraints
are the candidate multipliers; as for every engine, the answer counts only if the KKT
certificate (:func:`relu.qp.certificates.certify`) accepts it.  The small shift
``lambda`` (relative ``1e-7`` of the Jacobi-scaled Hessian) keeps the model strictly
convex where the kept examples leave directions flat (rank-deficient ``M``).

It exists because Clarabel's exponential-cone form of the logistic loss can stall
(``InsufficientProgress``) on integer-valued data with many repeated rows, a problem
this Newton method solves in a few steps.

Examples
--------
The example of :func:`relu.qp.clarabel.solve_logistic`, solved by Newton steps; the
certificate accepts it and both engines agree:

>>> import numpy as np
>>> from relu.losses import logistic
>>> from relu.qp import LossProblem, certify
>>> from relu.qp.clarabel import solve_logistic
>>> rng = np.random.default_rng(8)
>>> M = rng.standard_normal((6, 4)).round(1)
>>> y = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
>>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
>>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])
>>> P = LossProblem(M, 0.0, y, logistic, rows, signs, ridge=0.1)
>>> c = solve_logistic_newton(P)
>>> round(P.objective(c.w), 8), certify(P, c.w, c.multipliers).accurate
(0.4154605, True)
>>> bool(np.abs(c.w - solve_logistic(P).w).max() < 1e-6)
True
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._types import Candidate, EngineFailure, Settings, WarmStart
from .certificates import certify

if TYPE_CHECKING:
    from .problem import LossProblem

__all__ = ["solve_logistic_newton"]

#: Relative shift of the Jacobi-scaled Hessian in each Newton model.
SHIFT = 1e-7
#: Newton steps before the engine gives up (it returns its last point then).
MAX_STEPS = 200
#: Armijo's sufficient-decrease fraction.
ARMIJO = 1e-4


def _start(problem, warm, G):
    if warm is not None and warm.w is not None:
        w0 = np.asarray(warm.w, dtype=np.float64)
        if w0.shape == (problem.n_vars,) and np.all(np.isfinite(w0)) and np.all(G @ w0 >= 0):
            return w0.copy()
    return np.zeros(problem.n_vars)


def solve_logistic_newton(problem: LossProblem, warm: WarmStart | None = None, *,
                          settings: Settings | None = None) -> Candidate:
    """Solve a logistic :class:`~relu.qp.problem.LossProblem` by Newton steps with DAQP.

    Parameters
    ----------
    problem : LossProblem
        Logistic loss (the engine needs :meth:`~relu.qp.problem.LossProblem.hessian`).
    warm : WarmStart, optional
        Its ``w`` is the starting point when it satisfies every sign row; else 0.
    settings : Settings, optional
        Unused (the common engine signature).

    Returns
    -------
    Candidate
        Not yet certified (see :func:`relu.qp.chain.solve`).

    Raises
    ------
    EngineFailure
        The loss is not logistic, DAQP failed on a Newton model, or a value was not
        finite.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.losses import logistic
    >>> from relu.qp import LossProblem
    >>> P = LossProblem(np.eye(2), 0.0, np.array([1.0, 0.0]), logistic, np.eye(2),
    ...                 np.array([[1.0, 1.0]]), ridge=0.5)
    >>> c = solve_logistic_newton(P)
    >>> np.round(c.w, 6).tolist(), np.round(c.multipliers, 6).tolist()
    ([0.222323, 0.0], [[0.0, 0.25]])

    The label ``y_2 = 0`` pushes ``w_2`` below 0; the sign row ``w_2 >= 0`` stops it,
    with multiplier ``sigma(0) / 2 = 0.25``.
    """
    import daqp

    if problem.kind != "logistic":
        raise EngineFailure(f"the Newton engine has no Hessian for the loss {problem.kind!r}")
    L, R = problem.n_units, problem.n_rows
    G = np.asarray(problem.constraint_matrix, dtype=np.float64)
    n = problem.n_vars
    nc = G.shape[0]
    w = _start(problem, warm, G)
    f = problem.objective(w)
    mu = np.zeros(nc)
    its = 0
    for _ in range(MAX_STEPS):
        g = problem.gradient(w)
        H = problem.hessian(w)
        if not (np.isfinite(f) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
            raise EngineFailure("the Newton engine met a non-finite value")
        d_ = np.diag(H).copy()
        dmax = float(d_.max(initial=0.0))
        D = 1.0 / np.sqrt(np.maximum(d_, 1e-30 * dmax)) if dmax > 0 else np.ones(n)
        Hs = H * D[:, None] * D[None, :]
        Hs[np.diag_indices(n)] += SHIFT * max(float(np.trace(Hs)) / n, 1e-300)
        Gs = G * D[None, :]
        gn = np.linalg.norm(Gs, axis=1)
        gn[gn == 0] = 1.0
        Gs = Gs / gn[:, None]
        s = (G @ w) / gn                                     # rows of Gs at w / D
        x, _, flag, info = daqp.solve(Hs, D * g, Gs, np.full(nc, 1e30), -s,
                                      np.zeros(nc, dtype=np.intc), primal_tol=1e-12,
                                      iter_limit=1000 + 20 * n, eps_prox=0.0)
        its += int(info["iterations"])
        if flag < 0 or not np.all(np.isfinite(x)):
            raise EngineFailure(f"DAQP exit flag {int(flag)} on a Newton model")
        d = D * x
        mu = np.maximum(-np.asarray(info["lam"], dtype=np.float64), 0.0) / gn
        slope = float(g @ d)
        if not slope < 0:                                    # no descent left: stationary
            break
        t = 1.0
        while True:
            fn = problem.objective(w + t * d)
            if fn <= f + ARMIJO * t * slope:
                break
            t *= 0.5
            if t < 1e-16:
                break
        if t < 1e-16:
            break
        w = w + t * d
        f = fn
        if certify(problem, w, mu.reshape(L, R)).accurate:
            break
    return Candidate(w, mu.reshape(L, R), its)
