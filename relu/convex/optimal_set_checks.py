"""Checks of the optimal set, pruning, paths and sensitivity for ``zonotope verify`` (group ``optset``).

Registered through the entry-point group ``zonotope.verify``
(``relu-optimal-set = "relu.convex.optimal_set_checks"`` in ``pyproject.toml``), like
:mod:`relu.convex.verify_checks`: importing the module registers the checks with
:func:`zonotope.verify.register_check`.

Each check compares with an independent answer:

* ``optset.equicorrelation``: ``|v_b| = lambda`` on the support, recomputed by
  :func:`relu.convex.certify` at several optimal points (interior point, vertices,
  min-norm), against ``|v_b| <= lambda`` everywhere;
* ``optset.group-norm``: ``sum_b |w_b|`` and ``p*`` at sampled points and vertices of
  the optimal set, against the group norm ``r^T yhat / lambda`` and the solver's ``p*``;
* ``optset.pruning``: :func:`relu.convex.prune_optimal` keeps ``p*`` (recomputed
  from the weights), ends with at most ``n`` units whose fits have full *exact*
  rank (rational, :mod:`zonotope._exact`), and no strict subset of them is optimal (HiGHS LPs);
* ``optset.min-norm``: the min-norm solution from Clarabel against cvxpy (a second
  solver) on the same polytope, and no sampled optimal point has a smaller norm;
* ``optset.dimension``: the dimension ``|S| - rank(M_S)`` against the affine rank of
  vertices found by LPs in random directions and of hit-and-run samples;
* ``optset.path-continuity``: the path's discontinuity diagnosis (coarse grid plus
  bisection of the intervals it finds suspicious) against a fine ``lambda`` grid
  whose largest jumps are all bisected down (a jump that keeps a quarter of its
  size is a discontinuity, one that shrinks below it is a steep continuous change);
* ``optset.sensitivity``: implicit-function derivatives of minimal networks in
  ``lambda`` and in the labels against central differences of independent re-solves.
"""

from __future__ import annotations

import numpy as np

from ._registry import register_specs

__all__ = ["REGISTERED", "CHECKS"]

PAPER = "Mishkin & Pilanci 2023"

#: name -> check function ``(quick, rng) -> CheckOutcome`` (filled when registered).
CHECKS = {}


def _data(rng, n, d):
    X = rng.standard_normal((n, d))
    return X, np.sin(2 * X.sum(axis=1)) + 0.1 * rng.standard_normal(n)


def _instances(quick, rng):
    """Exact-pattern instances plus sampled-pattern ones (often not p-unique)."""
    import relu

    sizes = [(8, 1, 0.1), (10, 2, 0.3)] if quick else \
        [(8, 1, 0.1), (10, 2, 0.3), (12, 2, 0.05), (9, 3, 0.2), (14, 2, 0.6)]
    for n, d, lam in sizes:
        X, y = _data(rng, n, d)
        yield X, y, relu.solve_cgl(X, y, lam)
    for n, d, lam in ([(20, 4, 0.05)] if quick else [(20, 4, 0.05), (30, 6, 0.02)]):
        X, y = _data(rng, n, d)
        yield X, y, relu.solve_cgl(X, y, lam, patterns=40, rng=rng, bias=False)


def _equicorrelation(quick, rng):
    worst_on, worst_out, n_inst, n_points = 0.0, 0.0, 0, 0
    for _, _, r in _instances(quick, rng):
        S = r.optimal_set()
        pts = [S.solution(S.interior_point), S.extreme_point(rng=rng), S.min_norm()]
        for sol in pts:
            vn = np.linalg.norm(sol.correlations, axis=1) / (sol.lam * sol.certificate.dual_scale)
            worst_out = max(worst_out, float(vn.max(initial=0.0)) - 1.0)
            if sol.n_active:
                worst_on = max(worst_on, float(np.max(np.abs(vn[sol.active_blocks] - 1.0))))
            if S.n_support:
                worst_on = max(worst_on, float(np.max(np.abs(vn[S.support] - 1.0))))
            n_points += 1
        n_inst += 1
    tol = 1e-6
    dev = max(worst_on, worst_out)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"optimal points checked": n_points,
                         "max ||v_b|/lam - 1| on the support": worst_on,
                         "max |v_b|/lam - 1 (all blocks)": worst_out})


def _group_norm(quick, rng):
    worst_norm, worst_obj, n_inst, n_points = 0.0, 0.0, 0, 0
    for _, _, r in _instances(quick, rng):
        S = r.optimal_set()
        sols = [S.solution(a) for a in S.sample(4 if quick else 10, rng=rng)]
        sols += [S.extreme_point(rng=rng) for _ in range(2 if quick else 4)]
        for sol in sols:
            worst_norm = max(worst_norm, abs(float(np.sum(sol.block_norms)) - S.group_norm) / S.group_norm
                             if S.group_norm > 0 else float(np.sum(sol.block_norms)))
            worst_obj = max(worst_obj, abs(sol.objective - r.objective) / r.objective)
            n_points += 1
        n_inst += 1
    tol = 1e-7
    dev = max(worst_norm, worst_obj)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"optimal points checked": n_points,
                         "max relative |sum |w_b| - group norm|": worst_norm,
                         "max relative |objective - p*|": worst_obj})


