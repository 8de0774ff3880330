"""One colour per chamber, and the text labels of activation patterns."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import ValidationError
from ._style import palette

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["chamber_colors", "pattern_label"]


def chamber_colors(n_chambers: int) -> np.ndarray:
    """The colour of each chamber (and of its zonotope vertex) in every diagram.

    Parameters
    ----------
    n_chambers : int
        Number of colours wanted (>= 0).

    Returns
    -------
    ndarray of float, shape (n_chambers, 4)
        RGBA rows in ``[0, 1]``.  The first nine are fixed, familiar colours; the
        rest are chosen greedily to be as far as possible (in CIE L*a*b*) from all
        earlier ones and from the highlight red.  Deterministic.

    Examples
    --------
    >>> C = chamber_colors(22)
    >>> C.shape, bool((C >= 0).all() and (C <= 1).all())
    ((22, 4), True)
    >>> len({tuple(c) for c in C})     # all distinct
    22
    >>> chamber_colors(0).shape
    (0, 4)
    """
    if isinstance(n_chambers, bool) or not isinstance(n_chambers, (int, np.integer)) or n_chambers < 0:
        raise ValidationError(f"`n_chambers` of `chamber_colors` must be an int >= 0; "
                              f"got {n_chambers!r} instead.")
    if n_chambers == 0:
        return np.zeros((0, 4))
    return np.array(palette(int(n_chambers)))


def pattern_label(pattern: ArrayLike, style: str = "pattern") -> str:
    """The text label of an activation pattern.

    Parameters
    ----------
    pattern : array_like of 0/1 or +-1, shape (n_samples,)
    style : {"pattern", "signs"}
        ``"pattern"``: one digit per example, ``1`` = active (``"01101"``);
        ``"signs"``: the sign vector, ``+`` = positive side = active (``"+-++-"``,
        with the typographic minus sign).

    Returns
    -------
    str

    Examples
    --------
    >>> pattern_label([0, 1, 1, 0, 1])
    '01101'
    >>> pattern_label([1, -1, 1], style="signs")
    '+−+'
    >>> pattern_label([])
    ''
    """
    p = np.asarray(pattern).reshape(-1) > 0
    if style == "pattern":
        return "".join("1" if b else "0" for b in p)
    if style == "signs":
        return "".join("+" if b else "\u2212" for b in p)
    raise ValidationError(f"`style` of `pattern_label` must be 'pattern' or 'signs'; got {style!r} instead.")
