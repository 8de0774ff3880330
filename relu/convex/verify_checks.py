"""Numerical checks of the convex reformulation for ``zonotope verify`` (group ``cgl``).

Registered through the entry-point group ``zonotope.verify``
(``relu-convex = "relu.convex.verify_checks"`` in ``pyproject.toml``): importing this
module registers the checks with :func:`zonotope.verify.register_check`.

Each check runs random instances (small with ``quick=True``) and compares our answer
with an independent one: the direct Clarabel program with the cvxpy reference, the
CGL optimum with weight-decayed networks trained by L-BFGS, column generation with
the full program, the certificate's decision with a known answer.
"""

from __future__ import annotations

import numpy as np

from ._registry import register_specs

__all__ = ["REGISTERED", "CHECKS"]

PAPER = "Mishkin & Pilanci 2023"

#: name -> check function ``(quick, rng) -> CheckOutcome`` (filled when registered).
CHECKS = {}


def _data(rng, n, d, logistic=False):
    X = rng.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * rng.standard_normal(n)
    return X, ((y > 0).astype(float) if logistic else y)


def _sizes(quick):
    return [(6, 1), (8, 2)] if quick else [(6, 1), (8, 2), (12, 2), (10, 3), (16, 2)]


def _dual_feasibility(quick, rng):
    import relu

    worst_out, worst_on, n_inst = 0.0, 0.0, 0
    for loss in ("mse", "logistic"):
        for n, d in _sizes(quick):
            X, y = _data(rng, n, d, loss == "logistic")
            r = relu.solve_cgl(X, y, float(rng.uniform(0.05, 0.5)), loss=loss)
            vn = np.linalg.norm(r.correlations, axis=1) / r.lam
            worst_out = max(worst_out, float(vn.max()) - 1.0)
            if r.n_active:
                worst_on = max(worst_on, float(np.max(np.abs(vn[r.active_blocks] - 1.0))))
            n_inst += 1
    tol = 1e-4
    dev = max(worst_out, worst_on)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"max |v_b|/lam - 1 (all blocks)": worst_out,
                         "max ||v_b|/lam - 1| (support)": worst_on})


def _solution_map(quick, rng):
    import relu
    from relu import convex

    dev, fit_dev, n_inst = 0.0, 0.0, 0
    for bias in (True, False):
        for n, d in _sizes(quick):
            X, y = _data(rng, n, d)
            lam = float(rng.uniform(0.05, 0.5))
            r = relu.solve_cgl(X, y, lam, bias=bias)
            net = r.network()
            obj = convex.nonconvex_objective(X, y, lam, net.W, net.second_layer, bias=bias)
            dev = max(dev, abs(obj - r.objective) / r.objective)
            fit_dev = max(fit_dev, float(np.max(np.abs(net.predict(X) - r.fit))))
            n_inst += 1
    tol = 1e-8
    return dict(instances=n_inst, worst_deviation=max(dev, fit_dev), tolerance=tol,
                passed=max(dev, fit_dev) <= tol,
                details={"max relative |nonconvex objective - p*|": dev,
                         "max |f(X) - yhat|": fit_dev})


def _certificate(quick, rng):
    import relu

    wrong, n_inst, worst_lb = 0, 0, 0.0
    for n, d in _sizes(quick):
        X, y = _data(rng, n, d)
        lam = float(rng.uniform(0.05, 0.3))
        exact = relu.solve_cgl(X, y, lam)
        g = exact.certify_global()
        wrong += int(not g.certified)
        few = relu.solve_cgl(X, y, lam, patterns=2, rng=rng)
        gf = few.certify_global()
        # a sampled solution is flagged unless it happens to be optimal already
        truly_suboptimal = few.objective > exact.objective * (1 + 1e-6)
        wrong += int(truly_suboptimal and gf.certified)
        worst_lb = max(worst_lb, (gf.lower_bound - exact.objective) / exact.objective)
        n_inst += 2
    tol = 1e-8
    dev = max(float(wrong), worst_lb)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"wrong decisions": wrong,
                         "max (lower bound - p*)/p* (must be <= 0)": worst_lb})


