r"""Greedy local search over the vertices of ``Z^m`` (GLS, Algorithm 2, and mGLS).

Neighbours of a vertex ``A`` are the single flips ``(j, i)`` (unit ``j``, example
``i``) after which unit ``j``'s pattern is still a chamber -- the edges of ``Z^m`` for
data without repeated points.  ``strategy="best"`` is Algorithm 2 (best improvement:
every neighbour is evaluated, the search moves to the best); ``"first"`` is our
reading of mGLS (Section 4.3.1; its Appendix G is not available): move to the
*first* improving neighbour, trying them in the order given by the multipliers of
the current solution (below).

**Neighbours** are decided exactly and in bulk (:mod:`relu.search._facets`): one
non-negative least-squares fit per example proposes "facet" (with a witness point
inside the flipped chamber, checked by the exact sign predicate) or "not a facet"
(a Farkas combination checked by certified determinant signs); only what this
filter cannot decide goes to the exact LP predicate :func:`zonotope.is_chamber`.
With a small arrangement (or ``chambers`` given) the chambers are enumerated once
and the test is a lookup.

**Neighbours that cannot improve are skipped without a solve.**  Let ``W*`` be the
certified optimum at ``A`` with multipliers ``mu`` of the constraints
``(2 a_ji - 1) w_j . x_bar_i >= 0``.  If the constraint of a flip ``(j, i)`` is
active (``w*_j . x_bar_i = 0``), ``W*`` is feasible at the neighbour and gives the
same outputs there; the neighbour's gradient differs from the current one only by
``(1/N) l'_i v_j x_bar_i`` on unit ``j``, so ``W*`` satisfies the neighbour's KKT
conditions with the same multipliers except

.. math::

    \mu'_{ji} = \tfrac1N\, \ell'(f(x_i), y_i)\, v_j - \mu_{ji} .

If ``mu'_ji >= 0`` the neighbour's optimum equals the current one (convexity): it
cannot improve and is not solved.  If ``mu'_ji < 0`` it improves to first order;
mGLS tries these first, most negative ``mu'`` first, then the flips whose
constraint is inactive, closest facet (smallest relative slack) first.  Flips whose
pattern is not a chamber can never improve either (their closed cone lies inside
the current one's boundary, where the outputs agree), so skipping them is exact.

**Certified local minimum.**  ``status="converged"`` means: every neighbour was
either solved (certified by :mod:`relu.qp`) with an objective not below
``(1 - tol)`` times the current one, or skipped by the KKT argument above (active
constraint: ``|w_j . x_bar_i| <= 1e-9 ||w_j|| ||x_bar_i||``, and
``mu'_ji >= -1e-9 max(|l'_i v_j| / N, mu_ji)``) -- the same relative tolerances as
the certificate of the solves themselves.  A move is accepted only when it lowers the
objective by more than that.

**Speed** (:mod:`relu.search._evaluate`).  A neighbour's program is the one
:class:`relu.SubproblemSolver` builds, solved by the chain ``"ldp"``, ``"daqp"``,
``"clarabel"``, ``"cvxpy"`` (:mod:`relu.qp.ldp`: DAQP on the least-distance form) from
the current solution's multipliers, with every unit other than the flipped one
restricted to the facet rows of its chamber (known exactly from the neighbour test;
the other rows are implied, the certificate still checks them all).  With
``n_jobs > 1`` (best improvement) the solves of a move are shared by this process and
``n_jobs - 1`` worker processes (started once per call, data sent once); each
neighbour's answer depends only on the vertex, its solution and the flip, and the move
is chosen from the objectives in the serial order, so the result does not depend on
``n_jobs``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from .._blas import single_threaded_blas
from .._checks import check_choice, check_nonneg, check_pattern, check_rng
from .._problem import draw_vertex, training_problem, trivial_result
from ..exceptions import InfeasibleSubproblemError
from ..qp.attainment import fit_point
from ..results import FitResult
from ._evaluate import FlipEvaluator, NeighbourPool

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from zonotope import ChamberSet

__all__ = ["local_search"]

_ENUMERATE_BELOW = 200_000
_ACTIVE_RTOL = 1e-9
_MU_RTOL = 1e-9


def _check_jobs(n_jobs, func):
    """``n_jobs``: a positive int, or -1 / None for every core (``os.cpu_count()``)."""
    import os

    from .._checks import fail

    if n_jobs is None or (isinstance(n_jobs, (int, np.integer)) and not isinstance(n_jobs, bool)
                          and int(n_jobs) == -1):
        return max(1, os.cpu_count() or 1)
    if not isinstance(n_jobs, (int, np.integer)) or isinstance(n_jobs, bool) or n_jobs < 1:
        fail("n_jobs", func, "a positive int (processes), or -1 for every core", repr(n_jobs))
    return int(n_jobs)


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


class _Neighbours:
    """Chamber flips of each unit: a chamber-set lookup or the certified facet filter."""

    def __init__(self, problem, S, chambers):
        self.S = S
        self.oracle = None
        self.n_lookups = 0
        if chambers is None and problem.Xf.dtype == np.float64 and problem.X.dtype != object:
            from ._facets import FacetOracle

            Xk = problem.Xf[problem.keep] if not problem.all_kept else problem.Xf
            Xb = np.hstack([Xk, np.ones((Xk.shape[0], 1))]) if problem.bias else Xk
            self.oracle = FacetOracle(Xb, problem.arrangement, S.is_chamber)

    def interior_point(self, a):
        return None if self.oracle is None else self.oracle.interior_point(a)

    def flips(self, a, c):
        """``(facet indices, witnesses)`` of the chamber ``a`` (interior point ``c``)."""
        if self.oracle is not None:
            return self.oracle.facets(a, c)
        out = []
        for i in range(a.shape[0]):
            b = a.copy()
            b[i] ^= 1
            self.n_lookups += 1
            if self.S.is_chamber(b):
                out.append(i)
        return np.array(out, dtype=int), {}

    def known_flips(self, a):
        """Facet indices of the chamber ``a`` if already known (or cheap: a lookup), else None."""
        if self.oracle is None:
            return self.flips(a, None)[0]
        hit = self.oracle._cache.get(np.packbits(a).tobytes())
        return None if hit is None else hit[0]

    def is_flip(self, a, c, i):
        """``(is a chamber, witness or None)`` for the flip of example ``i`` of ``a``."""
        if self.oracle is not None:
            return self.oracle.is_facet(a, c, i)
        b = a.copy()
        b[i] ^= 1
        self.n_lookups += 1
        return bool(self.S.is_chamber(b)), None

    @property
    def n_exact(self):
        return self.n_lookups if self.oracle is None else self.oracle.n_exact


def _candidates(cur, A, problem, Xb, xnorm, counts):
    """Flips ``(j, i)`` that may improve, in mGLS order, and the KKT-skipped mask.

    Returns ``(order, skip)``: ``order`` the flat indices ``j * N + i`` of the flips
    not excluded by the KKT argument (first the active constraints with
    ``mu' < 0``, most negative first; then the inactive ones, smallest relative slack
    first), ``skip`` a boolean ``(m, N)`` mask of the excluded ones.
    """
    v = problem.second_layer
    m = problem.n_units
    vw = v[:m]
    N = A.shape[1]
    Z = (Xb @ cur.W.T).T                                       # (m, N)
    out = np.maximum(Z, 0.0).T @ vw + v[-1]
    grad = problem.loss.derivative(out, problem.y_kept) / N    # (N,)
    wn = np.linalg.norm(cur.W, axis=1)
    scale = wn[:, None] * xnorm[None, :]
    active = np.abs(Z) <= _ACTIVE_RTOL * scale
    c = grad[None, :] * vw[:, None]
    mu = cur.multipliers
    mu_new = c - mu
    skip = np.zeros((m, N), dtype=bool)
    if cur.status == "optimal":
        skip = active & (mu_new >= -_MU_RTOL * np.maximum(np.abs(c), mu))
    live = vw != 0
    skip[~live] = True
    slack = np.abs(Z) / np.maximum(scale, 1e-300)
    key0 = np.where(active, 0.0, 1.0)
    key1 = np.where(active, mu_new, slack)
    order = np.lexsort((key1.ravel(), key0.ravel()))
    order = order[~skip.ravel()[order]]
    return order, skip


def _known_facets(nb, A, live):
    """Exact facet rows of each live unit's chamber where already known, else all rows."""
    F = np.ones(A.shape, dtype=bool)
    for j in np.flatnonzero(live):
        f = nb.known_flips(A[j])
        if f is not None:
            F[j] = False
            F[j, f] = True
    return F


