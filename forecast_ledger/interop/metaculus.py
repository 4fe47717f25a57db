"""A Metaculus question as its API gives it (a post with ``question``, or the question).

The community forecast's history (``aggregations.recency_weighted.history``) becomes one
prediction by "Metaculus community" per sampled step, all in one topic, so that
``ledger compression`` shows how the crowd's answer moved:

- a **date** question: the deadline is the community median date at that step
  (probability 0.5: half the crowd's weight lies before it), with the quartiles noted;
- a **binary** question: the probability is the community's at that step and the deadline
  the question's scheduled resolution.

Steps are sampled: by default the first step of each calendar quarter and the latest;
``every`` days apart when given. Both choices only grow as the history grows, so a newer
export of the same question adds the steps since and nothing twice. Times are Unix
seconds; a date question's 0–1 values map to dates through its ``scaling``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from forecast_ledger.interop.common import (
    Where,
    field,
    iso_moment,
    unix_moment,
    utc_day,
)

CLAIMANT = "Metaculus community"
SITE = "https://www.metaculus.com/questions/"


def is_metaculus(document: Any) -> bool:
    question = document.get("question") if isinstance(document, dict) else None
    return isinstance(question, dict) and "aggregations" in question or (
        isinstance(document, dict) and "aggregations" in document and "scaling" in document)


def convert(document: Any, name: str, *, every_days: int | None = None,
            topic: str | None = None) -> Iterator[dict]:
    root = Where(name, "$")
    if isinstance(document, dict) and isinstance(document.get("question"), dict):
        question, at = document["question"], "$.question"
    elif isinstance(document, dict):
        question, at = document, "$"
    else:
        raise root.fail("expected a Metaculus question or post object")
    where = Where(name, at)
    qid = document.get("id") or field(question, "id", where, int)
    kind = field(question, "type", where, str)
    if kind not in ("date", "binary"):
        raise Where(name, f"{at}.type").fail(f"{kind!r} questions are not read (date and "
                                             "binary questions are)")
    title = field(question, "title", where, str)
    history = _history(question, where)
    steps = _sampled(history, every_days)
    resolution = _resolution(question, where)
    common = {"claimant": CLAIMANT, "claim": title, "topic": topic or f"metaculus-{qid}",
              "source_url": f"{SITE}{qid}/", "source_title": f"Metaculus question {qid}"}
    for number in steps:
        step = history[number]
        at_step = Where(name, f"{at}.aggregations.recency_weighted.history[{number}]")
        made = utc_day(unix_moment(step.get("start_time"), at_step, "start_time"))
        if kind == "date":
            fields = _date_step(question, step, at_step, made, resolution)
        else:
            fields = _binary_step(question, step, at_step, resolution)
        yield at_step.record({**common, **fields, "made_on": made.isoformat(),
                              "uid": f"metaculus:{qid}:{int(step['start_time'])}"})


def _history(question: dict, where: Where) -> list[dict]:
    aggregations = field(question, "aggregations", where, dict)
    weighted = field(aggregations, "recency_weighted", Where(where.name,
                                                             f"{where.at}.aggregations"), dict)
    history = field(weighted, "history", Where(where.name,
                                               f"{where.at}.aggregations.recency_weighted"),
                    list)
    return history


def _sampled(history: list[dict], every_days: int | None) -> list[int]:
    """Indexes of the steps to keep: the first of each quarter (or one per ``every_days``)
    and the latest."""
    chosen: list[int] = []
    last: float | None = None
    for number, step in enumerate(history):
        start = step.get("start_time") if isinstance(step, dict) else None
        if not isinstance(start, (int, float)) or isinstance(start, bool):
            chosen.append(number)  # let the conversion name the fault
            continue
        if every_days is None:
            moment = dt.datetime.fromtimestamp(start, dt.UTC)
            quarter = moment.year * 4 + (moment.month - 1) // 3
            if last != quarter:
                chosen.append(number)
                last = quarter
        elif last is None or start - last >= every_days * 86400:
            chosen.append(number)
            last = start
    if history and (not chosen or chosen[-1] != len(history) - 1):
        chosen.append(len(history) - 1)
    return chosen


def _scaled(question: dict, x: float, where: Where) -> dt.date:
    """A point on the question's internal 0–1 scale as a date."""
    scaling = field(question, "scaling", where, dict)
    at = Where(where.name, "$.question.scaling")
    low = field(scaling, "range_min", at, (int, float))
    high = field(scaling, "range_max", at, (int, float))
    zero = field(scaling, "zero_point", at, (int, float), required=False)
    if zero is None:
        seconds = low + (high - low) * x
    else:  # logarithmic: Metaculus's unscaled → scaled location
        ratio = (high - zero) / (low - zero)
        seconds = low + (high - low) * (ratio ** x - 1) / (ratio - 1)
    return utc_day(unix_moment(seconds, where, "the scaled value"))


def _center(step: Any, key: str, where: Where) -> float:
    values = field(step, key, where, list)
    if len(values) != 1 or not isinstance(values[0], (int, float)) or not 0 <= values[0] <= 1:
        raise Where(where.name, f"{where.at}.{key}").fail(
            f"{values!r} is not one value between 0 and 1")
    return float(values[0])


def _date_step(question: dict, step: dict, where: Where, made: dt.date,
               resolution: tuple[str, str] | None) -> dict:
    median = _scaled(question, _center(step, "centers", where), where)
    low = _scaled(question, _center(step, "interval_lower_bounds", where), where)
    high = _scaled(question, _center(step, "interval_upper_bounds", where), where)
    count = step.get("forecaster_count")
    fields: dict[str, Any] = {
        "deadline": median.isoformat(),
        "deadline_expression": f"community median {median.isoformat()}",
        "probability": 0.5,
        "note": f"quartiles {low.isoformat()} to {high.isoformat()}"
                + (f"; {count} forecasters" if isinstance(count, int) else ""),
    }
    if resolution is not None:
        value, on = resolution
        outcome = _date_outcome(value, median)
        if outcome:
            fields |= {"outcome": outcome, "resolved_on": on,
                       "evidence": f"Metaculus resolved the question: {value}"}
    return fields


def _date_outcome(value: str, median: dt.date) -> str | None:
    if value in ("annulled", "ambiguous"):
        return value
    if value == "above_upper_bound":
        return "no"
    if value == "below_lower_bound":
        return "yes"
    try:
        happened = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return "yes" if happened <= median else "no"


def _binary_step(question: dict, step: dict, where: Where,
                 resolution: tuple[str, str] | None) -> dict:
    deadline = utc_day(iso_moment(field(question, "scheduled_resolve_time", where, str),
                                  where, "scheduled_resolve_time"))
    fields: dict[str, Any] = {
        "deadline": deadline.isoformat(),
        "deadline_expression": f"scheduled resolution {deadline.isoformat()}",
        "probability": _center(step, "centers", where),
    }
    if resolution is not None and resolution[0] in ("yes", "no", "annulled", "ambiguous"):
        fields |= {"outcome": resolution[0], "resolved_on": resolution[1],
                   "evidence": f"Metaculus resolved the question: {resolution[0]}"}
    return fields


def _resolution(question: dict, where: Where) -> tuple[str, str] | None:
    value = question.get("resolution")
    if value in (None, ""):
        return None
    when = question.get("actual_resolve_time") or question.get("resolution_set_time")
    if not isinstance(when, str):
        raise Where(where.name, f"{where.at}.actual_resolve_time").fail(
            "the question is resolved but says not when")
    return str(value).lower(), utc_day(iso_moment(when, where, "actual_resolve_time")
                                       ).isoformat()
