"""Merging an export into a ledger that already holds records (SPEC §9).

Predictions are matched by uid, series by name, trend claims by key (else by what they
claim), observations by (series, date, value, label). A prediction's history is compared as
a list of facts — its add, then its resolutions (and any later kinds of event), with the
ids that are local to one ledger left out — so two ledgers agree on a prediction when one
list begins the other:

- the same: nothing to do, so importing a file twice adds nothing the second time;
- the file's is longer (it was resolved elsewhere since): the missing events are appended;
- this ledger's is longer: nothing to do;
- neither: the histories conflict, and the whole import is refused.

A prediction new here arrives with its whole history, each event keeping the time it was
first recorded. The file's own chain is checked first, so a tampered export is refused.
Everything happens in the caller's one write transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, insert, select

from forecast_ledger.domain.chain import ADD_KINDS, EventKind, canonical_json, check_chain
from forecast_ledger.domain.records import (
    Resolution,
    legacy_uid,
    prediction_from_dict,
    record_from_dict,
)
from forecast_ledger.errors import Conflict, InputError, TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.events import EventWriter
from forecast_ledger.store.rows import (
    E,
    P,
    append_row_event,
    apply_edit,
    apply_resolution,
    edited,
    fetch_prediction,
    insert_prediction,
)
from forecast_ledger.store.transfer import Imported, Sections, event_row, side_row

S, C, O = schema.series, schema.trend_claims, schema.observations  # noqa: E741
LOCAL_IDS = ("id", "uid", "supersedes", "trend_claim")
RESOLUTION_KEYS = ("outcome", "resolved_on", "evidence", "reason", "forced")


@dataclass(frozen=True)
class Fact:
    """One event of a prediction's history as two ledgers can compare it."""

    kind: str
    text: str  # canonical JSON of the comparable payload
    payload: dict = field(compare=False)
    recorded_at: str | None = field(compare=False)
    order: tuple[int, int] = field(compare=False, default=(0, 0))  # its place in the file
    origin: str = field(compare=False, default="")  # the event's own kind (add, project …)


@dataclass
class _Ids:
    """The file's ids and the ids here of the same records."""

    series: dict[int, int] = field(default_factory=dict)
    claims: dict[int, int] = field(default_factory=dict)
    predictions: dict[int, int] = field(default_factory=dict)


def merge(events: EventWriter, sections: Sections) -> Imported:
    data = {name: list(items) for name, items in sections}
    file_events = [event_row(e) for e in data.get("events", [])]
    fault = check_chain(file_events)
    if fault:
        raise TamperError(fault)
    ids = _Ids()
    side_added, side_present = _merge_side(events, data, ids)
    histories: dict[int, list[Fact]] = {}
    for number, e in enumerate(file_events):
        fact = _fact(e["kind"], json.loads(e["payload"]), e["recorded_at"], (number, 0))
        if e["prediction_id"] is not None and fact is not None:
            histories.setdefault(e["prediction_id"], []).append(fact)
    # First decide for every prediction what to append; then append it all in the order
    # the file's history has it, so the merged history reads as the original did.
    added = present = updated = 0
    conflicts: list[str] = []
    plan: list[tuple[Fact, dict, int | None]] = []  # (event, record, its id here if known)
    for number, item in enumerate(data.get("predictions", [])):
        record = record_from_dict(item)
        facts = _incoming_facts(record, histories, number)
        local_id = events.conn.execute(select(P.c.id).where(P.c.uid == record["uid"])).scalar()
        if local_id is None:
            plan += [(fact, record, None) for fact in facts]
            added += 1
            continue
        if record["id"] is not None:
            ids.predictions[record["id"]] = local_id
        here = _local_facts(events.conn, local_id)
        common = min(len(here), len(facts))
        if here[:common] != facts[:common]:
            at = next(i for i in range(common) if here[i] != facts[i])
            conflicts.append(_conflict(record, at, here[at], facts[at]))
        elif len(facts) > len(here):
            plan += [(fact, record, local_id) for fact in facts[len(here):]]
            updated += 1
        else:
            present += 1
    if conflicts:
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise Conflict(f"{conflicts[0]}{more}; nothing was imported")
    inserted: dict[str, int] = {}  # uid -> id here
    for fact, record, here_id in sorted(plan, key=lambda step: step[0].order):
        if fact.kind == EventKind.ADD:
            local_id = inserted[record["uid"]] = _insert(events, record, fact, ids)
            if record["id"] is not None:
                ids.predictions[record["id"]] = local_id
        else:
            _replay(events, here_id or inserted[record["uid"]], fact)
    return Imported(added, present, updated, side_added, side_present)


