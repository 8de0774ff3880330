"""Summary statistics over seeds: mean, standard deviation, median, quartiles."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["summarize"]


def summarize(values: ArrayLike) -> dict[str, float]:
    """Mean, sample standard deviation, median and quartiles of finite values.

    Parameters
    ----------
    values : array_like of float
        One value per seed; NaN entries are left out (and counted).

    Returns
    -------
    dict
        ``n``, ``mean``, ``std`` (``ddof=1``; NaN for one value), ``median``, ``q1``,
        ``q3``, ``min``, ``max``, ``n_missing``.  All Python floats/ints.

    Examples
    --------
    >>> s = summarize([1.0, 2.0, 3.0, 4.0, float("nan")])
    >>> s["n"], s["mean"], round(s["std"], 6), s["median"], s["q1"], s["q3"], s["n_missing"]
    (4, 2.5, 1.290994, 2.5, 1.75, 3.25, 1)
    >>> summarize([])["mean"]
    nan
    """
    a = np.asarray(values, dtype=np.float64).reshape(-1)
    ok = a[np.isfinite(a)]
    nan = float("nan")
    if ok.size == 0:
        return {"n": 0, "mean": nan, "std": nan, "median": nan, "q1": nan, "q3": nan,
                "min": nan, "max": nan, "n_missing": int(a.size)}
    q1, med, q3 = (float(x) for x in np.quantile(ok, [0.25, 0.5, 0.75]))
    return {"n": int(ok.size), "mean": float(ok.mean()),
            "std": float(ok.std(ddof=1)) if ok.size > 1 else nan,
            "median": med, "q1": q1, "q3": q3, "min": float(ok.min()), "max": float(ok.max()),
            "n_missing": int(a.size - ok.size)}


def _fmt(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "nan"
    return f"{x:.{digits}g}"
