"""Fast pricing paths of column generation against the straightforward ones.

Oracles: :func:`zonotope.is_chamber` (certified LP per sign vector) for chamber
membership; scipy's ``linprog`` (is a constraint redundant in the cone?) for the walls
of a chamber; scipy's ``nnls`` for the dual norm ``|Pi_K(c)| = min_{rho >= 0} |c + G^T rho|``
of every chamber; the streaming :func:`relu.convex.price_chambers` (no carried bounds);
the full-row Clarabel program and the direct solve over all chambers.
"""

from __future__ import annotations

import numpy as np
import pytest

import relu
import zonotope as zt
from relu import convex


def data(seed, n, d):
    g = np.random.default_rng(seed)
    X = g.standard_normal((n, d))
    y = np.sin(2 * X.sum(axis=1)) + 0.1 * g.standard_normal(n)
    return X, y


def design(X, bias=True):
    X = np.asarray(X, dtype=float)
    return np.hstack([X, np.ones((len(X), 1))]) if bias else X


def nnls_ratios(Xb, patterns, r, lam):
    """``|Pi_K(s Xb^T D r)| / lam`` for every pattern and both signs, by NNLS on the dual."""
    from scipy.optimize import nnls

    out = np.zeros((len(patterns), 2))
    for k, D in enumerate(np.asarray(patterns, dtype=float)):
        G = (2 * D - 1)[:, None] * Xb
        c = Xb.T @ (D * r)
        for q, s in enumerate((1.0, -1.0)):
            _, res = nnls(G.T, -s * c, maxiter=100 * len(D))
            out[k, q] = res / lam
    return out


def wall_oracle(Xb, D):
    """Row i is a wall of the cone {(2D - I) Xb w >= 0} iff min g_i . w < 0 over the rows
    not parallel to it (a repeated hyperplane is a wall once, through all of its rows)."""
    from scipy.optimize import linprog

    G = (2.0 * np.asarray(D, dtype=float) - 1.0)[:, None] * Xb
    Gh = G / np.linalg.norm(G, axis=1)[:, None]
    out = np.zeros(len(G), dtype=bool)
    for i in range(len(G)):
        others = G[np.abs(Gh @ Gh[i]) < 1 - 1e-12]
        res = linprog(G[i], A_ub=-others, b_ub=np.zeros(len(others)),
                      bounds=[(-1, 1)] * G.shape[1], method="highs")
        out[i] = res.fun < -1e-9
    return out


