"""
A regularization path of the convex ReLU program and its min-norm networks
==========================================================================

:func:`relu.convex.regularization_path` solves the CGL on a decreasing ``lambda``
grid from ``lambda_max`` (the smallest ``lambda`` at which the zero network is
optimal, one pricing pass over all chambers) down, warm-starting each solve from
the previous optimal set.  Per ``lambda`` it records ``p*``, the support, the
dimension of the optimal set, p-uniqueness and the min-norm network; suspicious
intervals are bisected to tell a continuous change from a jump of the min-norm
network (none here: no dashed lines).

Left: the norms ``|w_k|`` of the min-norm network's units (blue: positive output
weight, red: negative), units followed across ``lambda`` by optimal matching; the
grey band marks where the optimal network is not p-unique.  Right: ``p*(lambda)``
and its slope, which is the group norm (envelope theorem), against finite
differences.
"""

import matplotlib.pyplot as plt
import numpy as np

from relu import convex

g = np.random.default_rng(2)
X = g.standard_normal((8, 1))
y = np.sin(2 * X[:, 0]) + 0.1 * g.standard_normal(8)
path = convex.regularization_path(X, y, n_lams=16, lam_min_ratio=0.01, refine=4)
print(f"lambda_max = {path.lambda_max:.6g}; {len(path.points)} points "
      f"({path.info['n_refinement_solves']} from bisection), discontinuities: {path.discontinuities}")
for p in path.points[::3]:
    print(f"lambda {p.lam:9.4g}  p* {p.objective:.6f}  |S| {p.n_support:2d}  neurons {p.n_neurons}  "
          f"dim {p.dimension}  p-unique {p.is_p_unique}")

fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
path.plot(ax=ax)
ax.set_title("min-norm path (grey: not p-unique)", fontsize=10)
lams = path.lams
bx.plot(lams, path.objectives, "o-", ms=3, label="p*(lambda)")
slope = np.diff(path.objectives) / np.diff(lams)
gn = np.array([p.group_norm for p in path.points])
bx2 = bx.twinx()
bx2.plot(np.sqrt(lams[1:] * lams[:-1]), slope, "s", ms=4, color="tab:green", label="finite differences")
bx2.plot(lams, gn, "-", color="tab:orange", label="group norm (dp*/dlambda)")
bx.set(xscale="log", xlabel="lambda (paper scaling)", ylabel="p*")
bx2.set_ylabel("dp*/dlambda")
bx2.legend(fontsize=8, loc="center right")
bx.legend(fontsize=8, loc="upper left")
bx.set_title("optimal value and its derivative", fontsize=10)
fig.tight_layout()
plt.show()
