"""A simple greedy local search over the vertices of ``Z^m`` (GLS, Algorithm 2).

Neighbours of a vertex ``A`` are the single flips ``(j, i)`` (unit ``j``, example
``i``) after which unit ``j``'s pattern is still a chamber -- the edges of ``Z^m`` for
data without repeated points.  ``strategy="best"`` is Algorithm 2 (best improvement);
``"first"`` takes the first improving neighbour in the order of decreasing multiplier
of the flipped constraint (the reading of mGLS's "geometric ordering" in the paper
digest: a large multiplier means the optimum presses against that facet).  The full
GLS/mGLS machinery (budgets, restarts, annealing) belongs to the experiments; this
is what :class:`relu.ShallowReLURegressor` uses for ``method="local_search"``.
"""

from __future__ import annotations

import time

import numpy as np

from .._blas import single_threaded_blas
from .._checks import check_choice, check_nonneg, check_pattern, check_rng
from .._problem import draw_vertex, training_problem, trivial_result
from ..exceptions import InfeasibleSubproblemError
from ..results import FitResult

__all__ = ["local_search"]

_ENUMERATE_BELOW = 200_000


def _start_vertex(problem, start, S, func):
    """Validate ``start`` (all points) and return it restricted to the kept points."""
    A = check_pattern(start, problem.n_samples, func, "start", m=problem.n_units)
    for j in range(problem.n_units):
        if A[j, ~problem.keep].any():
            raise InfeasibleSubproblemError(
                f"`start` of `{func}` must be a vertex of Z^m; got a row {j} that activates unit "
                f"{j} on a zero point, which no bias-free unit can do", unit=j)
    Ak = A[:, problem.keep] if not problem.all_kept else A
    for j in range(problem.n_units):
        if not S.is_chamber(Ak[j]):
            raise InfeasibleSubproblemError(
                f"`start` of `{func}` must be a vertex of Z^m (every row a chamber of the data "
                f"arrangement); got a row {j} that no weight realises strictly", unit=j)
    return np.ascontiguousarray(Ak)


def local_search(X, y, n_units, second_layer=None, *, loss="mse", ridge=0.0, start=None,
                 strategy="best", max_steps=100, init="glorot", bias=True, rng=None, chambers=None):
    """Greedy local search over single-flip neighbours of vertices of ``Z^m``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    n_units : int
    second_layer : array_like, shape (n_units + 1,) or (n_units,), optional
        Fixed second layer (default ``(+1, -1, ..., 0)``).
    loss : {"mse", "logistic"}
    ridge : float
    start : array_like of 0/1, shape (n_units, n_samples), optional
        Starting vertex (activation patterns); default: the patterns of a random
        ``W0`` (:func:`relu.random_pattern`, with ``init`` and ``rng``).
    strategy : {"best", "first"}
        Best improvement (Algorithm 2) or first improvement in multiplier order.
    max_steps : int, default 100
    init : {"glorot", "he"}
    bias : bool, default True
        Hidden units with or without a bias (see :func:`relu.exact_erm`).
    rng : int, numpy.random.Generator or None
    chambers : zonotope.ChamberSet, optional
        Chambers of ``Arrangement.from_points(X, homogenize=bias)`` (for
        ``bias=False``: of the non-zero points), making the neighbour test a lookup.
        Enumerated automatically when the arrangement has at most 200,000 chambers
        (estimate); otherwise each candidate flip is tested by an LP (cached per
        unit pattern).

    Returns
    -------
    FitResult
        ``method="local_search"``; ``status`` ``"converged"`` (no improving
        neighbour: a local minimum over vertices) or ``"max_steps"``; ``info`` holds
        ``n_moves`` (accepted moves), ``n_rounds`` (neighbourhood scans, the last one
        finds no improvement when converged) and the objective ``path`` (start, then
        after every move).

    Raises
    ------
    InfeasibleSubproblemError
        ``start`` is not a vertex (a row is not a chamber).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = local_search(X, [0.0, 0.0, 1.0, 2.0], 1, [1.0, 0.0], start=[[1, 1, 1, 1]])
    >>> r.status, round(r.loss, 9), np.round(r.W, 6).tolist()
    ('converged', 0.0, [[1.0, -1.0]])
    """
    from zonotope import enumerate_chambers, estimate_chambers

    t0 = time.perf_counter()
    func = "local_search"
    problem = training_problem(X, y, n_units, second_layer, loss, ridge, bias, func)
    strategy = check_choice(strategy, ("best", "first"), func, "strategy")
    max_steps = check_nonneg(max_steps, func, "max_steps", integer=True)
    init = check_choice(init, ("glorot", "he"), func, "init")
    gen = check_rng(rng, func)
    if problem.n_kept == 0:
        if start is not None:
            check_pattern(start, problem.n_samples, func, "start", m=problem.n_units)
        return trivial_result(problem, "local_search", t0, n_moves=0, n_rounds=0,
                              path=[problem.constant], strategy=strategy)
    if chambers is None:
        arr = problem.arrangement
        if estimate_chambers(arr) <= _ENUMERATE_BELOW:
            chambers = enumerate_chambers(arr, max_chambers=None, interior_points=False)
    S = problem.solver(check=True, chambers=chambers)
    A = draw_vertex(problem, init, gen, func)[0] if start is None else \
        _start_vertex(problem, start, S, func)
    v = problem.second_layer
    N = problem.n_kept
    n_solves = 0
    with single_threaded_blas():
        cur = S.solve(A)
        n_solves += 1
        path = [problem.to_full(cur.objective)]
        status = "max_steps"
        steps = 0
        for steps in range(1, max_steps + 1):
            order = np.argsort(-cur.multipliers, axis=None, kind="stable")
            best = best_A = None
            for flat in order:
                j, i = divmod(int(flat), N)
                if v[j] == 0:
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
                    best, best_A = res, A2
                    if strategy == "first":
                        break
            if best is None:
                status = "converged"
                break
            cur, A = best, best_A
            path.append(problem.to_full(cur.objective))
    return FitResult(cur.W, v, problem.to_full(cur.loss), problem.expand(A), "local_search",
                     time.perf_counter() - t0, n_solves,
                     status=status if cur.status == "optimal" else cur.status,
                     loss_name=problem.loss.name, objective=problem.to_full(cur.objective),
                     bias=problem.bias,
                     info={"n_moves": len(path) - 1, "n_rounds": steps, "path": path,
                           "strategy": strategy})
