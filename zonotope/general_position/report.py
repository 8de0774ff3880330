"""A bounded-time report on general position for data of any size."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .. import _exact
from .._validation import as_homogenized_points, check_rng
from ..exceptions import ValidationError
from ._search import (
    DEFAULT_MAX_SUBSETS,
    Dependency,
    check_max_subsets,
    circuit_within,
    dependency_of,
    dependent_subsets,
    parallel_groups,
    probe,
    scan_cost_seconds,
    smallest_dependency,
)
from .certificate import ModularCertificate, modular_certificate

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["GeneralPositionReport", "general_position_report"]


@dataclass(frozen=True)
class GeneralPositionReport:
    """What can be certified about general position within a time budget.

    Attributes
    ----------
    status : {"generic", "degenerate", "unknown"}
        ``"generic"`` and ``"degenerate"`` are proofs (see ``method``); ``"unknown"``
        means neither could be established within the limits.
    method : str
        ``"exhaustive"`` (every ``(d+1)``-minor checked exactly), ``"certificate"``
        (a :class:`ModularCertificate` was found), ``"witness"`` (an exact
        dependency was found), or ``"partial"`` (status unknown).
    witness : Dependency or None
        A minimal dependent subset when ``status == "degenerate"``.
    certificate : ModularCertificate or None
    n_samples, n_features : int
    n_subsets : int
        ``C(n_samples, d + 1)``, the number of maximal minors.
    n_checked : int
        Maximal minors whose sign was certified non-zero (exhaustive: all).
    cleared_sizes : tuple of int
        Sizes ``k`` for which *every* ``k``-subset was proven affinely independent
        (``2`` = no repeated points, ``3`` = no three collinear points, ...).
    dependent_fraction_bound : float or None
        For ``"unknown"``: with confidence ``confidence`` (over the random choice of
        the sampled subsets, not over the data), fewer than this fraction of the
        ``(d+1)``-subsets are dependent.  It is *not* a bound on their existence.
    confidence : float
    exhaustive_seconds_estimate : float
        Estimated single-core time of the exhaustive check.
    seconds : float

    Examples
    --------
    >>> r = general_position_report([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> r.status, r.method, r.certified, r.n_subsets, r.cleared_sizes
    ('generic', 'exhaustive', True, 4, (2, 3))
    """

    status: str
    method: str
    witness: Dependency | None
    certificate: ModularCertificate | None
    n_samples: int
    n_features: int
    n_subsets: int
    n_checked: int
    cleared_sizes: tuple
    dependent_fraction_bound: float | None
    confidence: float
    exhaustive_seconds_estimate: float
    seconds: float

    @property
    def certified(self) -> bool:
        """True when ``status`` is proven (``"generic"`` or ``"degenerate"``)."""
        return self.status != "unknown"


def general_position_report(X: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS, time_budget: float = 2.0,
                            small_size_budget: int = 100_000_000, confidence: float = 0.99,
                            rng: int | np.random.Generator | None = None) -> GeneralPositionReport:
    """Decide general position exactly when affordable, else certify what is possible.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_subsets : int or None
        Exhaustive check when ``C(n_samples, d+1) <= max_subsets`` (``None``: always).
    time_budget : float
        Seconds for the randomized search for a dependency (large inputs only).
    small_size_budget : int
        Sizes ``k = 3, 4, ...`` are cleared exhaustively while
        ``C(n_samples, k) <= small_size_budget``.
    confidence : float in (0, 1)
        Confidence level of ``dependent_fraction_bound``.
    rng : None, int or numpy.random.Generator
        Drives the randomized search (never the exact steps).

    Returns
    -------
    GeneralPositionReport

    Notes
    -----
    For large inputs (``C(n_samples, d+1) > max_subsets``) the steps are, all exact:

    1. repeated points (hashing) and the rank: a failure is a proof of degeneracy;
    2. a :class:`ModularCertificate` search (proof of genericity, ``O(n d)`` per
       prime) -- it succeeds for data made by :func:`perturb_with_certificate`;
    3. exhaustive checks of small sizes ``k`` (no ``k`` points affinely dependent);
    4. random ``d``-subsets, each tested against every other point in one matrix
       product, until ``time_budget``; a zero minor is a proof of degeneracy.

    If nothing is proven the status is ``"unknown"``.  Step 4 yields a statistical
    statement about the *fraction* of dependent subsets only: each sampled ``d``-set
    covers a uniformly random ``(d+1)``-subset, so if a fraction ``q`` were dependent,
    ``s`` samples would all miss with probability at most ``(1 - q)^s``.  A data set
    is a fixed object; no sampling can prove general position, and deciding it is
    coNP-complete (Khachiyan 1995).

    Examples
    --------
    >>> general_position_report([[0, 0], [1, 0], [0, 1]]).status
    'generic'
    >>> r = general_position_report([[0, 0], [1, 1], [2, 2], [0, 1]])
    >>> r.status, r.method, r.witness.indices
    ('degenerate', 'witness', (0, 1, 2))
    >>> rng = np.random.default_rng(0)
    >>> r = general_position_report(rng.standard_normal((300, 6)), max_subsets=10**6,
    ...                             time_budget=0.2, rng=0)
    >>> r.status, r.cleared_sizes[:2]
    ('unknown', (2, 3))
    """
    func = "general_position_report"
    max_subsets = check_max_subsets(max_subsets, func)
    if not (isinstance(confidence, (float, int)) and 0 < confidence < 1):
        raise ValidationError(f"`confidence` of `{func}` must be in (0, 1); got {confidence!r} instead.")
    try:
        time_budget = float(time_budget)
    except (TypeError, ValueError):
        raise ValidationError(f"`time_budget` of `{func}` must be a number of seconds; "
                              f"got {time_budget!r} instead.") from None
    gen = check_rng(rng)
    t0 = time.perf_counter()
    X, Xb = as_homogenized_points(X, func)
    N, n = Xb.shape
    d = n - 1
    total = math.comb(N, n) if N >= n else 0
    est = scan_cost_seconds(N, n)
    er = _exact.ExactRows(Xb)

    def done(status, method, witness=None, cert=None, checked=0, cleared=(), bound=None):
        return GeneralPositionReport(status, method, witness, cert, N, d, total, checked, tuple(cleared),
                                     bound, float(confidence), est, time.perf_counter() - t0)

    groups = parallel_groups(er)
    if groups:
        return done("degenerate", "witness", dependency_of(Xb, tuple(groups[0][:2]), "affine"))
    cleared = [2] if N >= 2 else []
    if max_subsets is None or total <= max_subsets or N <= n:
        dep = smallest_dependency(Xb, er, 2, n, None, func, "affine")
        if dep is None:
            return done("generic", "exhaustive", checked=total,
                        cleared=tuple(range(2, min(N, n) + 1)))
        return done("degenerate", "witness", dep, cleared=tuple(range(2, len(dep))))
    rank = _exact.exact_rank(er, np.arange(N))
    if rank < n:
        sub = next(dependent_subsets(er, n))
        return done("degenerate", "witness", dependency_of(Xb, circuit_within(er, sub), "affine"),
                    cleared=cleared)
    cert = modular_certificate(X)
    if cert is not None:
        return done("generic", "certificate", cert=cert, checked=total, cleared=tuple(range(2, n + 1)))
    for k in range(3, n):
        if math.comb(N, k) > small_size_budget:
            break
        sub = next(dependent_subsets(er, k, seed=int(gen.integers(2**31))), None)
        if sub is not None:
            return done("degenerate", "witness", dependency_of(Xb, sub, "affine"), cleared=cleared)
        cleared.append(k)
    remaining = time_budget - (time.perf_counter() - t0)
    sub, n_pref, checked = probe(er, 10**12, gen, time_budget=max(remaining, 0.0))
    if sub is not None:
        return done("degenerate", "witness", dependency_of(Xb, circuit_within(er, sub), "affine"),
                    cleared=cleared)
    bound = min(1.0, math.log(1.0 / (1.0 - confidence)) / n_pref) if n_pref else None
    return done("unknown", "partial", checked=checked, cleared=cleared, bound=bound)

