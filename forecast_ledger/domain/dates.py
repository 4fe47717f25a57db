"""Dates, periods and horizons: the grammar of SPEC section 3, in English and Chinese.

A date a user types has a *precision*: "2029" is a year, "Q3 2027" a quarter. We keep it as a
:class:`Period` (first day, last day, precision). A ``made_on`` counts from its first day; a
deadline is its last day. Relative horizons ("within 12 months", "三年内") count from
``made_on`` with dateutil's calendar arithmetic and inherit ``made_on``'s precision.

The grammar is tables, not branches: numbers (``NUMBER_WORDS``, ``CN_DIGITS``), units of
time (``UNITS``), named periods relative to the made date (``RELATIVE_PERIODS``), absolute
forms (``ABSOLUTE``) and vague words that are refused (``VAGUE``). A new way of writing a
date is a row in one of them. Every phrase is read right or refused — a guess is a bug.

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

PRECISIONS = ("day", "month", "quarter", "half", "third", "year", "decade")
MEAN_MONTH_DAYS = 30.436875  # the mean Gregorian month: 365.2425 / 12
LAST_DAY = dt.date.max  # 9999-12-31: the calendar ends there

ACCEPTED_DATES = (
    "2027-05-10, 2027-05, May 2027, 2027年5月, Q3 2027, 2027-Q3, 2029, 2029年"
)
ACCEPTED_DURATIONS = "30d, 2 weeks, 6 months, 7 months, 212 days, 1.5 years, 三个月, 半年"

# Forms shown in messages, and searched for the one nearest to a refused phrase.
EXAMPLES = (
    "2027-05-10", "2027-05", "May 2027", "Sept. 2027", "2027年5月", "Q3 2027", "Q3 of 2027",
    "2027-Q3", "2027年第三季度", "2029", "2029年", "the 2030s", "2030年代", "end of 2026",
    "by end-2026", "EOY 2026", "before the end of 2026", "2026年底", "before 2030",
    "2030年前", "H2 2027", "2027年下半年", "early 2028", "mid 2027", "late 2027",
    "by the middle of 2027", "12 months", "within 12 months", "in 3 years", "18mo", "3y",
    "90 days", "2 weeks", "a fortnight", "half a year", "within fifteen years",
    "in two years' time", "within a decade", "3-5 years", "next year", "next month",
    "next quarter", "end of this year", "end of the decade", "within the next year",
    "before next year", "三年内", "3年内", "12个月内", "未来12个月内", "两年内", "两三年内",
    "3到5年", "十年内", "半年", "五年后", "明年", "后年", "年底", "年内", "今年年底前",
    "明年底", "下个月", "月底前", "下半年",
)
ACCEPTED_DEADLINES = ", ".join(EXAMPLES[:30]) + " …"

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
# A month name, abbreviated with or without a dot (Sept. 2027).
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

# --- numbers ----------------------------------------------------------------------------------

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12,
}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}

# A number as written: digits (1.5), English words (twenty-four, a dozen), Chinese (十二).
_NUM = (r"(\d+(?:\.\d+)?|a dozen|[a-z]+(?:[- ][a-z]+)?|[零〇一二两三四五六七八九十]+)")


def _en_number(text: str) -> int | None:
    """one … ninety-nine, a, an, a dozen; None for anything else."""
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        tens, units = NUMBER_WORDS[parts[0]], NUMBER_WORDS[parts[1]]
        if tens % 10 == 0 and tens >= 20 and 1 <= units <= 9 and parts[1] not in ("a", "an"):
            return tens + units
    return None


def _cn_number(text: str) -> int | None:
    """一..九十九 and Arabic digits; None if it is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1 or "十" in units:  # 十十 is no number
            return None
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)
    if len(text) == 1:
        return CN_DIGITS[text]
    return None


