r"""Vertex -> convex program: the per-pattern problem (3) of Matena & Raffel (2022).

For activation patterns ``A`` (``(n_units, N)``, 0/1) and a fixed second layer ``v``,
the network output on example ``i`` is *linear* in ``W`` on the closed cones of the
patterns:

.. math::

    f(x_i) = \sum_j v_j\, a_{ji}\, (w_j \cdot \bar x_i) + v_{m+1},
    \qquad (2 a_{ji} - 1)\,(w_j \cdot \bar x_i) \ge 0 ,

with ``x_bar_i = (x_i, 1)`` for units with a bias (``bias=True``) and
``x_bar_i = x_i`` without (``bias=False``; a zero point then has no hyperplane and is
inactive for every ``W``, since ``ReLU(0) = 0``).  Problem (3) minimises the mean loss
of this masked linear model under these sign constraints (plus an optional ridge term
``ridge * ||W||_F^2``).  Its multipliers ``mu_ji >= 0`` (one per unit and example) are
returned; a positive multiplier means the optimum presses against the facet
``w_j . x_bar_i = 0`` of unit ``j``'s chamber, which is what local search uses to
order neighbour moves.

Before an engine sees it, the problem is rescaled exactly: every column of the
points, every second-layer weight and (squared loss) the targets are multiplied by
powers of two that bring them near 1, and the weights are scaled back at the end, so
data on any scale from ``2^-1000`` to ``2^1000`` gives the engines the same problem.
The solve itself is the engine chain of :mod:`relu.qp` (``method``):

* ``"fast"`` (default): the default chain -- squared loss: the hand-written fast
  path only on large problems (:func:`relu.qp.fast.use_fast`), then DAQP, Clarabel,
  cvxpy+Clarabel; logistic loss: an LP decides whether the infimum is attained
  (:mod:`relu.qp.attainment`), then Clarabel, cvxpy.  Every answer is accepted only
  by the KKT certificate (:mod:`relu.qp.certificates`), polished when it just misses;
  :class:`~relu.exceptions.SolverFailedError` only when every engine failed.
* ``"daqp"``, ``"clarabel"``: the default chain from that engine on.
* ``"cvxpy"``: the reference -- the cvxpy engine alone, its answer reported as it is
  (``status`` may be ``"optimal_inaccurate"``; the certificate's residual is reported,
  not enforced).  Any installed cvxpy solver may be named with ``cvxpy_solver``.

Chamber membership (``check=True``, :func:`is_chamber_pattern`) is decided exactly.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._blas import single_threaded_blas
from ._checks import (
    check_choice,
    check_data,
    check_labels_vector,
    check_nonneg,
    check_pattern,
    check_second_layer,
    fail,
)
from .exceptions import InfeasibleSubproblemError, SolverFailedError, UnattainedInfimumWarning
from .losses import get_loss

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from zonotope import ChamberSet

    from .qp._types import WarmStart
    from .qp.problem import SignConstrainedProblem

__all__ = ["SubproblemResult", "SubproblemSolver", "solve_subproblem", "is_chamber_pattern"]

METHODS = ("fast", "daqp", "clarabel", "cvxpy")


@dataclass(frozen=True, eq=False)
class SubproblemResult:
    """Solution of problem (3) at one vertex (one chamber per unit).

    Attributes
    ----------
    W : ndarray, shape (n_units, n_features + 1) with bias, (n_units, n_features) without
        Optimal first layer (realises ``pattern`` up to ties on the boundary:
        ``(2 a - 1) * (W x_bar) >= -1e-9 ||w_j|| ||x_bar_i||``).  Units with
        ``second_layer[j] = 0`` or no active example get ``w_j = 0``.
    loss : float
        Mean loss of the network ``(W, second_layer)`` on the data (the optimum of (3)
        without the ridge term).  When ``status == "unattained"`` this is the
        *infimum*, approached by ``W + t * recession_direction`` as ``t -> inf``.
    objective : float
        ``loss + ridge * ||W||_F^2``.
    multipliers : ndarray, shape (n_units, N)
        ``mu_ji >= 0`` of the constraints ``(2 a_ji - 1) w_j . x_bar_i >= 0`` for the
        objective ``(1/N) sum_i l_i + ridge ||W||^2`` (KKT: ``grad_{w_j} =
        sum_i mu_ji (2 a_ji - 1) x_bar_i``).  Zero for dead units and zero points.
    status : {"optimal", "unattained", "optimal_inaccurate"}
        The last only for the cvxpy reference (the solver's own flag).
    pattern : ndarray of uint8, shape (n_units, N)
    method : str
        Engine whose answer was accepted (``"fast"``, ``"ldp"``, ``"daqp"``,
        ``"clarabel"``, ``"newton"`` (logistic, :mod:`relu.qp.sqp`), ``"cvxpy"``, with
        ``"+polish"`` when it was polished first; ``"lp+"`` in front for an unattained
        logistic infimum), ``"trivial"`` (no live unit), or
        ``"cvxpy-<SOLVER>"`` for the reference.
    seconds : float
    n_iter : int
        Solver iterations, summed over the engines tried.
    kkt_residual : float
        Relative stationarity residual of the KKT certificate.
    recession_direction : ndarray, same shape as ``W``, or None
        For ``status == "unattained"``: a feasible direction along which the loss
        decreases to ``loss``.
    separable : ndarray of bool, shape (N,), or None
        For ``status == "unattained"``: examples whose loss goes to 0 along it.
    attempts : tuple of relu.qp.Attempt
        Every engine tried, with its residuals or error (the last was accepted).

    Examples
    --------
    >>> r = solve_subproblem([[0.0], [1.0]], [0.0, 1.0], [[0, 1]], [1.0, 0.0])
    >>> r.status, round(r.loss, 12), r.multipliers.shape
    ('optimal', 0.0, (1, 2))
    """

    W: np.ndarray
    loss: float
    objective: float
    multipliers: np.ndarray
    status: str
    pattern: np.ndarray
    method: str
    seconds: float
    n_iter: int = 0
    kkt_residual: float = float("nan")
    recession_direction: np.ndarray | None = None
    separable: np.ndarray | None = None
    attempts: tuple = ()

    def __repr__(self):
        return (f"SubproblemResult(loss={self.loss:.6g}, status={self.status!r}, "
                f"method={self.method!r}, n_units={self.W.shape[0]}, seconds={self.seconds:.3g})")


def _ro(a):
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


# ---------------------------------------------------------------------- chambers
def _is_chamber(arr, sign_vector):
    """Whether the +-1 ``sign_vector`` is a chamber of ``arr`` (the geometry layer's exact predicate)."""
    from zonotope import is_chamber

    return bool(is_chamber(arr, sign_vector))


class _ChamberOracle:
    """Cached exact chamber membership of one unit's pattern on fixed data."""

    def __init__(self, Xv, bias, chambers=None):
        from zonotope import Arrangement

        nz = np.array([any(v != 0 for v in row) for row in Xv], dtype=bool) if not bias \
            else np.ones(len(Xv), dtype=bool)
        self._nz = nz
        self._arr = Arrangement.from_points(Xv[nz], homogenize=bias) if nz.any() else None
        self._chambers = chambers
        self._cache = {}

    def check(self, a):
        key = np.packbits(a).tobytes()
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if np.any(a[~self._nz]):
            ok = False                             # a zero point is never active
        elif self._arr is None:
            ok = True                              # no hyperplane: one chamber, all inactive
        else:
            signs = 2 * a[self._nz].astype(np.int8) - 1
            if self._chambers is not None:
                ok = bool(signs in self._chambers)
            else:
                ok = bool(_is_chamber(self._arr, signs))
        self._cache[key] = ok
        return ok


def _check_bias(bias, func):
    if not isinstance(bias, (bool, np.bool_)):
        fail("bias", func, "a bool (True: units with a bias; False: bias-free units)", repr(bias))
    return bool(bias)


def is_chamber_pattern(X: ArrayLike, unit_pattern: ArrayLike, *, bias: bool = True) -> bool:
    """Decide exactly whether a 0/1 vector is the activation pattern of some weight.

    A pattern ``a`` is a chamber when some ``w`` has ``w . x_bar_i > 0`` exactly where
    ``a_i = 1`` and ``< 0`` elsewhere (an open chamber of the arrangement of the
    points).  Decided by exact arithmetic (see :func:`zonotope.Arrangement.from_points`;
    no tolerance), so the answer does not change when ``X`` is scaled by any power of
    two.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    unit_pattern : array_like of 0/1, shape (n_samples,)
    bias : bool, default True
        ``True``: ``x_bar_i = (x_i, 1)``; ``False``: ``x_bar_i = x_i`` (a zero point
        is inactive for every ``w``; a pattern with 1 there is not a chamber).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_chamber_pattern([[0.0], [1.0], [2.0]], [0, 1, 1])
    True
    >>> is_chamber_pattern([[0.0], [1.0], [2.0]], [1, 0, 1])  # the middle point cannot be off
    False
    >>> is_chamber_pattern([[1.0], [1.0]], [1, 0])  # duplicated points share their bit
    False
    >>> is_chamber_pattern([[1.0], [-2.0], [0.0]], [1, 0, 0], bias=False)  # w > 0
    True
    >>> is_chamber_pattern([[1.0], [-2.0], [0.0]], [1, 0, 1], bias=False)  # ReLU(w . 0) = 0
    False
    """
    func = "is_chamber_pattern"
    Xv, Xf = check_data(X, func)
    bias = _check_bias(bias, func)
    a = check_pattern(unit_pattern, Xf.shape[0], func, "unit_pattern", m=1)[0]
    return _ChamberOracle(Xv, bias).check(a)


# ---------------------------------------------------------------------- scaling
def _pow2_exponents(a, axis=None):
    """Exponents ``e`` with ``max |a| * 2^-e`` in ``[0.5, 1)`` (0 where ``a`` is all zero)."""
    top = np.max(np.abs(a), axis=axis) if a.size else np.zeros(() if axis is None else a.shape[1 - axis])
    _, e = np.frexp(top)
    return np.where(top > 0, e, 0).astype(np.int64)


def _safe_row_norms(A):
    """Euclidean norms of the rows without overflow or underflow."""
    top = np.max(np.abs(A), axis=1) if A.shape[1] else np.zeros(A.shape[0])
    safe = np.where(top > 0, top, 1.0)
    return top * np.linalg.norm(A / safe[:, None], axis=1)


class SubproblemSolver:
    """Problem (3) on fixed data, ready to be solved at many vertices.

    Validation, homogenisation and the exact rescaling happen once; chamber checks are
    cached per unit pattern; :meth:`solve` accepts a previous result as a warm start
    (what local search and exact ERM need).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
        Targets (MSE) or 0/1 labels (logistic).
    second_layer : array_like, shape (n_units + 1,) or (n_units,)
        Fixed second layer (``n_units`` weights then the output bias; ``n_units``
        entries: bias 0).
    loss : {"mse", "logistic"} or relu.losses.Loss
    ridge : float, default 0
        Adds ``ridge * ||W||_F^2`` to the objective (makes the logistic minimum
        attained; see :mod:`relu.losses`).
    bias : bool, default True
        Hidden units with a bias (``W`` of shape ``(n_units, n_features + 1)``, acting
        on ``(x, 1)``) or without (``(n_units, n_features)``, acting on ``x``).
    method : {"fast", "daqp", "clarabel", "cvxpy"}
        See the module docstring.
    check : bool, default True
        Verify that every unit's pattern is a chamber before solving (raises
        :class:`~relu.exceptions.InfeasibleSubproblemError`).  Exact; results are
        cached per unit pattern; a ``chambers`` set makes the check a lookup.
    chambers : zonotope.ChamberSet, optional
        All chambers of ``Arrangement.from_points(X, homogenize=bias)`` (without the
        zero points when ``bias=False``).
    cvxpy_solver : str, default "CLARABEL"
        Solver of the cvxpy engine.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> S = SubproblemSolver(X, [0.0, 0.0, 1.0, 2.0], [1.0, 0.0])
    >>> r = S.solve([[0, 0, 1, 1]])
    >>> round(r.loss, 12), np.round(r.W, 6).tolist()
    (0.0, [[1.0, -1.0]])
    >>> r2 = S.solve([[1, 1, 1, 1]], warm_start=r)  # another vertex: all examples active
    >>> round(r2.loss, 6), r2.multipliers.round(6).tolist()  # pressed against x = 0
    (0.107143, [[0.214286, 0.0, 0.0, 0.0]])
    >>> S0 = SubproblemSolver([[1.0], [2.0], [-1.0]], [1.0, 2.0, 0.0], [1.0, 0.0], bias=False)
    >>> np.round(S0.solve([[1, 1, 0]]).W, 9).tolist()   # y = relu(x), no bias column
    [[1.0]]
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, second_layer: ArrayLike, *, loss: str = "mse",
                 ridge: float | ArrayLike = 0.0, bias: bool = True, method: str = "fast", check: bool = True,
                 chambers: ChamberSet | None = None, cvxpy_solver: str = "CLARABEL"):
        func = "SubproblemSolver"
        self._Xv, self.X = check_data(X, func)
        self.n_samples, self.n_features = self.X.shape
        self.y = check_labels_vector(y, self.n_samples, func)
        self.loss = get_loss(loss, func)
        self.loss.check_labels(self.y, func)
        self.second_layer = self._check_second_layer(second_layer, func)
        self.n_units = self.second_layer.shape[0] - 1
        self.ridge = check_nonneg(ridge, func, "ridge")
        self.bias = _check_bias(bias, func)
        self.method = check_choice(method, METHODS, func, "method")
        if not isinstance(check, (bool, np.bool_)):
            fail("check", func, "a bool", repr(check))
        self.check = bool(check)
        if not isinstance(cvxpy_solver, str):
            fail("cvxpy_solver", func, "a solver name such as 'CLARABEL'", repr(cvxpy_solver))
        self.cvxpy_solver = cvxpy_solver.upper()
        if self.method == "cvxpy":
            import cvxpy as cp

            if self.cvxpy_solver not in cp.installed_solvers():
                fail("cvxpy_solver", func, "an installed cvxpy solver ("
                     + ", ".join(cp.installed_solvers()) + ")", repr(cvxpy_solver))
        self.n_solves = 0
        self._oracle = _ChamberOracle(self._Xv, self.bias, chambers)
        self._prepare()

    @staticmethod
    def _check_second_layer(second_layer, func):
        a = np.asarray(second_layer, dtype=object) if second_layer is not None else None
        if a is None or a.ndim != 1 or a.shape[0] < 2:
            fail("second_layer", func,
                 "a vector of length n_units + 1 (n_units >= 1 weights, then the bias)",
                 "None" if second_layer is None else f"an array of shape {np.shape(second_layer)}")
        return check_second_layer(second_layer, a.shape[0] - 1, func, "second_layer")

    def _prepare(self):
        """Points ``x_bar``, exact power-of-two rescaling and unit constraint rows."""
        X, N = self.X, self.n_samples
        self.Xb = np.hstack([X, np.ones((N, 1))]) if self.bias else X
        self.p = self.Xb.shape[1]
        weights = self.second_layer[:-1]
        is_mse = self.loss.name == "mse"
        col_e = _pow2_exponents(self.Xb, axis=0)
        unit_e = np.where(weights != 0, np.frexp(weights)[1], 0).astype(np.int64)
        r = self.y - self.second_layer[-1]
        out_e = int(_pow2_exponents(r)) if is_mse else 0
        # the ridge weight of each scaled variable: ridge * 4^-(unit_e + col_e)
        ridge_w = np.zeros((self.n_units, self.p))
        if self.ridge:
            with np.errstate(over="ignore", under="ignore"):
                ridge_w = self.ridge * np.ldexp(1.0, -2 * (unit_e[:, None] + col_e[None, :]))
            if not (np.all(np.isfinite(ridge_w)) and np.all(ridge_w > 0)):
                col_e = np.zeros_like(col_e)
                unit_e = np.zeros_like(unit_e)
                ridge_w = np.full((self.n_units, self.p), self.ridge)
        self._col_e, self._unit_e, self._out_e = col_e, unit_e, out_e
        self._ridge_w = ridge_w
        self._Xs = np.ldexp(self.Xb, -col_e[None, :])
        self._vs = np.ldexp(weights, -unit_e)
        self._rs = np.ldexp(r, -out_e)
        norms = _safe_row_norms(self._Xs)
        self._nz = norms > 0
        self._rows = self._Xs[self._nz] / norms[self._nz][:, None]
        self._row_norms = norms
        # W[k, c] = w'[k, c] * 2^(out_e - unit_e[k] - col_e[c])
        self._w_exp = out_e - unit_e[:, None] - col_e[None, :]

    # ------------------------------------------------------------------ helpers
    def _pattern(self, patterns, func="SubproblemSolver.solve"):
        return check_pattern(patterns, self.n_samples, func, "patterns", m=self.n_units)

    def is_chamber(self, unit_pattern: ArrayLike) -> bool:
        """Whether one unit's 0/1 pattern is a chamber (exact, cached; see :func:`is_chamber_pattern`).

        Examples
        --------
        >>> S = SubproblemSolver([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], [1.0, 0.0])
        >>> S.is_chamber([1, 1, 0]), S.is_chamber([1, 0, 1])
        (True, False)
        """
        a = check_pattern(unit_pattern, self.n_samples, "SubproblemSolver.is_chamber",
                          "unit_pattern", m=1)[0]
        return self._oracle.check(a)

    def _check_patterns_are_chambers(self, A):
        for j in range(A.shape[0]):
            if not self._oracle.check(A[j]):
                raise InfeasibleSubproblemError(
                    f"row {j} of `patterns` is not a chamber of the data arrangement: no first-"
                    f"layer weight realises it strictly (the cone (2a-1) * (w . x_bar) >= 0 has an "
                    f"empty interior), so it is not a vertex of the zonotope", unit=j)

    def _live(self, A):
        """Units with a nonzero second-layer weight and an active nonzero point."""
        return np.flatnonzero((self._vs != 0) & A[:, self._nz].any(axis=1))

    def qp_problem(self, patterns: ArrayLike, *, warm_start: SubproblemResult | None = None
                   ) -> tuple[SignConstrainedProblem, WarmStart | None]:
        """The convex program of a vertex, as the engines of :mod:`relu.qp` see it.

        For benchmarks and for trying engines directly: the program is on the *live*
        units only (nonzero second-layer weight, some active point) and in the exactly
        rescaled variables (see the module docstring); :meth:`solve` maps its
        solution back.  The logistic attainment LP is not applied here.

        Parameters
        ----------
        patterns : array_like of 0/1, shape (n_units, n_samples)
        warm_start : SubproblemResult, optional

        Returns
        -------
        problem : relu.qp.SignConstrainedProblem
        warm : relu.qp.WarmStart or None
            ``warm_start`` mapped onto the problem's variables.

        Examples
        --------
        >>> S = SubproblemSolver([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0], [1.0, 0.0])
        >>> P, _ = S.qp_problem([[0, 1, 1]])
        >>> P.kind, P.n_units, P.n_rows, P.p
        ('mse', 1, 3, 2)
        """
        A = self._pattern(patterns, "SubproblemSolver.qp_problem")
        live = self._live(A)
        warm = None if warm_start is None else self._warm(warm_start, A, live)
        return self._problem(A, live), warm

    def _problem(self, A, live, keep=None):
        """The per-vertex program on the ``live`` units, in scaled variables."""
        from .qp.problem import LeastSquaresProblem, LossProblem

        Al = A[live].astype(np.float64)
        C = Al.T * self._vs[live]                                       # (N, L)
        M = (C[:, :, None] * self._Xs[:, None, :]).reshape(self.n_samples, -1)
        signs = 2.0 * Al[:, self._nz] - 1.0
        ridge = self._ridge_w[live].reshape(-1)
        if self.loss.name == "mse":
            return LeastSquaresProblem(M, self._rs, self._rows, signs, ridge)
        return LossProblem(M, self.second_layer[-1], self.y, self.loss, self._rows, signs, ridge,
                           keep)

    def _to_W(self, w, live):
        """Scaled weights of the live units -> ``W`` (n_units, p) in data units."""
        W = np.zeros((self.n_units, self.p))
        if len(live):
            with np.errstate(over="ignore", under="ignore"):
                W[live] = np.ldexp(np.reshape(w, (len(live), self.p)), self._w_exp[live])
        return W

    def _to_multipliers(self, mu, live):
        """Multipliers of the unit scaled rows -> of ``(2a - 1) w_j . x_bar_i >= 0``."""
        out = np.zeros((self.n_units, self.n_samples))
        if len(live):
            e = (self._out_e + self._unit_e[live])[:, None]
            with np.errstate(over="ignore", under="ignore"):
                out[np.ix_(live, np.flatnonzero(self._nz))] = \
                    np.ldexp(mu, e) / self._row_norms[self._nz][None, :]
        return out

    def _warm(self, warm, A, live):
        """A previous result mapped onto the scaled variables of the live units."""
        from .qp import WarmStart

        if not (isinstance(warm, SubproblemResult) and warm.W.shape == (self.n_units, self.p)
                and warm.multipliers.shape == A.shape and warm.pattern.shape == A.shape):
            return None
        nz = self._nz
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            w = np.ldexp(np.asarray(warm.W, dtype=np.float64)[live], -self._w_exp[live])
            e = (self._out_e + self._unit_e[live])[:, None]
            mu = np.ldexp(np.asarray(warm.multipliers)[live][:, nz]
                          * self._row_norms[nz][None, :], -e)
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(mu))):
            return None
        changed = np.asarray(warm.pattern)[live][:, nz] != A[live][:, nz]
        mu[changed] = 0.0
        return WarmStart(w.reshape(-1), mu, changed)

    def _output(self, W):
        """Network output ``relu(x_bar W^T) v + b`` on the data."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.maximum(self.Xb @ W.T, 0.0) @ self.second_layer[:-1] + self.second_layer[-1]

    def _loss_objective(self, W, loss=None):
        """``(loss, objective)`` of the network ``(W, second_layer)`` (``loss`` if given)."""
        if loss is None:
            loss = self.loss.mean(self._output(W), self.y)
        obj = loss + self.ridge * float(np.einsum("ij,ij->", W, W)) if self.ridge else loss
        return loss, obj

    def _finish(self, A, W, mu, method, t0, n_iter, kkt, *, status="optimal", loss=None,
                D=None, sep=None, attempts=()):
        if not np.all(np.isfinite(W)):
            raise SolverFailedError(
                f"the solution of the subproblem ({method}) has first-layer weights beyond the "
                "float64 range in the data's units (the smallest feature column is of order "
                f"2^{int(self._col_e.min(initial=0))}); rescale X")
        loss, obj = self._loss_objective(W, loss)
        self.n_solves += 1
        W.flags.writeable = False
        mu.flags.writeable = False
        return SubproblemResult(W, float(loss), float(obj), mu, status, _ro(A), method,
                                time.perf_counter() - t0, int(n_iter), float(kkt),
                                None if D is None else _ro(D), None if sep is None else _ro(sep),
                                tuple(attempts))

    # ------------------------------------------------------------------ solve
    def solve(self, patterns: ArrayLike, *, warm_start: SubproblemResult | None = None) -> SubproblemResult:
        """Solve problem (3) at the vertex ``patterns``.

        Parameters
        ----------
        patterns : array_like of 0/1, shape (n_units, n_samples)
        warm_start : SubproblemResult, optional
            A solution at another (typically neighbouring) vertex of the same data;
            engines that can use it start from its multipliers.

        Returns
        -------
        SubproblemResult

        Raises
        ------
        InfeasibleSubproblemError
            A row of ``patterns`` is not a chamber (only with ``check=True``).
        SolverFailedError
            No engine produced a certified answer (the message lists each engine's
            residuals).

        Examples
        --------
        >>> S = SubproblemSolver([[0.0], [1.0], [2.0]], [1.0, 0.0, 0.0], [1.0, 0.0])
        >>> r = S.solve([[1, 0, 0]])
        >>> r.status, round(r.loss, 9), round(float(r.W[0, 1]), 9)   # w . (0, 1) = 1
        ('optimal', 0.0, 1.0)
        >>> S2 = SubproblemSolver([[0.0], [1.0], [2.0]], [1.0, 0.0, 1.0], [1.0, 0.0])
        >>> round(S2.solve([[1, 1, 0]]).loss, 6)  # x = 2 must stay inactive
        0.333333
        """
        A = self._pattern(patterns)
        if self.check:
            self._check_patterns_are_chambers(A)
        if warm_start is not None and not isinstance(warm_start, SubproblemResult):
            fail("warm_start", "SubproblemSolver.solve", "a SubproblemResult or None",
                 type(warm_start).__name__)
        t0 = time.perf_counter()
        live = self._live(A)
        if live.size == 0:
            W = np.zeros((self.n_units, self.p))
            return self._finish(A, W, np.zeros(A.shape), "trivial", t0, 0, 0.0)
        if self.loss.name == "mse" or self.loss.name not in ("logistic",):
            return self._solve_chain(A, live, self._problem(A, live), warm_start, t0)
        return self._solve_logistic(A, live, warm_start, t0)

    def _chain(self, problem, warm):
        from .qp import default_chain

        start = None if self.method == "fast" else self.method
        return default_chain(problem, warm, start=start)

    def _solve_chain(self, A, live, problem, warm_start, t0, **finish):
        from .qp import Settings, certify
        from .qp import solve as qp_solve

        warm = self._warm(warm_start, A, live) if warm_start is not None else None
        settings = Settings(cvxpy_solver=self.cvxpy_solver)
        if self.method == "cvxpy":
            return self._solve_reference(A, live, problem, settings, t0, certify, **finish)
        sol = qp_solve(problem, chain=self._chain(problem, warm), warm_start=warm,
                       settings=settings)
        W = self._to_W(sol.w, live)
        mu = self._to_multipliers(sol.multipliers, live)
        method = sol.engine if "lp" not in finish else "lp+" + sol.engine
        finish.pop("lp", None)
        return self._finish(A, W, mu, method, t0, sol.iterations, sol.certificate.stationarity,
                            attempts=sol.attempts, **finish)

    def _solve_reference(self, A, live, problem, settings, t0, certify, **finish):
        from .qp import ENGINES, GENERIC_ENGINES, EngineFailure

        engine = ENGINES.get(problem.kind, GENERIC_ENGINES)["cvxpy"]
        try:
            cand = engine(problem, None, settings=settings)
        except EngineFailure as exc:
            raise SolverFailedError(str(exc)) from None
        cert = certify(problem, cand.w, cand.multipliers)
        W = self._to_W(cand.w, live)
        mu = self._to_multipliers(cand.multipliers, live)
        status = finish.pop("status", "optimal")
        if cand.status == "optimal_inaccurate" and status == "optimal":
            status = "optimal_inaccurate"
        finish.pop("lp", None)
        return self._finish(A, W, mu, f"cvxpy-{cand.label}", t0, cand.iterations,
                            cert.stationarity, status=status, **finish)

    def _solve_logistic(self, A, live, warm_start, t0):
        from .qp.attainment import separable_examples

        problem = self._problem(A, live)
        N = self.n_samples
        sep = np.zeros(N, dtype=bool)
        D = None
        if self.ridge == 0:
            try:
                sep, Dl = separable_examples(problem.M, 2.0 * self.y - 1.0, problem.rows,
                                             problem.signs)
            except RuntimeError as exc:
                raise SolverFailedError(str(exc)) from None
        if not sep.any():
            return self._solve_chain(A, live, problem, warm_start, t0)
        D = self._to_W(Dl, live)
        nrm = float(np.linalg.norm(D))
        D = D / nrm if nrm > 0 and np.isfinite(nrm) else D
        keep = ~sep
        if not keep.any():
            W = np.zeros((self.n_units, self.p))
            return self._finish(A, W, np.zeros(A.shape), "lp", t0, 0, 0.0, status="unattained",
                                loss=0.0, D=D, sep=sep)
        problem = self._problem(A, live, keep)
        res = self._solve_chain(A, live, problem, warm_start, t0, status="unattained",
                                loss=None, D=D, sep=sep, lp=True)
        inf_loss = float(np.sum(self.loss.value(self._output(res.W)[keep], self.y[keep]))) / N
        obj = inf_loss + self.ridge * float(np.einsum("ij,ij->", res.W, res.W))
        object.__setattr__(res, "loss", inf_loss)
        object.__setattr__(res, "objective", obj)
        return res


def solve_subproblem(X: ArrayLike, y: ArrayLike, patterns: ArrayLike, second_layer: ArrayLike, *,
                     loss: str = "mse", ridge: float | ArrayLike = 0.0, bias: bool = True,
                     method: str = "fast", warm_start: SubproblemResult | None = None, check: bool = True,
                     cvxpy_solver: str = "CLARABEL") -> SubproblemResult:
    r"""Solve problem (3): the best first layer inside one vertex (one chamber per unit).

    .. math::

        \min_W \frac1N \sum_i \ell\Big(\sum_j v_j a_{ji} (w_j\cdot\bar x_i) + v_{m+1},
        y_i\Big) + \rho \|W\|_F^2
        \quad\text{s.t.}\quad (2a_{ji}-1)(w_j\cdot\bar x_i) \ge 0 .

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
        Targets (``loss="mse"``) or labels in {0, 1} (``loss="logistic"``).
    patterns : array_like of 0/1, shape (n_units, n_samples)
        The vertex of ``Z^n_units``: one chamber (0/1 activation pattern) per unit.
    second_layer : array_like, shape (n_units + 1,) or (n_units,)
        Fixed second layer: weights then output bias (``n_units`` entries: bias 0).
    loss : {"mse", "logistic"}
    ridge : float, default 0
        Explicit ridge ``rho``.  With the logistic loss and ``ridge=0`` the infimum may
        be unattained; it is then detected, reported (``status="unattained"``, a
        :class:`~relu.exceptions.UnattainedInfimumWarning`), and ``loss`` is the
        infimum.
    bias : bool, default True
        Units with a bias (``x_bar = (x, 1)``) or without (``x_bar = x``).
    method : {"fast", "daqp", "clarabel", "cvxpy"}
        See the module docstring; ``"cvxpy"`` is the Clarabel reference.
    warm_start : SubproblemResult, optional
    check : bool, default True
        Verify exactly that each row of ``patterns`` is a chamber.
    cvxpy_solver : str, default "CLARABEL"

    Returns
    -------
    SubproblemResult

    Raises
    ------
    InfeasibleSubproblemError
        A row of ``patterns`` is not a chamber (empty interior).
    SolverFailedError
        Every engine of the chain failed; the message lists their residuals.
    ValidationError
        Bad input; the message names the parameter.

    See Also
    --------
    SubproblemSolver : the reusable form (validation once, cached chamber checks).
    relu.qp : the engines, the certificate and the fallback chain.

    Notes
    -----
    The closed constraints always admit ``W = 0``, so "infeasible" means an empty
    interior: the pattern is not a vertex.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> r = solve_subproblem(X, [0.0, 0.0, 1.0, 2.0], [[0, 0, 1, 1]], [1.0, 0.0])
    >>> round(r.loss, 12), r.status
    (0.0, 'optimal')
    >>> ref = solve_subproblem(X, [0.0, 0.0, 1.0, 2.0], [[0, 0, 1, 1]], [1.0, 0.0],
    ...                        method="cvxpy")
    >>> abs(ref.loss - r.loss) < 1e-8
    True
    >>> r = solve_subproblem([[0.0], [1.0]], [0.0, 5.0], [[0, 0]], [1.0, 0.0])  # dead unit
    >>> r.W.tolist(), r.loss
    ([[0.0, 0.0]], 12.5)
    """
    S = SubproblemSolver(X, y, second_layer, loss=loss, ridge=ridge, bias=bias, method=method,
                         check=check, cvxpy_solver=cvxpy_solver)
    if warm_start is not None and not isinstance(warm_start, SubproblemResult):
        fail("warm_start", "solve_subproblem", "a SubproblemResult or None", type(warm_start).__name__)
    A = S._pattern(patterns, "solve_subproblem")
    with single_threaded_blas():  # small dense solves: BLAS threads cost more than they save
        res = S.solve(A, warm_start=warm_start)
    if res.status == "unattained":
        warnings.warn(f"the infimum {res.loss:.6g} of the logistic subproblem is not attained: "
                      f"{int(res.separable.sum())} example(s) are separable inside the pattern's "
                      "cone (||W|| -> inf along result.recession_direction); pass ridge > 0 for "
                      "an attained minimum", UnattainedInfimumWarning, stacklevel=2)
    return res
