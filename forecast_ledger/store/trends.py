"""Series, observations, trend claims and milestones in the store (filled in by issue 4)."""

from __future__ import annotations


def seed_trends(events, tables: dict) -> dict[str, int]:  # noqa: ANN001
    return {}


def seed_milestones(ledger, events, tables: dict) -> dict[str, int]:  # noqa: ANN001
    return {}
