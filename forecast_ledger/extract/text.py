"""An article as paragraphs and sentences, with the dates it gives for itself."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from forecast_ledger.domain import dates as grammar

BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
          "section", "article", "header", "footer", "title", "pre", "ul", "ol", "table"}
SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        if tag == "title":
            self.in_title = True
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self.in_title = False
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(<!doctype html|<html|<head|<body|<p[ >]|<div[ >])", text, re.I))


def html_to_text(html: str) -> tuple[str, str | None]:
    """(the page's text, one paragraph per line; its <title>)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.parts))
    text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
    title = " ".join("".join(parser.title).split()) or None
    return text, title


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    section: int


# Chinese sentences end at 。！？ (with any closing quotes); English ones at . ! ? before a
# space and a capital, unless the word before is an abbreviation.
CN_SENTENCE = re.compile(r"[^。！？!?；]*(?:[。！？!?]+[”’\"」』）)]*|$)")
ABBREVIATIONS = re.compile(r"\b(?:Dr|Mr|Ms|Mrs|Prof|Sr|Jr|St|vs|etc|e\.g|i\.e|U\.S|Inc|Ltd|"
                           r"Co|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")
SECTION = re.compile(r"^(?:[一二三四五六七八九十]+、|#+\s|第[一二三四五六七八九十]+[章节部分])")


def sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    section = 0
    for number, paragraph in enumerate(p.strip() for p in text.split("\n")):
        if not paragraph:
            continue
        if SECTION.match(paragraph):
            section += 1
        for piece in CN_SENTENCE.findall(paragraph):
            for sentence in _english(piece):
                if sentence.strip():
                    out.append(Sentence(sentence.strip(), number, section))
    return out


def _english(piece: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?][\"”’)]?\s+(?=[\"“(]?[A-Z])", piece):
        if ABBREVIATIONS.search(piece[start:m.start() + 1]):
            continue
        parts.append(piece[start:m.end()])
        start = m.end()
    parts.append(piece[start:])
    return parts


PUBLISHED = re.compile(r"^\s*(?:published|posted|date|updated|发布于|发布时间|发表于|日期|时间)"
                       r"\s*[:：]?\s*(.+?)\s*$", re.I | re.M)


def article_date(text: str) -> dt.date | None:
    """The date a line such as ``PUBLISHED: 2026-01-22`` or ``发布于 2026年1月22日`` gives."""
    for m in PUBLISHED.finditer(text[:5000]):
        try:
            return grammar.parse_day(m.group(1).rstrip("。."))
        except Exception:  # noqa: BLE001 - not a date: keep looking
            continue
    return None


YEARS_AGO = re.compile(r"(?:差不多|大约|约|将近|近)?([一二两三四五六七八九十\d]+)年前|"
                       r"\b(\w+) years? ago\b", re.I)


def years_ago(text: str) -> int | None:
    """N of "N年前" / "N years ago" in ``text``."""
    m = YEARS_AGO.search(text)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    if word.isdigit():
        return int(word)
    value = grammar.CN_DIGITS.get(word) if len(word) == 1 else None
    return value if value is not None else grammar.NUMBER_WORDS.get(word.lower())
