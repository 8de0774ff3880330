r"""KKT certificates of the per-vertex programs, and the polish step.

A candidate ``(w, mu)`` of a problem of :mod:`relu.qp.problem` is *accepted* when it
satisfies the KKT conditions of the convex program with a small **backward error**:
it is an exact KKT point of a problem whose data (constraint rows, design matrix,
targets) differ from the given ones by a relative ``rtol``.  The tolerances are
therefore relative to the scale of the data and of the solution, never absolute.
With ``||w_k||`` the norm of unit ``k``'s weights:

* feasibility: ``s_ki u_i . w_k >= -(FEAS_RTOL * out / gain + 4 p eps ||w_k||)``: the
  network must realise the pattern up to effects on its outputs that are
  :data:`FEAS_RTOL` relative to them (``out = problem.output_scale``, e.g.
  ``max |r_i|``; ``gain = problem.output_gain``, the largest change of an output per
  unit of slack), or up to the rounding of the slack itself.  (A backward-error
  bound ``rtol ||w_k||`` would let weights of size ``1e10`` -- ill-conditioned data --
  change the pattern.)  Weights so large that rounding alone moves the outputs by
  more than :data:`REPRESENTABLE` relative (``eps ||w|| gain > REPRESENTABLE out``)
  are not certified at all;
* dual feasibility: ``mu >= 0`` (negative entries are clipped before the tests);
* stationarity: ``|grad f(w) - G^T mu| <= rtol (scale + sum_i mu_ki)`` per unit, with
  ``scale = problem.gradient_scale(w)`` the size of the terms summed in the gradient
  (what a relative perturbation of the data moves it by);
* complementarity: ``sum_ki mu_ki |s_ki u_i . w_k| <= rtol (sum_k ||w_k|| sum_i mu_ki
  + value)`` with ``value = problem.value_scale(w)`` (a duality gap that perturbed
  rows or a relative change of the objective explain).

A small backward error does not make the objective accurate when the problem is
ill-conditioned (near-duplicate points, nearly low-rank data: the objective is
almost flat towards an optimum far away).  The certificate therefore also measures
the **Newton decrement** of the residual ``rho = grad f(w) - G^T mu``,
``rho^T H^+ rho / 2``: for a QP it is the rest of the duality gap (the Lagrangian
``f(w) - mu^T G w`` is minimised over all ``w`` by one Newton step), so a decrement
below ``rtol * value``, together with ``sum mu |slack| <= rtol * value``, bounds
``f(w) - f*`` by about ``2 rtol * value``.  :attr:`Certificate.accurate` records it;
:func:`relu.qp.chain.solve` prefers an accurate answer and falls back to the best
backward-stable one only when no engine gives an accurate one.

For a convex program these conditions (with ``rtol = 0``) are sufficient for
optimality.  :func:`polish` repairs an answer that just misses them: it identifies
the tight rows, minimises the objective exactly on the subspace where they hold with
equality (:meth:`~relu.qp.problem.SignConstrainedProblem.minimize_on_subspace`),
recomputes the multipliers on those rows (least squares, or NNLS for degenerate
units) and takes a few primal-dual active-set steps.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))           # w >= 0 componentwise
>>> c = certify(P, np.array([1.0, 0.0]), np.array([[0.0, 1.0]]))
>>> c.ok, c.stationarity
(True, 0.0)
>>> certify(P, np.array([1.0, -1.0]), np.zeros((1, 2))).ok   # unconstrained optimum: infeasible
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import ArrayLike

    from .problem import LeastSquaresProblem, SignConstrainedProblem

__all__ = ["KKT_RTOL", "FEAS_RTOL", "REPRESENTABLE", "Certificate", "certify", "polish",
           "nnls_multipliers", "dual_bound"]

#: Relative tolerance of the KKT certificate (backward error) and of the decrement.
KKT_RTOL = 1e-9
#: Feasibility: slack violations may move the outputs by this much, relative to them.
FEAS_RTOL = 1e-8
#: Slacks within this many ``p eps ||w_k||`` of 0 are rounding (feasibility, polish).
FEAS_ROUNDING = 4
#: Weights whose rounding moves the outputs by more than this (relative) are rejected.
REPRESENTABLE = 1e-6

_EPS = np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False)
class Certificate:
    """Outcome of :func:`certify`: the relative KKT residuals of a candidate.

    Attributes
    ----------
    ok : bool
        Backward-stable KKT point: feasibility, stationarity and complementarity
        within the tolerance.
    accurate : bool
        ``ok``, and both parts of the duality gap -- ``sum mu |slack|`` and the Newton
        decrement -- below ``rtol * value``: the objective is within about ``2 rtol``
        of the optimum, relative to ``value``.
    infeasibility : float
        ``max_ki -slack_ki * gain / out`` (0 if feasible).
    stationarity : float
        ``max_k |grad_k - (G^T mu)_k| / (scale + sum_i mu_ki)``.
    complementarity : float
        ``sum_ki mu_ki |slack_ki| / value`` (the backward-error test allows up to
        ``rtol (sum_k ||w_k|| sum_i mu_ki + value)``).
    decrement : float
        ``rho^T H^+ rho / (2 value)`` (``nan`` when not computed, ``inf`` without a
        Hessian).
    scale : float
        ``problem.gradient_scale(w)``.
    multipliers : ndarray, shape (n_units, n_rows)
        The clipped multipliers ``mu >= 0`` the residuals refer to.
    representable : bool
        False when the weights are so large that rounding alone moves the outputs by
        more than :data:`REPRESENTABLE` relative (never certified).

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0 componentwise
    >>> c = certify(P, np.array([1.0, 0.0]), np.array([[0.0, 1.0]]))
    >>> c.ok, c.accurate, str(c).split(",")[0]
    (True, True, 'infeasibility 0.0e+00')
    """

    ok: bool
    accurate: bool
    infeasibility: float
    stationarity: float
    complementarity: float
    decrement: float
    scale: float
    multipliers: np.ndarray
    representable: bool = True

    def __str__(self):
        return (f"infeasibility {self.infeasibility:.1e}, stationarity {self.stationarity:.1e}, "
                f"complementarity {self.complementarity:.1e}, decrement {self.decrement:.1e}")


def certify(problem: SignConstrainedProblem, w: ArrayLike, mu: ArrayLike | None, *,
            rtol: float = KKT_RTOL) -> Certificate:
    """Relative KKT residuals of ``(w, mu)``; see the module docstring.

    Parameters
    ----------
    problem : SignConstrainedProblem
    w : ndarray, shape (n_vars,)
    mu : ndarray, shape (n_units, n_rows)
        Multipliers of ``s_ki u_i . w_k >= 0``.
    rtol : float

    Returns
    -------
    Certificate

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0 componentwise
    >>> certify(P, np.array([1.0, 0.0]), np.array([[0.0, 1.0]])).ok
    True
    >>> certify(P, np.array([1.0, 0.0]), np.array([[0.0, 0.0]])).ok   # gradient unbalanced
    False
    """
    L, p = problem.n_units, problem.p
    w = np.asarray(w, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64).reshape(L, problem.n_rows)
    if not (np.isfinite(w).all() and np.isfinite(mu).all()):
        inf = float("inf")
        return Certificate(False, False, inf, inf, inf, inf, inf, np.zeros((L, problem.n_rows)))
    tiny = np.finfo(np.float64).tiny
    W = w.reshape(L, p)
    un = np.sqrt(np.einsum("ij,ij->i", W, W))
    sl = problem.slack(w)
    viol = np.maximum(-sl, 0.0)
    out_tol = problem.output_scale / problem.output_gain
    infeas = float(viol.max(initial=0.0)) / out_tol
    feas_ok = bool((viol <= FEAS_RTOL * out_tol + FEAS_ROUNDING * p * _EPS * un[:, None]).all())
    representable = _EPS * float(un.max(initial=0.0)) <= REPRESENTABLE * out_tol
    feas_ok = feas_ok and representable
    mu = np.maximum(mu, 0.0)
    scale = max(float(problem.gradient_scale(w)), tiny)
    g = problem.gradient(w).reshape(L, p)
    rho = g - (problem.signs * mu) @ problem.rows
    mu_sum = mu.sum(axis=1)
    allow = scale + mu_sum
    stat = float(np.max(np.abs(rho).max(axis=1, initial=0.0) / allow, initial=0.0))
    stat_ok = stat <= rtol
    value = problem.value_scale(w)
    gap = float(np.sum(mu * np.abs(sl)))
    compl = gap / value
    compl_ok = gap <= rtol * (float(un @ mu_sum) + value)
    ok = feas_ok and stat_ok and compl_ok
    dec = float("nan")
    accurate = False
    if ok and compl <= rtol:   # the decrement costs a factorisation: only when it can matter
        dec = 0.5 * problem.decrement(w, rho.reshape(-1)) / value
        accurate = dec <= rtol
    mu.flags.writeable = False
    return Certificate(bool(ok), bool(accurate), infeas, stat, compl, dec, scale, mu,
                       bool(representable))


def nnls_multipliers(problem: SignConstrainedProblem, g: np.ndarray, tight: np.ndarray,
                     units: Iterable[int] | None = None) -> np.ndarray:
    """Multipliers ``mu >= 0`` on the ``tight`` rows minimising ``||g_k - G_k^T mu_k||``.

    One non-negative least-squares problem (Lawson-Hanson, :func:`scipy.optimize.nnls`)
    per unit.

    Parameters
    ----------
    problem : SignConstrainedProblem
    g : ndarray, shape (n_units, p)
        Per-unit gradients ``grad_k f(w)``.
    tight : ndarray of bool, shape (n_units, n_rows)
        The rows that may carry a multiplier.
    units : iterable of int, optional
        Only these units (default all); the others get zero multipliers.

    Returns
    -------
    ndarray, shape (n_units, n_rows)
        Zero off the tight rows, and for a unit whose NNLS hits its iteration limit.

    Examples
    --------
    One unit at the apex ``w = 0`` of the cone ``u_i . w >= 0``, all three rows tight.
    A gradient inside the cone is a non-negative combination of the rows (one of
    several here: three rows in the plane); a gradient outside it is not, and its
    best fit is zero:

    >>> import numpy as np
    >>> from relu.qp import SignConstrainedProblem
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    >>> Q = SignConstrainedProblem(rows, np.ones((1, 3)))
    >>> tight = np.ones((1, 3), dtype=bool)
    >>> mu = nnls_multipliers(Q, np.array([[1.0, 1.0]]), tight)
    >>> np.round(mu, 12).tolist(), np.round(mu[0] @ rows, 12).tolist()
    ([[0.25, 0.0, 1.25]], [1.0, 1.0])
    >>> nnls_multipliers(Q, np.array([[-1.0, 0.0]]), tight).tolist()
    [[0.0, 0.0, 0.0]]
    """
    from scipy.optimize import nnls

    L, R = problem.n_units, problem.n_rows
    mu = np.zeros((L, R))
    for k in (range(L) if units is None else units):
        idx = np.flatnonzero(tight[k])
        if idx.size == 0 or not np.any(g[k]):
            continue
        A = (problem.signs[k, idx, None] * problem.rows[idx]).T
        try:
            sol, _ = nnls(A, g[k], maxiter=50 * max(idx.size, 10))
        except RuntimeError:      # iteration limit: leave this unit's multipliers at 0
            continue
        mu[k, idx] = sol
    return mu


def _null_spaces(problem, T):
    """Block-diagonal orthonormal basis ``Z`` of ``{w : rows T hold with equality}``."""
    L, p = problem.n_units, problem.p
    blocks = []
    for k in range(L):
        idx = np.flatnonzero(T[k])
        if idx.size == 0:
            blocks.append(np.eye(p))
            continue
        R = problem.signs[k, idx, None] * problem.rows[idx]
        _, sv, Vt = np.linalg.svd(R, full_matrices=True)
        rank = int(np.sum(sv > 1e-10 * sv[0])) if sv.size and sv[0] > 0 else 0
        blocks.append(Vt[rank:].T)
    n_free = sum(b.shape[1] for b in blocks)
    Z = np.zeros((L * p, n_free))
    c = 0
    for k, b in enumerate(blocks):
        Z[k * p:(k + 1) * p, c:c + b.shape[1]] = b
        c += b.shape[1]
    return Z


def _tight_multipliers(problem, w, T, tol):
    """Multipliers on the tight rows ``T`` and the rows to drop from ``T``.

    Per unit: least squares; where that goes negative, NNLS; if NNLS cannot represent
    the gradient either (residual above ``tol``), the rows with negative least-squares
    multipliers are returned for removal (a primal-dual active-set update).
    """
    L, p = problem.n_units, problem.p
    g = problem.gradient(w).reshape(L, p)
    mu = np.zeros((L, problem.n_rows))
    drop = np.zeros((L, problem.n_rows), dtype=bool)
    for k in range(L):
        idx = np.flatnonzero(T[k])
        if idx.size == 0:
            continue
        A = (problem.signs[k, idx, None] * problem.rows[idx]).T        # (p, |T_k|)
        sol, *_ = np.linalg.lstsq(A, g[k], rcond=None)
        if sol.min() >= 0:
            mu[k, idx] = sol
            continue
        nn = nnls_multipliers(problem, g, T, units=[k])[k]
        if np.abs(g[k] - (problem.signs[k] * nn) @ problem.rows).max() <= tol:
            mu[k] = nn
        else:
            mu[k, idx] = np.maximum(sol, 0.0)
            drop[k, idx[sol < 0]] = True
    return mu, drop


def _tight_at(problem, w, T):
    """``T`` plus the rows within rounding of 0 at ``w`` (all rows of a unit at ``w_k = 0``)."""
    L, p = problem.n_units, problem.p
    W = w.reshape(L, p)
    un = np.sqrt(np.einsum("ij,ij->i", W, W))
    return T | (np.abs(problem.slack(w)) <= FEAS_ROUNDING * p * _EPS * un[:, None])


def _active_set_steps(problem, w, T, rtol, max_iter):
    """Primal active-set steps from ``w`` with the working set ``T``.

    Each step moves from the current point (projected onto the subspace where the rows
    of ``T`` hold with equality) towards the exact minimiser on that subspace, stopping
    at the first row it would violate (which joins ``T``); at a minimiser, rows with
    negative multipliers leave ``T``.  Yields ``(w, Certificate)`` at every minimiser.
    """
    Z = _null_spaces(problem, T)
    w = Z @ (Z.T @ w)
    seen = set()
    for _ in range(max_iter):
        target = problem.minimize_on_subspace(w, Z) if Z.shape[1] else w
        d = target - w
        sd = problem.slack(d)
        block = ~T & (sd < 0)
        if block.any():
            sl = np.maximum(problem.slack(w), 0.0)
            ratio = np.where(block, sl / np.where(block, -sd, 1.0), np.inf)
            a = float(ratio.min())
            if a < 1.0:
                w = w + a * d
                T = T | (ratio <= a)
                Z = _null_spaces(problem, T)
                w = Z @ (Z.T @ w)
                continue
        w = target
        T1 = _tight_at(problem, w, T)
        mu1, drop = _tight_multipliers(problem, w, T1, rtol * float(problem.gradient_scale(w)))
        yield w, certify(problem, w, mu1, rtol=rtol)
        key = np.packbits(T1).tobytes()
        if not drop.any() or key in seen:
            return
        seen.add(key)
        T = T1 & ~drop
        Z = _null_spaces(problem, T)
        w = Z @ (Z.T @ w)


def polish(problem: SignConstrainedProblem, w: ArrayLike, mu: ArrayLike | None, *, rtol: float = KKT_RTOL,
           max_iter: int = 25) -> tuple[np.ndarray, Certificate] | None:
    """Repair a nearly optimal ``(w, mu)`` by active-set steps from its identified tight set.

    Candidate tight sets ``T``: the rows whose normalised slack is below their
    normalised multiplier (the interior-point indicator); the support of ``mu`` (an
    active-set engine's working set); the rows with slack below ``t c`` for ``t`` in
    ``1e-12, 1e-9, 1e-6`` (``c = max(||w||, output_scale / output_gain)``, so that a
    unit that ought to sit at the apex counts as tight); per unit, the ``j`` rows with
    the largest multipliers, ``j = 1..p`` (in a thin chamber every slack is tiny and
    only the multipliers tell the active rows).  From each, the objective is
    minimised exactly on the subspace where the rows of ``T`` hold with equality
    (closest to ``w``; one Newton step for a QP); if that point violates a row, the
    step stops at the first such row, which joins ``T`` (primal active-set steps, at
    most ``max_iter``); at a minimiser, multipliers are computed on the tight rows and
    rows with negative multipliers leave ``T``.  The first point whose certificate is
    ``accurate`` is returned, else the first backward-stable (``ok``) one.

    Returns
    -------
    (w, Certificate) or None
        None when no candidate leads to a certified point.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0 componentwise
    >>> w, cert = polish(P, np.array([1.0 + 1e-6, 1e-7]), np.array([[0.0, 1.0]]))
    >>> w.tolist(), cert.accurate
    ([1.0, 0.0], True)
    """
    L, p = problem.n_units, problem.p
    w = np.asarray(w, dtype=np.float64)
    if not np.all(np.isfinite(w)):
        return None
    mu = np.zeros((L, problem.n_rows)) if mu is None else np.maximum(
        np.nan_to_num(np.asarray(mu, dtype=np.float64).reshape(L, problem.n_rows)), 0.0)
    wref = max(float(np.linalg.norm(w)), problem.output_scale / problem.output_gain)
    rel = problem.slack(w) / wref
    scale = max(float(problem.gradient_scale(w)), np.finfo(np.float64).tiny)
    starts = [rel <= mu / scale, mu > 0]
    if np.mean(mu == 0) > 0.5:      # an active-set engine's answer: its working set first
        starts.reverse()
    starts += [rel <= t for t in (1e-12, 1e-9, 1e-6)]
    # thin chambers (near-duplicate points): every row of a unit has a tiny slack, so
    # slacks cannot tell the active rows; take each unit's j largest multipliers
    order = np.argsort(-mu, axis=1, kind="stable")
    big = mu >= 1e-3 * mu.max(axis=1, keepdims=True, initial=0.0)
    for j in range(1, p + 1):
        T = np.zeros_like(big)
        np.put_along_axis(T, order[:, :j], True, axis=1)
        starts.append(T & big & (mu > 0))
    seen = set()
    fallback = None
    for T in starts:
        key = np.packbits(T).tobytes()
        if key in seen:
            continue
        seen.add(key)
        for w1, cert in _active_set_steps(problem, w, T, rtol, max_iter):
            if cert.accurate:
                return w1, cert
            if cert.ok and fallback is None:
                fallback = (w1, cert)
    return fallback


def dual_bound(problem: LeastSquaresProblem, mu: ArrayLike) -> float:
    r"""A lower bound on the optimum of a least-squares problem from any multipliers ``mu >= 0``.

    Weak duality: for ``mu >= 0`` the Lagrangian
    ``f(w) - sum_ki mu_ki s_ki u_i . w_k`` is below ``f`` on the feasible set, and its
    unconstrained minimum is

    .. math::

        g(\mu) = \kappa - \tfrac12 z^T H^{-1} z, \qquad z = G^T \mu - c,

    with ``f(w) = 1/2 w^T H w + c^T w + kappa``.  So ``g(mu) <= min f`` for *every*
    ``mu >= 0`` (no accuracy of ``mu`` is assumed; a good ``mu`` gives a tight bound).
    ``z^T H^{-1} z`` is computed from the Cholesky factor of the Jacobi-scaled
    Hessian plus ``n eps`` (:meth:`~relu.qp.problem.SignConstrainedProblem.scaled_factor`),
    which *under*-estimates it; the returned value subtracts that shift's effect and
    the rounding of every term (a few ``eps`` times their sizes), so it stays a lower
    bound in floating point.

    Parameters
    ----------
    problem : LeastSquaresProblem
    mu : ndarray, shape (n_units, n_rows)
        Negative entries are treated as 0.

    Returns
    -------
    float
        ``-inf`` when the Hessian is numerically singular (then ``g`` may be ``-inf``).

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0; optimum 0.5 at (1, 0)
    >>> round(dual_bound(P, np.array([[0.0, 1.0]])), 12)      # the optimal multipliers: tight
    0.5
    >>> dual_bound(P, np.array([[0.0, 0.5]])) <= 0.5          # any mu >= 0: a lower bound
    True
    """
    from scipy.linalg import lapack

    try:
        D, C = problem.scaled_factor()
    except (NotImplementedError, np.linalg.LinAlgError):
        return float("-inf")
    if float(C.diagonal().min(initial=1.0)) ** 2 < 1e-13:
        return float("-inf")
    mu = np.maximum(np.asarray(mu, dtype=np.float64).reshape(problem.n_units, problem.n_rows), 0.0)
    if not np.isfinite(mu).all():
        return float("-inf")
    c = problem.linear_term
    gt = problem.Gt(mu)
    z = gt - c
    y, info = lapack.dtrtrs(C, D * z, lower=0, trans=1)        # C^T y = D z
    if info != 0 or not np.isfinite(y).all():
        return float("-inf")
    x, _ = lapack.dtrtrs(C, y, lower=0)                        # (D H D + n eps I)^-1 D z
    quad = float(y @ y)                                        # z^T D (D H D + n eps)^-1 D z
    n = problem.n_vars
    kappa = float(problem.r @ problem.r) / problem.n_samples
    # the shift n eps I under-estimates z^T H^-1 z by about n eps ||x||^2 (first order;
    # doubled); rounding: z carries a few eps of |G^T mu| + |c|, which moves the
    # quadratic form by 2 |x|^T D |dz|, and the triangular solves a few eps of it times
    # the condition of C (estimated from its diagonal)
    shift = 2.0 * n * _EPS * float(x @ x)
    dC = C.diagonal()
    cond = float(dC.max() / dC.min()) ** 2
    absz = np.abs(gt) + np.abs(c)
    rounding = 8 * (n + problem.n_rows) * _EPS * (
        kappa + quad * cond + 2.0 * float(np.abs(x) @ (D * absz)))
    return float(kappa - 0.5 * quad - 0.5 * shift - rounding)
