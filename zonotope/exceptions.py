"""The exception tree of the toolkit.

Every error raised on purpose by :mod:`zonotope` (and by :mod:`relu`, whose errors
subclass these) derives from :class:`ZonotopeError`, so ``except ZonotopeError``
catches all of them.  Errors about bad input also derive from :class:`ValueError`.
"""

__all__ = [
    "ZonotopeError",
    "ValidationError",
    "DegenerateArrangementError",
    "GeneralPositionError",
    "EmptyChamberError",
    "TooLargeError",
    "CheckpointError",
    "DamagedFileError",
    "CheckpointLockedError",
]


class ZonotopeError(Exception):
    """Root of every error raised on purpose by ``zonotope`` and ``relu``.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> try:
    ...     Arrangement([[float("nan"), 0.0]])
    ... except ZonotopeError as err:
    ...     print(type(err).__name__)
    ValidationError
    """


class ValidationError(ZonotopeError, ValueError):
    """A parameter has the wrong type, shape or value (NaN, inf, ragged, empty...).

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> Arrangement.from_points([[1.0, 2.0], [3.0]])  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `X` of `homogenize` must be a rectangular (non-ragged) 2-D array;
    got ragged nested sequences instead.
    """


class DegenerateArrangementError(ZonotopeError, ValueError):
    """The arrangement is degenerate in a way the requested operation cannot handle.

    Examples
    --------
    >>> issubclass(DegenerateArrangementError, ValueError)
    True
    """


class GeneralPositionError(ZonotopeError, ValueError):
    """The data are not in general position but the operation requires it.

    Examples
    --------
    >>> from zonotope import Arrangement, count_chambers
    >>> count_chambers(Arrangement.from_points([[0, 0], [1, 1], [2, 2], [0, 1]]), method="formula")
    Traceback (most recent call last):
    ...
    zonotope.exceptions.GeneralPositionError: the normals are not in general position; use method='sweep'
    """


class EmptyChamberError(ZonotopeError, ValueError):
    """A sign vector (activation pattern) names no chamber of the arrangement.

    Examples
    --------
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> enumerate_chambers(Arrangement([[1, 0], [1, 0]])).index([1, -1])
    Traceback (most recent call last):
    ...
    zonotope.exceptions.EmptyChamberError: no chamber has sign vector [1, -1]
    """


class TooLargeError(ZonotopeError):
    """An enumeration was refused because its estimated size exceeds the limit.

    Pass ``max_chambers=None`` (Python) or ``--force`` (command line) to run it anyway.

    Examples
    --------
    >>> import numpy as np
    >>> from zonotope import Arrangement, enumerate_chambers
    >>> A = Arrangement.from_points(np.random.default_rng(0).standard_normal((20, 2)))
    >>> enumerate_chambers(A, max_chambers=100)  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.TooLargeError: the arrangement may have up to 382 chambers (> max_chambers=100);
    pass max_chambers=None to enumerate anyway
    """


class CheckpointError(ZonotopeError):
    """A checkpoint or store file could not be written or read.

    The message names the file and the reason (e.g. "No space left on device").

    Examples
    --------
    >>> issubclass(CheckpointError, ZonotopeError)
    True
    """


class DamagedFileError(CheckpointError):
    """A checkpoint file exists but does not match its recorded size or checksum.

    Examples
    --------
    >>> issubclass(DamagedFileError, CheckpointError)
    True
    """


class CheckpointLockedError(CheckpointError):
    """Another process holds the lock of a store or checkpoint.

    Examples
    --------
    >>> issubclass(CheckpointLockedError, CheckpointError)
    True
    """
