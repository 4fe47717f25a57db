"""Dates as people write them, phrase by phrase (issue 12): each read as a careful reader
would, or refused — never misread. Expected values are worked out by hand; the generated
rows use plain year arithmetic, not the code under test."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast_ledger.domain.dates import parse_period, resolve_deadline
from forecast_ledger.errors import InputError

MADE = "2026-02-10"  # a Tuesday in February, as in the issue

# (made, phrase, deadline, precision)
READ = [
    # the misreads
    (MADE, "before next year", "2026-12-31", "year"),
    # the refusals that any reader understands
    (MADE, "今年年底前", "2026-12-31", "year"),
    (MADE, "明年年底前", "2027-12-31", "year"),
    (MADE, "明年底前", "2027-12-31", "year"),
    (MADE, "2026年年底", "2026-12-31", "year"),
    (MADE, "年内", "2026-12-31", "year"),
    (MADE, "今年内", "2026-12-31", "year"),
    (MADE, "下个月", "2026-03-31", "month"),
    (MADE, "end of the year", "2026-12-31", "year"),
    (MADE, "before the end of 2026", "2026-12-31", "year"),
    (MADE, "by end-2026", "2026-12-31", "year"),
    (MADE, "end-2027", "2027-12-31", "year"),
    (MADE, "EOY 2027", "2027-12-31", "year"),
    (MADE, "within the next year", "2027-02-10", "day"),
    (MADE, "2030 年", "2030-12-31", "year"),
    (MADE, "the 2030s", "2039-12-31", "decade"),
    (MADE, "within a decade", "2036-02-10", "day"),
    (MADE, "in a decade", "2036-02-10", "day"),
    (MADE, "within fifteen years", "2041-02-10", "day"),
    (MADE, "within twenty-four months", "2028-02-10", "day"),
    (MADE, "in two years' time", "2028-02-10", "day"),
    (MADE, "a fortnight", "2026-02-24", "day"),
    (MADE, "by Sept. 2027", "2027-09-30", "month"),
    (MADE, "Q3 of 2027", "2027-09-30", "quarter"),
    (MADE, "2027年Q3", "2027-09-30", "quarter"),
    (MADE, "by the middle of 2027", "2027-08-31", "third"),
    (MADE, "next month", "2026-03-31", "month"),
    # SPEC §3, section by section: absolute forms
    (MADE, "2027-05-10", "2027-05-10", "day"),
    (MADE, "2027/5/10", "2027-05-10", "day"),
    (MADE, "2027.05.10", "2027-05-10", "day"),
    (MADE, "2027年5月10日", "2027-05-10", "day"),
    (MADE, "2027年5月10号", "2027-05-10", "day"),
    (MADE, "May 10, 2027", "2027-05-10", "day"),
    (MADE, "May 10th 2027", "2027-05-10", "day"),
    (MADE, "10 May 2027", "2027-05-10", "day"),
    (MADE, "2027-05", "2027-05-31", "month"),
    (MADE, "2027-5", "2027-05-31", "month"),
    (MADE, "May 2027", "2027-05-31", "month"),
    (MADE, "may 2027", "2027-05-31", "month"),
    (MADE, "February 2028", "2028-02-29", "month"),
    (MADE, "Feb 2027", "2027-02-28", "month"),
    (MADE, "Feb. 2027", "2027-02-28", "month"),
    (MADE, "Sep 2027", "2027-09-30", "month"),
    (MADE, "Sept 2027", "2027-09-30", "month"),
    (MADE, "September 2027", "2027-09-30", "month"),
    (MADE, "by Sep 2027", "2027-09-30", "month"),
    (MADE, "Dec. 2026", "2026-12-31", "month"),
    (MADE, "June of 2027", "2027-06-30", "month"),
    (MADE, "2027年5月", "2027-05-31", "month"),
    (MADE, "2027年12月份", "2027-12-31", "month"),
    (MADE, "Q1 2027", "2027-03-31", "quarter"),
    (MADE, "Q2 2027", "2027-06-30", "quarter"),
    (MADE, "Q3 2027", "2027-09-30", "quarter"),
    (MADE, "Q4 2027", "2027-12-31", "quarter"),
    (MADE, "q4 2027", "2027-12-31", "quarter"),
    (MADE, "2027-Q3", "2027-09-30", "quarter"),
    (MADE, "2027 Q3", "2027-09-30", "quarter"),
    (MADE, "2027Q3", "2027-09-30", "quarter"),
    (MADE, "Q1 of 2027", "2027-03-31", "quarter"),
    (MADE, "third quarter of 2027", "2027-09-30", "quarter"),
    (MADE, "the fourth quarter of 2027", "2027-12-31", "quarter"),
    (MADE, "2027年第三季度", "2027-09-30", "quarter"),
    (MADE, "2027年第3季度", "2027-09-30", "quarter"),
    (MADE, "2027年三季度", "2027-09-30", "quarter"),
    (MADE, "2027年Q1", "2027-03-31", "quarter"),
    (MADE, "2029", "2029-12-31", "year"),
    (MADE, "2029年", "2029-12-31", "year"),
    (MADE, "２０２９年", "2029-12-31", "year"),
    (MADE, "by 2029", "2029-12-31", "year"),
    (MADE, "in 2029", "2029-12-31", "year"),
    (MADE, "until 2029", "2029-12-31", "year"),
    (MADE, "no later than 2029", "2029-12-31", "year"),
    (MADE, "到2029年", "2029-12-31", "year"),
    (MADE, "在2029年", "2029-12-31", "year"),
    (MADE, "end of 2026", "2026-12-31", "year"),
    (MADE, "by end of 2026", "2026-12-31", "year"),
    (MADE, "by the end of 2026", "2026-12-31", "year"),
    (MADE, "the end of 2027", "2027-12-31", "year"),
    (MADE, "end of Q3 2027", "2027-09-30", "quarter"),
    (MADE, "end of May 2027", "2027-05-31", "month"),
    (MADE, "year-end 2026", "2026-12-31", "year"),
    (MADE, "by year end 2027", "2027-12-31", "year"),
    (MADE, "eoy 2026", "2026-12-31", "year"),
    (MADE, "2026年底", "2026-12-31", "year"),
    (MADE, "2026年末", "2026-12-31", "year"),
    (MADE, "2026年内", "2026-12-31", "year"),
    (MADE, "2026年底前", "2026-12-31", "year"),
    (MADE, "2027年之内", "2027-12-31", "year"),
    (MADE, "before 2030", "2029-12-31", "year"),
    (MADE, "prior to 2030", "2029-12-31", "year"),
    (MADE, "2030年前", "2029-12-31", "year"),
    (MADE, "2030年之前", "2029-12-31", "year"),
    (MADE, "2030年以前", "2029-12-31", "year"),
    (MADE, "before May 2027", "2027-04-30", "month"),
    (MADE, "before Q3 2027", "2027-06-30", "quarter"),
    (MADE, "before 2027-05-10", "2027-05-09", "day"),
    (MADE, "before 2027-01-01", "2026-12-31", "day"),
    (MADE, "H2 2027", "2027-12-31", "half"),
    (MADE, "H1 2027", "2027-06-30", "half"),
    (MADE, "2027-H2", "2027-12-31", "half"),
    (MADE, "2027 H1", "2027-06-30", "half"),
    (MADE, "second half of 2027", "2027-12-31", "half"),
    (MADE, "first half of 2027", "2027-06-30", "half"),
    (MADE, "the first half of 2027", "2027-06-30", "half"),
    (MADE, "2027年下半年", "2027-12-31", "half"),
    (MADE, "2027年上半年", "2027-06-30", "half"),
    (MADE, "early 2028", "2028-04-30", "third"),
    (MADE, "mid 2027", "2027-08-31", "third"),
    (MADE, "mid-2027", "2027-08-31", "third"),
    (MADE, "late 2027", "2027-12-31", "third"),
    (MADE, "by late 2027", "2027-12-31", "third"),
    (MADE, "early-2027", "2027-04-30", "third"),
    (MADE, "the middle of 2027", "2027-08-31", "third"),
    (MADE, "the beginning of 2027", "2027-04-30", "third"),
    (MADE, "2027年初", "2027-04-30", "third"),
    (MADE, "2027年中", "2027-08-31", "third"),
    (MADE, "2030s", "2039-12-31", "decade"),
    (MADE, "in the 2030s", "2039-12-31", "decade"),
    (MADE, "during the 2040s", "2049-12-31", "decade"),
    (MADE, "2030年代", "2039-12-31", "decade"),
    (MADE, "the 2020s", "2029-12-31", "decade"),
    (MADE, "2027-2029", "2029-12-31", "year"),
    (MADE, "2027 to 2029", "2029-12-31", "year"),
    (MADE, "2027到2029年", "2029-12-31", "year"),
    # periods named relative to the made date
    (MADE, "next year", "2027-12-31", "year"),
    (MADE, "by next year", "2027-12-31", "year"),
    (MADE, "end of next year", "2027-12-31", "year"),
    (MADE, "by the end of next year", "2027-12-31", "year"),
    (MADE, "the year after next", "2028-12-31", "year"),
    (MADE, "end of this year", "2026-12-31", "year"),
    (MADE, "by the end of this year", "2026-12-31", "year"),
    (MADE, "by end of year", "2026-12-31", "year"),
    (MADE, "this year", "2026-12-31", "year"),
    (MADE, "within the year", "2026-12-31", "year"),
    (MADE, "this month", "2026-02-28", "month"),
    (MADE, "end of the month", "2026-02-28", "month"),
    (MADE, "end of next month", "2026-03-31", "month"),
    (MADE, "next quarter", "2026-06-30", "quarter"),
    (MADE, "end of this quarter", "2026-03-31", "quarter"),
    (MADE, "end of the decade", "2029-12-31", "decade"),
    (MADE, "by the end of the decade", "2029-12-31", "decade"),
    (MADE, "next decade", "2039-12-31", "decade"),
    (MADE, "before next month", "2026-02-28", "month"),
    (MADE, "before the end of next year", "2027-12-31", "year"),
    (MADE, "明年", "2027-12-31", "year"),
    (MADE, "后年", "2028-12-31", "year"),
    (MADE, "来年", "2027-12-31", "year"),
    (MADE, "今年", "2026-12-31", "year"),
    (MADE, "年底", "2026-12-31", "year"),
    (MADE, "年末", "2026-12-31", "year"),
    (MADE, "年底前", "2026-12-31", "year"),
    (MADE, "今年年底", "2026-12-31", "year"),
    (MADE, "今年底", "2026-12-31", "year"),
    (MADE, "明年底", "2027-12-31", "year"),
    (MADE, "明年年底", "2027-12-31", "year"),
    (MADE, "明年年内", "2027-12-31", "year"),
    (MADE, "后年底", "2028-12-31", "year"),
    (MADE, "明年前", "2026-12-31", "year"),
    (MADE, "下月", "2026-03-31", "month"),
    (MADE, "下个月底", "2026-03-31", "month"),
    (MADE, "月底", "2026-02-28", "month"),
    (MADE, "月底前", "2026-02-28", "month"),
    (MADE, "本月底", "2026-02-28", "month"),
    (MADE, "下季度", "2026-06-30", "quarter"),
    (MADE, "下个季度", "2026-06-30", "quarter"),
    (MADE, "下半年", "2026-12-31", "half"),
    (MADE, "上半年", "2026-06-30", "half"),
    (MADE, "明年下半年", "2027-12-31", "half"),
    ("2026-08-15", "下半年", "2026-12-31", "half"),
    ("2026-12-20", "next month", "2027-01-31", "month"),
    ("2026-11-05", "next quarter", "2027-03-31", "quarter"),
    ("2024-02-10", "end of this month", "2024-02-29", "month"),
    ("2026-02", "next year", "2027-12-31", "year"),
    ("2026", "before next year", "2026-12-31", "year"),
    # relative horizons: English
    (MADE, "12 months", "2027-02-10", "day"),
    (MADE, "within 12 months", "2027-02-10", "day"),
    (MADE, "in the next 12mo", "2027-02-10", "day"),
    (MADE, "in 3 years", "2029-02-10", "day"),
    (MADE, "18mo", "2027-08-10", "day"),
    (MADE, "3y", "2029-02-10", "day"),
    (MADE, "3 yrs", "2029-02-10", "day"),
    (MADE, "90 days", "2026-05-11", "day"),
    (MADE, "90d", "2026-05-11", "day"),
    (MADE, "2 weeks", "2026-02-24", "day"),
    (MADE, "2w", "2026-02-24", "day"),
    (MADE, "half a year", "2026-08-10", "day"),
    (MADE, "within half a year", "2026-08-10", "day"),
    (MADE, "within the next half year", "2026-08-10", "day"),
    (MADE, "1.5 years", "2027-08-10", "day"),
    (MADE, "in 18 months' time", "2027-08-10", "day"),
    (MADE, "two years from now", "2028-02-10", "day"),
    (MADE, "less than five years from now", "2031-02-10", "day"),
    (MADE, "no more than 3 years", "2029-02-10", "day"),
    (MADE, "over the next 5 years", "2031-02-10", "day"),
    (MADE, "within the next 10 years", "2036-02-10", "day"),
    (MADE, "within a year", "2027-02-10", "day"),
    (MADE, "in a year", "2027-02-10", "day"),
    (MADE, "within an hour", None, "cannot read"),
    (MADE, "within a month", "2026-03-10", "day"),
    (MADE, "within the next month", "2026-03-10", "day"),
    (MADE, "within the coming year", "2027-02-10", "day"),
    (MADE, "in the coming decade", "2036-02-10", "day"),
    (MADE, "a dozen years", "2038-02-10", "day"),
    (MADE, "within a dozen years", "2038-02-10", "day"),
    (MADE, "within two fortnights", "2026-03-10", "day"),
    (MADE, "within two decades", "2046-02-10", "day"),
    (MADE, "within thirty days", "2026-03-12", "day"),
    (MADE, "within ninety-nine years", "2125-02-10", "day"),
    (MADE, "within eleven months", "2027-01-10", "day"),
    (MADE, "within twenty one years", "2047-02-10", "day"),
    (MADE, "three-year", "2029-02-10", "day"),
    (MADE, "3-5 years", "2031-02-10", "day"),
    (MADE, "3 to 5 years", "2031-02-10", "day"),
    (MADE, "within 6 to 12 months", "2027-02-10", "day"),
    (MADE, "within the next 12 to 18 months", "2027-08-10", "day"),
    (MADE, "two or three years", "2029-02-10", "day"),
    (MADE, "3–5 years", "2031-02-10", "day"),
    (MADE, "in from three to eight years", "2034-02-10", "day"),
    ("1950", "in about fifty years' time", "2000-12-31", "year"),
    (MADE, "in about 50 years", "2076-02-10", "day"),
    (MADE, "within roughly two years", "2028-02-10", "day"),
    # relative horizons: Chinese
    (MADE, "三年", "2029-02-10", "day"),
    (MADE, "三年内", "2029-02-10", "day"),
    (MADE, "3年内", "2029-02-10", "day"),
    (MADE, "3 年内", "2029-02-10", "day"),
    (MADE, "12个月内", "2027-02-10", "day"),
    (MADE, "未来12个月内", "2027-02-10", "day"),
    (MADE, "未来十二个月", "2027-02-10", "day"),
    (MADE, "两年内", "2028-02-10", "day"),
    (MADE, "两年之内", "2028-02-10", "day"),
    (MADE, "两年以内", "2028-02-10", "day"),
    (MADE, "半年", "2026-08-10", "day"),
    (MADE, "半年内", "2026-08-10", "day"),
    (MADE, "未来半年", "2026-08-10", "day"),
    (MADE, "五年后", "2031-02-10", "day"),
    (MADE, "五年之后", "2031-02-10", "day"),
    (MADE, "十年内", "2036-02-10", "day"),
    (MADE, "二十年内", "2046-02-10", "day"),
    (MADE, "九十九年内", "2125-02-10", "day"),
    (MADE, "一年半", "2027-08-10", "day"),
    (MADE, "三天", "2026-02-13", "day"),
    (MADE, "两周内", "2026-02-24", "day"),
    (MADE, "三个星期", "2026-03-03", "day"),
    (MADE, "三个礼拜内", "2026-03-03", "day"),
    (MADE, "一个月内", "2026-03-10", "day"),
    (MADE, "6个月左右", "2026-08-10", "day"),
    (MADE, "再过三年", "2029-02-10", "day"),
    (MADE, "接下来的两年", "2028-02-10", "day"),
    (MADE, "今后五年内", "2031-02-10", "day"),
    (MADE, "两三年内", "2029-02-10", "day"),
    (MADE, "三四年", "2030-02-10", "day"),
    (MADE, "三五年内", "2031-02-10", "day"),
    (MADE, "二三个月", "2026-05-10", "day"),
    (MADE, "二三十天", "2026-03-12", "day"),
    (MADE, "3到5年", "2031-02-10", "day"),
    (MADE, "3至5年内", "2031-02-10", "day"),
    (MADE, "三到五年", "2031-02-10", "day"),
    (MADE, "3-5年", "2031-02-10", "day"),
    # precision of made_on carries over; month ends clamp; leap years
    ("2024-05", "within three years", "2027-05-31", "month"),
    ("2024-05", "三年内", "2027-05-31", "month"),
    ("2024", "within 2 years", "2026-12-31", "year"),
    ("2024", "18 months", "2025-12-31", "year"),
    ("Q2 2024", "12 months", "2025-06-30", "quarter"),
    ("2024-01-31", "1 month", "2024-02-29", "day"),
    ("2023-01-31", "1 month", "2023-02-28", "day"),
    ("2024-02-29", "1 year", "2025-02-28", "day"),
    ("2024-02-29", "4 years", "2028-02-29", "day"),
    ("2096-02-29", "4 years", "2100-02-28", "day"),  # 2100 is no leap year
    ("1996-02-29", "4 years", "2000-02-29", "day"),  # 2000 is
    ("2024-08-31", "half a year", "2025-02-28", "day"),
    ("2024-03-31", "next month", "2024-04-30", "month"),
    ("2024-04-08", "2024-04-08", "2024-04-08", "day"),  # due the day it was made
    ("2024-04-08", "0 days", "2024-04-08", "day"),
    ("2026-01-22", "by the end of this year", "2026-12-31", "year"),
    ("2020-07-25", "less than five years from now", "2025-07-25", "day"),
    ("2024-05-17", "三年内", "2027-05-17", "day"),
    ("2024-04-08", "end of next year", "2025-12-31", "year"),
    ("2024-04-08", "9999", "9999-12-31", "year"),
    ("2024-04-08", "the 9990s", "9999-12-31", "decade"),
]

# (made, phrase, what the refusal must say)
REFUSED = [
    (MADE, "before this year", "already ended"),
    (MADE, "before 2026", "already ended"),
    (MADE, "2025", "already ended"),
    (MADE, "last year", "already ended"),
    (MADE, "end of last year", "already ended"),
    (MADE, "soon", "vague"),
    (MADE, "very soon", "vague"),
    (MADE, "a few years", "vague"),
    (MADE, "within a few years", "vague"),
    (MADE, "in several years", "vague"),
    (MADE, "some years from now", "vague"),
    (MADE, "in the coming decades", "vague"),
    (MADE, "in the near future", "vague"),
    (MADE, "eventually", "vague"),
    (MADE, "几年内", "vague"),
    (MADE, "未来几年", "vague"),
    (MADE, "数年内", "vague"),
    (MADE, "十几年内", "vague"),
    (MADE, "不久", "vague"),
    (MADE, "很快", "vague"),
    (MADE, "a couple of years", "vague"),
    (MADE, "by the 2030s", "start of that decade or its end"),
    (MADE, "June 30", "no year"),
    (MADE, "by June 30", "no year"),
    (MADE, "30 June", "no year"),
    (MADE, "6月30日", "no year"),
    (MADE, "2026-13-01", "not a real date"),
    (MADE, "2026-02-30", "not a real date"),
    (MADE, "2026-00", "no month 0"),
    (MADE, "0000", "out of range"),
    (MADE, "10000", "cannot read"),
    (MADE, "9999 years", "beyond the calendar"),
    (MADE, "1.3 months", "only years may be fractional"),
    (MADE, "1.01 years", "whole months"),
    (MADE, "十十年内", "cannot read"),
    (MADE, "", "empty"),
    (MADE, "   ", "empty"),
    (MADE, "tomorrowish", "cannot read"),
    (MADE, "5-3 years", "cannot read"),
    (MADE, "2029-2027", "cannot read"),
    (MADE, "三二年", "cannot read"),
    (MADE, "next yeer", "did you mean 'next year'"),
    (MADE, "with in 3 years", "cannot read"),
]


@pytest.mark.parametrize(("made", "phrase", "deadline", "precision"), READ,
                         ids=[f"{m} {p}" for m, p, _, _ in READ])
def test_a_phrase_is_read_as_a_careful_reader_would(made, phrase, deadline, precision):
    if deadline is None:
        with pytest.raises(InputError, match=precision):
            resolve_deadline(phrase, parse_period(made))
        return
    period = resolve_deadline(phrase, parse_period(made))
    assert (period.last.isoformat(), period.precision) == (deadline, precision)


@pytest.mark.parametrize(("made", "phrase", "message"), REFUSED,
                         ids=[f"{m} {p}" for m, p, _ in REFUSED])
def test_a_phrase_no_one_can_read_for_sure_is_refused(made, phrase, message):
    with pytest.raises(InputError, match=message):
        resolve_deadline(phrase, parse_period(made))


# Generated rows: every English number word and every Chinese numeral 1..99, counted in
# years from a 17 May (no month end to clamp), checked by plain year arithmetic.
ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
CN = "一二三四五六七八九"


def _english(n):
    if n < 10:
        return ONES[n - 1]
    if n < 20:
        return TEENS[n - 10]
    tens, ones = divmod(n, 10)
    return TENS[tens - 2] + (f"-{ONES[ones - 1]}" if ones else "")


def _chinese(n):
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN[ones - 1]
    return (CN[tens - 1] if tens > 1 else "") + "十" + (CN[ones - 1] if ones else "")


GENERATED = [(f"within {_english(n)} years", n) for n in range(1, 100, 2)] + \
    [(f"{_chinese(n)}年内", n) for n in range(1, 100, 2)]


@pytest.mark.parametrize(("phrase", "years"), GENERATED, ids=[p for p, _ in GENERATED])
def test_number_words_and_numerals(phrase, years):
    period = resolve_deadline(phrase, parse_period("2024-05-17"))
    assert period.last == dt.date(2024 + years, 5, 17)


def test_the_table_is_large_enough():
    assert len(READ) + len(REFUSED) + len(GENERATED) >= 300


ACCEPTED = [phrase for _, phrase, deadline, _ in READ if deadline is not None]


@settings(max_examples=200, deadline=None)
@given(phrase=st.sampled_from(ACCEPTED),
       made=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 2, 10)))
def test_an_accepted_deadline_written_back_as_a_date_reads_the_same(phrase, made):
    """What `add` echoes (the deadline as an absolute date) parses to the same day."""
    try:
        period = resolve_deadline(phrase, parse_period(made.isoformat()))
    except InputError:
        return  # an absolute date before this made date: refused, not misread
    again = resolve_deadline(period.last.isoformat(), parse_period(made.isoformat()))
    assert again.last == period.last
