"""SageMath (passagemath-polyhedra) as an independent chamber oracle.

Skipped unless ``sage.all__sagemath_polyhedra`` is importable
(``pip install passagemath-polyhedra``).  For every arrangement the *set* of our
chamber sign vectors must equal Sage's regions, each region's sign vector being
evaluated exactly (Python ints) at ``region.representative_point()``.

Sage conventions handled here: a hyperplane is ``[c, a_1..a_n]`` meaning
``c + a . x = 0`` (so ours, ``a . w = b``, is ``[-b, a]`` with the same positive
side); Sage sorts and deduplicates hyperplanes and refuses ``h`` together with
``-h``, so it gets one canonical representative per distinct hyperplane while the
signs are always evaluated on *our* list of hyperplanes.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import gcd, lcm

import numpy as np
import pytest

pytest.importorskip("sage.all__sagemath_polyhedra")  # initialises Sage; must come first

from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements  # noqa: E402
from sage.rings.rational_field import QQ  # noqa: E402

from zonotope import Arrangement, enumerate_chambers  # noqa: E402

pytestmark = pytest.mark.sage


def _frac(v):
    if isinstance(v, (float, np.floating)):
        return Fraction(float(v))  # exact binary value
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    return Fraction(v)


def _int_rows(normals, offsets):
    """``[-b_i, a_i]`` scaled by a positive integer (same signs), as Python ints."""
    offsets = [0] * len(normals) if offsets is None else offsets
    rows = []
    for a, b in zip(normals, offsets):
        row = [-_frac(b)] + [_frac(v) for v in a]
        m = lcm(*(v.denominator for v in row))
        rows.append([int(v * m) for v in row])
    return rows


def _canonical(row):
    g = 0
    for v in row:
        g = gcd(g, v)
    row = [v // g for v in row]
    return tuple(-v for v in row) if next(v for v in row if v) < 0 else tuple(row)


def sage_sign_vectors(normals, offsets=None, dim=None):
    """Set of sign tuples of Sage's regions of ``{normals . w = offsets}``."""
    rows = _int_rows(normals, offsets)
    dim = len(rows[0]) - 1 if rows else dim
    H = HyperplaneArrangements(QQ, tuple(f"w{k}" for k in range(dim)))
    reps = sorted({_canonical(r) for r in rows})
    A = H([[QQ(v) for v in r] for r in reps]) if reps else H()
    regions = A.regions()
    out = set()
    for reg in regions:
        assert reg.is_full_dimensional()
        p = [Fraction(int(c.numerator()), int(c.denominator())) for c in reg.representative_point()]
        t = lcm(*(c.denominator for c in p))
        hp = [t] + [int(c * t) for c in p]  # (t, t p), t > 0
        signs = []
        for r in rows:
            v = sum(x * y for x, y in zip(r, hp))
            assert v != 0, "representative point on a hyperplane"
            signs.append(1 if v > 0 else -1)
        out.add(tuple(signs))
    assert len(out) == len(regions)  # distinct regions have distinct sign vectors
    return out


def ours(arr):
    return {tuple(int(v) for v in s) for s in enumerate_chambers(arr).sign_vectors}


# ----------------------------------------------------------------- the shared zoo
def test_zoo_matches_sage(zoo_case):
    case = zoo_case
    got = ours(case.arrangement())
    want = sage_sign_vectors(case.normals, case.offsets, dim=case.dim)
    assert got == want
    if case.n_chambers is not None:
        assert len(want) == case.n_chambers  # the hand count agrees with Sage too


