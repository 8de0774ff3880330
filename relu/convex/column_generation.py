r"""Column generation over all chambers: solve on a working set, price out the rest.

Round ``k``: solve the CGL on the working set of patterns (Clarabel, certified on
its own patterns), then one streaming pass over every chamber of the data
arrangement (:func:`relu.convex.price_chambers`) computes
``max_{D, s} |Pi_{K_D}(s Xb^T D r)| / lambda``.  If it is ``<= 1 + tol`` the working-set
solution, extended by zeros, satisfies the KKT conditions of the *full* program and
the duality gap certificate closes: done.  Otherwise the ``n_add`` most violated
patterns join the working set.  Each round strictly enlarges a finite set, so the
loop ends; in practice after a few rounds with a working set far smaller than the
number of chambers (``docs/convex.md``).

The chamber stream is cached in memory after the first pass when its packed rows fit
in ``cache_bytes`` (else every pass enumerates again, streaming).
"""

from __future__ import annotations

import numbers
import time
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .result import CGLResult

__all__ = ["column_generation"]


class _CachedStream:
    """Iterate the chamber blocks; keep them after the first full pass if they fit."""

    def __init__(self, arr, block_size, cache_bytes):
        self.arr = arr
        self.block_size = block_size
        self.cache_bytes = cache_bytes
        self.cache = None
        self.n_enumerations = 0

    def __iter__(self):
        from .pricing import _chamber_blocks

        if self.cache is not None:
            yield from self.cache
            return
        self.n_enumerations += 1
        keep, size = [], 0
        for blk in _chamber_blocks(self.arr, self.block_size):
            if keep is not None:
                size += blk.nbytes
                if size <= self.cache_bytes:
                    keep.append(blk)
                else:
                    keep = None
            yield blk
        if keep is not None:
            self.cache = keep


