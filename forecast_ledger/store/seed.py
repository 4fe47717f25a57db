"""``ledger init --seed``: build a ledger from the human-editable files in ``fixtures/``.

Every ``*.toml`` file there is read in name order. ``[[prediction]]`` entries are claims
(``deadline`` is the expression as the source phrased it; ``supersedes`` names an earlier
key). Trend data (``[[series]]``, ``[[trend_claim]]``, ``[[milestone]]``) is loaded by
store/trends.py. Everything goes in one transaction: a bad fixture loads nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from forecast_ledger.domain.records import new_prediction
from forecast_ledger.errors import ImportFileError, InputError, StoreError
from forecast_ledger.store.ledger import Ledger, insert_prediction

PREDICTION_FIELDS = {"key", "claim", "claimant", "made", "deadline", "probability", "topic",
                     "criteria", "source_url", "source_title", "quote", "note", "tags",
                     "supersedes"}


def default_fixtures() -> Path:
    """The fixtures/ folder beside the package (a source checkout or editable install)."""
    return Path(__file__).resolve().parents[2] / "fixtures"


def read_fixtures(folder: Path | None = None) -> dict[str, list[dict]]:
    """All entries of all fixture files, by table name ('prediction', 'series', ...)."""
    folder = folder or default_fixtures()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise StoreError(f"no fixture files (*.toml) in {folder}; pass --fixtures FOLDER")
    tables: dict[str, list[dict]] = {}
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"{path.name}: {exc}") from None
        for name, entries in data.items():
            for entry in entries:
                tables.setdefault(name, []).append({**entry, "_file": path, "_folder": folder})
    return tables


def seed_ledger(ledger: Ledger, folder: Path | None = None) -> dict[str, int]:
    """Load the fixtures into an empty ledger; returns counts of what was loaded."""
    from forecast_ledger.store import trends

    tables = read_fixtures(folder)
    if not ledger.is_empty():
        raise StoreError("the ledger already holds records; --seed fills only a new ledger")
    counts: dict[str, int] = {}
    with ledger.writing() as events:
        counts.update(trends.seed_trends(events, tables))
        ids: dict[str, int] = {}
        for entry in tables.get("prediction", []):
            prediction = _fixture_prediction(entry, ids)
            stored = insert_prediction(events, prediction, kind="add")
            ids[stored.key] = stored.id  # type: ignore[index,assignment]
        counts["predictions"] = len(ids)
        counts.update(trends.seed_milestones(events, tables))
    return {k: v for k, v in counts.items() if v}


def _fixture_prediction(entry: dict, ids: dict[str, int]):  # noqa: ANN202
    where = f"{entry['_file'].name}, prediction {entry.get('key', '?')!r}"
    unknown = set(entry) - PREDICTION_FIELDS - {"_file", "_folder"}
    if unknown:
        raise ImportFileError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    if not entry.get("key"):
        raise ImportFileError(f"{where}: every fixture needs a key")
    try:
        prediction = new_prediction(**{k: v for k, v in entry.items()
                                       if k in PREDICTION_FIELDS - {"supersedes"}})
    except InputError as exc:
        raise ImportFileError(f"{where}: {exc}") from None
    if "supersedes" in entry:
        if entry["supersedes"] not in ids:
            raise ImportFileError(f"{where}: supersedes {entry['supersedes']!r}, which is not "
                                  "an earlier fixture")
        prediction = replace(prediction, supersedes=ids[entry["supersedes"]])
    return prediction
