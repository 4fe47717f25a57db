"""Taking in records that come without a history: our CSV and other tools' exports (SPEC §9).

Such a file says what each prediction *is now*, not how it got there, so a record is
matched by uid and compared by its state:

- new here: added, with its resolution and notes (in bulk, unless it is a restatement or
  a milestone, which go through the checks of an add one by one);
- the same: nothing to do, so importing a file twice adds nothing the second time;
- resolved in the file, not here: the resolution is appended; notes new to this ledger
  are appended;
- its fields differ: from our own CSV that is a conflict (the file may be older than an
  edit here), and the whole import is refused. From another tool, which owns its records,
  an open prediction takes the new values as an ``edit`` event (the old ones stay in its
  history); a verdict never rewrites the forecast it judges, so a record resolved in the
  file or here keeps the fields it has here;
- resolved differently here and in the file: a conflict.

Everything happens in the caller's one write transaction; a fault anywhere undoes it all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Connection, func, select

from forecast_ledger.domain.chain import EventKind
from forecast_ledger.domain.records import Resolution, prediction_from_dict, prediction_to_dict
from forecast_ledger.errors import Conflict, ImportFileError
from forecast_ledger.store import schema
from forecast_ledger.store.bulk import bulk_insert, indexes_dropped
from forecast_ledger.store.db import advance_id_sequences
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.rows import (
    EDITABLE,
    E,
    P,
    T,
    apply_edit,
    apply_resolution,
    fetch_prediction,
    insert_prediction,
)
from forecast_ledger.store.transfer import Imported

CHUNK = 1000  # uids looked up per query
C = schema.trend_claims


@dataclass
class _Counts:
    added: int = 0
    present: int = 0
    updated: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge_records(events: EventWriter, records: Iterable[dict], *, source: str,
                  owned: bool, latest: dt.date) -> Imported:
    """Take in ``records`` (interop form: export fields plus ``notes``, links and ``at``).

    ``source`` names the format in edit reasons; ``owned`` says the file's tool owns the
    records (its changes are edits here) rather than being an older copy of this ledger;
    ``latest`` is the system clock's date, after which nothing may be dated."""
    conn = events.conn
    fresh_ledger = conn.execute(select(P.c.id).limit(1)).first() is None
    counts = _Counts()
    seen: set[str] = set()
    keys: set[str] = set()
    # Into an empty ledger nothing needs looking up: build the indexes once, at the end.
    with indexes_dropped(conn, (P, T, E)) if fresh_ledger else nullcontext():
        for chunk in _chunks(records):
            for record in chunk:
                _check(record, seen, keys, latest)
            here = {} if fresh_ledger else _ids_of(conn, [r["uid"] for r in chunk])
            fresh = [r for r in chunk if r["uid"] not in here]
            bulk = [r for r in fresh if not _linked(r)]
            _insert_many(events, bulk, check_keys=not fresh_ledger)
            done = {r["uid"] for r in bulk}
            for record in chunk:
                if record["uid"] in here:
                    _merge_one(events, here[record["uid"]], record, counts, source, owned)
                elif record["uid"] not in done:
                    _insert_one(events, record)
            counts.added += len(fresh)
        events.flush()
    if counts.conflicts:
        more = f" (and {len(counts.conflicts) - 1} more)" if len(counts.conflicts) > 1 else ""
        raise Conflict(f"{counts.conflicts[0]}{more}; nothing was imported")
    return Imported(counts.added, counts.present, counts.updated)


