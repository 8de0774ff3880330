"""Streaming enumeration (:func:`zonotope.iter_chambers`) against independent oracles.

* ``exact_chambers`` (brute force over sign vectors, Gordan's alternative in rational
  arithmetic) on the whole zoo, for several block sizes: the blocks are disjoint and
  their union is the chamber set;
* interior points checked in :class:`fractions.Fraction` arithmetic (``exact_signs``);
* closed forms (generic counts) and :func:`zonotope.enumerate_chambers` on larger data,
  with repeated and collinear points (non-simple rays inside the stream).
"""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    TooLargeError,
    ValidationError,
    enumerate_chambers,
    iter_chambers,
)


def rows_of(blocks):
    return [tuple(int(v) for v in r) for b in blocks for r in b.sign_vectors]


@pytest.mark.parametrize("block_size", [1, 3, 64])
def test_zoo_blocks_partition_the_exact_chamber_set(zoo_case, exact_chambers, block_size):
    blocks = list(iter_chambers(zoo_case.arrangement(), block_size=block_size))
    rows = rows_of(blocks)
    assert len(rows) == len(set(rows)), "a chamber was yielded twice"
    assert set(rows) == exact_chambers(zoo_case.normals, zoo_case.offsets)
    assert all(1 <= len(b) <= block_size for b in blocks) or len(blocks) == 1
    assert all(len(b) == block_size for b in blocks[:-1]) or len(blocks) == 1


def test_zoo_streamed_interior_points_are_certified(zoo_case, exact_signs):
    for b in iter_chambers(zoo_case.arrangement(), block_size=2, interior_points=True):
        P = b.interior_points
        assert P.shape == (len(b), zoo_case.arrangement().dim) and np.all(np.isfinite(P))
        assert np.array_equal(exact_signs(zoo_case.normals, zoo_case.offsets, P), b.sign_vectors)
        assert not P.flags.writeable and not b.packed.flags.writeable


@pytest.mark.parametrize("N,d", [(30, 2), (14, 3), (10, 4)])
def test_generic_data_stream_counts_and_set(N, d, rng):
    X = rng.standard_normal((N, d))
    A = Arrangement.from_points(X)
    blocks = list(iter_chambers(A, block_size=97, interior_points=True))
    rows = rows_of(blocks)
    assert len(rows) == 2 * sum(comb(N - 1, k) for k in range(d + 1)) == len(set(rows))
    assert set(rows) == {tuple(r) for r in enumerate_chambers(A).sign_vectors.tolist()}
    for b in blocks:  # float points: the package's own exact check
        assert np.array_equal(A.sign_vectors(b.interior_points), b.sign_vectors)


@pytest.mark.parametrize("seed", range(4))
def test_degenerate_data_stream_matches_enumeration(seed):
    """Grid points, repeats and collinear triples: many non-simple rays."""
    g = np.random.default_rng(seed)
    X = g.integers(-2, 3, size=(16, 3))
    X[5] = X[2]
    X[7] = 2 * X[1] - X[0]
    A = Arrangement.from_points(X)
    ref = {tuple(r) for r in enumerate_chambers(A).sign_vectors.tolist()}
    rows = rows_of(iter_chambers(A, block_size=50, rng=seed))
    assert len(rows) == len(set(rows)) and set(rows) == ref


def test_affine_and_non_essential_streams(exact_chambers):
    normals = [[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, -1, 0], [1, 0, 0]]
    offsets = [0, 1, 2, -1, 3]
    A = Arrangement(normals, offsets)
    rows = rows_of(iter_chambers(A, block_size=4, interior_points=True))
    assert len(rows) == len(set(rows))
    assert set(rows) == exact_chambers(normals, offsets)


def test_stream_set_does_not_depend_on_rng():
    X = np.random.default_rng(3).standard_normal((12, 2))
    A = Arrangement.from_points(X)
    sets = [set(rows_of(iter_chambers(A, block_size=10, rng=r))) for r in (0, 1, 2)]
    assert sets[0] == sets[1] == sets[2]


def test_stream_arguments_are_validated_at_the_call():
    A = Arrangement.from_points([[0.0], [1.0]])
    with pytest.raises(ValidationError, match="block_size.*iter_chambers"):
        iter_chambers(A, block_size=0)
    with pytest.raises(ValidationError, match="interior_points.*iter_chambers"):
        iter_chambers(A, interior_points="yes")
    with pytest.raises(ValidationError, match="arr.*iter_chambers"):
        iter_chambers([[1.0]])
    with pytest.raises(TooLargeError):
        iter_chambers(Arrangement.from_points(np.random.default_rng(0).standard_normal((60, 3))),
                      max_chambers=10)
