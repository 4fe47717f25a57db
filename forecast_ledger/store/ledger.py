"""The Ledger API: everything the command line does, usable from Python.

    from forecast_ledger import Ledger
    ledger = Ledger.open("predictions.sqlite")
    for p in ledger.due(today=date(2026, 11, 29)):
        print(p.claim, p.days_overdue(date(2026, 11, 29)))

Each public method is one transaction. Every change appends a hash-chained event (see
domain/chain.py) in the same transaction as the change itself, so the history and the
records can never disagree except by tampering, which :meth:`Ledger.verify` finds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from forecast_ledger.clock import system_now
from forecast_ledger.domain.chain import GENESIS, canonical_json, event_hash
from forecast_ledger.domain.dates import Duration, period_containing
from forecast_ledger.domain.records import (
    Prediction,
    Resolution,
    clean_text,
    prediction_to_dict,
    status_of,
)
from forecast_ledger.errors import Conflict, InputError, NotFound, StoreError
from forecast_ledger.store import schema
from forecast_ledger.store.db import ensure_schema, make_engine, stream_rows

if TYPE_CHECKING:
    from forecast_ledger.domain.compression import Forecast
    from forecast_ledger.domain.score import Scored
    from forecast_ledger.store.verify import VerifyReport

P = schema.predictions
T = schema.tags
E = schema.events


@dataclass(frozen=True)
class Event:
    """One entry of the history."""

    id: int
    kind: str
    prediction_id: int | None
    recorded_at: str
    payload: dict
    prev_hash: str
    hash: str

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "prediction_id": self.prediction_id,
                "recorded_at": self.recorded_at, "payload": self.payload,
                "prev_hash": self.prev_hash, "hash": self.hash}


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

    def append(self, kind: str, prediction_id: int | None, payload: dict) -> str:
        payload_json = canonical_json(payload)
        digest = event_hash(self.prev_hash, self.next_id, kind, prediction_id, self.now,
                            payload_json)
        self._pending.append({"id": self.next_id, "kind": kind, "prediction_id": prediction_id,
                              "recorded_at": self.now, "payload": payload_json,
                              "prev_hash": self.prev_hash, "hash": digest})
        self.next_id += 1
        self.prev_hash = digest
        if len(self._pending) >= 5000:
            self.flush()
        return digest

    def flush(self) -> None:
        if self._pending:
            self.conn.execute(insert(E), self._pending)
            self._pending = []


# A prediction's dict form, key by key in the order of records.prediction_to_dict.
RECORD_KEYS = ("id", "key", "claim", "claimant", "made_on", "made_precision", "deadline",
               "deadline_precision", "deadline_expression", "probability", "topic", "criteria",
               "source_url", "source_title", "quote", "note", "tags", "supersedes",
               "trend_claim", "target_value", "outcome", "resolved_on", "evidence")
DATE_COLUMNS = ("made_on", "deadline", "resolved_on")
TAGS_AT = RECORD_KEYS.index("tags")


def plain_row(row: Any) -> dict:
    """A row mapping in its event and export form: dates as ISO text, all else as stored."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def _iso(column: Any) -> Any:
    """A date column read as stored text, skipping SQLAlchemy's per-value conversion (on
    SQLite that is ISO text; :func:`_date` parses it in C)."""
    return type_coerce(column, String).label(column.name)


