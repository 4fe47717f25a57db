"""Identities, keys and the dict form of a prediction, pinned by value (issue 19)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from forecast_ledger.domain.compression import Forecast, topic_report
from forecast_ledger.domain.dates import period_containing
from forecast_ledger.domain.records import (
    UID_NAMESPACE,
    key_uid,
    legacy_uid,
    new_prediction,
    prediction_from_dict,
    prediction_to_dict,
    revised,
    suggested_key,
)
from forecast_ledger.errors import InputError

D = dt.date


def test_a_keyed_record_takes_its_keys_uid():
    assert legacy_uid({"key": "musk-2026", "id": 4}) == key_uid("musk-2026")
    assert key_uid("musk-2026") != key_uid("musk-2025")


def test_a_record_without_a_key_takes_the_uid_of_its_fixed_fields():
    record = {"id": 1, "key": None, "claim": "c", "claimant": "a", "made_on": "2024-01-01",
              "made_precision": "day", "deadline": "2025-12-31", "deadline_precision": "year",
              "deadline_expression": "2025", "topic": "ignored"}
    uid = legacy_uid(record)
    assert uid == legacy_uid({**record, "topic": "another"})  # only the fixed fields count
    for name in ("id", "claim", "claimant", "made_on", "made_precision", "deadline",
                 "deadline_precision", "deadline_expression"):
        assert legacy_uid({**record, name: "x"}) != uid, name
    assert legacy_uid({**record, "claim": "c\x1fa"}) != legacy_uid({**record, "claimant": "x"})
    assert uuid.UUID(uid).version == 5


@pytest.mark.parametrize("claim, claimant, made, key", [
    ("AI will be smarter than any human", "Elon Musk", "2026", "musk-2026-smarter-human"),
    ("The singularity", "Ray Kurzweil", "2005", "kurzweil-2005-singularity"),
    ("AI and the 2029 test", "Kurzweil", "2017-03-01", "kurzweil-2017-test"),
    ("到2030年AI将超越人类", "马斯克", "2026", "2026-claim"),  # no ASCII word to use
    ("it is", "X", "2020", "x-2020-claim"),
    ("Way over the top when all is said", "Jean-Luc Picard", "2024", "picard-2024-way-top"),
])
def test_suggested_keys(claim, claimant, made, key):
    assert suggested_key(claim, claimant, period_containing(
        D.fromisoformat(made if len(made) > 4 else f"{made}-01-01"), "day")) == key


def test_every_field_survives_the_dict_form():
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2030",
                       key="k", probability="0.3", topic="t", criteria="cr",
                       source_url="https://s", source_title="st", quote="q", note="n",
                       tags=["x", "y"])
    d = {**prediction_to_dict(p), "id": 5, "uid": key_uid("k"), "supersedes": 2,
         "trend_claim": 3, "target_value": 480.0, "outcome": "yes",
         "resolved_on": "2026-01-01", "evidence": "e"}
    back = prediction_from_dict(d)
    assert prediction_to_dict(back) == d
    assert (back.criteria, back.note, back.trend_claim, back.target_value) == (
        "cr", "n", 3, 480.0)


@pytest.mark.parametrize("fields, message", [
    ({"status": "x", "outcome": "y"}, "cannot edit outcome, status"),
    ({"claim": " "}, "the claim is empty; write what was claimed"),
    ({"claimant": ""}, "the claimant is empty; write who made the claim"),
    ({"deadline": "   "}, "the deadline is empty; write by when"),
    ({"source_title": "a\x00b"}, "the source title contains a NUL character, which a ledger "
                                  "cannot keep"),
])
def test_edit_refusals_name_the_fields(fields, message):
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2030")
    with pytest.raises(InputError) as caught:
        revised(p, **fields)
    assert str(caught.value) == message


def test_a_new_made_date_on_the_last_day_of_a_deadline_it_cannot_re_read():
    p = prediction_from_dict({"claim": "c", "claimant": "a", "made_on": "2024-01-01",
                              "made_precision": "day", "deadline": "2026-06-30",
                              "deadline_precision": "day",
                              "deadline_expression": "resolve by 2026-06-30 (Fatebook)"})
    assert revised(p, made="2026-06-30").deadline.last == D(2026, 6, 30)
    with pytest.raises(InputError, match="would be before the new made date"):
        revised(p, made="2026-07-01")


def test_new_prediction_keeps_every_field_it_is_given():
    p = new_prediction(claim=" c ", claimant="a", made="2024-01-01", deadline="2030",
                       topic=" t ", source_url="https://s", quote="q", supersedes=4,
                       source_title="st", criteria="cr", note="n")
    assert (p.claim, p.topic, p.source_url, p.quote, p.supersedes, p.source_title,
            p.criteria, p.note) == ("c", "t", "https://s", "q", 4, "st", "cr", "n")


@pytest.mark.parametrize("fields, message", [
    ({"claim": " "}, "the claim is empty; write what was claimed"),
    ({"deadline": " "}, "the deadline is empty; write by when")])
def test_new_prediction_refusals(fields, message):
    with pytest.raises(InputError) as caught:
        new_prediction(**{"claim": "c", "claimant": "a", "made": "2024-01-01",
                          "deadline": "2030", **fields})
    assert str(caught.value) == message


def test_legacy_uid_by_value():
    record = {"id": 1, "claim": "c", "claimant": "a", "made_on": "2024-01-01",
              "made_precision": "day", "deadline": "2025-12-31", "deadline_precision": "year",
              "deadline_expression": "2025"}
    fixed = "\x1f".join(["1", "c", "a", "2024-01-01", "day", "2025-12-31", "year", "2025"])
    assert legacy_uid(record) == str(uuid.uuid5(uuid.UUID(UID_NAMESPACE), f"record:{fixed}"))
    assert key_uid("k") == str(uuid.uuid5(uuid.UUID(UID_NAMESPACE), "key:k"))


def test_a_long_key_is_cut_at_120_without_a_trailing_dash():
    key = suggested_key("a" * 111 + " bbbbbb", "X", period_containing(D(2024, 1, 1), "day"))
    # x-2024- is 7 characters, the first word 111, a dash: 119; the cut keeps one 'b'
    assert key == "x-2024-" + "a" * 111 + "-b"
    cut = suggested_key("a" * 112 + " bbbbbb", "X", period_containing(D(2024, 1, 1), "day"))
    assert cut == "x-2024-" + "a" * 112  # 119 characters, then the dash that was cut off
    long = suggested_key("a" * 200, "X", period_containing(D(2024, 1, 1), "day"))
    assert len(long) == 120


def test_removing_a_tag_alone():
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2030",
                       tags=["x", "y"])
    assert revised(p, remove_tags=["x"]).tags == ("y",)
    assert revised(p, add_tags=["z"]).tags == ("x", "y", "z")


def test_a_new_made_date_on_an_absolute_deadlines_last_day_is_accepted():
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2026-06-30")
    assert revised(p, made="2026-06-30").made_on.first == D(2026, 6, 30)
    with pytest.raises(InputError, match="would be before the new made date"):
        revised(p, made="2026-07-01")


# --- compression: the order, the guards, the calendar's ends ----------------------------------

def fc(i: int, made: dt.date, deadline: dt.date) -> Forecast:
    return Forecast(i, None, "A", made, deadline, "pending")


def test_forecasts_are_taken_in_the_order_they_were_made_not_by_id():
    report = topic_report("t", [fc(1, D(2022, 1, 1), D(2030, 1, 1)),
                                fc(2, D(2020, 1, 1), D(2040, 1, 1))])
    assert [s.forecast.id for s in report.steps] == [2, 1]
    assert report.steps[1].pull_in_years == pytest.approx((D(2040, 1, 1) - D(2030, 1, 1)).days
                                                          / 365.25)


def test_one_forecast_has_no_ratio_and_no_fit():
    report = topic_report("t", [fc(1, D(2020, 1, 1), D(2030, 1, 1))])
    assert (report.lead_ratio, report.drift, report.convergence_date,
            report.lead_halving_years) == (None, None, None, None)


def test_leads_under_a_year_still_count():
    report = topic_report("t", [fc(1, D(2020, 1, 1), D(2020, 7, 1)),
                                fc(2, D(2021, 1, 1), D(2021, 4, 1))])
    assert report.lead_ratio == pytest.approx(90 / 182)
    assert report.lead_halving_years is not None and report.lead_halving_years > 0


@pytest.mark.parametrize("points, year, month", [
    # deadline = 0.5 * made + 0.5 (in decimal years) meets the diagonal in year 1.0 exactly
    (((2001, 1001), (2003, 1002)), 1, 1),
    # … + 0.75: in year 1.5
    (((2000, 1000.75), (2002, 1001.75)), 1, 7),
    # … + 5000: in year 10000, past the calendar's end: no convergence date
    (((2000, 6000), (2002, 6001)), None, None),
])
def test_convergence_at_the_calendars_ends(points, year, month):
    from forecast_ledger.domain.dates import from_decimal_year

    forecasts = [fc(i, from_decimal_year(m), from_decimal_year(d))
                 for i, (m, d) in enumerate(points)]
    found = topic_report("t", forecasts).convergence_date
    assert (found.year, found.month) == (year, month) if year else found is None
