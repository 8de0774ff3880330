"""
Set cover as training one ReLU, and a tiny perturbation that breaks it
======================================================================

:func:`relu.set_cover_reduction` turns "does a cover of size ``<= k`` exist?" into
data for one bias-free ReLU ``x -> max(0, w . x)``: a point ``e_i`` with label 1 per
set and a point ``c p_j`` with label 0 per element (``p_j`` marks the sets containing
element ``j``).  A cover of size ``k`` gives loss ``k / N``; without one, the loss is
at least ``gamma (k + 1) / N``; the threshold sits in between.

Here: two elements, the sets ``{0}`` and ``{1}``, so the smallest cover has size 2
and the question "``k = 1``?" must be answered *no*.  Left: the data.  Each element
point lies on the ray of the set point of its set: a linear dependency, found
exactly by :func:`zonotope.linear_dependency_witness` (highlighted), so the data are
not in general position.  Middle: the bias-free unit's arrangement in weight space
(one line ``w . x_i = 0`` per point).  Moving element 1 by ``c eps e_0``
(:func:`relu.breaking_perturbation`) splits one line into two and opens a thin new
chamber (shaded), where set point 0 is off and both element points are off: loss
``1 / N``, below the threshold, for every ``eps > 0``.  Right: the optimal loss
``L*`` by exact ERM over all chambers (:func:`relu.vertex_losses`) against ``eps``;
the reduction's answer flips from *no* (correct) to *yes*.  The general-position
reduction (:func:`relu.general_position_reduction`, Theorem 4.2) still answers *no*.
"""

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

import relu
import zonotope as zt

n, sets, k = 2, [{0}, {1}], 1
r = relu.set_cover_reduction(n, sets, k)
g = relu.general_position_reduction(n, sets, k)
N = r.n_samples
X = r.X_float()
dep = zt.linear_dependency_witness(r.X)
print("data:", r.X.tolist(), " dependency among points", dep.indices)
print("threshold theta(1) = %s, yes-bound %s, no-bound %s" % (r.threshold, r.upper, r.lower))

eps_grid = np.logspace(-6, 0, 7)
L_eps = [relu.vertex_losses(relu.breaking_perturbation(r, Fraction(e)).X, r.y_float(), bias=False).loss
         for e in eps_grid]
L0 = relu.vertex_losses(r.X, r.y_float(), bias=False).loss
Lg = relu.vertex_losses(g.X, g.y_float(), bias=False).loss
print("L*(D) = %.4f,  L*(D_eps) for eps in [1e-6, 1] in [%.4f, %.4f],  general position: %.4f"
      % (L0, min(L_eps), max(L_eps), Lg))

fig, ax = plt.subplots(1, 3, figsize=(13, 4.2))
# --- the data
a = ax[0]
for i, (x, t) in enumerate(zip(X, r.y_float())):
    a.scatter(*x, s=60, color="tab:green" if t == 1 else "tab:red", zorder=3)
    a.annotate(f"x{i} (y={int(t)})", x, textcoords="offset points", xytext=(6, 6))
for i in dep.indices:
    a.scatter(*X[i], s=260, facecolors="none", edgecolors="black", linewidths=1.5, zorder=4)
a.plot([0, 3.4], [0, 0], color="black", lw=0.8, ls=":")
Xp = relu.breaking_perturbation(r, Fraction(1, 10)).X_float()
a.annotate("", Xp[3], X[3], arrowprops=dict(arrowstyle="->", color="tab:purple"))
a.text(*(Xp[3] + [0.05, -0.35]), "eps = 0.1", color="tab:purple")
a.text(1.2, 2.2, "also dependent: x1, x3", fontsize=8)
a.set(xlim=(-0.5, 3.8), ylim=(-0.5, 3.8), aspect="equal", xlabel="x[0] (set 0)", ylabel="x[1] (set 1)",
      title="data: the circled points are linearly dependent")

# --- weight space: the lines w . x_i = 0 and the new chamber
a = ax[1]
e_show = 0.25                               # a larger eps than above, to make the chamber visible
Xs = relu.breaking_perturbation(r, Fraction(e_show)).X_float()
t = np.array([-3.0, 3.0])
for i in (0, 1):   # x2, x3 give the same two lines (they are parallel to x0, x1)
    a.plot(-X[i][1] * t, X[i][0] * t, color="tab:red", lw=3, alpha=0.5,
           label="w . x_i = 0 at eps = 0 (x0 = x2, x1 = x3)" if i == 0 else None)
a.plot(-Xs[3][1] * t, Xs[3][0] * t, color="tab:purple", label=f"w . x3' = 0 at eps = {e_show}")
# the new chamber {w0 < 0, 0 < w1 < -eps w0}: set 0 off, set 1 on, both elements off
a.fill([0, -2.5, -2.5], [0, 0, 2.5 * e_show], color="tab:purple", alpha=0.3)
a.text(-2.4, 0.75, "new chamber: loss 1/N", color="tab:purple", fontsize=9)
a.set(xlim=(-2.5, 2.5), ylim=(-2.5, 2.5), aspect="equal", xlabel="w0", ylabel="w1",
      title="weight space: one line splits in two")
a.legend(loc="lower right", fontsize=8)

# --- the optimal loss
a = ax[2]
a.semilogx(eps_grid, L_eps, "o-", color="tab:purple", label="L*(D_eps), plain reduction")
a.axhline(L0, color="tab:red", lw=4, alpha=0.5, label="L*(D) at eps = 0")
a.axhline(Lg, color="tab:blue", ls="--", label="L*, general-position reduction")
a.axhline(float(r.threshold), color="black", ls=":", label="threshold theta(1)")
a.set(xlabel="eps", ylabel="optimal mean loss", ylim=(0, 0.55),
      title="OPT = 2 > k = 1: the answer should be 'no'")
a.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()
