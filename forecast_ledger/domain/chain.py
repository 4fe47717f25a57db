"""The tamper-evident history: each event's SHA-256 covers its content and the previous hash.

An event's hashed form is the sorted-key, compact JSON of ``{id, kind, payload,
prediction_id, prev_hash, recorded_at}`` in UTF-8, where ``payload`` is itself canonical
JSON. Changing any stored event, or removing one, breaks every later hash.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

GENESIS = "0" * 64


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
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
