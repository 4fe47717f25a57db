"""Dates, periods and horizons: the small grammar of SPEC section 3.

A date a user types has a *precision*: "2029" is a year, "Q3 2027" a quarter. We keep it as a
:class:`Period` (first day, last day, precision). A ``made_on`` counts from its first day; a
deadline is its last day. Relative horizons ("within 12 months", "三年内") count from
``made_on`` with dateutil's calendar arithmetic and inherit ``made_on``'s precision.

Everything here is pure: no clock, no database. Calendar arithmetic is dateutil's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from forecast_ledger.errors import InputError

PRECISIONS = ("day", "month", "quarter", "half", "third", "year")
MEAN_MONTH_DAYS = 30.436875  # the mean Gregorian month: 365.2425 / 12

ACCEPTED_DATES = (
    "2027-05-10, 2027-05, May 2027, 2027年5月, Q3 2027, 2027-Q3, 2029, 2029年"
)
ACCEPTED_DEADLINES = (
    ACCEPTED_DATES
    + ", end of 2026, 2026年底, before 2030, H2 2027, 2027年下半年, early/mid/late 2027,"
    " or a horizon: 12 months, within 3 years, 18mo, 3y, 90 days, 2 weeks, half a year,"
    " next year, 三年内, 12个月内, 未来12个月内, 半年, 五年后, 明年, 后年"
)
ACCEPTED_DURATIONS = "30d, 2 weeks, 6 months, 7 months, 212 days, 1.5 years, 三个月, 半年"

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
               "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
               "twelve": 12, "eighteen": 18, "twenty": 20, "thirty": 30}


@dataclass(frozen=True)
class Period:
    """A span of the calendar a user named: ``first``..``last`` inclusive, with a precision."""

    first: dt.date
    last: dt.date
    precision: str

    def label(self) -> str:
        """How the period is shown: 2027-05-10, 2027-05, 2027-Q3, 2027-H2, late 2027, 2029."""
        d = self.first
        if self.precision == "day":
            return d.isoformat()
        if self.precision == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if self.precision == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.precision == "half":
            return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
        if self.precision == "third":
            return f"{('early', 'mid', 'late')[(d.month - 1) // 4]} {d.year:04d}"
        return f"{d.year:04d}"


@lru_cache(maxsize=65_536)  # rows repeat dates; this runs for every row read
def period_containing(day: dt.date, precision: str) -> Period:
    """The period of the given precision that contains ``day``."""
    months = {"day": 0, "month": 1, "quarter": 3, "third": 4, "half": 6, "year": 12}[precision]
    if months == 0:
        return Period(day, day, "day")
    start_month = (day.month - 1) // months * months + 1
    first = dt.date(day.year, start_month, 1)
    # The last month's last day (day=31 clamps), so December 9999 needs no year 10000.
    last = first + relativedelta(months=months - 1, day=31)
    return Period(first, last, precision)


LAST_DAY = dt.date.max  # 9999-12-31: the calendar ends there


def shifted(day: dt.date, delta: relativedelta | dt.timedelta, what: str) -> dt.date:
    """``day + delta``, or an InputError naming ``what`` when that falls outside the
    calendar (after 9999-12-31 or before year 1)."""
    try:
        return day + delta
    except (OverflowError, ValueError):
        raise InputError(f"{what} falls beyond the calendar, which ends on "
                         f"{LAST_DAY.isoformat()}") from None


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and letters (２０２９年) to ASCII.
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".。")


def _date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(
            f"{original!r} is not a real date (year {year}, month {month}, day {day})"
        ) from None


def _month_period(year: int, month: int, original: str) -> Period:
    if not 1 <= month <= 12:
        raise InputError(f"{original!r} has no month {month}; months run 1 to 12")
    return period_containing(dt.date(year, month, 1), "month")


def _year(text: str, original: str) -> int:
    year = int(text)
    if not 1 <= year <= 9999:
        raise InputError(f"{original!r}: year {year} is out of range")
    return year


def _cn_number(text: str) -> int | None:
    """一..九十九 and Arabic digits; None if it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1 or "十" in units:  # 十十 is no number
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    if len(text) == 1:
        return _CN_DIGITS[text]
    return None


# --- absolute periods -----------------------------------------------------------------

# Patterns are kept as text and compiled by re on first use (re caches them): compiling all
# of them at import cost about 2 ms on every command, most of which never parse a date.
_ABSOLUTE: list[tuple[str, str]] = [
    (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", "ymd"),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]", "ymd"),
    (rf"({_MONTH_RE}) (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})", "mdy"),
    (rf"(\d{{1,2}}) ({_MONTH_RE}),? (\d{{4}})", "dmy"),
    (r"(\d{4})[-/](\d{1,2})", "ym"),
    (r"(\d{4})年(\d{1,2})月份?", "ym"),
    (rf"({_MONTH_RE}),? (?:of )?(\d{{4}})", "my"),
    (r"q([1-4]) ?(\d{4})", "qy"),
    (r"(\d{4}) ?-? ?q([1-4])", "yq"),
    (r"(\d{4})年第?([一二三四1-4])季度?", "yq"),
    (r"h([12]) ?(\d{4})", "hy"),
    (r"(\d{4}) ?-? ?h([12])", "yh"),
    (r"(first|second) half (?:of )?(\d{4})", "hy"),
    (r"(\d{4})年(上|下)半年", "yh"),
    (r"(early|mid|late)[- ]?(\d{4})", "third"),
    (r"(\d{4})年(初|中)", "third_cn"),
    (r"(\d{4})年?(?:底|末|内|以内|之内)", "y"),
    (r"(\d{4})年?", "y"),
]


