r"""Certificates for the CGL: on a program's own patterns, and over *all* chambers.

Notation (``docs/convex.md`` has the proofs).  For block weights ``w`` with fit
``z = Z w`` let ``r = -dL/dz`` (``y - z`` for the squared loss) and, for every block
``b`` (pattern ``D``, sign ``s``), ``c_b = s Xb^T D r`` and

.. math::

    v_b = \Pi_{K_D}(c_b) = c_b + G_D^T \rho_b, \qquad \rho_b \ge 0,

the *correlation vector* (``G_D = (2D - I) Xb``, ``rho_b`` the cone multipliers).
``r`` is dual feasible iff ``|v_b| <= lambda`` for every block; then
``d(r) = -sum_i L_i^*(-r_i) <= p*``.  For any ``r`` the scaled point ``r / t`` with
``t = max(1, max_b |v_b| / lambda)`` is dual feasible, so

.. math::

    \text{gap} = P(w) - d(r / t) \;\ge\; P(w) - p^*

bounds the suboptimality of ``w`` (computed at a cone-feasible ``w``).  Over all
chambers the maximum of ``|v_b|`` is found by one streaming pass: ``|Pi_K(c)| <= |c|``
screens out every chamber with ``|Xb^T D r| <= lambda`` (for both signs at once) and
only the survivors are projected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ._cone import project_onto_cones
from .pricing import PricingResult, price_chambers

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import ArrayLike

    from .program import CGLProgram
    from .result import CGLResult

__all__ = ["Certificate", "GlobalCertificate", "certify", "certify_global", "polish"]

#: Default relative tolerance of the certificates (objective gap / dual feasibility).
CERT_TOL = 1e-6


# ---------------------------------------------------------------------------- program
@dataclass(frozen=True, eq=False)
class Certificate:
    """Optimality certificate of block weights on the program's *own* patterns.

    Attributes
    ----------
    objective : float
        ``P(w)`` (paper scaling) at the (cone-feasible) point.
    lower_bound : float
        ``d(r / t)``: a certified lower bound on the program's optimum.
    gap : float
        ``objective - lower_bound`` (``>= P(w) - p*``).
    relative_gap : float
        ``gap / max(|objective|, tiny)``.
    dual_scale : float
        ``t = max(1, max_b |v_b| / lambda)``.
    max_dual_norm : float
        ``max_b |v_b| / lambda`` (``<= 1``: dual feasible).
    stationarity : float
        ``max |v_b - lambda w_b / |w_b|| / lambda`` over the active blocks.
    primal_infeasibility : float
        Largest cone violation ``max(0, -(2D - I) Xb w_b)`` of the solver's point,
        relative to ``|w_b| max_i |x_bar_i|`` (the certified point is projected).
    n_active : int
    tol : float
    accepted : bool
        ``relative_gap <= tol`` and ``max_dual_norm <= 1 + tol``.
    scope : str
        ``"program"`` (this class) -- see :class:`GlobalCertificate` for all chambers.

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> c = r.certificate
    >>> c.accepted, c.max_dual_norm <= 1 + 1e-6, c.relative_gap < 1e-6
    (True, True, True)
    """

    objective: float
    lower_bound: float
    gap: float
    relative_gap: float
    dual_scale: float
    max_dual_norm: float
    stationarity: float
    primal_infeasibility: float
    n_active: int
    tol: float
    accepted: bool
    scope: str = "program"

    def __str__(self):
        return (f"certificate ({self.scope}): {'ACCEPTED' if self.accepted else 'REJECTED'}; "
                f"objective {self.objective:.10g}, lower bound {self.lower_bound:.10g}, "
                f"gap {self.gap:.3g} (relative {self.relative_gap:.3g}); "
                f"max |v_b|/lambda = {self.max_dual_norm:.10g}; stationarity {self.stationarity:.3g}; "
                f"{self.n_active} active blocks")


def _rel(gap, obj):
    return float(gap) / max(abs(float(obj)), 1e-300)


def polish(prog: CGLProgram, blocks: ArrayLike, *, zero_rtol: float = 1e-9) -> tuple[np.ndarray, float]:
    """Make a solver's block weights cone-feasible; drop negligible blocks.

    Every block with a cone violation is replaced by its projection onto its cone
    (:func:`~relu.convex._cone.project_onto_cones`); blocks with
    ``|w_b| <= zero_rtol * max |w|`` are set to zero when that does not increase the
    objective by more than ``1e-12 |P|``.

    Returns
    -------
    blocks : ndarray, shape (2P, p)
    infeasibility : float
        The largest relative cone violation before the projection.

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.1, [[0, 1]])
    >>> w, inf = polish(prog, np.array([[1.0, 0.1], [0.0, 0.0]]))   # 0.1 > 0 on x = 0
    >>> np.round(w, 12).tolist(), round(inf, 6)
    ([[1.0, 0.0], [0.0, 0.0]], 0.07036)
    """
    W = np.array(blocks, dtype=np.float64).reshape(prog.n_blocks, prog.p)
    if prog.n_blocks == 0:
        return W, 0.0
    norms = np.linalg.norm(W, axis=1)
    xs = float(np.max(np.linalg.norm(prog.design, axis=1))) if prog.n_samples else 1.0
    sl = prog.cone_slacks(W)
    viol = np.maximum(-sl.min(axis=1), 0.0) if sl.shape[1] else np.zeros(prog.n_blocks)
    rel = viol / np.maximum(norms * xs, 1e-300)
    infeas = float(rel.max()) if rel.size else 0.0
    bad = np.nonzero(viol > 0)[0]
    if bad.size:
        V, _ = project_onto_cones(prog.design, prog.block_patterns[bad], W[bad])
        W[bad] = V
    norms = np.linalg.norm(W, axis=1)
    top = float(norms.max()) if norms.size else 0.0
    tiny = (norms > 0) & (norms <= zero_rtol * top)
    if tiny.any():
        W2 = W.copy()
        W2[tiny] = 0.0
        p0, p1 = prog.objective(W), prog.objective(W2)
        if p1 <= p0 + 1e-12 * abs(p0):
            W = W2
    return W, infeas


def _dual_bound(prog, r, want_multipliers):
    """Correlations, multipliers, max ratio and the lower bound ``d(r / t)`` at ``r``."""
    if prog.n_blocks:
        c = (prog.patterns * r) @ prog.design
        v, rho = project_onto_cones(prog.design, prog.block_patterns, np.vstack([c, -c]),
                                    want_multipliers=want_multipliers)
        ratio = float(np.linalg.norm(v, axis=1).max()) / prog.lam
    else:
        v, rho, ratio = np.zeros((0, prog.p)), np.zeros((0, prog.n_samples)), 0.0
    lb = prog.dual_value(r / max(1.0, ratio))
    return v, rho, ratio, lb


def certify(prog: CGLProgram, blocks: ArrayLike, *, tol: float = CERT_TOL, want_multipliers: bool = True,
            dual_point: ArrayLike | None = None
            ) -> tuple[Certificate, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Certificate of block weights on the program's own patterns.

    Parameters
    ----------
    prog : CGLProgram
    blocks : ndarray, shape (2P, p)
        Cone-feasible block weights (see :func:`polish`).
    tol : float
    want_multipliers : bool
        Also return the cone multipliers ``rho`` (``(2P, n)``; memory ``16 P n`` bytes).
    dual_point : ndarray, shape (n,), optional
        A second candidate ``r`` (the solver's dual of ``e = Z w - y``, typically more
        accurate than the residual of the fit); the better lower bound is used.

    Returns
    -------
    cert : Certificate
    v : ndarray, shape (2P, p)
        Correlation vectors ``v_b = Pi_{K_b}(Z_b^T r)`` at the ``r`` that gave the bound.
    rho : ndarray, shape (2P, n), or None
    fit : ndarray, shape (n,)
    r : ndarray, shape (n,)
        That ``r`` (the dual point of the certificate).

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.1, [[0, 1]])
    >>> cert, v, rho, fit, r = certify(prog, np.zeros((2, 2)))   # zero is not optimal
    >>> cert.accepted, round(cert.max_dual_norm, 6)
    (False, 10.0)
    """
    W = np.asarray(blocks, dtype=np.float64).reshape(prog.n_blocks, prog.p)
    fit = prog.fit(W)
    r = prog.residual(fit)
    P = prog.objective(W)
    v, rho, ratio, lb = _dual_bound(prog, r, want_multipliers)
    if dual_point is not None:
        rd = np.asarray(dual_point, dtype=np.float64).reshape(-1)
        if rd.shape == r.shape and np.all(np.isfinite(rd)):
            vd, rhod, ratiod, lbd = _dual_bound(prog, rd, want_multipliers)
            if lbd > lb:
                v, rho, ratio, lb, r = vd, rhod, ratiod, lbd, rd
    if prog.n_blocks:
        wn = np.linalg.norm(W, axis=1)
        act = wn > 0
        stat = float(np.max(np.linalg.norm(v[act] - prog.lam * W[act] / wn[act, None], axis=1))) \
            / prog.lam if act.any() else 0.0
        sl = prog.cone_slacks(W)
        xs = float(np.max(np.linalg.norm(prog.design, axis=1)))
        infeas = float(np.max(np.maximum(-sl.min(axis=1), 0.0) / np.maximum(wn * xs, 1e-300)))
    else:
        stat, infeas, act = 0.0, 0.0, np.zeros(0, dtype=bool)
    t = max(1.0, ratio)
    gap = max(P - lb, 0.0) if np.isfinite(lb) else np.inf
    rg = _rel(gap, P) if P != 0 else (0.0 if gap == 0 else np.inf)
    ok = bool(rg <= tol and ratio <= 1 + tol)
    cert = Certificate(float(P), float(lb), float(gap), float(rg), float(t), float(ratio),
                       float(stat), float(infeas), int(np.count_nonzero(act)), float(tol), ok)
    return cert, v, rho, fit, r


