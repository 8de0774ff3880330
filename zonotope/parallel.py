r"""Distributed chamber enumeration and counting: the exact sweep split into independent tasks.

The recursive sweep (``docs/exactness.md``) with fixed auxiliary vectors is a
disjoint union (``docs/degenerate.md``, Theorem 3)

    All = LV_0 u -LV_1 u LV_2 u ... u (-1)^(m-1) {beta} u -(LV_0 \ In_1),

and every ``LV_j`` is the disjoint union of its *ray blocks*: the rays of level
``k0 + j`` are spanned by ``(m - 1 - j)``-subsets of hyperplanes, cut into blocks by
their lexicographic prefix (a non-simple ray is kept only by the greedy basis of its
zero set, a rule that does not depend on the blocks).  So "``LV_j`` on one ray block"
is an independent task; the only shared data is ``In_1`` (the chambers of one generic
hyperplane section that lie on one side, about ``rank / n_hyperplanes`` of all
chambers), computed first by the driver and sent to the level-0 tasks.  Counting
needs no shared data at all: ``|All(k)| = 2 |Pos(k)| - |All(k+1)|`` with
``|Pos(k)| = sum_{j >= 0} |LV_{k+j}| + 1``, and each task returns ``|LV|`` of its block.

Integer and rational input whose lattice of flats is small enough for the
lattice-driven sweep (``docs/degenerate.md`` section 3) is split the same way, with
the rays taken from the lattice: a task is "``LV_0`` and ``-(LV_0 \\ In_1)`` on one
block of rays" (a block of the flats of rank ``rank - 1``); the driver computes the
lattice, the chambers of the lower levels and ``In_1`` while splitting, and each
worker process recomputes them once (deterministic, cached per process) instead of
receiving them.

Tasks run through any executor with ``submit(fn, *args)`` (a
:class:`concurrent.futures.Executor`, a ``dask.distributed.Client``) or serially.
The driver writes each task's chambers as one block of a :class:`ChamberStore` as
soon as it arrives (one writer, atomic files), so a lost worker costs only its task
(the executor reruns it) and an interrupted run resumes with the blocks it has.  If a
task finds the random auxiliary vectors degenerate (probability below ``1e-8`` per
ray), the blocks are discarded and the run restarts with fresh vectors.
"""

from __future__ import annotations

import hashlib
import numbers
import time
from dataclasses import dataclass
from math import comb
from typing import TYPE_CHECKING

import numpy as np

from ._balance import column_balance
from ._enumerate import (
    _AUX_BOUND,
    _MAX_RESTARTS,
    _final_packed,
    _lattice_for_sweep,
    _reduce,
)
from ._lsweep import LatticeSweep
from ._sweep import NonGenericAux, Sweep, combo_prefix_blocks, combos_from_prefixes
from ._validation import check_rng
from .arrangement import Arrangement, _as_central
from .chamber_store import ChamberStore
from .chambers import (
    DEFAULT_MAX_CHAMBERS,
    _check_limit,
)
from .exceptions import ValidationError, ZonotopeError

if TYPE_CHECKING:
    import os
    from typing import Any

__all__ = ["SweepPlan", "SweepTask", "DistributedRun", "split_sweep",
           "enumerate_chambers_distributed", "count_chambers_distributed"]


@dataclass(frozen=True)
class SweepTask:
    """One independent piece of the sweep: ``LV`` of level ``k0 + level`` on a ray block.

    Attributes
    ----------
    name : str
        Block name in the chamber store.
    level : int
        ``j`` of ``LV_j``.
    prefixes : tuple of (tuple, int)
        The ray block: see :func:`zonotope._sweep.combo_prefix_blocks`.
    n_rays : int
        Number of ``(m - 1 - j)``-subsets in the block (lattice-driven plans: number
        of rays).
    rays : tuple of int
        Lattice-driven plans only: ``(lo, hi)``, the block of rays ``lo .. hi - 1``
        (flats of rank ``m - 1`` in the lattice's order); ``()`` otherwise.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0.1, 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.]])
    >>> task = split_sweep(A, n_tasks=3).tasks[0]      # float data: the plain sweep
    >>> task.name, task.level, task.n_rays
    ('lv00-000000', 0, 4)
    >>> B = Arrangement.from_points([[0, 0], [1, 0], [0, 1], [2, 3], [5, 1]])
    >>> task = split_sweep(B, n_tasks=3).tasks[0]      # small integers: lattice-driven
    >>> task.name, task.rays
    ('ray-000000', (0, 4))
    """

    name: str
    level: int
    prefixes: tuple
    n_rays: int
    rays: tuple = ()