def _absolute(text: str, original: str) -> Period | None:
    for pattern, form in _ABSOLUTE:
        m = re.fullmatch(pattern, text)
        if not m:
            continue
        g = m.groups()
        if form == "ymd":
            day = _date(_year(g[0], original), int(g[1]), int(g[2]), original)
            return Period(day, day, "day")
        if form == "mdy":
            day = _date(_year(g[2], original), _MONTHS[g[0]], int(g[1]), original)
            return Period(day, day, "day")
        if form == "dmy":
            day = _date(_year(g[2], original), _MONTHS[g[1]], int(g[0]), original)
            return Period(day, day, "day")
        if form == "ym":
            return _month_period(_year(g[0], original), int(g[1]), original)
        if form == "my":
            return _month_period(_year(g[1], original), _MONTHS[g[0]], original)
        if form in ("qy", "yq"):
            q, y = (g[0], g[1]) if form == "qy" else (g[1], g[0])
            quarter = _cn_number(q) or int(q)
            return period_containing(dt.date(_year(y, original), 3 * quarter - 2, 1), "quarter")
        if form in ("hy", "yh"):
            h, y = (g[0], g[1]) if form == "hy" else (g[1], g[0])
            month = 1 if h in ("1", "first", "上") else 7
            return period_containing(dt.date(_year(y, original), month, 1), "half")
        if form in ("third", "third_cn"):
            part, y = (g[0], g[1]) if form == "third" else (g[1], g[0])
            month = {"early": 1, "初": 1, "mid": 5, "中": 5, "late": 9}[part]
            return period_containing(dt.date(_year(y, original), month, 1), "third")
        return period_containing(dt.date(_year(g[0], original), 1, 1), "year")
    return None


def _refuse_yearless(text: str, original: str) -> None:
    if re.fullmatch(rf"(?:({_MONTH_RE}) \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}} ({_MONTH_RE}))", text) \
            or re.fullmatch(r"\d{1,2}月(\d{1,2}[日号])?", text):
        raise InputError(f"{original!r} has no year; write it in full, e.g. 2027-06-30")


def parse_period(text: str) -> Period:
    """Parse an absolute date of any precision (``made_on``, ``--on``, ``--today``)."""
    original = text
    norm = _normalise(text)
    period = _absolute(norm, original)
    if period is None:
        _refuse_yearless(norm, original)
        raise InputError(f"cannot read {original!r} as a date; accepted: {ACCEPTED_DATES}")
    return period


def parse_day(text: str) -> dt.date:
    """Parse a date that must name a single day (``--today``, ``--on``, observations)."""
    period = parse_period(text)
    if period.precision != "day":
        raise InputError(f"{text!r} is not a single day; write it as YYYY-MM-DD")
    return period.first


