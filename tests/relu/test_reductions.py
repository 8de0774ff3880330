"""Set cover -> one bias-free ReLU: both reductions and the breaking perturbation, by brute force.

Oracles, independent of the library's solver chain: brute-force set cover over all
subsets (written here), and exact ERM as "every chamber of the bias-free arrangement
(:func:`zonotope.enumerate_chambers`) + a cvxpy problem per chamber" (Clarabel, HiGHS
when Clarabel stalls).  Exact claims (general position, cover weights, the data) are
checked with Fractions.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest

import relu
import zonotope
from relu import (
    breaking_perturbation,
    general_position_reduction,
    min_set_cover,
    set_cover_reduction,
    set_systems,
)
from zonotope.exceptions import TooLargeError, ValidationError

#: Tolerance of the convex solvers on loss values; every proven gap is >= 0.3 / N.
TOL = 1e-7


# --------------------------------------------------------------------------- oracles
def brute_opt(n, sets):
    """Smallest cover size by checking every subset of sets (None: no cover)."""
    universe = set(range(n))
    best = None
    for mask in range(1 << len(sets)):
        chosen = [sets[i] for i in range(len(sets)) if mask >> i & 1]
        if set().union(*chosen) >= universe if chosen else not universe:
            size = bin(mask).count("1")
            best = size if best is None else min(best, size)
    return best


def cvxpy_erm(X, y):
    """min over w of mean (max(0, w.x_i) - y_i)^2: every chamber + cvxpy (independent oracle).

    One parametrised problem per data set (the masked design ``diag(a) X`` and the signed
    constraints ``diag(s) X`` are parameters), re-solved for every chamber with Clarabel,
    and with HiGHS when Clarabel stalls on a thin chamber.  Each chamber contributes the
    true loss at the returned weights, so the oracle never undercuts ``L*``; an inaccurate
    solve could only overestimate it, which the threshold checks would catch.
    """
    import warnings

    import cvxpy as cp

    arr = zonotope.Arrangement.from_points(X, homogenize=False)
    S = zonotope.enumerate_chambers(arr, interior_points=False).sign_vectors.astype(float)
    F = np.array([[float(v) for v in r] for r in X])
    yf = np.array([float(v) for v in y])
    Fa, Fs, ya = cp.Parameter(F.shape), cp.Parameter(F.shape), cp.Parameter(len(yf))
    w = cp.Variable(F.shape[1])
    prob = cp.Problem(cp.Minimize(cp.sum_squares(Fa @ w - ya)), [Fs @ w >= 0])
    best = np.inf
    for s in S:
        a = (s > 0).astype(float)
        Fa.value, Fs.value, ya.value = a[:, None] * F, s[:, None] * F, a * yf
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                prob.solve(solver="CLARABEL")
            except cp.error.SolverError:     # Clarabel gives up on some thin chambers
                pass
            if prob.status != "optimal":
                prob.solve(solver="HIGHS")
        assert prob.status in ("optimal", "optimal_inaccurate"), prob.status
        wv = np.asarray(w.value)
        # the true loss at the returned weights: never below L*, whatever the solver's accuracy
        best = min(best, float(np.mean((np.maximum(F @ wv, 0) - yf) ** 2)))
    return best


def sample_systems(k, seed=0, sizes=((4, 4), (3, 4), (4, 3), (3, 3), (2, 3))):
    rnd = random.Random(seed)
    pool = [(n, S) for n, s in sizes for S in set_systems(n, s, coverable_only=True)]
    return rnd.sample(pool, k)


def check_instance(n, sets, kind, erm=cvxpy_erm):
    """Every k: the thresholded ERM value decides set cover; the proven bracket holds."""
    opt = brute_opt(n, sets)
    build = set_cover_reduction if kind == "plain" else general_position_reduction
    r0 = build(n, sets, 0)
    L = erm(r0.X, r0.y)
    lo, hi = r0.loss_bounds(opt)
    assert float(lo) - TOL <= L <= float(hi) + TOL
    for k in range(len(sets) + 2):
        r = build(n, sets, k) if kind == "plain" else build(n, sets, k, eta=r0.eta)
        assert r.decide(L) == (opt <= k), (n, sets, k, L, r.threshold)
        assert r.gap > 0 and r.upper < r.threshold < r.lower
        margin = (r.threshold - Fraction(L)) if opt <= k else (Fraction(L) - r.threshold)
        assert margin >= r.gap / 2 - Fraction(TOL)           # what the proofs guarantee
    return L


# --------------------------------------------------------------------------- set cover
def test_min_set_cover_matches_brute_force():
    rnd = random.Random(3)
    for _ in range(200):
        n, s = rnd.randint(0, 5), rnd.randint(0, 5)
        sets = [set(e for e in range(n) if rnd.random() < 0.4) for _ in range(s)]
        got = min_set_cover(n, sets)
        opt = brute_opt(n, [frozenset(x) for x in sets])
        if opt is None:
            assert got is None
        else:
            assert len(got) == opt
            assert set().union(set(), *[sets[i] for i in got]) == set(range(n))


def test_set_systems_are_the_isomorphism_classes():
    # an independent canonical form: sorted 0/1 incidence matrices over all row and column orders
    for n, s in [(2, 2), (3, 2), (2, 3), (3, 3)]:
        classes = set()
        for masks in itertools.product(range(1 << n), repeat=s):
            M = [[m >> e & 1 for e in range(n)] for m in masks]
            key = min(tuple(sorted(tuple(row[p] for p in perm) for row in M))
                      for perm in itertools.permutations(range(n)))
            classes.add(key)
        got = list(set_systems(n, s))
        assert len(got) == len(classes)
        keys = {min(tuple(sorted(tuple(int(p[e] in S) for e in range(n)) for S in sets))
                    for p in [dict(zip(range(n), perm)) for perm in itertools.permutations(range(n))])
                for sets in got}
        assert len(keys) == len(got)            # pairwise non-isomorphic
    assert sum(1 for _ in set_systems(2, 2, up_to_isomorphism=False)) == 16
    assert sum(1 for _ in set_systems(4, 4, coverable_only=True)) == 230


def test_min_set_cover_refuses_large_inputs():
    with pytest.raises(TooLargeError):
        min_set_cover(1, [{0}] * 30)
    with pytest.raises(ValidationError, match="`sets` of `min_set_cover`"):
        min_set_cover(2, [{0, 5}])
    with pytest.raises(ValidationError, match="`n_elements` of `min_set_cover`"):
        min_set_cover(-1, [])


# --------------------------------------------------------------------------- the data
def test_plain_reduction_data_are_exact():
    r = set_cover_reduction(3, [{0, 1}, {1, 2}, {2}], 2)
    c = 3                                           # ceil(sqrt(2 * 3 + 1))
    assert r.scale == c and r.gamma == Fraction(c * c, c * c + 1)
    assert r.X.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [c, 0, 0], [c, c, 0], [0, c, c]]
    assert r.y.tolist() == [1, 1, 1, 0, 0, 0]
    assert r.upper == Fraction(2, 6) and r.lower == Fraction(9, 10) * 3 / 6
    assert r.threshold == (r.upper + r.lower) / 2
    assert r.second_layer == (1, 0) and r.set_rows == (0, 1, 2) and r.element_rows == (3, 4, 5)
    assert not r.X.flags.writeable


def test_cover_weights_attain_the_cover_size_exactly():
    for n, sets in sample_systems(25, seed=1):
        for kind in ("plain", "gp"):
            r = set_cover_reduction(n, sets, 1) if kind == "plain" else general_position_reduction(n, sets, 1)
            for size in range(1, len(sets) + 1):
                for C in itertools.combinations(range(len(sets)), size):
                    if set().union(*[sets[i] for i in C]) >= set(range(n)):
                        w = r.cover_weights(C)
                        assert all(isinstance(v, (int, Fraction)) for v in w)
                        assert r.loss(w) == Fraction(size, r.n_samples)
    r = set_cover_reduction(2, [{0}, {1}], 1)
    with pytest.raises(ValidationError, match="`cover` of `SetCoverReduction.cover_weights`"):
        r.cover_weights([0])
    with pytest.raises(ValidationError, match="`cover`"):
        r.cover_weights([7])


def test_plain_reduction_is_not_in_general_position():
    """Every instance with >= 2 sets has a dependency, unless one element lies in every set."""
    for n in range(0, 5):
        for s in range(1, 5):
            for sets in set_systems(n, s, coverable_only=True):
                r = set_cover_reduction(n, sets, 0)
                dep = zonotope.linear_dependency_witness(r.X)
                trivial = s == 1 or n == 0 or (n == 1 and all(0 in S for S in sets))
                assert (dep is None) == trivial, (n, sets)
                if dep is not None:            # a genuine exact dependency among the points
                    total = [sum(c * Fraction(r.X[i][q]) for c, i in zip(dep.coefficients, dep.indices))
                             for q in range(s)]
                    assert all(t == 0 for t in total) and any(c != 0 for c in dep.coefficients)
                    assert not zonotope.is_generic_configuration(r.X)


def test_general_position_reduction_is_in_general_position():
    for n, sets in sample_systems(30, seed=2) + [(4, tuple(frozenset({0, 1, 2, 3}) for _ in range(4)))]:
        r = general_position_reduction(n, sets, 1)
        assert r.kind == "general_position" and 0 < r.eta < Fraction(1, 100)
        assert zonotope.is_in_general_position(r.X)          # affine: the paper's definition
        assert zonotope.is_generic_configuration(r.X)        # linear: the bias-free unit's
        assert zonotope.general_position_witness(r.X) is None
        # the certificate: beta are the exact coordinates in the basis of the set points
        s = r.n_sets
        for j in range(n):
            for q in range(s):
                assert sum(Fraction(r.coordinates[j][i]) * Fraction(r.X[i][q]) for i in range(s)) == \
                    Fraction(r.X[s + j][q])
            for i in range(s):
                b = Fraction(r.coordinates[j][i])
                assert (b >= r.support_min) if j in sets[i] else (-r.off_support_max <= b < 0)
        assert r.support_min > (s - 1) * r.off_support_max
        assert r.gamma * (s + 1) - s >= Fraction(1, 4)


def test_general_position_reduction_explicit_eta():
    r = general_position_reduction(2, [{0}, {1}], 0, eta=Fraction(1, 1000))
    assert r.eta == Fraction(1, 1000) and zonotope.is_generic_configuration(r.X)
    with pytest.raises(ValidationError, match="`eta` of `general_position_reduction`"):
        general_position_reduction(2, [{0}, {1}], 0, eta=1)       # destroys the sign pattern
    with pytest.raises(ValidationError, match="`eta`"):
        general_position_reduction(2, [{0}, {1}], 0, eta=0)


def test_general_position_reduction_root_bound_when_the_check_is_too_large():
    # max_subsets=1 makes the exact general-position check refuse: the root-bound eta is used,
    # for which general position is a theorem (verified here exactly anyway)
    r = general_position_reduction(3, [{0, 1}, {1, 2}, {2}], 1, max_subsets=1)
    assert 0 < r.eta < Fraction(1, 10**6)
    assert zonotope.is_in_general_position(r.X, max_subsets=None)
    assert zonotope.is_generic_configuration(r.X, max_subsets=None)
    assert r.gamma * 4 - 3 >= Fraction(1, 4) and r.support_min > 2 * r.off_support_max
    w = r.cover_weights([0, 2])
    assert r.loss(w) == Fraction(2, 6)


def test_canonical_replacements():
    r = set_cover_reduction(2, [{0}], 3)            # element 1 in no set: no cover at all
    assert r.note and r.n_elements == 1 and r.k == 0
    assert not r.decide(cvxpy_erm(r.X, r.y))
    r = set_cover_reduction(0, [], 0)               # nothing to cover: the empty cover
    assert r.note and r.decide(cvxpy_erm(r.X, r.y))
    r = general_position_reduction(0, [], 0)
    assert r.decide(cvxpy_erm(r.X, r.y))


def test_bad_input_names_parameter_and_function():
    with pytest.raises(ValidationError, match="`k` of `set_cover_reduction` must be an int >= 0"):
        set_cover_reduction(1, [{0}], -1)
    with pytest.raises(ValidationError, match="`sets` of `general_position_reduction`"):
        general_position_reduction(1, "ab", 0)
    with pytest.raises(ValidationError, match="`reduction` of `breaking_perturbation`"):
        breaking_perturbation(general_position_reduction(1, [{0}], 0), 0.1)
    with pytest.raises(ValidationError, match="`eps` of `breaking_perturbation`"):
        breaking_perturbation(set_cover_reduction(1, [{0}], 0), -0.1)
    with pytest.raises(ValidationError, match="`set_index` of `breaking_perturbation`"):
        breaking_perturbation(set_cover_reduction(1, [{0}], 0), 0.1, set_index=3)


# --------------------------------------------------------------------------- ERM agrees
@pytest.mark.parametrize("kind", ["plain", "gp"])
def test_reductions_decide_set_cover_sampled(kind):
    systems = [(1, (frozenset({0}),)), (2, (frozenset({0}), frozenset({1}))),
               (3, (frozenset({0, 1}), frozenset({1, 2}), frozenset({0, 2})))] + sample_systems(2, seed=4)
    for n, sets in systems:
        check_instance(n, sets, kind)


def test_library_oracle_agrees_with_the_cvxpy_oracle():
    for n, sets in sample_systems(2, seed=5):
        for r in (set_cover_reduction(n, sets, 0), general_position_reduction(n, sets, 0)):
            vl = relu.vertex_losses(r.X, r.y, bias=False)
            assert abs(vl.loss - cvxpy_erm(r.X, r.y)) <= TOL


#: Small set systems (n_elements, sets) with their OPT: a yes- and a no-instance each
#: for k = OPT and k = OPT - 1.
EXACT_ERM_CASES = [
    (3, [{0, 1}, {1, 2}, {0, 2}], 2),          # a triangle: no single set covers
    (3, [{0, 1, 2}, {0}], 1),                  # one set covers
    (4, [{0, 1}, {2, 3}, {1, 2}], 2),
    (2, [{0}, {1}], 2),
]


@pytest.mark.parametrize("kind", ["plain", "gp"])
@pytest.mark.parametrize("n, sets, opt", EXACT_ERM_CASES)
def test_exact_erm_bias_free_decides_set_cover(kind, n, sets, opt):
    """``relu.exact_erm(X, y, n_units=1, bias=False)`` -- the library's optimiser, not an
    oracle -- answers set cover through the reduction's threshold, for yes (k = OPT) and
    no (k = OPT - 1) instances, and its loss agrees with the cvxpy oracle over every
    chamber and lies in the proven bracket ``gamma OPT <= N L* <= OPT``."""
    assert brute_opt(n, sets) == opt
    build = set_cover_reduction if kind == "plain" else general_position_reduction
    r0 = build(n, sets, 0)
    res = relu.exact_erm(r0.X_float(), r0.y_float(), n_units=1, second_layer=[1.0, 0.0],
                         bias=False, progress=False)
    assert res.W.shape == (1, r0.X.shape[1])              # bias-free: no bias column
    assert res.loss == pytest.approx(cvxpy_erm(r0.X_float(), r0.y_float()), abs=TOL)
    lo, hi = r0.loss_bounds(opt)
    assert float(lo) - TOL <= res.loss <= float(hi) + TOL
    for k, answer in ((opt, True), (opt - 1, False)):
        r = build(n, sets, k) if kind == "plain" else build(n, sets, k, eta=r0.eta)
        assert r.decide(res.loss) is answer, (k, res.loss, r.threshold)
        # the decision is robust: the loss is at least a third of the proven gap away
        assert abs(res.loss - float(r.threshold)) >= float(r.gap) / 3


def test_equivariance_under_relabelling():
    """The plain reduction of a relabelled system is the same data with permuted rows/columns."""
    rnd = random.Random(6)
    for n, sets in sample_systems(10, seed=6):
        perm_e = list(range(n))
        rnd.shuffle(perm_e)
        perm_s = list(range(len(sets)))
        rnd.shuffle(perm_s)
        sets2 = [frozenset(perm_e[e] for e in sets[i]) for i in perm_s]
        a, b = set_cover_reduction(n, sets, 1), set_cover_reduction(n, sets2, 1)
        rows_a = sorted(tuple(r[i] for i in perm_s) for r in a.X.tolist())
        assert rows_a == sorted(tuple(r) for r in b.X.tolist())
        assert a.threshold == b.threshold


# --------------------------------------------------------------------------- breaking it
def test_breaking_perturbation_exact_data_and_witness():
    r = set_cover_reduction(3, [{0}, {1}, {2}], 1)
    for eps in (Fraction(1, 10), Fraction(1, 10**9), 1e-12):
        p = breaking_perturbation(r, eps)
        e = Fraction(eps)
        assert p.displacement == r.scale * e
        diff = [[Fraction(a) - Fraction(b) for a, b in zip(ra, rb)] for ra, rb in zip(p.X, r.X)]
        assert all(row == [0, 0, 0] for row in diff[:3])
        assert all(row == [r.scale * e, 0, 0] for row in diff[3:])
        assert r.loss(p.weights) > r.threshold                          # on D: useless
        assert p.upper == Fraction(1, r.n_samples)
        exact = sum((max(sum(Fraction(x) * w for x, w in zip(row, p.weights)), 0) - t) ** 2
                    for row, t in zip(p.X, p.y)) / len(p.y)
        assert exact == p.upper
        chambers = zonotope.enumerate_chambers(zonotope.Arrangement.from_points(r.X, homogenize=False))
        assert p.pattern not in chambers                                 # a new vertex
        arr = zonotope.Arrangement.from_points(p.X, homogenize=False)
        assert p.pattern in zonotope.enumerate_chambers(arr)


def test_breaking_perturbation_breaks_the_reduction_sampled():
    flipped = 0
    for n, sets in sample_systems(3, seed=7) + [(2, (frozenset({0}), frozenset({1})))]:
        opt = brute_opt(n, sets)
        r1 = set_cover_reduction(n, sets, 1)
        p = breaking_perturbation(r1, Fraction(1, 1000))
        L = cvxpy_erm(p.X, p.y)
        assert float(p.lower) - TOL <= L <= float(p.upper) + TOL
        assert r1.decide(L) and not set_cover_reduction(n, sets, 0).decide(L)
        L0 = cvxpy_erm(r1.X, r1.y)
        if opt >= 2:
            assert not r1.decide(L0)
            flipped += 1
    assert flipped >= 1


# --------------------------------------------------------------------------- exhaustive
@pytest.mark.slow
def test_exhaustive_every_set_system_up_to_four_elements_and_four_sets():
    """All 431 classes (n <= 4, s <= 4): both reductions decide set cover for every k; the
    perturbation breaks the plain one (722 s measured on a busy, shared 2-core machine)."""
    count = 0
    for n in range(0, 5):
        for s in range(1, 5):
            for sets in set_systems(n, s, coverable_only=True):
                check_instance(n, sets, "plain")
                check_instance(n, sets, "gp")
                if n:
                    r1 = set_cover_reduction(n, sets, 1)
                    p = breaking_perturbation(r1, Fraction(1, 1000))
                    L = cvxpy_erm(p.X, p.y)
                    assert float(p.lower) - TOL <= L <= float(p.upper) + TOL
                count += 1
    assert count == 431


@pytest.mark.slow
def test_random_larger_set_systems():
    rng = np.random.default_rng(8)
    for n, s in [(5, 5), (6, 5), (7, 4), (6, 6)]:
        while True:
            sets = tuple(frozenset(int(e) for e in np.flatnonzero(rng.random(n) < 0.4)) for _ in range(s))
            if set().union(*sets) == set(range(n)):
                break
        check_instance(n, sets, "plain", erm=lambda X, y: relu.vertex_losses(X, y, bias=False).loss)
        check_instance(n, sets, "gp", erm=lambda X, y: relu.vertex_losses(X, y, bias=False).loss)
