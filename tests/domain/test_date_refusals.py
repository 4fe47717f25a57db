"""A refused date names the text exactly as the user typed it, in every form the grammar reads,
whether it was given as a made date or as a deadline (issue 19: the parsers' messages)."""

from __future__ import annotations

import datetime as dt

import pytest

from forecast_ledger.domain.dates import parse_period, period_containing, resolve_deadline
from forecast_ledger.errors import InputError

MADE = parse_period("2024-05-17")
NOT_REAL = "is not a real date (year 2027, month 2, day 30)"
YEAR_ZERO = ": year 0 is out of range (1 to 9999)"

# text -> the message, the same whether the text is a made date or a deadline
BOTH = [
    ("2027-02-30", f"'2027-02-30' {NOT_REAL}"),
    ("Feb 30 2027", f"'Feb 30 2027' {NOT_REAL}"),
    ("30 Feb 2027", f"'30 Feb 2027' {NOT_REAL}"),
    ("February 30, 2027", f"'February 30, 2027' {NOT_REAL}"),
    ("2027-13", "'2027-13' has no month 13; months run 1 to 12"),
    ("0000-05-10", f"'0000-05-10'{YEAR_ZERO}"),
    ("June 30 0000", f"'June 30 0000'{YEAR_ZERO}"),
    ("0000-05", f"'0000-05'{YEAR_ZERO}"),
    ("May 0000", f"'May 0000'{YEAR_ZERO}"),
    ("Sept 0000", f"'Sept 0000'{YEAR_ZERO}"),
    ("Q3 0000", f"'Q3 0000'{YEAR_ZERO}"),
    ("H2 0000", f"'H2 0000'{YEAR_ZERO}"),
    ("early 0000", f"'early 0000'{YEAR_ZERO}"),
    ("the 0000s", f"'the 0000s'{YEAR_ZERO}"),
    ("0000", f"'0000'{YEAR_ZERO}"),
    ("end of 0000", f"'end of 0000'{YEAR_ZERO}"),
    ("June 30", "'June 30' has no year; write it in full, e.g. 2027-06-30"),
]

# deadline forms that wrap another date: the message still quotes the whole text
DEADLINES = [
    ("before 0000", f"'before 0000'{YEAR_ZERO}"),
    ("before May 0000", f"'before May 0000'{YEAR_ZERO}"),
    ("by end of 2027-13", "'by end of 2027-13' has no month 13; months run 1 to 12"),
    ("before 2027-02-30", f"'before 2027-02-30' {NOT_REAL}"),
    ("end of Feb 30 2027", f"'end of Feb 30 2027' {NOT_REAL}"),
    ("by June 30", "'by June 30' has no year; write it in full, e.g. 2027-06-30"),
    ("0001-01-01", "deadline '0001-01-01' (0001-01-01) is before the prediction was made "
                   "(2024-05-17): that period had already ended"),
    ("before the end of 0000", f"'before the end of 0000'{YEAR_ZERO}"),
    ("by end of May 0000", f"'by end of May 0000'{YEAR_ZERO}"),
    ("0000年底前", f"'0000年底前'{YEAR_ZERO}"),
    ("by 0000", f"'by 0000'{YEAR_ZERO}"),
    ("before the end of June 30", "cannot read 'before the end of June 30' as a deadline"),
    ("0000-2030", f"'0000-2030'{YEAR_ZERO}"),  # a range of years
    ("2030-0000", f"'2030-0000'{YEAR_ZERO}"),
    ("2030-2030", "cannot read '2030-2030' as a deadline"),  # a range needs two years
    ("2031-2030", "cannot read '2031-2030' as a deadline"),  # in order
    ("soon", "'soon' is vague: give a number, e.g. 'within 3 years', 'by 2030' or '三年内'"),
    ("by the 2030s", "'by the 2030s' may mean the start of that decade or its end; write "
                     "'before 2030' or 'the 2030s'"),
    ("within 8000 years", "'within 8000 years' from 2024-05-17 falls beyond the calendar, "
                          "which ends on 9999-12-31"),
    ("within 3000000 days", "'within 3000000 days' from 2024-05-17 falls beyond the "
                            "calendar, which ends on 9999-12-31"),
    ("1.3 months", "'1.3 months': only years may be fractional (1.5 years)"),
    ("1.01 years", "'1.01 years': use whole months for a fraction of a year"),
    ("before 0001-01-01", "'before 0001-01-01' falls before the calendar, which begins on "
                          "0001-01-01"),
    ("before Q1 0001", "'before Q1 0001' falls before the calendar, which begins on "
                       "0001-01-01"),
]