def _scan(cur, A, inner, nb, ev, strategy, tol, problem, Xb, xnorm, counts):
    """One neighbourhood scan: the best (or first) improving neighbour, or None."""
    order, skip = _candidates(cur, A, problem, Xb, xnorm, counts)
    N = A.shape[1]
    live = problem.second_layer[:A.shape[0]] != 0
    bar = cur.objective - tol * max(cur.objective, counts["floor"])
    if strategy == "best":
        facet = np.zeros(A.shape, dtype=bool)
        wits = {}
        for j in np.flatnonzero(live):
            f, w = nb.flips(A[j], inner[j])
            facet[j, f] = True
            wits.update({(j, i): wi for i, wi in w.items()})
        counts["neighbours"] += int(facet.sum())
        counts["skipped"] += int((facet & skip).sum())
        flips = [divmod(int(flat), N) for flat in order if facet.flat[flat]]
        counts["solves"] += len(flips)
        _, k, res = ev.scan(A, cur, facet | ~live[:, None], flips, bar)
        if k is None:
            return None
        j, i = flips[k]
        return res, np.array(res.pattern, dtype=np.uint8), j, wits.get((j, i))
    ev.set_vertex(A, cur, _known_facets(nb, A, live))
    for flat in order:
        j, i = divmod(int(flat), N)
        ok, w_in = nb.is_flip(A[j], inner[j], i)
        if not ok:
            continue
        counts["neighbours"] += 1
        obj, make = ev.evaluate(j, i, below=bar)
        counts["solves"] += 1
        if obj < bar:
            res = make()
            return res, np.array(res.pattern, dtype=np.uint8), j, w_in
    counts["skipped"] += int(skip[live].sum())
    return None


