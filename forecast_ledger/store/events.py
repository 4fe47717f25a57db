"""The bottom of the store: transactions and the writer that extends the hash chain.

Everything that changes a ledger does it inside :func:`write_transaction`, through the
:class:`EventWriter` it yields, so the change and its event commit together or not at all.
This module needs only the tables; rows.py, the whole-ledger modules and the ``Ledger``
facade sit above it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from forecast_ledger.domain.chain import GENESIS, Event, canonical_json, event_hash
from forecast_ledger.errors import Conflict, StoreError
from forecast_ledger.store import schema

E = schema.events


class EventWriter:
    """Appends events to the chain inside one write transaction.

    It reads the head once and keeps it, so a bulk import does not query per event.
    """

    def __init__(self, conn: Connection, now: str):
        self.conn = conn
        self.now = now
        head = conn.execute(select(E.c.id, E.c.hash).order_by(E.c.id.desc()).limit(1)).first()
        self.next_id, self.prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        self._pending: list[dict] = []

    def append(self, kind: str, prediction_id: int | None, payload: dict, *,
               recorded_at: str | None = None) -> str:
        """Append one event; ``recorded_at`` keeps the time of an event merged from another
        ledger (default: this transaction's time)."""
        payload_json = canonical_json(payload)
        at = recorded_at or self.now
        digest = event_hash(self.prev_hash, self.next_id, str(kind), prediction_id, at,
                            payload_json)
        self._pending.append({"id": self.next_id, "kind": str(kind),
                              "prediction_id": prediction_id, "recorded_at": at,
                              "payload": payload_json, "prev_hash": self.prev_hash,
                              "hash": digest})
        self.next_id += 1
        self.prev_hash = digest
        if len(self._pending) >= 5000:
            self.flush()
        return digest

    def flush(self) -> None:
        if not self._pending:
            return
        if self.conn.dialect.name == "sqlite":  # the driver's executemany: a third faster
            names = list(self._pending[0])
            self.conn.exec_driver_sql(
                f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [tuple(row.values()) for row in self._pending])
        else:  # PostgreSQL: a clash of two writers must stay an IntegrityError (see below)
            self.conn.execute(insert(E), self._pending)
        self._pending = []


@contextmanager
def read_transaction(engine: Engine, *, snapshot: bool = False) -> Iterator[Connection]:
    """One read transaction. With ``snapshot`` every statement in it sees the same state
    of the database (PostgreSQL: REPEATABLE READ, READ ONLY, DEFERRABLE, as pg_dump reads;
    SQLite's read transactions are snapshots already)."""
    try:
        with engine.connect() as conn:
            if snapshot and conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                              postgresql_readonly=True,
                                              postgresql_deferrable=True)
            with conn.begin():
                yield conn
    except (OperationalError, DatabaseError) as exc:
        raise StoreError(f"the ledger cannot be read: {reason(exc)}") from None


@contextmanager
def write_transaction(engine: Engine, now: str) -> Iterator[EventWriter]:
    """One write transaction with an :class:`EventWriter`; all or nothing.

    Writers take the write lock first (SQLite: BEGIN IMMEDIATE; PostgreSQL: a lock on the
    events table), so concurrent writers queue instead of forking the chain.
    """
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("LOCK TABLE events IN EXCLUSIVE MODE")
                events = EventWriter(conn, now)
                yield events
                events.flush()
    except IntegrityError as exc:
        raise Conflict(f"the change conflicts with the ledger: {reason(exc)}") from None
    except (OperationalError, DatabaseError) as exc:
        if "readonly" in reason(exc):
            raise StoreError("the ledger is read-only here (its file, folder or file system); "
                             "nothing was written") from None
        raise StoreError(f"the ledger could not be written: {reason(exc)}") from None


def event_from_row(row: Any) -> Event:
    return Event(row.id, row.kind, row.prediction_id, row.recorded_at, json.loads(row.payload),
                 row.prev_hash, row.hash)


def reason(exc: Exception) -> str:
    """The first line of a database error, for a one-line message."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__
