"""store/db.py: the raw-cursor fast path must give exactly what SQLAlchemy gives."""

import datetime as dt

import pytest
from sqlalchemy import select

from forecast_ledger import Ledger
from forecast_ledger.store import schema
from forecast_ledger.store.db import stream_rows
from forecast_ledger.store.rows import iso as _iso
from tests.conftest import REPO

P, E = schema.predictions, schema.events


@pytest.mark.parametrize(("query", "raw"), [
    (select(E.c.id, E.c.kind, E.c.payload).order_by(E.c.id), True),
    (select(P.c.id, _iso(P.c.deadline), P.c.probability).order_by(P.c.id), True),
    (select(P.c.id, P.c.deadline).order_by(P.c.id), False),  # a date SQLAlchemy converts
    (select(P.c.id).where(P.c.topic == "hlmi-expert-survey"), False),  # a parameter
])
def test_stream_rows_goes_raw_only_where_nothing_would_change(query, raw):
    with Ledger.open(str(REPO / "predictions.sqlite")) as ledger, ledger.reading() as conn:
        expected = [tuple(row) for row in conn.execute(query)]
        rows = stream_rows(conn, query)
        assert (not hasattr(rows, "keys")) == raw  # a driver cursor, not a SQLAlchemy result
        got = [tuple(row) for row in rows]
    assert got == expected and got
    if not raw and len(query.selected_columns) == 2 and query.whereclause is None:
        assert isinstance(got[0][1], dt.date)
