"""Exhaustive exact tests of general position and their witnesses.

A data set ``X`` (``n_samples`` points in ``R^d``) is *in general position* when every
set of at most ``d + 1`` homogenised points ``x_bar_i = (x_i, 1)`` is linearly
independent; a vector configuration is *generic* when every set of at most ``dim``
of its vectors is linearly independent.  The tests here scan every maximal minor
exactly (:class:`zonotope._minors.MinorScan`) and refuse inputs with more than
``max_subsets`` subsets.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _exact
from .._minors import MinorScan
from .._validation import as_homogenized_points
from ..exceptions import TooLargeError, ValidationError
from ._search import (
    DEFAULT_MAX_SUBSETS,
    check_max_subsets,
    dependency_of,
    dependent_subsets,
    parallel_groups,
    probe,
    smallest_dependency,
    too_large_message,
    vector_rows,
    zero_rows,
)
from .certificate import modular_certificate

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .._search import Dependency

__all__ = [
    "is_in_general_position",
    "is_generic_configuration",
    "general_position_witness",
    "linear_dependency_witness",
    "minimal_affine_dependencies",
]


def general_position_witness(X: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS) -> Dependency | None:
    """A smallest set of affinely dependent data points, with exact coefficients.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data points.
    max_subsets : int or None
        Refuse (:class:`TooLargeError`) when more subsets than this would have to be
        scanned; ``None`` scans regardless.

    Returns
    -------
    Dependency or None
        ``None`` when ``X`` is in general position.  Otherwise a dependent subset of
        minimum size (a circuit: 2 repeated points, 3 collinear points, ...) with
        rational coefficients ``c`` such that ``sum_k c_k (x_k, 1) = 0``.

    Raises
    ------
    ValidationError
        If ``X`` is not a finite numeric 2-D array.
    TooLargeError
        If the scan exceeds ``max_subsets``.

    See Also
    --------
    is_in_general_position, minimal_affine_dependencies

    Notes
    -----
    Sizes ``2`` (repeated points, by exact hashing) and ``d + 1`` (one exhaustive
    scan of the ``(d+1)``-minors) are checked first; if a dependent ``(d+1)``-set
    exists it is shrunk to a circuit and the sizes ``3..`` below it are scanned
    exhaustively (each through an exact random integer projection to ``R^k``, whose
    zero minors are confirmed by exact rank).  Cost ``O(sum_k C(n_samples, k))``.

    Examples
    --------
    >>> w = general_position_witness([[0, 0], [1, 1], [5, 0], [2, 2]])
    >>> w.indices, [str(c) for c in w.coefficients]
    ((0, 1, 3), ['-1', '2', '-1'])
    >>> general_position_witness([[0.5, 0.0], [0.0, 1.0], [1.0, 1.0]]) is None
    True
    >>> general_position_witness([[3.0], [3.0]]).indices   # a repeated point
    (0, 1)
    """
    func = "general_position_witness"
    max_subsets = check_max_subsets(max_subsets, func)
    _, Xb = as_homogenized_points(X, func)
    er = _exact.ExactRows(Xb)
    return smallest_dependency(Xb, er, 2, Xb.shape[1], max_subsets, func, "affine")


def linear_dependency_witness(vectors: ArrayLike, *,
                              max_subsets: int = DEFAULT_MAX_SUBSETS) -> Dependency | None:
    """A smallest linearly dependent subset of vectors (at most ``dim`` of them), exactly.

    Parameters
    ----------
    vectors : array_like, shape (n_vectors, dim)
    max_subsets : int or None

    Returns
    -------
    Dependency or None
        ``None`` when every ``min(n_vectors, dim)`` vectors are independent.

    Examples
    --------
    >>> linear_dependency_witness([[1, 0], [0, 1], [2, 0]]).indices
    (0, 2)
    >>> linear_dependency_witness([[0, 0], [1, 2]]).indices   # the zero vector
    (0,)
    >>> linear_dependency_witness([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]) is None
    True
    """
    func = "linear_dependency_witness"
    max_subsets = check_max_subsets(max_subsets, func)
    V = vector_rows(vectors, func)
    er = _exact.ExactRows(V)
    return smallest_dependency(V, er, 1, V.shape[1], max_subsets, func, "linear")


def minimal_affine_dependencies(X: ArrayLike, *, max_size: int | None = None,
                                max_subsets: int = DEFAULT_MAX_SUBSETS) -> list[Dependency]:
    """Every minimal affine dependency (circuit) of at most ``max_size <= d + 1`` points.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_size : int, optional
        Largest circuit size reported (default and maximum ``n_features + 1``).
    max_subsets : int or None

    Returns
    -------
    list of Dependency
        Sorted by size, then indices.  Empty exactly when ``X`` is in general position
        (for ``max_size = d + 1``).

    Notes
    -----
    Used by the ReLU layer to explain the first discontinuity mechanism of
    Matena & Raffel (2022, §4.1): an optimal activation pattern whose *active*
    examples contain one of these circuits has a convex subproblem that may jump when
    the dependency is broken.  Cost ``O(sum_{k <= max_size} C(n_samples, k))``.

    Examples
    --------
    >>> deps = minimal_affine_dependencies([[0, 0], [1, 0], [2, 0], [0, 1], [0, 2]])
    >>> [d.indices for d in deps]
    [(0, 1, 2), (0, 3, 4)]
    >>> minimal_affine_dependencies([[0.0], [1.0]])
    []
    """
    func = "minimal_affine_dependencies"
    max_subsets = check_max_subsets(max_subsets, func)
    _, Xb = as_homogenized_points(X, func)
    N, n = Xb.shape
    if max_size is None:
        max_size = n
    if isinstance(max_size, bool) or not isinstance(max_size, (int, np.integer)) or not 2 <= max_size <= n:
        raise ValidationError(f"`max_size` of `{func}` must be an int in [2, {n}]; got {max_size!r} instead.")
    K = min(int(max_size), N)
    total = sum(math.comb(N, k) for k in range(3, K + 1))
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(f"`{func}` would scan {total:.3g} subsets (> max_subsets={max_subsets:,}).")
    er = _exact.ExactRows(Xb)
    found = []
    for k in range(2, K + 1):
        for sub in dependent_subsets(er, k):
            s = set(sub)
            if any(set(c) <= s for c in found):
                continue
            found.append(tuple(sub))
    found.sort(key=lambda c: (len(c), c))
    return [dependency_of(Xb, c, "affine") for c in found]


# =====================================================================================
# The exhaustive predicates

def _rows_generic(R, er, *, points, max_subsets, func, param):
    N, n = R.shape
    if not points and zero_rows(er):
        return False
    if n >= 2 and parallel_groups(er):
        return False
    if N == 1:
        return True
    rank = _exact.exact_rank(er, np.arange(N))
    if rank < min(N, n):
        return False
    if N <= n:
        return True
    total = math.comb(N, n)
    if max_subsets is not None and total > max_subsets:
        if points and modular_certificate(R[:, :-1]) is not None:
            return True
        raise TooLargeError(too_large_message(func, param, N, n, total, max_subsets,
                                               "subsets of d+1 points" if points else "bases"))
    if total > 1_000_000:
        sub, _, _ = probe(er, 64, np.random.default_rng(0))
        if sub is not None:
            return False
    return MinorScan(er).first_zero() is None


def is_in_general_position(X: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS) -> bool:
    """True when no ``k <= d + 1`` of the data points are affinely dependent (exact).

    Equivalently: every set of at most ``d + 1`` homogenised points ``(x_i, 1)`` is
    linearly independent (no repeated points, no three points on a line, ..., no
    ``d + 1`` points on a hyperplane).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float (taken at its exact binary value) or exact int/Fraction data.
    max_subsets : int or None
        Refuse inputs with more than this many ``(d+1)``-subsets
        (default :data:`DEFAULT_MAX_SUBSETS`); ``None`` enumerates regardless.

    Returns
    -------
    bool

    Raises
    ------
    ValidationError
        If ``X`` is not a finite numeric 2-D array.
    TooLargeError
        If ``C(n_samples, d + 1) > max_subsets`` and no modular certificate (see
        :func:`modular_certificate`) settles the question; the message estimates the
        time of the exhaustive check.

    See Also
    --------
    general_position_witness, general_position_report, perturb_to_general_position

    Notes
    -----
    Exact steps: repeated points (exact hashing, ``O(n d)``), the exact rank, and for
    ``n_samples > d + 1`` the signs of all ``C(n_samples, d+1)`` maximal minors
    (vectorised generalized-Laplace scan with a certified float filter and an exact
    integer fallback, early exit at the first zero).  If any ``d + 1`` points were
    dependent, so would be every set containing them; conversely every smaller
    dependent set extends to a dependent ``(d+1)``-set, so the maximal minors decide.

    Deciding this is coNP-complete when ``d`` is part of the input (Khachiyan 1995),
    hence the size limit.

    References
    ----------
    L. Khachiyan, "On the complexity of approximating extremal determinants in
    matrices", J. Complexity 11 (1995) 138-153, doi:10.1006/jcom.1995.1005.

    Examples
    --------
    >>> is_in_general_position([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    True
    >>> is_in_general_position([[0, 0], [1, 1], [2, 2]])        # collinear
    False
    >>> is_in_general_position([[0.5, 2.0]])                    # one point
    True
    """
    func = "is_in_general_position"
    max_subsets = check_max_subsets(max_subsets, func)
    _, Xb = as_homogenized_points(X, func)
    er = _exact.ExactRows(Xb)
    return _rows_generic(Xb, er, points=True, max_subsets=max_subsets, func=func, param="X")


def is_generic_configuration(vectors: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS) -> bool:
    """True when every ``min(n_vectors, dim)`` of the vectors are linearly independent.

    For the normals of a central arrangement this is "the hyperplanes are in general
    position"; for the homogenised points of a data set it is
    :func:`is_in_general_position`.

    Parameters
    ----------
    vectors : array_like, shape (n_vectors, dim)
    max_subsets : int or None

    Returns
    -------
    bool

    Raises
    ------
    ValidationError, TooLargeError

    Examples
    --------
    >>> is_generic_configuration([[1, 0], [0, 1], [1, 1]])
    True
    >>> is_generic_configuration([[1, 0], [0, 1], [-2, 0]])   # antiparallel
    False
    >>> is_generic_configuration([[0.0, 0.0, 0.0]])          # the zero vector
    False
    """
    func = "is_generic_configuration"
    max_subsets = check_max_subsets(max_subsets, func)
    V = vector_rows(vectors, func)
    er = _exact.ExactRows(V)
    return _rows_generic(V, er, points=False, max_subsets=max_subsets, func=func, param="vectors")