def _fact(kind: str, payload: dict, recorded_at: str | None,
          order: tuple[int, int] = (0, 0)) -> Fact | None:
    """The comparable form of one event about a prediction; None for a ``supersede``
    event, which the restatement's own add brings with it."""
    if kind in ADD_KINDS:
        kept = {k: v for k, v in payload.items() if k not in LOCAL_IDS}
        return Fact(EventKind.ADD, canonical_json(kept), payload, recorded_at, order, kind)
    if kind in (EventKind.RESOLVE, EventKind.RE_RESOLVE):
        kept = {k: payload.get(k) for k in RESOLUTION_KEYS}
        return Fact(EventKind.RESOLVE, canonical_json(kept), payload, recorded_at, order)
    if kind == EventKind.SUPERSEDE:
        return None
    return Fact(kind, canonical_json(payload), payload, recorded_at, order)


def _incoming_facts(record: dict, histories: dict[int, list[Fact]],
                    number: int) -> list[Fact]:
    """The history the file gives a prediction: its events, or for a file without any
    (written by hand or by another tool) an add and, if resolved, a resolution."""
    label = record["key"] or record["id"] or record["uid"]
    if not histories:  # file order stands in for the history's
        resolution = {k: record[k] for k in ("outcome", "resolved_on", "evidence")}
        add = {**record, "outcome": None, "resolved_on": None, "evidence": None}
        facts = [_fact(EventKind.ADD, add, None, (number, 0))]
        if record["outcome"] is not None:
            facts.append(_fact(EventKind.RESOLVE, {**resolution, "reason": None,
                                                   "forced": False}, None, (number, 1)))
        return facts  # type: ignore[return-value]
    facts = histories.get(record["id"]) if record["id"] is not None else None
    if not facts or facts[0].kind != EventKind.ADD:
        raise InputError(f"prediction {label} has no add event in the file's history")
    first = facts[0].payload
    if first.get("uid", legacy_uid(first)) != record["uid"]:
        raise InputError(f"prediction {label}: its uid differs from its add event's")
    return facts


def _local_facts(conn: Connection, pid: int) -> list[Fact]:
    rows = conn.execute(select(E.c.kind, E.c.payload, E.c.recorded_at)
                        .where(E.c.prediction_id == pid).order_by(E.c.id))
    facts = (_fact(kind, json.loads(payload), at) for kind, payload, at in rows)
    return [f for f in facts if f is not None]


def _insert(events: EventWriter, record: dict, add: Fact, ids: _Ids) -> int:
    fields = {**add.payload, "uid": record["uid"]}
    label = record["key"] or record["id"]
    for name, known, what in (("supersedes", ids.predictions, "prediction"),
                              ("trend_claim", ids.claims, "trend claim")):
        if fields.get(name) is not None:
            if fields[name] not in known:
                raise InputError(f"prediction {label}: its {name.replace('_', ' ')} refers to "
                                 f"{what} {fields[name]}, which is not earlier in the file")
            fields[name] = known[fields[name]]
    prediction = prediction_from_dict(fields)
    kind = add.origin if add.origin in ADD_KINDS else EventKind.ADD
    try:
        stored = insert_prediction(events, prediction, kind=kind, recorded_at=add.recorded_at)
    except Conflict as exc:
        raise Conflict(f"the import's prediction {label}: {exc}") from None
    return stored.id  # type: ignore[return-value]


