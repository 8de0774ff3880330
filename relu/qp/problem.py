r"""The per-vertex convex programs: a smooth convex objective under sign constraints.

Every program solved at a vertex (one chamber per hidden unit) has the form

.. math::

    \min_{w = (w_1, \dots, w_L)}\; f(w)
    \quad\text{s.t.}\quad s_{ki}\, u_i \cdot w_k \ge 0
    \qquad (k = 1..L,\ i = 1..R),

with ``w_k in R^p`` the first-layer weights of the ``L`` *live* units (nonzero second
layer weight, some active example), unit-norm constraint rows ``u_i`` (the data
points, homogenised for units with a bias, divided by their norms: slacks are then
distances) and signs ``s_ki = 2 a_ki - 1`` of the activation pattern.  The constraint
matrix ``G`` is block diagonal.  Two objectives:

* :class:`LeastSquaresProblem` (``kind = "mse"``):
  ``f(w) = (1/N) ||M w - r||^2 + rho ||w||^2``, a QP;
* :class:`LossProblem` (``kind = loss.name``, e.g. ``"logistic"``):
  ``f(w) = (1/N) sum_{i in kept} l((M w)_i + b, y_i) + rho ||w||^2`` for a convex
  per-example loss ``l`` (:class:`relu.losses.Loss`).

``M`` is the masked design matrix (row ``i``, block ``k``: ``v_k a_ki x_bar_i``).
The ridge weight ``rho`` may be a vector (one weight per variable: the ridge of a
problem whose variables were rescaled, see :mod:`relu.subproblem`).  The
problems know their objective, gradient, Hessian and a *gradient scale* (the size of
the terms summed in the gradient, used to make the KKT certificate relative, see
:mod:`relu.qp.certificates`); engines (:mod:`relu.qp.chain`) only read them.

Examples
--------
>>> import numpy as np
>>> rows = np.array([[0.0, 1.0], [0.6, 0.8]])        # unit rows u_i
>>> P = LeastSquaresProblem(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 1.0]),
...                         rows, np.array([[-1.0, 1.0]]))
>>> P.n_units, P.n_rows, P.n_vars
(1, 2, 2)
>>> P.slack(np.array([1.0, -0.5])).round(12).tolist()     # s_ki u_i . w_k
[[0.5, 0.2]]
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse
    from numpy.typing import ArrayLike

    from ..losses import Loss

__all__ = ["SignConstrainedProblem", "LeastSquaresProblem", "LossProblem"]


def _ro(a, dtype=np.float64):
    a = np.array(a, dtype=dtype, copy=True)
    a.flags.writeable = False
    return a


def _scaled_factor(H):
    """``(D, C)``: Jacobi scaling and Cholesky factor of ``D H D + n eps I`` (see above)."""
    from scipy.linalg import lapack

    n = H.shape[0]
    d = np.diag(H).copy()
    dmax = float(d.max(initial=0.0))
    D = 1.0 / np.sqrt(np.maximum(d, 1e-30 * dmax)) if dmax > 0 else np.ones(n)
    Hs = H * D[:, None] * D[None, :]
    Hs[np.diag_indices(n)] += max(n, 1) * np.finfo(np.float64).eps
    C, info = lapack.dpotrf(Hs, lower=0, clean=1)
    if info != 0:
        raise np.linalg.LinAlgError("the regularised Hessian is not positive definite")
    D.flags.writeable = False
    C.flags.writeable = False
    return D, C


def _ridge(ridge, n):
    """Ridge weights as a read-only vector of length ``n`` (a scalar is broadcast)."""
    if isinstance(ridge, np.ndarray) and not ridge.flags.writeable and ridge.shape == (n,) \
            and ridge.dtype == np.float64:
        return ridge                 # already validated (e.g. another problem's ridge)
    r = np.broadcast_to(np.asarray(ridge, dtype=np.float64), (n,)).copy()
    if not np.isfinite(r).all() or (r < 0).any():
        raise ValueError("ridge weights must be finite and non-negative")
    r.flags.writeable = False
    return r


class SignConstrainedProblem:
    """Base class: the constraint data ``s_ki u_i . w_k >= 0`` and its linear algebra.

    Parameters
    ----------
    rows : ndarray, shape (n_rows, p)
        Unit-norm constraint rows ``u_i``.
    signs : ndarray, shape (n_units, n_rows)
        ``+1`` (active: ``u_i . w_k >= 0``) or ``-1`` (inactive: ``<= 0``).
    essential : ndarray of bool, shape (n_units, n_rows), optional
        Rows that define each unit's cone on their own -- e.g. the facets of the
        unit's chamber, decided exactly by the caller; the other rows are implied by
        them.  Engines may solve on these rows only (:attr:`essential_rows`); the
        certificate always checks every row.  Default: all rows.

    Notes
    -----
    Instances are immutable (read-only arrays); derived matrices are cached.
    Subclasses set :attr:`kind` and implement :meth:`objective`, :meth:`gradient`,
    :meth:`hessian`, :meth:`gradient_scale` and :meth:`minimize_on_subspace`.

    Examples
    --------
    >>> import numpy as np
    >>> P = SignConstrainedProblem(np.eye(2), np.array([[1.0, -1.0]]))
    >>> P.slack(np.array([2.0, 3.0])).tolist(), (P.constraint_matrix + 0.0).tolist()
    ([[2.0, -3.0]], [[1.0, 0.0], [0.0, -1.0]])
    """

    kind = "abstract"

    def __init__(self, rows: ArrayLike, signs: ArrayLike, *, essential: ArrayLike | None = None):
        self.rows = _ro(rows)
        self.signs = _ro(signs)
        if self.signs.ndim != 2 or self.rows.ndim != 2 or self.signs.shape[1] != self.rows.shape[0]:
            raise ValueError("signs must have shape (n_units, n_rows) and rows (n_rows, p)")
        self.essential = None if essential is None else _ro(essential, bool)
        if self.essential is not None and self.essential.shape != self.signs.shape:
            raise ValueError("essential must have the shape (n_units, n_rows) of signs")

    @property
    def essential_rows(self) -> np.ndarray:
        """Boolean mask ``(n_units, n_rows)`` of the rows an engine must keep (all by default).

        The cone of unit ``k`` is ``{w_k : s_ki u_i . w_k >= 0 for the essential i}``:
        the other rows are implied, so an engine may leave them out (its multipliers
        there are 0).  Certificates always check every row.
        """
        if self.essential is None:
            return np.ones(self.signs.shape, dtype=bool)
        return self.essential

    # ------------------------------------------------------------ sizes
    @property
    def n_units(self) -> int:
        """Number ``L`` of (live) units: blocks of variables."""
        return self.signs.shape[0]

    @property
    def n_rows(self) -> int:
        """Number ``R`` of constraint rows per unit."""
        return self.rows.shape[0]

    @property
    def p(self) -> int:
        """Variables per unit."""
        return self.rows.shape[1]

    @property
    def n_vars(self) -> int:
        """Number of variables ``L p``."""
        return self.n_units * self.p

    # ------------------------------------------------------------ constraints
    def slack(self, w: ArrayLike) -> np.ndarray:
        """Slacks ``s_ki u_i . w_k``, shape (n_units, n_rows)."""
        return self.signs * (np.reshape(w, (self.n_units, self.p)) @ self.rows.T)

    def Gt(self, mu: ArrayLike) -> np.ndarray:
        """``G^T mu`` (shape (n_vars,)) for multipliers ``mu`` of shape (n_units, n_rows)."""
        return ((self.signs * mu) @ self.rows).reshape(-1)

    @cached_property
    def constraint_matrix(self) -> np.ndarray:
        """Dense block-diagonal ``G`` of shape ``(n_units * n_rows, n_vars)`` (row ``k R + i``)."""
        L, R, p = self.n_units, self.n_rows, self.p
        G = np.zeros((L, R, L, p))
        ar = np.arange(L)
        G[ar, :, ar, :] = self.signs[:, :, None] * self.rows[None, :, :]
        G = G.reshape(L * R, L * p)
        G.flags.writeable = False
        return G

    @cached_property
    def constraint_matrix_sparse(self) -> scipy.sparse.csr_matrix:
        """``G`` as a ``scipy.sparse`` CSR matrix."""
        import scipy.sparse as sp

        L, R, p = self.n_units, self.n_rows, self.p
        data = (self.signs[:, :, None] * self.rows[None, :, :]).reshape(-1)
        r_idx = np.repeat(np.arange(L * R), p)
        c_idx = np.broadcast_to(np.arange(L)[:, None, None] * p + np.arange(p), (L, R, p)).reshape(-1)
        return sp.csr_matrix((data, (r_idx, c_idx)), shape=(L * R, L * p))

    # ------------------------------------------------------------ objective (abstract)
    def objective(self, w: ArrayLike) -> float:  # pragma: no cover - abstract
        """Objective value at ``w`` (implemented by the subclasses)."""
        raise NotImplementedError

    def gradient(self, w: ArrayLike) -> np.ndarray:  # pragma: no cover - abstract
        """Gradient of the objective at ``w`` (implemented by the subclasses)."""
        raise NotImplementedError

    def hessian(self, w: ArrayLike | None = None) -> np.ndarray:  # pragma: no cover - abstract
        """Hessian of the objective at ``w`` (implemented by the subclasses)."""
        raise NotImplementedError

    def gradient_scale(self, w: ArrayLike) -> float:  # pragma: no cover - abstract
        """Size of the terms summed in the gradient at ``w`` (implemented by the subclasses)."""
        raise NotImplementedError

    def minimize_on_subspace(self, w_ref: ArrayLike,
                             Z: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Exact minimiser on ``w_ref + range(Z)`` (implemented by the subclasses)."""
        raise NotImplementedError

    # ------------------------------------------------------------ scales (shared)
    @cached_property
    def output_gain(self) -> float:
        """``max_{i,k} ||M_{i,k}||``: how much the output moves per unit of slack.

        A slack violation ``delta`` of unit ``k`` at example ``i`` changes the network
        output there by at most ``|v_k| ||x_bar_i|| delta``, which is the norm of the
        ``(i, k)`` block of ``M`` for an active example.
        """
        M = self.M.reshape(self.M.shape[0], self.n_units, self.p)
        g = float(np.sqrt(np.einsum("ikp,ikp->ik", M, M)).max(initial=0.0))
        return g if g > 0 else 1.0

    @cached_property
    def _value0(self):
        return self.objective(np.zeros(self.n_vars))

    def value_scale(self, w: ArrayLike) -> float:
        """Scale of objective values: ``max(f(0), f(w))`` (``f(0)`` bounds the optimum)."""
        v = max(self._value0, self.objective(w))
        return v if v > 0 else np.finfo(np.float64).tiny

    # ------------------------------------------------------------ Newton decrement (shared)
    def decrement(self, w: ArrayLike, rho: ArrayLike) -> float:
        """``rho^T H(w)^+ rho`` for a gradient residual ``rho``.

        Twice the objective decrease a Newton step along ``rho`` could still make.
        Computed from the Cholesky factor of the Jacobi-scaled Hessian plus ``n eps``
        times its diagonal (:meth:`scaled_factor`); ``inf`` when the Hessian is not
        available (a loss without one) or not positive semidefinite in floating point.
        """
        try:
            D, C = self.scaled_factor(w)
        except (NotImplementedError, np.linalg.LinAlgError):
            return float("inf")
        from scipy.linalg import lapack

        z, info = lapack.dtrtrs(C, D * rho, lower=0, trans=1)    # C^T z = D rho
        if info != 0:  # pragma: no cover - C is a successful Cholesky factor
            return float("inf")
        return float(z @ z)

    def scaled_factor(self, w: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(D, C)`` with ``D = diag(H)^(-1/2)`` and ``C^T C = D H D + n eps I`` (upper).

        Raises
        ------
        numpy.linalg.LinAlgError
            The regularised matrix is not positive definite (numerically).
        """
        return _scaled_factor(self.hessian(w))

    # ------------------------------------------------------------ ridge (shared)
    @cached_property
    def has_ridge(self) -> bool:
        """Whether any ridge weight is positive."""
        return bool((self.ridge > 0).any())

    def ridge_value(self, w: ArrayLike) -> float:
        """``sum_j rho_j w_j^2``."""
        return float(np.sum(self.ridge * w * w)) if self.has_ridge else 0.0

    def ridge_gradient_norm(self, w: ArrayLike) -> float:
        """``||2 rho w||``."""
        return 2.0 * float(np.linalg.norm(self.ridge * w)) if self.has_ridge else 0.0

    def __repr__(self):
        return (f"{type(self).__name__}(n_units={self.n_units}, n_rows={self.n_rows}, "
                f"p={self.p})")


class LeastSquaresProblem(SignConstrainedProblem):
    r"""``min (1/N) ||M w - r||^2 + sum_j rho_j w_j^2`` under the sign constraints (a QP).

    Parameters
    ----------
    M : ndarray, shape (N, n_units * p)
        Masked design matrix.
    r : ndarray, shape (N,)
        Targets minus the output bias.
    rows, signs
        See :class:`SignConstrainedProblem`.
    ridge : float or ndarray of shape (n_units * p,), default 0
    gram : ndarray of shape (n_units * p, n_units * p), optional
        ``(2/N) M^T M`` if already known (e.g. updated from a neighbouring vertex's);
        it only steers the engines -- gradients and objectives are computed from ``M``.
    essential : ndarray of bool, shape (n_units, n_rows), optional
        See :class:`SignConstrainedProblem`.

    Examples
    --------
    >>> import numpy as np
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))
    >>> P.objective(np.zeros(2)), P.gradient(np.zeros(2)).tolist()
    (1.0, [-1.0, 1.0])
    >>> P.restrict([0]).n_units
    1

    What the engines and the certificate read: the Hessian ``(2/N) M^T M``, its
    scaled factor, ``G^T mu``, the variables of a unit, the scales that make the KKT
    residuals relative, the Newton decrement ``rho^T H^+ rho``, and the minimiser on
    an affine subspace:

    >>> P.hessian().tolist(), P.columns(np.array([0])).tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [0, 1])
    >>> D, C = P.scaled_factor()
    >>> D.tolist(), C.round(12).tolist()          # C^T C = D H D + n eps I
    ([1.0, 1.0], [[1.0, 0.0], [0.0, 1.0]])
    >>> P.Gt(np.array([[1.0, 2.0]])).tolist()
    [1.0, 2.0]
    >>> w0 = np.zeros(2)
    >>> round(P.gradient_scale(w0), 12), P.value_scale(w0), round(P.decrement(w0, P.gradient(w0)), 12)
    (2.0, 1.0, 2.0)
    >>> P.minimize_on_subspace(w0, np.array([[1.0], [0.0]])).tolist()   # along w_1 only
    [1.0, 0.0]
    >>> Q = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]), ridge=0.25)
    >>> Q.ridge_value(np.array([2.0, 0.0])), Q.ridge_gradient_norm(np.array([2.0, 0.0]))
    (1.0, 1.0)
    """

    kind = "mse"

    def __init__(self, M: ArrayLike, r: ArrayLike, rows: ArrayLike, signs: ArrayLike,
                 ridge: float | ArrayLike = 0.0, *, gram: np.ndarray | None = None,
                 essential: ArrayLike | None = None):
        super().__init__(rows, signs, essential=essential)
        self.M = _ro(M)
        self.r = _ro(r)
        if self.M.shape != (self.r.shape[0], self.n_vars):
            raise ValueError("M must have shape (N, n_units * p)")
        self.ridge = _ridge(ridge, self.n_vars)
        self._gram = None if gram is None else np.asarray(gram, dtype=np.float64)

    def columns(self, units: ArrayLike) -> np.ndarray:
        """Indices of the variables of ``units``."""
        units = np.asarray(units, dtype=np.intp)
        return (units[:, None] * self.p + np.arange(self.p)).reshape(-1)

    def restrict(self, units: ArrayLike) -> LeastSquaresProblem:
        """The same problem on a subset of the units (the others held at ``w_k = 0``)."""
        units = np.asarray(units, dtype=np.intp)
        cols = self.columns(units)
        gram = self._hessian[np.ix_(cols, cols)] - 2.0 * np.diag(self.ridge[cols]) \
            if "_hessian" in self.__dict__ or self._gram is not None else None
        return LeastSquaresProblem(self.M[:, cols], self.r, self.rows, self.signs[units],
                                   self.ridge[cols], gram=gram,
                                   essential=None if self.essential is None
                                   else self.essential[units])

    @property
    def n_samples(self) -> int:
        """Number ``N`` of examples in the mean."""
        return self.M.shape[0]

    @cached_property
    def output_scale(self) -> float:
        """Scale of the outputs that matter: ``max |r_i|``.

        A slack violation whose effect on the output is ``rtol`` times this is negligible.
        """
        s = float(np.max(np.abs(self.r), initial=0.0))
        return s if s > 0 else 1.0

    def objective(self, w: ArrayLike) -> float:
        """``(1/N) ||M w - r||^2 + sum_j rho_j w_j^2`` (a Python float)."""
        res = self.M @ w - self.r
        return float(res @ res) / self.n_samples + self.ridge_value(w)

    def gradient(self, w: ArrayLike) -> np.ndarray:
        """``(2/N) M^T (M w - r) + 2 rho w``."""
        g = (2.0 / self.n_samples) * ((self.M @ w - self.r) @ self.M)
        if self.has_ridge:
            g = g + 2.0 * self.ridge * w
        return g

    @cached_property
    def _hessian(self):
        if self._gram is not None:
            H = np.array(self._gram, dtype=np.float64)
        else:
            H = (2.0 / self.n_samples) * (self.M.T @ self.M)
        if self.has_ridge:
            H[np.diag_indices_from(H)] += 2.0 * self.ridge
        H.flags.writeable = False
        return H

    def hessian(self, w: ArrayLike | None = None) -> np.ndarray:
        """``(2/N) M^T M + 2 diag(rho)`` (constant; cached, read-only)."""
        return self._hessian

    @cached_property
    def _factor(self):
        return _scaled_factor(self._hessian)

    def scaled_factor(self, w: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(D, C)`` of :meth:`SignConstrainedProblem.scaled_factor` (constant; cached)."""
        return self._factor

    @cached_property
    def linear_term(self) -> np.ndarray:
        """``f = -(2/N) M^T r``: the objective is ``1/2 w^T H w + f^T w + const``."""
        f = -(2.0 / self.n_samples) * (self.M.T @ self.r)
        f.flags.writeable = False
        return f

    @cached_property
    def _norms(self):
        M, r = self.M.reshape(-1), self.r
        return (float(np.sqrt(M @ M)), float(np.sqrt(r @ r)))

    def gradient_scale(self, w: ArrayLike) -> float:
        """Size of the terms summed in the gradient: ``(2/N)||M||(||M|| ||w|| + ||r||) + ||2 rho w||``.

        Rounding errors of the gradient are a small multiple of it; the certificate's
        stationarity residual is measured relative to it.
        """
        nM, nr = self._norms
        nw = float(np.sqrt(w @ w))
        return (2.0 / self.n_samples) * nM * (nM * nw + nr) + self.ridge_gradient_norm(w)

    def minimize_on_subspace(self, w_ref: ArrayLike, Z: np.ndarray) -> np.ndarray:
        """Minimiser of the objective over ``w_ref + range(Z)``, closest to ``w_ref``.

        ``Z`` (n_vars, k) has orthonormal columns.  Solved as a least-squares problem in
        ``M Z`` (not through ``Z^T H Z``, which would square its condition number);
        along flat directions the minimum-norm correction is taken.
        """
        MZ = self.M @ Z
        rhs = self.r - self.M @ w_ref
        if self.has_ridge:
            s = np.sqrt(self.n_samples * self.ridge)
            MZ = np.vstack([MZ, s[:, None] * Z])
            rhs = np.r_[rhs, -s * w_ref]
        z, *_ = np.linalg.lstsq(MZ, rhs, rcond=None)
        return w_ref + Z @ z


