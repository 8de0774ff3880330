r"""Exact empirical risk minimisation (Algorithm 1): enumerate the vertices of ``Z^m``.

With the second layer ``v`` fixed, every first layer ``W`` lies in the closure of one
*vertex* of ``Z^m`` -- an ``n_units``-tuple of chambers of the data arrangement, one
per unit -- and the loss is continuous across chamber boundaries, so

.. math::

    \min_W L(W) = \min_{A \in \operatorname{vert}(Z^m)} \mathcal L^*(A),

the optimum of the convex problem (3) minimised over all vertices (Arora et al. 2016;
Matena & Raffel 2022, Algorithm 1).

This module is the *driver*: enumeration, symmetry, pruning and the size refusal.
The per-vertex work is :mod:`relu._erm_work` (one chunk of vertices per task, and
the pruning bounds :func:`vertex_lower_bounds`), the
plumbing :mod:`relu._executor` (inline, worker processes that die with their parent,
or any executor) and :mod:`relu._erm_checkpoint` (the sealed, locked checkpoint file).

Reductions used here (all exact):

* **Symmetry.**  Units with equal second-layer weight are interchangeable (swapping
  their rows of ``W`` swaps their chambers and leaves the network unchanged), so for
  each group of ``k`` equal weights only multisets of chambers are enumerated:
  ``C(n + k - 1, k)`` instead of ``n^k`` for ``n`` chambers.  Units with ``v_j = 0``
  do not influence the output and are pinned to the all-inactive chamber
  (``w_j = 0``).
* **Pruning.**  On example ``i`` the pattern fixes which units are active; each active
  unit contributes ``v_j (w_j . x_bar_i) >= 0`` times ``sign(v_j)``, so the output lies
  in an interval ``[b + lo_i, b + hi_i]`` with ``lo_i = -inf`` iff some active unit has
  ``v_j < 0`` (else 0) and ``hi_i = +inf`` iff some active unit has ``v_j > 0``.  The
  mean of the per-example minima of the loss over these intervals is a lower bound on
  the subproblem's optimum; a vertex whose bound exceeds the best loss found so far
  is skipped.  Sound, cheap (vectorised) and independent of the solver.

Vertices are enumerated in a fixed order and cut into chunks whose size depends only
on the number of vertices (never on the number of workers), so a checkpoint resumes
under any executor.  Outcomes are merged order-independently (lowest objective, ties
broken by the enumeration index).  Before the optimum is reported its vertex is
solved once more from its patterns, with the chamber check on: the recorded value
is confirmed (a checkpoint whose best value does not match is refused -- checked
when it is loaded, too, since that value bounds the pruning) and the returned weights
never come from a file.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from math import comb
from typing import TYPE_CHECKING

import numpy as np

from ._checks import check_nonneg, check_workers, fail
from ._erm_checkpoint import ErmCheckpoint, Progress, check_checkpoint_path, fingerprint
from ._erm_work import ChunkTask, solve_chunk, vertex_lower_bounds
from ._executor import InlineExecutor, n_workers_of, open_executor
from ._problem import training_problem, trivial_result
from .exceptions import DamagedFileError, SolverFailedError, TooLargeError, ValidationError
from .qp.attainment import fit_point
from .results import FitResult

if TYPE_CHECKING:
    import os
    from collections.abc import Callable
    from typing import Any

    from numpy.typing import ArrayLike

    from zonotope import ChamberSet

    from .losses import Loss

__all__ = ["exact_erm", "count_vertices", "vertex_lower_bounds", "DEFAULT_MAX_SUBPROBLEMS"]

#: Default refusal threshold on the number of subproblems.
DEFAULT_MAX_SUBPROBLEMS = 2_000_000


# ---------------------------------------------------------------------------- counting
def _groups(second_layer):
    """Units with equal non-zero second-layer weight, in order of first appearance."""
    w = np.asarray(second_layer[:-1], dtype=np.float64)
    nz = np.flatnonzero(w != 0)
    if nz.size == 0:
        return []
    _, first, inv = np.unique(w[nz], return_index=True, return_inverse=True)
    parts = np.split(nz[np.argsort(inv, kind="stable")], np.cumsum(np.bincount(inv))[:-1])
    return [parts[k].tolist() for k in np.argsort(first)]


def _n_multisets(n_chambers, sizes):
    total = 1
    for k in sizes:
        total *= comb(n_chambers + k - 1, k)
    return total


def _log10_multisets(n_chambers, sizes):
    """``log10`` of :func:`_n_multisets` without computing the (maybe huge) integer."""
    n = n_chambers
    return sum((math.lgamma(n + k) - math.lgamma(k + 1) - math.lgamma(n)) / math.log(10)
               for k in sizes)


def _refuse_if_too_many(n_chambers, sizes, max_sub, force, what, shape):
    """Raise :class:`TooLargeError` above ``max_sub`` vertices (unless ``force``)."""
    if force:
        return
    log10 = _log10_multisets(n_chambers, sizes)
    if log10 > math.log10(max_sub) + 1.0:
        count = f"about 10^{log10:.1f}"
    else:
        exact = _n_multisets(n_chambers, sizes)
        if exact <= max_sub:
            return
        count = f"{exact:,}"
    raise TooLargeError(
        f"exact ERM {what} {count} subproblems (> max_subproblems={max_sub:,}) for {shape}; "
        "pass force=True (CLI: --force) or raise max_subproblems, or use fewer units")


def count_vertices(n_chambers: int, second_layer: ArrayLike) -> int:
    """Count the subproblems :func:`exact_erm` solves (before pruning).

    Parameters
    ----------
    n_chambers : int
        Chambers of the data arrangement (one unit's activation patterns).
    second_layer : array_like, shape (n_units + 1,)
        Units with equal weight are grouped, zero weights are pinned.

    Returns
    -------
    int
        ``prod_g C(n_chambers + k_g - 1, k_g)`` over the groups of equal weights.

    Examples
    --------
    >>> count_vertices(10, [1.0, -1.0, 0.0])   # two groups of one unit: 10 * 10
    100
    >>> count_vertices(10, [1.0, 1.0, 0.0])    # one group of two: C(11, 2)
    55
    >>> count_vertices(10, [0.0, 0.0, 1.0])    # only the output bias matters
    1
    """
    vv = np.asarray(second_layer, dtype=np.float64).reshape(-1)
    if vv.size < 2:
        fail("second_layer", "count_vertices", "a vector of length n_units + 1 >= 2",
             f"length {vv.size}")
    if isinstance(n_chambers, bool) or not isinstance(n_chambers, (int, np.integer)) \
            or n_chambers < 1:
        fail("n_chambers", "count_vertices", "a positive int", repr(n_chambers))
    return _n_multisets(int(n_chambers), [len(g) for g in _groups(vv)])


# ---------------------------------------------------------------------------- enumeration
@dataclass(frozen=True, eq=False)
class _Plan:
    """The enumeration of one run: chambers, groups, vertex order and chunking."""

    problem: object
    chamber_set: object
    chambers: np.ndarray      # int8 sign vectors (n_chambers, n_kept)
    groups: list
    pinned: list
    zero_chamber: int
    total: int
    chunk_size: int

    @property
    def n_chambers(self):
        return int(self.chambers.shape[0])

    @property
    def n_chunks(self):
        return -(-self.total // self.chunk_size)

    def stream(self):
        """Vertices in enumeration order, as rows of chamber indices (one per unit)."""
        m = self.problem.n_units
        iters = [itertools.combinations_with_replacement(range(self.n_chambers), len(g))
                 for g in self.groups]
        for combo in itertools.product(*iters):
            row = [self.zero_chamber] * m
            for g, idx in zip(self.groups, combo):
                for j, c in zip(g, idx):
                    row[j] = c
            yield row

    def chunks(self):
        """``(chunk id, rows)`` in order."""
        stream = self.stream()
        for cid in range(self.n_chunks):
            yield cid, list(itertools.islice(stream, self.chunk_size))

    def vertex(self, index):
        """Patterns on the kept points of vertex ``index``, shape (n_units, n_kept)."""
        row = next(itertools.islice(self.stream(), index, None))
        return (self.chambers[np.asarray(row)] > 0).astype(np.uint8)

    def task(self, cid, rows, bound, prune):
        tuples = np.asarray(rows, dtype=np.intp).reshape(-1, self.problem.n_units)
        used, local = np.unique(tuples, return_inverse=True)  # ship only the rows used
        pr = self.problem
        return ChunkTask(pr.X_kept, pr.y_kept, pr.second_layer, pr.loss, pr.ridge_kept, pr.bias,
                         self.chambers[used], local.reshape(tuples.shape), cid * self.chunk_size,
                         float(bound), bool(prune))

    def n_done_vertices(self, done):
        last = self.n_chunks - 1
        return sum(self.total - last * self.chunk_size if c == last else self.chunk_size
                   for c in done)


def _default_chunk_size(total):
    """Vertices per chunk: a function of the number of vertices only (about 256 chunks)."""
    return int(min(4096, max(16, total // 256)))


def _plan(problem, chambers, max_sub, force, chunk_size, func):
    from zonotope import ChamberSet, enumerate_chambers, estimate_chambers

    groups = _groups(problem.second_layer)
    sizes = [len(g) for g in groups]
    pinned = [j for j in range(problem.n_units) if problem.second_layer[j] == 0]
    N, d = problem.Xf.shape
    shape = f"N={N}, d={d}, n_units={problem.n_units}"
    arr = problem.arrangement
    if chambers is None:
        _refuse_if_too_many(estimate_chambers(arr), sizes, max_sub, force, "would solve up to",
                            shape)
        chambers = enumerate_chambers(arr, max_chambers=None)
    elif not isinstance(chambers, ChamberSet) or \
            chambers.arrangement.n_hyperplanes != arr.n_hyperplanes or \
            chambers.arrangement.dim != arr.dim:
        fail("chambers", func, f"a ChamberSet of Arrangement.from_points(X, homogenize={problem.bias})"
             f" ({arr.n_hyperplanes} hyperplanes in R^{arr.dim})", type(chambers).__name__)
    C = np.ascontiguousarray(chambers.sign_vectors, dtype=np.int8)
    _refuse_if_too_many(C.shape[0], sizes, max_sub, force, "needs", shape)
    total = _n_multisets(C.shape[0], sizes)
    zero_rows = np.nonzero(np.all(C < 0, axis=1))[0]
    zero_chamber = int(zero_rows[0]) if zero_rows.size else 0
    return _Plan(problem, chambers, C, groups, pinned, zero_chamber, total,
                 chunk_size or _default_chunk_size(total))


# ---------------------------------------------------------------------------- engine
def _run(plan, prog, ckpt, ex, *, prune, max_solves, callback, progress):
    """Dispatch the unfinished chunks, merge their outcomes, save progress.

    Returns True when the run stopped early at ``max_solves``.  On any exception
    (Ctrl-C, a failing callback, a worker error) the finished work is saved first.
    """
    from collections import deque

    from tqdm.auto import tqdm

    window = 1 if isinstance(ex, InlineExecutor) else 2 * n_workers_of(ex) + 2
    bar = tqdm(total=plan.total, initial=plan.n_done_vertices(prog.done), desc="exact ERM",
               unit="vertex", disable=(None if progress is None else not progress), leave=False)
    pending = deque()

    def finish_one():
        cid, fut, n = pending.popleft()
        prog.merge(fut.result())
        prog.done.add(cid)
        bar.update(n)
        ckpt.save(prog)
        if callback is not None:
            callback({"done": len(prog.done), "n_chunks": plan.n_chunks, "total": plan.total,
                      "best_loss": None if prog.best_loss is None else
                      plan.problem.to_full(prog.best_loss),
                      "best_objective": plan.problem.to_full(prog.best_objective)
                      if prog.best_index >= 0 else math.inf,
                      "n_solves": prog.n_solves, "n_pruned": prog.n_pruned})

    stopped = False
    try:
        for cid, rows in plan.chunks():
            if cid in prog.done:
                continue
            if max_solves is not None and prog.n_solves >= max_solves:
                stopped = True
                break
            bound = prog.best_objective if prune else math.inf
            pending.append((cid, ex.submit(solve_chunk, plan.task(cid, rows, bound, prune)),
                            len(rows)))
            while len(pending) >= window:
                finish_one()
        while pending:
            finish_one()
    finally:
        for _, fut, _ in pending:
            fut.cancel()
        bar.close()
        ckpt.save(prog, final=True)
    return stopped


def _confirm(plan, prog, ckpt):
    """Re-solve the best vertex from its patterns (chamber check on); confirm the value."""
    pr = plan.problem
    P = plan.vertex(prog.best_index)
    res = pr.solver(check=True, chambers=plan.chamber_set).solve(P)
    scale = max(abs(res.objective), abs(prog.best_objective), 1e-6 * pr.zero_network_loss(),
                1e-300)
    if abs(res.objective - prog.best_objective) > 1e-7 * scale:
        where = (f"the exact-ERM checkpoint {str(ckpt.path)!r}" if prog.resumed
                 else "the run's own solve")
        err = f"records objective {prog.best_objective!r} at vertex {prog.best_index}, " \
              f"but solving that vertex again gives {res.objective!r}"
        if prog.resumed:
            raise DamagedFileError(f"{where} {err}: the file was modified or belongs to another "
                                   "computation; delete it to start over")
        raise SolverFailedError(f"{where} {err}")
    return P, res


def exact_erm(X: ArrayLike, y: ArrayLike, n_units: int, second_layer: ArrayLike | None = None, *,
              loss: str | Loss = "mse", ridge: float = 0.0, bias: bool = True,
              max_subproblems: int = DEFAULT_MAX_SUBPROBLEMS, force: bool = False, prune: bool = True,
              progress: bool | None = None, checkpoint: str | os.PathLike[str] | None = None,
              checkpoint_every: float = 2.0, workers: int | None = None, executor: Any | None = None,
              chunk_size: int | None = None, max_solves: int | None = None,
              callback: Callable[..., Any] | None = None, chambers: ChamberSet | None = None) -> FitResult:
    """Global minimiser of the empirical risk for a fixed second layer (Algorithm 1).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data; chambers are enumerated exactly.
    y : array_like, shape (n_samples,)
    n_units : int
        Number of hidden units.
    second_layer : array_like, shape (n_units + 1,) or (n_units,), optional
        Fixed second layer (weights, then the output bias); default
        :func:`relu.alternating_second_layer` ``(+1, -1, ..., 0)``.
    loss : {"mse", "logistic"}
    ridge : float, default 0
        ``ridge * ||W||_F^2`` is added to every subproblem (the minimised objective).
    bias : bool, default True
        Hidden units with a bias (chambers of ``Arrangement.from_points(X)``, ``W`` of
        shape ``(n_units, n_features + 1)``) or bias-free (the central arrangement of
        the raw points, ``Arrangement.from_points(X, homogenize=False)``, ``W`` of
        shape ``(n_units, n_features)``).  Without bias a zero data point has no
        hyperplane: it is inactive for every unit and adds ``l(output bias, y_i)``.
    max_subproblems : int, default 2,000,000
        Refuse (:class:`~zonotope.exceptions.TooLargeError`) when the number of
        vertices to visit exceeds this -- estimated before enumerating the chambers
        (upper bound) and recounted after.
    force : bool
        Run regardless of ``max_subproblems``.
    prune : bool, default True
        Skip vertices whose sound lower bound exceeds the best loss so far.
    progress : bool or None
        tqdm progress bar; ``None`` shows it only on a terminal.
    checkpoint : str or os.PathLike, optional
        File recording the finished chunks and the best vertex (sealed JSON, see
        ``docs/relu.md``), in an existing directory.  Written atomically every
        ``checkpoint_every`` seconds, at the end and when the run stops (Ctrl-C, an
        exception); an existing file of the same run is resumed, with any
        ``workers``/``executor``.  A lock beside it (``.<name>.lock``) keeps a second
        run off the same file.
    checkpoint_every : float, default 2
        Seconds between two checkpoint writes during the run (0: after every chunk).
    workers : int, optional
        Run the chunks on this many worker processes: 1 to four per CPU core, at most
        64 (more is a ``ValidationError``).  The workers die with the calling process.
        ``None`` or 1: serial.
    executor : object with ``submit(fn, *args)``, optional
        E.g. a ``dask.distributed`` ``Client`` or a ``concurrent.futures`` executor;
        chunks run there, results are merged in the caller.  Not with ``workers``.
    chunk_size : int, optional
        Vertices per task (default: about 1/256 of the vertices, 16..4096; it depends
        only on the number of vertices, so a checkpoint resumes under any executor).
    max_solves : int, optional
        Stop after (about) this many subproblems; the result then has
        ``complete=False`` and the checkpoint allows resuming.
    callback : callable, optional
        ``callback(state)`` after every merged chunk (``state`` is a dict with
        ``done``, ``n_chunks``, ``total``, ``best_loss``, ``best_objective``,
        ``n_solves``, ``n_pruned``); an exception raised by it stops the run after
        the checkpoint has been written, and propagates.
    chambers : zonotope.ChamberSet, optional
        Precomputed chambers of ``Arrangement.from_points(X, homogenize=bias)`` (for
        ``bias=False``: of the non-zero points).

    Returns
    -------
    FitResult
        ``method="exact"``; ``info`` holds ``n_chambers``, ``n_vertices`` (after
        symmetry), ``n_vertices_ordered`` (``n_chambers ** n_units``), ``n_pruned``,
        ``best_index``, ``resumed_chunks``, ``n_chunks``, ``chunk_size`` and
        ``groups``.

    Raises
    ------
    TooLargeError
        Too many vertices (pass ``force=True`` or raise ``max_subproblems``), or more
        units than fit in memory.
    ValidationError
        Bad input, a checkpoint of another run, or a checkpoint in a missing
        directory.
    CheckpointError
        The checkpoint could not be written (full disk...): the previous file is
        kept and a rerun resumes from it.  Subclasses: ``DamagedFileError`` (an
        edited, truncated or malformed checkpoint, or a recorded best value that
        re-solving its vertex does not confirm) and ``CheckpointLockedError``
        (another process is working on the checkpoint).

    Notes
    -----
    Cost: ``C(n + k - 1, k)`` subproblems per group of ``k`` equal weights, with
    ``n = 2 sum_{k <= d} C(N - 1, k) = O(N^d)`` chambers for data in general position;
    each subproblem is a QP (MSE) or conic program (logistic) of size ``O(m d)`` by
    ``O(m N)``.  The result does not depend on the executor or on interruptions: ties
    are broken by the lowest enumeration index, and the returned weights come from
    one final solve of the best vertex.

    References
    ----------
    R. Arora, A. Basu, P. Mianjy, A. Mukherjee, "Understanding deep neural networks
    with rectified linear units", ICLR 2018 (arXiv:1611.01491).
    M. Matena, C. Raffel, "A combinatorial perspective on the optimization of shallow
    ReLU networks", NeurIPS 2022 (arXiv:2210.00176).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = exact_erm(X, [0.0, 0.0, 1.0, 2.0], 1, [1.0, 0.0], progress=False)
    >>> round(r.loss, 12), np.round(r.W, 6).tolist()
    (0.0, [[1.0, -1.0]])
    >>> r.patterns.tolist()  # the vertex reached first; w . x_bar = 0 at x = 1 (a tie)
    [[0, 1, 1, 1]]
    >>> r.info["n_chambers"], r.info["n_vertices"]
    (8, 8)
    >>> r = exact_erm(X, [1.0, 0.0, 0.0, 1.0], 2, progress=False)  # v = (+1, -1, 0)
    >>> round(r.loss, 9), r.info["n_vertices"]  # one positive unit cannot make a V
    (0.25, 64)
    >>> r = exact_erm([[-1.0], [0.0], [2.0]], [1.0, 0.0, 2.0], 1, [1.0, 0.0], bias=False,
    ...               progress=False)
    >>> round(r.loss, 9), r.W.shape  # relu(w x) cannot fit both sides: 1/3
    (0.333333333, (1, 1))
    """
    t0 = time.perf_counter()
    func = "exact_erm"
    problem = training_problem(X, y, n_units, second_layer, loss, ridge, bias, func)
    max_sub = check_nonneg(max_subproblems, func, "max_subproblems", integer=True)
    max_solves = check_nonneg(max_solves, func, "max_solves", integer=True, allow_none=True)
    if chunk_size is not None:
        chunk_size = check_nonneg(chunk_size, func, "chunk_size", allow_zero=False, integer=True)
    if callback is not None and not callable(callback):
        fail("callback", func, "callable or None", type(callback).__name__)
    if executor is not None and not hasattr(executor, "submit"):
        fail("executor", func, "an object with a submit(fn, *args) method (concurrent.futures "
             "executor or dask.distributed Client)", type(executor).__name__)
    check_workers(workers, func)
    path = check_checkpoint_path(checkpoint, func)
    every = check_nonneg(checkpoint_every, func, "checkpoint_every")
    if problem.n_kept == 0:
        return trivial_result(problem, "exact", t0, n_chambers=1, n_vertices=1,
                              n_vertices_ordered=1, n_pruned=0, best_index=0, resumed_chunks=0,
                              n_chunks=1, chunk_size=1, groups=[])
    plan = _plan(problem, chambers, max_sub, bool(force), chunk_size, func)
    ckpt = ErmCheckpoint(path, fingerprint(problem, plan.n_chambers, plan.chunk_size), plan.total,
                         plan.chunk_size, plan.n_chunks, every)
    with ckpt, open_executor(workers, executor, func) as ex:
        prog = ckpt.load()
        if prog is None:
            prog = Progress()
            ckpt.save(prog, final=True)   # fail early on an unwritable checkpoint
        elif prog.best_index >= 0:
            _confirm(plan, prog, ckpt)    # a forged best value would also mislead the pruning
        stopped = _run(plan, prog, ckpt, ex, prune=prune, max_solves=max_solves,
                       callback=callback, progress=progress)
    if prog.best_index < 0:  # only possible with max_solves=0
        raise ValidationError("`max_solves` of `exact_erm` must allow at least one subproblem; "
                              f"got {max_solves!r} instead.")
    P, res = _confirm(plan, prog, ckpt)
    info = {"n_chambers": plan.n_chambers, "n_vertices": int(plan.total),
            "n_vertices_ordered": plan.n_chambers ** problem.n_units,
            "n_pruned": int(prog.n_pruned), "best_index": int(prog.best_index),
            "resumed_chunks": int(prog.resumed), "n_chunks": plan.n_chunks,
            "chunk_size": plan.chunk_size, "groups": [list(g) for g in plan.groups]}
    complete = not stopped and len(prog.done) == plan.n_chunks
    W, extra = fit_point(problem, res)   # unattained: a point near the infimum, not the base
    info.update(extra)
    return FitResult(W, problem.second_layer, problem.to_full(res.loss), problem.expand(P),
                     "exact", time.perf_counter() - t0, prog.n_solves, status=res.status,
                     complete=complete, loss_name=problem.loss.name,
                     objective=problem.to_full(res.objective), info=info, bias=problem.bias)
