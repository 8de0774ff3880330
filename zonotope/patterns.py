"""Points and sign vectors: activation patterns and exact chamber membership.

:func:`activation_patterns` (and :func:`activation_pattern`) turn data and weights
into 0/1 activation patterns, :func:`chamber_of_point` gives the sign vector of a
point off the hyperplanes, and :func:`is_chamber` decides exactly whether sign
vectors are chambers (through the certified max-margin LP of :mod:`zonotope._lp`).
All four are re-exported by :mod:`zonotope.chambers` and the package namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _exact, _lp
from ._validation import as_matrix
from .arrangement import Arrangement, _as_central, homogenize
from .exceptions import ValidationError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["activation_pattern", "activation_patterns", "chamber_of_point", "is_chamber"]


def _check_arr(arr, func):
    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `{func}` must be an Arrangement; got {type(arr).__name__} instead.")
    return arr


def is_chamber(arr: Arrangement, sign_vectors: ArrayLike) -> bool | NDArray[np.bool_]:
    """Whether sign vectors are chambers of the arrangement (exact).

    A sign vector ``s`` (``+1``/``-1`` per hyperplane) is a chamber when some point
    ``w`` has ``s_i (normals[i] . w - offsets[i]) > 0`` for every ``i``.  For the
    arrangement of a data set (:meth:`Arrangement.from_points`) the chambers are the
    feasible activation patterns of a ReLU unit (``+1`` = active).

    Parameters
    ----------
    arr : Arrangement
    sign_vectors : array_like of +-1, shape (n_hyperplanes,) or (n_vectors, n_hyperplanes)

    Returns
    -------
    bool or ndarray of bool, shape (n_vectors,)
        A ``bool`` for one sign vector, a boolean array for a 2-D batch.

    Raises
    ------
    ValidationError
        If ``arr`` is not an Arrangement, or ``sign_vectors`` has the wrong length or an
        entry other than ``+1``/``-1``.

    See Also
    --------
    enumerate_chambers, chamber_of_point

    Notes
    -----
    Decided by the certified max-margin LP of :mod:`zonotope._lp`: a scale-invariant
    float LP (rows and columns balanced by powers of two) proposes a point whose signs
    are then checked exactly; "not a chamber" is proven by an exact Gordan certificate
    (``y >= 0``, ``y != 0``, ``sum_i y_i s_i a_i = 0``) read off the LP dual, and the
    exact rational simplex decides whatever neither settles.  No tolerance is
    involved, so the answer does not change when the data are scaled.  An affine
    arrangement is decided on its cone (``t > 0``).  Cost: one LP per sign vector.

    Examples
    --------
    >>> A = Arrangement.from_points([[0.0], [1.0], [3.0]])
    >>> is_chamber(A, [-1, 1, 1]), is_chamber(A, [1, -1, 1])
    (True, False)
    >>> is_chamber(A, [[1, 1, 1], [-1, -1, 1], [1, 1, -1]]).tolist()
    [True, True, True]
    >>> tiny = Arrangement.from_points(np.array([[0.0], [1.0], [3.0]]) * 1e-160)
    >>> bool(is_chamber(tiny, [-1, 1, 1])), bool(is_chamber(tiny, [1, -1, 1]))
    (True, False)
    >>> is_chamber(Arrangement([[1.0, 0.0]], [2.0]), [1])       # affine: x > 2
    True
    >>> is_chamber(Arrangement(np.zeros((0, 2)), dim=2), [])    # empty arrangement
    True
    """
    func = "is_chamber"
    arr = _check_arr(arr, func)
    n = arr.n_hyperplanes
    S = np.asarray(sign_vectors, dtype=object)
    one = S.ndim == 1
    if S.ndim not in (1, 2) or S.shape[-1] != n:
        raise ValidationError(f"`sign_vectors` of `{func}` must have shape ({n},) or (n_vectors, {n}); "
                              f"got shape {S.shape} instead.")
    ok = np.vectorize(lambda v: not isinstance(v, (bool, np.bool_)) and v in (1, -1), otypes=[bool])
    if S.size and not np.all(ok(S)):
        raise ValidationError(f"`sign_vectors` of `{func}` must have entries +1 or -1; "
                              f"got {sorted(set(S.ravel().tolist()), key=repr)[:5]} instead.")
    S = S.astype(np.int8).reshape(1 if one else S.shape[0], n)
    N, cone = _as_central(arr)
    er = _exact.ExactRows(N)
    cols = np.arange(N.shape[0])
    out = np.empty(S.shape[0], dtype=bool)
    for k, s in enumerate(S):
        if cone:
            s = np.r_[s, np.int8(1)]
        out[k] = _lp.interior_point(er, cols, s).feasible
    return bool(out[0]) if one else out


def chamber_of_point(arr: Arrangement, w: ArrayLike) -> NDArray[np.int8]:
    """Sign vector of the point ``w`` (raises if ``w`` lies on a hyperplane).

    Examples
    --------
    >>> chamber_of_point(Arrangement.from_points([[0.], [2.]]), [1.0, -1.0]).tolist()
    [-1, 1]
    """
    arr = _check_arr(arr, "chamber_of_point")
    W = as_matrix(np.asarray(w, dtype=object).reshape(1, -1) if not isinstance(w, np.ndarray)
                  else w.reshape(1, -1), "w", "chamber_of_point", n_cols=arr.dim)
    s = arr.sign_vectors(W)[0]
    if np.any(s == 0):
        from .exceptions import EmptyChamberError

        raise EmptyChamberError(f"`w` lies on hyperplane(s) {np.nonzero(s == 0)[0].tolist()}")
    return s


def activation_patterns(X: ArrayLike, W: ArrayLike) -> NDArray[np.uint8]:
    """Exact activation patterns ``1{W x_bar_i > 0}`` of several units, vectorised.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    W : array_like, shape (n_units, n_features + 1)
        First-layer weights acting on homogenised inputs.

    Returns
    -------
    ndarray of uint8, shape (n_units, n_samples)
        Entry (j, i) is 1 iff ``W[j] . (x_i, 1) > 0`` (decided exactly; a tie is 0).

    Examples
    --------
    >>> activation_patterns([[0.], [1.], [2.]], [[1.0, -0.5], [-1.0, 1.5]]).tolist()
    [[0, 1, 1], [1, 1, 0]]
    """
    Xb = homogenize(X)
    Wm = as_matrix(W, "W", "activation_patterns", n_cols=Xb.shape[1])
    A = Arrangement(Xb)
    return (A.sign_vectors(Wm) > 0).astype(np.uint8)


def activation_pattern(X: ArrayLike, w: ArrayLike) -> NDArray[np.uint8]:
    """Activation pattern ``1{w . x_bar_i > 0}`` of one unit (uint8, shape (n_samples,)).

    Examples
    --------
    >>> activation_pattern([[0.], [1.], [2.]], [1.0, -0.5]).tolist()
    [0, 1, 1]
    """
    return activation_patterns(X, np.asarray(w).reshape(1, -1))[0]
