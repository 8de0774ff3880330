"""Zonotopes against independent oracles.

* Convex hull (``scipy.spatial.ConvexHull``) of all ``2^N`` subset sums, for generic
  float data: the hull's vertices are exactly ``Zonotope.vertices`` and the subsets
  realising them are exactly ``Zonotope.coefficients``.
* For degenerate data (exact): a subset sum ``sum_{i in S} g_i`` is a vertex iff some
  ``w`` has ``w . g_i > 0`` on ``S`` and ``< 0`` off ``S`` (non-zero generators), which
  the exact brute-force chamber oracle decides.
* Closed forms: cube and permutohedron f-vectors, Euler's relation, the edge count of
  a generic zonotope, ``n^m`` vertices of ``Z^m``; brute-force support functions.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb, factorial

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from zonotope import Arrangement, ValidationError, Zonotope, ZonotopeProduct, cartesian_product
from zonotope.library import cube, figure1_points, generic_points, permutohedron


def subset_sums(G):
    """(2^N, dim) float subset sums and the (2^N, N) 0/1 subsets, in product order."""
    G = np.asarray(G, dtype=float)
    S = np.array(list(itertools.product((0, 1), repeat=G.shape[0])), dtype=np.uint8)
    return S.astype(float) @ G, S


def exact_vertex_set(generators, exact_chambers):
    """Exact vertex coordinates of the zonotope sum_i [0, g_i] via the exact chamber oracle."""
    G = [[Fraction(v) for v in g] for g in generators]
    nz = [i for i, g in enumerate(G) if any(g)]
    dim = len(G[0])
    out = set()
    for s in exact_chambers([G[i] for i in nz]) if nz else {()}:
        v = [Fraction(0)] * dim
        for i, si in zip(nz, s):
            if si > 0:
                v = [a + b for a, b in zip(v, G[i])]
        out.add(tuple(v))
    return out


def stirling2(n, k):
    """Stirling numbers of the second kind, by the recurrence S(n,k) = k S(n-1,k) + S(n-1,k-1)."""
    S = [[0] * (k + 1) for _ in range(n + 1)]
    S[0][0] = 1
    for i in range(1, n + 1):
        for j in range(1, k + 1):
            S[i][j] = j * S[i - 1][j] + S[i - 1][j - 1]
    return S[n][k]


def generic_count(n, r):
    return 2 * sum(comb(n - 1, k) for k in range(r)) if n else 1


# ================================================================== hull oracle
@pytest.mark.parametrize("N,d", [(N, d) for N in (2, 3, 5, 7, 10) for d in (1, 2, 3)
                                 if N > d and not (d == 3 and N > 8)])  # N <= d: not full-dim
def test_vertices_equal_convex_hull_of_subset_sums(N, d, rng):
    X = rng.standard_normal((N, d))
    Z = Zonotope.from_points(X)
    G = np.hstack([X, np.ones((N, 1))])
    P, S = subset_sums(G)
    hull = ConvexHull(P)
    hull_subsets = {tuple(S[i]) for i in hull.vertices}
    assert {tuple(c) for c in Z.coefficients.tolist()} == hull_subsets
    # coordinates as sets (float; generic data, well separated)
    A = np.array(sorted(map(tuple, np.round(P[hull.vertices], 9))))
    B = np.array(sorted(map(tuple, np.round(Z.vertices, 9))))
    assert A.shape == B.shape and np.allclose(A, B)


@pytest.mark.parametrize("seed", range(4))
def test_general_zonotope_hull_in_3d(seed):
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((int(rng.integers(3, 9)), 3))
    c = rng.standard_normal(3)
    Z = Zonotope(G, center=c)
    P, S = subset_sums(G)
    hull = ConvexHull(P + c)
    assert {tuple(S[i]) for i in hull.vertices} == {tuple(r) for r in Z.coefficients.tolist()}
    assert np.isclose(hull.volume, Z.volume())
    assert Z.f_vector()[-2] == len({tuple(np.round(eq, 9)) for eq in hull.equations})  # facets


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_vertices_equal_convex_hull_long(seed):
    rng = np.random.default_rng(100 + seed)
    X = rng.standard_normal((10, 3))
    Z = Zonotope.from_points(X)
    P, S = subset_sums(np.hstack([X, np.ones((10, 1))]))
    hull = ConvexHull(P)
    assert {tuple(S[i]) for i in hull.vertices} == {tuple(r) for r in Z.coefficients.tolist()}


# ================================================================== exact vertex oracle
def test_zoo_data_vertices_exact(zoo_data_case, exact_chambers):
    Z = Zonotope.from_points(zoo_data_case.points)
    got = {tuple(Fraction(v) for v in row) for row in Z.vertices_exact().tolist()}
    assert got == exact_vertex_set(zoo_data_case.normals, exact_chambers)
    assert Z.n_vertices == len(got) == zoo_data_case.n_chambers


def test_zonotope_zoo(zonotope_case, exact_chambers):
    name, G, n_vertices = zonotope_case
    Z = Zonotope(G)
    assert Z.n_vertices == n_vertices
    got = {tuple(Fraction(v) for v in row) for row in Z.vertices_exact().tolist()}
    assert got == exact_vertex_set(G, exact_chambers)
    zero = [i for i, g in enumerate(G) if not any(g)]
    assert not Z.coefficients[:, zero].any(), "zero generators never enter a vertex"


def test_coefficients_vertices_and_chambers_agree(zoo_data_case):
    Z = Zonotope.from_points(zoo_data_case.points)
    G = [[Fraction(v) for v in g] for g in zoo_data_case.normals]
    assert Z.coefficients.dtype == np.uint8
    assert np.array_equal(Z.coefficients, (Z.chambers.sign_vectors > 0).astype(np.uint8))
    for coef, v_exact, v_float in zip(Z.coefficients, Z.vertices_exact().tolist(), Z.vertices):
        s = [sum((G[i][k] for i in np.nonzero(coef)[0]), Fraction(0)) for k in range(len(G[0]))]
        assert [Fraction(v) for v in v_exact] == s
        assert np.allclose(v_float, [float(x) for x in s])
    for k, coef in enumerate(Z.coefficients):
        assert Z.vertex_index(coef) == k


def test_vertex_k_is_the_unique_maximiser_of_its_chamber(zoo_data_case):
    """w in chamber k  =>  w . v_k > w . v_j for all j != k (the normal-cone bijection)."""
    Z = Zonotope.from_points(zoo_data_case.points)
    V = [[Fraction(v) for v in row] for row in Z.vertices_exact().tolist()]
    for k, w in enumerate(Z.chambers.interior_points):
        wf = [Fraction(float(x)) for x in w]
        vals = [sum(a * b for a, b in zip(wf, v)) for v in V]
        assert all(vals[k] > vals[j] for j in range(len(V)) if j != k)


def test_support_function_brute_force(rng):
    G = rng.standard_normal((6, 3))
    c = rng.standard_normal(3)
    Z = Zonotope(G, center=c)
    U = rng.standard_normal((40, 3))
    P, _ = subset_sums(G)
    expected = (U @ (P + c).T).max(axis=1)
    assert np.allclose(Z.support_function(U), expected)
    assert np.allclose(Z.support_function(U[0]), expected[:1])  # one direction, 1-D
    # the support value is attained at a vertex
    assert np.allclose((U @ Z.vertices.T).max(axis=1), expected)


def test_contains(rng):
    G = rng.standard_normal((5, 2))
    Z = Zonotope(G, center=[1.0, -1.0])
    for v in Z.vertices:
        assert Z.contains(v)
    assert Z.contains(np.array([1.0, -1.0]) + 0.5 * G.sum(axis=0))
    # just outside each edge midpoint-direction: beyond the support value
    for u in rng.standard_normal((10, 2)):
        h = Z.support_function(u)[0]
        p = u * (h + 0.1) / (u @ u)
        assert not Z.contains(p)


@pytest.mark.parametrize("G", [[[1, 0], [0, 1], [1, 1]], [[2, 1], [1, 3], [-1, 1], [0, 2]],
                               [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]])
def test_volume_exact_vs_hull(G):
    Z = Zonotope(G)
    vol = Z.volume()
    assert isinstance(vol, (int, Fraction))
    P, _ = subset_sums(G)
    assert np.isclose(float(vol), ConvexHull(P).volume)
    assert np.isclose(Zonotope(np.array(G, dtype=float)).volume(), float(vol))


def test_volume_of_flat_zonotopes_is_zero():
    assert Zonotope([[1, 0, 0], [0, 1, 0]]).volume() == 0
    assert Zonotope([[1, 0, 0], [0, 1, 0], [1, 1, 0]]).volume() == 0


# ================================================================== f-vectors
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_cube_f_vector(d):
    C = cube(d)
    assert C.f_vector() == tuple(2 ** (d - k) * comb(d, k) for k in range(d + 1))
    assert {tuple(v) for v in C.vertices_exact().tolist()} == set(itertools.product((0, 1), repeat=d))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_permutohedron(n):
    P = permutohedron(n)
    assert P.n_vertices == factorial(n)
    perms = set(itertools.permutations(range(1, n + 1)))
    assert {tuple(v) for v in P.vertices_exact().tolist()} == perms
    if n >= 2:
        assert P.f_vector() == tuple(factorial(n - k) * stirling2(n, n - k) for k in range(n))
        assert len(P.edges) == factorial(n) * (n - 1) // 2


def _euler(f):
    return sum((-1) ** k * fk for k, fk in enumerate(f))


@pytest.mark.parametrize("seed", range(5))
def test_generic_zonotope_face_numbers(seed):
    """Edges = N * r(generic arrangement of N - 1 hyperplanes of rank n - 1); Euler."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    N = int(rng.integers(n, n + 4))
    Z = Zonotope(rng.standard_normal((N, n)))
    f = Z.f_vector()
    assert len(f) == n + 1 and f[-1] == 1
    assert f[0] == Z.n_vertices == generic_count(N, n)
    assert f[1] == len(Z.edges) == N * generic_count(N - 1, n - 1)
    assert f[n - 1] == 2 * comb(N, n - 1)  # facets: one pair per (n-1)-subset
    assert _euler(f) == 1


