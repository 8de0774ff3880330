"""Run pyscnn's ConvexReLU + AL on one problem (executed by the pyscnn venv of bench/cgl.py).

Input: an .npz with ``X`` (already with the bias column, so pyscnn runs bias-free),
``y``, ``G`` (gates, shape (p, n_gates)), ``lam`` (pyscnn's mean scaling) and ``tol``.
Output (stdout, JSON): wall seconds of ``optimize_model`` and the convex weights ``U``,
``V`` and the gates ``G`` the model kept (as lists), so the caller evaluates the
objective itself.
"""

import json
import sys
import time

import numpy as np


def main(path):
    from scnn.metrics import Metrics
    from scnn.models import ConvexReLU
    from scnn.optimize import optimize_model
    from scnn.regularizers import NeuronGL1
    from scnn.solvers import AL

    d = np.load(path)
    X, y, G = d["X"], d["y"], d["G"]
    lam, tol = float(d["lam"]), float(d["tol"])
    model = ConvexReLU(G, c=1)
    solver = AL(model, tol=tol, constraint_tol=tol)
    t0 = time.perf_counter()
    model, _ = optimize_model(model, solver, Metrics(metric_freq=10**9), X, y.reshape(-1, 1),
                              regularizer=NeuronGL1(lam), return_convex=True,
                              unitize_data=False, dtype="float64")
    sec = time.perf_counter() - t0
    U, V = (np.asarray(p, dtype=np.float64) for p in model.parameters)
    Gf = np.asarray(model.G, dtype=np.float64)
    print(json.dumps({"seconds": sec, "U": U.tolist(), "V": V.tolist(), "G": Gf.tolist()}))


if __name__ == "__main__":
    main(sys.argv[1])
