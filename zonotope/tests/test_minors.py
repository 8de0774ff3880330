"""Unit tests of the internal minor scanner :mod:`zonotope._minors`.

Oracle: sympy determinants of every subset (independent of :mod:`zonotope`), and
rounded numpy determinants of small integer matrices (exact there).  In-package: it
reaches the private modules ``zonotope._minors`` and ``zonotope._exact``.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy

from zonotope._exact import ExactRows
from zonotope._minors import MinorScan

pytestmark = pytest.mark.exact


def to_fraction(v):
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    return Fraction(float(v))


def sympy_sign(rows, S):
    M = sympy.Matrix([[sympy.Rational(to_fraction(v).numerator, to_fraction(v).denominator) for v in rows[i]]
                      for i in S])
    return int(sympy.sign(M.det()))


# ----------------------------------------------------------------------------- the scan kernel
@pytest.mark.parametrize("mode", ["wedge", "prefix"])
@pytest.mark.parametrize("seed", range(6))
def test_minor_scan_signs_match_sympy(mode, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    N = int(rng.integers(n, n + 5))
    if seed % 2:
        V = rng.integers(-2, 3, size=(N, n)).astype(float)
    else:
        V = rng.standard_normal((N, n))
        V[-1] = V[0] * 0.5 + V[1] * 0.25  # exactly dependent dyadic combination
    er = ExactRows(V)
    scan = MinorScan(er, mode=mode, max_block=7)
    got = {}
    for blk in scan.blocks():
        s = scan.block_signs(blk)
        for r in range(s.shape[0]):
            for c in range(s.shape[1]):
                S = blk.subset(r, c)
                assert S not in got
                got[S] = int(s[r, c])
    assert len(got) == math.comb(N, n)
    for S, v in got.items():
        assert v == sympy_sign(V, S)
    assert set(scan.zeros()) == {S for S, v in got.items() if v == 0}


@pytest.mark.parametrize("b", [1, 2, 3])
def test_wedge_split_sizes_agree(b):
    rng = np.random.default_rng(b)
    V = rng.integers(-3, 4, size=(9, 5)).astype(float)
    er = ExactRows(V)
    ref = {}
    for S in itertools.combinations(range(9), 5):
        ref[S] = int(np.sign(round(np.linalg.det(V[list(S)]))))
    scan = MinorScan(er, mode="wedge", b=b, max_block=11, parent_chunk=3)
    got = {}
    for blk in scan.blocks():
        s = scan.block_signs(blk)
        for r in range(s.shape[0]):
            for c in range(s.shape[1]):
                got[blk.subset(r, c)] = int(s[r, c])
    assert got == ref
