"""Internal checks of the power-of-two column balancing (issue 15); reaches private names.

(To be moved next to the package's other internal unit tests.)  The public behaviour is
tested in ``test_scaling_speed_paths.py``; here: the balancing itself is exact and
sign-preserving, and on scaled generic data the sweep's own points certify, so no
chamber needs the LP repair (before the balancing, data scaled by 2^-60 sent almost
every chamber through the LP: ~1000x slower).
"""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from zonotope import Arrangement, _balance, _exact, _lp, enumerate_chambers, iter_chambers


def test_column_balance_is_exact_and_sign_preserving():
    rng = np.random.default_rng(7)
    for _ in range(50):
        n, d = rng.integers(1, 8), rng.integers(1, 6)
        N = rng.standard_normal((n, d)) * np.ldexp(1.0, rng.integers(-900, 900, size=d))[None, :]
        N[rng.random((n, d)) < 0.2] = 0.0
        B, c = _balance.column_balance(N)
        if c is None:
            assert B is N or np.array_equal(B, N)
            continue
        assert np.array_equal(np.ldexp(B, -c[None, :]), N)  # exact
        assert np.array_equal(np.sign(B), np.sign(N))
        P = rng.standard_normal((5, d))
        Q, ok = _balance.scale_points_back(P, c)
        # Q_a = 2^(s_a) D P_a exactly where ok: the ratio to D P_a is one power of two per row
        with np.errstate(all="ignore"):
            R = np.ldexp(Q, -c[None, :]) / P
        for a in np.nonzero(ok)[0]:
            r = R[a][P[a] != 0]
            assert np.all(r == r[0]) and r[0] > 0 and np.frexp(r[0])[0] == 0.5
        # a point of the balanced coordinates has the same signs once mapped back exactly
        if ok.any():
            er_b, er_n = _exact.ExactRows(B), _exact.ExactRows(N)
            assert np.array_equal(_exact.dot_signs(er_b, np.arange(n), P[ok]),
                                  _exact.dot_signs(er_n, np.arange(n), Q[ok]))


@pytest.mark.parametrize("k", [-1000, -60, 60, 1000])
def test_no_lp_repair_on_scaled_generic_data(k, monkeypatch):
    calls = []
    orig = _lp.interior_point

    def counting(*a, **kw):
        calls.append(1)
        return orig(*a, **kw)

    monkeypatch.setattr(_lp, "interior_point", counting)
    X = np.random.default_rng(3).standard_normal((25, 3))
    A = Arrangement.from_points(X * 2.0**k)
    ch = enumerate_chambers(A)
    assert len(ch) == 2 * sum(comb(24, j) for j in range(4))
    assert np.all(A.sign_vectors(ch.interior_points) == ch.sign_vectors)
    blocks = list(iter_chambers(A, block_size=500, interior_points=True))
    assert sum(len(b) for b in blocks) == len(ch)
    assert calls == []
