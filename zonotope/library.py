"""Named arrangements, data sets and zonotopes with closed-form invariants.

Every construction states its known invariants (chamber or vertex counts, face
numbers, characteristic polynomials) in its docstring; the test suite recomputes them
by enumeration and brute force (``tests/zonotope/test_chambers.py``,
``test_zonotope.py``, ``test_lattice.py``).  All
constructions use integer coordinates, so they are exact (object arrays of ``int``).

================================  ==================================  =====================================
construction                      object                              chambers / vertices
================================  ==================================  =====================================
``braid_arrangement(n)``          ``x_i = x_j`` in ``R^n``            ``n!``
``shi_arrangement(n)``            ``x_i - x_j in {0, 1}``             ``(n+1)^(n-1)``
``catalan_arrangement(n)``        ``x_i - x_j in {-1, 0, 1}``         ``n! C_n``
``linial_arrangement(n)``         ``x_i - x_j = 1``                   alternating trees (2, 7, 36, ...)
``semiorder_arrangement(n)``      ``x_i - x_j in {-1, 1}``            labelled semiorders (3, 19, 183, ...)
``threshold_arrangement(n)``      ``x_i + x_j = 0``                   threshold graphs (2, 8, 46, ...)
``resonance_arrangement(n)``      ``sum_{i in S} x_i = 0``            2, 6, 32, 370, 11292, 1066044, ...
``coordinate_arrangement(d)``     ``x_i = 0`` in ``R^d``              ``2^d``
``generic_arrangement(n, d)``     generic central, ``R^d``            ``2 sum_{k<d} C(n-1, k)``
``generic_points(N, d)``          data in general position            ``2 sum_{k<=d} C(N-1, k)``
``figure1_points()``              5 points in ``R^2``                 ``22``
``cube(d)``                       ``sum_i [0, e_i]``                  ``2^d``
``permutohedron(n)``              ``sum_{i<j} [0, e_i - e_j]``        ``n!``
================================  ==================================  =====================================
"""

from __future__ import annotations

import numbers
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from . import _exact
from ._validation import check_rng
from .arrangement import Arrangement
from .exceptions import ValidationError, ZonotopeError
from .zonotope import Zonotope

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "braid_arrangement",
    "shi_arrangement",
    "catalan_arrangement",
    "linial_arrangement",
    "semiorder_arrangement",
    "threshold_arrangement",
    "resonance_arrangement",
    "coordinate_arrangement",
    "generic_arrangement",
    "generic_points",
    "figure1_points",
    "cube",
    "permutohedron",
]

#: The five points of the built-in example (also ``zonotope.cli.FIGURE1_POINTS``).
_FIGURE1 = ((-2, -1), (1, -2), (2, 1), (0, 2), (-1, 0))


