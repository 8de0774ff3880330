"""The Moebius function on one flat per orbit of a symmetry group (``docs/degenerate.md`` 2b).

Summing Weisner's theorem over all the atoms ``a`` of a flat ``Y`` gives a form that
no longer depends on an order of the hyperplanes, hence is invariant under every
symmetry::

    |Y| c(Y) = sum over coatoms X of Y of |Y - X| c(X),      c = |mu(0, .)|.

Counting the pairs ``X < Y`` (``X`` covered by ``Y``) between two orbits ``O`` and
``O'`` both ways, ``|O| n(X_O -> O') = |O'| m(Y_O' -> O)``, where ``n`` counts the
covers of the representative ``X_O`` that lie in ``O'`` and ``m`` the coatoms of
``Y_O'`` that lie in ``O``.  Hence, with only the covers of representatives::

    |Y| |O'| c(O') = sum over orbits O of c(O) |O| (|Y| - |X_O|) n(X_O -> O').

The division is exact (a theorem); it is checked.  Orbits of covers are told apart
by a cheap invariant first (sorted column sums of random hyperplane weights, which
a coordinate permutation only permutes), then exactly, by the images of one member
under every group element (bitsets compared word by word).
"""

from __future__ import annotations

import numpy as np

from ._flats import _group_rows

__all__: list[str] = []

_IMAGE_BYTES = 1 << 25  # bool image entries (flats x group x hyperplanes) per block

_INT64_SUM_MAX = 2**62  # numerators summed in int64 below this bound, else Python integers


def _unpack(bits, K):
    """(M, W) uint64 bitsets -> (M, K) bool."""
    u8 = np.ascontiguousarray(bits).view(np.uint8)
    return np.unpackbits(u8, axis=1, bitorder="little")[:, :K].astype(bool)


_MIX = np.random.default_rng(0x0B17).integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)