def _date(value: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def iter_records(conn: Connection, *conditions: Any,
                 order_by: tuple = (P.c.id,)) -> Iterator[dict]:
    """The dict form of each prediction matching ``conditions`` (as its ``add`` event holds
    it), streamed in ``order_by`` order (id by default).

    Dates are read as the stored ISO text where the database allows, to skip converting
    them to date objects and back.
    """
    tags = (select(func.aggregate_strings(T.c.tag, ",")).where(T.c.prediction_id == P.c.id)
            .scalar_subquery())
    columns = [tags if name == "tags" else _iso(P.c[name]) if name in DATE_COLUMNS
               else P.c[name] for name in RECORD_KEYS]
    query = select(*columns).where(*conditions).order_by(*order_by)
    dates_are_text = conn.dialect.name == "sqlite"  # SQLAlchemy stores ISO text there
    for row in stream_rows(conn, query):
        record = dict(zip(RECORD_KEYS, row, strict=True))
        if not dates_are_text:
            for name in DATE_COLUMNS:
                if record[name] is not None:
                    record[name] = record[name].isoformat()
        tags = row[TAGS_AT]
        record["tags"] = sorted(tags.split(",")) if tags else []
        yield record


def row_to_prediction(row, tags: tuple[str, ...] = ()) -> Prediction:  # noqa: ANN001
    """A ``predictions`` row (mapping) as a :class:`Prediction`."""
    resolution = None
    if row.outcome is not None:
        resolution = Resolution(row.outcome, row.resolved_on, row.evidence)
    return Prediction(
        id=row.id, key=row.key, claim=row.claim, claimant=row.claimant,
        made_on=period_containing(row.made_on, row.made_precision),
        deadline=period_containing(row.deadline, row.deadline_precision),
        deadline_expression=row.deadline_expression, probability=row.probability,
        topic=row.topic, criteria=row.criteria, source_url=row.source_url,
        source_title=row.source_title, quote=row.quote, note=row.note, tags=tags,
        supersedes=row.supersedes, trend_claim=row.trend_claim,
        target_value=row.target_value, resolution=resolution,
    )


def prediction_to_row(p: Prediction) -> dict:
    """The ``predictions`` columns of a prediction (tags live in their own table)."""
    row = prediction_to_dict(p)
    del row["tags"]
    for name in ("made_on", "deadline", "resolved_on"):
        if row[name] is not None:
            row[name] = dt.date.fromisoformat(row[name])
    if row["id"] is None:
        del row["id"]
    return row


def _tags_column():
    return (
        select(func.aggregate_strings(T.c.tag, ","))
        .where(T.c.prediction_id == P.c.id)
        .scalar_subquery()
        .label("tags")
    )


def _split_tags(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(text.split(","))) if text else ()


class Ledger:
    """A forecast ledger in one database. Open it with :meth:`Ledger.open`."""

    def __init__(self, engine: Engine, now: Callable[[], str] = system_now):
        self.engine = engine
        self._now = now

    @classmethod
    def open(cls, db: str, *, create: bool = False,
             now: Callable[[], str] = system_now) -> Ledger:
        """Open (and with ``create``, make) the ledger at a path or SQLAlchemy URL.

        An older ledger is migrated; a file that is not a ledger raises StoreError.
        """
        engine = make_engine(db, create=create)
        try:
            ensure_schema(engine, create=create)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, now)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except (OperationalError, DatabaseError) as exc:
            raise StoreError(f"the ledger cannot be read: {_reason(exc)}") from None

    @contextmanager
    def writing(self) -> Iterator[EventWriter]:
        """One write transaction with an :class:`EventWriter`; all or nothing."""
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        conn.exec_driver_sql("LOCK TABLE events IN EXCLUSIVE MODE")
                    events = EventWriter(conn, self._now())
                    yield events
                    events.flush()
        except IntegrityError as exc:
            raise Conflict(f"the change conflicts with the ledger: {_reason(exc)}") from None
        except (OperationalError, DatabaseError) as exc:
            raise StoreError(f"the ledger could not be written: {_reason(exc)}") from None

    # --- predictions --------------------------------------------------------------------

    def add(self, prediction: Prediction, *, kind: str = "add") -> Prediction:
        """Record a new prediction; returns it with its id."""
        with self.writing() as events:
            return insert_prediction(events, prediction, kind=kind)

    def get(self, ref: str | int) -> Prediction:
        """The prediction with this id or key; NotFound otherwise."""
        with self.reading() as conn:
            return fetch_prediction(conn, str(ref))

    def predictions(
        self,
        *,
        today: dt.date,
        status: str | None = None,
        topic: str | None = None,
        claimant: str | None = None,
        tag: str | None = None,
        as_records: bool = False,
    ) -> list:
        """Predictions matching every filter given, by id.

        With ``as_records``, plain dicts in the export/JSON form instead of
        :class:`Prediction` objects: several times faster for large listings.
        """
        conditions = []
        if status == "resolved":
            conditions.append(P.c.outcome.is_not(None))
        elif status == "due":
            conditions += [P.c.outcome.is_(None), P.c.deadline < today]
        elif status == "pending":
            conditions += [P.c.outcome.is_(None), P.c.deadline >= today]
        elif status is not None:
            raise InputError(f"status {status!r} is not one of pending, due, resolved")
        if topic is not None:
            conditions.append(P.c.topic == topic)
        if claimant is not None:
            conditions.append(func.lower(P.c.claimant) == claimant.strip().lower())
        if tag is not None:
            conditions.append(P.c.id.in_(select(T.c.prediction_id).where(T.c.tag == tag)))
        return self._select(conditions, (P.c.id,), as_records)

    def due(self, *, today: dt.date, within: Duration | None = None,
            as_records: bool = False) -> list:
        """Unresolved predictions past their deadline, most overdue first; with ``within``,
        also those whose deadline falls from today to today + within. ``as_records`` as in
        :meth:`predictions`."""
        condition = P.c.deadline < today
        if within is not None:
            horizon = today + within.delta()
            condition = or_(condition, and_(P.c.deadline >= today, P.c.deadline <= horizon))
        return self._select([P.c.outcome.is_(None), condition], (P.c.deadline, P.c.id),
                            as_records)

    def _select(self, conditions: list, order_by: tuple, as_records: bool) -> list:
        with self.reading() as conn:
            if as_records:
                return list(iter_records(conn, *conditions, order_by=order_by))
            query = select(P, _tags_column()).where(*conditions).order_by(*order_by)
            return [row_to_prediction(r, _split_tags(r.tags)) for r in conn.execute(query)]

    def resolve(
        self,
        ref: str | int,
        outcome: str,
        *,
        today: dt.date,
        on: dt.date | None = None,
        evidence: str | None = None,
        reason: str | None = None,
        force: bool = False,
    ) -> Prediction:
        """Resolve (or re-resolve, with a reason) a prediction; returns it resolved.

        ``on`` is the day the outcome happened or became knowable (default ``today``).
        A 'no' while the claim can still come true (today on or before the deadline) is
        refused unless ``force`` with a ``reason``.
        """
        resolved_on = on or today
        evidence = clean_text(evidence, "evidence")
        reason = clean_text(reason, "reason")
        with self.writing() as events:
            p = fetch_prediction(events.conn, str(ref))
            _check_resolution(p, outcome, resolved_on, today, reason, force)
            new = Resolution(outcome, resolved_on, evidence)
            apply_resolution(events, p, new, reason=reason, forced=force)
            return replace(p, resolution=new)

    # --- history ------------------------------------------------------------------------

    def history(self, ref: str | int) -> list[Event]:
        """Every event about one prediction, oldest first."""
        with self.reading() as conn:
            p = fetch_prediction(conn, str(ref))
            rows = conn.execute(select(E).where(E.c.prediction_id == p.id).order_by(E.c.id))
            return [_event(r) for r in rows]

    def head(self) -> tuple[int, str]:
        """(number of events, hash of the last one): publish it to prove nothing was rewritten."""
        with self.reading() as conn:
            row = conn.execute(select(E.c.id, E.c.hash).order_by(E.c.id.desc()).limit(1)).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    # --- compression ---------------------------------------------------------------------

    def forecasts(self, *, today: dt.date, topic: str | None = None,
                  since: dt.date | None = None, until: dt.date | None = None,
                  ) -> Iterator[tuple[str, Forecast]]:
        """(topic, Forecast) for every prediction that has a topic, streamed."""
        from forecast_ledger.domain.compression import Forecast

        query = select(P.c.topic, P.c.id, P.c.key, P.c.claimant, _iso(P.c.made_on),
                       _iso(P.c.deadline), P.c.outcome).where(P.c.topic.is_not(None))
        if topic is not None:
            query = query.where(P.c.topic == topic)
        if since is not None:
            query = query.where(P.c.made_on >= since)
        if until is not None:
            query = query.where(P.c.made_on <= until)
        with self.reading() as conn:
            for t, pid, key, who, made, deadline, outcome in stream_rows(conn, query):
                deadline = _date(deadline)
                yield t, Forecast(pid, key, who, _date(made), deadline,
                                  status_of(deadline, outcome, today))

    def scored(self, *, topic: str | None = None,
               claimant: str | None = None) -> Iterator[Scored]:
        """What scoring needs of each prediction, streamed."""
        from forecast_ledger.domain.score import Scored

        query = select(P.c.claimant, P.c.probability, P.c.outcome, P.c.deadline,
                       P.c.resolved_on).order_by(P.c.id)
        if topic is not None:
            query = query.where(P.c.topic == topic)
        if claimant is not None:
            query = query.where(func.lower(P.c.claimant) == claimant.strip().lower())
        with self.reading() as conn:
            for row in conn.execution_options(yield_per=20_000).execute(query):
                yield Scored(*row)

    # --- trends (store/trends.py) ---------------------------------------------------------

    def create_series(self, name: str, *, unit: str | None = None,
                      description: str | None = None):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.writing() as events:
            return trends.create_series(events, name, unit, description)

    def observe(self, series: str, points: list, *, today: dt.date,
                source: str | None = None) -> list[Prediction]:
        """Add observations (domain.trends.Point); returns milestones they resolved."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            found = trends.get_series(events.conn, series)
            return trends.add_observations(events, found, points, source, today)

    def add_trend_claim(self, series: str, **fields: str | None):  # noqa: ANN201
        """Record a trend claim (doubling, claimant, made, anchor_date, anchor_value, key …)."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            found = trends.get_series(events.conn, series)
            return trends.add_trend_claim(events, found, **fields)  # type: ignore[arg-type]

    def project(self, claim: str, target: str, *, key: str | None = None) -> Prediction:
        """The milestone prediction a trend claim implies for a target value."""
        from forecast_ledger.store import trends

        with self.writing() as events:
            stored = trends.project_milestone(events, claim, target, key=key)
        return self.get(stored.id)  # type: ignore[arg-type]

    def series_points(self, series: str, start: dt.date | None = None,
                      end: dt.date | None = None):  # noqa: ANN201
        """(Series, observations in the window)."""
        from forecast_ledger.store import trends

        with self.reading() as conn:
            found = trends.get_series(conn, series)
            return found, trends.observations(conn, found, start, end)

    def series_detail(self, series: str):  # noqa: ANN201
        """(Series, observations, trend claims, milestone predictions)."""
        from forecast_ledger.store import trends

        with self.reading() as conn:
            found = trends.get_series(conn, series)
            claims = trends.trend_claims(conn, found)
            ids = [c.id for c in claims]
            rows = conn.execute(select(P, _tags_column()).where(P.c.trend_claim.in_(ids))
                                .order_by(P.c.id)) if ids else []
            milestones = [row_to_prediction(r, _split_tags(r.tags)) for r in rows]
            return found, trends.observations(conn, found), claims, milestones

    def trend_claim(self, ref: str):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.reading() as conn:
            return trends.get_trend_claim(conn, ref)

    def all_series(self):  # noqa: ANN201
        from forecast_ledger.store import trends

        with self.reading() as conn:
            return trends.list_series(conn)

    # --- whole-ledger operations (each in its own module) ---------------------------------

    def export_json(self, out: IO[str]) -> int:
        """Stream the whole ledger as JSON to a text file object; returns predictions."""
        from forecast_ledger.store.transfer import write_export

        return write_export(self, out)

    def import_json(self, source: str | dict | IO[str]) -> int:
        """Import an export (its text, an open text file, or the parsed dict), all or
        nothing; returns the number of predictions added. A file is read as it is imported,
        so a million predictions need no more memory than a few thousand."""
        from forecast_ledger.store.transfer import import_data, sections_of

        return import_data(self, sections_of(source))

    def verify(self) -> VerifyReport:
        """Recompute the chain and replay it against the records; TamperError on a fault."""
        from forecast_ledger.store.verify import verify_connection

        with self.reading() as conn:
            return verify_connection(conn, second_reader=self.reading)

    def backup(self, path: str) -> str:
        """Write a consistent copy to ``path`` while others may be writing.

        SQLite ledgers use SQLite's online backup (a new ledger file); other databases are
        exported as JSON (restore with ``ledger import``). Returns which kind was written.
        """
        from pathlib import Path

        target = Path(path)
        if target.exists():
            raise Conflict(f"{target} already exists; choose a new backup path")
        if self.engine.dialect.name == "sqlite":
            import sqlite3

            try:
                with self.engine.connect() as conn:
                    source = conn.connection.dbapi_connection
                    dest = sqlite3.connect(target)
                    try:
                        source.backup(dest)  # type: ignore[union-attr]
                    finally:
                        dest.close()
            except (sqlite3.Error, OSError) as exc:
                target.unlink(missing_ok=True)
                raise StoreError(f"the backup to {target} failed: {exc}") from None
            return "sqlite"
        try:
            with open(target, "w", encoding="utf-8") as out:
                self.export_json(out)
        except OSError as exc:
            raise StoreError(f"the backup to {target} failed: {exc}") from None
        return "json"

    def has_event_hash(self, prefix: str) -> bool:
        """Whether an event's hash starts with ``prefix`` (a published head)."""
        with self.reading() as conn:
            return conn.execute(select(E.c.id).where(E.c.hash.startswith(prefix, autoescape=True))
                                .limit(1)).first() is not None

    def is_empty(self) -> bool:
        with self.reading() as conn:
            return conn.execute(select(E.c.id).limit(1)).first() is None


