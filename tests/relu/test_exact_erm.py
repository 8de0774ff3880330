"""Exact ERM (Algorithm 1): brute force, baselines, Theorem 4.3, symmetry, checkpoints, executors."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import relu
from zonotope import TooLargeError, ValidationError


class _InlineExecutor:
    """Minimal submit()-only executor (the dask Client protocol subset we use)."""

    class _Done:
        def __init__(self, value):
            self._value = value

        def result(self):
            return self._value

    def submit(self, fn, *args):
        return self._Done(fn(*args))


# ------------------------------------------------------------------ brute-force oracle
@pytest.mark.parametrize("name,X,m,v", [
    ("d1_N7_m2_pm", [[-1.5], [-0.7], [0.1], [0.4], [1.3], [2.2], [3.0]], 2, [1.0, -1.0, 0.0]),
    ("d2_N5_m2_same", [[0.0, 0.0], [1.0, 0.2], [0.3, 1.0], [-0.8, 0.5], [0.6, -0.9]], 2,
     [1.0, 1.0, 0.3]),
    ("d2_N6_m1", [[0.0, 0.0], [1.0, 0.2], [0.3, 1.0], [-0.8, 0.5], [0.6, -0.9], [1.2, 1.4]], 1,
     [-1.0, 0.5]),
    ("d1_N5_m2_zero", [[0.0], [1.0], [2.0], [3.0], [4.5]], 2, [0.0, 1.0, 0.0]),
])
def test_exact_erm_equals_brute_force_over_all_tuples(name, X, m, v, brute_force_erm, rh):
    y = np.random.default_rng(len(name)).standard_normal(len(X))
    ref, n_ch = brute_force_erm(X, y, m, v)
    r = relu.exact_erm(X, y, m, v, progress=False)
    assert r.complete and r.info["n_chambers"] == n_ch
    assert rh.rel_gap(r.loss, ref, rh.loss_scale(y, v)) <= 1e-7
    assert r.loss == pytest.approx(relu.mean_loss(X, y, r.W, v), rel=1e-10, abs=1e-14)
    assert r.method == "exact" and r.bias
    assert r.info["n_vertices"] == relu.count_vertices(n_ch, v)


@pytest.mark.slow
def test_exact_erm_equals_brute_force_d2_N7_m2(brute_force_erm, rh):
    X = np.random.default_rng(11).standard_normal((7, 2))
    y = np.random.default_rng(12).standard_normal(7)
    ref, _ = brute_force_erm(X, y, 2, [1.0, -1.0, 0.2])
    r = relu.exact_erm(X, y, 2, [1.0, -1.0, 0.2], progress=False)
    assert rh.rel_gap(r.loss, ref, rh.loss_scale(y, [0.2])) <= 1e-7


# ------------------------------------------------------------------ never above the baselines
@pytest.mark.parametrize("seed", range(3))
def test_exact_erm_is_below_gd_and_random_vertex(seed, rh):
    rng = np.random.default_rng(seed)
    X, y = rh.generic_data(rng, 8, 2)
    v = [1.0, -1.0, 0.0]
    r = relu.exact_erm(X, y, 2, v, progress=False)
    tol = 1e-9 * rh.loss_scale(y, v)
    for s in range(3):
        gd = relu.gradient_descent(X, y, 2, v, n_steps=3000, rng=s)
        rv = relu.random_vertex(X, y, 2, v, n_init=5, rng=s)
        assert r.loss <= gd.loss + tol
        assert r.loss <= rv.loss + tol
        ls = relu.local_search(X, y, 2, v, rng=s)
        assert r.loss <= ls.loss + tol


def test_exact_erm_finds_the_theorem_4_3_exact_fit(rh):
    """With 2 ceil(N/(d+1)) units and v = (+1, -1, ...) an exact fit exists: optimum 0."""
    X = [[0.0], [1.0], [2.5], [4.0]]
    y = [1.0, -2.0, 0.5, 3.0]
    fit = relu.exact_fit_construction(X, y)
    assert fit.n_units == 4 and fit.residual < 1e-12
    r = relu.exact_erm(X, y, fit.n_units, fit.second_layer, progress=False)
    assert r.loss <= 1e-20 * max(1.0, rh.loss_scale(y, fit.second_layer))


def test_symmetry_and_pruning_do_not_change_the_optimum(rh):
    rng = np.random.default_rng(5)
    X, y = rh.generic_data(rng, 6, 1)
    v = [1.0, -1.0, 1.0, 0.0]
    a = relu.exact_erm(X, y, 3, v, progress=False)
    b = relu.exact_erm(X, y, 3, v, progress=False, prune=False)
    c = relu.exact_erm(X, y, 3, [1.0, 1.0, -1.0, 0.0], progress=False)   # units permuted
    assert a.info["n_vertices"] == relu.count_vertices(a.info["n_chambers"], v) < a.info[
        "n_vertices_ordered"]
    assert b.info["n_pruned"] == 0 and a.info["n_pruned"] > 0
    assert a.n_solves + a.info["n_pruned"] == a.info["n_vertices"]
    scale = rh.loss_scale(y, v)
    assert rh.rel_gap(a.loss, b.loss, scale) <= 1e-10
    assert rh.rel_gap(a.loss, c.loss, scale) <= 1e-10


def test_lower_bounds_are_sound(rh):
    rng = np.random.default_rng(2)
    X, y = rh.generic_data(rng, 10, 2)
    v = np.array([1.0, -1.0, 1.0, 0.3])
    S = relu.SubproblemSolver(X, y, v, check=False)
    for _ in range(30):
        P, _ = relu.random_pattern(X, 3, rng=rng)
        lb = relu.vertex_lower_bounds(P[None], y, v)[0]
        assert lb <= S.solve(P).objective + 1e-12


def test_too_large_is_refused_unless_forced():
    X = np.random.default_rng(0).standard_normal((12, 2))
    y = np.zeros(12)
    with pytest.raises(TooLargeError, match="force=True"):
        relu.exact_erm(X, y, 3, max_subproblems=1000, progress=False)
    r = relu.exact_erm(X[:4], y[:4], 1, [1.0, 0.0], max_subproblems=2, force=True, progress=False)
    assert r.complete


@pytest.mark.parametrize("kwargs,param", [
    (dict(n_units=0), "n_units"), (dict(second_layer=[1.0, 2.0, 3.0, 4.0]), "second_layer"),
    (dict(loss="l1"), "loss"), (dict(executor=object()), "executor"),
    (dict(chunk_size=0), "chunk_size"), (dict(max_solves=-1), "max_solves"),
    (dict(callback=3), "callback"), (dict(max_subproblems="many"), "max_subproblems"),
    (dict(y=[1.0]), "y"), (dict(bias="yes"), "bias"), (dict(workers=0), "workers"),
    (dict(workers=-1), "workers"), (dict(workers=100_000), "workers"),
    (dict(workers=2, executor=_InlineExecutor()), "workers"),
    (dict(y=[0.0, 1.0 + 1.0j, 0.0]), "y"), (dict(checkpoint=3.5), "checkpoint"),
])
def test_bad_input_names_the_parameter(kwargs, param):
    args = dict(X=[[0.0], [1.0], [2.0]], y=[0.0, 1.0, 0.0], n_units=1, second_layer=[1.0, 0.0])
    args.update(kwargs)
    with pytest.raises(ValidationError, match=f"`{param}` of `exact_erm`"):
        relu.exact_erm(args.pop("X"), args.pop("y"), args.pop("n_units"), args.pop("second_layer"),
                       progress=False, **args)


# ------------------------------------------------------------------ checkpoint / resume
def _instance():
    rng = np.random.default_rng(9)
    return rng.standard_normal((7, 1)), rng.standard_normal(7)


def test_checkpoint_resume_after_max_solves(tmp_path, rh):
    X, y = _instance()
    v = [1.0, -1.0, 1.0, 0.0]
    full = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=16)
    ck = tmp_path / "erm.json"
    part = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=16, checkpoint=ck, max_solves=40)
    assert not part.complete and ck.exists()
    state = json.loads(ck.read_text())["content"]
    n_done = sum(b - a for a, b in state["done"])
    assert 0 < n_done < state["n_chunks"]
    rest = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=16, checkpoint=ck)
    assert rest.complete and rest.info["resumed_chunks"] == n_done
    assert rest.info["best_index"] == full.info["best_index"]
    assert rh.rel_gap(rest.loss, full.loss, rh.loss_scale(y, v)) <= 1e-12
    assert rest.n_solves + rest.info["n_pruned"] == full.info["n_vertices"]


def test_checkpoint_resume_after_an_exception_in_the_callback(tmp_path, rh):
    X, y = _instance()
    v = [1.0, -1.0, 0.0]
    full = relu.exact_erm(X, y, 2, v, progress=False, chunk_size=8)
    ck = tmp_path / "erm.json"
    calls = []

    def stop_after_three(state):
        calls.append(state["done"])
        if len(calls) == 3:
            raise KeyboardInterrupt("simulated interruption")

    with pytest.raises(KeyboardInterrupt):
        relu.exact_erm(X, y, 2, v, progress=False, chunk_size=8, checkpoint=ck,
                       callback=stop_after_three)
    assert json.loads(ck.read_text())["content"]["done"] == [[0, 3]]
    rest = relu.exact_erm(X, y, 2, v, progress=False, chunk_size=8, checkpoint=ck)
    assert rest.complete and rest.info["resumed_chunks"] == 3
    assert rh.rel_gap(rest.loss, full.loss, rh.loss_scale(y, v)) <= 1e-12
    assert rest.info["best_index"] == full.info["best_index"]


def test_checkpoint_of_another_run_is_refused(tmp_path):
    X, y = _instance()
    ck = tmp_path / "erm.json"
    relu.exact_erm(X, y, 1, [1.0, 0.0], progress=False, checkpoint=ck)
    with pytest.raises(ValidationError, match="`checkpoint`"):
        relu.exact_erm(X, y + 1.0, 1, [1.0, 0.0], progress=False, checkpoint=ck)


# ------------------------------------------------------------------ executors
def test_any_object_with_submit_works_as_executor(rh):
    X, y = _instance()
    v = [1.0, -1.0, 0.0]
    a = relu.exact_erm(X, y, 2, v, progress=False)
    b = relu.exact_erm(X, y, 2, v, progress=False, executor=_InlineExecutor())
    assert a.info["best_index"] == b.info["best_index"] and a.loss == b.loss


def test_process_pool_gives_the_serial_answer(rh):
    X, y = _instance()
    v = [1.0, -1.0, 1.0, 0.0]
    a = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=32)
    with ProcessPoolExecutor(2) as ex:
        b = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=32, executor=ex)
    assert a.info["best_index"] == b.info["best_index"]
    assert rh.rel_gap(a.loss, b.loss, rh.loss_scale(y, v)) <= 1e-12


def test_dask_client_if_installed(rh):
    distributed = pytest.importorskip("distributed")
    X, y = _instance()
    v = [1.0, -1.0, 0.0]
    a = relu.exact_erm(X, y, 2, v, progress=False)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        b = relu.exact_erm(X, y, 2, v, progress=False, executor=client)
    assert a.info["best_index"] == b.info["best_index"]


def test_logistic_exact_erm_reports_attainment():
    X = [[0.0], [1.0], [2.0], [3.0]]
    y = [0.0, 0.0, 1.0, 1.0]
    r = relu.exact_erm(X, y, 1, [1.0, 0.0], loss="logistic", progress=False)
    # y = 1 examples are separable (loss -> 0); y = 0 ones stay at the bias: log 2 each
    assert r.status == "unattained" and r.loss == pytest.approx(np.log(2) / 2, rel=1e-9)
    r = relu.exact_erm(X, y, 1, [1.0, 0.0], loss="logistic", ridge=1e-2, progress=False)
    assert r.status == "optimal" and r.objective > 0


@pytest.mark.slow
def test_dask_local_cluster_with_processes(rh):
    distributed = pytest.importorskip("distributed")
    X, y = _instance()
    v = [1.0, -1.0, 1.0, 0.0]
    a = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=32)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        b = relu.exact_erm(X, y, 3, v, progress=False, chunk_size=32, executor=client)
    assert a.info["best_index"] == b.info["best_index"]
    assert rh.rel_gap(a.loss, b.loss, rh.loss_scale(y, v)) <= 1e-12


# ------------------------------------------------------------------ the shared fixture zoo
def test_tiny_relu_data_has_its_known_erm_value(tiny_relu_data):
    d = tiny_relu_data
    r = relu.exact_erm(d.X, d.y, 1, [d.alpha, 0.0], progress=False)
    assert r.loss == pytest.approx(d.erm_value, abs=1e-20)
    assert np.allclose(r.W[0], d.w)


def test_exact_erm_on_degenerate_zoo_data(zoo_data_case, exact_chambers):
    """m = 1 on every data set of the zoo (duplicates, collinear points, grids, exact
    rationals): exact ERM equals the brute force over the *exact* chamber oracle."""
    case = zoo_data_case
    X = np.array([[float(v) for v in p] for p in case.points])
    rng = np.random.default_rng(len(case.name))
    y = rng.standard_normal(len(X))
    v = [1.0, 0.25]
    chambers = sorted(exact_chambers(case.normals))
    S = relu.SubproblemSolver(X, y, v, method="cvxpy", check=False)
    ref = min(S.solve([[1 if s > 0 else 0 for s in sv]]).objective for sv in chambers)
    r = relu.exact_erm(case.points, y, 1, v, progress=False)
    assert r.info["n_chambers"] == len(chambers) == case.n_chambers
    scale = float(np.mean((y - 0.25) ** 2))
    assert abs(r.loss - ref) <= 1e-7 * max(abs(ref), 1e-6 * scale)