def column_generation(X: ArrayLike, y: ArrayLike, lam: float, *, loss: str = "mse", bias: bool = True,
                      scaling: str = "paper", tol: float | None = None, max_rounds: int = 200,
                      n_add: int = 64, init_patterns: ArrayLike | None = None, block_size: int = 1 << 16,
                      cache_bytes: int = 1 << 30, drop_after: int = 1, progress: bool = False,
                      max_chambers: int | None = None, per_value: int = 2, partial: bool = True,
                      rng: int | np.random.Generator | None = None) -> CGLResult:
    """Solve the exact CGL (all chambers) by column generation; certified globally.

    Parameters
    ----------
    X, y, lam, loss, bias, scaling : see :func:`relu.solve_cgl`.
    tol : float, optional
        Relative tolerance of the certificates (default ``1e-6``).
    max_rounds : int
        Stop (uncertified) after this many rounds.
    n_add : int
        Most violated patterns added per round.
    init_patterns : None, int or array_like of 0/1, shape (k, n_samples)
        Initial working set: an array gives the patterns; an int ``k`` the patterns of
        ``k`` Gaussian gates (:func:`~relu.convex.program.sampled_patterns`, drawn with
        ``rng``; ``0``: empty, the first pricing is at ``w = 0``); ``None`` (default):
        ``2 n_samples`` gates (measured on ``bench/cgl.py`` data: a third fewer rounds than
        an empty start).
    block_size : int
        Chambers per streamed block.
    cache_bytes : int
        Memory for the chambers held between rounds (their packed sign rows, a unit
        direction inside each, two correlation vectors and two bounds each: about
        ``2 ceil(n_hyperplanes / 8) + 24 p + 32`` bytes per chamber).  When the
        a-priori chamber bound does not fit, every round streams the chambers again
        (and keeps the stream if its packed rows alone fit).
    drop_after : int or None
        Remove a pattern from the working set after this many consecutive rounds in
        which both of its blocks were zero with ``|v_b| < lam (1 - 1e-3)`` (keeps the
        restricted programs small; the objective still never increases, since only
        zero blocks leave).  ``None``: never drop.
    progress : bool
        tqdm bar over rounds.
    max_chambers : int, optional
        Refuse when the a-priori chamber bound exceeds this (default: no limit).
    per_value : int or None
        At most this many new patterns per violation value in one round (chambers
        around the face where a violation peaks share its value; the others of the
        round go to other peaks).  ``None``: the ``n_add`` most violated, whatever.
    rng : int, Generator or None
        Seed of the initial Gaussian gates (the certified optimum does not depend on it).
    partial : bool
        Partial pricing (when the chambers fit in ``cache_bytes``): while a violation
        is proven by the cheap lower bounds, resolve only the most promising chambers
        (:meth:`~relu.convex.pricing.ChamberPricer.price`); a full pass over all
        chambers still decides every stop, so the result is certified the same way.

    Notes
    -----
    When the packed chambers fit in ``cache_bytes`` they are enumerated once into a
    :class:`~relu.convex.pricing.ChamberTable`; each restricted program then keeps
    only the *walls* of its chambers (the same cones, a few rows each instead of
    ``n_samples``), and the pricing (:class:`~relu.convex.pricing.ChamberPricer`)
    carries a bound per chamber from round to round, so once the residual settles most
    chambers are cleared without any per-chamber work.  Otherwise every round streams
    the chambers through :func:`~relu.convex.pricing.price_chambers`.

    Returns
    -------
    CGLResult
        On the final working set, ``method="column_generation"``, with
        ``global_certificate`` set; ``info`` holds ``rounds``, ``n_chambers``,
        ``history`` (per round: working-set size, objective, max ratio, seconds of the
        solve and of the pricing pass), ``n_enumerations``.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0]
    >>> r = relu.convex.column_generation(X, y, 0.1)
    >>> r.global_certificate.certified, r.program.n_patterns <= r.info["n_chambers"]
    (True, True)
    >>> abs(r.objective - relu.solve_cgl(X, y, 0.1, method="clarabel").objective) < 1e-6
    True
    """
    from zonotope import estimate_chambers
    from zonotope.exceptions import TooLargeError

    from .._checks import check_nonneg
    from .certificate import CERT_TOL, _global_from_pricing
    from .pricing import ChamberPricer, ChamberTable, price_chambers
    from .program import CGLProgram, _arrangement, unique_patterns
    from .result import build_result
    from .solvers import solve_program

    t0 = time.perf_counter()
    func = "column_generation"
    tol = CERT_TOL if tol is None else check_nonneg(tol, func, "tol", allow_zero=False)
    max_rounds = check_nonneg(max_rounds, func, "max_rounds", allow_zero=False, integer=True)
    n_add = check_nonneg(n_add, func, "n_add", allow_zero=False, integer=True)
    from .._checks import check_data

    Xv, Xf = check_data(X, func)
    if init_patterns is None or (isinstance(init_patterns, (numbers.Integral, np.integer))
                                 and not isinstance(init_patterns, (bool, np.bool_))):
        k = 2 * Xf.shape[0] if init_patterns is None else \
            check_nonneg(init_patterns, func, "init_patterns", allow_zero=True, integer=True)
        from .program import _check_bias, sampled_patterns

        start = sampled_patterns(Xv, k, bias=_check_bias(bias, func), rng=rng) if k else \
            np.zeros((0, Xf.shape[0]))
    else:
        start = init_patterns
    base = CGLProgram.build(X, y, lam, start, loss=loss, bias=bias, scaling=scaling, func=func)
    n = base.n_samples
    arr, hp_idx = _arrangement(base.X, base.bias)
    if max_chambers is not None and estimate_chambers(arr) > max_chambers:
        raise TooLargeError(f"the arrangement may have up to {estimate_chambers(arr):,} chambers "
                            f"(> max_chambers={max_chambers:,}); pass max_chambers=None")
    width = (arr.n_hyperplanes + 7) // 8
    table = pricer = stream = None
    t_enum = None
    if estimate_chambers(arr) * (2 * width + 24 * base.p + 32) <= cache_bytes:
        # all chambers in memory: pricing with carried bounds, restricted programs on walls
        te = time.perf_counter()
        table = ChamberTable.from_arrangement(arr, block_size=block_size, directions=partial)
        t_enum = time.perf_counter() - te
        pricer = ChamberPricer(table, base.design, hp_idx, base.lam)
    else:
        stream = _CachedStream(arr, block_size, cache_bytes)
    wall_rows = {}

    def rows_of(P):
        """Wall rows (over samples) of each pattern; all rows when it is not a chamber."""
        if table is None or len(P) == 0:
            return None
        keys = [row.tobytes() for row in np.packbits(P, axis=1)]
        todo = [j for j, k in enumerate(keys) if k not in wall_rows]
        if todo:
            Ph = P[todo][:, hp_idx]
            ok = table.contains(Ph)
            W = np.ones((len(todo), n), dtype=bool)
            if ok.any():
                Wh = np.zeros((int(ok.sum()), n), dtype=bool)
                Wh[:, hp_idx] = table.walls(Ph[ok])
                W[ok] = Wh
            for j, w in zip(todo, W):
                wall_rows[keys[j]] = w
        return np.array([wall_rows[k] for k in keys])

    working = base.patterns.copy()
    keys = {row.tobytes() for row in np.packbits(working, axis=1)} if len(working) else set()
    history = []
    idle = {}
    n_dropped = 0
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=max_rounds, desc="column generation", unit="round", disable=None)
    res = pr = None
    certified = False
    try:
        for rnd in range(1, max_rounds + 1):
            prog = base.with_patterns(working.reshape(-1, n))
            ts = time.perf_counter()
            rows = rows_of(prog.patterns)
            blocks, sinfo = solve_program(prog, "clarabel", rows=rows)
            res = build_result(prog, blocks, method="column_generation", seconds=0.0,
                               solver_info=sinfo, scaling=scaling, tol=tol, want_multipliers=False)
            t_solve = time.perf_counter() - ts
            exclude = {row.tobytes() for row in np.packbits(prog.patterns[:, hp_idx], axis=1)}
            if pricer is not None:
                pr = pricer.price(res.dual_point, top_k=n_add, exclude=exclude, per_value=per_value,
                                  partial=partial)
                if pr.partial and not any(np.packbits(row).tobytes() not in keys
                                          for row in pr.top_patterns):
                    # nothing new among the resolved few: a full pass decides
                    pr = pricer.price(res.dual_point, top_k=n_add, exclude=exclude,
                                      per_value=per_value, partial=False)
            else:
                pr = price_chambers(base.X, res.dual_point, base.lam, bias=base.bias,
                                    block_size=block_size, top_k=n_add, chambers=stream,
                                    exclude=exclude)
            history.append({"round": rnd, "n_patterns": prog.n_patterns, "n_active": res.n_active,
                            "objective": res.objective, "max_ratio": pr.max_ratio,
                            "solve_seconds": t_solve, "pricing_seconds": pr.seconds,
                            "n_screened": pr.n_screened, "n_skipped": pr.n_skipped,
                            "n_projected": pr.n_projected, "n_evaluated": pr.n_evaluated,
                            "partial": pr.partial,
                            "best_found": float(pr.top_ratios[0]) if len(pr.top_ratios) else None,
                            "constraint_rows": int(2 * rows.sum()) if rows is not None
                            else 2 * prog.n_patterns * n})
            if bar is not None:
                bar.update(1)
                bar.set_postfix(patterns=prog.n_patterns, ratio=f"{pr.max_ratio:.6f}")
            if not pr.partial and pr.max_ratio <= 1 + tol:
                certified = True
                break
            new = []
            for row in pr.top_patterns:
                k = np.packbits(row).tobytes()
                if k not in keys:
                    keys.add(k)
                    new.append(row)
                if len(new) >= n_add:
                    break
            if not new:   # only working-set patterns look violated: solver accuracy limit
                break
            # inactive patterns leave the working set after `drop_after` idle rounds
            if drop_after is not None and prog.n_patterns:
                P_ = prog.n_patterns
                bn = np.linalg.norm(res.blocks, axis=1)
                vn = np.linalg.norm(res.correlations, axis=1)
                idle_now = (bn[:P_] == 0) & (bn[P_:] == 0) & \
                    (np.maximum(vn[:P_], vn[P_:]) < base.lam * (1 - 1e-3))
                pk = np.packbits(prog.patterns, axis=1)
                keep_rows = []
                for j in range(P_):
                    kj = pk[j].tobytes()
                    idle[kj] = idle.get(kj, 0) + 1 if idle_now[j] else 0
                    if idle[kj] >= drop_after:
                        keys.discard(kj)
                        idle.pop(kj, None)
                        n_dropped += 1
                    else:
                        keep_rows.append(j)
                working = prog.patterns[keep_rows]
            working = unique_patterns(np.vstack([working.reshape(-1, n)] + [np.array(new)]))
    finally:
        if bar is not None:
            bar.close()
    final = build_result(res.program, res.blocks, method="column_generation", seconds=0.0,
                         solver_info={**res.solver_info, "dual_point": res.dual_point},
                         scaling=scaling, tol=tol, polish_first=False)
    g = _global_from_pricing(final.program, final.objective, final.dual_point, pr, tol,
                             pr.seconds)
    from dataclasses import replace

    info = {"rounds": len(history), "n_chambers": pr.n_chambers, "history": history,
            "n_enumerations": 1 if stream is None else stream.n_enumerations,
            "certified": certified,
            "n_dropped": n_dropped, "enumeration_seconds": t_enum}
    return replace(final, global_certificate=g, seconds=time.perf_counter() - t0, info=info)
