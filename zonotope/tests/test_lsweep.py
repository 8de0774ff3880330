"""Unit tests of the internal exact lattice count behind the size guard.

``zonotope._lsweep.exact_count_or_none(arr, max_work)`` counts the chambers of
small-integer (degenerate) input exactly from the intersection lattice, or returns
``None`` off that fast path or over the work cap.  The guard itself is tested through
the public API (``tests/zonotope/test_lsweep_degen2.py``).

Oracles: closed forms ((n + 1)^(n - 1) Shi regions, n! C_n Catalan regions, the
resonance counts 6, 32, 370, 11292), full enumeration and the counting form of the
plain sweep.
"""

from __future__ import annotations

from math import comb, factorial

import numpy as np
import pytest

from zonotope import Arrangement, count_chambers, enumerate_chambers, estimate_chambers
from zonotope._lsweep import exact_count_or_none
from zonotope.library import catalan_arrangement, resonance_arrangement, shi_arrangement


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
