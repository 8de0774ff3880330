r"""Regularisation paths of the CGL: ``lambda_max``, warm-started solves, the min-norm path.

``lambda_max`` is the smallest ``lambda`` at which the zero network is optimal: at
``w = 0`` the residual is ``r_0 = -dL/dz(0)`` (``y`` for the squared loss,
``y - 1/2`` for the logistic loss), and zero is optimal iff every correlation
``|Pi_{K_b}(Z_b^T r_0)| <= lambda``, so

.. math::

    \lambda_{\max} = \max_b \|\Pi_{K_b}(Z_b^T r_0)\|,

over the program's blocks, or over *all* chambers by one streaming pricing pass
(:func:`relu.convex.price_chambers`) for ``patterns="exact"``.

:func:`regularization_path` solves on a decreasing grid from ``lambda_max``.  Each
solve is warm-started: the patterns of the previous optimal set (its equicorrelation
set) form the first working set; the solution is certified on the *whole* program
(or over all chambers) and violated patterns are added until it is accepted.  Per
``lambda`` it records ``p*``, the fit, the support ``S_lambda``, uniqueness and
p-uniqueness, and the min-norm network (:meth:`relu.convex.OptimalSet.min_norm`).
Continuity of the min-norm path is diagnosed by the *matching distance* between
consecutive networks (units matched by :func:`scipy.optimize.linear_sum_assignment`,
so permutations do not count; unmatched units are matched to zero): a continuous
path has jumps that shrink with the grid spacing, a discontinuity keeps a jump that
does not shrink when the interval is bisected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice, check_nonneg, fail

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

__all__ = ["lambda_max", "PathPoint", "RegularizationPath", "regularization_path",
           "network_distance"]


def _r0(prog):
    return prog.residual(np.zeros(prog.n_samples))


def _program_lambda_max(prog):
    from ._cone import project_onto_cones

    if prog.n_blocks == 0:
        return 0.0
    r = _r0(prog)
    c = (prog.patterns * r) @ prog.design
    V, _ = project_onto_cones(prog.design, prog.block_patterns, np.vstack([c, -c]))
    return float(np.linalg.norm(V, axis=1).max())


def lambda_max(X: ArrayLike, y: ArrayLike, patterns: str | int | ArrayLike = "exact", *, loss: str = "mse",
               bias: bool = True, scaling: str = "paper",
               rng: int | np.random.Generator | None = None) -> float:
    """The smallest ``lambda`` at which the zero network is optimal.

    Parameters
    ----------
    X, y, patterns, loss, bias, scaling, rng
        As in :func:`relu.solve_cgl`.  With ``patterns="exact"`` all chambers are
        priced in one streaming pass (no listing).

    Returns
    -------
    float
        ``lambda_max`` in the given ``scaling``.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]
    >>> lm = relu.convex.lambda_max(X, y)
    >>> relu.solve_cgl(X, y, lm * 1.0001).n_active, relu.solve_cgl(X, y, lm * 0.99).n_active > 0
    (0, True)
    """
    from .pricing import price_chambers
    from .program import CGLProgram, sampled_patterns

    func = "lambda_max"
    if isinstance(patterns, str) and patterns == "exact":
        base = CGLProgram.build(X, y, 1.0, np.zeros((0, np.shape(y)[0])), loss=loss, bias=bias,
                                scaling="paper", func=func)
        r = _r0(base)
        # a lower bound from a few sampled chambers, then the exact maximum above it
        probe = base.with_patterns(sampled_patterns(base.X, 64, bias=base.bias, rng=0))
        lo = _program_lambda_max(probe)
        if lo <= 0:
            lo = float(np.linalg.norm(base.design.T @ r)) * 1e-12
        if lo <= 0:
            return 0.0
        pr = price_chambers(base.X, r, lo * (1.0 - 1e-9), bias=base.bias, top_k=1)
        lm = max(lo, pr.max_ratio * lo * (1.0 - 1e-9))
        return lm / base.n_samples if scaling == "mean" else lm
    prog = CGLProgram.build(X, y, 1.0, patterns, loss=loss, bias=bias, scaling="paper", rng=rng,
                            func=func)
    lm = _program_lambda_max(prog)
    check_choice(scaling, ("paper", "mean"), func, "scaling")
    return lm / prog.n_samples if scaling == "mean" else lm


def network_distance(a: tuple[ArrayLike, ArrayLike], b: tuple[ArrayLike, ArrayLike]) -> float:
    """Permutation-invariant distance between two sets of units.

    Each argument is a pair ``(signs, W)`` (``W`` of shape ``(k, p)``: the convex
    weights ``w = |theta^2| theta^1`` of each unit).  Units are matched one to one
    (same sign; an unmatched unit is matched to zero) minimising the sum of
    ``|w_i - w_j|``; the distance is that minimum.

    Examples
    --------
    >>> a = (np.array([1.0, -1.0]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> b = (np.array([-1.0, 1.0]), np.array([[0.0, 1.0], [1.0, 0.1]]))
    >>> round(network_distance(a, b), 12)
    0.1
    """
    from scipy.optimize import linear_sum_assignment

    sa, Wa = np.asarray(a[0], dtype=float), np.asarray(a[1], dtype=float)
    sb, Wb = np.asarray(b[0], dtype=float), np.asarray(b[1], dtype=float)
    ka, kb = Wa.shape[0], Wb.shape[0]
    if ka + kb == 0:
        return 0.0
    big = 1e300
    n = ka + kb
    C = np.full((n, n), big)
    if ka and kb:
        D = np.linalg.norm(Wa[:, None, :] - Wb[None, :, :], axis=2)
        C[:ka, :kb] = np.where(sa[:, None] == sb[None, :], D, big)
    na, nb = np.linalg.norm(Wa, axis=1), np.linalg.norm(Wb, axis=1)
    C[:ka, kb:] = big
    C[np.arange(ka), kb + np.arange(ka)] = na          # a_i -> zero
    C[ka:, :kb] = big
    C[ka + np.arange(kb), np.arange(kb)] = nb          # zero -> b_j
    C[ka:, kb:] = 0.0
    row, col = linear_sum_assignment(C)
    return float(C[row, col].sum())


@dataclass(frozen=True, eq=False)
class PathPoint:
    """The optimal set at one ``lambda`` of a path (paper scaling).

    Attributes
    ----------
    lam : float
    objective : float
        ``p*(lambda)``.
    fit : ndarray, shape (n_samples,)
    group_norm : float
        ``sum_b |w_b|`` of every optimal solution.
    n_support, n_neurons, rank, dimension, neuron_dimension : int
    is_unique, is_p_unique : bool
    support : tuple of (bytes, int)
        The support blocks as (packed pattern, sign) pairs.
    min_norm_signs : ndarray, shape (k,)
    min_norm_weights : ndarray, shape (k, p)
        The neuron-level min-norm network: one row ``w_k`` per unit.
    certified_gap : float
    seconds : float
    n_solves : int
        Restricted solves used by the warm start.

    Examples
    --------
    The two points of a two-step path: the zero network at ``lambda_max`` (``p*`` is
    ``|y|^2 / 2``), then at ``lambda_max / 100`` an optimal set that is not a single
    point but whose min-norm network (three units) is p-unique.  Its distance to the
    zero network is the sum of its unit norms, the group norm of every solution:

    >>> import numpy as np
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]
    >>> top, low = relu.convex.regularization_path(X, y, n_lams=2, refine=0).points
    >>> top.n_support, top.objective
    (0, 0.5)
    >>> low.n_support, low.n_neurons, low.is_unique, low.is_p_unique
    (5, 3, False, True)
    >>> signs, W = low.min_norm
    >>> signs.tolist(), (np.round(W, 6) + 0.0).tolist()
    ([1.0, -1.0, -1.0], [[0.475, 0.475], [1.405, -1.405], [-0.455, 0.455]])
    >>> d = relu.convex.network_distance(top.min_norm, low.min_norm)
    >>> bool(abs(d - low.group_norm) < 1e-9)
    True
    """

    lam: float
    objective: float
    fit: np.ndarray
    group_norm: float
    n_support: int
    n_neurons: int
    rank: int
    dimension: int
    neuron_dimension: int
    is_unique: bool
    is_p_unique: bool
    support: tuple
    min_norm_signs: np.ndarray
    min_norm_weights: np.ndarray
    certified_gap: float
    seconds: float
    n_solves: int = 1

    @property
    def min_norm(self) -> tuple[np.ndarray, np.ndarray]:
        """``(signs, W)`` of the min-norm network (input of :func:`network_distance`)."""
        return self.min_norm_signs, self.min_norm_weights


@dataclass(frozen=True, eq=False)
class RegularizationPath:
    """Optimal sets along a decreasing ``lambda`` grid and the continuity diagnostics.

    Attributes
    ----------
    points : tuple of PathPoint
        Sorted by decreasing ``lambda`` (the refinement points included).
    lambda_max : float
        Paper scaling.
    grid : ndarray
        The requested grid (paper scaling).
    jumps : ndarray, shape (len(points) - 1,)
        :func:`network_distance` between consecutive min-norm networks.
    discontinuities : tuple of (float, float)
        Brackets ``(lam_hi, lam_lo)`` where the min-norm network jumps and the jump
        did not shrink under bisection.
    scaling : str
    info : dict

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> path = relu.convex.regularization_path(X, y, n_lams=4, refine=0)
    >>> len(path.points), path.points[0].n_support      # lambda_max: the zero network
    (4, 0)
    >>> bool(np.all(np.diff(path.objectives) < 0))       # p* decreases with lambda
    True
    >>> import matplotlib; matplotlib.use("Agg")
    >>> ax = path.plot()                                 # unit norms against lambda
    >>> ax.get_xscale()
    'log'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """

    points: tuple
    lambda_max: float
    grid: np.ndarray
    jumps: np.ndarray
    discontinuities: tuple
    scaling: str = "paper"
    info: dict = field(default_factory=dict)

    @property
    def lams(self) -> np.ndarray:
        """``lambda`` of every point (paper scaling)."""
        return np.array([p.lam for p in self.points])

    @property
    def objectives(self) -> np.ndarray:
        """Optimal value ``p*`` of every point (paper scaling)."""
        return np.array([p.objective for p in self.points])

    def plot(self, ax: Axes | None = None) -> Axes:
        """Plot the min-norm path: unit norms ``|w_k|`` against ``lambda`` (log scale).

        Units are followed from one ``lambda`` to the next by the optimal matching of
        :func:`network_distance`; intervals where the set is not p-unique are shaded,
        flagged discontinuities drawn as dashed lines.

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        tracks = _tracks(self.points)
        lams = self.lams
        for tr in tracks:
            xs = [lams[i] for i, _ in tr]
            ys = [float(np.linalg.norm(self.points[i].min_norm_weights[k])) for i, k in tr]
            sgn = self.points[tr[0][0]].min_norm_signs[tr[0][1]]
            ax.plot(xs, ys, "-o", ms=2.5, lw=1.2, color="C0" if sgn > 0 else "C3", alpha=0.85)
        for i in range(len(self.points) - 1):
            if not self.points[i].is_p_unique or not self.points[i + 1].is_p_unique:
                ax.axvspan(lams[i + 1], lams[i], color="0.85", lw=0, zorder=0)
        for hi, lo in self.discontinuities:
            ax.axvline(np.sqrt(hi * lo), color="k", ls="--", lw=1)
        ax.set_xscale("log")
        ax.set_xlabel("lambda (paper scaling)")
        ax.set_ylabel("|w_k| of the min-norm network's units")
        ax.set_title("min-norm regularization path (blue: theta2 > 0, red: theta2 < 0)")
        return ax


def _tracks(points):
    """Follow units between consecutive points by the optimal matching."""
    from scipy.optimize import linear_sum_assignment

    tracks, open_ = [], {}
    for i, pt in enumerate(points):
        s, W = pt.min_norm
        new_open = {}
        prev = [(k, v) for k, v in open_.items()]
        if prev and W.shape[0]:
            ps, pW = points[i - 1].min_norm
            C = np.linalg.norm(pW[[k for k, _ in prev]][:, None, :] - W[None, :, :], axis=2)
            C = np.where(ps[[k for k, _ in prev]][:, None] == s[None, :], C, 1e300)
            rr, cc = linear_sum_assignment(C)
            for a, b in zip(rr, cc):
                if C[a, b] < 1e300 and C[a, b] <= np.linalg.norm(pW[prev[a][0]]) + np.linalg.norm(W[b]):
                    tr = prev[a][1]
                    tr.append((i, int(b)))
                    new_open[int(b)] = tr
        for k in range(W.shape[0]):
            if k not in new_open:
                tr = [(i, k)]
                tracks.append(tr)
                new_open[k] = tr
        open_ = new_open
    return tracks


def _keys(prog, blocks):
    P = prog.n_patterns
    return tuple((np.packbits(prog.patterns[b % P]).tobytes(), int(prog.block_signs[b])) for b in blocks)


def _point(res, t0, n_solves):
    S = res.optimal_set()
    mn = S.min_norm(level="neuron")
    act = mn.active_blocks
    return PathPoint(float(res.lam), float(S.reference.objective), np.array(S.fit), float(S.group_norm),
                     S.n_support, len(S.neurons), S.rank, S.dimension, S.neuron_dimension,
                     bool(S.is_unique), bool(S.is_p_unique), _keys(S.reference.program, S.support),
                     np.array(mn.program.block_signs[act]), np.array(mn.blocks[act]),
                     float(S.gap), time.perf_counter() - t0, n_solves), S


def _solve_warm(prog, working, tol, max_rounds=50, n_add=32):
    """Solve ``prog`` starting from the pattern indices ``working``; certified on all of ``prog``."""
    from ..exceptions import SolverFailedError
    from .result import build_result
    from .solvers import solve_program

    P = prog.n_patterns
    working = [int(j) for j in dict.fromkeys(working)]
    for rnd in range(1, max_rounds + 1):
        if working:
            sub = prog.with_patterns(prog.patterns[working])
            blocks, sinfo = solve_program(sub, "clarabel")
            W = np.zeros((prog.n_blocks, prog.p))
            W[working] = blocks[: len(working)]
            W[P + np.array(working)] = blocks[len(working):]
        else:
            W, sinfo = np.zeros((prog.n_blocks, prog.p)), {}
        res = build_result(prog, W, method="warm_start", seconds=0.0, solver_info=sinfo, tol=tol)
        if res.certificate.accepted:
            return res, rnd
        ratio = np.linalg.norm(res.correlations, axis=1) / prog.lam
        order = np.argsort(-ratio)
        have = set(working)
        new = []
        for b in order:
            if ratio[b] <= 1.0:
                break
            j = int(b % P)
            if j not in have:
                have.add(j)
                new.append(j)
            if len(new) >= n_add:
                break
        if not new:
            break
        working += new
    # the warm start did not settle: the whole program, cold, with tighter settings if needed
    res = None
    for method, kw in (("clarabel", {}), ("clarabel", {"tol": 1e-11, "max_iter": 2000}),
                       ("cvxpy", {})):
        try:
            blocks, sinfo = solve_program(prog, method, **kw)
        except SolverFailedError:
            continue
        res = build_result(prog, blocks, method=method, seconds=0.0, solver_info=sinfo, tol=tol)
        if res.certificate.accepted:
            return res, max_rounds + 1
    raise SolverFailedError(f"regularization_path: no certified solution at lambda={prog.lam:g} "
                            f"({None if res is None else res.certificate})")


def regularization_path(X: ArrayLike, y: ArrayLike, lams: ArrayLike | None = None, *, n_lams: int = 20,
                        lam_min_ratio: float = 0.01, patterns: str | int | ArrayLike = "exact",
                        loss: str = "mse", bias: bool = True, scaling: str = "paper",
                        rng: int | np.random.Generator | None = None, refine: int = 16,
                        jump_rtol: float = 1e-6, tol: float | None = None,
                        progress: bool = False) -> RegularizationPath:
    """Optimal sets along a ``lambda`` grid, warm-started from ``lambda_max`` down.

    Parameters
    ----------
    X, y, patterns, loss, bias, scaling, rng
        As in :func:`relu.solve_cgl` (sampled patterns are drawn once, so the whole
        path lives on one program).
    lams : array_like, optional
        The grid (in ``scaling``); default: ``n_lams`` values geometrically spaced
        from ``lambda_max`` down to ``lam_min_ratio * lambda_max``.
    n_lams : int
    lam_min_ratio : float
    refine : int
        Bisections (in ``log lambda``) of every *suspicious* interval -- its jump is
        more than twice as fast (per unit of ``log lambda``) as on a neighbouring
        interval, or the number of neurons or p-uniqueness changes across it -- each
        time following the half with the larger jump.  A continuous path has jumps
        that vanish with the bracket (``2^-refine`` of the interval); a jump that
        keeps at least a quarter of its size is flagged as a discontinuity.  ``0``:
        no diagnostics.
    jump_rtol : float
        Jumps below ``jump_rtol`` times the largest network's ``sum |W|`` are ignored.
    tol : float, optional
        Certificate tolerance (default ``1e-6``).
    progress : bool

    Returns
    -------
    RegularizationPath

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> path = relu.convex.regularization_path(X, y, n_lams=5, refine=4)
    >>> [p.is_p_unique for p in path.points][:2]
    [True, True]
    """
    from .certificate import CERT_TOL
    from .column_generation import column_generation
    from .program import CGLProgram, _arrangement
    from .solve import AUTO_DIRECT_ROWS

    func = "regularization_path"
    scaling = check_choice(scaling, ("paper", "mean"), func, "scaling")
    tol = CERT_TOL if tol is None else check_nonneg(tol, func, "tol", allow_zero=False)
    refine = check_nonneg(refine, func, "refine", integer=True)
    exact = isinstance(patterns, str) and patterns == "exact"
    base = CGLProgram.build(X, y, 1.0, patterns, loss=loss, bias=bias, scaling="paper", rng=rng,
                            func=func) if not exact else None
    n = int(np.shape(y)[0])
    large = False
    if exact:
        from zonotope import estimate_chambers

        from .._checks import check_data

        Xv, _ = check_data(X, func)
        arr, _ = _arrangement(Xv, bool(bias))
        large = 2 * estimate_chambers(arr) * n > AUTO_DIRECT_ROWS
        if not large:
            base = CGLProgram.build(X, y, 1.0, "exact", loss=loss, bias=bias, func=func)
    lm = lambda_max(X, y, patterns if base is None else base.patterns, loss=loss, bias=bias)
    if lams is None:
        n_lams = check_nonneg(n_lams, func, "n_lams", integer=True, allow_zero=False)
        lam_min_ratio = check_nonneg(lam_min_ratio, func, "lam_min_ratio", allow_zero=False)
        if lam_min_ratio >= 1:
            fail("lam_min_ratio", func, "in (0, 1)", repr(lam_min_ratio))
        grid = lm * np.geomspace(1.0, lam_min_ratio, n_lams) if n_lams > 1 else np.array([lm])
    else:
        grid = np.sort(np.asarray(lams, dtype=np.float64).reshape(-1))[::-1]
        if grid.size == 0 or np.any(grid <= 0) or not np.all(np.isfinite(grid)):
            fail("lams", func, "positive finite values", repr(lams))
        if scaling == "mean":
            grid = grid * n
    t_all = time.perf_counter()
    state = {"working": [], "init": None}

    def solve_at(lam):
        t0 = time.perf_counter()
        if base is not None:
            prog = CGLProgram(base.X, base.y, float(lam), base.patterns, base.bias, base.loss)
            res, rounds = _solve_warm(prog, state["working"], tol)
        else:
            res = column_generation(X, y, float(lam), loss=loss, bias=bias, tol=tol,
                                    init_patterns=state["init"])
            rounds = res.info.get("rounds", 1)
        pt, S = _point(res, t0, rounds)
        # warm start for the next lambda: the patterns of the candidate set
        prog_s = S.reference.program
        pats = prog_s.patterns[np.unique(S.equicorrelation_set % prog_s.n_patterns)] \
            if S.equicorrelation_set.size else np.zeros((0, n), dtype=np.uint8)
        if base is not None:
            key = {row.tobytes(): j for j, row in enumerate(base.patterns)}
            state["working"] = [key[row.tobytes()] for row in pats if row.tobytes() in key]
        else:
            state["init"] = pats if len(pats) else None
        return pt

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=grid.size, desc="regularization path", unit="lambda", disable=None)
    points = []
    try:
        for lam in grid:
            points.append(solve_at(lam))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    # continuity: bisect the suspicious intervals down to a tiny bracket
    def jump(a, b):
        return network_distance(a.min_norm, b.min_norm)

    size = max([float(np.abs(p.min_norm_weights).sum()) for p in points] + [1e-300])
    flagged, extra = [], []
    if refine and len(points) > 1:
        j = np.array([jump(points[i], points[i + 1]) for i in range(len(points) - 1)])
        rate = j / np.log(np.array([points[i].lam / points[i + 1].lam for i in range(len(points) - 1)]))
        for i in range(len(points) - 1):
            j0 = j[i]
            if j0 <= jump_rtol * size:
                continue
            nb = [rate[k] for k in (i - 1, i + 1) if 0 <= k < rate.size]
            structural = (points[i].n_neurons != points[i + 1].n_neurons
                          or points[i].is_p_unique != points[i + 1].is_p_unique)
            if not structural and nb and rate[i] <= 2.0 * min(nb):
                continue
            phi, plo = points[i], points[i + 1]
            for _ in range(refine):
                mid = float(np.sqrt(phi.lam * plo.lam))
                pm = solve_at(mid)
                extra.append(pm)
                if jump(phi, pm) >= jump(pm, plo):
                    plo = pm
                else:
                    phi = pm
            jcur = jump(phi, plo)
            if jcur >= 0.25 * j0 and jcur > jump_rtol * size:
                flagged.append((phi.lam, plo.lam))
    allp = sorted(points + extra, key=lambda p: -p.lam)
    jumps = np.array([jump(allp[k], allp[k + 1]) for k in range(len(allp) - 1)])
    return RegularizationPath(tuple(allp), float(lm), grid, jumps, tuple(flagged), scaling,
                              {"seconds": time.perf_counter() - t_all,
                               "n_refinement_solves": len(extra),
                               "method": "warm_start" if base is not None else "column_generation"})