class _SerialScan:
    """The :class:`~relu.search._evaluate.NeighbourPool` interface, in this process."""

    def __init__(self, ev):
        self.ev = ev

    def set_vertex(self, A, cur, facets):
        self.ev.set_vertex(A, cur, facets)

    def evaluate(self, j, i, below=None):
        return self.ev.evaluate(j, i, below=below)

    @property
    def n_bounded(self):
        return self.ev.n_bounded

    def scan(self, A, cur, facets, flips, bar):
        self.ev.set_vertex(A, cur, facets)
        return self.ev.scan(flips, bar)

    def close(self):
        pass


def local_search(X: ArrayLike, y: ArrayLike, n_units: int, second_layer: ArrayLike | None = None, *,
                 loss: str = "mse", ridge: float = 0.0, start: ArrayLike | None = None,
                 strategy: str = "best", max_steps: int = 1000, tol: float = 1e-9, init: str = "glorot",
                 bias: bool = True, rng: int | np.random.Generator | None = None,
                 chambers: ChamberSet | None = None, n_jobs: int | None = 1) -> FitResult:
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
        Best improvement (GLS, Algorithm 2) or first improvement in multiplier order
        (mGLS, see the module docstring).
    max_steps : int, default 1000
        Maximum number of moves.
    tol : float, default 1e-9
        A neighbour improves when its objective is below ``f - tol * max(f, 1e-12 f_0)``
        (``f`` the current objective, ``f_0`` that of ``W = 0``).
    init : {"glorot", "he"}
    bias : bool, default True
        Hidden units with or without a bias (see :func:`relu.exact_erm`).
    rng : int, numpy.random.Generator or None
    chambers : zonotope.ChamberSet, optional
        Chambers of ``Arrangement.from_points(X, homogenize=bias)`` (for
        ``bias=False``: of the non-zero points), making the neighbour test a lookup.
        Enumerated automatically when the arrangement has at most 200,000 chambers
        (estimate); otherwise neighbours come from the certified facet filter (see
        the module docstring).
    n_jobs : int, default 1
        Processes solving the neighbours of a move (best improvement only; first
        improvement tries one neighbour at a time).  ``-1`` or None: one per core.
        The result is the same for every ``n_jobs``.  Worker processes are started
        with the ``spawn`` method (about 2 s each, importing the toolkit), so they
        pay off only on large runs (d = 8, N = 72, m = 8: 2 processes halve the wall
        time, see ``bench/search.py``); the default stays serial.  Scripts calling
        with ``n_jobs > 1`` need the usual ``if __name__ == "__main__":`` guard.

    Returns
    -------
    FitResult
        ``method="local_search"``; ``status`` ``"converged"`` (a certified local
        minimum over vertices: no neighbour improves, see the module docstring) or
        ``"max_steps"``; ``info`` holds ``n_moves`` (accepted moves), ``n_rounds``
        (neighbourhood scans; the last one finds no improvement when converged),
        the objective ``path`` (start, then after every move), ``strategy``,
        ``tol``, ``n_neighbours`` (neighbours met over all rounds),
        ``n_skipped`` (of those, not solved because the KKT argument shows they cannot
        improve), ``n_bounded`` (solved, but excluded by their dual bound without a KKT
        certificate -- depends on ``n_jobs``, the result does not), ``n_exact_checks``
        (chamber questions the filter passed to the exact predicate) and ``certified``
        (``status == "converged"``).

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
    >>> r.info["certified"], r.info["n_moves"]
    (True, 1)
    """
    from zonotope import enumerate_chambers, estimate_chambers

    t0 = time.perf_counter()
    func = "local_search"
    problem = training_problem(X, y, n_units, second_layer, loss, ridge, bias, func)
    strategy = check_choice(strategy, ("best", "first"), func, "strategy")
    max_steps = check_nonneg(max_steps, func, "max_steps", integer=True)
    tol = check_nonneg(tol, func, "tol")
    init = check_choice(init, ("glorot", "he"), func, "init")
    n_jobs = _check_jobs(n_jobs, func)
    gen = check_rng(rng, func)
    if problem.n_kept == 0:
        if start is not None:
            check_pattern(start, problem.n_samples, func, "start", m=problem.n_units)
        return trivial_result(problem, "local_search", t0, n_moves=0, n_rounds=0,
                              path=[problem.constant], strategy=strategy, tol=tol,
                              n_neighbours=0, n_skipped=0, n_exact_checks=0, certified=True)
    if chambers is None:
        arr = problem.arrangement
        if estimate_chambers(arr) <= _ENUMERATE_BELOW:
            chambers = enumerate_chambers(arr, max_chambers=None, interior_points=False)
    S = problem.solver(check=False, chambers=chambers)
    nb = _Neighbours(problem, S, chambers)
    ev = FlipEvaluator(S)
    m = problem.n_units
    if start is None:
        A, W0 = draw_vertex(problem, init, gen, func)
        inner = [np.asarray(W0[j], dtype=np.float64) for j in range(m)]
    else:
        A = _start_vertex(problem, start, S, func)
        inner = [nb.interior_point(A[j]) if nb.oracle is not None else None for j in range(m)]
    A = np.array(A, dtype=np.uint8)
    v = problem.second_layer
    Xk = problem.Xf[problem.keep] if not problem.all_kept else problem.Xf
    Xb = np.hstack([Xk, np.ones((Xk.shape[0], 1))]) if problem.bias else Xk
    xnorm = np.linalg.norm(Xb, axis=1)
    f0 = problem.loss.mean(np.full(problem.n_kept, float(v[-1])), problem.y_kept)
    counts = {"solves": 1, "neighbours": 0, "skipped": 0, "floor": 1e-12 * f0}
    if n_jobs > 1 and strategy == "best":
        runner = NeighbourPool(ev, (problem.X_kept, problem.y_kept, v, problem.loss,
                                    problem.ridge_kept, problem.bias), n_jobs)
    else:
        runner = _SerialScan(ev)
    try:
        with single_threaded_blas():
            cur = S.solve(A)
            path = [problem.to_full(cur.objective)]
            status = "max_steps"
            steps = 0
            for steps in range(1, max_steps + 1):
                best = _scan(cur, A, inner, nb, runner, strategy, tol, problem, Xb, xnorm,
                             counts)
                if best is None:
                    status = "converged"
                    break
                cur, A, j, w_in = best
                inner[j] = w_in if w_in is not None else nb.interior_point(A[j])
                path.append(problem.to_full(cur.objective))
    finally:
        runner.close()
    n_bounded = runner.n_bounded
    n_solves, n_neighbours, n_skipped = counts["solves"], counts["neighbours"], counts["skipped"]
    W, extra = fit_point(problem, cur)   # unattained: a point near the infimum, not the base
    return FitResult(W, v, problem.to_full(cur.loss), problem.expand(A), "local_search",
                     time.perf_counter() - t0, n_solves,
                     status=status if cur.status == "optimal" else cur.status,
                     loss_name=problem.loss.name, objective=problem.to_full(cur.objective),
                     bias=problem.bias,
                     info={"n_moves": len(path) - 1, "n_rounds": steps, "path": path,
                           "strategy": strategy, "tol": tol, "n_neighbours": n_neighbours,
                           "n_skipped": n_skipped, "n_bounded": n_bounded,
                           "n_exact_checks": nb.n_exact,
                           "certified": status == "converged", **extra})
