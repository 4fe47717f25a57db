"""``ledger verify``: recompute the hash chain and replay it against the records.

Two checks:
1. every event's hash is recomputed from its content and the previous hash (streamed);
2. the records (predictions, tags, series, observations, trend claims) are compared with
   what the events say they are, so a deadline edited behind the ledger's back is named
   even though no event was touched.

A prediction's ``add`` event holds its full record as canonical JSON. Rebuilding that text
in Python for a million rows would cost twenty times the hashing, so on SQLite one SQL
statement renders every row with ``json_object`` and compares it with the payload inside the
database. Only the rows that do not match byte for byte (none, unless something was edited,
or SQLite prints a float differently from Python) are rebuilt in Python and compared exactly.
Other databases rebuild every row in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Date, Float, Integer, Row, func, or_, select
from sqlalchemy.exc import DBAPIError

from forecast_ledger.domain.chain import ADD_KINDS, GENESIS, EventKind, canonical_json, event_hash
from forecast_ledger.domain.records import legacy_uid
from forecast_ledger.errors import TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.db import stream_rows
from forecast_ledger.store.rows import RECORD_KEYS, E, P, iso, iter_records, plain_row

RESOLUTION_FIELDS = ("outcome", "resolved_on", "evidence")
UNRESOLVED = (None, None, None)
CHUNK = 10_000  # ids per exact-check query

# Event kinds that create a record of a side table, and that table.
SIDE_TABLES = {EventKind.SERIES: schema.series, EventKind.OBSERVE: schema.observations,
               EventKind.TREND_CLAIM: schema.trend_claims}


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head: str
    predictions: int


@dataclass
class _History:
    """What the events say the records are."""

    events: int = 0
    head: str = GENESIS
    added: set[int] = field(default_factory=set)  # ids that have an add event
    edits: dict[int, dict] = field(default_factory=dict)  # field -> its latest edited value
    # The latest verdict of each prediction resolved by an event; one added already resolved
    # gets its verdict at add when its payload is read (_check_predictions).
    resolution: dict[int, tuple] = field(default_factory=dict)
    side: dict[str, dict[int, dict]] = field(
        default_factory=lambda: {kind: {} for kind in SIDE_TABLES})


def verify_connection(conn: Connection, *,
                      second_reader: Callable[[], AbstractContextManager[Connection]]
                      | None = None) -> VerifyReport:
    """Check the chain and the records on ``conn``; raise TamperError at the first fault.

    ``second_reader`` opens another read transaction on the same SQLite ledger. With it the
    rows are compared on one such connection and the file's pages checked on another, each
    in a thread, while ``conn`` walks the chain: both are SQL statements, which run without
    Python's lock, so the three share the cores. Every change appends an event, so when the
    comparison saw the same last event as the walk it saw the same ledger; otherwise the
    comparison is redone here.
    """
    if second_reader is not None and conn.dialect.name == "sqlite":
        with ThreadPoolExecutor(max_workers=2) as pool:
            pages = pool.submit(_check_pages, second_reader)
            elsewhere = pool.submit(_suspects_and_head, second_reader)
            try:
                history = _walk_chain(conn)
            except Exception:
                # A damaged file or a value of the wrong type: the storage checks name it.
                pages.result()
                _check_storage_classes(conn, WALKED)
                elsewhere.result()
                raise
            pages.result()
            suspects, last_event = elsewhere.result()
        if last_event != history.events:  # a write landed between the two snapshots
            suspects = _checked_suspects(conn)  # (the pages were checked above)
    elif conn.dialect.name == "sqlite":
        _check_sqlite_storage(conn)
        history = _walk_chain(conn)
        suspects = _sqlite_suspects(conn)
    else:
        history = _walk_chain(conn)
        suspects = list(history.added)
    # An edited row no longer renders as its add event: compare each exactly, as edited.
    suspects = sorted(set(suspects) | set(history.edits))
    checked = _check_predictions(conn, history, suspects)
    _check_tags(conn)
    _check_resolutions(conn, history.resolution)
    for kind, table in SIDE_TABLES.items():
        _check_side_table(conn, table, history.side[kind])
    return VerifyReport(history.events, history.head, checked)


def _walk_chain(conn: Connection) -> _History:
    history = _History()
    prev_hash, count = GENESIS, 0
    rows = stream_rows(conn, select(E.c.id, E.c.kind, E.c.prediction_id, E.c.recorded_at,
                                    E.c.payload, E.c.prev_hash, E.c.hash).order_by(E.c.id))
    for event_id, kind, pid, recorded_at, payload, stored_prev, stored_hash in rows:
        count += 1
        if event_id != count:
            raise TamperError(f"the history is broken: event {count} is missing "
                              f"(found {event_id} next)")
        if stored_prev != prev_hash:
            raise TamperError(f"{_where(event_id, kind, pid)} does not follow the event "
                              "before it")
        if event_hash(prev_hash, event_id, kind, pid, recorded_at, payload) != stored_hash:
            raise TamperError(f"{_where(event_id, kind, pid)} was altered: its hash does not "
                              "match its content")
        prev_hash = stored_hash
        # SQLite keeps any value in any column, and the hash covers a value's text, not its
        # type: a chain rehashed around a BLOB payload or a text prediction id would pass.
        # (The other columns cannot: the hashes are compared with text, and json.dumps
        # refuses a BLOB kind or time.)
        if payload.__class__ is not str or not (pid is None or pid.__class__ is int):
            raise TamperError(f"{_where(event_id, kind, pid)} holds a value of a type the "
                              "ledger never writes")
        try:
            if kind in ADD_KINDS:
                if pid in history.added:
                    raise TamperError(f"{_where(event_id, kind, pid)} adds a prediction that "
                                      "was already added")
                history.added.add(pid)
            elif kind in (EventKind.RESOLVE, EventKind.RE_RESOLVE):
                data = json.loads(payload)
                history.resolution[pid] = tuple(data[k] for k in RESOLUTION_FIELDS)
            elif kind == EventKind.EDIT:
                changes = json.loads(payload)["changes"]
                history.edits.setdefault(pid, {}).update(
                    {name: change["new"] for name, change in changes.items()})
            elif kind in SIDE_TABLES:
                data = json.loads(payload)
                history.side[kind][data["id"]] = data
        except (KeyError, TypeError, AttributeError, ValueError):
            # a chain rewritten consistently around a payload the ledger never writes
            raise TamperError(f"{_where(event_id, kind, pid)} is malformed: the ledger "
                              "never writes such an event") from None
    history.events, history.head = count, prev_hash
    return history


def _check_predictions(conn: Connection, history: _History, suspects: list[int]) -> int:
    """Every prediction row has its add event and matches its payload, and vice versa.

    ``suspects`` are the ids whose rows must be compared exactly: all of them, or on SQLite
    those that :func:`_sqlite_suspects` could not match. (A row that matches is unresolved
    at add and has a uid in its payload, so only suspects can be added already resolved or
    imply their uid.)
    """
    added = history.added
    for start in range(0, len(suspects), CHUNK):
        chunk = suspects[start:start + CHUNK]
        found = {record["id"]: record for record in iter_records(conn, P.c.id.in_(chunk))}
        adds = {row.prediction_id: row for row in conn.execute(
            select(E.c.id, E.c.kind, E.c.prediction_id, E.c.payload)
            .where(E.c.kind.in_(ADD_KINDS), E.c.prediction_id.in_(chunk)))}
        for pid in sorted(chunk):
            record = found.get(pid)
            if record is None:
                raise TamperError(f"prediction {pid} is in the history but missing from the "
                                  "ledger: it was deleted")
            if not _matches_history(record, adds[pid], history):
                label = record.get("key") or record["claim"][:40]
                raise TamperError(f"prediction {pid} ({label}) differs from its history: it "
                                  "was edited behind the ledger's back")
    rows = conn.execute(select(func.count()).select_from(P)).scalar_one()
    if rows != len(added):  # every add found its row, so some row has no add event
        for (pid,) in conn.execute(select(P.c.id).order_by(P.c.id)):
            if pid not in added:
                raise TamperError(f"prediction {pid} is not in the history: it was inserted "
                                  "behind the ledger's back")
    return rows


def _matches_history(record: dict, add: Row, history: _History) -> bool:
    """Whether a prediction's row (as ``record``) is what its add event (``add``) and its
    edits make it, the verdict aside: a verdict given at add goes into
    ``history.resolution`` (unless a later event replaced it) for :func:`_check_resolutions`."""
    pid = add.prediction_id
    try:
        expected = json.loads(add.payload)
        at_add = tuple(expected[k] for k in RESOLUTION_FIELDS)
    except (KeyError, TypeError, ValueError):
        raise TamperError(f"{_where(add.id, add.kind, pid)} is malformed: the ledger never "
                          "writes such an event") from None
    if at_add != UNRESOLVED:  # added already resolved: later verdicts replace this one
        history.resolution.setdefault(pid, at_add)
    record.update(zip(RESOLUTION_FIELDS, at_add, strict=True))
    if "uid" in expected and pid not in history.edits:
        return canonical_json(record) == add.payload
    if "uid" not in expected:  # an add from before uids implies its uid
        expected["uid"] = legacy_uid(expected)
    expected.update(history.edits.get(pid, {}))
    return canonical_json(record) == canonical_json(expected)


def _sqlite_suspects(conn: Connection) -> list[int]:
    """Ids of add events whose row is missing, or does not render to the payload's text.

    The row is rendered as its add event saw it: unresolved (a resolution comes later, in
    events of its own; the rare record added already resolved is checked exactly).
    """
    def value(name: str) -> str:
        if name == "tags":  # (the array stays JSON through the subquery and coalesce)
            return ("coalesce((SELECT json_group_array(tag) FROM (SELECT tag FROM tags "
                    "WHERE prediction_id = p.id ORDER BY tag)), json_array())")
        return "NULL" if name in RESOLUTION_FIELDS else f"p.{name}"

    fields = ", ".join(f"'{name}', {value(name)}" for name in sorted(RECORD_KEYS))
    kinds = ", ".join(f"'{kind}'" for kind in ADD_KINDS)
    # json_object prints a float with 15 significant digits, so a number changed in its
    # 17th digit would print as its payload does. A float that 15 digits do not give back
    # exactly is a suspect (cheaper than parsing every payload with json_extract). SQLite's
    # own text form of a REAL has 15 significant digits, and costs less than printf.
    floats = " OR ".join(f"CAST(CAST(p.{c.name} AS TEXT) AS REAL) <> p.{c.name}"
                         for c in P.columns if isinstance(c.type, Float))
    # The verdict's fields are rendered as NULL: their storage classes are checked here.
    verdicts = " OR ".join(f"typeof(p.{name}) NOT IN "
                           f"({', '.join(map(repr, _storage_classes(P.c[name])))})"
                           for name in RESOLUTION_FIELDS)
    sql = ("SELECT e.prediction_id FROM events e LEFT JOIN predictions p "
           f"ON p.id = e.prediction_id WHERE e.kind IN ({kinds}) "
           f"AND (p.id IS NULL OR e.payload IS NOT json_object({fields}) OR {floats} "
           f"OR {verdicts})")
    return [pid for (pid,) in conn.exec_driver_sql(sql)]


def _check_tags(conn: Connection) -> None:
    """A tag whose prediction does not exist belongs to no record, so no event accounts for
    it (planted for the next id, it would make an honest add look tampered with)."""
    T = schema.tags
    orphan = conn.execute(select(T.c.prediction_id, T.c.tag).where(
        T.c.prediction_id.not_in(select(P.c.id))).limit(1)).first()
    if orphan is not None:
        raise TamperError(f"tag {orphan.tag!r} of prediction {orphan.prediction_id} belongs to "
                          "no prediction: it was inserted behind the ledger's back")


def _check_sqlite_storage(conn: Connection) -> None:
    """SQLite keeps any value in any column, and a damaged file can still answer queries:
    check the file's structure and that every value has the storage class its column's type
    gives it."""
    _check_sqlite_file(conn)
    _check_storage_classes(conn)


def _check_sqlite_file(conn: Connection) -> None:
    """The file's structure: pages and indexes (quick_check)."""
    problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise TamperError(f"the ledger file is damaged: {problems[0]}")


