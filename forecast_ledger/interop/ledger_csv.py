"""The ledger's own CSV (``ledger export --format csv``): every field of every prediction,
so that it imports back (``ledger import FILE --from csv``) as what it was.

One row per prediction. Tags are joined with ``"; "`` (a JSON list when a tag holds a
``;``), notes are a JSON list of ``{"on", "text"}``, a restatement names the prediction it
supersedes by uid, and a milestone its trend claim by key. Text a spreadsheet would run as
a formula (``=``, ``+``, ``-``, ``@`` …) is written with a leading ``'``, and so is text
that already begins with one; reading removes exactly that one quote. The history (edits,
the times of events) is what the JSON export is for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from forecast_ledger.interop.common import MULTI, Where, csv_rows

COLUMNS = ("uid", "key", "claim", "claimant", "made_on", "made_precision", "deadline",
           "deadline_precision", "deadline_expression", "probability", "topic", "criteria",
           "source_url", "source_title", "quote", "note", "tags", "supersedes",
           "trend_claim", "target_value", "outcome", "resolved_on", "evidence", "notes",
           "status", "id")
REQUIRED = ("uid", "claim", "claimant", "made_on", "deadline", "deadline_expression")
NUMBERS = ("probability", "target_value")
WRITTEN_ONLY = ("status", "id")  # for a reader's eyes: local to the ledger that wrote it
LINKS = {"supersedes": "supersedes_uid", "trend_claim": "trend_claim_key"}
QUOTED = ("=", "+", "-", "@", "\t", "\r", "'")


def write(out: IO[str], records: Iterable[dict]) -> None:
    """Write ``records`` (``Ledger.iter_records`` form, with ``status``, ``notes``, and
    ``supersedes``/``trend_claim`` already given as uid/key) as CSV."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(name, record.get(name)) for name in COLUMNS])


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "tags":
        tags = list(value)
        return json.dumps(tags, ensure_ascii=False) if any(";" in t for t in tags) \
            else MULTI.join(tags)
    if name == "notes":
        return json.dumps(list(value), ensure_ascii=False) if value else ""
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(QUOTED) else text


def read(stream: IO[str], name: str) -> Iterator[dict]:
    """The predictions of a CSV that ``ledger export --format csv`` wrote."""
    for where, row in csv_rows(stream, name, REQUIRED):
        fields: dict[str, Any] = {}
        for column, cell in row.items():
            if column not in COLUMNS or column in WRITTEN_ONLY or cell == "":
                continue
            fields[LINKS.get(column, column)] = _value(column, cell, where)
        yield where.record(fields)


def _value(column: str, cell: str, where: Where) -> Any:
    if column in NUMBERS:
        try:
            return float(cell)
        except ValueError:
            raise where.fail(f"{column} {cell!r} is not a number") from None
    if column == "tags":
        if cell.startswith("["):
            try:
                return json.loads(cell)
            except json.JSONDecodeError:
                pass
        return [t.strip() for t in cell.split(";") if t.strip()]
    if column == "notes":
        try:
            notes = json.loads(cell)
        except json.JSONDecodeError:
            raise where.fail("notes must be a JSON list of {\"on\", \"text\"}") from None
        if not isinstance(notes, list) or not all(
                isinstance(n, dict) and isinstance(n.get("on"), str)
                and isinstance(n.get("text"), str) for n in notes):
            raise where.fail("notes must be a JSON list of {\"on\", \"text\"}")
        return notes
    return cell[1:] if cell.startswith("'") else cell
