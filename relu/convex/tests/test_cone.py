"""The streaming pricing pass against the plain cone projection (in-package: private oracle).

:func:`relu.convex.price_chambers` prices every chamber by table lookups on packed
sign rows; its oracle here is the plain per-pattern projection onto the cones of the
full listed program, ``relu.convex._cone.project_onto_cones``, which is private, so
the test lives inside the package.
"""

from __future__ import annotations

import numpy as np
import pytest

import relu
from relu import convex
from relu.convex._cone import project_onto_cones


def data(seed, n, d):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)
    return X, y


def test_pricing_matches_projections_over_the_listed_program():
    X, y = data(9, 10, 2)
    few = relu.solve_cgl(X, y, 0.3, patterns=4, rng=2)
    pr = convex.price_chambers(X, few.dual_point, few.lam, top_k=1000)
    full = convex.CGLProgram.build(X, y, 0.3, "exact")
    c = (full.patterns * few.dual_point) @ full.design
    V, _ = project_onto_cones(full.design, full.block_patterns, np.vstack([c, -c]))
    ratios = np.linalg.norm(V, axis=1) / few.lam
    assert pr.max_ratio == pytest.approx(ratios.max(), rel=1e-9)
    assert len(pr.top_ratios) == int(np.sum(ratios > 1.0))
    assert np.allclose(np.sort(pr.top_ratios), np.sort(ratios[ratios > 1.0]), rtol=1e-9)
