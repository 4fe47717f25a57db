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
    with pytest.raises(InputError, match="a projection needs a positive anchor value, target "
                                         "and doubling time"):
        project(D(2025, 1, 1), anchor, days, target)


def test_projection():
    assert project(D(2025, 1, 1), 1.0, 100.0, 8.0) == D(2025, 1, 1) + dt.timedelta(days=300)
    assert project(D(2025, 1, 1), 8.0, 100.0, 1.0) == D(2025, 1, 1) - dt.timedelta(days=300)
    with pytest.raises(InputError, match="the projected date is out of the calendar's range"):
        project(D(2025, 1, 1), 1.0, 1e9, 1e300)


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
