"""
Figure 3: greedy local search over vertices against gradient descent
====================================================================

Figure 3 (top) of Matena & Raffel (2022).  Greedy local search (GLS, Algorithm 2,
:func:`relu.local_search` with ``strategy="best"``) walks the 1-skeleton of the
zonotope ``Z^m``: from the vertex (activation pattern) of a random initialisation
it solves the convex problem (3) at every neighbouring vertex -- one example's
activation flipped in one unit -- moves to the best one, and stops when no
neighbour lowers the loss.  Gradient descent (:func:`relu.gradient_descent`,
defaults: full batch, step ``1/L``, at most 5000 steps) starts from the same
Glorot-uniform weights ``W0``.

Setup, as in the paper: ``d = 4``, a teacher with ``m_gen = 2`` units,
``N = (d + 1) m_gen = 10`` examples, students of width ``m`` (``n_units``) from 1 to 8
(overparameterisation factor 0.5 to 4).  The teacher is our choice (the paper's
Appendix H is unavailable): Gaussian first layer and biases, the students' fixed
second layer ``(+1, -1, ..., 0)``, noiseless labels; each of the 10 seeds draws a
new teacher, data set and initialisation.  Losses are relative training MSE,
``MSE / mean(y^2)``; values below ``1e-12`` are drawn on the dotted line.

Beyond the paper, the black markers are the *exact* optimum of the empirical risk
(Algorithm 1, :func:`relu.exact_erm`).  At ``m = 1`` it is computed: 512 vertices
per data set.  For ``m >= 2`` it is 0 without computation, because the teacher
itself (plus dead units) is a student network.

The data come from :func:`relu.experiments.teacher_data`.  The bottom panel of the
paper's Figure 3 (mGLS on Fashion-MNIST coat vs pullover, and the digits 5 vs 9
stand-in for MNIST) and tables over seeds are ``zonotope reproduce fig3`` (see
"Reproducing the paper" in the documentation).
"""

import matplotlib.pyplot as plt
import numpy as np

import relu
import zonotope as zt
from relu.experiments import teacher_data

rng = np.random.default_rng(3)
d, m_gen, n_seeds = 4, 2, 10
N = (d + 1) * m_gen
widths = np.array([1, 2, 3, 4, 6, 8])
PATH_WIDTH = 2                   # width whose GLS trajectories are drawn (factor 1)
FLOOR = 1e-12                    # relative losses below this count as an exact fit
COLORS = {"gradient_descent": "#1f77b4", "local_search": "#2ca02c", "exact": "black"}  # as Fig. 2



losses = {name: np.empty((len(widths), n_seeds)) for name in ("gradient_descent", "local_search")}
exact_m1 = np.empty(n_seeds)
paths, moves = [], np.empty((len(widths), n_seeds), dtype=int)
for s in range(n_seeds):
    data = teacher_data(d, m_gen, rng=rng)   # Gaussian X, random teacher
    X, y = data.X, data.y
    scale = np.mean(y**2)
    chambers = zt.enumerate_chambers(zt.Arrangement.from_points(X))  # shared by all m
    exact_m1[s] = relu.exact_erm(X, y, 1, progress=False, chambers=chambers).loss / scale
    for k, n_units in enumerate(widths):
        second_layer = relu.alternating_second_layer(n_units)
        start, W0 = relu.random_pattern(X, n_units, rng=rng)      # the vertex of W0
        gls = relu.local_search(X, y, n_units, second_layer, start=start, chambers=chambers)
        gd = relu.gradient_descent(X, y, n_units, second_layer, W0=W0)
        losses["local_search"][k, s] = gls.loss / scale
        losses["gradient_descent"][k, s] = gd.loss / scale
        moves[k, s] = len(gls.info["path"]) - 1
        if n_units == PATH_WIDTH:
            paths.append(np.array(gls.info["path"]) / scale)

# %%
# Left: final losses (median line, interquartile band, one dot per seed).  Right:
# the loss after each GLS move at ``m = 2``, one line per seed.

fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4.6), layout="constrained",
                              gridspec_kw={"width_ratios": [3, 2]}, sharey=True)
