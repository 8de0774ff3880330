"""Exact neighbours of a chamber: which single flips of a unit's pattern are chambers.

Local search needs, for the chamber ``C = {w : s_k (w . x_bar_k) > 0 for all k}`` of
one unit, the hyperplanes ``H_i`` that are *facets* of ``C``: flipping ``s_i`` gives a
chamber exactly for those (an edge of ``Z^m``).  One exact LP per candidate
(:func:`zonotope.is_chamber`) costs tens of milliseconds; this module decides all
``N`` candidates of a chamber at once with a float filter whose answers are
certified exactly, and falls back to :func:`zonotope.is_chamber` only when the
filter cannot decide:

* For each ``i``, non-negative least squares (HiGHS-free, :func:`scipy.optimize.nnls`)
  of ``g_i = s_i x_bar_i`` on the other rows ``g_k``.
* **Not a facet** (Farkas): ``g_i = sum_{k in S} lambda_k g_k`` with ``lambda > 0``
  on a support ``S`` of size ``p`` (the number of weights per unit).  Certified
  by Cramer's rule: every ``lambda_k`` has the sign of ``det(B_k) / det(B)``
  (``B`` the columns ``g_S``, ``B_k`` with column ``k`` replaced by ``g_i``), each
  determinant's sign decided by a float determinant with a rigorous error bound
  (:func:`zonotope._exact.det_with_error`).
* **A facet**: the NNLS residual ``r = sum lambda_k g_k - g_i`` satisfies
  ``g_k . r >= 0`` for ``k != i`` and ``g_i . r = -||r||^2 < 0``, so with an
  interior point ``c`` of ``C``, ``w' = r + eps c`` (``eps = ||r||^2 / (2 g_i . c)``)
  lies strictly inside the flipped chamber.  Certified by the arrangement's exact
  sign predicate (:meth:`zonotope.Arrangement.sign_vectors`); ``w'`` is kept as the
  interior point of the new chamber should the search move there.

Anything else (degenerate supports, a filter that cannot separate a determinant
from 0, a witness whose signs do not check out) goes to the exact predicate, so the
answer never depends on a tolerance.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FacetOracle"]


def _scaled_columns(B):
    """Scale each column of ``B`` by a power of two so that its entries are at most 1."""
    top = np.max(np.abs(B), axis=-2, keepdims=True)
    _, e = np.frexp(np.where(top > 0, top, 1.0))
    return np.ldexp(B, -e)


def _det_signs(mats):
    """Certified signs (+1/-1) of determinants of a stack, 0 where undecided."""
    from zonotope._exact import det_with_error

    d, err = det_with_error(_scaled_columns(mats))
    out = np.sign(d).astype(np.int8)
    out[np.abs(d) <= err] = 0
    return out


class FacetOracle:
    """Facets (neighbouring chambers) of one unit's chambers on fixed points.

    Parameters
    ----------
    Xb : ndarray, shape (N, p)
        Float points ``x_bar`` (homogenised when the units have a bias), exactly the
        normals of ``arr``.
    arr : zonotope.Arrangement
        ``Arrangement.from_points(X, homogenize=bias)`` of the same points.
    exact_fallback : callable
        ``exact_fallback(pattern) -> bool``: the exact chamber predicate for 0/1
        patterns (cached by the caller).
    """

    def __init__(self, Xb, arr, exact_fallback):
        self.Xb = np.asarray(Xb, dtype=np.float64)
        self.arr = arr
        self.N, self.p = self.Xb.shape
        self._exact = exact_fallback
        self._cache = {}
        self._single = {}
        self.n_exact = 0           # candidates decided by the exact fallback
        self.n_filtered = 0        # candidates decided by the certified filter

    def interior_point(self, pattern):
        """A float point certified (exact signs) inside the chamber of ``pattern``, or None."""
        from zonotope._lp import max_margin

        s = 2.0 * np.asarray(pattern, dtype=np.float64) - 1.0
        _, w, _ = max_margin(self.Xb * s[:, None])
        if w is not None and self._check(w[None, :], s[None, :])[0]:
            return np.asarray(w, dtype=np.float64)
        return None

    def _check(self, W, S):
        """Exactly: whether each row of ``W`` has the signs in the same row of ``S``."""
        if not np.all(np.isfinite(W)):
            return np.zeros(W.shape[0], dtype=bool)
        got = self.arr.sign_vectors(W)
        return np.all(got == S.astype(np.int8), axis=1)

    def is_facet(self, pattern, c, i):
        """Whether flipping example ``i`` of the chamber ``pattern`` gives a chamber.

        Same certificates as :meth:`facets`, for one candidate (cached).  Returns
        ``(bool, witness or None)``.
        """
        key = np.packbits(pattern).tobytes()
        full = self._cache.get(key)
        if full is not None:
            return bool(i in full[2]), full[1].get(i)
        ck = (key, int(i))
        hit = self._single.get(ck)
        if hit is None:
            hit = self._decide(pattern, c, [int(i)])[int(i)]
            self._single[ck] = hit
        return hit

    def facets(self, pattern, c):
        """The flips of ``pattern`` that are chambers, and an interior point of each.

        Parameters
        ----------
        pattern : ndarray of uint8, shape (N,)
            A chamber (0/1).
        c : ndarray, shape (p,) or None
            A point strictly inside it (improves the filter; None: every facet goes
            through the exact fallback).

        Returns
        -------
        facets : ndarray of int
            Indices ``i`` whose flip is a chamber (sorted).
        witnesses : dict
            ``i -> w`` with ``w`` certified inside the flipped chamber (when the
            filter found one).
        """
        key = np.packbits(pattern).tobytes()
        hit = self._cache.get(key)
        if hit is not None:
            return hit[0], hit[1]
        res = self._decide(pattern, c, range(self.N))
        facets = np.array([i for i in range(self.N) if res[i][0]], dtype=int)
        witnesses = {i: w for i, (ok, w) in res.items() if ok and w is not None}
        self._cache[key] = (facets, witnesses, frozenset(facets.tolist()))
        return facets, witnesses

    def _decide(self, pattern, c, candidates):
        """``{i: (is_facet, witness)}`` for the candidate flips."""
        from scipy.optimize import nnls

        N, p = self.N, self.p
        s = 2.0 * pattern.astype(np.float64) - 1.0
        G = self.Xb * s[:, None]                            # rows g_k
        facet, decided = {}, {}
        witness_rows, witness_idx = [], []
        gram_cols = []                                      # candidates for Cramer checks
        idx = np.arange(N)
        for i in candidates:
            facet[i], decided[i] = False, False
            others = idx != i
            A = G[others].T
            b = G[i]
            try:
                lam, rnorm = nnls(A, b, maxiter=50 * N)
            except RuntimeError:                            # pragma: no cover
                continue
            bn = float(np.linalg.norm(b))
            if rnorm <= 1e-9 * bn:
                S_ = np.flatnonzero(others)[lam > 0]
                if S_.size == p:
                    gram_cols.append((i, S_))
                continue
            if c is None:
                continue
            r = A @ lam - b
            gc = float(b @ c)
            if not gc > 0:
                continue
            w = r + (0.5 * float(r @ r) / gc) * c
            witness_rows.append(w)
            witness_idx.append(i)
        witnesses = {}
        if witness_idx:
            W = np.array(witness_rows)
            Sg = np.tile(s, (len(witness_idx), 1))
            Sg[np.arange(len(witness_idx)), witness_idx] *= -1.0
            ok = self._check(W, Sg)
            for k, i in enumerate(witness_idx):
                if ok[k]:
                    facet[i] = decided[i] = True
                    witnesses[i] = W[k]
        if gram_cols:
            mats = []
            for i, S_ in gram_cols:
                B = G[S_].T                                 # (p, p), columns g_k
                mats.append(B)
                for k in range(p):
                    Bk = B.copy()
                    Bk[:, k] = G[i]
                    mats.append(Bk)
            sg = _det_signs(np.array(mats)).reshape(len(gram_cols), p + 1)
            for (i, _), row in zip(gram_cols, sg):
                if row[0] != 0 and np.all(row[1:] == row[0]):
                    decided[i] = True                       # g_i in the open cone of g_S
        for i in candidates:
            if decided[i]:
                self.n_filtered += 1
                continue
            a = pattern.copy()
            a[i] ^= 1
            self.n_exact += 1
            facet[i] = bool(self._exact(a))
        return {i: (facet[i], witnesses.get(i)) for i in candidates}
