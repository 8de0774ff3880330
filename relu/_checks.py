"""Validation at the boundary of the ReLU layer (messages name the parameter).

All messages read "`<param>` of `<func>` must be ...; got ... instead." and raise
:class:`zonotope.exceptions.ValidationError` (a ``ValueError``).
"""

from __future__ import annotations

import numbers

import numpy as np

from zonotope._validation import as_points, check_rng
from zonotope.exceptions import ValidationError

__all__ = ["check_data", "check_labels_vector", "check_units", "check_second_layer",
           "check_pattern", "check_nonneg", "check_choice", "check_rng", "fail"]


def fail(param, func, what, got):
    """Raise the toolkit's standard :class:`ValidationError`."""
    raise ValidationError(f"`{param}` of `{func}` must be {what}; got {got} instead.")


def check_data(X, func, param="X"):
    """Validate data ``(n_samples, n_features)``.

    Returns ``(X_valid, X_float)``: the validated array (exact ``object`` dtype for
    integer/Fraction input, as :mod:`zonotope` keeps it) and its ``float64`` copy.
    """
    Xv = as_points(X, param, func)
    Xf = np.asarray(Xv, dtype=np.float64) if Xv.dtype == object else Xv
    if not np.all(np.isfinite(Xf)):
        fail(param, func, "finite (no NaN or inf) after conversion to float", "overflowing entries")
    return Xv, Xf


def check_labels_vector(y, n_samples, func, param="y"):
    """Validate labels: a finite float vector of length ``n_samples``."""
    if y is None:
        fail(param, func, f"a vector of length {n_samples}", "None")
    try:
        a = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric vector of length {n_samples}", f"{type(y).__name__}")
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != 1:
        fail(param, func, f"a 1-D vector of length {n_samples}", f"an array of shape {a.shape}")
    if a.shape[0] != n_samples:
        fail(param, func, f"a vector of length {n_samples} (one label per sample)",
             f"length {a.shape[0]}")
    if not np.all(np.isfinite(a)):
        fail(param, func, "finite (no NaN or inf)", "non-finite entries")
    a = a.copy()
    a.flags.writeable = False
    return a


def check_units(m, func, param="m"):
    """Validate a number of hidden units (a positive int)."""
    if isinstance(m, (bool, np.bool_)) or not isinstance(m, (numbers.Integral, np.integer)):
        fail(param, func, "a positive int", repr(m))
    if int(m) < 1:
        fail(param, func, "a positive int", repr(m))
    return int(m)


def check_second_layer(v, m, func, param="v"):
    """Validate the fixed second layer: length ``m + 1`` (weights, bias) or ``m`` (bias 0).

    Returns a read-only float vector of length ``m + 1``.
    """
    if v is None:
        fail(param, func, f"a vector of length {m + 1} (m weights and a bias) or {m}", "None")
    if np.ndim(v) > 1:
        fail(param, func, f"a 1-D vector of length {m + 1}", f"an array of shape {np.shape(v)}")
    try:
        a = np.array(v, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric vector of length {m + 1}", f"{type(v).__name__}")
    if a.shape[0] == m:
        a = np.r_[a, 0.0]
    if a.shape[0] != m + 1:
        fail(param, func, f"a vector of length {m + 1} (m = {m} weights and a bias) or {m} "
             "(bias 0)", f"length {a.shape[0]}")
    if not np.all(np.isfinite(a)):
        fail(param, func, "finite (no NaN or inf)", "non-finite entries")
    a.flags.writeable = False
    return a


def check_pattern(pattern, n_samples, func, param="pattern", m=None):
    """Validate an activation pattern: 0/1 (or bool) entries, shape ``(m, n_samples)``.

    A 1-D pattern is one unit.  Returns a read-only ``uint8`` array.
    """
    if pattern is None:
        fail(param, func, f"a 0/1 array of shape (m, {n_samples})", "None")
    a = np.asarray(pattern)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2 or a.shape[1] != n_samples or (m is not None and a.shape[0] != m):
        want = f"({m if m is not None else 'm'}, {n_samples})"
        fail(param, func, f"a 0/1 array of shape {want}", f"an array of shape {np.shape(pattern)}")
    if a.shape[0] == 0:
        fail(param, func, "non-empty (at least one unit)", f"shape {a.shape}")
    if a.dtype == np.uint8:
        if a.max(initial=0) > 1:
            bad = sorted(set(np.unique(a[a > 1]).tolist()))[:3]
            fail(param, func, "made of 0 (inactive) and 1 (active) entries", f"the value(s) {bad}")
        if not a.flags.writeable:
            return a
        out = a.copy()
    elif a.dtype == bool:
        out = a.astype(np.uint8)
    else:
        try:
            f = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            fail(param, func, "a 0/1 array", f"dtype {a.dtype}")
        if not np.all((f == 0) | (f == 1)):
            bad = sorted(set(np.unique(f[(f != 0) & (f != 1)]).tolist()))[:3]
            fail(param, func, "made of 0 (inactive) and 1 (active) entries",
                 f"the value(s) {bad}")
        out = f.astype(np.uint8)
    out.flags.writeable = False
    return out


def check_nonneg(x, func, param, *, allow_zero=True, integer=False, allow_none=False):
    """Validate a non-negative (or positive) finite number."""
    if x is None and allow_none:
        return None
    kinds = (numbers.Integral, np.integer) if integer else (numbers.Real, np.floating, np.integer)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, kinds):
        fail(param, func, f"a {'non-negative' if allow_zero else 'positive'} "
             f"{'int' if integer else 'number'}", repr(x))
    if not np.isfinite(float(x)) or float(x) < 0 or (not allow_zero and float(x) == 0):
        fail(param, func, f"a {'non-negative' if allow_zero else 'positive'} finite "
             f"{'int' if integer else 'number'}", repr(x))
    return int(x) if integer else float(x)


def check_choice(x, choices, func, param):
    """Validate a string option."""
    if not isinstance(x, str) or x not in choices:
        fail(param, func, "one of " + ", ".join(repr(c) for c in choices), repr(x))
    return x
