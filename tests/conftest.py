"""Shared fixtures for the whole test suite: the degenerate-case zoo, oracles, markers.

Everything here is *independent* of the code under test: the oracles below use only
numpy, scipy (``linprog``) and :mod:`fractions`, never :mod:`zonotope` internals, so a
test comparing the package with an oracle compares two different computations.

Fixtures
--------
``zoo_case``
    Parametrised over :data:`ZOO` (one test per case; ids are the case names).  Each
    case is a :class:`ZooCase` with ``normals``/``offsets`` (plain Python numbers), an
    optional ``points`` (data sets), a hand-derived ``n_chambers`` and a ``kind``
    (``"data"``, ``"central"`` or ``"affine"``).  Build the arrangement with
    ``case.arrangement()``.
``zoo_data_case``
    Like ``zoo_case`` but only the data sets (``kind == "data"``, ``points`` set).
``zoo_central_case``
    Like ``zoo_case`` but only the central arrangements (data sets included).
``zoo``
    The dict ``name -> ZooCase`` (session scope), to pick cases by name.
``zonotope_case``
    Parametrised over :data:`ZONOTOPE_ZOO` (generators incl. zero and repeated ones).
``exact_chambers``
    ``f(normals, offsets=None) -> set of sign tuples``: every chamber, decided
    exactly (Gordan's alternative via the signed circuits, rational arithmetic).
``lp_chambers``
    ``f(normals, offsets=None) -> set of sign tuples``: every chamber, decided by a
    float LP (maximise ``t`` s.t. ``s_j (a_j . w - b_j) >= t``), a brute-force search
    over sign vectors with prefix pruning; only for well-conditioned inputs.
``exact_signs``
    ``f(normals, offsets, points) -> int array``: signs of ``a_j . p - b_j`` in
    :class:`fractions.Fraction` arithmetic (floats taken at their binary value).
``to_fraction``
    Convert one number (int, float, Fraction, sympy Rational, numpy scalar) exactly.
``rng``
    A seeded ``numpy.random.Generator`` (fresh per test).
``tiny_relu_data``
    A 1-D regression set fitted *exactly* (zero loss) by one ReLU unit, with the unit.

Markers: ``slow`` (deselected by default; ``pytest -m slow``), ``exact`` (tests of
exact arithmetic), ``sage`` (needs passagemath-polyhedra).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "exact: checks exact (rational) arithmetic against an oracle")
    # (``slow`` and ``sage`` are declared in pyproject.toml)


# ============================================================== exact arithmetic helpers
def to_fraction(v) -> Fraction:
    """Exact rational value of ``v`` (a float is taken at its binary value)."""
    if isinstance(v, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, (float, np.floating)):
        return Fraction(float(v))
    p, q = getattr(v, "p", None), getattr(v, "q", None)  # sympy.Rational
    if p is not None and q is not None:
        return Fraction(int(p), int(q))
    return Fraction(v)


def _frac_matrix(M):
    return [[to_fraction(v) for v in row] for row in M]


def _rref(M):
    """Reduced row echelon form of a list of Fraction rows; returns (rows, pivots)."""
    A = [list(r) for r in M]
    n_cols = len(A[0]) if A else 0
    piv, r = [], 0
    for c in range(n_cols):
        p = next((i for i in range(r, len(A)) if A[i][c] != 0), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        inv = 1 / A[r][c]
        A[r] = [v * inv for v in A[r]]
        for i in range(len(A)):
            if i != r and A[i][c] != 0:
                f = A[i][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[r])]
        piv.append(c)
        r += 1
    return A[:r], piv


def frac_rank(M) -> int:
    """Exact rank of a matrix of Fractions."""
    return len(_rref(M)[1]) if M else 0


def frac_det(M) -> Fraction:
    """Exact determinant (Gaussian elimination over Q)."""
    A = [list(r) for r in M]
    n = len(A)
    det = Fraction(1)
    for c in range(n):
        p = next((i for i in range(c, n) if A[i][c] != 0), None)
        if p is None:
            return Fraction(0)
        if p != c:
            A[c], A[p] = A[p], A[c]
            det = -det
        det *= A[c][c]
        for i in range(c + 1, n):
            if A[i][c] != 0:
                f = A[i][c] / A[c][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[c])]
    return det


def _kernel(cols):
    """Basis of {lam : sum_i lam_i cols[i] = 0} (cols: list of Fraction vectors)."""
    k = len(cols)
    dim = len(cols[0])
    M = [[cols[i][r] for i in range(k)] for r in range(dim)]  # dim x k
    R, piv = _rref(M)
    free = [c for c in range(k) if c not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * k
        v[f] = Fraction(1)
        for i, pc in enumerate(piv):
            v[pc] = -R[i][f]
        basis.append(v)
    return basis


def signed_circuits(rows):
    """All signed circuits of the vector configuration ``rows`` (Fraction vectors).

    A circuit is a minimal linearly dependent subset ``C``; its sign is the sign of the
    (unique up to scaling) dependency ``sum_{i in C} lam_i a_i = 0``.  Returns a list of
    ``(support tuple, sign tuple)``; both orientations are implied.
    """
    n = len(rows)
    if n == 0:
        return []
    r = frac_rank(rows)
    out = []
    for k in range(1, min(n, r + 1) + 1):
        for S in itertools.combinations(range(n), k):
            ker = _kernel([rows[i] for i in S])
            if len(ker) == 1 and all(v != 0 for v in ker[0]):
                out.append((S, tuple(1 if v > 0 else -1 for v in ker[0])))
    return out


def _cone_rows(normals, offsets):
    """Fraction rows of the central cone: ``(a_j, -b_j)`` and the row ``t`` (last)."""
    A = _frac_matrix(normals)
    if offsets is None or all(to_fraction(b) == 0 for b in offsets):
        return A, False
    rows = [a + [-to_fraction(b)] for a, b in zip(A, offsets)]
    dim = len(rows[0]) if rows else 0
    rows.append([Fraction(0)] * (dim - 1) + [Fraction(1)])
    return rows, True


def exact_chamber_signs(normals, offsets=None):
    """Every chamber sign vector of ``{normals . w = offsets}``, decided exactly.

    By Gordan's theorem the strict system ``s_j a_j . w > 0`` (all ``j``) is infeasible
    iff a non-trivial non-negative combination of the ``s_j a_j`` vanishes, iff some
    signed circuit ``X`` satisfies ``s_C = X`` on its support.  Brute force over all
    ``2^N`` sign vectors; affine arrangements are coned (extra row ``t > 0``).
    """
    normals = [list(r) for r in normals]
    if not normals:
        return {()}
    rows, cone = _cone_rows(normals, offsets)
    n = len(rows)
    if n > 16:
        raise ValueError("the exact oracle is brute force: at most 16 hyperplanes")
    S = np.array(list(itertools.product((-1, 1), repeat=n)), dtype=np.int8)
    bad = np.zeros(S.shape[0], dtype=bool)
    for supp, sign in signed_circuits(rows):
        sub = S[:, list(supp)]
        x = np.array(sign, dtype=np.int8)
        bad |= np.all(sub == x, axis=1) | np.all(sub == -x, axis=1)
    good = S[~bad]
    if cone:
        good = good[good[:, -1] == 1][:, :-1]
    return {tuple(int(v) for v in s) for s in good}


def lp_chamber_signs(normals, offsets=None, *, prune=True, tol=1e-9):
    """Every chamber sign vector, decided by a float LP per candidate (brute force).

    ``s`` is a chamber iff ``max t`` s.t. ``s_j (a_j . w - b_j u) >= t``, ``u >= t``
    (affine case), ``|w|, |u| <= 1`` has ``t* > tol`` (rows scaled to unit norm).
    With ``prune=True`` sign vectors are grown hyperplane by hyperplane and an
    infeasible prefix is never extended (feasibility is monotone under deletion); a
    child whose sign agrees with the parent's witness is accepted without an LP.
    ``prune=False`` solves all ``2^N`` LPs.
    """
    from scipy.optimize import linprog

    A = np.array([[float(to_fraction(v)) for v in r] for r in normals], dtype=float)
    n = len(A)
    if n == 0:
        return {()}
    b = np.zeros(n) if offsets is None else np.array([float(to_fraction(v)) for v in offsets])
    affine = bool(np.any(b != 0))
    C = np.hstack([A, -b[:, None]]) if affine else A
    C = C / np.linalg.norm(C, axis=1, keepdims=True)
    nv = C.shape[1]

    def solve(signs):
        k = len(signs)
        rows = -(np.asarray(signs, dtype=float)[:, None] * C[:k])
        A_ub = np.hstack([rows, np.ones((k, 1))])
        b_ub = np.zeros(k)
        if affine:
            extra = np.zeros((1, nv + 1))
            extra[0, nv - 1] = -1.0
            extra[0, nv] = 1.0
            A_ub = np.vstack([A_ub, extra])
            b_ub = np.r_[b_ub, 0.0]
        res = linprog(np.r_[np.zeros(nv), -1.0], A_ub=A_ub, b_ub=b_ub,
                      bounds=[(-1, 1)] * nv + [(None, 1)], method="highs")
        assert res.status == 0, res.message
        return -res.fun, res.x[:nv]

    if not prune:
        out = set()
        for s in itertools.product((-1, 1), repeat=n):
            if solve(s)[0] > tol:
                out.add(tuple(s))
        return out
    level = [((), None)]
    for j in range(n):
        nxt = []
        for s, w in level:
            v = None if w is None else float(C[j] @ w)
            for sg in (-1, 1):
                t = s + (sg,)
                if v is not None and sg * v > tol:
                    nxt.append((t, w))
                    continue
                val, w2 = solve(t)
                if val > tol:
                    nxt.append((t, w2))
        level = nxt
    return {s for s, _ in level}


def exact_sign_matrix(normals, offsets, points):
    """Signs of ``a_j . p - b_j`` for every point (rows) and hyperplane (columns), exactly."""
    A = _frac_matrix(normals)
    b = [Fraction(0)] * len(A) if offsets is None else [to_fraction(v) for v in offsets]
    out = np.zeros((len(points), len(A)), dtype=np.int8)
    for i, p in enumerate(points):
        pf = [to_fraction(v) for v in p]
        for j, (a, bj) in enumerate(zip(A, b)):
            v = sum(x * y for x, y in zip(a, pf)) - bj
            out[i, j] = (v > 0) - (v < 0)
    return out


# ============================================================== the zoo
@dataclass(frozen=True)
class ZooCase:
    """A named arrangement with a hand-derived chamber count.

    ``normals``/``offsets`` are plain nested lists (ints, floats or Fractions), so
    oracles never see a :mod:`zonotope` object.  For ``kind == "data"`` the normals
    are the homogenised ``points`` and the arrangement is built with
    ``Arrangement.from_points(points)``.  ``dim`` is the ambient dimension of the
    arrangement (``n_features + 1`` for data); ``tags`` are free-form labels
    (``"generic"``, ``"float"``, ``"exact"``, ``"grid"``) for filtering.
    """

    name: str
    kind: str  # "data" | "central" | "affine"
    normals: list
    offsets: list | None = None
    points: list | None = None
    n_chambers: int | None = None
    dim: int | None = None
    note: str = ""
    tags: frozenset = field(default_factory=frozenset)

    @property
    def n_hyperplanes(self):
        return len(self.normals)

    def arrangement(self):
        """Build the :class:`zonotope.Arrangement` of this case."""
        from zonotope import Arrangement

        if self.kind == "data":
            return Arrangement.from_points(self.points)
        if not self.normals:
            return Arrangement(np.zeros((0, self.dim)), dim=self.dim)
        return Arrangement(self.normals, self.offsets)


def _data(name, points, n_chambers, note="", tags=()):
    pts = [list(p) if isinstance(p, (list, tuple)) else [p] for p in points]
    one = 1.0 if any(isinstance(v, float) for p in pts for v in p) else 1
    normals = [p + [one] for p in pts]
    return ZooCase(name, "data", normals, None, pts, n_chambers, len(normals[0]), note,
                   frozenset(tags))


def _arr(name, normals, offsets, n_chambers, note="", dim=None, tags=()):
    kind = "central" if offsets is None or all(v == 0 for v in offsets) else "affine"
    return ZooCase(name, kind, [list(r) for r in normals], offsets, None, n_chambers,
                   dim if dim is not None else len(normals[0]), note, frozenset(tags))


F = Fraction

#: The degenerate-case zoo; counts are derived by hand (see each ``note``).
ZOO = {c.name: c for c in [
    _data("figure1", [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0]], 22,
          "5 generic points in R^2: 2*(C(4,0)+C(4,1)+C(4,2))", tags={"generic"}),
    _data("generic_float_plane", [[0.3, -1.7], [2.25, 0.4], [-1.1, 0.9], [0.7, 1.3]], 14,
          "4 generic float points in R^2: 2*(1+3+3)", tags={"generic", "float"}),
    _data("single_point", [[0.5, 0.25]], 2, "one hyperplane", tags={"float"}),
    _data("one_dim_data", [[0], [1], [3]], 6, "1-D data: 2N"),
    _data("duplicates", [[0, 0], [1, 0], [0, 1], [1, 0], [0, 0]], 8,
          "3 distinct generic points (2*(1+2+1)); duplicates share signs"),
    _data("collinear", [[0, 0], [1, 1], [2, 2], [3, 3]], 8,
          "all points on a line: non-essential, behaves like 1-D data (2N)"),
    _data("collinear_plus_one", [[0, 0], [1, 0], [2, 0], [0, 1]], 12,
          "chi = t^3 - 4t^2 + 5t - 2"),
    _data("dyadic_collinear_float", [[0.5, 0.25], [1.0, 0.5], [1.5, 0.75], [0.0, 0.0],
                                     [0.25, 1.0]], 16,
          "4 exactly collinear binary floats + 1: chi = t^3 - 5t^2 + 7t - 3", tags={"float"}),
    _data("grid_2x3", [[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [2, 1]], 28,
          "2 lines of 3 points (|mu| = 2) + 9 other pairs: chi = t^3 - 6t^2 + 13t - 8",
          tags={"grid"}),
    _data("grid_3x3_float", [[float(i), float(j)] for i in range(3) for j in range(3)], 58,
          "integer grid as floats: 8 lines of 3 + 12 other pairs: chi = t^3 - 9t^2 + 28t - 20",
          tags={"grid", "float"}),
    _data("few_points_high_dim", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 8,
          "N <= d + 1: the normals are independent, 2^N chambers"),
    _data("fractions", [[F(1, 3), F(1, 7)], [F(2, 3), F(2, 7)], [F(1, 1), F(3, 7)],
                        [F(-1, 5), F(1, 2)]], 12,
          "3 collinear rationals + 1 (same lattice as collinear_plus_one)", tags={"exact"}),
    _arr("empty", [], None, 1, "no hyperplane: one chamber", dim=3),
    _arr("central_lines", [[1, 0], [0, 1], [1, 1]], None, 6, "3 lines through 0: 2n"),
    _arr("antiparallel", [[1, 0], [-1, 0], [2, 0], [0, 1], [0, -3]], None, 4,
         "only 2 distinct lines (repeated and antiparallel normals)"),
    _arr("non_essential_3d", [[1, 0, 0], [0, 1, 0], [1, 1, 0]], None, 6,
         "rank 2 in R^3 (a line of lineality): 6"),
    _arr("coordinate_3", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], None, 8, "2^3"),
    _arr("braid_4", [[1 if k == i else -1 if k == j else 0 for k in range(4)]
                     for i, j in itertools.combinations(range(4), 2)], None, 24, "4!"),
    _arr("generic_affine", [[1, 0], [0, 1], [1, 1]], [0, 0, 1], 7,
         "3 generic lines: 1 + n + C(n,2)"),
    _arr("concurrent_affine", [[1, 0], [0, 1], [1, 1]], [1, 1, 2], 6,
         "3 lines through (1, 1): 2n"),
    _arr("parallel_affine", [[1, 0], [1, 0], [1, 0], [0, 1]], [0, 1, 2, 0], 8,
         "x = 0, 1, 2 and y = 0: 4 * 2"),
    _arr("parallel_only_affine", [[1, 0], [2, 0], [-1, 0]], [0, 2, -3], 4,
         "x = 0, 1, 3 (non-essential): 4"),
    _arr("affine_1d", [[1], [1], [2]], [0, 1, 3], 4, "points 0, 1, 1.5 on the line: 4"),
    _arr("affine_repeated", [[1, 1], [2, 2], [1, -1]], [1, 2, 0], 4,
         "a hyperplane given twice (scaled) + a crossing one"),
    _arr("affine_fraction", [[F(1, 3), 0], [0, F(2, 5)], [1, 1]], [F(1, 3), F(2, 5), 2], 6,
         "x = 1, y = 1, x + y = 2 as rationals: concurrent", tags={"exact"}),
]}

#: Zonotopes with known vertex counts (zero and repeated generators included).
ZONOTOPE_ZOO = {
    "square": ([[1, 0], [0, 1]], 4),
    "hexagon": ([[1, 0], [0, 1], [1, 1]], 6),
    "zero_generators": ([[0, 0], [1, 0], [0, 0], [0, 1]], 4),
    "all_zero": ([[0, 0, 0], [0, 0, 0]], 1),
    "repeated": ([[1, 0], [2, 0], [0, 1]], 4),
    "antiparallel": ([[1, 1], [-1, -1], [1, 0]], 4),
    "flat_in_3d": ([[1, 0, 0], [0, 1, 0], [1, 1, 0]], 6),
    "cube_float": ([[0.5, 0.0, 0.0], [0.0, 0.25, 0.0], [0.0, 0.0, 2.0]], 8),
    "segment": ([[3, 4]], 2),
}


@pytest.fixture(params=sorted(ZOO), ids=str)
def zoo_case(request) -> ZooCase:
    """Each case of :data:`ZOO` in turn."""
    return ZOO[request.param]


@pytest.fixture(params=sorted(n for n, c in ZOO.items() if c.kind == "data"), ids=str)
def zoo_data_case(request) -> ZooCase:
    """Each *data* case of :data:`ZOO` (``case.points`` is set) in turn."""
    return ZOO[request.param]


@pytest.fixture(params=sorted(n for n, c in ZOO.items() if c.kind != "affine"), ids=str)
def zoo_central_case(request) -> ZooCase:
    """Each *central* case of :data:`ZOO` (data sets included) in turn."""
    return ZOO[request.param]


@pytest.fixture(scope="session")
def zoo() -> dict[str, ZooCase]:
    """The whole zoo as a dict ``name -> ZooCase``."""
    return ZOO


@pytest.fixture(params=sorted(ZONOTOPE_ZOO), ids=str)
def zonotope_case(request) -> tuple[str, list, int]:
    """``(name, generators, n_vertices)`` for each entry of :data:`ZONOTOPE_ZOO`."""
    G, n = ZONOTOPE_ZOO[request.param]
    return request.param, G, n


# ============================================================== oracle fixtures
@pytest.fixture(scope="session")
def exact_chambers():
    """Exact brute-force chamber oracle (see :func:`exact_chamber_signs`)."""
    return exact_chamber_signs


@pytest.fixture(scope="session")
def lp_chambers():
    """Float-LP brute-force chamber oracle (see :func:`lp_chamber_signs`)."""
    return lp_chamber_signs


@pytest.fixture(scope="session")
def exact_signs():
    """Exact sign matrix oracle (see :func:`exact_sign_matrix`)."""
    return exact_sign_matrix


@pytest.fixture(scope="session", name="to_fraction")
def _to_fraction_fixture():
    """Exact conversion of one number to :class:`fractions.Fraction`."""
    return to_fraction


@pytest.fixture(scope="session")
def exact_linalg():
    """Namespace with exact helpers ``det``, ``rank``, ``circuits`` over Fractions."""

    class _NS:
        det = staticmethod(frac_det)
        rank = staticmethod(frac_rank)
        circuits = staticmethod(signed_circuits)
        matrix = staticmethod(_frac_matrix)

    return _NS


@pytest.fixture
def rng():
    """A seeded generator (fresh for every test, so tests do not share a stream)."""
    return np.random.default_rng(20240607)


@dataclass(frozen=True)
class TinyReLUData:
    """1-D data ``y = relu(x - 1)`` on ``x = 0, 1, 2, 3``: a single ReLU unit
    ``w = (1, -1)`` (acting on ``(x, 1)``) with output weight 1 fits it exactly, so the
    unregularised squared-loss ERM value of any width >= 1 network is 0.  Its activation
    pattern ``(0, 0, 1, 1)`` (a tie at ``x = 1`` counts as inactive) is a chamber of the
    data arrangement."""

    X: Any
    y: Any
    w: Any
    alpha: float
    pattern: tuple
    erm_value: float


@pytest.fixture(scope="session")
def tiny_relu_data() -> TinyReLUData:
    """A tiny ReLU regression set with a known exact empirical-risk minimiser."""
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0.0, 0.0, 1.0, 2.0])
    return TinyReLUData(X=X, y=y, w=np.array([1.0, -1.0]), alpha=1.0,
                        pattern=(0, 0, 1, 1), erm_value=0.0)
