"""
The 1-skeleton: chambers and their neighbours
=============================================

Two chambers are adjacent (share a facet) when their sign vectors differ in one
parallel class of hyperplanes; for data in general position, in exactly one
example.  These adjacencies are the edges of the zonotope ``Z``, and the graph of
vertices and edges (the 1-skeleton) is what local search walks on.

Vertices are labelled by their sign vectors (``+`` = active) and drawn in layers by
the number of active examples; an edge is labelled by the example it flips, so it
always joins two consecutive layers.  The highlighted vertex and its edges are
its neighbourhood.
"""

import matplotlib.pyplot as plt

import zonotope as zt
from zonotope.plotting import plot_skeleton

X = zt.figure1_points()
Z = zt.Zonotope.from_points(X)
k = Z.vertex_index([0, 1, 1, 0, 1])
print("neighbours of", k, ":", Z.neighbors(k))
fig, ax = plt.subplots(figsize=(11, 5.8), layout="constrained")
plot_skeleton(Z, ax, chamber=k)
plt.show()
