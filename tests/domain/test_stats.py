"""Least squares on hand-worked examples, and its one degenerate case (issue 12)."""

import datetime as dt

import pytest

from forecast_ledger.domain.compression import Forecast, topic_report
from forecast_ledger.domain.dates import decimal_year
from forecast_ledger.domain.stats import linear_fit
from forecast_ledger.domain.trends import Point, doubling_fit


@pytest.mark.parametrize(("points", "slope", "intercept", "r2"), [
    ([(0, 1), (1, 3)], 2.0, 1.0, 1.0),
    ([(0, 0), (1, 1), (2, 0)], 0.0, 1 / 3, 0.0),
    ([(1, 2), (2, 4), (3, 6), (4, 8)], 2.0, 0.0, 1.0),
    ([(0, 5), (10, 5)], 0.0, 5.0, None),  # flat y: no R²
])
def test_hand_worked_fits(points, slope, intercept, r2):
    fit = linear_fit(points)
    assert fit.slope == pytest.approx(slope, abs=1e-12)
    assert fit.intercept == pytest.approx(intercept, abs=1e-12)
    assert fit.r2 == (None if r2 is None else pytest.approx(r2, abs=1e-12))
    assert fit.n == len(points)


@pytest.mark.parametrize("points", [[], [(3, 1)], [(2026.5, 1), (2026.5, 7)],
                                    [(739000, 1)] * 5])
def test_fewer_than_two_distinct_x_give_no_line(points):
    assert linear_fit(points) is None


def test_two_x_values_a_day_apart_are_a_line():
    """The old threshold scaled with the square of the mean year and called these equal."""
    d1, d2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    fit = linear_fit([(decimal_year(d1), 2030.0), (decimal_year(d2), 2029.0)])
    assert fit is not None and fit.slope == pytest.approx(-365.0)
    report = topic_report("t", [Forecast(1, None, "a", d1, dt.date(2030, 1, 1), "pending"),
                                Forecast(2, None, "a", d2, dt.date(2029, 1, 1), "pending")])
    assert report.trend == "compressing"


def test_observations_a_day_apart_have_a_doubling_time():
    fit = doubling_fit([Point(dt.date(2025, 1, 1), 10), Point(dt.date(2025, 1, 2), 20)])
    assert fit.doubling_days == pytest.approx(1.0)