# ---------------------------------------------------------------------------- chambers
@dataclass(frozen=True, eq=False)
class GlobalCertificate:
    """Global-optimality certificate over *all* chambers (the full, exact program).

    Attributes
    ----------
    objective : float
        ``P(w)`` of the candidate (paper scaling).
    lower_bound : float
        ``d(r / t)`` with ``t = max(1, max_ratio)``: a certified lower bound on the
        optimum of the full program, i.e. on the optimal weight-decayed training
        objective of a ReLU network of any width.
    gap, relative_gap : float
    max_ratio : float
        ``max |v_b| / lambda`` over all chambers and both signs (``<= 1``: optimal).
    worst_pattern : ndarray of uint8 or None
        The most violated chamber (activation pattern) and its sign ``worst_sign``.
    worst_sign : int
    n_chambers, n_screened, n_projected : int
        Chambers scanned, screened out by ``|Xb^T D r| <= lambda``, projections made.
    tol : float
    certified : bool
        ``max_ratio <= 1 + tol`` and ``relative_gap <= tol``.
    seconds : float
    pricing : PricingResult

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1, patterns=2, rng=0)
    >>> g = relu.convex.certify_global(r)
    >>> g.n_chambers, g.certified    # two sampled gates miss the optimal patterns
    (6, False)
    """

    objective: float
    lower_bound: float
    gap: float
    relative_gap: float
    max_ratio: float
    worst_pattern: np.ndarray | None
    worst_sign: int
    n_chambers: int
    n_screened: int
    n_projected: int
    tol: float
    certified: bool
    seconds: float
    pricing: PricingResult = field(repr=False)

    def __str__(self):
        head = "CERTIFIED globally optimal" if self.certified else "NOT certified"
        return (f"global certificate over {self.n_chambers:,} chambers: {head}; objective "
                f"{self.objective:.10g}, lower bound {self.lower_bound:.10g}, gap {self.gap:.3g} "
                f"(relative {self.relative_gap:.3g}); max |v|/lambda = {self.max_ratio:.10g}; "
                f"{self.n_screened:,} chambers screened out, {self.n_projected:,} projections, "
                f"{self.seconds:.3g} s")


