r"""Least squares under per-unit homogeneous sign constraints (the MSE subproblem).

The problem solved here is

.. math::

    \min_{w}\; \tfrac1N \|M w - r\|^2 + \rho \|w\|^2
    \quad\text{s.t.}\quad s_{ki}\, \hat x_i \cdot w_k \ge 0
    \quad (k = 1..L,\ i = 1..N),

with ``w = (w_1, ..., w_L)``, ``w_k in R^p`` and unit-norm rows ``x_hat_i``
(the homogenised points divided by their norms, so slacks are distances).  The
constraint matrix is block diagonal, which every routine below exploits.

Engines, all ending in the same KKT certificate (:func:`certify`):

* :func:`daqp_full` / :func:`solve_daqp` -- the dual active-set solver DAQP called
  directly (no modelling layer): on all ``L N`` constraints for small problems, else
  on a *working subset* grown by constraint generation (solve, check all constraints
  with one ``N x L`` product, add the most violated per unit, re-solve warm-started
  from the multipliers).  For the larger problems the LDP transform is done here
  with LAPACK (:attr:`BlockLSQ.ldp`, rows by :meth:`BlockLSQ.ldp_rows`), so DAQP sees
  an identity Hessian.
* :func:`ipm_iterates` -- a Mehrotra predictor-corrector interior-point method whose
  normal matrix ``H + G^T D G`` is ``H`` plus ``L`` blocks of size ``p x p``; its
  identified tight set is handed to :func:`pdas` (primal-dual active set), whose
  inner step :func:`polish` solves the equality-constrained least-squares problem
  on the tight rows exactly (null space per unit + minimum-norm ``lstsq``).
* :func:`refine` -- the same polish for DAQP answers when ``H`` is singular.
* :func:`cone_daqp` -- the cone test of a unit held at the apex ``w_k = 0``
  (``grad_k`` a nonnegative combination of all its rows) as a ``p``-variable DAQP
  problem per unit; :func:`cone_multipliers` (least squares / NNLS) is its fallback.
* :func:`certify` -- feasibility, ``mu >= 0``, stationarity
  (``grad_k = sum_i mu_ki s_ki x_hat_i`` separates over units) and complementarity;
  degenerate units (many tight rows) get their multipliers from
  :func:`cone_multipliers`.  An answer that fails it is never returned.

``H`` may be handed to :class:`BlockLSQ` precomputed (the solver updates the Gram
matrix of a neighbouring pattern); it only steers the solvers -- :func:`certify`
evaluates gradients from ``M`` itself.  When ``H`` is nonsingular the Cholesky factor
of the singularity test is reused for the LDP transform (:func:`daqp_full` also
hands DAQP the transformed problem with an identity Hessian).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from scipy.linalg import lapack as _lapack
from scipy.optimize import nnls

__all__ = ["BlockLSQ", "solve_daqp", "daqp_full", "ipm_iterates", "polish", "pdas", "certify",
           "nnls_multipliers", "cone_multipliers", "cone_daqp", "refine", "Certificate"]

_BIG = 1e30


_trtrs = None


def _tri_solve(R, B, trans=0):
    """Solve ``R X = B`` (``trans=0``) or ``R^T X = B`` (``trans=1``), ``R`` upper triangular.

    Calls LAPACK ``dtrtrs`` directly (the scipy wrapper's checks cost more than the
    solve at these sizes).
    """
    global _trtrs
    if _trtrs is None:
        from scipy.linalg import lapack

        _trtrs = lapack.dtrtrs
    X, info = _trtrs(R, B, lower=0, trans=trans)
    if info != 0:  # pragma: no cover - R comes from a successful Cholesky
        raise np.linalg.LinAlgError("singular triangular factor")
    return X


class BlockLSQ:
    """Problem data; ``M`` (N, L p), ``r`` (N,), ``Xn`` (N, p), ``S`` (L, N) in {-1, +1}."""

    def __init__(self, M, r, Xn, S, ridge=0.0, *, H=None, f=None, rows_template=None):
        self.M = M
        self.r = r
        self.Xn = Xn
        self.S = S if S.dtype == np.float64 else S.astype(np.float64)
        self.L, self.N = S.shape
        self.p = Xn.shape[1]
        self.n = self.L * self.p
        self.ridge = float(ridge)
        self.n_ex = M.shape[0]
        # ``H`` / ``f`` may be supplied (e.g. updated from a neighbouring pattern's);
        # they must equal the values the properties below would compute
        self._H = H
        self._f = f
        self._ldp = None
        self._rinv = None
        self._G = None
        self._scale = None
        self._singular = None
        self._chol = None
        self._template = rows_template

    # ------------------------------------------------------------ derived data
    @property
    def H(self):
        if self._H is None:
            H = (2.0 / self.n_ex) * (self.M.T @ self.M)
            if self.ridge:
                H[np.diag_indices_from(H)] += 2.0 * self.ridge
            self._H = H
        return self._H

    @property
    def f(self):
        if self._f is None:
            self._f = -(2.0 / self.n_ex) * (self.M.T @ self.r)
        return self._f

    @property
    def grad_scale(self):
        """A scale for gradient entries: ``(2/N) ||M||_F ||r||``."""
        if self._scale is None:
            self._scale = (2.0 / self.n_ex) * float(np.sqrt(np.einsum("ij,ij->", self.M, self.M))
                                                    * np.sqrt(self.r @ self.r))
        return self._scale

    def objective(self, w):
        res = self.M @ w - self.r
        return float(res @ res) / self.n_ex + self.ridge * float(w @ w)

    def gradient(self, w):
        g = (2.0 / self.n_ex) * ((self.M @ w - self.r) @ self.M)
        if self.ridge:
            g = g + 2.0 * self.ridge * w
        return g

    def slack(self, w):
        """``(L, N)`` slacks ``s_ki x_hat_i . w_k``."""
        return self.S * (w.reshape(self.L, self.p) @ self.Xn.T)

    def Gt(self, u):
        """``G^T u`` for ``u`` of shape (L, N)."""
        return ((self.S * u) @ self.Xn).reshape(-1)

    def rows(self, k, i):
        """Dense constraint rows for the pairs ``(k[t], i[t])``."""
        A = np.zeros((len(k), self.L, self.p))
        A[np.arange(len(k)), k, :] = self.S[k, i, None] * self.Xn[i]
        return A.reshape(len(k), self.n)

    @property
    def H_reg(self):
        """``H``, plus ``1e-10 max diag(H) I`` when ``H`` is singular.

        The tiny ridge keeps the active-set iterates bounded along flat directions
        (duplicated units, too few active points); without it they can drift to
        ``|w| ~ 1e16``, where the outputs cancel catastrophically.  The bias it adds is
        removed afterwards by :func:`refine`.
        """
        if self.singular:
            dmax = max(float(np.max(np.diag(self.H))), 1e-300)
            return self.H + 1e-10 * dmax * np.eye(self.n)
        return self.H

    @property
    def singular(self):
        """Whether ``H`` is numerically singular (then DAQP uses proximal iterations and
        its answer is polished, see :func:`refine`)."""
        if self._singular is None:
            H = self.H
            dmax = max(float(H.diagonal().max()), 1e-300)
            R, info = _lapack.dpotrf(H, lower=0, clean=1)
            self._singular = bool(info != 0 or float(np.abs(R.diagonal()).min()) ** 2
                                  < 1e-13 * dmax)
            if not self._singular:
                self._chol = R          # reused by :attr:`ldp` (H_reg == H then)
        return self._singular

    @property
    def ldp(self):
        """``(R, h)``: upper Cholesky factor of :attr:`H_reg` and ``h = H_reg^{-1} f``."""
        if self._ldp is None:
            if not self.singular and self._chol is not None:
                R = self._chol
            else:
                R = np.linalg.cholesky(self.H_reg).T
            R = np.asfortranarray(R)
            h = _tri_solve(R, _tri_solve(R, self.f, trans=1))
            self._ldp = (R, h)
        return self._ldp

    @property
    def rinv(self):
        """``R^{-1}`` (C order) for the factor ``R`` of :attr:`ldp` (LAPACK ``dtrtri``)."""
        if self._rinv is None:
            R = self._chol if not self.singular and self._chol is not None else self.ldp[0]
            Ri, info = _lapack.dtrtri(R, lower=0)
            if info != 0:  # pragma: no cover - R is a successful Cholesky factor
                raise np.linalg.LinAlgError("singular triangular factor")
            self._rinv = np.ascontiguousarray(Ri)
        return self._rinv

    def ldp_rows(self, k, i):
        """Rows ``(k[t], i[t])`` of ``G R^{-1}`` (the LDP constraint matrix), ``k`` sorted.

        ``G`` is block diagonal, so row ``(k, i)`` is ``s_ki x_hat_i R^{-1}[k p:(k+1) p, :]``:
        one ``(rows of unit k) x p x n`` product per unit instead of a triangular solve
        with ``n`` columns per row.
        """
        n, p = self.n, self.p
        Ri3 = self.rinv.reshape(self.L, p, n)
        A = np.empty((k.size, n))
        bounds = np.searchsorted(k, np.arange(self.L + 1))
        for kk in np.flatnonzero(bounds[1:] > bounds[:-1]):
            a, b = bounds[kk], bounds[kk + 1]
            np.matmul(self.Xn[i[a:b]], Ri3[kk], out=A[a:b])
        A *= self.S[k, i][:, None]
        return A

    def full_rows(self):
        """All ``L N`` constraint rows as a dense block-diagonal matrix (row ``k N + i``)."""
        if self._G is None:
            if self._template is not None:      # block_template(Xn, L): scale its rows
                self._G = self._template * self.S.reshape(-1, 1)
            else:
                self._G = block_template(self.Xn, self.L) * self.S.reshape(-1, 1)
        return self._G

    def feas_tol(self, w):
        """Per-unit feasibility tolerance on the (distance-valued) slacks."""
        W = w.reshape(self.L, self.p)
        nrm = np.sqrt(np.einsum("ij,ij->i", W, W))
        return 1e-10 * np.maximum(1.0, nrm)[:, None]


def block_template(Xn, L):
    """The ``(L N, L p)`` block-diagonal matrix with ``L`` copies of ``Xn`` (row ``k N + i``).

    Multiplying its rows by the signs ``S.reshape(-1)`` gives all constraint rows.
    """
    N, p = Xn.shape
    T = np.zeros((L, N, L, p))
    ar = np.arange(L)
    T[ar, :, ar, :] = Xn[None, :, :]
    return T.reshape(L * N, L * p)


class Certificate:
    """Outcome of :func:`certify`: multipliers and residuals."""

    __slots__ = ("ok", "mu", "stationarity", "infeasibility", "scale")

    def __init__(self, ok, mu, stationarity, infeasibility, scale):
        self.ok = ok
        self.mu = mu
        self.stationarity = stationarity
        self.infeasibility = infeasibility
        self.scale = scale


def nnls_multipliers(prob, g, tight, units=None):
    """Multipliers ``mu >= 0`` on the ``tight`` rows minimising ``||g_k - G_k^T mu_k||``.

    One small NNLS (Lawson-Hanson, :func:`scipy.optimize.nnls`) per unit; ``g`` has
    shape (L, p).  Returns ``mu`` of shape (L, N).
    """
    mu = np.zeros((prob.L, prob.N))
    for k in (range(prob.L) if units is None else units):
        idx = np.nonzero(tight[k])[0]
        if idx.size == 0 or not np.any(g[k]):
            continue
        A = (prob.S[k, idx, None] * prob.Xn[idx]).T
        sol, _ = nnls(A, g[k], maxiter=50 * max(idx.size, 10))
        mu[k, idx] = sol
    return mu


def cone_multipliers(prob, g, rows, units, *, hint=None, rtol=1e-9):
    """Multipliers ``mu >= 0`` on ``rows`` with ``g_k = sum_i mu_ki s_ki x_hat_i`` for ``units``.

    For degenerate units (more tight rows than ``p``, e.g. at the apex ``w_k = 0``).
    With a ``hint`` (interior multipliers of an IPM, or a previous solution's), the
    hint is corrected by the minimum-norm solution of the residual system and clipped
    at 0 -- cheap and usually exact to ``rtol``; units where that fails get an NNLS
    (Lawson-Hanson) over all their ``rows``.  Returns ``mu`` of shape (L, N).
    """
    mu = np.zeros((prob.L, prob.N))
    units = np.asarray(units, dtype=np.intp)
    if units.size == 0:
        return mu
    again = units
    if hint is not None:
        # first on the hint's support (a basic solution stays basic), then on all rows
        for support in (rows & (hint > 0), rows):
            sub = again
            h = np.where(support[sub], hint[sub], 0.0)
            Rb = (prob.S[sub] * support[sub])[:, :, None] * prob.Xn[None, :, :]   # (b, N, p)
            resid = g[sub] - np.einsum("kn,knp->kp", h, Rb)
            gram = np.matmul(Rb.transpose(0, 2, 1), Rb)                          # (b, p, p)
            coef = np.matmul(np.linalg.pinv(gram, rcond=1e-13, hermitian=True),
                             resid[:, :, None])
            cand = np.maximum(h + np.matmul(Rb, coef)[:, :, 0], 0.0)
            res = np.abs(g[sub] - ((prob.S[sub] * cand) @ prob.Xn)).max(axis=1)
            good = res <= rtol * prob.grad_scale
            mu[sub[good]] = cand[good]
            again = sub[~good]
            if again.size == 0:
                break
    if again.size:
        mu[again] = nnls_multipliers(prob, g, rows, units=again)[again]
    return mu


def cone_daqp(prob, g, units, hint=None):
    """Multipliers for ``g_k`` in the cone of *all* of unit ``k``'s rows, by DAQP (per unit).

    ``g_k = sum_i mu_ki s_ki x_hat_i`` with ``mu_k >= 0`` holds iff ``d = 0`` solves
    ``min 1/2 |d|^2 + g_k . d`` s.t. ``s_ki x_hat_i . d >= 0`` (KKT of that strictly convex
    ``p``-variable QP at ``d = 0`` is exactly the cone condition), and then DAQP's
    multipliers are the cone multipliers.  A dual active-set method copes with the
    degenerate data (``N >> p`` rows, duplicates) by keeping a linearly independent
    active set.  When ``g_k`` is *not* in the cone the minimiser is ``d != 0`` and the
    returned multipliers fail the caller's certificate.  ``hint`` (L, N): previous
    multipliers; the ``p`` largest of a unit seed DAQP's active set.  Returns ``mu``
    (L, N) and a bool array (per entry of ``units``): DAQP reported success.
    """
    import daqp

    L, N, p = prob.L, prob.N, prob.p
    mu = np.zeros((L, N))
    ok = np.zeros(len(units), dtype=bool)
    hi, sense, eye, _, lo = _daqp_consts(N, p)
    kk = min(p, N)
    units = np.asarray(units, dtype=np.intp)
    if units.size == 0:
        return mu, ok
    # the rows (b, N, p), right-hand sides and dual starts of all units at once
    A = prob.S[units][:, :, None] * prob.Xn[None, :, :]
    gs = np.ascontiguousarray(g[units])
    lam0 = None
    if hint is not None:
        hs = hint[units]
        has = np.any(hs > 0, axis=1)
        if has.any():
            top = np.argpartition(-hs, kk - 1, axis=1)[:, :kk] if kk < N \
                else np.broadcast_to(np.arange(N), (units.size, N))
            lam0 = np.zeros((units.size, N))
            np.put_along_axis(lam0, top, -np.maximum(np.take_along_axis(hs, top, axis=1), 0.0),
                              axis=1)
    for t, k in enumerate(units):
        kw = {}
        if lam0 is not None and has[t]:
            kw["dual_start"] = lam0[t]
        d, _, flag, info = daqp.solve(eye, gs[t], A[t], hi, lo, sense, primal_tol=1e-12,
                                      iter_limit=100_000, eps_prox=0.0, **kw)
        if flag < 0 or not np.all(np.isfinite(d)):
            continue
        mu[k] = np.maximum(-info["lam"], 0.0)
        ok[t] = True
    return mu, ok


def certify(prob, w, mu=None, *, tight=None, rtol=1e-9):
    """KKT check of a candidate ``w``; multipliers by NNLS on the tight rows if not given.

    Returns a :class:`Certificate`; ``ok`` when ``w`` is feasible (slacks >= -tol),
    ``mu >= 0`` and ``||grad - G^T mu||_inf <= rtol * scale`` and the complementarity
    products ``|mu_ki slack_ki|`` are below ``rtol * scale * max(1, |w|_inf)``.  For a
    convex problem these conditions certify optimality.
    """
    L, p = prob.L, prob.p
    W = w.reshape(L, p)
    sl = W @ prob.Xn.T
    sl *= prob.S
    wn = np.sqrt(np.einsum("ij,ij->i", W, W))
    smin = float(sl.min()) if sl.size else 0.0
    infeas = max(0.0, -smin)
    g = prob.gradient(w).reshape(L, p)
    scale = prob.grad_scale
    if prob.ridge:
        scale += 2.0 * prob.ridge * float(np.sqrt(w @ w))
    scale = max(scale, 1e-300)
    if mu is None:
        if tight is None:
            tol = 1e-10 * np.maximum(1.0, wn)[:, None]
            tight = sl <= np.maximum(tol, 1e-7 * np.abs(sl).max(axis=1, keepdims=True))
        mu = nnls_multipliers(prob, g, tight)
    else:
        mu = np.maximum(mu, 0.0)
    resid = g - (prob.S * mu) @ prob.Xn
    stat = float(np.abs(resid).max()) if resid.size else 0.0
    compl = float(np.abs(mu * sl).max()) if mu.size else 0.0
    wmax = float(wn.max(initial=0.0))
    # feasible: every slack >= -1e-10 max(1, |w_k|) (the per-unit tolerance is only
    # evaluated when the global minimum is below the smallest one)
    feas = smin >= -1e-10 or not np.any(sl < -1e-10 * np.maximum(1.0, wn)[:, None])
    ok = feas and stat <= rtol * scale and compl <= rtol * scale * max(1.0, wmax)
    return Certificate(bool(ok), mu, stat / scale, infeas, scale)


class _Tight:
    """The tight rows of every unit, compacted to at most ``kmax`` rows per unit.

    Units with more than ``kmax`` tight rows (degenerate apex units: ``w_j = 0`` with
    all ``N`` rows tight) keep the ``kmax`` rows of highest ``priority`` -- enough to
    pin ``w_j = 0`` when they span ``R^p`` (which the SVD checks; otherwise every
    tight row is kept for that unit).  Batched SVD of the compacted rows gives the
    null space of each unit's rows (``Vt[free]``) and least-squares multipliers.
    """

    def __init__(self, prob, T, priority=None, kmax=None):
        L, N, p = prob.L, prob.N, prob.p
        kmax = 2 * p if kmax is None else kmax
        cnt = T.sum(axis=1)
        pr = np.where(T, 0.0 if priority is None else priority, -np.inf)
        k = int(min(max(int(cnt.max(initial=0)), 1), kmax))
        idx = np.argsort(-pr, axis=1, kind="stable")[:, :k]           # (L, k)
        valid = np.take_along_axis(T, idx, axis=1)
        full = self._svd(prob, idx, valid)
        # a truncated unit whose kept rows do not span R^p keeps all its rows
        trunc = np.nonzero(cnt > k)[0]
        if trunc.size and np.any(~full[3][trunc].all(axis=1) & full[3][trunc].any(axis=1)):
            k = int(cnt.max())
            idx = np.argsort(-pr, axis=1, kind="stable")[:, :k]
            valid = np.take_along_axis(T, idx, axis=1)
            full = self._svd(prob, idx, valid)
        self.idx, self.valid = idx, valid
        self.U, self.sv, self.Vt, self.free = full
        self.T = np.zeros((L, N), dtype=bool)
        np.put_along_axis(self.T, idx, valid, axis=1)

    @staticmethod
    def _svd(prob, idx, valid):
        L, p = prob.L, prob.p
        Sv = np.take_along_axis(prob.S, idx, axis=1) * valid
        R = Sv[:, :, None] * prob.Xn[idx]                                # (L, k, p)
        if R.shape[1] < p:
            R = np.concatenate([R, np.zeros((L, p - R.shape[1], p))], axis=1)
        U, sv, Vt = np.linalg.svd(R, full_matrices=False)
        smax = sv[:, :1]
        free = (sv <= 1e-10 * np.maximum(smax, 1e-300)) | (smax == 0)
        return U, sv, Vt, free

    def ls_multipliers(self, prob, g):
        """Minimum-norm ``mu`` on the kept rows with ``R_k^T mu_k = g_k`` (L, N)."""
        inv = np.where(self.free, 0.0, 1.0 / np.where(self.free, 1.0, self.sv))
        coef = np.einsum("lqp,lp->lq", self.Vt, g) * inv
        mc = np.einsum("lnq,lq->ln", self.U, coef)[:, :self.idx.shape[1]]
        mu = np.zeros((prob.L, prob.N))
        np.put_along_axis(mu, self.idx, np.where(self.valid, mc, 0.0), axis=1)
        return mu


def polish(prob, T, _svd=None, w_ref=None, priority=None):
    """Exact minimiser of the objective on ``{w : rows in `T` hold with equality}``.

    Null space per unit (batched SVD of the compacted tight rows, :class:`_Tight`),
    then ``lstsq``.  When the objective is flat in some directions of that subspace
    (rank-deficient ``M``: duplicated units, units active on too few points) the
    minimiser closest to ``w_ref`` (projected) is returned -- the minimum-norm one if
    ``w_ref`` is None.  Staying near a feasible reference matters: a far-away point of
    the flat optimal set may violate constraints that the reference satisfies.
    """
    L, p, N = prob.L, prob.p, prob.n_ex
    tt = _svd if _svd is not None else _Tight(prob, T, priority)
    Vt, free = tt.Vt, tt.free
    nf = int(free.sum())
    if nf == 0:
        return np.zeros(prob.n)
    M3 = prob.M.reshape(N, L, p).transpose(1, 0, 2)                      # (L, N, p)
    MV = np.matmul(M3, Vt.transpose(0, 2, 1))                             # (L, N, p) BLAS
    MZ = MV.transpose(1, 0, 2)[:, free]
    rhs = prob.r
    z0 = None
    if w_ref is not None:
        z0 = np.einsum("lqp,lp->lq", Vt, w_ref.reshape(L, p))[free]
        rhs = rhs - MZ @ z0
    if prob.ridge:
        MZ = np.vstack([MZ, np.sqrt(N * prob.ridge) * np.eye(nf)])
        rhs = np.r_[rhs, np.zeros(nf) if z0 is None else -np.sqrt(N * prob.ridge) * z0]
    # minimum-norm least squares with an *absolute* cut-off relative to ||M||: when
    # every free direction is flat (MZ ~ 1e-17) a relative cut-off would amplify noise
    U, sv, Vt2 = np.linalg.svd(MZ, full_matrices=False)
    mnorm = float(np.sqrt(np.einsum("ij,ij->", prob.M, prob.M)))
    keep = sv > 1e-12 * max(mnorm, float(sv[0]) if sv.size and prob.ridge else 0.0, 1e-300)
    z = Vt2[keep].T @ ((U[:, keep].T @ rhs) / sv[keep])
    if z0 is not None:
        z = z + z0
    Zf = np.zeros((L, p))
    Zf[free] = z
    return np.einsum("lq,lqp->lp", Zf, Vt).reshape(-1)


def refine(prob, w, mu, *, rtol=1e-9):
    """Polish a certified active-set answer when ``H`` is singular.

    With a singular Hessian DAQP runs on a slightly regularised problem, whose answer
    passes the KKT certificate yet can sit ~1e-11 above the optimum (e.g. when an
    exact fit exists).  Re-solving the equality-constrained problem on the support of
    ``mu`` near ``w`` removes that error; the better certified point is returned.
    Returns ``(w, certificate)``.
    """
    cert = certify(prob, w, mu, rtol=rtol)
    if not prob.singular:
        return w, cert
    w2, cert2, _ = pdas(prob, mu > 0, max_iter=3, rtol=rtol, w_ref=w, priority=mu)
    if w2 is not None and (not cert.ok or prob.objective(w2) <= prob.objective(w)):
        return w2, cert2
    return w, cert


def pdas(prob, T, *, max_iter=10, rtol=1e-9, w_ref=None, priority=None, mu_hint=None):
    """Primal-dual active-set iterations from a guessed tight set ``T`` (L, N).

    Each iteration solves the equality-constrained problem on ``T`` exactly
    (:func:`polish`), computes multipliers (least squares from the same SVD; NNLS for
    units whose kept rows are dependent), and updates
    ``T <- {violated rows} | {rows of T with mu > 0}`` (Hintermueller, Ito & Kunisch
    2002).  ``priority`` (L, N) ranks the tight rows of degenerate units, and
    ``mu_hint`` (L, N) seeds their multipliers (both: the IPM multipliers).  Returns ``(w, certificate, iterations)``; ``w`` is ``None`` when
    no certified point was reached (the caller falls back to another engine).
    """
    seen = set()
    for it in range(1, max_iter + 1):
        tt = _Tight(prob, T, priority)
        w = polish(prob, tt.T, tt, w_ref)
        g = prob.gradient(w).reshape(prob.L, prob.p)
        mu = tt.ls_multipliers(prob, g)
        rank = (~tt.free).sum(axis=1)
        degenerate = tt.T.sum(axis=1) > rank
        bad = np.nonzero(degenerate & (mu.min(axis=1) < 0))[0]
        if bad.size:
            mu[bad] = cone_multipliers(prob, g, T, bad, hint=mu_hint, rtol=rtol)[bad]
        cert = certify(prob, w, np.maximum(mu, 0.0), rtol=rtol)
        if cert.ok and mu.min(initial=0.0) >= -rtol * cert.scale:
            return w, cert, it
        sl = prob.slack(w)
        Tn = (sl < -prob.feas_tol(w)) | (tt.T & (mu > 0))
        key = np.packbits(Tn).tobytes()
        if key in seen or np.array_equal(Tn, tt.T):
            return None, cert, it
        seen.add(key)
        T = Tn
        priority = mu_hint = None
    return None, None, max_iter


# ---------------------------------------------------------------------- DAQP engine
_CONSTS = {}


def _daqp_consts(nc, n):
    """Constant inputs of a DAQP call with ``nc`` one-sided rows on ``n`` variables
    (upper bounds ``+inf``, row senses, identity Hessian, zero linear term, zero lower
    bounds), cached.

    DAQP reads but never writes them (checked); its wrapper refuses read-only arrays.
    """
    c = _CONSTS.get((nc, n))
    if c is None:
        c = (np.full(nc, _BIG), np.zeros(nc, dtype=np.intc), np.eye(n), np.zeros(n),
             np.zeros(nc))
        if len(_CONSTS) > 64:
            _CONSTS.clear()
        _CONSTS[(nc, n)] = c
    return c


def _daqp_ldp(prob, k, i, mu0=None):
    """DAQP on the rows ``(k[t], i[t])`` after our own LDP transform.

    With ``H = R^T R`` (LAPACK Cholesky, cached on ``prob``) and ``u = R w + R^{-T} f``
    the QP becomes ``min 1/2 ||u||^2`` s.t. ``(G R^{-1}) u >= G H^{-1} f``; DAQP detects
    the identity Hessian and skips its own (unblocked) factorisation, which dominated
    its run time.  The multipliers are those of ``G w >= 0``.
    """
    import daqp

    R, h = prob.ldp
    nc = k.size
    if nc > 1 and np.any(k[1:] < k[:-1]):
        raise ValueError("_daqp_ldp needs the rows sorted by unit")
    A = prob.ldp_rows(k, i)
    b = prob.slack(h)[k, i]
    kw = {}
    if mu0 is not None:
        lam0 = -mu0[k, i]
        if np.any(lam0):
            kw["dual_start"] = np.ascontiguousarray(lam0)
    hi, sense, eye, zero, _ = _daqp_consts(nc, prob.n)
    u, _, flag, info = daqp.solve(eye, zero, A, hi, b, sense, primal_tol=1e-12,
                                  iter_limit=100_000, eps_prox=0.0, **kw)
    if flag < 0 or not np.all(np.isfinite(u)):
        return None, None, int(info["iterations"]), int(flag)
    w = _tri_solve(R, u) - h
    lam = np.maximum(-np.asarray(info["lam"]), 0.0)
    return w, lam, int(info["iterations"]), int(flag)


def solve_daqp(prob, work, mu0=None, *, max_rounds=100, per_round=None):
    """Constraint generation around DAQP (see :func:`_daqp_ldp`).

    Parameters
    ----------
    prob : BlockLSQ
    work : ndarray of bool, shape (L, N)
        Initial working subset of the constraints (not modified).
    mu0 : ndarray, shape (L, N), optional
        Initial multipliers (warm start; their support is DAQP's initial active set).

    Returns
    -------
    w, mu (L, N), info dict (``iterations``, ``rounds``, ``n_rows``) -- ``w`` is
    ``None`` when DAQP reports failure.  The returned point solves the QP restricted
    to the final working subset and satisfies every constraint, hence it solves the
    full QP (a relaxation whose minimiser is feasible is optimal).
    """
    work = work.copy()
    L, N, p = prob.L, prob.N, prob.p
    per_round = per_round or max(2, p)
    mu = None if mu0 is None else np.where(work, mu0, 0.0)
    iters = 0
    for rnd in range(1, max_rounds + 1):
        k, i = np.nonzero(work)
        if k.size == 0:
            w = -prob.ldp[1]
            lam = np.zeros(0)
        else:
            w, lam, its, flag = _daqp_ldp(prob, k, i, mu)
            iters += its
            if w is None:
                return None, None, {"iterations": iters, "rounds": rnd, "n_rows": int(work.sum()),
                                    "exitflag": flag}
        mu = np.zeros((L, N))
        mu[k, i] = lam
        sl = prob.slack(w)
        viol = sl < -prob.feas_tol(w)
        if not viol.any():
            return w, mu, {"iterations": iters, "rounds": rnd, "n_rows": int(work.sum()),
                           "exitflag": 1}
        # add, per unit, the `per_round` most violated constraints
        order = np.argsort(np.where(viol, sl, np.inf), axis=1)[:, :per_round]
        rows = np.arange(L)[:, None]
        add = viol[rows, order]
        work[np.broadcast_to(rows, order.shape)[add], order[add]] = True
    return None, None, {"iterations": iters, "rounds": max_rounds, "n_rows": int(work.sum()),
                        "exitflag": -100}


def daqp_full(prob, mu0=None):
    """One DAQP call on all ``L N`` constraints (small problems), warm-started by ``mu0``.

    With a nonsingular ``H`` the problem is passed in LDP form (``H = R^T R`` from
    :attr:`BlockLSQ.singular`, rows ``G R^{-1}``, identity Hessian), which spares DAQP
    its own factorisation; a singular ``H`` goes in as :attr:`BlockLSQ.H_reg`.
    Returns ``(w, mu, info)`` with ``w = None`` on failure.
    """
    import daqp

    L, N, p, n = prob.L, prob.N, prob.p, prob.n
    nc = L * N
    hi, sense, eye, zero, lo = _daqp_consts(nc, n)
    kw = {}
    if mu0 is not None and mu0.any():
        kw["dual_start"] = -mu0.reshape(-1)
    if not prob.singular:
        # LDP form with our Cholesky factor (H = R^T R, from the singularity test):
        # u = R w + R^{-T} f, rows G R^{-1}.  DAQP then sees an identity Hessian and
        # skips its own factorisation and row transform.  Row (k, i) of G R^{-1} is
        # s_ki x_hat_i R^{-1}[k p:(k+1) p, :] (G is block diagonal): one batched
        # product (all rows; :meth:`BlockLSQ.ldp_rows` for a subset), G is never formed.
        Ri = prob.rinv
        h = Ri @ (Ri.T @ prob.f)
        GR = np.matmul(prob.Xn, Ri.reshape(L, p, n))
        GR *= prob.S[:, :, None]
        u, _, flag, info = daqp.solve(eye, zero, GR.reshape(nc, n), hi, prob.slack(h).reshape(-1),
                                      sense, primal_tol=1e-12, iter_limit=100_000, eps_prox=0.0,
                                      **kw)
        w = Ri @ u - h
    else:
        w, _, flag, info = daqp.solve(prob.H_reg, prob.f, prob.full_rows(), hi, lo, sense,
                                      primal_tol=1e-12, iter_limit=100_000, eps_prox=0.0, **kw)
    its = int(info["iterations"])
    if flag < 0 or not np.isfinite(w).all():
        return None, None, {"iterations": its, "exitflag": int(flag)}
    lam = np.maximum(-info["lam"], 0.0)
    return w, lam.reshape(L, N), {"iterations": its, "exitflag": int(flag)}


# ---------------------------------------------------------------------- IPM engine
def ipm_iterates(prob, *, max_iter=200):
    """Mehrotra predictor-corrector IPM exploiting the block-diagonal constraints.

    A generator: yields ``(w, s, lam, mu_rel)`` after every iteration, with slacks
    ``s`` and multipliers ``lam`` of shape (L, N) and ``mu_rel`` the complementarity
    ``s . lam / (L N)`` relative to its initial value.  The caller stops when an
    identified active set passes :func:`certify`.  Yields nothing if the normal
    matrix cannot be factored.

    The normal matrix is ``H + G^T D G`` with ``G^T D G`` block diagonal
    (``L`` blocks ``x_hat^T diag(D_k) x_hat`` of size ``p x p``).
    """
    L, N, p, n = prob.L, prob.N, prob.p, prob.n
    H, f = prob.H, prob.f
    Xn = prob.Xn
    nc = L * N
    ar = np.arange(L)
    hscale = max(float(np.max(np.abs(np.diag(H)))), 1e-300)
    fscale = max(float(np.max(np.abs(f))), 1e-300)
    eye = np.eye(n)

    XX = (Xn[:, :, None] * Xn[:, None, :]).reshape(N, p * p)

    def factor(D):
        B = (D @ XX).reshape(L, p, p)
        K = H.copy()
        K.reshape(L, p, L, p)[ar, :, ar, :] += B
        reg = 1e-13 * (hscale + float(np.max(np.abs(B))))
        for _ in range(6):
            try:
                return sla.cho_factor(K + reg * eye, check_finite=False)
            except np.linalg.LinAlgError:
                reg *= 100.0
        return None

    cf = factor(np.ones((L, N)))
    if cf is None:
        return
    w = sla.cho_solve(cf, -f, check_finite=False)
    s = prob.slack(w)
    s = np.maximum(np.abs(s), 1e-2 * max(1.0, float(np.max(np.abs(s)))))
    lam = np.full((L, N), max(fscale, 1e-8))
    mu0 = float(np.sum(s * lam)) / nc

    def step2(x1, d1, x2, d2):
        """Largest step in (0, 1] keeping x1 + a d1 >= 0 and x2 + a d2 >= 0."""
        r1 = np.divide(x1, -d1, out=np.full(x1.shape, np.inf), where=d1 < 0)
        r2 = np.divide(x2, -d2, out=np.full(x2.shape, np.inf), where=d2 < 0)
        return float(min(1.0, r1.min(), r2.min()))

    for _ in range(max_iter):
        rd = H @ w + f - prob.Gt(lam)
        rp = prob.slack(w) - s
        mu = float(np.sum(s * lam)) / nc
        D = lam / s
        cf = factor(D)
        if cf is None:
            return

        def direction(rc):
            rhs = -rd - prob.Gt(D * rp + rc / s)
            dw = sla.cho_solve(cf, rhs, check_finite=False)
            ds = prob.slack(dw) + rp
            dl = -(rc + lam * ds) / s
            return dw, ds, dl

        dw, ds, dl = direction(s * lam)
        a_aff = step2(s, ds, lam, dl)
        mu_aff = float(np.sum((s + a_aff * ds) * (lam + a_aff * dl))) / nc
        sigma = (mu_aff / mu) ** 3 if mu > 0 else 0.0
        dw, ds, dl = direction(s * lam + ds * dl - sigma * mu)
        a = min(1.0, 0.995 * step2(s, ds, lam, dl))
        w = w + a * dw
        s = np.maximum(s + a * ds, 1e-300)
        lam = np.maximum(lam + a * dl, 1e-300)
        yield w, s, lam, float(np.sum(s * lam)) / nc / mu0
