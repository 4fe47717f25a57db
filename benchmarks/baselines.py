"""Baselines written for the benchmark, independent of the project's code: what a user could
write in plain Python instead. Each must produce what the ledger produces (run.py checks
that at small scale), or the ratio would compare different work."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict

YEAR = 365.25


def _decimal_year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def _from_decimal_year(value: float) -> dt.date:
    year = int(value // 1)
    length = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return dt.date(year, 1, 1) + dt.timedelta(days=min(round((value - year) * length),
                                                       length - 1))


def _least_squares(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    n = len(xs)
    if n < 2 or min(xs) == max(xs):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return slope, my - slope * mx


def _trend(drift: float | None) -> str | None:
    if drift is None:
        return None
    return ("compressing" if drift <= -0.1 else "holding" if drift < 0.1
            else "slipping" if drift < 0.9 else "receding")


def compression_json(rows: list[tuple], as_of: str) -> str:
    """rows: (topic, id, key, claimant, made_on, deadline, status), dates as dt.date.
    The JSON of ``ledger compression --format json``: per topic of two or more forecasts,
    in order of made date, lead times, pull-ins, drift (least squares of deadline on made
    date, in decimal years), lead ratio, lead halving time, convergence and a finding."""
    by_topic: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_topic[row[0]].append(row)
    topics = []
    for topic in sorted(by_topic):
        items = sorted(by_topic[topic], key=lambda r: (r[4], r[1]))
        if len(items) < 2:
            continue
        predictions, made, due, lead_points = [], [], [], []
        previous = None
        for _, pid, key, claimant, made_on, deadline, status in items:
            lead = (deadline - made_on).days / YEAR
            pull = None if previous is None else (previous - deadline).days / YEAR
            predictions.append({"id": pid, "key": key, "claimant": claimant,
                                "made_on": made_on.isoformat(), "deadline": deadline.isoformat(),
                                "lead_years": lead, "pull_in_years": pull, "status": status})
            x = _decimal_year(made_on)
            made.append(x)
            due.append(_decimal_year(deadline))
            if lead > 0:
                lead_points.append((x, math.log2(lead)))
            previous = deadline
        first_lead, last_lead = predictions[0]["lead_years"], predictions[-1]["lead_years"]
        fit = _least_squares(made, due)
        drift = fit[0] if fit else None
        convergence = None
        if fit and fit[0] < 1:
            where = fit[1] / (1 - fit[0])
            if 1 <= where < 10_000:
                convergence = _from_decimal_year(where)
        halving_fit = _least_squares([p[0] for p in lead_points], [p[1] for p in lead_points])
        halving = -1 / halving_fit[0] if halving_fit and halving_fit[0] < 0 else None
        first, last = items[0], items[-1]
        span = (last[4] - first[4]).days / YEAR
        moved = (last[5] - first[5]).days / YEAR
        when = f"in {span:.1f} years of forecasts ({first[4].year}–{last[4].year})"
        if abs(moved) < 0.05:
            finding = f"the date held at {last[5]} {when}"
        else:
            finding = (f"the predicted date moved {abs(moved):.1f} years "
                       f"{'earlier' if moved < 0 else 'later'}, {first[5].year} → "
                       f"{last[5].year}, {when}")
        finding += f"; lead time {first_lead:.1f} → {last_lead:.1f} years"
        if drift is not None:
            finding += f"; drift {drift:+.2f} yr/yr"
        if convergence is not None:
            finding += f"; converges on {convergence.isoformat()[:7]}"
        elif drift is not None and drift >= 1:
            finding += "; never converges (the date recedes as fast as time passes)"
        topics.append({"topic": topic, "trend": _trend(drift), "finding": finding,
                       "predictions": predictions,
                       "lead_ratio": last_lead / first_lead if first_lead > 0 else None,
                       "drift": drift, "lead_halving_years": halving,
                       "convergence_date": convergence.isoformat() if convergence else None})
    return json.dumps({"as_of": as_of, "topics": topics}, ensure_ascii=False,
                      separators=(",", ":"))