def test_euler_relation_on_degenerate_zonotopes(zoo_data_case):
    Z = Zonotope.from_points(zoo_data_case.points)
    f = Z.f_vector()
    r = Arrangement.from_points(zoo_data_case.points).rank
    assert len(f) == r + 1 and f[-1] == 1 and f[0] == Z.n_vertices and f[1] == len(Z.edges)
    assert _euler(f) == 1  # sum_{k=0}^{r-1} (-1)^k f_k = 1 - (-1)^r


def test_figure1_invariants():
    X = figure1_points()
    from zonotope.cli import FIGURE1_POINTS

    assert X.tolist() == [list(p) for p in FIGURE1_POINTS]
    Z = Zonotope.from_points(X)
    assert (Z.n_vertices, len(Z.edges)) == (22, 40)
    assert Z.f_vector() == (22, 40, 20, 1)


# ================================================================== products
@pytest.mark.parametrize("m", [1, 2, 3])
def test_power_vertices_and_neighbours(m):
    Z = Zonotope.from_points([[0.0], [1.0], [3.0]])
    n = Z.n_vertices
    P = Z.power(m)
    assert P.n_vertices == n**m and P.m == m and P.dim == m * Z.dim
    adj = {i: set() for i in range(n)}
    for a, b in Z.edges.tolist():
        adj[a].add(b)
        adj[b].add(a)
    tuples = list(P)
    assert len(tuples) == n**m == len(set(tuples))
    for v in tuples:
        expected = {v[:j] + (u,) + v[j + 1:] for j in range(m) for u in adj[v[j]]}
        assert set(P.neighbors(v)) == expected
        assert P.degree(v) == len(expected)
        assert np.array_equal(P.vertex(v), np.concatenate([Z.vertices[k] for k in v]))
        assert np.array_equal(P.pattern(v), np.stack([Z.coefficients[k] for k in v]))


