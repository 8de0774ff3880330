"""SageMath as an independent oracle for the lattice invariants on random degenerate data.

Skipped unless ``sage.all__sagemath_polyhedra`` is importable.  For random integer
arrangements with repeated, parallel and concurrent hyperplanes (central and affine)
and for degenerate data sets, our characteristic polynomial, region count, bounded
region count and chamber set must equal Sage's.
"""

from __future__ import annotations

from math import gcd

import numpy as np
import pytest

pytest.importorskip("sage.all__sagemath_polyhedra")  # initialises Sage; must come first

from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements  # noqa: E402
from sage.rings.rational_field import QQ  # noqa: E402

from zonotope import (  # noqa: E402
    Arrangement,
    characteristic_polynomial,
    count_bounded_regions,
    count_chambers,
    enumerate_chambers,
    whitney_numbers,
)
from zonotope.library import catalan_arrangement, shi_arrangement  # noqa: E402

pytestmark = pytest.mark.sage


def _canonical(row):
    g = 0
    for v in row:
        g = gcd(g, v)
    row = [v // g for v in row]
    return tuple(-v for v in row) if next(v for v in row if v) < 0 else tuple(row)


def sage_of(arr):
    rows = [[-int(b)] + [int(v) for v in a] for a, b in zip(arr.normals.tolist(), arr.offsets.tolist())]
    H = HyperplaneArrangements(QQ, tuple(f"w{k}" for k in range(arr.dim)))
    reps = sorted({_canonical(r) for r in rows})
    return H([[QQ(v) for v in r] for r in reps]), rows


def random_degenerate(seed, n_h, dim, affine):
    g = np.random.default_rng(seed)
    N = g.integers(-2, 3, size=(n_h, dim))
    N[np.all(N == 0, axis=1), 0] = 1
    N[n_h - 1] = -N[0]  # antiparallel
    N[n_h - 2] = N[1] + N[2]  # three concurrent hyperplanes
    b = g.integers(-1, 2, size=n_h) if affine else np.zeros(n_h, dtype=int)
    if affine:
        b[n_h - 2] = b[1] + b[2]
    return Arrangement(N.tolist(), b.tolist())


CASES = [(s, n, d, aff) for s, (n, d, aff) in enumerate(
    [(7, 3, False), (8, 3, True), (9, 4, False), (7, 4, True), (10, 3, True), (8, 5, False)])]


@pytest.mark.parametrize("seed,n_h,dim,affine", CASES)
def test_lattice_invariants_match_sage(seed, n_h, dim, affine):
    A = random_degenerate(seed, n_h, dim, affine)
    S, _ = sage_of(A)
    chi = [int(c) for c in reversed(characteristic_polynomial(A).all_coeffs())]
    assert chi + [0] * (dim + 1 - len(chi)) == [int(c) for c in S.characteristic_polynomial().list()]
    assert count_chambers(A) == int(S.n_regions())
    assert count_bounded_regions(A) == int(S.n_bounded_regions())
    w1 = whitney_numbers(A)  # the coefficients of chi, by rank
    assert [chi[dim - k] for k in range(len(w1))] == w1


@pytest.mark.parametrize("seed", range(3))
def test_degenerate_data_chambers_and_counts_match_sage(seed):
    g = np.random.default_rng(100 + seed)
    X = g.integers(-2, 3, size=(9, 2))
    X[4] = X[0]
    X[6] = 2 * X[2] - X[3]
    A = Arrangement.from_points(X)
    S, rows = sage_of(A)
    regs = S.regions()
    assert len(enumerate_chambers(A)) == len(regs) == count_chambers(A)
    ours = {tuple(int(v) for v in r) for r in enumerate_chambers(A).sign_vectors}
    theirs = set()
    for reg in regs:
        p = [QQ(c) for c in reg.representative_point()]
        theirs.add(tuple(1 if (r[0] + sum(QQ(a) * x for a, x in zip(r[1:], p))) > 0 else -1 for r in rows))
    assert ours == theirs


@pytest.mark.parametrize("factory,n", [(shi_arrangement, 4), (catalan_arrangement, 3)])
def test_named_affine_families_match_sage(factory, n):
    A = factory(n)
    S, _ = sage_of(A)
    chi = [int(c) for c in reversed(characteristic_polynomial(A).all_coeffs())]
    assert chi + [0] * (A.dim + 1 - len(chi)) == [int(c) for c in S.characteristic_polynomial().list()]
    assert count_bounded_regions(A) == int(S.n_bounded_regions())
