r"""KKT certificates of the per-vertex programs, and the polish step.

A candidate ``(w, mu)`` of a problem of :mod:`relu.qp.problem` is *accepted* when it
satisfies the KKT conditions of the convex program, each to a tolerance relative to
the scale of the data and of the solution (never an absolute one).  With
``eps`` the machine epsilon and ``||w||`` the norm of all the weights:

* feasibility: every slack ``s_ki u_i . w_k >= -(rtol * out / gain + 64 p eps ||w||)``,
  where ``out = problem.output_scale`` (e.g. ``max |r_i|``) and ``gain =
  problem.output_gain`` (the largest change of an output per unit of slack): a
  violation is allowed only when its effect on the network's outputs is ``rtol``
  relative to them, or when it is at the rounding level of the weights themselves;
* dual feasibility: ``mu >= 0`` (negative entries are clipped before the tests);
* stationarity: ``||grad f(w) - G^T mu||_inf <= rtol * scale + 64 p eps sum_i mu_ki``
  with ``scale = problem.gradient_scale(w)`` (the size of the terms summed in the
  gradient; the second term bounds the rounding of ``G^T mu``);
* complementarity: ``sum_ki mu_ki |s_ki u_i . w_k| <= rtol * value + 64 p eps ||w|| sum mu``
  with ``value = problem.value_scale(w)``: the duality gap it allows is ``rtol``
  relative to the objective values.

For a convex program these conditions (with ``rtol = 0``) are sufficient for
optimality.  :func:`polish` repairs an answer that just misses them: it identifies
the tight rows, minimises the objective exactly on the subspace where they hold with
equality (:meth:`~relu.qp.problem.SignConstrainedProblem.minimize_on_subspace`), and
recomputes the multipliers on those rows (least squares, or NNLS for degenerate
units).

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

import numpy as np

__all__ = ["KKT_RTOL", "Certificate", "certify", "polish", "nnls_multipliers"]

#: Relative tolerance of the KKT certificate (stationarity, complementarity).
KKT_RTOL = 1e-9
#: Feasibility: slacks may be negative only by this many ``p eps ||w_k||`` (rounding).
FEAS_ROUNDING = 4

_EPS = np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False)
class Certificate:
    """Outcome of :func:`certify`: the relative KKT residuals of a candidate.

    Attributes
    ----------
    ok : bool
        All residuals within the tolerance.
    infeasibility : float
        ``max(0, max_ki -slack_ki) * gain / out`` (the violation's effect on the
        outputs, relative to them).
    stationarity : float
        ``||grad - G^T mu||_inf / scale``.
    complementarity : float
        ``sum_ki mu_ki |slack_ki| / value``.
    dual_infeasibility : float
        ``max(0, -min mu) / scale`` before clipping.
    scale : float
        ``problem.gradient_scale(w)``.
    multipliers : ndarray, shape (n_units, n_rows)
        The clipped multipliers ``mu >= 0`` the residuals refer to.
    """

    ok: bool
    infeasibility: float
    stationarity: float
    complementarity: float
    dual_infeasibility: float
    scale: float
    multipliers: np.ndarray

    def __str__(self):
        return (f"infeasibility {self.infeasibility:.1e}, stationarity {self.stationarity:.1e}, "
                f"complementarity {self.complementarity:.1e}"
                + (f", negative multipliers {self.dual_infeasibility:.1e}"
                   if self.dual_infeasibility > 0 else ""))


def certify(problem, w, mu, *, rtol=KKT_RTOL):
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
    """
    L, p = problem.n_units, problem.p
    w = np.asarray(w, dtype=np.float64)
    mu = np.asarray(mu, dtype=np.float64).reshape(L, problem.n_rows)
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(mu))):
        inf = float("inf")
        return Certificate(False, inf, inf, inf, inf, inf, np.zeros((L, problem.n_rows)))
    wn = float(np.linalg.norm(w))
    sl = problem.slack(w)
    rnd = 64 * p * _EPS
    out_tol = problem.output_scale / problem.output_gain
    viol = max(0.0, float(-sl.min(initial=0.0)))
    infeas = viol / out_tol
    W = w.reshape(L, p)
    unit_norm = np.sqrt(np.einsum("ij,ij->i", W, W))
    feas_ok = bool(np.all(sl >= -FEAS_ROUNDING * p * _EPS * unit_norm[:, None]))
    scale = max(float(problem.gradient_scale(w)), np.finfo(np.float64).tiny)
    neg = max(0.0, float(-mu.min(initial=0.0))) / scale
    mu = np.maximum(mu, 0.0)
    g = problem.gradient(w).reshape(L, p)
    resid = np.abs(g - (problem.signs * mu) @ problem.rows)
    mu_sum = mu.sum(axis=1)
    stat = float(resid.max(initial=0.0)) / scale
    stat_ok = bool(np.all(resid <= rtol * scale + rnd * mu_sum[:, None]))
    value = problem.value_scale(w)
    gap = float(np.sum(mu * np.abs(sl)))
    compl = gap / value
    compl_ok = gap <= rtol * value + rnd * wn * float(mu_sum.sum())
    ok = feas_ok and stat_ok and compl_ok
    mu.flags.writeable = False
    return Certificate(bool(ok), infeas, stat, compl, neg, scale, mu)