def test_cartesian_product_of_different_factors(rng):
    A = Zonotope([[1, 0], [0, 1]])
    B = Zonotope([[1.0], [2.0]])
    P = cartesian_product(A, B)
    assert P.n_vertices == 4 * 2 and P.dim == 3
    assert P.generators.shape == (4, 3)
    assert P.generators[2:, :2].tolist() == [[0, 0], [0, 0]]
    v = P.random_vertex(rng=rng)
    assert 0 <= v[0] < 4 and 0 <= v[1] < 2
    assert P.random_vertex(rng=3) == P.random_vertex(rng=3)
    with pytest.raises(ValidationError, match="vertex"):
        P.vertex((0, 9))
    with pytest.raises(ValidationError, match="factors"):
        ZonotopeProduct([])


@pytest.mark.parametrize("m", [0, -1, 1.5, "2"])
def test_power_validates_m(m):
    with pytest.raises(ValidationError, match="`m`"):
        Zonotope([[1, 0]]).power(m)


def test_power_rejects_bool():
    with pytest.raises(ValidationError, match="`m`"):
        Zonotope([[1, 0]]).power(True)


# ================================================================== value semantics
def test_zonotope_data_is_read_only():
    Z = Zonotope([[1.0, 0.0], [0.0, 1.0]], center=[1.0, 2.0])
    for arr in (Z.generators, Z.center, Z.vertices, Z.coefficients):
        assert not arr.flags.writeable
    assert Z.vertices.dtype == np.float64 and Z.vertices.shape == (4, 2)
    assert "2 generators in R^2" in repr(Z)


