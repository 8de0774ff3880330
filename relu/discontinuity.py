r"""Discontinuity of the global optimum for data not in general position, and Theorem 4.1.

For a data set ``D`` let ``L*(D)`` be the minimum mean squared error of a shallow ReLU
network with a fixed second layer.  Theorem 4.1 of Matena & Raffel (2022): if ``D`` is
in general position, ``L*`` is continuous at ``D`` (small perturbations keep the
zonotope's combinatorial type, and every vertex's convex problem (3) is continuous).
Without general position ``L*`` can jump, in two ways (Section 4.1):

1. the optimal vertex of the perturbed data ``D_eps`` is a vertex for ``D`` too, but
   its convex program jumps, because an affine dependency among its *active*
   examples is broken (:func:`affine_dependency_example`);
2. the optimal vertex of ``D_eps`` is *not* a vertex for ``D``: it appears when a
   face of the zonotope that is not a parallelepiped (here an octagon spanned by four
   collinear points) breaks up (:func:`new_vertex_example`).

Both examples are the toolkit's own (the paper's Appendix D was not available): one
unit with a bias, second layer ``(1, 0)``, ``D_eps = D + eps * direction``.  Their
values at ``eps = 0`` and their limits are proved in ``docs/hardness.md`` and checked by
exact ERM (:func:`loss_curve`, :func:`vertex_losses`).  :func:`continuity_study`
checks Theorem 4.1 on generic data with random perturbations inside the certified
radius of :func:`zonotope.perturbation_radius`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ._checks import check_rng, fail
from .subproblem import SubproblemSolver

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from numbers import Real

    from numpy.typing import ArrayLike

__all__ = [
    "VertexLosses",
    "vertex_losses",
    "DiscontinuityExample",
    "affine_dependency_example",
    "new_vertex_example",
    "discontinuity_examples",
    "LossCurve",
    "loss_curve",
    "ContinuityStudy",
    "continuity_study",
]


# ----------------------------------------------------------------------------- one unit
@dataclass(frozen=True, eq=False)
class VertexLosses:
    """The optimum of problem (3) at every vertex, for one unit with second layer ``(1, 0)``.

    Attributes
    ----------
    patterns : ndarray of uint8, shape (n_vertices, n_samples)
        Activation pattern of each chamber (= vertex of the zonotope).
    losses : ndarray of float64, shape (n_vertices,)
        Mean squared error ``(1/N) sum_i (max(0, w . x_i) - y_i)^2`` at the certified
        optimum ``w`` of the vertex's closed convex program.
    weights : ndarray of float64, shape (n_vertices, dim)
        Those optima (``dim = n_features + 1`` with a bias, the last entry).
    bias : bool
    engines : dict
        How many vertex problems each engine of :mod:`relu.qp` solved
        (:attr:`relu.SubproblemResult.method`: ``"fast"``, ``"daqp"``,
        ``"clarabel+polish"``, ...), i.e. passed the KKT certificate first.

    Examples
    --------
    >>> vl = vertex_losses([[0.0], [1.0], [2.0], [3.0]], [0.0, 0.0, 1.0, 3.0])
    >>> vl.n_vertices, round(vl.loss, 10), vl.best_pattern
    (8, 0.0, (0, 0, 1, 1))
    >>> round(vl.min_over(vl.patterns[:, 0] == 1), 6)   # best with the unit active on x = 0
    0.339286
    >>> vl.min_over([False] * 8)                         # an empty selection
    inf
    """

    patterns: np.ndarray
    losses: np.ndarray
    weights: np.ndarray
    bias: bool
    engines: dict = field(default_factory=dict)

    @property
    def n_vertices(self) -> int:
        """Number of vertices (chambers)."""
        return int(self.losses.shape[0])

    @property
    def loss(self) -> float:
        """``L*``: the smallest vertex optimum."""
        return float(self.losses.min())

    @property
    def best(self) -> int:
        """Index of the optimal vertex (the first one on ties)."""
        return int(np.argmin(self.losses))

    @property
    def best_pattern(self) -> tuple[int, ...]:
        """Activation pattern of the optimal vertex."""
        return tuple(int(v) for v in self.patterns[self.best])

    def min_over(self, mask: ArrayLike) -> float:
        """Smallest loss over the vertices selected by a boolean mask (``inf`` if none)."""
        m = np.asarray(mask, dtype=bool)
        return float(self.losses[m].min()) if m.any() else float("inf")


def vertex_losses(X: ArrayLike, y: ArrayLike, *, bias: bool = True,
                  max_chambers: int = 100_000) -> VertexLosses:
    """Solve the convex problem (3) of every vertex of one unit's zonotope (brute force).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact data; the chambers are enumerated exactly.
    y : array_like, shape (n_samples,)
    bias : bool, default True
        ``True``: the unit ``max(0, w . (x, 1))`` (chambers of the homogenised points);
        ``False``: ``max(0, w . x)`` (the central arrangement of the raw points).
    max_chambers : int
        Size limit of the enumeration.

    Returns
    -------
    VertexLosses
        ``L* = min`` of the per-vertex optima, for the network ``f(x) = max(0, w . x_bar)``
        (second layer ``(1, 0)``) and the mean squared error.

    Raises
    ------
    ValidationError
        Bad input (e.g. a zero point with ``bias=False``).
    TooLargeError
        More chambers than ``max_chambers``.
    SolverFailedError
        No engine's answer to a vertex problem passed the KKT certificate.

    Notes
    -----
    Every ``w`` lies in the closure of a chamber, and on a closed chamber with pattern
    ``a`` the loss is the convex quadratic ``sum_{a_i = 1} (w . x_i - y_i)^2 +
    sum_{a_i = 0} y_i^2`` under ``(2 a_i - 1) w . x_i >= 0``; so ``L*`` is the smallest
    optimum.  Each problem is solved by :class:`relu.SubproblemSolver` with the fixed
    second layer ``(1, 0)``: the one certified engine chain of :mod:`relu.qp` (fast
    path, DAQP, Clarabel, with polishing), whose answers are accepted only with a KKT
    certificate; otherwise :class:`SolverFailedError`.  The chambers come from the
    exact enumeration, so the solver only looks them up.  The loss is re-evaluated at
    the returned ``w``, so every entry of ``losses`` is attained (an upper bound on
    the vertex optimum within solver accuracy).  Brute force over every vertex,
    independent of exact ERM's pruning, symmetry reduction and executor: the oracle
    the reductions are checked against.

    Examples
    --------
    >>> vl = vertex_losses([[1, 0], [0, 1], [2, 0]], [1, 1, 0], bias=False)
    >>> vl.n_vertices, round(vl.loss, 9)       # x_0 and x_2 are parallel: 4 chambers
    (4, 0.266666667)
    """
    from zonotope import Arrangement, enumerate_chambers

    from ._checks import check_data, check_labels_vector

    func = "vertex_losses"
    if not isinstance(bias, (bool, np.bool_)):
        fail("bias", func, "a bool", repr(bias))
    Xv, Xf = check_data(X, func)
    yf = np.asarray(check_labels_vector(y, Xv.shape[0], func), dtype=np.float64)
    arr = Arrangement.from_points(Xv, homogenize=bool(bias))
    ch = enumerate_chambers(arr, max_chambers=max_chambers, interior_points=False)
    F = np.hstack([Xf, np.ones((Xf.shape[0], 1))]) if bias else Xf
    solver = SubproblemSolver(Xv, yf, [1.0, 0.0], bias=bool(bias), chambers=ch)
    P = (np.asarray(ch.sign_vectors) > 0).astype(np.uint8)
    W = np.empty((P.shape[0], F.shape[1]))
    L = np.empty(P.shape[0])
    used = {}
    for k in range(P.shape[0]):
        r = solver.solve(P[k][None])
        W[k] = r.W[0]
        used[r.method] = used.get(r.method, 0) + 1
        L[k] = float(np.mean((np.maximum(F @ W[k], 0.0) - yf) ** 2))
    for a in (P, L, W):
        a.flags.writeable = False
    return VertexLosses(P, L, W, bool(bias), used)


# ----------------------------------------------------------------------------- examples
@dataclass(frozen=True, eq=False)
class DiscontinuityExample:
    """A data set ``D_eps = base + eps * direction`` at which ``L*`` jumps at ``eps = 0``.

    One hidden unit with a bias, second layer ``(1, 0)``, mean squared error.

    Attributes
    ----------
    name : str
    mechanism : {1, 2}
        1: the optimal vertex exists at ``eps = 0`` but its convex program jumps;
        2: the optimal vertex of ``D_eps`` is not a vertex of ``D_0``.
    description : str
    base, direction : tuple of tuple of Fraction
        The points at ``eps = 0`` and their displacement per unit ``eps``.
    labels : tuple of Fraction
    value_at_zero : Fraction
        ``L*(D_0)``, proved in ``docs/hardness.md``.
    limit : Fraction
        ``L*(D_eps)`` for ``0 < eps < eps_max`` (so also the limit ``eps -> 0+``).
    eps_max : Fraction
    optimal_pattern : tuple of int
        The optimal activation pattern for ``0 < eps < eps_max``.
    dependency : tuple of int
        The points whose affine dependency the perturbation breaks.

    Examples
    --------
    >>> ex = affine_dependency_example()
    >>> ex.value_at_zero, ex.limit, ex.jump, ex.mechanism
    (Fraction(1, 6), Fraction(0, 1), Fraction(1, 6), 1)
    >>> ex.data(Fraction(1, 10)).tolist()
    [[0, 0], [1, Fraction(1, 10)], [2, 0], [0, -5]]
    >>> ex.y().tolist()
    [1.0, 2.0, 1.0, 0.0]
    """

    name: str
    mechanism: int
    description: str
    base: tuple
    direction: tuple
    labels: tuple
    value_at_zero: Fraction
    limit: Fraction
    eps_max: Fraction
    optimal_pattern: tuple
    dependency: tuple
    _witness: tuple = field(repr=False, default=())

    n_units = 1
    second_layer = (1, 0)
    loss = "mse"
    bias = True

    @property
    def jump(self) -> Fraction | float:
        """``value_at_zero - limit > 0``."""
        return self.value_at_zero - self.limit

    def data(self, eps: Fraction | int | float) -> np.ndarray:
        """``D_eps`` as an exact (object) array for exact ``eps``, float for a float ``eps``.

        Examples
        --------
        >>> new_vertex_example().data(0).tolist()
        [[0, 0], [1, 0], [2, 0], [Fraction(1, 2), 0], [1, -3]]
        """
        if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
            fail("eps", "DiscontinuityExample.data", "a real number", repr(eps))
        if isinstance(eps, (Fraction, numbers.Integral)):
            e = Fraction(eps)
            rows = [[_num(b + e * d) for b, d in zip(rb, rd)] for rb, rd in zip(self.base, self.direction)]
            return np.array(rows, dtype=object)
        e = float(eps)
        return np.array([[float(b) + e * float(d) for b, d in zip(rb, rd)]
                         for rb, rd in zip(self.base, self.direction)], dtype=np.float64)

    def y(self) -> np.ndarray:
        """The labels as ``float64``."""
        return np.array([float(v) for v in self.labels], dtype=np.float64)

    def witness_weights(self, eps: Fraction | int | float) -> list[Fraction | int | float]:
        """Exact ``w = (w_x, b)`` attaining ``limit`` on ``D_eps`` (``0 < eps < eps_max``).

        Examples
        --------
        >>> [str(v) for v in affine_dependency_example().witness_weights(Fraction(1, 10))]
        ['0', '10', '1']
        """
        e = Fraction(eps) if isinstance(eps, (Fraction, numbers.Integral)) else Fraction(float(eps))
        if not 0 < e < self.eps_max:
            fail("eps", "DiscontinuityExample.witness_weights", f"in (0, {self.eps_max})", repr(eps))
        return [_num(a + b / e) for a, b in self._witness]

    def exact_loss(self, eps: Fraction | int, w: Sequence[Fraction | int]) -> Fraction:
        """Exact mean loss of ``w`` on ``D_eps`` (exact ``eps`` and ``w``)."""
        X = self.data(Fraction(eps))
        tot = Fraction(0)
        for row, t in zip(X, self.labels):
            z = sum((Fraction(a) * Fraction(b) for a, b in zip(list(row) + [1], w)), Fraction(0))
            tot += (max(z, Fraction(0)) - t) ** 2
        return tot / len(self.labels)


def _num(v):
    v = Fraction(v)
    return v.numerator if v.denominator == 1 else v


def _rows(rows):
    return tuple(tuple(Fraction(v) for v in r) for r in rows)


def affine_dependency_example() -> DiscontinuityExample:
    """Mechanism 1: three collinear active points; their affine dependency is broken.

    ``D_eps``: ``(0, 0), (1, eps), (2, 0), (0, -5)`` with labels ``1, 2, 1, 0``.

    Returns
    -------
    DiscontinuityExample

    Notes
    -----
    At ``eps = 0`` the first three points lie on the line ``y = 0``, where any unit is
    ``max(0, a + b x)``: the best fit of the labels ``1, 2, 1`` at ``x = 0, 1, 2`` is the
    constant ``4/3`` (squared residuals ``1/9 + 4/9 + 1/9``), and ``(0, -5)`` is switched
    off by the free ``y``-slope: ``L* = (2/3) / 4 = 1/6``.  For ``0 < eps < 5`` the unit
    ``1 + y / eps`` fits all four points exactly: ``L* = 0``.  The optimal pattern
    ``(1, 1, 1, 0)`` is a chamber for every ``eps`` (mechanism 1); the jump is one-sided
    (for ``eps < 0`` the slope ``1/eps`` would switch ``(0, -5)`` on).

    Examples
    --------
    >>> ex = affine_dependency_example()
    >>> ex.exact_loss(Fraction(1, 3), ex.witness_weights(Fraction(1, 3)))
    Fraction(0, 1)
    """
    return DiscontinuityExample(
        "affine_dependency", 1,
        "three collinear active examples (0,0), (1,eps), (2,0) with labels 1, 2, 1: the convex problem of "
        "the optimal vertex (1,1,1,0) jumps from 1/6 to 0 when eps > 0",
        _rows([[0, 0], [1, 0], [2, 0], [0, -5]]), _rows([[0, 0], [0, 1], [0, 0], [0, 0]]),
        (Fraction(1), Fraction(2), Fraction(1), Fraction(0)),
        Fraction(1, 6), Fraction(0), Fraction(5), (1, 1, 1, 0), (0, 1, 2),
        ((Fraction(0), Fraction(0)), (Fraction(0), Fraction(1)), (Fraction(1), Fraction(0))))


def new_vertex_example() -> DiscontinuityExample:
    """Mechanism 2: an octagonal face (four collinear points) breaks up into a new vertex.

    ``D_eps``: ``(0, 0), (1, eps), (2, 0), (1/2, -2 eps), (1, -3)`` with labels
    ``1, 3, 1, 0, 2``.

    Returns
    -------
    DiscontinuityExample

    Notes
    -----
    At ``eps = 0`` the first four points are collinear (their homogenised vectors span
    a plane: an octagonal 2-face of the zonotope).  On the line a unit is
    ``max(0, a + b x)``; the best fit of ``1, 0, 3, 1`` at ``x = 0, 1/2, 1, 2`` is the
    least-squares line ``1 + 2x/7`` (all active, squared error ``32/7``), and
    ``(1, -3)`` is fitted exactly by the free ``y``-slope: ``L* = 32/35``.  For
    ``eps > 0`` the unit ``1 + 2 y / eps`` fits the points 0, 1, 2 exactly, is ``-3`` at
    ``(1/2, -2 eps)`` and negative at ``(1, -3)`` (which costs ``2^2``): loss ``4/5``.
    Its pattern ``(1, 1, 1, 0, 0)`` switches off a point between two active ones on the
    line: not a chamber at ``eps = 0`` (mechanism 2).  Every vertex that does exist at
    ``eps = 0`` keeps an optimum above ``32/35 - O(eps)`` (checked by
    :func:`loss_curve`), so the jump ``4/35`` is carried by the new vertex alone.

    Examples
    --------
    >>> ex = new_vertex_example()
    >>> ex.value_at_zero, ex.limit, ex.jump
    (Fraction(32, 35), Fraction(4, 5), Fraction(4, 35))
    >>> ex.exact_loss(Fraction(1, 100), ex.witness_weights(Fraction(1, 100)))
    Fraction(4, 5)
    """
    return DiscontinuityExample(
        "new_vertex", 2,
        "four collinear examples (0,0), (1,eps), (2,0), (1/2,-2eps) with labels 1, 3, 1, 0: for eps > 0 the "
        "optimal vertex (1,1,1,0,0) switches off a point between two active ones, impossible at eps = 0",
        _rows([[0, 0], [1, 0], [2, 0], [Fraction(1, 2), 0], [1, -3]]),
        _rows([[0, 0], [0, 1], [0, 0], [0, -2], [0, 0]]),
        (Fraction(1), Fraction(3), Fraction(1), Fraction(0), Fraction(2)),
        Fraction(32, 35), Fraction(4, 5), Fraction(1, 2), (1, 1, 1, 0, 0), (0, 1, 2, 3),
        ((Fraction(0), Fraction(0)), (Fraction(0), Fraction(2)), (Fraction(1), Fraction(0))))


def discontinuity_examples() -> tuple[DiscontinuityExample, ...]:
    """Both examples, mechanism 1 then mechanism 2.

    Examples
    --------
    >>> [ex.name for ex in discontinuity_examples()]
    ['affine_dependency', 'new_vertex']
    """
    return (affine_dependency_example(), new_vertex_example())


# ----------------------------------------------------------------------------- curves
@dataclass(frozen=True, eq=False)
class LossCurve:
    """``L*(D_eps)`` of a :class:`DiscontinuityExample` along ``eps``, vertex by vertex.

    Attributes
    ----------
    example : DiscontinuityExample
    eps : ndarray of float64, shape (n_eps,)
    loss : ndarray of float64
        ``L*(D_eps)`` (exact ERM over all vertices).
    old_min : ndarray of float64
        Smallest vertex optimum over the vertices that are also vertices at ``eps = 0``.
    new_min : ndarray of float64
        Over the vertices that are not (``inf`` when there are none).
    optimal_pattern : list of tuple
    optimal_is_new : ndarray of bool
        Whether the optimal vertex at ``eps`` is absent at ``eps = 0``.
    n_vertices : ndarray of int
    value_at_zero : float
        ``L*(D_0)`` by exact ERM.
    n_vertices_at_zero : int

    Examples
    --------
    >>> c = loss_curve(affine_dependency_example(), [Fraction(1, 10)])
    >>> round(c.value_at_zero, 9), round(float(c.loss[0]), 9), c.optimal_pattern[0]
    (0.166666667, 0.0, (1, 1, 1, 0))
    >>> c.n_vertices_at_zero, c.n_vertices.tolist(), c.new_min.tolist()
    (12, [14], [0.5])
    """

    example: DiscontinuityExample
    eps: np.ndarray
    loss: np.ndarray
    old_min: np.ndarray
    new_min: np.ndarray
    optimal_pattern: list
    optimal_is_new: np.ndarray
    n_vertices: np.ndarray
    value_at_zero: float
    n_vertices_at_zero: int


def loss_curve(example: DiscontinuityExample, eps_values: Iterable[Real]) -> LossCurve:
    """Exact ERM of an example at every ``eps``, split into old and new vertices.

    Parameters
    ----------
    example : DiscontinuityExample
    eps_values : array_like of float or Fraction
        Non-zero values (``eps = 0`` is always computed as the reference).

    Returns
    -------
    LossCurve

    Examples
    --------
    >>> c = loss_curve(new_vertex_example(), [Fraction(1, 100), Fraction(-1, 100)])
    >>> round(c.value_at_zero, 9), np.round(c.loss, 9).tolist(), c.optimal_is_new.tolist()
    (0.914285714, [0.8, 0.910439308], [True, False])
    """
    func = "loss_curve"
    if not isinstance(example, DiscontinuityExample):
        fail("example", func, "a DiscontinuityExample", type(example).__name__)
    eps = list(eps_values)
    if not eps or any(isinstance(e, bool) or not isinstance(e, numbers.Real) or e == 0 for e in eps):
        fail("eps_values", func, "a non-empty sequence of non-zero numbers", repr(eps_values))
    y = example.y()
    v0 = vertex_losses(example.data(Fraction(0)), y)
    old = {p.tobytes() for p in v0.patterns}
    losses, omin, nmin, pats, isnew, nv = [], [], [], [], [], []
    for e in eps:
        vl = vertex_losses(example.data(e), y)
        mask = np.array([p.tobytes() in old for p in vl.patterns])
        losses.append(vl.loss)
        omin.append(vl.min_over(mask))
        nmin.append(vl.min_over(~mask))
        pats.append(vl.best_pattern)
        isnew.append(not bool(mask[vl.best]))
        nv.append(vl.n_vertices)
    f = lambda a, t=np.float64: np.array(a, dtype=t)  # noqa: E731
    return LossCurve(example, f([float(e) for e in eps]), f(losses), f(omin), f(nmin), pats, f(isnew, bool),
                     f(nv, np.int64), v0.loss, v0.n_vertices)


# ----------------------------------------------------------------------------- Theorem 4.1
@dataclass(frozen=True, eq=False)
class ContinuityStudy:
    """Exact ERM on a data set and on random perturbations of it (Theorem 4.1).

    Attributes
    ----------
    eps : ndarray of float64, shape (n_eps,)
        Perturbation sizes (each point moves by at most ``eps``).
    base_loss : float
        ``L*(D)``.
    losses : ndarray of float64, shape (n_eps, n_samples)
        ``L*(D_eps)`` of each random perturbation.
    equivalent : ndarray of bool, shape (n_eps, n_samples)
        Whether the perturbation kept the combinatorial type (same chirotope, hence the
        same activation patterns), decided exactly.
    radius : zonotope.PerturbationRadius
        Certified and exact perturbation radius of ``D``.
    is_generic : bool
        Whether ``D`` is in general position.

    Examples
    --------
    >>> st = continuity_study([[0.0], [1.0], [3.0]], [1.0, 2.0, 0.5], [1e-3], n_samples=2, rng=0)
    >>> st.is_generic, st.losses.shape, bool(st.deviation[0] < 1e-2)
    (True, (1, 2), True)
    """

    eps: np.ndarray
    base_loss: float
    losses: np.ndarray
    equivalent: np.ndarray
    radius: object
    is_generic: bool

    @property
    def deviation(self) -> np.ndarray:
        """``max_samples |L*(D_eps) - L*(D)|`` per ``eps``."""
        return np.max(np.abs(self.losses - self.base_loss), axis=1)

    @property
    def lipschitz_ratio(self) -> np.ndarray:
        """``deviation / eps`` per ``eps``: bounded as ``eps -> 0`` when ``L*`` is Lipschitz."""
        return self.deviation / self.eps


def continuity_study(X: ArrayLike, y: ArrayLike, eps_values: ArrayLike, *, n_units: int = 1,
                     second_layer: ArrayLike | None = None, n_samples: int = 5,
                     rng: int | np.random.Generator | None = None) -> ContinuityStudy:
    """``|L*(D_eps) - L*(D)|`` over random perturbations of each size (exact ERM throughout).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like
    eps_values : array_like of float
        Positive perturbation sizes.
    n_units : int, default 1
    second_layer : array_like, optional
        Default: :func:`relu.exact_erm`'s ``(+1, -1, ..., 0)``.
    n_samples : int, default 5
        Random perturbations per size (:func:`zonotope.random_perturbation`).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ContinuityStudy

    Notes
    -----
    For data in general position and ``eps`` below the perturbation radius the type is
    kept (``equivalent`` is all true) and Theorem 4.1 predicts ``deviation -> 0``; here
    it even decreases linearly (bounded :attr:`ContinuityStudy.lipschitz_ratio`).
    Exact ERM is :func:`vertex_losses` for one unit with second layer ``(1, 0)`` (the
    default for ``n_units=1``), :func:`relu.exact_erm` otherwise.  Cost:
    ``1 + n_eps * n_samples`` exact ERM runs.

    Examples
    --------
    >>> X = [[0.0, 0.0], [1.0, 0.2], [2.0, 1.0], [0.5, 2.0], [-1.0, 1.0], [1.5, -1.0]]
    >>> st = continuity_study(X, [0.0, 1.0, 0.0, 2.0, 1.0, 3.0], [1e-2, 1e-4], n_samples=2, rng=0)
    >>> bool(st.equivalent.all()), bool(st.deviation[1] < st.deviation[0] < 1e-3)
    (True, True)
    """
    from zonotope import (
        are_combinatorially_equivalent,
        is_in_general_position,
        perturbation_radius,
        random_perturbation,
    )

    from ._checks import check_data, check_labels_vector
    from .exact_erm import exact_erm

    func = "continuity_study"
    Xv, Xf = check_data(X, func)
    yv = check_labels_vector(y, Xv.shape[0], func)
    eps = np.asarray([float(e) for e in eps_values], dtype=np.float64)
    if eps.ndim != 1 or eps.size == 0 or not np.all(eps > 0):
        fail("eps_values", func, "a non-empty sequence of positive numbers", repr(eps_values))
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 1:
        fail("n_samples", func, "a positive int", repr(n_samples))
    gen = check_rng(rng)

    v = None if second_layer is None else [float(t) for t in np.ravel(second_layer)]
    one_unit = n_units == 1 and (v is None or v in ([1.0], [1.0, 0.0]))

    def erm(Z):
        if one_unit:   # the certified vertex oracle: robust on nearly degenerate data
            return vertex_losses(Z, yv).loss
        return exact_erm(Z, yv, n_units, second_layer, progress=False).loss

    base = erm(Xf)
    L = np.empty((eps.size, int(n_samples)))
    E = np.empty((eps.size, int(n_samples)), dtype=bool)
    for a, e in enumerate(eps):
        for b in range(int(n_samples)):
            Xp = random_perturbation(Xf, e, rng=gen)
            L[a, b] = erm(Xp)
            E[a, b] = bool(are_combinatorially_equivalent(Xf, Xp))
    return ContinuityStudy(eps, float(base), L, E, perturbation_radius(Xf), bool(is_in_general_position(Xv)))
