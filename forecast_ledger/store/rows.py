"""Rows of the ledger's tables and the records they hold, for every module of the store.

Below the ``Ledger`` facade and the whole-ledger modules (transfer, verify, trends, seed),
above events.py: the arrows in store/ run facade → these modules → rows → events → schema.
Functions here run inside a transaction the caller opened (a connection or an
:class:`~forecast_ledger.store.events.EventWriter`) and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, String, func, insert, select, type_coerce, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from forecast_ledger.domain.chain import EventKind
from forecast_ledger.domain.dates import period_containing
from forecast_ledger.domain.records import (
    Prediction,
    Resolution,
    new_uid,
    parse_ref,
    prediction_to_dict,
)
from forecast_ledger.errors import Conflict, InputError, NotFound
from forecast_ledger.store import schema
from forecast_ledger.store.db import stream_rows
from forecast_ledger.store.events import EventWriter

P = schema.predictions
T = schema.tags
E = schema.events

# A prediction's dict form, key by key in the order of records.prediction_to_dict.
RECORD_KEYS = ("id", "uid", "key", "claim", "claimant", "made_on", "made_precision",
               "deadline", "deadline_precision", "deadline_expression", "probability", "topic",
               "criteria", "source_url", "source_title", "quote", "note", "tags", "supersedes",
               "trend_claim", "target_value", "outcome", "resolved_on", "evidence")
DATE_COLUMNS = ("made_on", "deadline", "resolved_on")
TAGS_AT = RECORD_KEYS.index("tags")


class folded(GenericFunction):  # noqa: N801 (SQL function names are lower case)
    """Text compared without case: casefold() on SQLite (store/db.py registers it), lower()
    on PostgreSQL, whose lower() is Unicode-aware."""

    type = String()
    name = "casefold"
    inherit_cache = True


@compiles(folded, "postgresql")
def _folded_on_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


def same_text(column: Any, value: str) -> Any:
    """``column`` equals ``value`` ignoring case (SPEC §8: --by, --topic, --tag)."""
    return folded(column) == value.strip().casefold()


def status_condition(status: str, today: dt.date) -> list:
    """The status rule (records.status_of) as SQL conditions on predictions."""
    if status == "resolved":
        return [P.c.outcome.is_not(None)]
    if status == "due":
        return [P.c.outcome.is_(None), P.c.deadline < today]
    if status == "pending":
        return [P.c.outcome.is_(None), P.c.deadline >= today]
    raise InputError(f"status {status!r} is not one of pending, due, resolved")


def plain_row(row: Any) -> dict:
    """A row mapping in its event and export form: dates as ISO text, all else as stored."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def iso(column: Any) -> Any:
    """A date column read as stored text, skipping SQLAlchemy's per-value conversion (on
    SQLite that is ISO text; :func:`as_date` parses it in C)."""
    return type_coerce(column, String).label(column.name)


