r"""The pricing pass of the CGL over *all* chambers, and the chamber table behind it.

For a residual ``r`` (``docs/convex.md`` has the proofs) every block ``b`` (pattern
``D``, sign ``s``) has the correlation ``c_b = s Xb^T D r`` and its projection
``v_b = Pi_{K_D}(c_b)`` onto the chamber's cone.  ``r`` is dual feasible iff
``|v_b| <= lambda`` for every chamber; the maximum over all chambers is found by one
streaming pass: ``|Pi_K(c)| <= |c|`` screens out every chamber with
``|Xb^T D r| <= lambda`` (for both signs at once), and only the survivors are
projected.  :func:`price_chambers` runs it on the fly; :class:`ChamberTable` keeps the
chambers as packed sign rows with byte lookup tables and :class:`ChamberPricer` prices
them again and again (column generation, paths).  The certificates built on it are in
:mod:`relu.convex.certificate`.
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._cone import project_onto_cones

if TYPE_CHECKING:
    from collections.abc import Iterable

    from numpy.typing import ArrayLike

    from zonotope import Arrangement


__all__ = ["price_chambers", "PricingResult", "ChamberTable", "ChamberPricer"]

#: Chambers per batch of the pricing pass (sorted by |c|, so the top-k threshold tightens).
_CHUNK = 4096

def _chamber_blocks(arr, block_size):
    """Bit-packed chamber sign rows of ``arr``, streamed in blocks of ``block_size`` rows.

    Through :func:`zonotope.iter_chambers` (exact sweep; memory = one block plus one
    hyperplane section's chambers).
    """
    import zonotope as zt

    for blk in zt.iter_chambers(arr, block_size=block_size, interior_points=False,
                                max_chambers=None):
        yield blk.packed


def _byte_tables(Rx):
    """Lookup tables ``T[k, byte] = sum_{bits set} r_i x_bar_i`` for packed sign rows.

    ``Rx`` has one row per hyperplane in arrangement order; bit ``j`` of byte ``k``
    (``numpy.packbits`` order: most significant first) is hyperplane ``8k + j``.
    """
    nh, p = Rx.shape
    nb = (nh + 7) // 8
    pad = np.zeros((nb * 8, p))
    pad[:nh] = Rx
    bits = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.float64)
    return np.einsum("vj,kjp->kvp", bits, pad.reshape(nb, 8, p))


@dataclass(frozen=True, eq=False)
class PricingResult:
    """One pass over all chambers at a residual ``r`` (see :func:`price_chambers`).

    Attributes
    ----------
    max_ratio : float
        ``max over chambers and signs of |Pi_K(s Xb^T D r)| / lambda``, exact when it
        exceeds 1, else an upper bound ``<= 1`` (``r`` is dual feasible for the full
        program); chambers screened out by ``|Xb^T D r| <= lambda`` count as 0.
    worst_pattern : ndarray of uint8, shape (n_samples,), or None
    worst_sign : int
    top_patterns : ndarray of uint8, shape (k, n_samples)
        The most violated patterns (ratio > 1), most violated first.
    top_ratios : ndarray, shape (k,)
    top_signs : ndarray of int, shape (k,)
    n_chambers : int
    n_screened : int
        Chambers whose ``|Xb^T D r| <= lambda`` (no further work for either sign).
    n_projected : int
        Cone projections computed: (chamber, sign) pairs that passed the norm screen
        *and* the one-halfspace bound and were not inside their cone.
    seconds : float
    n_skipped : int
        Chambers with ``lambda < |Xb^T D r| <= lambda t_k``, ``t_k`` the ``top_k``-th
        largest ratio found so far: they cannot enter the top list (nor hold the
        maximum), so they need nothing more.  (:class:`ChamberPricer`: chambers whose
        cheap bound lies in ``(1, t_k]``; its ``n_screened`` counts the chambers whose
        cheap bound -- ``|Xb^T D r| / lambda`` or the carried bound -- is ``<= 1``.)
    n_evaluated : int
        Chambers given per-chamber work (halfspace bounds, projections); only set by
        :class:`ChamberPricer`.
    partial : bool
        A partial pass of :meth:`ChamberPricer.price`: violations were proven and only
        the most promising chambers resolved; ``max_ratio`` is then an upper bound
        only, and the pass certifies nothing.

    Examples
    --------
    >>> import relu
    >>> pr = relu.convex.price_chambers([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> pr.n_chambers, pr.max_ratio > 1
    (6, True)
    """

    max_ratio: float
    worst_pattern: np.ndarray | None
    worst_sign: int
    top_patterns: np.ndarray
    top_ratios: np.ndarray
    top_signs: np.ndarray
    n_chambers: int
    n_screened: int
    n_projected: int
    seconds: float
    n_skipped: int = 0
    n_evaluated: int = 0
    partial: bool = False


def _push(heap, top_k, item, exclude):
    if item[2] in exclude:
        return
    if len(heap) < top_k:
        heapq.heappush(heap, item)
    elif item[0] > heap[0][0]:
        heapq.heapreplace(heap, item)


def _best(ratio, bits_row, idx, n, sign):
    D = np.zeros(n, dtype=np.uint8)
    D[idx] = bits_row
    return (float(ratio), D, int(sign))


def _halfspace_bounds(c, a, sg, Gram, lam, kmax=3):
    """Projection onto the intersection of the few most violated halfspaces of a cone.

    For each row: ``c`` (``(m, p)``), ``a = G c`` with unit rows ``g_i = sg_i x_hat_i``
    (``(m, n_h)``).  Stage ``k`` projects ``c`` onto ``{g_i . w >= 0, i in S}`` for the set
    ``S`` of the ``k`` constraints collected so far (exactly: every subset of ``S`` as
    the active set, KKT checked), adds the constraint most violated by that
    projection, and stops at ``kmax``.  Since the cone lies in that intersection,
    ``|w_S|`` is an upper bound on ``|Pi_K(c)|``, and it is the exact value when
    ``w_S`` is in the cone.  Rows whose bound falls to ``lam`` or below stop early.

    Returns ``(ub, exact)``.
    """
    import itertools as it

    m = c.shape[0]
    cn2 = np.einsum("ij,ij->i", c, c)
    ub = np.sqrt(cn2)
    exact = np.zeros(m, dtype=bool)
    if m == 0:
        return ub, exact
    amin_idx = np.argmin(a, axis=1)
    amin = a[np.arange(m), amin_idx]
    exact[amin >= 0] = True                       # c in the cone
    live = np.nonzero(amin < 0)[0]
    S = amin_idx[live][:, None]
    for k in range(1, kmax + 1):
        if live.size == 0:
            break
        aS = a[live[:, None], S]                                            # (l, k)
        sS = sg[live[:, None], S]
        GS = Gram[S[:, :, None], S[:, None, :]] * sS[:, :, None] * sS[:, None, :]   # (l, k, k)
        if k == 1:
            best_mu = -aS                                                   # unit rows
            best_w2 = cn2[live] - aS[:, 0] ** 2
        else:
            best_w2 = np.full(live.size, np.inf)
            best_mu = np.zeros((live.size, k))
            tol = 1e-12 * np.sqrt(cn2[live])
            for size in range(1, k + 1):
                for T in it.combinations(range(k), size):
                    T = list(T)
                    GT = GS[:, T][:, :, T]
                    bT = aS[:, T]
                    if size == 1:
                        ok = np.abs(GT[:, 0, 0]) > 1e-12
                        mu = -bT / np.where(ok, GT[:, 0, 0], 1.0)[:, None]
                    else:
                        ok = np.abs(np.linalg.det(GT)) > 1e-12
                        mu = np.zeros((live.size, size))
                        if ok.any():
                            mu[ok] = -np.linalg.solve(GT[ok], bT[ok][:, :, None])[:, :, 0]
                    full = np.zeros((live.size, k))
                    full[:, T] = mu
                    feas = aS + np.einsum("lij,lj->li", GS, full)
                    valid = ok & np.all(mu >= 0, axis=1) & np.all(feas >= -tol[:, None], axis=1)
                    w2 = cn2[live] + np.einsum("lj,lj->l", mu, bT)
                    take = valid & (w2 < best_w2)
                    best_w2[take] = w2[take]
                    best_mu[take] = full[take]
        found = np.isfinite(best_w2)
        # rows where no active set passed (rounding): keep the previous bound, give up
        ubl = np.where(found, np.sqrt(np.maximum(best_w2, 0.0)), ub[live])
        ub[live] = np.minimum(ub[live], ubl)
        # only rows whose bound still exceeds lam need the exactness test / next stage
        go = np.nonzero(found & (ub[live] > lam))[0]
        if go.size == 0:
            break
        lg = live[go]
        Sg = S[go]
        coef = best_mu[go] * sS[go]                                         # (g, k)
        aw = a[lg] + sg[lg] * np.einsum("lk,lki->li", coef, Gram[Sg])
        inside = aw.min(axis=1) >= -1e-12 * np.sqrt(cn2[lg])
        exact[lg[inside]] = True
        if k == kmax:
            break
        nxt = np.argmin(aw[~inside], axis=1)
        S = np.concatenate([Sg[~inside], nxt[:, None]], axis=1)
        live = lg[~inside]
    return ub, exact


def price_chambers(X: ArrayLike, r: ArrayLike, lam: float, *, bias: bool = True, block_size: int = 1 << 13,
                   top_k: int = 16, progress: bool = False, chambers: Iterable[np.ndarray] | None = None,
                   exclude: set[bytes] | None = None) -> PricingResult:
    """Largest dual violation ``|Pi_K(s Xb^T D r)| / lambda`` over *all* chambers.

    One streaming pass through the chambers of the data arrangement (nothing is
    kept but one block and the ``top_k`` most violated patterns).  Per chamber the
    correlation ``c = Xb^T D r`` is summed from byte lookup tables of the packed sign
    row (``O(n / 8)`` table reads of length ``p``, no unpacking); chambers with
    ``|c| <= lambda`` are screened out for both signs (``|Pi_K(c)| <= |c|``), the
    survivors are projected onto their cone (DAQP).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    r : array_like, shape (n_samples,)
        The residual ``-dL/dz`` (``y - fit`` for the squared loss), paper scaling.
    lam : float
        ``lambda`` in paper scaling.
    bias : bool
    block_size : int
        Chambers per block.
    top_k : int
        Number of most violated (pattern, sign) pairs to keep.
    progress : bool
        tqdm bar over chambers (quiet when not a terminal).
    chambers : iterable of packed blocks, optional
        Reuse already enumerated blocks (as yielded by a previous pass).
    exclude : set of bytes, optional
        Packed sign rows (arrangement order) never reported among the top patterns
        (a working set); they still count for ``max_ratio``.

    Returns
    -------
    PricingResult

    Notes
    -----
    Per surviving chamber and sign, ``|Pi_H(c)|`` for the halfspace ``H`` of the most
    violated constraint is an upper bound, and it is the exact value when
    ``Pi_H(c)`` lies in the cone.  The remaining chambers are projected (DAQP) in
    decreasing order of their bound and only while the bound exceeds both ``lambda`` and
    the ``top_k``-th largest ratio found so far, so ``max_ratio`` is exact when above 1
    while most chambers of an early, far-from-optimal round need no QP.

    Examples
    --------
    Three points on a line priced at the residual of the zero network (``r = y``).
    For the all-active pattern the correlation ``c = Xb^T r = (1, 1)`` lies in its cone,
    so its ratio is ``|c| / lambda = sqrt(2) / 0.5``; for the pattern ``011`` the
    projection onto the cone ``{w_2 <= 0, w_1 + w_2 >= 0}`` is ``(1, 0)``, ratio 2:

    >>> import relu
    >>> X, r = [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]
    >>> pr = relu.convex.price_chambers(X, r, 0.5)
    >>> pr.n_chambers, round(pr.max_ratio, 6), round(2 ** 0.5 / 0.5, 6)
    (6, 2.828427, 2.828427)
    >>> pr.top_patterns                   # ratio > 1, most violated first
    array([[1, 1, 1],
           [0, 1, 1]], dtype=uint8)
    >>> pr.top_ratios.round(6)
    array([2.828427, 2.      ])

    With ``lambda = 2`` no chamber is violated: ``r`` is dual feasible for every pattern.

    >>> pr = relu.convex.price_chambers(X, r, 2.0)
    >>> round(pr.max_ratio, 6), len(pr.top_patterns)
    (0.707107, 0)
    """
    from .._checks import check_data
    from .program import _arrangement

    t0 = time.perf_counter()
    Xv, Xf = check_data(X, "price_chambers")
    n = Xf.shape[0]
    Xb = np.hstack([Xf, np.ones((n, 1))]) if bias else Xf
    r = np.asarray(r, dtype=np.float64).reshape(-1)
    arr, idx = _arrangement(Xv, bias)
    T = _byte_tables(r[idx, None] * Xb[idx])
    Xh = Xb[idx] / np.linalg.norm(Xb[idx], axis=1)[:, None] if idx.size else Xb[idx]
    Gram = Xh @ Xh.T
    nb = T.shape[0]
    lam = float(lam)
    heap = []            # (ratio, counter, packed bytes, sign)
    counter = itertools.count()
    best = (0.0, None, 0)
    unresolved = 0.0     # largest upper bound of a chamber never projected
    exclude = set() if exclude is None else exclude
    n_ch = n_scr = n_proj = n_skip = 0
    blocks = _chamber_blocks(arr, block_size) if chambers is None else chambers
    bar = None
    if progress:
        from tqdm.auto import tqdm

        import zonotope as zt

        bar = tqdm(total=zt.estimate_chambers(arr), desc="pricing chambers", unit="ch",
                   disable=None)
    try:
        for packed in blocks:
            m = packed.shape[0]
            n_ch += m
            if bar is not None:
                bar.update(m)
            if m == 0 or nb == 0:
                n_scr += m
                continue
            C = T[0][packed[:, 0]]
            for k in range(1, nb):
                C += T[k][packed[:, k]]
            cn = np.sqrt(np.einsum("ij,ij->i", C, C))
            small = cn <= lam
            n_scr += int(np.count_nonzero(small))
            if small.any():
                unresolved = max(unresolved, float(cn[small].max()) / lam)
            # |Pi_K(c)| <= |c|: a chamber whose |c| / lam is below the k-th largest ratio
            # found so far cannot enter the top k (and is below the maximum)
            order = np.nonzero(~small)[0]
            order = order[np.argsort(-cn[order], kind="stable")]
            for start in range(0, order.size, _CHUNK):
                thr = heap[0][0] if len(heap) >= top_k else 1.0
                surv = order[start:start + _CHUNK]
                surv = surv[cn[surv] > lam * thr]
                if surv.size == 0:      # sorted: the rest cannot enter the top k either
                    n_skip += order.size - start
                    break
                n_skip += min(_CHUNK, order.size - start) - surv.size
                bits = np.unpackbits(packed[surv], axis=1, count=arr.n_hyperplanes)
                Cs = C[surv]
                # bounds from the few most violated halfspaces (exact when the projection
                # onto their intersection lies in the cone)
                sg = 2.0 * bits - 1.0
                A = (Cs @ Xh.T) * sg
                for sign in (1, -1):
                    ub, exact = _halfspace_bounds(sign * Cs, sign * A, sg, Gram, lam)
                    ratio = ub / lam
                    neg = np.where(exact, 0.0, 1.0)
                    # exact values first (inside the cone, or the facet projection)
                    done = np.nonzero(((neg <= 0.0) | exact) & (ratio > 1.0))[0]
                    for q in done:
                        _push(heap, top_k, (float(ratio[q]), next(counter), packed[surv[q]].tobytes(), sign),
                              exclude)
                    if done.size:
                        j = done[int(np.argmax(ratio[done]))]
                        if ratio[j] > best[0]:
                            best = _best(ratio[j], bits[j], idx, n, sign)
                    small = ratio[(neg > 0.0) & (ub <= lam)]
                    if small.size:
                        unresolved = max(unresolved, float(small.max()))
                    # the rest by decreasing upper bound, skipping what cannot enter the top-k
                    need = np.nonzero((neg > 0.0) & (ub > lam) & ~exact)[0]
                    need = need[np.argsort(-ub[need], kind="stable")]
                    pos = 0
                    while pos < need.size:
                        thr = heap[0][0] if len(heap) >= top_k else 1.0
                        chunk = need[pos:pos + 256]
                        chunk = chunk[ratio[chunk] > thr]
                        if chunk.size == 0:
                            unresolved = max(unresolved, float(ratio[need[pos]]))
                            break
                        pos += 256
                        D = np.zeros((chunk.size, n), dtype=np.uint8)
                        D[:, idx] = bits[chunk]
                        V, _ = project_onto_cones(Xb, D, sign * Cs[chunk])
                        n_proj += chunk.size
                        rc = np.linalg.norm(V, axis=1) / lam
                        for q, val in zip(chunk, rc):
                            if val > 1.0:
                                _push(heap, top_k, (float(val), next(counter), packed[surv[q]].tobytes(),
                                                    sign), exclude)
                        j = int(np.argmax(rc))
                        if rc[j] > best[0]:
                            best = _best(rc[j], bits[chunk[j]], idx, n, sign)
    finally:
        if bar is not None:
            bar.close()
    if best[0] <= 1.0:
        best = (max(best[0], min(unresolved, 1.0)), best[1], best[2])
    top = sorted(heap, reverse=True)
    width = (arr.n_hyperplanes + 7) // 8
    if top:
        Pk = np.frombuffer(b"".join(t[2] for t in top), dtype=np.uint8).reshape(len(top), width)
        bits = np.unpackbits(Pk, axis=1, count=arr.n_hyperplanes)
        TP = np.zeros((len(top), n), dtype=np.uint8)
        TP[:, idx] = bits
    else:
        TP = np.zeros((0, n), dtype=np.uint8)
    return PricingResult(best[0], best[1], int(best[2]), TP, np.array([t[0] for t in top]),
                         np.array([t[3] for t in top], dtype=int), n_ch, n_scr, n_proj,
                         time.perf_counter() - t0, n_skip)


# ---------------------------------------------------------------------------- in memory
def _bit_byte_tables(keys, n_h):
    """``H[k, byte] = XOR of keys[8k + j]`` over the bits ``j`` set in ``byte``."""
    nb = (n_h + 7) // 8
    pad = np.zeros(nb * 8, dtype=np.uint64)
    pad[:n_h] = keys
    bits = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(bool)
    H = np.zeros((nb, 256), dtype=np.uint64)
    for j in range(8):
        H[:, bits[:, j]] ^= pad[j::8][:, None]
    return H


class ChamberTable:
    """All chambers of an arrangement held in memory as packed sign rows.

    Built from the exact stream :func:`zonotope.iter_chambers` (one pass); answers
    membership queries exactly (a 64-bit Zobrist hash sorts the rows, every hit is
    confirmed by comparing the whole row) and the facets of a chamber: hyperplane
    ``j`` is a wall of chamber ``D`` iff flipping the signs of ``j``'s parallel class
    in ``D`` gives a chamber (the two chambers are then separated by that hyperplane
    only, so it carries a common facet).

    Parameters
    ----------
    arr : zonotope.Arrangement
    packed : ndarray of uint8, shape (n_chambers, ceil(n_hyperplanes / 8))
        Every chamber exactly once (``numpy.packbits`` rows, 1 = positive side).

    Examples
    --------
    >>> import zonotope as zt
    >>> A = zt.Arrangement.from_points([[0.0], [1.0], [3.0]])
    >>> t = ChamberTable.from_arrangement(A)
    >>> t.n_chambers, t.contains(np.array([[0, 1, 1], [1, 0, 1]])).tolist()
    (6, [True, False])
    >>> t.walls(np.array([[0, 1, 1]])).astype(int).tolist()   # a kink in (0, 1): walls 0 and 1
    [[1, 1, 0]]
    """

    def __init__(self, arr: Arrangement, packed: np.ndarray, directions: np.ndarray | None = None):
        from zonotope import parallel_classes

        self.arrangement = arr
        if directions is not None:
            U = np.array(directions, dtype=np.float64).reshape(len(packed), -1)
            nrm = np.linalg.norm(U, axis=1)
            U /= np.where(nrm > 0, nrm, 1.0)[:, None]
            U.flags.writeable = False
        self.directions = None if directions is None else U
        self.n_hyperplanes = n_h = int(arr.n_hyperplanes)
        self.packed = np.ascontiguousarray(packed, dtype=np.uint8)
        self.packed.flags.writeable = False
        keys = np.random.default_rng(0x5EED).integers(0, np.iinfo(np.uint64).max, size=n_h,
                                                      dtype=np.uint64, endpoint=True)
        self._H = _bit_byte_tables(keys, n_h)
        h = self._hash(self.packed)
        self._order = np.argsort(h, kind="stable")
        self._sorted = h[self._order]
        cls, _ = parallel_classes(arr) if n_h else (np.zeros(0, dtype=np.intp), None)
        self._classes = np.asarray(cls, dtype=np.intp)
        n_cls = int(self._classes.max()) + 1 if n_h else 0
        flip = np.zeros((n_cls, self.width * 8), dtype=np.uint8)
        flip[self._classes, np.arange(n_h)] = 1
        self._class_flips = np.packbits(flip, axis=1)[:, : self.width]

    @classmethod
    def from_arrangement(cls, arr: Arrangement, *, block_size: int = 1 << 16,
                         directions: bool = False) -> ChamberTable:
        """Enumerate the chambers of ``arr`` (exact stream) into a table.

        With ``directions=True`` every chamber also gets a unit vector inside it (the
        stream's certified interior point, normalised): ``table.directions``.
        """
        import zonotope as zt

        width = (arr.n_hyperplanes + 7) // 8
        packed, pts = [], []
        for blk in zt.iter_chambers(arr, block_size=block_size, interior_points=bool(directions),
                                    max_chambers=None):
            packed.append(blk.packed)
            if directions:
                pts.append(np.asarray(blk.interior_points, dtype=np.float64))
        P = np.concatenate(packed) if packed else np.zeros((0, width), dtype=np.uint8)
        U = (np.concatenate(pts) if pts else np.zeros((0, arr.dim))) if directions else None
        return cls(arr, P, U)

    @property
    def width(self) -> int:
        """Bytes per packed sign row (``ceil(n_hyperplanes / 8)``)."""
        return (self.n_hyperplanes + 7) // 8

    @property
    def n_chambers(self) -> int:
        """Number of chambers held in the table."""
        return int(self.packed.shape[0])

    def _hash(self, packed):
        h = np.zeros(packed.shape[0], dtype=np.uint64)
        for k in range(packed.shape[1]):
            h ^= self._H[k][packed[:, k]]
        return h

    def _contains_packed(self, Q):
        Q = np.ascontiguousarray(Q, dtype=np.uint8).reshape(-1, self.width)
        h = self._hash(Q)
        lo = np.searchsorted(self._sorted, h, side="left")
        hi = np.searchsorted(self._sorted, h, side="right")
        out = np.zeros(Q.shape[0], dtype=bool)
        one = np.nonzero(hi - lo == 1)[0]
        if one.size:
            out[one] = np.all(self.packed[self._order[lo[one]]] == Q[one], axis=1)
        for q in np.nonzero(hi - lo > 1)[0]:         # hash collisions: compare every row
            rows = self.packed[self._order[lo[q]:hi[q]]]
            out[q] = bool(np.any(np.all(rows == Q[q], axis=1)))
        return out

    def contains(self, bits: ArrayLike) -> np.ndarray:
        """Whether 0/1 rows (arrangement order, shape ``(q, n_hyperplanes)``) are chambers."""
        bits = np.asarray(bits, dtype=np.uint8).reshape(-1, self.n_hyperplanes)
        return self._contains_packed(np.packbits(bits, axis=1).reshape(-1, self.width))

    def walls(self, bits: ArrayLike) -> np.ndarray:
        """The hyperplanes carrying a facet of each chamber ``bits`` (``(q, n_hyperplanes)`` bool).

        Only chambers of the table may be asked (the answer is meaningless otherwise).
        """
        bits = np.asarray(bits, dtype=np.uint8).reshape(-1, self.n_hyperplanes)
        Q = np.packbits(bits, axis=1).reshape(-1, self.width)
        F = self._class_flips
        hit = self._contains_packed((Q[:, None, :] ^ F[None, :, :]).reshape(-1, self.width))
        return hit.reshape(Q.shape[0], F.shape[0])[:, self._classes]


class ChamberPricer:
    """Repeated pricing over a :class:`ChamberTable`, with bounds carried between calls.

    For every chamber and sign it keeps an upper bound ``u`` on the dual ratio
    ``|Pi_K(s Xb^T D r)| / lambda`` at the last residual ``r``.  At a new residual
    ``r'`` the correlation moves by ``e = Xb^T D (r' - r)`` and, the projection onto a
    convex cone being 1-Lipschitz, ``u + |e| / lambda`` bounds the new ratio; with
    ``|Xb^T D r'| / lambda`` this clears most chambers once the residual settles.  The
    rest are resolved in decreasing order of their bound (few-halfspace bounds, then
    DAQP projections) only while the bound exceeds ``max(1, t_k)``, ``t_k`` the
    ``top_k``-th largest violation found so far; what is computed tightens the stored
    bounds.  Every chamber is accounted for in every call (the reported maximum is an
    upper bound over all chambers, exact when above 1).

    Parameters
    ----------
    table : ChamberTable
    Xb : ndarray, shape (n_samples, p)
        The design; row ``idx[j]`` is the normal of hyperplane ``j``.
    idx : ndarray of int, shape (n_hyperplanes,)
    lam : float
        ``lambda`` in paper scaling.
    keep_bounds : bool
        Carry the bounds between calls (``False``: every call starts from scratch).

    Examples
    --------
    >>> import zonotope as zt
    >>> X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0.0, 1.0, 0.0])
    >>> A = zt.Arrangement.from_points(X)
    >>> pricer = ChamberPricer(ChamberTable.from_arrangement(A), np.c_[X, np.ones(3)],
    ...                        np.arange(3), 0.1)
    >>> pr = pricer.price(y)                   # at w = 0: the residual is y
    >>> pr.n_chambers, round(pr.max_ratio, 6) == round(price_chambers(X, y, 0.1).max_ratio, 6)
    (6, True)
    >>> again = pricer.price(y)                # same residual: only the violated need work
    >>> again.max_ratio == pr.max_ratio, again.n_evaluated <= pr.n_evaluated
    (True, True)

    The correlations ``Xb^T D r`` of every chamber (row ``k`` for the chamber with
    packed sign row ``table.packed[k]``), against the direct sum:

    >>> D = np.unpackbits(pricer.table.packed, axis=1, count=3)
    >>> bool(np.allclose(pricer.correlations(y), (D * y) @ np.c_[X, np.ones(3)]))
    True
    """

    #: Bounds are inflated by this relative amount to absorb rounding.
    SLACK = 1e-12
    #: Few-halfspace stages stop once the bound is below this fraction of the threshold
    #: (below 1, a tighter stored bound spares work in later calls at a price now).
    STOP = 1.0
    #: Stages of the few-halfspace bounds before a DAQP projection.
    KMAX = 5
    #: Chambers per batch of per-chamber work.
    CHUNK = 16384

    def __init__(self, table: ChamberTable, Xb: np.ndarray, idx: np.ndarray, lam: float, *,
                 keep_bounds: bool = True):
        self.table = table
        self.Xb = np.asarray(Xb, dtype=np.float64)
        self.idx = np.asarray(idx, dtype=np.intp)
        self.n = self.Xb.shape[0]
        self.lam = float(lam)
        self.keep_bounds = bool(keep_bounds)
        Xi = self.Xb[self.idx]
        self.Xh = Xi / np.linalg.norm(Xi, axis=1)[:, None] if self.idx.size else Xi
        self.Gram = self.Xh @ self.Xh.T
        nb = table.width
        pad = np.zeros((table.n_chambers, nb + (nb & 1)), dtype=np.uint8)
        pad[:, :nb] = table.packed
        # pairs of bytes as big-endian 16-bit indices, one contiguous row per pair
        self._idx16 = np.ascontiguousarray(pad.view(">u2").astype(np.uint16).T)
        self._C = None
        self._ub = None
        self.n_calls = 0

    def _tables16(self, r):
        T = _byte_tables(r[self.idx, None] * self.Xb[self.idx])          # (nb, 256, p)
        if T.shape[0] & 1:
            T = np.concatenate([T, np.zeros((1,) + T.shape[1:])])
        return (T[0::2][:, :, None, :] + T[1::2][:, None, :, :]).reshape(T.shape[0] // 2, 65536, -1)

    def correlations(self, r: ArrayLike, block: int = 1 << 16) -> np.ndarray:
        """``Xb^T D r`` for every chamber ``D`` of the table, shape ``(n_chambers, p)``."""
        r = np.asarray(r, dtype=np.float64).reshape(-1)
        m, p = self.table.n_chambers, self.Xb.shape[1]
        C = np.zeros((m, p))
        if m == 0 or self._idx16.shape[0] == 0:
            return C
        T = self._tables16(r)
        for s in range(0, m, block):
            acc = T[0][self._idx16[0, s:s + block]]
            for k in range(1, T.shape[0]):
                acc += T[k][self._idx16[k, s:s + block]]
            C[s:s + block] = acc
        return C

    def price(self, r: ArrayLike, *, top_k: int = 16, exclude: set[bytes] | None = None,
              per_value: int | None = None, partial: bool = False,
              budget: int | None = None) -> PricingResult:
        """Price all chambers at the residual ``r`` (see :func:`price_chambers`).

        Parameters
        ----------
        r : array_like, shape (n_samples,)
        top_k : int
        exclude : set of bytes, optional
        per_value : int, optional
            Keep at most this many chambers per violation value (ratios equal to 10
            significant digits) among the top patterns.  Chambers around one face of
            the arrangement where ``|f(w)| / |w|`` peaks share the value of the peak;
            one or two of them suffice to represent it, and the rest of the list then
            goes to other peaks.
        partial : bool
            Needs ``table.directions``.  When the lower bounds ``+-Xb^T D r . u_D / lambda``
            (``u_D`` the unit direction inside chamber ``D``) prove a violation, only the
            ``budget`` chambers with the largest lower bound are resolved (the top list
            comes from them) and ``max_ratio`` is then the largest *upper bound* (the
            pass is not a certificate, ``PricingResult.partial`` is True).  Otherwise a
            full pass.
        budget : int, optional
            Chambers resolved by a partial pass (default ``max(64 top_k, 4096)``).

        Returns
        -------
        PricingResult
        """
        t0 = time.perf_counter()
        lam, n, n_h = self.lam, self.n, self.table.n_hyperplanes
        r = np.asarray(r, dtype=np.float64).reshape(-1)
        exclude = set() if exclude is None else exclude
        C = self.correlations(r)
        m = C.shape[0]
        heap, counter = [], itertools.count()
        counts = {}

        def push(item):
            if item[2] in exclude:
                return
            if per_value is None:
                _push(heap, top_k, item, exclude)
                return
            key = float(f"{item[0]:.10g}")
            if counts.get(key, 0) >= per_value:
                return
            if len(heap) < top_k:
                heapq.heappush(heap, item)
            elif item[0] > heap[0][0]:
                old_item = heapq.heapreplace(heap, item)
                counts[float(f"{old_item[0]:.10g}")] -= 1
            else:
                return
            counts[key] = counts.get(key, 0) + 1

        is_partial = False
        if partial and self.table.directions is not None and m:
            low = np.abs(np.einsum("ij,ij->i", C, self.table.directions)) / lam
            is_partial = float(low.max()) > 1.0 + 1e-9       # a violation is proven
        if is_partial:
            # resolve the chambers with the largest lower bounds only; carry nothing
            budget_ = min(m, max(64 * top_k, 4096) if budget is None else int(budget))
            part = np.argpartition(-low, budget_ - 1)[:budget_] if budget_ < m else np.arange(m)
            part = part[np.argsort(-low[part], kind="stable")]
            Cl, Pl = C[part], self.table.packed[part]
            cnl = np.sqrt(np.einsum("ij,ij->i", Cl, Cl)) / lam * (1.0 + self.SLACK)
            ub = np.repeat(cnl[:, None], 2, axis=1)
            order = np.nonzero(cnl > 1.0)[0]
            n_scr = 0
            self._C = self._ub = None
        else:
            Cl, Pl = C, self.table.packed
            cn = np.sqrt(np.einsum("ij,ij->i", C, C)) / lam
            if self._C is None or not self.keep_bounds:
                ub = np.repeat(cn[:, None], 2, axis=1)
            else:
                E = C - self._C
                drift = np.sqrt(np.einsum("ij,ij->i", E, E)) / lam
                ub = np.minimum(cn[:, None], self._ub + drift[:, None])
            ub *= 1.0 + self.SLACK
            ubmax = ub.max(axis=1)
            cand = np.nonzero(ubmax > 1.0)[0]
            n_scr = m - cand.size
            order = cand[np.argsort(-ubmax[cand], kind="stable")]
        n_eval, n_proj = self._resolve(Cl, Pl, ub, order, top_k, heap, counter, push)
        if is_partial:
            max_ratio = max(float(np.sqrt(np.max(np.einsum("ij,ij->i", C, C)))) / lam
                            * (1.0 + self.SLACK), max((h[0] for h in heap), default=0.0))
        elif self.keep_bounds:
            self._C, self._ub = C, ub
        self.n_calls += 1
        top = sorted(heap, reverse=True)
        if is_partial:             # the best violation found (the maximum is only bounded)
            worst = (max_ratio, None, 0)
            if top:
                D = np.zeros(n, dtype=np.uint8)
                D[self.idx] = np.unpackbits(np.frombuffer(top[0][2], dtype=np.uint8), count=n_h)
                worst = (max_ratio, D, int(top[0][3]))
        elif m:
            flat = int(np.argmax(ub))
            wc, wq = divmod(flat, 2)
            D = np.zeros(n, dtype=np.uint8)
            D[self.idx] = np.unpackbits(Pl[wc], count=n_h)
            worst = (float(ub[wc, wq]), D, 1 if wq == 0 else -1)
        else:
            worst = (0.0, None, 0)
        if top:
            Pk = np.frombuffer(b"".join(t[2] for t in top), dtype=np.uint8).reshape(len(top), -1)
            TP = np.zeros((len(top), n), dtype=np.uint8)
            TP[:, self.idx] = np.unpackbits(Pk, axis=1, count=n_h)
        else:
            TP = np.zeros((0, n), dtype=np.uint8)
        return PricingResult(worst[0], worst[1], int(worst[2]), TP, np.array([t[0] for t in top]),
                             np.array([t[3] for t in top], dtype=int), m, n_scr, n_proj,
                             time.perf_counter() - t0, order.size - n_eval, n_eval, is_partial)

    def _resolve(self, C, packed, ub, order, top_k, heap, counter, push):
        """Per-chamber work on the rows ``order`` (sorted by decreasing bound) of ``C``.

        Tightens ``ub`` in place; pushes exact violations.  Returns
        ``(n_evaluated, n_projected)``.
        """
        lam, n, n_h = self.lam, self.n, self.table.n_hyperplanes
        n_proj = n_eval = 0
        ubmax = ub.max(axis=1)
        for start in range(0, order.size, self.CHUNK):
            thr = heap[0][0] if len(heap) >= top_k else 1.0
            ch = order[start:start + self.CHUNK]
            ch = ch[ubmax[ch] > thr]
            if ch.size == 0:         # sorted: nothing further can matter
                break
            n_eval += ch.size
            bits = np.unpackbits(packed[ch], axis=1, count=n_h)
            sg = 2.0 * bits - 1.0
            Cs = C[ch]
            A = (Cs @ self.Xh.T) * sg
            # one-halfspace bounds of both signs at once (most chambers stop here)
            cn2 = np.einsum("ij,ij->i", Cs, Cs)
            amin, amax = A.min(axis=1), A.max(axis=1)
            one = np.sqrt(np.maximum(np.stack([cn2 - np.minimum(amin, 0.0) ** 2,
                                               cn2 - np.maximum(amax, 0.0) ** 2], axis=1), 0.0))
            one *= (1.0 + self.SLACK) / lam
            ub[ch] = np.minimum(ub[ch], one)
            inside = np.stack([amin >= 0.0, amax <= 0.0], axis=1)    # +-c in the cone: exact
            for q, sign in ((0, 1), (1, -1)):
                for j in np.nonzero(inside[:, q] & (one[:, q] > 1.0))[0]:
                    push((float(one[j, q]), next(counter), packed[ch[j]].tobytes(), sign))
                rows = np.nonzero((ub[ch, q] > thr) & ~inside[:, q])[0]
                if rows.size == 0:
                    continue
                hb, exact = _halfspace_bounds(sign * Cs[rows], sign * A[rows], sg[rows], self.Gram,
                                              lam * thr * self.STOP, kmax=self.KMAX)
                ratio = hb / lam * (1.0 + self.SLACK)
                glob = ch[rows]
                ub[glob, q] = np.minimum(ub[glob, q], ratio)
                for j in np.nonzero(exact & (ratio > 1.0))[0]:
                    push((float(ratio[j]), next(counter), packed[glob[j]].tobytes(), sign))
                need = np.nonzero(~exact & (ratio > thr))[0]
                need = need[np.argsort(-ratio[need], kind="stable")]
                pos = 0
                while pos < need.size:
                    thr2 = heap[0][0] if len(heap) >= top_k else 1.0
                    sub = need[pos:pos + 256]
                    sub = sub[ratio[sub] > thr2]
                    if sub.size == 0:
                        break
                    pos += 256
                    D = np.zeros((sub.size, n), dtype=np.uint8)
                    D[:, self.idx] = bits[rows[sub]]
                    V, _ = project_onto_cones(self.Xb, D, sign * Cs[rows[sub]])
                    n_proj += sub.size
                    rc = np.linalg.norm(V, axis=1) / lam * (1.0 + self.SLACK)
                    ub[glob[sub], q] = np.minimum(ub[glob[sub], q], rc)
                    for j, val in zip(sub, rc):
                        if val > 1.0:
                            push((float(val), next(counter), packed[glob[j]].tobytes(), sign))
        return n_eval, n_proj
