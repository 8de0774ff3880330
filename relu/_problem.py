r"""The validated training problem shared by the optimisers (internal).

:func:`training_problem` validates the common arguments once -- data, labels, number
of units (with a memory estimate *before* anything of that size is allocated), loss,
second layer, ridge and the bias switch -- and returns a :class:`TrainingProblem`.

**Bias-free units and zero points.**  Without biases, a data point ``x_i = 0`` has no
hyperplane ``{w : w . x_i = 0}``: every unit is inactive on it (a tie counts as
inactive), its pattern bit is always 0 and its output is the output bias ``b``, so it
adds the constant ``l(b, y_i)`` to the loss.  The problem is therefore solved on the
*kept* points (those with a hyperplane) with the ridge weight scaled by
``N / N_kept``, and mapped back exactly:

.. math::

    \frac1N \sum_i l_i + \rho \|W\|^2
    = \frac{N_\text{kept}}{N}\Big(\frac1{N_\text{kept}} \sum_{i\,\text{kept}} l_i
      + \frac{N}{N_\text{kept}} \rho \|W\|^2\Big)
      + \frac1N \sum_{i\,\text{zero}} l(b, y_i),

an increasing affine map of the kept problem's objective, so minimisers, pruning
bounds and comparisons carry over unchanged.  With biases every point is kept and the
map is the identity.

Examples
--------
>>> P = training_problem([[0.0], [1.0], [-2.0]], [1.0, 2.0, 0.0], 1, [1.0, 0.5], "mse", 0.0,
...                      False, "demo")
>>> P.keep.tolist(), P.n_kept, P.constant  # x = 0 keeps output 0.5: (0.5 - 1)^2 / 3
([False, True, True], 2, 0.08333333333333333)
>>> P.expand([[1, 0]]).tolist()
[[0, 1, 0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._checks import (
    check_bias,
    check_data,
    check_labels_vector,
    check_memory,
    check_nonneg,
    check_second_layer,
    check_units,
)
from .losses import get_loss

__all__ = ["TrainingProblem", "training_problem", "draw_weights", "draw_vertex", "trivial_result"]


def _zero_rows(Xv):
    """Rows that are exactly zero (exact test for exact data: no rounding to 0.0)."""
    if Xv.dtype == object:
        return np.array([all(e == 0 for e in row) for row in Xv], dtype=bool)
    return np.all(Xv == 0, axis=1)


@dataclass(frozen=True, eq=False)
class TrainingProblem:
    """Validated data, labels, units, loss, second layer, ridge and bias switch.

    Attributes
    ----------
    X : ndarray, shape (n_samples, n_features)
        The data as given (exact ``object`` entries kept).
    Xf : ndarray of float64
    y : ndarray of float64, shape (n_samples,)
    n_units : int
    loss : relu.losses.Loss
    second_layer : ndarray, shape (n_units + 1,)
    ridge : float
    bias : bool
    keep : ndarray of bool, shape (n_samples,)
        Points with a hyperplane (all of them with biases; the non-zero ones without).
    """

    X: np.ndarray
    Xf: np.ndarray
    y: np.ndarray
    n_units: int
    loss: object
    second_layer: np.ndarray
    ridge: float
    bias: bool
    keep: np.ndarray

    @property
    def n_samples(self):
        return int(self.Xf.shape[0])

    @property
    def n_features(self):
        return int(self.Xf.shape[1])

    @property
    def n_weights(self):
        """Columns of ``W``: ``n_features + 1`` with bias, ``n_features`` without."""
        return self.n_features + int(self.bias)

    @cached_property
    def n_kept(self):
        return int(np.count_nonzero(self.keep))

    @cached_property
    def all_kept(self):
        return self.n_kept == self.n_samples

    @cached_property
    def X_kept(self):
        return self.X if self.all_kept else self.X[self.keep]

    @cached_property
    def y_kept(self):
        return self.y if self.all_kept else self.y[self.keep]

    @cached_property
    def ridge_kept(self):
        """Ridge weight of the kept problem (``ridge * N / N_kept``)."""
        return self.ridge if self.all_kept else self.ridge * self.n_samples / self.n_kept

    @cached_property
    def constant(self):
        """``(1/N) sum`` over the dropped points of ``l(output bias, y_i)``."""
        if self.all_kept:
            return 0.0
        drop = ~self.keep
        b = np.full(int(drop.sum()), float(self.second_layer[-1]))
        return float(np.sum(self.loss.value(b, self.y[drop]))) / self.n_samples

    def to_full(self, value):
        """Map a loss or objective of the kept problem to the whole data set."""
        if self.all_kept:
            return float(value)
        return self.n_kept / self.n_samples * float(value) + self.constant

    def expand(self, patterns_kept):
        """Patterns on the kept points -> patterns on all points (0 on zero points)."""
        P = np.asarray(patterns_kept, dtype=np.uint8)
        if self.all_kept:
            return P
        out = np.zeros((P.shape[0], self.n_samples), dtype=np.uint8)
        out[:, self.keep] = P
        return out

    @cached_property
    def arrangement(self):
        """The arrangement of the kept points (homogenised iff ``bias``)."""
        from zonotope import Arrangement

        return Arrangement.from_points(self.X_kept, homogenize=self.bias)

    def patterns_of(self, W):
        """Exact activation patterns ``1{w_j . x_bar_i > 0}`` of ``W`` on all points."""
        W = np.asarray(W, dtype=np.float64).reshape(-1, self.n_weights)
        if self.n_kept == 0:
            return np.zeros((W.shape[0], self.n_samples), dtype=np.uint8)
        return self.expand((self.arrangement.sign_vectors(W) > 0).astype(np.uint8))

    def solver(self, *, check=False, chambers=None):
        """A :class:`relu.SubproblemSolver` of the kept problem."""
        from .subproblem import SubproblemSolver

        return SubproblemSolver(self.X_kept, self.y_kept, self.second_layer, loss=self.loss,
                                ridge=self.ridge_kept, bias=self.bias, check=check,
                                chambers=chambers)

    def zero_network_loss(self):
        """Mean loss of ``W = 0`` (every unit dead): a floor for relative comparisons."""
        b = np.full(self.n_samples, float(self.second_layer[-1]))
        return self.loss.mean(b, self.y)


#: Bytes per float in the memory estimates.
_F8 = 8


def training_problem(X, y, n_units, second_layer, loss, ridge, bias, func, *, kind="vertex"):
    """Validate the common arguments of the optimisers, naming ``func`` in errors.

    ``kind`` selects the memory estimate checked before the second layer is built:
    ``"vertex"`` (a dense subproblem of ``n_samples x n_units (n_features + 1)``
    floats) or ``"gradient"`` (a few ``n_samples x n_units`` arrays).  The default
    second layer is :func:`relu.alternating_second_layer`.
    """
    from .network import alternating_second_layer

    Xv, Xf = check_data(X, func)
    yv = check_labels_vector(y, Xf.shape[0], func)
    m = check_units(n_units, func)
    bias = check_bias(bias, func)
    N, d = Xf.shape
    p = d + int(bias)
    need = _F8 * m * p * (N + 1) if kind == "vertex" else _F8 * m * (p + 4 * N)
    check_memory(need, func, "n_units", n_units, f"{m:,} units on {N:,} points in R^{d}")
    lo = get_loss(loss, func)
    lo.check_labels(yv, func)
    v = alternating_second_layer(m) if second_layer is None else \
        check_second_layer(second_layer, m, func)
    ridge = check_nonneg(ridge, func, "ridge")
    keep = np.ones(N, dtype=bool) if bias else ~_zero_rows(Xv)
    return TrainingProblem(Xv, Xf, yv, m, lo, v, ridge, bias, keep)


def draw_weights(problem, init, gen):
    """Random first-layer weights (``init="glorot"`` or ``"he"``) for ``problem``."""
    from .network import glorot_uniform

    m, p = problem.n_units, problem.n_weights
    if init == "glorot":
        return glorot_uniform(m, problem.n_features, bias=problem.bias, rng=gen)
    # He normal: N(0, 2 / fan_in), fan_in = n_weights (the homogenised input with bias)
    return gen.normal(0.0, np.sqrt(2.0 / p), size=(m, p))


def draw_vertex(problem, init, gen, func):
    """Random weights off every hyperplane and their patterns on the kept points.

    Redraws in the (probability-zero) event that some ``w_j . x_bar_i`` is exactly 0
    on a kept point, so every row is a chamber (signs decided exactly).  Returns
    ``(patterns_kept, W0)``.
    """
    from .exceptions import SolverFailedError

    for _ in range(100):
        W0 = draw_weights(problem, init, gen)
        if problem.n_kept == 0:
            return np.zeros((problem.n_units, 0), dtype=np.uint8), W0
        s = problem.arrangement.sign_vectors(W0)
        if np.all(s != 0):
            return (s > 0).astype(np.uint8), W0
    raise SolverFailedError(  # pragma: no cover
        f"`{func}` could not draw weights off the hyperplanes of the data "
                            "in 100 attempts")


def trivial_result(problem, method, t0, **info):
    """The result when no point has a hyperplane (bias-free units, all points zero).

    Every unit is inactive everywhere whatever ``W``; ``W = 0`` is the minimiser.
    """
    import time

    from .results import FitResult

    W = np.zeros((problem.n_units, problem.n_weights))
    P = np.zeros((problem.n_units, problem.n_samples), dtype=np.uint8)
    return FitResult(W, problem.second_layer, problem.constant, P, method,
                     time.perf_counter() - t0, 0, loss_name=problem.loss.name,
                     objective=problem.constant, info=info, bias=problem.bias)