def _check_int(value, param, func, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValidationError(f"`{param}` of `{func}` must be an int >= {minimum}; "
                              f"got {value!r} instead.")
    if int(value) < minimum:
        raise ValidationError(f"`{param}` of `{func}` must be an int >= {minimum}; "
                              f"got {int(value)} instead.")
    return int(value)


def _int_matrix(rows, n_cols):
    """Object array of Python ints, shape (len(rows), n_cols) (exact input)."""
    out = np.empty((len(rows), n_cols), dtype=object)
    for i, r in enumerate(rows):
        out[i] = [int(v) for v in r]
    return out


def _root_pairs(n):
    """Rows ``e_i - e_j`` (``i < j``) of ``R^n`` as int lists, lexicographic order."""
    rows = []
    for i, j in combinations(range(n), 2):
        r = [0] * n
        r[i], r[j] = 1, -1
        rows.append(r)
    return rows


# --------------------------------------------------------------------- arrangements
def braid_arrangement(n: int) -> Arrangement:
    r"""The braid arrangement (type :math:`A_{n-1}` Coxeter arrangement) in ``R^n``.

    Parameters
    ----------
    n : int, >= 1
        Ambient dimension.

    Returns
    -------
    Arrangement
        The ``n (n - 1) / 2`` central hyperplanes ``x_i = x_j`` (``i < j``), normals
        ``e_i - e_j`` in lexicographic order of ``(i, j)``, exact integers.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    See Also
    --------
    permutohedron : the zonotope whose normal fan this arrangement is.

    Notes
    -----
    Invariants (Stanley 2007, §1.1 and Cor. 2.2):

    * ``n (n - 1) / 2`` hyperplanes, rank ``n - 1`` (not essential: the line
      ``x_1 = ... = x_n`` lies in every hyperplane);
    * the chambers are the ``n!`` orderings ``x_{p(1)} < ... < x_{p(n)}``;
    * characteristic polynomial :math:`\chi(t) = t (t - 1) \cdots (t - n + 1)`;
    * the rank-``k`` flats are the set partitions of ``{1..n}`` into ``n - k``
      blocks (Whitney numbers of the second kind: Stirling numbers ``S(n, n - k)``).

    References
    ----------
    R. P. Stanley, *An introduction to hyperplane arrangements*, in Geometric
    Combinatorics, IAS/Park City Math. Ser. 13, AMS, 2007, pp. 389-496.

    Examples
    --------
    >>> A = braid_arrangement(3)
    >>> A.normals.tolist()
    [[1, -1, 0], [1, 0, -1], [0, 1, -1]]
    >>> A.n_hyperplanes, A.rank, A.count_chambers()
    (3, 2, 6)
    >>> braid_arrangement(1).count_chambers()   # degenerate: no hyperplane, 1! = 1
    1
    """
    n = _check_int(n, "n", "braid_arrangement", 1)
    if n == 1:
        return Arrangement(np.zeros((0, 1)), dim=1)
    return Arrangement(_int_matrix(_root_pairs(n), n))


def _difference_arrangement(n, values, func):
    """Hyperplanes ``x_i - x_j = b`` for ``i < j`` (lexicographic) and ``b`` in ``values``."""
    n = _check_int(n, "n", func, 1)
    rows, offs = [], []
    for i, j in combinations(range(n), 2):
        for b in values:
            r = [0] * n
            r[i], r[j] = 1, -1
            rows.append(r)
            offs.append(int(b))
    if not rows:
        return Arrangement(np.zeros((0, n)), dim=n)
    off = np.empty(len(offs), dtype=object)
    off[:] = offs
    return Arrangement(_int_matrix(rows, n), off)


def shi_arrangement(n: int) -> Arrangement:
    r"""The Shi arrangement ``x_i - x_j = 0, 1`` (``1 <= i < j <= n``) in ``R^n``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``n (n - 1)`` affine hyperplanes, for each pair ``i < j`` (lexicographic) first
        ``x_i - x_j = 0`` then ``x_i - x_j = 1``; exact integers.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    Invariants (Shi 1986; Headley 1997; Stanley 2007, Thm. 5.16):

    * characteristic polynomial :math:`\chi(t) = t (t - n)^{n-1}`;
    * :math:`(n + 1)^{n-1}` regions and :math:`(n - 1)^{n-1}` relatively bounded
      regions (the arrangement is not essential: the line ``x_1 = ... = x_n`` lies
      in every hyperplane direction).

    References
    ----------
    J.-Y. Shi, *The Kazhdan-Lusztig cells in certain affine Weyl groups*, Lecture
    Notes in Math. 1179, Springer, 1986.

    R. P. Stanley, *An introduction to hyperplane arrangements*, IAS/Park City Math.
    Ser. 13, AMS, 2007, Lecture 5.

    Examples
    --------
    >>> A = shi_arrangement(3)
    >>> A.n_hyperplanes, A.n_regions(), A.n_bounded_regions()
    (6, 16, 4)
    >>> A.characteristic_polynomial().as_expr()
    t**3 - 6*t**2 + 9*t
    >>> shi_arrangement(1).n_regions()   # degenerate: no hyperplane
    1
    """
    return _difference_arrangement(n, (0, 1), "shi_arrangement")


def catalan_arrangement(n: int) -> Arrangement:
    r"""The Catalan arrangement ``x_i - x_j = -1, 0, 1`` (``i < j``) in ``R^n``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``3 n (n - 1) / 2`` affine hyperplanes, for each pair ``i < j`` the offsets
        ``-1, 0, 1`` in this order; exact integers.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    Invariants (Stanley 2007, Prop. 5.14 and §5.1):

    * :math:`\chi(t) = t (t - n - 1)(t - n - 2) \cdots (t - 2n + 1)`;
    * :math:`n!\, C_n` regions and :math:`n!\, C_{n-1}` relatively bounded
      regions, with the Catalan numbers :math:`C_n = \binom{2n}{n} / (n + 1)`.

    Examples
    --------
    >>> A = catalan_arrangement(3)
    >>> A.n_regions(), A.n_bounded_regions()     # 3! C_3 = 30, 3! C_2 = 12
    (30, 12)
    >>> catalan_arrangement(1).n_regions()
    1
    """
    return _difference_arrangement(n, (-1, 0, 1), "catalan_arrangement")


def linial_arrangement(n: int) -> Arrangement:
    r"""The Linial arrangement ``x_i - x_j = 1`` (``i < j``) in ``R^n``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``n (n - 1) / 2`` affine hyperplanes in lexicographic order of ``(i, j)``.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    Postnikov and Stanley (2000):
    :math:`\chi(t) = \frac{t}{2^n} \sum_{k=0}^{n} \binom{n}{k} (t - k)^{n-1}`, and
    the number of regions is the number of alternating trees on ``n + 1`` vertices:
    1, 2, 7, 36, 246, 2104, 21652 for ``n = 1, ..., 7``.

    References
    ----------
    A. Postnikov and R. P. Stanley, *Deformations of Coxeter arrangements and their
    characteristic polynomials*, J. Combin. Theory Ser. A 91 (2000) 544-597.
    https://doi.org/10.1006/jcta.2000.3106

    Examples
    --------
    >>> [linial_arrangement(n).n_regions() for n in (1, 2, 3, 4)]
    [1, 2, 7, 36]
    """
    return _difference_arrangement(n, (1,), "linial_arrangement")


def semiorder_arrangement(n: int) -> Arrangement:
    r"""The semiorder arrangement ``x_i - x_j = -1, 1`` (``i < j``) in ``R^n``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``n (n - 1)`` affine hyperplanes, for each pair ``i < j`` the offsets ``-1, 1``.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    The regions correspond to the labelled semiorders on ``n`` elements
    (Stanley 1996; OEIS A006531): 1, 3, 19, 183, 2371, 38703 for ``n = 1, ..., 6``.

    References
    ----------
    R. P. Stanley, *Hyperplane arrangements, interval orders, and trees*, Proc.
    Natl. Acad. Sci. USA 93 (1996) 2620-2625. https://doi.org/10.1073/pnas.93.6.2620

    Examples
    --------
    >>> [semiorder_arrangement(n).n_regions() for n in (1, 2, 3, 4)]
    [1, 3, 19, 183]
    """
    return _difference_arrangement(n, (-1, 1), "semiorder_arrangement")


def threshold_arrangement(n: int) -> Arrangement:
    r"""The threshold arrangement ``x_i + x_j = 0`` (``i < j``) in ``R^n`` (central).

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``n (n - 1) / 2`` central hyperplanes, normals ``e_i + e_j`` in lexicographic
        order of ``(i, j)``.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    The regions correspond to the labelled threshold graphs on ``n`` vertices
    (Stanley 2007, Exercise 5.25; OEIS A005840): 1, 2, 8, 46, 332, 2874 for
    ``n = 1, ..., 6``.

    Examples
    --------
    >>> [threshold_arrangement(n).n_regions() for n in (1, 2, 3, 4, 5)]
    [1, 2, 8, 46, 332]
    """
    n = _check_int(n, "n", "threshold_arrangement", 1)
    rows = []
    for i, j in combinations(range(n), 2):
        r = [0] * n
        r[i], r[j] = 1, 1
        rows.append(r)
    if not rows:
        return Arrangement(np.zeros((0, n)), dim=n)
    return Arrangement(_int_matrix(rows, n))


def resonance_arrangement(n: int) -> Arrangement:
    r"""The resonance (all-subsets) arrangement ``sum_{i in S} x_i = 0``, ``S`` non-empty, in ``R^n``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Arrangement
        ``2^n - 1`` central hyperplanes whose normals are the non-zero 0/1 vectors,
        in lexicographic order (``(0, ..., 0, 1)`` first, ``(1, ..., 1)`` last).

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    Notes
    -----
    Also called the all-subset arrangement.  Numbers of regions (OEIS A034997):
    2, 6, 32, 370, 11292, 1066044, 347326352 for ``n = 1, ..., 7``; a non-empty
    central arrangement has no bounded region.

    References
    ----------
    L. Kühne, *The universality of the resonance arrangement and its Betti numbers*,
    Combinatorica 43 (2023).

    T. Brysiewicz, H. Eble, L. Kühne, *Computing characteristic polynomials of
    hyperplane arrangements with symmetries*, Discrete Comput. Geom. (2023).

    Examples
    --------
    >>> A = resonance_arrangement(3)
    >>> A.n_hyperplanes, A.n_regions(), A.characteristic_polynomial().as_expr()
    (7, 32, t**3 - 7*t**2 + 15*t - 9)
    >>> resonance_arrangement(1).n_regions()
    2
    """
    from itertools import product

    n = _check_int(n, "n", "resonance_arrangement", 1)
    rows = [list(v) for v in product((0, 1), repeat=n) if any(v)]
    return Arrangement(_int_matrix(rows, n))


def coordinate_arrangement(d: int) -> Arrangement:
    r"""The coordinate (Boolean) arrangement ``{x_i = 0}`` in ``R^d``.

    Parameters
    ----------
    d : int, >= 1
        Ambient dimension.

    Returns
    -------
    Arrangement
        ``d`` central hyperplanes with normals ``e_1, ..., e_d`` (exact integers).

    Raises
    ------
    ValidationError
        If ``d`` is not an int >= 1.

    See Also
    --------
    cube : the zonotope whose normal fan this arrangement is.

    Notes
    -----
    The chambers are the ``2^d`` open orthants; the sign vector of a chamber is the
    sign pattern of its points.  Characteristic polynomial :math:`(t - 1)^d`; the
    rank-``k`` flats are the ``C(d, k)`` coordinate subspaces.

    Examples
    --------
    >>> A = coordinate_arrangement(3)
    >>> A.count_chambers(), A.is_essential
    (8, True)
    >>> coordinate_arrangement(1).count_chambers()   # a single point on the line
    2
    """
    d = _check_int(d, "d", "coordinate_arrangement", 1)
    return Arrangement(_int_matrix(np.eye(d, dtype=int).tolist(), d))


def _generic_rows(n_rows, dim, gen, bound, func, lift=None):
    """Random integer rows, every ``min(dim, n_rows)`` of them independent (exact).

    Rows are added one at a time; a candidate is rejected (and redrawn) when it is
    dependent on some ``dim - 1`` of the rows kept so far.  ``lift`` maps a candidate
    to the vector that must be generic (e.g. homogenisation).  The coefficient bound
    doubles after repeated rejections, so the loop always terminates.
    """
    lift = lift or (lambda r: r)
    width = len(lift([0] * dim))
    rows, lifted = [], []
    tries = 0
    while len(rows) < n_rows:
        cand = [int(v) for v in gen.integers(-bound, bound + 1, size=dim)]
        vec = lift(cand)
        if all(v == 0 for v in vec):
            continue
        k = min(width - 1, len(rows))
        ok = True
        if k:
            M = _int_matrix(lifted + [vec], width)
            if len(lifted) + 1 <= width:
                ok = _exact.exact_rank(_exact.ExactRows(M), np.arange(M.shape[0])) == M.shape[0]
            else:
                er = _exact.ExactRows(M)
                idx = np.array([list(S) + [len(lifted)] for S in combinations(range(len(lifted)), k)],
                               dtype=np.intp)
                ok = bool(np.all(er.det_signs(idx) != 0))
        if ok:
            rows.append(cand)
            lifted.append(vec)
            tries = 0
        else:
            tries += 1
            if tries > 50:
                bound *= 2
                tries = 0
                if bound > 2**40:  # pragma: no cover - cannot happen for dim >= 2
                    raise ZonotopeError(f"`{func}` could not find generic integer rows")
    return rows


def generic_arrangement(n_hyperplanes: int, dim: int, rng: int | np.random.Generator | None = None, *,
                        max_coefficient: int | None = None) -> Arrangement:
    r"""A random central arrangement in general position, with integer normals.

    Parameters
    ----------
    n_hyperplanes : int, >= 0
    dim : int, >= 1
    rng : None, int or numpy.random.Generator, optional
        Source of randomness (see SPEC 7).
    max_coefficient : int, optional
        Initial bound on ``|coefficient|``; default ``max(3, n_hyperplanes)``.  It is
        doubled whenever a generic row is hard to find.

    Returns
    -------
    Arrangement
        ``n_hyperplanes`` central hyperplanes in ``R^dim`` whose normals are in
        general position: every ``min(dim, n_hyperplanes)`` of them are linearly
        independent.  This is *verified exactly* (integer determinants).

    Raises
    ------
    ValidationError
        If a size is not an int in range.

    Notes
    -----
    For ``n`` hyperplanes in general position in ``R^dim`` (Buck 1943; Zaslavsky
    1975) the number of chambers is

    .. math:: r = 2 \sum_{k=0}^{\mathrm{dim}-1} \binom{n-1}{k},

    which is ``2^n`` when ``n <= dim``.  Generation cost: ``C(n, dim - 1)`` exact
    determinant signs for the last row (a rejection loop).

    References
    ----------
    T. Zaslavsky, *Facing up to arrangements: face-count formulas for partitions of
    space by hyperplanes*, Mem. Amer. Math. Soc. 154 (1975).
    https://doi.org/10.1090/memo/0154

    Examples
    --------
    >>> A = generic_arrangement(6, 3, rng=0)
    >>> A.n_hyperplanes, A.dim, A.is_essential
    (6, 3, True)
    >>> A.count_chambers() == 2 * (1 + 5 + 10)
    True
    >>> generic_arrangement(0, 2).count_chambers()   # degenerate: empty arrangement
    1
    """
    n = _check_int(n_hyperplanes, "n_hyperplanes", "generic_arrangement", 0)
    dim = _check_int(dim, "dim", "generic_arrangement", 1)
    bound = max(3, n) if max_coefficient is None else _check_int(
        max_coefficient, "max_coefficient", "generic_arrangement", 1)
    gen = check_rng(rng)
    if n == 0:
        return Arrangement(np.zeros((0, dim)), dim=dim)
    rows = _generic_rows(n, dim, gen, bound, "generic_arrangement")
    return Arrangement(_int_matrix(rows, dim))


def generic_points(n_samples: int, n_features: int, rng: int | np.random.Generator | None = None, *,
                   max_coefficient: int | None = None) -> NDArray[np.int64]:
    r"""Random integer data in general position (no ``d + 1`` points on an affine hyperplane).

    Parameters
    ----------
    n_samples : int, >= 1
    n_features : int, >= 1
    rng : None, int or numpy.random.Generator, optional
    max_coefficient : int, optional
        Initial bound on ``|x_ij|``; default ``max(3, n_samples)`` (doubled when a
        generic point is hard to find).

    Returns
    -------
    ndarray of int64, shape (n_samples, n_features)
        Every ``min(n_features + 1, n_samples)`` homogenised points ``(x_i, 1)`` are
        linearly independent (verified exactly); in particular the points are distinct.

    Raises
    ------
    ValidationError
        If a size is not an int in range.

    Notes
    -----
    The data arrangement ``{w : w . (x_i, 1) = 0}`` is then generic, so the number of
    activation patterns of one ReLU unit (chambers = zonotope vertices) is

    .. math:: 2 \sum_{k=0}^{d} \binom{N-1}{k}.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> X = generic_points(7, 2, rng=1)
    >>> X.shape, Arrangement.from_points(X).count_chambers() == 2 * (1 + 6 + 15)
    ((7, 2), True)
    >>> Arrangement.from_points(generic_points(1, 1, rng=0)).count_chambers()   # one point
    2
    """
    n = _check_int(n_samples, "n_samples", "generic_points", 1)
    d = _check_int(n_features, "n_features", "generic_points", 1)
    bound = max(3, n) if max_coefficient is None else _check_int(
        max_coefficient, "max_coefficient", "generic_points", 1)
    gen = check_rng(rng)
    rows = _generic_rows(n, d, gen, bound, "generic_points", lift=lambda r: list(r) + [1])
    return np.array(rows, dtype=np.int64).reshape(n, d)


def figure1_points() -> NDArray[np.int64]:
    """The five points of the built-in example (``zonotope demo``).

    A stand-in for the data of Figure 1 of Matena & Raffel (2022), whose paper does
    not list coordinates.

    Returns
    -------
    ndarray of int64, shape (5, 2)
        ``[[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0]]`` (integers: exact).

    Notes
    -----
    The points are in general position, so the data arrangement has
    ``2 (C(4, 0) + C(4, 1) + C(4, 2)) = 22`` chambers; the zonotope of the homogenised
    points has 22 vertices and 40 edges (2-D data give a 3-D zonotope whose
    f-vector ``(22, 40, 20)`` satisfies Euler's relation ``f0 - f1 + f2 = 2``).

    References
    ----------
    M. Matena and C. Raffel, NeurIPS 2022 (the paper this toolkit implements; see
    the README).

    Examples
    --------
    >>> from zonotope import Arrangement, Zonotope
    >>> X = figure1_points()
    >>> Arrangement.from_points(X).count_chambers()
    22
    >>> Zonotope.from_points(X).f_vector()
    (22, 40, 20, 1)
    """
    return np.array(_FIGURE1, dtype=np.int64)


# --------------------------------------------------------------------- zonotopes
def cube(d: int) -> Zonotope:
    r"""The unit cube ``[0, 1]^d`` as the zonotope of the unit vectors.

    Parameters
    ----------
    d : int, >= 1

    Returns
    -------
    Zonotope
        Generators ``e_1, ..., e_d`` (exact integers), center 0.

    Raises
    ------
    ValidationError
        If ``d`` is not an int >= 1.

    See Also
    --------
    coordinate_arrangement : its normal fan.

    Notes
    -----
    ``2^d`` vertices (the 0/1 vectors; vertex ``k`` has coefficient vector equal to
    its coordinates) and face numbers

    .. math:: f_k = 2^{d-k} \binom{d}{k}, \qquad k = 0, \ldots, d.

    References
    ----------
    G. M. Ziegler, *Lectures on Polytopes*, GTM 152, Springer, 1995.
    https://doi.org/10.1007/978-1-4613-8431-1

    Examples
    --------
    >>> C = cube(3)
    >>> C.n_vertices, C.f_vector()
    (8, (8, 12, 6, 1))
    >>> cube(1).vertices.tolist()   # degenerate: a segment
    [[0.0], [1.0]]
    """
    d = _check_int(d, "d", "cube", 1)
    return Zonotope(_int_matrix(np.eye(d, dtype=int).tolist(), d))


def permutohedron(n: int) -> Zonotope:
    r"""The permutohedron: the convex hull of the permutations of ``(1, 2, ..., n)``.

    Realised as the zonotope ``c + sum_{i<j} [0, e_i - e_j]`` with ``c = (1, ..., n)``.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    Zonotope
        ``n (n - 1) / 2`` generators ``e_i - e_j`` (``i < j``, lexicographic) in
        ``R^n``, exact integers.

    Raises
    ------
    ValidationError
        If ``n`` is not an int >= 1.

    See Also
    --------
    braid_arrangement : its normal fan.

    Notes
    -----
    The vertices are exactly the ``n!`` permutations of ``(1, ..., n)``; the polytope
    has dimension ``n - 1`` (it lies in ``sum_i x_i = n (n + 1) / 2``).  Its faces of
    dimension ``k`` correspond to ordered set partitions of ``{1..n}`` into ``n - k``
    blocks:

    .. math:: f_k = (n-k)!\, S(n, n-k),

    with ``S`` the Stirling numbers of the second kind; e.g. ``n!`` vertices and
    ``n! (n - 1) / 2`` edges.  For ``n = 1`` there are no generators; the zonotope is
    the point ``(1,)`` (given one zero generator).

    References
    ----------
    G. M. Ziegler, *Lectures on Polytopes*, GTM 152, Springer, 1995, Example 0.10.
    https://doi.org/10.1007/978-1-4613-8431-1

    Examples
    --------
    >>> P = permutohedron(3)
    >>> P.n_vertices, P.f_vector()
    (6, (6, 6, 1))
    >>> sorted(map(tuple, P.vertices_exact().tolist()))
    [(1, 2, 3), (1, 3, 2), (2, 1, 3), (2, 3, 1), (3, 1, 2), (3, 2, 1)]
    >>> permutohedron(1).n_vertices   # degenerate: a point
    1
    """
    n = _check_int(n, "n", "permutohedron", 1)
    center = list(range(1, n + 1))
    rows = _root_pairs(n) or [[0] * n]
    return Zonotope(_int_matrix(rows, n), center=center)