def _check_storage_classes(conn: Connection, tables=schema.metadata.sorted_tables) -> None:  # noqa: ANN001
    """Every value (of ``tables``) has the storage class its column's type gives it."""
    for table in tables:
        allowed = {c.name: _storage_classes(c) for c in table.columns}
        wrong = " OR ".join(f"typeof({name}) NOT IN ({', '.join(map(repr, kinds))})"
                            for name, kinds in allowed.items())
        key = ", ".join(c.name for c in table.primary_key.columns)
        row = conn.exec_driver_sql(f"SELECT {key}, {', '.join(f'typeof({n})' for n in allowed)} "
                                   f"FROM {table.name} WHERE {wrong} LIMIT 1").first()
        if row is not None:
            width = len(table.primary_key.columns)
            for name, kind in zip(allowed, row[width:], strict=True):
                if kind not in allowed[name]:
                    raise TamperError(f"{table.name} row {', '.join(map(str, row[:width]))}: "
                                      f"{name} holds a value of type {kind}, which the ledger "
                                      "never writes there")


def _storage_classes(column) -> tuple[str, ...]:  # noqa: ANN001
    kind = ("integer",) if isinstance(column.type, Integer) else \
        ("real",) if isinstance(column.type, Float) else ("text",)
    return (*kind, "null") if column.nullable and not column.primary_key else kind