@pytest.mark.parametrize(("text", "message"), BOTH, ids=[t for t, _ in BOTH])
def test_a_refused_date_is_quoted_as_typed(text, message):
    for read in (parse_period, lambda t: resolve_deadline(t, MADE)):
        with pytest.raises(InputError) as refused:
            read(text)
        assert str(refused.value) == message


@pytest.mark.parametrize(("text", "message"), DEADLINES, ids=[t for t, _ in DEADLINES])
def test_a_refused_deadline_is_quoted_as_typed(text, message):
    with pytest.raises(InputError) as refused:
        resolve_deadline(text, MADE)
    assert str(refused.value).startswith(message), str(refused.value)


@pytest.mark.parametrize("text", ["before 0000", "by June 30", "within 3 years", "10000"])
def test_a_made_date_that_is_no_date_names_the_text_and_the_accepted_forms(text):
    with pytest.raises(InputError) as refused:
        parse_period(text)
    assert str(refused.value).startswith(
        f"cannot read {text!r} as a date; accepted: 2027-05-10, 2027-05, May 2027, 2027年5月")


@pytest.mark.parametrize(("text", "first"), [
    ("0001-01-01", dt.date(1, 1, 1)),  # the calendar's first day
    ("0001", dt.date(1, 1, 1)),
    ("9999-12-31", dt.date(9999, 12, 31)),  # and its last
])
def test_the_calendar_ends_are_dates(text, first):
    assert parse_period(text).first == first


THIRDS = ["early"] * 4 + ["mid"] * 4 + ["late"] * 4  # January–April, May–August, September–


@pytest.mark.parametrize(("month", "third"), list(enumerate(THIRDS, start=1)))
def test_a_third_of_a_year_is_labelled_by_its_months(month, third):
    assert period_containing(dt.date(2027, month, 1), "third").label() == f"{third} 2027"


@pytest.mark.parametrize(("made", "phrase", "message"), [
    ("0001-05-01", "last year", "'last year' falls before the calendar, which begins on "
                                "0001-01-01"),
    ("0001", "去年", "'去年' falls before the calendar, which begins on 0001-01-01"),
    ("9999", "明年", "'明年' falls beyond the calendar, which ends on 9999-12-31"),
    ("9999-12", "next month", "'next month' falls beyond the calendar, which ends on "
                              "9999-12-31"),
])
def test_a_period_named_from_a_made_date_at_the_calendars_ends(made, phrase, message):
    with pytest.raises(InputError) as refused:
        resolve_deadline(phrase, parse_period(made))
    assert str(refused.value) == message


MADE_FORMS = [  # a made date of any form the grammar reads: its first and last day
    ("June 30 2027", "2027-06-30", "2027-06-30", "day"),
    ("30 June 2027", "2027-06-30", "2027-06-30", "day"),
    ("the end of 2027", "2027-01-01", "2027-12-31", "year"),
    ("2027年末", "2027-01-01", "2027-12-31", "year"),
    ("the beginning of 2027", "2027-01-01", "2027-04-30", "third"),
    ("2027年初", "2027-01-01", "2027-04-30", "third"),
    ("the middle of 2027", "2027-05-01", "2027-08-31", "third"),
    ("2027年中", "2027-05-01", "2027-08-31", "third"),
    ("late 2027", "2027-09-01", "2027-12-31", "third"),
    ("H1 2027", "2027-01-01", "2027-06-30", "half"),
    ("2027年上半年", "2027-01-01", "2027-06-30", "half"),
    ("second half of 2027", "2027-07-01", "2027-12-31", "half"),
    ("Q1 2027", "2027-01-01", "2027-03-31", "quarter"),
    ("2027年第四季度", "2027-10-01", "2027-12-31", "quarter"),
    ("the 2030s", "2030-01-01", "2039-12-31", "decade"),
    ("2030年代", "2030-01-01", "2039-12-31", "decade"),
]


@pytest.mark.parametrize(("text", "first", "last", "precision"), MADE_FORMS,
                         ids=[t for t, *_ in MADE_FORMS])
def test_a_made_date_of_every_form(text, first, last, precision):
    period = parse_period(text)
    assert (period.first.isoformat(), period.last.isoformat(), period.precision) == \
        (first, last, precision)


@pytest.mark.parametrize(("phrase", "same_as"), [
    ("in two years’ time", "in two years' time"),  # a typographic apostrophe
    ("within  3\tyears", "within 3 years"),  # runs of spaces and tabs
    ("by 2030.", "by 2030"),  # the sentence's full stop
    ("三年内。", "三年内"),
    ("2030 年", "2030年"),
])
def test_a_phrase_reads_the_same_however_it_is_typed(phrase, same_as):
    assert resolve_deadline(phrase, MADE) == resolve_deadline(same_as, MADE)
