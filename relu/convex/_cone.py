r"""Projection onto the chamber cones ``K_D = {w : (2D - I) Xb w >= 0}`` (DAQP).

For a vector ``c`` the projection ``Pi_K(c)`` solves ``min 1/2 |v - c|^2`` s.t.
``G v >= 0`` with ``G = (2D - I) Xb``; its multipliers ``rho >= 0`` give
``v = c + G^T rho`` (stationarity).  By Moreau's decomposition
``|Pi_K(c)| = min_{rho >= 0} |c + G^T rho|``, the dual norm of a CGL block (see
``docs/convex.md``).  Whatever DAQP returns, we report ``v = c + G^T rho`` with the
clipped ``rho >= 0``: its norm is an *upper bound* on ``|Pi_K(c)|``, so a dual point
scaled with it stays dual feasible.  The accuracy of the projection itself is checked
(``v`` in ``K`` up to rounding, complementarity); a failed DAQP call falls back to
``scipy.optimize.nnls`` on the dual form.
"""

from __future__ import annotations

import numpy as np

__all__ = ["project_onto_cones"]

_BIG = 1e30


def _nnls_project(G, c):
    from scipy.optimize import nnls

    rho, _ = nnls(G.T, -c, maxiter=50 * max(G.shape))
    return np.maximum(rho, 0.0)


def project_onto_cones(Xb, D, C, *, want_multipliers=False):
    """Project each ``C[k]`` onto the cone of pattern ``D[k]``.

    Parameters
    ----------
    Xb : ndarray, shape (n, p)
    D : ndarray of 0/1, shape (B, n)
    C : ndarray, shape (B, p)
    want_multipliers : bool

    Returns
    -------
    V : ndarray, shape (B, p)
        ``c + G^T rho`` (``|V[k]| >= |Pi_K(C[k])|``, equal up to solver precision).
    rho : ndarray, shape (B, n), or None
        Multipliers (``>= 0``) in the units of ``G = (2D - I) Xb``.

    Examples
    --------
    >>> Xb = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> V, rho = project_onto_cones(Xb, np.array([[1, 1]]), np.array([[1.0, -2.0]]),
    ...                             want_multipliers=True)
    >>> np.round(V, 12).tolist(), np.round(rho, 12).tolist()
    ([[1.0, 0.0]], [[0.0, 2.0]])
    """
    import daqp

    Xb = np.asarray(Xb, dtype=np.float64)
    D = np.asarray(D)
    C = np.asarray(C, dtype=np.float64)
    B = C.shape[0]
    n, p = Xb.shape
    V = np.zeros((B, p))
    rho_all = np.zeros((B, n)) if want_multipliers else None
    if B == 0:
        return V, rho_all
    rn = np.linalg.norm(Xb, axis=1)
    live = rn > 0
    Xl = Xb[live] / rn[live, None]
    nl = Xl.shape[0]
    eye = np.eye(p)
    hi = np.full(nl, _BIG)
    lo = np.zeros(nl)
    sense = np.zeros(nl, dtype=np.intc)
    S = 2.0 * D[:, live].astype(np.float64) - 1.0
    # fast path: c already in the cone
    inside = np.all((C @ Xl.T) * S >= 0.0, axis=1)
    V[inside] = C[inside]
    for k in np.nonzero(~inside)[0]:
        c = C[k]
        cn = float(np.linalg.norm(c))
        if cn == 0.0 or nl == 0:
            V[k] = c
            continue
        G = S[k][:, None] * Xl
        ch = c / cn
        x, _, flag, info = daqp.solve(eye, -ch, G, hi, lo, sense, primal_tol=1e-13,
                                      iter_limit=100_000, eps_prox=0.0)
        rho = np.maximum(-np.asarray(info["lam"], dtype=np.float64), 0.0) if flag >= 0 else None
        ok = rho is not None and np.all(np.isfinite(x)) and np.all(np.isfinite(rho))
        if ok:
            v = ch + G.T @ rho
            # certificate of the projection: v in K and complementarity, to rounding
            sl = G @ v
            tol = 1e-9 * max(1.0, float(np.abs(rho).sum()))
            ok = float(sl.min()) >= -tol and float(np.abs(rho * sl).max()) <= tol
        if not ok:
            rho = _nnls_project(G, ch)
            v = ch + G.T @ rho
        V[k] = cn * v
        if want_multipliers:
            rho_all[k, live] = cn * rho / rn[live]
    return V, rho_all