labels = {"gradient_descent": "gradient descent (5000 steps)", "local_search": "GLS (Algorithm 2)"}
for (name, label), shift in zip(labels.items(), (-0.1, 0.1)):
    color = COLORS[name]
    L = np.maximum(losses[name], FLOOR)
    q1, med, q3 = np.quantile(L, [0.25, 0.5, 0.75], axis=1)
    ax.fill_between(widths, q1, q3, color=color, alpha=0.2, lw=0)
    ax.plot(widths, med, "-o", color=color, lw=2, ms=6, label=label + ", median")
    ax.plot(np.repeat(widths + shift, n_seeds), L.ravel(), ".", color=color, alpha=0.6, ms=5)
exact = np.r_[np.median(exact_m1), np.full(len(widths) - 1, FLOOR)]
ax.plot(widths, exact, "D", color=COLORS["exact"], ms=10, mfc="none", mew=1.5, zorder=3,
        label="exact optimum (m = 1: exact_erm, median; m ≥ 2: 0)")
ax.axhline(FLOOR, color="0.4", ls=":", lw=1)
ax.set_yscale("log")
ax.set_ylim(FLOOR / 5, 30)
ax.set_xticks(widths, [f"{m}\n×{m / m_gen:g}" for m in widths])
ax.set_xlabel("hidden units m  (overparameterisation factor m / m_gen)")
ax.set_ylabel("relative training MSE  (MSE / mean y²)")
ax.set_title(f"final loss: d = {d}, m_gen = {m_gen}, N = {N}, {n_seeds} seeds", fontsize=11)

for p in paths:
    ax2.plot(np.arange(len(p)), np.maximum(p, FLOOR), "-o", color=COLORS["local_search"], alpha=0.6,
             ms=3, lw=1)
ax2.axhline(FLOOR, color="0.4", ls=":", lw=1)
ax2.text(0.98, FLOOR * 2.5, "exact fit (< 1e-12)", transform=ax2.get_yaxis_transform(),
         ha="right", va="bottom", fontsize=9, color="0.3")
ax2.set_xlabel("GLS move (vertex → best neighbour)")
ax2.set_title(f"GLS trajectories at m = {PATH_WIDTH}", fontsize=11)
ax2.tick_params(labelleft=True)
fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=9)
plt.show()

# %%
# The medians, printed (``moves``: GLS steps taken before no neighbour improved).

print(f"exact optimum at m = 1: median {np.median(exact_m1):.3g}; GLS reached it "
      f"(within 1e-9) for {int(np.sum(losses['local_search'][0] <= exact_m1 + 1e-9))} of {n_seeds} seeds")
print("   m   GLS         GD          GLS moves   GLS exact fits")
for k, n_units in enumerate(widths):
    gls, gd = losses["local_search"][k], losses["gradient_descent"][k]
    print(f"{n_units:>4}   {np.median(gls):9.2e}   {np.median(gd):9.2e}"
          f"   {np.median(moves[k]):9.0f}   {int(np.sum(gls < FLOOR)):>5} / {n_seeds}")

# %%
# What the figure shows (numbers from the run above on the development machine).
# In this run GLS is never worse than gradient descent: it ends at or below it
# for all 60 (width, seed) pairs.  At ``m = 1`` GLS reaches the exact optimum of
# :func:`relu.exact_erm` for all 10 seeds (median relative MSE 0.07), while
# gradient descent ends at relative loss 1 -- the output of a dead unit -- for 6
# seeds (median 1.0), 4 of them with a lower optimum (0.02 to 0.41).  At
# ``m = 2`` (factor 1, the teacher's width) GLS fits exactly for 6 of 10 seeds;
# the other 4 stop at a vertex none of whose neighbours is better (relative MSE
# between ``1e-4`` and 0.1: the flat ends in the right panel), and gradient
# descent's median is ``9e-3``.  From ``m = 3`` on GLS fits exactly for 9, then
# 10, of 10 seeds, in fewer and fewer moves (median 0 moves at ``m = 8``: the
# starting vertex already fits exactly, as in Figure 2); gradient descent reaches
# medians of about ``1e-4`` (``m = 4, 6``) and ``5e-6`` (``m = 8``) and fits
# exactly in 5 of its 50 runs with ``m >= 2``.  This agrees with the paper's
# claim that GLS significantly outperforms gradient descent on synthetic data.
