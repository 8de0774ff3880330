r"""Engine ``"fast"``: hand-written fast path for large problems.

Kept only where it earns its keep: ``bench/subproblem.py`` measures it against the
library engines (DAQP on all constraints, Clarabel, cvxpy) in the same run, and the
default chain uses it only above :data:`FAST_MIN_SIZE` (see :func:`use_fast`).  Its
answers go through the chain's certificate like every other engine's.

Two parts, both exploiting that the constraint matrix ``G`` is block diagonal
(``n_units`` blocks, one per unit, each the signed unit rows ``s_ki u_i``):

* **Constraint generation around DAQP in LDP form** (cold and warm).  The QP
  ``1/2 w^T H w + f^T w`` s.t. ``G w >= 0`` is rescaled (``w = D x``,
  ``D = diag(H)^(-1/2)``), factored once (``D H D = C^T C``; ``1e-10`` is added to the
  diagonal when it is numerically singular) and transformed to the least-distance
  problem ``min 1/2 ||u||^2`` s.t. ``(G D C^{-1}) u >= G D h`` with
  ``u = C x + C^{-T} D f``, ``h = (D H D)^{-1} D f``: DAQP then sees an identity
  Hessian.  A row of ``G D C^{-1}`` is one ``p x n`` product (``C^{-1}`` is
  precomputed), and rows are formed only for a *working set*: per round DAQP solves
  on it (dual start: the previous multipliers), all constraints are checked with one
  product, and per unit the ``max(2, p)`` most violated rows are added.  A minimiser
  over a subset of the constraints that satisfies all of them solves the problem.
  The working set starts from a warm start's positive multipliers, its rows whose
  sign changed, and per unit the ``2 p`` rows closest to its weights.
* **A Mehrotra predictor-corrector interior-point method** (cold solves), whose
  normal matrix ``H + G^T diag(lam / s) G`` is ``H`` plus ``n_units`` blocks of size
  ``p x p``; it is run until the complementarity has dropped by ``1e-10``.  Its last
  iterate is usually certified as it is; otherwise the chain's polish step finishes
  it on the identified tight set.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))
>>> np.round(solve_qp(P).w, 12).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg import lapack

from ._types import Candidate, EngineFailure, WarmStart

if TYPE_CHECKING:
    from ._types import Settings
    from .problem import LeastSquaresProblem, SignConstrainedProblem

__all__ = ["solve_qp", "use_fast", "FAST_MIN_SIZE", "FAST_MIN_SIZE_WARM"]

#: The default chain starts with this engine when ``n_vars * n_units * n_rows`` (the
#: size of the dense constraint matrix) is at least this for a cold solve, or
#: :data:`FAST_MIN_SIZE_WARM` for a warm one.  Measured against DAQP on all constraints
#: (the best library engine at these sizes), same run, medians of 4 vertices:
#: ``(6, 8, 150)`` (size 67,200): cold 1.1x, warm 1.4x; ``(6, 12, 200)`` (201,600):
#: cold 2.5x, warm 4.9x; ``(8, 12, 250)`` (324,000): cold 3.2x, warm 3.9x; and
#: ``(8, 16, 300)``, ``(16, 32, 700)`` in ``bench/subproblem.py``.  Below the
#: thresholds the hand-written engine is not 3x faster, and the chain starts with DAQP.
FAST_MIN_SIZE = 300_000
FAST_MIN_SIZE_WARM = 200_000

_BIG = 1e30


def use_fast(problem: SignConstrainedProblem, warm: WarmStart | None = None) -> bool:
    """Whether the default chain starts with this engine (size thresholds, see above).

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp.problem import LeastSquaresProblem
    >>> small = LeastSquaresProblem(np.eye(2), np.ones(2), np.eye(2), np.array([[1.0, 1.0]]))
    >>> use_fast(small)
    False
    """
    size = problem.n_vars * problem.n_units * problem.n_rows
    return size >= (FAST_MIN_SIZE if warm is None else FAST_MIN_SIZE_WARM)


def _factor(Hs):
    """Upper Cholesky factor of ``Hs`` (unit diagonal), ``1e-10`` added if singular."""
    from .daqp import SINGULAR_SHIFT

    C, info = lapack.dpotrf(Hs, lower=0, clean=1)
    if info == 0 and float(np.abs(np.diag(C)).min(initial=1.0)) ** 2 >= 1e-13:
        return C
    C, info = lapack.dpotrf(Hs + SINGULAR_SHIFT * np.eye(Hs.shape[0]), lower=0, clean=1)
    if info != 0:
        raise EngineFailure("could not factor the Hessian")
    return C


def solve_qp(problem: LeastSquaresProblem, warm: WarmStart | None = None, *,
             settings: Settings | None = None) -> Candidate:
    """Solve a :class:`~relu.qp.problem.LeastSquaresProblem`; see the module docstring.

    Parameters
    ----------
    problem : LeastSquaresProblem
    warm : WarmStart, optional
        Without one, the interior-point method provides the start.
    settings : Settings, optional
        Unused (the common engine signature).

    Returns
    -------
    Candidate

    Raises
    ------
    EngineFailure
        DAQP failed, the rounds ran out, or the interior-point matrix could not be
        factored.

    Examples
    --------
    A cold solve runs the interior-point method, a warm one constraint generation
    around DAQP; both reach the optimum DAQP finds on all constraints:

    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem, certify
    >>> rng = np.random.default_rng(8)
    >>> M, r = rng.standard_normal((6, 4)).round(1), rng.standard_normal(6).round(1)
    >>> rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])         # unit-norm rows u_i
    >>> signs = np.array([[1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])        # 2 units, p = 2
    >>> P = LeastSquaresProblem(M, r, rows, signs)
    >>> ip = solve_qp(P)
    >>> (np.round(ip.w, 6) + 0.0).tolist(), certify(P, ip.w, ip.multipliers).accurate
    ([0.278785, 0.0, -0.328927, 0.246695], True)
    >>> from relu.qp import WarmStart
    >>> cg = solve_qp(P, WarmStart(ip.w, ip.multipliers, np.zeros((2, 3), dtype=bool)))
    >>> from relu.qp.daqp import solve_qp as daqp_qp
    >>> ref = daqp_qp(P).w
    >>> bool(np.abs(ip.w - ref).max() < 1e-8), bool(np.abs(cg.w - ref).max() < 1e-8)
    (True, True)
    """
    if warm is None:
        w, s, lam, its = _interior_point(problem)
        return Candidate(w, lam, its)
    held = _apex_held(problem, warm)
    if held is not None:
        return held
    return _generate(problem, warm)


def _apex_held(problem, warm):
    """Warm solve holding at ``w_k = 0`` the units that sat at the apex and kept their pattern.

    Degenerate apex units (every row tight, multipliers not unique) are what makes
    the active-set pivots pile up; without them the QP is smaller.  The held units are
    then checked by their cone condition (``grad_k`` a non-negative combination of all
    of unit ``k``'s rows, by NNLS); the answer is returned only when the certificate
    accepts it as accurate (else None: the full problem is solved).
    """
    from .certificates import certify, nnls_multipliers

    L, R, p = problem.n_units, problem.n_rows, problem.p
    W0 = np.asarray(warm.w, dtype=np.float64).reshape(L, p)
    un = np.linalg.norm(W0, axis=1)
    changed = np.asarray(warm.changed, dtype=bool).reshape(L, R)
    apex = (un <= 1e-6 * max(float(un.max(initial=0.0)), np.finfo(np.float64).tiny)) \
        & ~changed.any(axis=1)
    if not apex.any() or apex.all():
        return None
    kept = np.flatnonzero(~apex)
    sub = problem.restrict(kept)
    sub_warm = WarmStart(W0[kept].reshape(-1), np.asarray(warm.multipliers).reshape(L, R)[kept],
                         changed[kept])
    try:
        cand = _generate(sub, sub_warm)
    except EngineFailure:
        return None
    w = np.zeros((L, p))
    w[kept] = cand.w.reshape(-1, p)
    w = w.reshape(-1)
    mu = np.zeros((L, R))
    mu[kept] = cand.multipliers
    g = problem.gradient(w).reshape(L, p)
    held = np.flatnonzero(apex)
    mu[held] = nnls_multipliers(problem, g, np.ones((L, R), dtype=bool), units=held)[held]
    if not certify(problem, w, mu).accurate:
        return None
    return Candidate(w, mu, cand.iterations)


def _top(values, mask, k):
    """``mask`` restricted to the ``k`` largest ``values`` of each row."""
    k = min(k, values.shape[1])
    top = np.argpartition(-np.where(mask, values, -np.inf), k - 1, axis=1)[:, :k]
    keep = np.zeros_like(mask)
    np.put_along_axis(keep, top, True, axis=1)
    return mask & keep


def _warm_set(problem, warm):
    """Working set and dual start from a previous solution.

    Rows whose normalised slack is below their normalised multiplier, at most ``2 p``
    per unit (the largest multipliers: a unit at the apex has every row tight, and an
    interior-point solution has every multiplier positive), the rows whose sign
    changed, and per unit the ``2 p`` rows of smallest slack.  Only the clearly active
    rows (slack below ``1e-3`` times the multiplier, at most ``p`` per unit) seed
    DAQP's active set: seeding it with every tight row was measured to cost hundreds
    of pivots.
    """
    L, R, p = problem.n_units, problem.n_rows, problem.p
    mu0 = np.maximum(np.asarray(warm.multipliers, dtype=np.float64).reshape(L, R), 0.0)
    w0 = np.asarray(warm.w, dtype=np.float64)
    scale = max(float(problem.gradient_scale(w0)), np.finfo(np.float64).tiny)
    wref = max(float(np.linalg.norm(w0)), problem.output_scale / problem.output_gain)
    s_n = problem.slack(w0) / wref
    m_n = mu0 / scale
    active = _top(m_n, (m_n > 0) & (s_n <= 1e-3 * m_n), p)
    work = active | _top(m_n, (m_n > 0) & (s_n <= m_n), 2 * p)
    work |= np.asarray(warm.changed, dtype=bool).reshape(L, R)
    k_near = min(2 * p, R)
    if k_near < R:
        near = np.argpartition(s_n, k_near - 1, axis=1)[:, :k_near]
        np.put_along_axis(work, near, True, axis=1)
    else:
        work[:] = True
    return work, np.where(active, mu0, 0.0)


def _interior_point(problem, *, max_iter=80, target=1e-10):
    """Mehrotra predictor-corrector IPM on ``G w - s = 0, s >= 0``; returns ``(w, s, lam, its)``.

    The normal matrix ``H + G^T diag(lam / s) G`` is ``H`` plus ``n_units`` blocks
    ``sum_i (lam_ki / s_ki) u_i u_i^T`` of size ``p x p``, formed from the outer
    products of the rows with one matrix product.  Stops when the complementarity
    ``s . lam`` has dropped by ``target`` relative to its start.
    """
    from scipy.linalg import cho_factor, cho_solve

    L, R, p, n = problem.n_units, problem.n_rows, problem.p, problem.n_vars
    H, f = problem.hessian(), problem.linear_term
    rows, S = problem.rows, problem.signs
    nc = L * R
    ar = np.arange(L)
    hscale = max(float(np.max(np.abs(np.diag(H)))), np.finfo(np.float64).tiny)
    eye = np.eye(n)
    XX = (rows[:, :, None] * rows[:, None, :]).reshape(R, p * p)

    def factor(Dg):
        B = (Dg @ XX).reshape(L, p, p)
        K = H.copy()
        K.reshape(L, p, L, p)[ar, :, ar, :] += B
        reg = 1e-13 * (hscale + float(np.max(np.abs(B), initial=0.0)))
        for _ in range(6):
            try:
                return cho_factor(K + reg * eye, check_finite=False)
            except np.linalg.LinAlgError:
                reg *= 100.0
        raise EngineFailure("the interior-point normal matrix could not be factored")

    def Gt(u):
        return ((S * u) @ rows).reshape(-1)

    cf = factor(np.ones((L, R)))
    w = cho_solve(cf, -f, check_finite=False)
    s = problem.slack(w)
    s = np.maximum(np.abs(s), 1e-2 * max(1.0, float(np.max(np.abs(s), initial=0.0))))
    lam = np.full((L, R), max(float(np.max(np.abs(f), initial=0.0)), 1e-8))
    mu0 = float(np.sum(s * lam)) / nc

    def max_step(x, dx):
        r = np.divide(x, -dx, out=np.full(x.shape, np.inf), where=dx < 0)
        return float(min(1.0, r.min(initial=np.inf)))

    its = 0
    for its in range(1, max_iter + 1):
        rd = H @ w + f - Gt(lam)
        rp = problem.slack(w) - s
        mu = float(np.sum(s * lam)) / nc
        Dg = lam / s
        cf = factor(Dg)

        def direction(rc):
            dw = cho_solve(cf, -rd - Gt(Dg * rp + rc / s), check_finite=False)
            ds = problem.slack(dw) + rp
            return dw, ds, -(rc + lam * ds) / s

        dw, ds, dl = direction(s * lam)
        a_aff = min(max_step(s, ds), max_step(lam, dl))
        mu_aff = float(np.sum((s + a_aff * ds) * (lam + a_aff * dl))) / nc
        sigma = (mu_aff / mu) ** 3 if mu > 0 else 0.0
        dw, ds, dl = direction(s * lam + ds * dl - sigma * mu)
        a = min(1.0, 0.995 * min(max_step(s, ds), max_step(lam, dl)))
        w = w + a * dw
        s = np.maximum(s + a * ds, np.finfo(np.float64).tiny)
        lam = np.maximum(lam + a * dl, np.finfo(np.float64).tiny)
        if float(np.sum(s * lam)) / nc <= target * mu0:
            break
    return w, s, lam, its


def _generate(problem, warm, *, max_rounds=100):
    """Constraint generation around DAQP (LDP form); see the module docstring."""
    import daqp

    L, R, p, n = problem.n_units, problem.n_rows, problem.p, problem.n_vars
    H = problem.hessian()
    d = np.diag(H).copy()
    dmax = float(d.max(initial=0.0))
    D = 1.0 / np.sqrt(np.maximum(d, 1e-30 * dmax)) if dmax > 0 else np.ones(n)
    C = _factor(H * D[:, None] * D[None, :])
    Ci, info = lapack.dtrtri(C, lower=0)
    if info != 0:  # pragma: no cover - C is a successful Cholesky factor
        raise EngineFailure("singular Cholesky factor")
    fs = problem.linear_term * D
    h = Ci @ (Ci.T @ fs)                                 # (D H D)^{-1} D f
    # scaled rows per unit: s_ki u_i * D_k, and their C^{-1} blocks
    Dk = D.reshape(L, p)
    CiK = Ci.reshape(L, p, n)
    rowsD = problem.rows[None, :, :] * Dk[:, None, :]                    # (L, R, p)
    Sg = problem.signs
    hk = h.reshape(L, p)

    work = np.zeros((L, R), dtype=bool)
    lam = np.zeros((L, R))
    if warm is not None:
        work, lam = _warm_set(problem, warm)
    per_round = max(2, p)
    iters = 0
    for _ in range(max_rounds):
        k, i = np.nonzero(work)
        if k.size:
            A = np.empty((k.size, n))
            bounds = np.searchsorted(k, np.arange(L + 1))
            for kk in np.flatnonzero(bounds[1:] > bounds[:-1]):
                a, b = bounds[kk], bounds[kk + 1]
                np.matmul(rowsD[kk, i[a:b]], CiK[kk], out=A[a:b])
            A *= Sg[k, i][:, None]
            rhs = Sg[k, i] * np.einsum("tp,tp->t", rowsD[k, i], hk[k])
            an = np.linalg.norm(A, axis=1)
            an = np.where(an > 0, an, 1.0)
            A /= an[:, None]
            rhs = rhs / an
            kw = {}
            l0 = lam[k, i] * an
            if np.any(l0 > 0):
                kw["dual_start"] = -np.where(l0 > 0, l0, 0.0)
            nc = k.size
            u, _, flag, inf = daqp.solve(np.eye(n), np.zeros(n), A, np.full(nc, _BIG), rhs,
                                         np.zeros(nc, dtype=np.intc), primal_tol=1e-12,
                                         iter_limit=1000 + 20 * n, eps_prox=0.0, **kw)
            iters += int(inf["iterations"])
            if flag < 0 or not np.all(np.isfinite(u)):
                raise EngineFailure(f"DAQP exit flag {int(flag)} on {nc} working rows")
            x = lapack.dtrtrs(C, u, lower=0)[0] - h
            lam = np.zeros((L, R))
            # multiplier lambda of the normalised LDP row a / |a| -> multiplier of the
            # unit row u_i in w-space: grad_w = sum (lambda / |a|) s u_i
            lam[k, i] = np.maximum(-np.asarray(inf["lam"]), 0.0) / an
        else:
            x = -h
        w = D * x
        sl = problem.slack(w)
        viol = (sl < -1e-12 * np.linalg.norm(w)) & ~work
        if not viol.any():
            return Candidate(w, lam, iters)
        order = np.argsort(np.where(viol, sl, np.inf), axis=1)[:, :per_round]
        rws = np.broadcast_to(np.arange(L)[:, None], order.shape)
        add = viol[rws, order]
        work[rws[add], order[add]] = True
    raise EngineFailure(f"constraint generation did not converge in {max_rounds} rounds")
