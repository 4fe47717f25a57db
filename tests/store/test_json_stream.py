"""The streaming reader must agree with json.loads on every layout, and fail where it does."""

import io
import json

import pytest

from forecast_ledger.store import json_stream
from forecast_ledger.store.json_stream import Items, members

DOC = {"format": "forecast-ledger", "version": 1, "empty": [], "nested": {"a": [1, 2]},
       "predictions": [{"id": i, "claim": "三年内 \"quoted\" \\ é", "p": 0.25 * i,
                        "tags": ["x", "y"]} for i in range(50)],
       "number": 123456789, "last": None}


def read(text: str) -> dict:
    return {name: (list(value) if isinstance(value, Items) else value)
            for name, value in members(io.StringIO(text))}


@pytest.mark.parametrize("indent", [None, 0, 2])
@pytest.mark.parametrize("window", [1, 7, 1 << 20])
def test_any_layout_and_any_window_reads_like_json_loads(monkeypatch, indent, window):
    monkeypatch.setattr(json_stream, "_READ", window)  # values cut at every possible place
    text = json.dumps(DOC, indent=indent, ensure_ascii=False)
    assert read(text) == json.loads(text)


def test_an_array_left_unread_is_skipped():
    text = json.dumps(DOC)
    names = [name for name, _ in members(io.StringIO(text))]
    assert names == list(DOC)


def test_an_array_read_in_part_is_skipped_to_its_end():
    text = json.dumps(DOC)
    read_in_part = {}
    for name, value in members(io.StringIO(text)):
        if isinstance(value, Items):
            read_in_part[name] = next(iter(value), None)  # the first item only
        else:
            read_in_part[name] = value
    assert read_in_part["predictions"] == DOC["predictions"][0]
    assert (read_in_part["number"], read_in_part["last"]) == (123456789, None)


def test_an_empty_object():
    assert read(" { } ") == {}


@pytest.mark.parametrize("text", [
    "", "not json", '{"a": 1', '{"a": [1, 2', '{"a": [1 2]}', '{"a": 1} x', "{1: 2}",
    '{"a": "unterminated}', '{"a": 1,}',
])
def test_what_json_loads_refuses_is_refused(monkeypatch, text):
    monkeypatch.setattr(json_stream, "_READ", 3)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        read(text)


@pytest.mark.parametrize("text", ["[]", "1", '"x"', "null"])
def test_valid_json_that_is_not_an_object_is_told_apart(text):
    with pytest.raises(json_stream.NotAnObject):
        read(text)


def test_errors_name_the_line_and_column_in_the_whole_file(monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", 5)
    lines = ['{"format": "x",', '"items": [', "1,", "2,", "  oops", "]}"]
    with pytest.raises(json.JSONDecodeError) as caught:
        read("\n".join(lines))
    assert (caught.value.lineno, caught.value.colno) == (5, 3)
