"""Random vertex (Section 4.2): solve problem (3) at the vertex of a random initialisation."""

from __future__ import annotations

import time

import numpy as np

from ._blas import single_threaded_blas
from ._checks import check_choice, check_data, check_nonneg, check_rng, check_units
from .network import check_training_problem, glorot_uniform
from .results import FitResult

__all__ = ["random_vertex", "random_pattern"]


def _draw(init, m, d, gen):
    if init == "glorot":
        return glorot_uniform(m, d, gen)
    # He normal: N(0, 2 / fan_in) with fan_in = d + 1 (homogenised input)
    return gen.normal(0.0, np.sqrt(2.0 / (d + 1)), size=(m, d + 1))


def random_pattern(X, m, *, init="glorot", rng=None):
    """Activation pattern of a random first layer, certified to be a vertex of ``Z^m``.

    Draws ``W`` (``init="glorot"``: :func:`relu.glorot_uniform`; ``"he"``: i.i.d.
    ``N(0, 2 / (d + 1))``), and redraws in the (probability-zero) event that some
    ``w_j . x_bar_i`` is exactly 0, so every row of the returned pattern is a chamber:
    its signs are decided exactly.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    m : int
    init : {"glorot", "he"}
    rng : int, numpy.random.Generator or None

    Returns
    -------
    pattern : ndarray of uint8, shape (m, n_samples)
    W0 : ndarray, shape (m, n_features + 1)

    Examples
    --------
    >>> P, W0 = random_pattern([[0.0], [1.0], [2.0]], 2, rng=0)
    >>> P.shape, W0.shape
    ((2, 3), (2, 2))
    """
    from zonotope import Arrangement

    Xv, Xf = check_data(X, "random_pattern")
    m = check_units(m, "random_pattern")
    init = check_choice(init, ("glorot", "he"), "random_pattern", "init")
    gen = check_rng(rng)
    arr = Arrangement.from_points(Xv)
    for _ in range(100):
        W0 = _draw(init, m, Xf.shape[1], gen)
        s = arr.sign_vectors(W0)
        if np.all(s != 0):
            return (s > 0).astype(np.uint8), W0
    raise RuntimeError("could not draw weights off the hyperplanes")  # pragma: no cover


def random_vertex(X, y, m, v=None, *, loss="mse", ridge=0.0, n_init=1, init="glorot", rng=None):
    """Best of ``n_init`` random vertices: draw ``W0``, take its pattern, solve (3) there.

    Section 4.2 of Matena & Raffel (2022): the activation pattern of a random
    initialisation is a vertex of ``Z^m``; the convex problem (3) at that vertex gives
    the best network with that pattern.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    m : int
    v : array_like, shape (m + 1,) or (m,), optional
        Fixed second layer (default ``(+1, -1, ..., 0)``).
    loss : {"mse", "logistic"}
    ridge : float
    n_init : int, default 1
        Number of random vertices (seeds) tried; the best is returned.
    init : {"glorot", "he"}
        Distribution of ``W0`` (see :func:`random_pattern`).
    rng : int, numpy.random.Generator or None

    Returns
    -------
    FitResult
        ``info["losses"]`` lists the loss of every draw, ``info["best_draw"]`` the
        index of the returned one and ``info["W0"]`` its random first layer (start
        gradient descent from it to compare the two methods from one initialisation).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = random_vertex(X, [0.0, 0.0, 1.0, 2.0], 2, n_init=3, rng=0)
    >>> len(r.info["losses"]), r.loss == min(r.info["losses"])
    (3, True)
    """
    from .subproblem import SubproblemSolver

    t0 = time.perf_counter()
    func = "random_vertex"
    Xv, Xf, yv, m, lo, vv, ridge = check_training_problem(X, y, m, v, loss, ridge, func)
    n_init = check_nonneg(n_init, func, "n_init", allow_zero=False, integer=True)
    init = check_choice(init, ("glorot", "he"), func, "init")
    gen = check_rng(rng)
    S = SubproblemSolver(Xv, yv, vv, loss=lo.name, ridge=ridge, check=False)
    best, losses, best_i, best_W0 = None, [], -1, None
    with single_threaded_blas():
        for k in range(n_init):
            P, W0 = random_pattern(Xv, m, init=init, rng=gen)
            res = S.solve(P)
            losses.append(res.loss)
            if best is None or res.objective < best.objective:
                best, best_i, best_W0 = res, k, W0
    return FitResult(best.W, vv, best.loss, best.pattern, "random_vertex", time.perf_counter() - t0,
                     n_init, status=best.status, loss_name=lo.name, objective=best.objective,
                     info={"losses": losses, "best_draw": best_i, "init": init, "W0": best_W0})