def _check_pages(reader: Callable[[], AbstractContextManager[Connection]]) -> None:
    with reader() as conn:
        _check_sqlite_file(conn)


def _suspects_and_head(reader: Callable[[], AbstractContextManager[Connection]],
                       ) -> tuple[list[int], int]:
    with reader() as conn:
        last_event = conn.execute(select(func.max(E.c.id))).scalar_one() or 0
        return _checked_suspects(conn), last_event


# The row comparison renders every column of these, and a value of another storage class
# renders otherwise (5 for "5", "0.7" for 0.7), so a row that matches has the right classes.
RENDERED = (schema.predictions, schema.tags)
# The walk fails on a value of the wrong storage class in the history (it checks the types
# the hash cannot see); the history's classes are checked only then, to name it.
WALKED = (schema.events,)


def _checked_suspects(conn: Connection) -> list[int]:
    """:func:`_sqlite_suspects`, with every value's storage class checked: the tables that
    neither the comparison nor the walk reads first, the rendered ones only when the
    comparison found a suspect (to name a wrong type as such) or could not render a value
    (a BLOB)."""
    _check_storage_classes(conn, [t for t in schema.metadata.sorted_tables
                                  if t not in RENDERED + WALKED])
    try:
        suspects = _sqlite_suspects(conn)
    except DBAPIError:
        _check_storage_classes(conn, RENDERED)
        raise
    if suspects:
        _check_storage_classes(conn, RENDERED)
    return suspects