def _row_hash(bits):
    """A 64-bit hash of each bitset row (every word multiplied by its own odd constant, mixed).

    Equal rows have equal hashes; unequal rows rarely do, and every caller compares
    the words of rows whose hashes agree.
    """
    h = np.zeros(bits.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for w in range(bits.shape[1]):
            x = bits[:, w] * _MIX[w % 64] + np.uint64(w)
            x ^= x >> np.uint64(31)
            h = (h ^ x) * np.uint64(0x9E3779B97F4A7C15)
            h ^= h >> np.uint64(29)
    return h


class _Action:
    """A group acting on the engine's hyperplanes, with what the orbit invariant needs."""

    def __init__(self, hperms, col_perms, rows):
        self.H = np.ascontiguousarray(hperms, dtype=np.intp)  # (G, K)
        self.G, self.K = self.H.shape
        # the gather of the images, laid out for numpy's fast (big-endian, flat) packbits:
        # padded to whole words with a column that is always False (index K), and the
        # bits of every byte reversed, so the big-endian bytes are the engine's
        # little-endian words
        W = (self.K + 63) // 64
        Hp = np.full((self.G, 64 * W), self.K, dtype=np.intp)
        Hp[:, : self.K] = self.H
        self.Hq = np.ascontiguousarray(Hp[:, np.arange(64 * W) ^ 7])
        n = col_perms.shape[1]
        # orbits of coordinates (a symmetry permutes the columns inside each); the
        # group is given whole, so the orbit of i is the column {sigma(i)}: label = min
        lab = np.min(np.asarray(col_perms, dtype=np.int64).reshape(-1, n), axis=0)
        self.col_order = np.argsort(lab, kind="stable")
        self.col_blocks = np.unique(lab[self.col_order], return_index=True)[1]
        # orbits of hyperplanes (likewise: the column of images of h, labelled by its min)
        self.horb = horb = np.min(self.H, axis=0)
        # weights: a random value per (|entry|, hyperplane orbit); column sums of these
        # over the hyperplanes of a flat are permuted, not changed, by a symmetry
        A = np.array([[abs(int(v)) for v in r[:n]] for r in rows], dtype=object).reshape(self.K, n)
        vals = {}
        rng = np.random.default_rng(20261203)
        Wt = np.empty((self.K, n), dtype=np.float64)
        for h in range(self.K):
            for i in range(n):
                key = (A[h, i], int(horb[h]))
                w = vals.get(key)
                if w is None:
                    w = vals[key] = float(rng.integers(1, 2**30))
                Wt[h, i] = w
        self.Wt = Wt  # sums of K terms < 2^30 are exact in float64
        self.mix = rng.integers(1, 2**63, size=n + 1, dtype=np.uint64) | np.uint64(1)

    def invariant(self, B):
        """A symmetry-invariant uint64 of each flat (rows of bool ``B``)."""
        S = (B.astype(np.float64) @ self.Wt)[:, self.col_order]  # exact integers
        parts = np.split(S, self.col_blocks[1:], axis=1)
        S = np.concatenate([np.sort(p, axis=1) for p in parts], axis=1).astype(np.uint64)
        h = B.sum(axis=1).astype(np.uint64) * self.mix[-1]
        for i in range(S.shape[1]):
            h = (h ^ S[:, i]) * self.mix[i]
            h ^= h >> np.uint64(29)
        return h

    def images(self, B, W):
        """Every image of every flat: ``(len(B), G, W)`` uint64 bitsets."""
        Bp = np.zeros((B.shape[0], self.K + 1), dtype=bool)
        Bp[:, : self.K] = B
        Z = np.empty((B.shape[0], self.G, self.Hq.shape[1]), dtype=bool)  # C order (packbits)
        for t in range(B.shape[0]):
            Z[t] = Bp[t][self.Hq]
        return np.packbits(Z.reshape(-1)).view(np.uint64).reshape(B.shape[0], self.G, W)


def _orbits_of(act, bits, W):
    """Partition distinct bitsets into orbits.

    Returns ``(orbit, reps, sizes)``: the orbit of each row, the row representing each
    orbit, and the orbit sizes (numbers of distinct images).
    """
    U = bits.shape[0]
    B = _unpack(bits, act.K)
    inv = act.invariant(B)
    hU = _row_hash(bits)
    orbit = np.full(U, -1, dtype=np.int64)
    reps, sizes = [], []
    per = max(1, _IMAGE_BYTES // max(1, act.G * act.K))
    while True:
        left = np.nonzero(orbit < 0)[0]
        if left.size == 0:
            break
        # the first unassigned flat of each invariant class: pairwise in different orbits
        _, first = np.unique(inv[left], return_index=True)
        cand = left[first]
        for lo in range(0, cand.size, per):
            cs = cand[lo:lo + per]
            imgs = act.images(B[cs], W)  # (c, G, W)
            c, G = cs.size, act.G
            hi = _row_hash(imgs.reshape(c * G, W)).reshape(c, G)
            o = np.argsort(hi, axis=1)
            hs = np.take_along_axis(hi, o, axis=1)
            dup = hs[:, 1:] == hs[:, :-1]  # equal hashes next to each other, per candidate
            # orbit sizes: distinct images per candidate (equal hashes checked word by word)
            ti, tj = np.nonzero(dup)
            differ = np.any(imgs[ti, o[ti, tj]] != imgs[ti, o[ti, tj + 1]], axis=1)
            cnt = G - dup.sum(axis=1)
            weak = np.unique(ti[differ])  # a hash collision among the images: count exactly
            for t in weak.tolist():
                cnt[t] = len({r.tobytes() for r in imgs[t]})
            base = len(reps)
            reps.extend(cs.tolist())
            sizes.extend(cnt.tolist())
            orbit[cs] = base + np.arange(c)
            # members: unassigned flats equal to some image (hash, then exact words)
            todo = np.nonzero(orbit < 0)[0]
            if todo.size == 0:
                continue
            keep = np.ones((c, G), dtype=bool)
            keep[:, 1:] = ~dup
            keep[weak] = True  # every image of a candidate with colliding images
            ki, kj = np.nonzero(keep)
            ih, iw, io = hs[ki, kj], imgs[ki, o[ki, kj]], ki
            ot = np.argsort(hU[todo], kind="stable")
            tsort = todo[ot]
            th = hU[tsort]
            left = np.searchsorted(th, ih, side="left")
            right = np.searchsorted(th, ih, side="right")
            single = right - left == 1
            p = np.nonzero(single)[0]
            q = tsort[left[p]]
            same = np.all(iw[p] == bits[q], axis=1)
            orbit[q[same]] = base + io[p[same]]
            # several unassigned flats share the hash of an image: compare with each
            for t in np.nonzero(right - left > 1)[0].tolist():
                for r in range(left[t], right[t]):
                    if orbit[tsort[r]] < 0 and np.array_equal(iw[t], bits[tsort[r]]):
                        orbit[tsort[r]] = base + io[t]
    return orbit, np.array(reps, dtype=np.int64), np.array(sizes, dtype=np.int64)


def run_orbits(eng, act, *, affine=False, budget=None):
    """Weisner's recursion on one flat per orbit.

    Returns ``(w, W2)`` as :func:`zonotope._flats._run`: the sums of ``|mu(0, X)|``
    and the numbers of flats, per rank, over the whole lattice (semilattice).
    ``budget = (max_work, func)``: raise :class:`~zonotope.TooLargeError` once the
    representatives reduced times the hyperplanes exceed ``max_work``.
    """
    work = 0
    K, W = eng.K, eng.W
    top = eng.rank
    w, W2 = [1], [1]
    if K == 0:
        return w, W2
    last = top - 1 if affine else top
    start = 1 if affine else 0
    # rank 1: the orbits of the hyperplanes (H_inf, fixed by every symmetry, excluded)
    hs = np.arange(start, K)
    reps_h = np.unique(act.horb[hs])
    sizes = np.array([int(np.sum(act.horb[hs] == r)) for r in reps_h], dtype=np.int64)
    bits = np.zeros((reps_h.size, W), dtype=np.uint64)
    bits[np.arange(reps_h.size), reps_h >> 6] = np.left_shift(np.uint64(1), (reps_h & 63).astype(np.uint64))
    basis = reps_h.reshape(-1, 1).astype(np.int32)
    c = [1] * reps_h.size
    card = np.ones(reps_h.size, dtype=np.int64)
    k = 1
    while True:
        w.append(sum(int(s) * v for s, v in zip(sizes.tolist(), c)))
        W2.append(int(sizes.sum()))
        if k >= last:
            break
        # every cover of every representative
        if budget is not None and budget[0] is not None:
            work += bits.shape[0] * K
            if work > budget[0]:
                from .exceptions import TooLargeError

                raise TooLargeError(
                    f"the lattice recursion on orbits has reduced {work // K:,} flats x {K} "
                    f"hyperplanes ({work:.3g} > max_work={budget[0]:.3g}) and is not done; "
                    f"pass max_work=None to {budget[1]} to count anyway")
        mins = np.zeros(bits.shape[0], dtype=np.int64)
        mu = np.zeros(bits.shape[0], dtype=np.int64)
        yb, yB, src = [], [], []
        for lo, hi in eng.batches(bits.shape[0], k):
            out = eng.covers(bits[lo:hi], basis[lo:hi], mins[lo:hi], mu[lo:hi], qualify=False)
            if out is not None:
                yb.append(out[0])
                yB.append(out[1])
                src.append(out[4] + lo)
        if not yb:  # pragma: no cover - a level below the top always has covers
            break
        ybits, ybasis, src = np.concatenate(yb), np.concatenate(yB), np.concatenate(src)
        order, new = _group_rows(ybits)
        starts = np.nonzero(new)[0]
        uid = np.empty(order.size, dtype=np.int64)
        uid[order] = np.cumsum(new) - 1
        ubits = ybits[order[starts]]
        orb, reps, osz = _orbits_of(act, ubits, W)
        # the numerators: per (representative X, cover Y) pair, c(X) |O_X| (|Y| - |X|)
        ycard = _unpack(ubits, K).sum(axis=1).astype(np.int64)
        pair_orb = orb[uid]
        grow = ycard[uid] - card[src]
        cx = [int(c[i]) * int(sizes[i]) for i in range(len(c))]
        if max(cx) * K * max(1, pair_orb.size) < _INT64_SUM_MAX:  # every partial sum fits int64
            acc = np.zeros(reps.size, dtype=np.int64)
            np.add.at(acc, pair_orb, np.array(cx, dtype=np.int64)[src] * grow)
            num = [int(v) for v in acc]
        else:
            num = [0] * reps.size
            for o, s, g in zip(pair_orb.tolist(), src.tolist(), grow.tolist()):
                num[o] += cx[s] * g
        new_c = []
        rep_card = ycard[reps]
        for o in range(reps.size):
            d = int(rep_card[o]) * int(osz[o])
            q, r = divmod(num[o], d)
            if r:
                raise AssertionError("orbit Moebius values are not integers")  # pragma: no cover
            new_c.append(q)
        first_pair = order[starts]
        bits = ubits[reps]
        basis = ybasis[first_pair[reps]]
        card = rep_card
        sizes = osz
        c = new_c
        k += 1
    return w, W2
