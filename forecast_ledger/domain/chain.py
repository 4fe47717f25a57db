"""The tamper-evident history: each event's SHA-256 covers its content and the previous hash.

An event's hashed form is the sorted-key, compact JSON of ``{id, kind, payload,
prediction_id, prev_hash, recorded_at}`` in UTF-8, where ``payload`` is itself canonical
JSON. Changing any stored event, or removing one, breaks every later hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from hashlib import sha256 as _sha256
from typing import Any

GENESIS = "0" * 64


class EventKind(StrEnum):
    """What an event records. The values are stored in the history: never rename one."""

    ADD = "add"            # a prediction recorded here
    IMPORT = "import"      # a prediction merged in from another ledger (older ledgers)
    PROJECT = "project"    # a milestone projected from a trend claim
    RESOLVE = "resolve"
    RE_RESOLVE = "re-resolve"
    SUPERSEDE = "supersede"
    EDIT = "edit"
    NOTE = "note"
    SERIES = "series"
    OBSERVE = "observe"
    TREND_CLAIM = "trend-claim"


# The kinds that create a prediction, and those that create a row of a side table.
ADD_KINDS = (EventKind.ADD, EventKind.IMPORT, EventKind.PROJECT)


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


# One encoder for every call: json.dumps with non-default options builds a new encoder each
# time, which was a fifth of `ledger verify`'s time on a million events.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, non-ASCII kept as is: one text for one value."""
    return _CANONICAL.encode(value)


@lru_cache(maxsize=4096)  # a few kinds, and one timestamp per transaction
def _quoted(text: str, ensure_ascii: bool) -> str:
    return json.dumps(text, ensure_ascii=ensure_ascii)


def event_hash(
    prev_hash: str,
    event_id: int,
    kind: str,
    prediction_id: int | None,
    recorded_at: str,
    payload_json: str,
) -> str:
    """The SHA-256 (hex) of an event whose payload is already canonical JSON text."""
    # Built by hand to equal canonical_json({...}) without re-serialising the payload:
    # the keys below are in sorted order.
    text = (
        f'{{"id":{event_id},"kind":{_quoted(kind, False)},'
        f'"payload":{payload_json},'
        f'"prediction_id":{"null" if prediction_id is None else prediction_id},'
        f'"prev_hash":"{prev_hash}","recorded_at":{_quoted(recorded_at, True)}}}'
    )
    return _sha256(text.encode()).hexdigest()  # UTF-8, the default


def check_chain(events: list[dict]) -> str | None:
    """The first fault of a list of events (dicts of the events table's columns, payload as
    canonical text) as a sentence, or None when each follows the one before from GENESIS."""
    prev_hash = GENESIS
    for number, e in enumerate(events, start=1):
        if e["id"] != number:
            return f"event {number} is missing (found {e['id']} next)"
        if e["prev_hash"] != prev_hash:
            return f"event {number} does not follow the event before it"
        if event_hash(prev_hash, e["id"], e["kind"], e["prediction_id"], e["recorded_at"],
                      e["payload"]) != e["hash"]:
            return f"event {number} was altered: its hash does not match its content"
        prev_hash = e["hash"]
    return None
