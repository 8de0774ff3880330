"""A simple greedy local search over the vertices of ``Z^m`` (GLS, Algorithm 2).

Neighbours of a vertex ``A`` are the single flips ``(j, i)`` (unit ``j``, example
``i``) after which unit ``j``'s pattern is still a chamber -- the edges of ``Z^m`` for
data without repeated points.  ``strategy="best"`` is Algorithm 2 (best improvement);
``"first"`` takes the first improving neighbour in the order of decreasing multiplier
of the flipped constraint (the reading of mGLS's "geometric ordering" in the paper
digest: a large multiplier means the optimum presses against that facet).  The full
GLS/mGLS machinery (budgets, restarts, annealing) is a separate module; this one is
what :class:`relu.ShallowReLURegressor` uses for ``method="gls"``.
"""

from __future__ import annotations

import time

import numpy as np

from ._blas import single_threaded_blas
from ._checks import check_choice, check_nonneg, check_pattern, check_rng
from .exceptions import InfeasibleSubproblemError
from .network import check_training_problem
from .random_vertex import random_pattern
from .results import FitResult

__all__ = ["local_search"]

_ENUMERATE_BELOW = 200_000


def local_search(X, y, m, v=None, *, loss="mse", ridge=0.0, start=None, strategy="best",
                 max_steps=100, init="glorot", rng=None, chambers=None):
    """Greedy local search over single-flip neighbours of vertices of ``Z^m``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    m : int
    v : array_like, shape (m + 1,) or (m,), optional
        Fixed second layer (default ``(+1, -1, ..., 0)``).
    loss : {"mse", "logistic"}
    ridge : float
    start : array_like of 0/1, shape (m, n_samples), optional
        Starting vertex; default: the pattern of a random ``W0``
        (:func:`relu.random_vertex`'s draw, ``init``/``rng``).
    strategy : {"best", "first"}
        Best improvement (Algorithm 2) or first improvement in multiplier order.
    max_steps : int, default 100
    init : {"glorot", "he"}
    rng : int, numpy.random.Generator or None
    chambers : zonotope.ChamberSet, optional
        Chambers of the data (neighbour test by lookup).  Enumerated automatically
        when the arrangement has at most 200,000 chambers (estimate); otherwise each
        candidate flip is tested by an LP (cached per unit pattern).

    Returns
    -------
    FitResult
        ``method="local_search"``; ``status`` ``"converged"`` (no improving neighbour:
        a local minimum over vertices) or ``"max_steps"``; ``info`` holds
        ``n_moves`` (accepted moves), ``n_rounds`` (neighbourhood scans, the last one
        finds no improvement when converged) and the objective ``path`` (start, then
        after every move).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = local_search(X, [0.0, 0.0, 1.0, 2.0], 1, [1.0, 0.0], start=[[1, 1, 1, 1]])
    >>> r.status, round(r.loss, 9), np.round(r.W, 6).tolist()
    ('converged', 0.0, [[1.0, -1.0]])
    """
    from zonotope import Arrangement, enumerate_chambers, estimate_chambers

    from .subproblem import SubproblemSolver

    t0 = time.perf_counter()
    func = "local_search"
    Xv, Xf, yv, m, lo, vv, ridge = check_training_problem(X, y, m, v, loss, ridge, func)
    N = Xf.shape[0]
    strategy = check_choice(strategy, ("best", "first"), func, "strategy")
    max_steps = check_nonneg(max_steps, func, "max_steps", integer=True)
    gen = check_rng(rng)
    if chambers is None:
        arr = Arrangement.from_points(Xv)
        if estimate_chambers(arr) <= _ENUMERATE_BELOW:
            chambers = enumerate_chambers(arr, max_chambers=None, interior_points=False)
    S = SubproblemSolver(Xv, yv, vv, loss=lo.name, ridge=ridge, check=True, chambers=chambers)
    A = random_pattern(Xv, m, init=init, rng=gen)[0] if start is None else \
        check_pattern(start, N, func, "start", m=m)
    n_solves = 0
    with single_threaded_blas():
        try:
            cur = S.solve(A)
        except InfeasibleSubproblemError as exc:
            raise InfeasibleSubproblemError(f"`start` of `local_search` must be a vertex: {exc}",
                                            unit=exc.unit) from None
        n_solves += 1
        path = [cur.objective]
        status = "max_steps"
        steps = 0
        for steps in range(1, max_steps + 1):
            A = cur.pattern
            order = np.argsort(-cur.multipliers, axis=None, kind="stable")
            best = None
            for flat in order:
                j, i = divmod(int(flat), N)
                if vv[j] == 0:
                    continue
                a = A[j].copy()
                a[i] ^= 1
                if not S.is_chamber(a):
                    continue
                A2 = A.copy()
                A2[j] = a
                res = S.solve(A2, warm_start=cur)
                n_solves += 1
                if res.objective < (cur.objective if best is None else best.objective) - \
                        1e-12 * max(1.0, abs(cur.objective)):
                    best = res
                    if strategy == "first":
                        break
            if best is None:
                status = "converged"
                break
            cur = best
            path.append(cur.objective)
    return FitResult(cur.W, vv, cur.loss, cur.pattern, "local_search", time.perf_counter() - t0,
                     n_solves, status=status if cur.status == "optimal" else cur.status,
                     loss_name=lo.name, objective=cur.objective,
                     info={"n_moves": len(path) - 1, "n_rounds": steps, "path": path,
                           "strategy": strategy})
