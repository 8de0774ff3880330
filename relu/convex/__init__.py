"""The convex reformulation of two-layer ReLU training (Mishkin & Pilanci 2023).

Weight-decayed training of ``f(x) = sum_k theta^2_k (theta^1_k . x_bar)_+`` is the
constrained group lasso (CGL) over the activation patterns -- the chambers that
:mod:`zonotope` enumerates exactly.  This package builds the program
(:mod:`~relu.convex.program`), solves it (:mod:`~relu.convex.solvers`, Clarabel
direct or through cvxpy), certifies every answer (:mod:`~relu.convex.certificate`,
including a streaming global certificate over all chambers), solves the exact
program by column generation (:mod:`~relu.convex.column_generation`) and maps
between the convex and the network side (:mod:`~relu.convex.network`).
Conventions and proofs: ``docs/convex.md``.

Examples
--------
>>> import relu
>>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
>>> round(r.objective, 6), r.certificate.accepted, r.network().n_units == r.n_active
(0.271053, True, True)
"""

from .certificate import (
    Certificate,
    GlobalCertificate,
    PricingResult,
    certify,
    certify_global,
    polish,
    price_chambers,
)
from .column_generation import column_generation
from .network import ReLUNetwork, cgl_to_relu, nonconvex_objective, relu_to_cgl
from .program import SCALINGS, CGLProgram, design_matrix, exact_patterns, sampled_patterns, unique_patterns
from .result import CGLResult
from .solve import solve_cgl
from .solvers import solve_program

__all__ = [
    "solve_cgl",
    "CGLResult",
    "CGLProgram",
    "SCALINGS",
    "design_matrix",
    "exact_patterns",
    "sampled_patterns",
    "unique_patterns",
    "solve_program",
    "Certificate",
    "GlobalCertificate",
    "PricingResult",
    "certify",
    "certify_global",
    "polish",
    "price_chambers",
    "column_generation",
    "ReLUNetwork",
    "cgl_to_relu",
    "relu_to_cgl",
    "nonconvex_objective",
]
