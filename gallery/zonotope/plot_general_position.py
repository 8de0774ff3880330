"""
General position versus degenerate data
=======================================

Six points in the plane in general position give ``2 (1 + 5 + 10) = 32`` chambers.
Move ``x_5`` from ``(1, 0)`` onto the segment between ``x_1`` and ``x_2``, and two
chambers vanish: the pattern ``011000`` (``x_1, x_2`` active, ``x_5`` inactive) and
its complement ``100111``.  No affine function is positive at both ends of a
segment and not positive at its midpoint.  On the zonotope, the three
parallelograms around each of the two vanishing vertices merge into one hexagonal
face, spanned by the three linearly dependent generators ``x̄_1, x̄_2, x̄_5``.

The parameter space is drawn as the sphere of directions (one disk, every
chamber once; see :func:`zonotope.plot_arrangement`).  The hatched regions in the
top row are the chambers that vanish; their vertices are starred.  The counts are
exact: the moved point is exactly the midpoint.
"""

import matplotlib.pyplot as plt
import numpy as np

import zonotope as zt
from zonotope.general_position import general_position_witness
from zonotope.plotting import pattern_label, plot_arrangement, plot_points, plot_zonotope

generic = np.array([[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0], [1, 0]])
degenerate = generic.copy()
degenerate[5] = [1.5, -0.5]          # the midpoint of x_1 = (1, -2) and x_2 = (2, 1)
print("generic:", general_position_witness(generic))
print("degenerate:", general_position_witness(degenerate))

Zg, Zd = zt.Zonotope.from_points(generic), zt.Zonotope.from_points(degenerate)
pg = {pattern_label(p) for p in Zg.coefficients}
pd = {pattern_label(p) for p in Zd.coefficients}
gone = sorted(pg - pd)
print(f"{Zg.n_vertices} chambers -> {Zd.n_vertices}; vanished: {gone}; new: {sorted(pd - pg)}")
print("f-vectors:", Zg.f_vector(), Zd.f_vector())

gone_idx = [Zg.vertex_index([int(c) for c in s]) for s in gone]
view = dict(elev=30, azim=-70)          # the same viewpoint for both zonotopes
fig, axs = plt.subplots(2, 3, figsize=(16, 10.5), layout="constrained")
plot_points(generic, axs[0, 0], title=f"general position: {Zg.n_vertices} chambers")
plot_arrangement(generic, axs[0, 1], view="sphere", emphasize=gone_idx)
plot_zonotope(Zg, axs[0, 2], emphasize=gone_idx, **view)
plot_points(degenerate, axs[1, 0],
            title=f"$x_5$ moved to the midpoint of $x_1 x_2$: {Zd.n_vertices} chambers")
axs[1, 0].plot(*degenerate[[1, 2]].T, color="#d62728", lw=1.2, ls=":")
plot_arrangement(degenerate, axs[1, 1], view="sphere")
plot_zonotope(Zd, axs[1, 2], **view)
plt.show()
