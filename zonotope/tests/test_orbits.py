"""The orbit recursion's exact fallbacks: forced hash collisions and a useless invariant.

The answers must not change when every image hash collides (orbit sizes are then
counted on exact bitsets and members are matched word by word) or when the orbit
invariant is constant (every cover is then in one invariant class, so orbits are
separated only by the exact image test, over several rounds).
"""

from __future__ import annotations

import numpy as np
import pytest

from zonotope import _orbits
from zonotope import library as lib
from zonotope.lattice import whitney_numbers

CASES = [lib.braid_arrangement(5), lib.catalan_arrangement(4), lib.resonance_arrangement(4),
         lib.threshold_arrangement(4)]


def _both(arr, symmetry):
    return whitney_numbers(arr, symmetry=symmetry), whitney_numbers(arr, 2, symmetry=symmetry)


@pytest.mark.parametrize("arr", CASES, ids=lambda a: f"{a.n_hyperplanes}h-in-R{a.dim}")
def test_colliding_hashes(arr, monkeypatch):
    want = _both(arr, None)
    monkeypatch.setattr(_orbits, "_row_hash", lambda bits: (bits[:, 0] & np.uint64(1)).copy())
    assert _both(arr, "coordinates") == want


@pytest.mark.parametrize("arr", CASES, ids=lambda a: f"{a.n_hyperplanes}h-in-R{a.dim}")
def test_constant_invariant(arr, monkeypatch):
    want = _both(arr, None)
    monkeypatch.setattr(_orbits._Action, "invariant", lambda self, B: np.zeros(B.shape[0], dtype=np.uint64))
    assert _both(arr, "coordinates") == want


def test_small_image_blocks(monkeypatch):
    arr = lib.resonance_arrangement(5)
    want = _both(arr, None)
    monkeypatch.setattr(_orbits, "_IMAGE_BYTES", 1)  # one candidate per block
    assert _both(arr, "coordinates") == want


def test_python_integer_numerators(monkeypatch):
    """The int64 fast path of the numerators against the Python-integer path."""
    arr = lib.resonance_arrangement(5)
    want = _both(arr, None)
    monkeypatch.setattr(_orbits, "_INT64_SUM_MAX", 0)
    assert _both(arr, "coordinates") == want


SEARCH_CASES = CASES + [lib.shi_arrangement(4), lib.semiorder_arrangement(4),
                        lib.resonance_arrangement(5)]


@pytest.mark.parametrize("arr", SEARCH_CASES, ids=lambda a: f"{a.n_hyperplanes}h-in-R{a.dim}")
def test_vectorised_search_and_action_against_the_python_paths(arr, monkeypatch):
    """The block search and the numpy action against the dictionary/DFS paths (no int64 rows)."""
    from zonotope import symmetry as sym
    from zonotope._flats import _rows_of

    G = sym.coordinate_symmetries(arr)
    rows = _rows_of(arr).rows
    act = sym._hyperplane_action(rows, G.tolist(), arr.dim)
    want = _both(arr, "coordinates")
    monkeypatch.setattr(sym, "_SEARCH_CHUNK", 1)  # every partial assignment on its own
    assert sym.coordinate_symmetries(arr).tolist() == G.tolist()
    monkeypatch.setattr(sym, "_int64_rows", lambda rows: None)
    assert sym.coordinate_symmetries(arr).tolist() == G.tolist()
    assert np.array_equal(sym._hyperplane_action(rows, G.tolist(), arr.dim), act)
    assert _both(arr, "coordinates") == want


def test_colliding_row_hashes_use_the_python_paths(monkeypatch):
    from zonotope import symmetry as sym

    arr = lib.catalan_arrangement(4)
    G = sym.coordinate_symmetries(arr)
    want = _both(arr, "coordinates")
    monkeypatch.setattr(sym._RowIndex, "hash", lambda self, Q: np.zeros(Q.shape[0], dtype=np.uint64))
    assert sym.coordinate_symmetries(arr).tolist() == G.tolist()
    assert _both(arr, "coordinates") == want


AUTO_CASES = CASES + [lib.shi_arrangement(4), lib.catalan_arrangement(3), lib.linial_arrangement(4)]


@pytest.mark.parametrize("arr", AUTO_CASES, ids=lambda a: f"{a.n_hyperplanes}h-in-R{a.dim}")
def test_auto_switches_to_orbits_past_the_cap(arr, monkeypatch):
    """symmetry='auto' with no plain budget: orbits whenever the group is not trivial."""
    from zonotope import lattice
    from zonotope import symmetry as sym
    from zonotope.chambers import count_chambers

    want = _both(arr, None)
    monkeypatch.setattr(lattice, "_AUTO_PLAIN_WORK", 0)
    calls = []
    orig = _orbits.run_orbits
    monkeypatch.setattr(_orbits, "run_orbits", lambda *a, **k: calls.append(1) or orig(*a, **k))
    assert _both(arr, "auto") == want
    assert count_chambers(arr) == sum(abs(v) for v in want[0])
    assert bool(calls) == (len(sym.coordinate_symmetries(arr)) > 1)
    # a search that gives up: the plain recursion, same answer
    calls.clear()
    monkeypatch.setattr(sym, "_AUTO_MAX_NODES", 1)
    assert _both(arr, "auto") == want and not calls


def test_max_work_is_kept_on_orbits(monkeypatch):
    from zonotope import TooLargeError, lattice
    from zonotope.chambers import count_chambers

    arr = lib.resonance_arrangement(5)
    monkeypatch.setattr(lattice, "_AUTO_PLAIN_WORK", 0)
    with pytest.raises(TooLargeError, match="orbits"):
        count_chambers(arr, max_work=1000)
    assert count_chambers(arr, max_work=10**7) == 11292
