"""Fatebook's CSV export (Account → Export): one row per forecast.

Each forecast becomes one prediction: the forecaster is the claimant, the question its
claim and topic, the question's resolve-by date its deadline, and the question's
resolution its verdict. Fatebook's rows carry no ids, so a forecast's uid is made from the
question (title, when it was created, the option of a multiple-choice question) and the
forecast (who, when): the same forecast in a newer export has the same uid.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from forecast_ledger.interop.common import (
    Where,
    csv_rows,
    loose_moment,
    split_multi,
    stable_id,
    utc_day,
)

TITLE, OPTION, BY, FORECAST = ("Question title", "Multiple choice option",
                               "Forecast created by", "Forecast (scale = 0-1)")
MADE, CREATED, RESOLVE_BY = "Forecast created at", "Question created at", "Question resolve by"
RESOLUTION, RESOLVED_AT = "Resolution", "Resolved at"
NOTES, TAGS = "Question notes", "Question tags"
REQUIRED = (TITLE, BY, FORECAST, MADE, CREATED, RESOLVE_BY)
OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "ambiguous"}
HEADER_MARK = BY  # a CSV with this column is Fatebook's


def read(stream: IO[str], name: str) -> Iterator[dict]:
    """The predictions of a Fatebook export, one per forecast row."""
    for where, row in csv_rows(stream, name, REQUIRED):
        yield _forecast(where, row)


def _forecast(where: Where, row: dict[str, str]) -> dict:
    title, option = row[TITLE].strip(), (row.get(OPTION) or "").strip()
    if not title:
        raise where.fail(f"{TITLE!r} is empty")
    try:
        probability = float(row[FORECAST])
    except ValueError:
        raise where.fail(f"{FORECAST!r} {row[FORECAST]!r} is not a number") from None
    if not 0 <= probability <= 1:
        raise where.fail(f"{FORECAST!r} {row[FORECAST]!r} is not between 0 and 1")
    made = loose_moment(row[MADE], where, repr(MADE))
    resolve_by = utc_day(loose_moment(row[RESOLVE_BY], where, repr(RESOLVE_BY)))
    fields = {
        "uid": "fatebook:" + stable_id(title, row[CREATED].strip(), option, row[BY].strip(),
                                       row[MADE].strip()),
        "claim": f"{title} — {option}" if option else title,
        "claimant": row[BY],
        "made_on": utc_day(made).isoformat(),
        "deadline": resolve_by.isoformat(),
        "deadline_expression": f"resolve by {resolve_by.isoformat()} (Fatebook)",
        "probability": probability,
        "topic": title,
        "note": (row.get(NOTES) or "").strip() or None,
        "tags": split_multi(row.get(TAGS)),
        "source_title": "Fatebook",
    }
    resolution = (row.get(RESOLUTION) or "").strip()
    if resolution:
        if resolution.upper() not in OUTCOMES:
            raise where.fail(f"{RESOLUTION!r} {resolution!r} is not YES, NO or AMBIGUOUS")
        if not (row.get(RESOLVED_AT) or "").strip():
            raise where.fail(f"the question is resolved but {RESOLVED_AT!r} is empty")
        resolved = loose_moment(row[RESOLVED_AT], where, repr(RESOLVED_AT))
        fields |= {"outcome": OUTCOMES[resolution.upper()],
                   "resolved_on": utc_day(resolved).isoformat(),
                   "evidence": "resolved on Fatebook"}
    return where.record(fields)
