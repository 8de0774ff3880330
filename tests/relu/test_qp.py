"""relu.qp: problems, the KKT certificate, polish, each engine, the chain and its registry."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relu
from relu import SolverFailedError, qp
from relu.losses import logistic
from relu.qp import clarabel as qp_clarabel
from relu.qp import cvxpy_ref as qp_cvxpy
from relu.qp import daqp as qp_daqp
from relu.qp import fast as qp_fast

QP_DIR = Path(qp.__file__).parent


def _random_problem(seed, L=3, R=25, p=4, ridge=0.0, scale=1.0):
    """A random least-squares problem with sign constraints (unit rows) whose cones are
    chambers (the signs of a random point per unit)."""
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((R, p))
    rows /= np.linalg.norm(rows, axis=1)[:, None]
    signs = np.where(rng.standard_normal((L, p)) @ rows.T > 0, 1.0, -1.0)
    M = rng.standard_normal((R, L * p)) * scale
    return qp.LeastSquaresProblem(M, rng.standard_normal(R) * scale, rows, signs, ridge)


# ------------------------------------------------------------------ the package
@pytest.mark.parametrize("modname", sorted(m.name for m in pkgutil.iter_modules([str(QP_DIR)])))
def test_every_module_declares_all_and_no_star_imports(modname):
    mod = importlib.import_module(f"relu.qp.{modname}")
    assert isinstance(getattr(mod, "__all__", None), list)
    for name in mod.__all__:
        assert hasattr(mod, name)
    for node in ast.walk(ast.parse((QP_DIR / f"{modname}.py").read_text())):
        if isinstance(node, ast.ImportFrom):
            assert not any(a.name == "*" for a in node.names)


@pytest.mark.parametrize("name", qp.__all__)
def test_public_names_have_runnable_examples(name):
    import inspect

    obj = getattr(qp, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        doc = inspect.getdoc(obj)
        assert doc and "Examples\n--------" in doc, name
        assert ">>> " in doc.split("Examples\n--------", 1)[1], name


def test_registry_and_default_chains():
    assert set(qp.ENGINES["mse"]) == {"fast", "ldp", "daqp", "clarabel", "cvxpy"}
    assert set(qp.ENGINES["logistic"]) == {"clarabel", "newton", "cvxpy"}
    assert qp.CHAINS["logistic"] == ("clarabel", "newton", "cvxpy")     # ends in cvxpy
    small = _random_problem(0)
    assert qp.default_chain(small) == ("daqp", "clarabel", "cvxpy")     # ends in libraries
    assert qp.default_chain(small, start="clarabel") == ("clarabel", "cvxpy")
    big = _random_problem(0, L=16, R=300, p=9)
    assert qp_fast.use_fast(big) and qp.default_chain(big)[0] == "fast"
    assert qp.default_chain(big)[-2:] == ("clarabel", "cvxpy")


# ------------------------------------------------------------------ certificate
def _exact_solution():
    """min ||w - (1, -1)||^2 / 2 ... as (1/N)||M w - r||^2 with w >= 0: w = (1, 0), mu = (0, 1)."""
    P = qp.LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2), np.array([[1.0, 1.0]]))
    return P, np.array([1.0, 0.0]), np.array([[0.0, 1.0]])


def test_certificate_accepts_the_exact_kkt_point_and_rejects_perturbations():
    P, w, mu = _exact_solution()
    c = qp.certify(P, w, mu)
    assert c.ok and c.accurate and c.stationarity == 0.0
    assert not qp.certify(P, np.array([1.0, -1e-3]), mu).ok          # infeasible
    assert not qp.certify(P, np.array([1.0 + 1e-4, 0.0]), mu).ok     # not stationary
    assert not qp.certify(P, w, np.array([[0.0, 0.5]])).ok           # wrong multiplier
    assert not qp.certify(P, np.array([1.0, 0.1]), np.array([[0.0, 1.0]])).ok   # complementarity
    assert not qp.certify(P, np.array([np.nan, 0.0]), mu).ok


@pytest.mark.parametrize("k", [-250, -30, 0, 30, 250])
def test_certificate_is_relative_to_the_data_scale(k):
    """Scaling M and r by 2^k scales the gradient and the objective: a certified point
    stays certified, with the same residuals (no absolute tolerance)."""
    P = _random_problem(1)
    sol = qp.solve(P)
    Pk = qp.LeastSquaresProblem(np.ldexp(P.M, k), np.ldexp(P.r, k), P.rows, P.signs)
    c = qp.certify(Pk, sol.w, np.ldexp(sol.multipliers, 2 * k))
    c0 = qp.certify(P, sol.w, sol.multipliers)
    assert c.ok == c0.ok and c.accurate == c0.accurate
    assert c.stationarity == pytest.approx(c0.stationarity, rel=1e-6, abs=1e-30)


def test_polish_repairs_a_perturbed_optimum():
    P = _random_problem(2)
    sol = qp.solve(P, chain=("clarabel",))
    rng = np.random.default_rng(0)
    w_bad = sol.w + 1e-7 * np.linalg.norm(sol.w) * rng.standard_normal(P.n_vars)
    assert not qp.certify(P, w_bad, sol.multipliers).accurate
    fixed = qp.polish(P, w_bad, sol.multipliers)
    assert fixed is not None and fixed[1].accurate
    assert P.objective(fixed[0]) == pytest.approx(P.objective(sol.w), rel=1e-10)


# ------------------------------------------------------------------ engines
ENGINE_FUNCS = {"fast": qp_fast.solve_qp, "daqp": qp_daqp.solve_qp,
                "clarabel": qp_clarabel.solve_qp, "cvxpy": qp_cvxpy.solve_qp}


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("ridge", [0.0, 1e-2])
def test_every_engine_reaches_the_same_certified_optimum(seed, ridge):
    P = _random_problem(seed, ridge=ridge)
    assert np.linalg.norm(qp.solve(P).w) > 0          # not the trivial optimum w = 0
    values = {}
    for name, fn in ENGINE_FUNCS.items():
        cand = fn(P)
        cert = qp.certify(P, cand.w, cand.multipliers)
        if not cert.accurate:
            fixed = qp.polish(P, cand.w, cand.multipliers)
            assert fixed is not None, name
            cand_w, cert = fixed
        else:
            cand_w = cand.w
        assert cert.accurate, name
        values[name] = P.objective(cand_w)
    ref = values["cvxpy"]
    for name, val in values.items():
        assert val == pytest.approx(ref, rel=1e-9), name


def test_warm_started_engines_agree_with_cold_ones():
    P = _random_problem(5, L=4, R=40)
    sol = qp.solve(P, chain=("daqp",))
    flipped = np.array(P.signs)
    k, i = np.unravel_index(np.argmax(sol.multipliers), flipped.shape)
    flipped[k, i] *= -1
    Q = qp.LeastSquaresProblem(P.M, P.r, P.rows, flipped)
    changed = flipped != P.signs
    warm = qp.WarmStart(sol.w, np.where(changed, 0.0, sol.multipliers), changed)
    cold = qp.solve(Q)
    for engine in ("daqp", "fast"):
        res = qp.solve(Q, chain=(engine,), warm_start=warm)
        assert res.certificate.accurate
        assert Q.objective(res.w) == pytest.approx(Q.objective(cold.w), rel=1e-9)


def test_fast_engine_holds_apex_units_and_certifies_them():
    """Units whose weights are 0 in the warm start and whose rows did not change are held at
    the apex; the answer must still be certified (their cone condition by NNLS)."""
    P = _random_problem(8, L=6, R=60, p=3)
    sol = qp.solve(P, chain=("daqp",))
    norms = np.linalg.norm(sol.w.reshape(6, 3), axis=1)
    assert np.sum(norms <= 1e-9 * norms.max()) >= 1        # some units sit at the apex
    warm = qp.WarmStart(sol.w, sol.multipliers, np.zeros(sol.multipliers.shape, dtype=bool))
    res = qp.solve(P, chain=("fast",), warm_start=warm)
    assert res.certificate.accurate
    assert P.objective(res.w) == pytest.approx(P.objective(sol.w), rel=1e-9, abs=1e-14)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), L=st.integers(1, 4), R=st.integers(1, 30),
       p=st.integers(1, 4), k=st.integers(-8, 8), dup=st.booleans())
def test_chain_on_random_problems(seed, L, R, p, k, dup):
    """Scales 2^k near 1 (relu.SubproblemSolver brings every problem there exactly; the
    library engines' own tolerances are absolute), duplicated rows and columns: a
    certified answer, as good as cvxpy's wherever cvxpy's answer is certified too."""
    P = _random_problem(seed, L=L, R=R, p=p, scale=2.0 ** k)
    if dup and R > 1:
        rows, signs = np.array(P.rows), np.array(P.signs)
        rows[-1] = rows[0]
        signs[:, -1] = signs[:, 0]           # a duplicated point keeps its side: still chambers
        M = np.array(P.M)
        M[:, -p:] = M[:, :p]
        P = qp.LeastSquaresProblem(M, P.r, rows, signs)
    sol = qp.solve(P)
    assert sol.certificate.ok
    try:
        ref = qp_cvxpy.solve_qp(P)
    except qp.EngineFailure:      # cvxpy+Clarabel fails on some data: no comparison
        return
    if not qp.certify(P, ref.w, ref.multipliers).ok:
        return
    floor = 1e-9 * P.objective(np.zeros(P.n_vars))
    assert P.objective(sol.w) <= P.objective(ref.w) + 1e-8 * abs(P.objective(ref.w)) + floor


# ------------------------------------------------------------------ chain
def test_chain_falls_through_failing_and_uncertified_engines():
    P = _random_problem(3)

    def raises(problem, warm=None, *, settings=None):
        raise qp.EngineFailure("no answer")

    def wrong(problem, warm=None, *, settings=None):     # beyond repair by the polish step
        return qp.Candidate(np.full(problem.n_vars, np.nan), np.zeros((problem.n_units, problem.n_rows)))

    registry = {"raises": raises, "wrong": wrong, "daqp": qp_daqp.solve_qp}
    sol = qp.solve(P, chain=("raises", "wrong", "daqp"), registry=registry)
    assert sol.engine.startswith("daqp")
    assert [a.engine for a in sol.attempts][:2] == ["raises", "wrong"]
    assert "no answer" in sol.attempts[0].message
    assert "not certified" in sol.attempts[1].message
    with pytest.raises(SolverFailedError, match=r"raises: no answer; wrong: not certified \(infeas"):
        qp.solve(P, chain=("raises", "wrong"), registry=registry)


def test_chain_prefers_accurate_answers_and_keeps_the_best_backward_stable_one():
    """With a certificate that never calls an answer accurate, the chain tries every
    engine and returns the lowest objective among the backward-stable answers."""
    P = _random_problem(4)

    def certify_never_accurate(problem, w, mu, *, rtol):
        c = qp.certify(problem, w, mu, rtol=rtol)
        return qp.Certificate(c.ok, False, c.infeasibility, c.stationarity, c.complementarity,
                              c.decrement, c.scale, c.multipliers)

    sol = qp.solve(P, chain=("daqp", "clarabel"), certify_fn=certify_never_accurate,
                   polish_fn=lambda *a, **k: None)
    assert len(sol.attempts) == 3 and "lowest objective" in sol.attempts[-1].message
    assert P.objective(sol.w) == pytest.approx(P.objective(qp.solve(P).w), rel=1e-9)


# ------------------------------------------------------------------ logistic / other losses
def test_logistic_problem_engines_agree():
    rng = np.random.default_rng(6)
    R, L, p = 20, 2, 3
    rows = rng.standard_normal((R, p))
    rows /= np.linalg.norm(rows, axis=1)[:, None]
    signs = np.where(rng.standard_normal((L, p)) @ rows.T > 0, 1.0, -1.0)
    P = qp.LossProblem(rng.standard_normal((R, L * p)), 0.3, (rng.random(R) < 0.5).astype(float),
                       logistic, rows, signs, ridge=1e-2)
    a = qp.solve(P, chain=("clarabel",))
    b = qp.solve(P, chain=("cvxpy",))
    assert a.certificate.ok and b.certificate.ok
    assert P.objective(a.w) == pytest.approx(P.objective(b.w), rel=1e-9)


def test_separable_examples_find_the_largest_separable_set():
    # one unit, rows x = 0, 1, 2 (homogenised), pattern [0, 0, 1], labels [0, 0, 1]
    X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    rows = X / np.linalg.norm(X, axis=1)[:, None]
    signs = np.array([[-1.0, -1.0, 1.0]])
    M = X * np.array([[0.0], [0.0], [1.0]])                 # only example 2 is active
    mask, D = qp.separable_examples(M, np.array([-1.0, -1.0, 1.0]), rows, signs)
    assert mask.tolist() == [False, False, True]
    assert np.all(signs * (D @ rows.T) >= -1e-12) and (M @ D)[2] > 0


def test_generic_loss_uses_the_cvxpy_engine():
    """A loss without an engine of its own (a custom relu.losses.Loss) is solved and
    certified through cvxpy."""
    from relu.losses import Loss, mse

    custom = Loss("custom_mse", mse.value, mse.derivative, mse.interval_lower_bound,
                  mse.cvxpy_sum, mse.check_labels)
    X = [[0.0], [1.0], [2.0], [3.0]]
    y = [0.0, 0.0, 1.0, 2.0]
    res = relu.solve_subproblem(X, y, [[0, 0, 1, 1]], [1.0, 0.0], loss=custom)
    ref = relu.solve_subproblem(X, y, [[0, 0, 1, 1]], [1.0, 0.0])
    assert res.method.startswith("cvxpy")
    assert res.loss == pytest.approx(ref.loss, abs=1e-9)


# ------------------------------------------------------------------ stress problems
def test_stress_problems_are_vertices_and_neighbours():
    probs = qp.stress_problems(16, rng=5)
    assert [p.kind for p in probs[:4]] == list(qp.STRESS_KINDS)
    assert sum(p.warm for p in probs) == 8
    for p in probs:
        for j in range(p.patterns.shape[0]):
            assert relu.is_chamber_pattern(p.X, p.patterns[j])
        if p.warm:
            changed = np.any(p.patterns != p.base_patterns, axis=1)
            assert changed.sum() == 1                  # one unit crossed one hyperplane
    scaled = [p for p in probs if p.kind == "scaled"]
    assert max(np.ptp(np.log10(np.abs(p.X).max(axis=0))) for p in scaled) > 3


def test_stress_problems_without_bias_have_inactive_zero_points():
    for p in qp.stress_problems(12, rng=2, bias=False):
        zero = ~np.any(p.X != 0, axis=1)
        assert not p.patterns[:, zero].any()
        for j in range(p.patterns.shape[0]):
            assert relu.is_chamber_pattern(p.X, p.patterns[j], bias=False)