def _replay(events: EventWriter, pid: int, fact: Fact) -> None:
    """Apply one event from another ledger's history to prediction ``pid`` here."""
    if fact.kind == EventKind.RESOLVE:
        p = fetch_prediction(events.conn, str(pid))
        data = fact.payload
        try:
            resolution = Resolution(data["outcome"], dt.date.fromisoformat(data["resolved_on"]),
                                    data.get("evidence"))
        except (KeyError, TypeError, ValueError):
            raise InputError(f"a resolution of prediction {pid} is malformed") from None
        apply_resolution(events, p, resolution, reason=data.get("reason"),
                         forced=bool(data.get("forced")), recorded_at=fact.recorded_at)
        return
    if fact.kind == EventKind.EDIT:
        data = fact.payload
        p = fetch_prediction(events.conn, str(pid))
        try:
            new = edited(p, data["changes"])
        except (KeyError, TypeError, AttributeError):
            raise InputError(f"an edit of prediction {pid} is malformed") from None
        apply_edit(events, p, new, reason=data.get("reason") or "", forced=bool(
            data.get("forced")), recorded_at=fact.recorded_at)
        return
    if fact.kind == EventKind.NOTE:
        events.append(EventKind.NOTE, pid, fact.payload, recorded_at=fact.recorded_at)
        return
    raise InputError(f"events of kind {fact.kind!r} cannot be merged by this version")


def _conflict(record: dict, at: int, here: Fact, there: Fact) -> str:
    label = record["key"] or record["uid"]
    return (f"prediction {label} has another history here: its event {at + 1} is "
            f"{here.kind} {_brief(here)} here but {there.kind} {_brief(there)} in the file")


def _brief(fact: Fact) -> str:
    if fact.kind == EventKind.RESOLVE:
        return f"{fact.payload.get('outcome')} on {fact.payload.get('resolved_on')}"
    return "(" + fact.text[:60] + ")"


# --- series, trend claims, observations -----------------------------------------------------

def _merge_side(events: EventWriter, data: dict, ids: _Ids) -> tuple[int, int]:
    """Series, then trend claims, then observations: each matched here or inserted with its
    event. Returns (added, already present)."""
    conn = events.conn
    counts = [0, 0]

    def matched(table: Any, kind: str, row: dict, same: Any) -> int:
        local = conn.execute(select(table.c.id).where(same).limit(1)).scalar()
        counts[local is not None] += 1
        return _insert_side(events, table, kind, row) if local is None else local

    for item in data.get("series", []):
        row = side_row(S, item)
        ids.series[row["id"]] = matched(S, EventKind.SERIES, row, S.c.name == row["name"])
    for item in data.get("trend_claims", []):
        row = _mapped(side_row(C, item), "series_id", ids.series, "series")
        same = C.c.key == row["key"] if row["key"] else and_(*(
            C.c[name] == row[name] for name in ("series_id", "claimant", "made_on",
                                                "doubling_days", "anchor_date", "anchor_value")))
        ids.claims[row["id"]] = matched(C, EventKind.TREND_CLAIM, row, same)
    for item in data.get("observations", []):
        row = _mapped(side_row(O, item), "series_id", ids.series, "series")
        same_label = O.c.label.is_(None) if row["label"] is None else O.c.label == row["label"]
        matched(O, EventKind.OBSERVE, row, and_(
            O.c.series_id == row["series_id"], O.c.observed_on == row["observed_on"],
            O.c.value == row["value"], same_label))
    return counts[0], counts[1]


def _mapped(row: dict, name: str, known: dict[int, int], what: str) -> dict:
    if row[name] not in known:
        raise InputError(f"row {row['id']} refers to {what} {row[name]}, which is not in the "
                         "file")
    return {**row, name: known[row[name]]}


def _insert_side(events: EventWriter, table: Any, kind: str, row: dict) -> int:
    new_id = events.conn.execute(insert(table).values(
        {k: v for k, v in row.items() if k != "id"})).inserted_primary_key[0]
    append_row_event(events, kind, table, new_id)
    return new_id
