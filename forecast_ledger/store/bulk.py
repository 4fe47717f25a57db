"""Many rows at once, by the fastest path each database has (imports, trend imports).

Below every other module of store/ but the schema: the restore of an export, the merge of
foreign records and a trend import all insert through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Date, insert

from forecast_ledger.errors import ImportFileError


def bulk_insert(conn: Connection, table: Any, records: Iterator[dict]) -> None:
    """Insert dicts (dates as ISO text) in chunks, by the fastest path each database has.

    SQLite: straight to the driver's executemany (SQLAlchemy's per-row parameter processing
    would double the time of a million-row import; SQLite stores SQLAlchemy dates as the
    same ISO text). PostgreSQL: COPY, which parses the ISO dates itself. Any other database:
    the Core insert.
    """
    names = [c.name for c in table.columns]
    dialect = conn.dialect.name
    row = itemgetter(*names)
    chunk: list = []
    for record in records:
        try:
            chunk.append(row(record))
        except KeyError:  # a file may leave out what is null
            chunk.append(tuple(record.get(n) for n in names))
        if len(chunk) == 20_000:
            _flush(conn, table, names, chunk, dialect)
            chunk = []
    if chunk:
        _flush(conn, table, names, chunk, dialect)


def _flush(conn: Connection, table: Any, names: list[str], chunk: list, dialect: str) -> None:
    columns = ", ".join(names)
    if dialect == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) "
                             f"VALUES ({', '.join('?' * len(names))})", chunk)
    elif dialect == "postgresql":
        import psycopg

        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for values in chunk:
                    copy.write_row(values)
        except psycopg.Error as exc:  # the driver's own error: SQLAlchemy did not wrap it
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ImportFileError(f"the database refused the file's {table.name}: {first}; "
                                  "nothing was imported") from None
    else:
        dates = {c.name for c in table.columns if isinstance(c.type, Date)}
        conn.execute(insert(table), [
            {n: dt.date.fromisoformat(v) if n in dates and v else v
             for n, v in zip(names, values, strict=True)} for values in chunk])


@contextmanager
def indexes_dropped(conn: Connection, tables: tuple) -> Iterator[None]:
    """Build the tables' secondary indexes once, after a bulk insert, instead of row by row
    (a third less time for a million predictions). Inside the caller's transaction, so a
    failed import restores them with everything else."""
    indexes = [index for table in tables for index in table.indexes]
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)
