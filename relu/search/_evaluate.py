"""Neighbour solves of local search: one certified solve per single flip, optionally in 2+ processes.

A neighbour of the vertex ``A`` (current certified solution ``cur``) flips one
activation ``(j, i)``.  Its program is built exactly as
:meth:`relu.SubproblemSolver.solve` builds it, with two additions that do not change
the program, only how fast an engine solves it:

* **essential rows**: for every unit ``k != j`` only the facet rows of its chamber
  (decided exactly by the caller: a flip of ``(k, i)`` is a chamber) and the rows
  whose hyperplane has a parallel twin (duplicated points, where no single flip is a
  chamber) are marked essential -- the other rows are implied by them, so the
  cone is the same; unit ``j`` keeps all its rows.  The engines may drop the
  implied rows; the certificate checks every row (:mod:`relu.qp.certificates`);
* the chain starts with the ``"ldp"`` engine (:mod:`relu.qp.ldp`: DAQP on the
  least-distance form), then ``"daqp"``, ``"clarabel"``, ``"cvxpy"``; warm start:
  the current solution's multipliers (0 on the flipped row).

Every answer that local search may *use* is accepted only by the KKT certificate,
as in the solver itself.  A neighbour that cannot be the best (best improvement) or
cannot improve (first improvement) needs less: when the weak-duality bound of the
LDP engine's multipliers (:func:`relu.qp.certificates.dual_bound`, valid for any
multipliers ``>= 0``) exceeds the running best objective by more than the
certificate's relative tolerance, the neighbour's optimum provably exceeds it too,
and it is dropped without a certificate (``info["n_bounded"]``).  The first
minimum of the scan is never dropped, so the move is the same.

:class:`NeighbourPool` runs these solves in worker processes: each worker builds
its own :class:`relu.SubproblemSolver` once (the data are sent once), then receives
per move only the vertex, the current solution, the essential mask and its share
of the flips.  The calling process evaluates a share itself.  Every neighbour's
solve depends only on ``(A, cur, essential, (j, i))``, so the objectives, and the
move chosen from them in the serial order, do not depend on the number of processes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FlipEvaluator", "NeighbourPool", "parallel_twins"]

_CHAIN = ("ldp", "daqp", "clarabel", "cvxpy")


def parallel_twins(Xb):
    """Rows of ``Xb`` whose hyperplane ``{w : w . x_bar_i = 0}`` is shared with another row.

    Float test with a generous threshold (``|cos| >= 1 - 1e-9``): a row marked here is
    only *kept* by the engines, which is always safe; an exactly parallel pair has
    ``|cos| = 1`` up to rounding and is always marked.
    """
    Xb = np.asarray(Xb, dtype=np.float64)
    n = np.linalg.norm(Xb, axis=1)
    U = Xb / np.where(n > 0, n, 1.0)[:, None]
    cos = np.abs(U @ U.T)
    np.fill_diagonal(cos, 0.0)
    return (cos >= 1.0 - 1e-9).any(axis=1) | (n == 0)


class FlipEvaluator:
    """Certified solves of the single-flip neighbours of one vertex at a time.

    Parameters
    ----------
    S : relu.SubproblemSolver
        With ``check=False`` (the caller decides chamber-ness exactly).
    """

    def __init__(self, S):
        self.S = S
        self.lean = (S.loss.name == "mse" and S.method == "fast" and bool(np.all(S._nz)))
        self.twins = parallel_twins(S.Xb) if self.lean else None
        self.state = None
        self.n_bounded = 0            # neighbours excluded by their dual bound

    def set_vertex(self, A, cur, facets):
        """Current vertex ``A``, its solution ``cur`` and ``facets`` (bool ``(m, N)``, exact)."""
        self.state = (A, cur, facets)
        self._prep = None
        if not self.lean or cur.W.shape[0] != A.shape[0]:
            return
        S = self.S
        live = S._live(A)
        if live.size == 0:
            return
        P = S._problem(A, live)
        warm = S._warm(cur, A, live)
        if warm is None:
            return
        pos = np.full(A.shape[0], -1)
        pos[live] = np.arange(live.size)
        ess = facets[live] | self.twins[None, :]
        self._prep = (live, pos, P, warm, ess)

    def solve(self, j, i):
        """The certified :class:`relu.SubproblemResult` of the flip ``(j, i)``."""
        return self.evaluate(j, i)[1]()

    def evaluate(self, j, i, below=None):
        """``(objective, result)`` of the flip ``(j, i)``.

        ``result()`` builds the full :class:`relu.SubproblemResult` (only the chosen
        neighbour's is needed).  With ``below`` (an objective, data units): when the
        dual bound of the LDP engine's multipliers (:func:`relu.qp.certificates.dual_bound`)
        proves that the neighbour's optimum exceeds ``below`` by more than the
        certificate's tolerance, returns ``(inf, None)`` without certifying it.
        """
        import time

        from ..qp import ENGINES, EngineFailure, LeastSquaresProblem, Settings, WarmStart
        from ..qp import solve as qp_solve
        from ..qp.certificates import KKT_RTOL, dual_bound
        from ..qp.ldp import solve_qp as ldp_qp

        A, cur, _ = self.state
        S = self.S
        A2 = A.copy()
        A2[j, i] ^= 1
        prep = self._prep
        if prep is None or prep[1][j] < 0 or not A2[j].any():
            res = S.solve(A2, warm_start=cur)        # liveness changes: the plain path
            return res.objective, lambda: res
        t0 = time.perf_counter()
        live, pos, P, warm, ess = prep
        k = int(pos[j])
        p = S.p
        M = np.array(P.M)
        M[i, k * p:(k + 1) * p] = S._Xs[i] * (S._vs[j] * float(A2[j, i]))
        signs = np.array(P.signs)
        signs[k, i] = -signs[k, i]
        e = np.array(ess)
        e[k] = True
        prob = LeastSquaresProblem(M, P.r, P.rows, signs, P.ridge, essential=e)
        mu = np.array(warm.multipliers)
        mu[k, i] = 0.0
        changed = np.zeros(mu.shape, dtype=bool)
        changed[k, i] = True
        ws = WarmStart(warm.w, mu, changed)
        try:
            cand = ldp_qp(prob, ws)
        except EngineFailure as exc:
            cand = exc
        if below is not None and not isinstance(cand, Exception) and np.isfinite(below):
            thr = float(np.ldexp(below, -2 * S._out_e))       # the scaled problem's units
            if dual_bound(prob, cand.multipliers) > thr + KKT_RTOL * abs(thr):
                self.n_bounded += 1
                return float("inf"), None

        def replay(problem, warm, *, settings=None):
            if isinstance(cand, Exception):
                raise cand
            return cand

        registry = dict(ENGINES["mse"], ldp=replay)
        sol = qp_solve(prob, chain=_CHAIN, warm_start=ws, registry=registry,
                       settings=Settings(cvxpy_solver=S.cvxpy_solver))
        W = S._to_W(sol.w, live)

        def result():
            mus = S._to_multipliers(sol.multipliers, live)
            return S._finish(A2, W.copy(), mus, sol.engine, t0, sol.iterations,
                             sol.certificate.stationarity, attempts=sol.attempts)

        if not np.isfinite(W).all():
            return result().objective, result     # raises SolverFailedError
        return S._loss_objective(W)[1], result

    def scan(self, flips, bar):
        """Solve ``flips`` in order; ``(objectives, index of the first minimum below bar, its result)``.

        The index is None when no objective is below ``bar``.  Neighbours whose dual
        bound exceeds the running best are not certified (objective ``inf``, see
        :meth:`evaluate`): they cannot be the first minimum.
        """
        objs = []
        best, best_val, best_res = None, bar, None
        for j, i in flips:
            obj, res = self.evaluate(int(j), int(i), below=best_val)
            objs.append(obj)
            if obj < best_val:
                best, best_val, best_res = len(objs) - 1, obj, res
        return objs, best, (None if best_res is None else best_res())


# ---------------------------------------------------------------------- processes
_WORKER = {}


def _worker_init(args):
    from .._blas import single_threaded_blas
    from ..subproblem import SubproblemSolver

    X, y, v, loss, ridge, bias = args
    ctx = single_threaded_blas()
    ctx.__enter__()
    _WORKER["blas"] = ctx
    _WORKER["ev"] = FlipEvaluator(SubproblemSolver(X, y, v, loss=loss, ridge=ridge, bias=bias,
                                                   check=False))


def _worker_scan(A, cur, facets, flips, bar):
    ev = _WORKER["ev"]
    ev.set_vertex(A, cur, facets)
    n0 = ev.n_bounded
    return ev.scan(flips, bar) + (ev.n_bounded - n0,)


class NeighbourPool:
    """``n_jobs - 1`` worker processes plus the caller, sharing the neighbour solves of a move.

    Parameters
    ----------
    evaluator : FlipEvaluator
        The caller's own evaluator (its share is solved in this process).
    data : tuple
        ``(X, y, second_layer, loss, ridge, bias)`` of the solver, sent once to each
        worker.
    n_jobs : int
        Processes in all (``>= 2``).
    """

    def __init__(self, evaluator, data, n_jobs):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.ev = evaluator
        self.n_jobs = int(n_jobs)
        self.pool = ProcessPoolExecutor(max_workers=self.n_jobs - 1,
                                        mp_context=mp.get_context("spawn"),
                                        initializer=_worker_init, initargs=(data,))
        self.worker_bounded = 0

    @property
    def n_bounded(self):
        """Neighbours excluded by their dual bound, in every process."""
        return self.ev.n_bounded + self.worker_bounded

    def set_vertex(self, A, cur, facets):
        """First improvement runs in this process (see :class:`FlipEvaluator`)."""
        self.ev.set_vertex(A, cur, facets)

    def evaluate(self, j, i, below=None):
        """:meth:`FlipEvaluator.evaluate` in this process."""
        return self.ev.evaluate(j, i, below=below)

    def scan(self, A, cur, facets, flips, bar):
        """Like :meth:`FlipEvaluator.scan` over ``flips``, the work shared round-robin."""
        n = self.n_jobs
        flips = [tuple(map(int, f)) for f in flips]
        if len(flips) < 2 * n:
            self.ev.set_vertex(A, cur, facets)
            return self.ev.scan(flips, bar)
        shares = [flips[r::n] for r in range(n)]
        futures = [self.pool.submit(_worker_scan, A, cur, facets, shares[r], bar)
                   for r in range(1, n)]
        self.ev.set_vertex(A, cur, facets)
        parts = [self.ev.scan(shares[0], bar)]
        for f in futures:
            o, b, res, nb = f.result()
            self.worker_bounded += nb
            parts.append((o, b, res))
        objs = [None] * len(flips)
        for r, (o, _, _) in enumerate(parts):
            objs[r::n] = o
        # the serial rule: the first position whose objective is below the running best
        best, best_val = None, bar
        for t, o in enumerate(objs):
            if o < best_val:
                best, best_val = t, o
        if best is None:
            return objs, None, None
        r, q = best % n, best // n
        o, b, res = parts[r]
        # within its share, the global winner is that share's first minimum below bar
        assert b == q, (b, q)
        return objs, best, res

    def close(self):
        """Stop the workers (their processor time then shows in the children's rusage)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
