"""Export files: their header, their events and side rows, checked field by field."""

import pytest

from forecast_ledger.errors import ImportFileError, InputError
from forecast_ledger.store import schema
from forecast_ledger.store.transfer import event_row, sections_of, side_row

EVENT = {"id": 1, "kind": "add", "prediction_id": 1, "recorded_at": "2026-11-29T10:00:00+00:00",
         "payload": {"b": 1, "a": "中"}, "prev_hash": "0" * 64, "hash": "f" * 64}


def test_an_event_row_keeps_its_fields_and_makes_the_payload_canonical():
    row = event_row(EVENT)
    assert row["payload"] == '{"a":"中","b":1}'
    assert {k: v for k, v in row.items() if k != "payload"} == \
        {k: v for k, v in EVENT.items() if k != "payload"}


@pytest.mark.parametrize(("change", "message"), [
    ({"id": "1"}, "whole numbers"), ({"id": True}, "whole numbers"),
    ({"id": 2**63}, "whole numbers"), ({"prediction_id": 0}, "whole numbers"),
    ({"kind": None}, "'kind' must be text"), ({"hash": 5}, "'hash' must be text"),
    ({"recorded_at": "2026-11-29 10:00"}, "UTC time"),
    ({"recorded_at": "２０２６-11-29T10:00:00+00:00"}, "UTC time"),
    ({"payload": "{}"}, "'payload' must be an object"),
])
def test_a_malformed_event_is_named(change, message):
    with pytest.raises(InputError, match=message):
        event_row({**EVENT, **change})


def test_side_rows_are_checked_against_their_table():
    row = side_row(schema.observations, {"id": 1, "series_id": 1, "observed_on": "2024-01-02",
                                         "value": 3, "label": None, "source": None})
    assert row["value"] == 3.0 and row["observed_on"].isoformat() == "2024-01-02"
    for bad, message in ((("value", float("inf")), "finite"), (("observed_on", "2024-1-2x"),
                                                                 "date"),
                         (("series_id", "1"), "whole number"), (("label", 5), "text"),
                         (("value", None), "missing")):
        item = {"id": 1, "series_id": 1, "observed_on": "2024-01-02", "value": 3}
        item[bad[0]] = bad[1]
        with pytest.raises(InputError, match=message):
            side_row(schema.observations, item)


@pytest.mark.parametrize(("source", "message"), [
    ({"format": "other", "version": 2, "predictions": []}, "not a forecast-ledger export"),
    ({"format": "forecast-ledger", "version": 9, "predictions": []}, "reads versions 1, 2"),
    ({"format": "forecast-ledger", "version": 2, "predictions": {}}, "must be a list"),
    ({"version": 2, "predictions": []}, "not a forecast-ledger export"),
])
def test_the_header_is_checked_before_anything_is_read(source, message):
    with pytest.raises(ImportFileError, match=message):
        list(sections_of(source))
