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

A reported network must still be a network: :func:`approach_infimum` walks the ray
``W + t D`` until the loss of the network itself is within ``tol`` of the infimum, so
a fit never reports the infimum beside weights whose own loss is far from it (the
base point ``W`` of the ray is the minimiser of the *other* examples only, and is 0
when every example is separable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["separable_examples", "approach_infimum"]


def _block_rows(rows, signs):
    L, R = signs.shape
    p = rows.shape[1]
    data = (signs[:, :, None] * rows[None, :, :]).reshape(-1)
    r_idx = np.repeat(np.arange(L * R), p)
    c_idx = np.broadcast_to(np.arange(L)[:, None, None] * p + np.arange(p), (L, R, p)).reshape(-1)
    return sp.csr_matrix((data, (r_idx, c_idx)), shape=(L * R, L * p))


def separable_examples(M: np.ndarray, sigma: np.ndarray, rows: np.ndarray,
                       signs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def approach_infimum(X: ArrayLike, y: ArrayLike, W: ArrayLike, direction: ArrayLike | None,
                     separable: ArrayLike | None, second_layer: ArrayLike, *, infimum: float,
                     loss: str = "logistic", tol: float = 1e-9) -> tuple[np.ndarray, float, float]:
    r"""A point ``W + t D`` of the minimising ray whose own loss is within ``tol`` of the infimum.

    When the logistic infimum of a vertex is unattained (some examples are separable
    inside the pattern's cone), the subproblem reports the infimum, a base point ``W``
    (a minimiser of the loss of the other examples) and a recession direction ``D``
    (see :class:`relu.subproblem.SubproblemResult`).  Along the ray the pattern does
    not change, so the output is affine in ``t``: ``f_t = f_0 + t (f_1 - f_0)``; each
    separable example's margin ``s_i(t) = (2 y_i - 1) f_t(x_i)`` grows linearly and
    the other terms stay fixed.  The step is chosen in closed form so that every
    separable term is at most ``tol``
    (``t = max_i (log(1/tol) - s_i(0)) / (s_i(1) - s_i(0))``), then the loss of the
    network at ``W + t D`` is evaluated directly and ``t`` doubled while it exceeds
    ``infimum + tol`` (at most 60 times).

    Parameters
    ----------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
        Labels in {0, 1}.
    W : ndarray, shape (n_units, n_features + 1) or (n_units, n_features)
        Base point of the ray (with or without the bias column).
    direction : ndarray, same shape as ``W``, or None
        Recession direction ``D``; ``None`` or zero returns ``W`` unchanged.
    separable : ndarray of bool, shape (n_samples,), or None
        The examples ``D`` separates (from :func:`separable_examples`, through
        ``SubproblemResult.separable``).  Only their margins set the step: the
        others' margins do not change along ``D`` (their slopes are rounding noise,
        which a step sized by them would blow up).
    second_layer : ndarray, shape (n_units + 1,)
    infimum : float
        The mean loss the ray approaches.
    loss : str, default "logistic"
    tol : float, default 1e-9

    Returns
    -------
    W_t : ndarray, same shape as ``W``
    loss_t : float
        Mean loss of the network ``(W_t, second_layer)`` on ``(X, y)``;
        ``infimum <= loss_t <= infimum + tol`` up to rounding, unless ``t`` reached
        ``2^60`` times its first value (then the closest point found).
    t : float

    Examples
    --------
    Two points, separable inside the cone: the infimum 0 is approached, and the
    returned network's own loss is (almost) 0, not ``log 2``:

    >>> import numpy as np
    >>> X = np.array([[-1.0], [1.0]]); y = np.array([0.0, 1.0])
    >>> W0 = np.zeros((2, 2)); D = np.array([[1.0, 0.0], [-1.0, 0.0]]) / np.sqrt(2)
    >>> sep = np.array([True, True])
    >>> Wt, lt, t = approach_infimum(X, y, W0, D, sep, np.array([1.0, -1.0, 0.0]), infimum=0.0)
    >>> bool(lt <= 1e-9), bool(Wt[0, 0] > 20)
    (True, True)
    """
    from ..losses import get_loss
    from ..network import _forward

    W = np.asarray(W, dtype=np.float64)
    lo = get_loss(loss, "approach_infimum") if isinstance(loss, str) else loss
    Xf = np.asarray(X, dtype=np.float64)
    yv = np.asarray(y, dtype=np.float64)
    v = np.asarray(second_layer, dtype=np.float64)
    f0 = _forward(Xf, W, v)
    if direction is None or not np.any(direction):
        return W, lo.mean(f0, yv), 0.0
    D = np.asarray(direction, dtype=np.float64)
    sig = 2.0 * yv - 1.0
    s0 = sig * f0
    ds = sig * (_forward(Xf, W + D, v) - f0)
    grow = np.zeros(len(yv), dtype=bool) if separable is None else \
        np.asarray(separable, dtype=bool) & (ds > 0)
    if not grow.any():
        return W, lo.mean(f0, yv), 0.0
    need = np.log(1.0 / tol)
    t = max(float(np.max((need - s0[grow]) / ds[grow])), 0.0)
    t = t if t > 0 else 1.0
    best = None
    for _ in range(61):
        Wt = W + t * D
        lt = lo.mean(_forward(Xf, Wt, v), yv)
        if best is None or lt < best[1]:
            best = (Wt, lt, t)
        if lt <= infimum + tol or not np.all(np.isfinite(Wt)):
            break
        t *= 2.0
    return best


def fit_point(problem, res):
    """``(W, info)`` to report for the subproblem result ``res`` of a training problem.

    ``res.W`` itself when the optimum is attained; otherwise the point of the
    minimising ray chosen by :func:`approach_infimum`, with ``info`` holding
    ``reached_loss`` (its own loss), ``ray_t`` and ``recession_direction``.  Used by
    every method that returns a vertex solution (random vertex, local search, exact).
    """
    if res.status != "unattained" or res.recession_direction is None:
        return res.W, {}
    sep = problem.expand(np.asarray(res.separable)[None, :])[0].astype(bool)
    W, reached, t = approach_infimum(problem.Xf, problem.y, res.W, res.recession_direction, sep,
                                     problem.second_layer, infimum=problem.to_full(res.loss),
                                     loss=problem.loss)
    return W, {"reached_loss": reached, "ray_t": t,
               "recession_direction": np.array(res.recession_direction)}