def _check_resolutions(conn: Connection, expected: dict[int, tuple]) -> None:
    """Each row's resolution is the latest its events give (and none where they give none)."""
    expected = dict(expected)
    query = (select(P.c.id, P.c.outcome, iso(P.c.resolved_on), P.c.evidence)
             .where(or_(*(P.c[name].is_not(None) for name in RESOLUTION_FIELDS)))
             .order_by(P.c.id))
    for row in conn.execute(query).mappings():
        record = plain_row(row)
        current = tuple(record[k] for k in RESOLUTION_FIELDS)
        if expected.pop(record["id"], UNRESOLVED) != current:
            raise TamperError(f"prediction {record['id']}'s resolution differs from its "
                              "history")
    if expected:
        raise TamperError(f"prediction {min(expected)}'s resolution differs from its history")


def _where(event_id: int, kind: str, pid: int | None) -> str:
    return f"event {event_id} ({kind}" + (f", prediction {pid})" if pid else ")")


def _check_side_table(conn: Connection, table, expected: dict[int, dict]) -> None:  # noqa: ANN001
    # Dates as stored: a date rewritten in another form (2026-1-1) must not pass as equal.
    columns = [iso(c) if isinstance(c.type, Date) else c for c in table.columns]
    for row in conn.execute(select(*columns).order_by(table.c.id)).mappings():
        record = plain_row(row)
        if expected.pop(record["id"], None) != record:
            raise TamperError(f"{table.name} row {record['id']} differs from its history")
    if expected:
        raise TamperError(f"{table.name} row {min(expected)} is in the history but missing")
