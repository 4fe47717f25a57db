"""``ledger verify``: recompute the hash chain and replay it against the records.

Two checks, both streamed:
1. every event's hash is recomputed from its content and the previous hash;
2. the records (predictions, tags, series, observations, trend claims) are rebuilt from the
   events and compared with the tables, so a deadline edited behind the ledger's back is
   named even though no event was touched.

A prediction's ``add`` event holds its full record as canonical JSON. Rather than keep a
million records in memory, the replay keeps a hash of that text and the latest resolution,
and compares each row's canonical JSON (with the resolution it had when added) against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, select

from forecast_ledger.domain.chain import GENESIS, canonical_json, event_hash
from forecast_ledger.errors import TamperError
from forecast_ledger.store import schema
from forecast_ledger.store.ledger import iter_records, plain_row

E = schema.events
P = schema.predictions
T = schema.tags
RESOLUTION_FIELDS = ("outcome", "resolved_on", "evidence")
ADD_KINDS = ("add", "import", "project")
# In canonical JSON (sorted keys, no spaces) an unresolved record has this; inside a string a
# quote is always escaped, so the text cannot occur there.
UNRESOLVED_MARK = '"outcome":null,'

# Event kinds that create a record of a side table, and that table.
SIDE_TABLES = {"series": schema.series, "observe": schema.observations,
               "trend-claim": schema.trend_claims}


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head: str
    predictions: int


def verify_connection(conn: Connection) -> VerifyReport:
    """Check the chain and the records on ``conn``; raise TamperError at the first fault."""
    added: dict[int, int] = {}  # prediction id -> hash of its add event's payload text
    added_resolution: dict[int, tuple] = {}  # only for predictions added already resolved
    resolved: dict[int, tuple] = {}  # latest resolution from resolve events
    side: dict[str, dict[int, dict]] = {kind: {} for kind in SIDE_TABLES}
    prev_hash, count = GENESIS, 0
    rows = conn.execution_options(yield_per=20_000).execute(
        select(E.c.id, E.c.kind, E.c.prediction_id, E.c.recorded_at, E.c.payload,
               E.c.prev_hash, E.c.hash).order_by(E.c.id))
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
        if kind in ADD_KINDS:
            added[pid] = hash(payload)
            if UNRESOLVED_MARK not in payload:
                record = json.loads(payload)
                added_resolution[pid] = tuple(record[k] for k in RESOLUTION_FIELDS)
        elif kind in ("resolve", "re-resolve"):
            data = json.loads(payload)
            resolved[pid] = tuple(data[k] for k in RESOLUTION_FIELDS)
        elif kind in SIDE_TABLES:
            data = json.loads(payload)
            side[kind][data["id"]] = data
    checked = _check_predictions(conn, added, added_resolution, resolved)
    for kind, table in SIDE_TABLES.items():
        _check_side_table(conn, table, side[kind])
    return VerifyReport(count, prev_hash, checked)


def _check_predictions(conn: Connection, added: dict[int, int],
                       added_resolution: dict[int, tuple], resolved: dict[int, tuple]) -> int:
    checked = 0
    unresolved = (None, None, None)
    for record in iter_records(conn):
        pid = record["id"]
        checked += 1
        if pid not in added:
            raise TamperError(f"prediction {pid} is not in the history: it was inserted "
                              "behind the ledger's back")
        current = tuple(record[k] for k in RESOLUTION_FIELDS)
        at_add = added_resolution.pop(pid, unresolved)
        if resolved.pop(pid, at_add) != current:
            raise TamperError(f"prediction {pid}'s resolution differs from its history")
        record.update(zip(RESOLUTION_FIELDS, at_add, strict=True))
        if added.pop(pid) != hash(canonical_json(record)):
            label = record.get("key") or record["claim"][:40]
            raise TamperError(f"prediction {pid} ({label}) differs from its history: it was "
                              "edited behind the ledger's back")
    if added:
        raise TamperError(f"prediction {min(added)} is in the history but missing from the "
                          "ledger: it was deleted")
    return checked


def _where(event_id: int, kind: str, pid: int | None) -> str:
    return f"event {event_id} ({kind}" + (f", prediction {pid})" if pid else ")")


def _check_side_table(conn: Connection, table, expected: dict[int, dict]) -> None:  # noqa: ANN001
    for row in conn.execute(select(table).order_by(table.c.id)).mappings():
        record = plain_row(row)
        if expected.pop(record["id"], None) != record:
            raise TamperError(f"{table.name} row {record['id']} differs from its history")
    if expected:
        raise TamperError(f"{table.name} row {min(expected)} is in the history but missing")
