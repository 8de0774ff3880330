r"""The set of all optimal solutions of a CGL: a polytope, its support, dimension and uniqueness.

Let ``yhat`` be the (unique) optimal fit, ``r = -dL/dz(yhat)`` the (unique) optimal
dual point and ``v_b = Pi_{K_b}(Z_b^T r)`` the correlation vectors (``|v_b| <= lambda``
for every block).  Then (``docs/optimal_set.md`` has the proofs)

.. math::

    \mathcal W^*(\lambda) = \Big\{ w :\ w_b = \alpha_b \frac{v_b}{\|v_b\|},\
    \alpha \ge 0,\ \alpha_b = 0 \text{ unless } \|v_b\| = \lambda,\
    \sum_b \alpha_b Z_b \frac{v_b}{\|v_b\|} = \hat y \Big\},

with ``alpha_b = |w_b|``.  So the optimal set is the image of the polytope
``{alpha >= 0 : M alpha = yhat}`` (``M = [Z_b u_b]``, ``u_b = v_b / |v_b|``, over the
*equicorrelation set* ``E = {b : |v_b| = lambda}``); it is bounded because
``r^T M = lambda 1^T`` fixes the group norm ``sum_b |w_b| = r^T yhat / lambda``.  The
*support* ``S`` (blocks non-zero in some optimal solution) is found by one LP per
candidate; the polytope's dimension is ``|S| - rank(M_S)``; the solution is unique
iff ``rank(M_S) = |S|``.  Blocks with the same sign and the same direction ``u_b``
are the *same neuron* (one ReLU unit split over several patterns), so the network
is unique up to permutation and splitting (Prop. 4.3, "p-unique") iff the matrix
with one column per neuron has full column rank.

What is certified and what is to solver precision:

* The reference point is the solver's solution pruned to a minimal network and
  Newton-refined (:func:`relu.convex.prune_optimal`); its duality gap ``g`` is
  certified.  The dual objective is ``mu``-strongly concave (``mu = 1`` for the
  squared loss, ``4`` for the logistic loss), so ``|r - r*| <= sqrt(2 g / mu)``, and the
  projection is non-expansive: ``|v_b(r*)|`` lies in
  ``|v_b(r)| +- |Z_b| sqrt(2 g / mu)`` (:attr:`OptimalSet.correlation_bounds`).
  Blocks whose upper bound is below ``lambda`` are **certified** outside ``E``;
  the rest form :attr:`OptimalSet.equicorrelation_set`, a certified superset of
  ``E``.
* The LPs (HiGHS) decide ``S`` with a primal witness (a feasible ``alpha`` with
  ``alpha_b > tau``) or a dual bound (``max alpha_b <= tau``) on the computed data,
  ``tau = support_rtol`` times the group norm.  A block where neither certificate
  holds is reported in :attr:`OptimalSet.ambiguous` (and a warning is issued).
* Ranks (dimension, uniqueness) are numerical ranks at ``rank_rtol``; the singular
  values on both sides of the cut are kept (:attr:`OptimalSet.singular_values`).
* Every point returned by a query is certified afresh as a CGL solution
  (:func:`relu.convex.certify`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_nonneg, check_rng, fail

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from numpy.typing import ArrayLike

    from .program import CGLProgram
    from .result import CGLResult

__all__ = ["OptimalSet", "optimal_set"]

#: LP decisions: ``alpha_b > SUPPORT_RTOL * (group norm)`` is "in the support".
SUPPORT_RTOL = 1e-8
#: Numerical rank of column-normalised matrices: singular values above this (relative
#: to the largest) count.
RANK_RTOL = 1e-9
#: Blocks with the same sign whose unit directions differ by at most this are one neuron.
NEURON_ATOL = 1e-7

_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def _lp(c, A, b, method="highs"):
    """``min c x s.t. A x = b, x >= 0`` by HiGHS; returns ``(x, y_dual, status)``.

    The answer is accepted only when it is primal feasible (``x >= 0``, relative
    residual ``<= 1e-8``); otherwise the next HiGHS method is tried (``method``, the
    interior-point method, dual simplex without presolve): degenerate LPs sometimes
    make one of them report infeasibility wrongly.
    """
    from scipy.optimize import linprog

    tried = []
    bn = max(float(np.linalg.norm(b)), 1e-300)
    for meth, extra in ((method, {}), ("highs-ipm", {}), ("highs-ds", {"presolve": False})):
        if (meth, bool(extra)) in tried:
            continue
        tried.append((meth, bool(extra)))
        res = linprog(c, A_eq=A, b_eq=b, bounds=(0, None), method=meth,
                      options={**_LP_OPTIONS, **extra})
        if res.status != 0 or res.x is None:
            status = int(res.status)
            continue
        x = np.maximum(np.asarray(res.x, dtype=np.float64), 0.0)
        if np.linalg.norm(A @ x - b) <= 1e-8 * bn:
            return x, np.asarray(res.eqlin.marginals, dtype=np.float64), 0
        status = -1
    return None, None, status


def _rank(A, rtol):
    """Numerical rank of ``A`` with column-normalised columns, and its singular values."""
    if A.size == 0:
        return 0, np.zeros(0)
    cn = np.linalg.norm(A, axis=0)
    An = A / np.where(cn > 0, cn, 1.0)[None, :]
    s = np.linalg.svd(An, compute_uv=False)
    return int(np.count_nonzero(s > rtol * max(float(s[0]), 1e-300))), s


@dataclass(frozen=True, eq=False)
class OptimalSet:
    """All optimal solutions of a CGL, as the polytope ``{alpha >= 0 : M_S alpha = yhat}``.

    Build it with :func:`optimal_set` (or :meth:`CGLResult.optimal_set`).  A point
    ``alpha`` (one entry per block of :attr:`support`, ``alpha_b = |w_b|``) is the
    solution ``w_b = alpha_b u_b``.

    Attributes
    ----------
    result : CGLResult
        The solve it was built from.
    reference : CGLResult
        The certified (minimal, refined) solution whose fit and dual point define the
        set.
    fit : ndarray, shape (n_samples,)
        ``yhat``, the unique optimal fit.
    dual_point : ndarray, shape (n_samples,)
        ``r``, the dual point of :attr:`reference` (scaled to be dual feasible).
    group_norm : float
        ``r^T yhat / lambda``: the sum of block norms, the same for every optimal
        solution.
    correlation_bounds : ndarray, shape (2P, 2)
        Certified interval of ``|v_b(r*)| / lambda`` per block.
    equicorrelation_set : ndarray of int
        Blocks not certified out of ``E`` (upper bound ``>= 1``); a superset of ``E``.
    directions : ndarray, shape (len(equicorrelation_set), p)
        ``u_b = v_b / |v_b|`` for those blocks.
    support : ndarray of int
        ``S``: blocks non-zero in some optimal solution (LP per candidate).
    support_values : ndarray
        Per candidate (aligned with :attr:`equicorrelation_set`): certified interval
        ``[lower, upper]`` of ``max alpha_b`` over the polytope, shape ``(k, 2)``.
    ambiguous : ndarray of int
        Candidates neither certified in ``S`` nor out of it (normally empty).
    neurons : tuple of ndarray
        Partition of :attr:`support` into neurons (same sign and direction).
    rank, neuron_rank : int
        ``rank(M_S)`` and the rank of one column per neuron.
    singular_values : ndarray
        Of the column-normalised ``M_S``.
    interior_point : ndarray, shape (len(support),)
        A point of the polytope with every entry positive (average of the LP
        witnesses).
    n_lps : int
        LPs solved to decide the support.
    gap : float
        Certified duality gap of :attr:`reference`.
    dual_radius : float
        ``sqrt(2 gap / mu)``: certified bound on ``|r - r*|``.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> S = relu.solve_cgl(X, y, 0.1).optimal_set()
    >>> S.dimension >= 0, S.is_p_unique == (S.neuron_dimension == 0)
    (True, True)
    >>> mn = S.min_norm()
    >>> mn.certificate.accepted, bool(abs(sum(mn.block_norms) - S.group_norm) < 1e-8)
    (True, True)

    A point ``alpha`` of the set (here the min-norm one) fits the optimal fit, and its
    network predicts ``features(X) @ alpha``:

    >>> alpha = np.array(mn.info["alpha"])
    >>> S.features(X).shape, bool(S.residual(alpha) < 1e-9)
    ((4, 7), True)
    >>> bool(np.allclose(S.features([[1.5]]) @ alpha, mn.predict([[1.5]])))
    True
    """

    result: object
    reference: object
    fit: np.ndarray
    dual_point: np.ndarray
    group_norm: float
    correlation_bounds: np.ndarray
    equicorrelation_set: np.ndarray
    directions: np.ndarray
    support: np.ndarray
    support_values: np.ndarray
    ambiguous: np.ndarray
    neurons: tuple
    rank: int
    neuron_rank: int
    singular_values: np.ndarray
    interior_point: np.ndarray
    n_lps: int
    gap: float
    dual_radius: float
    _columns: np.ndarray = None       # M over the equicorrelation set
    _rows: tuple = None               # (A, b): independent rows of M_S alpha = yhat

    def __post_init__(self):
        for name in ("fit", "dual_point", "correlation_bounds", "equicorrelation_set",
                     "directions", "support", "support_values", "ambiguous",
                     "singular_values", "interior_point", "_columns"):
            a = getattr(self, name)
            if a is not None:
                a = np.array(a, copy=True)
                a.flags.writeable = False
                object.__setattr__(self, name, a)

    # ------------------------------------------------------------------ structure
    @property
    def program(self) -> CGLProgram:
        """The :class:`~relu.convex.CGLProgram` of the underlying result."""
        return self.result.program

    @property
    def lam(self) -> float:
        """The regularisation ``lambda`` of the program (paper scaling)."""
        return self.program.lam

    @property
    def n_support(self) -> int:
        """Number of blocks in the support (``support.size``)."""
        return int(self.support.size)

    @property
    def dimension(self) -> int:
        """``|S| - rank(M_S)``: dimension of the optimal polytope (0: unique solution)."""
        return self.n_support - self.rank

    @property
    def neuron_dimension(self) -> int:
        """Dimension after merging the blocks of each neuron (0: p-unique)."""
        return len(self.neurons) - self.neuron_rank

    @property
    def is_unique(self) -> bool:
        """The CGL has a unique solution (``rank(M_S) = |S|``)."""
        return self.dimension == 0

    @property
    def is_p_unique(self) -> bool:
        """The optimal network is unique up to permutation and splitting of units."""
        return self.neuron_dimension == 0

    @cached_property
    def matrix(self) -> np.ndarray:
        """``M_S``: column ``b`` is ``Z_b u_b`` (shape ``(n_samples, |S|)``)."""
        pos = np.searchsorted(self.equicorrelation_set, self.support)
        M = self._columns[:, pos].copy()
        M.flags.writeable = False
        return M

    @cached_property
    def support_directions(self) -> np.ndarray:
        """``u_b`` for the blocks of the support, shape ``(|S|, p)``."""
        pos = np.searchsorted(self.equicorrelation_set, self.support)
        U = self.directions[pos].copy()
        U.flags.writeable = False
        return U

    @cached_property
    def null_space(self) -> np.ndarray:
        """Orthonormal basis of ``{alpha : M_S alpha = 0}``, shape ``(|S|, dimension)``."""
        M = self.matrix
        if M.shape[1] == 0:
            return np.zeros((0, 0))
        _, _, Vt = np.linalg.svd(M, full_matrices=True)
        N = Vt[self.rank:].T.copy()
        N.flags.writeable = False
        return N

    # ------------------------------------------------------------------ points
    def blocks(self, alpha: ArrayLike) -> np.ndarray:
        """Block weights ``(2P, p)`` of a point ``alpha`` (``w_b = alpha_b u_b`` on ``S``).

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1).optimal_set()
        >>> W = S.blocks(S.interior_point)
        >>> bool(np.allclose(S.program.fit(W), S.fit))
        True
        """
        a = np.asarray(alpha, dtype=np.float64).reshape(-1)
        if a.shape[0] != self.n_support:
            fail("alpha", "OptimalSet.blocks", f"a vector of length {self.n_support} (one "
                 "entry per support block)", f"length {a.shape[0]}")
        W = np.zeros((self.program.n_blocks, self.program.p))
        W[self.support] = a[:, None] * self.support_directions
        return W

    def solution(self, alpha: ArrayLike, *, method: str = "optimal_set") -> CGLResult:
        """The certified CGL solution of a point ``alpha`` (a :class:`CGLResult`).

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1).optimal_set()
        >>> S.solution(S.interior_point).certificate.accepted
        True
        """
        from ._derive import derive_result

        a = np.maximum(np.asarray(alpha, dtype=np.float64).reshape(-1), 0.0)
        return derive_result(self.reference, self.blocks(a), method=method,
                             info={"alpha": a.tolist()})

    def residual(self, alpha: ArrayLike) -> float:
        """``|M_S alpha - yhat|``: how far ``alpha`` is from the affine hull."""
        return float(np.linalg.norm(self.matrix @ np.asarray(alpha, dtype=np.float64) - self.fit))

    # ------------------------------------------------------------------ queries
    def sample(self, n_points: int = 1, *, rng: int | np.random.Generator | None = None,
               thin: int | None = None) -> np.ndarray:
        """Points of the polytope by hit-and-run (asymptotically uniform).

        Parameters
        ----------
        n_points : int
        rng : int, numpy.random.Generator or None
        thin : int, optional
            Hit-and-run steps between returned points (default ``10 * dimension + 10``).

        Returns
        -------
        ndarray, shape (n_points, |S|)
            Coefficients ``alpha`` (pass one to :meth:`solution` or :meth:`blocks`).

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1).optimal_set()
        >>> A = S.sample(5, rng=0)
        >>> A.shape == (5, S.n_support), bool(np.all(A >= 0))
        (True, True)
        >>> bool(np.allclose(A.sum(axis=1), S.group_norm))
        True
        """
        n_points = check_nonneg(n_points, "OptimalSet.sample", "n_points", integer=True)
        gen = check_rng(rng)
        k = self.dimension
        thin = 10 * k + 10 if thin is None else check_nonneg(thin, "OptimalSet.sample", "thin",
                                                             integer=True, allow_zero=False)
        a = self.interior_point.copy()
        out = np.empty((n_points, self.n_support))
        if k == 0:
            out[:] = a
            return out
        N = self.null_space
        for i in range(n_points):
            for _ in range(thin):
                d = N @ gen.standard_normal(k)
                d /= np.linalg.norm(d)
                with np.errstate(divide="ignore", invalid="ignore"):
                    lim = -a / d
                lo = np.max(lim[d > 0], initial=-np.inf)
                hi = np.min(lim[d < 0], initial=np.inf)
                if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
                    continue
                a = np.maximum(a + gen.uniform(lo, hi) * d, 0.0)
            out[i] = a
        return out

    def _qp_min_norm(self, A, b, weights=None):
        """``min sum alpha^2 / weights s.t. A alpha = b, alpha >= 0`` (Clarabel), KKT-polished."""
        import clarabel
        import scipy.sparse as sp

        k = A.shape[1]
        w = np.ones(k) if weights is None else np.asarray(weights, dtype=np.float64)
        scale = max(float(np.abs(b).max()) if b.size else 0.0, 1e-300)
        P = sp.diags(1.0 / w).tocsc()
        Acl = sp.vstack([sp.csc_matrix(A), -sp.identity(k, format="csc")]).tocsc()
        bcl = np.r_[b / scale, np.zeros(k)]
        st = clarabel.DefaultSettings()
        st.verbose = False
        st.tol_gap_abs = st.tol_gap_rel = st.tol_feas = 1e-12
        sol = clarabel.DefaultSolver(P, np.zeros(k), Acl, bcl,
                                     [clarabel.ZeroConeT(A.shape[0]), clarabel.NonnegativeConeT(k)],
                                     st).solve()
        x = np.maximum(np.asarray(sol.x, dtype=np.float64), 0.0) * scale
        # active-set polish: least-(weighted-)norm solution on the positive entries
        best = (self._kkt_residual(A, b, x, w), x)
        F = np.nonzero(x > SUPPORT_RTOL * max(float(x.sum()), 1e-300))[0]
        if F.size:
            sw = np.sqrt(w[F])
            xF, *_ = np.linalg.lstsq(A[:, F] * sw[None, :], b, rcond=None)
            xp = np.zeros(k)
            xp[F] = xF * sw
            if np.all(xp >= 0):
                cand = (self._kkt_residual(A, b, xp, w), xp)
                if cand[0] <= best[0]:
                    best = cand
        return best[1], best[0], str(sol.status)

    @staticmethod
    def _kkt_residual(A, b, x, w):
        """Relative KKT residual of ``min sum x^2/w, A x = b, x >= 0`` at ``x``."""
        g = x / w
        F = x > 0
        mu, *_ = np.linalg.lstsq(A[:, F].T, g[F], rcond=None) if F.any() else (np.zeros(A.shape[0]),)
        nu = g - A.T @ mu
        sc = max(float(np.abs(g).max()), 1e-300)
        return max(float(np.linalg.norm(A @ x - b)) / max(float(np.linalg.norm(b)), 1e-300),
                   float(np.abs(nu[F]).max(initial=0.0)) / sc,
                   float(max(0.0, -nu[~F].min(initial=0.0))) / sc)

    def min_norm(self, *, level: str = "neuron") -> CGLResult:
        """The minimum-norm optimal solution (unique: a strictly convex QP over the polytope).

        Parameters
        ----------
        level : {"neuron", "block"}
            ``"block"``: minimise ``sum_b |w_b|^2`` over the CGL's solutions.
            ``"neuron"`` (default): minimise ``sum_k |w_k|^2`` over networks, the blocks
            of one neuron merged (the block-level minimiser spreads each neuron evenly
            over its duplicate patterns, an artefact of the pattern set); the neuron
            is put on its first block.

        Returns
        -------
        CGLResult
            ``info["kkt_residual"]``: relative KKT residual of the QP.

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1).optimal_set()
        >>> mn = S.min_norm()
        >>> mn.certificate.accepted, mn.info["kkt_residual"] < 1e-8
        (True, True)
        """
        from .._checks import check_choice

        level = check_choice(level, ("neuron", "block"), "OptimalSet.min_norm", "level")
        if self.n_support == 0:
            res = self.solution(np.zeros(0), method=f"optimal_set:min_norm:{level}")
            return _with_info(res, kkt_residual=0.0, solver_status="empty", alpha=[])
        if level == "block":
            alpha, kkt, status = self._qp_min_norm(*self._rows)
        else:
            reps = np.array([g[0] for g in self.neurons], dtype=np.intp)
            pos = np.searchsorted(self.support, reps)
            A, b = self._rows
            beta, kkt, status = self._qp_min_norm(A[:, pos], b)
            alpha = np.zeros(self.n_support)
            alpha[pos] = beta
        res = self.solution(alpha, method=f"optimal_set:min_norm:{level}")
        return _with_info(res, kkt_residual=kkt, solver_status=status, alpha=alpha.tolist())

    def _vertex(self, c):
        A, b = self._rows
        x, _, status = _lp(-np.asarray(c, dtype=np.float64), A, b, method="highs-ds")
        return x, status

    def extreme_point(self, direction: ArrayLike | None = None, *,
                      rng: int | np.random.Generator | None = None, max_rounds: int = 25) -> CGLResult:
        """A vertex of the optimal polytope: a *minimal* optimal network.

        Parameters
        ----------
        direction : array_like, shape (|S|,), optional
            Maximise ``direction . alpha`` (an LP; HiGHS dual simplex returns a vertex).
            Default: a vertex that locally maximises the (neuron-level) norm
            ``sum alpha^2``, by repeated LPs in the direction of the current point
            (the paper's "extreme point" of maximal model norm), started at a random
            vertex (``rng``).
        rng : int, numpy.random.Generator or None
        max_rounds : int

        Returns
        -------
        CGLResult
            ``info["is_vertex"]``: the support columns are linearly independent.

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1).optimal_set()
        >>> ep = S.extreme_point(rng=0)
        >>> ep.info["is_vertex"], ep.certificate.accepted
        (True, True)
        """
        gen = check_rng(rng)
        if self.n_support == 0:
            return _with_info(self.solution(np.zeros(0), method="optimal_set:extreme_point"),
                              is_vertex=True, alpha=[])
        if direction is not None:
            d = np.asarray(direction, dtype=np.float64).reshape(-1)
            if d.shape[0] != self.n_support:
                fail("direction", "OptimalSet.extreme_point", f"a vector of length {self.n_support}",
                     f"length {d.shape[0]}")
            x, status = self._vertex(d)
        else:
            x, status = self._vertex(gen.standard_normal(self.n_support))
            best = float(x @ x) if x is not None else -np.inf
            for _ in range(int(max_rounds)):
                if x is None:
                    break
                nx, st = self._vertex(x)
                if nx is None or float(nx @ nx) <= best * (1 + 1e-12):
                    break
                x, best, status = nx, float(nx @ nx), st
        if x is None:
            from ..exceptions import SolverFailedError

            raise SolverFailedError(f"HiGHS found no vertex of the optimal polytope (status {status})")
        x[x <= SUPPORT_RTOL * max(float(x.sum()), 1e-300)] = 0.0
        F = np.nonzero(x > 0)[0]
        rk, _ = _rank(self.matrix[:, F], RANK_RTOL)
        res = self.solution(x, method="optimal_set:extreme_point")
        return _with_info(res, is_vertex=bool(rk == F.size), alpha=x.tolist())

    def minimize(self, criterion: ArrayLike | Callable[..., Any]) -> CGLResult:
        """Minimise a linear or convex criterion over the optimal set.

        Parameters
        ----------
        criterion : array_like of shape (|S|,), or callable
            A vector ``c``: minimise ``c . alpha`` (an LP, HiGHS).  A callable: it gets
            the cvxpy variable ``alpha`` (shape ``(|S|,)``, aligned with
            :attr:`support`) and returns a convex cvxpy expression to minimise
            (solved by cvxpy with Clarabel).

        Returns
        -------
        CGLResult

        Examples
        --------
        >>> import relu
        >>> S = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1).optimal_set()
        >>> best = S.minimize(lambda a: a[0])        # as little of the first support block
        >>> best.certificate.accepted
        True
        """
        from ..exceptions import SolverFailedError

        A, b = self._rows
        if callable(criterion):
            import cvxpy as cp

            a = cp.Variable(self.n_support, nonneg=True)
            prob = cp.Problem(cp.Minimize(criterion(a)), [A @ a == b])
            prob.solve(solver="CLARABEL")
            if a.value is None:
                raise SolverFailedError(f"cvxpy/Clarabel: no solution over the optimal set "
                                        f"(status {prob.status})")
            x = np.maximum(np.asarray(a.value, dtype=np.float64), 0.0)
            status = str(prob.status)
        else:
            c = np.asarray(criterion, dtype=np.float64).reshape(-1)
            if c.shape[0] != self.n_support:
                fail("criterion", "OptimalSet.minimize", f"a vector of length {self.n_support} "
                     "or a callable", f"length {c.shape[0]}")
            x, _, st = _lp(c, A, b)
            if x is None:
                raise SolverFailedError(f"HiGHS: no solution over the optimal set (status {st})")
            status = "optimal"
        res = self.solution(x, method="optimal_set:minimize")
        return _with_info(res, solver_status=status, alpha=x.tolist(),
                          residual=self.residual(x))

    def features(self, X: ArrayLike) -> np.ndarray:
        """Unit outputs ``s_b (x_bar . u_b)_+`` on ``X`` for the support blocks, ``(n, |S|)``.

        The network of ``alpha`` predicts ``features(X) @ alpha``.
        """
        from .._checks import check_data
        from .program import design_matrix

        _, Xf = check_data(X, "OptimalSet.features")
        if Xf.shape[1] != self.program.n_features:
            fail("X", "OptimalSet.features", f"an array with {self.program.n_features} columns",
                 f"{Xf.shape[1]} columns")
        Xb = design_matrix(Xf, self.program.bias)
        return np.maximum(Xb @ self.support_directions.T, 0.0) * \
            self.program.block_signs[self.support][None, :]

    def minimize_validation_loss(self, X: ArrayLike, y: ArrayLike, *, loss: str | None = None) -> CGLResult:
        """The optimal network with the smallest loss on held-out data (a convex program).

        Parameters
        ----------
        X : array_like, shape (n_val, n_features)
        y : array_like, shape (n_val,)
        loss : {"mse", "logistic"}, optional
            Default: the program's loss.

        Returns
        -------
        CGLResult

        Examples
        --------
        >>> import relu
        >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
        >>> S = relu.solve_cgl(X, y, 0.1).optimal_set()
        >>> S.minimize_validation_loss([[0.5], [2.5]], [0.5, 0.5]).certificate.accepted
        True
        """
        import cvxpy as cp

        from .._checks import check_choice, check_labels_vector

        func = "OptimalSet.minimize_validation_loss"
        F = self.features(X)
        yv = check_labels_vector(y, F.shape[0], func)
        loss = self.program.loss if loss is None else check_choice(loss, ("mse", "logistic"), func, "loss")
        if loss == "mse":
            def crit(a):
                return 0.5 * cp.sum_squares(F @ a - yv)
        else:
            def crit(a):
                z = F @ a
                return cp.sum(cp.logistic(z) - cp.multiply(yv, z))
        res = self.minimize(crit)
        return _with_info(res, validation_loss=float(crit(np.array(res.info["alpha"])).value)
                          if loss == "logistic" else
                          0.5 * float(np.sum((F @ np.array(res.info["alpha"]) - yv) ** 2)))

    def __repr__(self):
        return (f"<OptimalSet: |E| <= {self.equicorrelation_set.size}, |S| = {self.n_support} "
                f"blocks in {len(self.neurons)} neurons, rank {self.rank}, dimension "
                f"{self.dimension} (neurons: {self.neuron_dimension}), "
                f"{'p-unique' if self.is_p_unique else 'not p-unique'}; group norm "
                f"{self.group_norm:.10g}; gap {self.gap:.3g}>")


def _with_info(res, **kw):
    from dataclasses import replace

    return replace(res, info={**res.info, **kw})


def _band(ref, mu):
    """Certified intervals of ``|v_b(r*)| / lambda`` from the reference's duality gap."""
    prog = ref.program
    cert = ref.certificate
    t = float(cert.dual_scale)
    r = np.asarray(ref.dual_point, dtype=np.float64) / t
    V = np.asarray(ref.correlations, dtype=np.float64) / t
    gap = float(cert.gap)
    radius = float(np.sqrt(2.0 * max(gap, 0.0) / mu))
    vn = np.linalg.norm(V, axis=1)
    slack = radius * _block_norm_bounds(prog) + 1e-12 * np.maximum(vn, prog.lam)
    bounds = np.column_stack([np.maximum(vn - slack, 0.0), vn + slack]) / prog.lam
    return {"r": r, "V": V, "vn": vn, "gap": gap, "radius": radius, "slack": slack,
            "bounds": bounds, "C": np.nonzero(bounds[:, 1] >= 1.0)[0]}


