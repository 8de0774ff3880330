"""The ReLU layer's checks for ``zonotope verify`` (Theorems 4.1-4.3, the reductions).

Imported through the entry-point group ``zonotope.verify`` (see ``pyproject.toml``);
importing it registers the checks with :func:`zonotope.verify.register_check`.
Every check compares the construction's proven claim with brute force: exact ERM over
all vertices (:func:`relu.discontinuity.vertex_losses`, and :func:`relu.exact_erm`
where it applies), brute-force set cover (:func:`relu.reductions.min_set_cover`) and
exact general-position tests.

Examples
--------
>>> from zonotope.verify import run_checks
>>> r = run_checks(("discontinuity-affine",), quick=True)[0]
>>> r.passed, r.section
(True, '§4.1, App. D (mechanism 1)')
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from zonotope.verify import CheckOutcome, register_check

__all__ = []

PAPER = "Matena & Raffel 2022"
#: Tolerance on loss values from the convex solvers (the proofs' gaps are >= 0.3 / N).
SOLVER_TOL = 1e-7


# ----------------------------------------------------------------------------- helpers
def _systems(rng, quick):
    """Set systems: every class with small sizes, then random classes, then larger random ones."""
    from .reductions import set_systems

    small = [(n, s) for n in range(0, 3 if quick else 4) for s in range(1, 4)]
    out = [(n, S) for n, s in small for S in set_systems(n, s, coverable_only=True)]
    pool = [(n, S) for n, s in ((4, 4), (4, 3), (3, 4)) for S in set_systems(n, s, coverable_only=True)]
    take = 4 if quick else 40
    for k in rng.choice(len(pool), size=take, replace=False):
        out.append(pool[int(k)])
    for n, s in ([] if quick else [(5, 5), (6, 5), (6, 4)]):
        while True:
            S = tuple(frozenset(int(e) for e in np.flatnonzero(rng.random(n) < 0.4)) for _ in range(s))
            if set().union(*S) == set(range(n)):
                out.append((n, S))
                break
    return out


def _bias_free_loss(X, y):
    from .discontinuity import vertex_losses

    return vertex_losses(X, np.asarray([float(v) for v in y]), bias=False)


def _exact_erm_bias_free(X, y):
    """The optimal loss of ``relu.exact_erm(..., bias=False)``: one unit, second layer (1, 0)."""
    from .exact_erm import exact_erm

    return exact_erm(np.asarray([[float(v) for v in r] for r in X]), [float(v) for v in y], 1, [1.0, 0.0],
                     bias=False, progress=False).loss


def _reduction_check(kind, quick, rng):
    from zonotope import is_generic_configuration, is_in_general_position, linear_dependency_witness

    from .reductions import general_position_reduction, min_set_cover, set_cover_reduction

    build = set_cover_reduction if kind == "plain" else general_position_reduction
    dev, n_inst, worst_margin, min_gap = 0.0, 0, math.inf, math.inf
    wrong, gp_bad, non_gp, trivial, cover_bad = 0, 0, 0, 0, 0
    erm_diff, erm_checked = 0.0, 0
    for n, S in _systems(rng, quick):
        opt = len(min_set_cover(n, S))
        r0 = build(n, S, 0)
        vl = _bias_free_loss(r0.X, r0.y)
        L = vl.loss
        lo, hi = r0.loss_bounds(opt)
        dev = max(dev, float(lo) - L, L - float(hi))
        if r0.loss(r0.cover_weights(min_set_cover(n, S))) != Fraction(opt, r0.n_samples):
            cover_bad += 1
        erm_checked += 1
        erm_diff = max(erm_diff, abs(_exact_erm_bias_free(r0.X, r0.y) - L))
        for k in range(0, len(S) + 1):
            r = build(n, S, k) if kind == "plain" else build(n, S, k, eta=r0.eta)
            margin = (float(r.threshold) - L) if opt <= k else (L - float(r.threshold))
            worst_margin = min(worst_margin, margin * r.n_samples)
            min_gap = min(min_gap, float(r.gap) * r.n_samples)
            wrong += int(margin <= SOLVER_TOL)
        if kind == "plain":
            # in R^1 every configuration is generic; with one element lying in every set there is
            # nothing to be dependent; otherwise an element misses a set or two elements coincide
            nontrivial = len(S) >= 2 and n >= 1 and not (n == 1 and all(0 in S_i for S_i in S))
            if linear_dependency_witness(r0.X) is None:
                non_gp += int(nontrivial)
                trivial += int(not nontrivial)
        else:
            gp_bad += int(not (is_in_general_position(r0.X) and is_generic_configuration(r0.X)))
        n_inst += 1
    dev = max(dev, erm_diff)
    passed = dev <= SOLVER_TOL and wrong == 0 and gp_bad == 0 and non_gp == 0 and cover_bad == 0
    details = {"deviation": "largest violation of gamma OPT / N <= L* <= OPT / N by the vertex oracle, "
                            "and the largest |relu.exact_erm(bias=False) - vertex oracle|",
               "wrong decisions (over every k)": wrong,
               "smallest N * (distance of L* to the threshold)": worst_margin,
               "smallest proven N * gap": min_gap,
               "cover weights not attaining OPT / N exactly": cover_bad,
               "exact_erm(bias=False) agreement": f"{erm_checked} instances, max diff {erm_diff:.2g}"}
    if kind == "plain":
        details["nontrivial instances in linear general position (must be 0)"] = non_gp
        key = "trivial instances (one set, no element, or one element in every set) in general position"
        details[key] = trivial
    else:
        details["instances not in general position (must be 0)"] = gp_bad
    return CheckOutcome(n_inst, dev, SOLVER_TOL, passed, details)


# ----------------------------------------------------------------------------- reductions
@register_check(
    "reduction", paper=PAPER + "; Goel et al. 2021", section="§4.1 (set cover -> one bias-free ReLU)",
    claim="min loss <= theta(k) iff a cover of size <= k exists, with gamma OPT / N <= L* <= OPT / N; "
          "the data are not in general position (linear dependency witness)",
    groups=("relu", "matena", "hardness"))
def _check_reduction(quick, rng):
    return _reduction_check("plain", quick, rng)


@register_check(
    "thm4.2", paper=PAPER, section="Thm 4.2, App. E.3 (our construction)",
    claim="training one ReLU is NP-hard on data in general position: the general-position reduction "
          "decides set cover (brute force agrees) and its data are in general position (exactly)",
    groups=("relu", "matena", "hardness"))
def _check_thm42(quick, rng):
    return _reduction_check("general_position", quick, rng)


@register_check(
    "reduction-perturbation", paper=PAPER, section="§4.1, App. E.2 (our perturbation)",
    claim="moving the element points by c eps e_0 (eps arbitrarily small) makes gamma / N <= L* <= 1/N "
          "for every set system: the thresholded loss says 'yes' for every k >= 1; the vertex attaining "
          "1/N is not a vertex of the unperturbed data",
    groups=("relu", "matena", "hardness"))
def _check_reduction_perturbation(quick, rng):
    from zonotope import Arrangement, enumerate_chambers

    from .reductions import breaking_perturbation, min_set_cover, set_cover_reduction

    eps_list = [Fraction(1, 100)] if quick else [Fraction(1, 100), Fraction(1, 10**6)]
    dev, n_inst, flipped, new_vertex, new_expected, wrong = 0.0, 0, 0, 0, 0, 0
    jumps, jumped, jumped_new = [], 0, 0
    for n, S in _systems(rng, quick):
        if n == 0:
            continue
        opt = len(min_set_cover(n, S))
        r = set_cover_reduction(n, S, 1)
        L0 = _bias_free_loss(r.X, r.y).loss
        chambers = enumerate_chambers(Arrangement.from_points(r.X, homogenize=False), interior_points=False)
        for e in eps_list:
            p = breaking_perturbation(r, e)
            vl = _bias_free_loss(p.X, p.y)
            L = vl.loss
            dev = max(dev, float(p.lower) - L, L - float(p.upper))
            wrong += int(not r.decide(L)) + int(set_cover_reduction(n, S, 0).decide(L))
            if opt >= 2:
                flipped += int(not r.decide(L0) and r.decide(L))
                jumps.append((L0 - L) * r.n_samples)
            avoid = any(0 not in [i for i in range(len(S)) if j in S[i]] for j in range(n))
            if avoid:
                new_expected += 1
                new_vertex += int(p.pattern not in chambers)
            if L < L0 - SOLVER_TOL:
                jumped += 1
                jumped_new += int(vl.best_pattern not in chambers)
            n_inst += 1
    passed = dev <= SOLVER_TOL and wrong == 0 and new_vertex == new_expected
    return CheckOutcome(n_inst, dev, SOLVER_TOL, passed,
                        {"deviation": "largest violation of gamma / N <= L*(D_eps) <= 1 / N",
                         "eps": [str(e) for e in eps_list],
                         "decisions not 'yes for k = 1, no for k = 0' (must be 0)": wrong,
                         "no-instances (OPT >= 2, k = 1) turned into 'yes'": flipped,
                         "smallest N * jump L*(D) - L*(D_eps) on them": min(jumps) if jumps else None,
                         "witness vertex new (absent for D) / instances where an element avoids set 0":
                             f"{new_vertex}/{new_expected}",
                         "instances where L* dropped whose optimal vertex (by ERM) is new":
                             f"{jumped_new}/{jumped}"})


# ----------------------------------------------------------------------------- discontinuities
def _discontinuity_check(example, quick):
    from zonotope import Zonotope

    from .discontinuity import loss_curve

    ks = (1, 3, 5) if quick else (1, 2, 3, 4, 5, 6)
    eps = [Fraction(1, 10**k) for k in ks] + [Fraction(-1, 10**k) for k in ks[1:2]]
    c = loss_curve(example, eps)
    dev = abs(c.value_at_zero - float(example.value_at_zero))
    pos = c.eps > 0
    dev = max(dev, float(np.max(np.abs(c.loss[pos] - float(example.limit)))))
    pattern_ok = all(tuple(p) == example.optimal_pattern for p, e in zip(c.optimal_pattern, c.eps) if e > 0)
    new_ok = bool(np.all(c.optimal_is_new[pos] == (example.mechanism == 2)))
    e_small = Fraction(1, 10 ** ks[-1])
    witness_ok = example.exact_loss(e_small, example.witness_weights(e_small)) == example.limit
    faces0 = sum(len(f) > 2 for f, _ in Zonotope.from_points(example.data(Fraction(0))).faces(2))
    faces1 = sum(len(f) > 2 for f, _ in Zonotope.from_points(example.data(e_small)).faces(2))
    details = {"deviation": "max |L*(eps) - claimed| over eps = 0 and the eps > 0 (exact ERM)",
               "L*(0) claimed / by ERM": [str(example.value_at_zero), c.value_at_zero],
               "limit claimed": str(example.limit), "jump": str(example.jump),
               "eps": c.eps.tolist(), "L*(eps)": c.loss.tolist(),
               "min over the vertices of D_0": c.old_min.tolist(),
               "min over the new vertices": [x if np.isfinite(x) else None for x in c.new_min.tolist()],
               "vertices at eps = 0 / eps != 0": [c.n_vertices_at_zero, int(c.n_vertices[0])],
               "non-parallelogram 2-faces at eps = 0 / eps > 0": [faces0, faces1],
               "optimal pattern as claimed": pattern_ok,
               "optimal vertex new at eps > 0": bool(c.optimal_is_new[0]),
               "exact witness attains the limit": witness_ok}
    ok = dev <= SOLVER_TOL and pattern_ok and new_ok and witness_ok and faces0 > 0 and faces1 == 0
    if example.mechanism == 2:
        # the old vertices do not carry the jump: their minimum tends to L*(0)
        tail = float(c.old_min[list(c.eps).index(float(e_small))])
        details["old vertices' minimum at the smallest eps minus L*(0)"] = tail - c.value_at_zero
        ok = ok and abs(tail - c.value_at_zero) <= 1e-3
    return CheckOutcome(len(eps) + 1, dev, SOLVER_TOL, bool(ok), details)


@register_check(
    "discontinuity-affine", paper=PAPER, section="§4.1, App. D (mechanism 1)",
    claim="without general position L* can jump while the optimal vertex exists before and after: "
          "(0,0),(1,eps),(2,0),(0,-5) with labels 1,2,1,0 has L*(0) = 1/6 and L*(eps) = 0 for eps > 0",
    groups=("relu", "matena", "continuity"))
def _check_disc1(quick, rng):
    from .discontinuity import affine_dependency_example

    return _discontinuity_check(affine_dependency_example(), quick)


@register_check(
    "discontinuity-new-vertex", paper=PAPER, section="§4.1, App. D (mechanism 2)",
    claim="without general position L* can jump through a vertex that does not exist at eps = 0 "
          "(an octagonal face breaking up): L*(0) = 32/35, L*(eps) = 4/5 for 0 < eps < 1/2",
    groups=("relu", "matena", "continuity"))
def _check_disc2(quick, rng):
    from .discontinuity import new_vertex_example

    return _discontinuity_check(new_vertex_example(), quick)


# ----------------------------------------------------------------------------- theorems
@register_check(
    "thm4.1", paper=PAPER, section="Thm 4.1",
    claim="for data in general position L* is continuous: |L*(D_eps) - L*(D)| -> 0 on random "
          "perturbations, which keep the chirotope inside the perturbation radius",
    groups=("relu", "matena", "continuity"))
def _check_thm41(quick, rng):
    from zonotope import generic_points, perturbation_radius

    from .discontinuity import continuity_study

    # positive labels, more examples than one unit (or two) can fit: L* > 0 depends on the data
    cases = ([(6, 2, [1.0, 0.0])] if quick
             else [(6, 2, [1.0, 0.0]), (7, 2, [1.0, 0.0]), (6, 1, [1.0, -1.0, 0.0]), (6, 3, [1.0, 0.0])])
    reps = 1 if quick else 2
    ks = [1, 2, 3] if quick else [1, 2, 3, 4]
    worst, n_inst, bad, rows = 0.0, 0, 0, []
    for N, d, v in cases:
        for _ in range(reps):
            X = np.asarray(generic_points(N, d, rng=rng), dtype=np.float64)
            y = rng.uniform(0.5, 2.0, N)

            r = perturbation_radius(X).exact
            eps = [r * 10.0 ** -k for k in ks]
            st = continuity_study(X, y, eps, n_units=len(v) - 1, second_layer=v, n_samples=2 if quick else 3,
                                  rng=rng)
            devs = st.deviation
            decays = bool(devs[-1] <= devs[0] / 10 + 1e-9)
            bad += int(not st.equivalent.all()) + int(not decays) + int(not st.is_generic)
            worst = max(worst, float(devs[-1]))
            rows.append([N, d, len(v) - 1, r, devs.tolist()])
            n_inst += 1 + st.losses.size
    tol = 1e-3
    return CheckOutcome(n_inst, worst, tol, bad == 0 and worst <= tol,
                        {"deviation": "max |L*(D_eps) - L*(D)| at the smallest eps (= 10^-k times the exact "
                                      "perturbation radius)",
                         "failures (type changed inside the radius, or no decay over the eps range)": bad,
                         "instances (N, d, m, radius, deviation per eps)": rows})


@register_check(
    "thm4.3", paper=PAPER, section="Thm 4.3, App. F (our reconstruction)",
    claim="2 ceil(N / (d + 1)) units with the staircase activation pattern fit any data set in general "
          "position exactly",
    groups=("relu", "matena"))
def _check_thm43(quick, rng):
    from zonotope import activation_patterns

    from .exact_fit import exact_fit_construction

    cases = [(1, 7), (2, 10), (3, 13)] if quick else [(1, 7), (2, 12), (3, 17), (4, 25), (5, 30), (8, 60)]
    worst, bad, rows = 0.0, 0, []
    for d, N in cases:
        # Gaussian data are in general position almost surely; the construction itself
        # checks (exactly) that every chunk is affinely independent
        X = rng.standard_normal((N, d))
        y = rng.standard_normal(N)
        r = exact_fit_construction(X, y, direction=rng.standard_normal(d))
        K = math.ceil(N / (d + 1))
        stair = np.zeros((2 * K, N), dtype=np.uint8)
        rank = np.empty(N, dtype=np.intp)
        rank[np.asarray(r.order)] = np.arange(N)
        for k in range(K):
            stair[2 * k:2 * k + 2, rank >= k * (d + 1)] = 1
        pattern_ok = bool(np.array_equal(activation_patterns(X, r.W), stair))
        bad += int(r.n_units != 2 * K) + int(not pattern_ok)
        worst = max(worst, float(r.relative_residual))
        rows.append([d, N, r.n_units, float(r.relative_residual), float(np.max(r.weight_norms))])
    tol = 1e-8
    return CheckOutcome(len(cases), worst, tol, bad == 0 and worst <= tol,
                        {"deviation": "largest relative residual max |f(x_i) - y_i| / max |y_i|",
                         "wrong unit counts or patterns": bad,
                         "instances (d, N, units, relative residual, max ||w||)": rows})