@dataclass(frozen=True)
class SweepPlan:
    """The split of one sweep run into tasks (see :func:`split_sweep`).

    Attributes
    ----------
    tasks : tuple of SweepTask
    aux : ndarray
        The auxiliary integer vectors of this run.
    rank : int
        Rank ``m`` of the arrangement (its cone, for an affine one).
    base : ndarray or None
        Packed sign row of ``(-1)^(m-1) beta`` (final form, may have 0 rows).
    in1 : ndarray or None
        Packed rows of ``In_1`` in reduced coordinates (``None`` when counting).
    seconds : float
        Time spent splitting (reduction, ``In_1``, planning).
    attempt : int
        The draw of auxiliary vectors used (the first non-degenerate one from the
        requested ``attempt`` on).
    lattice : bool
        Whether the tasks are blocks of rays of the lattice-driven sweep (then
        ``base`` holds every chamber not found from the rays and ``in1`` is None).

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> plan = split_sweep(Arrangement.from_points([[0.5, 0.], [1., 0.], [0., 1.1]]), n_tasks=2)
    >>> plan.rank, len(plan.tasks), plan.aux.shape, plan.lattice
    (3, 4, (3, 3), False)
    >>> plan = split_sweep(Arrangement.from_points([[0, 0], [1, 0], [0, 1]]), n_tasks=2)
    >>> plan.rank, len(plan.tasks), plan.lattice, len(plan.base)   # 3 rays; base: 4 chambers
    (3, 2, True, 4)
    """

    tasks: tuple
    aux: np.ndarray
    rank: int
    base: np.ndarray | None
    in1: np.ndarray | None
    seconds: float
    attempt: int = 0
    lattice: bool = False


@dataclass(frozen=True)
class DistributedRun:
    """Result of :func:`enumerate_chambers_distributed`.

    Attributes
    ----------
    store : ChamberStore
    n_tasks : int
    split_seconds : float
        Driver time to split the work (reduction, ``In_1``, planning).
    work_seconds : float
        Wall time of the tasks (submission to the last block written).

    Examples
    --------
    >>> import tempfile
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [2., 3.]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     run = enumerate_chambers_distributed(A, d + "/store", n_tasks=2, progress=False)
    ...     run.n_tasks, run.store.load(A).n_chambers == A.count_chambers()
    (2, True)
    """

    store: ChamberStore
    n_tasks: int
    split_seconds: float
    work_seconds: float


# ---------------------------------------------------------------- shared helpers
def _balanced_cone(arr):
    """The cone normals of ``arr``, columns scaled by exact powers of two, and the cone flag.

    The scaling (:func:`zonotope._balance.column_balance`) is a positive diagonal change
    of variables: the chambers and their sign vectors are unchanged, and the float
    filters keep working on data of any magnitude.
    """
    N, cone = _as_central(arr)
    return column_balance(N)[0], cone


def _digest(N, aux):
    h = hashlib.sha256()
    h.update(repr((N.shape, str(N.dtype))).encode())
    h.update(repr([str(v) for v in N.flat]).encode() if N.dtype == object else N.tobytes())
    h.update(np.asarray(aux, dtype=np.int64).tobytes())
    return h.hexdigest()


_RED_CACHE = {}


def _reduced(N, aux):
    """``_reduce(N, aux)``, cached per process (tasks of one run share it)."""
    key = _digest(N, aux)
    red = _RED_CACHE.get(key)
    if red is None:
        if len(_RED_CACHE) > 4:
            _RED_CACHE.clear()
        red = _RED_CACHE[key] = _reduce(N, aux)
    return red


