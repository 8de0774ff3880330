"""Fault injection into the chamber enumerators (white-box, so inside the package).

A tiny bound on the auxiliary integers (``_AUX_BOUND``) makes the rare degenerate
random auxiliary vector frequent, so runs fail after blocks were yielded and the
restart/recovery paths run; no public input reaches them deterministically.  The
oracle is the chamber set of the plain enumeration of the same arrangement; the spy
on ``zonotope.streaming._stream_pieces`` fails the test if the recovery path is not
exercised.
"""

from __future__ import annotations

import numpy as np

from zonotope import Arrangement, enumerate_chambers, iter_chambers
from zonotope.parallel import count_chambers_distributed, enumerate_chambers_distributed


def rows_of(blocks):
    return [tuple(int(v) for v in r) for b in blocks for r in b.sign_vectors]


def store_rows(store):
    return [r.tobytes() for blk in store.iter_blocks() for r in blk]


def ref_rows(A):
    return {r.tobytes() for r in enumerate_chambers(A, interior_points=False).packed}


def test_recovery_after_degenerate_auxiliary_vectors(monkeypatch):
    """White-box: tiny auxiliary integers make the random vectors degenerate often,
    so runs fail after blocks were yielded; the stream must recover without repeating
    or losing a chamber (it reruns the abandoned run with interior_points=False)."""
    import zonotope.streaming as ch

    recoveries = []
    orig = ch._stream_pieces

    def spy(arr, N, cone, aux, rays, want_points, seen):
        if not want_points:
            recoveries.append(1)
        return orig(arr, N, cone, aux, rays, want_points, seen)

    cases = []
    for seed in range(6):
        X = np.random.default_rng(seed).integers(-3, 4, size=(9, 2))
        # scaled by a large odd factor: too large for the lattice kernel -> plain sweep;
        # unscaled: small integers -> lattice-driven sweep
        for scale in (1000003.0, 1):
            A = Arrangement.from_points(scale * X)
            cases.append((seed, A, {tuple(r) for r in enumerate_chambers(A).sign_vectors.tolist()}))
    monkeypatch.setattr(ch, "_stream_pieces", spy)
    monkeypatch.setattr(ch, "_AUX_BOUND", 9)
    for seed, A, ref in cases:
        rows = rows_of(iter_chambers(A, block_size=3, interior_points=True, rng=seed))
        assert len(rows) == len(set(rows)) and set(rows) == ref
    assert recoveries, "the recovery path was not exercised"


def test_degenerate_auxiliary_vectors_restart(monkeypatch, tmp_path):
    """White-box: tiny auxiliary integers make tasks fail; the run restarts cleanly."""
    import zonotope.parallel as par

    A = Arrangement.from_points(np.random.default_rng(2).integers(-3, 4, size=(10, 2)))
    ref = ref_rows(A)
    monkeypatch.setattr(par, "_AUX_BOUND", 3)
    run = enumerate_chambers_distributed(A, tmp_path, n_tasks=5, progress=False)
    rows = store_rows(run.store)
    assert len(rows) == len(set(rows)) and set(rows) == ref
    assert count_chambers_distributed(A, n_tasks=5) == len(ref)  # the lattice count
    # scaled by a large odd factor: off the lattice path, so the count tasks run (and restart)
    B = Arrangement.from_points(1000003.0 * np.random.default_rng(2).integers(-3, 4, size=(10, 2)))
    assert count_chambers_distributed(B, n_tasks=5) == len(ref)


def test_lattice_ray_task_failure_restarts(monkeypatch, tmp_path):
    """White-box: a ray block of the lattice-driven split meets degenerate auxiliary
    vectors (forced on the second task of the first draw); the driver discards the
    blocks, restarts with a fresh draw and still writes every chamber exactly once."""
    import zonotope.parallel as par
    from zonotope._sweep import NonGenericAux

    A = Arrangement.from_points(np.array([[i, j, k] for i in range(3) for j in range(2) for k in range(2)]))
    ref = ref_rows(A)
    orig = par.LatticeSweep.ray_pieces
    calls = []

    def flaky(self, lo, hi):
        calls.append((lo, hi))
        if len(calls) == 2:
            raise NonGenericAux
        return orig(self, lo, hi)

    monkeypatch.setattr(par.LatticeSweep, "ray_pieces", flaky)
    run = enumerate_chambers_distributed(A, tmp_path, n_tasks=4, progress=False)
    assert len(calls) > 4 and run.store.attempt >= 1  # the failure was seen and the run restarted
    rows = store_rows(run.store)
    assert len(rows) == len(set(rows)) and set(rows) == ref
