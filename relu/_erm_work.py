"""The per-vertex work of exact ERM: one chunk of vertices, solved in one task (internal).

The pruning bound of a vertex is :func:`vertex_lower_bounds` (see
:mod:`relu.exact_erm`).  A :class:`ChunkTask` is self-contained and picklable (data, second layer, loss, the
chambers the chunk uses and its vertices as rows of chamber indices), so it runs the
same way in the caller, in a worker process or on a ``dask`` worker.
:func:`solve_chunk` prunes the vertices whose sound lower bound exceeds the best
objective known (see :func:`relu.vertex_lower_bounds`), solves the others with a warm
start from the previous vertex, and returns the chunk's best vertex (lowest
objective, ties broken by the lowest enumeration index) and its counts.

Examples
--------
>>> import numpy as np
>>> chambers = np.array([[-1, 1, 1], [1, 1, 1]], dtype=np.int8)  # two chambers of 3 points
>>> task = ChunkTask(X=np.array([[0.0], [1.0], [2.0]]), y=np.array([0.0, 0.0, 1.0]),
...                  second_layer=np.array([1.0, 0.0]), loss="mse", ridge=0.0, bias=True,
...                  chambers=chambers, vertices=np.array([[0], [1]]), offset=10,
...                  bound=float("inf"), prune=True)
>>> out = solve_chunk(task)
>>> out["index"], out["solved"], round(out["objective"], 12)   # relu(x - 1) needs x = 0 off
(10, 2, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .losses import get_loss

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from .losses import Loss

__all__ = ["ChunkTask", "solve_chunk", "vertex_lower_bounds"]


def vertex_lower_bounds(patterns: ArrayLike, y: ArrayLike, second_layer: ArrayLike,
                        loss: str | Loss = "mse") -> NDArray[np.float64]:
    """Sound lower bounds on the subproblem optimum of many vertices at once.

    Parameters
    ----------
    patterns : array_like of 0/1, shape (n_vertices, n_units, n_samples)
    y : array_like, shape (n_samples,)
    second_layer : array_like, shape (n_units + 1,)
    loss : {"mse", "logistic"}

    Returns
    -------
    ndarray of float64, shape (n_vertices,)
        ``(1/N) sum_i min_{z in I_i} l(z, y_i)`` where ``I_i`` is the interval the
        patterns allow for the output on example ``i`` (see :mod:`relu.exact_erm`).

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
    vv = np.asarray(second_layer, dtype=np.float64).reshape(-1)
    m = vv.size - 1
    yv = np.asarray(y, dtype=np.float64)
    lo_fn = get_loss(loss, "vertex_lower_bounds")
    pos = P[:, vv[:m] > 0, :].any(axis=1)
    neg = P[:, vv[:m] < 0, :].any(axis=1)
    b = vv[-1]
    lo = np.where(neg, -np.inf, b)
    hi = np.where(pos, np.inf, b)
    return lo_fn.interval_lower_bound(lo, hi, yv[None, :]).mean(axis=1)


@dataclass(frozen=True, eq=False)
class ChunkTask:
    """One chunk of vertices of ``Z^m`` to solve.

    Attributes
    ----------
    X, y : ndarray
        The (kept) data and labels of the subproblems.
    second_layer : ndarray, shape (n_units + 1,)
    loss : str or relu.losses.Loss
    ridge : float
    bias : bool
    chambers : ndarray of int8, shape (n_used, n_samples)
        Sign vectors (+1 = active) of the chambers this chunk uses.
    vertices : ndarray of int, shape (n_vertices, n_units)
        Row ``t`` is vertex ``offset + t``: one index into ``chambers`` per unit.
    offset : int
        Enumeration index of the first vertex.
    bound : float
        Best objective known when the chunk was dispatched (pruning threshold).
    prune : bool
    """

    X: np.ndarray
    y: np.ndarray
    second_layer: np.ndarray
    loss: object
    ridge: float
    bias: bool
    chambers: np.ndarray
    vertices: np.ndarray
    offset: int
    bound: float
    prune: bool


def solve_chunk(task):
    """Solve (or prune) every vertex of ``task``; return the chunk's best and its counts.

    Returns
    -------
    dict
        ``objective``, ``loss``, ``status`` and ``index`` of the best vertex solved
        (``index = -1`` and ``objective = inf`` when every vertex was pruned),
        ``solved`` and ``pruned``.
    """
    from ._blas import single_threaded_blas
    from .subproblem import SubproblemSolver

    with single_threaded_blas():
        S = SubproblemSolver(task.X, task.y, task.second_layer, loss=task.loss, ridge=task.ridge,
                             bias=task.bias, check=False)
        patterns = (task.chambers[task.vertices] > 0).astype(np.uint8)  # (B, m, N)
        lbs = vertex_lower_bounds(patterns, task.y, task.second_layer, task.loss) \
            if task.prune else None
        best_obj, best_idx, best_loss, best_status = np.inf, -1, None, None
        solved = pruned = 0
        prev = None
        for t in range(patterns.shape[0]):
            threshold = min(task.bound, best_obj)
            if task.prune and lbs[t] > threshold * (1.0 + 1e-12) + 1e-300:
                pruned += 1
                continue
            res = S.solve(patterns[t], warm_start=prev)
            prev = res
            solved += 1
            if res.objective < best_obj:
                best_obj, best_idx = float(res.objective), task.offset + t
                best_loss, best_status = float(res.loss), res.status
    return {"objective": float(best_obj), "index": int(best_idx), "loss": best_loss,
            "status": best_status, "solved": solved, "pruned": pruned}