def insert_prediction(events: EventWriter, p: Prediction, *, kind: str) -> Prediction:
    """Insert a validated prediction and its event(s) in the caller's write transaction."""
    conn = events.conn
    if p.key is not None and conn.execute(select(P.c.id).where(P.c.key == p.key)).first():
        raise Conflict(f"key {p.key!r} is already used; choose another --key")
    if p.supersedes is not None:
        old = fetch_prediction(conn, str(p.supersedes))
        if old.claimant != p.claimant:
            raise InputError(
                f"prediction {old.id} is by {old.claimant}, not {p.claimant}; "
                "--supersedes links restatements by the same claimant"
            )
    new_id = conn.execute(insert(P).values(prediction_to_row(replace(p, id=None)))) \
        .inserted_primary_key[0]
    if p.tags:
        conn.execute(insert(T), [{"prediction_id": new_id, "tag": t} for t in p.tags])
    stored = replace(p, id=new_id)
    events.append(kind, new_id, prediction_to_dict(stored))
    if p.supersedes is not None:
        events.append("supersede", p.supersedes, {"superseded_by": new_id})
    return stored


def fetch_prediction(conn: Connection, ref: str) -> Prediction:
    """The prediction with this id or key, read on ``conn``; NotFound otherwise."""
    ref = ref.strip()
    where = P.c.id == int(ref) if ref.isdigit() else P.c.key == ref
    row = conn.execute(select(P, _tags_column()).where(where)).first()
    if row is None:
        what = "id" if ref.isdigit() else "key"
        raise NotFound(f"no prediction has {what} {ref!r}; 'ledger list' shows them")
    return row_to_prediction(row, _split_tags(row.tags))