# ----------------------------------------------------------------- named degenerate cases
DEGENERATE = {
    # data sets (central arrangement of (x, 1))
    "duplicate_points": ("data", [[0, 0], [2, 1], [2, 1], [-1, 3], [0, 0], [5, -2]], None),
    "collinear_triples": ("data", [[0, 0], [1, 1], [2, 2], [0, 2], [1, 2], [3, 2], [2, 0]], None),
    "grid_4x3": ("data", [[i, j] for i in range(4) for j in range(3)], None),
    "grid_3x3x2": ("data", [[i, j, k] for i in range(3) for j in range(3) for k in range(2)], None),
    "coplanar_in_3d": ("data", [[1, 0, 0], [0, 1, 0], [1, 1, 0], [2, -1, 0], [0, 0, 1], [1, 2, 3]],
                       None),
    "all_collinear_3d": ("data", [[t, 2 * t, -t] for t in range(5)], None),
    # central arrangements
    "non_essential_4d": ("central", [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [1, -1, 0, 0],
                                     [2, 1, 0, 0]], None),
    "non_essential_rank2_in_4d": ("central", [[1, 1, 0, 0], [0, 0, 1, 1], [1, 1, 1, 1],
                                              [-2, -2, 0, 0]], None),
    "antiparallel_and_scaled": ("central", [[1, 2, 0], [-1, -2, 0], [3, 6, 0], [0, 1, 1],
                                            [0, -2, -2], [1, 0, -1]], None),
    "braid_5": ("central", [[1 if k == i else -1 if k == j else 0 for k in range(5)]
                            for i, j in itertools.combinations(range(5), 2)], None),
    # affine arrangements normals . w = offsets
    "parallel_families": ("affine", [[1, 0], [1, 0], [1, 0], [0, 1], [0, 2], [1, 1], [-1, -1]],
                          [0, 1, -2, 0, 3, 1, 2]),
    "parallel_planes_3d": ("affine", [[1, 0, 0], [2, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1],
                                      [1, 1, 1]], [0, 3, 1, 0, 1, -1]),
    "affine_non_essential": ("affine", [[1, 1, 0], [1, 1, 0], [2, 2, 0], [1, -1, 0]],
                             [0, 1, 5, 0]),
    "affine_concurrent_plus_parallel": ("affine", [[1, 0], [0, 1], [1, 1], [1, -1], [1, 0]],
                                        [1, 1, 2, 0, -1]),
    "affine_rational": ("affine", [[Fraction(1, 3), 1], [Fraction(2, 3), 2], [1, Fraction(-1, 2)]],
                        [Fraction(1, 2), 1, Fraction(1, 7)]),
}


def _build(kind, data, offsets):
    if kind == "data":
        return Arrangement.from_points(data), [list(p) + [1] for p in data], None
    return Arrangement(data, offsets), data, offsets


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_matches_sage(name):
    arr, normals, offsets = _build(*DEGENERATE[name])
    assert ours(arr) == sage_sign_vectors(normals, offsets)


# ----------------------------------------------------------------- random arrangements
@pytest.mark.parametrize("seed", range(6))
def test_random_integer_points_match_sage(seed):
    """Small-range integer data: many coincidences (collinear / coplanar / repeated points)."""
    rng = np.random.default_rng(1000 + seed)
    d = 2 + seed % 2
    X = rng.integers(-2, 3, size=(7 + seed, d)).tolist()
    assert ours(Arrangement.from_points(X)) == sage_sign_vectors([p + [1] for p in X])


@pytest.mark.parametrize("seed", range(4))
def test_random_generic_float_points_match_sage(seed):
    rng = np.random.default_rng(2000 + seed)
    d = 2 + seed % 3
    X = rng.standard_normal((6 + 2 * seed, d))
    got = ours(Arrangement.from_points(X))
    want = sage_sign_vectors([list(p) + [1.0] for p in X])
    assert got == want


@pytest.mark.parametrize("seed", range(4))
def test_random_central_small_entries_match_sage(seed):
    rng = np.random.default_rng(3000 + seed)
    dim = 3 + seed % 2
    M = rng.integers(-1, 2, size=(8, dim))
    M = M[np.any(M != 0, axis=1)].tolist()
    assert ours(Arrangement(M)) == sage_sign_vectors(M)


@pytest.mark.parametrize("seed", range(4))
def test_random_affine_with_parallels_match_sage(seed):
    rng = np.random.default_rng(4000 + seed)
    dim = 2 + seed % 2
    base = rng.integers(-2, 3, size=(4, dim))
    base = base[np.any(base != 0, axis=1)]
    rows = base[rng.integers(0, len(base), size=8)]  # repeated directions -> parallel families
    off = rng.integers(-2, 3, size=len(rows))
    normals, offsets = rows.tolist(), off.tolist()
    assert ours(Arrangement(normals, offsets)) == sage_sign_vectors(normals, offsets)
