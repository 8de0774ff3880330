"""Random vertex (Section 4.2): solve problem (3) at the vertex of a random initialisation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .._blas import single_threaded_blas
from .._checks import check_bias, check_choice, check_data, check_nonneg, check_rng, check_units
from .._problem import draw_vertex, training_problem, trivial_result
from ..exceptions import SolverFailedError
from ..qp.attainment import fit_point
from ..results import FitResult

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike

__all__ = ["random_vertex", "random_pattern"]

_INITS = ("glorot", "he")


def random_pattern(X: ArrayLike, n_units: int, *, bias: bool = True, init: str = "glorot",
                   rng: int | np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Activation patterns of a random first layer, certified to be a vertex of ``Z^m``.

    Draws ``W`` (``init="glorot"``: :func:`relu.glorot_uniform`; ``"he"``: i.i.d.
    ``N(0, 2 / fan_in)`` with ``fan_in`` the number of columns of ``W``), and redraws
    in the (probability-zero) event that some ``w_j . x_bar_i`` is exactly 0, so every
    row of the returned patterns is a chamber: its signs are decided exactly.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    n_units : int
    bias : bool, default True
        Hidden units with a bias (``W`` has ``n_features + 1`` columns) or without
        (``n_features`` columns; zero points are then inactive in every pattern).
    init : {"glorot", "he"}
    rng : int, numpy.random.Generator or None

    Returns
    -------
    patterns : ndarray of uint8, shape (n_units, n_samples)
    W0 : ndarray, shape (n_units, n_features + 1) or (n_units, n_features)

    Examples
    --------
    >>> P, W0 = random_pattern([[0.0], [1.0], [2.0]], 2, rng=0)
    >>> P.shape, W0.shape
    ((2, 3), (2, 2))
    >>> P, W0 = random_pattern([[0.0], [1.0], [-2.0]], 2, bias=False, rng=0)
    >>> W0.shape, P[:, 0].tolist()  # x = 0 is inactive for every bias-free unit
    ((2, 1), [0, 0])
    """
    func = "random_pattern"
    Xv, Xf = check_data(X, func)
    m = check_units(n_units, func)
    bias = check_bias(bias, func)
    init = check_choice(init, _INITS, func, "init")
    gen = check_rng(rng, func)
    problem = training_problem(Xv, [0.0] * Xf.shape[0], m, None, "mse", 0.0, bias, func,
                               kind="gradient")
    P, W0 = draw_vertex(problem, init, gen, func)
    return problem.expand(P), W0


def random_vertex(X: ArrayLike, y: ArrayLike, n_units: int, second_layer: ArrayLike | None = None, *,
                  loss: str = "mse", ridge: float = 0.0, n_init: int = 1, init: str = "glorot",
                  bias: bool = True, rng: int | np.random.Generator | None = None) -> FitResult:
    """Best of ``n_init`` random vertices: draw ``W0``, take its patterns, solve (3) there.

    Section 4.2 of Matena & Raffel (2022): the activation patterns of a random
    initialisation are a vertex of ``Z^m``; the convex problem (3) at that vertex
    gives the best network with those patterns.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    n_units : int
    second_layer : array_like, shape (n_units + 1,) or (n_units,), optional
        Fixed second layer (default ``(+1, -1, ..., 0)``).
    loss : {"mse", "logistic"}
    ridge : float
    n_init : int, default 1
        Number of random vertices (seeds) tried; the best is returned.
    init : {"glorot", "he"}
        Distribution of ``W0`` (see :func:`random_pattern`).
    bias : bool, default True
        Hidden units with or without a bias (see :func:`relu.exact_erm`).
    rng : int, numpy.random.Generator or None

    Returns
    -------
    FitResult
        ``method="random_vertex"``; ``info["losses"]`` lists the loss of every draw,
        ``info["best_draw"]`` the index of the returned one and ``info["W0"]`` its
        random first layer (start gradient descent from it to compare the two methods
        from one initialisation).  ``info["failed_draws"]`` lists the draws whose
        logistic subproblem no engine could certify (their loss is ``nan``; they are
        skipped).  With ``status == "unattained"`` (logistic loss, separable
        examples, ``ridge=0``) ``loss`` is the infimum, ``W`` a point of the
        minimising ray whose own loss ``info["reached_loss"]`` is within ``1e-9`` of
        it (:func:`relu.qp.attainment.approach_infimum`), ``info["recession_direction"]``
        the direction of the ray.

    Raises
    ------
    SolverFailedError
        Every draw's logistic subproblem failed (with the squared loss: the first
        failure is raised at once).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = random_vertex(X, [0.0, 0.0, 1.0, 2.0], 2, n_init=3, rng=0)
    >>> len(r.info["losses"]), r.loss == min(r.info["losses"])
    (3, True)
    """
    t0 = time.perf_counter()
    func = "random_vertex"
    problem = training_problem(X, y, n_units, second_layer, loss, ridge, bias, func)
    n_init = check_nonneg(n_init, func, "n_init", allow_zero=False, integer=True)
    init = check_choice(init, _INITS, func, "init")
    gen = check_rng(rng, func)
    if problem.n_kept == 0:
        _, W0 = draw_vertex(problem, init, gen, func)
        return trivial_result(problem, "random_vertex", t0, losses=[problem.constant] * n_init,
                              best_draw=0, init=init, W0=W0)
    S = problem.solver(check=False)
    best, losses, best_i, best_W0, best_P, failed = None, [], -1, None, None, []
    with single_threaded_blas():
        for k in range(n_init):
            P, W0 = draw_vertex(problem, init, gen, func)
            try:
                res = S.solve(P)
            except SolverFailedError as exc:
                if problem.loss.name == "mse":
                    raise
                # the logistic engines can stall on a near-separable vertex: that draw is
                # recorded as failed (loss nan) and the others still count
                failed.append((k, str(exc)))
                losses.append(float("nan"))
                continue
            losses.append(problem.to_full(res.loss))
            if best is None or res.objective < best.objective:
                best, best_i, best_W0, best_P = res, k, W0, P
    if best is None:
        raise SolverFailedError(
            f"`random_vertex` could not solve the {problem.loss.name} subproblem of any of its "
            f"{n_init} random vertices (no engine produced a certified solution; try other "
            f"`rng`, a larger `n_init` or `ridge` > 0); the first failure: {failed[0][1]}")
    info = {"losses": losses, "best_draw": best_i, "init": init, "W0": best_W0,
            "failed_draws": [k for k, _ in failed]}
    W, extra = fit_point(problem, best)
    info.update(extra)
    return FitResult(W, problem.second_layer, problem.to_full(best.loss),
                     problem.expand(best_P), "random_vertex", time.perf_counter() - t0, n_init,
                     status=best.status, loss_name=problem.loss.name,
                     objective=problem.to_full(best.objective), bias=problem.bias, info=info)
