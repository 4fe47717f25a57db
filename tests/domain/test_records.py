"""The stored form of a prediction: one validation (record_from_dict), one normal form."""

import datetime as dt

import pytest

from forecast_ledger.domain.records import (
    prediction_from_dict,
    prediction_to_dict,
    record_from_dict,
)
from forecast_ledger.errors import InputError

GOOD = {
    "id": 7, "key": "musk-2026", "claim": "  AI smarter than the smartest human  ",
    "claimant": "Elon Musk", "made_on": "2026-01-15", "made_precision": "month",
    "deadline": "2026-12-31", "deadline_precision": "year", "deadline_expression": "2026年底",
    "probability": "70%", "topic": "ai-surpasses-humans", "criteria": None,
    "source_url": None, "source_title": None, "quote": "明年", "note": None,
    "tags": ["b", "a", "b"], "supersedes": 3, "trend_claim": None, "target_value": None,
    "outcome": "No", "resolved_on": "2027-01-01", "evidence": "it did not happen",
}


def test_the_normal_form_is_what_prediction_to_dict_gives():
    record = record_from_dict(GOOD)
    assert record == prediction_to_dict(prediction_from_dict(GOOD))
    assert record["claim"] == "AI smarter than the smartest human"  # stripped
    assert record["made_on"] == "2026-01-01"  # a month's first day
    assert record["probability"] == 0.7
    assert record["tags"] == ["a", "b"]
    assert record["outcome"] == "no"
    assert list(record) == list(prediction_to_dict(prediction_from_dict(GOOD)))


def test_a_normal_record_is_its_own_normal_form():
    record = record_from_dict(GOOD)
    assert record_from_dict(record) == record


def test_resolution_fields_without_an_outcome_are_dropped():
    record = record_from_dict({**GOOD, "outcome": None})
    assert (record["outcome"], record["resolved_on"], record["evidence"]) == (None, None, None)
    assert prediction_from_dict({**GOOD, "outcome": None}).resolution is None
    assert prediction_from_dict(GOOD).resolution.resolved_on == dt.date(2027, 1, 1)


@pytest.mark.parametrize(("change", "message"), [
    ({"made_on": "2026-13-01"}, "'made_on' must be a date"),
    ({"deadline": None}, "'deadline' must be a date"),
    ({"made_precision": "week"}, "'made_precision' must be day"),
    ({"deadline": "2020-01-01"}, "is before made_on"),
    ({"claim": "   "}, "claim is empty"),
    ({"claimant": None}, "claimant is missing"),
    ({"probability": 1.3}, "outside (0, 1)"),
    ({"tags": "a,b"}, "'tags' must be a list"),
    ({"id": True}, "'id' must be a whole number"),
    ({"topic": 5}, "'topic' must be text"),
    ({"target_value": "big"}, "'target_value' must be a positive, finite number"),
    ({"outcome": "maybe"}, "not one of yes, no"),
    ({"resolved_on": "soon"}, "'resolved_on' must be a date"),
    ({"note": "a\x00b"}, "NUL"),
])
def test_every_wrong_field_is_named(change, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        record_from_dict({**GOOD, **change})


def test_only_an_object_is_a_record():
    with pytest.raises(InputError, match="JSON object"):
        record_from_dict(["not", "a", "record"])
