"""Finding horizons in running text with the date grammar itself.

A span of a sentence is a horizon when ``domain.dates.resolve_deadline`` reads it. Spans
are made of the grammar's own vocabulary (the words and characters of its tables and
patterns), so every form the grammar learns is found in text too, and the grammar alone
decides what a span means. A span must hold an anchor (a number, or a word that names a
period, such as 明年 or "next year"): a lone 年 is not a horizon.

Refused by the scanner, though the grammar reads them: a rate (每半年, "every four months":
how fast, not by when), a span that is the subject of a sentence about that year (2026年
将会是疯狂的一年), an age (今年25岁), and a date the text says need not be waited for
(不需要等到明年). Ranges joined by or/to/、/最迟 take the later bound.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from forecast_ledger.domain import dates as grammar
from forecast_ledger.domain.dates import Period, resolve_deadline
from forecast_ledger.errors import InputError

TOKEN = re.compile(r"[A-Za-z]+(?:'s)?|\d+(?:\.\d+)?|\S")
CN_NUMERALS = set("零〇一二两三四五六七八九十半")


@functools.cache
def _vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(CJK characters, English words, anchor words) of the date grammar's tables and
    patterns."""
    texts: list[str] = [*grammar.EXAMPLES, *grammar.NUMBER_WORDS, *grammar.CN_DIGITS,
                        *grammar.UNITS, *grammar.RELATIVE_PERIODS, *grammar.CN_ENDS,
                        *grammar._MONTHS, *grammar._QUARTER_WORDS]
    patterns = [grammar._EN_BEFORE, grammar._EN_AFTER, grammar._CN_BEFORE, grammar._CN_AFTER,
                grammar._BY, grammar._END_OF, grammar._BEFORE,
                *(p for p, _ in grammar.ABSOLUTE), *(p for p, _ in grammar.DURATIONS)]
    cjk = {ch for text in texts + patterns for ch in text if not ch.isascii()}
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]+", text)}
    # words spelled out in the patterns (a regex's own letters, \d \s, are one letter long)
    words |= {w for p in patterns for w in re.findall(r"[a-z]{2,}", p)}
    anchors = {w for w in words if w in grammar.NUMBER_WORDS or w in (
        "next", "this", "decade", "decades", "fortnight", "q1", "q2", "q3", "q4", "h1", "h2",
        "eoy")} | {m for m in grammar._MONTHS}
    anchors |= {k for k in (*grammar.RELATIVE_PERIODS, *grammar.CN_ENDS)
                if len(k) >= 2 and not k.isascii()}
    return frozenset(cjk), frozenset(words), frozenset(anchors)


@dataclass(frozen=True)
class Horizon:
    start: int  # offsets in the sentence
    end: int
    expression: str  # exactly as written
    deadline: Period


def horizons(sentence: str, made_on: Period) -> list[Horizon]:
    """Every horizon in ``sentence`` that ends on or after ``made_on``, left to right;
    ranges merged to their later bound."""
    tokens = [m for m in TOKEN.finditer(sentence)]
    found: list[Horizon] = []
    i = 0
    while i < len(tokens):
        if not _usable(tokens[i].group()):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _usable(tokens[j + 1].group()) and \
                _adjacent(sentence, tokens[j], tokens[j + 1]):
            j += 1
        found += _read_run(sentence, tokens[i:j + 1], made_on)
        i = j + 1
    return _merge_ranges(sentence, [h for h in found if not _refused(sentence, h)])


def _usable(token: str) -> bool:
    cjk, words, _ = _vocabulary()
    if token[0].isdigit():
        return True
    if token.isascii() and token.isalpha():
        return token.lower() in words
    return token in cjk or token in "-–'."


def _adjacent(text: str, a: re.Match, b: re.Match) -> bool:
    gap = text[a.end():b.start()]
    return gap == "" or (gap == " " and (a.group().isascii() or b.group().isascii()))