def nnls_multipliers(problem, g, tight, units=None):
    """Multipliers ``mu >= 0`` on the ``tight`` rows minimising ``||g_k - G_k^T mu_k||``.

    One non-negative least-squares problem (Lawson-Hanson, :func:`scipy.optimize.nnls`)
    per unit; ``g`` has shape (n_units, p), ``tight`` (n_units, n_rows).
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


def _tight_multipliers(problem, w, T):
    """Multipliers on the tight rows ``T``: least squares, NNLS where that goes negative."""
    L, p = problem.n_units, problem.p
    g = problem.gradient(w).reshape(L, p)
    mu = np.zeros((L, problem.n_rows))
    redo = []
    for k in range(L):
        idx = np.flatnonzero(T[k])
        if idx.size == 0:
            continue
        A = (problem.signs[k, idx, None] * problem.rows[idx]).T        # (p, |T_k|)
        sol, *_ = np.linalg.lstsq(A, g[k], rcond=None)
        if sol.min() < 0:
            redo.append(k)
        else:
            mu[k, idx] = sol
    if redo:
        mu[redo] = nnls_multipliers(problem, g, T, units=redo)[redo]
    return mu


def polish(problem, w, mu, *, rtol=KKT_RTOL, thresholds=(1e-9, 1e-6, 1e-3)):
    """Repair a nearly optimal ``(w, mu)``: exact minimisation on its identified tight set.

    For each identification threshold ``t`` (increasing), the tight set is
    ``{slack_ki <= t c} | {mu_ki > 0 and slack_ki <= sqrt(t) c}`` with
    ``c = max(||w||, output_scale / output_gain)``; the
    objective is minimised on the subspace where those rows hold with equality
    (closest to ``w``), multipliers are recomputed on them, and the first candidate
    that :func:`certify` accepts is returned.

    Returns
    -------
    (w, Certificate) or None
        None when no threshold gives a certified point.
    """
    L, p = problem.n_units, problem.p
    w = np.asarray(w, dtype=np.float64)
    if not np.all(np.isfinite(w)):
        return None
    mu = np.zeros((L, problem.n_rows)) if mu is None else np.maximum(
        np.nan_to_num(np.asarray(mu, dtype=np.float64).reshape(L, problem.n_rows)), 0.0)
    # slacks relative to the weights' size, but never to less than the size of weights
    # that produce outputs of the problem's scale (an apex unit w_k ~ 1e-12 is tight)
    wref = max(float(np.linalg.norm(w)), problem.output_scale / problem.output_gain)
    rel = problem.slack(w) / wref
    seen = set()
    for t in thresholds:
        T = (rel <= t) | ((mu > 0) & (rel <= np.sqrt(t)))
        key = np.packbits(T).tobytes()
        if key in seen:
            continue
        seen.add(key)
        Z = _null_spaces(problem, T)
        w0 = Z @ (Z.T @ w)
        w1 = problem.minimize_on_subspace(w0, Z) if Z.shape[1] else w0
        W1 = w1.reshape(L, p)
        un = np.sqrt(np.einsum("ij,ij->i", W1, W1))
        # multipliers on T and on every row tight at w1 (all rows of a unit at w_k = 0)
        T1 = T | (np.abs(problem.slack(w1)) <= FEAS_ROUNDING * p * _EPS * un[:, None])
        mu1 = _tight_multipliers(problem, w1, T1)
        cert = certify(problem, w1, mu1, rtol=rtol)
        if cert.ok:
            return w1, cert
    return None
