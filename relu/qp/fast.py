r"""Engine ``"fast"``: constraint generation around DAQP in LDP form (hand-written).

Kept only where it earns its keep: ``bench/subproblem.py`` measures it against the
library engines (DAQP on all constraints, Clarabel, cvxpy) in the same run, and the
default chain uses it only above :data:`FAST_MIN_SIZE` (see :func:`use_fast`).

The problem ``1/2 w^T H w + f^T w`` s.t. ``G w >= 0`` is rescaled (``w = D x``,
``D = diag(H)^(-1/2)``), factored once (``D H D = C^T C``, LAPACK Cholesky; a tiny
multiple of the identity is added when it is numerically singular), and transformed
to a *least-distance problem* ``min 1/2 ||u||^2`` s.t. ``(G D C^{-1}) u >= G D h`` with
``u = C x + C^{-T} D f`` and ``h = (D H D)^{-1} D f``.  DAQP then sees an identity
Hessian.  Because ``G`` is block diagonal, a row of ``G D C^{-1}`` is one
``p x n`` product (``C^{-1}`` is upper triangular and precomputed); rows are only
formed for a *working set*:

* cold: empty; warm: the rows with a positive previous multiplier, the rows whose
  sign changed, and per unit the ``2 p`` rows closest to the previous weights;
* each round DAQP solves on the working set (dual start: the previous round's
  multipliers), every constraint is checked with one product, and per unit the
  ``max(2, p)`` most violated rows are added.  A minimiser over a subset of the
  constraints that satisfies all of them solves the full problem.

The answer goes through the chain's certificate like every other engine's.

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

import numpy as np
from scipy.linalg import lapack

from ._types import Candidate, EngineFailure

__all__ = ["solve_qp", "use_fast", "FAST_MIN_SIZE"]

#: The default chain starts with this engine when ``n_vars * n_units * n_rows`` (the
#: size of the dense constraint matrix) is at least this; below, DAQP on all
#: constraints was measured faster (``bench/subproblem.py``).
FAST_MIN_SIZE = 100_000

_BIG = 1e30


def use_fast(problem, warm=None):
    """Whether the default chain starts with this engine (size threshold, see above)."""
    return problem.n_vars * problem.n_units * problem.n_rows >= FAST_MIN_SIZE


def _factor(Hs):
    """Upper Cholesky factor of ``Hs`` (unit diagonal), regularised if singular."""
    n = Hs.shape[0]
    reg = 0.0
    for _ in range(8):
        C, info = lapack.dpotrf(Hs + reg * np.eye(n) if reg else Hs, lower=0, clean=1)
        if info == 0 and float(np.abs(np.diag(C)).min(initial=1.0)) ** 2 > 1e-12:
            return C
        reg = 1e-12 if reg == 0.0 else reg * 100.0
    raise EngineFailure("could not factor the Hessian")


def solve_qp(problem, warm=None, *, settings=None, max_rounds=100):
    """Constraint generation around DAQP (LDP form); see the module docstring.

    Raises
    ------
    EngineFailure
        DAQP failed, or the rounds ran out.
    """
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
        mu0 = np.asarray(warm.multipliers, dtype=np.float64).reshape(L, R)
        work |= mu0 > 0
        work |= np.asarray(warm.changed, dtype=bool).reshape(L, R)
        W0 = np.asarray(warm.w, dtype=np.float64).reshape(L, p)
        rel = problem.slack(W0.reshape(-1)) / np.maximum(np.linalg.norm(W0, axis=1), 1e-300)[:, None]
        k_near = min(2 * p, R)
        if k_near < R:
            near = np.argpartition(rel, k_near - 1, axis=1)[:, :k_near]
            np.put_along_axis(work, near, True, axis=1)
        else:
            work[:] = True
        lam = np.where(work, np.maximum(mu0, 0.0), 0.0)
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
                                         iter_limit=100_000, eps_prox=0.0, **kw)
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