def test_center_exactness():
    Z = Zonotope([[1, 0], [0, 1]], center=[Fraction(1, 2), 6])
    assert Z.vertices_exact().tolist() == [[Fraction(1, 2), 6], [Fraction(1, 2), 7],
                                           [Fraction(3, 2), 6], [Fraction(3, 2), 7]]
    Zf = Zonotope([[0.1], [0.2]])
    assert Zf.vertices_exact()[-1, 0] == Fraction(0.1) + Fraction(0.2)  # binary values


def test_vertex_index_and_neighbors_validation():
    Z = Zonotope([[0, 0], [1, 0], [0, 1]])
    assert Z.vertex_index([0, 1, 0]) == Z.vertex_index([-1, 1, -1])  # 0/1 or +-1 form
    assert Z.coefficients[Z.vertex_index([0, 1, 1])].tolist() == [0, 1, 1]
    with pytest.raises(ValidationError, match="pattern"):
        Z.vertex_index([1, 0])
    with pytest.raises(ValidationError, match="vertex"):
        Z.neighbors(99)


def test_too_large_zonotope():
    from zonotope import TooLargeError

    Z = Zonotope.from_points(np.arange(20.0).reshape(-1, 1), max_chambers=10)
    with pytest.raises(TooLargeError):
        Z.n_vertices
    assert Zonotope.from_points(np.arange(20.0).reshape(-1, 1), max_chambers=None).n_vertices == 40


# ================================================================== library
@pytest.mark.parametrize("fn,arg,param", [
    (cube, 0, "`d`"), (cube, 2.0, "`d`"), (cube, True, "`d`"),
    (permutohedron, 0, "`n`"), (permutohedron, "3", "`n`"),
])
def test_library_validates_sizes(fn, arg, param):
    with pytest.raises(ValidationError, match=param):
        fn(arg)


def test_library_generic_points(exact_linalg):
    X = generic_points(8, 2, rng=5)
    assert X.dtype == np.int64 and X.shape == (8, 2)
    rows = [[Fraction(int(v)) for v in x] + [Fraction(1)] for x in X]
    for S in itertools.combinations(range(8), 3):  # no 3 points collinear
        assert exact_linalg.rank([rows[i] for i in S]) == 3
    assert Zonotope.from_points(X).n_vertices == generic_count(8, 3)
    assert np.array_equal(generic_points(8, 2, rng=5), X)  # reproducible
    with pytest.raises(ValidationError, match="n_samples"):
        generic_points(0, 2)
