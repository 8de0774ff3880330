"""The 1-skeleton (chamber adjacency) against brute force and an LP facet oracle.

* Edges: all pairs of chambers whose sign vectors differ on exactly one parallel class
  (classes recomputed exactly by cross-multiplication), by brute force over pairs.
* Edge vectors: the difference of the two vertices is ``+- sum_i o_i g_i`` over the
  flipped class (``o_i`` the orientation of ``g_i`` in its class), exactly.
* Degrees: the number of facets of each chamber, each facet certified by a float LP
  (class ``c`` is a facet of chamber ``s`` iff ``{a_c . w = 0, s_j a_j . w >= t}`` has
  ``t* > 0``) -- no adjacency information is used.
* Graph distances equal the number of separating parallel classes.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import linprog

from zonotope import (
    Arrangement,
    ValidationError,
    Zonotope,
    chamber_neighbors,
    enumerate_chambers,
    parallel_classes,
    skeleton_edges,
    skeleton_graph,
)


def exact_classes(normals):
    """Parallel classes by exact cross-multiplication; labels by first appearance."""
    rows = [[Fraction(v) for v in r] for r in normals]
    labels, orient, reps = [], [], []
    for r in rows:
        for c, rep in enumerate(reps):
            if all(r[i] * rep[j] == r[j] * rep[i] for i in range(len(r)) for j in range(len(r))):
                k = next(i for i, v in enumerate(rep) if v != 0)
                labels.append(c)
                orient.append(1 if (r[k] > 0) == (rep[k] > 0) else -1)
                break
        else:
            labels.append(len(reps))
            orient.append(1)
            reps.append(r)
    return labels, orient


def brute_force_edges(S, labels):
    """{(i, j): class} for chamber pairs differing on exactly one whole class."""
    out = {}
    lab = np.array(labels)
    for i, j in itertools.combinations(range(len(S)), 2):
        diff = S[i] != S[j]
        cls = set(lab[diff].tolist())
        if len(cls) == 1:
            c = cls.pop()
            if np.all(diff[lab == c]):
                out[(i, j)] = c
    return out


def lp_is_facet(normals, s, members):
    """Float LP: does {a_rep . w = 0} bound the chamber s in a facet?"""
    A = np.array([[float(v) for v in r] for r in normals])
    A = A / np.linalg.norm(A, axis=1, keepdims=True)
    others = [j for j in range(len(A)) if j not in members]
    n = A.shape[1]
    if not others:
        return True
    A_ub = np.hstack([-(np.array(s)[others, None] * A[others]), np.ones((len(others), 1))])
    A_eq = np.hstack([A[members[:1]], np.zeros((1, 1))])
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=A_ub, b_ub=np.zeros(len(others)), A_eq=A_eq,
                  b_eq=[0.0], bounds=[(-1, 1)] * n + [(None, 1)], method="highs")
    return res.status == 0 and -res.fun > 1e-9


# ================================================================== classes
def test_parallel_classes_match_exact_oracle(zoo_case):
    A = zoo_case.arrangement()
    labels, orient = exact_classes(zoo_case.normals)
    c, o = parallel_classes(A)
    assert c.tolist() == labels and o.tolist() == orient


# ================================================================== edges
def test_edges_match_brute_force(zoo_central_case):
    zoo_case = zoo_central_case
    A = zoo_case.arrangement()
    ch = enumerate_chambers(A)
    labels, _ = exact_classes(zoo_case.normals)
    expected = brute_force_edges(ch.sign_vectors, labels)
    E, L = skeleton_edges(ch)
    assert E.dtype == np.int64 and E.shape == (len(expected), 2) and L.shape == (len(expected),)
    got = {(int(a), int(b)): int(c) for (a, b), c in zip(E.tolist(), L.tolist())}
    assert got == expected
    assert np.all(E[:, 0] < E[:, 1])
    assert E.tolist() == sorted(E.tolist())


def test_neighbors_match_brute_force(zoo_central_case):
    zoo_case = zoo_central_case
    A = zoo_case.arrangement()
    ch = enumerate_chambers(A)
    labels, _ = exact_classes(zoo_case.normals)
    expected = brute_force_edges(ch.sign_vectors, labels)
    for i in range(len(ch)):
        nb = sorted({b for a, b in expected if a == i} | {a for a, b in expected if b == i})
        assert chamber_neighbors(ch, i) == nb


def test_degree_equals_number_of_facets_by_lp(zoo_data_case):
    """deg(vertex k) = number of facets of chamber k, facets certified by an LP."""
    Z = Zonotope.from_points(zoo_data_case.points)
    labels, _ = exact_classes(zoo_data_case.normals)
    deg = np.bincount(Z.edges.ravel(), minlength=Z.n_vertices)
    for k, s in enumerate(Z.chambers.sign_vectors.tolist()):
        n_facets = 0
        for c in sorted(set(labels)):
            members = [j for j, lab in enumerate(labels) if lab == c]
            n_facets += lp_is_facet(zoo_data_case.normals, s, members)
        assert deg[k] == n_facets


def test_edge_vectors_are_flipped_class_sums(zoo_data_case):
    Z = Zonotope.from_points(zoo_data_case.points)
    G = [[Fraction(v) for v in g] for g in zoo_data_case.normals]
    labels, orient = exact_classes(zoo_data_case.normals)
    V = [[Fraction(v) for v in row] for row in Z.vertices_exact().tolist()]
    for (a, b), gens in zip(Z.edges.tolist(), Z.edge_generators):
        c = labels[gens[0]]
        members = [j for j, lab in enumerate(labels) if lab == c]
        assert sorted(gens) == members
        vec = [sum((orient[j] * G[j][k] for j in members), Fraction(0)) for k in range(len(G[0]))]
        diff = [x - y for x, y in zip(V[b], V[a])]
        assert diff == vec or diff == [-x for x in vec]


def test_general_zonotope_edge_vectors_with_antiparallel_generators():
    G = [[1, 1], [-1, -1], [1, 0], [2, 0], [0, 3]]
    Z = Zonotope(G)
    labels, orient = exact_classes(G)
    V = Z.vertices_exact().tolist()
    assert Z.n_vertices == 6 and len(Z.edges) == 6
    for (a, b), gens in zip(Z.edges.tolist(), Z.edge_generators):
        vec = [sum(orient[j] * G[j][k] for j in gens) for k in range(2)]
        diff = [x - y for x, y in zip(V[b], V[a])]
        assert diff in (vec, [-x for x in vec])


# ================================================================== graph
def test_graph_distance_is_number_of_separating_classes(zoo_central_case):
    zoo_case = zoo_central_case
    A = zoo_case.arrangement()
    ch = enumerate_chambers(A)
    G = skeleton_graph(ch)
    assert G.number_of_nodes() == len(ch)
    labels = np.array(exact_classes(zoo_case.normals)[0], dtype=int)
    dist = dict(nx.all_pairs_shortest_path_length(G))
    S = ch.sign_vectors
    for i in range(len(ch)):
        for j in range(len(ch)):
            sep = len(set(labels[S[i] != S[j]].tolist())) if labels.size else 0
            assert dist[i][j] == sep
    assert nx.is_bipartite(G)


def test_graph_attributes(zoo):
    c = zoo["duplicates"]
    ch = enumerate_chambers(c.arrangement())
    G = skeleton_graph(ch)
    for k, data in G.nodes(data=True):
        assert data["sign_vector"] == tuple(int(v) for v in ch.sign_vectors[k])
    labels, _ = exact_classes(c.normals)
    for a, b, data in G.edges(data=True):
        members = tuple(j for j, lab in enumerate(labels) if lab == data["cls"])
        assert data["flipped"] == members
    Z = Zonotope.from_points(c.points)
    H = Z.skeleton()
    for k, data in H.nodes(data=True):
        assert data["pattern"] == tuple(int(v) for v in Z.coefficients[k])
    assert {e["flipped"] for _, _, e in H.edges(data=True)} == {(0, 4), (1, 3), (2,)}


def test_small_skeletons():
    E, L = skeleton_edges(enumerate_chambers(Arrangement(np.zeros((0, 2)), dim=2)))
    assert E.shape == (0, 2) and L.shape == (0,)
    E, L = skeleton_edges(enumerate_chambers(Arrangement([[1.0, 2.0]])))
    assert E.tolist() == [[0, 1]] and L.tolist() == [0]
    assert Zonotope([[0, 0]]).edges.shape == (0, 2)


def test_affine_skeleton_is_refused():
    with pytest.raises(ValidationError, match="central"):
        skeleton_edges(enumerate_chambers(Arrangement([[1, 0]], [1])))


def test_chamber_neighbors_validates_index():
    ch = enumerate_chambers(Arrangement([[1, 0]]))
    with pytest.raises(ValidationError, match="`i`"):
        chamber_neighbors(ch, 2)


@pytest.mark.parametrize("seed", range(3))
def test_generic_skeleton_is_regular_of_degree_at_least_rank(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((7, 2))
    Z = Zonotope.from_points(X)
    deg = np.bincount(Z.edges.ravel(), minlength=Z.n_vertices)
    assert deg.min() >= 3  # a simple 3-polytope's dual: every chamber has >= 3 facets
    assert deg.sum() == 2 * len(Z.edges)
    assert nx.is_connected(Z.skeleton())
