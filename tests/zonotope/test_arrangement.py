"""The :class:`Arrangement` value object: exact invariants, signs, edits, validation.

Oracles: exact ranks and signs in Fraction arithmetic (``conftest.py``), the exact
brute-force chamber oracle, and the deletion-restriction recurrence
``r(A) = r(A - H) + r(A^H)`` (Zaslavsky), which ties the edit operations together.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from zonotope import (
    Arrangement,
    ValidationError,
    Zonotope,
    ZonotopeError,
    activation_patterns,
    chamber_of_point,
    count_chambers,
    enumerate_chambers,
    homogenize,
)


# ================================================================== invariants
def test_homogenize():
    assert homogenize([[0.5, 2.0]]).tolist() == [[0.5, 2.0, 1.0]]
    assert homogenize([[0.5, 2.0]]).dtype == np.float64
    H = homogenize([[1, 2], [3, 4]])
    assert H.dtype == object and H.tolist() == [[1, 2, 1], [3, 4, 1]]
    assert homogenize([1, 2]).tolist() == [[1, 1], [2, 1]]  # 1-D: one sample per entry
    assert homogenize([[Fraction(1, 3)]]).tolist() == [[Fraction(1, 3), 1]]


def test_zoo_rank_central_essential(zoo_case, exact_linalg):
    A = zoo_case.arrangement()
    rows = exact_linalg.matrix(zoo_case.normals)
    rank = exact_linalg.rank(rows) if rows else 0
    assert A.rank == rank
    assert A.dim == zoo_case.dim
    assert A.n_hyperplanes == len(A) == zoo_case.n_hyperplanes
    assert A.is_central == (zoo_case.kind != "affine")
    assert A.is_essential == (rank == zoo_case.dim)
    assert type(A.rank) is int and type(A.dim) is int and type(A.is_central) is bool


def test_zoo_sign_vectors_match_exact_evaluation(zoo_case, rng, exact_signs):
    A = zoo_case.arrangement()
    P = rng.standard_normal((15, A.dim)) * 3
    # points exactly on hyperplanes: integer/dyadic points solving a_j . w = b_j
    on = []
    for j, (a, b) in enumerate(zip(zoo_case.normals, zoo_case.offsets or [0] * len(zoo_case.normals))):
        a = [Fraction(v) for v in a]
        k = next(i for i, v in enumerate(a) if v != 0)
        for _ in range(2):
            w = [Fraction(int(v)) for v in rng.integers(-3, 4, size=A.dim)]
            w[k] = 0
            w[k] = (Fraction(b) - sum(x * y for x, y in zip(a, w))) / a[k]
            if all(float(v) == v for v in w):  # keep points that are exact floats
                on.append([float(v) for v in w])
    if on:
        P = np.vstack([P, np.array(on)])
    got = A.sign_vectors(P)
    assert got.dtype == np.int8 and got.shape == (len(P), A.n_hyperplanes)
    assert np.array_equal(got, exact_signs(zoo_case.normals, zoo_case.offsets, P))


def test_sign_vectors_of_exact_points(exact_signs):
    A = Arrangement([[1, 1], [2, -1]], [Fraction(1, 3), 0])
    P = [[Fraction(1, 6), Fraction(1, 6)], [Fraction(1, 3), Fraction(2, 3)], [0, 1]]
    assert np.array_equal(A.sign_vectors(P), exact_signs([[1, 1], [2, -1]], [Fraction(1, 3), 0], P))
    assert A.sign_vectors(P)[0, 0] == 0  # on the first hyperplane


def test_sign_convention():
    """Positive side is ``a . w > b``; for data, +1 = active unit."""
    A = Arrangement([[1.0, 0.0]], [2.0])
    assert A.sign_vectors([[3.0, 0.0], [1.0, 0.0], [2.0, 5.0]]).tolist() == [[1], [-1], [0]]
    D = Arrangement.from_points([[0.0], [1.0], [2.0]])
    assert D.sign_vectors([[1.0, -0.5]]).tolist() == [[-1, 1, 1]]


# ================================================================== immutability, equality
def test_arrangement_is_immutable():
    A = Arrangement([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0])
    assert not A.normals.flags.writeable and not A.offsets.flags.writeable
    with pytest.raises(AttributeError):
        A.normals = np.eye(2)
    with pytest.raises(ValueError):
        A.normals[0, 0] = 5.0
    src = np.array([[1.0, 0.0]])
    B = Arrangement(src)
    src[0, 0] = 7.0  # the arrangement owns a copy
    assert B.normals[0, 0] == 1.0


def test_equality_and_hash():
    A = Arrangement([[1, 0], [0, 1]])
    B = Arrangement(np.array([[1, 0], [0, 1]]))
    assert A == B and hash(A) == hash(B)
    assert A != Arrangement([[1, 0], [0, 2]])
    assert A != Arrangement([[1, 0], [0, 1]], [0, 1])
    assert {A, B} == {A}
    assert "2 central hyperplanes in R^2" in repr(A)


# ================================================================== edits
def test_deletion_and_union_return_new_objects():
    A = Arrangement([[1, 0], [0, 1], [1, 1]])
    D = A.deletion(1)
    assert D.normals.tolist() == [[1, 0], [1, 1]] and A.n_hyperplanes == 3
    assert A.deletion([0, 2]).normals.tolist() == [[0, 1]]
    U = D.union(Arrangement([[0, 1]]))
    assert U.n_hyperplanes == 3 and count_chambers(U) == count_chambers(A)
    E = A.deletion([0, 1, 2])
    assert E.n_hyperplanes == 0 and E.dim == 2 and count_chambers(E) == 1
    mixed = Arrangement([[1.0, 0.5]]).union(Arrangement([[Fraction(1, 3), 1]]))
    assert mixed.is_exact and mixed.normals[0, 1] == Fraction(1, 2)
    with pytest.raises(ValidationError, match="other"):
        A.union(Arrangement([[1, 0, 0]]))


def _same_hyperplane(a, b, c, d):
    """Exactly: {a . w = b} == {c . w = d}  (both (a, -b) and (c, -d) proportional)."""
    u = [Fraction(v) for v in a] + [-Fraction(b)]
    v = [Fraction(x) for x in c] + [-Fraction(d)]
    return all(u[i] * v[j] == u[j] * v[i] for i in range(len(u)) for j in range(len(u)))


def test_deletion_restriction_recurrence(zoo_case, exact_chambers):
    """r(A) = r(A - H) + r(A^H) for every hyperplane H that is not repeated."""
    A = zoo_case.arrangement()
    r = len(exact_chambers(zoo_case.normals, zoo_case.offsets))
    off = zoo_case.offsets or [0] * A.n_hyperplanes
    checked = 0
    for i in range(A.n_hyperplanes):
        if any(j != i and _same_hyperplane(zoo_case.normals[i], off[i], zoo_case.normals[j], off[j])
               for j in range(A.n_hyperplanes)):
            continue
        R = A.restriction(i)
        assert R.dim == A.dim - 1 or (A.dim == 1 and R.n_hyperplanes == 0)
        assert count_chambers(A.deletion(i)) + count_chambers(R) == r
        checked += 1
    if A.n_hyperplanes and zoo_case.name not in ("duplicates", "antiparallel", "affine_repeated"):
        assert checked > 0


def test_restriction_of_lines_in_the_plane():
    # x = 0, y = 0, x + y = 1, x - y = 0 restricted to x = 0: points y = 0, y = 1, y = 0
    A = Arrangement([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 1, 0])
    R = A.restriction(0)
    assert R.dim == 1 and R.is_exact
    assert count_chambers(R) == 3  # two distinct points on a line


# ================================================================== chambers doors
def test_methods_delegate_to_the_free_functions(zoo):
    A = zoo["figure1"].arrangement()
    assert np.array_equal(A.chambers().packed, enumerate_chambers(A).packed)
    assert A.count_chambers() == count_chambers(A) == 22
    assert A.count_chambers(method="lattice") == 22


# ================================================================== validation
def _raises(fn, exc, *needles):
    with pytest.raises(exc) as info:
        fn()
    for n in needles:
        assert n in str(info.value), f"{n!r} not named in: {info.value}"
    return info.value


BUG_FLOAT_LISTS = ()  # fixed: nested lists of floats are checked for NaN/inf

BAD_INPUT = [
    ("nan_points_array", lambda: Arrangement.from_points(np.array([[np.nan, 0.0]])), "`X`"),
    ("inf_points_array", lambda: homogenize(np.array([[np.inf]])), "`X`"),
    ("ragged_points", lambda: Arrangement.from_points([[1.0, 0.0], [1.0]]), "`X`"),
    ("ragged_normals", lambda: Arrangement([[1.0, 0.0], [1.0]]), "`normals`"),
    ("empty_points", lambda: Arrangement.from_points([]), "`X`"),
    ("empty_points_2d", lambda: Arrangement.from_points(np.zeros((0, 2))), "`X`"),
    ("three_dim_points", lambda: Arrangement.from_points(np.zeros((2, 2, 2))), "`X`"),
    ("scalar_points", lambda: Arrangement.from_points(3.0), "`X`"),
    ("none_points", lambda: Arrangement.from_points(None), "`X`"),
    ("bool_points", lambda: Arrangement.from_points([[True, False]]), "`X`"),
    ("bool_array_points", lambda: Arrangement.from_points(np.array([[True, False]])), "`X`"),
    ("bool_mixed_points", lambda: Arrangement.from_points([[1, True]]), "`X`"),
    ("string_points", lambda: Arrangement.from_points([["a", "b"]]), "`X`"),
    ("string_array_points", lambda: Arrangement.from_points(np.array([["1", "2"]])), "`X`"),
    ("complex_points", lambda: Arrangement.from_points(np.array([[1 + 1j, 0]])), "`X`"),
    ("irrational_sympy", lambda: Arrangement.from_points([[__import__("sympy").sqrt(2), 0]]), "`X`"),
    ("zero_normal_int", lambda: Arrangement([[0, 0], [1, 0]]), "`normals`"),
    ("zero_normal_float", lambda: Arrangement([[0.0, 0.0], [1.0, 0.0]]), "`normals`"),
    ("offsets_shape", lambda: Arrangement([[1, 0]], [1, 2]), "`offsets`"),
    ("offsets_bool", lambda: Arrangement([[1.0, 0.0]], [True]), "`offsets`"),
    ("offsets_string", lambda: Arrangement([[1.0, 0.0]], ["a"]), "`offsets`"),
    ("dim_mismatch", lambda: Arrangement([[1, 0]], dim=3), "`normals`"),
    ("empty_without_columns", lambda: Arrangement([]), "`normals`"),
    ("dim_zero", lambda: Arrangement(np.zeros((0, 0)), dim=0), "`dim`"),
    ("sign_vectors_wrong_dim", lambda: Arrangement([[1, 0]]).sign_vectors([[1.0, 2.0, 3.0]]),
     "`points`"),
    ("sign_vectors_nan_array", lambda: Arrangement([[1, 0]]).sign_vectors(np.array([[np.nan, 0.0]])),
     "`points`"),
    ("activation_W_shape", lambda: activation_patterns([[0.0], [1.0]], [[1.0, 2.0, 3.0]]), "`W`"),
    ("activation_W_nan_array", lambda: activation_patterns([[0.0]], np.array([[np.nan, 0.0]])),
     "`W`"),
    ("zonotope_nan_generators_array", lambda: Zonotope(np.array([[np.nan, 0.0]])), "`generators`"),
    ("zonotope_empty", lambda: Zonotope(np.zeros((0, 2))), "`generators`"),
    ("zonotope_ragged", lambda: Zonotope([[1, 2], [3]]), "`generators`"),
    ("zonotope_string", lambda: Zonotope([["x", "y"]]), "`generators`"),
    ("support_function_wrong_dim", lambda: Zonotope([[1.0, 0.0]]).support_function([[1.0]]),
     "`directions`"),
    ("enumerate_not_an_arrangement", lambda: enumerate_chambers([[1, 0]]), "`arr`"),
    ("enumerate_bad_method", lambda: enumerate_chambers(Arrangement([[1, 0]]), method="x"),
     "`method`"),
    ("count_bad_method", lambda: count_chambers(Arrangement([[1, 0]]), method="x"), "`method`"),
    ("enumerate_bad_rng", lambda: enumerate_chambers(Arrangement([[1, 0]]), rng="seed"), "`rng`"),
    # ---- known bugs
    pytest.param("zonotope_inf_generators_list", lambda: Zonotope([[float("inf"), 0.0]]),
                 "`generators`", marks=BUG_FLOAT_LISTS),
    pytest.param("zonotope_nan_center", lambda: Zonotope([[1.0, 0.0]], center=[float("nan"), 0.0]),
                 "`center`", marks=BUG_FLOAT_LISTS),
    pytest.param("support_function_nan", lambda: Zonotope([[1.0, 0.0]]).support_function(
        [[float("nan"), 0.0]]), "`directions`", marks=BUG_FLOAT_LISTS),
    pytest.param("contains_nan", lambda: Zonotope([[1.0, 0.0]]).contains([float("nan"), 0.0]),
                 "`point`", marks=BUG_FLOAT_LISTS),
    pytest.param("enumerate_max_chambers_string", lambda: enumerate_chambers(
        Arrangement([[1, 0]]), max_chambers="many"), "`max_chambers`"),
    pytest.param("nan_normals_list", lambda: Arrangement([[float("nan"), 0.0]]), "`normals`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("inf_normals_list", lambda: Arrangement([[float("inf"), 0.0]]), "`normals`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("nan_offsets", lambda: Arrangement([[1.0, 0.0]], [float("nan")]), "`offsets`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("inf_points_list", lambda: homogenize([[float("inf")]]), "`X`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("nan_points_list_names_X", lambda: Arrangement.from_points([[float("nan")]]), "`X`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("activation_W_nan_list", lambda: activation_patterns([[0.0]], [[float("nan"), 0.0]]),
                 "`W`", marks=BUG_FLOAT_LISTS),
    pytest.param("sign_vectors_inf_list", lambda: Arrangement([[1.0, 0.0]]).sign_vectors(
        [[float("inf"), 0.0]]), "`points`", marks=BUG_FLOAT_LISTS),
    pytest.param("chamber_of_point_nan", lambda: chamber_of_point(Arrangement([[1.0, 0.0]]),
                                                                 [float("nan"), 0.0]), "`w`",
                 marks=BUG_FLOAT_LISTS),
    pytest.param("inf_offsets_with_int_normals", lambda: Arrangement([[1, 0]], [float("inf")]),
                 "`offsets`"),
    pytest.param("dim_bool", lambda: Arrangement(np.zeros((0, 2)), dim=True), "`dim`"),
    pytest.param("empty_normals_dim_mismatch", lambda: Arrangement(np.zeros((0, 2)), dim=3),
                 "`normals`"),
]


BAD_INPUT = [c if hasattr(c, "marks") else pytest.param(*c, id=c[0]) for c in BAD_INPUT]
BAD_INPUT = [pytest.param(*c.values, marks=c.marks, id=c.values[0]) for c in BAD_INPUT]


@pytest.mark.parametrize("name,fn,param", BAD_INPUT)
def test_bad_input_raises_validation_error_naming_the_parameter(name, fn, param):
    err = _raises(fn, ValidationError, param)
    assert isinstance(err, ValueError) and isinstance(err, ZonotopeError)
    assert "got" in str(err) or "must" in str(err)


def test_exact_string_input_is_accepted():
    A = Arrangement.from_points([["1", "2/3"]])
    assert A.normals.tolist() == [[1, Fraction(2, 3), 1]]


def test_empty_arrangement_needs_a_dimension():
    A = Arrangement(np.zeros((0, 2)))
    assert A.dim == 2 and A.n_hyperplanes == 0 and A.rank == 0 and A.is_central
    assert A.sign_vectors([[1.0, 2.0]]).shape == (1, 0)
    assert len(enumerate_chambers(A)) == 1


def test_validation_error_is_raised_before_work_for_zonotopes():
    with pytest.raises(ValidationError, match="`generators`"):
        Zonotope([[np.nan, 0]])
    with pytest.raises(ValidationError, match="`generators`"):
        Zonotope([[True, False]])
    with pytest.raises(ValidationError, match="`center`"):
        Zonotope([[1, 0]], center=[1, 2, 3])


@pytest.mark.parametrize("n", [1, 2, 3])
def test_points_on_a_line_are_not_essential(n):
    P = [[float(t), float(2 * t + 1)] for t in range(n + 1)]
    A = Arrangement.from_points(P)
    assert A.rank == min(2, n + 1) and not A.is_essential
    assert count_chambers(A) == 2 * (n + 1)


def test_sign_vectors_vectorised_shape():
    A = Arrangement.from_points([[0.0], [1.0]])
    assert A.sign_vectors([[1.0, 0.5]]).shape == (1, 2)
    assert A.sign_vectors([1.0, 0.5]).shape == (1, 2)  # one point as a 1-D array
    with pytest.raises(ValidationError, match="`points`"):  # an empty batch is refused
        A.sign_vectors(np.zeros((0, 2)))


@pytest.mark.parametrize("N", [2, 3, 4])
def test_rank_of_repeated_and_antiparallel(N, exact_linalg):
    rows = [[1, 2, 3]] * N + [[-2, -4, -6], [0, 0, 5]]
    A = Arrangement(rows)
    assert A.rank == exact_linalg.rank(exact_linalg.matrix(rows)) == 2


def test_all_subsets_rank_matches_oracle(zoo, exact_linalg):
    c = zoo["grid_3x3_float"]
    A = c.arrangement()
    rows = exact_linalg.matrix(c.normals)
    for S in itertools.combinations(range(A.n_hyperplanes), 3):
        sub = Arrangement([c.normals[i] for i in S])
        assert sub.rank == exact_linalg.rank([rows[i] for i in S])
