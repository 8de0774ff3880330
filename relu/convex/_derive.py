"""A certified :class:`~relu.convex.CGLResult` for new block weights on a result's program.

Points of the optimal set, pruned networks and refined minimal networks all live on
the program of the result they came from; :func:`derive_result` certifies them
(:func:`relu.convex.certify`, the base's dual point offered as a second candidate)
and keeps the base's global certificate when the dual point is the base's one (the
lower bound over all chambers then holds unchanged; only the objective is new).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

__all__ = ["derive_result"]


def derive_result(base, W, *, method, info=None, seconds=None, program=None):
    """Certify block weights ``W`` on ``base.program`` and package them as a ``CGLResult``.

    Examples
    --------
    >>> import relu
    >>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> d = derive_result(r, r.blocks, method="copy")
    >>> d.certificate.accepted, abs(d.objective - r.objective) < 1e-12
    (True, True)
    """
    from .certificate import _global_from_pricing, certify
    from .result import CGLResult

    t0 = time.perf_counter()
    prog = base.program if program is None else program
    W = np.asarray(W, dtype=np.float64).reshape(prog.n_blocks, prog.p)
    cert, v, rho, fit, r = certify(prog, W, tol=base.certificate.tol,
                                   want_multipliers=base.multipliers is not None,
                                   dual_point=base.dual_point)
    cert = replace(cert, scope=base.certificate.scope)
    g = None
    bg = base.global_certificate
    if bg is not None and program is None and base.dual_point is not None \
            and np.array_equal(r, base.dual_point):
        g = _global_from_pricing(prog, cert.objective, r, bg.pricing, bg.tol, bg.seconds)
    return CGLResult(prog, W, cert.objective, fit, prog.residual(fit), v, rho, cert, g, method,
                     float(time.perf_counter() - t0 if seconds is None else seconds),
                     base.scaling, {}, dict(info or {}), dual_point=r)
