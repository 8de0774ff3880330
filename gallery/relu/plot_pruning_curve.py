"""
Optimal pruning of a convex ReLU network against the usual baselines
=====================================================================

Mishkin & Pilanci (2023), Alg. 1-2: a solution of the convex program can be pruned
to a *minimal* network (at most ``n`` units, independent fits) without changing
the objective, by moving along null directions of the units' fits; after that,
Optimal/LS keeps removing units with least-squares corrections of the others.
The baselines remove units by smallest weight norm, smallest weighted gradient, or
at random, without correction (:func:`relu.convex.pruning_path`).

Breast cancer data (scikit-learn's wdbc, 30 features, z-scored), 120 training
points (the other 449 for testing, to keep the example fast), 15 sampled
activation patterns (30 blocks), no hidden bias, ``lambda = 0.01`` in pyscnn's
mean scaling; test accuracy while pruning (``zonotope reproduce pruning`` runs the
pipeline on 50/50 splits with 5 repeats and more data sets).  When the solution
is not minimal, the exact phase of Optimal/LS (shaded) removes units without
changing the objective; here the 19 active units already have independent fits
(19 units, 120 points), so Optimal/LS starts with least-squares corrections.  Random
pruning falls below 1/2: an output of exactly 0 counts as an error.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer

import relu
from relu import convex

data = load_breast_cancer()
X, y = data.data, 2.0 * data.target - 1.0
perm = np.random.default_rng(650).permutation(len(y))
tr, te = perm[:120], perm[120:]
X = (X - X[tr].mean(axis=0)) / X[tr].std(axis=0)
res = relu.solve_cgl(X[tr], y[tr], 0.01, patterns=15, rng=123, bias=False, scaling="mean")
print(f"{res.n_active} active blocks, certified: {res.certificate.accepted}")

fig, ax = plt.subplots(figsize=(7, 4.2))
labels = {"optimal_ls": "Optimal/LS", "neuron_magnitude": "neuron magnitude",
          "gradient_magnitude": "gradient magnitude", "random": "random"}
for method, lab in labels.items():
    p = convex.pruning_path(res, method, rng=0)
    acc = np.mean(np.sign(p.predict(X[te])) == y[te], axis=1)
    ax.plot(p.n_active, acc, "o-", ms=3, lw=1.3, label=lab)
    if method == "optimal_ls":
        ax.axvspan(p.n_active[p.n_exact], p.n_active[0], color="tab:blue", alpha=0.12, lw=0)
        print(f"Optimal/LS: exact phase {p.n_active[0]} -> {p.n_active[p.n_exact]} units, "
              f"objective change {abs(p.objectives[p.n_exact] - p.objectives[0]):.2e}")
    print(f"{lab:20s} test accuracy at 10/5/2 units: "
          + ", ".join(f"{acc[np.nonzero(p.n_active <= k)[0][0]]:.3f}" for k in (10, 5, 2)))
ax.invert_xaxis()
ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
ax.set(xlabel="active neurons", ylabel="test accuracy", title="pruning a convex ReLU network (wdbc)",
       ylim=(0.3, 1.0))
ax.legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()
