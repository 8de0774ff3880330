r"""Sensitivity of minimal networks: derivatives in ``lambda`` and in the labels.

A minimal network (active fits linearly independent; :func:`relu.convex.prune_optimal`)
satisfies the reduced KKT system ``g(omega; lambda, y) = 0`` of :mod:`relu.convex._kkt`
(``w_b = Q_b omega_b`` on the faces of the cones the units sit on) with a positive
definite Jacobian ``J``.  By the implicit function theorem the minimal network is a
smooth function of ``(lambda, y)`` nearby, with

.. math::

    \frac{d\omega}{d\lambda} = -J^{-1} \Big[\frac{\omega_b}{\|\omega_b\|}\Big]_b,
    \qquad
    \frac{d\omega}{dy} = J^{-1} \bar A^T,

(``dr/dy = I`` for both losses, ``d g / dy = -Abar^T``), and ``dp*/dlambda =
sum_b |w_b|`` (envelope theorem).  This local solution stays *optimal for the whole
program* as long as the *active set is stable*:

* strict complementarity on the tight cone rows (their multipliers ``rho > 0``: the
  units stay on their kinks), and the other rows stay strictly inside;
* strict dual feasibility ``|v_b| < lambda`` for every block that is not a copy of an
  active neuron.  Blocks that tie (``|v_b| = lambda``: a non-unique optimal set) are
  reported with ``d(|v_b| - lambda)/d lambda``; the derivative is then one-sided
  (:attr:`Sensitivity.valid_for`).

:func:`sensitivity_finite_differences` checks the derivatives against central
differences of independent re-solves (Clarabel on the CGL restricted to the active
patterns at ``lambda +- h`` or ``y +- h e``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice, check_nonneg, check_rng, fail

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import ArrayLike

    from .result import CGLResult

__all__ = ["Sensitivity", "sensitivity", "sensitivity_finite_differences"]

#: ``|v_b| >= lambda (1 - TIE_RTOL)`` counts as a tie (a block that may enter).
TIE_RTOL = 1e-7


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Derivatives of a minimal network with respect to ``lambda`` and ``y``.

    Attributes
    ----------
    network : CGLResult
        The minimal network (refined, certified) the derivatives are taken at.
    active : ndarray of int
        Its active blocks.
    d_blocks_d_lam : ndarray, shape (2P, p)
        ``dw / dlambda`` (zero off the active set).
    d_blocks_d_y : ndarray, shape (2P, p, n_samples)
        ``dw / dy``.
    d_fit_d_lam : ndarray, shape (n_samples,)
    d_fit_d_y : ndarray, shape (n_samples, n_samples)
    d_objective_d_lam : float
        ``dp*/dlambda = sum_b |w_b|`` (paper scaling).
    min_eigenvalue : float
        Of ``J`` (``> 0``: the fits are independent, the derivative exists).
    complementarity_margin : float
        Smallest multiplier of a tight cone row, relative to ``lambda`` (``> 0``:
        strict complementarity; ``inf`` when no row is tight).
    inactive_row_margin : float
        Smallest ``x_bar_i . w_b / (|x_bar_i| |w_b|)`` over the rows that are not tight.
    dual_margin : float
        ``min (1 - |v_b| / lambda)`` over the blocks that are neither active nor copies
        of an active neuron, ties excluded.
    ties : ndarray of int
        Blocks (not copies of active neurons) with ``|v_b| = lambda`` to
        :data:`TIE_RTOL`.
    tie_slopes : ndarray
        ``d(|v_b| - lambda)/dlambda`` along the path, per tie.
    valid_for : str
        ``"both"`` (two-sided derivative of the optimal minimal network),
        ``"increasing"``/``"decreasing"`` (only for that direction of ``lambda``: a tie
        would become violated on the other side), or ``"neither"``.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> s = relu.convex.sensitivity(relu.solve_cgl(X, y, 0.1))
    >>> bool(s.min_eigenvalue > 0), bool(abs(s.d_objective_d_lam - sum(s.network.block_norms)) < 1e-12)
    (True, True)
    """

    network: object
    active: np.ndarray
    d_blocks_d_lam: np.ndarray
    d_blocks_d_y: np.ndarray
    d_fit_d_lam: np.ndarray
    d_fit_d_y: np.ndarray
    d_objective_d_lam: float
    min_eigenvalue: float
    complementarity_margin: float
    inactive_row_margin: float
    dual_margin: float
    ties: np.ndarray
    tie_slopes: np.ndarray
    valid_for: str

    def __post_init__(self):
        for name in ("active", "d_blocks_d_lam", "d_blocks_d_y", "d_fit_d_lam", "d_fit_d_y",
                     "ties", "tie_slopes"):
            a = np.array(getattr(self, name), copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    @property
    def is_stable(self) -> bool:
        """Strict complementarity, strictly inactive rows and no ties: a two-sided derivative."""
        return bool(self.min_eigenvalue > 0 and self.complementarity_margin > 0
                    and self.inactive_row_margin > 0 and self.valid_for == "both")

    def network_derivatives(self) -> tuple[np.ndarray, np.ndarray]:
        """``d theta^1 / d lambda`` and ``d theta^2 / d lambda`` of the network's units.

        With ``theta^1 = w / sqrt|w|`` and ``theta^2 = s sqrt|w|`` (units in the order of
        :attr:`active`): ``d theta^1 = dw / sqrt|w| - w (w . dw) / (2 |w|^{5/2})``,
        ``d theta^2 = s (w . dw) / (2 |w|^{3/2})``.

        Returns
        -------
        d_W : ndarray, shape (n_units, p)
        d_second_layer : ndarray, shape (n_units,)

        Examples
        --------
        >>> import relu
        >>> s = relu.convex.sensitivity(relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1))
        >>> dW, dv = s.network_derivatives()
        >>> dW.shape[0] == dv.shape[0] == s.active.size
        True
        """
        prog = self.network.program
        W = np.asarray(self.network.blocks)[self.active]
        dW = self.d_blocks_d_lam[self.active]
        nrm = np.linalg.norm(W, axis=1)
        wd = np.einsum("ij,ij->i", W, dW)
        d1 = dW / np.sqrt(nrm)[:, None] - W * (wd / (2.0 * nrm ** 2.5))[:, None]
        d2 = prog.block_signs[self.active] * wd / (2.0 * nrm ** 1.5)
        return d1, d2


def _tight_multipliers(prog, W, b, T, v):
    """Multipliers ``rho_T >= 0`` of the tight rows: ``v_b = c_b + G_T^T rho_T`` (least squares)."""
    if T.size == 0:
        return np.zeros(0)
    G = (2.0 * prog.block_patterns[b][T] - 1.0)[:, None] * prog.design[T]
    r = prog.residual(prog.fit(W))
    c = prog.block_signs[b] * prog.design.T @ (prog.block_patterns[b] * r)
    rho, *_ = np.linalg.lstsq(G.T, v - c, rcond=None)
    return rho


def sensitivity(result: CGLResult, *, refine: bool = True) -> Sensitivity:
    """Derivatives of the minimal network of a CGL solution in ``lambda`` and ``y``.

    Parameters
    ----------
    result : CGLResult
        Any accepted solution; it is pruned to a minimal network first
        (:func:`relu.convex.prune_optimal`) unless it is minimal already.
    refine : bool
        Newton-refine the minimal network before differentiating.

    Returns
    -------
    Sensitivity

    Raises
    ------
    SolverFailedError
        When the reduced Jacobian is singular (the fits are not independent).

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> s = relu.convex.sensitivity(relu.solve_cgl(X, y, 0.1))
    >>> s.d_fit_d_y.shape, s.valid_for in ("both", "increasing", "decreasing", "neither")
    ((4, 4), True)
    """
    from ..exceptions import SolverFailedError
    from ._cone import project_onto_cones
    from ._kkt import ReducedKKT
    from .pruning import prune_optimal

    m = prune_optimal(result, refine=refine)
    prog = m.program
    W = np.array(m.blocks)
    kkt = ReducedKKT.at(prog, W)
    A = kkt.blocks
    om = kkt.omega_of(W)
    if A.size == 0:
        z = np.zeros((prog.n_blocks, prog.p))
        return Sensitivity(m, A, z, np.zeros(z.shape + (prog.n_samples,)), np.zeros(prog.n_samples),
                           np.zeros((prog.n_samples, prog.n_samples)), 0.0, np.inf, np.inf, np.inf,
                           1.0 - float(np.max(np.linalg.norm(m.correlations, axis=1))) / prog.lam
                           if prog.n_blocks else np.inf, np.zeros(0, dtype=np.intp), np.zeros(0),
                           "both")
    J = kkt.jacobian(om)
    ev = np.linalg.eigvalsh(J)
    if ev[0] <= 0:
        raise SolverFailedError(f"sensitivity: the reduced KKT Jacobian is singular (smallest "
                                f"eigenvalue {ev[0]:.3g}); the network is not minimal")
    dom_dlam = -np.linalg.solve(J, kkt.directions(om))
    dom_dy = np.linalg.solve(J, kkt.Abar.T)
    dW_dlam = kkt.blocks_of(dom_dlam)
    dW_dy = np.stack([kkt.blocks_of(dom_dy[:, i]) for i in range(prog.n_samples)], axis=-1)
    dfit_dlam = kkt.Abar @ dom_dlam
    dfit_dy = kkt.Abar @ dom_dy
    # stability of the active set
    comp, inner = np.inf, np.inf
    for k, b in enumerate(A):
        T = kkt.tight[k]
        rho = _tight_multipliers(prog, W, b, T, prog.lam * W[b] / np.linalg.norm(W[b]))
        if rho.size:
            comp = min(comp, float(rho.min()) / prog.lam)
        a = prog.design @ W[b] * (2.0 * prog.block_patterns[b] - 1.0)
        sc = np.linalg.norm(prog.design, axis=1) * np.linalg.norm(W[b])
        rest = np.setdiff1d(np.arange(prog.n_samples), T)
        live = rest[sc[rest] > 0]
        if live.size:
            inner = min(inner, float(np.min(a[live] / sc[live])))
    vn = np.linalg.norm(m.correlations, axis=1) / m.certificate.dual_scale / prog.lam
    U = m.correlations / np.maximum(np.linalg.norm(m.correlations, axis=1), 1e-300)[:, None]
    copies = np.zeros(prog.n_blocks, dtype=bool)
    copies[A] = True
    for b in A:
        same = (prog.block_signs == prog.block_signs[b]) & \
            (np.linalg.norm(U - W[b] / np.linalg.norm(W[b]), axis=1) <= 1e-7)
        copies |= same
    others = ~copies
    tie = others & (vn >= 1.0 - TIE_RTOL)
    ties = np.nonzero(tie)[0]
    rest = others & ~tie
    dual_margin = float(1.0 - vn[rest].max()) if rest.any() else np.inf
    slopes = np.zeros(ties.size)
    if ties.size:
        r0 = m.dual_point / m.certificate.dual_scale
        dr = -(dfit_dlam if prog.loss == "mse" else
               0.25 / np.cosh(0.5 * m.fit) ** 2 * dfit_dlam)
        h = 1e-6 * max(1.0, float(np.linalg.norm(r0))) / max(float(np.linalg.norm(dr)), 1e-300)
        norms = []
        for sgn in (1.0, -1.0):
            rr = r0 + sgn * h * dr
            c = (prog.block_patterns[ties] * rr) @ prog.design * prog.block_signs[ties][:, None]
            V, _ = project_onto_cones(prog.design, prog.block_patterns[ties], c)
            norms.append(np.linalg.norm(V, axis=1))
        slopes = (norms[0] - norms[1]) / (2.0 * h) - 1.0
    if ties.size == 0:
        valid = "both"
    elif np.all(slopes < 0):
        valid = "increasing"
    elif np.all(slopes > 0):
        valid = "decreasing"
    else:
        valid = "neither"
    return Sensitivity(m, A, dW_dlam, dW_dy, dfit_dlam, dfit_dy, float(sum(m.block_norms)),
                       float(ev[0]), float(comp), float(inner), dual_margin, ties, slopes, valid)


def _restricted_minimal(sens, X, y, lam):
    """Minimal network of the CGL restricted to the active patterns at new data (Clarabel)."""
    import relu

    prog = sens.network.program
    pats = prog.patterns[np.unique(sens.active % prog.n_patterns)]
    r = relu.solve_cgl(X, y, lam, patterns=pats, loss=prog.loss, bias=prog.bias, method="clarabel")
    m = r.prune()
    # map (pattern, sign) of the restricted program back to the original block indices
    P, Pr = prog.n_patterns, m.program.n_patterns
    key = {row.tobytes(): j for j, row in enumerate(prog.patterns)}
    W = np.zeros((prog.n_blocks, prog.p))
    for b in m.active_blocks:
        j = key[m.program.patterns[b % Pr].tobytes()]
        W[j if b < Pr else P + j] = m.blocks[b]
    return W


def sensitivity_finite_differences(sens: Sensitivity, *, h: float | None = None, which: str = "lam",
                                   direction: ArrayLike | None = None,
                                   rng: int | np.random.Generator | None = None) -> dict[str, Any]:
    """Central differences of the minimal network by independent re-solves.

    The CGL restricted to the active patterns is solved by Clarabel at
    ``lambda +- h`` (``which="lam"``) or ``y +- h e`` (``which="y"``, ``e`` a unit
    ``direction``, random by default), pruned to its minimal network, and compared
    with the implicit-function derivative.

    Parameters
    ----------
    sens : Sensitivity
    h : float, optional
        Step (default ``1e-4 lambda`` or ``1e-4 |y|``).
    which : {"lam", "y"}
    direction : array_like, shape (n_samples,), optional
    rng : int, numpy.random.Generator or None

    Returns
    -------
    dict
        ``fd`` (finite-difference ``dw``, shape ``(2P, p)``), ``ift`` (the derivative
        along the same direction), ``relative_error`` ``|fd - ift| / |ift|``,
        ``same_support`` (the re-solves kept the active set).

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> s = relu.convex.sensitivity(relu.solve_cgl(X, y, 0.1))
    >>> out = relu.convex.sensitivity_finite_differences(s)
    >>> out["same_support"], out["relative_error"] < 1e-4
    (True, True)
    """
    func = "sensitivity_finite_differences"
    which = check_choice(which, ("lam", "y"), func, "which")
    prog = sens.network.program
    X, y, lam = prog.X, np.array(prog.y), prog.lam
    if which == "lam":
        h = 1e-4 * lam if h is None else check_nonneg(h, func, "h", allow_zero=False)
        Wp = _restricted_minimal(sens, X, y, lam + h)
        Wm = _restricted_minimal(sens, X, y, lam - h)
        ift = sens.d_blocks_d_lam
    else:
        if direction is None:
            e = check_rng(rng).standard_normal(prog.n_samples)
        else:
            e = np.asarray(direction, dtype=np.float64).reshape(-1)
            if e.shape[0] != prog.n_samples:
                fail("direction", func, f"a vector of length {prog.n_samples}", f"length {e.shape[0]}")
        e = e / np.linalg.norm(e)
        if prog.loss == "logistic":
            # keep the labels inside [0, 1]: perturb only where there is room
            e = e * ((y > 0) & (y < 1))
        h = 1e-4 * max(1.0, float(np.linalg.norm(y))) if h is None else \
            check_nonneg(h, func, "h", allow_zero=False)
        Wp = _restricted_minimal(sens, X, y + h * e, lam)
        Wm = _restricted_minimal(sens, X, y - h * e, lam)
        ift = sens.d_blocks_d_y @ e
    fd = (Wp - Wm) / (2.0 * h)
    act = np.zeros(prog.n_blocks, dtype=bool)
    act[sens.active] = True
    same = bool(np.array_equal(np.linalg.norm(Wp, axis=1) > 0, act)
                and np.array_equal(np.linalg.norm(Wm, axis=1) > 0, act))
    err = float(np.linalg.norm(fd - ift)) / max(float(np.linalg.norm(ift)), 1e-300)
    return {"fd": fd, "ift": ift, "relative_error": err, "same_support": same, "h": float(h)}
