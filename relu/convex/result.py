"""The result of a CGL solve: primal blocks, fit, duals, certificates, the network."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import ArrayLike

    from .certificate import GlobalCertificate
    from .network import ReLUNetwork
    from .optimal_set import OptimalSet
    from .program import CGLProgram

__all__ = ["CGLResult", "build_result"]

#: A block with ``|v_b| < lam (1 - DROP_RTOL)`` at the solver's point is set to zero
#: when that does not raise the objective by more than ``1e-9`` relative.
DROP_RTOL = 1e-5


@dataclass(frozen=True, eq=False)
class CGLResult:
    """A solution of the constrained group lasso with its duals and certificate(s).

    Attributes
    ----------
    program : CGLProgram
        Data, patterns and ``lam`` (paper scaling) the solution lives on.
    blocks : ndarray, shape (2P, p)
        Block weights: rows ``0..P-1`` are the ``u_j``, rows ``P..2P-1`` the ``h_j``
        (cone-feasible, see :func:`relu.convex.polish`).
    objective : float
        ``P(w)`` in **paper scaling** ``L + lam sum_b |w_b|`` (``L = 1/2 ||.||^2`` for
        the squared loss); :attr:`objective_mean` is pyscnn's ``P / n``.
    fit : ndarray, shape (n_samples,)
        ``yhat = Z w`` (unique among optimal solutions for mse/logistic).
    residual : ndarray, shape (n_samples,)
        ``r = -dL/dz`` at the fit (``y - yhat`` for the squared loss).
    correlations : ndarray, shape (2P, p)
        ``v_b = Pi_{K_b}(Z_b^T r) = Z_b^T r + G_b^T rho_b`` at ``r = dual_point``:
        ``|v_b| <= lam`` for all ``b`` (dual feasibility), ``v_b = lam w_b / |w_b|`` on
        active blocks.
    multipliers : ndarray, shape (2P, n_samples) or None
        The cone multipliers ``rho_b >= 0`` (of ``(2D_j - I) Xb w_b >= 0``).
    certificate : Certificate
        On the program's own patterns.
    global_certificate : GlobalCertificate or None
        Over all chambers (column generation, or :meth:`certify_global`).
    method : str
    seconds : float
    scaling : str
        Scaling the user asked for (``lam`` was given in it).
    solver_info : dict
    info : dict
        Method details (column generation history ...).
    dual_point : ndarray, shape (n_samples,)
        The dual point ``r`` of the certificate: the residual of the fit or the
        solver's equality multiplier, whichever gives the better lower bound (both
        estimate the unique optimal ``r* = -dL/dz(yhat*)``).

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> round(r.objective, 6), r.certificate.accepted
    (0.271053, True)
    >>> net = r.network()
    >>> round(net.objective([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1), 6)
    0.271053
    """

    program: object
    blocks: np.ndarray
    objective: float
    fit: np.ndarray
    residual: np.ndarray
    correlations: np.ndarray
    multipliers: np.ndarray | None
    certificate: object
    global_certificate: object = None
    method: str = "clarabel"
    seconds: float = 0.0
    scaling: str = "paper"
    solver_info: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    dual_point: np.ndarray | None = None

    def __post_init__(self):
        if self.dual_point is None:
            object.__setattr__(self, "dual_point", self.residual)
        for name in ("blocks", "fit", "residual", "correlations", "multipliers", "dual_point"):
            a = getattr(self, name)
            if a is not None:
                a = np.array(a, copy=True)
                a.flags.writeable = False
                object.__setattr__(self, name, a)

    # ------------------------------------------------------------------ views
    @property
    def lam(self) -> float:
        """``lambda`` in paper scaling."""
        return self.program.lam

    @property
    def U(self) -> np.ndarray:
        """The ``u_j`` blocks (sign ``+1``), shape ``(P, p)``."""
        return self.blocks[: self.program.n_patterns]

    @property
    def H(self) -> np.ndarray:
        """The ``h_j`` blocks (sign ``-1``), shape ``(P, p)``."""
        return self.blocks[self.program.n_patterns:]

    @property
    def objective_mean(self) -> float:
        """The objective in pyscnn's scaling, ``P / n``."""
        return self.objective / self.program.n_samples

    def objective_in(self, scaling: str) -> float:
        """The objective in ``"paper"`` or ``"mean"`` scaling.

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0]], [0.0, 1.0], 0.05, scaling="mean")
        >>> abs(r.objective_in("mean") - r.objective / 2) < 1e-15
        True
        """
        return self.program.scale(self.objective, scaling)

    @property
    def block_norms(self) -> np.ndarray:
        """Euclidean norm of every block ``w_b`` (rows of ``blocks``)."""
        return np.linalg.norm(self.blocks, axis=1)

    @property
    def active_blocks(self) -> np.ndarray:
        """Indices of the non-zero blocks."""
        return np.nonzero(self.block_norms > 0)[0]

    @property
    def n_active(self) -> int:
        """Number of non-zero blocks."""
        return int(self.active_blocks.size)

    def block_fits(self, blocks: ArrayLike | None = None) -> np.ndarray:
        """The matrix ``M`` whose column ``b`` is ``Z_b w_b`` (or ``Z_b`` times ``blocks[b]``).

        With ``blocks=result.correlations`` this is ``[Z_b v_b]``, the matrix of the
        optimal-set polytope ``{alpha >= 0 : M alpha = yhat}``.

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> bool(np.allclose(r.block_fits().sum(axis=1), r.fit))
        True
        """
        return self.program.block_fits(self.blocks if blocks is None else blocks)

    def equicorrelation_set(self, rtol: float = 1e-6) -> np.ndarray:
        """Blocks with ``|v_b| >= lam (1 - rtol)`` (the candidates for the support).

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> set(r.active_blocks) <= set(r.equicorrelation_set())
        True
        """
        vn = np.linalg.norm(self.correlations, axis=1)
        return np.nonzero(vn >= self.lam * (1.0 - rtol))[0]

    # ------------------------------------------------------------------ optimal set
    def optimal_set(self, **kwargs: Any) -> OptimalSet:
        """The set of all optimal solutions (see :func:`relu.convex.optimal_set`).

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> set(r.optimal_set().support) >= set(r.prune().active_blocks)
        True
        """
        from .optimal_set import optimal_set

        return optimal_set(self, **kwargs)

    def prune(self, **kwargs: Any) -> CGLResult:
        """The minimal network by optimal pruning (see :func:`relu.convex.prune_optimal`).

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1)
        >>> m = r.prune()
        >>> m.n_active <= r.n_active, m.certificate.accepted
        (True, True)
        """
        from .pruning import prune_optimal

        return prune_optimal(self, **kwargs)

    # ------------------------------------------------------------------ networks
    def network(self, *, drop_zero: bool = True) -> ReLUNetwork:
        """The non-convex ReLU network (``theta^1 = w/sqrt|w|``, ``theta^2 = +-sqrt|w|``).

        See :func:`relu.convex.cgl_to_relu`.

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> net = r.network()
        >>> net.n_units == r.n_active, bool(np.allclose(net.predict([[0.0], [1.0], [2.0]]), r.fit))
        (True, True)
        """
        from .network import cgl_to_relu

        return cgl_to_relu(self.program, self.blocks, drop_zero=drop_zero)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Output of the network on new data (equals :attr:`fit` on the training data).

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> r.predict([[1.0]]).shape
        (1,)
        """
        return self.network().predict(X)

    def certify_global(self, **kwargs: Any) -> GlobalCertificate:
        """Global certificate over all chambers (see :func:`relu.convex.certify_global`).

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> r.certify_global().certified
        True
        """
        from .certificate import certify_global

        return certify_global(self, **kwargs)

    def __repr__(self):
        glob = None if self.global_certificate is None else self.global_certificate.certified
        return (f"CGLResult(method={self.method!r}, objective={self.objective:.10g}, "
                f"n_patterns={self.program.n_patterns}, n_active={self.n_active}, "
                f"accepted={self.certificate.accepted}, "
                f"globally_certified={glob}, "
                f"seconds={self.seconds:.3g})")

    def __str__(self):
        lines = [f"CGL ({self.program.loss}, bias={self.program.bias}, lam={self.lam:.6g} paper "
                 f"scaling = {self.program.lam_in('mean'):.6g} mean scaling) by {self.method}: "
                 f"objective {self.objective:.10g} (mean scaling {self.objective_mean:.10g}); "
                 f"{self.program.n_patterns} patterns, {self.n_active} active blocks; "
                 f"{self.seconds:.3g} s",
                 str(self.certificate)]
        if self.global_certificate is not None:
            lines.append(str(self.global_certificate))
        return "\n".join(lines)


def build_result(prog: CGLProgram, blocks: ArrayLike, *, method: str, seconds: float,
                 solver_info: dict[str, Any] | None = None, scaling: str = "paper", polish_first: bool = True,
                 tol: float | None = None, info: dict[str, Any] | None = None,
                 global_certificate: GlobalCertificate | None = None,
                 want_multipliers: bool = True) -> CGLResult:
    """Polish, certify and package block weights as a :class:`CGLResult`.

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.1, [[0, 1]])
    >>> r = build_result(prog, np.array([[0.9, 0.0], [0.0, 0.0]]), method="demo", seconds=0.0)
    >>> r.certificate.accepted
    True
    """
    from .certificate import CERT_TOL, certify, polish

    tol = CERT_TOL if tol is None else tol
    W = np.asarray(blocks, dtype=np.float64).reshape(prog.n_blocks, prog.p)
    infeas = 0.0
    if polish_first:
        W, infeas = polish(prog, W)
    dual = (solver_info or {}).get("dual_point")
    cert, v, rho, fit, r = certify(prog, W, tol=tol, want_multipliers=want_multipliers,
                                   dual_point=dual)
    if polish_first and prog.n_blocks:
        # blocks with |v_b| clearly below lam are zero in every optimal solution (strict
        # inequality in the KKT conditions): drop the interior-point residue there
        norms = np.linalg.norm(W, axis=1)
        vn = np.linalg.norm(v, axis=1)
        drop = (norms > 0) & ((vn < prog.lam * (1.0 - DROP_RTOL))
                              | (norms <= 1e-9 * float(norms.max())))
        if drop.any():
            W2 = W.copy()
            W2[drop] = 0.0
            if prog.objective(W2) <= cert.objective + 1e-9 * abs(cert.objective):
                W = W2
                dual = (solver_info or {}).get("dual_point")
    cert, v, rho, fit, r = certify(prog, W, tol=tol, want_multipliers=want_multipliers,
                                   dual_point=dual)
    if polish_first and infeas > cert.primal_infeasibility:
        from dataclasses import replace

        cert = replace(cert, primal_infeasibility=float(infeas))
    si = {k: val for k, val in (solver_info or {}).items() if k != "dual_point"}
    return CGLResult(prog, W, cert.objective, fit, prog.residual(fit), v, rho, cert,
                     global_certificate, method, float(seconds), scaling, si, dict(info or {}),
                     dual_point=r)
