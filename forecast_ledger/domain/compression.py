"""How forecasts of one event moved: lead times, pull-in, drift, convergence (SPEC 5).

Pure functions over plain values; the store hands in :class:`Forecast` tuples.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from forecast_ledger.domain.dates import decimal_year, from_decimal_year
from forecast_ledger.domain.stats import linear_fit

YEAR_DAYS = 365.25
TRENDS = ("compressing", "holding", "slipping", "receding")


class Forecast(NamedTuple):
    """One prediction of a topic, as the report needs it (a NamedTuple: a report may read a
    million, and a tuple is built in half the time of a frozen dataclass)."""

    id: int
    key: str | None
    claimant: str
    made_on: dt.date
    deadline: dt.date
    status: str


@dataclass(frozen=True)
class Step:
    forecast: Forecast
    lead_years: float
    pull_in_years: float | None


@dataclass(frozen=True)
class TopicReport:
    topic: str
    steps: tuple[Step, ...]
    lead_ratio: float | None
    drift: float | None
    lead_halving_years: float | None
    convergence_date: dt.date | None

    @property
    def trend(self) -> str | None:
        return classify(self.drift)

    @property
    def span_years(self) -> float:
        """Years from the first forecast to the last."""
        return (self.steps[-1].forecast.made_on - self.steps[0].forecast.made_on).days / YEAR_DAYS

    @property
    def moved_years(self) -> float:
        """How far the predicted date moved, last minus first (negative: earlier)."""
        return (self.steps[-1].forecast.deadline - self.steps[0].forecast.deadline).days \
            / YEAR_DAYS

    @property
    def date_held(self) -> bool:
        """The last forecast names the first one's date (within HELD_YEARS)."""
        return abs(self.moved_years) < HELD_YEARS


HELD_YEARS = 0.05  # under three weeks: the same date, read at another precision


def classify(drift: float | None) -> str | None:
    """compressing ≤ -0.1 < holding < 0.1 ≤ slipping < 0.9 ≤ receding; None if undefined."""
    if drift is None:
        return None
    if drift <= -0.1:
        return "compressing"
    if drift < 0.1:
        return "holding"
    if drift < 0.9:
        return "slipping"
    return "receding"


def topic_report(topic: str, forecasts: Iterable[Forecast]) -> TopicReport:
    """The compression figures of one topic's forecasts (any order)."""
    ordered = sorted(forecasts, key=lambda f: (f.made_on, f.id))
    steps = []
    previous: Forecast | None = None
    for f in ordered:
        lead = (f.deadline - f.made_on).days / YEAR_DAYS
        pull_in = None if previous is None else (previous.deadline - f.deadline).days / YEAR_DAYS
        steps.append(Step(f, lead, pull_in))
        previous = f
    made = [decimal_year(f.made_on) for f in ordered]
    due = [decimal_year(f.deadline) for f in ordered]
    first_lead, last_lead = steps[0].lead_years, steps[-1].lead_years
    lead_ratio = last_lead / first_lead if len(steps) > 1 and first_lead > 0 else None

    deadline_fit = linear_fit(zip(made, due, strict=True))
    drift = deadline_fit.slope if deadline_fit else None
    convergence = None
    if deadline_fit and deadline_fit.slope < 1:
        # deadline = a + b * made meets deadline = made at made = a / (1 - b)
        where = deadline_fit.intercept / (1 - deadline_fit.slope)
        if 1 <= where < 10_000:
            convergence = from_decimal_year(where)

    halving = None
    lead_fit = linear_fit((m, math.log2(s.lead_years))
                          for m, s in zip(made, steps, strict=True) if s.lead_years > 0)
    if lead_fit and lead_fit.slope < 0:
        halving = -1 / lead_fit.slope
    return TopicReport(topic, tuple(steps), lead_ratio, drift, halving, convergence)


def compression_report(forecasts: Iterable[tuple[str, Forecast]]) -> list[TopicReport]:
    """Reports for every topic with two or more forecasts, by topic name."""
    by_topic: dict[str, list[Forecast]] = {}
    for topic, forecast in forecasts:
        by_topic.setdefault(topic, []).append(forecast)
    return [topic_report(topic, items) for topic, items in sorted(by_topic.items())
            if len(items) >= 2]
