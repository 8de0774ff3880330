"""The distributed sweep (:mod:`zonotope.parallel`) against the single-process enumeration.

* The blocks written by every executor (serial, threads, processes, a
  ``distributed.LocalCluster`` with 2 workers) are pairwise disjoint and their union
  equals :func:`zonotope.enumerate_chambers` (itself checked against the exact oracle
  in ``test_chambers.py``); on small cases also directly against ``exact_chambers``.
* Counting: equal to :func:`zonotope.count_chambers` and to the closed forms.
* Interruption and resume: finished blocks are kept and not recomputed.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from math import comb

import numpy as np
import pytest

from zonotope import Arrangement, ChamberStore, ValidationError, count_chambers, enumerate_chambers
from zonotope.library import shi_arrangement
from zonotope.parallel import count_chambers_distributed, enumerate_chambers_distributed, split_sweep


def store_rows(store):
    rows = [r.tobytes() for blk in store.iter_blocks() for r in blk]
    return rows


def ref_rows(A):
    return {r.tobytes() for r in enumerate_chambers(A, interior_points=False).packed}


def check(store, A):
    rows = store_rows(store)
    assert len(rows) == len(set(rows)), "two blocks share a chamber"
    assert set(rows) == ref_rows(A)
    assert store.complete


CASES = {
    "generic_2d": lambda: Arrangement.from_points(np.random.default_rng(0).standard_normal((14, 2))),
    "degenerate_3d": lambda: Arrangement.from_points(
        np.array([[i, j, k] for i in range(2) for j in range(3) for k in range(2)] + [[0, 0, 0]])),
    "affine_shi4": lambda: shi_arrangement(4),
    "non_essential": lambda: Arrangement([[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 1, 1], [1, 2, 0, 0],
                                          [2, 1, 1, 1]]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_serial_and_threads_equal_single_process(name, tmp_path):
    A = CASES[name]()
    check(enumerate_chambers_distributed(A, tmp_path / "s", n_tasks=5, progress=False).store, A)
    with ThreadPoolExecutor(2) as ex:
        run = enumerate_chambers_distributed(A, tmp_path / "t", executor=ex, n_tasks=7, progress=False)
    check(run.store, A)
    assert run.n_tasks >= 2 and run.split_seconds >= 0 and run.work_seconds >= 0
    assert count_chambers_distributed(A, n_tasks=6) == count_chambers(A) == len(ref_rows(A))


def test_small_cases_against_the_exact_oracle(zoo_case, exact_chambers, tmp_path):
    A = zoo_case.arrangement()
    run = enumerate_chambers_distributed(A, tmp_path, n_tasks=3, progress=False)
    S = run.store.load(A).sign_vectors
    got = {tuple(int(v) for v in r) for r in S}
    assert got == exact_chambers(zoo_case.normals, zoo_case.offsets)
    assert count_chambers_distributed(A, n_tasks=2) == zoo_case.n_chambers


def test_process_pool(tmp_path):
    A = CASES["degenerate_3d"]()
    with ProcessPoolExecutor(2) as ex:
        run = enumerate_chambers_distributed(A, tmp_path, executor=ex, n_tasks=6, progress=False)
        assert count_chambers_distributed(A, executor=ex, n_tasks=6) == count_chambers(A)
    check(run.store, A)


def test_dask_local_cluster_two_workers(tmp_path):
    distributed = pytest.importorskip("distributed")
    X = np.random.default_rng(4).standard_normal((16, 3))
    X[3] = X[1]
    A = Arrangement.from_points(X)
    G = Arrangement.from_points(np.array([[i, j, k] for i in range(3) for j in range(3) for k in range(2)]))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        run = enumerate_chambers_distributed(A, tmp_path / "a", executor=client, n_tasks=8, progress=False)
        n = count_chambers_distributed(A, executor=client, n_tasks=8)
        # integer grid: the lattice-driven split (each worker rebuilds the lattice once)
        run_g = enumerate_chambers_distributed(G, tmp_path / "g", executor=client, n_tasks=8, progress=False)
    check(run.store, A)
    assert n == len(ref_rows(A)) == 2 * sum(comb(14, k) for k in range(4))
    assert split_sweep(G, n_tasks=8).lattice and not split_sweep(A, n_tasks=8).lattice
    check(run_g.store, G)


class _Interrupting:
    """An executor that runs tasks inline and raises after ``n`` submissions."""

    def __init__(self, n):
        self.n, self.calls = n, 0

    def submit(self, fn, *args):
        from concurrent.futures import Future

        self.calls += 1
        if self.calls > self.n:
            raise KeyboardInterrupt
        f = Future()
        f.set_result(fn(*args))
        return f


def test_interrupted_run_resumes_without_recomputing(tmp_path):
    A = Arrangement.from_points(np.random.default_rng(1).standard_normal((15, 3)))
    plan = split_sweep(A, n_tasks=6)
    ex = _Interrupting(4)
    with pytest.raises(KeyboardInterrupt):
        enumerate_chambers_distributed(A, tmp_path, executor=ex, n_tasks=6, progress=False)
    st = ChamberStore(tmp_path)
    assert not st.complete and st.n_chambers > 0
    written = sum(1 for t in plan.tasks if st.has_block(t.name))
    ex2 = _Interrupting(10 ** 6)
    run = enumerate_chambers_distributed(A, tmp_path, executor=ex2, n_tasks=6, progress=False)
    assert ex2.calls == len(plan.tasks) - written  # finished blocks are not recomputed
    check(run.store, A)


@pytest.mark.parametrize("name", ["degenerate_3d", "affine_shi4"])
def test_lattice_plan_interrupted_and_resumed(name, tmp_path):
    """Integer input splits into blocks of rays of the lattice; resume keeps finished blocks."""
    A = CASES[name]()
    plan = split_sweep(A, n_tasks=16)
    assert plan.lattice and plan.in1 is None and all(t.rays for t in plan.tasks)
    # the ray blocks partition the rays
    spans = sorted(t.rays for t in plan.tasks)
    assert spans[0][0] == 0 and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert len(plan.tasks) >= 13  # the 13th submission interrupts
    with pytest.raises(KeyboardInterrupt):  # results are collected with 10 tasks in flight
        enumerate_chambers_distributed(A, tmp_path, executor=_Interrupting(12), n_tasks=16, progress=False)
    st = ChamberStore(tmp_path)
    assert not st.complete
    written = sum(1 for t in plan.tasks if st.has_block(t.name))
    assert written == 3
    ex2 = _Interrupting(10 ** 6)
    run = enumerate_chambers_distributed(A, tmp_path, executor=ex2, n_tasks=16, progress=False)
    assert ex2.calls == len(plan.tasks) - written
    check(run.store, A)
    # counting integer input: Zaslavsky's theorem on the driver, no task submitted
    assert count_chambers_distributed(A, executor=_Interrupting(0), n_tasks=16) == count_chambers(A)


def test_validation(tmp_path):
    A = shi_arrangement(3)
    with pytest.raises(ValidationError, match="executor.*enumerate_chambers_distributed"):
        enumerate_chambers_distributed(A, tmp_path, executor=object())
    with pytest.raises(ValidationError, match="n_tasks.*count_chambers_distributed"):
        count_chambers_distributed(A, n_tasks=0)
    enumerate_chambers_distributed(A, tmp_path / "a", progress=False)
    with pytest.raises(ValidationError, match="path"):
        enumerate_chambers_distributed(shi_arrangement(4), tmp_path / "a", progress=False)
