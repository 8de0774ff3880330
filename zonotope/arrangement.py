"""Hyperplane arrangements: the :class:`Arrangement` value object.

Convention (used everywhere in the package): hyperplane ``i`` is
``{w : normals[i] . w = offsets[i]}`` and its *positive side* is
``normals[i] . w > offsets[i]``.  For the arrangement of a data set ``X`` the
normals are the homogenised points ``x_bar_i = (x_i, 1)`` and the offsets are zero,
so the sign vector of a weight vector ``w`` is the activation pattern of a ReLU unit
with weights ``w`` (``+1`` = active).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _exact
from ._validation import as_matrix, as_points
from .exceptions import ValidationError

if TYPE_CHECKING:
    import sympy
    from matplotlib.axes import Axes
    from numpy.typing import ArrayLike

    from .chambers import ChamberSet  # the return type of the door Arrangement.chambers

__all__ = ["Arrangement", "homogenize"]


def homogenize(X: ArrayLike) -> np.ndarray:
    """Append a column of ones: ``x_bar_i = (x_i, 1)``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data; 1-D input is one sample per entry.

    Returns
    -------
    ndarray, shape (n_samples, n_features + 1)
        ``float64`` for float input, ``object`` (exact) otherwise.

    Examples
    --------
    >>> homogenize([[0.5, 2.0]])
    array([[0.5, 2. , 1. ]])
    >>> homogenize([1, 2]).tolist()
    [[1, 1], [2, 1]]
    """
    X = as_points(X, "X", "homogenize")
    ones = np.ones((X.shape[0], 1), dtype=X.dtype)
    if X.dtype == object:
        ones = np.full((X.shape[0], 1), 1, dtype=object)
    return np.hstack([X, ones])


_homogenize = homogenize


class Arrangement:
    """A finite arrangement of affine hyperplanes ``normals[i] . w = offsets[i]`` in R^dim.

    Parameters
    ----------
    normals : array_like, shape (n_hyperplanes, dim)
        Non-zero normal vectors.  Float input is taken as the exact binary value of
        each float; ``int``/``Fraction``/sympy-rational input keeps exact arithmetic.
        Repeated and antiparallel normals are allowed.
    offsets : array_like, shape (n_hyperplanes,), optional
        Right-hand sides; default zero (a central arrangement).
    dim : int, optional
        Ambient dimension, needed only for an empty arrangement.

    Notes
    -----
    Members follow one rule: cheap structural facts are read-only properties
    (``dim``, ``n_hyperplanes``, ``rank``, ``is_central``, ``is_essential``,
    ``is_exact``); invariants that run an algorithm are methods (``n_regions()``,
    ``n_bounded_regions()``, ``regions()``, ``characteristic_polynomial()``,
    ``whitney_numbers()``, ``poincare_polynomial()``, ``plot()``).  The Sage
    correspondence is tabulated in ``docs/sage.md``.

    Instances are immutable; derived data are cached.  Every combinatorial query
    (rank, signs, chambers) is exact: see ``docs/exactness.md``.

    Examples
    --------
    >>> A = Arrangement.from_points([[0.0], [1.0], [2.0]])
    >>> A.dim, A.n_hyperplanes, A.rank, A.is_central, A.is_essential
    (2, 3, 2, True, True)
    >>> A.sign_vectors([[1.0, -0.5]]).tolist()
    [[-1, 1, 1]]
    >>> Arrangement(np.zeros((0, 2)), dim=2).count_chambers()
    1
    """

    __slots__ = ("normals", "offsets", "__dict__")

    def __init__(self, normals: ArrayLike, offsets: ArrayLike | None = None, *, dim: int | None = None):
        import numbers

        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, numbers.Integral)
                                or dim < 1):
            raise ValidationError("`dim` of `Arrangement` must be a positive int; "
                                  f"got {dim!r} instead.")
        if dim is not None and np.size(normals) == 0:
            shape = np.shape(normals)
            if len(shape) == 2 and shape[1] not in (0, dim):
                raise ValidationError(f"`normals` of `Arrangement` must have dim={dim} columns; "
                                      f"got shape {shape} instead.")
            N = np.zeros((0, int(dim)))
            N.flags.writeable = False
        else:
            N = as_matrix(normals, "normals", "Arrangement", allow_empty_rows=True)
            if dim is not None and N.shape[1] != dim:
                raise ValidationError(f"`normals` of `Arrangement` must have dim={dim} columns; "
                                      f"got shape {N.shape} instead.")
        if offsets is None:
            off = np.zeros(N.shape[0], dtype=N.dtype if N.dtype == object else np.float64)
            if N.dtype == object:
                off[:] = 0
        else:
            off = as_matrix(np.asarray(offsets, dtype=object).reshape(-1, 1) if np.ndim(offsets) == 1
                            else offsets, "offsets", "Arrangement", allow_empty_rows=True)
            if off.shape != (N.shape[0], 1):
                raise ValidationError(f"`offsets` of `Arrangement` must have shape ({N.shape[0]},); "
                                      f"got {np.shape(offsets)} instead.")
            off = off[:, 0]
            if (off.dtype == object) != (N.dtype == object):
                # mixed exact/float: go exact
                if N.dtype != object:
                    N = _to_object(N)
                else:
                    off = _to_object(off.reshape(-1, 1))[:, 0]
        if N.shape[0]:
            zero = (np.flatnonzero(np.all(N == 0, axis=1)).tolist() if N.dtype != object
                    else [i for i in range(N.shape[0]) if all(v == 0 for v in N[i])])
            if zero:
                raise ValidationError(
                    f"`normals` of `Arrangement` must be non-zero vectors; row {zero[0]} is zero.")
        off = np.array(off, copy=True)
        off.flags.writeable = False
        object.__setattr__(self, "normals", N)
        object.__setattr__(self, "offsets", off)

    def __setattr__(self, name, value):
        if name in ("normals", "offsets", "dim", "n_hyperplanes", "rank", "is_central",
                    "is_essential", "is_exact"):
            raise AttributeError("Arrangement is immutable")
        object.__setattr__(self, name, value)

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_points(cls, X: ArrayLike, *, homogenize: bool = True) -> Arrangement:
        """Central arrangement of data points: hyperplane i is ``{w : w . (x_i, 1) = 0}``.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)
            Data points, float or exact.
        homogenize : bool, default True
            ``True``: the points are homogenised, ``x_bar_i = (x_i, 1)``, so the
            chambers are the activation patterns of a ReLU unit *with* a bias
            (``w`` lives in ``R^(n_features + 1)``).  ``False``: the raw points are
            the normals, ``{w : w . x_i = 0}`` in ``R^n_features`` -- the patterns of
            a *bias-free* unit.  A zero point has no hyperplane then and raises
            :class:`~zonotope.exceptions.ValidationError`.

        Examples
        --------
        >>> Arrangement.from_points([[0, 0], [1, 0], [0, 1]]).normals.tolist()
        [[0, 0, 1], [1, 0, 1], [0, 1, 1]]
        >>> Arrangement.from_points([[1, 0], [0, 1], [1, 1]], homogenize=False).count_chambers()
        6
        """
        if isinstance(homogenize, (bool, np.bool_)):
            return cls(_homogenize(X) if homogenize else as_points(X, "X", "Arrangement.from_points"))
        raise ValidationError("`homogenize` of `Arrangement.from_points` must be a bool; "
                              f"got {homogenize!r} instead.")

    # ------------------------------------------------------------ basic data
    @property
    def dim(self) -> int:
        """Ambient dimension."""
        return int(self.normals.shape[1])

    @property
    def n_hyperplanes(self) -> int:
        """Number of hyperplanes (with multiplicity)."""
        return int(self.normals.shape[0])

    @property
    def is_exact(self) -> bool:
        """True when the data are exact rationals (object arrays)."""
        return self.normals.dtype == object

    @property
    def is_central(self) -> bool:
        """True when every hyperplane passes through the origin (a read-only property)."""
        if "_is_central" not in self.__dict__:
            self.__dict__["_is_central"] = bool(all(v == 0 for v in self.offsets))
        return self.__dict__["_is_central"]

    @cached_property
    def _exact_rows(self):
        return _exact.ExactRows(self.normals)

    @property
    def rank(self) -> int:
        """Rank of the normal vectors (exact; a read-only property)."""
        if "_rank" not in self.__dict__:
            self.__dict__["_rank"] = 0 if self.n_hyperplanes == 0 else int(
                _exact.exact_rank(self._exact_rows, np.arange(self.n_hyperplanes)))
        return self.__dict__["_rank"]

    @property
    def is_essential(self) -> bool:
        """True when the normals span R^dim (a read-only property)."""
        return self.rank == self.dim

    def __len__(self):
        return self.n_hyperplanes

    def __repr__(self):
        kind = "central" if self.is_central else "affine"
        return f"<Arrangement: {self.n_hyperplanes} {kind} hyperplanes in R^{self.dim}>"

    def __eq__(self, other):
        if not isinstance(other, Arrangement):
            return NotImplemented
        return (self.normals.shape == other.normals.shape
                and bool(np.all(self.normals == other.normals))
                and bool(np.all(self.offsets == other.offsets)))

    def __hash__(self):
        return hash((self.normals.shape, self.normals.tobytes() if self.normals.dtype != object
                     else tuple(map(str, self.normals.flat))))

    # ------------------------------------------------------------ edits (new objects)
    def deletion(self, i: int) -> Arrangement:
        """The arrangement without hyperplane(s) ``i`` (a new object).

        Examples
        --------
        >>> Arrangement.from_points([[0], [1], [2]]).deletion(1).n_hyperplanes
        2
        """
        keep = np.setdiff1d(np.arange(self.n_hyperplanes), np.atleast_1d(i))
        return Arrangement(self.normals[keep], self.offsets[keep], dim=self.dim)

    def union(self, other: Arrangement) -> Arrangement:
        """The arrangement with the hyperplanes of ``other`` appended (a new object).

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1]])
        >>> B = A.union(Arrangement([[1, 1]]))
        >>> B, A.n_regions(), B.n_regions()
        (<Arrangement: 3 central hyperplanes in R^2>, 4, 6)
        """
        if other.dim != self.dim:
            raise ValidationError(f"`other` of `union` must live in R^{self.dim}; got R^{other.dim} instead.")
        N = np.concatenate([_to_object(self.normals) if other.is_exact else self.normals,
                            _to_object(other.normals) if self.is_exact else other.normals])
        b = np.concatenate([self.offsets.astype(N.dtype), other.offsets.astype(N.dtype)])
        return Arrangement(N, b, dim=self.dim)

    def restriction(self, i: int) -> Arrangement:
        """The arrangement induced on hyperplane ``i``, in coordinates of that hyperplane.

        Coordinates: hyperplane ``i`` is parametrised exactly (rationally) as
        ``w = p + B u`` with an integer basis ``B`` of ``{normals[i] . w = 0}``.
        Hyperplanes parallel to (or equal with) ``H_i`` are dropped.  The result is
        exact (object dtype).

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1], [1, 1]])
        >>> A.restriction(0).n_hyperplanes
        2
        """
        a = [Fraction(v) for v in self.normals[i]]
        b = Fraction(self.offsets[i])
        basis = _exact.exact_nullspace([a], self.dim)
        j = next(k for k, v in enumerate(a) if v != 0)
        p = [Fraction(0)] * self.dim
        p[j] = b / a[j]
        rows, offs = [], []
        for k in range(self.n_hyperplanes):
            if k == i:
                continue
            ak = [Fraction(v) for v in self.normals[k]]
            nk = [sum(x * y for x, y in zip(ak, col)) for col in basis]
            if all(v == 0 for v in nk):
                continue
            rows.append(nk)
            offs.append(Fraction(self.offsets[k]) - sum(x * y for x, y in zip(ak, p)))
        dim = len(basis)
        if not rows:
            return Arrangement(np.zeros((0, max(dim, 1))), dim=max(dim, 1))
        N = np.empty((len(rows), dim), dtype=object)
        N[:] = [[_simplify(v) for v in r] for r in rows]
        off = np.empty(len(rows), dtype=object)
        off[:] = [_simplify(v) for v in offs]
        return Arrangement(N, off)

    # ------------------------------------------------------------ signs
    def sign_vectors(self, points: ArrayLike) -> np.ndarray:
        """Exact signs of ``normals . w - offsets`` for each point (vectorised).

        Parameters
        ----------
        points : array_like, shape (n_points, dim)

        Returns
        -------
        ndarray of int8, shape (n_points, n_hyperplanes)
            Entries in {-1, 0, +1}.

        Notes
        -----
        Exact at every magnitude: float points go through a filtered predicate whose
        error bound is relative to the data (rows, columns and points rescaled by
        powers of two), with an exact integer fallback; exact (object) points use
        rational arithmetic.

        Examples
        --------
        >>> A = Arrangement([[1e-200, 1e200]])
        >>> A.sign_vectors([[1e200, -1e-200], [1e200, -1e-199]]).tolist()
        [[0], [-1]]
        >>> Arrangement([[1.0]], [1e308]).sign_vectors([[1.7e308], [1e308]]).tolist()
        [[1], [0]]
        """
        P = as_matrix(points, "points", "Arrangement.sign_vectors", n_cols=self.dim)
        if self.n_hyperplanes == 0:
            return np.zeros((P.shape[0], 0), dtype=np.int8)
        cols = np.arange(self.n_hyperplanes)
        if P.dtype != object:
            # exact filtered signs (dot_signs): relative error bounds, exact fallback
            if self.is_central:
                return _exact.dot_signs(self._exact_rows, cols, P)
            return _exact.dot_signs(self._cone_rows, cols, np.hstack([P, np.ones((P.shape[0], 1))]))
        rows = [list(r) + [-o] for r, o in zip(self.normals, self.offsets)]
        pts = [list(p) + [1] for p in P]
        return _exact.exact_dot_signs_objects(rows, pts)

    @cached_property
    def _cone_rows(self):
        """Exact rows ``(a_i, -b_i)`` (and ``t``) of the cone of an affine arrangement."""
        return _exact.ExactRows(_as_central(self)[0])

    # ------------------------------------------------------------ doors to algorithms
    def chambers(self, **kwargs: Any) -> ChamberSet:
        """All chambers; see :func:`zonotope.enumerate_chambers`.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1]]).chambers()
        <ChamberSet: 4 chambers of 2 hyperplanes in R^2, method='sweep'>
        """
        from .chambers import enumerate_chambers

        return enumerate_chambers(self, **kwargs)

    def count_chambers(self, **kwargs: Any) -> int:
        """Number of chambers; see :func:`zonotope.count_chambers`."""
        from .chambers import count_chambers

        return count_chambers(self, **kwargs)

    def regions(self, **kwargs: Any) -> ChamberSet:
        """The regions (chambers), as Sage's ``regions()``; see :func:`zonotope.enumerate_chambers`.

        Sage returns one polyhedron per region; here a region is its sign vector
        ``s`` (``s_i = sign(normals[i] . w - offsets[i])`` on the region) with an
        exact interior point, so region ``k`` is the open polyhedron
        ``{w : s_i (normals[i] . w - offsets[i]) > 0 for all i}``.

        Returns
        -------
        Chambers
            ``len(A.regions()) == A.n_regions()``; ``.sign_vectors[k]`` and
            ``.interior_points[k]`` describe region ``k``.

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1]])
        >>> R = A.regions()
        >>> len(R), sorted(map(tuple, R.sign_vectors.tolist()))
        (4, [(-1, -1), (-1, 1), (1, -1), (1, 1)])
        """
        return self.chambers(**kwargs)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw the arrangement (dimension 1, 2 or 3); see :func:`zonotope.plotting.plot_arrangement`.

        Lines with shaded, numbered regions in the plane; planes clipped to a box in
        space (matplotlib, imported on use).

        Examples
        --------
        >>> import matplotlib; matplotlib.use("Agg")
        >>> ax = Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]).plot()
        >>> len(ax.lines)
        3
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from .plotting import plot_arrangement

        return plot_arrangement(self, ax, **kwargs)

    # ------------------------------------------------------------ lattice invariants (doors)
    def n_regions(self) -> int:
        """Number of regions (chambers), counted without listing them.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]).n_regions()
        7
        """
        from .chambers import count_chambers

        return count_chambers(self)

    def n_bounded_regions(self) -> int:
        """Number of relatively bounded regions; see :func:`zonotope.count_bounded_regions`.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]).n_bounded_regions()
        1
        """
        from .lattice import count_bounded_regions

        return count_bounded_regions(self)

    def characteristic_polynomial(self) -> sympy.Poly:
        """``chi(t)`` as a :class:`sympy.Poly`; see :func:`zonotope.characteristic_polynomial`.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]]).characteristic_polynomial().as_expr()
        t**2 - 3*t + 2
        """
        from .lattice import characteristic_polynomial

        return characteristic_polynomial(self)

    def whitney_numbers(self, kind: int = 1) -> list[int]:
        """Whitney numbers of the first (``kind=1``) or second kind; see :func:`zonotope.whitney_numbers`.

        Examples
        --------
        >>> A = Arrangement([[1, 0], [0, 1], [1, 1]])
        >>> A.whitney_numbers(), A.whitney_numbers(kind=2)
        ([1, -3, 2], [1, 3, 1])
        """
        from .lattice import whitney_numbers

        return whitney_numbers(self, kind=kind)

    def poincare_polynomial(self) -> sympy.Poly:
        """``pi(t) = sum_k |w_k| t^k``; see :func:`zonotope.poincare_polynomial`.

        Examples
        --------
        >>> Arrangement([[1, 0], [0, 1], [1, 1]]).poincare_polynomial().as_expr()
        2*t**2 + 3*t + 1
        """
        from .lattice import poincare_polynomial

        return poincare_polynomial(self)


def _simplify(v):
    v = Fraction(v)
    return v.numerator if v.denominator == 1 else v


def _to_object(M):
    out = np.empty(M.shape, dtype=object)
    out.flat[:] = [v if isinstance(v, (int, Fraction)) else Fraction(float(v)) for v in M.flat]
    return out


def _as_central(arr):
    """Normals of the cone of ``arr`` (a central arrangement in one more dimension).

    Returns ``(normals, coned)``: the normals themselves and ``False`` for a central
    arrangement; for an affine one the rows ``(a_i, -b_i)`` plus ``(0, ..., 0, 1)`` (the
    hyperplane ``t = 0``) and ``True``.  The chambers of ``arr`` are the chambers of the
    cone on the side ``t > 0``.
    """
    if arr.is_central:
        return arr.normals, False
    if arr.is_exact or arr.offsets.dtype == object:
        N = np.empty((arr.n_hyperplanes + 1, arr.dim + 1), dtype=object)
        for i in range(arr.n_hyperplanes):
            N[i, :-1] = arr.normals[i]
            N[i, -1] = -Fraction(arr.offsets[i]) if not isinstance(arr.offsets[i], int) else -arr.offsets[i]
        N[-1] = [0] * arr.dim + [1]
    else:
        N = np.zeros((arr.n_hyperplanes + 1, arr.dim + 1))
        N[:-1, :-1] = arr.normals
        N[:-1, -1] = -arr.offsets
        N[-1, -1] = 1.0
    return N, True