class LossProblem(SignConstrainedProblem):
    r"""``min (1/N) sum_{i in kept} l((M w)_i + b, y_i) + sum_j rho_j w_j^2`` for a convex loss.

    Parameters
    ----------
    M : ndarray, shape (N, n_units * p)
    bias : float
        Output bias ``b``.
    y : ndarray, shape (N,)
        Labels.
    loss : relu.losses.Loss
        Its ``value``, ``derivative`` (and ``cvxpy_sum`` for the cvxpy engine) are used;
        ``kind`` is ``loss.name``.  The logistic loss also has a Hessian (Newton polish).
    rows, signs
        See :class:`SignConstrainedProblem`.
    ridge : float or ndarray of shape (n_units * p,)
    keep : ndarray of bool, shape (N,), optional
        Examples in the objective (default all); the others are separable and their
        terms were sent to 0 along a recession direction (see :mod:`relu.subproblem`).

    Examples
    --------
    >>> import numpy as np
    >>> from relu.losses import logistic
    >>> P = LossProblem(np.eye(2), 0.0, np.array([1.0, 0.0]), logistic, np.eye(2),
    ...                 np.array([[1.0, 1.0]]), ridge=0.5)
    >>> P.kind, round(P.objective(np.zeros(2)), 6)                 # log 2
    ('logistic', 0.693147)
    >>> P.hessian(np.zeros(2)).tolist(), P.gradient_scale(np.zeros(2))   # l''(0) = 1/4
    ([[1.125, 0.0], [0.0, 1.125]], 0.5)
    >>> w = P.minimize_on_subspace(np.zeros(2), np.eye(2))           # damped Newton steps
    >>> bool(np.abs(P.gradient(w)).max() < 1e-8)
    True
    """

    def __init__(self, M: ArrayLike, bias: float, y: ArrayLike, loss: Loss, rows: ArrayLike, signs: ArrayLike,
                 ridge: float | ArrayLike = 0.0, keep: ArrayLike | None = None):
        super().__init__(rows, signs)
        self.M = _ro(M)
        self.bias = float(bias)
        self.y = _ro(y)
        self.loss = loss
        self.kind = loss.name
        self.ridge = _ridge(ridge, self.n_vars)
        self.keep = _ro(np.ones(self.M.shape[0], dtype=bool) if keep is None else keep, bool)
        self._Mk = self.M[self.keep]
        self._yk = self.y[self.keep]

    @property
    def n_samples(self) -> int:
        """Number ``N`` of examples in the mean (kept or not)."""
        return self.M.shape[0]

    #: Scale of the outputs that matter: logits of order 1.
    output_scale = 1.0

    def _z(self, w):
        return self._Mk @ w + self.bias

    def objective(self, w: ArrayLike) -> float:
        """Mean loss of the kept examples plus the ridge term."""
        return float(np.sum(self.loss.value(self._z(w), self._yk))) / self.n_samples \
            + self.ridge_value(w)

    def gradient(self, w: ArrayLike) -> np.ndarray:
        """``(1/N) M_R^T l'(z) + 2 rho w``."""
        g = self.loss.derivative(self._z(w), self._yk) @ self._Mk / self.n_samples
        if self.has_ridge:
            g = g + 2.0 * self.ridge * w
        return g

    def hessian(self, w: ArrayLike | None = None) -> np.ndarray:
        """``(1/N) M_R^T diag(l''(z)) M_R + 2 diag(rho)`` (logistic loss only).

        Raises
        ------
        NotImplementedError
            For losses other than the logistic one.
        """
        if self.loss.name != "logistic":
            raise NotImplementedError(f"no Hessian for the loss {self.loss.name!r}")
        z = self._z(np.zeros(self.n_vars) if w is None else w)
        s = 0.5 * (1.0 + np.tanh(0.5 * z))
        H = (self._Mk.T * (s * (1.0 - s))) @ self._Mk / self.n_samples
        if self.has_ridge:
            H[np.diag_indices_from(H)] += 2.0 * self.ridge
        return H

    @cached_property
    def _row_norms(self):
        return np.linalg.norm(self._Mk, axis=1)

    def gradient_scale(self, w: ArrayLike) -> float:
        """``(1/N) sum_i ||M_i|| (|l'(z_i)| + ||M_i|| ||w||) + ||2 rho w||``.

        The size of the terms summed in the gradient, plus the effect of the rounding
        of ``z`` on the derivative (``|l''| <= 1`` for the losses here).
        """
        nw = float(np.linalg.norm(w))
        d = np.abs(self.loss.derivative(self._z(w), self._yk))
        rn = self._row_norms
        return float(rn @ (d + rn * nw)) / self.n_samples + self.ridge_gradient_norm(w)

    def minimize_on_subspace(self, w_ref: ArrayLike, Z: np.ndarray, steps: int = 8) -> np.ndarray:
        """Damped Newton steps on ``w_ref + range(Z)`` (least squares along flat directions).

        Losses without a Hessian return ``w_ref`` unchanged.
        """
        w = w_ref
        f = self.objective(w)
        for _ in range(steps):
            try:
                Hz = Z.T @ self.hessian(w) @ Z
            except NotImplementedError:
                return w
            g = Z.T @ self.gradient(w)
            step, *_ = np.linalg.lstsq(Hz, -g, rcond=1e-14)
            t = 1.0
            while True:
                w2 = w + t * (Z @ step)
                f2 = self.objective(w2)
                if f2 <= f or t < 1e-4:
                    break
                t *= 0.5
            if not f2 <= f:
                break
            done = f - f2 <= 4 * np.finfo(np.float64).eps * max(abs(f), 1e-300)
            w, f = w2, f2
            if done:
                break
        return w
