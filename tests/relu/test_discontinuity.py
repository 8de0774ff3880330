"""Discontinuity examples, the per-vertex oracle and the Theorem 4.1 study, against brute force.

The oracle here does not enumerate chambers: it solves the *closed* convex program of
every one of the ``2^N`` sign patterns with cvxpy (a non-chamber pattern's program is
still a valid upper bound, and the closed programs cover all weights), so ``L*`` is
their minimum.  Chamber membership is decided by a strict-margin LP (scipy/HiGHS).
"""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

import relu
import zonotope
from relu import (
    affine_dependency_example,
    continuity_study,
    discontinuity_examples,
    loss_curve,
    new_vertex_example,
    vertex_losses,
)
from zonotope.exceptions import ValidationError

TOL = 1e-7


def all_patterns_erm(X, y, bias=True):
    """min over all 2^N closed sign patterns (cvxpy, Clarabel then HiGHS) -> (L*, pattern)."""
    import cvxpy as cp

    F = np.array([[float(v) for v in r] for r in X])
    if bias:
        F = np.hstack([F, np.ones((F.shape[0], 1))])
    yf = np.asarray(y, dtype=float)
    N, n = F.shape
    Fa, Fs, ya = cp.Parameter((N, n)), cp.Parameter((N, n)), cp.Parameter(N)
    w = cp.Variable(n)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(Fa @ w - ya)), [Fs @ w >= 0])
    best, arg = np.inf, None
    for bits in itertools.product((0, 1), repeat=N):
        a = np.array(bits, dtype=float)
        s = 2 * a - 1
        Fa.value, Fs.value, ya.value = a[:, None] * F, s[:, None] * F, a * yf
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                prob.solve(solver="CLARABEL")
            except cp.error.SolverError:
                pass
            if prob.status != "optimal":
                prob.solve(solver="HIGHS")
        wv = np.asarray(w.value)
        val = float(np.mean((np.maximum(F @ wv, 0) - yf) ** 2))
        if val < best:
            best, arg = val, bits
    return best, arg


def is_chamber(X, pattern, bias=True):
    """Strict-margin LP: is there w with (2a_i - 1) w . x_i > 0 for all i?"""
    F = np.array([[float(v) for v in r] for r in X])
    if bias:
        F = np.hstack([F, np.ones((F.shape[0], 1))])
    s = 2 * np.asarray(pattern, dtype=float) - 1
    n = F.shape[1]
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=np.c_[-s[:, None] * F, np.ones(len(s))],
                  b_ub=np.zeros(len(s)), bounds=[(-1, 1)] * n + [(None, 1)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


# --------------------------------------------------------------------------- the oracle
def test_vertex_losses_matches_the_all_patterns_oracle():
    rng = np.random.default_rng(0)
    for bias in (True, False):
        for N, d in [(4, 1), (5, 2), (6, 2)]:
            X = rng.integers(-3, 4, size=(N, d))
            if not bias:
                X[np.all(X == 0, axis=1)] = 1
            y = rng.uniform(-1, 2, N)
            vl = vertex_losses(X, y, bias=bias)
            assert abs(vl.loss - all_patterns_erm(X, y, bias)[0]) <= TOL
            assert vl.patterns.shape == (vl.n_vertices, N) and vl.weights.shape[1] == d + bias
            assert not vl.losses.flags.writeable


def test_vertex_losses_agrees_with_exact_erm():
    rng = np.random.default_rng(1)
    for _ in range(4):
        X = rng.standard_normal((6, 2))
        y = rng.uniform(0, 2, 6)
        ref = relu.exact_erm(X, y, 1, [1.0, 0.0], progress=False).loss
        assert abs(vertex_losses(X, y).loss - ref) <= TOL


#: A perturbation (eps ~ 1.2e-7 of the affine-dependency example's data, float hex) on
#: which exact ERM's engine chain once raised SolverFailedError (stationarity 4.4e-9)
#: while vertex_losses' own DAQP/Clarabel/HiGHS chain answered; both now run the one
#: certified chain of relu.qp.
NEAR_COLLINEAR = [["0x1.907a63c181296p-23", "-0x1.b858ac751b526p-25"],
                  ["0x1.fffffd13ab100p-1", "0x1.fc4c47fbc688bp-26"],
                  ["0x1.000001065e357p+1", "0x1.47a50804bc8fbp-26"],
                  ["-0x1.29e0fc2a85360p-24", "-0x1.400000aa94cd9p+2"]]


def test_near_collinear_case_that_once_failed():
    X = np.array([[float.fromhex(v) for v in row] for row in NEAR_COLLINEAR])
    y = np.array([1.0, 2.0, 1.0, 0.0])
    vl = vertex_losses(X, y)
    erm = relu.exact_erm(X, y, 1, [1.0, 0.0], progress=False)
    oracle, _ = all_patterns_erm(X, y)
    assert abs(vl.loss - erm.loss) <= TOL and abs(vl.loss - oracle) <= TOL
    assert vl.loss <= 1e-6           # eps > 0: the three active points fit exactly (L* = 0)


def test_vertex_losses_degenerate_inputs_and_scaling():
    assert vertex_losses([[2.0]], [1.0]).loss == pytest.approx(0, abs=1e-12)           # one point
    vl = vertex_losses([[1.0], [1.0], [3.0]], [1.0, 0.0, 0.0])                          # duplicates
    assert vl.n_vertices == 4 and vl.loss == pytest.approx(1 / 6, abs=TOL)
    X = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 2.0], [-1.0, 0.0], [0.5, -1.0]])
    y = np.array([1.0, 0.0, 2.0, 1.0, 0.5])
    base = vertex_losses(X, y).loss
    for k in (-20, 20):                     # the loss is invariant when the data are scaled
        assert vertex_losses(X * 2.0 ** k, y).loss == pytest.approx(base, abs=1e-6)
    with pytest.raises(ValidationError, match="`bias` of `vertex_losses`"):
        vertex_losses(X, y, bias="no")
    with pytest.raises(ValidationError):
        vertex_losses([[0.0, 0.0], [1.0, 1.0]], [1.0, 1.0], bias=False)   # a zero point: no hyperplane


