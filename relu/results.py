"""The result object shared by every optimiser of :mod:`relu`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FitResult"]


@dataclass(frozen=True, eq=False)
class FitResult:
    """A trained shallow ReLU network and how it was found.

    Attributes
    ----------
    W : ndarray, shape (m, d + 1)
        First layer (last column = bias), acting on ``(x, 1)``.
    v : ndarray, shape (m + 1,)
        Fixed second layer (``m`` weights, then the output bias).
    loss : float
        Mean loss of ``(W, v)`` on the training data (the empirical risk of eq. 1;
        for ``status == "unattained"`` the infimum, see
        :class:`~relu.subproblem.SubproblemResult`).
    pattern : ndarray of uint8, shape (m, N)
        The activation pattern (vertex of ``Z^m``) whose subproblem produced ``W``
        (for gradient descent: ``1{W x_bar > 0}`` of the final ``W``).
    method : str
    seconds : float
        Wall-clock time of the whole optimisation.
    n_solves : int
        Convex subproblems solved (0 for gradient descent).
    status : str
        ``"optimal"`` (the subproblem's optimum was attained), ``"unattained"``
        (logistic infimum), or ``"stopped"``/``"converged"``/``"max_steps"`` for
        iterative methods.
    complete : bool
        False when a run was interrupted (``max_solves`` reached): ``W`` is then the
        best found so far, not a certified optimum.
    loss_name : str
    objective : float
        ``loss + ridge * ||W||_F^2`` (equals ``loss`` without ridge).
    info : dict
        Method-specific details (counts, histories, per-seed losses...).

    Examples
    --------
    >>> r = FitResult(np.array([[1.0, -1.0]]), np.array([1.0, 0.0]), 0.0,
    ...               np.array([[0, 0, 1, 1]], dtype=np.uint8), "demo", 0.0, 0)
    >>> r.predict([[3.0]]).tolist()
    [2.0]
    >>> print(r)  # doctest: +NORMALIZE_WHITESPACE
    demo: mean mse loss 0 (0 convex solves, 0 s)
    first layer W (rows = hidden units; columns x_1 .. x_d, bias) and second layer v:
      unit 0   v = +1       w = (1, -1)
    output bias  0
    """

    W: np.ndarray
    v: np.ndarray
    loss: float
    pattern: np.ndarray
    method: str
    seconds: float
    n_solves: int
    status: str = "optimal"
    complete: bool = True
    loss_name: str = "mse"
    objective: float | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("W", "v", "pattern"):
            a = np.array(getattr(self, name), copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)
        object.__setattr__(self, "loss", float(self.loss))
        object.__setattr__(self, "seconds", float(self.seconds))
        object.__setattr__(self, "n_solves", int(self.n_solves))
        if self.objective is None:
            object.__setattr__(self, "objective", float(self.loss))

    @property
    def n_units(self):
        """Number of hidden units ``m``."""
        return int(self.W.shape[0])

    def predict(self, X):
        """Network output on ``X`` (see :func:`relu.predict`).

        Examples
        --------
        >>> r = FitResult(np.array([[2.0, 0.0]]), np.array([1.0, 1.0]), 0.0,
        ...               np.zeros((1, 1), dtype=np.uint8), "demo", 0.0, 0)
        >>> r.predict([[1.0], [-1.0]]).tolist()
        [3.0, 1.0]
        """
        from .network import predict

        return predict(X, self.W, self.v)

    def __repr__(self):
        return (f"FitResult(method={self.method!r}, loss={self.loss:.6g}, m={self.n_units}, "
                f"status={self.status!r}, complete={self.complete}, n_solves={self.n_solves}, "
                f"seconds={self.seconds:.3g})")

    def __str__(self):
        def num(x):
            x = float(x)
            return "0" if x == 0 else f"{x:.6g}"

        head = (f"{self.method}: mean {self.loss_name} loss {num(self.loss)}"
                + ("" if self.status in ("optimal", "converged") else f" [{self.status}]")
                + ("" if self.complete else " [INCOMPLETE: best so far]")
                + f" ({self.n_solves} convex solves, {num(round(self.seconds, 3))} s)")
        lines = [head, "first layer W (rows = hidden units; columns x_1 .. x_d, bias) and "
                 "second layer v:"]
        for j in range(self.n_units):
            vj = float(self.v[j])
            vs = f"{vj:+.6g}"
            ws = ", ".join(num(c) for c in self.W[j])
            lines.append(f"  unit {j:<3d} v = {vs:<8s} w = ({ws})")
        lines.append(f"output bias  {num(self.v[-1])}")
        return "\n".join(lines)
