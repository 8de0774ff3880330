r"""The KKT system of the CGL on a fixed active set (minimal networks).

For a solution ``w`` whose active blocks ``A`` have linearly independent fits (a
*minimal* network, a vertex of the optimal polytope), fix for every ``b`` in ``A`` the
rows of its cone that are tight (``x_bar_i . w_b = 0``: the samples on the unit's
kink) and an orthonormal basis ``Q_b`` of the subspace ``{w : x_bar_i . w = 0, i
tight}``.  Near ``w`` the cone constraints reduce to ``w_b = Q_b omega_b``, and the CGL
becomes the unconstrained group lasso

.. math::

    \phi(\omega) = L(\bar A \omega) + \lambda \sum_{b \in A} \|\omega_b\|, \qquad
    \bar A = [Z_b Q_b]_{b \in A},

which is smooth where every ``omega_b != 0``, with gradient
``g_b = -Q_b^T Z_b^T r + lambda omega_b / |omega_b|`` (``r = -dL/dz``) and Hessian

.. math::

    J = \bar A^T \nabla^2 L\, \bar A + \lambda\,
        \mathrm{blockdiag}\Big(\frac{I - \hat\omega_b \hat\omega_b^T}{\|\omega_b\|}\Big).

``J`` is positive definite **iff** the fits ``Z_b w_b`` are linearly independent:
``v^T J v = 0`` forces ``v_b = c_b omega_hat_b`` (second term) and then
``sum_b c_b Z_b w_b / |w_b| = 0`` (first term; ``nabla^2 L`` is positive definite for
the squared and the logistic loss).  So on minimal networks ``g = 0`` is a regular
equation: Newton's method refines a solver's answer to machine precision
(:func:`newton_refine`), and the implicit function theorem gives the derivatives of
the minimal network in ``lambda`` and ``y`` (:mod:`relu.convex.sensitivity`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ReducedKKT", "tight_rows", "newton_refine"]

#: A cone row is treated as tight when ``|x_bar_i . w_b| <= TIGHT_RTOL |x_bar_i| |w_b|``.
#: The choice is validated afterwards: a refinement is kept only when its certificate
#: is at least as good as the input's.
TIGHT_RTOL = 1e-6


def tight_rows(prog, w_b, rtol=TIGHT_RTOL):
    """Indices ``i`` with ``|x_bar_i . w_b| <= rtol |x_bar_i| |w_b|`` (the unit's kink samples).

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1, [[0, 1, 1]])
    >>> tight_rows(prog, np.array([1.0, 0.0])).tolist()     # x_bar_0 = (0, 1): on the kink
    [0]
    """
    Xb = prog.design
    a = Xb @ w_b
    scale = np.linalg.norm(Xb, axis=1) * float(np.linalg.norm(w_b))
    return np.nonzero(np.abs(a) <= rtol * scale)[0]


def _null_basis(R, p):
    """Orthonormal basis (``p x k``) of ``{w : R w = 0}``."""
    if R.shape[0] == 0:
        return np.eye(p)
    _, s, Vt = np.linalg.svd(R, full_matrices=True)
    tol = max(R.shape) * np.finfo(float).eps * (float(s[0]) if s.size else 0.0) * 1e3
    rank = int(np.count_nonzero(s > tol))
    return Vt[rank:].T.copy()


@dataclass(frozen=True, eq=False)
class ReducedKKT:
    """The group lasso of a fixed active set on the faces of its cones (see module docs).

    Attributes
    ----------
    prog : CGLProgram
    blocks : ndarray of int, shape (k,)
        The active blocks ``A``.
    bases : tuple of ndarray
        ``Q_b`` (``p x k_b``, orthonormal columns) per active block.
    tight : tuple of ndarray
        Tight cone rows per active block.
    Abar : ndarray, shape (n_samples, sum k_b)
        ``[Z_b Q_b]``.
    offsets : ndarray of int, shape (k + 1,)
        Column ranges of the blocks in ``Abar``.
    """

    prog: object
    blocks: np.ndarray
    bases: tuple
    tight: tuple
    Abar: np.ndarray
    offsets: np.ndarray

    @classmethod
    def at(cls, prog, W, blocks=None, rtol=TIGHT_RTOL, tight=None):
        """The reduced system at block weights ``W`` (active set = non-zero blocks).

        ``tight`` (one index array per active block) overrides the detection of the
        tight rows by :func:`tight_rows`.

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> kkt = ReducedKKT.at(r.program, r.blocks)
        >>> kkt.blocks.tolist() == r.active_blocks.tolist()
        True
        """
        W = np.asarray(W, dtype=np.float64).reshape(prog.n_blocks, prog.p)
        if blocks is None:
            blocks = np.nonzero(np.linalg.norm(W, axis=1) > 0)[0]
        blocks = np.asarray(blocks, dtype=np.intp)
        Xb = prog.design
        bases, tights, cols = [], [], []
        for k, b in enumerate(blocks):
            T = tight_rows(prog, W[b], rtol) if tight is None else np.asarray(tight[k], dtype=np.intp)
            Q = _null_basis(Xb[T], prog.p)
            bases.append(Q)
            tights.append(T)
            D = prog.block_patterns[b].astype(np.float64)
            cols.append(prog.block_signs[b] * (D[:, None] * (Xb @ Q)))
        offsets = np.r_[0, np.cumsum([Q.shape[1] for Q in bases])].astype(np.intp)
        Abar = np.hstack(cols) if cols else np.zeros((prog.n_samples, 0))
        return cls(prog, blocks, tuple(bases), tuple(tights), Abar, offsets)

    # ------------------------------------------------------------------ maps
    def omega_of(self, W):
        """Reduced coordinates ``omega_b = Q_b^T w_b``."""
        W = np.asarray(W, dtype=np.float64).reshape(self.prog.n_blocks, self.prog.p)
        return np.concatenate([Q.T @ W[b] for b, Q in zip(self.blocks, self.bases)]) \
            if len(self.blocks) else np.zeros(0)

    def blocks_of(self, omega):
        """Block weights ``(2P, p)`` with ``w_b = Q_b omega_b`` on the active set."""
        W = np.zeros((self.prog.n_blocks, self.prog.p))
        for k, (b, Q) in enumerate(zip(self.blocks, self.bases)):
            W[b] = Q @ omega[self.offsets[k]:self.offsets[k + 1]]
        return W

    def _parts(self, omega):
        return [omega[self.offsets[k]:self.offsets[k + 1]] for k in range(len(self.blocks))]

    def _loss_derivatives(self, z):
        prog = self.prog
        if prog.loss == "mse":
            return z - prog.y, np.ones_like(z)
        s = 0.5 * (1.0 + np.tanh(0.5 * z))
        return s - prog.y, s * (1.0 - s)

    def value(self, omega):
        """``phi(omega)`` (the CGL objective of ``blocks_of(omega)``)."""
        z = self.Abar @ omega
        return self.prog.loss_value(z) + self.prog.lam * sum(float(np.linalg.norm(o))
                                                             for o in self._parts(omega))

    def gradient(self, omega):
        """``g(omega)``, shape ``(sum k_b,)``."""
        grad_z, _ = self._loss_derivatives(self.Abar @ omega)
        g = self.Abar.T @ grad_z
        for k, o in enumerate(self._parts(omega)):
            g[self.offsets[k]:self.offsets[k + 1]] += self.prog.lam * o / np.linalg.norm(o)
        return g

    def jacobian(self, omega):
        """``J = dg/domega`` (symmetric; positive definite iff the fits are independent)."""
        _, h = self._loss_derivatives(self.Abar @ omega)
        J = self.Abar.T @ (h[:, None] * self.Abar)
        for k, o in enumerate(self._parts(omega)):
            nrm = float(np.linalg.norm(o))
            u = o / nrm
            sl = slice(self.offsets[k], self.offsets[k + 1])
            J[sl, sl] += self.prog.lam * (np.eye(o.size) - np.outer(u, u)) / nrm
        return J

    def directions(self, omega):
        """``d g / d lambda = [omega_b / |omega_b|]``."""
        return np.concatenate([o / np.linalg.norm(o) for o in self._parts(omega)]) \
            if len(self.blocks) else np.zeros(0)


def _newton(kkt, om, max_iter):
    """Damped Newton on ``phi`` from ``om``; returns ``(om, info)`` or ``(None, info)``."""
    phi = kkt.value(om)
    info = {"iterations": 0, "gradient_norm": np.inf, "min_eigenvalue": np.nan}
    scale = max(1.0, abs(phi))
    for it in range(int(max_iter)):
        if min(float(np.linalg.norm(o)) for o in kkt._parts(om)) == 0.0:
            return None, info
        g = kkt.gradient(om)
        info["gradient_norm"] = float(np.linalg.norm(g))
        info["iterations"] = it
        if info["gradient_norm"] <= 1e-15 * scale:
            break
        try:
            Lc = np.linalg.cholesky(kkt.jacobian(om))
        except np.linalg.LinAlgError:
            return None, info
        step = -np.linalg.solve(Lc.T, np.linalg.solve(Lc, g))
        t, moved = 1.0, False
        decrease = float(-g @ step)
        for _ in range(60):
            cand = om + t * step
            if all(np.linalg.norm(o) > 0 for o in kkt._parts(cand)):
                pc = kkt.value(cand)
                # Armijo on phi; near the solution (phi flat at rounding level) a full
                # step that halves the gradient is taken too
                if pc <= phi - 1e-4 * t * decrease or (
                        t == 1.0 and pc <= phi + 1e-13 * scale
                        and np.linalg.norm(kkt.gradient(cand)) < 0.5 * info["gradient_norm"]):
                    om, phi, moved = cand, pc, True
                    break
            t *= 0.5
        if not moved:          # no decrease left at rounding level: converged
            break
    ev = np.linalg.eigvalsh(kkt.jacobian(om))
    info["min_eigenvalue"] = float(ev[0]) if ev.size else np.nan
    info["gradient_norm"] = float(np.linalg.norm(kkt.gradient(om)))
    if not ev.size or ev[0] <= 0:
        return None, info
    return om, info


def newton_refine(prog, W, *, max_iter=40, rtol=TIGHT_RTOL, max_rounds=8):
    """Newton's method on the reduced KKT system of a minimal network (active-set loop).

    Parameters
    ----------
    prog : CGLProgram
    W : ndarray, shape (2P, p)
        Block weights of a (near-)optimal minimal network.
    max_iter : int
        Newton iterations per round.
    rtol : float
        Initial tight-row tolerance (:func:`tight_rows`).
    max_rounds : int
        Rounds of the active-set loop: after each Newton solve, cone rows that became
        violated join the tight set of their block, tight rows whose multiplier is
        negative leave it, and the reduced system is solved again.

    Returns
    -------
    W_new : ndarray, shape (2P, p), or None
        The refined block weights, or None when the reduced system is singular
        (dependent fits), a block wants to vanish, or the loop does not settle.
    info : dict
        ``iterations``, ``gradient_norm`` (final), ``min_eigenvalue`` of ``J``,
        ``rounds``.

    Notes
    -----
    The reduced objective ``phi`` is convex, so each Newton step is damped by
    backtracking on ``phi``; the caller decides by the certificate whether to keep the
    answer (``newton_refine`` itself proves nothing).

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> W, info = newton_refine(r.program, r.prune(refine=False).blocks)
    >>> abs(r.program.objective(W) - r.objective) < 1e-8, info["gradient_norm"] < 1e-10
    (True, True)
    """
    W = np.asarray(W, dtype=np.float64).reshape(prog.n_blocks, prog.p)
    kkt = ReducedKKT.at(prog, W, rtol=rtol)
    info = {"iterations": 0, "gradient_norm": 0.0, "min_eigenvalue": np.nan, "rounds": 0}
    if kkt.Abar.shape[1] == 0:
        return None, info
    Xb = prog.design
    rn = np.linalg.norm(Xb, axis=1)
    tight = [set(T.tolist()) for T in kkt.tight]
    cur = W
    for rnd in range(1, int(max_rounds) + 1):
        kkt = ReducedKKT.at(prog, cur, blocks=kkt.blocks,
                            tight=[np.array(sorted(T), dtype=np.intp) for T in tight])
        om, info = _newton(kkt, kkt.omega_of(cur), max_iter)
        info["rounds"] = rnd
        if om is None:
            return None, info
        Wn = kkt.blocks_of(om)
        changed = False
        r = prog.residual(prog.fit(Wn))
        for k, b in enumerate(kkt.blocks):
            w = Wn[b]
            wn = float(np.linalg.norm(w))
            S = 2.0 * prog.block_patterns[b].astype(np.float64) - 1.0
            sl = S * (Xb @ w)
            viol = np.nonzero(sl < -1e-12 * rn * wn)[0]
            if viol.size:
                tight[k] |= set(viol.tolist())
                changed = True
                continue
            T = np.array(sorted(tight[k]), dtype=np.intp)
            if T.size:
                G = S[T, None] * Xb[T]
                c = prog.block_signs[b] * Xb.T @ (prog.block_patterns[b] * r)
                rho, *_ = np.linalg.lstsq(G.T, prog.lam * w / wn - c, rcond=None)
                neg = T[rho < -1e-9 * prog.lam / max(float(rn.max()), 1e-300)]
                if neg.size:
                    tight[k] -= {int(neg[np.argmin(rho[np.isin(T, neg)])])}
                    changed = True
        if not changed:
            return Wn, info
        cur = Wn
    return None, info
