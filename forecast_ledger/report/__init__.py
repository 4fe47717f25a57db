"""Charts and the HTML report (SPEC §10): read the Ledger API, return file contents.

The only room that imports matplotlib (charts.py) and Jinja2 (here, when a report is
made); both are imported when a chart or report command runs, so ``ledger due`` and
``ledger --help`` start as fast as before.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from forecast_ledger.errors import InputError

if TYPE_CHECKING:
    from forecast_ledger.store.ledger import Ledger


def chart_format(name: str) -> str:
    """``svg`` or ``png``, from an output file's suffix."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("svg", "png"):
        raise InputError(f"cannot tell the chart's format from {name!r}: name a .svg or "
                         ".png file")
    return suffix


def compression(ledger: Ledger, topic: str, *, today: dt.date, fmt: str) -> bytes:
    """The compression chart of one topic."""
    from forecast_ledger.report import charts

    report, links = _topic(ledger, topic, today)
    return charts.compression_chart(report, links, fmt)


def _topic(ledger: Ledger, topic: str, today: dt.date) -> tuple[Any, list[tuple[int, int]]]:
    from forecast_ledger.domain.compression import compression_report

    ledger.check_topic(topic)
    reports = compression_report(ledger.forecasts(today=today, topic=topic))
    if not reports:
        raise InputError(f"topic {topic!r} has fewer than two forecasts: nothing has moved")
    links = [(p.supersedes, p.id) for p in ledger.predictions(today=today, topic=topic)
             if p.supersedes is not None]
    return reports[0], links


def calibration(ledger: Ledger, by: str | None, *, today: dt.date, fmt: str) -> bytes:
    """The reliability diagram of one claimant, or of everyone."""
    from forecast_ledger.report import charts

    return charts.calibration_chart(_score(ledger, by, today), fmt)


def _score(ledger: Ledger, by: str | None, today: dt.date) -> Any:
    from forecast_ledger.domain.score import score

    overall, claimants = score(ledger.scored(claimant=by), today)
    if by is None:
        return overall
    if not claimants:
        raise InputError(f"no predictions by {by!r}")
    return claimants[0]


def trend(ledger: Ledger, name: str, *, today: dt.date, fmt: str) -> bytes:
    """The chart of one series: observations, trend claims, milestones."""
    from forecast_ledger.report import charts

    series, points, claims, milestones = ledger.series_detail(name)
    return charts.trend_chart(series, points, claims, milestones, today=today, fmt=fmt)


def html(ledger: Ledger, *, today: dt.date) -> str:
    """The whole ledger on one self-contained page: what is due, every topic's finding and
    chart, scores and calibration, trends with their fits. Every stored text is escaped
    (Jinja2's autoescape); the charts are inline SVG, so the page needs no network."""
    import jinja2

    from forecast_ledger import render
    from forecast_ledger.domain.compression import compression_report
    from forecast_ledger.domain.score import score
    from forecast_ledger.report import charts

    charts_made = 0

    def inline(svg: bytes) -> Any:
        nonlocal charts_made
        charts_made += 1
        return jinja2.utils.markupsafe.Markup(_inline_svg(svg, f"c{charts_made}-"))

    everything = ledger.predictions(today=today)
    links_by_topic: dict[str, list[tuple[int, int]]] = {}
    for p in everything:
        if p.supersedes is not None and p.topic is not None:
            links_by_topic.setdefault(p.topic, []).append((p.supersedes, p.id))
    topics = [{"report": r, "finding": render.finding(r),
               "chart": inline(charts.compression_chart(r, links_by_topic.get(r.topic, [])))}
              for r in compression_report(ledger.forecasts(today=today))]
    overall, claimants = score(ledger.scored(), today)
    series = []
    for found, _observations, _claims in ledger.all_series():
        detail = ledger.series_detail(found.name)
        fit = ledger.fit(found.name)
        series.append({"series": found, "fit": fit, "claims": detail[2],
                       "chart": inline(charts.trend_chart(*detail, today=today))})
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("forecast_ledger.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    return environment.get_template("report.html.j2").render(
        today=today, due=ledger.due(today=today), topics=topics, overall=overall,
        claimants=claimants, calibration=inline(charts.calibration_chart(overall)),
        series=series, number=render.number, total=len(everything))


SVG_START = re.compile(r"^.*?(?=<svg)", re.S)
IDS = re.compile(r'(\bid="|url\(#|xlink:href="#|href="#)')


def _inline_svg(svg: bytes, prefix: str) -> str:
    """An SVG file as an element of the page: without its XML prologue, its ids prefixed
    so that the charts of one page do not share them."""
    text = SVG_START.sub("", svg.decode("utf-8"), count=1)
    return IDS.sub(lambda m: m.group(1) + prefix, text)
