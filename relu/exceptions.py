"""The exception and warning classes of the ReLU layer.

Every error raised on purpose by :mod:`relu` derives from
:class:`zonotope.exceptions.ZonotopeError`, so ``except ZonotopeError`` catches the
errors of both layers.  The geometry and checkpoint errors used here are
re-exported for convenience.

Examples
--------
>>> from relu.exceptions import InfeasibleSubproblemError, ZonotopeError
>>> issubclass(InfeasibleSubproblemError, ZonotopeError)
True
"""

from __future__ import annotations

from zonotope.exceptions import (
    CheckpointError,
    CheckpointLockedError,
    DamagedFileError,
    EmptyChamberError,
    GeneralPositionError,
    TooLargeError,
    ValidationError,
    ZonotopeError,
)

__all__ = [
    "InfeasibleSubproblemError",
    "SolverFailedError",
    "NotFittedError",
    "UnattainedInfimumWarning",
    "WorkerError",
    "ZonotopeError",
    "ValidationError",
    "GeneralPositionError",
    "EmptyChamberError",
    "TooLargeError",
    "CheckpointError",
    "DamagedFileError",
    "CheckpointLockedError",
]


class InfeasibleSubproblemError(EmptyChamberError):
    """An activation pattern is not a chamber of the data arrangement.

    The closed constraints ``(2 a_ji - 1) w_j . x_bar_i >= 0`` of the subproblem are
    always satisfied by ``W = 0``; a pattern is *infeasible* when no ``W`` realises it
    strictly, i.e. the cone of unit ``j`` has an empty interior (it is not a chamber,
    equivalently not a vertex of the zonotope).  Subclass of
    :class:`~zonotope.exceptions.EmptyChamberError` (hence of ``ValueError``).

    Examples
    --------
    >>> import relu
    >>> try:
    ...     relu.solve_subproblem([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0],
    ...                           [[1, 0, 1]], [1.0, 0.0])
    ... except InfeasibleSubproblemError as exc:
    ...     print("unit", exc.unit)
    unit 0
    """

    def __init__(self, message: str, unit: int | None = None):
        super().__init__(message)
        self.unit = unit


class SolverFailedError(ZonotopeError):
    """A convex solver failed, or its answer did not pass the KKT certificate.

    Examples
    --------
    >>> issubclass(SolverFailedError, ZonotopeError)
    True
    """


class WorkerError(ZonotopeError):
    """A worker process of a parallel exact-ERM run died (killed, out of memory...).

    The finished chunks are in the checkpoint (when one was given): rerun to resume.

    Examples
    --------
    >>> issubclass(WorkerError, ZonotopeError)
    True
    """


class NotFittedError(ZonotopeError, ValueError, AttributeError):
    """An estimator was used before ``fit`` (scikit-learn's contract).

    Examples
    --------
    >>> import relu
    >>> try:
    ...     relu.ShallowReLURegressor(n_units=1).predict([[0.0]])
    ... except NotFittedError as exc:
    ...     print(type(exc).__name__)
    NotFittedError
    """


class UnattainedInfimumWarning(UserWarning):
    """The infimum of a (logistic) subproblem is not attained.

    Issued by :func:`relu.solve_subproblem` when some examples are *separable* inside
    the pattern's cone: the loss goes to its infimum only as ``||W|| -> inf``.  The
    result then has ``status == "unattained"``; pass ``ridge > 0`` for an attained
    (regularised) minimum.

    Examples
    --------
    >>> issubclass(UnattainedInfimumWarning, UserWarning)
    True
    """
