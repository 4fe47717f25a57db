"""verify names an edit of any column of any table, generated from the schema, so a column
added later is covered without anyone remembering to add it here (issue 11)."""

import shutil
import sqlite3
import struct

import pytest
from sqlalchemy import Date, Float, Integer

from forecast_ledger.store.schema import metadata
from tests.conftest import Cli

COLUMNS = [(t.name, c) for t in metadata.sorted_tables for c in t.columns]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A ledger with a row in every table and a value in every nullable column."""
    cli = Cli(tmp_path_factory.mktemp("template") / "ledger.sqlite")
    cli.ok("init")
    cli.ok("trend", "series", "s", "--unit", "minutes", "--description", "a series")
    cli.ok("trend", "observe", "s", "2024-01-01", "10", "--label", "a", "--source", "src")
    cli.ok("trend", "observe", "s", "2024-06-01", "40", "--label", "b")
    cli.ok("trend", "claim", "s", "--doubling", "4 months", "--by", "M", "--made", "2024-07-01",
           "--key", "c1", "--source", "https://example.org", "--quote", "q")
    cli.ok("trend", "project", "c1", "--target", "80 minutes")
    cli.ok("add", "First claim", "--by", "A", "--made", "2024-01-01", "--deadline", "2025",
           "--key", "first", "--p", "0.7", "--topic", "t", "--criteria", "c",
           "--source", "https://example.org/a", "--source-title", "A page", "--quote", "q",
           "--note", "n", "--tag", "x", "--tag", "y")
    cli.ok("add", "First claim again", "--by", "A", "--made", "2025-01-01", "--deadline",
           "2027", "--supersedes", "first", "--key", "again")
    cli.ok("resolve", "first", "--outcome", "no", "--on", "2026-01-02", "--evidence", "e")
    cli.ok("verify")
    return cli.db


def _other_value(column, value):
    """A value of the column's type that differs from ``value``."""
    if isinstance(column.type, Integer):
        return (value or 0) + (1000 if column.primary_key else 1)  # a key must stay unique
    if isinstance(column.type, Float):  # the next float up: a change in the last digit
        bits = struct.unpack("<q", struct.pack("<d", value or 0.5))[0]
        return struct.unpack("<d", struct.pack("<q", bits + 1))[0]
    if isinstance(column.type, Date):
        return "2023-03-03" if value != "2023-03-03" else "2023-04-04"
    return (value or "") + "x"


def _edit(path, table, column, make_value):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    row = conn.execute(f"SELECT rowid, {column.name} FROM {table} "
                       f"ORDER BY {column.name} IS NULL, rowid LIMIT 1").fetchone()
    assert row is not None, f"the template has no row in {table}"
    conn.execute(f"UPDATE {table} SET {column.name} = ? WHERE rowid = ?",
                 (make_value(row[1]), row[0]))
    conn.commit()
    conn.close()


def _copy(template, tmp_path):
    path = tmp_path / "ledger.sqlite"
    shutil.copy(template, path)
    return Cli(path)


def _assert_named(cli):
    result = cli("verify")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


@pytest.mark.parametrize(("table", "column"), COLUMNS,
                         ids=[f"{t}.{c.name}" for t, c in COLUMNS])
def test_an_edited_value_is_named(template, tmp_path, table, column):
    cli = _copy(template, tmp_path)
    _edit(cli.db, table, column, lambda value: _other_value(column, value))
    _assert_named(cli)


# SQLite itself refuses anything but an integer in an INTEGER PRIMARY KEY.
BLOB_COLUMNS = [(t, c) for t, c in COLUMNS
                if not (c.primary_key and isinstance(c.type, Integer)
                        and len(c.table.primary_key.columns) == 1)]


@pytest.mark.parametrize(("table", "column"), BLOB_COLUMNS,
                         ids=[f"{t}.{c.name}" for t, c in BLOB_COLUMNS])
def test_a_blob_is_named(template, tmp_path, table, column):
    cli = _copy(template, tmp_path)
    blob = b"\x00\x01"
    _edit(cli.db, table, column, lambda value: blob)
    key = ", ".join(c.name for c in column.table.primary_key.columns)
    with sqlite3.connect(cli.db) as conn:  # the row's key, as verify names it
        row = ", ".join(map(str, conn.execute(
            f"SELECT {key} FROM {table} WHERE {column.name} = ?", (blob,)).fetchone()))
    conn.close()
    result = cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == (
        f"error: {table} row {row}: {column.name} holds a value of type blob, which the "
        "ledger never writes there")


DATES = [(t, c) for t, c in COLUMNS if isinstance(c.type, Date)]


@pytest.mark.parametrize("form", ["{y}{m}{d}", "{y}-W09-1", "{y}-{m_}-{d_}"])
@pytest.mark.parametrize(("table", "column"), DATES, ids=[f"{t}.{c.name}" for t, c in DATES])
def test_a_date_written_in_another_form_is_named(template, tmp_path, table, column, form):
    """SQLite keeps dates as text: the same day written otherwise is still an edit (a fit
    over it would count other days)."""
    cli = _copy(template, tmp_path)

    def rewritten(value):
        y, m, d = value.split("-")
        return form.format(y=y, m=m, d=d, m_=int(m), d_=int(d) + 1)
    _edit(cli.db, table, column, rewritten)
    _assert_named(cli)


