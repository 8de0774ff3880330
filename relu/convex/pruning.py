r"""Pruning CGL solutions: optimal pruning (Alg. 1), Optimal/LS (Alg. 2) and baselines.

Every method acts on the block weights of a :class:`~relu.convex.CGLResult` by
*non-negative rescaling* of blocks, ``w_b <- c_b w_b`` with ``c_b >= 0`` (a rescaled
block stays in its cone, and the ReLU network of the rescaled solution is the
original one with unit ``b`` scaled by ``sqrt(c_b)`` in both layers).  A
:class:`PruningPath` stores the start and the scale factors of every step.

**Optimal pruning** (Mishkin & Pilanci 2023, Alg. 1).  While the active fits
``f_b = Z_b w_b`` are linearly dependent, take ``beta != 0`` with
``sum_b beta_b f_b = 0``, sign it so that its largest entry in absolute value,
``beta_{b*}``, is positive, and set ``c_b = 1 - beta_b / beta_{b*}`` (in ``[0, 2]``;
``c_{b*} = 0``).  The fit does not change, and neither does the group norm: on the
optimal set every active ``w_b`` is a positive multiple of the correlation vector
``v_b`` with ``|v_b| = lambda`` and ``r^T Z_b w_b = lambda |w_b|``, so
``lambda sum_b beta_b |w_b| = r^T sum_b beta_b f_b = 0``.  The new point is optimal
with one block fewer; after at most ``|A| - rank`` steps the active fits are
independent, i.e. the network is *minimal* (Prop. 3.6: no optimal network has fewer
units), with at most ``rank <= n_samples`` units.  ``beta`` is the right singular
vector of the smallest singular value of the column-normalised fit matrix; a step is
**accepted only if the objective stays within the certified gap of the start**
(``P(w') <= P(w_0) + gap_0``), so every point of the path is a certified
``2 gap_0``-optimal solution, and the loop stops at the first rejected step (the
fits are independent to solver precision).  The minimal network is then refined by
Newton's method on its KKT system and certified again
(:func:`relu.convex.prune_optimal`).

**Optimal/LS** (Alg. 2, the paper's "Optimal/LS"): optimal steps while they exist;
then for each active unit ``i`` the least-squares fit of ``f_i`` by the others,
``beta_{-i}``; the unit with the smallest least-squares residual is the one to go,
``beta_i = -1``, and the same rescaling ``c = 1 - beta / beta_{b*}`` removes the unit
``b*`` with the largest ``|beta|`` while the others absorb its fit.

**Baselines** (no correction): ``"neuron_magnitude"`` removes the unit with the
smallest ``|w_b|`` (equivalently ``|theta^1|^2 + (theta^2)^2 = 2 |w_b|``);
``"gradient_magnitude"`` the smallest ``|w_b * grad_b P(w)|^2`` (``grad_b P = -Z_b^T r
+ lambda w_b / |w_b|``, the CGL objective's gradient at the current point; pyscnn used
its augmented-Lagrangian objective); ``"random"`` a uniformly random active unit
(``rng``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice, check_nonneg, check_rng

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .network import ReLUNetwork
    from .result import CGLResult

__all__ = ["PruningPath", "PRUNING_METHODS", "pruning_path", "prune_optimal", "polish_solve"]

#: The pruning rules of :func:`pruning_path`.
PRUNING_METHODS = ("optimal", "optimal_ls", "neuron_magnitude", "gradient_magnitude", "random")


@dataclass(frozen=True, eq=False)
class PruningPath:
    """The networks visited while pruning a CGL solution, unit by unit.

    Step ``k`` has block weights ``scales[k][:, None] * start``; step 0 is the start.

    Attributes
    ----------
    program : CGLProgram
    start : ndarray, shape (2P, p)
        Block weights at step 0.
    scales : ndarray, shape (n_steps + 1, 2P)
        Non-negative scale factors of every block at every step.
    method : str
    removed : ndarray of int, shape (n_steps,)
        The block removed at each step (ties may remove more; see ``n_active``).
    n_exact : int
        Number of leading steps that are exact optimal-pruning steps (Alg. 1): the
        networks of steps ``0 .. n_exact`` are all optimal (certified).
    objectives : ndarray, shape (n_steps + 1,)
        CGL objective (paper scaling) at every step.
    min_singular_value : float
        For the optimal methods: the smallest singular value of the column-normalised
        active fits at the end of the exact phase (``> 0``: independent, a minimal
        network); ``nan`` otherwise.
    minimal : CGLResult or None
        For ``"optimal"`` and ``"optimal_ls"``: the certified minimal network that
        ends the exact phase (Newton-refined, see :func:`prune_optimal`).

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> path = relu.convex.pruning_path(relu.solve_cgl(X, y, 0.1), "optimal_ls")
    >>> bool(path.n_active[0] >= path.n_active[path.n_exact]), int(path.n_active[-1])
    (True, 1)
    >>> path.predict(X).shape == (path.n_steps + 1, 4)
    True

    Step ``k``'s block weights and network (here the last step, one unit left):

    >>> k = path.n_steps
    >>> path.blocks(k).shape, path.network(k).n_units
    ((14, 2), 1)
    >>> bool(np.allclose(path.network(k).predict(X), path.predict(X)[k]))
    True
    """

    program: object
    start: np.ndarray
    scales: np.ndarray
    method: str
    removed: np.ndarray
    n_exact: int
    objectives: np.ndarray
    min_singular_value: float = float("nan")
    minimal: object = None

    def __post_init__(self):
        for name in ("start", "scales", "removed", "objectives"):
            a = np.array(getattr(self, name), copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    @property
    def n_steps(self) -> int:
        """Number of pruning steps (one fewer than the entries of ``scales``)."""
        return int(self.scales.shape[0] - 1)

    @property
    def n_active(self) -> np.ndarray:
        """Active units (non-zero blocks) at every step, shape ``(n_steps + 1,)``."""
        live = np.linalg.norm(self.start, axis=1) > 0
        return np.count_nonzero((self.scales > 0) & live[None, :], axis=1)

    def blocks(self, k: int) -> np.ndarray:
        """Block weights ``(2P, p)`` of step ``k``."""
        return self.scales[k][:, None] * self.start

    def network(self, k: int) -> ReLUNetwork:
        """The ReLU network of step ``k`` (:func:`relu.convex.cgl_to_relu`)."""
        from .network import cgl_to_relu

        return cgl_to_relu(self.program, self.blocks(k))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Outputs of every step's network on ``X``, shape ``(n_steps + 1, n_samples)``.

        Examples
        --------
        >>> import relu
        >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
        >>> path = relu.convex.pruning_path(r, "neuron_magnitude")
        >>> bool(np.allclose(path.predict([[0.0], [1.0], [2.0]])[0], r.fit))
        True
        """
        from .._checks import check_data
        from .program import design_matrix

        _, Xf = check_data(X, "PruningPath.predict")
        if Xf.shape[1] != self.program.n_features:
            from .._checks import fail

            fail("X", "PruningPath.predict", f"an array with {self.program.n_features} columns",
                 f"{Xf.shape[1]} columns")
        Xb = design_matrix(Xf, self.program.bias)
        H = np.maximum(Xb @ self.start.T, 0.0) * self.program.block_signs[None, :]
        return self.scales @ H.T


