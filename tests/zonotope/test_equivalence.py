"""Chirotopes, labelled combinatorial equivalence, chamber comparison, isomorphism.

Oracles: sympy determinants over all subsets (chirotopes), brute-force LP chamber
enumeration from ``tests/conftest.py`` (``lp_chambers``), and the statement of
Matena & Raffel (2022, proof of Thm 4.1) that combinatorially equivalent data sets
have the same feasible activation patterns (checked by enumerating both).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonotope import Arrangement, TooLargeError, ValidationError, Zonotope, enumerate_chambers
from zonotope.equivalence import (
    Chirotope,
    are_combinatorially_equivalent,
    are_combinatorially_isomorphic,
    chirotope,
    compare_chambers,
)
from zonotope.general_position import general_position_margin, perturb_to_general_position
from zonotope.library import generic_points


def hyp(n):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def Q(v):
    f = Fraction(float(v)) if isinstance(v, (float, np.floating)) else Fraction(v)
    return sympy.Rational(f.numerator, f.denominator)


def sympy_chirotope(V, cols=None):
    """Signs of all r-minors (lexicographic) in the coordinates ``cols`` (default: all)."""
    M = sympy.Matrix([[Q(v) for v in row] for row in V])
    r = M.rank()
    if cols is None:
        cols = list(range(M.shape[1]))
    out = []
    for S in itertools.combinations(range(M.shape[0]), r):
        out.append(int(sympy.sign(M.extract(list(S), list(cols)).det())))
    return r, out


def homog(X):
    return [list(p) + [1] for p in X]


def chamber_set(points):
    ch = enumerate_chambers(Arrangement.from_points(points), interior_points=False)
    return {tuple(int(v) for v in s) for s in ch.sign_vectors}


# ----------------------------------------------------------------------------- chirotope
@pytest.mark.parametrize("seed", range(8))
def test_chirotope_matches_sympy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5))
    N = int(rng.integers(n, n + 5))
    V = rng.integers(-3, 4, size=(N, n)) if seed % 2 else np.round(rng.standard_normal((N, n)), 3)
    chi = chirotope(V)
    r, ref = sympy_chirotope(V, chi.columns)
    assert chi.rank == r
    assert chi.signs.tolist() == ref
    assert chi.signs.dtype == np.int8 and not chi.signs.flags.writeable
    for k, S in enumerate(itertools.combinations(range(N), r)):
        assert chi.subset(k) == S
        assert chi[S] == ref[k]


def test_chirotope_rank_deficient_is_defined_up_to_sign():
    V = [[1, 2, 0], [2, 4, 1], [0, 0, 1], [3, 6, 5]]        # rank 2 in R^3
    chi = chirotope(V)
    assert chi.rank == 2 and chi.columns is not None
    # any other basis of the span gives the same signs up to one global factor
    B = sympy.Matrix([[1, 2, 0], [0, 0, 1]])
    coords = [list(sympy.Matrix([v]).T.T * B.T * (B * B.T).inv()) for v in V]
    _, ref = sympy_chirotope(coords)
    s = np.array(ref)
    assert np.array_equal(chi.signs, s) or np.array_equal(chi.signs, -s)


def test_chirotope_indexing_is_alternating():
    chi = Chirotope.from_points([[0, 0], [3, 1], [1, 2], [-1, 1]])
    for S in itertools.combinations(range(4), 3):
        for perm in itertools.permutations(S):
            parity = sympy.combinatorics.Permutation([sorted(S).index(p) for p in perm]).parity()
            assert chi[perm] == (-1) ** parity * chi[S]
    assert chi[(0, 0, 1)] == 0
    with pytest.raises(ValidationError):
        chi[(0, 1)]


def test_chirotope_value_semantics():
    a = Chirotope.from_points([[0, 0], [1, 0], [0, 1]])
    b = Chirotope.from_points([[0, 0], [0, 1], [1, 0]])
    assert a != b and a.is_equivalent(b) and hash(a) == hash(Chirotope.from_points([[0, 0], [1, 0], [0, 1]]))
    with pytest.raises(AttributeError):
        a.rank = 3
    assert chirotope([[0, 0]]).rank == 0
    with pytest.raises(TooLargeError):
        chirotope(np.random.default_rng(0).standard_normal((60, 4)), max_bases=1000)


def test_chirotope_is_affinely_invariant():
    X = np.random.default_rng(3).integers(-5, 6, size=(8, 2))
    A = np.array([[2, 1], [1, 3]])            # det 5 > 0
    R = np.array([[0, 1], [1, 0]])            # det -1
    c0 = Chirotope.from_points(X)
    assert Chirotope.from_points(X @ A.T + 4) == c0
    c1 = Chirotope.from_points(X @ R.T)
    assert np.array_equal(c1.signs, -c0.signs) and c1.is_equivalent(c0)


# ----------------------------------------------------------------------------- labelled equivalence
@hyp(25)
@given(st.integers(1, 2).flatmap(lambda d: st.tuples(
    st.lists(st.lists(st.integers(-2, 2), min_size=d, max_size=d), min_size=2, max_size=5),
    st.lists(st.lists(st.integers(-2, 2), min_size=d, max_size=d), min_size=2, max_size=5))))
def test_two_methods_agree_and_match_chamber_sets(pair):
    A, B = pair
    n = min(len(A), len(B))
    A, B = A[:n], B[:n]
    r1 = are_combinatorially_equivalent(A, B)
    r2 = are_combinatorially_equivalent(A, B, method="chambers")
    assert bool(r1) == bool(r2) == (chamber_set(A) == chamber_set(B))
    diff = r1.chamber_difference
    assert {tuple(s) for s in diff.new.tolist()} == chamber_set(B) - chamber_set(A)
    assert {tuple(s) for s in diff.vanished.tolist()} == chamber_set(A) - chamber_set(B)


@pytest.mark.parametrize("seed", range(4))
def test_equivalent_data_have_the_same_activation_patterns(seed, lp_chambers):
    """Paper, proof of Thm 4.1: equivalent zonotopes have the same feasible patterns."""
    rng = np.random.default_rng(seed)
    d = 1 + seed % 2
    X = rng.standard_normal((6, d))
    r = general_position_margin(X).certified_radius
    G = rng.standard_normal(X.shape)
    Y = X + 0.9 * r * G / np.linalg.norm(G, axis=1, keepdims=True)
    A = np.array([[1.5, 0.2], [0.1, 0.7]])[:d, :d]
    Y = Y @ A.T + 3.0                                   # affine image, positive determinant
    res = are_combinatorially_equivalent(X, Y)
    assert res and res.global_sign == 1
    assert chamber_set(X) == chamber_set(Y)
    assert lp_chambers(homog(X.tolist())) == lp_chambers(homog(Y.tolist()))


def test_non_equivalent_reports_differences():
    A = [[0, 0], [1, 0], [0, 1], [1, 1]]
    B = [[0, 0], [1, 0], [0, 1], [-1, -1]]
    res = are_combinatorially_equivalent(A, B)
    assert not res and res.n_differing_bases == 1 and res.differing_bases == ((0, 1, 2),)
    diff = res.chamber_difference
    assert diff.n_new == diff.n_vanished == 2
    assert {tuple(s) for s in diff.new.tolist()} == chamber_set(B) - chamber_set(A)
    res = are_combinatorially_equivalent([[0, 0], [1, 1], [2, 2]], [[0, 0], [1, 0], [0, 1]])
    assert not res and res.ranks == (2, 3)


def test_inputs_arrangement_and_zonotope():
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    assert are_combinatorially_equivalent(X, Arrangement.from_points(X))
    assert are_combinatorially_equivalent(Zonotope.from_points(X), X, method="chambers")
    with pytest.raises(ValidationError, match="central"):
        are_combinatorially_equivalent(X, Arrangement([[1, 0], [0, 1], [1, 1]], [1, 0, 0]))
    with pytest.raises(ValidationError, match="elements"):
        are_combinatorially_equivalent(X, X[:2])
    with pytest.raises(ValidationError, match="`method`"):
        are_combinatorially_equivalent(X, X, method="lp")
    with pytest.raises(ValidationError, match="`A`"):
        are_combinatorially_equivalent([[np.nan]], X)
    assert are_combinatorially_equivalent(Zonotope([[0, 0], [1, 0]]), Zonotope([[0, 0], [2, 0]]))


# ----------------------------------------------------------------------------- failure modes
def test_collinear_points_perturbed_gain_chambers():
    X = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [1.0, 2.0]]
    Xp = perturb_to_general_position(X, 1e-3, rng=0)
    cmp = compare_chambers(X, Xp)
    N, d = 5, 2
    assert cmp.n_after == 2 * sum(math.comb(N - 1, k) for k in range(d + 1))   # Cover's count
    assert cmp.n_vanished == 0 and cmp.n_surviving == cmp.n_before
    assert cmp.n_new == cmp.n_after - cmp.n_before > 0
    assert not cmp.same


def test_duplicate_point_split():
    X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    cmp = compare_chambers(X, [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.001]])
    assert cmp.n_before == 8 and cmp.n_after == 14 and cmp.n_new == 6 and cmp.n_vanished == 0
    # new chambers separate the two copies: their bits differ
    assert np.all(cmp.new[:, 1] != cmp.new[:, 3])
    assert np.all(cmp.surviving[:, 1] == cmp.surviving[:, 3])


def test_large_move_loses_chambers():
    cmp = compare_chambers([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
                           [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    assert cmp.n_new == cmp.n_vanished > 0 and cmp.n_before == cmp.n_after


def test_compare_chambers_bad_input():
    with pytest.raises(ValidationError, match="`X_perturbed`"):
        compare_chambers([[0.0], [1.0]], [[0.0]])
    with pytest.raises(ValidationError, match="zero generator"):
        compare_chambers(Zonotope([[0, 0], [1, 0]]), Zonotope([[1, 0], [0, 1]]))


# ----------------------------------------------------------------------------- unlabelled
def test_relabelled_data_are_isomorphic():
    X = generic_points(6, 2, rng=1)
    perm = np.random.default_rng(0).permutation(6)
    res = are_combinatorially_isomorphic(X, X[perm])
    assert res and res.n_vertices[0] == res.n_vertices[1] == 32
    # the mapping is a graph isomorphism of the skeleta
    from zonotope.skeleton import skeleton_graph

    GA = skeleton_graph(enumerate_chambers(Arrangement.from_points(X), interior_points=False))
    GB = skeleton_graph(enumerate_chambers(Arrangement.from_points(X[perm]), interior_points=False))
    m = res.mapping
    assert all(GB.has_edge(m[a], m[b]) for a, b in GA.edges())
    assert not are_combinatorially_equivalent(X, X[perm]) or np.all(perm == np.arange(6))


def test_reorientation_is_isomorphic_but_not_equivalent():
    V = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [1, -2, 3]])
    W = V.copy()
    W[3] *= -1
    assert are_combinatorially_isomorphic(Arrangement(V), Arrangement(W))
    assert not are_combinatorially_equivalent(Arrangement(V), Arrangement(W))


def test_non_isomorphic():
    A = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [3.0, 2.0]]
    B = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [3.0, 2.0]]
    res = are_combinatorially_isomorphic(A, B)
    assert not res and res.mapping is None
    # same vertex count; the answer agrees with networkx's VF2 on the skeleta
    from zonotope.skeleton import skeleton_graph

    P = [[np.cos(t), np.sin(t)] for t in np.linspace(0, 2 * np.pi, 6)[:-1]]     # convex pentagon
    Q_ = [[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 4.0], [1.0, 2.0]]           # 4 + 1 inside
    r = are_combinatorially_isomorphic(P, Q_)
    assert r.n_vertices == (22, 22)
    graphs = [skeleton_graph(enumerate_chambers(Arrangement.from_points(Z), interior_points=False))
              for Z in (P, Q_)]
    assert bool(r) == nx.is_isomorphic(*graphs)
