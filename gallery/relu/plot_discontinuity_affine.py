"""
A jump of the optimal loss, mechanism 1: an affine dependency among active examples
===================================================================================

Without general position the optimal loss ``L*`` of a shallow ReLU network can jump
under an arbitrarily small perturbation of the data (Matena & Raffel 2022,
Section 4.1).  :func:`relu.affine_dependency_example` (the toolkit's own example):
one unit with a bias, second layer ``(1, 0)``, mean squared error, and the four points
``(0, 0), (1, eps), (2, 0), (0, -5)`` with labels ``1, 2, 1, 0``.

At ``eps = 0`` the first three points are collinear, so any unit is an affine
function of ``x`` along their line and the labels ``1, 2, 1`` can only be fitted by
the constant ``4/3``: ``L* = 1/6``.  For every ``eps > 0`` the unit ``1 + y / eps``
fits all four points exactly: ``L* = 0``.  The optimal activation pattern
``(1, 1, 1, 0)`` is a chamber for every ``eps`` -- the same vertex of the zonotope
before and after; what jumps is its convex problem (3).  For ``eps < 0`` the slope
``1 / eps`` would switch the fourth point on, and ``L*`` tends to ``1/6`` again: the
jump is one-sided.  Values by exact ERM over all vertices (:func:`relu.loss_curve`).
"""

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

import relu

ex = relu.affine_dependency_example()
eps = np.concatenate([-np.logspace(-5, -0.5, 7)[::-1], np.logspace(-5, -0.5, 7)])
curve = relu.loss_curve(ex, [Fraction(e) for e in eps])
print(f"L*(0) = {curve.value_at_zero:.6f} (claimed {ex.value_at_zero}), "
      f"L*(eps > 0) = {curve.loss[eps > 0].max():.2e} (claimed {ex.limit}), jump {ex.jump}")
print("optimal pattern for eps > 0:", curve.optimal_pattern[-1],
      " new vertex?", bool(curve.optimal_is_new[-1]))

fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
a = ax[0]
X = ex.data(0.3)
for x, y in zip(X, ex.y()):
    a.scatter(*x, s=60, color=plt.cm.viridis(y / 2), zorder=3)
    a.annotate(f"y={y:g}", x, textcoords="offset points", xytext=(6, 4))
a.plot([-0.3, 2.3], [0, 0], ":", color="black", lw=0.8)
a.annotate("", (1, 0.3), (1, 0), arrowprops=dict(arrowstyle="->", color="tab:purple"))
a.text(1.05, 0.1, "eps", color="tab:purple")
a.set(xlabel="x", ylabel="y", title="data at eps = 0.3 (collinear at eps = 0)", ylim=(-5.6, 1.0))

a = ax[1]
for side in (eps < 0, eps > 0):
    a.plot(eps[side], curve.loss[side], "o-", color="tab:blue", ms=4)
a.scatter([0], [curve.value_at_zero], color="tab:red", zorder=4, s=50, label="L*(0) = 1/6")
a.plot(eps[eps > 0], curve.new_min[eps > 0], "s--", color="0.6", ms=3, label="best new vertex")
a.plot(eps[eps < 0], curve.new_min[eps < 0], "s--", color="0.6", ms=3)
a.set_xscale("symlog", linthresh=1e-5)
a.set(xlabel="eps", ylabel="L*(D_eps)  (mean squared error)", ylim=(-0.05, 1.1),
      title="one-sided jump of 1/6 at eps = 0")
a.legend(loc="center left")
fig.tight_layout()
plt.show()
