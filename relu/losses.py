"""Per-example losses of the ReLU layer: one registry, one object per loss.

Conventions (documented in ``docs/relu.md``):

* ``"mse"``: ``l(z, y) = (z - y)^2`` (no factor 1/2); the *mean* loss over the data is
  reported everywhere, so the empirical risk is ``(1/N) sum_i (f(x_i) - y_i)^2``.
* ``"logistic"`` (binary cross-entropy on the logit ``z``): labels ``y in {0, 1}``,
  ``l(z, y) = log(1 + exp(z)) - y z = -log sigmoid((2y - 1) z)``.  The infimum of a
  subproblem can be unattained (see :class:`relu.exceptions.UnattainedInfimumWarning`).

A new loss is one :class:`Loss` instance plus one line in :data:`LOSSES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from ._checks import fail

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["Loss", "LOSSES", "get_loss", "mse", "logistic"]


@dataclass(frozen=True)
class Loss:
    """A convex per-example loss ``l(z, y)`` of the network output ``z``.

    Attributes
    ----------
    name : str
    value : callable ``(z, y) -> ndarray``
        Per-example loss (vectorised).
    derivative : callable ``(z, y) -> ndarray``
        ``d l / d z``.
    interval_lower_bound : callable ``(lo, hi, y) -> ndarray``
        ``min_{lo <= z <= hi} l(z, y)`` per example (``lo``/``hi`` may be infinite);
        used for sound pruning in :func:`relu.exact_erm`.
    cvxpy_sum : callable ``(z_expr, y) -> cvxpy expression``
        ``sum_i l(z_i, y_i)`` as a DCP expression (imports cvxpy lazily).
    check_labels : callable ``(y, func) -> y``
        Validate labels for this loss (e.g. ``{0, 1}`` for the logistic loss).

    Examples
    --------
    >>> float(LOSSES["mse"].value(np.array([1.0]), np.array([3.0]))[0])
    4.0
    """

    name: str
    value: Callable
    derivative: Callable
    interval_lower_bound: Callable
    cvxpy_sum: Callable
    check_labels: Callable

    def mean(self, z: ArrayLike, y: ArrayLike) -> float:
        """Mean loss ``(1/N) sum_i l(z_i, y_i)`` as a Python float.

        Examples
        --------
        >>> mse.mean(np.array([0.0, 2.0]), np.array([1.0, 1.0]))
        1.0
        """
        return float(np.mean(self.value(z, y)))


# ------------------------------------------------------------------ squared error
def _mse_value(z, y):
    return (np.asarray(z) - y) ** 2


def _mse_derivative(z, y):
    return 2.0 * (np.asarray(z) - y)


def _mse_lower(lo, hi, y):
    return (np.clip(y, lo, hi) - y) ** 2


def _mse_cvxpy(z, y):
    import cvxpy as cp

    return cp.sum_squares(z - y)


def _any_labels(y, func):
    return y


mse = Loss("mse", _mse_value, _mse_derivative, _mse_lower, _mse_cvxpy, _any_labels)


# ------------------------------------------------------------------ logistic
def _log_value(z, y):
    z = np.asarray(z, dtype=np.float64)
    return np.logaddexp(0.0, z) - y * z


def _log_derivative(z, y):
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * (1.0 + np.tanh(0.5 * z)) - y  # sigmoid(z) - y, overflow-free


def _log_lower(lo, hi, y):
    # l(., 0) is increasing, l(., 1) is decreasing: the minimum sits at an end
    lo, hi, y = np.broadcast_arrays(np.asarray(lo, dtype=np.float64),
                                    np.asarray(hi, dtype=np.float64), np.asarray(y, dtype=np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        at_lo = np.where(np.isneginf(lo), 0.0, _log_value(np.where(np.isfinite(lo), lo, 0.0), 0.0))
        at_hi = np.where(np.isposinf(hi), 0.0, _log_value(np.where(np.isfinite(hi), hi, 0.0), 1.0))
    return np.where(y > 0.5, at_hi, at_lo)


def _log_cvxpy(z, y):
    import cvxpy as cp

    return cp.sum(cp.logistic(z)) - y @ z


def _binary_labels(y, func):
    if not np.all((y == 0) | (y == 1)):
        bad = sorted(set(np.unique(y[(y != 0) & (y != 1)]).tolist()))[:3]
        fail("y", func, "made of 0/1 labels for loss='logistic'", f"the value(s) {bad}")
    return y


logistic = Loss("logistic", _log_value, _log_derivative, _log_lower, _log_cvxpy, _binary_labels)

#: The loss registry: name -> :class:`Loss`.
LOSSES = {"mse": mse, "logistic": logistic}


def get_loss(loss: str | Loss, func: str = "get_loss") -> Loss:
    """Look a loss up by name (or pass a :class:`Loss` through).

    Parameters
    ----------
    loss : str or Loss
        ``"mse"`` or ``"logistic"`` (the keys of :data:`LOSSES`).
    func : str
        Name of the calling function, for the error message.

    Returns
    -------
    Loss

    Raises
    ------
    ValidationError
        For an unknown name.

    Examples
    --------
    >>> get_loss("logistic").name
    'logistic'
    >>> get_loss("hinge")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `loss` of `get_loss` must be one of 'mse', 'logistic'; got
    'hinge' instead.
    """
    if isinstance(loss, Loss):
        return loss
    if not isinstance(loss, str) or loss not in LOSSES:
        fail("loss", func, "one of " + ", ".join(repr(k) for k in LOSSES), repr(loss))
    return LOSSES[loss]
