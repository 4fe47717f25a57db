"""The tables, as SQLAlchemy Core. Changing them means a new alembic migration.

Core tables rather than ORM classes: the ledger issues Core statements only, and importing
``sqlalchemy.orm`` would add about 60 ms to every command's start (benchmarks/run.py).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# One prediction and its current resolution; the history lives in `events`. A NULL outcome
# means unresolved. Status is derived from (outcome, deadline, today), so those two are
# indexed together.
predictions = Table(
    "predictions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The identity across ledgers (SPEC §8); ids are local. Every row has one (the code sees
    # to it: a NOT NULL would make SQLite copy the whole table in the migration).
    Column("uid", String(200)),
    Column("key", String(128), unique=True),
    Column("claim", Text, nullable=False),
    Column("claimant", String(200), nullable=False, index=True),
    Column("made_on", Date, nullable=False),
    Column("made_precision", String(8), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("deadline_precision", String(8), nullable=False),
    Column("deadline_expression", Text, nullable=False),
    Column("probability", Float),
    Column("topic", String(200), index=True),
    Column("criteria", Text),
    Column("source_url", Text),
    Column("source_title", Text),
    Column("quote", Text),
    Column("note", Text),
    Column("supersedes", ForeignKey("predictions.id")),
    Column("trend_claim", ForeignKey("trend_claims.id")),
    Column("target_value", Float),
    Column("outcome", String(10)),
    Column("resolved_on", Date),
    Column("evidence", Text),
    Index("ix_predictions_outcome_deadline", "outcome", "deadline"),
    Index("uq_predictions_uid", "uid", unique=True),
    sqlite_autoincrement=True,  # ids are never reused
)

tags = Table(
    "tags", metadata,
    Column("prediction_id", ForeignKey("predictions.id"), primary_key=True),
    Column("tag", String(64), primary_key=True, index=True),
)

# The append-only, hash-chained history of every change.
events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(20), nullable=False),
    Column("prediction_id", Integer, index=True),
    Column("recorded_at", String(32), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

series = Table(
    "series", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("unit", String(32)),
    Column("description", Text),
)

observations = Table(
    "observations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("series_id", ForeignKey("series.id"), nullable=False, index=True),
    Column("observed_on", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("label", Text),
    Column("source", Text),
    # An observation is unique per (series, date, value, label): observing it again is a
    # no-op (checked in store/trends.py, since a NULL label never equals another in SQL).
    Index("ix_observations_point", "series_id", "observed_on", "value"),
)

trend_claims = Table(
    "trend_claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(128), unique=True),
    Column("series_id", ForeignKey("series.id"), nullable=False, index=True),
    Column("claimant", String(200), nullable=False),
    Column("made_on", Date, nullable=False),
    Column("made_precision", String(8), nullable=False),
    Column("doubling_days", Float, nullable=False),
    Column("doubling_expression", Text, nullable=False),
    Column("anchor_date", Date, nullable=False),
    Column("anchor_value", Float, nullable=False),
    Column("source", Text),
    Column("quote", Text),
    Column("note", Text),
)
