"""The lattice-driven sweep beyond one 64-bit word, and the exact count of the size guard.

Oracles: the plain recursive sweep on the same data scaled to large integers (which
takes the other code path), closed forms ((n + 1)^(n - 1) Shi regions, n! C_n Catalan
regions), the counting form of the plain sweep, and the resonance counts.
"""

from __future__ import annotations

import itertools
from math import comb, factorial

import numpy as np
import pytest

from zonotope import Arrangement, count_chambers, enumerate_chambers, estimate_chambers
from zonotope._lsweep import exact_count_or_none
from zonotope.library import catalan_arrangement, resonance_arrangement, shi_arrangement


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


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_exact_count_of_shi_and_catalan(n):
    assert exact_count_or_none(shi_arrangement(n), 10**7) == (n + 1) ** (n - 1)
    assert exact_count_or_none(catalan_arrangement(n), 10**7) == factorial(n) * comb(2 * n, n) // (n + 1)


def test_exact_count_matches_enumeration_and_the_plain_counting_sweep():
    g = np.random.default_rng(7)
    for _ in range(4):
        X = g.integers(-2, 3, size=(9, 3)).astype(float)
        A = Arrangement.from_points(X)
        c = exact_count_or_none(A, 10**7)
        assert c == len(enumerate_chambers(A)) == count_chambers(A, method="sweep")
        assert c <= estimate_chambers(A)


def test_exact_count_of_the_resonance_arrangement():
    assert [exact_count_or_none(resonance_arrangement(n), 10**7) for n in (2, 3, 4, 5)] == [6, 32, 370, 11292]


def test_exact_count_is_none_off_the_fast_path_or_over_the_cap():
    X = np.random.default_rng(0).standard_normal((12, 3))  # float data: no modular lattice
    assert exact_count_or_none(Arrangement.from_points(X), 10**9) is None
    assert exact_count_or_none(shi_arrangement(6), 1000) is None
    # the cap is on the work: the smallest cap that succeeds gives the same count
    caps = [10**k for k in range(3, 8)]
    got = [exact_count_or_none(shi_arrangement(6), w) for w in caps]
    assert any(v is None for v in got) and got[-1] == 7 ** 5
    assert all(v is None or v == 7 ** 5 for v in got)


def test_shi_7_is_below_the_default_limit_by_its_exact_count():
    A = shi_arrangement(7)
    assert estimate_chambers(A) > 5_000_000  # the a-priori bound refuses it
    assert exact_count_or_none(A, 10 * 5_000_000) == 8 ** 6  # the exact count does not


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