# --------------------------------------------------------------------------- the examples
@pytest.mark.parametrize("example", discontinuity_examples(), ids=lambda e: e.name)
def test_example_values_by_brute_force(example):
    y = example.y()
    L0, p0 = all_patterns_erm(example.data(Fraction(0)), y)
    assert abs(L0 - float(example.value_at_zero)) <= TOL
    for eps in (Fraction(1, 10), Fraction(1, 1000), Fraction(1, 10**5)):
        X = example.data(eps)
        L, p = all_patterns_erm(X, y)
        assert abs(L - float(example.limit)) <= TOL
        assert p == example.optimal_pattern
        # mechanism 1: the optimal vertex is a chamber at eps = 0 too; mechanism 2: it is not
        assert is_chamber(X, p)
        assert is_chamber(example.data(Fraction(0)), p) == (example.mechanism == 1)
        w = example.witness_weights(eps)
        assert example.exact_loss(eps, w) == example.limit                   # exact
        z = [sum(Fraction(a) * b for a, b in zip(list(r) + [1], w)) for r in X]
        assert tuple(int(v > 0) for v in z) == example.optimal_pattern
        assert all(v != 0 for v in z)                                         # strictly inside
    assert example.jump == example.value_at_zero - example.limit > 0


def test_example_constants():
    a, b = affine_dependency_example(), new_vertex_example()
    assert (a.value_at_zero, a.limit, a.mechanism) == (Fraction(1, 6), 0, 1)
    assert (b.value_at_zero, b.limit, b.mechanism) == (Fraction(32, 35), Fraction(4, 5), 2)
    # the broken dependency: these points are affinely dependent at eps = 0 only
    for ex in (a, b):
        sub0 = ex.data(Fraction(0))[list(ex.dependency)]
        assert not zonotope.is_in_general_position(sub0)
        assert zonotope.is_in_general_position(ex.data(Fraction(1, 100)))
    assert a.data(0.5).dtype == np.float64 and a.data(Fraction(1, 2)).dtype == object


def test_the_broken_faces_are_not_parallelograms():
    for ex, free in ((affine_dependency_example(), 3), (new_vertex_example(), 4)):
        faces0 = [f for f, _ in zonotope.Zonotope.from_points(ex.data(Fraction(0))).faces(2)]
        faces1 = [f for f, _ in zonotope.Zonotope.from_points(ex.data(Fraction(1, 100))).faces(2)]
        assert max(len(f) for f in faces0) == free          # a hexagon / an octagon
        assert all(len(f) == 2 for f in faces1)             # only parallelograms


def test_loss_curve_separates_old_and_new_vertices():
    eps = [Fraction(1, 10), Fraction(1, 10**4), Fraction(-1, 10**4)]
    c1 = loss_curve(affine_dependency_example(), eps)
    assert c1.optimal_is_new.tolist() == [False, False, False]
    assert np.allclose(c1.loss[:2], 0, atol=TOL) and abs(c1.loss[2] - 1 / 6) < 1e-3
    c2 = loss_curve(new_vertex_example(), eps)
    assert c2.optimal_is_new.tolist() == [True, True, False]
    assert np.allclose(c2.loss[:2], 0.8, atol=TOL)
    assert abs(c2.old_min[1] - 32 / 35) < 1e-3             # the old vertices stay continuous
    assert c2.n_vertices_at_zero < c2.n_vertices[0]
    with pytest.raises(ValidationError, match="`eps_values` of `loss_curve`"):
        loss_curve(new_vertex_example(), [0])
    with pytest.raises(ValidationError, match="`eps` of `DiscontinuityExample.witness_weights`"):
        new_vertex_example().witness_weights(Fraction(1))


# --------------------------------------------------------------------------- Theorem 4.1
def test_continuity_on_generic_data():
    X = np.asarray(zonotope.generic_points(6, 2, rng=3), dtype=float)
    y = np.random.default_rng(3).uniform(0.5, 2.0, 6)
    r = zonotope.perturbation_radius(X).exact
    st = continuity_study(X, y, [r / 10, r / 1000], n_samples=3, rng=4)
    assert st.is_generic and st.equivalent.all()
    assert st.deviation[1] <= st.deviation[0] / 10 + 1e-9 and st.deviation[1] < 1e-3
    assert np.all(np.isfinite(st.lipschitz_ratio))


def test_no_continuity_without_general_position():
    ex = affine_dependency_example()
    st = continuity_study(np.asarray(ex.data(0.0)), ex.y(), [1e-4], n_samples=8, rng=5)
    assert not st.is_generic and not st.equivalent.all()
    assert st.deviation[0] > 0.9 * float(ex.jump)           # some perturbation drops by ~1/6


def test_continuity_study_bad_input():
    with pytest.raises(ValidationError, match="`eps_values` of `continuity_study`"):
        continuity_study([[0.0], [1.0], [2.0]], [0, 1, 0], [0.0])
    with pytest.raises(ValidationError, match="`n_samples` of `continuity_study`"):
        continuity_study([[0.0], [1.0], [2.0]], [0, 1, 0], [0.1], n_samples=0)
