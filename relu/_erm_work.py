"""The per-vertex work of exact ERM: one chunk of vertices, solved in one task (internal).

A :class:`ChunkTask` is self-contained and picklable (data, second layer, loss, the
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

import numpy as np

__all__ = ["ChunkTask", "solve_chunk"]


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
    from .exact_erm import vertex_lower_bounds
    from .subproblem import SubproblemSolver

    extra = {} if task.bias else {"bias": False}
    with single_threaded_blas():
        S = SubproblemSolver(task.X, task.y, task.second_layer, loss=task.loss, ridge=task.ridge,
                             check=False, **extra)
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
