"""Style constants and the colour machinery shared by every plotting module."""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["HIGHLIGHT", "FACE", "INK", "palette", "light"]


HIGHLIGHT = "#d62728"   # the paper's red: active examples and translated generators
FACE = "#c9d7e8"        # faces of the zonotope
INK = "0.15"


def _srgb_to_lab(rgb):
    """CIE L*a*b* (D65) of sRGB colours in [0, 1], shape (n, 3)."""
    c = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    M = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = c @ M.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


_SEEDS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
          "#bcbd22", "#f0c419"]


def _hex_to_rgb(h):
    return np.array([int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)])


@functools.lru_cache(maxsize=None)
def palette(n):
    """``n`` mutually distinct colours: fixed seeds, then greedy farthest points in Lab."""
    g = np.linspace(0.0, 1.0, 16)
    cand = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    lab = _srgb_to_lab(cand)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    ok = (lab[:, 0] >= 40) & (lab[:, 0] <= 85) & (chroma >= 25)
    cand, lab = cand[ok], lab[ok]
    chosen = [_hex_to_rgb(h) for h in _SEEDS[:n]]
    if n > len(chosen):
        dmin = np.full(len(cand), np.inf)
        for c in chosen:
            dmin = np.minimum(dmin, np.linalg.norm(lab - _srgb_to_lab(c[None])[0], axis=1))
        # the paper's red is reserved for highlights: keep chamber colours away from it
        dmin = np.minimum(dmin, np.linalg.norm(lab - _srgb_to_lab(_hex_to_rgb(HIGHLIGHT)[None])[0],
                                               axis=1) * 1.6)
        while len(chosen) < n and len(chosen) < len(cand):
            j = int(np.argmax(dmin))
            chosen.append(cand[j])
            dmin = np.minimum(dmin, np.linalg.norm(lab - lab[j], axis=1))
    out = np.ones((n, 4))
    for k in range(n):
        out[k, :3] = chosen[k % len(chosen)]
    out.flags.writeable = False
    return out


def light(rgba, amount=0.55):
    """Mix a colour with white (fills use the light version, markers the full one)."""
    c = np.asarray(rgba, dtype=float)[:3]
    return tuple(amount * c + (1 - amount))
