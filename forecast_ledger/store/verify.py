"""``ledger verify``: recompute the hash chain and replay it against the records.

Two checks, both streamed:
1. every event's hash is recomputed from its content and the previous hash;
2. the records (predictions, tags, series, observations, trend claims) are rebuilt from the
   events and compared with the tables, so a deadline edited behind the ledger's back is
   named even though no event was touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, select

from forecast_ledger.domain.chain import GENESIS, canonical_json, event_hash
from forecast_ledger.errors import TamperError
from forecast_ledger.store.schema import EventRow, ObservationRow, SeriesRow, TrendClaimRow

E = EventRow.__table__
RESOLUTION_FIELDS = ("outcome", "resolved_on", "evidence")
# Event kinds that create a record of a side table, and that table.
SIDE_TABLES = {"series": SeriesRow.__table__, "observe": ObservationRow.__table__,
               "trend-claim": TrendClaimRow.__table__}


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head: str
    predictions: int


def _base_digest(record: dict) -> bytes:
    base = {k: v for k, v in record.items() if k not in RESOLUTION_FIELDS}
    return hashlib.sha1(canonical_json(base).encode("utf-8")).digest()


def _resolution(record: dict) -> tuple:
    return tuple(record.get(k) for k in RESOLUTION_FIELDS)


def verify_connection(conn: Connection, iter_predictions) -> VerifyReport:  # noqa: ANN001
    """Check the chain and the records on ``conn``; raise TamperError at the first fault.

    ``iter_predictions(conn)`` yields each prediction's dict form in id order.
    """
    base: dict[int, bytes] = {}
    resolved: dict[int, tuple] = {}
    side: dict[str, dict[int, dict]] = {kind: {} for kind in SIDE_TABLES}
    prev_hash, count = GENESIS, 0
    rows = conn.execution_options(yield_per=20_000).execute(
        select(E.c.id, E.c.kind, E.c.prediction_id, E.c.recorded_at, E.c.payload,
               E.c.prev_hash, E.c.hash).order_by(E.c.id))
    for event_id, kind, pid, recorded_at, payload, stored_prev, stored_hash in rows:
        count += 1
        where = f"event {event_id} ({kind}" + (f", prediction {pid})" if pid else ")")
        if event_id != count:
            raise TamperError(f"the history is broken: event {count} is missing "
                              f"(found {event_id} next)")
        if stored_prev != prev_hash:
            raise TamperError(f"{where} does not follow the event before it")
        if event_hash(prev_hash, event_id, kind, pid, recorded_at, payload) != stored_hash:
            raise TamperError(f"{where} was altered: its hash does not match its content")
        prev_hash = stored_hash
        data = json.loads(payload)
        if kind in ("add", "import", "project"):
            base[pid] = _base_digest(data)
            if data.get("outcome") is not None:
                resolved[pid] = _resolution(data)
        elif kind in ("resolve", "re-resolve"):
            resolved[pid] = _resolution(data)
        elif kind in SIDE_TABLES:
            side[kind][data["id"]] = data
    checked = 0
    for record in iter_predictions(conn):
        pid = record["id"]
        checked += 1
        if pid not in base:
            raise TamperError(f"prediction {pid} is not in the history: it was inserted "
                              "behind the ledger's back")
        if base.pop(pid) != _base_digest(record):
            raise TamperError(f"prediction {pid} ({record.get('key') or record['claim'][:40]})"
                              " differs from its history: it was edited behind the ledger's "
                              "back")
        if resolved.pop(pid, (None, None, None)) != _resolution(record):
            raise TamperError(f"prediction {pid}'s resolution differs from its history")
    if base:
        raise TamperError(f"prediction {min(base)} is in the history but missing from the "
                          "ledger: it was deleted")
    for kind, table in SIDE_TABLES.items():
        _check_side_table(conn, kind, table, side[kind])
    return VerifyReport(count, prev_hash, checked)


def _check_side_table(conn: Connection, kind: str, table, expected: dict[int, dict]) -> None:  # noqa: ANN001
    for row in conn.execute(select(table).order_by(table.c.id)).mappings():
        record = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        if expected.pop(record["id"], None) != record:
            raise TamperError(f"{table.name} row {record['id']} differs from its history")
    if expected:
        raise TamperError(f"{table.name} row {min(expected)} is in the history but missing")