def apply_resolution(events: EventWriter, p: Prediction, new: Resolution, *,
                     reason: str | None, forced: bool) -> None:
    """Write a (re-)resolution and its event; the caller has checked it is allowed."""
    events.conn.execute(
        update(P).where(P.c.id == p.id).values(
            outcome=new.outcome, resolved_on=new.resolved_on, evidence=new.evidence))
    previous = p.resolution
    events.append("re-resolve" if previous else "resolve", p.id, {
        "outcome": new.outcome,
        "resolved_on": new.resolved_on.isoformat(),
        "evidence": new.evidence,
        "reason": reason,
        "forced": forced,
        "previous": None if previous is None else {
            "outcome": previous.outcome,
            "resolved_on": previous.resolved_on.isoformat(),
            "evidence": previous.evidence,
        },
    })


def _event(row) -> Event:  # noqa: ANN001
    return Event(row.id, row.kind, row.prediction_id, row.recorded_at, json.loads(row.payload),
                 row.prev_hash, row.hash)


def _check_resolution(p: Prediction, outcome: str, resolved_on: dt.date, today: dt.date,
                      reason: str | None, force: bool) -> None:
    label = p.key or str(p.id)
    if p.resolution is not None and reason is None:
        raise Conflict(
            f"prediction {label} is already resolved {p.resolution.outcome} on "
            f"{p.resolution.resolved_on}; to change it, give a --reason"
        )
    if resolved_on > today:
        raise InputError(f"--on {resolved_on} is after today ({today}); a verdict cannot "
                         "come from the future")
    if resolved_on < p.made_on.first:
        raise InputError(f"--on {resolved_on} is before the prediction was made "
                         f"({p.made_on.label()})")
    if outcome == "no" and today <= p.deadline.last:
        if not (force and reason):
            raise Conflict(
                f"prediction {label} can still come true until its deadline "
                f"{p.deadline.last}; resolving it 'no' now needs --force with a --reason"
            )


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__

