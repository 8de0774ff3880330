"""
Chamber counts against the closed form
======================================

For ``N`` points in general position in ``R^d`` the arrangement
``{w : w · (x_i, 1) = 0}`` in ``R^{d+1}`` has

.. math:: r(N, d) = 2 \\sum_{k=0}^{d} \\binom{N-1}{k}

chambers (Cover 1965; Zaslavsky 1975), so one ReLU unit has that many activation
patterns and the zonotope that many vertices.  We count the chambers of random
data exactly and compare.  Degenerate data (here: points on a small integer grid,
with many collinear triples) have fewer.
"""

from math import comb

import matplotlib.pyplot as plt
import numpy as np

import zonotope as zt

rng = np.random.default_rng(0)
Ns = np.arange(1, 13)
fig, ax = plt.subplots(figsize=(7, 4.6), layout="constrained")
for d, color in zip((1, 2, 3), ("#1f77b4", "#ff7f0e", "#2ca02c")):
    counted = [zt.count_chambers(zt.Arrangement.from_points(rng.standard_normal((N, d))))
               for N in Ns]
    closed = [2 * sum(comb(int(N) - 1, k) for k in range(d + 1)) for N in Ns]
    assert counted == closed
    ax.plot(Ns, closed, color=color, lw=1.5, label=f"d = {d}: closed form r(N, {d})")
    ax.plot(Ns, counted, "o", color=color, ms=6, mfc="white", mew=1.5)

grid = np.array([[i, j] for i in range(4) for j in range(3)], dtype=int)   # 12 grid points
deg = [zt.count_chambers(zt.Arrangement.from_points(grid[:N])) for N in Ns]
ax.plot(Ns, deg, "s", color="#d62728", ms=6, label="d = 2, points of a 4×3 grid (degenerate)")
ax.set_yscale("log")
ax.set_xlabel("number of data points N")
ax.set_ylabel("chambers = activation patterns")
ax.set_title("circles: exact count for random data;  lines: $r(N, d) = 2\\sum_{k=0}^{d}\\binom{N-1}{k}$")
ax.legend(fontsize=9, loc="upper left")
ax.set_xticks(Ns)
plt.show()

print("N   d=1  d=2  d=3")
for N in (4, 8, 12):
    print(N, *(2 * sum(comb(N - 1, k) for k in range(d + 1)) for d in (1, 2, 3)))