def _exact_rank(F):
    """Rank of the float matrix ``F`` taken at its binary values, in exact arithmetic."""
    from zonotope._exact import rank

    return rank(np.asarray(F, dtype=np.float64).T.tolist())


def _pruning(quick, rng):
    from scipy.optimize import linprog

    worst_obj, bad_rank, too_many, not_minimal, n_inst = 0.0, 0, 0, 0, 0
    for X, _, r in _instances(quick, rng):
        m = r.prune()
        prog = r.program
        worst_obj = max(worst_obj, abs(prog.objective(m.blocks) - r.objective) / r.objective)
        F = m.block_fits()[:, m.active_blocks]
        bad_rank += int(_exact_rank(F) != m.n_active)
        too_many += int(m.n_active > X.shape[0])
        S = r.optimal_set()
        pos = {b: i for i, b in enumerate(S.support)}
        if m.n_active > 1 and all(b in pos for b in m.active_blocks):
            for drop in m.active_blocks:
                cols = [pos[b] for b in m.active_blocks if b != drop]
                res = linprog(np.zeros(len(cols)), A_eq=S.matrix[:, cols], b_eq=S.fit,
                              bounds=(0, None), method="highs")
                if res.status == 0 and np.linalg.norm(S.matrix[:, cols] @ res.x - S.fit) <= 1e-9:
                    not_minimal += 1
        n_inst += 1
    tol = 1e-8
    dev = worst_obj + bad_rank + too_many + not_minimal
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"max relative |p(pruned) - p*|": worst_obj,
                         "pruned fits not independent (exact rank)": bad_rank,
                         "more than n units": too_many,
                         "optimal strict subsets found by HiGHS": not_minimal})


def _min_norm(quick, rng):
    import cvxpy as cp

    worst_sol, worst_order, n_inst = 0.0, 0.0, 0
    for _, _, r in _instances(quick, rng):
        S = r.optimal_set()
        if S.n_support == 0:
            n_inst += 1
            continue
        mn = S.min_norm(level="block")
        a = np.array(mn.info["alpha"])
        x = cp.Variable(S.n_support, nonneg=True)
        prob = cp.Problem(cp.Minimize(cp.sum_squares(x)), [S.matrix @ x == S.fit])
        prob.solve(solver="CLARABEL")
        ref = np.maximum(np.asarray(x.value, dtype=np.float64), 0.0)
        worst_sol = max(worst_sol, float(np.linalg.norm(a - ref)) / max(float(np.linalg.norm(ref)), 1e-300))
        # no optimal point is shorter (hit-and-run samples and vertices)
        others = list(S.sample(8, rng=rng)) + [np.array(S.extreme_point(rng=rng).info["alpha"])]
        best = min(float(o @ o) for o in others)
        worst_order = max(worst_order, (float(a @ a) - best) / max(best, 1e-300))
        n_inst += 1
    tol = 1e-5
    dev = max(worst_sol, worst_order)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"max relative |alpha_ours - alpha_cvxpy|": worst_sol,
                         "max (|alpha_mn|^2 - min over other points)/min (<= 0)": worst_order})


def _affine_rank(P, rtol=1e-7):
    """Affine rank of points, singular values cut relative to the points' size.

    Not relative to the largest difference, which is rounding noise when all points
    coincide.
    """
    if len(P) < 2:
        return 0
    P = np.asarray(P, dtype=np.float64)
    D = P[1:] - P[0]
    s = np.linalg.svd(D, compute_uv=False)
    return int(np.count_nonzero(s > rtol * max(float(np.abs(P).max()), 1e-300) * np.sqrt(len(P))))


def _dimension(quick, rng):
    wrong, n_inst, dims = 0, 0, []
    for _, _, r in _instances(quick, rng):
        S = r.optimal_set()
        k = S.dimension
        if S.n_support:
            verts = [np.array(S.extreme_point(rng.standard_normal(S.n_support)).info["alpha"])
                     for _ in range(max(3 * (k + 1), 6))]
            samples = list(S.sample(2 * k + 4, rng=rng))
            rv, rs = _affine_rank(verts), _affine_rank(samples)
            wrong += int(rv != k) + int(rs != k)
        dims.append(int(k))
        n_inst += 1
    return dict(instances=n_inst, worst_deviation=float(wrong), tolerance=0.0, passed=wrong == 0,
                details={"dimensions": dims,
                         "disagreements (vertex rank, sample rank)": wrong})


