"""The three charts of SPEC §10, drawn with matplotlib from plain values (no database).

Every function returns the file's bytes in the format asked (``svg`` or ``png``). SVG keeps
its text as text (``svg.fonttype = none``): labels stay searchable, the report's page stays
small, and a browser draws Chinese with its own fonts. PNG is drawn by matplotlib with the
first font of :data:`CJK_FONTS` the machine has, after DejaVu Sans, so Chinese claimants
come out as glyphs, not boxes. The parts a reader (or a test) looks for carry ids
(``gid``): ``diagonal``, ``drift-line``, ``convergence``, ``claimant-N``, ``restatement-N``,
``observations``, ``claim-N``, ``milestone-N``, ``calibration``, ``bin-N``.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from typing import Any

from forecast_ledger.domain.compression import Forecast, TopicReport
from forecast_ledger.domain.dates import decimal_year, from_decimal_year
from forecast_ledger.domain.score import Score
from forecast_ledger.domain.stats import linear_fit
from forecast_ledger.domain.trends import (
    TIME_UNITS_IN_MINUTES,
    Point,
    Series,
    TrendClaim,
    format_quantity,
)

# Fonts with Chinese glyphs, in order of preference: Debian's (fonts-wqy-microhei,
# fonts-noto-cjk), then those of macOS and Windows.
CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
             "Source Han Sans SC", "Droid Sans Fallback", "PingFang SC", "Heiti SC",
             "Microsoft YaHei", "SimHei")
MARKERS = "osD^vP*Xh<>p"
MAX_LEGEND = 12  # claimants named in a legend; the rest are summed up
STATUS_COLOURS = {"yes": "#2e7d32", "no": "#c62828", "ambiguous": "#8d6e63",
                  "annulled": "#9e9e9e", "pending": "#1565c0", "due": "#ef6c00"}
FORMATS = ("svg", "png")


def fonts() -> list[str]:
    """The font families charts are drawn with: DejaVu Sans, then every CJK font found."""
    from matplotlib import font_manager

    present = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in CJK_FONTS if name in present)]


def _figure(width: float = 9.0, height: float = 6.0) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none", "svg.hashsalt": "forecast-ledger",
        "font.family": fonts(), "font.size": 9, "axes.titlesize": 11,
        "axes.spines.top": False, "axes.spines.right": False,
    })
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def _save(figure: Any, fmt: str) -> bytes:
    out = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(out, format=fmt, dpi=150, metadata=metadata)
    return out.getvalue()


def _day(year: float) -> dt.date:
    return from_decimal_year(year)


# --- compression ----------------------------------------------------------------------------

def compression_chart(report: TopicReport, links: Sequence[tuple[int, int]] = (),
                      fmt: str = "svg") -> bytes:
    """Predicted date against the date it was said, one marker per claimant; the diagonal
    where deadline = said on; the fitted drift line to its convergence; restatements
    (``links``: (earlier id, later id)) joined by arrows."""
    figure, ax = _figure()
    forecasts = [step.forecast for step in report.steps]
    many = len(forecasts) > 60
    claimants = list(dict.fromkeys(f.claimant for f in forecasts))
    for number, name in enumerate(claimants):
        mine = [f for f in forecasts if f.claimant == name]
        label = name if number < MAX_LEGEND else None
        ax.plot([f.made_on for f in mine], [f.deadline for f in mine], linestyle="none",
                marker=MARKERS[number % len(MARKERS)], markersize=3.5 if many else 7,
                alpha=0.75 if many else 0.95, label=label, gid=f"claimant-{number}")
    if len(claimants) > MAX_LEGEND:
        ax.plot([], [], linestyle="none", label=f"and {len(claimants) - MAX_LEGEND} more")
    _restatements(ax, forecasts, links)
    end = _drift_line(ax, report, forecasts)
    # The diagonal over the dates said (and out to the convergence): where a forecast
    # would name the day it was made. The axes stay on the data, not on distant deadlines.
    first = min(f.made_on for f in forecasts)
    last = max(end, max(f.made_on for f in forecasts))
    last += (last - first) * 0.05 + dt.timedelta(days=30)
    ax.plot([first, last], [first, last], color="#757575", linestyle="--", linewidth=1,
            label="deadline = the day it was said", gid="diagonal")
    trend = report.trend or "too few forecasts for a trend"
    ax.set_title(f"{report.topic} — {trend}")
    ax.set_xlabel("said on")
    ax.set_ylabel("predicted date")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return _save(figure, fmt)


def _restatements(ax: Any, forecasts: list[Forecast], links: Sequence[tuple[int, int]]) -> None:
    by_id = {f.id: f for f in forecasts}
    for number, (old, new) in enumerate(links):
        if old in by_id and new in by_id:
            arrow = ax.annotate("", xy=(by_id[new].made_on, by_id[new].deadline),
                                xytext=(by_id[old].made_on, by_id[old].deadline),
                                arrowprops={"arrowstyle": "->", "color": "#424242", "lw": 1})
            arrow.arrow_patch.set_gid(f"restatement-{number}")


def _drift_line(ax: Any, report: TopicReport, forecasts: list[Forecast]) -> dt.date:
    """Draw the least-squares line of predicted date on date said, out to the convergence
    point when it lies in sight; returns the last date the line reaches."""
    fit = linear_fit((decimal_year(f.made_on), decimal_year(f.deadline)) for f in forecasts)
    last_made = max(f.made_on for f in forecasts)
    if fit is None or report.drift is None:
        return last_made
    start = decimal_year(min(f.made_on for f in forecasts))
    stop = decimal_year(last_made)
    convergence = report.convergence_date
    latest_deadline = decimal_year(max(f.deadline for f in forecasts))
    in_sight = convergence is not None and decimal_year(convergence) <= latest_deadline + 10
    if in_sight:
        stop = max(stop, decimal_year(convergence))  # type: ignore[arg-type]
    xs = [start, stop]
    ax.plot([_day(x) for x in xs], [_day(fit.intercept + fit.slope * x) for x in xs],
            color="#d84315", linewidth=1.5, label=f"drift {report.drift:+.2f} years per year",
            gid="drift-line")
    if convergence is not None and in_sight:
        ax.plot([convergence], [convergence], marker="X", markersize=11, color="#d84315",
                linestyle="none", gid="convergence")
        ax.annotate(f"converges {convergence:%Y-%m}", (convergence, convergence),
                    textcoords="offset points", xytext=(8, -14), color="#d84315",
                    gid="convergence-label")
        return convergence
    return _day(stop)


# --- calibration ----------------------------------------------------------------------------

def calibration_chart(score: Score, fmt: str = "svg") -> bytes:
    """Observed frequency against stated probability per bin, with each bin's Wilson
    interval and count, and the diagonal of perfect calibration."""
    figure, ax = _figure(6.5, 6.0)
    ax.plot([0, 1], [0, 1], color="#757575", linestyle="--", linewidth=1,
            label="perfect calibration", gid="diagonal")
    bins = [b for b in score.calibration if b.count and b.mean_probability is not None]
    for number, b in enumerate(bins):
        low = b.observed_frequency - b.interval_low  # type: ignore[operator]
        high = b.interval_high - b.observed_frequency  # type: ignore[operator]
        ax.errorbar([b.mean_probability], [b.observed_frequency], yerr=[[low], [high]],
                    fmt="o", color="#1565c0", capsize=4, markersize=7,
                    label="observed (90% Wilson interval)" if number == 0 else None,
                    gid=f"bin-{number}")
        ax.annotate(f"n={b.count}", (b.mean_probability, b.observed_frequency),
                    textcoords="offset points", xytext=(7, 4), fontsize=8)
    if not bins:
        ax.text(0.5, 0.5, "no resolved predictions with a probability yet", ha="center",
                va="center", transform=ax.transAxes, color="#616161")
    who = score.claimant or "all claimants"
    ax.set_title(f"Calibration — {who} ({score.scored_with_probability} scored)")
    ax.set_xlabel("stated probability")
    ax.set_ylabel("observed frequency")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return _save(figure, fmt)


# --- trends ---------------------------------------------------------------------------------

# Ticks of a time axis, in minutes, with their names (METR's chart shows the same).
TIME_TICKS = ((1 / 60, "1 sec"), (4 / 60, "4 sec"), (0.25, "15 sec"), (1, "1 min"),
              (4, "4 min"), (15, "15 min"), (60, "1 hour"), (240, "4 hours"),
              (480, "1 day"), (2400, "1 week"), (10020, "1 month"), (40080, "4 months"),
              (120240, "1 year"), (601200, "5 years"))


def trend_chart(series: Series, points: Sequence[Point], claims: Sequence[TrendClaim],
                milestones: Sequence[Any], *, today: dt.date, fmt: str = "svg") -> bytes:
    """Observations on a log axis in the series' unit (time units named as METR names
    them), each trend claim's doubling line, and the milestones at their deadlines and
    targets, coloured by status."""
    figure, ax = _figure()
    ax.set_yscale("log")
    if points:
        ax.plot([p.on for p in points], [p.value for p in points], linestyle="none",
                marker="o", markersize=4, color="#37474f", label="observations",
                gid="observations")
    ends = [p.on for p in points] + [m.deadline.last for m in milestones] + [today]
    last = max(ends)
    for number, claim in enumerate(claims):
        start = min(claim.anchor_date, claim.made_on.first)
        days = [start + dt.timedelta(days=(last - start).days * i / 40) for i in range(41)]
        values = [claim.anchor_value * 2 ** ((d - claim.anchor_date).days / claim.doubling_days)
                  for d in days]
        ax.plot(days, values, linewidth=1.3, linestyle="-" if number % 2 == 0 else "-.",
                label=f"{claim.claimant}: doubles every {claim.doubling_expression}",
                gid=f"claim-{number}")
    shown: set[str] = set()
    for number, milestone in enumerate(milestones):
        status = milestone.resolution.outcome if milestone.resolution else \
            milestone.status(today)
        ax.plot([milestone.deadline.last], [milestone.target_value], marker="D",
                markersize=7, linestyle="none", color=STATUS_COLOURS.get(status, "#000000"),
                markeredgecolor="white", label=None if status in shown else
                f"milestone at its deadline: {status}", gid=f"milestone-{number}")
        shown.add(status)
    _value_axis(ax, series.unit)
    ax.set_title(series.name, loc="left")
    if series.description:
        figure.suptitle(textwrap.fill(series.description, 110), fontsize=8, color="#616161",
                        x=0.01, ha="left")
    ax.set_xlabel("date")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return _save(figure, fmt)


def _value_axis(ax: Any, unit: str | None) -> None:
    """Ticks named in time units when the series counts time, else as quantities."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    per_minute = TIME_UNITS_IN_MINUTES.get((unit or "").strip().lower())
    low, high = ax.get_ylim()
    if per_minute is None:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_quantity(v)))
        ax.set_ylabel(unit or "value")
        return
    ticks = [(minutes / per_minute, name) for minutes, name in TIME_TICKS
             if low <= minutes / per_minute <= high]
    if len(ticks) >= 2:
        ax.yaxis.set_major_locator(FixedLocator([value for value, _ in ticks]))
        ax.yaxis.set_minor_locator(NullLocator())
        names = dict(ticks)
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _: names.get(v, format_quantity(v))))
    ax.set_ylabel(f"{unit}, log scale (a day is 8 working hours, as METR counts)")
