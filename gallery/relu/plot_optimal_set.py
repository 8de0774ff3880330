"""
The optimal set of a convex ReLU program: many networks, one fit
=================================================================

Mishkin & Pilanci (2023): every optimal solution of the convex reformulation (CGL)
has the same fit ``yhat`` on the training data and the same group norm
``sum_b |w_b|``; the set of all of them is a polytope
``{alpha >= 0 : M alpha = yhat}`` (:func:`relu.convex.optimal_set`).  Blocks with
the same direction are one neuron split over several patterns; when the matrix
with one column per *neuron* is rank deficient, the optimal *network* is not
unique (not "p-unique").

Here: 8 points on a line, all activation patterns (exact), ``lambda = 0.03``.
The optimal set has 6 neurons and neuron-level dimension 1: a segment of networks
with different units (vertices found by HiGHS at its two ends).  Left: the units'
outputs ``s_k (x w_k + b_k)_+`` of the two end networks (solid, dashed) and the
networks themselves.  The networks compute the *same function*, not only on the
training points: in one dimension two opposite units with the same kink sum to an
affine function, ``(x - t)_+ - (t - x)_+ = x - t``, and the optimal set trades such
pairs against each other.  (On every non-p-unique instance we tried -- 22 instances,
1-2 inputs, 8-12 points -- the optimal networks agreed everywhere to ``1e-11``.)
Right: the neuron norms ``|w_k|`` along the segment; their sum, the group norm,
stays fixed.
"""

import matplotlib.pyplot as plt
import numpy as np

import relu

g = np.random.default_rng(2)
X = g.standard_normal((8, 1))
y = np.sin(2 * X[:, 0]) + 0.1 * g.standard_normal(8)
S = relu.solve_cgl(X, y, 0.03).optimal_set()
print(S)

# a null direction of the neuron-level matrix (one column per neuron), put on one block each
reps = np.array([np.searchsorted(S.support, grp[0]) for grp in S.neurons])
_, sv, Vt = np.linalg.svd(S.matrix[:, reps])
d = np.zeros(S.n_support)
d[reps] = Vt[-1]
ends = [S.extreme_point(d), S.extreme_point(-d)]
a0, a1 = (np.array(e.info["alpha"]) for e in ends)
mn = S.min_norm()
print(f"neuron-level dimension {S.neuron_dimension}; end points certified: "
      f"{[e.certificate.accepted for e in ends]}; min-norm certified: {mn.certificate.accepted}")

xs = np.linspace(X.min() - 0.7, X.max() + 0.7, 400)[:, None]
F = S.features(xs)
fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2))
cols = plt.rcParams["axes.prop_cycle"].by_key()["color"]
for k, grp in enumerate(S.neurons):
    pos = np.searchsorted(S.support, grp)
    ax.plot(xs[:, 0], F[:, pos] @ a0[pos], "-", color=cols[k % 10], lw=1, alpha=0.8)
    ax.plot(xs[:, 0], F[:, pos] @ a1[pos], "--", color=cols[k % 10], lw=1, alpha=0.8)
ax.plot(xs[:, 0], F @ a0, color="k", lw=3, alpha=0.35, label="end network 1 (units: solid)")
ax.plot(xs[:, 0], F @ a1, color="k", lw=1.2, ls=":", label="end network 2 (units: dashed)")
print(f"max |f_1 - f_2| on the plotted range: {np.abs(F @ (a0 - a1)).max():.2e}")
ax.plot(X[:, 0], y, "ko", ms=5, label="training data")
ax.plot(X[:, 0], S.fit, "x", color="orange", ms=8, mew=2, label="the optimal fit yhat")
ax.set(xlabel="x", ylabel="network output", title="two optimal networks and their units")
ax.legend(fontsize=8)

ts = np.linspace(0, 1, 41)
norms = np.array([[((1 - t) * a0 + t * a1)[np.searchsorted(S.support, grp)].sum() for grp in S.neurons]
                  for t in ts])
for k in range(norms.shape[1]):
    bx.plot(ts, norms[:, k], lw=1.4, label=f"neuron {k}")
bx.plot(ts, norms.sum(axis=1), "k--", label="sum = group norm")
bx.axhline(S.group_norm, color="0.6", lw=4, alpha=0.4, zorder=0)
bx.set(xlabel="position on the segment of optimal networks", ylabel="|w_k|",
       title=f"neuron norms; group norm {S.group_norm:.4f} is fixed")
bx.legend(fontsize=7, ncol=2)
fig.tight_layout()
plt.show()
