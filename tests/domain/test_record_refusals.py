"""What the record checks refuse, and the edges they accept (issue 19)."""

from __future__ import annotations

import datetime as dt

import pytest

from forecast_ledger.domain.dates import parse_day
from forecast_ledger.domain.records import (
    MAX_ID,
    check_uid,
    new_prediction,
    parse_ref,
    record_from_dict,
    source_fields,
)
from forecast_ledger.errors import InputError

BASE = {"claim": "c", "claimant": "a", "made_on": "2024-01-01", "made_precision": "day",
        "deadline": "2026-12-31", "deadline_precision": "day", "deadline_expression": "2026"}


@pytest.mark.parametrize("uid", [5, None, "has space", "", "-leading-dash"])
def test_uids_that_are_not(uid):
    with pytest.raises(InputError) as caught:
        check_uid(uid)
    assert str(caught.value) == (f"uid {uid!r} is not a uid (a UUID, or SOURCE:ID without "
                                 "spaces)")


def test_uids_that_are():
    for uid in ("fatebook:abc123", "6ba7b811-9dad-11d1-80b4-00c04fd430c8", "x"):
        assert check_uid(uid) == uid


@pytest.mark.parametrize("ref, parsed", [
    ("18", (18, None)), ("#18", (18, None)), (" #7 ", (7, None)),
    ("musk-2026", (None, "musk-2026")),
    (str(MAX_ID), (MAX_ID, None)), (f"#{MAX_ID}", (MAX_ID, None)), ("a#1", (None, "a#1"))])
def test_refs(ref, parsed):
    assert parse_ref(ref) == parsed


@pytest.mark.parametrize("ref, message", [
    (str(MAX_ID + 1), f"id {MAX_ID + 1} is larger than any id a ledger can hold"),
    ("##18", "'##18' is not an id: write #18 or 18, or give a key"),
    ("#x", "'#x' is not an id: write #18 or 18, or give a key")])
def test_refs_refused(ref, message):
    with pytest.raises(InputError) as caught:
        parse_ref(ref)
    assert str(caught.value) == message


@pytest.mark.parametrize("source, title, fields", [
    ("https://x.org/a", None, ("https://x.org/a", None)),
    ("A talk at Davos", None, (None, "A talk at Davos")),
    ("A talk", "Another title", ("A talk", "Another title")),
    ("https://x.org", "T", ("https://x.org", "T")),
    (None, "T", (None, "T")), ("", None, ("", None))])
def test_source_fields(source, title, fields):
    assert source_fields(source, title) == fields


def test_an_empty_deadline_is_named():
    with pytest.raises(InputError, match="deadline"):
        new_prediction(claim="c", claimant="a", made="2024-01-01", deadline="  ")


@pytest.mark.parametrize("change, message", [
    ({"tags": "ai"}, "field 'tags' must be a list of text"),
    ({"tags": [1]}, "field 'tags' must be a list of text"),
    ({"target_value": 0}, "field 'target_value' must be a positive, finite number"),
    ({"target_value": float("inf")}, "field 'target_value' must be a positive, finite number"),
    ({"target_value": True}, "field 'target_value' must be a positive, finite number"),
    ({"topic": 5}, "field 'topic' must be text"),
    ({"id": 0}, f"field 'id' must be a whole number from 1 to {MAX_ID}"),
    ({"id": MAX_ID + 1}, f"field 'id' must be a whole number from 1 to {MAX_ID}"),
    ({"deadline_expression": " "}, "the deadline_expression is empty; write it"),
    ({"topic": "a\x00b"}, "the topic contains a NUL character, which a ledger cannot keep"),
    ({"deadline": "2023-12-31"}, "deadline 2023-12-31 is before made_on 2024-01-01"),
])
def test_record_refusals(change, message):
    with pytest.raises(InputError) as caught:
        record_from_dict({**BASE, **change})
    assert str(caught.value).startswith(message)


def test_record_refuses_what_is_not_an_object():
    with pytest.raises(InputError) as caught:
        record_from_dict(["not", "a", "dict"])
    assert str(caught.value) == "each prediction must be a JSON object"


def test_record_edges_that_are_accepted():
    same_day = record_from_dict({**BASE, "deadline": "2024-01-01"})
    assert same_day["deadline"] == "2024-01-01"
    small = record_from_dict({**BASE, "target_value": 0.5, "id": MAX_ID, "tags": []})
    assert (small["target_value"], small["id"], small["tags"]) == (0.5, MAX_ID, [])
    assert record_from_dict({**BASE, "tags": None})["tags"] == []
    assert record_from_dict({**BASE, "note": " kept "})["note"] == "kept"


def test_a_refused_day_says_how_to_write_one():
    with pytest.raises(InputError) as caught:
        parse_day("2024")
    assert str(caught.value) == "'2024' is not a single day; write it as YYYY-MM-DD"
    assert parse_day("2024-02-29") == dt.date(2024, 2, 29)


# --- text, probabilities, keys and tags, by message -------------------------------------------

def _message(call) -> str:  # noqa: ANN001
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def test_clean_text_messages():
    from forecast_ledger.domain.records import clean_text

    assert _message(lambda: clean_text(5, "claim")) == "the claim must be text"
    assert _message(lambda: clean_text(" ", "claim", required=True)) == (
        "the claim is empty; write what was claimed")
    assert _message(lambda: clean_text("", "colour", required=True)) == (
        "the colour is empty; write it")
    assert clean_text("", "note") is None and clean_text(None, "note") is None


@pytest.mark.parametrize("value, p", [("0.7", 0.7), ("70%", 0.7), (0.25, 0.25), (None, None),
                                      ("", None), ("1e-9", 1e-9)])
def test_probabilities(value, p):
    from forecast_ledger.domain.records import parse_probability

    assert parse_probability(value) == p


@pytest.mark.parametrize("value, message", [
    ("seventy", "probability 'seventy' is not a number; give e.g. 0.7 or 70%"),
    ("0", "probability 0 is outside (0, 1); give a number strictly between 0 and 1 (leave it "
          "out for a flat assertion)"),
    ("1", "probability 1 is outside (0, 1); give a number strictly between 0 and 1 (leave it "
          "out for a flat assertion)"),
    ("100%", "probability 100% is outside (0, 1); give a number strictly between 0 and 1 "
             "(leave it out for a flat assertion)"),
])
def test_probability_refusals(value, message):
    from forecast_ledger.domain.records import parse_probability

    assert _message(lambda: parse_probability(value)) == message


def test_key_refusal_message():
    from forecast_ledger.domain.records import check_key

    assert _message(lambda: check_key("Not A Slug")) == (
        "key 'Not A Slug' is not a slug: use lower-case letters, digits, '-', '.', '_' (not "
        "only digits), e.g. musk-2026-smartest-human")
    assert _message(lambda: check_key("2026")).startswith("key '2026' is not a slug")


@pytest.mark.parametrize("tags, message", [
    ([" "], "the tag is empty; write it"),
    (["a,b"], "tag 'a,b' must be a short label without commas"),
    (["x" * 65], f"tag '{'x' * 65}' must be a short label without commas"),
    ([5], "the tag must be text"),
])
def test_tag_refusals(tags, message):
    from forecast_ledger.domain.records import check_tags

    assert _message(lambda: check_tags(tags)) == message


def test_tags_up_to_64_characters():
    from forecast_ledger.domain.records import check_tags

    assert check_tags(["x" * 64, " b ", "b", "a"]) == ("a", "b", "x" * 64)
