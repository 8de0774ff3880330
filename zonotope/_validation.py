"""Input validation at the boundary, and the one ``rng`` normaliser."""

from __future__ import annotations

import numbers
from fractions import Fraction

import numpy as np

from .exceptions import ValidationError

__all__ = ["as_matrix", "as_points", "as_homogenized_points", "as_generators", "as_vector", "check_rng",
           "is_exact_array"]


def _fail(param, func, what, got):
    raise ValidationError(f"`{param}` of `{func}` must be {what}; got {got} instead.")


def _describe(x):
    try:
        a = np.asarray(x, dtype=object)
        return f"an array of shape {a.shape}"
    except Exception:  # pragma: no cover - ragged input on old numpy
        return f"{type(x).__name__}"


def is_exact_array(a):
    """True when ``a`` holds exact numbers (int, Fraction, sympy Rational) as objects."""
    return isinstance(a, np.ndarray) and a.dtype == object


def _to_exact(v, param, func):
    if isinstance(v, (bool, np.bool_)):
        _fail(param, func, "numeric", "a boolean entry")
    if isinstance(v, (numbers.Integral, np.integer)):
        return int(v)
    if isinstance(v, Fraction):
        return v
    try:
        import sympy
    except ImportError:  # pragma: no cover
        sympy = None
    if sympy is not None and isinstance(v, sympy.Basic):
        if v.is_Rational:
            return Fraction(int(v.p), int(v.q))
        if v.is_Float:
            return Fraction(float(v))
        _fail(param, func, "made of rational numbers (int, Fraction, sympy.Rational, float)",
              f"the non-rational entry {v!r}")
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if not np.isfinite(f):
            _fail(param, func, "finite", f"the entry {f!r}")
        return Fraction(f)
    if isinstance(v, str):
        try:
            return Fraction(v)
        except (ValueError, ZeroDivisionError):
            _fail(param, func, "numeric", f"the string {v!r}")
    _fail(param, func, "numeric", f"an entry of type {type(v).__name__}")


def as_matrix(a, param, func, *, ndim_from_1d="row", allow_empty_rows=False, n_cols=None):
    """Validate a 2-D numeric array.

    Float input becomes a read-only ``float64`` array.  Integer, ``Fraction`` and
    sympy-rational input becomes a read-only ``object`` array of ``int``/``Fraction``
    (exact mode).  Raises :class:`ValidationError` naming ``param`` and ``func``.
    """
    if a is None:
        _fail(param, func, "a 2-D array", "None")
    if isinstance(a, np.ndarray) and a.dtype != object:
        arr = a
    else:
        try:
            arr = np.array(a, dtype=object)
        except ValueError:
            _fail(param, func, "a rectangular (non-ragged) 2-D array", "ragged nested sequences")
        if arr.ndim >= 1 and arr.size and any(isinstance(v, (list, tuple, np.ndarray)) for v in arr.flat):
            _fail(param, func, "a rectangular (non-ragged) 2-D array", "ragged nested sequences")
    if arr.ndim == 1:
        arr = arr.reshape(1, -1) if ndim_from_1d == "row" else arr.reshape(-1, 1)
    if arr.ndim != 2:
        _fail(param, func, "a 2-D array", f"an array with {arr.ndim} dimensions")
    if arr.shape[0] == 0 and not allow_empty_rows:
        _fail(param, func, "non-empty (at least one row)", f"shape {arr.shape}")
    if arr.shape[1] == 0:
        _fail(param, func, "an array with at least one column", f"shape {arr.shape}")
    if n_cols is not None and arr.shape[1] != n_cols:
        _fail(param, func, f"an array with {n_cols} columns", f"shape {arr.shape}")
    if arr.dtype == object:
        flat = list(arr.flat)
        if all(isinstance(v, (float, np.floating)) for v in flat) and flat:
            out = arr.astype(np.float64)
            if not np.all(np.isfinite(out)):
                bad = np.argwhere(~np.isfinite(out))[0]
                _fail(param, func, "finite (no NaN or inf)",
                      f"{out[tuple(bad)]!r} at index {tuple(int(b) for b in bad)}")
        else:
            conv = [_to_exact(v, param, func) for v in flat]
            if any(isinstance(v, (float, np.floating)) for v in flat) and all(
                isinstance(v, (float, np.floating))
                or (isinstance(v, numbers.Integral) and abs(int(v)) <= 2**53) for v in flat
            ):
                # mixture of floats and ints: treat as float input
                out = np.array([float(v) for v in flat], dtype=np.float64).reshape(arr.shape)
            else:
                out = np.empty(arr.shape, dtype=object)
                out.flat[:] = [v.numerator if isinstance(v, Fraction) and v.denominator == 1 else v
                               for v in conv]
    elif arr.dtype.kind == "b":
        _fail(param, func, "numeric", "a boolean array")
    elif arr.dtype.kind in "iu":
        out = np.empty(arr.shape, dtype=object)
        out.flat[:] = [int(v) for v in arr.flat]
    elif arr.dtype.kind == "f":
        out = np.asarray(arr, dtype=np.float64)
        if not np.all(np.isfinite(out)):
            bad = np.argwhere(~np.isfinite(out))[0]
            _fail(param, func, "finite (no NaN or inf)",
                  f"{out[tuple(bad)]!r} at index {tuple(int(b) for b in bad)}")
    else:
        _fail(param, func, "numeric", f"an array of dtype {arr.dtype}")
    out = np.array(out, copy=True)
    out.flags.writeable = False
    return out