_LAT_CACHE = {}


def _lattice_state(N, aux):
    """``(red, LatticeSweep ready for ray blocks, packed final low chambers)`` or None.

    None when the lattice-driven sweep does not apply (float data, a lattice above
    the streaming bound).  Deterministic in ``(N, aux)`` and cached per process, so
    every worker computes the lattice and the lower levels once.  Raises
    :class:`NonGenericAux` for degenerate auxiliary vectors.
    """
    from .streaming import _STREAM_MAX_FLATS

    key = _digest(N, aux)
    st = _LAT_CACHE.get(key)
    if st is None:
        red = _reduced(N, aux)
        lattice = _lattice_for_sweep(red, max_flats=_STREAM_MAX_FLATS)
        if not lattice:
            st = (None, None, None)
        else:
            K = red.n_classes
            lsw = LatticeSweep(red.er, list(range(K, K + N.shape[1])), K, lattice, want_points=False)
            low = [P for P, _ in lsw.low_pieces()]
            st = (red, lsw, np.concatenate(low))
        if len(_LAT_CACHE) > 2:
            _LAT_CACHE.clear()
        _LAT_CACHE[key] = st
    return None if st[0] is None else st


def _words_to_signs(P, K):
    """uint64 word rows of the lattice-driven sweep -> +-1 int8 sign rows over the K classes."""
    bits = np.unpackbits(np.ascontiguousarray(P).view(np.uint8), axis=1, count=K)
    return (2 * bits.astype(np.int8) - 1).reshape(-1, K)


def _sweep_of(red, dim):
    return Sweep(red.er, list(range(red.n_classes, red.n_classes + dim)), False)


# ---------------------------------------------------------------- tasks (run on workers)
def _task_setup(N, aux, level, prefixes):
    """``(reduced arrangement, sweep, class indices, first level, ray block)`` of one task."""
    red = _reduced(N, aux)
    sw = _sweep_of(red, N.shape[1])
    loc = combos_from_prefixes(red.n_classes, red.rank - 1 - level, prefixes)
    return red, sw, np.arange(red.n_classes), len(red.lineality), loc


def _task_chambers(N, aux, cone, level, prefixes, in1, rays=()):
    """Packed final chambers of one task, or None if the auxiliary vectors degenerate."""
    from ._sweep import packed_isin

    if rays:  # a block of rays of the lattice-driven sweep
        try:
            red, lsw, _ = _lattice_state(N, aux)
            P = np.concatenate([P for P, _ in lsw.ray_pieces(*rays)])
        except NonGenericAux:
            return None
        return _final_packed(red, _words_to_signs(P, red.n_classes), cone, N.shape[0])
    red, sw, idx, k0, loc = _task_setup(N, aux, level, prefixes)
    try:
        s, _ = sw._lv(idx, k0 + level, loc)
    except NonGenericAux:
        return None
    if level == 0:
        neg = ~packed_isin(np.packbits(s > 0, axis=1), in1)
        s = np.concatenate([s, -s[neg]])
    elif level % 2:
        s = -s
    return _final_packed(red, s, cone, N.shape[0])


def _task_count(N, aux, level, prefixes):
    """``|LV_level|`` on one ray block, or None if the auxiliary vectors degenerate."""
    red, sw, idx, k0, loc = _task_setup(N, aux, level, prefixes)
    try:
        loc, _, chi, _, simple = sw._rays(idx, k0 + level, loc)
        total = int(simple.sum())
        for t in np.nonzero(~simple)[0]:
            total += sw.count_in(idx[np.nonzero(chi[t] == 0)[0]], k0 + level + 1)
    except NonGenericAux:
        return None
    return total