def test_a_tag_planted_for_the_next_id_is_named_before_the_next_add(template, tmp_path):
    cli = _copy(template, tmp_path)
    conn = sqlite3.connect(cli.db)
    conn.execute("INSERT INTO tags (prediction_id, tag) VALUES (99, 'planted')")
    conn.commit()
    conn.close()
    result = cli("verify")
    assert result.exit_code == 1 and "'planted' of prediction 99" in result.stderr


def test_a_damaged_index_page_is_named(template, tmp_path):
    cli = _copy(template, tmp_path)
    conn = sqlite3.connect(cli.db)
    conn.execute("PRAGMA journal_mode=DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                        "'ix_predictions_claimant'").fetchone()[0]
    conn.close()
    with open(cli.db, "r+b") as f:  # scribble over the index's page after its type byte
        f.seek((root - 1) * page_size + 1)
        f.write(b"\x55" * (page_size - 1))
    conn = sqlite3.connect(cli.db)
    first = conn.execute("PRAGMA quick_check").fetchone()[0]  # SQLite's own words
    conn.close()
    result = cli("verify")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.strip() == f"error: the ledger file is damaged: {first}"


@pytest.mark.parametrize(("column", "value", "kind"), [
    ("probability", "high", "text"),  # SQLite keeps text that reads as no number
    ("deadline", 20251231, "integer"),  # a date column takes numbers as numbers
    ("supersedes", 1.5, "real"),
    ("resolved_on", 20260102, "integer"),  # a verdict's field: the comparison leaves it out
])
def test_a_value_of_another_storage_class_is_named_as_such(template, tmp_path, column, value,
                                                           kind):
    """The row comparison would call such a row edited; verify names the wrong type."""
    cli = _copy(template, tmp_path)
    conn = sqlite3.connect(cli.db)
    conn.execute(f"UPDATE predictions SET {column} = ? WHERE key = 'first'", (value,))
    pid = conn.execute("SELECT id FROM predictions WHERE key = 'first'").fetchone()[0]
    conn.commit()
    conn.close()
    result = cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == (
        f"error: predictions row {pid}: {column} holds a value of type {kind}, which the "
        "ledger never writes there")


@pytest.mark.parametrize(("column", "value", "kind"), [
    ("payload", b'{"changes": {}}', "blob"),
    ("prediction_id", "seven", "text"),
    ("prediction_id", 1.5, "real"),
    ("prediction_id", b"\x07", "blob"),
], ids=["blob-payload", "text-id", "real-id", "blob-id"])  # (mutmut's runner cannot name bytes)
def test_a_history_rehashed_around_another_storage_class_is_named(template, tmp_path, column,
                                                                   value, kind):
    """The hash covers a value's text, not its type: a forger who rehashes the chain around
    a BLOB payload or a prediction id that is no integer still has it named."""
    from tests.store.test_verify import _rehash

    cli = _copy(template, tmp_path)
    conn = sqlite3.connect(cli.db)
    event = conn.execute("SELECT max(id) FROM events WHERE kind = 'resolve'").fetchone()[0]
    conn.execute(f"UPDATE events SET {column} = ? WHERE id = ?", (value, event))
    conn.commit()
    conn.close()
    _rehash(cli.db)
    result = cli("verify")
    assert result.exit_code == 1 and result.stderr.strip() == (
        f"error: events row {event}: {column} holds a value of type {kind}, which the ledger "
        "never writes there")


def test_the_walk_refuses_a_value_of_another_type_without_the_storage_check(template,
                                                                           tmp_path):
    """Without the storage check (another database, or the walk on its own), the walk itself
    refuses the value rather than replay it."""
    from forecast_ledger.errors import TamperError
    from forecast_ledger.store.ledger import Ledger
    from forecast_ledger.store.verify import _walk_chain
    from tests.store.test_verify import _rehash

    cli = _copy(template, tmp_path)
    conn = sqlite3.connect(cli.db)
    event = conn.execute("SELECT max(id) FROM events WHERE kind = 'resolve'").fetchone()[0]
    pid = conn.execute("SELECT prediction_id FROM events WHERE id = ?", (event,)).fetchone()[0]
    conn.execute("UPDATE events SET payload = CAST(payload AS BLOB) WHERE id = ?", (event,))
    conn.commit()
    conn.close()
    _rehash(cli.db)
    ledger = Ledger.open(str(cli.db))
    with ledger.reading() as reading, pytest.raises(TamperError) as refused:
        _walk_chain(reading)
    ledger.close()
    assert str(refused.value) == (f"event {event} (resolve, prediction {pid}) holds a value of "
                                  "a type the ledger never writes")
