"""The one place output is formatted: tables for people, JSON and CSV for scripts.

A command hands :func:`render` a *view* (what it found, wrapped in one of the classes
below) and the format the user chose; the view knows its JSON value, its CSV rows and its
text for people. JSON and CSV keys are stable and numbers in them are full precision; tables
may change to read better and round (:func:`number`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any, Protocol

from forecast_ledger.domain.chain import ADD_KINDS, EventKind
from forecast_ledger.domain.dates import period_containing
from forecast_ledger.domain.records import Prediction, prediction_to_dict, status_of

CLAIM_WIDTH = 44


class View(Protocol):
    """What a command shows, in the three forms a user can ask for."""

    def json(self) -> Any: ...
    def csv(self) -> tuple[Iterable[dict], Sequence[str]]: ...
    def text(self) -> str: ...


def render(view: View, fmt: str) -> str:
    """The one entry: ``view`` in format ``fmt`` (table, json or csv)."""
    if fmt == "json":
        return to_json(view.json())
    if fmt == "csv":
        rows, columns = view.csv()
        return to_csv(rows, columns).rstrip("\n")
    return view.text()


def number(value: float | None, digits: int, sign: bool = False) -> str:
    """A figure rounded for a table; an em dash where it is undefined."""
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def prediction_record(p: Prediction, today: dt.date) -> dict:
    """A prediction as JSON/CSV sees it: its stored fields plus status and days_overdue."""
    return with_status(prediction_to_dict(p), today)


def with_status(record: dict, today: dt.date) -> dict:
    """Add ``made_on_label``, ``status`` and ``days_overdue`` to a stored record (in place)."""
    deadline = dt.date.fromisoformat(record["deadline"])
    if record["made_precision"] == "day":  # the common case: the label is the date itself
        record["made_on_label"] = record["made_on"]
    else:
        made_on = dt.date.fromisoformat(record["made_on"])
        record["made_on_label"] = period_containing(made_on, record["made_precision"]).label()
    record["status"] = status_of(deadline, record["outcome"], today)
    record["days_overdue"] = None if record["outcome"] is not None else (today - deadline).days
    return record


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# One encoder for every call: json.dumps with options builds a new one each time (a
# listing calls this once per prediction).
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)


def to_json(value: Any, *, pretty: bool = False) -> str:
    """UTF-8 JSON. Compact (no spaces) unless ``pretty``: indenting forces json's
    pure-Python encoder, several times slower on large listings."""
    if pretty:
        return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    return _COMPACT.encode(value)


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula by prefixing a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, (list, tuple)):
        return safe_cell(";".join(map(str, value)))
    return value


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else safe_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


# Control characters (C0 and C1, ESC and CSI among them) would let stored text move the
# cursor, recolour or retitle a terminal: tables and `show` print them escaped. JSON, CSV
# and exports keep the text verbatim.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: Any) -> Any:
    """Text as a terminal may safely print it: control characters written as \\x1b."""
    if not isinstance(text, str):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def cut(text: str | None, width: int = CLAIM_WIDTH) -> str:
    """Shorten text to ``width`` terminal columns (CJK counts double), ending in '…'."""
    from wcwidth import wcswidth, wcwidth

    if not text:
        return ""
    text = shown(" ".join(text.split()))
    if wcswidth(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    from tabulate import tabulate

    if not rows:
        return "(none)"
    rows = [[shown(cell) for cell in row] for row in rows]
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


LIST_COLUMNS = ("id", "key", "claim", "claimant", "made_on", "deadline", "deadline_expression",
                "probability", "topic", "status", "outcome", "resolved_on", "days_overdue")


def terminal_width() -> int:
    """Columns to fit tables in: $COLUMNS, else the terminal's, else 120 (a pipe)."""
    import os
    import shutil
    import sys

    if os.environ.get("COLUMNS", "").isdigit():
        return max(40, int(os.environ["COLUMNS"]))
    if sys.stdout.isatty():
        return max(40, shutil.get_terminal_size().columns)
    return 120


