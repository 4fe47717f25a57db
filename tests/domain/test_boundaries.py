"""Boundaries where equality decides the result (issue 19): the day before, of and after a
deadline; bin edges; leap years; the guards that keep a report within the calendar."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from forecast_ledger.domain.compression import Forecast, compression_report, topic_report
from forecast_ledger.domain.dates import (
    decimal_year,
    from_decimal_year,
    parse_duration,
    parse_period,
    period_containing,
    resolve_deadline,
)
from forecast_ledger.domain.score import Scored, calibration, score, score_group, wilson_interval
from forecast_ledger.errors import InputError

D = dt.date
DEADLINE = D(2026, 6, 30)


# --- score ------------------------------------------------------------------------------------

@pytest.mark.parametrize("today, outcome, resolved_on, missed", [
    (D(2026, 6, 29), None, None, 0),          # before the deadline: not missed
    (D(2026, 6, 30), None, None, 0),          # on the deadline day: still open
    (D(2026, 7, 1), None, None, 1),           # the day after, unresolved: missed
    (D(2026, 7, 1), "yes", D(2026, 6, 30), 0),  # came true on its deadline: on time
    (D(2026, 7, 1), "yes", D(2026, 7, 1), 1),   # a day late
    (D(2026, 7, 1), "no", D(2026, 7, 1), 1),
    (D(2026, 7, 1), "ambiguous", D(2026, 7, 1), 0),
    (D(2026, 7, 1), "annulled", D(2026, 7, 1), 0),
])
def test_missed_deadlines_at_the_boundary(today, outcome, resolved_on, missed):
    s = score_group(None, [Scored("A", 0.5, outcome, DEADLINE, resolved_on)], today)
    assert s.missed_deadlines == missed


def test_lateness_mean_and_median_differ():
    items = [Scored("A", None, "yes", DEADLINE, DEADLINE + dt.timedelta(days=d))
             for d in (0, 1, 20)]
    s = score_group(None, items, D(2027, 1, 1))
    assert s.mean_lateness_days == 7.0 and s.median_lateness_days == 1.0


def test_past_deadline_only_keeps_predictions_resolved_on_the_deadline():
    items = [Scored("A", 0.9, "yes", DEADLINE, DEADLINE),
             Scored("A", 0.9, "yes", DEADLINE, DEADLINE - dt.timedelta(days=1)),
             Scored("A", 0.9, "yes", DEADLINE, DEADLINE + dt.timedelta(days=1))]
    overall, _ = score(items, D(2027, 1, 1), past_deadline_only=True)
    assert overall.resolved == 2


def test_claimants_are_ordered_by_name_whatever_the_order_they_came_in():
    items = [Scored(name, None, None, DEADLINE, None) for name in ("carol", "Alice", "bob")]
    _, per = score(items, D(2026, 1, 1))
    assert [s.claimant for s in per] == ["Alice", "bob", "carol"]


@pytest.mark.parametrize("p, index", [
    (0.0, 0), (0.0999, 0), (0.1, 1), (0.2, 2), (0.3, 3), (0.4, 4), (0.5, 5), (0.6, 6),
    (0.7, 7), (0.8, 8), (0.9, 9), (0.9999, 9), (1.0, 9)])
def test_calibration_bin_edges(p, index):
    bins = calibration([(p, 1)])
    assert [b.count for b in bins].index(1) == index
    assert bins[index].bin_low == pytest.approx(index / 10)
    assert bins[index].bin_high == pytest.approx((index + 1) / 10)


def test_calibration_bin_figures():
    bins = calibration([(0.72, 1), (0.78, 0), (0.74, 1)])
    b = bins[7]
    assert b.count == 3 and b.mean_probability == pytest.approx(0.7466666666666667)
    assert b.observed_frequency == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert (b.interval_low, b.interval_high) == (low, high)
    assert low < 2 / 3 < high


def test_wilson_interval_values():
    # 1 of 4 at 90%: the Wilson interval computed by hand from its formula
    z = 1.6448536269514722
    n, p = 4, 0.25
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson_interval(1, 4) == pytest.approx((centre - half, centre + half))
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(1, 4)
    assert 0 < low < 0.25 < high < 1 and high - 0.25 > 0.25 - low  # skewed toward 1/2


# --- compression ------------------------------------------------------------------------------

def fc(i: int, made: dt.date, deadline: dt.date, who: str = "A") -> Forecast:
    return Forecast(i, None, who, made, deadline, "pending")


def test_a_drift_just_under_one_converges_beyond_the_calendar_and_says_none():
    # deadline = 0.9997 * made + c: the lines meet tens of thousands of years out
    forecasts = [fc(1, D(2000, 1, 1), D(2100, 1, 1)), fc(2, D(2010, 1, 1), D(2109, 12, 20))]
    report = topic_report("t", forecasts)
    assert report.drift is not None and 0.99 < report.drift < 1
    assert report.convergence_date is None


def test_a_deadline_on_the_day_it_was_made_has_no_lead_to_halve():
    forecasts = [fc(1, D(2020, 1, 1), D(2020, 1, 1)), fc(2, D(2021, 1, 1), D(2030, 1, 1)),
                 fc(3, D(2022, 1, 1), D(2026, 1, 1))]
    report = topic_report("t", forecasts)
    assert report.steps[0].lead_years == 0
    leads = [(D(2030, 1, 1) - D(2021, 1, 1)).days / 365.25,
             (D(2026, 1, 1) - D(2022, 1, 1)).days / 365.25]
    expected = _slope([(decimal_year(D(2021, 1, 1)), math.log2(leads[0])),
                       (decimal_year(D(2022, 1, 1)), math.log2(leads[1]))])
    assert report.lead_halving_years == pytest.approx(-1 / expected)
    assert report.lead_ratio is None  # the first lead is zero: no ratio


def _slope(points: list[tuple[float, float]]) -> float:
    (x1, y1), (x2, y2) = points
    return (y2 - y1) / (x2 - x1)


def test_equal_leads_have_no_halving_time():
    ten_years = dt.timedelta(days=3652)
    forecasts = [fc(1, D(2020, 1, 1), D(2020, 1, 1) + ten_years),
                 fc(2, D(2021, 1, 1), D(2021, 1, 1) + ten_years)]
    report = topic_report("t", forecasts)
    assert report.lead_halving_years is None
    assert report.drift == pytest.approx(1.0, abs=0.01)


def test_topics_come_in_name_order_and_single_forecasts_are_left_out():
    pairs = [("zeta", fc(1, D(2020, 1, 1), D(2030, 1, 1))),
             ("alpha", fc(2, D(2020, 1, 1), D(2030, 1, 1))),
             ("zeta", fc(3, D(2021, 1, 1), D(2029, 1, 1))),
             ("alpha", fc(4, D(2021, 1, 1), D(2028, 1, 1))),
             ("mid", fc(5, D(2021, 1, 1), D(2028, 1, 1)))]
    assert [r.topic for r in compression_report(pairs)] == ["alpha", "zeta"]


@pytest.mark.parametrize("days, held", [(0, True), (18, True), (19, False), (40, False)])
def test_the_date_held_threshold(days, held):
    # HELD_YEARS is 0.05 years: 18.26 days
    forecasts = [fc(1, D(2020, 1, 1), D(2030, 1, 1)),
                 fc(2, D(2022, 1, 1), D(2030, 1, 1) + dt.timedelta(days=days))]
    assert topic_report("t", forecasts).date_held is held


def test_moved_and_span_years():
    report = topic_report("t", [fc(1, D(2020, 1, 1), D(2060, 1, 1)),
                                fc(2, D(2024, 1, 1), D(2040, 1, 1))])
    assert report.span_years == pytest.approx(1461 / 365.25)
    assert report.moved_years == pytest.approx(-7305 / 365.25)
    assert report.trend == "compressing"


# --- dates ------------------------------------------------------------------------------------

MADE = period_containing(D(2026, 2, 15), "day")


@pytest.mark.parametrize("day, expected", [
    (D(1900, 3, 1), 1900 + 59 / 365),   # 1900 is not a leap year (the 100-year rule)
    (D(2000, 3, 1), 2000 + 60 / 366),   # 2000 is (the 400-year rule)
    (D(2024, 3, 1), 2024 + 60 / 366),
    (D(2023, 3, 1), 2023 + 59 / 365),
    (D(2024, 12, 31), 2024 + 365 / 366),
    (D(2023, 1, 1), 2023.0),
])
def test_decimal_year_knows_leap_years(day, expected):
    assert decimal_year(day) == expected  # exactly: no tolerance hides a 365-day year


@pytest.mark.parametrize("day", [D(1900, 3, 1), D(2000, 2, 29), D(2024, 12, 31),
                                 D(2023, 12, 31), D(2023, 1, 1), D(2100, 7, 4)])
def test_from_decimal_year_inverts_decimal_year(day):
    assert from_decimal_year(decimal_year(day)) == day


def test_from_decimal_year_rounds_to_the_nearest_day_and_stays_in_its_year():
    assert from_decimal_year(2023 + 0.4 / 365) == D(2023, 1, 1)
    assert from_decimal_year(2023 + 0.6 / 365) == D(2023, 1, 2)
    assert from_decimal_year(2023.99999) == D(2023, 12, 31)


@pytest.mark.parametrize("text, last, precision, label", [
    ("H2 2027", D(2027, 12, 31), "half", "2027-H2"),
    ("H1 2027", D(2027, 6, 30), "half", "2027-H1"),
    ("2027年中", D(2027, 8, 31), "third", "mid 2027"),
    ("2026年底前", D(2026, 12, 31), "year", "2026"),
    ("the 2030s", D(2039, 12, 31), "decade", "2030s"),
])
def test_periods_and_their_labels(text, last, precision, label):
    period = resolve_deadline(text, MADE)
    assert (period.last, period.precision, period.label()) == (last, precision, label)


@pytest.mark.parametrize("text", ["2027-00", "0000", "2027-13", "2027-02-30", "三二个月",
                                  "二四个月", "三天半"])
def test_refused_dates(text):
    with pytest.raises(InputError):
        resolve_deadline(text, MADE)


def test_a_deadline_on_the_made_day_is_accepted():
    assert resolve_deadline("2026-02-15", MADE).last == D(2026, 2, 15)
    with pytest.raises(InputError, match="before the prediction was made"):
        resolve_deadline("2026-02-14", MADE)


def test_made_year_plus_eighteen_months_keeps_year_precision():
    made = parse_period("2024")
    period = resolve_deadline("18 months", made)
    assert (period.first, period.last, period.precision) == (
        D(2025, 1, 1), D(2025, 12, 31), "year")


@pytest.mark.parametrize("text, days", [("2 weeks", 14), ("三天半", None), ("3 days", 3),
                                        ("二三十天", 30), ("二三个月", 28 + 31 + 31)])
def test_durations_in_days_and_weeks(text, days):
    if days is None:
        with pytest.raises(InputError):
            parse_duration(text)
        return
    duration = parse_duration(text)
    assert D(2026, 1, 1) + duration.delta() == D(2026, 1, 1) + dt.timedelta(days=days)


def test_score_group_figures():
    items = [Scored("A", 0.8, "yes", DEADLINE, DEADLINE), Scored("A", 0.3, "no", DEADLINE,
                                                                   DEADLINE)]
    s = score_group("A", items, D(2027, 1, 1))
    assert s.brier == pytest.approx((0.2 ** 2 + 0.3 ** 2) / 2)
    assert s.log_score == pytest.approx((math.log(0.8) + math.log(0.7)) / 2)
    assert [b.count for b in s.calibration] == [0, 0, 0, 1, 0, 0, 0, 0, 1, 0]


def test_hit_rate_when_yes_equals_no():
    items = [Scored("A", None, "yes", DEADLINE, DEADLINE), Scored("A", None, "no", DEADLINE,
                                                                    DEADLINE)]
    assert score_group(None, items, D(2027, 1, 1)).hit_rate == 0.5
