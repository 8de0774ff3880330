"""Shared exact search machinery of :mod:`zonotope.general_position`.

Dependent subsets of a row configuration (zero rows, parallel rows, exhaustive
minor scans, random prefix probes), circuits, exact dependency coefficients, and
the size checks and cost estimates of the exhaustive tests.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import numpy as np

from .. import _exact
from .._exact import as_fraction
from .._minors import MOD_P, TINY, MinorScan, U, det_nonzero_mod
from .._validation import as_matrix
from ..exceptions import TooLargeError, ValidationError

__all__ = [
    "DEFAULT_MAX_SUBSETS",
    "Dependency",
    "check_max_subsets",
    "vector_rows",
    "zero_rows",
    "parallel_groups",
    "is_dependent",
    "circuit_within",
    "dependent_subsets",
    "scan_cost_seconds",
    "human_seconds",
    "probe",
    "dependency_of",
    "smallest_dependency",
    "too_large_message",
]

#: Default limit on the number of ``(d+1)``-subsets an exhaustive test may visit
#: (about 2 s for d <= 4 and 10 s for d = 8 on one core, generic float data).
DEFAULT_MAX_SUBSETS = 1_000_000_000


def vector_rows(V, func):
    return as_matrix(V, "vectors", func)


def check_max_subsets(max_subsets, func):
    if max_subsets is None:
        return None
    if isinstance(max_subsets, (bool, np.bool_)) or not isinstance(max_subsets, (int, np.integer)) \
            or max_subsets < 0:
        raise ValidationError(f"`max_subsets` of `{func}` must be a non-negative int or None; "
                              f"got {max_subsets!r} instead.")
    return int(max_subsets)



def canonical_key(z):
    """Primitive integer vector up to sign (parallel rows share it); None for zero."""
    i = next((k for k, v in enumerate(z) if v != 0), None)
    if i is None:
        return None
    s = 1 if z[i] > 0 else -1
    return tuple(s * v for v in z)


def zero_rows(er):
    return [i for i in range(er.n_rows) if not np.any(er.F[i])]


def parallel_groups(er):
    """Groups (lists, >= 2 members) of pairwise parallel non-zero rows, exactly."""
    seen = {}
    for i in range(er.n_rows):
        key = canonical_key(er.zrow(i))
        if key is not None:
            seen.setdefault(key, []).append(i)
    return [g for g in seen.values() if len(g) > 1]


def is_dependent(er, subset):
    if not subset:
        return False
    return len(_exact.exact_rref([er.zrow(int(i)) for i in subset])[1]) < len(subset)


def circuit_within(er, subset):
    """A minimal dependent subset (circuit) inside the dependent set ``subset``."""
    S = [int(i) for i in subset]
    i = 0
    while i < len(S):
        T = S[:i] + S[i + 1:]
        if T and is_dependent(er, T):
            S = T
        else:
            i += 1
    return tuple(S)


def projected_rows(er, k, gen):
    """Exact integer rows ``zrow(i) @ G`` for a random integer ``(dim, k)`` matrix ``G``.

    A dependent set of rows stays dependent after any linear map, so every dependent
    ``k``-subset of the rows has a zero ``k x k`` determinant after projecting; the
    converse can fail (rarely), so candidates are confirmed in full dimension.
    """
    G = gen.integers(-(2**20), 2**20 + 1, size=(er.dim, k)).tolist()
    rows = np.empty((er.n_rows, k), dtype=object)
    for i in range(er.n_rows):
        z = er.zrow(i)
        rows[i] = [sum(z[a] * G[a][b] for a in range(er.dim)) for b in range(k)]
    return _exact.ExactRows(rows)


def dependent_subsets(er, k, *, seed=0):
    """All dependent ``k``-subsets of the rows (a generator, scan order; exact)."""
    N = er.n_rows
    if k > N or k < 1:
        return
    if k == 1:
        for i in zero_rows(er):
            yield (i,)
        return
    if k == 2:
        out = sorted(p for g in parallel_groups(er) for p in combinations(g, 2))
        yield from out
        return
    if k == er.dim:
        yield from MinorScan(er).zeros()
        return
    if k > er.dim:  # pragma: no cover - callers never ask
        yield from combinations(range(N), k)
        return
    gen = np.random.default_rng(seed)
    pr = projected_rows(er, k, gen)
    for sub in MinorScan(pr).zeros():
        if is_dependent(er, sub):
            yield sub


def scan_cost_seconds(N, n):
    """Rough single-core time of an exhaustive scan of C(N, n) subsets (seconds)."""
    return MinorScan.cost_seconds(N, n)


def human_seconds(s):
    if s < 120:
        return f"{s:.3g} s"
    if s < 2 * 3600:
        return f"{s / 60:.3g} min"
    if s < 2 * 86400:
        return f"{s / 3600:.3g} h"
    if s < 2 * 3.156e7:
        return f"{s / 86400:.3g} days"
    return f"{s / 3.156e7:.3g} years"


def probe(er, n_prefixes, gen, *, time_budget=None):
    """Random ``(dim-1)``-prefixes tested against every other row (exact).

    Returns ``(subset or None, n_prefixes_done, n_subsets_checked)``.  Each prefix
    ``P`` checks all ``dim``-subsets ``P + {j}`` with one matrix product of its
    cofactor vector (certified float filter as in :class:`MinorScan`); uncertain
    entries are decided modulo a prime, then by exact elimination.
    """
    N, n = er.n_rows, er.dim
    if N < n or n < 2:
        return None, 0, 0
    t0 = time.perf_counter()
    done = 0
    checked = 0
    F = er.F
    AT = np.ascontiguousarray(F.T)
    colmax = np.abs(F).max(axis=0)
    scan = MinorScan(er, mode="prefix")
    batch = max(1, min(256, n_prefixes))
    while done < n_prefixes:
        m = min(batch, n_prefixes - done)
        keys = gen.random((m, N))
        idx = np.sort(np.argpartition(keys, n - 2, axis=1)[:, : n - 1], axis=1)
        r, err, mag, _ = er._cross_float(idx)
        E = err + (n + 2) * U * np.abs(r)
        if er.input_err:
            E = E + (n + 2) * er.input_err * mag
        rowb = 2.0 * (E @ colmax) + TINY
        val = np.abs(r @ AT)
        inprefix = np.zeros((m, N), dtype=bool)
        np.put_along_axis(inprefix, idx, True, axis=1)
        val[inprefix] = np.inf
        done += m
        checked += m * (N - n + 1)
        rr, cc = np.nonzero(val <= rowb[:, None])
        if rr.size:
            subs = np.sort(np.concatenate([idx[rr], cc[:, None]], axis=1), axis=1)
            for k0 in range(0, subs.shape[0], 2048):
                part = subs[k0:k0 + 2048]
                nz = det_nonzero_mod(scan.modrows(), part, MOD_P)
                for sub, ok in zip(part.tolist(), nz.tolist()):
                    if not ok and scan.exact_sign(sub) == 0:
                        return tuple(sub), done, checked
        if time_budget is not None and time.perf_counter() - t0 > time_budget:
            break
    return None, done, checked



# =====================================================================================
# Dependencies (witnesses)
# =====================================================================================
@dataclass(frozen=True)
class Dependency:
    """A minimal dependent subset (a circuit) with its exact dependency coefficients.

    Attributes
    ----------
    indices : tuple of int
        Sorted row indices of the dependent subset; no proper subset is dependent.
    coefficients : tuple of Fraction
        ``sum_k coefficients[k] * v[indices[k]] == 0`` exactly, normalised so that the
        last coefficient is ``-1``.  For points (``kind == "affine"``) ``v`` are the
        homogenised points, so the coefficients also sum to zero and
        ``x[indices[-1]] = sum_{k < last} coefficients[k] * x[indices[k]]`` is an affine
        combination.  Float input is taken at its exact binary value.
    kind : {"affine", "linear"}
        ``"affine"`` for data points, ``"linear"`` for vectors.

    Examples
    --------
    >>> from zonotope import general_position_witness
    >>> dep = general_position_witness([[0, 0], [2, 2], [1, 1]])
    >>> dep.indices, [str(c) for c in dep.coefficients], len(dep)
    ((0, 1, 2), ['1/2', '1/2', '-1'], 3)
    """

    indices: tuple
    coefficients: tuple
    kind: str = "affine"

    def __len__(self):
        return len(self.indices)


def dependency_of(R, subset, kind):
    """Exact :class:`Dependency` of the rows ``R[subset]`` (``subset`` must be a circuit)."""
    rows = [[as_fraction(v) for v in R[i]] for i in subset]
    dim = len(rows[0])
    M = [[rows[k][c] for k in range(len(subset))] for c in range(dim)]
    basis = _exact.exact_nullspace(M, len(subset))
    v = basis[0]
    last = v[-1]
    coef = tuple(Fraction(x, -last) for x in v)
    return Dependency(tuple(int(i) for i in subset), coef, kind)


def smallest_dependency(R, er, kmin, kmax, max_subsets, func, kind):
    """Smallest dependent subset of the rows, or None (exact)."""
    N, n = er.n_rows, er.dim
    kmax = min(kmax, N)
    total = sum(math.comb(N, k) for k in range(max(kmin, 3), kmax + 1))
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(
            f"`{func}` would scan {total:.3g} subsets (> max_subsets={max_subsets:,}); "
            f"estimated {human_seconds(scan_cost_seconds(N, min(n, kmax)))}. Pass max_subsets=None "
            "to scan anyway, or use general_position_report for a bounded-time answer.")
    for k in range(kmin, min(kmax, 2) + 1):
        sub = next(dependent_subsets(er, k), None)
        if sub is not None:
            return dependency_of(R, sub, kind)
    if kmax < 3:
        return None
    upper = kmax
    if kmax == n and N >= n:
        # one exhaustive scan at the top size: no dependent n-subset means none at all
        sub = next(dependent_subsets(er, n), None)
        if sub is None:
            return None
        circ = circuit_within(er, sub)
        found = circ
        upper = len(circ) - 1
    else:
        found = None
    for k in range(3, upper + 1):
        sub = next(dependent_subsets(er, k), None)
        if sub is not None:
            return dependency_of(R, sub, kind)
    return None if found is None else dependency_of(R, found, kind)



def too_large_message(func, param, N, n, total, max_subsets, what):
    est = human_seconds(scan_cost_seconds(N, n))
    return (f"`{param}` of `{func}` has C({N}, {n}) = {total:.3g} {what} (> max_subsets="
            f"{max_subsets:,}); an exhaustive exact check would take about {est} on one core. "
            "Deciding general position is coNP-complete when the dimension is part of the input "
            "(Khachiyan 1995), so no fast exact test exists for arbitrary data. Use "
            "general_position_report(...) for what can be certified in seconds, "
            "perturb_to_general_position(...) for provably generic data, or max_subsets=None "
            "to enumerate anyway.")
