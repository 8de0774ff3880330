"""Fixtures and oracles of the ReLU-layer tests.

The brute-force oracle here is independent of the code under test: chambers come
from the LP oracle of ``tests/conftest.py`` (scipy only, not :mod:`zonotope`), and
each m-tuple of chambers is solved by the cvxpy/Clarabel reference of
:func:`relu.solve_subproblem` (``method="cvxpy"``), not by the fast path.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest


def generic_data(rng, n, d, scale=1.0):
    """Gaussian points and labels (generic with probability one)."""
    return rng.standard_normal((n, d)) * scale, rng.standard_normal(n)


def loss_scale(y, v):
    """Loss of the zero network: ``mean((y - bias)^2)`` (floor for relative errors)."""
    return float(np.mean((np.asarray(y, dtype=float) - float(v[-1])) ** 2))


def rel_gap(a, b, scale):
    """``|a - b| / max(|b|, 1e-6 scale)``: relative, with an absolute floor at ~0."""
    return abs(a - b) / max(abs(b), 1e-6 * scale, 1e-300)


@pytest.fixture(scope="session")
def chamber_oracle(lp_chambers):
    """``f(X) -> list of 0/1 patterns`` (one unit) from the independent LP oracle."""

    def f(X):
        X = np.asarray(X, dtype=float)
        normals = [list(map(float, x)) + [1.0] for x in X]
        signs = sorted(lp_chambers(normals))
        return [np.array([1 if s > 0 else 0 for s in sv], dtype=np.uint8) for sv in signs]

    return f


@pytest.fixture(scope="session")
def brute_force_erm(chamber_oracle):
    """``f(X, y, m, v) -> min over all m-tuples of chambers of the cvxpy optimum``."""
    import relu

    def f(X, y, m, v):
        chambers = chamber_oracle(X)
        S = relu.SubproblemSolver(X, y, v, method="cvxpy", check=False)
        best = np.inf
        for tup in itertools.product(range(len(chambers)), repeat=m):
            P = np.stack([chambers[c] for c in tup])
            best = min(best, S.solve(P).objective)
        return best, len(chambers)

    return f


@pytest.fixture
def small_data(rng):
    """A generic 2-D regression set of 6 points."""
    return generic_data(rng, 6, 2)


class _Helpers:
    generic_data = staticmethod(generic_data)
    loss_scale = staticmethod(loss_scale)
    rel_gap = staticmethod(rel_gap)


@pytest.fixture(scope="session")
def rh():
    """Helper functions (``generic_data``, ``loss_scale``, ``rel_gap``) as a namespace."""
    return _Helpers
