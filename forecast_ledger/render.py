"""The one place output is formatted: tables for people, JSON and CSV for scripts.

Every listing command builds plain rows (dicts) and hands them here with the format the
user chose. JSON and CSV keys are stable; tables may change to read better.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from forecast_ledger.domain.dates import period_containing
from forecast_ledger.domain.records import Prediction, prediction_to_dict, status_of

CLAIM_WIDTH = 44
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


def to_json(value: Any, *, pretty: bool = False) -> str:
    """UTF-8 JSON. Compact (no spaces) unless ``pretty``: indenting forces json's
    pure-Python encoder, several times slower on large listings."""
    if pretty:
        return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


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


def predictions_table(predictions: Sequence[Prediction], today: dt.date) -> str:
    rows = []
    for p in predictions:
        overdue = p.days_overdue(today)
        status = p.status(today)
        if status == "resolved":
            status = f"{p.resolution.outcome}"  # type: ignore[union-attr]
        elif status == "due":
            status = f"due {overdue}d"
        rows.append([p.id, cut(p.key, 24), cut(p.claimant, 16), p.made_on.label(),
                     p.deadline.last.isoformat(), status, cut(p.claim)])
    return table(rows, ["id", "key", "by", "made", "deadline", "status", "claim"])


def due_table(predictions: Sequence[Prediction], today: dt.date) -> str:
    rows = []
    for p in predictions:
        overdue = p.days_overdue(today) or 0
        when = f"{overdue}d overdue" if overdue > 0 else (
            "due today" if overdue == 0 else f"in {-overdue}d")
        rows.append([p.id, cut(p.key, 26), cut(p.claimant, 16), p.deadline.last.isoformat(),
                     when, cut(p.claim, 40)])
    return table(rows, ["id", "key", "by", "deadline", "overdue", "claim"])


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
    lines.append("")
    lines.append("history:")
    for event in history:
        lines.append(f"  #{event.id} {event.recorded_at} {event.kind}: "
                     f"{shown(describe_event(event))}")
    return "\n".join(lines)


def describe_event(event: Any) -> str:
    data = event.payload
    if event.kind in ("add", "import", "project"):
        return f"recorded, deadline {data.get('deadline')} ({data.get('deadline_expression')!r})"
    if event.kind in ("resolve", "re-resolve"):
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
    if event.kind == "supersede":
        return f"superseded by #{data['superseded_by']}"
    return json.dumps(data, ensure_ascii=False)


# --- compression ----------------------------------------------------------------------------

def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def compression_record(report: Any) -> dict:
    return {
        "topic": report.topic,
        "trend": report.trend,
        "finding": report.finding(),
        "predictions": [
            {"id": s.forecast.id, "key": s.forecast.key, "claimant": s.forecast.claimant,
             "made_on": s.forecast.made_on.isoformat(),
             "deadline": s.forecast.deadline.isoformat(), "lead_years": _r(s.lead_years),
             "pull_in_years": _r(s.pull_in_years), "status": s.forecast.status}
            for s in report.steps
        ],
        "lead_ratio": _r(report.lead_ratio),
        "drift": _r(report.drift),
        "lead_halving_years": _r(report.lead_halving_years),
        "convergence_date": report.convergence_date.isoformat()
        if report.convergence_date else None,
    }


COMPRESSION_CSV = ("topic", "trend", "lead_ratio", "drift", "lead_halving_years",
                   "convergence_date", "id", "key", "claimant", "made_on", "deadline",
                   "lead_years", "pull_in_years", "status")


def compression(reports: Sequence[Any], today: dt.date, fmt: str) -> str:
    records = [compression_record(r) for r in reports]
    if fmt == "json":
        return to_json({"as_of": today.isoformat(), "topics": records})
    if fmt == "csv":
        rows = ({**{k: v for k, v in rec.items() if k != "predictions"}, **p}
                for rec in records for p in rec["predictions"])
        return to_csv(rows, COMPRESSION_CSV).rstrip("\n")
    if not records:
        return f"as of {today}: no topic has two or more predictions"
    blocks = [f"as of {today}"]
    for rec in records:
        trend = rec["trend"] or "undetermined (all made the same day)"
        rows = [[p["id"], cut(p["key"], 26), cut(p["claimant"], 16), p["made_on"],
                 p["deadline"], _fmt(p["lead_years"], 1), _fmt(p["pull_in_years"], 1, sign=True),
                 p["status"]] for p in rec["predictions"]]
        figures = (f"lead ratio {_fmt(rec['lead_ratio'], 2)} · drift "
                   f"{_fmt(rec['drift'], 2, sign=True)} yr/yr · lead halving "
                   f"{_fmt(rec['lead_halving_years'], 1)} y · converges "
                   f"{rec['convergence_date'] or '—'}")
        blocks.append(f"\n{rec['topic']} — {trend}: {rec['finding']}\n"
                      + table(rows, ["id", "key", "by", "made", "deadline", "lead y",
                                     "pull-in y", "status"])
                      + f"\n{figures}")
    return "\n".join(blocks)


def _fmt(value: float | None, digits: int, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


# --- score ----------------------------------------------------------------------------------

SCORE_FIELDS = ("claimant", "resolved", "yes", "no", "ambiguous", "annulled", "unresolved",
                "hit_rate", "brier", "log_score", "missed_deadlines", "scored_with_probability",
                "mean_lateness_days", "median_lateness_days")


def score_record(s: Any) -> dict:
    record = {name: getattr(s, name) for name in SCORE_FIELDS}
    for name in ("hit_rate", "brier", "log_score", "mean_lateness_days"):
        record[name] = _r(record[name])
    record["calibration"] = [
        {"bin_low": b.bin_low, "bin_high": b.bin_high, "count": b.count,
         "mean_probability": _r(b.mean_probability),
         "observed_frequency": _r(b.observed_frequency),
         "interval_low": _r(b.interval_low), "interval_high": _r(b.interval_high)}
        for b in s.calibration
    ]
    return record


def score(overall: Any, claimants: Sequence[Any], today: dt.date, fmt: str) -> str:
    records = [score_record(s) for s in claimants]
    total = score_record(overall)
    if fmt == "json":
        return to_json({"as_of": today.isoformat(), "overall": total, "claimants": records})
    if fmt == "csv":
        rows = [{**r, "claimant": r["claimant"] if r["claimant"] is not None else "(overall)"}
                for r in [*records, total]]
        return to_csv(rows, SCORE_FIELDS).rstrip("\n")
    rows = [[cut(r["claimant"] or "(overall)", 28), r["resolved"], r["yes"], r["no"],
             r["ambiguous"] + r["annulled"], r["unresolved"], r["missed_deadlines"],
             _fmt(r["hit_rate"], 2), _fmt(r["brier"], 3), _fmt(r["log_score"], 3),
             _fmt(r["median_lateness_days"], 0, sign=True)]
            for r in [*records, total]]
    text = f"as of {today}\n" + table(rows, ["claimant", "resolved", "yes", "no", "void",
                                             "open", "missed", "hit rate", "Brier", "log",
                                             "late d"])
    bins = [b for b in total["calibration"] if b["count"]]
    if bins:
        text += "\n\ncalibration (all claimants; 90% Wilson interval):\n" + table(
            [[f"{b['bin_low']:.1f}–{b['bin_high']:.1f}", b["count"],
              _fmt(b["mean_probability"], 2), _fmt(b["observed_frequency"], 2),
              f"{b['interval_low']:.2f}–{b['interval_high']:.2f}"] for b in bins],
            ["bin", "n", "predicted", "observed", "interval"])
    text += ("\n\nvoid = ambiguous or annulled (in no score); missed = deadline passed without "
             "the claim coming true; late d = median days a 'yes' came after its deadline.")
    return text
