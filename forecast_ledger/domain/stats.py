"""Least squares, plain arithmetic: one pass over the points, no numpy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fit:
    """y = intercept + slope * x, with R² and the number of points."""

    slope: float
    intercept: float
    r2: float | None
    n: int


def linear_fit(points: Iterable[tuple[float, float]]) -> Fit | None:
    """The least-squares line through (x, y) points; None with fewer than two distinct x.

    Only exactly equal x values are degenerate: two predictions made a day apart, or two
    observations a day apart, still give a line."""
    n = 0
    sx = sy = 0.0
    xs: list[float] = []
    ys: list[float] = []
    for x, y in points:
        xs.append(x)
        ys.append(y)
        sx += x
        sy += y
        n += 1
    if n < 2:
        return None
    mx, my = sx / n, sy / n
    sxx = sxy = syy = 0.0
    for x, y in zip(xs, ys, strict=True):
        dx, dy = x - mx, y - my
        sxx += dx * dx
        sxy += dx * dy
        syy += dy * dy
    if min(xs) == max(xs):
        return None  # all x the same (e.g. every prediction made the same day)
    slope = sxy / sxx
    r2 = (sxy * sxy) / (sxx * syy) if syy > 0 else None
    return Fit(slope, my - slope * mx, r2, n)
