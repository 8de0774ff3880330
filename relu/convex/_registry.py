"""Registration of the convex side's claims with :mod:`zonotope.verify`.

The check modules (:mod:`relu.convex.verify_checks`, :mod:`relu.convex.optimal_set_checks`)
list their claims as ``(name, function, section, claim)`` specs; each function takes
``(quick, rng)`` and returns the keyword arguments of a
:class:`zonotope.verify.CheckOutcome`.
"""

from __future__ import annotations

from zonotope.verify import CheckOutcome, register_check

__all__ = ["register_specs"]


def _as_check(fn):
    def check(quick, rng):
        return CheckOutcome(**fn(bool(quick), rng))

    check.__name__ = check.__qualname__ = fn.__name__.lstrip("_")
    check.__doc__ = fn.__doc__
    return check


def register_specs(specs, *, paper, groups):
    """Register every ``(name, function, section, claim)`` spec; return ``{name: Check}``."""
    return {name: register_check(name, paper=paper, section=section, claim=claim,
                                 groups=groups)(_as_check(fn))
            for name, fn, section, claim in specs}
