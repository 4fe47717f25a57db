"""Exponential trends: doubling-time fits, ratios, milestone projections (SPEC 5).

Pure: points in, numbers out. Reading METR's YAML and CSV files is text in, points out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from forecast_ledger.domain.dates import MEAN_MONTH_DAYS, Period, parse_day
from forecast_ledger.domain.stats import linear_fit
from forecast_ledger.errors import InputError

# Task lengths are in human working time, as METR counts them: a working day is 8 hours,
# a week 40, a month 167 (METR's "1-month" milestone).
TIME_UNITS_IN_MINUTES = {
    "s": 1 / 60, "sec": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
    "m": 1.0, "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
    "d": 480.0, "day": 480.0, "days": 480.0, "workday": 480.0, "workdays": 480.0,
    "w": 2400.0, "wk": 2400.0, "week": 2400.0, "weeks": 2400.0,
    "mo": 10020.0, "month": 10020.0, "months": 10020.0,
}


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: float
    label: str | None = None


@dataclass(frozen=True)
class Series:
    id: int
    name: str
    unit: str | None
    description: str | None


@dataclass(frozen=True)
class TrendClaim:
    id: int
    key: str | None
    series: str
    claimant: str
    made_on: Period
    doubling_days: float
    doubling_expression: str
    anchor_date: dt.date
    anchor_value: float
    source: str | None
    quote: str | None
    note: str | None


@dataclass(frozen=True)
class Observed:
    """What adding observations did: how many were new, how many were already recorded
    (observing a point again is a no-op), and the milestones the new ones resolved."""

    added: int
    present: int
    resolved: list


@dataclass(frozen=True)
class DoublingFit:
    """A log2-linear fit: the series doubles every ``doubling_days`` days."""

    points: int
    doubling_days: float | None
    r2: float | None
    first: dt.date | None
    last: dt.date | None

    @property
    def doubling_months(self) -> float | None:
        return None if self.doubling_days is None else self.doubling_days / MEAN_MONTH_DAYS


def doubling_fit(points: Iterable[Point]) -> DoublingFit:
    """Least squares of log2(value) on the date (in days). Values must be positive.

    A flat or shrinking series has no doubling time (None).
    """
    pts = list(points)
    for p in pts:
        if p.value <= 0:
            raise InputError(f"observation of {p.on} has value {p.value}; a doubling fit needs "
                             "positive values")
    fit = linear_fit((p.on.toordinal(), math.log2(p.value)) for p in pts)
    first = min((p.on for p in pts), default=None)
    last = max((p.on for p in pts), default=None)
    if fit is None:
        return DoublingFit(len(pts), None, None, first, last)
    doubling = 1 / fit.slope if fit.slope > 0 else None
    return DoublingFit(len(pts), doubling, fit.r2, first, last)


@dataclass(frozen=True)
class WindowFit:
    """The doubling fit of one series over a window of dates (open ends: all of it)."""

    series: str
    start: dt.date | None
    end: dt.date | None
    fit: DoublingFit

    @property
    def doubling_days(self) -> float | None:
        return self.fit.doubling_days

    def to_dict(self) -> dict:
        """The stable JSON form (SPEC §4: ``trend fit --format json``)."""
        start, end = self.start or self.fit.first, self.end or self.fit.last
        return {"series": self.series, "from": start.isoformat() if start else None,
                "to": end.isoformat() if end else None, "points": self.fit.points,
                "doubling_days": self.fit.doubling_days,
                "doubling_months": self.fit.doubling_months, "r2": self.fit.r2}


@dataclass(frozen=True)
class Comparison:
    """Two doubling times of one series (two windows, or two trend claims) and their
    ratio, second / first."""

    series: str
    first: WindowFit | TrendClaim
    second: WindowFit | TrendClaim

    @property
    def ratio(self) -> float | None:
        return doubling_ratio(self.first.doubling_days, self.second.doubling_days)


def claim_summary(claim: TrendClaim) -> dict:
    """A trend claim's doubling time in the form a comparison lists it."""
    return {"claim": claim.key or claim.id, "claimant": claim.claimant,
            "made_on": claim.made_on.first.isoformat(), "doubling_days": claim.doubling_days,
            "doubling_months": claim.doubling_days / MEAN_MONTH_DAYS}


