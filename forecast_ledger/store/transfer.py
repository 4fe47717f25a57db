"""Moving whole ledgers in and out: JSON export (streamed) and all-or-nothing import.

The export file holds every record and every event with its hash. Imported into an empty
ledger it is restored exactly, history included, after its chain verifies. Imported into a
ledger that already holds records it is merged by uid (store/merge.py): what is here
already is left alone, what is new arrives with its whole history.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Connection, Date, Float, Integer, select

from forecast_ledger.domain.chain import EventKind, canonical_json
from forecast_ledger.domain.records import MAX_ID, record_from_dict
from forecast_ledger.errors import ImportFileError, InputError
from forecast_ledger.store import schema
from forecast_ledger.store.bulk import bulk_insert, indexes_dropped
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.json_stream import Items, members
from forecast_ledger.store.rows import E, P, T, append_row_event, iter_records, plain_row

FORMAT = "forecast-ledger"
VERSION = 2  # 2: predictions carry their uid
READS = (1, 2)  # a version-1 file's predictions get the uids their history implies
SIDE = {"series": schema.series, "trend_claims": schema.trend_claims,
        "observations": schema.observations}
SECTIONS = (*SIDE, "predictions", "events")


def write_export(conn: Connection, out: IO[str]) -> int:
    """Write the whole ledger as JSON to ``out``, one record per line; returns predictions.
    Run it in one snapshot (``read_transaction(snapshot=True)``) so the file is one state."""
    count = 0
    out.write(f'{{"format": "{FORMAT}", "version": {VERSION}')
    for name, table in SIDE.items():
        rows = conn.execute(select(table).order_by(table.c.id)).mappings()
        _write_array(out, name, (plain_row(r) for r in rows))
    out.write(',\n"predictions": [')
    for count, record in enumerate(iter_records(conn), start=1):
        out.write(("\n" if count == 1 else ",\n") + _dumps(record))
    out.write("\n]")
    events = conn.execution_options(yield_per=20_000).execute(select(E).order_by(E.c.id))
    _write_array(out, "events", (_event_dict(r) for r in events))
    out.write("\n}\n")
    return count


def _event_dict(row: Any) -> dict:
    return {"id": row.id, "kind": row.kind, "prediction_id": row.prediction_id,
            "recorded_at": row.recorded_at, "payload": json.loads(row.payload),
            "prev_hash": row.prev_hash, "hash": row.hash}


def _write_array(out: IO[str], name: str, items: Iterator[dict]) -> None:
    out.write(f',\n"{name}": [')
    first = True
    for item in items:
        out.write(("\n" if first else ",\n") + _dumps(item))
        first = False
    out.write("\n]")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


Sections = Iterator[tuple[str, Any]]  # (name, list or Items), in file order


def sections_of(source: str | dict | IO[str]) -> Sections:
    """The arrays of an export (its text, a stream of it, or a parsed dict), by name, after
    its ``format`` and ``version`` (which come first, as ``ledger export`` writes them) have
    been checked. Streamed: nothing is parsed until it is read."""
    if isinstance(source, dict):
        pairs: Iterator[tuple[str, Any]] = iter(sorted(  # the header first
            source.items(), key=lambda pair: pair[0] not in ("format", "version")))
    else:
        pairs = members(io.StringIO(source) if isinstance(source, str) else source)
    header: dict[str, Any] = {}
    checked = False
    for name, value in pairs:
        if name in ("format", "version"):
            header[name] = value
            continue
        if name not in SECTIONS:
            continue
        if not checked:
            _check_header(header)
            checked = True
        if not isinstance(value, (list, Items)):
            raise ImportFileError(f"the import file's {name!r} must be a list")
        yield name, value
    if not checked:
        _check_header(header)


NOT_AN_EXPORT = ("the import file is not a forecast-ledger export (it needs "
                 f'"format": "{FORMAT}" first); nothing was imported')


def _check_header(header: dict) -> None:
    if header.get("format") != FORMAT:
        raise ImportFileError(NOT_AN_EXPORT)
    if header.get("version") not in READS:
        raise ImportFileError(f"the import file has version {header.get('version')!r}; this "
                              f"forecast-ledger reads versions {', '.join(map(str, READS))}")


@dataclass(frozen=True)
class Imported:
    """What an import did, in counts (SPEC §9: a second import of one file adds nothing)."""

    added: int = 0        # predictions new to this ledger
    present: int = 0      # already here with the same history
    updated: int = 0      # already here; events they had gained elsewhere were appended
    side_added: int = 0   # series, trend claims and observations new to this ledger
    side_present: int = 0


def restore(events: EventWriter, sections: Sections) -> int:
    """Copy every record and event verbatim into an empty ledger (the caller verifies
    before committing). A file
    with records but no history (written by hand or by another program) gets the history a
    ledger would have written for them."""
    conn = events.conn
    if conn.dialect.name == "sqlite":  # sections may come in any order; checked at commit
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    count = 0
    tags: list[dict] = []

    def predictions(items: Iterable[Any]) -> Iterator[dict]:
        # Checked and stored in their normal form; verify then compares them with the events.
        nonlocal count
        for item in items:
            record = record_from_dict(item)
            if record["id"] is None:
                raise InputError("every prediction in an export needs its id")
            tags.extend({"prediction_id": record["id"], "tag": t} for t in record["tags"])
            count += 1
            yield record

    with indexes_dropped(conn, (P, T, E)):
        for name, items in sections:
            if name == "predictions":
                bulk_insert(conn, P, predictions(items))
            elif name == "events":
                bulk_insert(conn, E, (event_row(e) for e in items))
            else:
                table = SIDE[name]
                bulk_insert(conn, table, (_checked(table, item) for item in items))
        bulk_insert(conn, T, iter(tags))
    if conn.execute(select(E.c.id).limit(1)).first() is None:
        _write_history(events)
    return count


def _write_history(events: EventWriter) -> None:
    """The events that recording these rows one by one would have written: each side row,
    then each prediction's add (unresolved), the supersede it implies, and its
    resolution."""
    conn = events.conn
    for kind, table in ((EventKind.SERIES, schema.series),
                        (EventKind.TREND_CLAIM, schema.trend_claims),
                        (EventKind.OBSERVE, schema.observations)):
        for (row_id,) in conn.execute(select(table.c.id).order_by(table.c.id)).all():
            append_row_event(events, kind, table, row_id)
    for record in list(iter_records(conn)):
        resolution = {k: record[k] for k in ("outcome", "resolved_on", "evidence")}
        events.append(EventKind.ADD, record["id"],
                      {**record, "outcome": None, "resolved_on": None, "evidence": None})
        if record["supersedes"] is not None:
            events.append(EventKind.SUPERSEDE, record["supersedes"],
                          {"superseded_by": record["id"]})
        if resolution["outcome"] is not None:
            events.append(EventKind.RESOLVE, record["id"], {
                **resolution, "reason": None, "forced": False, "previous": None})
    events.flush()


def event_row(e: Any) -> dict:
    """An export's event, checked field by field, as a row of the events table."""
    if not isinstance(e, dict):
        raise InputError("each event must be a JSON object")
    event_id, pid = e.get("id"), e.get("prediction_id")
    if not _whole(event_id) or (pid is not None and not _whole(pid)):
        raise InputError(f"event {event_id!r}: 'id' and 'prediction_id' must be whole numbers")
    for name in ("kind", "prev_hash", "hash"):
        if not isinstance(e.get(name), str):
            raise InputError(f"event {event_id}: {name!r} must be text")
    if not isinstance(e.get("recorded_at"), str) or not RECORDED_AT.fullmatch(e["recorded_at"]):
        raise InputError(f"event {event_id}: 'recorded_at' must be a UTC time such as "
                         "2026-11-29T10:00:00+00:00")
    if not isinstance(e.get("payload"), dict):
        raise InputError(f"event {event_id}: 'payload' must be an object")
    return {"id": event_id, "kind": e["kind"], "prediction_id": pid,
            "recorded_at": e["recorded_at"], "payload": canonical_json(e["payload"]),
            "prev_hash": e["prev_hash"], "hash": e["hash"]}


