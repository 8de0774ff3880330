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
]


class ZonotopeError(Exception):
    """Root of every error raised on purpose by ``zonotope`` and ``relu``."""


class ValidationError(ZonotopeError, ValueError):
    """A parameter has the wrong type, shape or value (NaN, inf, ragged, empty...)."""


class DegenerateArrangementError(ZonotopeError, ValueError):
    """The arrangement is degenerate in a way the requested operation cannot handle."""


class GeneralPositionError(ZonotopeError, ValueError):
    """The data are not in general position but the operation requires it."""


class EmptyChamberError(ZonotopeError, ValueError):
    """A sign vector (activation pattern) names no chamber of the arrangement."""


class TooLargeError(ZonotopeError):
    """An enumeration was refused because its estimated size exceeds the limit.

    Pass ``max_chambers=None`` (Python) or ``--force`` (command line) to run it anyway.
    """
