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
