"""The lattice-driven sweep beyond one 64-bit word, and the size guard on degenerate input.

Oracles: the plain recursive sweep on the same data scaled to large integers (which
takes the other code path); the Shi count (n + 1)^(n - 1).  The unit tests of the
internal exact count behind the guard (``zonotope._lsweep.exact_count_or_none``) are in
``zonotope/tests/test_lsweep.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from zonotope import Arrangement, count_chambers, enumerate_chambers, estimate_chambers
from zonotope.library import shi_arrangement


def sign_set(ch):
    return {r.tobytes() for r in ch.packed}


@pytest.mark.parametrize("shape", [(9, 8), pytest.param((5, 5, 3), marks=pytest.mark.slow)])
def test_more_than_64_hyperplanes_agree_with_the_plain_sweep(shape):
    # 72 / 75 distinct hyperplanes: two words per sign row, non-simple flats (collinear
    # and coplanar grid points) and simple flats whose coatoms are looked up by bitset
    X = np.array(list(itertools.product(*[range(s) for s in shape])))
    A = Arrangement.from_points(X)  # small integers: lattice-driven sweep
    B = Arrangement.from_points(1000003.0 * X)  # large integers: plain sweep
    ca, cb = enumerate_chambers(A), enumerate_chambers(B)
    assert len(ca) == len(sign_set(ca))
    assert sign_set(ca) == sign_set(cb)
    assert np.array_equal(A.sign_vectors(ca.interior_points), ca.sign_vectors)
    assert count_chambers(B, method="sweep") == len(ca)


def test_the_size_guard_uses_the_exact_count_of_degenerate_input():
    from zonotope.exceptions import TooLargeError

    arr = shi_arrangement(5)                     # 1296 regions; generic bound far above
    assert estimate_chambers(arr) > 1296
    assert len(enumerate_chambers(arr, max_chambers=1296)) == 1296
    with pytest.raises(TooLargeError, match="exactly 1,296 chambers"):
        enumerate_chambers(arr, max_chambers=1295)
    rng = np.random.default_rng(0)               # float data: the generic bound decides
    floats = Arrangement.from_points(rng.standard_normal((12, 2)))
    bound = estimate_chambers(floats)
    with pytest.raises(TooLargeError, match="may have up to"):
        enumerate_chambers(floats, max_chambers=bound - 1)