def _number(text: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    value = _en_number(text)
    return float(value) if value is not None else (
        None if (n := _cn_number(text)) is None else float(n))


# --- units of time ----------------------------------------------------------------------------

# unit word -> (Duration field, how many of it)
UNITS = {
    **dict.fromkeys(("d", "day", "days", "天", "日"), ("days", 1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "周", "星期", "个星期", "礼拜",
                     "个礼拜"), ("weeks", 1)),
    **dict.fromkeys(("fortnight", "fortnights"), ("weeks", 2)),
    **dict.fromkeys(("m", "mo", "mos", "mth", "mths", "month", "months", "个月"),
                    ("months", 1)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years", "年"), ("years", 1)),
    **dict.fromkeys(("decade", "decades"), ("years", 10)),
}
_EN_UNIT = "(" + "|".join(sorted((u for u in UNITS if u.isascii()), key=len, reverse=True)) \
    + ")"
_CN_UNIT = "(" + "|".join(sorted((u for u in UNITS if not u.isascii()), key=len,
                                 reverse=True)) + ")"

_EN_BEFORE = (r"(?:(?:with)?in|over|after|for|less than|no more than|at most|up to|"
              r"in less than|within less than)?")
_EN_AFTER = r"(?: from now| later| away| or so| or less|'s time|' time| time)*"
_CN_BEFORE = r"(?:未来|今后|在|接下来的?|再过|之后的?)?"
_CN_AFTER = r"(?:内|之内|以内|后|之后|以后|左右)?"

# (pattern, kind): each duration form; groups are numbers and a unit.
DURATIONS: list[tuple[str, str]] = [
    (_CN_BEFORE + r"半年" + _CN_AFTER, "half-year"),
    (_EN_BEFORE + r" ?(?:the next |the coming )?(?:half a|a half|half) year" + _EN_AFTER,
     "half-year"),
    # ranges take the later bound: 3-5 years, 3 to 5 years, 3到5年, 两三年
    (_EN_BEFORE + r" ?(?:from )?(?:the next )?" + _NUM + r" ?(?:-|–|to|or) ?" + _NUM + r" ?-?"
     + _EN_UNIT + _EN_AFTER, "range"),
    (_CN_BEFORE + r"(\d{1,3}|[一二两三四五六七八九十]+) ?(?:到|至|-|–|~) ?"
     r"(\d{1,3}|[一二两三四五六七八九十]+)" + _CN_UNIT + _CN_AFTER, "range"),
    (_CN_BEFORE + r"([一二两三四五六七八])([二三四五六七八九])" + _CN_UNIT + _CN_AFTER,
     "adjacent"),
    (_CN_BEFORE + r"([二三四五六七八])([三四五六七八九])十" + _CN_UNIT + _CN_AFTER,
     "adjacent-tens"),
    # within the next year, in a decade, over the coming month: one unit
    (r"(?:(?:with)?in|over|during) (?:the )?(?:next|coming|following) " + _EN_UNIT
     + _EN_AFTER, "one"),
    # at most three digits: a four-digit number before 年 is a year (2029年), never a duration
    (_CN_BEFORE + r"(\d{1,3}|[零〇一二两三四五六七八九十]+)" + _CN_UNIT + r"(半)?" + _CN_AFTER,
     "cn"),
    # "about fifty years": a number said loosely is still that number
    (_EN_BEFORE + r" ?(?:the )?(?:next |coming |following )?(?:about |around |roughly |"
     r"approximately )?" + _NUM + r" ?-?" + _EN_UNIT + _EN_AFTER, "en"),
]

# --- vague horizons: refused with a request for a number ------------------------------------

VAGUE = re.compile(
    r"\b(soon|shortly|eventually|someday|some day|one day|in the future|a few|few|several|"
    r"some|a couple|couple|many|coming decades|coming years|near future|not long|"
    r"any day|before long)\b|几|数年|数十|数月|若干|不久|很快|将来|多年|十几|二十几|不远")


def _refuse_vague(norm: str, original: str) -> None:
    if VAGUE.search(norm):
        raise InputError(f"{original!r} is vague: give a number, e.g. 'within 3 years', "
                         "'by 2030' or '三年内'")


# --- periods ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A span of the calendar a user named: ``first``..``last`` inclusive, with a precision."""

    first: dt.date
    last: dt.date
    precision: str

    def label(self) -> str:
        """How the period is shown: 2027-05-10, 2027-05, 2027-Q3, 2027-H2, late 2027, 2029,
        2030s."""
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
        if self.precision == "decade":
            return f"{d.year:04d}s"
        return f"{d.year:04d}"


_PERIOD_MONTHS = {"day": 0, "month": 1, "quarter": 3, "third": 4, "half": 6, "year": 12,
                  "decade": 120}


@lru_cache(maxsize=65_536)  # rows repeat dates; this runs for every row read
def period_containing(day: dt.date, precision: str) -> Period:
    """The period of the given precision that contains ``day``."""
    months = _PERIOD_MONTHS[precision]
    if months == 0:
        return Period(day, day, "day")
    if precision == "decade":
        first = dt.date(max(1, day.year // 10 * 10), 1, 1)
        return Period(first, dt.date(day.year // 10 * 10 + 9, 12, 31), "decade")
    start_month = (day.month - 1) // months * months + 1
    first = dt.date(day.year, start_month, 1)
    # The last month's last day (day=31 clamps), so December 9999 needs no year 10000.
    last = first + relativedelta(months=months - 1, day=31)
    return Period(first, last, precision)


def shifted(day: dt.date, delta: relativedelta | dt.timedelta, what: str) -> dt.date:
    """``day + delta``, or an InputError naming ``what`` when that falls outside the
    calendar (after 9999-12-31 or before year 1)."""
    try:
        return day + delta
    except (OverflowError, ValueError):
        if _backward(delta):
            raise InputError(f"{what} falls before the calendar, which begins on "
                             f"{dt.date.min.isoformat()}") from None
        raise InputError(f"{what} falls beyond the calendar, which ends on "
                         f"{LAST_DAY.isoformat()}") from None


def _backward(delta: relativedelta | dt.timedelta) -> bool:
    if isinstance(delta, dt.timedelta):
        return delta < dt.timedelta(0)
    return (delta.years * 12 + delta.months, delta.days) < (0, 0)


def _next_period(period: Period, count: int, what: str) -> Period:
    """The period ``count`` periods of the same precision after ``period``."""
    months = _PERIOD_MONTHS[period.precision] * count
    return period_containing(shifted(period.first, relativedelta(months=months), what),
                             period.precision)


def _normalise(text: str) -> str:
    # NFKC folds full-width digits and letters (２０２９年) to ASCII; curly quotes to straight.
    text = unicodedata.normalize("NFKC", text).strip().lower().replace("’", "'")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([\u3000-\u9fff])\s*", r"\1", text)  # 2030 年 → 2030年
    return text.rstrip(".。")


def _date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputError(
            f"{original!r} is not a real date (year {year}, month {month}, day {day})"
        ) from None


def _year(text: str, original: str) -> int:
    year = int(text)
    if not 1 <= year <= 9999:
        raise InputError(f"{original!r}: year {year} is out of range (1 to 9999)")
    return year


def _month_period(year: int, month: int, original: str) -> Period:
    if not 1 <= month <= 12:
        raise InputError(f"{original!r} has no month {month}; months run 1 to 12")
    return period_containing(dt.date(year, month, 1), "month")


_QUARTER_WORDS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4,
                  "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                  "3rd": 3, "4th": 4}
_QUARTER = r"(1st|2nd|3rd|4th|first|second|third|fourth)"

# (pattern, form): absolute periods, tried in order. Patterns are kept as text and compiled
# by re on first use (re caches them): compiling all at import cost 2 ms on every command.
ABSOLUTE: list[tuple[str, str]] = [
    (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", "ymd"),
    (r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]", "ymd"),
    (_MONTH + r" (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", "mdy"),
    (r"(\d{1,2}) " + _MONTH + r",? (\d{4})", "dmy"),
    (r"(\d{4})[-/](\d{1,2})", "ym"),
    (r"(\d{4})年(\d{1,2})月份?", "ym"),
    (_MONTH + r",? (?:of )?(\d{4})", "my"),
    (r"q([1-4]) ?(?:of )?(\d{4})", "qy"),
    (_QUARTER + r" quarter (?:of )?(\d{4})", "qy"),
    (r"(\d{4}) ?-? ?q([1-4])", "yq"),
    (r"(\d{4})年?q([1-4])", "yq"),
    (r"(\d{4})年第?([一二三四1-4])季度?", "yq"),
    (r"h([12]) ?(?:of )?(\d{4})", "hy"),
    (r"(\d{4}) ?-? ?h([12])", "yh"),
    (r"(first|second) half (?:of )?(\d{4})", "hy"),
    (r"(\d{4})年(上|下)半年", "yh"),
    (r"(early|mid|late)[- ]?(?:of )?(\d{4})", "third"),
    (r"(?:the )?(beginning|middle|end) of (\d{4})", "third_words"),
    (r"(\d{4})年(初|中)", "third_cn"),
    (r"(?:the )?(\d{3}0)'?s", "decade"),
    (r"(\d{3}0)年代", "decade"),
    (r"(\d{4})年?(?:年底|年末|年内|底|末|内|以内|之内)", "y"),
    (r"(\d{4}) ?(?:-|–|to|到|至) ?(\d{4})年?", "year-range"),
    (r"(\d{4})年?", "y"),
]


def _absolute(text: str, original: str) -> Period | None:
    for pattern, form in ABSOLUTE:
        m = re.fullmatch(pattern, text)
        if m:
            return _absolute_form(form, m.groups(), original)
    return None


def _absolute_form(form: str, g: tuple, original: str) -> Period | None:  # noqa: PLR0911
    if form == "ymd":
        day = _date(_year(g[0], original), int(g[1]), int(g[2]), original)
        return Period(day, day, "day")
    if form in ("mdy", "dmy"):
        month, day_text = (g[0], g[1]) if form == "mdy" else (g[1], g[0])
        day = _date(_year(g[2], original), _MONTHS[month], int(day_text), original)
        return Period(day, day, "day")
    if form == "ym":
        return _month_period(_year(g[0], original), int(g[1]), original)
    if form == "my":
        return _month_period(_year(g[1], original), _MONTHS[g[0]], original)
    if form in ("qy", "yq"):
        q, y = (g[0], g[1]) if form == "qy" else (g[1], g[0])
        quarter = _QUARTER_WORDS[q]
        return period_containing(dt.date(_year(y, original), 3 * quarter - 2, 1), "quarter")
    if form in ("hy", "yh"):
        h, y = (g[0], g[1]) if form == "hy" else (g[1], g[0])
        month = 1 if h in ("1", "first", "上") else 7
        return period_containing(dt.date(_year(y, original), month, 1), "half")
    if form in ("third", "third_words", "third_cn"):
        part, y = (g[1], g[0]) if form == "third_cn" else (g[0], g[1])
        if part == "end":  # "the end of 2027" is the year's end, not its last third
            return period_containing(dt.date(_year(y, original), 1, 1), "year")
        month = {"early": 1, "beginning": 1, "初": 1, "mid": 5, "middle": 5, "中": 5,
                 "late": 9}[part]
        return period_containing(dt.date(_year(y, original), month, 1), "third")
    if form == "decade":
        return period_containing(dt.date(_year(g[0], original), 1, 1), "decade")
    if form == "year-range":
        first, last = _year(g[0], original), _year(g[1], original)
        if last <= first:
            return None
        return period_containing(dt.date(last, 1, 1), "year")
    return period_containing(dt.date(_year(g[0], original), 1, 1), "year")


# --- periods named relative to the made date -------------------------------------------------

# phrase -> (precision, how many periods after the made date's)
RELATIVE_PERIODS = {
    **dict.fromkeys(("this year", "the year", "year", "the current year", "今年", "本年", "年"),
                    ("year", 0)),
    **dict.fromkeys(("next year", "明年", "来年"), ("year", 1)),
    **dict.fromkeys(("the year after next", "后年"), ("year", 2)),
    **dict.fromkeys(("last year", "去年"), ("year", -1)),
    **dict.fromkeys(("this month", "the month", "month", "本月", "这个月", "月"), ("month", 0)),
    **dict.fromkeys(("next month", "下个月", "下月"), ("month", 1)),
    **dict.fromkeys(("this quarter", "the quarter", "quarter", "本季度", "这个季度"),
                    ("quarter", 0)),
    **dict.fromkeys(("next quarter", "下季度", "下个季度"), ("quarter", 1)),
    **dict.fromkeys(("this decade", "the decade", "decade"), ("decade", 0)),
    **dict.fromkeys(("next decade",), ("decade", 1)),
    **dict.fromkeys(("上半年", "今年上半年"), ("half-1", 0)),
    **dict.fromkeys(("下半年", "今年下半年"), ("half-2", 0)),
    **dict.fromkeys(("明年上半年",), ("half-1", 1)),
    **dict.fromkeys(("明年下半年",), ("half-2", 1)),
}
CN_ENDS = ("年底", "年末", "年内", "月底", "月末", "底", "末", "以内", "之内", "内")
_CN_END = "(?:" + "|".join(CN_ENDS) + ")"


def _relative(text: str, made_on: Period, original: str) -> Period | None:
    """A period named relative to the made date (next year, 下个月, 明年底)."""
    text = re.sub(r"^(?:within |during |in )(?=th)", "", text)
    if not text.isascii():  # 明年底, 今年内, 年底 (this year's end), 月底: the period's end
        for end in CN_ENDS:
            if text.endswith(end) and (text[:-len(end)] in RELATIVE_PERIODS or
                                       text == end):
                text = text[:-len(end)] or ("月" if end.startswith("月") else "年")
                break
    if text not in RELATIVE_PERIODS:
        return None
    precision, offset = RELATIVE_PERIODS[text]
    if precision.startswith("half"):
        year = made_on.first.year + offset
        return period_containing(dt.date(year, 1 if precision == "half-1" else 7, 1), "half")
    base = period_containing(made_on.first, precision)
    return _next_period(base, offset, repr(original))


def _period(text: str, made_on: Period, original: str) -> Period | None:
    """An absolute period or one named relative to the made date."""
    return _absolute(text, original) or _relative(text, made_on, original)


# --- durations --------------------------------------------------------------------------------

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


def _duration(amount: float, unit: str, original: str) -> Duration:
    field, per = UNITS[unit]
    amount *= per
    if field == "years":
        months = amount * 12
        if months != int(months):
            raise InputError(f"{original!r}: use whole months for a fraction of a year")
        if amount != int(amount):
            return Duration(months=int(months))
        return Duration(years=int(amount))
    if amount != int(amount):
        raise InputError(f"{original!r}: only years may be fractional (1.5 years)")
    return Duration(**{field: int(amount)})


def _parse_duration_norm(norm: str, original: str) -> Duration | None:
    for pattern, kind in DURATIONS:
        m = re.fullmatch(pattern, norm)
        if m is not None:
            duration = _duration_form(kind, m.groups(), original)
            if duration is not None:
                return duration
    return None


def _duration_form(kind: str, g: tuple, original: str) -> Duration | None:  # noqa: PLR0911
    """One matched duration form; None when its numbers do not read (twenty-four is no range
    of twenty to four), so the next form is tried."""
    if kind == "half-year":
        return Duration(months=6)
    if kind == "one":
        return _duration(1, g[0], original)
    if kind == "range":
        low, high = _number(g[0]), _number(g[1])
        if low is None or high is None or high <= low:
            return None
        return _duration(high, g[2], original)
    if kind in ("adjacent", "adjacent-tens"):
        low, high = CN_DIGITS[g[0]], CN_DIGITS[g[1]]
        if high != low + 1 and (low, high) != (3, 5):  # 两三, 三四 … and 三五
            return None
        return _duration(high * (10 if kind == "adjacent-tens" else 1), g[2], original)
    if kind == "cn":
        amount = _cn_number(g[0])
        if amount is None:
            return None
        if g[2]:  # 一年半: a year and a half
            if UNITS[g[1]][0] != "years":
                return None
            return Duration(months=amount * 12 + 6)
        return _duration(amount, g[1], original)
    amount = _number(g[0])
    return None if amount is None else _duration(amount, g[1], original)


def parse_duration(text: str) -> Duration:
    """Parse a length of time (``30d``, ``7 months``, ``212 days``, ``三个月``)."""
    duration = _parse_duration_norm(_normalise(text), text)
    if duration is None:
        raise InputError(f"cannot read {text!r} as a duration; accepted: {ACCEPTED_DURATIONS}")
    return duration


# --- absolute dates ---------------------------------------------------------------------------

def _refuse_yearless(text: str, original: str) -> None:
    if re.fullmatch(_MONTH + r" \d{1,2}(?:st|nd|rd|th)?|\d{1,2} " + _MONTH, text) \
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


# --- deadlines --------------------------------------------------------------------------------

# "by", "until" … add nothing: a deadline is the last day on which a claim can come true.
_BY = r"^(?:by|until|till|no later than|not later than|in|on|at|during|到|在|于)? ?(?:the )?"
_END_OF = r"(?:end[- ]?of[- ]?|eoy[- ]?|year[- ]end[- ]?|end-)(?:the )?"
_BEFORE = r"(?:before|prior to|ahead of) (?:the )?(.+)|(.+?)(?:之前|以前|前)"


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
            f"was made ({made_on.label()}): that period had already ended"
        )
    return period


def _deadline_period(norm: str, original: str, made_on: Period) -> Period:
    _refuse_vague(norm, original)
    if re.fullmatch(r"by (?:the )?\d{3}0'?s", norm):
        raise InputError(f"{original!r} may mean the start of that decade or its end; write "
                         "'before 2030' or 'the 2030s'")
    end_of = re.fullmatch(r"(?:before |by |until )?(?:the )?" + _END_OF + r"(.+)", norm)
    if end_of:  # before the end of 2026, by end-2026, EOY 2026: that period's last day
        target = _period(end_of.group(1).strip(), made_on, original)
        if target is not None:
            return target
    before = re.fullmatch(_BEFORE, norm)
    if before:
        inner = (before.group(1) or before.group(2)).strip()
        if re.search(_CN_END + "$", inner):  # 2026年底前: by the end of 2026
            target = _period(inner, made_on, original)
            if target is not None:
                return target
        target = _period(inner, made_on, original)
        if target is not None:  # before 2030: the period of the same kind that ends first
            return period_containing(shifted(target.first, dt.timedelta(days=-1),
                                             repr(original)), target.precision)
    duration = _parse_duration_norm(norm, original)
    if duration is not None:
        anchor = shifted(made_on.first, duration.delta(), f"{original!r} from {made_on.label()}")
        return period_containing(anchor, made_on.precision)
    inner = re.sub(_BY, "", norm).strip()
    target = _period(inner, made_on, original) or _period(norm, made_on, original)
    if target is not None:
        return target
    _refuse_yearless(inner, original)
    raise InputError(f"cannot read {original!r} as a deadline{_nearest(norm)}; accepted: "
                     f"{ACCEPTED_DEADLINES}")


def _nearest(norm: str) -> str:
    import difflib  # only when a phrase is refused: not on every start

    close = difflib.get_close_matches(norm, [e.lower() for e in EXAMPLES], n=1, cutoff=0.5)
    return f" (did you mean '{EXAMPLES[[e.lower() for e in EXAMPLES].index(close[0])]}'?)" \
        if close else ""


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
