"""Unit tests of the vectorised fast paths of the sweep against plain Python oracles."""

from fractions import Fraction

import numpy as np
import pytest

from zonotope._exact import ExactRows, dot_signs, points_match
from zonotope._sweep import packed_order


@pytest.mark.parametrize("width", [1, 2, 3, 7, 8, 13, 17])
@pytest.mark.parametrize("seed", range(3))
def test_packed_order_is_a_stable_memcmp_sort(width, seed):
    rng = np.random.default_rng([seed, width])
    M = int(rng.integers(0, 400))
    # few distinct byte values, so ties (equal rows, equal prefixes) are common
    P = rng.choice(np.array([0, 1, 128, 255], dtype=np.uint8), size=(M, width))
    order = packed_order(P)
    expect = sorted(range(M), key=lambda i: (P[i].tobytes(), i))  # stable lexicographic
    assert order.tolist() == expect


@pytest.mark.parametrize("K", [1, 5, 8, 9, 16, 23])
@pytest.mark.parametrize("dim", [1, 3, 5])
def test_points_match_packed_equals_unpacked_and_exact_signs(K, dim):
    rng = np.random.default_rng([K, dim])
    rows = rng.integers(-3, 4, size=(K, dim)).astype(np.float64)
    er = ExactRows(rows)
    cols = np.arange(K)
    P = rng.integers(-4, 5, size=(60, dim)).astype(np.float64)  # integer points: many exact zeros
    P[:5] *= 2.0 ** -1060  # subnormal scale: the exact fallback
    exact = np.array([[int(np.sign(sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(r, p))))
                       for r in rows] for p in P])
    assert np.array_equal(dot_signs(er, cols, P), exact)
    # expected bits: the true sign pattern for half of the points, a perturbed one for the rest
    bits = (exact > 0).astype(np.uint8)
    bits[30:, 0] ^= 1
    truth = np.all(exact == 2 * bits.astype(np.int8) - 1, axis=1)
    packed = np.packbits(bits, axis=1)
    if K % 8:  # padding bits must be ignored
        packed[:, -1] |= np.uint8((1 << (8 - K % 8)) - 1)
    assert np.array_equal(points_match(er, cols, P, bits), truth)
    assert np.array_equal(points_match(er, cols, P, packed=packed), truth)
    assert truth[:30].sum() == np.all(exact[:30] != 0, axis=1).sum()


def _parallel_exact(a, b):
    """Exact test: a and b are non-zero multiples of each other (2x2 minors all zero)."""
    fa = [Fraction(float(v)) for v in a]
    fb = [Fraction(float(v)) for v in b]
    if not any(fa) or not any(fb):
        return False
    return all(fa[i] * fb[j] == fa[j] * fb[i] for i in range(len(fa)) for j in range(i + 1, len(fa)))


@pytest.mark.parametrize("seed", range(6))
def test_reduce_parallel_classes_match_exact_pairwise_oracle(seed):
    from zonotope._enumerate import _reduce

    rng = np.random.default_rng(seed)
    dim = int(rng.integers(2, 5))
    base = rng.standard_normal((6, dim))
    base[0, 0] = 0.0  # a first coordinate equal to zero
    rows = [base[i] for i in range(6)]
    # parallel copies with non-power-of-two ratios, signs, huge and tiny scales
    rows += [3.0 * base[1], -5.0 * base[1], base[2] * 2.0 ** -40, -base[0] * 7.0, base[3] * 2.0 ** 300]
    rows += [np.zeros(dim)]
    # an almost parallel row (not parallel: one entry moved by one ulp)
    near = 3.0 * base[4]
    near[-1] = np.nextafter(near[-1], np.inf)
    rows.append(near)
    N = np.array(rows)[rng.permutation(len(rows))]
    red = _reduce(N, np.zeros((0, dim), dtype=int))
    n = N.shape[0]
    for i in range(n):
        for j in range(n):
            same = red.cls[i] >= 0 and red.cls[i] == red.cls[j]
            assert same == (i == j and any(N[i]) or _parallel_exact(N[i], N[j])), (i, j)
    # orientation: +1 exactly when the row is a positive multiple of its class representative
    reps = {}
    for i in range(n):
        if red.cls[i] >= 0:
            reps.setdefault(int(red.cls[i]), i)
    for i in range(n):
        if red.cls[i] >= 0:
            r = N[reps[int(red.cls[i])]]
            k = int(np.argmax(r != 0))
            assert red.orient[i] * red.orient[reps[int(red.cls[i])]] == np.sign(N[i][k] * r[k])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n_b", [0, 1, 3, 50, 3000])