# ----------------------------------------------------------------------- the chamber table
@pytest.mark.parametrize("case", ["generic", "duplicates", "no-bias-parallel"])
def test_chamber_table_membership_and_walls(case):
    g = np.random.default_rng(3)
    X = g.standard_normal((7, 2))
    bias = True
    if case == "duplicates":
        X = np.vstack([X, X[2], X[2]])
    elif case == "no-bias-parallel":
        X = np.vstack([g.standard_normal((6, 3)), [[1.0, 2.0, -1.0], [-2.0, -4.0, 2.0], [0.5, 1.0, -0.5]]])
        bias = False
    arr = zt.Arrangement.from_points(X, homogenize=bias)
    table = convex.ChamberTable.from_arrangement(arr, directions=True)
    ch = zt.enumerate_chambers(arr)
    assert table.n_chambers == ch.n_chambers
    bits = (ch.sign_vectors > 0).astype(np.uint8)
    assert table.contains(bits).all()
    # random sign vectors: membership = the certified LP oracle
    R = g.integers(0, 2, size=(60, arr.n_hyperplanes)).astype(np.uint8)
    assert np.array_equal(table.contains(R), zt.is_chamber(arr, 2 * R.astype(int) - 1))
    # unit directions lie inside their chambers
    assert np.allclose(np.linalg.norm(table.directions, axis=1), 1.0)
    signs = arr.sign_vectors(table.directions)
    got = (signs > 0).astype(np.uint8)
    assert np.array_equal(np.packbits(got, axis=1), table.packed)
    # walls = the irredundant constraints of each chamber cone (LP oracle)
    Xb = design(X, bias)
    W = table.walls(bits)
    for k in range(0, len(bits), max(1, len(bits) // 12)):
        assert np.array_equal(W[k], wall_oracle(Xb, bits[k])), k


def test_wall_rows_give_the_same_program():
    X, y = data(4, 12, 2)
    prog = convex.CGLProgram.build(X, y, 0.3, "exact")
    table = convex.ChamberTable.from_arrangement(zt.Arrangement.from_points(X))
    walls = table.walls(prog.patterns)
    assert walls.sum() < 0.5 * walls.size                         # far fewer rows
    b_full, _ = convex.solve_program(prog, "clarabel")
    b_wall, _ = convex.solve_program(prog, "clarabel", rows=walls)
    p_full = prog.objective(convex.polish(prog, b_full)[0])
    p_wall = prog.objective(convex.polish(prog, b_wall)[0])
    assert p_wall == pytest.approx(p_full, rel=1e-7)
    with pytest.raises(relu.exceptions.ValidationError, match="rows"):
        convex.solve_program(prog, "clarabel", rows=walls[:1])


# ----------------------------------------------------------------------- the pricer
def residual_path(X, y, lam):
    """Residuals of a column-generation-like path: y, sampled solves, the exact optimum."""
    rs = [np.asarray(y, dtype=float)]
    for k, seed in ((2, 0), (5, 1), (12, 2)):
        rs.append(relu.solve_cgl(X, y, lam, patterns=k, rng=seed).dual_point)
    rs.append(relu.solve_cgl(X, y, lam).dual_point)
    return rs


@pytest.mark.parametrize("seed", [5, 6])
def test_pricer_matches_streaming_pricing_and_nnls(seed):
    X, y = data(seed, 11, 2)
    lam = 0.35
    arr = zt.Arrangement.from_points(X)
    table = convex.ChamberTable.from_arrangement(arr, directions=True)
    Xb = design(X)
    pricer = convex.ChamberPricer(table, Xb, np.arange(len(X)), lam)
    pats = np.unpackbits(table.packed, axis=1, count=len(X))
    for r in residual_path(X, y, lam):
        pr = pricer.price(r, top_k=10_000)                         # carried bounds, full pass
        ref = convex.price_chambers(X, r, lam, top_k=10_000)       # streaming, from scratch
        oracle = nnls_ratios(Xb, pats, r, lam)
        assert not pr.partial and pr.n_chambers == ref.n_chambers == table.n_chambers
        if oracle.max() > 1 + 1e-7:
            # same worst violation, exactly the violated pairs of the oracle
            assert pr.max_ratio == pytest.approx(oracle.max(), rel=1e-7)
            assert pr.max_ratio == pytest.approx(ref.max_ratio, rel=1e-9)
            viol = np.sort(oracle[oracle > 1 + 1e-7])
            assert np.allclose(np.sort(pr.top_ratios)[-len(viol):], viol, rtol=1e-7)
            assert np.allclose(np.sort(pr.top_ratios), np.sort(ref.top_ratios), rtol=1e-9)
            k = int(np.argmax(oracle.max(axis=1)))
            assert oracle[k].max() == pytest.approx(
                nnls_ratios(Xb, [pr.worst_pattern], r, lam)[0].max(), rel=1e-7)
        else:
            # dual feasible: the pass certifies it (an upper bound <= 1 + rounding)
            assert pr.max_ratio <= 1 + 1e-7 and oracle.max() <= pr.max_ratio * (1 + 1e-7) + 1e-12


def test_partial_pricing_reports_true_violations():
    X, y = data(7, 12, 2)
    lam = 0.3
    table = convex.ChamberTable.from_arrangement(zt.Arrangement.from_points(X), directions=True)
    Xb = design(X)
    pricer = convex.ChamberPricer(table, Xb, np.arange(len(X)), lam)
    r = relu.solve_cgl(X, y, lam, patterns=3, rng=0).dual_point
    pats = np.unpackbits(table.packed, axis=1, count=len(X))
    oracle = nnls_ratios(Xb, pats, r, lam)
    pr = pricer.price(r, top_k=4, partial=True, budget=8)
    assert pr.partial and 0 < len(pr.top_ratios) <= 4 and pr.n_evaluated <= 8
    # every reported violation is real and exact; the maximum is an upper bound
    for D, s, ratio in zip(pr.top_patterns, pr.top_signs, pr.top_ratios):
        q = 0 if s == 1 else 1
        assert ratio > 1 and ratio == pytest.approx(nnls_ratios(Xb, [D], r, lam)[0, q], rel=1e-7)
    assert pr.max_ratio >= oracle.max() * (1 - 1e-9)
    # at the optimum no violation is proven: the partial request falls back to a full pass
    r_opt = relu.solve_cgl(X, y, lam).dual_point
    full = pricer.price(r_opt, top_k=4, partial=True)
    assert not full.partial and full.max_ratio <= 1 + 1e-6


def test_pricer_per_value_spreads_the_list():
    X, y = data(8, 12, 2)
    lam = 0.3
    table = convex.ChamberTable.from_arrangement(zt.Arrangement.from_points(X))
    pricer = convex.ChamberPricer(table, design(X), np.arange(len(X)), lam, keep_bounds=False)
    r = np.asarray(y, dtype=float)
    every = pricer.price(r, top_k=10_000)
    spread = pricer.price(r, top_k=10_000, per_value=1)
    keys = np.array([float(f"{v:.10g}") for v in every.top_ratios])
    assert len(spread.top_ratios) == len(np.unique(keys))
    assert spread.top_ratios[0] == pytest.approx(every.top_ratios[0], rel=1e-12)
    assert every.top_ratios[0] == pytest.approx(every.max_ratio, rel=1e-12)


# ----------------------------------------------------------------------- column generation
@pytest.mark.parametrize("kw", [dict(init_patterns=0, n_add=4),
                                dict(init_patterns=5, rng=1, partial=False, per_value=None),
                                dict(rng=2),
                                dict(init_patterns=0, n_add=4, cache_bytes=0)])   # streaming path
def test_column_generation_variants_end_at_the_exact_optimum(kw):
    X, y = data(11, 14, 2)
    lam = 0.25
    exact = relu.solve_cgl(X, y, lam, method="clarabel")
    cg = convex.column_generation(X, y, lam, **kw)
    g = cg.global_certificate
    assert g.certified and g.n_chambers == exact.program.n_patterns + 1
    assert abs(cg.objective - exact.objective) <= 1e-6 * exact.objective
    assert g.lower_bound <= exact.objective * (1 + 1e-9)
    assert not cg.info["history"][-1]["partial"]


def test_column_generation_validates_init_patterns():
    X, y = data(11, 6, 1)
    with pytest.raises(relu.exceptions.ValidationError, match="init_patterns"):
        convex.column_generation(X, y, 0.1, init_patterns=-1)
