"""Engine ``"cvxpy"``: the reference, a cvxpy problem solved by Clarabel (or another solver).

The problem is stated in cvxpy (``sum_squares`` / ``logistic`` atoms and the sign
constraints ``G w >= 0``) and handed to the solver named in
:class:`~relu.qp.chain.Settings` (default Clarabel, with tolerances tightened to
1e-12; if Clarabel cannot reach them, again with its default tolerances).  The
multipliers are cvxpy's dual values of the constraints.  Slow (the modelling layer
rebuilds everything per call) but independent of every other engine: the last
engine of the chains and the reference of the tests.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))
>>> c = solve_qp(P)
>>> np.round(c.w, 8).tolist(), c.status
([1.0, 0.0], 'optimal')
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._types import Candidate, EngineFailure, Settings

if TYPE_CHECKING:
    from ._types import WarmStart
    from .problem import LeastSquaresProblem, LossProblem

__all__ = ["solve_qp", "solve_loss", "ReferenceCandidate"]


@dataclass(frozen=True, eq=False)
class ReferenceCandidate(Candidate):
    """A :class:`Candidate` with cvxpy's status and the label of the solver that produced it.

    Attributes
    ----------
    status : str
        cvxpy's status, ``"optimal"`` or ``"optimal_inaccurate"``.
    label : str
        The solver, and ``"(default tol)"`` when Clarabel's tightened tolerances
        could not be reached and its defaults were used.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import Candidate
    >>> c = ReferenceCandidate(np.zeros(2), np.zeros((1, 2)), 12, status="optimal_inaccurate",
    ...                        label="CLARABEL(default tol)")
    >>> isinstance(c, Candidate), c.status, c.iterations
    (True, 'optimal_inaccurate', 12)
    """

    status: str = "optimal"
    label: str = ""


def _solve(build, solver):
    import cvxpy as cp

    if solver not in cp.installed_solvers():
        raise EngineFailure(f"cvxpy solver {solver!r} is not installed (installed: "
                            + ", ".join(cp.installed_solvers()) + ")")
    tries = [({}, solver)]
    if solver == "CLARABEL":
        tries = [(dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12, tol_ktratio=1e-10,
                       max_iter=500), "CLARABEL"), ({}, "CLARABEL(default tol)")]
    err = None
    for opts, label in tries:
        prob, w, cons = build()
        try:
            with warnings.catch_warnings():
                # an inaccurate answer is reported through the status, not a warning
                warnings.filterwarnings("ignore", message="Solution may be inaccurate")
                prob.solve(solver=solver, **opts)
        except cp.error.SolverError as exc:
            err = f"cvxpy/{label} failed: {exc}"
            continue
        if prob.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) and w.value is not None:
            mu = cons[0].dual_value if cons else None
            return ReferenceCandidate(
                np.asarray(w.value, dtype=np.float64).reshape(-1),
                None if mu is None else np.maximum(np.asarray(mu, dtype=np.float64), 0.0),
                int(prob.solver_stats.num_iters or 0), status=str(prob.status), label=label)
        err = f"cvxpy/{label} returned status {prob.status!r}"
    raise EngineFailure(err)


def _reshape(problem, cand):
    L, R = problem.n_units, problem.n_rows
    mu = np.zeros((L, R)) if cand.multipliers is None else cand.multipliers.reshape(L, R)
    return ReferenceCandidate(cand.w, mu, cand.iterations, status=cand.status, label=cand.label)


def solve_qp(problem: LeastSquaresProblem, warm: WarmStart | None = None, *,
             settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LeastSquaresProblem` through cvxpy.

    Returns
    -------
    ReferenceCandidate

    Raises
    ------
    EngineFailure
        The solver failed or is not installed.

    Examples
    --------
    The reference and DAQP (an active-set method) find the same optimum:

    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M, r = rng.standard_normal((6, 4)).round(1), rng.standard_normal(6).round(1)
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LeastSquaresProblem(M, r, rows, signs)
    >>> c = solve_qp(P)
    >>> c.status, c.label, (np.round(c.w, 6) + 0.0).tolist()
    ('optimal', 'CLARABEL', [0.278785, 0.0, -0.328927, 0.246695])
    >>> (np.round(c.multipliers, 6) + 0.0).tolist()
    [[0.0, 1.143551, 0.0], [0.0, 0.0, 0.250052]]
    >>> from relu.qp.daqp import solve_qp as daqp_qp
    >>> bool(np.abs(daqp_qp(P).w - c.w).max() < 1e-8)
    True
    """
    import cvxpy as cp

    settings = settings or Settings()
    N = problem.n_samples
    G = problem.constraint_matrix_sparse

    def build():
        w = cp.Variable(problem.n_vars)
        obj = cp.sum_squares(problem.M @ w - problem.r) / N
        if problem.has_ridge:
            obj = obj + cp.sum_squares(cp.multiply(np.sqrt(problem.ridge), w))
        cons = [G @ w >= 0] if G.shape[0] else []
        return cp.Problem(cp.Minimize(obj), cons), w, cons

    return _reshape(problem, _solve(build, settings.cvxpy_solver.upper()))


def solve_loss(problem: LossProblem, warm: WarmStart | None = None, *,
               settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LossProblem` through cvxpy (the loss's ``cvxpy_sum``).

    Returns
    -------
    ReferenceCandidate

    Raises
    ------
    EngineFailure
        The solver failed or is not installed.

    Examples
    --------
    Logistic loss with a ridge term; the reference and the direct Clarabel engine
    agree:

    >>> import numpy as np
    >>> from relu.losses import logistic
    >>> from relu.qp import LossProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M = rng.standard_normal((6, 4)).round(1)
    >>> y = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LossProblem(M, 0.0, y, logistic, rows, signs, ridge=0.1)
    >>> c = solve_loss(P)
    >>> c.status, (np.round(c.w, 6) + 0.0).tolist(), round(P.objective(c.w), 8)
    ('optimal', [0.048623, 0.96835, -0.431027, 0.32327], 0.4154605)
    >>> certify(P, c.w, c.multipliers).accurate
    True
    >>> from relu.qp.clarabel import solve_logistic
    >>> bool(np.abs(solve_logistic(P).w - c.w).max() < 1e-7)
    True
    """
    import cvxpy as cp

    settings = settings or Settings()
    N = problem.n_samples
    G = problem.constraint_matrix_sparse
    idx = np.flatnonzero(problem.keep)
    Mk, yk = problem.M[idx], problem.y[idx]

    def build():
        w = cp.Variable(problem.n_vars)
        obj = problem.loss.cvxpy_sum(Mk @ w + problem.bias, yk) / N
        if problem.has_ridge:
            obj = obj + cp.sum_squares(cp.multiply(np.sqrt(problem.ridge), w))
        cons = [G @ w >= 0] if G.shape[0] else []
        return cp.Problem(cp.Minimize(obj), cons), w, cons

    return _reshape(problem, _solve(build, settings.cvxpy_solver.upper()))
