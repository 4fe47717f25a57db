"""Boundaries of the trend arithmetic and the small dict forms (issue 19's survivors)."""

from __future__ import annotations

import datetime as dt

import pytest

from forecast_ledger.domain.chain import Event
from forecast_ledger.domain.dates import MEAN_MONTH_DAYS, Duration, parse_duration
from forecast_ledger.domain.trends import (
    DoublingFit,
    Point,
    WindowFit,
    doubling_fit,
    project,
    quantity_slug,
    read_csv_points,
)
from forecast_ledger.errors import InputError

D = dt.date


@pytest.mark.parametrize("value, slug", [
    (1e6, "1000000"), (1e18, "1e18"), (9.99e17, "999000000000000000"), (2.5, "2.5"),
    (1.5e20, "1.5e20"), (480.0, "480")])
def test_quantity_slug(value, slug):
    assert quantity_slug(value) == slug


@pytest.mark.parametrize("header", ["date,value,label", "observed_on,value", "Day,value",
                                    " DATE ,value"])
def test_csv_points_skip_a_header_row(header):
    points = read_csv_points(f"{header}\n2024-01-01,5,a\n")
    assert points == [Point(D(2024, 1, 1), 5.0, "a")]


def test_csv_points_skip_blank_rows_anywhere():
    text = "2024-01-01,5\n\n,,\n2024-02-01,6,\n , \n2024-03-01,7, b \n"
    assert read_csv_points(text) == [Point(D(2024, 1, 1), 5.0), Point(D(2024, 2, 1), 6.0),
                                      Point(D(2024, 3, 1), 7.0, "b")]


@pytest.mark.parametrize("text, message", [
    ("2024-01-01\n", "line 1: expected date,value[,label]"),
    ("date,value\n2024-01-01,5\n2024-01-02\n", "line 3: expected date,value[,label]"),
    ("2024-01-01,five\n", "line 1: value 'five' is not a number"),
    ("x,value\n", "line 1: value 'value' is not a number"),
    ("2024-13-01,5\n", "line 1: "),
])
def test_csv_point_refusals_name_the_line(text, message):
    with pytest.raises(InputError) as caught:
        read_csv_points(text)
    assert str(caught.value).startswith(message)


def test_approx_days():
    assert Duration(years=1).approx_days() == 12 * MEAN_MONTH_DAYS
    assert Duration(months=2, weeks=3, days=4).approx_days() == 2 * MEAN_MONTH_DAYS + 25
    assert Duration(years=2, months=1).approx_days() == 25 * MEAN_MONTH_DAYS


def test_a_refused_duration_names_what_was_written():
    with pytest.raises(InputError, match="cannot read 'soonish' as a duration"):
        parse_duration("soonish")


def test_doubling_fit_reports_its_window_with_or_without_a_fit():
    one = doubling_fit([Point(D(2024, 5, 1), 4.0)])
    assert one == DoublingFit(1, None, None, D(2024, 5, 1), D(2024, 5, 1))
    none = doubling_fit([])
    assert none == DoublingFit(0, None, None, None, None)
    fit = doubling_fit([Point(D(2024, 3, 1), 8.0), Point(D(2024, 1, 1), 2.0),
                        Point(D(2024, 2, 1), 4.0)])
    assert (fit.points, fit.first, fit.last) == (3, D(2024, 1, 1), D(2024, 3, 1))
    assert fit.doubling_days == pytest.approx(30, abs=0.6) and fit.r2 == pytest.approx(1, abs=1e-3)


def test_a_shrinking_series_has_no_doubling_time():
    fit = doubling_fit([Point(D(2024, 1, 1), 8.0), Point(D(2024, 2, 1), 4.0)])
    assert fit.doubling_days is None and fit.doubling_months is None and fit.points == 2


def test_doubling_fit_refuses_values_that_are_not_positive():
    with pytest.raises(InputError, match="has value 0.0; a doubling fit needs positive values"):
        doubling_fit([Point(D(2024, 1, 1), 0.0), Point(D(2024, 2, 1), 4.0)])


@pytest.mark.parametrize("anchor, target, days", [(0, 8, 30), (-1, 8, 30), (1, 0, 30),
                                                  (1, -8, 30), (1, 8, 0), (1, 8, -30)])
def test_projection_guards(anchor, target, days):
    with pytest.raises(InputError) as caught:
        project(D(2025, 1, 1), anchor, days, target)
    assert str(caught.value) == ("a projection needs a positive anchor value, target and "
                                 "doubling time")


