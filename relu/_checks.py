"""Validation at the boundary of the ReLU layer (messages name the parameter).

All messages read "`<param>` of `<func>` must be ...; got ... instead." and raise
:class:`zonotope.exceptions.ValidationError` (a ``ValueError``).
"""

from __future__ import annotations

import numbers
import os

import numpy as np

from zonotope._validation import as_points
from zonotope._validation import check_rng as _zonotope_check_rng
from zonotope.exceptions import TooLargeError, ValidationError

__all__ = ["check_data", "check_labels_vector", "check_units", "check_second_layer",
           "check_pattern", "check_nonneg", "check_choice", "check_rng", "check_bias",
           "check_workers", "check_memory", "physical_memory_bytes", "MAX_WORKERS", "fail"]

#: The largest number of worker processes accepted (``workers`` of :func:`relu.exact_erm`,
#: ``zonotope fit --workers``): four per CPU core, and never more than 64.  More
#: processes than that only add memory (each imports numpy and scipy) and contention.
MAX_WORKERS = min(64, 4 * (os.cpu_count() or 1))


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
    """Validate labels: a finite real vector of length ``n_samples``.

    Complex labels are refused (never silently cast to their real part).

    Examples
    --------
    >>> check_labels_vector([1, 2], 2, "demo").tolist()
    [1.0, 2.0]
    >>> check_labels_vector([1 + 2j, 2], 2, "demo")
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `y` of `demo` must be real numbers; got complex values instead.
    """
    if y is None:
        fail(param, func, f"a vector of length {n_samples}", "None")
    try:
        raw = np.asarray(y)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric vector of length {n_samples}", f"{type(y).__name__}")
    if np.iscomplexobj(raw) or (raw.dtype == object and any(
            isinstance(e, (complex, np.complexfloating)) for e in raw.reshape(-1))):
        fail(param, func, "real numbers", "complex values")
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


def check_units(n_units, func, param="n_units"):
    """Validate a number of hidden units (a positive int)."""
    if isinstance(n_units, (bool, np.bool_)) or not isinstance(n_units, (numbers.Integral, np.integer)):
        fail(param, func, "a positive int", repr(n_units))
    if int(n_units) < 1:
        fail(param, func, "a positive int", repr(n_units))
    return int(n_units)


def check_second_layer(second_layer, n_units, func, param="second_layer"):
    """Validate the fixed second layer.

    Its length is ``n_units + 1`` (weights, output bias) or ``n_units`` (output bias 0).

    Returns a read-only float vector of length ``n_units + 1``.
    """
    m = n_units
    if second_layer is None:
        fail(param, func, f"a vector of length {m + 1} (n_units weights and the output bias) "
             f"or {m}", "None")
    if np.ndim(second_layer) > 1:
        fail(param, func, f"a 1-D vector of length {m + 1}",
             f"an array of shape {np.shape(second_layer)}")
    if np.iscomplexobj(np.asarray(second_layer)):
        fail(param, func, "real numbers", "complex values")
    try:
        a = np.array(second_layer, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric vector of length {m + 1}", f"{type(second_layer).__name__}")
    if a.shape[0] == m:
        a = np.r_[a, 0.0]
    if a.shape[0] != m + 1:
        fail(param, func, f"a vector of length {m + 1} (n_units = {m} weights and the output "
             f"bias) or {m} (output bias 0)", f"length {a.shape[0]}")
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


def check_rng(rng, func=None):
    """Normalise ``rng`` (None, a non-negative int or a Generator) to a Generator.

    The toolkit's one normaliser (:func:`zonotope._validation.check_rng`), naming
    ``func`` in its error.

    Examples
    --------
    >>> int(check_rng(3, "demo").integers(10)) == int(np.random.default_rng(3).integers(10))
    True
    >>> check_rng(-1, "demo")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `rng` of `demo` must be None, a non-negative int or a
    numpy.random.Generator; got -1 instead.
    """
    return _zonotope_check_rng(rng, func)


def check_bias(bias, func, param="bias"):
    """Validate the hidden-unit bias switch (a bool).

    Examples
    --------
    >>> check_bias(False, "demo")
    False
    >>> check_bias("no", "demo")
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `bias` of `demo` must be True or False; got 'no' instead.
    """
    if not isinstance(bias, (bool, np.bool_)):
        fail(param, func, "True or False", repr(bias))
    return bool(bias)


def check_workers(workers, func, param="workers"):
    """Validate a number of worker processes: None (serial) or ``1 .. MAX_WORKERS``.

    Examples
    --------
    >>> check_workers(None, "demo") is None, check_workers(2, "demo")
    (True, 2)
    >>> check_workers(-1, "demo")  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `workers` of `demo` must be None or an int from 1 to ...; got -1
    instead.
    """
    if workers is None:
        return None
    if isinstance(workers, (bool, np.bool_)) or not isinstance(workers, (numbers.Integral, np.integer)) \
            or not 1 <= int(workers) <= MAX_WORKERS:
        fail(param, func, f"None or an int from 1 to {MAX_WORKERS} (at most 4 processes per CPU "
             "core and 64 in all)", repr(workers))
    return int(workers)


def physical_memory_bytes():
    """Physical memory of this machine in bytes (``2**36`` when it cannot be read).

    Examples
    --------
    >>> physical_memory_bytes() > 0
    True
    """
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 36


def check_memory(n_bytes, func, param, value, what):
    """Refuse work whose estimated memory exceeds the physical memory.

    Raises :class:`~zonotope.exceptions.TooLargeError` when ``n_bytes`` exceeds the
    physical memory: such work could only end in ``MemoryError`` or the machine
    swapping, so there is nothing to force.

    Examples
    --------
    >>> check_memory(10, "demo", "n_units", 1, "the weights")
    >>> check_memory(1 << 80, "demo", "n_units", 10**20,
    ...              "the weights")  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.TooLargeError: `n_units` of `demo` must be small enough for the weights to fit in
    memory (about ... GiB estimated, this machine has ... GiB); got 100000000000000000000 instead.
    """
    limit = physical_memory_bytes()
    if n_bytes > limit:
        err = TooLargeError(f"`{param}` of `{func}` must be small enough for {what} to fit in "
                            f"memory (about {n_bytes / 2**30:,.3g} GiB estimated, this machine has "
                            f"{limit / 2**30:,.3g} GiB); got {value!r} instead.")
        err.forceable = False       # no switch lifts it: the machine has no more memory
        raise err
