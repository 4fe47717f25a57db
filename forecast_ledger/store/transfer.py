"""Moving whole ledgers in and out: JSON export (streamed) and all-or-nothing import.

The export file holds every record and every event with its hash. Imported into an empty
ledger it is restored exactly, history included, after its chain verifies. Imported into a
ledger that already holds predictions, its predictions are added as new ones (new ids,
``supersedes`` links renumbered), each with an ``import`` event.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from operator import itemgetter
from typing import IO, Any

from sqlalchemy import Connection, Date, insert, select

from forecast_ledger.domain.chain import canonical_json
from forecast_ledger.domain.records import Prediction, prediction_from_dict, record_from_dict
from forecast_ledger.errors import ImportFileError, InputError, LedgerError, TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.json_stream import Items, NotAnObject, members
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
SIDE = {"series": schema.series, "trend_claims": schema.trend_claims,
        "observations": schema.observations}
SECTIONS = (*SIDE, "predictions", "events")


def write_export(ledger: Ledger, out: IO[str]) -> int:
    """Write the whole ledger as JSON to ``out``, one record per line; returns predictions."""
    count = 0
    with ledger.reading() as conn:
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
    if header.get("version") != VERSION:
        raise ImportFileError(f"the import file has version {header.get('version')!r}; this "
                              f"forecast-ledger reads version {VERSION}")


def import_data(ledger: Ledger, sections: Sections) -> int:
    """Import an export's sections into ``ledger`` in one transaction, reading them as it
    goes; returns the predictions added. Any fault in the file undoes everything."""
    with ledger.writing() as events:
        conn = events.conn
        empty = conn.execute(select(E.c.id).limit(1)).first() is None
        try:
            if empty:
                count = _restore(conn, sections)
                verify_connection(conn)
                return count
            return _merge(events, sections)
        except ImportFileError:
            raise
        except NotAnObject:
            raise ImportFileError(NOT_AN_EXPORT) from None
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"the import file is not valid JSON ({exc.msg} at line "
                                  f"{exc.lineno}, column {exc.colno}); nothing was "
                                  "imported") from None
        except UnicodeDecodeError:
            raise ImportFileError("the import file is not UTF-8 text; nothing was "
                                  "imported") from None
        except TamperError as exc:
            raise ImportFileError(f"the import file does not verify: {exc}; nothing was "
                                  "imported") from None
        except InputError as exc:
            raise ImportFileError(f"the import file is malformed: {exc}; nothing was "
                                  "imported") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ImportFileError(f"the import file is malformed ({type(exc).__name__}: "
                                  f"{exc}); nothing was imported") from None


def _restore(conn: Connection, sections: Sections) -> int:
    """Copy every record and event verbatim (the caller verifies before committing)."""
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

    with _indexes_dropped(conn, (P, T, E)):
        for name, items in sections:
            if name == "predictions":
                _bulk_insert(conn, P, predictions(items))
            elif name == "events":
                _bulk_insert(conn, E, (_event_row(e) for e in items))
            else:
                _bulk_insert(conn, SIDE[name], iter(items))
        _bulk_insert(conn, T, iter(tags))
    return count


@contextmanager
def _indexes_dropped(conn: Connection, tables: tuple) -> Iterator[None]:
    """Build the tables' secondary indexes once, after a bulk insert, instead of row by row
    (a third less time for a million predictions). Inside the caller's transaction, so a
    failed import restores them with everything else."""
    indexes = [index for table in tables for index in table.indexes]
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


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
    row = itemgetter(*names)
    chunk: list = []
    for record in records:
        if raw:
            try:
                chunk.append(row(record))
            except KeyError:  # a file may leave out what is null
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


def _merge(events: Any, sections: Sections) -> int:
    """Add the file's predictions as new ones, one by one as they are read."""
    count = 0
    new_ids: dict[int, int] = {}  # id in the file -> id here, for ``supersedes``
    for name, items in sections:
        if name == "predictions":
            for item in items:
                _merge_one(events, prediction_from_dict(item), new_ids)
                count += 1
        elif name in SIDE and any(True for _ in items):
            raise InputError("series and trend claims can only be imported into an empty "
                             "ledger")
    return count


def _merge_one(events: Any, p: Prediction, new_ids: dict[int, int]) -> None:
    supersedes = p.supersedes
    if supersedes is not None:
        if supersedes not in new_ids:
            raise InputError(f"prediction {p.id} supersedes {supersedes}, which is not "
                             "earlier in the file")
        supersedes = new_ids[supersedes]
    try:
        stored = insert_prediction(events, replace(p, supersedes=supersedes, trend_claim=None),
                                   kind="import")
    except LedgerError as exc:
        raise InputError(str(exc)) from None
    if p.id is not None:
        new_ids[p.id] = stored.id  # type: ignore[assignment]
