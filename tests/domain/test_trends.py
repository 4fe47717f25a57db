import datetime as dt
import math

import pytest

from forecast_ledger.domain.trends import (
    Point,
    doubling_fit,
    doubling_ratio,
    parse_quantity,
    project,
    read_csv_points,
    read_metr_points,
)
from forecast_ledger.errors import InputError
from tests.conftest import REPO

D = dt.date


def test_exact_doubling_every_100_days():
    points = [Point(D(2020, 1, 1) + dt.timedelta(days=100 * k), 3 * 2 ** k) for k in range(6)]
    fit = doubling_fit(points)
    assert fit.doubling_days == pytest.approx(100)
    assert fit.doubling_months == pytest.approx(100 / 30.436875)
    assert fit.r2 == pytest.approx(1.0)
    assert fit.points == 6


def test_flat_series_and_single_point_have_no_doubling_time():
    assert doubling_fit([Point(D(2020, 1, 1), 5), Point(D(2021, 1, 1), 5)]).doubling_days is None
    assert doubling_fit([Point(D(2020, 1, 1), 5)]).doubling_days is None
    with pytest.raises(InputError, match="positive"):
        doubling_fit([Point(D(2020, 1, 1), 0), Point(D(2021, 1, 1), 5)])


def test_metr_published_212_day_doubling_from_their_file():
    text = (REPO / "fixtures/metr/benchmark_results_1_0.yaml").read_text()
    points = [p for p in read_metr_points(text, sota_only=True) if p.on <= D(2025, 2, 25)]
    assert len(points) == 11
    fit = doubling_fit(points)
    assert fit.doubling_days == pytest.approx(212, abs=1)
    assert fit.r2 > 0.95
    assert len(read_metr_points(text)) > len(read_metr_points(text, sota_only=True))


def test_ratio_and_projection():
    assert doubling_ratio(7, 4) == pytest.approx(4 / 7)
    assert round(doubling_ratio(7, 4), 2) == 0.57
    assert doubling_ratio(None, 4) is None
    # 60 minutes doubling every 100 days reaches 480 minutes after 3 doublings
    assert project(D(2025, 1, 1), 60, 100, 480) == D(2025, 1, 1) + dt.timedelta(days=300)
    assert project(D(2025, 1, 1), 60, 212, 10020) == \
        D(2025, 1, 1) + dt.timedelta(days=round(212 * math.log2(167)))


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("8 hours", "minutes", 480), ("1 week", "minutes", 2400), ("167 hours", "minutes", 10020),
    ("1 month", "minutes", 10020), ("90", "minutes", 90), ("2 h", "hours", 2),
    ("5 widgets", "widgets", 5),
])
def test_quantities(text, unit, value):
    assert parse_quantity(text, unit) == pytest.approx(value)


def test_quantity_errors():
    with pytest.raises(InputError):
        parse_quantity("lots", "minutes")
    with pytest.raises(InputError, match="cannot convert"):
        parse_quantity("3 kg", "minutes")


def test_csv_points():
    points = read_csv_points("date,value,label\n2024-01-01,5,a\n2024-06-01,10\n")
    assert points == [Point(D(2024, 1, 1), 5, "a"), Point(D(2024, 6, 1), 10, None)]
    with pytest.raises(InputError, match="line 2"):
        read_csv_points("2024-01-01,5\n2024-13-01,6\n")
    with pytest.raises(InputError, match="not a number"):
        read_csv_points("2024-01-01,five\n")


def test_metr_file_errors():
    with pytest.raises(InputError, match="results"):
        read_metr_points("just: text\n")
    with pytest.raises(InputError, match="YAML"):
        read_metr_points("a: [unclosed\n")


@pytest.mark.parametrize(("text", "unit", "value"), [
    ("10M tokens", "tokens", 1e7), ("2.5k tokens", "tokens", 2500.0),
    ("3 billion tokens", "tokens", 3e9), ("1,000,000 tokens", "tokens", 1e6),
    ("1e6 tokens", "tokens", 1e6), ("10m", "minutes", 10.0), ("8 hours", "minutes", 480.0),
])
def test_quantities_as_people_write_them(text, unit, value):
    from forecast_ledger.domain.trends import parse_quantity

    assert parse_quantity(text, unit) == value


@pytest.mark.parametrize("text", ["10m tokens", "1,00 tokens", "M tokens", "ten tokens"])
def test_unreadable_quantities_are_refused(text):
    from forecast_ledger.domain.trends import parse_quantity

    with pytest.raises(InputError):
        parse_quantity(text, "tokens")


def test_quantities_print_as_people_write_them():
    from forecast_ledger.domain.trends import format_quantity, quantity_slug

    assert (format_quantity(1e6), format_quantity(480.0), format_quantity(2.5)) == \
        ("1,000,000", "480", "2.5")
    assert (quantity_slug(1e6), quantity_slug(0.25)) == ("1000000", "0.25")
