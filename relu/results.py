"""The result object shared by every optimiser of :mod:`relu`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["FitResult"]


@dataclass(frozen=True, eq=False)
class FitResult:
    """A trained shallow ReLU network and how it was found.

    Attributes
    ----------
    W : ndarray, shape (n_units, n_features + 1) or (n_units, n_features)
        First layer, acting on ``(x, 1)`` (last column = bias) or, for bias-free
        units (``bias=False``), on ``x``.
    second_layer : ndarray, shape (n_units + 1,)
        Fixed second layer (``n_units`` weights, then the output bias).
    loss : float
        Mean loss of the network on the training data (the empirical risk of eq. 1;
        for ``status == "unattained"`` the infimum, see
        :class:`~relu.subproblem.SubproblemResult`).
    patterns : ndarray of uint8, shape (n_units, n_samples)
        The activation patterns (vertex of ``Z^m``) whose subproblem produced ``W``
        (for gradient descent: ``1{W x_bar > 0}`` of the final ``W``).
    method : {"exact", "random_vertex", "local_search", "gradient_descent", "construction"}
    seconds : float
        Wall-clock time of the whole optimisation.
    n_solves : int
        Convex subproblems solved (0 for gradient descent).
    status : str
        ``"optimal"`` (the subproblem's optimum was attained), ``"unattained"``
        (logistic infimum), or ``"converged"``/``"max_steps"`` for iterative methods.
    complete : bool
        False when a run was stopped early (``max_solves`` reached): ``W`` is then the
        best found so far, not a certified optimum.
    loss_name : str
    objective : float
        ``loss + ridge * ||W||_F^2`` (equals ``loss`` without ridge).
    info : dict
        Method-specific details (counts, histories, per-seed losses...).
    bias : bool
        Whether the hidden units have a bias (``W`` has the extra column).

    Examples
    --------
    >>> r = FitResult(np.array([[1.0, -1.0]]), np.array([1.0, 0.0]), 0.0,
    ...               np.array([[0, 0, 1, 1]], dtype=np.uint8), "demo", 0.0, 0)
    >>> r.predict([[3.0]]).tolist()
    [2.0]
    >>> print(r)  # doctest: +NORMALIZE_WHITESPACE
    demo: mean mse loss 0 (0 convex solves, 0 s)
    first layer W (rows = hidden units; columns x_1 .. x_d, bias) and second layer:
      unit 0   weight +1       w = (1, -1)
    output bias  0
    """

    W: np.ndarray
    second_layer: np.ndarray
    loss: float
    patterns: np.ndarray
    method: str
    seconds: float
    n_solves: int
    status: str = "optimal"
    complete: bool = True
    loss_name: str = "mse"
    objective: float | None = None
    info: dict = field(default_factory=dict)
    bias: bool = True

    def __post_init__(self):
        for name in ("W", "second_layer", "patterns"):
            a = np.array(getattr(self, name), copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)
        object.__setattr__(self, "loss", float(self.loss))
        object.__setattr__(self, "seconds", float(self.seconds))
        object.__setattr__(self, "n_solves", int(self.n_solves))
        object.__setattr__(self, "bias", bool(self.bias))
        if self.objective is None:
            object.__setattr__(self, "objective", float(self.loss))

    @property
    def n_units(self) -> int:
        """Number of hidden units."""
        return int(self.W.shape[0])

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Network output on ``X`` (see :func:`relu.predict`).

        Examples
        --------
        >>> r = FitResult(np.array([[2.0, 0.0]]), np.array([1.0, 1.0]), 0.0,
        ...               np.zeros((1, 1), dtype=np.uint8), "demo", 0.0, 0)
        >>> r.predict([[1.0], [-1.0]]).tolist()
        [3.0, 1.0]
        """
        from .network import predict

        return predict(X, self.W, self.second_layer, bias=self.bias)

    def __repr__(self):
        return (f"FitResult(method={self.method!r}, loss={self.loss:.6g}, "
                f"n_units={self.n_units}, bias={self.bias}, status={self.status!r}, "
                f"complete={self.complete}, n_solves={self.n_solves}, seconds={self.seconds:.3g})")

    def __str__(self):
        def num(x):
            x = float(x)
            return "0" if x == 0 else f"{x:.6g}"

        head = (f"{self.method}: mean {self.loss_name} loss {num(self.loss)}"
                + ("" if self.status in ("optimal", "converged") else f" [{self.status}]")
                + ("" if self.complete else " [INCOMPLETE: best so far]")
                + f" ({self.n_solves} convex solves, {num(round(self.seconds, 3))} s)")
        cols = "x_1 .. x_d, bias" if self.bias else "x_1 .. x_d; no bias"
        lines = [head, f"first layer W (rows = hidden units; columns {cols}) and second layer:"]
        for j in range(self.n_units):
            vs = f"{float(self.second_layer[j]):+.6g}"
            ws = ", ".join(num(c) for c in self.W[j])
            lines.append(f"  unit {j:<3d} weight {vs:<8s} w = ({ws})")
        lines.append(f"output bias  {num(self.second_layer[-1])}")
        return "\n".join(lines)