# ----------------------------------------------------------------------------- steps
def _normalised_fits(prog, W, act):
    F = prog.block_fits(W)[:, act]
    fn = np.linalg.norm(F, axis=0)
    return F, fn


def _rescale(beta):
    """Scale factors ``1 - beta / beta_{b*}`` (``b*`` = argmax |beta|, signed positive)."""
    k = int(np.argmax(np.abs(beta)))
    b = beta if beta[k] > 0 else -beta
    c = 1.0 - b / b[k]
    c[k] = 0.0
    c[np.abs(c) <= 1e-13] = 0.0
    return np.maximum(c, 0.0), k


def _null_direction(F, fn):
    """``beta`` of the smallest singular value of the normalised fits, and that value."""
    Fh = F / fn[None, :]
    _, s, Vt = np.linalg.svd(Fh, full_matrices=True)
    smin = float(s[-1]) if Fh.shape[1] <= Fh.shape[0] else 0.0
    return Vt[-1] / fn, smin


def _optimal_phase(prog, W0, scales, budget, rows, removed, objectives):
    """Alg. 1 from the current scales; appends rows; returns the last tried sigma_min."""
    smin = np.nan
    while True:
        W = scales[:, None] * W0
        act = np.nonzero((scales > 0) & (np.linalg.norm(W0, axis=1) > 0))[0]
        if act.size <= 1:
            if act.size == 1:
                F, fn = _normalised_fits(prog, W, act)
                smin = 1.0 if fn[0] > 0 else 0.0
            return smin
        F, fn = _normalised_fits(prog, W, act)
        if np.any(fn == 0):
            # a unit with a zero fit is dependent on its own: drop it if that is free
            beta = (fn == 0).astype(np.float64)
            smin = 0.0
        else:
            beta, smin = _null_direction(F, fn)
        c, k = _rescale(beta)
        new = scales.copy()
        new[act] *= c
        obj = prog.objective(new[:, None] * W0)
        if obj > budget:
            return smin
        scales[:] = new
        rows.append(scales.copy())
        removed.append(int(act[k]))
        objectives.append(obj)


