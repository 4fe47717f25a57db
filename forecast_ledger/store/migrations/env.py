"""Alembic environment: runs on the connection the ledger hands it (see store/db.py)."""

from alembic import context

from forecast_ledger.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand (e.g. revision --autogenerate)
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///migration-dev.sqlite"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