def doubling_ratio(first_days: float | None, second_days: float | None) -> float | None:
    """second / first: below 1 the trend sped up (4 months after 7 months → 0.57)."""
    if not first_days or second_days is None:
        return None
    return second_days / first_days


def project(anchor_date: dt.date, anchor_value: float, doubling_days: float,
            target: float) -> dt.date:
    """anchor date + doubling time × log2(target / anchor value)."""
    if anchor_value <= 0 or target <= 0 or doubling_days <= 0:
        raise InputError("a projection needs a positive anchor value, target and doubling time")
    days = doubling_days * math.log2(target / anchor_value)
    try:
        return anchor_date + dt.timedelta(days=round(days))
    except OverflowError:
        raise InputError("the projected date is out of the calendar's range") from None


# A count written as people write it: 10M tokens, 2.5k, 3 billion (before a unit word).
MULTIPLIERS = {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "B": 1e9,
               "bn": 1e9, "billion": 1e9}


def format_quantity(value: float) -> str:
    """A value as people read it: 1,000,000 (not 1e+06), 480, 2.5."""
    if value == int(value) and abs(value) < 1e18:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def quantity_slug(value: float) -> str:
    """A value for a key or topic: 1000000 (no separators, no exponent)."""
    return str(int(value)) if value == int(value) and abs(value) < 1e18 else \
        f"{value:.6g}".replace("+", "")


def parse_quantity(text: str, unit: str | None) -> float:
    """A target value in the series' unit: '8 hours' → 480 for a series in minutes;
    '10M tokens' → 10,000,000 (a multiplier needs a unit word after it: 10m is minutes)."""
    m = re.fullmatch(r"\s*([0-9][0-9,]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*"
                     r"(?:(k|K|M|B|bn|thousand|million|billion)\s+(?=[a-zA-Z]))?"
                     r"([a-zA-Z]*)\s*", text)
    if not m or re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?|[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?",
                             m.group(1)) is None:
        raise InputError(f"cannot read {text!r} as a value; give a number with a unit, "
                         "e.g. 8 hours, 1 week, 10M tokens")
    number = float(m.group(1).replace(",", "")) * MULTIPLIERS.get(m.group(2) or "", 1)
    given = m.group(3).lower()
    if not given or (unit and given == unit.lower()):
        return number
    series_unit = (unit or "").lower()
    if given in TIME_UNITS_IN_MINUTES and series_unit in TIME_UNITS_IN_MINUTES:
        return number * TIME_UNITS_IN_MINUTES[given] / TIME_UNITS_IN_MINUTES[series_unit]
    raise InputError(f"{text!r}: cannot convert {given!r} to the series' unit "
                     f"{unit or '(none)'}")


def read_csv_points(text: str) -> list[Point]:
    """``date,value[,label]`` rows; a header row is allowed."""
    points = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("date", "observed_on", "day"):
            continue
        if len(row) < 2:
            raise InputError(f"line {number}: expected date,value[,label]")
        try:
            value = float(row[1])
        except ValueError:
            raise InputError(f"line {number}: value {row[1]!r} is not a number") from None
        try:
            day = parse_day(row[0])
        except InputError as exc:
            raise InputError(f"line {number}: {exc}") from None
        label = row[2].strip() if len(row) > 2 and row[2].strip() else None
        points.append(Point(day, value, label))
    return points


def read_metr_points(text: str, *, sota_only: bool = False) -> list[Point]:
    """METR's benchmark_results YAML: release date and p50 horizon (minutes) per model."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML ({str(exc).splitlines()[0]})") from None
    except RecursionError:
        raise InputError("its values nest too deeply to be a METR results file") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise InputError("not a METR results file: it has no 'results' mapping")
    points = []
    for model, entry in results.items():
        try:
            metrics = entry["metrics"]
            value = float(metrics["p50_horizon_length"]["estimate"])
            released = entry["release_date"]
        except (KeyError, TypeError, ValueError):
            raise InputError(f"model {model!r} lacks release_date or "
                             "metrics.p50_horizon_length.estimate") from None
        if not isinstance(released, dt.date):
            released = parse_day(str(released))
        if sota_only and not metrics.get("is_sota"):
            continue
        points.append(Point(released, value, str(model)))
    return sorted(points, key=lambda p: (p.on, p.label or ""))