# Columns that may be shortened to fit the terminal: (widest before the claim shrinks,
# narrowest at all). The claim takes whatever width is left.
FLEXIBLE = {"key": (28, 12), "by": (24, 10), "tags": (16, 6), "claim": (None, 20)}
OPTIONAL = ("p", "tags")  # left out when no row has one
DROPPABLE = ("made", "tags", "p")  # left out, in this order, when nothing else fits


def fitted(rows: list[list[Any]], headers: Sequence[str], *, width: int | None = None,
           wide: bool = False) -> str:
    """A table that fits ``width`` columns (default: the terminal's): the flexible columns
    are shortened with '…', the claim last and most; ``wide`` shortens nothing."""
    from wcwidth import wcswidth

    rows = [[shown(" ".join(c.split())) if isinstance(c, str) else c for c in row]
            for row in rows]
    if wide or not rows:
        return table(rows, headers)
    width = width or terminal_width()
    # Columns with nothing in them are left out; then, if even the narrowest layout is too
    # wide, the columns that matter least.
    keep = [i for i, h in enumerate(headers)
            if h not in OPTIONAL or any(row[i] not in ("", None) for row in rows)]
    for name in DROPPABLE:
        narrowest = sum(FLEXIBLE[h][1] if h in FLEXIBLE else max(
            len(h) + 2, *(len(str(row[i])) for row in rows)) for i, h in enumerate(headers)
            if i in keep) + 2 * (len(keep) - 1)
        if narrowest > width and name in headers and headers.index(name) in keep:
            keep.remove(headers.index(name))
    headers = [headers[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    # tabulate makes a column at least its header plus two wide
    natural = [max(wcswidth(h) + 2, *(wcswidth(str(v if v is not None else "")) for v in column))
               for h, column in zip(headers, zip(*rows, strict=True), strict=True)]
    limits = list(natural)

    def over() -> int:
        return sum(limits) + 2 * (len(limits) - 1) - width

    flexible = [(i, *FLEXIBLE[h]) for i, h in enumerate(headers) if h in FLEXIBLE]
    for i, cap, _ in flexible:  # first: no key or claimant wider than its cap
        if over() > 0 and cap is not None:
            limits[i] = min(limits[i], max(cap, len(headers[i])))
    for i, _, least in sorted(flexible, key=lambda f: f[1] is not None):  # then the claim
        if over() > 0:
            limits[i] = max(least, limits[i] - over())
    return table([[cut(v, limits[i]) if isinstance(v, str) and limits[i] < natural[i] else v
                   for i, v in enumerate(row)] for row in rows], headers)


def predictions_table(predictions: Sequence[Prediction], today: dt.date, *,
                      wide: bool = False, width: int | None = None) -> str:
    rows = []
    for p in predictions:
        overdue = p.days_overdue(today)
        status = p.status(today)
        if status == "resolved":
            status = f"{p.resolution.outcome}"  # type: ignore[union-attr]
        elif status == "due":
            status = f"due {overdue}d"
        rows.append([p.id, p.key or "", p.claimant, p.made_on.label(),
                     p.deadline.last.isoformat(), number(p.probability, 2)
                     if p.probability is not None else "", status, ", ".join(p.tags),
                     p.claim])
    return fitted(rows, ["id", "key", "by", "made", "deadline", "p", "status", "tags",
                         "claim"], wide=wide, width=width)


def due_table(predictions: Sequence[Prediction], today: dt.date, *, wide: bool = False,
              width: int | None = None) -> str:
    rows = []
    for p in predictions:
        overdue = p.days_overdue(today) or 0
        when = f"{overdue}d overdue" if overdue > 0 else (
            "due today" if overdue == 0 else f"in {-overdue}d")
        rows.append([p.id, p.key or "", p.claimant, p.deadline.last.isoformat(), when,
                     p.claim])
    return fitted(rows, ["id", "key", "by", "deadline", "overdue", "claim"], wide=wide,
                  width=width)


def listing(predictions: Sequence[Prediction], today: dt.date, fmt: str) -> str:
    """A list of predictions in the chosen format."""
    if fmt == "table":
        return predictions_table(predictions, today)
    return record_listing([prediction_to_dict(p) for p in predictions], today, fmt)


def record_listing(records: Iterable[dict], today: dt.date, fmt: str) -> str:
    """Stored records (``Ledger.iter_records``) as JSON or CSV text."""
    out = io.StringIO()
    write_record_listing(out, records, today, fmt)
    return out.getvalue().rstrip("\n")


def write_record_listing(out: IO[str], records: Iterable[dict], today: dt.date,
                         fmt: str) -> None:
    """Stream records as a JSON array or CSV rows to ``out`` as they come, so a listing
    of a million predictions needs no more memory than one of a thousand."""
    rows = (with_status(r, today) for r in records)
    if fmt == "json":
        out.write("[")
        for number, row in enumerate(rows):
            out.write(("," if number else "") + to_json(row))
        out.write("]\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LIST_COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else safe_cell(row.get(c))
                         for c in LIST_COLUMNS])


def prediction_detail(p: Prediction, today: dt.date, history: Sequence[Any]) -> str:
    """``ledger show``: every field, then the history."""
    status = p.status(today)
    overdue = p.days_overdue(today)
    if status == "due":
        status += f" ({overdue} days overdue)"
    elif status == "pending":
        status += f" ({-overdue if overdue else 0} days left)"  # type: ignore[operator]
    fields = [
        ("id", p.id), ("key", p.key), ("claim", p.claim), ("claimant", p.claimant),
        ("made on", p.made_on.label()),
        ("deadline", f"{p.deadline.last} ({p.deadline.precision} precision, "
                     f"from {p.deadline_expression!r})"),
        ("probability", p.probability), ("topic", p.topic), ("criteria", p.criteria),
        ("status", status),
    ]
    if p.resolution:
        fields += [("outcome", p.resolution.outcome),
                   ("resolved on", p.resolution.resolved_on.isoformat()),
                   ("evidence", p.resolution.evidence)]
    fields += [("source", p.source_url), ("source title", p.source_title),
               ("quote", p.quote), ("note", p.note),
               ("tags", ", ".join(p.tags) or None), ("supersedes", p.supersedes),
               ("trend claim", p.trend_claim), ("target value", p.target_value)]
    lines = [f"{name + ':':<14}{shown(value)}" for name, value in fields if value is not None]
    notes = [e.payload for e in history if e.kind == EventKind.NOTE]
    if notes:
        lines += ["", "notes:"] + [f"  {n['on']}  {shown(n['text'])}" for n in notes]
    lines.append("")
    lines.append("history:")
    for event in history:
        lines.append(f"  #{event.id} {event.recorded_at} {event.kind}: "
                     f"{shown(describe_event(event))}")
    return "\n".join(lines)


def describe_event(event: Any) -> str:
    data = event.payload
    if event.kind in ADD_KINDS:
        return f"recorded, deadline {data.get('deadline')} ({data.get('deadline_expression')!r})"
    if event.kind in (EventKind.RESOLVE, EventKind.RE_RESOLVE):
        text = f"{data['outcome']} on {data['resolved_on']}"
        if data.get("evidence"):
            text += f"; evidence: {data['evidence']}"
        if data.get("previous"):
            prev = data["previous"]
            text += f"; replaces {prev['outcome']} on {prev['resolved_on']}"
        if data.get("reason"):
            text += f"; reason: {data['reason']}"
        if data.get("forced"):
            text += " (forced)"
        return text
    if event.kind == EventKind.SUPERSEDE:
        return f"superseded by #{data['superseded_by']}"
    if event.kind == EventKind.EDIT:
        changed = "; ".join(f"{name} {change['old']!r} → {change['new']!r}"
                            for name, change in data["changes"].items())
        return f"edited {changed}; reason: {data['reason']}" + \
            (" (forced)" if data.get("forced") else "")
    if event.kind == EventKind.NOTE:
        return f"note of {data['on']}: {data['text']}"
    return json.dumps(data, ensure_ascii=False)


# --- compression ----------------------------------------------------------------------------

def finding(report: Any) -> str:
    """One sentence saying what happened to a topic's forecasts."""
    first, last = report.steps[0].forecast, report.steps[-1].forecast
    when = (f"in {report.span_years:.1f} years of forecasts ({first.made_on.year}–"
            f"{last.made_on.year})")
    if report.date_held:
        text = f"the date held at {last.deadline} {when}"
    else:
        direction = "earlier" if report.moved_years < 0 else "later"
        text = (f"the predicted date moved {abs(report.moved_years):.1f} years {direction}, "
                f"{first.deadline.year} → {last.deadline.year}, {when}")
    text += (f"; lead time {report.steps[0].lead_years:.1f} → "
             f"{report.steps[-1].lead_years:.1f} years")
    if report.drift is not None:
        text += f"; drift {report.drift:+.2f} yr/yr"
    if report.convergence_date is not None:
        text += f"; converges on {report.convergence_date.isoformat()[:7]}"
    elif report.drift is not None and report.drift >= 1:
        text += "; never converges (the date recedes as fast as time passes)"
    return text


def compression_record(report: Any) -> dict:
    return {
        "topic": report.topic,
        "trend": report.trend,
        "finding": finding(report),
        "predictions": [
            {"id": s.forecast.id, "key": s.forecast.key, "claimant": s.forecast.claimant,
             "made_on": s.forecast.made_on.isoformat(),
             "deadline": s.forecast.deadline.isoformat(), "lead_years": s.lead_years,
             "pull_in_years": s.pull_in_years, "status": s.forecast.status}
            for s in report.steps
        ],
        "lead_ratio": report.lead_ratio,
        "drift": report.drift,
        "lead_halving_years": report.lead_halving_years,
        "convergence_date": report.convergence_date.isoformat()
        if report.convergence_date else None,
    }


COMPRESSION_CSV = ("topic", "trend", "lead_ratio", "drift", "lead_halving_years",
                   "convergence_date", "id", "key", "claimant", "made_on", "deadline",
                   "lead_years", "pull_in_years", "status")


class Compression:
    """``ledger compression``: every topic's figures and finding."""

    def __init__(self, reports: Sequence[Any], today: dt.date):
        self.records = [compression_record(r) for r in reports]
        self.today = today

    def json(self) -> Any:
        return {"as_of": self.today.isoformat(), "topics": self.records}

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return ({**{k: v for k, v in rec.items() if k != "predictions"}, **p}
                for rec in self.records for p in rec["predictions"]), COMPRESSION_CSV

    def text(self) -> str:
        if not self.records:
            return f"as of {self.today}: no topic has two or more predictions"
        blocks = [f"as of {self.today}"]
        for rec in self.records:
            trend = rec["trend"] or "undetermined (all made the same day)"
            rows = [[p["id"], cut(p["key"], 26), cut(p["claimant"], 16), p["made_on"],
                     p["deadline"], number(p["lead_years"], 1),
                     number(p["pull_in_years"], 1, sign=True), p["status"]]
                    for p in rec["predictions"]]
            figures = (f"lead ratio {number(rec['lead_ratio'], 2)} · drift "
                       f"{number(rec['drift'], 2, sign=True)} yr/yr · lead halving "
                       f"{number(rec['lead_halving_years'], 1)} y · converges "
                       f"{rec['convergence_date'] or '—'}")
            blocks.append(f"\n{rec['topic']} — {trend}: {rec['finding']}\n"
                          + table(rows, ["id", "key", "by", "made", "deadline", "lead y",
                                         "pull-in y", "status"])
                          + f"\n{figures}")
        return "\n".join(blocks)


# --- score ----------------------------------------------------------------------------------

SCORE_FIELDS = ("claimant", "resolved", "yes", "no", "ambiguous", "annulled", "unresolved",
                "hit_rate", "brier", "log_score", "missed_deadlines", "scored_with_probability",
                "mean_lateness_days", "median_lateness_days")


def score_record(s: Any) -> dict:
    record = {name: getattr(s, name) for name in SCORE_FIELDS}
    record["calibration"] = [
        {"bin_low": b.bin_low, "bin_high": b.bin_high, "count": b.count,
         "mean_probability": b.mean_probability, "observed_frequency": b.observed_frequency,
         "interval_low": b.interval_low, "interval_high": b.interval_high}
        for b in s.calibration
    ]
    return record


class Score:
    """``ledger score``: per claimant and overall."""

    def __init__(self, overall: Any, claimants: Sequence[Any], today: dt.date,
                 title: str = "all claimants"):
        self.records = [score_record(s) for s in claimants]
        self.total = score_record(overall)
        self.today = today
        self.title = title

    def json(self) -> Any:
        return {"as_of": self.today.isoformat(), "overall": self.total,
                "claimants": self.records}

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return ([{**r, "claimant": r["claimant"] if r["claimant"] is not None else "(overall)"}
                 for r in [*self.records, self.total]], SCORE_FIELDS)

    def text(self) -> str:
        rows = [[cut(r["claimant"] or "(overall)", 28), r["resolved"], r["yes"], r["no"],
                 r["ambiguous"] + r["annulled"], r["unresolved"], r["missed_deadlines"],
                 number(r["hit_rate"], 2), number(r["brier"], 3), number(r["log_score"], 3),
                 number(r["median_lateness_days"], 0, sign=True)]
                for r in [*self.records, self.total]]
        text = f"as of {self.today}\n" + table(rows, [
            "claimant", "resolved", "yes", "no", "void", "open", "missed", "hit rate", "Brier",
            "log", "late d"])
        bins = [b for b in self.total["calibration"] if b["count"]]
        if bins:
            text += f"\n\ncalibration ({self.title}; 90% Wilson interval):\n" + table(
                [[f"{b['bin_low']:.1f}–{b['bin_high']:.1f}", b["count"],
                  number(b["mean_probability"], 2), number(b["observed_frequency"], 2),
                  f"{b['interval_low']:.2f}–{b['interval_high']:.2f}"] for b in bins],
                ["bin", "n", "predicted", "observed", "interval"])
        text += ("\n\nvoid = ambiguous or annulled (in no score); missed = deadline passed "
                 "without the claim coming true; late d = median days a 'yes' came after its "
                 "deadline.")
        return text


# --- trends ---------------------------------------------------------------------------------

class Fit:
    """``ledger trend fit``: one window's doubling time."""

    def __init__(self, window: Any):
        self.record = window.to_dict()

    def json(self) -> Any:
        return self.record

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return [self.record], list(self.record)

    def text(self) -> str:
        return fit_line(self.record)


def fit_line(r: dict) -> str:
    if r["doubling_days"] is None:
        return (f"{r['series']} {r['from'] or 'start'} to {r['to'] or 'end'}: {r['points']} "
                "points, no doubling time (too few points or not growing)")
    return (f"{r['series']} {r['from']} to {r['to']}: doubles every {r['doubling_days']:.1f} "
            f"days ({r['doubling_months']:.2f} months), R² {r['r2']:.3f}, {r['points']} points")


class Comparison:
    """``ledger trend compare``: two doubling times and their ratio."""

    def __init__(self, comparison: Any):
        from forecast_ledger.domain.trends import WindowFit, claim_summary

        self.parts = [p.to_dict() if isinstance(p, WindowFit) else claim_summary(p)
                      for p in (comparison.first, comparison.second)]
        self.series = comparison.series
        self.ratio = comparison.ratio

    def json(self) -> Any:
        return {"series": self.series, "first": self.parts[0], "second": self.parts[1],
                "ratio": self.ratio}

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return [{**r, "ratio": self.ratio} for r in self.parts], [*self.parts[0], "ratio"]

    def text(self) -> str:
        lines = [fit_line(r) if "series" in r else
                 f"claim {r['claim']} ({r['claimant']}, {r['made_on']}): doubles every "
                 f"{r['doubling_days']:.0f} days ({r['doubling_months']:.1f} months)"
                 for r in self.parts]
        ratio = self.ratio
        lines.append("doubling-time ratio (second / first): " + (
            "—" if ratio is None else f"{ratio:.2f}" +
            (" — faster" if ratio < 1 else " — slower" if ratio > 1 else "")))
        return "\n".join(lines)


EXTRACT_COLUMNS = ("number", "claimant", "horizon", "deadline", "deadline_precision",
                   "made_on", "made_precision", "topic", "sentence")


class Extracted:
    """``ledger extract``: the candidate predictions of an article."""

    def __init__(self, candidates: Sequence[Any]):
        self.rows = [c.to_dict() for c in candidates]
        self.labels = [c.made_on.label() for c in candidates]

    def json(self) -> Any:
        return self.rows

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return self.rows, EXTRACT_COLUMNS

    def text(self) -> str:
        if not self.rows:
            return "no dated predictions found"
        return fitted([[r["number"], r["claimant"] or "?", label, r["horizon"],
                        r["deadline"] + ("" if r["deadline_precision"] == "day"
                                         else f" ({r['deadline_precision']})"),
                        r["topic"] or "", r["sentence"]]
                       for r, label in zip(self.rows, self.labels, strict=True)],
                      ["#", "by", "made", "horizon", "deadline", "topic", "claim"])


SERIES_COLUMNS = ["series", "unit", "observations", "claims", "description"]


class SeriesList:
    """``ledger trend list``."""

    def __init__(self, found: Sequence[tuple[Any, int, int]]):
        self.rows = [{"series": s.name, "unit": s.unit, "observations": n, "claims": c,
                      "description": s.description} for s, n, c in found]

    def json(self) -> Any:
        return self.rows

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        return self.rows, SERIES_COLUMNS

    def text(self) -> str:
        return table([[r["series"], r["unit"] or "", r["observations"], r["claims"],
                       cut(r["description"], 50)] for r in self.rows], SERIES_COLUMNS)


class SeriesDetail:
    """``ledger trend show``: observations, trend claims and milestones. CSV has one row per
    item, with a ``kind`` column (observation, claim, milestone)."""

    def __init__(self, series: Any, points: Sequence[Any], claims: Sequence[Any],
                 milestones: Sequence[Prediction], today: dt.date):
        self.series, self.today, self.milestones = series, today, milestones
        self.observations = [{"date": p.on.isoformat(), "value": p.value, "label": p.label}
                             for p in points]
        self.claims = [{"id": c.id, "key": c.key, "claimant": c.claimant,
                        "made_on": c.made_on.label(), "doubling_days": c.doubling_days,
                        "doubling": c.doubling_expression,
                        "anchor_date": c.anchor_date.isoformat(),
                        "anchor_value": c.anchor_value, "source": c.source} for c in claims]

    def json(self) -> Any:
        return {"series": self.series.name, "unit": self.series.unit,
                "description": self.series.description, "observations": self.observations,
                "claims": self.claims,
                "milestones": [prediction_record(p, self.today) for p in self.milestones]}

    def csv(self) -> tuple[Iterable[dict], Sequence[str]]:
        rows = [{"kind": "observation", "date": o["date"], "value": o["value"],
                 "label": o["label"]} for o in self.observations]
        rows += [{"kind": "claim", "id": c["id"], "key": c["key"], "claimant": c["claimant"],
                  "date": c["made_on"], "doubling_days": c["doubling_days"],
                  "value": c["anchor_value"], "label": c["doubling"]} for c in self.claims]
        rows += [{"kind": "milestone", "id": p.id, "key": p.key, "claimant": p.claimant,
                  "date": p.deadline.last.isoformat(), "value": p.target_value,
                  "label": p.claim, "status": p.status(self.today)} for p in self.milestones]
        return rows, ["kind", "id", "key", "claimant", "date", "value", "label",
                      "doubling_days", "status"]

    def text(self) -> str:
        s = self.series
        head = s.name + (f" ({s.unit})" if s.unit else "") + \
            (f": {s.description}" if s.description else "")
        from forecast_ledger.domain.trends import format_quantity

        obs = table([[o["date"], format_quantity(o["value"]), cut(o["label"], 30)]
                     for o in self.observations], ["date", "value", "label"])
        claims = table([[c["id"], cut(c["key"], 28), cut(c["claimant"], 20), c["made_on"],
                         f"{c['doubling_days']:.0f}d",
                         f"{format_quantity(c['anchor_value'])} on {c['anchor_date']}"]
                        for c in self.claims], ["id", "key", "by", "made", "doubling", "anchor"])
        return (f"{head}\n\nobservations:\n{obs}\n\ntrend claims:\n{claims}\n\nmilestones:\n"
                + predictions_table(self.milestones, self.today))