# The form of every recorded_at the ledger writes (clock.system_now): ASCII, so its place
# in the hashed text is the same escaped or not (domain/chain.py).
RECORDED_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                         r"(\.[0-9]+)?(\+00:00|Z)")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def side_row(table: Any, item: Any) -> dict:
    """A series, trend-claim or observation row from a file, checked column by column
    against the table (dates as dates); InputError names the first fault."""
    where = f"{table.name} row {item.get('id') if isinstance(item, dict) else '?'}"
    if not isinstance(item, dict):
        raise InputError(f"each {table.name} row must be a JSON object")
    row: dict[str, Any] = {}
    for column in table.columns:
        value = item.get(column.name)
        if value is None:
            if not column.nullable and not column.primary_key:
                raise InputError(f"{where}: {column.name!r} is missing")
        elif isinstance(column.type, Date):
            try:
                value = dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise InputError(f"{where}: {column.name!r} must be a date YYYY-MM-DD") from None
        elif isinstance(column.type, Float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                raise InputError(f"{where}: {column.name!r} must be a finite number")
            value = float(value)
        elif isinstance(column.type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputError(f"{where}: {column.name!r} must be a whole number")
        elif not isinstance(value, str):
            raise InputError(f"{where}: {column.name!r} must be text")
        row[column.name] = value
    return row


def _checked(table: Any, item: Any) -> dict:
    side_row(table, item)
    return item
