"""Face numbers of zonotopes (``Zonotope.f_vector``) against independent oracles.

* Brute force: every flat ``X`` (closed subsets of generators, exact ranks in
  :class:`fractions.Fraction`), the restriction ``A^X`` written in an exact basis of
  ``X``, and its chambers counted by the exact brute-force oracle ``exact_chambers``;
  ``f_k`` is the sum over the rank-``k`` flats.
* Closed forms (cube, permutohedron), Euler's relation, and the facets of a convex hull.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb, factorial

import numpy as np
import pytest

from zonotope import Zonotope
from zonotope.library import cube, permutohedron


def _rref_nullspace(rows, n):
    """Basis of {x : rows . x = 0} over the rationals."""
    A = [[Fraction(v) for v in r] for r in rows]
    piv, r = [], 0
    for c in range(n):
        p = next((i for i in range(r, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        A[r] = [v / A[r][c] for v in A[r]]
        for i in range(len(A)):
            if i != r and A[i][c] != 0:
                f = A[i][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        piv.append(c)
        r += 1
    out = []
    for fcol in (c for c in range(n) if c not in piv):
        v = [Fraction(0)] * n
        v[fcol] = Fraction(1)
        for i, pc in enumerate(piv):
            v[pc] = -A[i][fcol]
        out.append(v)
    return out


def brute_f_vector(gens, exact_chambers, rank):
    G = [[Fraction(v) for v in g] for g in gens if any(v != 0 for v in g)]
    n, N = len(G[0]), len(G)
    r = rank(G)
    f = [0] * (r + 1)
    seen = set()
    for k in range(N + 1):
        for S in itertools.combinations(range(N), k):
            rS = rank([G[i] for i in S]) if S else 0
            closed = (frozenset(j for j in range(N) if rank([G[i] for i in S] + [G[j]]) == rS)
                      if S else frozenset())
            if closed in seen:
                continue
            seen.add(closed)
            basis = _rref_nullspace([G[i] for i in sorted(closed)], n) if closed else \
                [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
            res = [[sum(a * b for a, b in zip(G[j], col)) for col in basis]
                   for j in range(N) if j not in closed]
            res = [row for row in res if any(v != 0 for v in row)]
            f[rS] += len(exact_chambers(res)) if res else 1
    return tuple(f)


@pytest.mark.parametrize("seed,N,d", [(0, 5, 3), (1, 6, 3), (2, 6, 4), (3, 7, 3), (4, 5, 4)])
def test_f_vector_matches_brute_force_on_degenerate_generators(seed, N, d, exact_chambers, exact_linalg):
    g = np.random.default_rng(seed)
    G = g.integers(-1, 2, size=(N, d))
    G[np.all(G == 0, axis=1)] = 1
    G[N - 1] = -2 * G[0]  # antiparallel + scaled repeat
    G[N - 2] = G[1] + G[2]  # three coplanar generators
    assert Zonotope(G.tolist()).f_vector() == brute_f_vector(G.tolist(), exact_chambers, exact_linalg.rank)


def test_f_vector_of_float_generators_uses_the_exact_big_prime_kernel(exact_chambers, exact_linalg):
    G = np.random.default_rng(5).standard_normal((6, 3))
    G[4] = G[0] + 0.5 * G[1]  # coplanar with 0 and 1 (exactly? no: floats) -- generic enough
    G[5] = -G[2]
    assert Zonotope(G).f_vector() == brute_f_vector(G.tolist(), exact_chambers, exact_linalg.rank)


@pytest.mark.parametrize("d", [1, 2, 5, 7])
def test_cube_and_euler(d):
    f = cube(d).f_vector()
    assert f == tuple(2 ** (d - k) * comb(d, k) for k in range(d + 1))
    assert sum((-1) ** k * v for k, v in enumerate(f)) == 1


@pytest.mark.parametrize("n", [2, 4, 6])
def test_permutohedron_ordered_set_partitions(n):
    def stirling2(a, b):
        return sum((-1) ** i * comb(b, i) * (b - i) ** a for i in range(b + 1)) // factorial(b)

    assert permutohedron(n).f_vector() == tuple(factorial(n - k) * stirling2(n, n - k) for k in range(n))


def test_polygon_f_vector():
    ang = np.arange(60)
    G = np.stack([np.round(1000 * np.cos(np.pi * ang / 60)), np.round(1000 * np.sin(np.pi * ang / 60))], 1)
    G = np.concatenate([G, 3 * G[:5]])  # repeated directions do not add edges
    assert Zonotope(G.astype(int).tolist()).f_vector() == (120, 120, 1)
