r"""Is the logistic infimum attained?  One LP (HiGHS through :func:`scipy.optimize.linprog`).

With ``rho = 0`` a *recession direction* ``D`` of the feasible cone (``G D >= 0``)
with ``sigma_i (M D)_i >= 0`` for all ``i`` lowers every term it touches, for ever.
The LP

.. math::

    \max \sum_i t_i \quad\text{s.t.}\quad 0 \le t_i \le 1,\quad
    t_i \le \sigma_i (M D)_i,\quad \sigma_i (M D)_i \ge 0,\quad G D \ge 0

has optimal value ``|S|``, where ``S`` is the largest such support (directions form
a convex cone, so supports unite; scale a direction of support ``S`` until every
``sigma_i (M D)_i >= 1``), and every optimal solution has ``t = 1_S``.  If ``S`` is
empty the infimum is attained (the level sets are bounded in output space).
Otherwise the infimum equals the minimum of the same problem restricted to the
other examples: moving along ``D`` keeps feasibility and their terms, and sends the
terms of ``S`` to 0; the restricted problem has no improving direction left, so its
minimum is attained.

Examples
--------
>>> import numpy as np
>>> M = np.array([[0.0], [1.0]]); sigma = np.array([-1.0, 1.0])
>>> mask, D = separable_examples(M, sigma, np.array([[1.0]]), np.array([[1.0]]))
>>> mask.tolist(), D.tolist()                  # w -> +inf separates example 1
([False, True], [1.0])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["separable_examples"]


def _block_rows(rows, signs):
    L, R = signs.shape
    p = rows.shape[1]
    data = (signs[:, :, None] * rows[None, :, :]).reshape(-1)
    r_idx = np.repeat(np.arange(L * R), p)
    c_idx = np.broadcast_to(np.arange(L)[:, None, None] * p + np.arange(p), (L, R, p)).reshape(-1)
    return sp.csr_matrix((data, (r_idx, c_idx)), shape=(L * R, L * p))


def separable_examples(M, sigma, rows, signs):
    """Largest set of examples that a recession direction drives to zero loss.

    Parameters
    ----------
    M : ndarray, shape (N, n)
    sigma : ndarray, shape (N,)
        ``2 y - 1``.
    rows, signs : ndarray
        The sign constraints (see :class:`relu.qp.problem.SignConstrainedProblem`).

    Returns
    -------
    mask : ndarray of bool, shape (N,)
        All False when the infimum is attained.
    direction : ndarray, shape (n,)
        A unit recession direction (zeros when the infimum is attained).

    Raises
    ------
    RuntimeError
        The LP failed (HiGHS status other than optimal).

    Examples
    --------
    >>> import numpy as np
    >>> M = np.array([[1.0], [1.0]]); rows = np.array([[1.0]]); signs = np.array([[1.0]])
    >>> separable_examples(M, np.array([1.0, -1.0]), rows, signs)[0].tolist()   # both labels
    [False, False]
    """
    from scipy.optimize import linprog

    N, n = M.shape
    if n == 0:
        return np.zeros(N, dtype=bool), np.zeros(0)
    G = _block_rows(rows, signs)
    SM = sp.csr_matrix(sigma[:, None] * M)
    I = sp.identity(N, format="csr")
    Z = sp.csr_matrix((G.shape[0], N))
    A_ub = sp.vstack([sp.hstack([-SM, I]), sp.hstack([-SM, sp.csr_matrix((N, N))]),
                      sp.hstack([-G, Z])]).tocsr()
    res = linprog(np.r_[np.zeros(n), -np.ones(N)], A_ub=A_ub, b_ub=np.zeros(A_ub.shape[0]),
                  bounds=[(None, None)] * n + [(0.0, 1.0)] * N, method="highs")
    if res.status != 0:
        raise RuntimeError(f"attainment LP failed: {res.message}")
    mask = res.x[n:] > 0.5              # t is 0/1 at every optimum (see module docstring)
    D = res.x[:n]
    if not mask.any():
        return mask, np.zeros(n)
    nrm = np.linalg.norm(D)
    return mask, (D / nrm if nrm > 0 else D)
