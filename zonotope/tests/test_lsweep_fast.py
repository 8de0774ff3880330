"""Unit tests of the fast paths of the lattice-driven sweep (issue 15, fourth round).

* ``In(G) = LV(G) ∩ UV(G)`` (docs/degenerate.md, Theorem 4 (3)) against two
  independent oracles: the conformality test of Theorem 4 (2), written here in plain
  Python over sign tuples, and ``|In(G)| = |mu(0, G)|`` with the Moebius function
  computed here from the definition over bitset containment.
* ``_pair_isin`` (exact keys, hashed keys, several words, forced hash collisions)
  and ``_masked_min`` against Python sets and brute force.
* The value-sort grouping of ``_flats._Engine.covers`` with every hash colliding (the
  exact fallback) gives the same lattice.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from zonotope import _exact, _flats
from zonotope._lsweep import (
    LatticeSweep,
    _masked_min,
    _pack,
    _pair_isin,
    _pair_isin_sorted,
    _to_mask,
    lattice_levels,
)
from zonotope._sweep import NonGenericAux

_MIX = 0x9E3779B97F4A7C15


def _set_oracle(A, B, oa):
    Bs = {(B[i].tobytes(), int(oa[i])) for i in range(oa.size)}
    return np.array([(A[i].tobytes(), int(oa[i])) in Bs for i in range(oa.size)], dtype=bool)


def _distinct_rows(gen, owners, words, high):
    """Rows (one per owner entry) distinct within each owner; 1-D if ``words`` is 0."""
    n = owners.size
    while True:
        if high:
            R = gen.integers(0, 2**63, size=(n, max(1, words)), dtype=np.int64).astype(np.uint64)
            R |= np.uint64(1 << 63)
        else:
            R = gen.integers(0, 1 << 12, size=(n, max(1, words)), dtype=np.int64).astype(np.uint64)
        keys = {(int(o), R[i].tobytes()) for i, o in enumerate(owners)}
        if len(keys) == n:
            return R[:, 0].copy() if words == 0 else R


@pytest.mark.parametrize("func", [_pair_isin, _pair_isin_sorted])
@pytest.mark.parametrize("words,high", [(0, False), (0, True), (2, False), (3, True)])
def test_pair_isin_matches_a_set_oracle(rng, words, high, func):
    for n in (1, 2, 7, 300):
        owners = np.sort(rng.integers(0, max(1, n // 5), size=n))
        A = _distinct_rows(rng, owners, words, high)
        B = _distinct_rows(rng, owners, words, high)
        # make about half of A occur in B (same owner), B staying distinct per owner
        perm = rng.permutation(n)
        for i in perm[: n // 2]:
            if owners[i] == owners[perm[i]]:
                continue
            cand = A[i]
            if not any(np.array_equal(B[j], cand) for j in np.nonzero(owners == owners[i])[0]):
                B[i] = cand
        if words:
            A, B = np.ascontiguousarray(A), np.ascontiguousarray(B)
        assert np.array_equal(func(A, B, owners), _set_oracle(A.reshape(n, -1), B.reshape(n, -1), owners))


@pytest.mark.parametrize("func", [_pair_isin, _pair_isin_sorted])
def test_pair_isin_is_exact_under_forced_hash_collisions(func):
    inv = pow(_MIX, -1, 2**64)
    owners = np.array([0, 0, 0, 1], dtype=np.intp)  # one owner bit: ob = 1
    # two distinct rows whose hashed keys agree (products differ in the lowest bit only)
    x1 = ((1 << 63) | (12345 << 2)) * inv % 2**64
    x2 = ((1 << 63) | (12345 << 2) | 1) * inv % 2**64
    y = ((1 << 62) | 99) * inv % 2**64
    A = np.array([x1, y, x2 ^ 5, x1], dtype=np.uint64)
    # (a) one key on each side, rows different: verified, not a hit
    B = np.array([x2, (y ^ 3), x1 ^ 7, x2], dtype=np.uint64)
    assert func(A, B, owners).tolist() == _set_oracle(A[:, None], B[:, None], owners).tolist()
    # (b) two equal keys inside B (a run of three keys): resolved exactly
    B = np.array([x1, x2, y, x1 ^ 9], dtype=np.uint64)
    got = func(A, B, owners)
    assert got.tolist() == _set_oracle(A[:, None], B[:, None], owners).tolist() == [True, True, False, False]


def test_masked_min_against_brute_force(rng):
    for K in (5, 64, 70, 130):
        M, P = 30, 200
        ad = rng.random((M, K))
        src = rng.integers(0, M, size=P)
        mask = rng.random((P, K)) < 0.08
        mask[np.arange(P), rng.integers(0, K, size=P)] = True  # never empty
        offw = _pack(mask, (K + 63) // 64)
        want = np.where(mask, ad[src], np.inf).min(axis=1)
        assert np.array_equal(_masked_min(ad, src, offw), want)


# ---------------------------------------------------------------- In(G) per flat
def _essential_cases():
    g = np.random.default_rng(11)
    pts = g.integers(-2, 3, size=(12, 3))
    pts = np.vstack([pts, pts[:3], 2 * pts[3] - pts[4]])
    grid = np.array(list(itertools.product(range(3), range(3), range(2))))
    res4 = [list(v) for v in itertools.product((0, 1), repeat=4) if any(v)]
    return {
        "resonance R_4": res4,
        "grid 3x3x2 (cone)": [list(map(int, p)) + [1] for p in grid],
        "integer data with repeats (cone)": sorted({tuple(map(int, p)) + (1,) for p in pts}),
        "grid 3x3 (cone)": [[i, j, 1] for i in range(3) for j in range(3)],
    }


def _sweep_of(rows, seed):
    rows = [list(r) for r in rows]
    dim = len(rows[0])
    assert _exact.rank(rows) == dim  # essential: no lineality basis needed
    gen = np.random.default_rng(seed)
    for _ in range(5):
        aux = gen.integers(-10**6, 10**6, size=(dim, dim))
        er = _exact.ExactRows(np.vstack([np.array(rows, dtype=np.float64), aux.astype(np.float64)]))
        K = len(rows)
        lat = lattice_levels(rows, dim, rank=dim)
        sw = LatticeSweep(er, list(range(K, K + dim)), K, lat, want_points=True)
        try:
            data, ins = [], []
            for rho in range(1, sw.rank):
                d = sw._ray_data(rho)
                ins.append(sw._in_rank(rho, d, data[-1] if data else None, ins[-1] if ins else None,
                                       sw.pairs[rho - 1]))
                data.append(d)
            return sw, lat, data, ins
        except NonGenericAux:  # pragma: no cover - random auxiliary vectors, retried
            continue
    raise AssertionError("no generic auxiliary vectors")  # pragma: no cover


def _signs(d, K):
    """int8 sign rows (+1, -1, 0 on the flat) of the flats of one level."""
    mask = np.unpackbits(d["maskb"].view(np.uint8), axis=1, count=K).astype(bool)
    pos = np.unpackbits(d["posb"].view(np.uint8), axis=1, count=K).astype(bool)
    return np.where(mask, 0, np.where(pos, 1, -1)).astype(np.int8), mask


@pytest.mark.parametrize("name", list(_essential_cases()))
def test_in_of_every_flat_matches_conformality_and_moebius(name):
    rows = _essential_cases()[name]
    sw, lat, data, ins = _sweep_of(rows, seed=3)
    K = sw.K
    levels = lat[0]
    # Moebius function from the definition: mu(G) = -sum_{X < G} mu(X), mu(0) = 1
    flats = [set()]
    mu = [1]
    bits_of = []
    for bits, _ in levels:
        masks = _to_mask(bits, K)
        bits_of.append([frozenset(np.nonzero(m)[0].tolist()) for m in masks])
    for level in bits_of[: len(ins)]:
        for G in level:
            mu.append(-sum(m for X, m in zip(flats, mu) if X < G))
            flats.append(G)
    mu_of = dict(zip(map(frozenset, flats), mu))
    n_nonsimple = 0
    for rho in range(1, len(ins) + 1):
        d = data[rho - 1]
        S, mask = _signs(d, K)
        ptr, prow, pts = ins[rho - 1]
        In = np.unpackbits(prow.view(np.uint8), axis=1, count=K).astype(bool)
        for gi, G in enumerate(bits_of[rho - 1]):
            got = {tuple(np.where(In[t, sorted(G)], 1, -1)) for t in range(ptr[gi], ptr[gi + 1])}
            assert ptr[gi + 1] - ptr[gi] == len(got) == abs(mu_of[G])
            if len(G) == rho or rho == 1:
                continue
            n_nonsimple += 1
            # oracle: Theorem 4 (2), LV(G) minus the chambers some -row_H' is conformal to
            Gs = sorted(G)
            Sp, maskp = _signs(data[rho - 2], K)
            cos = [h for h, H in enumerate(bits_of[rho - 2]) if H < G]
            Ip, Iprow, _ = ins[rho - 2]
            Ipos = np.unpackbits(Iprow.view(np.uint8), axis=1, count=K).astype(bool)
            want = set()
            for h in cos:
                Hs = sorted(bits_of[rho - 2][h])
                for t in range(Ip[h], Ip[h + 1]):
                    C = {j: int(Sp[h, j]) for j in Gs}
                    for j in Hs:
                        C[j] = 1 if Ipos[t, j] else -1
                    if not any(all(-Sp[h2, j] == C[j] for j in Gs if Sp[h2, j] != 0) for h2 in cos):
                        want.add(tuple(C[j] for j in Gs))
            assert got == want
        # points of In(G): inside the chamber of the localisation (signs on G), unit length
        if rho >= 2:
            F = np.array(rows, dtype=np.float64)
            owner = np.repeat(np.arange(ptr.size - 1), np.diff(ptr))
            Sg = np.sign(pts @ F.T)
            want_s = np.where(In, 1, -1)
            on = mask[owner]
            assert np.all((Sg == want_s)[on])
            assert np.allclose(np.linalg.norm(pts, axis=1), 1.0)
    assert n_nonsimple > 0


def test_covers_with_every_hash_colliding_give_the_same_lattice(monkeypatch):
    # resonance R_5 with its rows scaled by 3 (same lattice): the Hadamard bound, so the
    # prime, is ~14 bits and the class keys of the 4 quotient coordinates are hashed
    rows = [[3 * x for x in v] for v in itertools.product((0, 1), repeat=5) if any(v)]
    want = lattice_levels(rows, 5, rank=5)
    calls = []
    lexsort = np.lexsort
    monkeypatch.setattr(_flats, "_HASH", np.ones(256, dtype=np.uint64))
    monkeypatch.setattr(_flats.np, "lexsort", lambda *a, **k: calls.append(1) or lexsort(*a, **k))
    got = lattice_levels(rows, 5, rank=5)
    monkeypatch.undo()
    assert calls  # the exact fallback ran

    def canon(lat):
        levels, pairs, r = lat
        out = []
        for (bits, basis), pr in zip(levels, pairs):
            fl = [b.tobytes() for b in bits]
            ps = set() if pr is None else {(levels[len(out) - 1][0][s].tobytes(), fl[t]) for s, t in zip(*pr)}
            out.append((sorted(fl), ps))
        return out, r

    assert canon(got) == canon(want)
    # and the sweep on top of it gives the right number of chambers (Zaslavsky)
    aux = np.random.default_rng(1).integers(-10**6, 10**6, (5, 5))
    sw = LatticeSweep(_exact.ExactRows(np.vstack([np.array(rows, float), aux])),
                      list(range(len(rows), len(rows) + 5)), len(rows), got, want_points=False)
    n = sum(P.shape[0] for P, _ in sw.stream())
    assert n == _flats._count_regions(_arr(rows), None, "test") == 11292


def _arr(rows):
    from zonotope import Arrangement

    return Arrangement(np.array(rows, dtype=np.float64))


def _classes(eng, P):
    """Per flat: the partition of the hyperplanes by parallel residuals (None: in the flat)."""
    q, B, K = P.shape
    out = []
    for b in range(B):
        groups = {}
        for j in range(K):
            v = [int(P[c, b, j]) for c in range(q)]
            nzc = [x for x in v if x]
            if not nzc:
                key = None
            else:
                inv = pow(nzc[0], -1, eng.p)
                key = tuple(x * inv % eng.p for x in v)
            groups.setdefault(key, []).append(j)
        out.append(sorted(map(tuple, groups.values())))
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_extended_echelon_gives_the_same_covers(seed):
    g = np.random.default_rng(seed)
    rows = [list(map(int, r)) for r in g.integers(-2, 3, size=(14, 5)) if np.any(r)]
    rows = [r for i, r in enumerate(rows) if all(_exact.rank([r, s]) == 2 for s in rows[:i])]
    eng = _flats._Engine(rows, 5)
    assert eng.small
    # random independent bases of 3 rows: echelon of the first two, extended by the third
    bases = []
    while len(bases) < 25:
        b = g.choice(len(rows), 3, replace=False)
        if _exact.rank([rows[i] for i in b]) == 3:
            bases.append(b)
    basis = np.array(bases, dtype=np.int32)
    ech = eng._extend(*eng._echelon(basis[:, :2]), basis[:, 2])
    P_ext, q = eng._residuals(*ech)
    P_ref, q_ref = eng._planes(basis)
    assert q == q_ref == 2
    assert _classes(eng, P_ext) == _classes(eng, P_ref)


@pytest.mark.parametrize("K", [1, 7, 8, 31, 63, 64, 65, 130])
def test_lattice_bitsets_to_packed_words(K):
    """The byte-wise bit reversal equals unpacking the lattice bitsets and packing again."""
    from zonotope._lsweep import _lattice_to_packed, _pack, _to_mask

    rng = np.random.default_rng(K)
    W = (K + 63) // 64
    B = rng.random((40, K)) < 0.4
    bits = np.zeros((40, W), dtype=np.uint64)
    for r in range(40):
        for j in np.nonzero(B[r])[0]:
            bits[r, j >> 6] |= np.uint64(1) << np.uint64(j & 63)
    assert np.array_equal(_to_mask(bits, K), B)
    assert np.array_equal(_lattice_to_packed(bits), _pack(B, W))
