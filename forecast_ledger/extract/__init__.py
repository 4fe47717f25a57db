"""Dated claims read out of an article (SPEC §11): text in, candidate predictions out.

A sentence is a candidate when it has a horizon the date grammar reads, ending on or after
the day the statement was made, and a word that predicts (:data:`CUES`). Its claimant is
the speaker the sentence names before the horizon (else after it); a sentence that says
he, she, 他, 她 or quotes an 我 refers to the last person named; one that names no one
belongs to the last speaker of its paragraph. Nothing here reads a database or the clock:
the made date comes from the text, the caller, or the article's date line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from forecast_ledger.domain.dates import Period, period_containing, shifted
from forecast_ledger.errors import InputError
from forecast_ledger.extract import claimants as names_
from forecast_ledger.extract import horizons as horizons_
from forecast_ledger.extract import text as text_

# Words that make a sentence a prediction. 会 and 称 are cues except in the compounds
# where they mean something else (社会 society, 机会 chance, 称为 called).
CN_CUES = re.compile(r"预测|认为|预计|预言|估计|相信|表示|(?<![名对])称(?!为|号|作)|(?<!未)将|"
                     r"(?<![社机议协学国大晚聚约理体领误])会(?![议谈员场计])|有望|最迟|可能|到\d{4}年|"
                     r"(?:年|月|天|周)(?:内|之内|以内)")
EN_CUES = re.compile(r"\b(?:predicts?|predicted|expects?|expected|believes?|believed|"
                     r"forecasts?|will|won't|'ll|could|would|by|within|away|thinks?|"
                     r"estimates?|likely)\b", re.I)

TOPICS = (
    (r"奇点|singularity", "singularity"),
    (r"比最聪明的人类更聪明|smarter than (?:the smartest|any|all)|超越人类|surpass(?:es)? human",
     "ai-smarter-than-any-human"),
    (r"图灵测试|turing test", "turing-test"),
    (r"递归.{0,4}自我提升|recursive self-improvement", "recursive-self-improvement"),
    (r"\bAGI\b|通用人工智能|artificial general intelligence", "agi"),
    (r"独立(?:工作|完成)|time horizon|autonomously|on its own for", "ai-task-horizon"),
    (r"代码|\bcode\b|programm", "ai-writes-code"),
    (r"工作|失业|\bjobs?\b|employment|\bwork\b", "ai-and-work"),
)


@dataclass(frozen=True)
class Candidate:
    number: int
    sentence: str
    claimant: str | None
    horizon: str  # the expression exactly as written
    deadline: Period
    made_on: Period
    topic: str | None

    def to_dict(self) -> dict:
        return {"number": self.number, "claimant": self.claimant, "horizon": self.horizon,
                "deadline": self.deadline.last.isoformat(),
                "deadline_precision": self.deadline.precision,
                "made_on": self.made_on.first.isoformat(),
                "made_precision": self.made_on.precision, "topic": self.topic,
                "sentence": self.sentence}


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None


def read_article(raw: str) -> Article:
    """Plain text as it is; an HTML page reduced to its text (one paragraph per line)."""
    if text_.looks_like_html(raw):
        text, title = text_.html_to_text(raw)
        return Article(text, title)
    first = next((line.strip() for line in raw.splitlines() if line.strip()), None)
    return Article(raw, first[:200] if first else None)


def extract(text: str, *, made: dt.date | None = None, known: Iterable[str] = (),
            topics: Iterable[str] = (), lang: str | None = None) -> list[Candidate]:
    """The candidate predictions of an article's text.

    A sentence's statement counts from the date the text gives for it ("on Tuesday Jan
    20", "周四（22日）", a section headed 两年前), else from ``made`` (the day the article's
    statements were made, as the user knows it), else from the article's date line; with
    none of them a relative horizon cannot be read, and InputError asks for ``made``.
    ``known`` are claimant names the ledger already has; ``topics`` its topics (suggested
    when a sentence names one); ``lang`` (zh or en) reads only that language's cue
    words."""
    names = names_.Names(known)
    known_topics = [t for t in topics if t]
    published = text_.article_date(text)
    base = made or published
    out: list[Candidate] = []
    last_person: str | None = None
    paragraph_speaker: tuple[int, str] | None = None
    section_made: tuple[int, Period] | None = None
    needs_date = False
    for sentence in text_.sentences(text):
        mentions = names.mentions(sentence.text)
        ago = text_.years_ago(sentence.text)
        if ago is not None and base is not None and text_.SECTION.match(sentence.text):
            # a heading such as 一、两年前的一个预言: its section speaks of that year
            section_made = (sentence.section, period_containing(
                shifted(base, relativedelta(years=-ago), sentence.text), "year"))
        made_on = _made_on(sentence, base, section_made)
        if made_on is None:
            if horizons_.horizons(sentence.text, period_containing(dt.date(1, 1, 1), "day")):
                needs_date = True
        elif _predicts(sentence.text, lang):
            for horizon in horizons_.horizons(sentence.text, made_on):
                speaker = _speaker(sentence, mentions, horizon, last_person, paragraph_speaker)
                out.append(Candidate(len(out) + 1, sentence.text, speaker, horizon.expression,
                                     horizon.deadline, made_on,
                                     _topic(sentence.text, known_topics)))
        for mention in mentions:
            paragraph_speaker = (sentence.paragraph, mention.name)
            if mention.person:
                last_person = mention.name
                names.learn(mention.name)
    if needs_date and not out and base is None:
        raise InputError("the text gives no date for its statements (no date line such as "
                         "'PUBLISHED: 2026-01-22' or '发布于 2026年1月22日'): give the day they "
                         "were made", options=("made",))
    return out


def _made_on(sentence: text_.Sentence, base: dt.date | None,
             section_made: tuple[int, Period] | None) -> Period | None:
    if base is None:
        return None
    said = horizons_.statement_day(sentence.text, base)
    if said is not None:
        return period_containing(said, "day")
    if section_made is not None and section_made[0] == sentence.section:
        return section_made[1]
    return period_containing(base, "day")


def _predicts(sentence: str, lang: str | None) -> bool:
    return bool(lang != "en" and CN_CUES.search(sentence)
                or lang != "zh" and EN_CUES.search(sentence))


def _speaker(sentence: text_.Sentence, mentions: list[names_.Mention], horizon,  # noqa: ANN001
             last_person: str | None, paragraph_speaker: tuple[int, str] | None) -> str | None:
    before = [m for m in mentions if m.end <= horizon.start]
    after = [m for m in mentions if m.start >= horizon.end]
    for group, pick in ((before, -1), (after, 0)):  # a person before an organisation
        people = [m for m in group if m.person]
        if people or group:
            return (people or group)[pick].name
    if names_.refers_back(sentence.text) and last_person:
        return last_person
    if paragraph_speaker and paragraph_speaker[0] == sentence.paragraph:
        return paragraph_speaker[1]
    return last_person if names_.refers_back(sentence.text) else None


def _topic(sentence: str, known: list[str]) -> str | None:
    lowered = sentence.lower()
    for topic in known:
        words = [w for w in re.split(r"[-_ ]+", topic.lower()) if len(w) > 2]
        if words and all(w in lowered for w in words):
            return topic
    for pattern, topic in TOPICS:
        if re.search(pattern, sentence, re.I):
            return topic
    return None
