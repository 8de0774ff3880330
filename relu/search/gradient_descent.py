"""Plain full-batch gradient descent on the first layer: the baseline of the paper."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from .._blas import single_threaded_blas
from .._checks import check_nonneg, check_rng, fail
from .._problem import training_problem
from ..network import check_weights, glorot_uniform
from ..results import FitResult

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["gradient_descent"]


def gradient_descent(X: ArrayLike, y: ArrayLike, n_units: int, second_layer: ArrayLike | None = None, *,
                     loss: str = "mse", ridge: float = 0.0, lr: float | str = "auto", n_steps: int = 5000,
                     W0: ArrayLike | None = None, tol: float = 1e-10, record_every: int = 100,
                     bias: bool = True, rng: int | np.random.Generator | None = None) -> FitResult:
    r"""Full-batch gradient descent on ``W`` with the second layer fixed.

    Update ``W <- W - lr * grad L(W)`` with the (sub)gradient

    .. math::

        \partial_{w_j} L = \frac1N \sum_i \ell'(f(x_i), y_i)\, v_j\,
        \mathbb 1\{w_j \cdot \bar x_i > 0\}\, \bar x_i + 2 \rho w_j

    (the ReLU derivative at 0 is taken as 0; ``v`` is the second layer).
    Initialisation: Glorot uniform (:func:`relu.glorot_uniform`) unless ``W0`` is
    given.  No momentum, no line search, no stochasticity beyond the initialisation.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    n_units : int
    second_layer : array_like, shape (n_units + 1,) or (n_units,), optional
        Fixed second layer (default ``(+1, -1, ..., 0)``).
    loss : {"mse", "logistic"}
    ridge : float
    lr : float or "auto"
        Step size.  ``"auto"``: ``1 / L`` with ``L = 2 ||v_{1:m}||^2 mean_i ||x_bar_i||^2``
        (MSE) or a quarter of it (logistic) -- a bound on the curvature of the loss
        inside every activation region, plus ``2 ridge``.
    n_steps : int, default 5000
    W0 : array_like, shape (n_units, n_features + 1) or (n_units, n_features), optional
        Initial first layer (``n_features`` columns when ``bias=False``).
    tol : float, default 1e-10
        Stop when the max-norm of the gradient falls below ``tol``.
    record_every : int
        Loss history sampling period (``info["history"]``).
    bias : bool, default True
        Hidden units with a bias (``x_bar = (x, 1)``) or without (``x_bar = x``).
    rng : int, numpy.random.Generator or None

    Returns
    -------
    FitResult
        ``method="gradient_descent"``, ``n_solves=0``, ``patterns = 1{W x_bar > 0}``
        (exact), ``status`` ``"converged"`` or ``"max_steps"``; ``info`` holds
        ``n_steps``, ``lr`` and ``history``.

    References
    ----------
    X. Glorot and Y. Bengio, AISTATS 2010 (initialisation).

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = gradient_descent(X, [0.0, 0.0, 1.0, 2.0], 1, [1.0, 0.0], W0=[[1.0, -0.5]],
    ...                      n_steps=20000)
    >>> round(r.loss, 6), np.round(r.W, 3).tolist()
    (0.0, [[1.0, -1.0]])
    """
    t0 = time.perf_counter()
    func = "gradient_descent"
    problem = training_problem(X, y, n_units, second_layer, loss, ridge, bias, func,
                               kind="gradient")
    Xf, yv, m, lo, vv, ridge = (problem.Xf, problem.y, problem.n_units, problem.loss,
                                problem.second_layer, problem.ridge)
    N, d = Xf.shape
    n_steps = check_nonneg(n_steps, func, "n_steps", integer=True)
    tol = check_nonneg(tol, func, "tol")
    record_every = check_nonneg(record_every, func, "record_every", allow_zero=False, integer=True)
    Xb = np.hstack([Xf, np.ones((N, 1))]) if problem.bias else Xf
    if isinstance(lr, str):
        if lr != "auto":
            fail("lr", func, "a positive number or 'auto'", repr(lr))
        curv = 2.0 * float(vv[:m] @ vv[:m]) * float(np.mean(np.sum(Xb * Xb, axis=1)))
        curv = (curv if lo.name == "mse" else curv / 4.0) + 2.0 * ridge
        lr = 1.0 / curv if curv > 0 else 1.0
    else:
        lr = check_nonneg(lr, func, "lr", allow_zero=False)
    gen = check_rng(rng, func)
    if W0 is None:
        W = glorot_uniform(m, d, bias=problem.bias, rng=gen)
    else:
        W = check_weights(W0, d, func, "W0", bias=problem.bias)[0].copy()
        if W.shape[0] != m:
            fail("W0", func, f"an array with n_units = {m} rows", f"shape {W.shape}")
    vw, b = vv[:m], vv[-1]
    history = []
    status = "max_steps"
    step = 0
    with single_threaded_blas():  # small products: threads cost more than they save
        for step in range(1, n_steps + 1):
            Z = Xb @ W.T                      # (N, m)
            act = Z > 0
            out = np.where(act, Z, 0.0) @ vw + b
            if (step - 1) % record_every == 0:
                history.append(lo.mean(out, yv) + ridge * float(np.sum(W * W)))
            g_out = lo.derivative(out, yv) / N    # (N,)
            G = ((act * vw) * g_out[:, None]).T @ Xb + 2.0 * ridge * W
            if float(np.max(np.abs(G))) <= tol:
                status = "converged"
                break
            W = W - lr * G
    if not np.all(np.isfinite(W)):
        fail("lr", func, "small enough for gradient descent to stay finite", f"{lr!r} (diverged)")
    out = np.maximum(Xb @ W.T, 0.0) @ vw + b
    loss_val = lo.mean(out, yv)
    return FitResult(W, vv, loss_val, problem.patterns_of(W), "gradient_descent",
                     time.perf_counter() - t0, 0, status=status, loss_name=lo.name,
                     objective=loss_val + ridge * float(np.sum(W * W)), bias=problem.bias,
                     info={"n_steps": step, "lr": float(lr), "history": history})