def _chunks(records: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _check(record: dict, seen: set[str], keys: set[str], latest: dt.date) -> None:
    if record["uid"] in seen:
        raise ImportFileError(f"{record['at']}: uid {record['uid']} appears twice in the "
                              "file; nothing was imported")
    seen.add(record["uid"])
    if record["key"] is not None:
        if record["key"] in keys:
            raise ImportFileError(f"{record['at']}: key {record['key']!r} appears twice in "
                                  "the file; nothing was imported")
        keys.add(record["key"])
    dates = [("made on", record["made_on"]), ("resolved on", record["resolved_on"]),
             *(("a note's date", n["on"]) for n in record["notes"])]
    for what, day in dates:
        if day is not None and day > latest.isoformat():
            raise ImportFileError(f"{record['at']}: {what} {day} is after today's date "
                                  f"{latest} on this system's clock; nothing was imported")


def _linked(record: dict) -> bool:
    """A restatement or a milestone: inserted one by one, through the checks of an add."""
    return bool(record.get("supersedes_uid") or record.get("trend_claim_key"))


def _ids_of(conn: Connection, uids: list[str]) -> dict[str, int]:
    return dict(conn.execute(select(P.c.uid, P.c.id).where(P.c.uid.in_(uids))).all())


def _stored(record: dict) -> dict:
    """The prediction's fields as the add event holds them (no verdict, no extras)."""
    return {k: v for k, v in record.items() if k not in EXTRAS}


def _insert_many(events: EventWriter, records: list[dict], *, check_keys: bool) -> None:
    """New records without links: rows and tags in bulk, then their events in the file's
    order, exactly as adding, resolving and noting them one by one would write them."""
    if not records:
        return
    conn = events.conn
    keyed = [r["key"] for r in records if r["key"] is not None]
    if check_keys and keyed:
        taken = conn.execute(select(P.c.key).where(P.c.key.in_(keyed)).limit(1)).scalar()
        if taken is not None:
            at = next(r["at"] for r in records if r["key"] == taken)
            raise Conflict(f"{at}: key {taken!r} is already used; choose another key")
    first = (conn.execute(select(func.max(P.c.id))).scalar() or 0) + 1
    rows = [_stored(r) | {"id": first + n} for n, r in enumerate(records)]
    bulk_insert(conn, P, iter(rows))
    bulk_insert(conn, T, ({"prediction_id": row["id"], "tag": tag}
                          for row in rows for tag in row["tags"]))
    for row, record in zip(rows, records, strict=True):
        events.append(EventKind.ADD, row["id"], row | UNRESOLVED)
        if row["outcome"] is not None:
            events.append(EventKind.RESOLVE, row["id"], {
                "outcome": row["outcome"], "resolved_on": row["resolved_on"],
                "evidence": row["evidence"], "reason": None, "forced": False,
                "previous": None})
        for note in record["notes"]:
            events.append(EventKind.NOTE, row["id"], {"text": note["text"], "on": note["on"]})
    advance_id_sequences(conn)


UNRESOLVED = {"outcome": None, "resolved_on": None, "evidence": None}
EXTRAS = ("notes", "at", "supersedes_uid", "trend_claim_key")


def _insert_one(events: EventWriter, record: dict) -> None:
    conn = events.conn
    fields = {**_stored(record), "outcome": None, "resolved_on": None, "evidence": None}
    if record.get("supersedes_uid"):
        fields["supersedes"] = _linked_id(conn, P, P.c.uid, record["supersedes_uid"],
                                          record, "the prediction it supersedes")
    if record.get("trend_claim_key"):
        fields["trend_claim"] = _linked_id(conn, C, C.c.key, record["trend_claim_key"],
                                           record, "its trend claim")
    try:
        p = insert_prediction(events, prediction_from_dict(fields))
    except Conflict as exc:
        raise Conflict(f"{record['at']}: {exc}") from None
    if record["outcome"] is not None:
        apply_resolution(events, p, _resolution(record), reason=None, forced=False)
    for note in record["notes"]:
        events.append(EventKind.NOTE, p.id, {"text": note["text"], "on": note["on"]})


def _linked_id(conn: Connection, table: Any, column: Any, value: str, record: dict,
               what: str) -> int:
    found = conn.execute(select(table.c.id).where(column == value)).scalar()
    if found is None:
        hint = " (a CSV holds predictions only: the JSON export carries series and trend " \
               "claims too)" if table is C else ""
        raise ImportFileError(f"{record['at']}: {what} ({value}) is neither in this ledger "
                              f"nor earlier in the file{hint}; nothing was imported")
    return found


def _resolution(record: dict) -> Resolution:
    return Resolution(record["outcome"], dt.date.fromisoformat(record["resolved_on"]),
                      record["evidence"])


def _merge_one(events: EventWriter, pid: int, record: dict, counts: _Counts, source: str,
               owned: bool) -> None:
    here = fetch_prediction(events.conn, str(pid))
    now = prediction_to_dict(here)
    theirs = {**_stored(record), "id": pid}
    if record.get("supersedes_uid") or record.get("trend_claim_key"):
        theirs["supersedes"], theirs["trend_claim"] = now["supersedes"], now["trend_claim"]
    differing = [name for name in EDITABLE if now[name] != theirs[name]
                 and not (name == "key" and theirs["key"] is None)]
    changed = False
    if differing and not owned:
        counts.conflicts.append(f"{record['at']}: prediction {here.key or record['uid']} "
                                f"differs here in {', '.join(differing)}")
        return
    if differing and here.resolution is None and record["outcome"] is None:
        new = prediction_from_dict({**now, **{n: theirs[n] for n in differing}})
        apply_edit(events, here, new, reason=f"changed in the {source} file", forced=False)
        here, changed = new, True
    if record["outcome"] is not None:
        if here.resolution is None:
            apply_resolution(events, here, _resolution(record), reason=None, forced=False)
            changed = True
        elif (here.resolution.outcome, here.resolution.resolved_on.isoformat()) != (
                record["outcome"], record["resolved_on"]):
            counts.conflicts.append(
                f"{record['at']}: prediction {here.key or record['uid']} is resolved "
                f"{here.resolution.outcome} on {here.resolution.resolved_on} here but "
                f"{record['outcome']} on {record['resolved_on']} in the file")
            return
    known = {(e["on"], e["text"]) for e in _notes(events.conn, pid)}
    for note in record["notes"]:
        if (note["on"], note["text"]) not in known:
            events.append(EventKind.NOTE, pid, {"text": note["text"], "on": note["on"]})
            changed = True
    if changed:
        counts.updated += 1
    else:
        counts.present += 1


def _notes(conn: Connection, pid: int) -> list[dict]:
    import json

    rows = conn.execute(select(E.c.payload).where(E.c.prediction_id == pid,
                                                  E.c.kind == EventKind.NOTE))
    return [json.loads(payload) for (payload,) in rows]