def _global_from_pricing(prog, objective, r, pr, tol, seconds):
    t = max(1.0, pr.max_ratio)
    lb = prog.dual_value(r / t)
    gap = max(objective - lb, 0.0) if np.isfinite(lb) else np.inf
    rg = _rel(gap, objective) if objective != 0 else (0.0 if gap == 0 else np.inf)
    ok = bool(pr.max_ratio <= 1 + tol and rg <= tol)
    return GlobalCertificate(float(objective), float(lb), float(gap), float(rg), float(pr.max_ratio),
                             pr.worst_pattern, pr.worst_sign, pr.n_chambers, pr.n_screened,
                             pr.n_projected, float(tol), ok, float(seconds), pr)


def certify_global(result: CGLResult, *, tol: float = CERT_TOL, block_size: int = 1 << 16,
                   progress: bool = False, chambers: Iterable[np.ndarray] | None = None) -> GlobalCertificate:
    """Certify (or refute) the global optimality of a CGL solution over all chambers.

    Parameters
    ----------
    result : CGLResult
        A solution on any set of patterns (sampled, a working set, or a network mapped
        with :func:`relu.convex.relu_to_cgl`).
    tol : float
    block_size : int
    progress : bool
    chambers : iterable of packed blocks, optional
        Reuse an enumeration.

    Returns
    -------
    GlobalCertificate

    Examples
    --------
    The program on every chamber is certified globally optimal; a solution on two
    sampled patterns is refuted, and its certificate still gives a valid lower bound
    on the optimum of a network of any width:

    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]
    >>> exact = relu.solve_cgl(X, y, 0.1)
    >>> g = relu.convex.certify_global(exact)
    >>> g.certified, g.n_chambers, g.max_ratio <= 1 + g.tol
    (True, 6, True)
    >>> few = relu.solve_cgl(X, y, 0.1, patterns=2, rng=0)
    >>> g = relu.convex.certify_global(few)
    >>> g.certified, round(g.max_ratio, 2)
    (False, 1.36)
    >>> round(g.lower_bound, 4), round(exact.objective, 4), round(few.objective, 4)
    (0.222, 0.2711, 0.2757)
    """
    t0 = time.perf_counter()
    prog = result.program
    r = result.dual_point
    pr = price_chambers(prog.X, r, prog.lam, bias=prog.bias, block_size=block_size,
                        progress=progress, chambers=chambers)
    return _global_from_pricing(prog, result.objective, r, pr, tol, time.perf_counter() - t0)