def _path_continuity(quick, rng):
    from relu import convex

    disagree, n_inst, fine_verdicts, flags = 0, 0, [], []
    n_bisect = 8 if quick else 12
    for n, d in ([(8, 1)] if quick else [(8, 1), (9, 1), (10, 2)]):
        X, y = _data(rng, n, d)
        coarse = convex.regularization_path(X, y, n_lams=6 if quick else 10, lam_min_ratio=0.02,
                                            refine=6 if quick else 10)
        fine_lams = np.geomspace(coarse.lambda_max, 0.02 * coarse.lambda_max, 24 if quick else 60)
        fine = convex.regularization_path(X, y, fine_lams, refine=0)
        pts = fine.points
        order = np.argsort(-fine.jumps)[: 2 if quick else 3]
        size = max(float(np.abs(p.min_norm_weights).sum()) for p in pts)
        for i in order:
            a, b = pts[i], pts[i + 1]
            j0 = float(fine.jumps[i])
            if j0 <= 1e-6 * size:
                continue
            # bisect the fine interval, following the half with the larger jump: a continuous
            # (even steep) change shrinks with the bracket, a discontinuity keeps its size
            hi, lo, ratio = a, b, 1.0
            for _ in range(n_bisect):
                mid = convex.regularization_path(X, y, [float(np.sqrt(hi.lam * lo.lam))],
                                                 refine=0).points[0]
                ja = convex.network_distance(hi.min_norm, mid.min_norm)
                jb = convex.network_distance(mid.min_norm, lo.min_norm)
                hi, lo = (hi, mid) if ja >= jb else (mid, lo)
                ratio = max(ja, jb) / j0
                if ratio < 0.25:
                    break
            fine_disc = ratio >= 0.25
            flagged = any(lo_ < a.lam and hi_ > b.lam for hi_, lo_ in coarse.discontinuities)
            disagree += int(fine_disc != flagged)
            fine_verdicts.append(round(ratio, 3))
        flags.append(len(coarse.discontinuities))
        n_inst += 1
    return dict(instances=n_inst, worst_deviation=float(disagree), tolerance=0.0,
                passed=disagree == 0,
                details={"flagged discontinuities per instance": flags,
                         "largest fine-grid jumps after bisection / before (< 0.25: continuous)":
                         fine_verdicts,
                         "disagreements": disagree})


def _sensitivity(quick, rng):
    import relu
    from relu import convex

    worst, n_inst, skipped = 0.0, 0, 0
    for n, d, lam in ([(8, 1, 0.1), (10, 2, 0.2)] if quick else
                      [(8, 1, 0.1), (10, 2, 0.2), (12, 2, 0.05), (9, 3, 0.3), (14, 1, 0.02)]):
        X, y = _data(rng, n, d)
        s = convex.sensitivity(relu.solve_cgl(X, y, lam))
        if not s.is_stable or s.active.size == 0:
            skipped += 1
            continue
        for which in ("lam", "y"):
            out = convex.sensitivity_finite_differences(s, which=which, rng=rng)
            if not out["same_support"]:
                skipped += 1
                continue
            worst = max(worst, out["relative_error"])
        n_inst += 1
    tol = 1e-4
    return dict(instances=n_inst, worst_deviation=worst, tolerance=tol,
                passed=worst <= tol and n_inst > 0,
                details={"max relative |FD - IFT|": worst,
                         "skipped (active set not stable)": skipped})


_SPECS = [
    ("optset.equicorrelation", _equicorrelation, "Sec. 3 (optimal set; KKT)",
     "Every optimal solution has |v_b| = lambda on the support and |v_b| <= lambda elsewhere."),
    ("optset.group-norm", _group_norm, "Sec. 3 (the optimal set is a polytope)",
     "All optimal solutions share the fit, the objective and the group norm sum_b |w_b|."),
    ("optset.pruning", _pruning, "Sec. 3.2 (Alg. 1, optimal pruning)",
     "Optimal pruning keeps the objective and ends at a minimal network: at most n units "
     "with linearly independent fits, no strict subset optimal."),
    ("optset.min-norm", _min_norm, "Sec. 4 (min-norm solution)",
     "The minimum-norm optimal solution is unique (a strictly convex QP over the polytope)."),
    ("optset.dimension", _dimension, "Sec. 3 (dimension, uniqueness)",
     "The optimal polytope has dimension |S| - rank(M_S)."),
    ("optset.path-continuity", _path_continuity, "Sec. 4 (regularization path)",
     "The path's discontinuity diagnosis agrees with a fine lambda grid."),
    ("optset.sensitivity", _sensitivity, "Sec. 4 (sensitivity of minimal networks)",
     "Where the active set is stable the minimal network is differentiable in lambda and "
     "y, with the implicit-function derivative."),
]


CHECKS.update(register_specs(_SPECS, paper=PAPER, groups=("optset", "relu")))

#: True when the checks were registered with :mod:`zonotope.verify` (always, since the
#: registry is part of the installed ``zonotope``).
REGISTERED = True