# ---------------------------------------------------------------- splitting (driver)
def _check(arr, func, n_tasks, executor):
    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `{func}` must be an Arrangement; got {type(arr).__name__} instead.")
    if isinstance(n_tasks, bool) or not isinstance(n_tasks, numbers.Integral) or n_tasks < 1:
        raise ValidationError(f"`n_tasks` of `{func}` must be a positive int; got {n_tasks!r} instead.")
    if executor is not None and not hasattr(executor, "submit"):
        raise ValidationError(f"`executor` of `{func}` must be an object with a submit(fn, *args) "
                              f"method (concurrent.futures executor or dask.distributed Client); "
                              f"got {type(executor).__name__} instead.")


def split_sweep(arr: Arrangement, *, n_tasks: int = 64, rng: int | np.random.Generator | None = 0,
                attempt: int = 0, count_only: bool = False) -> SweepPlan:
    """Split the exact sweep of ``arr`` into independent tasks (ray blocks of every level).

    Parameters
    ----------
    arr : Arrangement
    n_tasks : int
        Target number of tasks for level 0 (the lower levels, smaller, are cut with
        the same block size).
    rng : int
        Seed of the auxiliary vectors; ``attempt`` selects a fresh draw after a restart.
    count_only : bool
        Skip ``In_1`` (counting needs no shared data).

    Returns
    -------
    SweepPlan

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0.1, 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.]])
    >>> plan = split_sweep(A, n_tasks=3)
    >>> plan.rank, [t.level for t in plan.tasks], sum(t.n_rays for t in plan.tasks if t.level == 0)
    (3, [0, 0, 0, 1, 1], 10)
    >>> plan = split_sweep(Arrangement.from_points([[0, 0], [1, 0], [0, 1], [2, 3], [5, 1]]), n_tasks=3)
    >>> plan.lattice, [t.rays for t in plan.tasks]     # the 10 rays of the lattice, in blocks
    (True, [(0, 4), (4, 8), (8, 10)])
    """
    _check(arr, "split_sweep", n_tasks, None)
    t0 = time.perf_counter()
    N, cone = _balanced_cone(arr)
    dim = N.shape[1]
    for att in range(int(attempt), int(attempt) + _MAX_RESTARTS):
        gen = check_rng(int(rng) + 7919 * att)
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        red = _reduced(N, aux)
        m, K = red.rank, red.n_classes
        k0 = len(red.lineality)
        tasks, base, in1 = [], None, None
        if not K or m < 2:
            return SweepPlan((), aux, m, None, None, time.perf_counter() - t0, att)
        if not count_only:
            try:
                st = _lattice_state(N, aux)
            except NonGenericAux:
                continue
            if st is not None:
                red, lsw, low = st
                M = lsw.n_rays()
                block = max(1, -(-M // n_tasks))
                tasks = tuple(SweepTask(f"ray-{b:06d}", 0, (), min(M, lo + block) - lo,
                                        (lo, min(M, lo + block)))
                              for b, lo in enumerate(range(0, M, block)))
                base = _final_packed(red, _words_to_signs(low, K), cone, N.shape[0])
                return SweepPlan(tasks, aux, m, base, None, time.perf_counter() - t0, att, True)
        block = max(1, -(-comb(K, m - 1) // n_tasks))
        for j in range(m - 1):
            for b, prefixes in enumerate(combo_prefix_blocks(K, m - 1 - j, block)):
                n_rays = sum(comb(K - st, m - 1 - j - len(pf)) for pf, st in prefixes)
                tasks.append(SweepTask(f"lv{j:02d}-{b:06d}", j, tuple(prefixes), n_rays))
        sw = _sweep_of(red, dim)
        try:
            if not count_only:
                in1 = sw.inside_keys(np.arange(K), k0 + 1, 1 << 18)
            s, _ = sw._base(np.arange(K), dim - 1, both=False)
        except NonGenericAux:
            continue
        base = _final_packed(red, s if (m - 1) % 2 == 0 else -s, cone, N.shape[0])
        return SweepPlan(tuple(tasks), aux, m, base, in1, time.perf_counter() - t0, att)
    raise ZonotopeError("could not find generic auxiliary vectors")  # pragma: no cover


def _run_tasks(executor, fn, argsets, on_result, progress, desc):
    """Run ``fn(*args)`` for each ``(key, args)``; ``on_result(key, out)`` in submission order.

    Stops early (and returns False) when ``on_result`` returns False.
    """
    from tqdm.auto import tqdm

    bar = tqdm(total=len(argsets), desc=desc, unit="task", leave=False,
               disable=(None if progress is None else not progress))
    pending = []
    window = 2 * int(getattr(executor, "_max_workers", None) or 4) + 2 if executor is not None else 1
    ok = True
    try:
        for key, args in argsets:
            if executor is None:
                pending.append((key, fn(*args)))
            else:
                pending.append((key, executor.submit(fn, *args)))
            while pending and (executor is None or len(pending) >= window):
                k, fut = pending.pop(0)
                ok = on_result(k, fut.result() if executor is not None else fut) is not False
                bar.update(1)
                if not ok:
                    break
            if not ok:
                break
        while ok and pending:
            k, fut = pending.pop(0)
            ok = on_result(k, fut.result() if executor is not None else fut) is not False
            bar.update(1)
    finally:
        for _, fut in pending:
            if hasattr(fut, "cancel"):
                fut.cancel()
        bar.close()
    return ok


def _shared(executor, value):
    """Send a large argument once to every worker when the executor can (dask scatter)."""
    if executor is not None and hasattr(executor, "scatter"):
        return executor.scatter(value, broadcast=True)
    return value


def enumerate_chambers_distributed(arr: Arrangement, path: str | os.PathLike[str], *,
                                   executor: Any | None = None, n_tasks: int = 64, progress: bool = True,
                                   max_chambers: int = DEFAULT_MAX_CHAMBERS * 20,
                                   rng: int | np.random.Generator | None = 0) -> DistributedRun:
    """Enumerate every chamber into a :class:`ChamberStore`, one block per independent task.

    Parameters
    ----------
    arr : Arrangement
    path : str or Path
        Store directory (created; an unfinished run for the same arrangement resumes).
    executor : object with ``submit(fn, *args)``, optional
        A :class:`concurrent.futures.Executor` or a ``dask.distributed.Client``;
        ``None`` runs the tasks one after the other in this process.
    n_tasks : int
        Target number of level-0 tasks.
    progress : bool
        Show a tqdm progress bar over tasks.
    max_chambers : int or None
        Refuse runs whose a-priori bound exceeds this (``None``: no limit).
    rng : int
        Seed of the auxiliary vectors (stored with the restart counter).

    Returns
    -------
    DistributedRun
        The complete store and the split/work times.

    Notes
    -----
    The blocks are pairwise disjoint and their union is exactly the chamber set of
    :func:`zonotope.enumerate_chambers` (see the module notes).  Memory on the
    driver: ``In_1`` plus the blocks in flight; on a worker: one block.

    Examples
    --------
    >>> import tempfile
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.], [1., 1.]])
    >>> with tempfile.TemporaryDirectory() as d, ThreadPoolExecutor(2) as ex:
    ...     run = enumerate_chambers_distributed(A, d, executor=ex, n_tasks=4, progress=False)
    ...     got = run.store.load(A)
    ...     (run.store.complete, len(got), len(enumerate_chambers(A)))
    (True, 30, 30)
    """
    from ._checkpoint import DirectoryLock

    _check(arr, "enumerate_chambers_distributed", n_tasks, executor)
    _check_limit(arr, max_chambers, "enumerate_chambers_distributed")
    store = ChamberStore.open(path, arr, seed=int(rng))
    if store.complete:
        return DistributedRun(store, 0, 0.0, 0.0)
    with DirectoryLock(store.path):  # one writer: this driver
        return _enumerate_locked(arr, store, executor, n_tasks, progress)


def _enumerate_locked(arr, store, executor, n_tasks, progress):
    N, cone = _balanced_cone(arr)
    while True:
        attempt = store.attempt
        plan = split_sweep(arr, n_tasks=n_tasks, rng=store.seed, attempt=attempt)
        if plan.attempt != attempt:  # the planned draw was degenerate: a fresh start
            store.discard_blocks(attempt=plan.attempt)
            attempt = plan.attempt
        t0 = time.perf_counter()
        if not plan.tasks:  # no hyperplane or rank <= 1: one block
            from .chambers import enumerate_chambers

            if not store.has_block("all"):
                store.write_block("all", enumerate_chambers(arr, interior_points=False,
                                                            max_chambers=None).packed)
            store.mark_complete()
            return DistributedRun(store, 1, plan.seconds, time.perf_counter() - t0)
        if not store.has_block("base"):
            store.write_block("base", plan.base)
        in1 = _shared(executor, plan.in1) if plan.in1 is not None else None
        todo = [(t.name, (N, plan.aux, cone, t.level, t.prefixes, in1, t.rays))
                for t in plan.tasks if not store.has_block(t.name)]

        def write(name, packed):
            if packed is None:
                return False
            store.write_block(name, packed)
            return True

        if _run_tasks(executor, _task_chambers, todo, write, progress, "chamber tasks"):
            store.mark_complete()
            return DistributedRun(store, len(plan.tasks), plan.seconds, time.perf_counter() - t0)
        if attempt + 1 > 4 * _MAX_RESTARTS:  # pragma: no cover - probability ~0
            raise ZonotopeError("could not find generic auxiliary vectors")
        store.discard_blocks(attempt=attempt + 1)


def count_chambers_distributed(arr: Arrangement, *, executor: Any | None = None, n_tasks: int = 64,
                               progress: bool = False, rng: int | np.random.Generator | None = 0) -> int:
    """Number of chambers, with the counting sweep split into independent tasks.

    Parameters
    ----------
    arr : Arrangement
    executor : object with ``submit(fn, *args)``, optional
        As in :func:`enumerate_chambers_distributed`.
    n_tasks : int
    progress : bool
    rng : int

    Returns
    -------
    int

    Notes
    -----
    Each task returns ``|LV|`` of its ray block (``sum over rays of |In|`` of the
    localisations); the driver combines the level totals with
    ``|All(k)| = 2 |Pos(k)| - |All(k+1)|``.  Memory per task: one block.

    Input on the fast lattice path of :func:`zonotope.count_chambers` (small integer
    normals: grids, Shi, Catalan, resonance arrangements, ...) is counted by
    Zaslavsky's theorem on the driver instead, with no task: it is faster than any
    split of the sweep (R_7, 347,326,352 regions, in under a minute on one core) and
    its memory is bounded by the lattice, not by the regions.

    Examples
    --------
    >>> from zonotope import Arrangement, count_chambers
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.], [1., 1.]])
    >>> count_chambers_distributed(A, n_tasks=3), count_chambers(A)
    (30, 30)
    """
    _check(arr, "count_chambers_distributed", n_tasks, executor)
    from ._flats import _fast_path_applies

    if _fast_path_applies(arr):
        from .chambers import count_chambers

        return count_chambers(arr, method="lattice", max_work=None)
    N, cone = _balanced_cone(arr)
    attempt = 0
    for _ in range(_MAX_RESTARTS):
        plan = split_sweep(arr, n_tasks=n_tasks, rng=rng, attempt=attempt, count_only=True)
        attempt = plan.attempt + 1
        m = plan.rank
        if not plan.tasks:
            from .chambers import count_chambers

            return count_chambers(arr, method="sweep", rng=rng)
        level_total = [0] * (m - 1)
        failed = []

        def add(level, out):
            if out is None:
                failed.append(level)
                return False
            level_total[level] += out
            return True

        argsets = [(t.level, (N, plan.aux, t.level, t.prefixes)) for t in plan.tasks]
        if not _run_tasks(executor, _task_count, argsets, add, progress, "count tasks"):
            continue
        # |Pos(k0 + j)| = sum_{i >= j} |LV_i| + 1 ; |All(n - 1)| = 2
        tot_all = 2
        for j in range(m - 2, -1, -1):
            pos = sum(level_total[j:]) + 1
            tot_all = 2 * pos - tot_all
        return tot_all // 2 if cone else tot_all
    raise ZonotopeError("could not find generic auxiliary vectors")  # pragma: no cover
