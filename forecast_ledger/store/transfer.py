"""Moving whole ledgers in and out: JSON export (streamed) and all-or-nothing import.

The export file holds every record and every event with its hash. Imported into an empty
ledger it is restored exactly, history included, after its chain verifies. Imported into a
ledger that already holds predictions, its predictions are added as new ones (new ids,
``supersedes`` links renumbered), each with an ``import`` event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from sqlalchemy import Connection, Date, insert, select

from forecast_ledger.domain.chain import canonical_json
from forecast_ledger.domain.records import prediction_from_dict, prediction_to_dict
from forecast_ledger.errors import ImportFileError, InputError, LedgerError, TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.ledger import (
    E,
    Ledger,
    P,
    T,
    insert_prediction,
    iter_records,
    plain_row,
)
from forecast_ledger.store.verify import verify_connection

FORMAT = "forecast-ledger"
VERSION = 1
SIDE = (("series", schema.series), ("trend_claims", schema.trend_claims),
        ("observations", schema.observations))


def write_export(ledger: Ledger, out: IO[str]) -> int:
    """Write the whole ledger as JSON to ``out``, one record per line; returns predictions."""
    count = 0
    with ledger.reading() as conn:
        out.write(f'{{"format": "{FORMAT}", "version": {VERSION}')
        for name, table in SIDE:
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


def read_import_file(text: str) -> dict:
    """Parse and check the shape of an export file; ImportFileError if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"the import file is not valid JSON ({exc.msg} at line "
                              f"{exc.lineno}, column {exc.colno}); nothing was imported") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError("the import file is not a forecast-ledger export (it needs "
                              f'"format": "{FORMAT}"); nothing was imported')
    if data.get("version") != VERSION:
        raise ImportFileError(f"the import file has version {data.get('version')!r}; this "
                              f"forecast-ledger reads version {VERSION}")
    for name in ("predictions", "events", "series", "trend_claims", "observations"):
        if not isinstance(data.get(name, []), list):
            raise ImportFileError(f"the import file's {name!r} must be a list")
    return data


def import_data(ledger: Ledger, data: dict) -> int:
    """Import a parsed export into ``ledger`` in one transaction; returns predictions added."""
    with ledger.writing() as events:
        conn = events.conn
        empty = conn.execute(select(E.c.id).limit(1)).first() is None
        try:
            if empty:
                count = _restore(conn, data)
                verify_connection(conn)
                return count
            return _merge(events, data)
        except TamperError as exc:
            raise ImportFileError(f"the import file does not verify: {exc}; nothing was "
                                  "imported") from None
        except (InputError, ImportFileError) as exc:
            raise ImportFileError(f"the import file is malformed: {exc}; nothing was "
                                  "imported") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImportFileError(f"the import file is malformed ({type(exc).__name__}: "
                                  f"{exc}); nothing was imported") from None


def _restore(conn: Connection, data: dict) -> int:
    """Copy every record and event verbatim (the caller verifies before committing)."""
    for name, table in SIDE:
        _bulk_insert(conn, table, iter(data.get(name, [])))
    predictions = [prediction_from_dict(d) for d in data.get("predictions", [])]
    for p in predictions:
        if p.id is None:
            raise InputError("every prediction in an export needs its id")
    _bulk_insert(conn, P, (prediction_to_dict(p) for p in predictions))
    _bulk_insert(conn, T, ({"prediction_id": p.id, "tag": t} for p in predictions
                           for t in p.tags))
    _bulk_insert(conn, E, (_event_row(e) for e in data.get("events", [])))
    return len(predictions)


def _bulk_insert(conn: Connection, table: Any, records: Iterator[dict]) -> None:
    """Insert dicts (dates as ISO text) in chunks.

    On SQLite the rows go straight to the driver's executemany: SQLAlchemy's per-row
    parameter processing would double the time of a million-row import, and SQLite stores
    SQLAlchemy dates as the same ISO text. Other databases take the Core insert.
    """
    names = [c.name for c in table.columns]
    dates = {c.name for c in table.columns if isinstance(c.type, Date)}
    raw = conn.dialect.name == "sqlite"
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    chunk: list = []
    for record in records:
        if raw:
            chunk.append(tuple(record.get(n) for n in names))
        else:
            chunk.append({n: (dt.date.fromisoformat(record[n]) if n in dates and record.get(n)
                              else record.get(n)) for n in names})
        if len(chunk) == 20_000:
            _flush(conn, table, sql, chunk, raw)
            chunk = []
    if chunk:
        _flush(conn, table, sql, chunk, raw)


def _flush(conn: Connection, table: Any, sql: str, chunk: list, raw: bool) -> None:
    if raw:
        conn.exec_driver_sql(sql, chunk)
    else:
        conn.execute(insert(table), chunk)


def _event_row(e: dict) -> dict:
    if not isinstance(e, dict):
        raise InputError("each event must be a JSON object")
    return {"id": e["id"], "kind": e["kind"], "prediction_id": e.get("prediction_id"),
            "recorded_at": e["recorded_at"], "payload": canonical_json(e["payload"]),
            "prev_hash": e["prev_hash"], "hash": e["hash"]}


def _merge(events: Any, data: dict) -> int:
    if any(data.get(name) for name, _ in SIDE):
        raise InputError("series and trend claims can only be imported into an empty ledger")
    predictions = [prediction_from_dict(d) for d in data.get("predictions", [])]
    new_ids: dict[int, int] = {}
    for p in predictions:
        supersedes = p.supersedes
        if supersedes is not None:
            if supersedes not in new_ids:
                raise InputError(f"prediction {p.id} supersedes {supersedes}, which is not "
                                 "earlier in the file")
            supersedes = new_ids[supersedes]
        try:
            stored = insert_prediction(events, replace(p, supersedes=supersedes,
                                                         trend_claim=None), kind="import")
        except LedgerError as exc:
            raise InputError(str(exc)) from None
        if p.id is not None:
            new_ids[p.id] = stored.id  # type: ignore[assignment]
    return len(predictions)