def test_projection():
    assert project(D(2025, 1, 1), 1.0, 100.0, 8.0) == D(2025, 1, 1) + dt.timedelta(days=300)
    assert project(D(2025, 1, 1), 8.0, 100.0, 1.0) == D(2025, 1, 1) - dt.timedelta(days=300)
    assert project(D(2025, 1, 1), 1.0, 0.5, 4.0) == D(2025, 1, 2)  # half a day: still a doubling
    with pytest.raises(InputError) as caught:
        project(D(2025, 1, 1), 1.0, 1e9, 1e300)
    assert str(caught.value) == "the projected date is out of the calendar's range"


def test_window_fit_to_dict():
    fit = DoublingFit(3, 212.0, 0.9, D(2019, 1, 1), D(2025, 1, 1))
    assert WindowFit("s", None, None, fit).to_dict() == {
        "series": "s", "from": "2019-01-01", "to": "2025-01-01", "points": 3,
        "doubling_days": 212.0, "doubling_months": 212.0 / MEAN_MONTH_DAYS, "r2": 0.9}
    window = WindowFit("s", D(2020, 1, 1), D(2024, 6, 30), fit).to_dict()
    assert (window["from"], window["to"]) == ("2020-01-01", "2024-06-30")
    empty = WindowFit("s", None, None, DoublingFit(0, None, None, None, None)).to_dict()
    assert (empty["from"], empty["to"], empty["doubling_months"]) == (None, None, None)


def test_event_to_dict():
    event = Event(3, "add", 2, "2026-01-01T00:00:00+00:00", {"a": 1}, "p" * 64, "h" * 64)
    assert event.to_dict() == {"id": 3, "kind": "add", "prediction_id": 2,
                               "recorded_at": "2026-01-01T00:00:00+00:00", "payload": {"a": 1},
                               "prev_hash": "p" * 64, "hash": "h" * 64}


# --- quantities and METR files ----------------------------------------------------------------

@pytest.mark.parametrize("text, unit, value", [
    ("8 Hours", "minutes", 480.0), ("1 WEEK", "minutes", 2400.0), ("10M tokens", "tokens", 1e7),
    ("2.5", None, 2.5), ("1,000", "tokens", 1000.0), ("3 k tokens", "tokens", 3000.0)])
def test_parse_quantity(text, unit, value):
    from forecast_ledger.domain.trends import parse_quantity

    assert parse_quantity(text, unit) == value


@pytest.mark.parametrize("text, unit, message", [
    ("lots", "minutes", "cannot read 'lots' as a value; give a number with a unit, e.g. 8 "
                        "hours, 1 week, 10M tokens"),
    ("8 hours", None, "'8 hours': cannot convert 'hours' to the series' unit (none)"),
    ("8 apples", "tokens", "'8 apples': cannot convert 'apples' to the series' unit tokens"),
])
def test_parse_quantity_refusals(text, unit, message):
    from forecast_ledger.domain.trends import parse_quantity

    with pytest.raises(InputError) as caught:
        parse_quantity(text, unit)
    assert str(caught.value) == message


@pytest.mark.parametrize("value, shown", [(1e18, "1e+18"), (1e17, "100,000,000,000,000,000"),
                                          (2.5, "2.5"), (1234567.0, "1,234,567")])
def test_format_quantity(value, shown):
    from forecast_ledger.domain.trends import format_quantity

    assert format_quantity(value) == shown


METR = """
results:
  zeta-model:
    release_date: 2024-05-13
    metrics: {p50_horizon_length: {estimate: 9.5}, is_sota: true}
  alpha-model:
    release_date: '2024-05-13'
    metrics: {p50_horizon_length: {estimate: 8}}
  early-model:
    release_date: 2023-01-02
    metrics: {p50_horizon_length: {estimate: 2}, is_sota: true}
"""


def test_metr_points_in_date_then_name_order():
    from forecast_ledger.domain.trends import read_metr_points

    assert read_metr_points(METR) == [Point(D(2023, 1, 2), 2.0, "early-model"),
                                      Point(D(2024, 5, 13), 8.0, "alpha-model"),
                                      Point(D(2024, 5, 13), 9.5, "zeta-model")]
    assert [p.label for p in read_metr_points(METR, sota_only=True)] == ["early-model",
                                                                          "zeta-model"]


@pytest.mark.parametrize("text, message", [
    ("results: [unclosed", "not valid YAML (while parsing a flow sequence)"),
    ("- a\n- b\n", "not a METR results file: it has no 'results' mapping"),
    ("results: {m: {release_date: 2024-01-01}}",
     "model 'm' lacks release_date or metrics.p50_horizon_length.estimate"),
    ("[" * 2000, "its values nest too deeply to be a METR results file"),
])
def test_metr_refusals(text, message):
    from forecast_ledger.domain.trends import read_metr_points

    with pytest.raises(InputError) as caught:
        read_metr_points(text)
    assert str(caught.value) == message


def test_a_too_long_duration_names_what_was_written():
    with pytest.raises(InputError, match="'1.25 months': only years may be fractional"):
        parse_duration("1.25 months")
