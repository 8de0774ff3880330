r"""Exact empirical risk minimisation (Algorithm 1): enumerate the vertices of ``Z^m``.

With the second layer ``v`` fixed, every first layer ``W`` lies in the closure of one
*vertex* of ``Z^m`` -- an ``m``-tuple of chambers of the data arrangement, one per
unit -- and the loss is continuous across chamber boundaries, so

.. math::

    \min_W L(W) = \min_{A \in \operatorname{vert}(Z^m)} \mathcal L^*(A),

the optimum of the convex problem (3) minimised over all vertices (Arora et al. 2016;
Matena & Raffel 2022, Algorithm 1).

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

Runs are chunked; each chunk is an independent task (serial, or on any executor with
``submit``), its outcome is merged in a fixed order-independent way (lowest loss,
ties broken by enumeration index), and a JSON checkpoint records the finished chunks
and the best vertex so far, written atomically (``os.replace``), so an interrupted run
resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tempfile
import time
from math import comb

import numpy as np

from ._blas import single_threaded_blas
from ._checks import check_nonneg, fail
from .exceptions import TooLargeError, ValidationError
from .losses import get_loss
from .network import check_training_problem
from .results import FitResult

__all__ = ["exact_erm", "count_vertices", "vertex_lower_bounds"]

#: Default refusal threshold on the number of subproblems.
DEFAULT_MAX_SUBPROBLEMS = 2_000_000
_CHECKPOINT_VERSION = 1


# ---------------------------------------------------------------------------- counting
def _groups(v):
    """Group the units with equal non-zero second-layer weight (first-appearance order)."""
    m = v.shape[0] - 1
    groups, seen = [], {}
    for j in range(m):
        if v[j] == 0:
            continue
        key = float(v[j])
        if key not in seen:
            seen[key] = len(groups)
            groups.append([])
        groups[seen[key]].append(j)
    return groups


def _n_multisets(n_chambers, groups):
    total = 1
    for g in groups:
        total *= comb(n_chambers + len(g) - 1, len(g))
    return total


def count_vertices(n_chambers, v):
    """Count the subproblems :func:`exact_erm` solves (before pruning).

    Parameters
    ----------
    n_chambers : int
        Chambers of the data arrangement (one unit's activation patterns).
    v : array_like, shape (m + 1,)
        Second layer; units with equal weight are grouped, zero weights are pinned.

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
    >>> count_vertices(10, [0.0, 0.0, 1.0])    # only the bias matters
    1
    """
    vv = np.asarray(v, dtype=np.float64).reshape(-1)
    if vv.size < 2:
        fail("v", "count_vertices", "a vector of length m + 1 >= 2", f"length {vv.size}")
    n = int(n_chambers)
    if n < 1:
        fail("n_chambers", "count_vertices", "a positive int", repr(n_chambers))
    return _n_multisets(n, _groups(vv))


# ---------------------------------------------------------------------------- bounds
def vertex_lower_bounds(patterns, y, v, loss="mse"):
    """Sound lower bounds on the subproblem optimum of many patterns at once.

    Parameters
    ----------
    patterns : array_like of 0/1, shape (n_patterns, m, N)
    y : array_like, shape (N,)
    v : array_like, shape (m + 1,)
    loss : {"mse", "logistic"}

    Returns
    -------
    ndarray of float64, shape (n_patterns,)
        ``(1/N) sum_i min_{z in I_i} l(z, y_i)`` where ``I_i`` is the interval the
        pattern allows for the output on example ``i`` (see the module docstring).

    Examples
    --------
    >>> vertex_lower_bounds([[[0, 0, 1]]], [1.0, 2.0, 3.0], [1.0, 0.0]).tolist()  # 1 unit
    [1.6666666666666667]
    >>> vertex_lower_bounds([[[1, 1, 1]]], [1.0, 2.0, 3.0], [1.0, 0.0]).tolist()
    [0.0]
    """
    P = np.asarray(patterns).astype(bool)
    if P.ndim == 2:
        P = P[None]
    vv = np.asarray(v, dtype=np.float64).reshape(-1)
    m = vv.size - 1
    yv = np.asarray(y, dtype=np.float64)
    lo_fn = get_loss(loss, "vertex_lower_bounds")
    pos = P[:, vv[:m] > 0, :].any(axis=1)
    neg = P[:, vv[:m] < 0, :].any(axis=1)
    b = vv[-1]
    lo = np.where(neg, -np.inf, b)
    hi = np.where(pos, np.inf, b)
    return lo_fn.interval_lower_bound(lo, hi, yv[None, :]).mean(axis=1)


# ---------------------------------------------------------------------------- worker
def _solve_chunk(X, y, v, loss, ridge, chambers, tuples, offset, bound, prune=True):
    """Solve the vertices ``tuples`` (indices into ``chambers``); a picklable task.

    Returns a dict with the chunk's best ``(loss, index, W, status)``, the number of
    subproblems solved and pruned.  ``bound`` is the best loss known when the chunk
    was dispatched (pruning threshold; only vertices whose lower bound exceeds it,
    or the chunk's own best, are skipped; nothing is skipped when ``prune`` is False).
    """
    from .subproblem import SubproblemSolver

    with single_threaded_blas():
        S = SubproblemSolver(X, y, v, loss=loss, ridge=ridge, check=False)
        patterns = (chambers[tuples] > 0).astype(np.uint8)  # (B, m, N)
        lbs = vertex_lower_bounds(patterns, y, v, loss) if prune else None
        best = (np.inf, -1, None, None, None)
        solved = pruned = 0
        prev = None
        for t in range(tuples.shape[0]):
            thr = min(bound, best[0])
            if prune and lbs[t] > thr * (1.0 + 1e-12) + 1e-300:
                pruned += 1
                continue
            res = S.solve(patterns[t], warm_start=prev)
            prev = res
            solved += 1
            if res.objective < best[0]:
                best = (res.objective, offset + t, np.asarray(res.W), res.status, res.loss)
    return {"objective": float(best[0]), "index": int(best[1]),
            "W": None if best[2] is None else best[2].tolist(), "status": best[3],
            "loss": None if best[4] is None else float(best[4]),
            "solved": solved, "pruned": pruned}


# ---------------------------------------------------------------------------- checkpoint
def _fingerprint(Xf, y, v, m, loss, ridge, n_chambers, chunk_size):
    h = hashlib.sha256()
    for a in (Xf, y, v):
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
        h.update(str(np.shape(a)).encode())
    h.update(f"{m}|{loss}|{ridge!r}|{n_chambers}|{chunk_size}|v{_CHECKPOINT_VERSION}".encode())
    return h.hexdigest()


def _write_json_atomic(path, obj):
    d = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".erm-", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(obj, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _load_checkpoint(path, fingerprint):
    if path is None or not os.path.exists(path):
        return None
    try:
        with open(path) as fh:
            ck = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ValidationError(f"`checkpoint` of `exact_erm` must be a readable checkpoint file; "
                              f"{path!r} could not be read ({exc}).") from None
    if ck.get("fingerprint") != fingerprint:
        raise ValidationError(f"`checkpoint` of `exact_erm` belongs to another run (different data, "
                              f"second layer, loss, ridge or chunk size); got {path!r}. Delete it "
                              "or choose another file.")
    return ck


# ---------------------------------------------------------------------------- main
def _tuple_stream(n_chambers, groups, m, pinned, zero_chamber):
    """Vertices in enumeration order as rows of chamber indices, one per unit."""
    iters = [itertools.combinations_with_replacement(range(n_chambers), len(g)) for g in groups]
    for combo in itertools.product(*iters):
        row = [0] * m
        for g, idx in zip(groups, combo):
            for j, c in zip(g, idx):
                row[j] = c
        for j in pinned:
            row[j] = zero_chamber
        yield row


def exact_erm(X, y, m, v=None, *, loss="mse", ridge=0.0, max_subproblems=DEFAULT_MAX_SUBPROBLEMS,
              force=False, prune=True, progress=None, checkpoint=None, executor=None,
              chunk_size=None, max_solves=None, callback=None, chambers=None):
    """Global minimiser of the empirical risk for a fixed second layer (Algorithm 1).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data; chambers are enumerated exactly.
    y : array_like, shape (n_samples,)
    m : int
        Number of hidden units.
    v : array_like, shape (m + 1,) or (m,), optional
        Fixed second layer; default :func:`relu.alternating_second_layer` ``(+1, -1, ...)``
        with bias 0.
    loss : {"mse", "logistic"}
    ridge : float, default 0
        ``ridge * ||W||_F^2`` is added to every subproblem (the minimised objective).
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
        JSON file recording finished chunks and the best vertex; written atomically
        after every chunk (at most every ~2 s) and at the end; an existing file of the
        same run is resumed.
    executor : object with ``submit(fn, *args)``, optional
        E.g. ``concurrent.futures.ProcessPoolExecutor`` or a ``dask.distributed``
        ``Client``; chunks run there, results are merged in the caller.
    chunk_size : int, optional
        Vertices per task (default: about 1/64 of the work per worker, 16..4096).
    max_solves : int, optional
        Stop after (about) this many subproblems; the result then has
        ``complete=False`` and the checkpoint allows resuming.
    callback : callable, optional
        ``callback(state)`` after every merged chunk (``state`` is a dict with
        ``done``, ``total``, ``best_loss``, ``n_solves``); an exception raised by it
        stops the run after the checkpoint has been written, and propagates.
    chambers : zonotope.ChamberSet, optional
        Precomputed chambers of ``Arrangement.from_points(X)``.

    Returns
    -------
    FitResult
        ``method="exact_erm"``; ``info`` holds ``n_chambers``, ``n_vertices`` (after
        symmetry), ``n_vertices_ordered`` (``n_chambers ** m``), ``n_pruned``,
        ``best_index`` and ``resumed_chunks``.

    Raises
    ------
    TooLargeError
        Too many vertices (pass ``force=True`` or raise ``max_subproblems``).
    ValidationError
        Bad input, or a checkpoint of another run.

    Notes
    -----
    Cost: ``C(n + k - 1, k)`` subproblems per group of ``k`` equal weights, with
    ``n = 2 sum_{k <= d} C(N - 1, k) = O(N^d)`` chambers for data in general position;
    each subproblem is a QP (MSE) or conic program (logistic) of size ``O(m d)`` by
    ``O(m N)``.  The result does not depend on the executor or on interruptions: ties
    are broken by the lowest enumeration index.

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
    >>> r.pattern.tolist()  # the vertex reached first; w . x_bar = 0 at x = 1 (a tie)
    [[0, 1, 1, 1]]
    >>> r.info["n_chambers"], r.info["n_vertices"]
    (8, 8)
    >>> r = exact_erm(X, [1.0, 0.0, 0.0, 1.0], 2, progress=False)  # v = (+1, -1, 0)
    >>> round(r.loss, 9), r.info["n_vertices"]  # one positive unit cannot make a V
    (0.25, 64)
    """
    t0 = time.perf_counter()
    func = "exact_erm"
    Xv, Xf, yv, m, lo, vv, ridge = check_training_problem(X, y, m, v, loss, ridge, func)
    N, d = Xf.shape
    max_sub = check_nonneg(max_subproblems, func, "max_subproblems", integer=True)
    max_solves = check_nonneg(max_solves, func, "max_solves", integer=True, allow_none=True)
    if chunk_size is not None:
        chunk_size = check_nonneg(chunk_size, func, "chunk_size", allow_zero=False, integer=True)
    if callback is not None and not callable(callback):
        fail("callback", func, "callable or None", type(callback).__name__)
    if executor is not None and not hasattr(executor, "submit"):
        fail("executor", func, "an object with a submit(fn, *args) method (concurrent.futures "
             "executor or dask.distributed Client)", type(executor).__name__)

    from zonotope import Arrangement, ChamberSet, enumerate_chambers, estimate_chambers

    arr = Arrangement.from_points(Xv)
    groups = _groups(vv)
    pinned = [j for j in range(m) if vv[j] == 0]
    if chambers is None:
        est = _n_multisets(estimate_chambers(arr), groups)
        if est > max_sub and not force:
            raise TooLargeError(
                f"exact ERM would solve up to {est:,} subproblems (> max_subproblems="
                f"{max_sub:,}) for N={N}, d={d}, m={m}; pass force=True or raise max_subproblems")
        chambers = enumerate_chambers(arr, max_chambers=None)
    elif not isinstance(chambers, ChamberSet) or chambers.arrangement.n_hyperplanes != N:
        fail("chambers", func, f"a ChamberSet of Arrangement.from_points(X) ({N} hyperplanes)",
             type(chambers).__name__)
    C = np.ascontiguousarray(chambers.sign_vectors, dtype=np.int8)
    n_ch = C.shape[0]
    total = _n_multisets(n_ch, groups)
    if total > max_sub and not force:
        raise TooLargeError(f"exact ERM needs {total:,} subproblems (> max_subproblems={max_sub:,}); "
                            "pass force=True or raise max_subproblems")
    zero_rows = np.nonzero(np.all(C < 0, axis=1))[0]
    zero_chamber = int(zero_rows[0]) if zero_rows.size else 0

    workers = 1
    if executor is not None:
        workers = int(getattr(executor, "_max_workers", None) or 2)
    if chunk_size is None:
        chunk_size = int(min(4096, max(16, total // (64 * workers) or 16)))
    n_chunks = -(-total // chunk_size)
    fp = _fingerprint(Xf, yv, vv, m, lo.name, ridge, n_ch, chunk_size)
    ck = _load_checkpoint(checkpoint, fp)
    done = set()
    best = {"objective": np.inf, "index": -1, "W": None, "status": None, "loss": None}
    n_solves = n_pruned = 0
    if ck is not None:
        done = set(int(c) for c in ck["done"])
        b = ck["best"]
        if b["W"] is not None:
            best = {"objective": float(b["objective"]), "index": int(b["index"]), "W": b["W"],
                    "status": b["status"], "loss": float(b["loss"])}
        n_solves, n_pruned = int(ck["n_solves"]), int(ck["n_pruned"])
    resumed = len(done)

    def state():
        return {"done": len(done), "n_chunks": n_chunks, "total": total,
                "best_loss": best["loss"], "best_objective": best["objective"],
                "n_solves": n_solves, "n_pruned": n_pruned}

    last_write = [0.0]

    def save(force_write=False):
        if checkpoint is None:
            return
        now = time.perf_counter()
        if not force_write and now - last_write[0] < 2.0:
            return
        _write_json_atomic(checkpoint, {
            "version": _CHECKPOINT_VERSION, "fingerprint": fp, "total": total,
            "chunk_size": chunk_size, "n_chunks": n_chunks, "done": sorted(done),
            "best": {k: (None if (k == "objective" and not np.isfinite(best[k])) else best[k])
                     for k in best},
            "n_solves": n_solves, "n_pruned": n_pruned})
        last_write[0] = now

    def merge(out):
        nonlocal n_solves, n_pruned
        n_solves += out["solved"]
        n_pruned += out["pruned"]
        if out["W"] is not None and (out["objective"], out["index"]) < (best["objective"],
                                                                         best["index"]):
            best.update(objective=out["objective"], index=out["index"], W=out["W"],
                        status=out["status"], loss=out["loss"])

    from tqdm.auto import tqdm

    bar = tqdm(total=total, initial=min(total, len(done) * chunk_size), desc="exact ERM",
               unit="vertex", disable=(None if progress is None else not progress), leave=False)
    stream = _tuple_stream(n_ch, groups, m, pinned, zero_chamber)
    stopped = False
    pending = []  # (chunk id, future or result dict, n vertices)
    window = 2 * (workers or 1) + 2

    def finish_one():
        cid, fut, n = pending.pop(0)
        out = fut.result() if executor is not None else fut
        merge(out)
        done.add(cid)
        bar.update(n)
        save()
        if callback is not None:
            callback(state())

    try:
        for cid in range(n_chunks):
            rows = list(itertools.islice(stream, chunk_size))
            if cid in done:
                continue
            if max_solves is not None and n_solves >= max_solves:
                stopped = True
                break
            tuples = np.asarray(rows, dtype=np.intp).reshape(-1, m)
            used, local = np.unique(tuples, return_inverse=True)  # ship only the rows used
            bound = best["objective"] if prune else np.inf
            args = (Xf, yv, vv, lo.name, ridge, C[used], local.reshape(tuples.shape),
                    cid * chunk_size, bound, bool(prune))
            if executor is not None:
                pending.append((cid, executor.submit(_solve_chunk, *args), len(rows)))
                while len(pending) >= window:
                    finish_one()
            else:
                pending.append((cid, _solve_chunk(*args), len(rows)))
                finish_one()
        while pending:
            finish_one()
    except BaseException:
        for _, fut, _ in pending:
            if hasattr(fut, "cancel"):
                fut.cancel()
        save(force_write=True)
        bar.close()
        raise
    save(force_write=True)
    bar.close()
    complete = not stopped and len(done) == n_chunks
    if best["W"] is None:  # only possible with max_solves=0
        raise ValidationError("`max_solves` of `exact_erm` must allow at least one subproblem; "
                              "got 0 instead.")
    idx = best["index"]
    row = next(itertools.islice(_tuple_stream(n_ch, groups, m, pinned, zero_chamber), idx, None))
    pattern = (C[np.asarray(row)] > 0).astype(np.uint8)
    W = np.asarray(best["W"], dtype=np.float64)
    info = {"n_chambers": int(n_ch), "n_vertices": int(total), "n_vertices_ordered": int(n_ch) ** m,
            "n_pruned": int(n_pruned), "best_index": int(idx), "resumed_chunks": int(resumed),
            "chunk_size": int(chunk_size), "groups": [list(g) for g in groups]}
    return FitResult(W, vv, best["loss"], pattern, "exact_erm", time.perf_counter() - t0, n_solves,
                     status=best["status"] or "optimal", complete=complete, loss_name=lo.name,
                     objective=best["objective"], info=info)