def _ls_step(prog, W, act):
    F, fn = _normalised_fits(prog, W, act)
    best = (np.inf, None)
    for j in range(act.size):
        others = np.delete(np.arange(act.size), j)
        coef, *_ = np.linalg.lstsq(F[:, others], F[:, j], rcond=None)
        res = float(np.linalg.norm(F[:, others] @ coef - F[:, j]))
        if res < best[0]:
            beta = np.empty(act.size)
            beta[others] = coef
            beta[j] = -1.0
            best = (res, beta)
    return _rescale(best[1])


def _baseline_choice(method, prog, W, act, gen):
    if method == "neuron_magnitude":
        return int(np.argmin(np.linalg.norm(W[act], axis=1)))
    if method == "random":
        return int(gen.integers(act.size))
    # gradient magnitude: |w_b * grad_b P(w)|^2 at the current point
    r = prog.residual(prog.fit(W))
    c = (prog.block_patterns[act] * r) @ prog.design * prog.block_signs[act][:, None]
    wn = np.linalg.norm(W[act], axis=1)
    grad = -c + prog.lam * W[act] / wn[:, None]
    return int(np.argmin(np.sum((W[act] * grad) ** 2, axis=1)))


#: Candidate patterns of the polishing solve: blocks with ``|v_b| >= (1 - POLISH_BAND) lambda``.
POLISH_BAND = 1e-3


def polish_solve(result: CGLResult, *, band: float = POLISH_BAND) -> CGLResult:
    """Re-solve on the near-equicorrelated patterns with tight Clarabel tolerances.

    The program restricted to the patterns of blocks with ``|v_b| >= (1 - band)
    lambda`` is small; Clarabel at ``1e-12`` gives a far more accurate point, lifted to
    the whole program and certified there (the restriction is harmless exactly when
    the certificate on the whole program accepts).  Returns the better of the two
    results (by certified gap).

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], 0.1)
    >>> polish_solve(r).certificate.gap <= r.certificate.gap
    True
    """
    from ..exceptions import SolverFailedError
    from ._derive import derive_result
    from .solvers import solve_program

    prog = result.program
    if prog.n_blocks == 0 or result.n_active == 0:
        return result
    vn = np.linalg.norm(result.correlations, axis=1) / (prog.lam * result.certificate.dual_scale)
    cand = np.unique(np.nonzero(vn >= 1.0 - band)[0] % prog.n_patterns)
    if cand.size == 0:
        return result
    sub = prog.with_patterns(prog.patterns[cand])
    try:
        blocks, _ = solve_program(sub, "clarabel", tol=1e-12, max_iter=1000)
    except SolverFailedError:
        return result
    P, k = prog.n_patterns, cand.size
    W = np.zeros((prog.n_blocks, prog.p))
    W[cand] = blocks[:k]
    W[P + cand] = blocks[k:]
    from .certificate import polish

    W, _ = polish(prog, W)
    out = derive_result(result, W, method=result.method, info=dict(result.info))
    if out.certificate.accepted and out.certificate.gap < result.certificate.gap:
        return out
    return result


