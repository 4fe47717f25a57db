import datetime as dt

import pytest

from forecast_ledger.domain.dates import (
    decimal_year,
    parse_duration,
    parse_period,
    resolve_deadline,
)
from forecast_ledger.errors import InputError

D = dt.date

# (made_on, expression, expected deadline, expected precision) — worked out by hand.
DEADLINES = [
    # absolute, every precision of SPEC section 3
    ("2024-04-08", "2027-05-10", D(2027, 5, 10), "day"),
    ("2024-04-08", "2027-05", D(2027, 5, 31), "month"),
    ("2024-04-08", "May 2027", D(2027, 5, 31), "month"),
    ("2024-04-08", "2027年5月", D(2027, 5, 31), "month"),
    ("2024-04-08", "Q3 2027", D(2027, 9, 30), "quarter"),
    ("2024-04-08", "2027-Q3", D(2027, 9, 30), "quarter"),
    ("2024-04-08", "2029", D(2029, 12, 31), "year"),
    ("2024-04-08", "2029年", D(2029, 12, 31), "year"),
    ("2024-04-08", "by 2029", D(2029, 12, 31), "year"),
    ("2024-04-08", "end of 2026", D(2026, 12, 31), "year"),
    ("2024-04-08", "by end of 2026", D(2026, 12, 31), "year"),
    ("2024-04-08", "2026年底", D(2026, 12, 31), "year"),
    ("2024-04-08", "before 2030", D(2029, 12, 31), "year"),
    ("2024-04-08", "2030年前", D(2029, 12, 31), "year"),
    ("2024-04-08", "H2 2027", D(2027, 12, 31), "half"),
    ("2024-04-08", "2027年下半年", D(2027, 12, 31), "half"),
    ("2024-04-08", "2027年上半年", D(2027, 6, 30), "half"),
    ("2024-04-08", "early 2028", D(2028, 4, 30), "third"),
    ("2024-04-08", "mid 2027", D(2027, 8, 31), "third"),
    ("2024-04-08", "late 2027", D(2027, 12, 31), "third"),
    ("2024-04-08", "２０２９年", D(2029, 12, 31), "year"),  # full-width digits
    # relative, day precision
    ("2026-02-10", "12 months", D(2027, 2, 10), "day"),
    ("2026-02-10", "within 12 months", D(2027, 2, 10), "day"),
    ("2026-02-10", "in the next 12mo", D(2027, 2, 10), "day"),
    ("2024-05-17", "in 3 years", D(2027, 5, 17), "day"),
    ("2024-05-17", "18mo", D(2025, 11, 17), "day"),
    ("2024-05-17", "3y", D(2027, 5, 17), "day"),
    ("2024-05-17", "90 days", D(2024, 8, 15), "day"),
    ("2024-05-17", "2 weeks", D(2024, 5, 31), "day"),
    ("2024-05-17", "half a year", D(2024, 11, 17), "day"),
    ("2020-07-25", "less than five years from now", D(2025, 7, 25), "day"),
    ("2024-05-17", "next year", D(2025, 12, 31), "year"),
    ("2024-04-08", "end of next year", D(2025, 12, 31), "year"),
    ("2026-01-22", "by the end of this year", D(2026, 12, 31), "year"),
    ("2024-05-17", "三年", D(2027, 5, 17), "day"),
    ("2024-05-17", "三年内", D(2027, 5, 17), "day"),
    ("2024-05-17", "3年内", D(2027, 5, 17), "day"),
    ("2026-02-10", "12个月内", D(2027, 2, 10), "day"),
    ("2026-02-10", "未来12个月内", D(2027, 2, 10), "day"),
    ("2026-02-10", "十二个月内", D(2027, 2, 10), "day"),
    ("2024-05-17", "两年内", D(2026, 5, 17), "day"),
    ("2024-05-17", "半年", D(2024, 11, 17), "day"),
    ("2024-05-17", "五年后", D(2029, 5, 17), "day"),
    ("2024-05-17", "明年", D(2025, 12, 31), "year"),
    ("2024-05-17", "后年", D(2026, 12, 31), "year"),
    ("2026-02-15", "一年内", D(2027, 2, 15), "day"),
    ("2024-05-17", "一年半", D(2025, 11, 17), "day"),
    # relative horizons inherit made_on's precision
    ("2024-05", "within three years", D(2027, 5, 31), "month"),
    ("2024-05", "三年内", D(2027, 5, 31), "month"),
    ("2024", "within 2 years", D(2026, 12, 31), "year"),
    ("Q2 2024", "12 months", D(2025, 6, 30), "quarter"),
    # month ends clamp; leap days
    ("2024-01-31", "1 month", D(2024, 2, 29), "day"),
    ("2023-01-31", "1 month", D(2023, 2, 28), "day"),
    ("2024-02-29", "1 year", D(2025, 2, 28), "day"),
    ("2024-02-29", "4 years", D(2028, 2, 29), "day"),
]


@pytest.mark.parametrize(("made", "expression", "deadline", "precision"), DEADLINES)
def test_deadline_forms(made, expression, deadline, precision):
    period = resolve_deadline(expression, parse_period(made))
    assert (period.last, period.precision) == (deadline, precision)


@pytest.mark.parametrize(
    ("text", "first", "precision"),
    [
        ("2024-05-17", D(2024, 5, 17), "day"),
        ("2024-05", D(2024, 5, 1), "month"),
        ("May 2024", D(2024, 5, 1), "month"),
        ("2024年5月", D(2024, 5, 1), "month"),
        ("Q2 2024", D(2024, 4, 1), "quarter"),
        ("2024", D(2024, 1, 1), "year"),
        ("2024年", D(2024, 1, 1), "year"),
        ("2027年5月10日", D(2027, 5, 10), "day"),
    ],
)
def test_made_on_is_the_first_day_and_keeps_its_precision(text, first, precision):
    period = parse_period(text)
    assert (period.first, period.precision) == (first, precision)


def test_a_four_digit_number_before_nian_is_a_year_not_a_duration():
    made = parse_period("2024-01-01")
    assert resolve_deadline("2029年", made).last == D(2029, 12, 31)
    assert resolve_deadline("3年", made).last == D(2027, 1, 1)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("soon", "vague"),
        ("2026-13-01", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("June 30", "no year"),
        ("6月30日", "no year"),
        ("", "empty"),
        ("2019", "before the prediction was made"),
        ("1.3 months", "only years may be fractional"),
        ("十十年内", "accepted"),  # found by hypothesis: was a KeyError
    ],
)
def test_bad_deadlines_are_refused_with_the_accepted_forms(expression, message):
    with pytest.raises(InputError, match=message):
        resolve_deadline(expression, parse_period("2024-04-08"))


def test_durations():
    assert parse_duration("30d").delta().days == 30
    assert parse_duration("7 months").approx_days() == pytest.approx(213.058125)
    assert parse_duration("212 days").approx_days() == 212
    assert parse_duration("1.5 years").months == 18
    with pytest.raises(InputError, match="duration"):
        parse_duration("a while")


def test_decimal_year():
    assert decimal_year(D(2024, 1, 1)) == 2024.0
    assert decimal_year(D(2024, 7, 2)) == pytest.approx(2024 + 183 / 366)
    assert decimal_year(D(2023, 12, 31)) == pytest.approx(2023 + 364 / 365)