def _extend_to_all_chambers(ref, r, slack, max_extra):
    """``ref`` on its program plus every chamber whose ratio may reach 1 (one pricing pass)."""
    from .pricing import price_chambers
    from .program import _arrangement

    prog = ref.program
    band = float(slack.max(initial=0.0)) / prog.lam + 1e-9
    _, idx = _arrangement(prog.X, prog.bias)
    keys = {row.tobytes() for row in np.packbits(prog.patterns[:, idx], axis=1)} \
        if prog.n_patterns else set()
    pr = price_chambers(prog.X, r, prog.lam * (1.0 - band), bias=prog.bias, top_k=max_extra,
                        exclude=keys)
    extra = pr.top_patterns
    if extra.shape[0] >= max_extra:
        warnings.warn(f"optimal_set: {max_extra} chambers near equicorrelation were added "
                      f"(max_extra reached); the set may miss some", RuntimeWarning, stacklevel=3)
    if extra.shape[0] == 0:
        return ref, prog
    from ._derive import derive_result

    new = prog.with_patterns(np.vstack([prog.patterns, extra]))
    P, Pn = prog.n_patterns, new.n_patterns
    W = np.zeros((new.n_blocks, prog.p))
    W[:P] = ref.blocks[:P]
    W[Pn:Pn + P] = ref.blocks[P:]
    out = derive_result(ref, W, method=ref.method, info=dict(ref.info), program=new)
    from dataclasses import replace

    return replace(out, certificate=replace(out.certificate, scope="all chambers")), new