def as_date(value: str | dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def iter_records(conn: Connection, *conditions: Any, order_by: tuple = (P.c.id,),
                 limit: int | None = None) -> Iterator[dict]:
    """The dict form of each prediction matching ``conditions`` (as its ``add`` event holds
    it), streamed in ``order_by`` order (id by default).

    Dates are read as the stored ISO text where the database allows, to skip converting
    them to date objects and back.
    """
    tags = (select(func.aggregate_strings(T.c.tag, ",")).where(T.c.prediction_id == P.c.id)
            .scalar_subquery())
    columns = [tags if name == "tags" else iso(P.c[name]) if name in DATE_COLUMNS
               else P.c[name] for name in RECORD_KEYS]
    query = select(*columns).where(*conditions).order_by(*order_by).limit(limit)
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
        id=row.id, uid=row.uid, key=row.key, claim=row.claim, claimant=row.claimant,
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
    for name in DATE_COLUMNS:
        if row[name] is not None:
            row[name] = dt.date.fromisoformat(row[name])
    if row["id"] is None:
        del row["id"]
    return row


def tags_column() -> Any:
    return (
        select(func.aggregate_strings(T.c.tag, ","))
        .where(T.c.prediction_id == P.c.id)
        .scalar_subquery()
        .label("tags")
    )


def split_tags(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(text.split(","))) if text else ()


def select_predictions(conn: Connection, *conditions: Any, order_by: tuple = (P.c.id,),
                       limit: int | None = None) -> list[Prediction]:
    rows = conn.execute(select(P, tags_column()).where(*conditions).order_by(*order_by)
                        .limit(limit))
    return [row_to_prediction(r, split_tags(r.tags)) for r in rows]


def insert_prediction(events: EventWriter, p: Prediction, *, kind: str = EventKind.ADD,
                      recorded_at: str | None = None) -> Prediction:
    """Insert a validated prediction and its event(s) in the caller's write transaction.

    A prediction without a uid gets a new random one here (SPEC §8)."""
    conn = events.conn
    if p.key is not None and conn.execute(select(P.c.id).where(P.c.key == p.key)).first():
        raise Conflict(f"key {p.key!r} is already used; choose another key")
    if p.uid is None:
        p = replace(p, uid=new_uid())
    elif conn.execute(select(P.c.id).where(P.c.uid == p.uid)).first():
        raise Conflict(f"a prediction with uid {p.uid} is already in the ledger")
    if p.supersedes is not None:
        old = fetch_prediction(conn, str(p.supersedes))
        if old.claimant.casefold() != p.claimant.casefold():
            raise InputError(
                f"prediction {old.id} is by {old.claimant}, not {p.claimant}; "
                "a restatement must be by the same claimant"
            )
    new_id = conn.execute(insert(P).values(prediction_to_row(replace(p, id=None)))) \
        .inserted_primary_key[0]
    if p.tags:
        conn.execute(insert(T), [{"prediction_id": new_id, "tag": t} for t in p.tags])
    stored = replace(p, id=new_id)
    events.append(kind, new_id, prediction_to_dict(stored), recorded_at=recorded_at)
    if p.supersedes is not None:
        events.append(EventKind.SUPERSEDE, p.supersedes, {"superseded_by": new_id},
                      recorded_at=recorded_at)
    return stored


def fetch_prediction(conn: Connection, ref: str) -> Prediction:
    """The prediction with this id (``18`` or ``#18``) or key, read on ``conn``; NotFound
    otherwise."""
    pid, key = parse_ref(ref)
    where = P.c.id == pid if pid is not None else P.c.key == key
    found = select_predictions(conn, where)
    if not found:
        what = f"id {str(pid)!r}" if pid is not None else f"key {key!r}"
        raise NotFound(f"no prediction has {what}; 'ledger list' shows them")
    return found[0]


def apply_resolution(events: EventWriter, p: Prediction, new: Resolution, *,
                     reason: str | None, forced: bool, recorded_at: str | None = None) -> None:
    """Write a (re-)resolution and its event; the caller has checked it is allowed."""
    events.conn.execute(
        update(P).where(P.c.id == p.id).values(
            outcome=new.outcome, resolved_on=new.resolved_on, evidence=new.evidence))
    previous = p.resolution
    kind = EventKind.RE_RESOLVE if previous else EventKind.RESOLVE
    events.append(kind, p.id, {
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
    }, recorded_at=recorded_at)


def append_row_event(events: EventWriter, kind: str, table: Any, row_id: int) -> None:
    """Append the event for a new side-table row (series, observation, trend claim); its
    payload is the row as stored, which verify compares the table with."""
    row = events.conn.execute(select(table).where(table.c.id == row_id)).mappings().one()
    events.append(kind, None, plain_row(row))


# The fields an edit may change; the rest (id, uid, links, resolution) have their own events.
EDITABLE = ("key", "claim", "claimant", "made_on", "made_precision", "deadline",
            "deadline_precision", "deadline_expression", "probability", "topic", "criteria",
            "source_url", "source_title", "quote", "note", "tags")


def apply_edit(events: EventWriter, old: Prediction, new: Prediction, *, reason: str,
               forced: bool, recorded_at: str | None = None) -> dict:
    """Write the fields in which ``new`` differs from ``old`` and an ``edit`` event holding
    each one's old and new value; returns those changes (none: nothing is written)."""
    before, after = prediction_to_dict(old), prediction_to_dict(new)
    changes = {name: {"old": before[name], "new": after[name]} for name in EDITABLE
               if before[name] != after[name]}
    if not changes:
        return changes
    if "key" in changes and new.key is not None and events.conn.execute(
            select(P.c.id).where(P.c.key == new.key, P.c.id != old.id)).first():
        raise Conflict(f"key {new.key!r} is already used by another prediction")
    columns = {k: v for k, v in prediction_to_row(new).items() if k in changes}
    if columns:
        events.conn.execute(update(P).where(P.c.id == old.id).values(columns))
    if "tags" in changes:
        events.conn.execute(T.delete().where(T.c.prediction_id == old.id))
        if new.tags:
            events.conn.execute(insert(T), [{"prediction_id": old.id, "tag": t}
                                            for t in new.tags])
    events.append(EventKind.EDIT, old.id, {"changes": changes, "reason": reason,
                                           "forced": forced}, recorded_at=recorded_at)
    return changes


def edited(p: Prediction, changes: dict) -> Prediction:
    """``p`` with an edit event's changes applied (the new values)."""
    from forecast_ledger.domain.records import prediction_from_dict

    record = prediction_to_dict(p)
    record.update({name: change["new"] for name, change in changes.items()})
    return prediction_from_dict(record)