# --- durations ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Duration:
    """A calendar duration: whole years, months, weeks and days (``relativedelta`` parts)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    def delta(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months, weeks=self.weeks,
                             days=self.days)

    def approx_days(self) -> float:
        """Length in days with months of :data:`MEAN_MONTH_DAYS`."""
        return (self.years * 12 + self.months) * MEAN_MONTH_DAYS + self.weeks * 7 + self.days


_EN_UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "mos": "months", "mth": "months", "mths": "months",
    "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}
_CN_UNITS = {"天": "days", "日": "days", "周": "weeks", "星期": "weeks", "个星期": "weeks",
             "礼拜": "weeks", "个礼拜": "weeks", "个月": "months", "年": "years"}

_EN_DURATION = (
    r"(?:(?:with)?in |over |after |for |less than |no more than |at most )?"
    r"(?:the )?(?:next |coming )?"
    r"(\d+(?:\.\d+)?|[a-z]+) ?-?([a-z]+)"
    r"(?: from now| time| later| away)?"
)
_CN_DURATION = (
    r"(?:未来|今后|在)?([0-9]{1,3}|[零〇一二两三四五六七八九十]+)"
    r"(个星期|个礼拜|个月|星期|礼拜|天|日|周|年)(半)?(?:内|之内|以内|后|之后|以后|左右)?"
)
_CN_HALF_YEAR = r"(?:未来|今后|在)?半年(?:内|之内|以内|后|之后|以后)?"
_EN_HALF_YEAR = r"(?:(?:with)?in |after )?(?:the next )?(?:half a|a half) year"


def _duration(amount: float, unit: str, original: str) -> Duration:
    if unit == "years":
        months = amount * 12
        if months != int(months):
            raise InputError(f"{original!r}: use whole months for a fraction of a year")
        if amount != int(amount):
            return Duration(months=int(months))
        return Duration(years=int(amount))
    if amount != int(amount):
        raise InputError(f"{original!r}: only years may be fractional (1.5 years)")
    return Duration(**{unit: int(amount)})


def _parse_duration_norm(norm: str, original: str) -> Duration | None:
    if re.fullmatch(_CN_HALF_YEAR, norm) or re.fullmatch(_EN_HALF_YEAR, norm):
        return Duration(months=6)
    m = re.fullmatch(_CN_DURATION, norm)
    if m:
        amount = _cn_number(m.group(1))
        if amount is None:
            return None
        unit = _CN_UNITS[m.group(2)]
        if m.group(3):  # 一年半: a year and a half
            if unit != "years":
                return None
            return Duration(months=amount * 12 + 6)
        return _duration(amount, unit, original)
    m = re.fullmatch(_EN_DURATION, norm)
    if m and m.group(2) in _EN_UNITS:
        word = m.group(1)
        amount = float(word) if word[0].isdigit() else _EN_NUMBERS.get(word)
        if amount is None:
            return None
        return _duration(amount, _EN_UNITS[m.group(2)], original)
    return None


def parse_duration(text: str) -> Duration:
    """Parse a length of time (``30d``, ``7 months``, ``212 days``, ``三个月``)."""
    duration = _parse_duration_norm(_normalise(text), text)
    if duration is None:
        raise InputError(f"cannot read {text!r} as a duration; accepted: {ACCEPTED_DURATIONS}")
    return duration


# --- deadlines -----------------------------------------------------------------------------

_BEFORE = r"(?:before|prior to) (.+)|(.+?)(?:之前|以前|前)"
_END_OF = (
    r"(?:by|until|till|no later than|not later than|in|on|at|during|到|在|于)? ?"
    r"(?:the )?(?:end of |end-of-)?(?:the )?(.+?)(?:'s end)?"
)
_NEXT_YEARS = {"this year": 0, "今年": 0, "今年底": 0, "今年年底": 0,
               "next year": 1, "明年": 1, "明年底": 1, "明年年底": 1, "来年": 1,
               "the year after next": 2, "后年": 2, "后年底": 2}
_RELATIVE_YEAR = (
    r"(?:by |until |before |in |during )?(?:the )?(?:end of )?(?:the )?("
    + "|".join(sorted(map(re.escape, _NEXT_YEARS), key=len, reverse=True)) + ")"
)


def resolve_deadline(expression: str, made_on: Period) -> Period:
    """The deadline an expression names, for a prediction made in ``made_on``.

    Absolute expressions name a period whose last day is the deadline; relative horizons
    count from ``made_on.first`` and inherit its precision. A deadline that ends before the
    prediction was made is refused.
    """
    if not expression or not expression.strip():
        raise InputError(f"the deadline is empty; accepted: {ACCEPTED_DEADLINES}")
    norm = _normalise(expression)
    period = _deadline_period(norm, expression, made_on)
    if period.last < made_on.first:
        raise InputError(
            f"deadline {expression!r} ({period.last.isoformat()}) is before the prediction "
            f"was made ({made_on.label()})"
        )
    return period


def _deadline_period(norm: str, original: str, made_on: Period) -> Period:
    relative_year = re.fullmatch(_RELATIVE_YEAR, norm)
    if relative_year:
        offset = _NEXT_YEARS[relative_year.group(1)]
        return period_containing(dt.date(made_on.first.year + offset, 1, 1), "year")
    duration = _parse_duration_norm(norm, original)
    if duration is not None:
        anchor = shifted(made_on.first, duration.delta(), f"{original!r} from {made_on.label()}")
        return period_containing(anchor, made_on.precision)
    before = re.fullmatch(_BEFORE, norm)
    if before:
        inner = (before.group(1) or before.group(2)).strip()
        if inner.endswith("底") or inner.endswith("末"):  # 2026年底前: by the end of 2026
            target = _absolute(inner, original)
            if target is not None:
                return target
        target = _absolute(inner, original)
        if target is not None:
            return period_containing(target.first - dt.timedelta(days=1), target.precision)
    end_of = re.fullmatch(_END_OF, norm)
    if end_of:
        target = _absolute(end_of.group(1).strip(), original)
        if target is not None:
            return target
    _refuse_yearless(norm, original)
    raise InputError(f"cannot read {original!r} as a deadline; accepted: {ACCEPTED_DEADLINES}")


def decimal_year(day: dt.date) -> float:
    """year + (day of year - 1) / days in that year (SPEC section 5)."""
    days_in_year = 366 if _is_leap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days_in_year


def from_decimal_year(value: float) -> dt.date:
    """The date a decimal year falls on (inverse of :func:`decimal_year`, to the day)."""
    year = int(value // 1)
    days_in_year = 366 if _is_leap(year) else 365
    offset = round((value - year) * days_in_year)
    return dt.date(year, 1, 1) + dt.timedelta(days=min(offset, days_in_year - 1))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
