"""records.revised (what `ledger edit` changes), a prediction's status, claim summaries."""

from __future__ import annotations

import datetime as dt

import pytest

from forecast_ledger.domain.dates import MEAN_MONTH_DAYS, period_containing
from forecast_ledger.domain.records import Resolution, new_prediction, revised
from forecast_ledger.domain.trends import TrendClaim, claim_summary
from forecast_ledger.errors import InputError

D = dt.date


@pytest.fixture
def p():
    return new_prediction(claim="AI beats us", claimant="Ada", made="2024-01-01",
                          deadline="3 years", key="ada-2024", probability="0.4",
                          topic="agi", note="n", tags=["ai", "old"])


def test_nothing_given_changes_nothing(p):
    assert revised(p) == p


def test_each_field(p):
    q = revised(p, claim=" AI beats all of us ", claimant="Ada L.", probability="70%",
                topic="agi-2", criteria="c", source_url="https://x.org", source_title="X",
                quote="q", note="m", key="ada-2024b", add_tags=["new"], remove_tags=["old"])
    assert (q.claim, q.claimant, q.probability, q.topic, q.criteria, q.source_url,
            q.source_title, q.quote, q.note, q.key, q.tags) == (
        "AI beats all of us", "Ada L.", 0.7, "agi-2", "c", "https://x.org", "X", "q", "m",
        "ada-2024b", ("ai", "new"))
    assert q.deadline == p.deadline and q.made_on == p.made_on


def test_an_empty_text_clears_an_optional_field(p):
    q = revised(p, topic="", note="")
    assert q.topic is None and q.note is None


def test_a_new_deadline_is_read_from_the_made_date(p):
    q = revised(p, deadline="end of 2030")
    assert q.deadline.last == D(2030, 12, 31) and q.deadline_expression == "end of 2030"


def test_a_new_made_date_re_reads_a_relative_deadline(p):
    q = revised(p, made="2025-01-01")
    assert q.made_on.first == D(2025, 1, 1) and q.deadline.last == D(2028, 1, 1)


def test_a_new_made_date_keeps_an_absolute_deadline_that_still_lies_ahead():
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2030")
    assert revised(p, made="2025-06-01").deadline.last == D(2030, 12, 31)


def test_a_new_made_date_after_the_deadline_is_refused():
    p = new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="2026")
    with pytest.raises(InputError):
        revised(p, made="2027-01-01")


@pytest.mark.parametrize("fields, match", [
    ({"claim": "  "}, "claim"), ({"claimant": ""}, "claimant"),
    ({"probability": "2"}, "probability"),
    ({"key": "Not A Slug"}, "slug"), ({"status": "x"}, "cannot edit status"),
    ({"deadline": ""}, "deadline"),
])
def test_bad_edits_are_refused(p, fields, match):
    with pytest.raises(InputError, match=match):
        revised(p, **fields)


@pytest.mark.parametrize("today, status, overdue", [
    (D(2026, 12, 31), "pending", -1), (D(2027, 1, 1), "pending", 0),
    (D(2027, 1, 2), "due", 1)])
def test_status_around_the_deadline(p, today, status, overdue):
    assert p.deadline.last == D(2027, 1, 1)
    assert p.status(today) == status and p.days_overdue(today) == overdue


def test_a_resolved_prediction_is_never_overdue(p):
    from dataclasses import replace

    done = replace(p, resolution=Resolution("no", D(2027, 2, 1), None))
    assert done.status(D(2030, 1, 1)) == "resolved" and done.days_overdue(D(2030, 1, 1)) is None


def test_claim_summary():
    claim = TrendClaim(7, None, "s", "METR", period_containing(D(2025, 3, 19), "day"), 212.0,
                       "212 days", D(2025, 3, 19), 60.0, None, None, None)
    assert claim_summary(claim) == {"claim": 7, "claimant": "METR", "made_on": "2025-03-19",
                                    "doubling_days": 212.0,
                                    "doubling_months": 212.0 / MEAN_MONTH_DAYS}
    keyed = TrendClaim(7, "metr-7", *list(claim.__dict__.values())[2:])
    assert claim_summary(keyed)["claim"] == "metr-7"