def _read_run(sentence: str, run: list[re.Match], made_on: Period) -> list[Horizon]:
    """The longest readable spans of a run of vocabulary tokens, left to right."""
    out: list[Horizon] = []
    i = 0
    while i < len(run):
        for j in range(min(len(run), i + 14) - 1, i - 1, -1):
            if not _word(run[i].group()) or not _word(run[j].group()):
                continue  # a span begins and ends with a word, not with . - '
            start, end = run[i].start(), run[j].end()
            text = sentence[start:end]
            if not _anchored(text):
                continue
            try:
                period = resolve_deadline(text, made_on)
            except InputError:
                continue
            out.append(Horizon(start, end, text, period))
            i = j
            break
        i += 1
    return out


def _word(token: str) -> bool:
    return token[0].isalnum()


def _anchored(text: str) -> bool:
    _, _, anchors = _vocabulary()
    if any(ch.isdigit() or ch in CN_NUMERALS for ch in text):
        return True
    lowered = text.lower()
    return any(a in lowered if not a.isascii() else re.search(rf"\b{a}\b", lowered)
               for a in anchors)


RATE_BEFORE = re.compile(r"(每|\bevery|\beach|\bper)\s*$", re.I)
SUBJECT_AFTER = re.compile(r"^\s*[\"'“”‘’「」『』]?\s*(?:很可能|可能|将会|将|会|也)?(?:是|成为)")
AGE_AFTER = re.compile(r"^\s*\d+\s*岁")
NEED_NOT_WAIT = re.compile(r"(不需要|不用|不必|无需|用不着)(?:再)?等(?:到)?\s*$")
# A length of something, not a time by which: 疯狂的一年, 长达一个月的项目, a two-year plan.
# ... or a time ago (两年前, two years ago), or one day in particular (这一天之内).
LENGTH_BEFORE = re.compile(r"(的|长达|为期|历时|持续|耗时|这|那|lasting|long|this|that)\s*$",
                           re.I)
LENGTH_AFTER = re.compile(r"^\s*(的|前|以前|之前|-long|-old|\s+old\b|\s+ago\b)", re.I)


def _refused(sentence: str, h: Horizon) -> bool:
    before, after = sentence[:h.start], sentence[h.end:]
    if re.fullmatch(r"\d{1,2}\s*[日号]", h.expression):  # 周四（22日）: when it was said
        return True
    if RATE_BEFORE.search(before):
        return True
    if h.deadline.precision == "year" and SUBJECT_AFTER.match(after) \
            and re.search(r"\d{4}\s*年?$|今年$|明年$", h.expression):
        return True
    if AGE_AFTER.match(after):
        return True
    if _is_duration(h.expression) and (LENGTH_BEFORE.search(before) or LENGTH_AFTER.match(after)):
        return True
    return bool(NEED_NOT_WAIT.search(before))


def _is_duration(expression: str) -> bool:
    try:
        grammar.parse_duration(expression)
    except InputError:
        return False
    return True


RANGE_JOIN = re.compile(r"^\s*[,，、]?\s*(?:or(?: at the latest)?|to|-|–|或者?|到|至|最迟|至迟|"
                        r"最晚)?\s*$", re.I)


def _merge_ranges(sentence: str, found: list[Horizon]) -> list[Horizon]:
    merged: list[Horizon] = []
    for h in found:
        gap = sentence[merged[-1].end:h.start] if merged else ""
        if merged and gap.strip() and RANGE_JOIN.match(gap):
            first = merged.pop()
            later = h if h.deadline.last >= first.deadline.last else first
            merged.append(Horizon(first.start, h.end, sentence[first.start:h.end],
                                  later.deadline))
        else:
            merged.append(h)
    return merged


def statement_day(text: str, around: dt.date) -> dt.date | None:
    """A date a sentence gives for when something was said: "on Tuesday Jan 20",
    "on January 20", "周四（22日）", "22日" — in the month (or year) of ``around``."""
    m = re.search(r"\bon (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
                  r"([a-z]+)\.? (\d{1,2})\b", text, re.I)
    if m and m.group(1).lower().rstrip(".") in grammar._MONTHS:
        month = grammar._MONTHS[m.group(1).lower().rstrip(".")]
        return _safe_day(around.year, month, int(m.group(2)))
    m = re.search(r"(?:周|星期)[一二三四五六日天]\s*[（(]\s*(\d{1,2})\s*日\s*[）)]", text)
    if m:
        return _safe_day(around.year, around.month, int(m.group(1)))
    return None


def _safe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
