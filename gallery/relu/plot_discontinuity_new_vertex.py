"""
A jump of the optimal loss, mechanism 2: a vertex that did not exist
====================================================================

The second way ``L*`` can jump (Matena & Raffel 2022, Section 4.1): the optimal vertex
of the perturbed data is *not* a vertex of the zonotope of the original data; it
appears when a face that is not a parallelepiped breaks up.
:func:`relu.new_vertex_example` (the toolkit's own example): one unit with a bias,
second layer ``(1, 0)``, the points ``(0, 0), (1, eps), (2, 0), (1/2, -2 eps), (1, -3)``
with labels ``1, 3, 1, 0, 2``.

At ``eps = 0`` the first four points lie on a line: their homogenised vectors span a
plane, and the zonotope has an octagonal 2-face.  A unit switched on at ``(0, 0)`` and
``(1, 0)`` is on at ``(1/2, 0)`` between them, so the pattern ``(1, 1, 1, 0, 0)`` is
impossible; the best the line allows is the least-squares line ``1 + 2x/7``
(``L* = 32/35``).  For ``eps > 0`` the octagon splits into parallelograms and the
pattern becomes a chamber: the unit ``1 + 2 y / eps`` fits the first three points,
switches off the fourth (value ``-3``) and sacrifices the fifth (``2^2 / 5``):
``L* = 4/5``.  The minimum over the vertices that already existed at ``eps = 0``
(grey) stays continuous: the whole jump ``4/35`` comes from the new vertex.
"""

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

import relu
import zonotope as zt

ex = relu.new_vertex_example()
eps = np.concatenate([-np.logspace(-5, -0.5, 7)[::-1], np.logspace(-5, -0.5, 7)])
curve = relu.loss_curve(ex, [Fraction(e) for e in eps])
faces = {e: max(len(f) for f, _ in zt.Zonotope.from_points(ex.data(Fraction(e))).faces(2))
         for e in (0, Fraction(1, 100))}
print(f"L*(0) = {curve.value_at_zero:.6f} (claimed {ex.value_at_zero} = {float(ex.value_at_zero):.6f}); "
      f"L*(eps > 0) = {curve.loss[eps > 0].min():.6f}..{curve.loss[eps > 0].max():.6f} (claimed {ex.limit})")
print(f"vertices: {curve.n_vertices_at_zero} at eps = 0, {curve.n_vertices[-1]} at eps > 0; "
      f"largest 2-face has {faces[0]} generators at eps = 0 and {faces[Fraction(1, 100)]} at eps = 0.01")

fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
a = ax[0]
X = ex.data(0.3)
for i, (x, y) in enumerate(zip(X, ex.y())):
    on = ex.optimal_pattern[i]
    a.scatter(*x, s=70, color=plt.cm.viridis(y / 3), edgecolors="black" if on else "none", zorder=3)
    a.annotate(f"y={y:g}" + ("" if on else " (off)"), x, textcoords="offset points", xytext=(6, 4))
a.plot([-0.3, 2.3], [0, 0], ":", color="black", lw=0.8)
a.set(xlabel="x", ylabel="y", title="data at eps = 0.3; ringed: on in the new vertex", ylim=(-3.5, 0.8))

a = ax[1]
for side in (eps < 0, eps > 0):
    a.plot(eps[side], curve.loss[side], "o-", color="tab:blue", ms=4, label="L*(D_eps)" if side[-1] else None)
    a.plot(eps[side], curve.old_min[side], "--", color="0.5",
           label="best vertex that exists at eps = 0" if side[-1] else None)
a.scatter([0], [curve.value_at_zero], color="tab:red", zorder=4, s=50, label="L*(0) = 32/35")
a.set_xscale("symlog", linthresh=1e-5)
a.set(xlabel="eps", ylabel="mean squared error", ylim=(0.7, 1.05), title="jump of 4/35 through a new vertex")
a.legend(loc="lower left", fontsize=8)
fig.tight_layout()
plt.show()
