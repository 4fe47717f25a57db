"""Opening a ledger database: the engine, SQLite's settings, and the schema check.

Opening an up-to-date ledger compares the stored alembic revision with :data:`HEAD_REVISION`
and does not import alembic; only a new or older ledger runs the migrations.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, create_engine, event, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError

from forecast_ledger.errors import StoreError

# The newest migration in store/migrations/versions; a test checks it against alembic's head.
HEAD_REVISION = "0002_uid"
KNOWN_REVISIONS = ("0001_initial", "0002_uid")
LEDGER_TABLES = {"predictions", "events", "tags", "series", "observations", "trend_claims"}
BUSY_TIMEOUT_SECONDS = 30


def database_url(db: str) -> str:
    """A path becomes a SQLite URL; anything with '://' is taken as a SQLAlchemy URL."""
    return db if "://" in db else f"sqlite:///{Path(db).expanduser()}"


def sqlite_path(db: str) -> Path | None:
    """The file of a SQLite ledger given as a path or URL; None for other databases."""
    url = database_url(db)
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix and ":memory:" not in url:
        return Path(url[len(prefix):])
    return None


def make_engine(db: str, *, create: bool = False) -> Engine:
    """An engine for ``db``; refuses a SQLite path that does not exist unless ``create``."""
    url = database_url(db)
    path = sqlite_path(db)
    if path is not None:
        if not create and not path.exists():
            raise StoreError(f"no ledger at {path}; create one with 'ledger init', or name "
                             "another ledger", options=("db",))
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a ledger file")
    if path is not None and path.exists() and not _writable(path):
        url = _read_only_url(path)
    try:
        engine = create_engine(url, connect_args=_connect_args(url))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use database {db!r}: {exc}") from None
    if url.startswith("sqlite"):
        _configure_sqlite(engine)
    return engine


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_url(path: Path) -> str:
    """A ledger that cannot be written here (a read-only file, folder or file system) is
    opened read-only. In a folder it cannot write, SQLite cannot make the WAL's shared-memory
    file either, and only opens the ledger as immutable: right for an archived copy, which
    is what a ledger in a read-only folder is."""
    from urllib.parse import quote

    flags = "mode=ro" + ("&immutable=1" if not os.access(path.parent, os.W_OK) else "")
    return f"sqlite:///file:{quote(str(path.resolve()))}?{flags}&uri=true"


def _connect_args(url: str) -> dict:
    if url.startswith("sqlite"):
        # isolation_level=None: we issue BEGIN ourselves (see _configure_sqlite).
        return {"timeout": BUSY_TIMEOUT_SECONDS, "isolation_level": None}
    return {}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # casefold(): Unicode case folding for --by/--topic/--tag (SQLite's lower() folds
        # ASCII only); rows.folded() compiles to it here and to lower() on PostgreSQL.
        dbapi_connection.create_function("casefold", 1, _casefold, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        # Writers take the write lock up front (BEGIN IMMEDIATE), so two writers queue on the
        # busy timeout instead of deadlocking when a read lock would need upgrading.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _casefold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


def stream_rows(conn: Connection, query: Select) -> Iterable[Sequence[Any]]:
    """The rows of ``query`` as tuples, streamed, inside ``conn``'s transaction.

    On SQLite, a query with no parameters and no column that SQLAlchemy would convert (read
    dates as text) goes straight to the driver's cursor: SQLAlchemy's result rows cost 0.8 s
    of the 1.8 s it takes to read a million events. Anything else streams through
    SQLAlchemy (``yield_per``: a server-side cursor where there is one).
    """
    dialect = conn.dialect
    if dialect.name == "sqlite":
        compiled = query.compile(dialect=dialect)
        if not compiled.params and all(
                column.type.dialect_impl(dialect).result_processor(dialect, None) is None
                for column in query.selected_columns):
            return conn.connection.driver_connection.execute(str(compiled))  # type: ignore[union-attr]
    return conn.execution_options(yield_per=20_000).execute(query)


def ensure_schema(engine: Engine, *, create: bool) -> bool:
    """Check that ``engine`` holds a ledger at the current schema, migrating it if older;
    returns whether the schema was created here (the database was empty).

    An empty database gets the schema when ``create`` is set. A database of another program,
    a corrupt file or one from a newer version is refused with a :class:`StoreError`.
    """
    try:
        with engine.connect() as conn:
            revision = _stored_revision(conn)
            if revision == HEAD_REVISION:
                _use_wal(conn)
                return False
            tables = set(inspect(conn).get_table_names()) if revision is None else set()
    except (DatabaseError, OperationalError) as exc:
        raise StoreError(f"{_where(engine)} is not a readable ledger database "
                         f"({_first_line(exc)})") from None
    if revision is None:
        if tables:
            raise StoreError(
                f"{_where(engine)} is not a forecast-ledger database "
                f"(it holds tables {', '.join(sorted(tables)[:5])}); name another ledger",
                options=("db",)
            )
        if not create:
            raise StoreError(f"{_where(engine)} is empty; create a ledger with 'ledger init'")
    elif revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"{_where(engine)} was made by a newer forecast-ledger (schema {revision}); upgrade"
        )
    _migrate(engine)
    with engine.connect() as conn:
        _use_wal(conn)
    return revision is None


def drop_schema(engine: Engine) -> None:
    """Remove every table of the ledger, for a database whose schema was just created for
    an import that then failed: the database is left as empty as it was found."""
    from forecast_ledger.store.schema import metadata

    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def advance_id_sequences(conn: Connection) -> None:
    """After rows were inserted with their ids (a restore), make PostgreSQL's id sequences
    continue after the largest id, so the next insert does not reuse one."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    from forecast_ledger.store.schema import metadata

    for table in metadata.sorted_tables:
        if table.c.get("id") is not None and table.c.id.autoincrement is True:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM {table.name}"))


def set_journal_mode(engine: Engine, mode: str) -> None:
    """SQLite's journal mode for the file of ``engine`` (outside any transaction)."""
    with engine.connect() as conn:
        conn.connection.dbapi_connection.execute(f"PRAGMA journal_mode={mode}")


def _use_wal(conn) -> None:  # noqa: ANN001
    """WAL lets readers run while one process writes; set only on a confirmed ledger."""
    if conn.dialect.name == "sqlite":
        conn.rollback()  # end the read transaction: journal_mode cannot change inside one
        raw = conn.connection.dbapi_connection
        if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            raw.execute("PRAGMA journal_mode=WAL")


def _stored_revision(conn) -> str | None:  # noqa: ANN001
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _where(engine: Engine) -> str:
    url = engine.url
    return url.database if url.drivername.startswith("sqlite") and url.database else \
        url.render_as_string(hide_password=True)


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0] if str(orig) else type(orig).__name__