def _block_norm_bounds(prog):
    """``|Z_b|_F`` per block (``sqrt(sum_{i in D} |x_bar_i|^2)``), an upper bound of ``|Z_b|_2``."""
    rn2 = np.sum(prog.design ** 2, axis=1)
    return np.sqrt(prog.block_patterns @ rn2)


def optimal_set(result: CGLResult, *, refine: bool = True, chambers: str | None = None, max_extra: int = 4096,
                support_rtol: float = SUPPORT_RTOL, rank_rtol: float = RANK_RTOL,
                neuron_atol: float = NEURON_ATOL) -> OptimalSet:
    """The set of all optimal solutions of the program a CGL result was solved on.

    Parameters
    ----------
    result : CGLResult
        An accepted solution (any method; for sampled or given patterns the set is
        that of the sampled program, for column generation that of the working set,
        see Notes).
    refine : bool
        Use the Newton-refined minimal network (:func:`relu.convex.prune_optimal`) as
        the reference: its certified gap is typically ``1e-15`` relative, which
        narrows the certified correlation intervals by orders of magnitude.
    chambers : {"program", "all"}, optional
        ``"program"``: the optimal set of the program ``result`` was solved on.
        ``"all"``: of the full program over every chamber -- one pricing pass over
        all chambers (:func:`relu.convex.price_chambers` at ``lambda (1 - band)``)
        adds every chamber that could be equicorrelated to the program first.
        Default: ``"all"`` for column-generation results (whose program is a working
        set standing for all chambers), ``"program"`` otherwise.
    max_extra : int
        Most chambers added by ``chambers="all"`` (a warning tells when reached).
    support_rtol, rank_rtol, neuron_atol : float
        See the module constants.

    Returns
    -------
    OptimalSet

    Raises
    ------
    SolverFailedError
        When ``result``'s certificate was rejected.

    Notes
    -----
    With sampled or given patterns the set is that of the sampled program (a face
    of a larger set when chambers are missing); ``chambers="all"`` gives the set of
    the exact program when ``result`` is globally optimal.  One LP per undecided
    candidate; each LP solution also decides every block it uses (a witness), so
    far fewer LPs than candidates are solved in practice.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> S = relu.convex.optimal_set(relu.solve_cgl(X, y, 0.1))
    >>> set(S.support) <= set(S.equicorrelation_set), S.rank <= 4
    (True, True)
    """
    from ..exceptions import SolverFailedError
    from .pruning import prune_optimal

    func = "optimal_set"
    from .._checks import check_choice

    if chambers is None:
        chambers = "all" if result.method == "column_generation" else "program"
    chambers = check_choice(chambers, ("program", "all"), func, "chambers")
    max_extra = check_nonneg(max_extra, func, "max_extra", integer=True, allow_zero=False)
    for name, val in (("support_rtol", support_rtol), ("rank_rtol", rank_rtol),
                      ("neuron_atol", neuron_atol)):
        check_nonneg(val, func, name, allow_zero=False)
    if not result.certificate.accepted:
        raise SolverFailedError(f"`result` of `{func}` must carry an accepted certificate; got "
                                f"{result.certificate} instead.")
    prog = result.program
    ref = result
    if refine and result.n_active:
        m = prune_optimal(result)
        if m.certificate.accepted and m.certificate.gap <= result.certificate.gap:
            ref = m
    mu = 1.0 if prog.loss == "mse" else 4.0
    band = _band(ref, mu)
    if chambers == "all":
        ref, prog = _extend_to_all_chambers(ref, band["r"], band["slack"], max_extra)
        band = _band(ref, mu)
    # the reference in the directions u_b = v_b / |v_b| (alpha_b = u_b . w_b): its fit is
    # M alpha_0 exactly, so the polytope's equations are consistent by construction
    if ref.n_active:
        act = ref.active_blocks
        vn_a = np.linalg.norm(band["V"][act], axis=1)
        Ua = band["V"][act] / np.where(vn_a > 0, vn_a, 1.0)[:, None]
        alpha0 = np.maximum(np.einsum("ij,ij->i", Ua, np.asarray(ref.blocks)[act]), 0.0)
        W0 = np.zeros((prog.n_blocks, prog.p))
        W0[act] = alpha0[:, None] * Ua
        if not np.array_equal(W0, np.asarray(ref.blocks)):
            from ._derive import derive_result

            cand = derive_result(ref, W0, method=ref.method, info=dict(ref.info))
            if cand.certificate.accepted:
                ref = cand
                band = _band(ref, mu)
    r, bounds, C, gap, radius = band["r"], band["bounds"], band["C"], band["gap"], band["radius"]
    V, vn = band["V"], band["vn"]
    yhat = np.asarray(ref.fit, dtype=np.float64)
    group_norm = float(r @ yhat) / prog.lam
    scale = max(group_norm, 1e-300)
    tau = support_rtol
    U = V[C] / np.where(vn[C] > 0, vn[C], 1.0)[:, None]
    Mc = np.zeros((prog.n_samples, 0))
    if C.size:
        Wu = np.zeros((prog.n_blocks, prog.p))
        Wu[C] = U
        Mc = prog.block_fits(Wu)[:, C]
    # neurons among the candidates: same sign and direction (identical columns of M, so
    # mass moves freely between the blocks of one neuron: decide the support per neuron)
    sign = prog.block_signs[C]
    label = np.full(C.size, -1)
    reps = []
    for i in range(C.size):
        if label[i] >= 0:
            continue
        same = (label < 0) & (sign == sign[i]) & (np.linalg.norm(U - U[i], axis=1) <= neuron_atol)
        label[same] = len(reps)
        reps.append(i)
    reps = np.array(reps, dtype=np.intp)
    Mg = Mc[:, reps]
    An, bn = _independent_rows(Mg, yhat / scale, rank_rtol)
    # the reference solution is a witness
    ref_beta = np.zeros(reps.size)
    if ref.n_active:
        pos = np.searchsorted(C, ref.active_blocks)
        ok = (pos < C.size) & (C[np.minimum(pos, max(C.size - 1, 0))] == ref.active_blocks) \
            if C.size else np.zeros(ref.active_blocks.size, dtype=bool)
        if not np.all(ok):
            raise SolverFailedError(f"{func}: an active block of the reference solution is "
                                    f"certified outside the equicorrelation set (inconsistent "
                                    f"certificate)")
        np.add.at(ref_beta, label[pos], ref.block_norms[ref.active_blocks] / scale)
    # the equations must be consistent with alpha >= 0 (they are by construction when the
    # reference could be rebuilt in the directions u_b); otherwise use the closest fit
    # M alpha (an L1 LP), which stays within the certified ball around yhat
    if reps.size and _lp(np.zeros(reps.size), An, bn)[0] is None:
        k, m_ = reps.size, An.shape[0]
        x, _, st = _lp(np.r_[np.zeros(k), np.ones(2 * m_)], np.hstack([An, np.eye(m_), -np.eye(m_)]), bn)
        if x is None:
            raise SolverFailedError(f"{func}: HiGHS found no point of the optimal polytope (status {st})")
        bn = An @ x[:k]
        yhat = Mg @ x[:k] * scale
    rm = r @ Mg / prog.lam if reps.size else np.zeros(0)
    xmax = (float(r @ yhat) / prog.lam / scale) / max(float(rm.min(initial=1.0)), 1e-300) * (1 + 1e-9)
    gvalues = np.full((reps.size, 2), np.nan)
    in_S = ref_beta > tau
    witnesses = [ref_beta] if ref.n_active else []
    n_lps = 0
    for k in range(reps.size):
        if in_S[k]:
            continue
        cvec = np.zeros(reps.size)
        cvec[k] = -1.0
        x, ydual, status = _lp(cvec, An, bn)
        n_lps += 1
        if x is None:
            raise SolverFailedError(f"{func}: HiGHS failed on the support LP of block {C[reps[k]]} "
                                    f"(status {status})")
        resid = float(np.linalg.norm(An @ x - bn))
        viol = float(np.max(An.T @ ydual - cvec, initial=0.0))
        gvalues[k, 1] = -float(bn @ ydual) + max(viol, 0.0) * xmax + resid
        if x[k] > tau:
            witnesses.append(x)
            in_S |= x > tau
    for k in range(reps.size):
        gvalues[k, 0] = max((w[k] for w in witnesses), default=0.0)
    amb_g = np.nonzero(~in_S & ~(gvalues[:, 1] <= tau))[0]
    if amb_g.size:
        warnings.warn(f"optimal_set: {amb_g.size} candidate neuron(s) neither certified in the "
                      f"support nor out of it (LP bounds straddle {tau:g}); treated as outside",
                      RuntimeWarning, stacklevel=2)
    Sg = np.nonzero(in_S)[0]
    in_Sb = in_S[label]
    S = C[in_Sb]
    values = gvalues[label] * scale
    # blocks of a neuron carry its mass in any proportion: the interior point spreads it
    counts = np.bincount(label, minlength=reps.size)
    interior = np.zeros(S.size)
    if witnesses:
        wbar = np.mean(witnesses, axis=0) * scale
        interior = (wbar / counts)[label[in_Sb]]
    MS = Mc[:, in_Sb]
    rS, sS = _rank(MS, rank_rtol)
    rows = _independent_rows(MS, yhat, rank_rtol)
    groups = tuple(C[(label == g)] for g in Sg)
    nrank, _ = _rank(Mg[:, Sg], rank_rtol)
    amb = C[np.isin(label, amb_g)]
    return OptimalSet(result, ref, yhat, r, group_norm, bounds, C, U, S, values,
                      amb, groups, rS, int(nrank), sS, interior, n_lps, gap, radius,
                      _columns=Mc, _rows=rows)


def _independent_rows(M, b, rtol):
    """``(A, c)`` with independent rows and the same solutions as ``M x = b`` (SVD)."""
    if M.shape[1] == 0:
        return np.zeros((0, 0)), np.zeros(0)
    Uu, ss, _ = np.linalg.svd(M, full_matrices=False)
    keep = ss > rtol * max(float(ss[0]), 1e-300)
    return Uu[:, keep].T @ M, Uu[:, keep].T @ b