def test_keys_and_words_isin_match_python_sets(seed, n_b):
    from zonotope._sweep import keys_isin, words_isin

    rng = np.random.default_rng([seed, n_b])
    # few distinct words, so equal keys, shared slots and shared hashes all occur
    pool = np.concatenate([rng.integers(0, 2**63, 40, dtype=np.uint64),
                           np.array([0, 1, 2**64 - 1], np.uint64)])
    for W in (1, 2, 3):
        rowsB = {tuple(r) for r in rng.choice(pool, size=(n_b, W))}
        B = np.array(sorted(rowsB), dtype=np.uint64).reshape(-1, W)
        A = np.concatenate([rng.choice(pool, size=(500, W)).astype(np.uint64), B[: n_b // 2]])
        want = np.array([tuple(r) in rowsB for r in A.tolist()], dtype=bool)
        assert np.array_equal(words_isin(A, B), want)
        if W == 1:
            assert np.array_equal(keys_isin(A[:, 0], B[:, 0]), want)
    # many keys of b in few slots: the binary-search fallback
    b = (np.arange(2000, dtype=np.uint64) << np.uint64(40))
    a = np.concatenate([b[::3], b[::7] + np.uint64(1)])
    assert np.array_equal(keys_isin(a, b), np.isin(a, b))


@pytest.mark.parametrize("row_scale", [1.0, 1e200, 1e-200, 2.0 ** 600, 2.0 ** -700])
@pytest.mark.parametrize("p_scale", [1.0, 1e-300, 1e300, 2.0 ** -1068, 1.7e308 / 8])
def test_scaled_points_equal_the_entrywise_reference(row_scale, p_scale):
    """The fast per-entry factor path gives exactly the entrywise ldexp of the docstring."""
    from zonotope._exact import _scaled_points

    rng = np.random.default_rng(7)
    rows = rng.integers(-6, 7, size=(9, 3)).astype(float) * np.array([row_scale, 1.0, row_scale ** 0.5])
    er = ExactRows(rows)
    cols = np.arange(9)
    P = rng.integers(-5, 6, size=(40, 3)).astype(float) * p_scale
    P[0] = 0.0
    with np.errstate(all="raise", under="ignore"):
        Q, B, absB, finite = _scaled_points(er, cols, P)
    if er.int_mode and p_scale == 1.0:  # integer rows, moderate points: no scaling at all
        assert np.array_equal(Q, P) and np.array_equal(B, er.F) and finite.all()
        return
    c = er.point_view()[0]
    # the reference: s_a = -max_j (exponent(P_aj) - c_j) over the non-zero entries
    E = np.frexp(P)[1].astype(np.int64) - c[None, :]
    E = np.where(P != 0, E, np.iinfo(np.int64).min // 4)
    s = -E.max(axis=1)
    s[np.all(P == 0, axis=1)] = 0
    ref = np.ldexp(P, np.clip(s[:, None] - c[None, :], -4000, 4000).astype(np.int32))
    assert np.array_equal(Q, ref)


@pytest.mark.parametrize("n", range(2, 10))
def test_cofactor_expansion_paths_are_bitwise_identical(n):
    """The scalar path (one or two rows), the vectorised path and its cache blocks agree bitwise."""
    from zonotope._exact import _cofactors_det

    rng = np.random.default_rng(n)
    F = rng.standard_normal((30, n)) * 2.0 ** rng.integers(-30, 30, size=(30, 1))
    idx = np.array([rng.choice(30, n - 1, replace=False) for _ in range(3000)])
    full = _cofactors_det(F, idx)  # several cache blocks
    for lo in (0, 1, 17, 2998):
        assert np.array_equal(_cofactors_det(F, idx[lo:lo + 1]), full[lo:lo + 1])
        assert np.array_equal(_cofactors_det(F, idx[lo:lo + 2]), full[lo:lo + 2])
        assert np.array_equal(_cofactors_det(F, idx[lo:lo + 3]), full[lo:lo + 3])
    if n <= 6:  # an independent reference: numpy determinants of the minors (up to rounding)
        sub = idx[:50]
        ref = np.array([[(-1) ** (n - 1 + c) * np.linalg.det(np.delete(F[s], c, axis=1)) for c in range(n)]
                        for s in sub])
        assert np.allclose(full[:50], ref, rtol=1e-9, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize(("p", "q"), [(2, 1), (2, 6), (3, 4), (5, 3), (7, 2), (29, 3), (101, 2)])
def test_class_table_is_the_leading_one_representative(p, q):
    from zonotope._flats import _class_table

    t = _class_table(p, q)
    assert t.shape == (p**q,) and not t.flags.writeable
    for code in range(p**q):
        v = [(code // p ** (q - 1 - c)) % p for c in range(q)]
        lead = next((x for x in v if x), None)
        if lead is None:
            assert t[code] == p**q
            continue
        inv = pow(lead, -1, p)
        assert t[code] == sum(((x * inv) % p) * p ** (q - 1 - c) for c, x in enumerate(v))


@pytest.mark.parametrize("seed", range(5))
def test_lattice_with_class_tables_equals_the_hash_route(seed, monkeypatch):
    """The table route of the covers (small p^q) against the normalise-and-hash route."""
    from zonotope import _flats
    from zonotope._lsweep import lattice_levels

    rng = np.random.default_rng(seed)
    dim = int(rng.integers(3, 6))
    rows = {tuple(int(v) for v in rng.integers(-1, 2, size=dim)) for _ in range(40)}
    rows = [list(r) for r in rows if any(r) and next(v for v in r if v) > 0]
    got = lattice_levels(rows, dim)
    monkeypatch.setattr(_flats, "_CLASS_MAX", 0)  # no table: the other route
    ref = lattice_levels(rows, dim)
    assert got[2] == ref[2]
    for (gb, gbas), (rb, rbas) in zip(got[0], ref[0]):
        assert np.array_equal(gb, rb) and np.array_equal(gbas, rbas)
    for gp, rp in zip(got[1], ref[1]):
        assert (gp is None) == (rp is None)
        if gp is not None:
            assert np.array_equal(gp[0], rp[0]) and np.array_equal(gp[1], rp[1])


def _rref_nullspace(rows, n):
    """Reference: the reduced row echelon form in Fractions, one vector per free column."""
    R = [[Fraction(v) for v in r] for r in rows]
    piv, r = [], 0
    for c in range(n):
        k = next((i for i in range(r, len(R)) if R[i][c] != 0), None)
        if k is None:
            continue
        R[r], R[k] = R[k], R[r]
        R[r] = [v / R[r][c] for v in R[r]]
        for i in range(len(R)):
            if i != r and R[i][c] != 0:
                R[i] = [a - R[i][c] * b for a, b in zip(R[i], R[r])]
        piv.append(c)
        r += 1
    out = []
    for f in (c for c in range(n) if c not in piv):
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for i, pc in enumerate(piv):
            v[pc] = -R[i][f]
        den = 1
        for x in v:
            den = den * x.denominator // np.gcd(den, x.denominator)
        w = [int(x * den) for x in v]
        g = 0
        for x in w:
            g = int(np.gcd(g, abs(x)))
        out.append([x // g for x in w])
    return out


@pytest.mark.parametrize("seed", range(8))
def test_echelon_nullspace_is_the_primitive_rref_basis(seed):
    from zonotope._exact import echelon, echelon_nullspace, exact_nullspace

    rng = np.random.default_rng(seed)
    for _ in range(40):
        m, n = int(rng.integers(0, 6)), int(rng.integers(1, 7))
        rows = rng.integers(-4, 5, size=(m, n)) * rng.integers(1, 3, size=(m, 1))
        rows = [[int(v) for v in r] for r in rows]
        if m >= 3:
            rows[2] = [a - 2 * b for a, b in zip(rows[0], rows[1])]  # a dependent row
        ref = _rref_nullspace(rows, n)
        assert exact_nullspace(rows, n) == ref
        if rows:
            E, piv, _ = echelon(rows)
            assert echelon_nullspace(E, piv, n) == ref
            for v in ref:  # the reference itself: null vectors, primitive
                assert all(sum(a * b for a, b in zip(r, v)) == 0 for r in rows)


def test_int_rank_lineality_falls_back_when_the_float_pick_is_wrong():
    """Nearly dependent integer rows fool the float pick; the exact check catches it."""
    from zonotope._enumerate import _int_rank_lineality

    big = 2**39
    rows = np.array([[big, 1, 0], [big + 1, 1, 0], [2 * big + 1, 2, 0], [3 * big + 1, 3, 0],
                     [big - 1, 1, 0], [5 * big + 2, 5, 0], [7 * big + 3, 7, 0]], dtype=np.float64)
    er = ExactRows(rows)
    rank, lin = _int_rank_lineality(er, np.arange(rows.shape[0]), 3)
    assert rank == 2 and lin == [[0, 0, 1]]
    rank, lin = _int_rank_lineality(er, np.array([0, 2, 4, 6, 1, 3, 5]), 3)
    assert rank == 2 and lin == [[0, 0, 1]]


@pytest.mark.parametrize("seed", range(6))
def test_int_rank_lineality_matches_the_full_elimination(seed):
    from zonotope._enumerate import _int_rank_lineality
    from zonotope._exact import echelon, echelon_nullspace

    rng = np.random.default_rng(seed)
    dim = int(rng.integers(2, 7))
    r = int(rng.integers(0, dim + 1))
    basis = rng.integers(-3, 4, size=(r, dim))
    rows = rng.integers(-2, 3, size=(3 * dim + 2, r)) @ basis if r else np.zeros((3 * dim + 2, dim), int)
    er = ExactRows(rows.astype(np.float64))
    got = _int_rank_lineality(er, np.arange(rows.shape[0]), dim)
    E, piv, _ = echelon([[int(v) for v in row] for row in rows])
    assert got == (len(piv), echelon_nullspace(E, piv, dim))


@pytest.mark.parametrize("scale", [1.0, 2.0 ** 899, 2.0 ** -899, 2.0 ** 901, 2.0 ** -901, 1e-310])
def test_integer_rows_signs_at_the_edges_of_the_unscaled_path(scale):
    """Integer rows: dot_signs and points_match against Fractions, around 2^-900 and 2^900."""
    rng = np.random.default_rng(11)
    rows = rng.integers(-(2**39), 2**39, size=(12, 4)).astype(np.float64)
    rows[:4] = rng.integers(-3, 4, size=(4, 4))
    er = ExactRows(rows)
    assert er.int_mode
    P = rng.integers(-3, 4, size=(50, 4)).astype(np.float64)
    P[:10, 0] = 0.0
    P[10:20] = rows[:4][rng.integers(0, 4, size=10)][:, [1, 0, 3, 2]] * [1, -1, 1, -1]  # exact zeros
    P[20:] *= 1.0 + rng.integers(0, 2**20, size=(30, 4)) * 2.0**-40  # non-integer entries
    P = P * scale
    P[25, 1] = P[25, 1] * 2.0**-1 if P[25, 1] else P[25, 1]  # mixed magnitudes in one point
    cols = np.arange(12)
    exact = np.array([[int(np.sign(sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(r, p))))
                       for r in rows] for p in P])
    assert np.array_equal(dot_signs(er, cols, P), exact)
    bits = (exact > 0).astype(np.uint8)
    truth = np.all(exact == 2 * bits.astype(np.int8) - 1, axis=1)
    assert np.array_equal(points_match(er, cols, P, bits), truth)
    assert np.array_equal(points_match(er, cols, P, packed=np.packbits(bits, axis=1)), truth)


@pytest.mark.parametrize("seed", range(6))
def test_residuals_float_reduction_equals_integer_modulo(seed, monkeypatch):
    """The residuals mod p reduced in floating point equal numpy's integer ``%``."""
    from zonotope import _flats

    rng = np.random.default_rng(seed)
    dim = int(rng.integers(3, 7))
    rows = [[int(v) for v in r] for r in rng.integers(-3, 4, size=(20, dim)) if np.any(r)]
    eng = _flats._Engine(rows, dim)
    assert eng.small
    k = int(rng.integers(1, eng.rank))
    basis = []
    while len(basis) < 8:  # independent k-subsets
        b = np.sort(rng.choice(len(rows), size=k, replace=False))
        if np.linalg.matrix_rank(np.array([rows[i] for i in b], dtype=float)) == k:
            basis.append(b)
    basis = np.array(basis, dtype=np.int32)
    got, q = eng._residuals(*eng._echelon(basis))
    monkeypatch.setattr(_flats, "_FLOAT_MOD_MAX", 0)
    ref, q2 = eng._residuals(*eng._echelon(basis))
    assert q == q2 and got.dtype == ref.dtype and np.array_equal(got, ref)
    assert got.min() >= 0 and got.max() < eng.p
    # zero residual exactly for the hyperplanes in the span of the basis
    for b in range(basis.shape[0]):
        for j in range(len(rows)):
            M = np.array([rows[i] for i in basis[b]] + [rows[j]], dtype=float)
            assert (not np.any(got[:, b, j])) == (np.linalg.matrix_rank(M) == k)
