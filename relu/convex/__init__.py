"""The convex reformulation of two-layer ReLU training (Mishkin & Pilanci 2023).

Weight-decayed training of ``f(x) = sum_k theta^2_k (theta^1_k . x_bar)_+`` is the
constrained group lasso (CGL) over the activation patterns -- the chambers that
:mod:`zonotope` enumerates exactly.  This package builds the program
(:mod:`~relu.convex.program`), solves it (:mod:`~relu.convex.solvers`, Clarabel
direct or through cvxpy), certifies every answer (:mod:`~relu.convex.certificate`,
including a streaming global certificate over all chambers), solves the exact
program by column generation (:mod:`~relu.convex.column_generation`) and maps
between the convex and the network side (:mod:`~relu.convex.network`).  On top of a
solution: the set of *all* optimal solutions (:mod:`~relu.convex.optimal_set`),
optimal pruning to minimal networks and its baselines (:mod:`~relu.convex.pruning`),
regularisation paths (:mod:`~relu.convex.path`) and derivatives of minimal networks
(:mod:`~relu.convex.sensitivity`).  Conventions and proofs: ``docs/convex.md`` and
``docs/optimal_set.md``.

Examples
--------
>>> import relu
>>> r = relu.solve_cgl([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
>>> round(r.objective, 6), r.certificate.accepted, r.network().n_units == r.n_active
(0.271053, True, True)
"""

from .certificate import Certificate, GlobalCertificate, certify, certify_global, polish
from .column_generation import column_generation
from .network import ReLUNetwork, cgl_to_relu, nonconvex_objective, relu_to_cgl
from .optimal_set import OptimalSet, optimal_set
from .path import PathPoint, RegularizationPath, lambda_max, network_distance, regularization_path
from .pricing import ChamberPricer, ChamberTable, PricingResult, price_chambers
from .program import SCALINGS, CGLProgram, design_matrix, exact_patterns, sampled_patterns, unique_patterns
from .pruning import PRUNING_METHODS, PruningPath, prune_optimal, pruning_path
from .result import CGLResult
from .sensitivity import Sensitivity, sensitivity, sensitivity_finite_differences
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
    "ChamberTable",
    "ChamberPricer",
    "column_generation",
    "ReLUNetwork",
    "cgl_to_relu",
    "relu_to_cgl",
    "nonconvex_objective",
    "OptimalSet",
    "optimal_set",
    "PruningPath",
    "PRUNING_METHODS",
    "pruning_path",
    "prune_optimal",
    "lambda_max",
    "regularization_path",
    "RegularizationPath",
    "PathPoint",
    "network_distance",
    "Sensitivity",
    "sensitivity",
    "sensitivity_finite_differences",
]