def _column_generation(quick, rng):
    import relu
    from relu import convex

    dev, n_inst, ratio = 0.0, 0, []
    for n, d in _sizes(quick):
        X, y = _data(rng, n, d)
        lam = float(rng.uniform(0.05, 0.3))
        exact = relu.solve_cgl(X, y, lam, method="clarabel")
        cg = convex.column_generation(X, y, lam, n_add=4)
        dev = max(dev, abs(cg.objective - exact.objective) / exact.objective
                  + (0.0 if cg.global_certificate.certified else 1.0))
        ratio.append(cg.program.n_patterns / exact.program.n_patterns)
        n_inst += 1
    tol = 1e-6
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol, passed=dev <= tol,
                details={"working set / all patterns": [round(float(x), 3) for x in ratio]})


def _best_network(X, y, lam, m, n_starts, rng):
    from scipy.optimize import minimize

    Xb = np.hstack([X, np.ones((len(X), 1))])
    p = Xb.shape[1]

    def fg(z):
        W = z[: m * p].reshape(m, p)
        v = z[m * p:]
        A = Xb @ W.T
        H = np.maximum(A, 0.0)
        e = H @ v - y
        f = 0.5 * e @ e + 0.5 * lam * (np.sum(W * W) + v @ v)
        gW = ((A > 0) * e[:, None] * v[None, :]).T @ Xb + lam * W
        return f, np.r_[gW.ravel(), H.T @ e + lam * v]

    best = np.inf
    for _ in range(n_starts):
        z0 = rng.standard_normal(m * p + m) * rng.uniform(0.1, 1.5)
        res = minimize(fg, z0, jac=True, method="L-BFGS-B",
                       options={"maxiter": 5000, "gtol": 1e-10, "ftol": 1e-15})
        best = min(best, float(res.fun))
    return best


def _nonconvex_equivalence(quick, rng):
    import relu

    below, above, n_inst = 0.0, 0.0, 0
    for n, d in ([(5, 1)] if quick else [(5, 1), (6, 1), (7, 2)]):
        X, y = _data(rng, n, d)
        lam = 0.1
        r = relu.solve_cgl(X, y, lam)
        best = _best_network(X, y, lam, r.n_active + 2, 30 if quick else 150, rng)
        below = max(below, (r.objective - best) / r.objective)
        above = max(above, (best - r.objective) / r.objective)
        n_inst += 1
    tol = 1e-3
    dev = max(below, above)
    return dict(instances=n_inst, worst_deviation=dev, tolerance=tol,
                passed=below <= 1e-7 and above <= tol,
                details={"max (p* - best network)/p* (<= 0: p* is a lower bound)": below,
                         "max (best network - p*)/p*": above})


_SPECS = [
    ("cgl.dual-feasibility", _dual_feasibility, "Sec. 2 (KKT of the CGL; poster)",
     "At the optimum every correlation vector satisfies |v_b| <= lambda, with equality on "
     "the support."),
    ("cgl.solution-map", _solution_map, "Sec. 1 (convex -> non-convex solution map)",
     "theta1 = w/sqrt|w|, theta2 = +-sqrt|w| gives a ReLU network whose weight-decayed "
     "objective equals p* and whose output is the convex fit."),
    ("cgl.certificate", _certificate, "Sec. 2 (dual feasibility over all activation patterns)",
     "A solution is optimal for the full program iff no chamber's dual constraint is "
     "violated; the scaled dual point gives a valid lower bound."),
    ("cgl.column-generation", _column_generation, "Sec. 2 (CGL over all patterns)",
     "Column generation with pricing over all chambers ends at the exact-pattern optimum."),
    ("cgl.nonconvex-equivalence", _nonconvex_equivalence, "Sec. 1 (Pilanci & Ergen equivalence)",
     "With all patterns and enough width, the CGL optimum equals the best weight-decayed "
     "two-layer ReLU network (p* is a lower bound on every network)."),
]


CHECKS.update(register_specs(_SPECS, paper=PAPER, groups=("cgl", "relu")))

#: True when the checks were registered with :mod:`zonotope.verify` (always, since the
#: registry is part of the installed ``zonotope``).
REGISTERED = True
