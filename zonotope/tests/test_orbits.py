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
