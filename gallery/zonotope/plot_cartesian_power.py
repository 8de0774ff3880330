"""
Two units: the Cartesian power Z²
=================================

With ``m`` hidden units the feasible activation patterns are the vertices of the
Cartesian power ``Z^m``: an ``m``-tuple of vertices of ``Z``, one per unit.  For
three points on a line, ``Z`` is a hexagon (left) and ``Z^2 ⊂ R^4`` has
``6^2 = 36`` vertices.  An edge of ``Z^2`` changes one unit's pattern along an edge
of ``Z``, so every vertex has ``2 + 2 = 4`` neighbours: the local-search
neighbourhood of the paper's greedy local search.

The right panel projects ``Z^2`` linearly to the plane: vertex ``(k_1, k_2)`` sits
at ``p(v_{k_1}) + 0.3 p(v_{k_2})``.  Each vertex of the big hexagon carries a small
copy of ``Z``; long grey edges change unit 1, short dark edges unit 2.
"""

import matplotlib.pyplot as plt

import zonotope as zt
from zonotope.plotting import plot_power, plot_zonotope

X = [[0.0], [1.0], [3.0]]
Z = zt.Zonotope.from_points(X)
P = Z.power(2)
print(P.n_vertices, "vertices;", "neighbours of (0, 0):", P.neighbors((0, 0)))
print("pattern matrix of vertex (2, 4):")
print(P.pattern((2, 4)))

fig, axs = plt.subplots(1, 2, figsize=(12, 5.6), layout="constrained", width_ratios=[1, 1.25])
plot_zonotope(Z, axs[0], labels="pattern")
plot_power(Z, axs[1])
plt.show()
