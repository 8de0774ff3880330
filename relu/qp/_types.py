"""Small value types shared by the engines and the chain (internal)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Candidate", "EngineFailure", "WarmStart", "Settings"]


class EngineFailure(Exception):
    """Raised by an engine that produced no answer; the chain records it and moves on.

    Not a user-facing error (the chain turns it into an entry of the
    :class:`~relu.exceptions.SolverFailedError` message when every engine failed).

    Examples
    --------
    >>> str(EngineFailure("Clarabel status MaxIterations after 200 iterations"))
    'Clarabel status MaxIterations after 200 iterations'
    """


@dataclass(frozen=True, eq=False)
class Candidate:
    """An engine's (uncertified) answer: primal point, multipliers, iteration count.

    Examples
    --------
    >>> import numpy as np
    >>> Candidate(np.zeros(2), np.zeros((1, 2)), 3).iterations
    3
    """

    w: np.ndarray
    multipliers: np.ndarray | None
    iterations: int = 0


@dataclass(frozen=True, eq=False)
class WarmStart:
    """A previous solution mapped onto the current problem's variables and rows.

    Attributes
    ----------
    w : ndarray, shape (n_vars,)
        Previous weights of the problem's (live) units.
    multipliers : ndarray, shape (n_units, n_rows)
        Previous multipliers of the normalised rows, 0 on rows whose sign changed.
    changed : ndarray of bool, shape (n_units, n_rows)
        Rows whose sign changed (the previous ``w`` may violate them).

    Examples
    --------
    >>> import numpy as np
    >>> ws = WarmStart(np.array([1.0, 0.0]), np.array([[0.0, 1.0]]), np.zeros((1, 2), bool))
    >>> ws.multipliers.shape
    (1, 2)
    """

    w: np.ndarray
    multipliers: np.ndarray
    changed: np.ndarray


@dataclass(frozen=True)
class Settings:
    """Options passed to every engine (each reads what concerns it).

    Examples
    --------
    >>> Settings(cvxpy_solver="SCS").cvxpy_solver
    'SCS'
    """

    cvxpy_solver: str = "CLARABEL"
