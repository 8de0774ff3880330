r"""Vertex -> convex program: the per-pattern problem (3) of Matena & Raffel (2022).

For an activation pattern ``A`` (``(m, N)``, 0/1) and a fixed second layer ``v``,
the network output on example ``i`` is *linear* in ``W`` on the closed cone of the
pattern:

.. math::

    f(x_i) = \sum_j v_j\, a_{ji}\, (w_j \cdot \bar x_i) + v_{m+1},
    \qquad (2 a_{ji} - 1)\,(w_j \cdot \bar x_i) \ge 0 .

Problem (3) minimises the mean loss of this masked linear model under these sign
constraints (plus an optional ridge term ``ridge * ||W||_F^2``).  Its multipliers
``mu_ji >= 0`` (one per unit and example) are returned; a positive multiplier means
the optimum presses against the facet ``w_j . x_bar_i = 0`` of unit ``j``'s chamber,
which is what mGLS uses to order neighbour moves.

Solvers (``method``):

* ``"fast"`` (default).  MSE: DAQP (dual active set) called directly -- on all
  constraints for small problems, else on a working subset grown by constraint
  generation, warm-started from a previous solution (units that sat at the apex
  ``w_j = 0`` are held there and certified by a cone test, a ``p``-variable DAQP
  problem per unit; the Hessian is the Gram matrix of the warm start's pattern,
  cached per solver and updated by the rows of the examples whose pattern changed,
  instead of ``M^T M`` from scratch); cold solves of larger
  problems use a structure-exploiting interior-point method whose identified tight
  set is finished exactly by a primal-dual active-set step.  Every answer passes a
  KKT certificate (feasibility, ``mu >= 0``, stationarity, complementarity) or the
  next engine is tried, and finally :class:`~relu.exceptions.SolverFailedError` is
  raised.  Logistic: an LP decides whether the infimum is attained, then Clarabel is
  called directly on conic data assembled without a modelling layer.  Losses
  without a fast path (a custom :class:`~relu.losses.Loss`) use the reference.
* ``"cvxpy"``: the reference -- a cvxpy problem rebuilt per pattern and solved with
  **Clarabel** (tolerances tightened to 1e-12).  Any installed cvxpy solver may be
  named with ``cvxpy_solver``; OSQP is refused unless named explicitly, because it
  was measured up to 2e-3 off in objective with 1e-2 constraint violations here.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np

from . import _logistic, _lsq
from ._blas import single_threaded_blas
from ._checks import check_choice, check_data, check_labels_vector, check_nonneg, check_pattern, \
    check_second_layer, fail
from .exceptions import InfeasibleSubproblemError, SolverFailedError, UnattainedInfimumWarning
from .losses import get_loss
from .network import _forward

__all__ = ["SubproblemResult", "SubproblemSolver", "solve_subproblem", "is_chamber_pattern"]

#: Relative tolerance of the KKT certificate (stationarity, complementarity).
KKT_RTOL = 1e-11
#: Cold MSE solves with ``L N n`` at most this use DAQP on all constraints, else the IPM.
DAQP_COLD_LIMIT = 60_000
#: Memory budget (bytes) of a solver's cache of Gram matrices ``M^T M`` per pattern.
GRAM_CACHE_BYTES = 1 << 25
#: A cached Gram matrix is updated (instead of recomputed) from a neighbour's when at
#: most this fraction of the examples changed pattern, and at most ``GRAM_MAX_DEPTH``
#: updates separate it from a freshly computed one (bounds the rounding drift).
GRAM_UPDATE_FRACTION = 0.125
GRAM_MAX_DEPTH = 32


@dataclass(frozen=True, eq=False)
class SubproblemResult:
    """Solution of problem (3) at one pattern.

    Attributes
    ----------
    W : ndarray, shape (m, d + 1)
        Optimal first layer (realises ``pattern`` up to ties on the boundary:
        ``(2 a - 1) * (W x_bar) >= -tol``).  Units with ``v_j = 0`` or no active
        example get ``w_j = 0``.
    loss : float
        Mean loss of the network ``(W, v)`` on the data (the optimum of (3) without
        the ridge term).  When ``status == "unattained"`` this is the *infimum*,
        approached by ``W + t * recession_direction`` as ``t -> inf``.
    objective : float
        ``loss + ridge * ||W||_F^2``.
    multipliers : ndarray, shape (m, N)
        ``mu_ji >= 0`` of the constraints ``(2 a_ji - 1) w_j . x_bar_i >= 0`` for the
        objective ``(1/N) sum_i l_i + ridge ||W||^2`` (KKT: ``grad_{w_j} =
        sum_i mu_ji (2 a_ji - 1) x_bar_i``).
    status : {"optimal", "unattained", "optimal_inaccurate"}
        The last only for the cvxpy reference (solver's own flag).
    pattern : ndarray of uint8, shape (m, N)
    method : str
        Engine that produced the answer: ``"daqp"``, ``"daqp-warm"``, ``"daqp-cg"``
        (constraint generation), ``"ipm+pdas"``, ``"clarabel"``, ``"lp+clarabel"``
        (unattained logistic), ``"trivial"`` (no live unit), ``"cvxpy-CLARABEL"``.
    seconds : float
    n_iter : int
        Solver iterations (summed over engines and constraint-generation rounds).
    kkt_residual : float
        Relative stationarity residual of the certificate (``nan`` for cvxpy).
    recession_direction : ndarray, shape (m, d + 1), or None
        For ``status == "unattained"``: a feasible direction along which the loss
        decreases to ``loss``.
    separable : ndarray of bool, shape (N,), or None
        For ``status == "unattained"``: examples whose loss goes to 0 along it.

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

    def __repr__(self):
        return (f"SubproblemResult(loss={self.loss:.6g}, status={self.status!r}, "
                f"method={self.method!r}, m={self.W.shape[0]}, seconds={self.seconds:.3g})")


def _ro(a):
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


def _lp_chamber_margin(Xn_rows):
    """Solve ``max t`` s.t. ``rows . w >= t``, ``|w|_inf <= 1``, ``t <= 1``; return ``(t, w)``."""
    from scipy.optimize import linprog

    k, p = Xn_rows.shape
    A_ub = np.hstack([-Xn_rows, np.ones((k, 1))])
    res = linprog(np.r_[np.zeros(p), -1.0], A_ub=A_ub, b_ub=np.zeros(k),
                  bounds=[(-1.0, 1.0)] * p + [(None, 1.0)], method="highs")
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        return 0.0, None
    return float(-res.fun), res.x[:p]


def is_chamber_pattern(X, unit_pattern):
    """Decide whether a 0/1 vector is the activation pattern of some weight (a chamber).

    Decided by the LP ``max t`` s.t. ``(2 a_i - 1) w . x_bar_i >= t ||x_bar_i||``,
    ``|w|_inf <= 1``; a positive answer is certified exactly by checking the signs of
    the LP's ``w`` with :meth:`zonotope.Arrangement.sign_vectors` (exact arithmetic).
    A negative answer relies on the LP (margin below ``1e-12``).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    unit_pattern : array_like of 0/1, shape (n_samples,)

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
    """
    Xv, Xf = check_data(X, "is_chamber_pattern")
    a = check_pattern(unit_pattern, Xf.shape[0], "is_chamber_pattern", "unit_pattern", m=1)[0]
    return _ChamberOracle(Xv, Xf).check(a)


class _ChamberOracle:
    """Cached chamber membership for one data set (LP + exact certification)."""

    def __init__(self, Xv, Xf, chambers=None):
        from zonotope import Arrangement, homogenize

        self._arr = Arrangement.from_points(Xv)
        Xb = homogenize(Xf)
        self._Xn = Xb / np.linalg.norm(Xb, axis=1)[:, None]
        self._chambers = chambers
        self._cache = {}

    def certify_point(self, a, w):
        """Decide exactly whether ``w`` realises pattern ``a`` strictly."""
        s = self._arr.sign_vectors(np.asarray(w, dtype=np.float64).reshape(1, -1))[0]
        return bool(np.all(s == (2 * a.astype(np.int8) - 1)))

    def check(self, a):
        key = np.packbits(a).tobytes()
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if self._chambers is not None:
            ok = np.asarray(2 * a.astype(np.int8) - 1) in self._chambers
            self._cache[key] = ok
            return ok
        rows = (2.0 * a - 1.0)[:, None] * self._Xn
        t, w = _lp_chamber_margin(rows)
        ok = bool(t > 1e-12 and w is not None and self.certify_point(a, w))
        self._cache[key] = ok
        return ok


class SubproblemSolver:
    """Problem (3) on fixed data, ready to be solved at many patterns.

    Validation, homogenisation and normalisation happen once; chamber checks are
    cached per unit pattern; :meth:`solve` accepts a previous result as a warm start
    (what local search and exact ERM need).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
        Targets (MSE) or 0/1 labels (logistic).
    v : array_like, shape (m + 1,) or (m,)
        Fixed second layer (``m`` weights then the output bias; ``m`` entries: bias 0).
    loss : {"mse", "logistic"}
    ridge : float, default 0
        Adds ``ridge * ||W||_F^2`` to the objective (makes the logistic minimum
        attained; see :mod:`relu.losses`).
    method : {"fast", "cvxpy"}
        See the module docstring (``"fast"`` uses the reference for losses without a
        fast path).
    check : bool, default True
        Verify that every unit's pattern is a chamber before solving (raises
        :class:`~relu.exceptions.InfeasibleSubproblemError`).  Results are cached per
        unit pattern; a ``chambers`` set makes the check a lookup.
    chambers : zonotope.ChamberSet, optional
        All chambers of ``Arrangement.from_points(X)`` (exact membership test).
    cvxpy_solver : str, default "CLARABEL"
        Solver of the ``"cvxpy"`` method.

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
    """

    def __init__(self, X, y, v, *, loss="mse", ridge=0.0, method="fast", check=True,
                 chambers=None, cvxpy_solver="CLARABEL"):
        func = "SubproblemSolver"
        self._Xv, self.X = check_data(X, func)
        self.n_samples, self.n_features = self.X.shape
        self.y = check_labels_vector(y, self.n_samples, func)
        self.loss = get_loss(loss, func)
        self.loss.check_labels(self.y, func)
        self.v = self._check_v(v, func)
        self.n_units = self.v.shape[0] - 1
        self.ridge = check_nonneg(ridge, func, "ridge")
        self.method = check_choice(method, ("fast", "cvxpy"), func, "method")
        if not isinstance(check, (bool, np.bool_)):
            fail("check", func, "a bool", repr(check))
        self.check = bool(check)
        if not isinstance(cvxpy_solver, str):
            fail("cvxpy_solver", func, "a solver name such as 'CLARABEL'", repr(cvxpy_solver))
        self.cvxpy_solver = cvxpy_solver.upper()
        if self.loss.name not in ("mse", "logistic") and self.method == "fast":
            self.method = "cvxpy"
        Xb = np.hstack([self.X, np.ones((self.n_samples, 1))])
        self.Xb = Xb
        self.norms = np.linalg.norm(Xb, axis=1)
        self.Xn = Xb / self.norms[:, None]
        self.p = Xb.shape[1]
        self._oracle = _ChamberOracle(self._Xv, self.X, chambers)
        self._yscale = float(np.mean((self.y - self.v[-1]) ** 2))
        self.n_solves = 0
        self._gram_cache = {}      # pattern bytes -> (G, depth); see _gram
        self._templates = {}       # L -> _lsq.block_template(Xn, L) (small problems)
        self._r = self.y - self.v[-1]
        self._vnz = self.v[:self.n_units] != 0
        # v_j x_bar_i (N, m, p) for _masked, when it is small
        self._vxb = (Xb[:, None, :] * self.v[:self.n_units, None]) \
            if self.n_samples * self.n_units * self.p <= (1 << 18) else None

    @staticmethod
    def _check_v(v, func):
        a = np.asarray(v, dtype=object) if v is not None else None
        if a is None or a.ndim != 1 or a.shape[0] < 2:
            fail("v", func, "a vector of length m + 1 (m >= 1 weights, then the bias)",
                 "None" if v is None else f"an array of shape {np.shape(v)}")
        return check_second_layer(v, a.shape[0] - 1, func)

    # ------------------------------------------------------------------ helpers
    def _pattern(self, pattern, func="SubproblemSolver.solve"):
        return check_pattern(pattern, self.n_samples, func, m=self.n_units)

    def is_chamber(self, unit_pattern):
        """Whether one unit's 0/1 pattern is a chamber (cached; see :func:`is_chamber_pattern`).

        Examples
        --------
        >>> S = SubproblemSolver([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], [1.0, 0.0])
        >>> S.is_chamber([1, 1, 0]), S.is_chamber([1, 0, 1])
        (True, False)
        """
        a = check_pattern(unit_pattern, self.n_samples, "SubproblemSolver.is_chamber",
                          "unit_pattern", m=1)[0]
        return self._oracle.check(a)

    def _check_pattern_is_vertex(self, A):
        for j in range(A.shape[0]):
            if not self._oracle.check(A[j]):
                raise InfeasibleSubproblemError(
                    f"row {j} of `pattern` is not a chamber of the data arrangement: no first-"
                    f"layer weight realises it strictly (the cone (2a-1) * (w . x_bar) >= 0 has an "
                    f"empty interior), so it is not a vertex of the zonotope", unit=j)

    def _masked(self, A):
        """Live units, masked design matrix M (N, L p), signs S (L, N)."""
        vv = self.v[:self.n_units]
        live = np.flatnonzero(self._vnz & A.any(axis=1))
        if live.size == self.n_units and self._vxb is not None:
            # all units live: M = [v_j a_ji x_bar_i] from the precomputed v_j x_bar_i
            M = (self._vxb * A.T.astype(np.float64)[:, :, None]).reshape(self.n_samples, -1)
            return live, M, 2.0 * A - 1.0
        Al = A if live.size == self.n_units else A[live]
        C = Al.T * vv[live]  # (N, L)
        M = (C[:, :, None] * self.Xb[:, None, :]).reshape(self.n_samples, -1)
        S = 2.0 * Al - 1.0
        return live, M, S

    def _gram(self, A, warm):
        """``G = (2/N) U^T U`` over *all* ``m`` units, ``U = [v_j a_ji x_bar_i]`` (N, m p).

        The Hessian of the masked objective on the live units is the live blocks of
        ``G`` plus ``2 ridge I``.  ``G`` is cached per pattern (LRU, bounded by
        :data:`GRAM_CACHE_BYTES`).  A pattern that differs from the warm start's in a
        few examples ``I`` gets ``G_warm + (2/N) (U'_I^T U'_I - U_I^T U_I)`` -- only
        the rows of the changed examples differ -- which is ``O(|I| (m p)^2)`` instead
        of ``O(N (m p)^2)``.  ``G`` only seeds the active-set solver: the returned
        answer is certified against ``M`` itself.
        """
        cache = self._gram_cache
        key = A.tobytes()
        hit = cache.pop(key, None)
        if hit is None and warm is not None and warm.pattern.shape == A.shape:
            base = cache.get(warm.pattern.tobytes())
            if base is not None and base[1] < GRAM_MAX_DEPTH:
                I = np.nonzero((warm.pattern != A).any(axis=0))[0]
                if I.size <= GRAM_UPDATE_FRACTION * self.n_samples:
                    m, N = self.n_units, self.n_samples
                    vv = self.v[:m]
                    Xi = self.Xb[I]
                    Un = ((A[:, I].T * vv)[:, :, None] * Xi[:, None, :]).reshape(I.size, -1)
                    Uo = ((warm.pattern[:, I].T * vv)[:, :, None] * Xi[:, None, :]).reshape(I.size, -1)
                    G = base[0] + (2.0 / N) * (Un.T @ Un - Uo.T @ Uo)
                    hit = (G, base[1] + 1)
        if hit is None:
            C = A.T * self.v[:self.n_units]
            U = (C[:, :, None] * self.Xb[:, None, :]).reshape(self.n_samples, -1)
            hit = ((2.0 / self.n_samples) * (U.T @ U), 0)
        cache[key] = hit
        cap = max(2, GRAM_CACHE_BYTES // max(hit[0].nbytes, 1))
        while len(cache) > cap:
            cache.pop(next(iter(cache)))
        return hit[0]

    def _hessian(self, G, live):
        """Hessian of the masked objective on the ``live`` units from :meth:`_gram`."""
        p = self.p
        if len(live) == self.n_units:
            H = G.copy()
        else:
            b = (live[:, None] * p + np.arange(p)).reshape(-1)
            H = G[np.ix_(b, b)]
        if self.ridge:
            H[np.diag_indices_from(H)] += 2.0 * self.ridge
        return H

    def _assemble(self, A, live, w_live):
        W = np.zeros((self.n_units, self.p))
        W[live] = w_live.reshape(len(live), self.p)
        return W

    def _finish(self, A, W, mu_norm_live, live, method, t0, n_iter, kkt, status="optimal",
                loss_override=None, D=None, sep=None, fresh=False):
        if len(live) == self.n_units:
            mu = mu_norm_live / self.norms
        else:
            mu = np.zeros((self.n_units, self.n_samples))
            if len(live):
                mu[live] = mu_norm_live / self.norms
        loss = self.loss.mean(_forward(self.X, W, self.v), self.y) if loss_override is None \
            else float(loss_override)
        obj = loss + self.ridge * float(np.einsum("ij,ij->", W, W)) if self.ridge else loss
        self.n_solves += 1
        if not fresh:
            W = np.array(W, dtype=np.float64)  # fresh arrays: made read-only without copying
        W.flags.writeable = False
        mu.flags.writeable = False
        if A.flags.writeable:
            A = _ro(A)
        return SubproblemResult(W, float(loss), float(obj), mu, status, A, method,
                                time.perf_counter() - t0, int(n_iter), float(kkt),
                                None if D is None else _ro(D), None if sep is None else _ro(sep))

    # ------------------------------------------------------------------ solve
    def solve(self, pattern, *, warm_start=None):
        """Solve problem (3) at ``pattern``.

        Parameters
        ----------
        pattern : array_like of 0/1, shape (m, n_samples)
        warm_start : SubproblemResult, optional
            A solution at another (typically neighbouring) pattern of the same data;
            its multipliers seed the active set of the MSE fast path.

        Returns
        -------
        SubproblemResult

        Raises
        ------
        InfeasibleSubproblemError
            A row of ``pattern`` is not a chamber (only with ``check=True``).
        SolverFailedError
            No engine produced a certified answer.

        Examples
        --------
        >>> S = SubproblemSolver([[0.0], [1.0], [2.0]], [1.0, 0.0, 0.0], [1.0, 0.0])
        >>> r = S.solve([[1, 0, 0]])
        >>> r.status, round(r.loss, 9), np.round(r.W, 6).tolist()
        ('optimal', 0.0, [[-1.0, 1.0]])
        >>> S2 = SubproblemSolver([[0.0], [1.0], [2.0]], [1.0, 0.0, 1.0], [1.0, 0.0])
        >>> round(S2.solve([[1, 1, 0]]).loss, 6)  # x = 2 must stay inactive
        0.333333
        """
        A = self._pattern(pattern)
        if self.check:
            self._check_pattern_is_vertex(A)
        if warm_start is not None and not isinstance(warm_start, SubproblemResult):
            fail("warm_start", "SubproblemSolver.solve", "a SubproblemResult or None",
                 type(warm_start).__name__)
        if self.method == "cvxpy":
            return self._solve_cvxpy(A)
        if self.loss.name == "mse":
            return self._solve_mse(A, warm_start)
        return self._solve_logistic(A)

    # ------------------------------------------------------------------ MSE fast path
    def _solve_mse(self, A, warm):
        t0 = time.perf_counter()
        live, M, S = self._masked(A)
        L = len(live)
        N = self.n_samples
        if L == 0:
            W = np.zeros((self.n_units, self.p))
            return self._finish(A, W, np.zeros((0, N)), live, "trivial", t0, 0, 0.0)
        small = L * N * L * self.p <= DAQP_COLD_LIMIT
        warm_ok = (warm is not None and warm.W.shape == (self.n_units, self.p)
                   and warm.multipliers.shape == A.shape)
        H = tpl = None
        if small:
            tpl = self._templates.get(L)
            if tpl is None:
                tpl = self._templates[L] = _lsq.block_template(self.Xn, L)
        else:
            H = self._hessian(self._gram(A, warm if warm_ok else None), live)
        prob = _lsq.BlockLSQ(M, self._r, self.Xn, S, self.ridge, H=H, rows_template=tpl)
        mu0 = flipped = None
        if warm_ok:
            if L == self.n_units:
                flipped = warm.pattern != A
                mu0 = warm.multipliers * self.norms
            else:
                flipped = warm.pattern[live] != A[live]
                mu0 = warm.multipliers[live] * self.norms
            mu0[flipped] = 0.0
        if mu0 is not None:
            # a warm start that fails its certificate falls back to the cold engines
            plan = ["daqp_full", "daqp_cold", "ipm"] if small else \
                ["apex_fixed", "daqp_gen", "ipm", "daqp_cold_gen"]
        else:
            plan = ["daqp_full", "ipm"] if small else ["ipm", "daqp_gen"]
        n_iter = 0
        last = None
        for how in plan:
            if how in ("daqp_cold", "daqp_cold_gen"):
                mu0 = None
                how = "daqp_full" if how == "daqp_cold" else "daqp_gen"
            if how == "daqp_full":
                w, mu, info = _lsq.daqp_full(prob, mu0)
                n_iter += info["iterations"]
                cert = None
                if w is not None:
                    w, cert = _lsq.refine(prob, w, mu, rtol=KKT_RTOL)
                method = "daqp" if mu0 is None else "daqp-warm"
            elif how == "apex_fixed":
                w, cert, its = self._warm_apex_fixed(prob, M, S, warm, live, mu0, flipped)
                n_iter += its
                method = "daqp-warm"
            elif how == "daqp_gen":
                if mu0 is not None:
                    work, mu_start = self._warm_rows(prob, warm, live, mu0, flipped)
                else:
                    work, mu_start = np.zeros((L, N), dtype=bool), None
                w, mu, info = _lsq.solve_daqp(prob, work, mu_start)
                n_iter += info["iterations"]
                cert = None
                if w is not None:
                    w, cert = _lsq.refine(prob, w, mu, rtol=KKT_RTOL)
                method = "daqp-cg"
            else:
                w, cert, its = self._ipm_pdas(prob)
                n_iter += its
                method = "ipm+pdas"
            if cert is not None:
                last = cert
            if w is not None and cert is not None and cert.ok:
                W = self._assemble(A, live, w)
                net, agree = self._consistent(prob, w, W)
                if not agree and prob.singular:
                    continue
                return self._finish(A, W, cert.mu, live, method, t0, n_iter, cert.stationarity,
                                    loss_override=net, fresh=True)
        raise SolverFailedError(
            "no engine produced a KKT-certified solution of the MSE subproblem"
            + ("" if last is None else f" (last stationarity residual {last.stationarity:.2e}, "
               f"infeasibility {last.infeasibility:.2e})") + "; try method='cvxpy'")

    def _consistent(self, prob, w, W):
        """The network's mean loss at ``W`` and whether it agrees with the masked objective.

        They differ only by rounding at boundary ties; disagreement means cancellation
        (a singular problem whose iterates drifted far along a flat direction), and the
        caller then rejects the answer when ``H`` is singular.
        """
        res = np.maximum(self.Xb @ W.T, 0.0) @ self.v[:-1] - self._r
        loss = float(res @ res) / self.n_samples
        if prob._singular is False:        # only a singular problem's answer is checked
            return loss, True
        net = loss + self.ridge * float(np.einsum("ij,ij->", W, W))
        masked = prob.objective(w)
        scale = self._yscale + abs(masked)
        return loss, abs(net - masked) <= 1e-9 * max(scale, 1e-300)

    def _warm_rows(self, prob, warm, live, mu0, flipped, k_near=None):
        """Choose initial working rows and a dual start for DAQP from a previous solution.

        Rows: the (at most ``p``) largest previous multipliers of every unit -- a
        degenerate apex unit may carry interior multipliers on all ``N`` rows, which
        would make DAQP pivot through all of them -- the flipped rows, and per unit the
        ``k_near`` rows of smallest relative slack at the previous solution
        (``4 k_near`` for the units with a flipped row).  Returns
        ``(work, mu_start)``.
        """
        L, N, p = prob.L, prob.N, self.p
        k = min(p, N)
        top = np.argpartition(-mu0, k - 1, axis=1)[:, :k]
        keep = np.zeros((L, N), dtype=bool)
        np.put_along_axis(keep, top, True, axis=1)
        mu_start = np.where(keep & (mu0 > 0), mu0, 0.0)
        work = (mu_start > 0) | flipped
        k_near = 2 * p if k_near is None else k_near
        Wl = warm.W[live]
        sl = prob.slack(Wl.reshape(-1))
        rel = sl / np.maximum(np.linalg.norm(Wl, axis=1), 1e-300)[:, None]
        near = np.argpartition(rel, min(k_near, N - 1), axis=1)[:, :k_near]
        work[np.arange(len(live))[:, None], near] = True
        # the units whose chamber changed move the most: a wider neighbourhood for
        # them (measured: halves the second constraint-generation rounds)
        fu = np.flatnonzero(flipped.any(axis=1))
        k_flip = min(4 * k_near, N - 1)
        if fu.size and k_flip > k_near:
            near = np.argpartition(rel[fu], k_flip, axis=1)[:, :k_flip]
            work[fu[:, None], near] = True
        return work, mu_start

    def _warm_apex_fixed(self, prob, M, S, warm, live, mu0, flipped):
        """Warm solve holding the units that sat at the apex ``w_j = 0`` there.

        Only units that kept their pattern are held; the apex is then certified per
        held unit (``grad_j`` must lie in the cone of unit ``j``'s rows, all tight at 0,
        see :func:`relu._lsq.cone_multipliers`).

        Degenerate apex units (``N`` tight rows, non-unique multipliers) are what
        makes dual active-set pivots pile up; removing them shrinks the QP.  Returns
        ``(w, certificate, iterations)``, ``w = None`` when the guess fails.
        """
        L, N, p = prob.L, prob.N, prob.p
        apex = np.all(warm.W[live] == 0, axis=1) & ~flipped.any(axis=1)
        keep = ~apex
        its = 0
        w = np.zeros((L, p))
        mu = np.zeros((L, N))
        if keep.any():
            kidx = np.nonzero(keep)[0]
            Mk = M.reshape(self.n_samples, L, p)[:, kidx, :].reshape(self.n_samples, -1)
            b = (kidx[:, None] * p + np.arange(p)).reshape(-1)
            sub = _lsq.BlockLSQ(Mk, prob.r, self.Xn, S[kidx], self.ridge,
                                H=prob.H[np.ix_(b, b)])
            work, mu_start = self._warm_rows(sub, warm, live[kidx], mu0[kidx], flipped[kidx])
            wk, muk, info = _lsq.solve_daqp(sub, work, mu_start)
            its += info["iterations"]
            if wk is None:
                return None, None, its
            w[kidx] = wk.reshape(-1, p)
            mu[kidx] = muk
        w = w.reshape(-1)
        g = prob.gradient(w).reshape(L, p)
        aidx = np.nonzero(apex)[0]
        if aidx.size:
            # cone test per held unit by DAQP on p variables (seeded by the previous
            # multipliers); units it does not settle get the least-squares/NNLS test
            mua, ok = _lsq.cone_daqp(prob, g, aidx, hint=mu0)
            mu[aidx] = mua[aidx]
            resid = np.abs(g[aidx] - (prob.S[aidx] * mu[aidx]) @ prob.Xn).max(axis=1)
            scale = prob.grad_scale + 2.0 * prob.ridge * float(np.sqrt(w @ w))
            redo = aidx[~ok | (resid > KKT_RTOL * scale)]
            if redo.size:
                mu[redo] = _lsq.cone_multipliers(prob, g, np.ones((L, N), dtype=bool), redo,
                                                 hint=mu0, rtol=KKT_RTOL)[redo]
        cert = _lsq.certify(prob, w, mu, rtol=KKT_RTOL)
        return (w if cert.ok else None), cert, its

    def _ipm_pdas(self, prob, max_iter=100):
        """IPM iterates until the tight set they identify leads PDAS to a certified optimum.

        Identification (``slack <= multiplier``) is tried once the complementarity has
        dropped by ``1e-8`` (measured: rarely earlier), then after every iteration.
        """
        its = 0
        for w, _s, lam, mu_rel in _lsq.ipm_iterates(prob, max_iter=max_iter):
            its += 1
            if mu_rel > 1e-8 and its < max_iter:
                continue
            wp, cert, k = _lsq.pdas(prob, prob.slack(w) <= lam, max_iter=2, rtol=KKT_RTOL, w_ref=w,
                                    priority=lam, mu_hint=lam)
            its += k
            if wp is not None:
                return wp, cert, its
            if mu_rel < 1e-24:
                break
        return None, None, its

    # ------------------------------------------------------------------ logistic fast path
    def _solve_logistic(self, A):
        t0 = time.perf_counter()
        live, M, S = self._masked(A)
        L = len(live)
        sigma = 2.0 * self.y - 1.0
        b = float(self.v[-1])
        N = self.n_samples
        sep = np.zeros(N, dtype=bool)
        D = None
        if self.ridge == 0 and L:
            try:
                sep, Dl = _logistic.separable_set(M, sigma, self.Xn, S)
            except RuntimeError as exc:
                raise SolverFailedError(str(exc)) from None
            if sep.any():
                D = self._assemble(A, live, Dl)
        keep = ~sep
        if L == 0:
            W = np.zeros((self.n_units, self.p))
            return self._finish(A, W, np.zeros((0, N)), live, "trivial", t0, 0, 0.0)
        if not keep.any():
            w = np.zeros(L * self.p)
            mu = np.zeros((L, N))
            info = {"iterations": 0, "status": "Solved"}
        else:
            w, mu, info = _logistic.solve_clarabel(M, b, sigma, self.Xn, S, N, self.ridge, keep)
            if info["status"] not in ("Solved", "AlmostSolved"):
                raise SolverFailedError(f"Clarabel returned status {info['status']} on the "
                                        "logistic subproblem; try ridge > 0 or method='cvxpy'")
        W = self._assemble(A, live, w)
        z = _forward(self.X, W, self.v)
        if sep.any():
            inf_loss = float(np.sum(self.loss.value(z[keep], self.y[keep]))) / N
            return self._finish(A, W, mu, live, "lp+clarabel", t0, info["iterations"], float("nan"),
                                status="unattained", loss_override=inf_loss, D=D, sep=sep)
        return self._finish(A, W, mu, live, "clarabel", t0, info["iterations"], float("nan"))

    # ------------------------------------------------------------------ cvxpy reference
    def _solve_cvxpy(self, A):
        import cvxpy as cp

        t0 = time.perf_counter()
        solver = self.cvxpy_solver
        if solver not in cp.installed_solvers():
            fail("cvxpy_solver", "SubproblemSolver", "an installed cvxpy solver ("
                 + ", ".join(cp.installed_solvers()) + ")", repr(solver))
        m, N, p = self.n_units, self.n_samples, self.p

        def build():
            W = cp.Variable((m, p))
            Z = self.Xb @ W.T
            C = A.T.astype(np.float64) * self.v[:m]
            out = cp.sum(cp.multiply(C, Z), axis=1) + self.v[-1]
            cons = [cp.multiply((2.0 * A - 1.0).T, Z) >= 0]
            obj = self.loss.cvxpy_sum(out, self.y) / N
            if self.ridge:
                obj = obj + self.ridge * cp.sum_squares(W)
            return cp.Problem(cp.Minimize(obj), cons), W, cons

        # Clarabel: tight tolerances first (the reference must be accurate to well
        # below 1e-8); if Clarabel cannot reach them, a fresh problem with its default
        # tolerances, and the result's method says so.
        tries = [({}, "")]
        if solver == "CLARABEL":
            tries = [(dict(tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12,
                           tol_ktratio=1e-10, max_iter=500), ""), ({}, "(default tol)")]
        err = None
        for opts, label in tries:
            prob, W, cons = build()
            try:
                with warnings.catch_warnings():
                    # an inaccurate answer is reported through `status`, not a warning
                    warnings.filterwarnings("ignore", message="Solution may be inaccurate")
                    prob.solve(solver=solver, **opts)
            except cp.error.SolverError as exc:
                err = f"cvxpy/{solver} failed: {exc}"
                continue
            if prob.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) and W.value is not None:
                err = None
                break
            err = f"cvxpy/{solver} returned status {prob.status!r}"
        if err is not None:
            raise SolverFailedError(err)
        Wv = np.asarray(W.value)
        mu = np.maximum(np.asarray(cons[0].dual_value).T, 0.0)
        res = self._finish(A, Wv, mu * self.norms[None, :], np.arange(m), f"cvxpy-{solver}{label}", t0,
                           int(prob.solver_stats.num_iters or 0), float("nan"))
        if prob.status == cp.OPTIMAL_INACCURATE:
            object.__setattr__(res, "status", "optimal_inaccurate")
        return res


def solve_subproblem(X, y, pattern, v, *, loss="mse", ridge=0.0, method="fast", warm_start=None,
                     check=True, cvxpy_solver="CLARABEL"):
    r"""Solve problem (3): the best first layer inside one activation pattern.

    .. math::

        \min_W \frac1N \sum_i \ell\Big(\sum_j v_j a_{ji} (w_j\cdot\bar x_i) + v_{m+1},
        y_i\Big) + \rho \|W\|_F^2
        \quad\text{s.t.}\quad (2a_{ji}-1)(w_j\cdot\bar x_i) \ge 0 .

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
        Targets (``loss="mse"``) or labels in {0, 1} (``loss="logistic"``).
    pattern : array_like of 0/1, shape (m, n_samples)
        The vertex of ``Z^m``: one chamber (0/1 activation pattern) per unit.
    v : array_like, shape (m + 1,) or (m,)
        Fixed second layer: weights then output bias (``m`` entries: bias 0).
    loss : {"mse", "logistic"}
    ridge : float, default 0
        Explicit ridge ``rho``.  With the logistic loss and ``ridge=0`` the infimum may
        be unattained; it is then detected, reported (``status="unattained"``, a
        :class:`~relu.exceptions.UnattainedInfimumWarning`), and ``loss`` is the
        infimum.
    method : {"fast", "cvxpy"}
        See the module docstring; ``"cvxpy"`` is the Clarabel reference.
    warm_start : SubproblemResult, optional
    check : bool, default True
        Verify that each row of ``pattern`` is a chamber (LP, exactly certified).
    cvxpy_solver : str, default "CLARABEL"

    Returns
    -------
    SubproblemResult

    Raises
    ------
    InfeasibleSubproblemError
        A row of ``pattern`` is not a chamber (empty interior).
    SolverFailedError
    ValidationError
        Bad input; the message names the parameter.

    See Also
    --------
    SubproblemSolver : the reusable form (validation once, cached chamber checks).

    Notes
    -----
    The closed constraints always admit ``W = 0``, so "infeasible" means an empty
    interior: the pattern is not a vertex.  Cost of the MSE fast path: a handful of
    dense active-set iterations on ``O(m d)`` variables for warm starts; cold solves
    of large problems take ``O(m^3 d^3)`` per interior-point iteration.

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
    S = SubproblemSolver(X, y, v, loss=loss, ridge=ridge, method=method, check=check,
                         cvxpy_solver=cvxpy_solver)
    if warm_start is not None and not isinstance(warm_start, SubproblemResult):
        fail("warm_start", "solve_subproblem", "a SubproblemResult or None", type(warm_start).__name__)
    A = S._pattern(pattern, "solve_subproblem")
    with single_threaded_blas():  # small dense solves: BLAS threads cost more than they save
        res = S.solve(A, warm_start=warm_start)
    if res.status == "unattained":
        warnings.warn(f"the infimum {res.loss:.6g} of the logistic subproblem is not attained: "
                      f"{int(res.separable.sum())} example(s) are separable inside the pattern's "
                      "cone (||W|| -> inf along result.recession_direction); pass ridge > 0 for "
                      "an attained minimum", UnattainedInfimumWarning, stacklevel=2)
    return res
