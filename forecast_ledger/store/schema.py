"""The tables. Changing them means a new alembic migration (see store/migrations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PredictionRow(Base):
    """One prediction and its current resolution (the history lives in ``events``)."""

    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str | None] = mapped_column(String(128), unique=True)
    claim: Mapped[str] = mapped_column(Text)
    claimant: Mapped[str] = mapped_column(String(200), index=True)
    made_on: Mapped[dt.date] = mapped_column(Date)
    made_precision: Mapped[str] = mapped_column(String(8))
    deadline: Mapped[dt.date] = mapped_column(Date)
    deadline_precision: Mapped[str] = mapped_column(String(8))
    deadline_expression: Mapped[str] = mapped_column(Text)
    probability: Mapped[float | None] = mapped_column(Float)
    topic: Mapped[str | None] = mapped_column(String(200), index=True)
    criteria: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    source_title: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("predictions.id"))
    trend_claim: Mapped[int | None] = mapped_column(ForeignKey("trend_claims.id"))
    target_value: Mapped[float | None] = mapped_column(Float)
    # The current resolution; NULL outcome means unresolved. Status is derived from
    # (outcome, deadline, today), so these two are indexed together.
    outcome: Mapped[str | None] = mapped_column(String(10))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_predictions_outcome_deadline", "outcome", "deadline"),
        {"sqlite_autoincrement": True},  # ids are never reused
    )


class TagRow(Base):
    __tablename__ = "tags"

    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class EventRow(Base):
    """The append-only, hash-chained history of every change."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    prediction_id: Mapped[int | None] = mapped_column(Integer, index=True)
    recorded_at: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class SeriesRow(Base):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    unit: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)


class ObservationRow(Base):
    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    observed_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    label: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)


class TrendClaimRow(Base):
    __tablename__ = "trend_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str | None] = mapped_column(String(128), unique=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"), index=True)
    claimant: Mapped[str] = mapped_column(String(200))
    made_on: Mapped[dt.date] = mapped_column(Date)
    made_precision: Mapped[str] = mapped_column(String(8))
    doubling_days: Mapped[float] = mapped_column(Float)
    doubling_expression: Mapped[str] = mapped_column(Text)
    anchor_date: Mapped[dt.date] = mapped_column(Date)
    anchor_value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