def as_points(X, param="X", func="from_points"):
    """Validate data points ``(n_samples, n_features)``; 1-D input is one sample per entry."""
    return as_matrix(X, param, func, ndim_from_1d="column")


def as_homogenized_points(X, func, param="X"):
    """Validated points and their homogenisation ``(x_i, 1)`` (float64 or exact object)."""
    X = as_points(X, param, func)
    N, d = X.shape
    if X.dtype == object:
        Xb = np.empty((N, d + 1), dtype=object)
        Xb[:, :d] = X
        Xb[:, d] = 1
    else:
        Xb = np.hstack([X, np.ones((N, 1))])
    return X, Xb


def as_generators(G, param="generators", func="Zonotope"):
    """Validate generators ``(n_generators, dim)``."""
    return as_matrix(G, param, func, ndim_from_1d="row")


def as_vector(v, dim, param, func):
    """Validate a 1-D numeric vector of length ``dim``."""
    m = as_matrix(np.asarray(v, dtype=object).reshape(1, -1) if np.ndim(v) == 1 else v,
                  param, func, n_cols=dim)
    if m.shape[0] != 1:
        _fail(param, func, f"a vector of length {dim}", f"shape {m.shape}")
    return m[0]


def check_rng(rng, func=None):
    """Normalise ``rng`` (None, a non-negative int or ``numpy.random.Generator``) to a Generator.

    ``func`` names the calling function in the error message.

    Examples
    --------
    >>> check_rng(-1, "demo")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `rng` of `demo` must be None, a non-negative int or a
    numpy.random.Generator; got -1 instead.
    """
    where = "`rng`" if func is None else f"`rng` of `{func}`"
    if isinstance(rng, (numbers.Integral, np.integer)) and int(rng) < 0:
        raise ValidationError(f"{where} must be None, a non-negative int or a numpy.random.Generator; "
                              f"got {int(rng)} instead.")
    if rng is None or isinstance(rng, (numbers.Integral, np.integer, np.random.Generator,
                                       np.random.SeedSequence)):
        return np.random.default_rng(rng)
    raise ValidationError(f"{where} must be None, a non-negative int or a numpy.random.Generator; "
                          f"got {type(rng).__name__} instead.")
