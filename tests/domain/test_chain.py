"""The hash chain is what its documentation says: SHA-256 of canonical JSON (issue 20)."""

import hashlib
import json

import pytest

from forecast_ledger.domain.chain import GENESIS, canonical_json, check_chain, event_hash

PAYLOAD = {"claim": "三年内 AI 超过人类", "probability": 0.7, "tags": ["a", "b"], "id": 1}


def test_canonical_json_sorts_keys_keeps_non_ascii_and_has_no_spaces():
    assert canonical_json(PAYLOAD) == (
        '{"claim":"三年内 AI 超过人类","id":1,"probability":0.7,"tags":["a","b"]}')


def test_event_hash_is_sha256_of_the_canonical_event():
    event = {"id": 7, "kind": "add", "payload": PAYLOAD, "prediction_id": 3,
             "prev_hash": GENESIS, "recorded_at": "2026-11-29T10:00:00+00:00"}
    expected = hashlib.sha256(canonical_json(event).encode("utf-8")).hexdigest()
    assert event_hash(GENESIS, 7, "add", 3, "2026-11-29T10:00:00+00:00",
                      canonical_json(PAYLOAD)) == expected


def test_a_worked_example_pins_the_hash():
    """Changing the canonical form would change every stored hash: this pins it."""
    digest = event_hash(GENESIS, 1, "series", None, "2026-01-01T00:00:00+00:00",
                        canonical_json({"id": 1, "name": "s"}))
    text = ('{"id":1,"kind":"series","payload":{"id":1,"name":"s"},"prediction_id":null,'
            f'"prev_hash":"{GENESIS}","recorded_at":"2026-01-01T00:00:00+00:00"}}')
    assert digest == hashlib.sha256(text.encode()).hexdigest()


def _chain(n):
    events, prev = [], GENESIS
    for i in range(1, n + 1):
        payload = canonical_json({"n": i})
        digest = event_hash(prev, i, "note", i, "2026-01-01T00:00:00+00:00", payload)
        events.append({"id": i, "kind": "note", "prediction_id": i,
                       "recorded_at": "2026-01-01T00:00:00+00:00", "payload": payload,
                       "prev_hash": prev, "hash": digest})
        prev = digest
    return events


def test_check_chain_accepts_a_chain_and_names_the_first_fault():
    events = _chain(4)
    assert check_chain(events) is None
    assert check_chain([]) is None
    altered = [dict(e) for e in events]
    altered[2]["payload"] = json.dumps({"n": 99})
    assert check_chain(altered) == "event 3 was altered: its hash does not match its content"
    assert check_chain(events[:1] + events[2:]) == "event 2 is missing (found 3 next)"
    relinked = [dict(e) for e in events]
    relinked[1]["prev_hash"] = "f" * 64
    assert check_chain(relinked) == "event 2 does not follow the event before it"


@pytest.mark.parametrize("at", ["2026-11-29T10:00:00+00:00", "2026-11-29T10:00:00.5Z"])
def test_recorded_at_is_ascii_so_escaping_cannot_change_the_hash(at):
    from forecast_ledger.store.transfer import RECORDED_AT

    assert RECORDED_AT.fullmatch(at)
    assert json.dumps(at, ensure_ascii=True) == json.dumps(at, ensure_ascii=False)