def pruning_path(result: CGLResult, method: str = "optimal_ls", *, min_units: int = 1,
                 rng: int | np.random.Generator | None = None, refine: bool = True) -> PruningPath:
    """Prune a CGL solution unit by unit with one of :data:`PRUNING_METHODS`.

    Parameters
    ----------
    result : CGLResult
    method : {"optimal", "optimal_ls", "neuron_magnitude", "gradient_magnitude", "random"}
        ``"optimal"``: Alg. 1 only (stops at the minimal network);
        ``"optimal_ls"``: Alg. 2 (Alg. 1, then least-squares corrections down to
        ``min_units``); the baselines remove one unit per step down to ``min_units``.
    min_units : int
        Stop when this many units are left (``>= 0``; not used by ``"optimal"``).
    rng : int, numpy.random.Generator or None
        For ``"random"``.
    refine : bool
        For the optimal methods: start from a tightly re-solved point
        (:func:`polish_solve`) and Newton-refine the minimal network stored in
        :attr:`PruningPath.minimal` (each kept only when its certificate is at least as
        good); the path itself continues from the unrefined minimal point.

    Returns
    -------
    PruningPath

    Raises
    ------
    ValidationError
        For an unknown method or a negative ``min_units``.

    Notes
    -----
    Optimal pruning needs ``O(|A|)`` SVDs of ``n x |A|`` matrices and one objective
    evaluation per step (``O(n^2 |A|^2)`` in all); each least-squares step solves
    ``|A|`` least-squares problems.  A step of Alg. 1 is accepted only when the
    objective stays within the start's certified gap (see the module docstring).

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> r = relu.solve_cgl(X, y, 0.1)
    >>> path = relu.convex.pruning_path(r, "optimal")
    >>> bool(np.all(np.abs(path.objectives - r.objective) <= 1e-8 * r.objective))
    True
    >>> int(relu.convex.pruning_path(r, "random", rng=0).n_active[-1])
    1
    """
    func = "pruning_path"
    method = check_choice(method, PRUNING_METHODS, func, "method")
    min_units = check_nonneg(min_units, func, "min_units", integer=True)
    gen = check_rng(rng)
    if refine and method in ("optimal", "optimal_ls"):
        result = polish_solve(result)
    prog = result.program
    W0 = np.array(result.blocks, dtype=np.float64)
    scales = (np.linalg.norm(W0, axis=1) > 0).astype(np.float64)
    rows, removed, objectives = [scales.copy()], [], [float(prog.objective(W0))]
    n_exact, smin, minimal = 0, float("nan"), None
    if method in ("optimal", "optimal_ls"):
        gap0 = float(result.certificate.gap) if np.isfinite(result.certificate.gap) else 0.0
        budget = objectives[0] + max(gap0, 1e-13 * abs(objectives[0]))
        smin = _optimal_phase(prog, W0, scales, budget, rows, removed, objectives)
        n_exact = len(removed)
        minimal = _finish_minimal(result, scales[:, None] * W0, n_exact, smin, refine)
        if method == "optimal":
            return PruningPath(prog, W0, np.array(rows), method, np.array(removed, dtype=np.intp),
                               n_exact, np.array(objectives), smin, minimal)
    live0 = np.linalg.norm(W0, axis=1) > 0
    while True:
        act = np.nonzero((scales > 0) & live0)[0]
        if act.size <= max(min_units, 0) or act.size == 0:
            break
        W = scales[:, None] * W0
        if method == "optimal_ls":
            if act.size == 1:
                c, k = np.zeros(1), 0
            else:
                c, k = _ls_step(prog, W, act)
            scales[act] *= c
        else:
            k = _baseline_choice(method, prog, W, act, gen)
            scales[act[k]] = 0.0
        rows.append(scales.copy())
        removed.append(int(act[k]))
        objectives.append(float(prog.objective(scales[:, None] * W0)))
    return PruningPath(prog, W0, np.array(rows), method, np.array(removed, dtype=np.intp), n_exact,
                       np.array(objectives), smin, minimal)


def _finish_minimal(result, W, n_steps, smin, refine):
    from ._derive import derive_result
    from ._kkt import newton_refine

    info = {"pruning_steps": int(n_steps), "min_singular_value": float(smin), "refined": False}
    best = derive_result(result, W, method="optimal_pruning", info=info)
    if refine and best.n_active:
        Wr, rinfo = newton_refine(result.program, W)
        if Wr is not None:
            from .certificate import polish

            Wr, _ = polish(result.program, Wr)
            if np.array_equal(np.linalg.norm(Wr, axis=1) > 0, np.linalg.norm(W, axis=1) > 0):
                cand = derive_result(result, Wr, method="optimal_pruning",
                                     info={**info, "refined": True, "newton": rinfo})
                if cand.certificate.gap <= best.certificate.gap and cand.certificate.accepted:
                    best = cand
    return best


def prune_optimal(result: CGLResult, *, refine: bool = True) -> CGLResult:
    """The minimal network of a CGL solution by optimal pruning (Alg. 1), certified.

    Parameters
    ----------
    result : CGLResult
    refine : bool
        Newton-refine the minimal network on its KKT system (kept only when the
        certificate's gap does not grow).

    Returns
    -------
    CGLResult
        ``method="optimal_pruning"``; at most ``rank <= n_samples`` active blocks with
        linearly independent fits; ``info`` holds ``pruning_steps``,
        ``min_singular_value`` (of the normalised final fits) and ``refined``.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> r = relu.solve_cgl(X, y, 0.1)
    >>> m = relu.convex.prune_optimal(r)
    >>> m.n_active <= 4, m.certificate.accepted, abs(m.objective - r.objective) < 1e-8
    (True, True, True)
    """
    return pruning_path(result, "optimal", refine=refine).minimal
